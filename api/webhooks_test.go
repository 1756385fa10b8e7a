package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/webhooks"
)

// webhookEnv is the configuration of apps that deliver to test receivers on loopback: private
// targets allowed, retries in tens of milliseconds.
var webhookEnv = map[string]string{
	"HERALD_WEBHOOK_ALLOW_PRIVATE": "true",
	"HERALD_WEBHOOK_TIMEOUT":       "2s",
	"HERALD_WEBHOOK_RETRY_BASE":    "50ms",
	"HERALD_WEBHOOK_RETRY_MAX":     "200ms",
	"HERALD_WEBHOOK_POLL_INTERVAL": "50ms",
	"HERALD_WEBHOOK_RESCUE_AFTER":  "1s",
}

func envWith(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// hit is one request a receiver got.
type hit struct {
	id, ts, sig string
	path        string
	at          time.Time
	body        []byte
	header      http.Header
	status      int
	payload     struct {
		Type string              `json:"type"`
		Data webhooks.EntityData `json:"data"`
	}
}

// receiver is a real HTTP server on loopback that records every request and answers with
// what answer says (200 when nil).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	hits   []hit
	answer func(h *hit, w http.ResponseWriter) int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		h := hit{path: req.URL.Path, at: time.Now(), id: req.Header.Get("webhook-id"), ts: req.Header.Get("webhook-timestamp"),
			sig: req.Header.Get("webhook-signature"), body: body, header: req.Header.Clone()}
		_ = json.Unmarshal(body, &h.payload)
		r.mu.Lock()
		answer := r.answer
		r.mu.Unlock()
		h.status = http.StatusOK
		if answer != nil {
			h.status = answer(&h, w)
		}
		r.mu.Lock()
		r.hits = append(r.hits, h)
		r.mu.Unlock()
		if h.status != 0 {
			w.WriteHeader(h.status)
			_, _ = w.Write([]byte(`{"ok":` + map[bool]string{true: "true", false: "false"}[h.status < 300] + `}`))
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) setAnswer(fn func(h *hit, w http.ResponseWriter) int) {
	r.mu.Lock()
	r.answer = fn
	r.mu.Unlock()
}

// delivered are the 2xx-answered requests, in arrival order.
func (r *receiver) delivered() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []hit
	for _, h := range r.hits {
		if h.status >= 200 && h.status < 300 {
			out = append(out, h)
		}
	}
	return out
}

func (r *receiver) all() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startApp runs a's background work (the delivery queue among it) until the test ends.
func startApp(t *testing.T, a *testApp) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.app.Start(ctx, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = a.app.Close(5 * time.Second)
		cancel()
	})
}

// register creates an endpoint through the Admin API and returns it with its secret.
func register(t *testing.T, a *testApp, adminTok string, body map[string]any) api.WebhookWithSecretDTO {
	t.Helper()
	return decode[api.WebhookWithSecretDTO](t, a.send(http.MethodPost, "/api/v1/admin/webhooks", body, bearer(adminTok)), http.StatusCreated)
}

// newArticle creates an English draft through the Admin API.
func newArticle(t *testing.T, a *testApp, tok, title string) api.AdminArticleDTO {
	t.Helper()
	return decode[api.AdminArticleDTO](t, a.send(http.MethodPost, adminArticles, map[string]any{
		"translations": []map[string]string{{"locale": "en", "title": title}}}, bearer(tok)), http.StatusCreated)
}

func publish(t *testing.T, a *testApp, tok string, art api.AdminArticleDTO) api.AdminArticleDTO {
	t.Helper()
	return decode[api.AdminArticleDTO](t, a.send(http.MethodPost, adminArticles+"/"+art.ID+"/publish", nil, bearer(tok), ifMatch(art.Version)), http.StatusOK)
}

