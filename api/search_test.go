package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/search"
	"github.com/heraldcms/herald/internal/testkit"
)

// searchCorpus is api/testdata/search_corpus.json.
type searchCorpus struct {
	Articles []struct {
		Key          string                       `json:"key"`
		DaysAgo      int                          `json:"days_ago"`
		Category     string                       `json:"category"`
		Draft        bool                         `json:"draft"`
		Translations map[string]map[string]string `json:"translations"`
	} `json:"articles"`
	Queries []struct {
		Why        string   `json:"why"`
		Q          string   `json:"q"`
		Mode       string   `json:"mode"`
		Locale     string   `json:"locale"`
		Category   string   `json:"category"`
		Hits       []string `json:"hits"`
		TitleHTML  string   `json:"title_html"`
		SnippetHas string   `json:"snippet_has"`
	} `json:"queries"`
	Bad []struct {
		Why string `json:"why"`
		Q   string `json:"q"`
	} `json:"bad"`
}

// searchApp is a test app without the demo content, holding the corpus written through the
// Admin API (so the index is kept by the write path), and the keys of its articles by id.
func searchApp(t *testing.T, dialect string) (*testApp, searchCorpus, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile("testdata/search_corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var corpus searchCorpus
	if err := json.Unmarshal(raw, &corpus); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	a := wire(t, testkit.URL(t, dialect), map[string]string{"HERALD_DEMO_CONTENT": "false"}, &clock{now: now}, app.WithClock(time.Now))
	tok, _ := a.token(t, auth.RoleEditor)
	as := bearer(tok)
	cats := map[string]string{}
	for _, name := range []string{"city", "people"} {
		rec := a.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: name}}}, as)
		cats[name] = decode[api.AdminCategoryDTO](t, rec, http.StatusCreated).ID
	}
	keys := map[string]string{}
	for _, art := range corpus.Articles {
		req := api.CreateArticleRequest{}
		if art.Category != "" {
			id := cats[art.Category]
			req.CategoryID = &id
		}
		for _, l := range []string{"az", "en", "ru"} {
			if tr, ok := art.Translations[l]; ok {
				req.Translations = append(req.Translations, api.TranslationRequest{Locale: l, Title: tr["title"], Summary: tr["summary"], Body: tr["body"]})
			}
		}
		created := decode[api.AdminArticleDTO](t, a.send(http.MethodPost, adminArticles, req, as), http.StatusCreated)
		keys[created.ID] = art.Key
		if art.Draft {
			continue
		}
		at := now.Add(-time.Duration(art.DaysAgo) * 24 * time.Hour)
		decode[api.AdminArticleDTO](t, a.send(http.MethodPost, adminArticles+"/"+created.ID+"/publish", api.PublishRequest{PublishedAt: &at}, as, ifMatch(created.Version)), http.StatusOK)
	}
	return a, corpus, keys
}

func hitKeys(keys map[string]string, hits []api.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, keys[h.ID.String()]+"/"+h.Locale)
	}
	return out
}

// TestSearchCorpus: every query of the corpus finds exactly its expected hits in order, on
// both databases; hostile queries are a result or a 400 naming q, never a 500.
func TestSearchCorpus(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a, corpus, keys := searchApp(t, d)
			for _, q := range corpus.Queries {
				v := url.Values{"q": {q.Q}}
				for k, val := range map[string]string{"mode": q.Mode, "locale": q.Locale, "category": q.Category} {
					if val != "" {
						v.Set(k, val)
					}
				}
				res := getJSON[api.SearchResults](t, a, "/api/v1/search?"+v.Encode(), http.StatusOK)
				got := hitKeys(keys, res.Data)
				if fmt.Sprint(got) != fmt.Sprint(q.Hits) {
					t.Errorf("%s: q=%q: hits %v, want %v", q.Why, q.Q, got, q.Hits)
					continue
				}
				if q.TitleHTML != "" && res.Data[0].TitleHTML != q.TitleHTML {
					t.Errorf("%s: title_html %q, want %q", q.Why, res.Data[0].TitleHTML, q.TitleHTML)
				}
				if q.SnippetHas != "" && !strings.Contains(res.Data[0].SnippetHTML, q.SnippetHas) {
					t.Errorf("%s: snippet_html %q, want it to contain %q", q.Why, res.Data[0].SnippetHTML, q.SnippetHas)
				}
				if res.Facets == nil || res.Facets.Total != int64(len(q.Hits)) || res.Facets.Estimated {
					t.Errorf("%s: facets %+v, want an exact total of %d", q.Why, res.Facets, len(q.Hits))
				}
			}
			for _, b := range corpus.Bad {
				q := b.Q
				if q == "@10k" {
					q = strings.Repeat("gelecek ", 1280)
				}
				p := problem(t, a.get("/api/v1/search?q="+strings.ReplaceAll(q, " ", "+")), http.StatusBadRequest)
				if len(p.Errors) == 0 || p.Errors[0].Field != "q" {
					t.Errorf("%s: problem %+v, want one naming q", b.Why, p)
				}
			}
		})
	}
}

