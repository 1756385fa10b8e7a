package disk_test

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/mediatest"
)

func TestDiskBlobs(t *testing.T) {
	dir := t.TempDir()
	b, err := disk.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	mediatest.TestBlobs(t, b)
	// No temporary files survive failed writes.
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(p)[0] == '.' {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}
