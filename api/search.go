package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/search"
)

// Search answers in every configured language: each translation is matched by the query
// analysed for its own locale (internal/search), so a hit says the locale it was found in.

// SearchHit is a translation that matched.
type SearchHit struct {
	ID     uuid.UUID `json:"id"`
	Locale string    `json:"locale" example:"az"`
	Slug   string    `json:"slug" example:"gelecek-plani"`
	Title  string    `json:"title" example:"Gələcək planı"`
	// TitleHTML is the title HTML-escaped with the matched words in <mark>.
	TitleHTML string `json:"title_html" example:"<mark>Gələcək</mark> planı"`
	// SnippetHTML is a passage of the summary or body around the first match, HTML-escaped,
	// matches in <mark> (the summary's start when only the title matched).
	SnippetHTML string     `json:"snippet_html,omitempty" example:"…şəhərin <mark>gələcək</mark> inkişafı…"`
	PublishedAt time.Time  `json:"published_at"`
	CategoryID  *uuid.UUID `json:"category_id,omitempty"`
	// Score is the rank: per query term, 4 if the title has it, 2 if the summary has it.
	Score int `json:"score" example:"6"`
} //	@name	SearchHit

// SearchCategoryFacet counts the hits in one category (id null: none).
type SearchCategoryFacet struct {
	ID    *uuid.UUID `json:"id"`
	Count int64      `json:"count" example:"12"`
} //	@name	SearchCategoryFacet

// SearchLocaleFacet counts the hits in one locale.
type SearchLocaleFacet struct {
	Locale string `json:"locale" example:"ru"`
	Count  int64  `json:"count" example:"7"`
} //	@name	SearchLocaleFacet

// SearchFacets count every hit of the search, not only the page's. Past 500 hits the
// server may estimate them from a sample instead of counting (estimated is then true).
type SearchFacets struct {
	Total      int64                 `json:"total" example:"19"`
	Categories []SearchCategoryFacet `json:"categories"`
	Locales    []SearchLocaleFacet   `json:"locales"`
	// Estimated is true when total and the counts are estimates, not exact counts.
	Estimated bool `json:"estimated" example:"false"`
} //	@name	SearchFacets

// SearchMeta describes a page of hits.
type SearchMeta struct {
	PerPage    int    `json:"per_page" example:"20"`
	NextCursor string `json:"next_cursor,omitempty"`
} //	@name	SearchMeta

// SearchResults is a page of hits; the first page (no cursor) carries the facets.
type SearchResults struct {
	Data   []SearchHit   `json:"data"`
	Meta   SearchMeta    `json:"meta"`
	Facets *SearchFacets `json:"facets,omitempty"`
} //	@name	SearchResults

var errNoSearch = newProblem(http.StatusServiceUnavailable, "search is not configured")

// Search limits.
const (
	searchDefaultPerPage = 20
	searchMaxPerPage     = 50
	suggestDefault       = 8
	suggestMax           = 20
)