// keyOf returns the id of the corpus article key.
func keyOf(keys map[string]string, key string) string {
	for id, k := range keys {
		if k == key {
			return id
		}
	}
	return ""
}

// TestSearchFollowsWrites: the index is part of each write's transaction: an edit is found
// by its new words and no longer by its old ones, an unpublished or deleted article is
// gone, and q on the public and admin lists sees the same index (drafts for editors).
func TestSearchFollowsWrites(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a, _, keys := searchApp(t, d)
			tok, _ := a.token(t, auth.RoleEditor)
			as := bearer(tok)
			find := func(q string) []string {
				t.Helper()
				return hitKeys(keys, getJSON[api.SearchResults](t, a, "/api/v1/search?q="+url.QueryEscape(q), http.StatusOK).Data)
			}
			e2 := keyOf(keys, "E2")
			cur := decode[api.AdminArticleDTO](t, a.get(adminArticles+"/"+e2, as), http.StatusOK)
			decode[api.AdminArticleDTO](t, a.send(http.MethodPut, adminArticles+"/"+e2+"/translations/en",
				api.PutTranslationRequest{Title: "Mayoral ballot counted", Summary: "Voters elected a new council"}, as, ifMatch(cur.Version)), http.StatusOK)
			if got := find("ballot"); fmt.Sprint(got) != "[E2/en]" {
				t.Errorf("after the edit, ballot: %v", got)
			}
			if got := find(`"election results"`); len(got) != 0 {
				t.Errorf("after the edit, the old phrase: %v", got)
			}
			// "counted" is analysed apart in en (stemmed) and in az and ru: the list matches
			// through either locale group.
			if list := getJSON[api.ArticleList](t, a, "/api/v1/articles?q=counted", http.StatusOK); len(list.Data) != 1 || list.Data[0].ID != e2 {
				t.Errorf("public list q=counted: %+v", list.Data)
			}

			// Lists: the public one filters by q in its own order; the admin one sees drafts.
			list := getJSON[api.ArticleList](t, a, "/api/v1/articles?q=gelecek", http.StatusOK)
			if len(list.Data) != 2 || list.Data[0].ID != keyOf(keys, "A1") || *list.Meta.Total != 2 {
				t.Errorf("public list q=gelecek: %d items, total %v", len(list.Data), list.Meta.Total)
			}
			if list := getJSON[api.ArticleList](t, a, "/api/v1/articles?q=gelecek&category=people", http.StatusOK); len(list.Data) != 1 || list.Data[0].ID != keyOf(keys, "A2") {
				t.Errorf("public list q=gelecek&category=people: %+v", list.Data)
			}
			adm := decode[api.AdminArticleList](t, a.get(adminArticles+"?q=gizli", as), http.StatusOK)
			if len(adm.Data) != 1 || adm.Data[0].ID != keyOf(keys, "D1") {
				t.Errorf("admin list q=gizli: %+v", adm.Data)
			}
			adm = decode[api.AdminArticleList](t, a.get(adminArticles+"?q=gelecek&status=draft", as), http.StatusOK)
			if len(adm.Data) != 1 || adm.Data[0].ID != keyOf(keys, "D1") {
				t.Errorf("admin list q=gelecek&status=draft: %+v", adm.Data)
			}
			if p := problem(t, a.get("/api/v1/articles?q=%ff"), http.StatusBadRequest); p.Errors[0].Field != "q" {
				t.Errorf("public list q=%%ff: %+v", p)
			}

			// Unpublish and delete leave the public index.
			a1 := keyOf(keys, "A1")
			cur = decode[api.AdminArticleDTO](t, a.get(adminArticles+"/"+a1, as), http.StatusOK)
			decode[api.AdminArticleDTO](t, a.send(http.MethodPost, adminArticles+"/"+a1+"/unpublish", nil, as, ifMatch(cur.Version)), http.StatusOK)
			if got := find("gelecek"); fmt.Sprint(got) != "[A2/az]" {
				t.Errorf("after unpublishing A1: %v", got)
			}
			if sug := getJSON[api.SearchSuggestions](t, a, "/api/v1/search/suggest?q=gel", http.StatusOK); len(sug.Data) != 0 {
				t.Errorf("typeahead after unpublishing A1: %+v", sug.Data)
			}
			a2 := keyOf(keys, "A2")
			cur = decode[api.AdminArticleDTO](t, a.get(adminArticles+"/"+a2, as), http.StatusOK)
			if rec := a.do(http.MethodDelete, adminArticles+"/"+a2, nil, as, ifMatch(cur.Version)); rec.Code != http.StatusNoContent {
				t.Fatalf("delete A2: %d %s", rec.Code, rec.Body.String())
			}
			if got := find("gelecek"); len(got) != 0 {
				t.Errorf("after deleting A2: %v", got)
			}
		})
	}
}

