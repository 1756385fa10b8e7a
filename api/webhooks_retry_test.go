package api_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/webhooks"
)

// TestWebhookReceiverDownThenUp: while the receiver answers 503 every delivery is retried;
// once it is up it receives every event once, each article's in the order they were written.
func TestWebhookReceiverDownThenUp(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := wire(t, testkit.URL(t, d), webhookEnv, &clock{now: time.Now().UTC()})
			startApp(t, a)
			rcv := newReceiver(t)
			var mu sync.Mutex
			down := true
			rcv.setAnswer(func(*hit, http.ResponseWriter) int {
				mu.Lock()
				defer mu.Unlock()
				if down {
					return http.StatusServiceUnavailable
				}
				return http.StatusOK
			})
			adm, _ := a.token(t, auth.RoleAdmin)
			ep := register(t, a, adm, map[string]any{"url": rcv.URL, "events": []string{"article.published", "article.updated"}})
			want := map[string][]string{} // article id -> slugs in write order
			for i := range 2 {
				art := publish(t, a, adm, newArticle(t, a, adm, fmt.Sprintf("Story %d", i)))
				want[art.ID] = append(want[art.ID], art.Translations[0].Slug)
				for j := range 2 {
					slug := fmt.Sprintf("story-%d-v%d", i, j+1)
					art = retitle(t, a, adm, art, fmt.Sprintf("Story %d v%d", i, j+1), slug)
					want[art.ID] = append(want[art.ID], slug)
				}
			}
			waitFor(t, 10*time.Second, "failed attempts while down", func() bool { return len(rcv.all()) >= 6 })
			if n := len(rcv.delivered()); n != 0 {
				t.Fatalf("%d deliveries succeeded while the receiver was down", n)
			}
			metrics := a.get("/metrics").Body.String()
			if !strings.Contains(metrics, "herald_webhooks_queue_depth 6\n") || !strings.Contains(metrics, `herald_webhooks_attempts_total{outcome="retry"}`) ||
				strings.Contains(metrics, "herald_webhooks_oldest_pending_seconds 0\n") {
				t.Errorf("/metrics while the receiver is down:\n%s", grepLines(metrics, "herald_webhooks"))
			}
			mu.Lock()
			down = false
			mu.Unlock()
			waitFor(t, 20*time.Second, "six deliveries after the receiver came up", func() bool { return len(rcv.delivered()) >= 6 })
			time.Sleep(500 * time.Millisecond)
			got := map[string][]string{}
			seen := map[string]int{}
			for _, h := range rcv.delivered() {
				verify(t, ep.Secret, h)
				seen[h.id]++
				got[h.payload.Data.ID] = append(got[h.payload.Data.ID], h.payload.Data.Locales[0].Slug)
			}
			dups := 0
			for _, n := range seen {
				dups += n - 1
			}
			t.Logf("%s: %d requests, %d delivered, %d distinct, %d duplicates", d, len(rcv.all()), len(rcv.delivered()), len(seen), dups)
			if dups != 0 || len(seen) != 6 {
				t.Errorf("%d distinct deliveries with %d duplicates, want 6 and 0", len(seen), dups)
			}
			for id, slugs := range want {
				if fmt.Sprint(got[id]) != fmt.Sprint(slugs) {
					t.Errorf("article %s: received %v, want %v (write order)", id, got[id], slugs)
				}
			}
			log := decode[api.WebhookDeliveryList](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+ep.ID.String()+"/deliveries", nil, bearer(adm)), http.StatusOK)
			retried := 0
			for _, dl := range log.Data {
				if dl.State != "succeeded" {
					t.Errorf("delivery %s is %s", dl.ID, dl.State)
				}
				if dl.Attempts > 1 {
					retried++
					if dl.Log[0].Status != 503 || dl.Log[0].Error != "HTTP 503" {
						t.Errorf("first attempt %+v, want the 503", dl.Log[0])
					}
				}
			}
			if retried == 0 {
				t.Error("no delivery shows a retried attempt in the log")
			}
		})
	}
}

