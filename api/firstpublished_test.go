package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestRepublishKeepsTheDate: unpublishing keeps the publication date and
// first_published_at; publishing again keeps the date unless the editor says "now"; a
// schedule cancelled before it fell due leaves no date.
func TestRepublishKeepsTheDate(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		start := app.clock.Now()
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Dated"}}}, ed), http.StatusCreated)
		path := adminArticles + "/" + a.ID
		step := func(action string, body any, v int) api.AdminArticleDTO {
			t.Helper()
			return decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/"+action, body, ed, ifMatch(v)), http.StatusOK)
		}
		a = step("publish", nil, a.Version)
		first := *a.PublishedAt
		if a.FirstPublishedAt == nil || !a.FirstPublishedAt.Equal(first) {
			t.Fatalf("first publish: published %v, first %v", a.PublishedAt, a.FirstPublishedAt)
		}
		pub := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+a.ID, http.StatusOK)
		if pub.FirstPublishedAt == nil || !pub.FirstPublishedAt.Equal(first) || !pub.PublishedAt.Equal(first) {
			t.Errorf("public dates %v / %v", pub.PublishedAt, pub.FirstPublishedAt)
		}

		app.clock.Set(start.Add(2 * time.Minute))
		a = step("unpublish", nil, a.Version)
		if a.Status != "draft" || a.PublishedAt == nil || !a.PublishedAt.Equal(first) || !a.FirstPublishedAt.Equal(first) {
			t.Fatalf("unpublished: %s %v %v", a.Status, a.PublishedAt, a.FirstPublishedAt)
		}
		problem(t, app.get("/api/v1/articles/"+a.ID), http.StatusNotFound)

		app.clock.Set(start.Add(4 * time.Minute))
		a = step("publish", nil, a.Version)
		if a.Status != "published" || !a.PublishedAt.Equal(first) || !a.FirstPublishedAt.Equal(first) {
			t.Errorf("republished: %v %v, want the first date %v", a.PublishedAt, a.FirstPublishedAt, first)
		}
		a = step("unpublish", nil, a.Version)
		a = step("publish", map[string]any{"date": "keep"}, a.Version)
		if !a.PublishedAt.Equal(first) {
			t.Errorf("date keep: %v", a.PublishedAt)
		}

		// Reset: a new date now; the first one stays on record.
		app.clock.Set(start.Add(6 * time.Minute))
		a = step("unpublish", nil, a.Version)
		a = step("publish", map[string]any{"date": "now"}, a.Version)
		if a.PublishedAt.Equal(first) || !a.PublishedAt.After(first.Add(5*time.Minute)) || !a.FirstPublishedAt.Equal(first) {
			t.Errorf("date now: %v, first %v", a.PublishedAt, a.FirstPublishedAt)
		}
		// Archiving keeps the date too.
		a = step("archive", nil, a.Version)
		redated := *a.PublishedAt
		a = step("publish", nil, a.Version)
		if !a.PublishedAt.Equal(redated) {
			t.Errorf("after archive: %v, want %v", a.PublishedAt, redated)
		}
		for _, bad := range []map[string]any{{"date": "yesterday"}, {"date": "now", "published_at": "2030-01-01T00:00:00Z"}} {
			p := problem(t, app.send(http.MethodPost, path+"/publish", bad, ed, ifMatch(a.Version)), http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != "date" {
				t.Errorf("%v: %+v", bad, p.Errors)
			}
		}

		// A schedule cancelled before it fell due leaves no date to keep.
		b := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Scheduled"}}}, ed), http.StatusCreated)
		bpath := adminArticles + "/" + b.ID
		at := app.clock.Now().Add(24 * time.Hour).Truncate(time.Second)
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, bpath+"/publish", map[string]any{"published_at": at}, ed, ifMatch(b.Version)), http.StatusOK)
		if b.Status != "scheduled" || !b.FirstPublishedAt.Equal(at) {
			t.Fatalf("scheduled: %s %v", b.Status, b.FirstPublishedAt)
		}
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, bpath+"/unpublish", nil, ed, ifMatch(b.Version)), http.StatusOK)
		if b.PublishedAt != nil || b.FirstPublishedAt != nil {
			t.Errorf("cancelled schedule kept %v / %v", b.PublishedAt, b.FirstPublishedAt)
		}
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, bpath+"/publish", nil, ed, ifMatch(b.Version)), http.StatusOK)
		if now := app.clock.Now(); !b.PublishedAt.Equal(now.Truncate(time.Microsecond)) && b.PublishedAt.Sub(now).Abs() > time.Second || !b.FirstPublishedAt.Equal(*b.PublishedAt) {
			t.Errorf("published after a cancelled schedule: %v / %v (now %v)", b.PublishedAt, b.FirstPublishedAt, now)
		}
	})
}