func retitle(t *testing.T, a *testApp, tok string, art api.AdminArticleDTO, title, slug string) api.AdminArticleDTO {
	t.Helper()
	tr := map[string]any{"locale": "en", "title": title}
	if slug != "" {
		tr["slug"] = slug
	}
	return decode[api.AdminArticleDTO](t, a.send(http.MethodPatch, adminArticles+"/"+art.ID, map[string]any{
		"translations": []map[string]any{tr}}, bearer(tok), ifMatch(art.Version)), http.StatusOK)
}

// verify checks h with the Standard Webhooks library's verifier.
func verify(t *testing.T, secret string, h hit) {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(h.body, h.header); err != nil {
		t.Errorf("delivery %s: the Standard Webhooks verifier refuses it: %v", h.id, err)
	}
}

// TestWebhookDeliveriesSigned: publishing, editing (with a new slug) and unpublishing an
// article send three signed deliveries, in order, that the Standard Webhooks verifier accepts;
// a draft's edits send nothing; the log shows each with its attempt.
func TestWebhookDeliveriesSigned(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			// The frontend path seam (permalink settings): paths with the publication year.
			paths := app.WithWebhookConfig(func(c *webhooks.Config) {
				c.Paths = func(l webhooks.Link) string {
					return fmt.Sprintf("/%s/%d/%s", l.Locale, l.Published.Year(), l.Slug)
				}
			})
			a := wire(t, testkit.URL(t, d), webhookEnv, &clock{now: time.Now().UTC()}, paths)
			startApp(t, a)
			rcv := newReceiver(t)
			adm, _ := a.token(t, auth.RoleAdmin)
			ep := register(t, a, adm, map[string]any{"url": rcv.URL + "/hook", "description": "frontend",
				"events": []string{"article.published", "article.updated", "article.unpublished", "article.deleted"}})
			if !strings.HasPrefix(ep.Secret, "whsec_") || !ep.Enabled {
				t.Fatalf("endpoint %+v", ep)
			}
			if got := decode[api.WebhookDTO](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+ep.ID.String(), nil, bearer(adm)), http.StatusOK); strings.Contains(webhookJSON(got), "whsec_") {
				t.Errorf("GET shows the secret again: %+v", got)
			}

			// An endpoint for Azerbaijani only hears nothing of an English article.
			rcvAz := newReceiver(t)
			register(t, a, adm, map[string]any{"url": rcvAz.URL, "locales": []string{"az"},
				"events": []string{"article.published", "article.updated", "article.unpublished"}})

			art := newArticle(t, a, adm, "First headline")
			art = retitle(t, a, adm, art, "Draft edit", "") // a draft: nothing public changed
			art = publish(t, a, adm, art)
			oldSlug := art.Translations[0].Slug
			art = retitle(t, a, adm, art, "Second headline", "second-headline")
			decode[api.AdminArticleDTO](t, a.send(http.MethodPost, adminArticles+"/"+art.ID+"/unpublish", nil, bearer(adm), ifMatch(art.Version)), http.StatusOK)

			waitFor(t, 15*time.Second, "three deliveries", func() bool { return len(rcv.delivered()) >= 3 })
			time.Sleep(300 * time.Millisecond)
			got := rcv.delivered()
			want := []string{"article.published", "article.updated", "article.unpublished"}
			if len(got) != len(want) {
				t.Fatalf("got %d deliveries, want %d", len(got), len(want))
			}
			for i, h := range got {
				verify(t, ep.Secret, h)
				if h.payload.Type != want[i] || h.payload.Data.ID != art.ID || h.payload.Data.Entity != "article" {
					t.Errorf("delivery %d: %s %+v, want %s of %s", i, h.payload.Type, h.payload.Data, want[i], art.ID)
				}
			}
			upd := got[1].payload.Data.Locales
			if len(upd) != 1 || upd[0].Locale != "en" || upd[0].Slug != "second-headline" || upd[0].OldSlug != oldSlug {
				t.Errorf("update locales %+v, want en second-headline (old %s)", upd, oldSlug)
			}
			year := time.Now().UTC().Year()
			if len(upd) == 1 && (upd[0].Path != fmt.Sprintf("/en/%d/second-headline", year) || upd[0].OldPath != fmt.Sprintf("/en/%d/%s", year, oldSlug)) {
				t.Errorf("update paths %q, %q", upd[0].Path, upd[0].OldPath)
			}
			if n := len(rcvAz.all()); n != 0 {
				t.Errorf("the az-only endpoint got %d deliveries of an English article", n)
			}
			metrics := a.get("/metrics").Body.String()
			for _, line := range []string{`herald_webhooks_attempts_total{outcome="succeeded"} 3`, "herald_webhooks_queue_depth 0", "herald_webhooks_oldest_pending_seconds 0"} {
				if !strings.Contains(metrics, line+"\n") {
					t.Errorf("/metrics lacks %q", line)
				}
			}
			// A verifier with another secret refuses.
			other, _ := standardwebhooks.NewWebhook(webhooks.NewSecret())
			if other.Verify(got[0].body, got[0].header) == nil {
				t.Error("a delivery verifies with a foreign secret")
			}

			log := decode[api.WebhookDeliveryList](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+ep.ID.String()+"/deliveries?per_page=2", nil, bearer(adm)), http.StatusOK)
			if *log.Meta.Total != 3 || len(log.Data) != 2 || log.Data[0].Event != "article.unpublished" {
				t.Fatalf("log %+v", log)
			}
			for _, dl := range log.Data {
				if dl.State != "succeeded" || dl.Attempts != 1 || len(dl.Log) != 1 || dl.Log[0].Status != 200 || dl.Log[0].Response != `{"ok":true}` {
					t.Errorf("log entry %+v", dl)
				}
			}
			page2 := decode[api.WebhookDeliveryList](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+ep.ID.String()+"/deliveries?per_page=2&page=2", nil, bearer(adm)), http.StatusOK)
			if len(page2.Data) != 1 || page2.Data[0].ID != got[0].id {
				t.Errorf("page 2 %+v, want the first delivery %s", page2.Data, got[0].id)
			}
		})
	}
}

func webhookJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestWebhookRolledBackWriteSendsNothing: a write that fails after its deliveries were
// queued in its transaction rolls them back with it; the next write is delivered.
func TestWebhookRolledBackWriteSendsNothing(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := wire(t, testkit.URL(t, d), webhookEnv, &clock{now: time.Now().UTC()})
			var fail sync.Mutex
			failing := false
			// Registered after the webhook hook: it runs once the deliveries are queued.
			a.app.Changes.OnWrite(func(ctx context.Context, cs []changes.Change) error {
				fail.Lock()
				defer fail.Unlock()
				if failing {
					return errors.New("the write fails after queuing its deliveries")
				}
				return nil
			})
			startApp(t, a)
			rcv := newReceiver(t)
			adm, admID := a.token(t, auth.RoleAdmin)
			ep := register(t, a, adm, map[string]any{"url": rcv.URL, "events": []string{"article.published"}})
			art := newArticle(t, a, adm, "Rolled back")
			fail.Lock()
			failing = true
			fail.Unlock()
			if rec := a.send(http.MethodPost, adminArticles+"/"+art.ID+"/publish", nil, bearer(adm), ifMatch(art.Version)); rec.Code != http.StatusInternalServerError {
				t.Fatalf("publish: %d, want 500", rec.Code)
			}
			fail.Lock()
			failing = false
			fail.Unlock()
			other := publish(t, a, adm, newArticle(t, a, adm, "Committed"))
			waitFor(t, 10*time.Second, "the committed write's delivery", func() bool { return len(rcv.delivered()) >= 1 })
			time.Sleep(500 * time.Millisecond)
			got := rcv.all()
			if len(got) != 1 || got[0].payload.Data.ID != other.ID {
				t.Fatalf("receiver got %d requests (first %+v), want only the committed article %s", len(got), got[0].payload.Data, other.ID)
			}
			// A quiet write (an import with --quiet-events) is recorded but sends nothing.
			quiet := newArticle(t, a, adm, "Imported quietly")
			aid, _ := uuid.Parse(quiet.ID)
			if _, err := a.app.Content.Publish(changes.WithQuietEvents(context.Background()), content.Actor{UserID: admID, Editor: true}, aid, quiet.Version, nil); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			if n := len(rcv.all()); n != 1 {
				t.Errorf("receiver got %d requests after a quiet publication, want still 1", n)
			}
			log := decode[api.WebhookDeliveryList](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+ep.ID.String()+"/deliveries", nil, bearer(adm)), http.StatusOK)
			if *log.Meta.Total != 1 {
				t.Errorf("the log has %d deliveries, want 1", *log.Meta.Total)
			}
		})
	}
}

