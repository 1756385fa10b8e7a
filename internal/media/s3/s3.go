// Package s3 stores media files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2,
// Backblaze B2, …) through the minio-go client. Objects are written with their content type
// and an immutable Cache-Control, since keys are content-derived. With a public URL (a CDN
// or a public bucket) clients fetch files there; otherwise Herald proxies them.
package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/heraldcms/herald/internal/media"
)

// Config names the bucket; cmd/herald fills it from the HERALD_S3_BUCKET family of variables.
type Config struct {
	// Endpoint is the server's URL, e.g. https://s3.eu-central-1.amazonaws.com or
	// http://127.0.0.1:9000; the scheme decides TLS.
	Endpoint  string
	Bucket    string
	Region    string
	AccessKey string
	SecretKey string
	// PublicURL, when set, is the base URL clients fetch files from (a CDN in front of the
	// bucket); keys are appended to it.
	PublicURL string
}

// Blobs is a bucket of media files; it implements media.Blobs.
type Blobs struct {
	client    *minio.Client
	bucket    string
	publicURL string
}

var _ media.Blobs = (*Blobs)(nil)

// New connects to the bucket and checks it exists.
func New(ctx context.Context, c Config) (*Blobs, error) {
	u, err := url.Parse(c.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("s3: endpoint %q: want http(s)://host[:port]", c.Endpoint)
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure:       u.Scheme == "https",
		Region:       c.Region,
		BucketLookup: minio.BucketLookupAuto,
	})
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3: bucket %q at %s: %w", c.Bucket, c.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3: bucket %q does not exist at %s", c.Bucket, c.Endpoint)
	}
	return &Blobs{client: client, bucket: c.Bucket, publicURL: strings.TrimRight(c.PublicURL, "/")}, nil
}

// Put implements media.Blobs. A single PUT (or an aborted multipart upload) is atomic:
// the object exists whole or not at all.
func (b *Blobs) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if !media.ValidKey(key) {
		return fmt.Errorf("s3: invalid key %q", key)
	}
	opts := minio.PutObjectOptions{ContentType: contentType, CacheControl: "public, max-age=31536000, immutable"}
	if contentType == media.PDF {
		opts.ContentDisposition = "attachment"
	}
	_, err := b.client.PutObject(ctx, b.bucket, key, r, size, opts)
	if err != nil {
		return fmt.Errorf("s3: put %s: %w", key, err)
	}
	return nil
}

// Open implements media.Blobs; the object reads lazily and supports Seek, so Range
// requests fetch only what they need.
func (b *Blobs) Open(ctx context.Context, key string) (media.Blob, error) {
	if !media.ValidKey(key) {
		return media.Blob{}, media.ErrNotFound
	}
	obj, err := b.client.GetObject(ctx, b.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return media.Blob{}, fmt.Errorf("s3: get %s: %w", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		if notFound(err) {
			return media.Blob{}, media.ErrNotFound
		}
		return media.Blob{}, fmt.Errorf("s3: stat %s: %w", key, err)
	}
	return media.Blob{ReadSeekCloser: obj, Size: st.Size, ModTime: st.LastModified}, nil
}

func notFound(err error) bool {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		return er.Code == "NoSuchKey" || er.StatusCode == 404
	}
	return false
}

// Delete implements media.Blobs.
func (b *Blobs) Delete(ctx context.Context, key string) error {
	if !media.ValidKey(key) {
		return fmt.Errorf("s3: invalid key %q", key)
	}
	if err := b.client.RemoveObject(ctx, b.bucket, key, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
		return fmt.Errorf("s3: delete %s: %w", key, err)
	}
	return nil
}

// Keys implements media.Blobs.
func (b *Blobs) Keys(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	for o := range b.client.ListObjects(ctx, b.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("s3: list: %w", o.Err)
		}
		keys = append(keys, o.Key)
	}
	return keys, nil
}

// URL implements media.Blobs: the public URL when configured, else "" (Herald proxies).
func (b *Blobs) URL(key string) string {
	if b.publicURL == "" {
		return ""
	}
	return b.publicURL + "/" + key
}
