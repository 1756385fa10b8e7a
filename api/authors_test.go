package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
)

const adminAuthors = "/api/v1/admin/authors"

// keysOf collects every object key anywhere in a JSON document.
func keysOf(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				keys[k] = true
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return keys
}

// TestAuthorsAndBylines: editors keep public author profiles apart from accounts, put them
// in bylines, and readers see the profile and the byline in their locale without any
// account field.
func TestAuthorsAndBylines(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		h := bearer(tok)
		authorTok, _ := app.token(t, auth.RoleAuthor)

		leyla := decode[api.AdminAuthorDTO](t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{
			Name: "Leyla Əliyeva", Bios: map[string]string{"en": "Leyla covers courts.", "az": "Leyla məhkəmələri işıqlandırır."}}, h), http.StatusCreated)
		if leyla.Slug != "leyla-eliyeva" || len(leyla.Bios) != 2 {
			t.Fatalf("created %+v", leyla)
		}
		rauf := decode[api.AdminAuthorDTO](t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{Name: "Rauf Məmmədov", Slug: "rauf"}, h), http.StatusCreated)
		problem(t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{Name: "Someone"}, bearer(authorTok)), http.StatusForbidden)

		// The public profile, in the reader's locale with fallback (ru → en).
		for loc, want := range map[string]string{"en": "Leyla covers courts.", "az": "Leyla məhkəmələri işıqlandırır.", "ru": "Leyla covers courts."} {
			rec := app.get("/api/v1/authors/leyla-eliyeva?locale=" + loc)
			p := decode[api.AuthorDTO](t, rec, http.StatusOK)
			if p.Bio != want || p.Name != "Leyla Əliyeva" || p.ID != leyla.ID {
				t.Errorf("%s: %+v", loc, p)
			}
			for _, k := range []string{"email", "role", "user_id", "password", "active"} {
				if keysOf(t, rec.Body.Bytes())[k] {
					t.Errorf("profile exposes %q: %s", k, rec.Body)
				}
			}
		}
		decode[api.AuthorDTO](t, app.get("/api/v1/authors/"+rauf.ID), http.StatusOK)
		problem(t, app.get("/api/v1/authors/nobody"), http.StatusNotFound)
		if l := getJSON[api.AuthorList](t, app, "/api/v1/authors?locale=az", http.StatusOK); len(l.Data) != 2 || l.Data[0].Name != "Leyla Əliyeva" {
			t.Errorf("list %+v", l)
		}

		// A byline on the fixture article: order kept, bios in the served locale.
		fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK)
		v := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+fx.ID, h), http.StatusOK).Version
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/bylines",
			api.SetBylinesRequest{AuthorIDs: []string{rauf.ID, leyla.ID}}, h, ifMatch(v)), http.StatusOK)
		if len(a.BylineIDs) != 2 || a.BylineIDs[0] != rauf.ID || a.Version != v+1 {
			t.Fatalf("bylines %+v version %d", a.BylineIDs, a.Version)
		}
		rec := app.get("/api/v1/articles/" + demo.FixtureSlugAZ)
		d := decode[api.ArticleDTO](t, rec, http.StatusOK)
		if len(d.Authors) != 2 || d.Authors[0].Name != "Rauf Məmmədov" || d.Authors[1].Bio != "Leyla məhkəmələri işıqlandırır." || d.Authors[1].BioLocale != "az" {
			t.Fatalf("byline %+v", d.Authors)
		}
		if keysOf(t, rec.Body.Bytes())["email"] {
			t.Errorf("detail exposes an email: %s", rec.Body)
		}
		// Editing a profile shows in the detail at once.
		decode[api.AdminAuthorDTO](t, app.send(http.MethodPatch, adminAuthors+"/"+rauf.ID, `{"name":"Rauf Mammadov","bios":{"en":"Rauf edits."}}`, h), http.StatusOK)
		d = getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK)
		if d.Authors[0].Name != "Rauf Mammadov" || d.Authors[0].Bio != "Rauf edits." {
			t.Errorf("after the edit %+v", d.Authors[0])
		}
		// null removes a bio.
		if p := decode[api.AdminAuthorDTO](t, app.send(http.MethodPatch, adminAuthors+"/"+rauf.ID, `{"bios":{"en":null}}`, h), http.StatusOK); len(p.Bios) != 0 || p.Name != "Rauf Mammadov" {
			t.Errorf("after removing the bio %+v", p)
		}

		// A byline author cannot be deleted; cleared, it can, and its profile is gone.
		problem(t, app.do(http.MethodDelete, adminAuthors+"/"+leyla.ID, nil, h), http.StatusConflict)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/bylines",
			api.SetBylinesRequest{AuthorIDs: []string{}}, h, ifMatch(v+1)), http.StatusOK)
		if d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK); d.Authors != nil {
			t.Errorf("cleared byline %+v", d.Authors)
		}
		if rec := app.do(http.MethodDelete, adminAuthors+"/"+leyla.ID, nil, h); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
		problem(t, app.get("/api/v1/authors/leyla-eliyeva"), http.StatusNotFound)

		// The byline write follows the article's rules: a version, and the author's own draft.
		problem(t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/bylines", api.SetBylinesRequest{AuthorIDs: []string{rauf.ID}}, h), http.StatusPreconditionRequired)
		problem(t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/bylines", api.SetBylinesRequest{AuthorIDs: []string{rauf.ID}}, bearer(authorTok), ifMatch(v+2)), http.StatusForbidden)
	})
}