// TestSearchPagesAndSuggest: cursors walk every hit once in rank order; typeahead answers
// from titles only.
func TestSearchPagesAndSuggest(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a, _, keys := searchApp(t, d)
			var walked []string
			next := "/api/v1/search?per_page=1&q=" + url.QueryEscape("gelecek")
			for i := 0; next != "" && i < 5; i++ {
				res := getJSON[api.SearchResults](t, a, next, http.StatusOK)
				walked = append(walked, hitKeys(keys, res.Data)...)
				if i == 0 && (res.Facets == nil || res.Facets.Total != 2 || len(res.Facets.Locales) != 1 || res.Facets.Locales[0].Count != 2) {
					t.Errorf("first page facets: %+v", res.Facets)
				}
				if i > 0 && res.Facets != nil {
					t.Errorf("page %d has facets", i+1)
				}
				next = ""
				if res.Meta.NextCursor != "" {
					next = "/api/v1/search?per_page=1&q=gelecek&cursor=" + res.Meta.NextCursor
				}
			}
			if fmt.Sprint(walked) != "[A1/az A2/az]" {
				t.Errorf("walked %v", walked)
			}
			if p := problem(t, a.get("/api/v1/search?q=gelecek&cursor=bm9wZQ"), http.StatusBadRequest); p.Errors[0].Field != "cursor" {
				t.Errorf("bad cursor: %+v", p)
			}
			if p := problem(t, a.get("/api/v1/search?q=gelecek&per_page=51"), http.StatusBadRequest); p.Errors[0].Field != "per_page" {
				t.Errorf("per_page=51: %+v", p)
			}
			if p := problem(t, a.get("/api/v1/search?q=gelecek&locale=xx"), http.StatusBadRequest); p.Errors[0].Field != "locale" {
				t.Errorf("locale=xx: %+v", p)
			}

			sug := getJSON[api.SearchSuggestions](t, a, "/api/v1/search/suggest?q="+url.QueryEscape("gələ"), http.StatusOK)
			if len(sug.Data) != 1 || keys[sug.Data[0].ID.String()] != "A1" || sug.Data[0].TitleHTML != "<mark>Gələcək</mark> planları açıqlandı" {
				t.Errorf("suggest gələ: %+v", sug.Data) // A2 has it in its summary only
			}
			sug = getJSON[api.SearchSuggestions](t, a, "/api/v1/search/suggest?q=runni", http.StatusOK)
			if len(sug.Data) != 1 || keys[sug.Data[0].ID.String()] != "E1" {
				t.Errorf("suggest runni (a prefix of the word, not of its stem): %+v", sug.Data)
			}
			sug = getJSON[api.SearchSuggestions](t, a, "/api/v1/search/suggest?q=city+ele&locale=en", http.StatusOK)
			if len(sug.Data) != 1 || keys[sug.Data[0].ID.String()] != "E2" {
				t.Errorf("suggest city ele: %+v", sug.Data)
			}
			// Prefixes of 2 and 3 letters come from the prefix keys (migration 00260), longer ones
			// from the full-text index: the same titles, newest first, drafts left out.
			for q, want := range map[string]string{
				"gə": "[A1/az]", "GƏL": "[A1/az]", "İq": "[A3/az]", "is": "[A3/az M1/az]", "isl": "[A3/az M1/az]",
				"isla": "[A3/az M1/az]", "ре": "[M1/ru]", "обр": "[M1/ru]", "ne": "[E1/en E3/en]", "ne&locale=en": "[E1/en E3/en]",
				"ne&locale=ru": "[]", "ne&limit=1": "[E1/en]", "zz": "[]",
			} {
				q, rest, _ := strings.Cut(q, "&")
				if rest != "" {
					rest = "&" + rest
				}
				sug := getJSON[api.SearchSuggestions](t, a, "/api/v1/search/suggest?q="+url.QueryEscape(q)+rest, http.StatusOK)
				var got []string
				for _, h := range sug.Data {
					got = append(got, keys[h.ID.String()]+"/"+h.Locale)
				}
				if fmt.Sprint(got) != want {
					t.Errorf("suggest %s%s: %v, want %s", q, rest, got, want)
				}
			}
			if p := problem(t, a.get("/api/v1/search/suggest?q=gel&limit=21"), http.StatusBadRequest); p.Errors[0].Field != "limit" {
				t.Errorf("limit=21: %+v", p)
			}
		})
	}
}

// TestSearchFacetLimitDocumented: the OpenAPI description of search (and of SearchFacets)
// names the number of hits past which facets may be estimated.
func TestSearchFacetLimitDocumented(t *testing.T) {
	if search.FacetExactHits != 500 {
		t.Errorf("search.FacetExactHits is %d; api/search.go documents 500", search.FacetExactHits)
	}
}
