// Package disk stores media files in a local directory (HERALD_MEDIA_DIR), one file per
// key, written to a temporary file and renamed into place so a reader never sees half a
// file and a failed write leaves nothing.
package disk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/heraldcms/herald/internal/media"
)

// Blobs is a directory of media files; it implements media.Blobs.
type Blobs struct{ root string }

var _ media.Blobs = (*Blobs)(nil)

// New returns the store rooted at dir. The directory is created by the first write, so a
// server that never receives an upload leaves no trace.
func New(dir string) (*Blobs, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("media directory %s is a file", abs)
	}
	return &Blobs{root: abs}, nil
}

// Root is the directory.
func (b *Blobs) Root() string { return b.root }

func (b *Blobs) path(key string) (string, error) {
	if !media.ValidKey(key) {
		return "", fmt.Errorf("%w: invalid key %q", media.ErrNotFound, key)
	}
	return filepath.Join(b.root, filepath.FromSlash(key)), nil
}

// Put implements media.Blobs.
func (b *Blobs) Put(ctx context.Context, key string, r io.Reader, size int64, _ string) (err error) {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			removeIfEmpty(dir)
		}
	}()
	n, err := io.Copy(tmp, r)
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("put %s: wrote %d bytes, want %d", key, n, size)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Open implements media.Blobs.
func (b *Blobs) Open(_ context.Context, key string) (media.Blob, error) {
	p, err := b.path(key)
	if err != nil {
		return media.Blob{}, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return media.Blob{}, media.ErrNotFound
	}
	if err != nil {
		return media.Blob{}, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return media.Blob{}, err
	}
	return media.Blob{ReadSeekCloser: f, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Delete implements media.Blobs; the key's directory goes when it is empty.
func (b *Blobs) Delete(_ context.Context, key string) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	removeIfEmpty(filepath.Dir(p))
	return nil
}

func removeIfEmpty(dir string) { _ = os.Remove(dir) } // fails, harmlessly, unless empty

// Keys implements media.Blobs. Temporary files of writes in progress are not listed.
func (b *Blobs) Keys(_ context.Context, prefix string) ([]string, error) {
	var keys []string
	if _, err := os.Stat(b.root); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	err := filepath.WalkDir(b.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(b.root, p)
		if err != nil {
			return err
		}
		if k := filepath.ToSlash(rel); strings.HasPrefix(k, prefix) && !strings.HasPrefix(d.Name(), ".put-") {
			keys = append(keys, k)
		}
		return nil
	})
	return keys, err
}

// URL implements media.Blobs: Herald serves disk files itself.
func (b *Blobs) URL(string) string { return "" }
