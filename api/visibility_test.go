package api_test

import (
	"net/http"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestAuthorsSeeOnlyTheirOwnWork: an author cannot read another author's draft or its
// revisions in the Admin API (issue 11; the Ghost and WordPress rule): not in the list, not
// by id, preview or revision, not by filtering on the other author. Editors read
// everything, and HERALD_AUTHORS_READ_ALL (content.WithAuthorsReadAll) restores reading.
func TestAuthorsSeeOnlyTheirOwnWork(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		alice, aliceID := app.token(t, auth.RoleAuthor)
		bob, _ := app.token(t, auth.RoleAuthor)
		editor, _ := app.token(t, auth.RoleEditor)
		path := draft(t, app, bearer(alice))
		bobsOwn := draft(t, app, bearer(bob))
		id := path[len(adminArticles)+1:]
		targets := []string{path, path + "/preview", path + "/revisions", path + "/revisions/1"}

		listed := func(a *testApp, as, query string) (ids map[string]bool) {
			t.Helper()
			l := decode[api.AdminArticleList](t, a.get(adminArticles+"?per_page=100"+query, bearer(as)), http.StatusOK)
			ids = map[string]bool{}
			for _, d := range l.Data {
				ids[d.ID] = true
			}
			if l.Meta.Total == nil || (len(l.Data) != int(*l.Meta.Total) && *l.Meta.Total <= 100) {
				t.Errorf("list of %d items says total %v", len(l.Data), l.Meta.Total)
			}
			return ids
		}

		for _, target := range targets {
			if rec := app.get(target, bearer(alice)); rec.Code != http.StatusOK {
				t.Errorf("the author reads her own %s: %d", target, rec.Code)
			}
			if rec := app.get(target, bearer(editor)); rec.Code != http.StatusOK {
				t.Errorf("an editor reads %s: %d", target, rec.Code)
			}
			problem(t, app.get(target, bearer(bob)), http.StatusNotFound)
		}
		if ids := listed(app, bob, ""); ids[id] || !ids[bobsOwn[len(adminArticles)+1:]] {
			t.Errorf("bob's list: has alice's draft %v, has his own %v", ids[id], ids[bobsOwn[len(adminArticles)+1:]])
		}
		if ids := listed(app, bob, "&author="+aliceID.String()); len(ids) != 0 {
			t.Errorf("bob filtering on alice: %v", ids)
		}
		if ids := listed(app, editor, "&author="+aliceID.String()); !ids[id] {
			t.Error("the editor's list lacks alice's draft")
		}

		// With the setting, authors read each other's work (and still cannot edit it): a
		// second instance over the same database, configured with HERALD_AUTHORS_READ_ALL.
		open := wire(t, app.url, map[string]string{"HERALD_AUTHORS_READ_ALL": "true"}, app.clock)
		for _, target := range targets {
			if rec := open.get(target, bearer(bob)); rec.Code != http.StatusOK {
				t.Errorf("with HERALD_AUTHORS_READ_ALL: GET %s: %d", target, rec.Code)
			}
		}
		if ids := listed(open, bob, ""); !ids[id] {
			t.Error("with HERALD_AUTHORS_READ_ALL: bob's list lacks alice's draft")
		}
		problem(t, open.send(http.MethodPatch, path, map[string]any{"featured": true}, bearer(bob), `If-Match: "1"`), http.StatusForbidden)
	})
}
