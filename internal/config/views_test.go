package config

import (
	"strings"
	"testing"
	"time"
)

func TestViewsSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ViewsFlushInterval != time.Second || c.ViewsDedupeWindow != 0 {
		t.Errorf("defaults: flush %v, dedupe %v; want 1s and off", c.ViewsFlushInterval, c.ViewsDedupeWindow)
	}
	c, err = Load(env(map[string]string{"HERALD_VIEWS_FLUSH_INTERVAL": "250ms", "HERALD_VIEWS_DEDUPE_WINDOW": "30m"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ViewsFlushInterval != 250*time.Millisecond || c.ViewsDedupeWindow != 30*time.Minute {
		t.Errorf("flush %v, dedupe %v", c.ViewsFlushInterval, c.ViewsDedupeWindow)
	}
	for name, values := range map[string][]string{
		"HERALD_VIEWS_FLUSH_INTERVAL": {"soon", "0s", "1ms", "-1s", "2h"},
		"HERALD_VIEWS_DEDUPE_WINDOW":  {"a while", "-1m", "25h"},
	} {
		for _, v := range values {
			_, err := Load(env(map[string]string{name: v}))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%s: error %v does not name the variable", name, v, err)
			}
		}
	}
}
