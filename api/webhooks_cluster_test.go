package api_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestWebhookDeliveredAfterCrash: an instance dies while its delivery is in flight (its
// database connections gone, its queue stopped without finishing the job); another started
// later on the same database takes the job over and delivers it, with the same webhook-id.
func TestWebhookDeliveredAfterCrash(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			dbURL := testkit.URL(t, d)
			env := envWith(webhookEnv, "HERALD_WEBHOOK_TIMEOUT", "1s")
			clk := &clock{now: time.Now().UTC()}
			first := wire(t, dbURL, env, clk)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := first.app.Start(ctx, 5*time.Second); err != nil {
				t.Fatal(err)
			}
			rcv := newReceiver(t)
			arrived := make(chan string, 1)
			var once sync.Once
			rcv.setAnswer(func(h *hit, w http.ResponseWriter) int {
				stuck := false
				once.Do(func() { stuck = true })
				if !stuck {
					return http.StatusOK
				}
				arrived <- h.id
				time.Sleep(1500 * time.Millisecond) // the sender is gone before this answer
				return http.StatusServiceUnavailable
			})
			adm, _ := first.token(t, auth.RoleAdmin)
			register(t, first, adm, map[string]any{"url": rcv.URL, "events": []string{"article.published"}})
			publish(t, first, adm, newArticle(t, first, adm, "Crash"))
			var id string
			select {
			case id = <-arrived:
			case <-time.After(10 * time.Second):
				t.Fatal("the first instance never sent the delivery")
			}
			// The crash: the database goes away under the worker, then its queue stops
			// without waiting; nothing it does after this reaches the database.
			_ = first.db.Close()
			stopCtx, stop := context.WithTimeout(context.Background(), 3*time.Second)
			_ = first.app.Webhooks.Stop(stopCtx)
			stop()
			cancel()
			// A restart after the rescue window: the job is still claimed by the dead instance.
			time.Sleep(4 * time.Second)
			second := wire(t, dbURL, env, clk)
			startApp(t, second)
			waitFor(t, 60*time.Second, "the delivery after the restart", func() bool {
				for _, h := range rcv.delivered() {
					if h.id == id {
						return true
					}
				}
				return false
			})
			t.Logf("%s: %d requests; the crashed delivery %s arrived after the restart", d, len(rcv.all()), id)
		})
	}
}

// TestWebhookThreeInstances: three instances on one PostgreSQL, each working the queue,
// deliver each event once: the duplicates are counted and must be zero.
func TestWebhookThreeInstances(t *testing.T) {
	dbURL := testkit.URL(t, "postgres")
	clk := &clock{now: time.Now().UTC()}
	var apps []*testApp
	for range 3 {
		a := wire(t, dbURL, webhookEnv, clk)
		startApp(t, a)
		apps = append(apps, a)
	}
	rcv := newReceiver(t)
	adm, _ := apps[0].token(t, auth.RoleAdmin)
	ep := register(t, apps[0], adm, map[string]any{"url": rcv.URL, "events": []string{"article.published", "article.updated"}})
	const n = 30
	for i := range n {
		a := apps[i%3]
		art := publish(t, a, adm, newArticle(t, a, adm, fmt.Sprintf("Cluster %d", i)))
		if i%2 == 0 {
			retitle(t, a, adm, art, fmt.Sprintf("Cluster %d, updated", i), "")
		}
	}
	want := n + n/2
	waitFor(t, 60*time.Second, "every delivery", func() bool { return len(rcv.delivered()) >= want })
	time.Sleep(time.Second) // room for a duplicate to show up
	seen := map[string]int{}
	for _, h := range rcv.delivered() {
		verify(t, ep.Secret, h)
		seen[h.id]++
	}
	dups := 0
	for _, c := range seen {
		dups += c - 1
	}
	t.Logf("three instances: %d events, %d requests, %d distinct deliveries, duplicates: %d", want, len(rcv.all()), len(seen), dups)
	if len(seen) != want || dups != 0 {
		t.Errorf("%d distinct deliveries with %d duplicates, want %d and 0", len(seen), dups, want)
	}
}

// TestWebhookScheduledPublicationFiresOnce: an article scheduled for later sends nothing when
// scheduled and one article.published when its time comes, with several instances looking
// for due publications.
func TestWebhookScheduledPublicationFiresOnce(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			dbURL := testkit.URL(t, d)
			clk := &clock{now: time.Now().UTC()}
			var apps []*testApp
			for range 3 {
				a := wire(t, dbURL, webhookEnv, clk)
				startApp(t, a)
				apps = append(apps, a)
			}
			rcv := newReceiver(t)
			adm, _ := apps[0].token(t, auth.RoleAdmin)
			register(t, apps[0], adm, map[string]any{"url": rcv.URL, "events": []string{"article.published", "article.updated"}})
			art := newArticle(t, apps[0], adm, "Later")
			at := clk.Now().Add(time.Hour)
			art = decode[api.AdminArticleDTO](t, apps[0].send(http.MethodPost, adminArticles+"/"+art.ID+"/publish",
				map[string]any{"published_at": at}, bearer(adm), ifMatch(art.Version)), http.StatusOK)
			retitle(t, apps[1], adm, art, "Later, edited while scheduled", "")
			time.Sleep(1500 * time.Millisecond)
			if n := len(rcv.all()); n != 0 {
				t.Fatalf("%d deliveries before the publication time", n)
			}
			clk.Set(at.Add(time.Second))
			waitFor(t, 15*time.Second, "the publication's delivery", func() bool { return len(rcv.delivered()) >= 1 })
			time.Sleep(2500 * time.Millisecond) // every instance looks for due publications each second
			got := rcv.all()
			if len(got) != 1 || got[0].payload.Type != "article.published" || got[0].payload.Data.ID != art.ID {
				t.Fatalf("%d deliveries (%+v), want one article.published of %s", len(got), got, art.ID)
			}
		})
	}
}