// TestWebhookRetryRules: a 4xx other than 429 is final (one attempt); a 429's Retry-After is
// waited for; a delivery still failing after the retry window is given up; an endpoint failing
// for the disable window is disabled with the reason, and enabling it and redelivering sends
// the same webhook-id again.
func TestWebhookRetryRules(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			env := envWith(webhookEnv, "HERALD_WEBHOOK_RETRY_FOR", "600ms", "HERALD_WEBHOOK_DISABLE_AFTER", "1s")
			a := wire(t, testkit.URL(t, d), env, &clock{now: time.Now().UTC()})
			startApp(t, a)
			rcv := newReceiver(t)
			var mu sync.Mutex
			busyHits, brokenOK := 0, false
			paths := map[string]func(w http.ResponseWriter) int{
				"/gone": func(http.ResponseWriter) int { return http.StatusGone },
				"/busy": func(w http.ResponseWriter) int {
					busyHits++
					if busyHits == 1 {
						w.Header().Set("Retry-After", "1")
						return http.StatusTooManyRequests
					}
					return http.StatusOK
				},
				"/broken": func(http.ResponseWriter) int {
					if brokenOK {
						return http.StatusOK
					}
					return http.StatusInternalServerError
				},
			}
			rcv.setAnswer(func(h *hit, w http.ResponseWriter) int {
				mu.Lock()
				defer mu.Unlock()
				return paths[h.path](w)
			})
			adm, _ := a.token(t, auth.RoleAdmin)
			ev := []string{"article.published"}
			gone := register(t, a, adm, map[string]any{"url": rcv.URL + "/gone", "events": ev})
			busy := register(t, a, adm, map[string]any{"url": rcv.URL + "/busy", "events": ev})
			broken := register(t, a, adm, map[string]any{"url": rcv.URL + "/broken", "events": ev})
			publish(t, a, adm, newArticle(t, a, adm, "Retry rules"))
			deliveries := func(id uuid.UUID) []api.WebhookDeliveryDTO {
				return decode[api.WebhookDeliveryList](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+id.String()+"/deliveries", nil, bearer(adm)), http.StatusOK).Data
			}
			// Past the retry window the delivery is given up; the endpoint, failing for less
			// than the disable window, stays enabled and takes the next event.
			waitFor(t, 10*time.Second, "the broken delivery to be given up", func() bool { return deliveries(broken.ID)[0].State == "failed" })
			if bd := deliveries(broken.ID)[0]; !strings.Contains(bd.LastError, "gave up after") || bd.Attempts < 2 {
				t.Errorf("given-up delivery %+v", bd)
			}
			publish(t, a, adm, newArticle(t, a, adm, "Retry rules, second"))

			byPath := func(p string) []hit {
				var out []hit
				for _, h := range rcv.all() {
					if h.path == p {
						out = append(out, h)
					}
				}
				return out
			}
			firstBusy := func() []hit {
				var out []hit
				for _, h := range byPath("/busy") {
					if h.id == byPath("/busy")[0].id {
						out = append(out, h)
					}
				}
				return out
			}
			waitFor(t, 10*time.Second, "the 429 to be retried", func() bool { return len(firstBusy()) >= 2 })
			b := firstBusy()
			if gap := b[1].at.Sub(b[0].at); gap < 900*time.Millisecond {
				t.Errorf("retried %s after a 429 with Retry-After: 1, want about 1s", gap)
			}
			if b[0].status != 429 || b[1].status != 200 {
				t.Errorf("busy answers %d then %d, want 429 then 200", b[0].status, b[1].status)
			}
			waitFor(t, 10*time.Second, "the broken endpoint to be disabled", func() bool {
				e := decode[api.WebhookDTO](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+broken.ID.String(), nil, bearer(adm)), http.StatusOK)
				return !e.Enabled
			})
			e := decode[api.WebhookDTO](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+broken.ID.String(), nil, bearer(adm)), http.StatusOK)
			if !strings.Contains(e.DisabledReason, "HTTP 500") || e.DisabledAt == nil || e.FailingSince == nil {
				t.Errorf("disabled endpoint %+v: want the reason naming HTTP 500", e)
			}
			// The second article's 410 waits its turn behind the retries: on a loaded machine
			// it was still pending when the broken endpoint was disabled.
			waitFor(t, 10*time.Second, "both 410 deliveries to end", func() bool {
				g := deliveries(gone.ID)
				return len(g) == 2 && g[0].State != "pending" && g[1].State != "pending"
			})
			if n := len(byPath("/gone")); n != 2 {
				t.Errorf("two 410 deliveries were tried %d times, want once each", n)
			}
			if g := deliveries(gone.ID); len(g) != 2 || g[0].State != "failed" || g[0].Attempts != 1 || g[0].LastStatus != 410 {
				t.Errorf("410 delivery %+v, want failed after one attempt", g)
			}
			if g := deliveries(busy.ID); len(g) != 2 || g[1].State != "succeeded" || g[1].Attempts != 2 {
				t.Errorf("429 delivery %+v, want succeeded on the second attempt", g)
			}
			waitFor(t, 10*time.Second, "the second broken delivery to end", func() bool { return deliveries(broken.ID)[0].State == "failed" })
			bd := deliveries(broken.ID)[0]
			t.Logf("%s: broken delivery after %d attempts: %s", d, bd.Attempts, bd.LastError)

			// Enabled again, the failed delivery is sent again with its id.
			mu.Lock()
			brokenOK = true
			mu.Unlock()
			e = decode[api.WebhookDTO](t, a.send(http.MethodPatch, "/api/v1/admin/webhooks/"+broken.ID.String(), map[string]any{"enabled": true}, bearer(adm)), http.StatusOK)
			if !e.Enabled || e.DisabledReason != "" {
				t.Errorf("re-enabled endpoint %+v", e)
			}
			decode[api.WebhookDeliveryDTO](t, a.send(http.MethodPost, "/api/v1/admin/webhooks/"+broken.ID.String()+"/deliveries/"+bd.ID+"/redeliver", nil, bearer(adm)), http.StatusAccepted)
			waitFor(t, 10*time.Second, "the redelivery", func() bool {
				for _, h := range byPath("/broken") {
					if h.status == 200 && h.id == bd.ID {
						return true
					}
				}
				return false
			})
			waitFor(t, 5*time.Second, "the redelivery to be logged", func() bool { return deliveries(broken.ID)[0].State == "succeeded" })
			problem(t, a.send(http.MethodPost, "/api/v1/admin/webhooks/"+broken.ID.String()+"/deliveries/"+bd.ID+"x/redeliver", nil, bearer(adm)), http.StatusNotFound)
			problem(t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+gone.ID.String()+"/deliveries/"+bd.ID, nil, bearer(adm)), http.StatusNotFound)
		})
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func osHostname() (string, error) { return os.Hostname() }

