package config

import (
	"strings"
	"testing"
)

func TestTrustedProxiesAndViewsRate(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 0 || c.ViewsPerMinute != 600 {
		t.Fatalf("defaults: proxies %v, views/min %d; want none and 600", c.TrustedProxies, c.ViewsPerMinute)
	}
	c, err = Load(env(map[string]string{"HERALD_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1,::1, fd00::/8", "HERALD_VIEWS_RATE_LIMIT": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range c.TrustedProxies {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 127.0.0.1/32 ::1/128 fd00::/8" || c.ViewsPerMinute != 0 {
		t.Fatalf("proxies %v, views/min %d", got, c.ViewsPerMinute)
	}
	for name, values := range map[string][]string{
		"HERALD_TRUSTED_PROXIES":  {"everyone", "10.0.0.0/33", "10.0.0.0/8,lb.internal"},
		"HERALD_VIEWS_RATE_LIMIT": {"lots", "-1", "10/s"},
	} {
		for _, v := range values {
			if _, err := Load(env(map[string]string{name: v})); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%s: error %v does not name the variable", name, v, err)
			}
		}
	}
}
