package media

// SHA256 is the hex digest of the received bytes: an importer compares it with the items
// it already has before storing the same image again.
func (r *Received) SHA256() string { return r.sum }