// TestWebhookTaxonomyAndSettingsEvents: categories, tags and settings send their events to
// the endpoints subscribed with taxonomy.* and settings.updated, with locales and slugs.
func TestWebhookTaxonomyAndSettingsEvents(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := wire(t, testkit.URL(t, d), webhookEnv, &clock{now: time.Now().UTC()})
			startApp(t, a)
			rcv := newReceiver(t)
			adm, _ := a.token(t, auth.RoleAdmin)
			ep := register(t, a, adm, map[string]any{"url": rcv.URL, "events": []string{"taxonomy.*", "settings.updated"}})
			cat := decode[api.AdminCategoryDTO](t, a.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{
				Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Youth"}}}, bearer(adm)), http.StatusCreated)
			name := "Herald Daily"
			decode[api.SettingsList](t, a.send(http.MethodPut, "/api/v1/admin/settings", api.PutSettingsRequest{Locale: "en",
				Settings: map[string]*string{"site_name": &name}}, bearer(adm)), http.StatusOK)
			if rec := a.send(http.MethodDelete, "/api/v1/admin/categories/"+cat.ID, nil, bearer(adm)); rec.Code != http.StatusNoContent {
				t.Fatalf("delete category: %d %s", rec.Code, rec.Body.String())
			}
			publish(t, a, adm, newArticle(t, a, adm, "Not subscribed")) // article events are not asked for
			waitFor(t, 10*time.Second, "three deliveries", func() bool { return len(rcv.delivered()) >= 3 })
			time.Sleep(300 * time.Millisecond)
			got := rcv.delivered()
			if len(got) != 3 {
				t.Fatalf("%d deliveries, want 3", len(got))
			}
			types := map[string]webhooks.EntityData{}
			for _, h := range got {
				verify(t, ep.Secret, h)
				types[h.payload.Type] = h.payload.Data
			}
			if c := types["taxonomy.updated"]; c.Entity != "category" || c.ID != cat.ID || len(c.Locales) != 1 || c.Locales[0].Slug != "youth" {
				t.Errorf("taxonomy.updated %+v", c)
			}
			if c := types["taxonomy.deleted"]; c.Entity != "category" || c.ID != cat.ID {
				t.Errorf("taxonomy.deleted %+v", c)
			}
			if s := types["settings.updated"]; s.Entity != "settings" || s.ID != "en" {
				t.Errorf("settings.updated %+v", s)
			}
			// The test ping goes out at once, signed, and is logged.
			ping := decode[api.WebhookDeliveryDTO](t, a.send(http.MethodPost, "/api/v1/admin/webhooks/"+ep.ID.String()+"/ping", nil, bearer(adm)), http.StatusOK)
			last := rcv.all()[len(rcv.all())-1]
			if ping.State != "succeeded" || ping.Event != "webhook.ping" || len(ping.Log) != 1 || ping.Log[0].Status != 200 || last.id != ping.ID {
				t.Errorf("ping %+v (receiver last got %s)", ping, last.id)
			}
			verify(t, ep.Secret, last)
			logged := decode[api.WebhookDeliveryDTO](t, a.send(http.MethodGet, "/api/v1/admin/webhooks/"+ep.ID.String()+"/deliveries/"+ping.ID, nil, bearer(adm)), http.StatusOK)
			if logged.State != "succeeded" || logged.Attempts != 1 {
				t.Errorf("logged ping %+v", logged)
			}
		})
	}
}
