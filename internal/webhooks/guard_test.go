package webhooks

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestBlocked(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "10.0.0.1": true, "172.16.5.4": true,
		"192.168.1.1": true, "169.254.169.254": true, "fd00:ec2::254": true, "fe80::1": true,
		"0.0.0.0": true, "::": true, "100.64.0.1": true, "224.0.0.1": true, "ff02::1": true,
		"255.255.255.255": true, "::ffff:127.0.0.1": true, "::ffff:10.0.0.1": true, "198.18.0.1": true,
		"93.184.216.34": false, "2606:2800:220:1:248:1893:25c8:1946": false, "8.8.8.8": false, "100.128.0.1": false,
	} {
		if got := Blocked(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Blocked(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestGuardedControlRefusesAtConnect(t *testing.T) {
	for _, a := range []string{"127.0.0.1:80", "[::1]:443", "169.254.169.254:80", "10.0.0.8:8080"} {
		if err := guardedControl("tcp", a, nil); err != ErrPrivateTarget {
			t.Errorf("%s: %v, want ErrPrivateTarget", a, err)
		}
	}
	if err := guardedControl("tcp", "93.184.216.34:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}

func TestNoRedirectFollowed(t *testing.T) {
	c := newHTTPClient(true)
	if err := c.CheckRedirect(nil, nil); err != http.ErrUseLastResponse {
		t.Errorf("CheckRedirect = %v, want ErrUseLastResponse", err)
	}
	if c.Transport.(*http.Transport).Proxy != nil {
		t.Error("deliveries must not go through an environment proxy")
	}
}

func TestBackoff(t *testing.T) {
	s := &Service{cfg: Config{RetryBase: time.Second, RetryMax: 10 * time.Second, RetryFor: time.Hour}}
	for n, max := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 30: 10 * time.Second} {
		for range 50 {
			if d := s.backoff(n, 0); d < max/2 || d > max {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", n, d, max/2, max)
			}
		}
	}
	if d := s.backoff(1, 90*time.Second); d != 90*time.Second {
		t.Errorf("Retry-After 90s gave %s", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{"": 0, "5": 5 * time.Second, "-3": 0, "soon": 0,
		now.Add(time.Minute).Format(http.TimeFormat): time.Minute, now.Add(-time.Minute).Format(http.TimeFormat): 0} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", MaxResponseExcerpt) // 2 bytes each
	got := excerpt([]byte(long))
	if len(got) > MaxResponseExcerpt || !strings.HasPrefix(long, got) || len(got) < MaxResponseExcerpt-1 {
		t.Errorf("excerpt is %d bytes, want a valid prefix of at most %d", len(got), MaxResponseExcerpt)
	}
	if got := excerpt([]byte("ok\xff")); got != "ok\uFFFD" {
		t.Errorf("excerpt of invalid UTF-8 = %q", got)
	}
}

func TestSubscribes(t *testing.T) {
	e := Endpoint{Events: []string{"article.published", "media.*"}}
	for ev, want := range map[string]bool{"article.published": true, "article.updated": false, "media.deleted": true,
		"mediax.deleted": false, "taxonomy.updated": false, PingEvent: true} {
		if got := e.Subscribes(ev); got != want {
			t.Errorf("Subscribes(%s) = %v, want %v", ev, got, want)
		}
	}
}

func TestForEndpointFiltersLocales(t *testing.T) {
	d := EntityData{Entity: "article", Locales: []LocaleData{{Locale: "az"}, {Locale: "en"}}}
	if got, ok := forEndpoint(d, []string{"en"}); !ok || len(got.Locales) != 1 || got.Locales[0].Locale != "en" {
		t.Errorf("en filter: %+v %v", got, ok)
	}
	if _, ok := forEndpoint(d, []string{"ru"}); ok {
		t.Error("an event of az and en reached a ru-only endpoint")
	}
	if _, ok := forEndpoint(EntityData{Entity: "media"}, []string{"ru"}); !ok {
		t.Error("an event without locales must reach every endpoint")
	}
}
