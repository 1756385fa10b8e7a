package config

import "fmt"

// Import bounds the archive imports the HTTP API accepts (POST /api/v1/admin/import).
type Import struct {
	// MaxBytes bounds one posted archive; bigger ones go through `herald import`.
	MaxBytes int64
	// MediaDir is the server's directory that posted archives' image files are relative
	// to; empty refuses lines with images.
	MediaDir string
}

// loadImport reads the import variables.
func (c *Config) loadImport(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	var err error
	if c.Import.MaxBytes, err = parseBytes(get("HERALD_IMPORT_MAX_BYTES", "64MiB")); err != nil || c.Import.MaxBytes < 1024 || c.Import.MaxBytes > 16<<30 {
		errs = append(errs, fmt.Errorf("HERALD_IMPORT_MAX_BYTES=%q: want a size from 1KiB to 16GiB, such as 64MiB", getenv("HERALD_IMPORT_MAX_BYTES")))
	}
	c.Import.MediaDir = get("HERALD_IMPORT_MEDIA_DIR", "")
	return errs
}
