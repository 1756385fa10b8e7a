package api_test

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestValidationNamesTheField: bad times, nulls in id lists and unknown path locales are
// reported on the field at fault.
func TestValidationNamesTheField(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Fields"}}}, ed), http.StatusCreated)
		path := adminArticles + "/" + a.ID
		for _, bad := range []any{"tomorrow", "2030-02-30T00:00:00Z", "2030-02-01", "2030-01-01T09:00:00", 5, map[string]any{}} {
			p := problem(t, app.send(http.MethodPost, path+"/publish", map[string]any{"published_at": bad}, ed, ifMatch(1)), http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != "published_at" || !strings.Contains(p.Errors[0].Message, "RFC 3339") {
				t.Errorf("published_at %v: %+v", bad, p.Errors)
			}
		}
		for _, body := range []map[string]any{{"tag_ids": []any{nil}}, {"gallery_media_ids": []any{nil}}} {
			p := problem(t, app.send(http.MethodPatch, path, body, ed, ifMatch(1)), http.StatusBadRequest)
			for k := range body {
				if len(p.Errors) != 1 || p.Errors[0].Field != k+"[0]" || strings.Contains(p.Errors[0].Message, `""`) {
					t.Errorf("%s [null]: %+v", k, p.Errors)
				}
			}
		}
		p := problem(t, app.send(http.MethodPatch, path, map[string]any{"tag_ids": []any{"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d", "x"}}, ed, ifMatch(1)), http.StatusBadRequest)
		if len(p.Errors) != 1 || p.Errors[0].Field != "tag_ids[1]" {
			t.Errorf("tag_ids bad second: %+v", p.Errors)
		}
		p = problem(t, app.send(http.MethodPut, path+"/translations/xx", map[string]any{"title": "X"}, ed, ifMatch(1)), http.StatusBadRequest)
		if len(p.Errors) != 1 || p.Errors[0].Field != "locale" {
			t.Errorf("unknown path locale: %+v", p.Errors)
		}
		p = problem(t, app.send(http.MethodPut, path+"/translations/en", map[string]any{"title": ""}, ed, ifMatch(1)), http.StatusBadRequest)
		if len(p.Errors) != 1 || p.Errors[0].Field != "title" {
			t.Errorf("empty title in PUT: %+v", p.Errors)
		}
	})
}

// TestListFilters: unknown categories and tags are 404 naming the filter; several tags
// (tag=a,b or tag=a&tag=b) select articles with any of them, with totals to match.
func TestListFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		tag := func(name string) api.AdminTagDTO {
			return decode[api.AdminTagDTO](t, app.send(http.MethodPost, "/api/v1/admin/tags", api.CreateTagRequest{
				Translations: []api.TagTranslationDTO{{Locale: "en", Name: name}, {Locale: "ru", Name: name + " ru", Slug: strings.ToLower(name) + "-ru"}}}, ed), http.StatusCreated)
		}
		x, y, z := tag("Xfilter"), tag("Yfilter"), tag("Zfilter")
		publish := func(title string, tags ...string) string {
			body := map[string]any{"translations": []map[string]string{{"locale": "en", "title": title}}}
			if len(tags) > 0 {
				body["tag_ids"] = tags
			}
			a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, body, ed), http.StatusCreated)
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish", nil, ed, ifMatch(1)), http.StatusOK)
			return a.ID
		}
		ax := publish("Only X", x.ID)
		ay := publish("Only Y", y.ID)
		axy := publish("X and Y", x.ID, y.ID)
		publish("Untagged")
		ids := func(target string) []string {
			t.Helper()
			l := getJSON[api.ArticleList](t, app, target, http.StatusOK)
			var out []string
			for _, a := range l.Data {
				out = append(out, a.ID)
			}
			sort.Strings(out)
			if l.Meta.Total == nil || int(*l.Meta.Total) != len(out) {
				t.Errorf("%s: total %v, %d items", target, l.Meta.Total, len(out))
			}
			return out
		}
		want := []string{ax, ay, axy}
		sort.Strings(want)
		for _, q := range []string{"tag=xfilter,yfilter", "tag=xfilter&tag=yfilter", "tag=" + x.ID + "&tag=yfilter-ru", "tag=xfilter,%20" + y.ID + ",xfilter"} {
			if got := ids("/api/v1/articles?per_page=100&" + q); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: %v, want %v", q, got, want)
			}
		}
		if got := ids("/api/v1/articles?per_page=100&tag=xfilter"); len(got) != 2 {
			t.Errorf("tag=xfilter: %v", got)
		}
		// A tag that exists but tags nothing is an empty page, not an error.
		if got := ids("/api/v1/articles?per_page=100&tag=" + z.Translations[0].Slug); len(got) != 0 {
			t.Errorf("unused tag: %v", got)
		}
		for q, fields := range map[string]string{
			"category=no-such-category":                     "category",
			"tag=no-such-tag":                               "tag",
			"tag=xfilter,no-such-tag":                       "tag",
			"tag=xfilter&tag=no-such-tag":                   "tag",
			"category=01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d": "category",
			"tag=01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d":      "tag",
			"category=nope&tag=nope":                        "category,tag",
		} {
			p := problem(t, app.get("/api/v1/articles?"+q), http.StatusNotFound)
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Field)
			}
			if strings.Join(got, ",") != fields || !strings.Contains(p.Detail+p.Errors[0].Message, "no ") {
				t.Errorf("%s: %+v", q, p)
			}
		}
		// Cursor pages check too.
		l := getJSON[api.ArticleList](t, app, "/api/v1/articles?per_page=1", http.StatusOK)
		problem(t, app.get("/api/v1/articles?tag=nope&cursor="+url.QueryEscape(l.Meta.NextCursor)), http.StatusNotFound)
		many := make([]string, 30)
		for i := range many {
			many[i] = "t" + strconv.Itoa(i)
		}
		problem(t, app.get("/api/v1/articles?tag="+strings.Join(many, ",")), http.StatusBadRequest)
	})
}
