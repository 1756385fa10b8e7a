package content

// Who reads what in the Admin API. Editors (and admins) read every article. Authors read
// their own articles in any status and, by default, nothing of others' — not their drafts,
// scheduled articles or revisions (the Ghost and WordPress rule; a published article is
// read through the public API like any reader). WithAuthorsReadAll lifts that for
// newsrooms where authors review each other's drafts.

// WithAuthorsReadAll lets authors read other authors' articles and revisions in the
// Admin API (HERALD_AUTHORS_READ_ALL); they still edit only their own drafts.
func WithAuthorsReadAll(on bool) Option { return func(s *Service) { s.authorsReadAll = on } }

// readsOthers reports whether viewer may read articles written by someone else.
func (s *Service) readsOthers(viewer Actor) bool { return viewer.Editor || s.authorsReadAll }

// mayRead reports whether viewer may read a in the Admin API.
func (s *Service) mayRead(viewer Actor, a Article) bool {
	return s.readsOthers(viewer) || (a.AuthorID != nil && *a.AuthorID == viewer.UserID)
}