// search godoc
//
//	@Summary		Search articles
//	@Description	Full-text search of published articles in every configured language (or those ?locale= names). Each translation is matched by the query analysed for its own language: Azerbaijani letters folded (gelecek finds Gələcək and back), Russian and English stemmed (новости finds новость, ё matches е), stop words ignored, bodies searched as text. Words must all match; "quoted words" match as a phrase; word* matches a prefix (at least 2 letters); mode=prefix makes the last word a prefix. Hits are ranked (per word: title 4, summary 2), then newest first. The first page carries facet counts per category and per locale: exact up to 500 hits; past that they may be estimated from a sample (facets.estimated is then true).
//	@Tags			content
//	@Produce		json
//	@Param			q			query		string	true	"Words, \"phrases\", prefix*; at most 500 bytes and 12 terms"	example(gələcək planı)
//	@Param			locale		query		string	false	"Search only these locales (comma-separated)"					example(az,en)
//	@Param			category	query		string	false	"Category id or slug (any locale)"
//	@Param			tag			query		string	false	"Tag ids or slugs (any locale), comma-separated or repeated: hits with any of them"
//	@Param			from		query		string	false	"RFC 3339 time or date; published at or after"				example(2021-01-01)
//	@Param			to			query		string	false	"RFC 3339 time or date; published strictly before"			example(2022-01-01)
//	@Param			mode		query		string	false	"prefix: the last word is a prefix (search as you type)"	Enums(prefix)
//	@Param			per_page	query		integer	false	"Hits per page"												minimum(1)	maximum(50)	default(20)
//	@Param			cursor		query		string	false	"Opaque cursor from meta.next_cursor"
//	@Success		200			{object}	SearchResults
//	@Header			200			{string}	ETag			"Strong validator of the body; send it back in If-None-Match"
//	@Header			200			{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE)"
//	@Success		304			"Not modified: If-None-Match matched (no body)"
//	@Failure		400			{object}	Problem	"Missing, too long or invalid q, or another invalid parameter (errors name the field)"
//	@Failure		500			{object}	Problem
//	@Failure		503			{object}	Problem	"The database is unavailable or the read took too long (Retry-After)"
//	@Router			/api/v1/search [get]
func (s *Server) search(c echo.Context) error {
	if s.searcher == nil {
		return errNoSearch
	}
	var qe queryErrors
	mode := qe.listParam(c, "mode", []string{"prefix"})
	q := s.searchQuery(c, &qe, has(mode, "prefix"))
	locales := s.searchLocales(c, &qe)
	perPage := qe.intParam(c, "per_page", searchDefaultPerPage, 1, searchMaxPerPage)
	category := qe.textParam(c, "category", 200)
	tags := qe.tagsParam(c)
	from := qe.timeParam(c, "from")
	to := qe.timeParam(c, "to")
	cursor := qe.searchCursor(c)
	if err := qe.err(); err != nil {
		return err
	}
	res, err := s.searcher.Search(c.Request().Context(), search.Request{Query: q, Locales: locales, Category: category, Tags: tags,
		From: from, To: to, Limit: perPage, After: cursor, Facets: cursor == nil, Now: time.Now()})
	if err != nil {
		return err
	}
	out := SearchResults{Data: make([]SearchHit, len(res.Hits)), Meta: SearchMeta{PerPage: perPage, NextCursor: encodeSearchCursor(res.Next)}}
	for i, h := range res.Hits {
		out.Data[i] = newSearchHit(h)
	}
	if f := res.Facets; f != nil {
		out.Facets = &SearchFacets{Total: f.Total, Categories: []SearchCategoryFacet{}, Locales: []SearchLocaleFacet{}, Estimated: f.Estimated}
		for id, n := range f.Categories {
			fc := SearchCategoryFacet{Count: n}
			if id != uuid.Nil {
				fc.ID = &id
			}
			out.Facets.Categories = append(out.Facets.Categories, fc)
		}
		sort.Slice(out.Facets.Categories, func(i, j int) bool {
			a, b := out.Facets.Categories[i], out.Facets.Categories[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			return a.ID != nil && (b.ID == nil || a.ID.String() < b.ID.String())
		})
		for l, n := range f.Locales {
			out.Facets.Locales = append(out.Facets.Locales, SearchLocaleFacet{Locale: l, Count: n})
		}
		sort.Slice(out.Facets.Locales, func(i, j int) bool {
			a, b := out.Facets.Locales[i], out.Facets.Locales[j]
			return a.Count > b.Count || (a.Count == b.Count && a.Locale < b.Locale)
		})
	}
	if res.Next != nil {
		c.Response().Header().Add("Link", linkHeader(withQuery(c, map[string]string{"cursor": out.Meta.NextCursor}), "next"))
	}
	return c.JSON(http.StatusOK, out)
}

// SearchSuggestion is a title that starts a match for what was typed.
type SearchSuggestion struct {
	ID        uuid.UUID `json:"id"`
	Locale    string    `json:"locale" example:"en"`
	Slug      string    `json:"slug" example:"future-plans"`
	Title     string    `json:"title" example:"Future plans"`
	TitleHTML string    `json:"title_html" example:"<mark>Fut</mark>ure plans"`
} //	@name	SearchSuggestion

// SearchSuggestions are typeahead answers.
type SearchSuggestions struct {
	Data []SearchSuggestion `json:"data"`
} //	@name	SearchSuggestions

// suggest godoc
//
//	@Summary		Typeahead over titles
//	@Description	Titles of published articles that match what was typed so far, the last word as a prefix (at least 2 letters), analysed like search; newest first.
//	@Tags			content
//	@Produce		json
//	@Param			q		query		string	true	"What was typed; at most 500 bytes"		example(gələ)
//	@Param			locale	query		string	false	"Only these locales (comma-separated)"	example(az)
//	@Param			limit	query		integer	false	"How many"								minimum(1)	maximum(20)	default(8)
//	@Success		200		{object}	SearchSuggestions
//	@Success		304		"Not modified: If-None-Match matched (no body)"
//	@Failure		400		{object}	Problem	"Missing, too long or invalid q, or another invalid parameter (errors name the field)"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem	"The database is unavailable or the read took too long (Retry-After)"
//	@Router			/api/v1/search/suggest [get]
func (s *Server) suggest(c echo.Context) error {
	if s.searcher == nil {
		return errNoSearch
	}
	var qe queryErrors
	q := s.searchQuery(c, &qe, true)
	locales := s.searchLocales(c, &qe)
	limit := qe.intParam(c, "limit", suggestDefault, 1, suggestMax)
	if err := qe.err(); err != nil {
		return err
	}
	res, err := s.searcher.Search(c.Request().Context(), search.Request{Query: q, Locales: locales, Limit: limit, TitleOnly: true, Now: time.Now()})
	if err != nil {
		return err
	}
	out := SearchSuggestions{Data: make([]SearchSuggestion, len(res.Hits))}
	for i, h := range res.Hits {
		out.Data[i] = SearchSuggestion{ID: h.ArticleID, Locale: h.Locale, Slug: h.Slug, Title: h.Title, TitleHTML: h.TitleHTML}
	}
	return c.JSON(http.StatusOK, out)
}

func newSearchHit(h search.Hit) SearchHit {
	return SearchHit{ID: h.ArticleID, Locale: h.Locale, Slug: h.Slug, Title: h.Title, TitleHTML: h.TitleHTML,
		SnippetHTML: h.SnippetHTML, PublishedAt: h.PublishedAt, CategoryID: h.CategoryID, Score: h.Score}
}

// searchQuery parses the q parameter (required).
func (s *Server) searchQuery(c echo.Context, qe *queryErrors, prefixLast bool) search.Query {
	q, err := search.Parse(c.QueryParam("q"), prefixLast)
	if err != nil {
		for _, f := range errs.FieldsOf(err) {
			qe.add(f.Field, f.Message)
		}
	}
	return q
}

// textQuery reads an optional q of a list: checked as search parses it, passed on as typed.
func textQuery(c echo.Context, qe *queryErrors) string {
	v := c.QueryParam("q")
	if v == "" {
		return ""
	}
	if _, err := search.Parse(v, false); err != nil {
		for _, f := range errs.FieldsOf(err) {
			qe.add(f.Field, f.Message)
		}
		return ""
	}
	return v
}

// searchLocales reads ?locale= as a list of configured locales (empty: all).
func (s *Server) searchLocales(c echo.Context, qe *queryErrors) []string {
	v := strings.TrimSpace(c.QueryParam("locale"))
	if v == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		l, err := s.locales.Parse(strings.TrimSpace(p))
		if err != nil {
			qe.add("locale", "unsupported locale; supported: "+strings.Join(s.locales.Codes(), ", "))
			return nil
		}
		out = append(out, l)
	}
	return out
}

type searchCursorJSON struct {
	S int       `json:"s"`
	P time.Time `json:"p"`
	I uuid.UUID `json:"i"`
	L string    `json:"l"`
}

func encodeSearchCursor(c *search.Cursor) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(searchCursorJSON{S: c.Score, P: c.PublishedAt, I: c.ArticleID, L: c.Locale})
	return base64.RawURLEncoding.EncodeToString(b)
}

func (q *queryErrors) searchCursor(c echo.Context) *search.Cursor {
	v := c.QueryParam("cursor")
	if v == "" {
		return nil
	}
	var cj searchCursorJSON
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err == nil && len(v) < 1024 {
		err = json.Unmarshal(b, &cj)
	}
	if err != nil || cj.I == uuid.Nil || len(cj.L) > 35 {
		q.add("cursor", "is not a cursor this search issued")
		return nil
	}
	return &search.Cursor{Score: cj.S, PublishedAt: cj.P, ArticleID: cj.I, Locale: cj.L}
}