// resolvesToLoopback reports whether every address host resolves to is a loopback one.
func resolvesToLoopback(host string) bool {
	addrs, err := net.LookupHost(host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			return false
		}
	}
	return true
}

// TestWebhookAddressGuard: without HERALD_WEBHOOK_ALLOW_PRIVATE, registration refuses
// internal targets and bad URLs with problems naming the field, and a name that resolves to
// loopback is refused when connecting: the receiver gets nothing.
func TestWebhookAddressGuard(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			env := envWith(webhookEnv, "HERALD_WEBHOOK_ALLOW_PRIVATE", "false")
			a := wire(t, testkit.URL(t, d), env, &clock{now: time.Now().UTC()})
			rcv := newReceiver(t)
			adm, _ := a.token(t, auth.RoleAdmin)
			_, port, _ := net.SplitHostPort(strings.TrimPrefix(rcv.URL, "http://"))
			for _, tc := range []struct{ url, field string }{
				{rcv.URL, "url"},
				{"http://[::1]:" + port + "/", "url"},
				{"http://169.254.169.254/latest/meta-data", "url"},
				{"http://[fd00:ec2::254]/", "url"},
				{"http://10.1.2.3/hook", "url"},
				{"http://100.64.0.1/hook", "url"},
				{"http://0.0.0.0:" + port, "url"},
				{"http://localhost:" + port, "url"},
				{"ftp://example.com/hook", "url"},
				{"https://user:pw@example.com/hook", "url"},
				{"not a url", "url"},
				{"", "url"},
				{"https://example.com/" + strings.Repeat("a", webhooks.MaxURLLen), "url"},
			} {
				p := problem(t, a.send(http.MethodPost, "/api/v1/admin/webhooks", map[string]any{"url": tc.url, "events": []string{"article.published"}}, bearer(adm)), http.StatusBadRequest)
				if len(p.Errors) == 0 || p.Errors[0].Field != tc.field {
					t.Errorf("%q: problem %+v, want one naming %s", tc.url, p, tc.field)
				}
			}
			for _, body := range []map[string]any{
				{"url": "https://example.com/hook", "events": []string{"article.exploded"}},
				{"url": "https://example.com/hook", "events": []string{}},
				{"url": "https://example.com/hook", "events": []string{"article.published"}, "locales": []string{"xx"}},
				{"url": "https://example.com/hook", "events": []string{"article.published"}, "description": strings.Repeat("d", webhooks.MaxDescriptionLen+1)},
			} {
				p := problem(t, a.send(http.MethodPost, "/api/v1/admin/webhooks", body, bearer(adm)), http.StatusBadRequest)
				if len(p.Errors) == 0 {
					t.Errorf("%v: problem without fields %+v", body, p)
				}
			}
			// A name that resolves to 127.0.0.1 passes registration's literal check (as a name
			// whose DNS changes after registration would); the connection is refused.
			ws := store.NewWebhooks(a.db)
			id := uuid.New()
			now := time.Now().UTC()
			if err := ws.CreateEndpoint(context.Background(), webhooks.Endpoint{ID: id, URL: "http://localhost:" + port + "/",
				Events: []string{"article.published"}, Secret: webhooks.NewSecret(), Enabled: true, CreatedAt: now, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
			ping := decode[api.WebhookDeliveryDTO](t, a.send(http.MethodPost, "/api/v1/admin/webhooks/"+id.String()+"/ping", nil, bearer(adm)), http.StatusOK)
			if ping.State != "failed" || len(ping.Log) != 1 || !strings.Contains(ping.Log[0].Error, "private") {
				t.Errorf("ping to localhost: %+v, want refused", ping)
			}
			// The machine's own name, through the Admin API, when it resolves to loopback.
			if host, err := osHostname(); err == nil && resolvesToLoopback(host) {
				ep := register(t, a, adm, map[string]any{"url": "http://" + net.JoinHostPort(host, port) + "/", "events": []string{"article.published"}})
				ping := decode[api.WebhookDeliveryDTO](t, a.send(http.MethodPost, "/api/v1/admin/webhooks/"+ep.ID.String()+"/ping", nil, bearer(adm)), http.StatusOK)
				if ping.State != "failed" || !strings.Contains(ping.Log[0].Error, "private") {
					t.Errorf("ping to %s: %+v, want refused", host, ping)
				}
			}
			if n := len(rcv.all()); n != 0 {
				t.Errorf("the receiver on loopback got %d requests", n)
			}
		})
	}
}

