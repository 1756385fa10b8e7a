package config

import (
	"strings"
	"testing"
	"time"
)

func TestPreviewSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Previews{TTL: 24 * time.Hour, MaxTTL: 168 * time.Hour}); c.Previews != want {
		t.Errorf("defaults %+v, want %+v", c.Previews, want)
	}
	u := "https://news.example/api/draft?token={token}&slug={slug}"
	c, err = Load(env(map[string]string{"HERALD_PREVIEW_TTL": "1h", "HERALD_PREVIEW_MAX_TTL": "2h", "HERALD_PREVIEW_URL": u}))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Previews{TTL: time.Hour, MaxTTL: 2 * time.Hour, URL: u}); c.Previews != want {
		t.Errorf("set %+v, want %+v", c.Previews, want)
	}
	for _, bad := range []map[string]string{
		{"HERALD_PREVIEW_TTL": "59s"},
		{"HERALD_PREVIEW_TTL": "200h"}, // over the default maximum
		{"HERALD_PREVIEW_TTL": "soon"},
		{"HERALD_PREVIEW_MAX_TTL": "30s"},
		{"HERALD_PREVIEW_MAX_TTL": "8761h"},
		{"HERALD_PREVIEW_URL": "news.example/draft?token={token}"},
		{"HERALD_PREVIEW_URL": "ftp://news.example/{token}"},
		{"HERALD_PREVIEW_URL": "https://news.example/api/draft"}, // no {token}
	} {
		_, err := Load(env(bad))
		for name := range bad {
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%v: error %v", bad, err)
			}
		}
	}
}
