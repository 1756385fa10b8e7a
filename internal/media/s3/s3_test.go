package s3_test

import (
	"context"
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/media/mediatest"
	"github.com/heraldcms/herald/internal/media/s3"
)

// TestS3Blobs runs the storage suite through the real minio-go client against a real
// S3-protocol server on loopback.
func TestS3Blobs(t *testing.T) {
	mediatest.TestBlobs(t, mediatest.NewS3(t))
}

func TestS3Config(t *testing.T) {
	ctx := context.Background()
	cfg := mediatest.S3(t)
	missing := cfg
	missing.Bucket = "no-such-bucket"
	if _, err := s3.New(ctx, missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing bucket: %v", err)
	}
	if _, err := s3.New(ctx, s3.Config{Endpoint: "not a url", Bucket: "b"}); err == nil {
		t.Error("bad endpoint accepted")
	}
	cdn := cfg
	cdn.PublicURL = "https://cdn.example.com/media/"
	b, err := s3.New(ctx, cdn)
	if err != nil {
		t.Fatal(err)
	}
	key := mediatest.Key("thumb.jpg")
	if u := b.URL(key); u != "https://cdn.example.com/media/"+key {
		t.Errorf("URL %q", u)
	}
}