// TestWebhookLimits: the endpoint count, the log's page size and redelivering a pending
// delivery are refused with problems.
func TestWebhookLimits(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			// No queue runs: deliveries stay pending.
			a := wire(t, testkit.URL(t, d), webhookEnv, &clock{now: time.Now().UTC()})
			adm, _ := a.token(t, auth.RoleAdmin)
			var first api.WebhookWithSecretDTO
			for i := range webhooks.MaxEndpoints {
				ep := register(t, a, adm, map[string]any{"url": fmt.Sprintf("https://hooks.example/%d", i), "events": []string{"article.published"}})
				if i == 0 {
					first = ep
				}
			}
			problem(t, a.send(http.MethodPost, "/api/v1/admin/webhooks", map[string]any{"url": "https://hooks.example/one-too-many",
				"events": []string{"article.published"}}, bearer(adm)), http.StatusConflict)
			list := decode[api.WebhookList](t, a.send(http.MethodGet, "/api/v1/admin/webhooks", nil, bearer(adm)), http.StatusOK)
			if len(list.Data) != webhooks.MaxEndpoints || strings.Contains(webhookJSON(list), "whsec_") {
				t.Errorf("list has %d endpoints (or shows secrets)", len(list.Data))
			}
			base := "/api/v1/admin/webhooks/" + first.ID.String()
			p := problem(t, a.send(http.MethodGet, base+"/deliveries?per_page=101", nil, bearer(adm)), http.StatusBadRequest)
			if len(p.Errors) == 0 || p.Errors[0].Field != "per_page" {
				t.Errorf("per_page=101: %+v", p)
			}
			publish(t, a, adm, newArticle(t, a, adm, "Pending"))
			log := decode[api.WebhookDeliveryList](t, a.send(http.MethodGet, base+"/deliveries", nil, bearer(adm)), http.StatusOK)
			if len(log.Data) != 1 || log.Data[0].State != "pending" {
				t.Fatalf("log %+v, want one pending delivery", log.Data)
			}
			problem(t, a.send(http.MethodPost, base+"/deliveries/"+log.Data[0].ID+"/redeliver", nil, bearer(adm)), http.StatusConflict)
			// Rotating the secret shows a new one once; deleting takes the log with it.
			rot := decode[api.WebhookWithSecretDTO](t, a.send(http.MethodPost, base+"/secret", nil, bearer(adm)), http.StatusOK)
			if rot.Secret == first.Secret || !strings.HasPrefix(rot.Secret, "whsec_") {
				t.Errorf("rotated secret %q (was %q)", rot.Secret, first.Secret)
			}
			if rec := a.send(http.MethodDelete, base, nil, bearer(adm)); rec.Code != http.StatusNoContent {
				t.Fatalf("delete: %d", rec.Code)
			}
			problem(t, a.send(http.MethodGet, base+"/deliveries", nil, bearer(adm)), http.StatusNotFound)
			problem(t, a.send(http.MethodGet, "/api/v1/admin/webhooks/not-a-uuid", nil, bearer(adm)), http.StatusNotFound)
		})
	}
}