// TestAuthorLimits hits every limit of author input and bylines.
func TestAuthorLimits(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		h := bearer(tok)
		for _, c := range []struct {
			body  any
			field string
		}{
			{api.CreateAuthorRequest{}, "name"},
			{api.CreateAuthorRequest{Name: "   "}, "name"},
			{api.CreateAuthorRequest{Name: strings.Repeat("n", content.MaxAuthorNameLen+1)}, "name"},
			{api.CreateAuthorRequest{Name: "A", Slug: "Not A Slug"}, "slug"},
			{api.CreateAuthorRequest{Name: "A", Bios: map[string]string{"en": strings.Repeat("b", content.MaxAuthorBioLen+1)}}, "bios.en"},
			{api.CreateAuthorRequest{Name: "A", Bios: map[string]string{"xx": "bio"}}, "bios.xx"},
			{api.CreateAuthorRequest{Name: "A", PhotoMediaID: "not-a-uuid"}, "photo_media_id"},
			{api.CreateAuthorRequest{Name: "A", PhotoMediaID: uuid.NewString()}, "photo_media_id"},
		} {
			p := problem(t, app.send(http.MethodPost, adminAuthors, c.body, h), http.StatusBadRequest)
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%+v: errors %+v, want %s", c.body, p.Errors, c.field)
			}
		}
		// The limits themselves are allowed.
		decode[api.AdminAuthorDTO](t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{
			Name: strings.Repeat("n", content.MaxAuthorNameLen), Bios: map[string]string{"en": strings.Repeat("b", content.MaxAuthorBioLen)}}, h), http.StatusCreated)
		first := decode[api.AdminAuthorDTO](t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{Name: "Same Name"}, h), http.StatusCreated)
		problem(t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{Name: "Same Name"}, h), http.StatusConflict)
		problem(t, app.send(http.MethodPatch, adminAuthors+"/"+first.ID, `{"name":null}`, h), http.StatusBadRequest)
		problem(t, app.send(http.MethodPatch, adminAuthors+"/"+uuid.NewString(), `{"name":"x"}`, h), http.StatusNotFound)

		// Bylines: at most MaxBylines, distinct, existing authors.
		var ids []string
		for i := range content.MaxBylines + 1 {
			ids = append(ids, decode[api.AdminAuthorDTO](t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{Name: "Writer " + string(rune('a'+i))}, h), http.StatusCreated).ID)
		}
		fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK)
		path := adminArticles + "/" + fx.ID + "/bylines"
		v := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+fx.ID, h), http.StatusOK).Version
		for _, bad := range [][]string{ids, {ids[0], ids[0]}, {uuid.NewString()}, {"nope"}, nil} {
			p := problem(t, app.send(http.MethodPut, path, api.SetBylinesRequest{AuthorIDs: bad}, h, ifMatch(v)), http.StatusBadRequest)
			if len(p.Errors) == 0 || !strings.HasPrefix(p.Errors[0].Field, "author_ids") {
				t.Errorf("%v: %+v", bad, p)
			}
		}
		decode[api.AdminArticleDTO](t, app.send(http.MethodPut, path, api.SetBylinesRequest{AuthorIDs: ids[:content.MaxBylines]}, h, ifMatch(v)), http.StatusOK)
		if d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+fx.ID, http.StatusOK); len(d.Authors) != content.MaxBylines {
			t.Errorf("byline of %d", len(d.Authors))
		}
	})
}
