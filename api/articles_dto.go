package api

import (
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/permalink"
)

// ArticleDTO is an article served in one locale. List items leave out the body unless
// include=body; the detail always has it.
type ArticleDTO struct {
	ID string `json:"id" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	// Slug of the served translation.
	Slug string `json:"slug" example:"prospects-for-future-cooperation"`
	// URL is the served translation's page on the public site (HERALD_SITE_URL and
	// HERALD_PERMALINK_ARTICLE): the canonical link; a site-relative path without a site.
	URL string `json:"url,omitempty" example:"https://news.example/en/news/prospects-for-future-cooperation"`
	// Locale is the locale actually served (after fallback).
	Locale string `json:"locale" example:"en"`
	// RequestedLocale is the locale the client asked for (or the default).
	RequestedLocale string `json:"requested_locale" example:"ru"`
	// Fallback is true when the article has no translation in the requested locale and is
	// served in another (locale); ?fallback=false on lists leaves such articles out.
	Fallback bool   `json:"fallback" example:"false"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	Body     string `json:"body,omitempty"`
	// BodyLocale is set when the served translation has no body and another locale's was used.
	BodyLocale      string    `json:"body_locale,omitempty" example:"en"`
	MetaTitle       string    `json:"meta_title,omitempty"`
	MetaDescription string    `json:"meta_description,omitempty"`
	ReadingMinutes  int       `json:"reading_minutes" example:"3"`
	PublishedAt     time.Time `json:"published_at" example:"2021-02-19T10:00:00Z"`
	// FirstPublishedAt is when the article first became public; published_at differs when an
	// editor re-dated a later publication.
	FirstPublishedAt *time.Time    `json:"first_published_at,omitempty" example:"2021-02-19T10:00:00Z"`
	UpdatedAt        time.Time     `json:"updated_at"`
	Featured         bool          `json:"featured"`
	ReadCount        int64         `json:"read_count" example:"310"`
	Category         *TermDTO      `json:"category,omitempty"`
	Tags             []TermDTO     `json:"tags"`
	Translations     []Translation `json:"translations,omitempty"`
	// Cover is the cover image, with URLs by size and alt text in the served locale.
	Cover *MediaDTO `json:"cover,omitempty"`
	// Gallery is the ordered gallery (the detail only; lists carry the cover alone).
	Gallery []MediaDTO `json:"gallery,omitempty"`
	// Authors is the byline, in order (the detail and previews; absent when none).
	Authors []BylineDTO `json:"authors,omitempty"`
	// Related are up to 5 visible articles in the same category or sharing a tag, newest
	// first, each translated into the locale this article is served in (the detail and
	// previews; absent when none).
	Related []RelatedArticleDTO `json:"related,omitempty"`
} //	@name	Article

// Translation is one locale of an article. On the detail it is a hreflang link (locale,
// slug, title); in lists with include=translations it carries the text too.
type Translation struct {
	Locale string `json:"locale" example:"az"`
	Slug   string `json:"slug"`
	// URL is this translation's page on the public site, for hreflang alternates.
	URL             string `json:"url,omitempty" example:"https://news.example/az/news/ombudsman-bmt"`
	Title           string `json:"title"`
	Summary         string `json:"summary,omitempty"`
	Body            string `json:"body,omitempty"`
	MetaTitle       string `json:"meta_title,omitempty"`
	MetaDescription string `json:"meta_description,omitempty"`
	ReadingMinutes  int    `json:"reading_minutes,omitempty"`
} //	@name	Translation

// TermDTO is a category or tag as embedded in an article.
type TermDTO struct {
	ID   string `json:"id"`
	Slug string `json:"slug" example:"international-cooperation"`
	// URL is the category's or tag's page on the public site, in its served locale.
	URL    string `json:"url,omitempty" example:"https://news.example/en/category/international-cooperation"`
	Name   string `json:"name" example:"International cooperation"`
	Locale string `json:"locale" example:"en"`
} //	@name	Term

// ArticleList is a page of articles.
type ArticleList struct {
	Data []ArticleDTO `json:"data"`
	Meta ListMeta     `json:"meta"`
} //	@name	ArticleList

// ListMeta describes a list page. Page mode fills page, per_page, total and total_pages;
// cursor mode skips the count. next_cursor continues the same ordering in either mode.
type ListMeta struct {
	Page       int    `json:"page,omitempty" example:"1"`
	PerPage    int    `json:"per_page,omitempty" example:"20"`
	Total      *int64 `json:"total,omitempty" example:"41"`
	TotalPages *int64 `json:"total_pages,omitempty" example:"3"`
	NextCursor string `json:"next_cursor,omitempty"`
	// Locale is the requested locale of the list.
	Locale string `json:"locale,omitempty" example:"en"`
} //	@name	ListMeta

type articleView struct {
	body         bool // include the body
	translations bool // include every translation's text (lists)
	hreflang     bool // include every translation as a link (detail)
	// links builds the url fields; nil leaves them out (admin responses).
	links *permalink.Links
	// terms, when set, keeps the categories and tags a response already built: a list page
	// shows a few of them on many articles, and rendering each again (its id, its URL) was
	// 5 % of an uncached latest-20 list's CPU.
	terms termMemo
}

// termMemo maps a category or tag to its DTO in one response (one chain, one links).
type termMemo map[termKey]TermDTO

// newTermMemo is sized for a page of 20 to 100 articles' terms: growing from empty was most
// of the memo's cost.
func newTermMemo() termMemo { return make(termMemo, 64) }

type termKey struct {
	kind permalink.Kind
	id   uuid.UUID
}

// term returns the memo's DTO of (k, id), building and keeping it on a miss.
func (m termMemo) term(k permalink.Kind, id uuid.UUID, build func() TermDTO) TermDTO {
	if m == nil {
		return build()
	}
	key := termKey{k, id}
	if d, ok := m[key]; ok {
		return d
	}
	d := build()
	m[key] = d
	return d
}

func newArticleDTO(a content.Article, chain []string, v articleView) ArticleDTO {
	served := pickTranslation(a, chain)
	d := ArticleDTO{
		ID: a.ID.String(), Slug: served.Slug, Locale: served.Locale, RequestedLocale: chain[0], Fallback: served.Locale != chain[0],
		Title: served.Title, Summary: served.Summary, MetaTitle: served.MetaTitle, MetaDescription: served.MetaDescription,
		ReadingMinutes: served.ReadingMinutes, UpdatedAt: a.UpdatedAt, Featured: a.Featured, ReadCount: a.ReadCount,
		Tags: make([]TermDTO, 0, len(a.Tags)),
	}
	if a.PublishedAt != nil {
		d.PublishedAt = *a.PublishedAt
	}
	d.URL = articleURL(v.links, a, served)
	d.FirstPublishedAt = a.FirstPublishedAt
	if v.body {
		d.Body = served.Body
		if d.Body == "" {
			for _, l := range chain {
				if t, ok := a.Translation(l); ok && t.Body != "" {
					d.Body, d.BodyLocale, d.ReadingMinutes = t.Body, t.Locale, t.ReadingMinutes
					break
				}
			}
		}
	}
	if a.Category != nil {
		c := v.terms.term(permalink.Category, a.Category.ID, func() TermDTO { return *categoryTerm(*a.Category, chain, v.links) })
		d.Category = &c
	}
	for _, t := range a.Tags {
		d.Tags = append(d.Tags, v.terms.term(permalink.Tag, t.ID, func() TermDTO { return tagTerm(t, chain, v.links) }))
	}
	if v.translations || v.hreflang {
		ts := append([]content.Translation(nil), a.Translations...)
		content.SortTranslations(ts, chain)
		d.Translations = make([]Translation, len(ts))
		for i, t := range ts {
			tr := Translation{Locale: t.Locale, Slug: t.Slug, Title: t.Title, URL: articleURL(v.links, a, t)}
			if v.translations {
				tr.Summary, tr.MetaTitle, tr.MetaDescription, tr.ReadingMinutes = t.Summary, t.MetaTitle, t.MetaDescription, t.ReadingMinutes
				if v.body {
					tr.Body = t.Body
				}
			}
			d.Translations[i] = tr
		}
	}
	return d
}

func pickTranslation(a content.Article, chain []string) content.Translation {
	for _, l := range chain {
		if t, ok := a.Translation(l); ok {
			return t
		}
	}
	if len(a.Translations) > 0 {
		return a.Translations[0]
	}
	return content.Translation{}
}

func categoryTerm(c content.Category, chain []string, links *permalink.Links) *TermDTO {
	for _, l := range chain {
		if t, ok := c.Translation(l); ok {
			return &TermDTO{ID: c.ID.String(), Slug: t.Slug, Name: t.Name, Locale: t.Locale, URL: termURL(links, permalink.Category, c.ID, t.Locale, t.Slug)}
		}
	}
	return &TermDTO{ID: c.ID.String()}
}

func tagTerm(tg content.Tag, chain []string, links *permalink.Links) TermDTO {
	for _, l := range chain {
		if t, ok := tg.Translation(l); ok {
			return TermDTO{ID: tg.ID.String(), Slug: t.Slug, Name: t.Name, Locale: t.Locale, URL: termURL(links, permalink.Tag, tg.ID, t.Locale, t.Slug)}
		}
	}
	return TermDTO{ID: tg.ID.String()}
}

// articleURL is the public site's URL of a's translation t (computed when encoding, so
// cached responses and cards need nothing stored).
func articleURL(links *permalink.Links, a content.Article, t content.Translation) string {
	if links == nil || t.Slug == "" {
		return ""
	}
	target := permalink.Target{Locale: t.Locale, Slug: t.Slug, ID: a.ID.String()}
	if a.PublishedAt != nil {
		target.Published = *a.PublishedAt
	}
	return links.URL(permalink.Article, target)
}

// termURL is the public site's URL of a category or tag in one locale.
func termURL(links *permalink.Links, k permalink.Kind, id uuid.UUID, locale, slug string) string {
	if links == nil || slug == "" {
		return ""
	}
	return links.URL(k, permalink.Target{Locale: locale, Slug: slug, ID: id.String()})
}

// articleFields are the names fields= accepts.
var articleFields = []string{"id", "slug", "url", "locale", "requested_locale", "fallback", "title", "summary", "body", "body_locale",
	"meta_title", "meta_description", "reading_minutes", "published_at", "first_published_at", "updated_at", "featured", "read_count",
	"category", "tags", "translations", "cover"}
