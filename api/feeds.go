package api

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/permalink"
)

// Feeds: RSS 2.0, Atom and JSON Feed of the latest articles of one locale, of a category or
// of a tag in that locale. Only articles translated into the locale are listed (a feed in
// one language never mixes in fallbacks). Links point at the public site (permalinks);
// feeds go through cachedGET like every public read.
//
// The documents are written here with encoding/xml and encoding/json rather than with
// gorilla/feeds (v1.2.0), which cannot say what these feeds must: its items hold one
// category (Atom's as text, where RFC 4287 requires a term attribute), it has no xml:lang,
// no media:content, one feed link where Atom needs self and alternate, JSON Feed items
// without language, an empty JSON Feed without its required items, and a misspelt
// banner_image; and the JSON Feed needs types of our own for the OpenAPI document.

// feedItems is how many articles a feed lists.
const feedItems = 50

// feedFormats are the feed file extensions and their media types.
var feedFormats = map[string]string{
	"rss":  "application/rss+xml; charset=utf-8",
	"atom": "application/atom+xml; charset=utf-8",
	"json": "application/feed+json; charset=utf-8",
}

// feedOrder lists the formats in the order the feed index shows them.
var feedOrder = []string{"rss", "atom", "json"}

// feedSpec names one feed: locale and format, and a category or tag ref (id or slug).
type feedSpec struct {
	locale, format string
	kind           permalink.Kind // permalink.Home (the locale's feed), Category or Tag
	ref            string
}

// splitFeedFile reads "az.rss" as ("az", "rss"); ok is false for an unknown format.
func splitFeedFile(file string) (name, format string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 {
		return "", "", false
	}
	name, format = file[:i], file[i+1:]
	_, ok = feedFormats[format]
	return name, format, ok
}

// localeFeed godoc
//
//	@Summary		Feed of a locale
//	@Description	The 50 latest published articles translated into the locale, newest first, as RSS 2.0 (.rss), Atom (.atom) or JSON Feed 1.1 (.json): title, link to the article's page on the public site (HERALD_SITE_URL and HERALD_PERMALINK_ARTICLE), summary, the body with content=full, publication and modification times, category and tags, the cover as an enclosure (RSS media:content, Atom link rel=enclosure, JSON Feed image and attachment), the locale as language and xml:lang. Needs HERALD_SITE_URL (404 without it).
//	@Tags			feeds
//	@Produce		application/rss+xml
//	@Produce		application/atom+xml
//	@Produce		application/feed+json
//	@Param			file	path		string			true	"Locale and format: az.rss, en.atom, ru.json"																		example(en.rss)
//	@Param			content	query		string			false	"summary: items carry the summary; full: also the body (RSS content:encoded, Atom content, JSON Feed content_html)"	Enums(summary, full)	default(summary)
//	@Success		200		{object}	JSONFeed		"The feed: RSS or Atom XML, or this JSON Feed"
//	@Header			200		{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200		{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304		"Not modified: If-None-Match matched (no body)"
//	@Failure		400		{object}	Problem	"Invalid content parameter; unknown query parameter (the accepted ones are named)"
//	@Failure		404		{object}	Problem	"No such locale or format, or HERALD_SITE_URL is not set"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/feeds/{file} [get]
func (s *Server) localeFeed(c echo.Context) error {
	loc, format, ok := splitFeedFile(c.Param("file"))
	if !ok {
		return noFeed()
	}
	return s.feed(c, feedSpec{locale: loc, format: format, kind: permalink.Home})
}

// categoryFeed godoc
//
//	@Summary		Feed of a category
//	@Description	As the locale's feed, restricted to one category (by its slug in any locale, or its id).
//	@Tags			feeds
//	@Produce		application/rss+xml
//	@Produce		application/atom+xml
//	@Produce		application/feed+json
//	@Param			locale	path		string			true	"Locale of the feed"							example(en)
//	@Param			file	path		string			true	"Category slug (or id) and format: news.rss"	example(news.atom)
//	@Param			content	query		string			false	"summary or full (see the locale's feed)"		Enums(summary, full)	default(summary)
//	@Success		200		{object}	JSONFeed		"The feed: RSS or Atom XML, or this JSON Feed"
//	@Header			200		{string}	ETag			"Strong validator of the body; send it back in If-None-Match"
//	@Header			200		{string}	Cache-Control	"public, max-age and stale-while-revalidate"
//	@Success		304		"Not modified: If-None-Match matched (no body)"
//	@Failure		400		{object}	Problem	"Invalid content parameter; unknown query parameter"
//	@Failure		404		{object}	Problem	"No such locale, format or category, or HERALD_SITE_URL is not set"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem	"The database is unavailable or the read took too long (Retry-After)"
//	@Router			/feeds/{locale}/category/{file} [get]
func (s *Server) categoryFeed(c echo.Context) error {
	ref, format, ok := splitFeedFile(c.Param("file"))
	if !ok {
		return noFeed()
	}
	return s.feed(c, feedSpec{locale: c.Param("locale"), format: format, kind: permalink.Category, ref: ref})
}

// tagFeed godoc
//
//	@Summary		Feed of a tag
//	@Description	As the locale's feed, restricted to one tag (by its slug in any locale, or its id).
//	@Tags			feeds
//	@Produce		application/rss+xml
//	@Produce		application/atom+xml
//	@Produce		application/feed+json
//	@Param			locale	path		string			true	"Locale of the feed"							example(en)
//	@Param			file	path		string			true	"Tag slug (or id) and format: children.json"	example(children.json)
//	@Param			content	query		string			false	"summary or full (see the locale's feed)"		Enums(summary, full)	default(summary)
//	@Success		200		{object}	JSONFeed		"The feed: RSS or Atom XML, or this JSON Feed"
//	@Header			200		{string}	ETag			"Strong validator of the body; send it back in If-None-Match"
//	@Header			200		{string}	Cache-Control	"public, max-age and stale-while-revalidate"
//	@Success		304		"Not modified: If-None-Match matched (no body)"
//	@Failure		400		{object}	Problem	"Invalid content parameter; unknown query parameter"
//	@Failure		404		{object}	Problem	"No such locale, format or tag, or HERALD_SITE_URL is not set"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem	"The database is unavailable or the read took too long (Retry-After)"
//	@Router			/feeds/{locale}/tag/{file} [get]
func (s *Server) tagFeed(c echo.Context) error {
	ref, format, ok := splitFeedFile(c.Param("file"))
	if !ok {
		return noFeed()
	}
	return s.feed(c, feedSpec{locale: c.Param("locale"), format: format, kind: permalink.Tag, ref: ref})
}

func noFeed() error {
	return errs.New(errs.NotFound, "no such feed: feeds are /feeds/{locale}.{rss|atom|json}, /feeds/{locale}/category/{slug}.{…} and /feeds/{locale}/tag/{slug}.{…}")
}

// needSite refuses feeds and sitemaps when URLs would not be absolute.
func (s *Server) needSite() error {
	if !s.links.Absolute() {
		return errs.New(errs.NotFound, "feeds and sitemaps need the public site's address: set HERALD_SITE_URL")
	}
	return nil
}

// selfBase is the origin feed and sitemap files are linked under: the API's public URL, or
// else the site's (which then proxies /feeds/ and /sitemaps/ to Herald). Never the request's
// Host header, which a client chooses and cached bodies would keep.
func (s *Server) selfBase() string {
	if s.publicURL != "" {
		return s.publicURL
	}
	return s.links.Site()
}

// feedData is a feed before encoding: what every format says.
type feedData struct {
	locale, title, description, link, self, author string
	updated                                        time.Time
	full                                           bool
	items                                          []ArticleDTO
}

func (s *Server) feed(c echo.Context, f feedSpec) error {
	if err := s.needSite(); err != nil {
		return err
	}
	if !s.locales.Supported(f.locale) {
		return errs.Errorf(errs.NotFound, "no feed in locale %q; the locales are %s", f.locale, strings.Join(s.locales.Codes(), ", "))
	}
	var qe queryErrors
	mode := qe.listParam(c, "content", []string{"summary", "full"})
	if len(mode) > 1 {
		qe.add("content", "takes one of summary, full")
	}
	if err := qe.err(); err != nil {
		return err
	}
	full := has(mode, "full")
	chain := s.locales.Chain(f.locale)
	ctx := media.WithPreload(c.Request().Context()) // covers come with the page
	site, err := s.siteName(ctx, chain)
	if err != nil {
		return err
	}
	d := feedData{locale: f.locale, title: site, author: site, full: full,
		link: s.links.URL(permalink.Home, permalink.Target{Locale: f.locale})}
	d.self = s.selfBase() + c.Request().URL.Path
	if full {
		d.self += "?content=full"
	}
	q := content.ListQuery{Chain: chain, OnlyLocale: f.locale, Limit: feedItems, WithBody: full, Sort: content.SortNewest}
	switch f.kind {
	case permalink.Category:
		cat, err := s.content.Category(ctx, f.ref, chain)
		if err != nil {
			return err
		}
		term := categoryTerm(cat, chain, s.links)
		q.Category, d.title, d.link, d.updated = cat.ID.String(), term.Name+" — "+site, term.URL, cat.UpdatedAt
		d.description = term.Name
	case permalink.Tag:
		tg, err := s.content.Tag(ctx, f.ref, chain)
		if err != nil {
			return err
		}
		term := tagTerm(tg, chain, s.links)
		q.Tags, d.title, d.link, d.updated = []string{tg.ID.String()}, term.Name+" — "+site, term.URL, tg.UpdatedAt
		d.description = term.Name
	}
	if d.description == "" {
		d.description = site
	}
	p, err := s.content.ListArticles(ctx, q)
	if err != nil {
		return err
	}
	d.items = make([]ArticleDTO, len(p.Articles))
	view := articleView{body: full, links: s.links, terms: newTermMemo()}
	for i, a := range p.Articles {
		d.items[i] = newArticleDTO(a, chain, view)
		mod, err := s.lastModified(ctx, a)
		if err != nil {
			return err
		}
		d.items[i].UpdatedAt = mod
		if mod.After(d.updated) {
			d.updated = mod
		}
	}
	if err := s.embedCovers(ctx, p.Articles, func(i int) *ArticleDTO { return &d.items[i] }, chain); err != nil {
		return err
	}
	var body []byte
	switch f.format {
	case "rss":
		body, err = xmlDoc(rssOf(d))
	case "atom":
		body, err = xmlDoc(atomOf(d))
	default:
		body, err = json.MarshalIndent(jsonFeedOf(d), "", "  ")
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", f.locale)
	return c.Blob(http.StatusOK, feedFormats[f.format], body)
}

// siteName is the site_name setting in the first locale of chain that has one.
func (s *Server) siteName(ctx context.Context, chain []string) (string, error) {
	all, err := s.content.Settings(ctx)
	if err != nil {
		return "", err
	}
	best, name := len(chain)+1, ""
	for _, st := range all {
		if st.Key != "site_name" {
			continue
		}
		rank := len(chain) // shared by all locales
		for i, l := range chain {
			if l == st.Locale {
				rank = i
			}
		}
		if st.Locale != "" && rank == len(chain) {
			continue
		}
		if rank < best {
			best, name = rank, st.Value
		}
	}
	if name == "" {
		name = "Herald"
	}
	return name, nil
}

func xmlDoc(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// terms are an item's category and tags, as feeds list them.
func terms(a ArticleDTO) []TermDTO {
	var out []TermDTO
	if a.Category != nil && a.Category.Name != "" {
		out = append(out, *a.Category)
	}
	for _, t := range a.Tags {
		if t.Name != "" {
			out = append(out, t)
		}
	}
	return out
}

func articleURN(id string) string { return "urn:uuid:" + id }

// RSS 2.0 with the content, media (Media RSS) and atom (self link) extensions.
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Media   string     `xml:"xmlns:media,attr"`
	Lang    string     `xml:"xml:lang,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	Description string        `xml:"description"`
	Content     string        `xml:"content:encoded,omitempty"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Categories  []rssCategory `xml:"category"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
	Media       *mediaContent `xml:"media:content"`
}

type rssGUID struct {
	ID          string `xml:",chardata"`
	IsPermaLink string `xml:"isPermaLink,attr"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Name   string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaContent struct {
	URL         string `xml:"url,attr"`
	Type        string `xml:"type,attr,omitempty"`
	Medium      string `xml:"medium,attr"`
	FileSize    int64  `xml:"fileSize,attr,omitempty"`
	Width       int    `xml:"width,attr,omitempty"`
	Height      int    `xml:"height,attr,omitempty"`
	Description string `xml:"media:description,omitempty"`
}

func rssOf(d feedData) rssDoc {
	ch := rssChannel{Title: d.title, Link: d.link, Description: d.description, Language: d.locale, Generator: "Herald",
		Self: atomLink{Href: d.self, Rel: "self", Type: strings.TrimSuffix(feedFormats["rss"], "; charset=utf-8")}, Items: []rssItem{}}
	if !d.updated.IsZero() {
		ch.LastBuildDate = d.updated.UTC().Format(time.RFC1123Z)
	}
	for _, a := range d.items {
		it := rssItem{Title: a.Title, Link: a.URL, Description: a.Summary, GUID: rssGUID{ID: articleURN(a.ID), IsPermaLink: "false"},
			PubDate: a.PublishedAt.UTC().Format(time.RFC1123Z)}
		if d.full {
			it.Content = a.Body
		}
		for _, t := range terms(a) {
			it.Categories = append(it.Categories, rssCategory{Domain: t.URL, Name: t.Name})
		}
		if m := a.Cover; m != nil {
			it.Enclosure = &rssEnclosure{URL: m.URLs.Original, Length: strconv.FormatInt(m.Size, 10), Type: m.MIME}
			it.Media = &mediaContent{URL: m.URLs.Original, Type: m.MIME, Medium: m.Type, FileSize: m.Size, Width: m.Width, Height: m.Height, Description: m.Alt}
		}
		ch.Items = append(ch.Items, it)
	}
	return rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/",
		Media: "http://search.yahoo.com/mrss/", Lang: d.locale, Channel: ch}
}

// Atom (RFC 4287).
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href     string `xml:"href,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
	Length   int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Content    *atomText      `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

func atomOf(d feedData) atomFeed {
	f := atomFeed{Lang: d.locale, ID: d.self, Title: d.title, Updated: atomTime(d.updated), Author: atomPerson{Name: d.author},
		Generator: "Herald", Entries: []atomEntry{}, Links: []atomLink{
			{Href: d.self, Rel: "self", Type: strings.TrimSuffix(feedFormats["atom"], "; charset=utf-8")},
			{Href: d.link, Rel: "alternate", Type: "text/html", HrefLang: d.locale}}}
	if d.description != d.title {
		f.Subtitle = d.description
	}
	for _, a := range d.items {
		e := atomEntry{ID: articleURN(a.ID), Title: a.Title, Updated: atomTime(a.UpdatedAt), Published: atomTime(a.PublishedAt),
			Links:   []atomLink{{Href: a.URL, Rel: "alternate", Type: "text/html", HrefLang: a.Locale}},
			Summary: atomText{Type: "text", Text: a.Summary}}
		if d.full {
			e.Content = &atomText{Type: "html", Text: a.Body}
		}
		for _, t := range terms(a) {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name, Scheme: t.URL})
		}
		if m := a.Cover; m != nil {
			e.Links = append(e.Links, atomLink{Href: m.URLs.Original, Rel: "enclosure", Type: m.MIME, Length: m.Size, Title: m.Alt})
		}
		f.Entries = append(f.Entries, e)
	}
	return f
}

// atomTime is RFC 3339 in UTC; the zero time (an empty feed) is the Unix epoch, so the
// document stays valid and its validator stable.
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// JSONFeed is a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
type JSONFeed struct {
	Version     string         `json:"version" example:"https://jsonfeed.org/version/1.1"`
	Title       string         `json:"title"`
	Language    string         `json:"language" example:"en"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Authors     []JSONFeedName `json:"authors"`
	Items       []JSONFeedItem `json:"items"`
} //	@name	JSONFeed

// JSONFeedName is a JSON Feed author.
type JSONFeedName struct {
	Name string `json:"name"`
} //	@name	JSONFeedAuthor

// JSONFeedItem is one article of a JSON Feed: content_html with content=full, else
// content_text (the summary).
type JSONFeedItem struct {
	ID            string               `json:"id" format:"uri" example:"urn:uuid:01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	URL           string               `json:"url"`
	Title         string               `json:"title"`
	Summary       string               `json:"summary,omitempty"`
	ContentHTML   string               `json:"content_html,omitempty"`
	ContentText   string               `json:"content_text,omitempty"`
	Image         string               `json:"image,omitempty"`
	DatePublished time.Time            `json:"date_published"`
	DateModified  time.Time            `json:"date_modified"`
	Language      string               `json:"language"`
	Tags          []string             `json:"tags,omitempty"`
	Attachments   []JSONFeedAttachment `json:"attachments,omitempty"`
} //	@name	JSONFeedItem

// JSONFeedAttachment is a cover image as a JSON Feed attachment.
type JSONFeedAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type" example:"image/jpeg"`
	Title    string `json:"title,omitempty"`
	Size     int64  `json:"size_in_bytes"`
} //	@name	JSONFeedAttachment

func jsonFeedOf(d feedData) JSONFeed {
	f := JSONFeed{Version: "https://jsonfeed.org/version/1.1", Title: d.title, Language: d.locale, HomePageURL: d.link,
		FeedURL: d.self, Description: d.description, Authors: []JSONFeedName{{Name: d.author}}, Items: []JSONFeedItem{}}
	for _, a := range d.items {
		it := JSONFeedItem{ID: articleURN(a.ID), URL: a.URL, Title: a.Title, Summary: a.Summary, Language: a.Locale,
			DatePublished: a.PublishedAt.UTC(), DateModified: a.UpdatedAt.UTC()}
		if d.full {
			it.ContentHTML = a.Body
		} else {
			it.ContentText = a.Summary
		}
		for _, t := range terms(a) {
			it.Tags = append(it.Tags, t.Name)
		}
		if m := a.Cover; m != nil {
			it.Image = m.URLs.Large
			if it.Image == "" {
				it.Image = m.URLs.Original
			}
			it.Attachments = []JSONFeedAttachment{{URL: m.URLs.Original, MIMEType: m.MIME, Title: m.Alt, Size: m.Size}}
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// frontendRoutes serves feeds and sitemaps at the root (where a site proxies them) and the
// feed index under /api/v1.
func (s *Server) frontendRoutes(v1 *echo.Group) {
	e := s.echo
	s.publicGET(e, "/feeds/:file", s.localeFeed)
	s.publicGET(e, "/feeds/:locale/category/:file", s.categoryFeed)
	s.publicGET(e, "/feeds/:locale/tag/:file", s.tagFeed)
	s.publicGET(v1, "/feeds", s.listFeeds)
	s.sitemapRoutes()
}

// FeedLink is one feed, as a frontend puts it in <link rel="alternate" type href title>
// for autodiscovery.
type FeedLink struct {
	// Kind is locale (the locale's latest articles) or category.
	Kind   string `json:"kind" example:"locale" enums:"locale,category"`
	Locale string `json:"locale" example:"en"`
	Format string `json:"format" example:"rss" enums:"rss,atom,json"`
	// Type is the media type for the link's type attribute.
	Type  string `json:"type" example:"application/rss+xml"`
	Title string `json:"title" example:"Ombudsman"`
	Href  string `json:"href" example:"https://api.news.example/feeds/en.rss"`
} //	@name	FeedLink

// FeedIndex is the body of GET /api/v1/feeds.
type FeedIndex struct {
	Data []FeedLink `json:"data"`
	// TagFeed is the URL template of a tag's feed ({slug}: a tag's slug; {format}: rss,
	// atom or json).
	TagFeed string   `json:"tag_feed" example:"https://api.news.example/feeds/en/tag/{slug}.{format}"`
	Meta    ListMeta `json:"meta"`
} //	@name	FeedIndex

// listFeeds godoc
//
//	@Summary		List feeds for autodiscovery
//	@Description	The feeds of the negotiated locale: its latest articles and each category's, in RSS, Atom and JSON Feed, with the media type and title a frontend puts in <link rel="alternate"> tags, and the URL template of tag feeds. Feed URLs are absolute under HERALD_PUBLIC_URL (else HERALD_SITE_URL, which then proxies /feeds/). Empty without HERALD_SITE_URL.
//	@Tags			feeds
//	@Produce		json
//	@Param			locale			query		string	false	"Locale to serve"
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	FeedIndex
//	@Header			200				{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/feeds [get]
func (s *Server) listFeeds(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	loc := neg.Locale
	out := FeedIndex{Data: []FeedLink{}, Meta: ListMeta{Locale: loc}}
	if !s.links.Absolute() {
		return c.JSON(http.StatusOK, out)
	}
	ctx := c.Request().Context()
	chain := s.locales.Chain(loc)
	site, err := s.siteName(ctx, chain)
	if err != nil {
		return err
	}
	cats, err := s.content.Categories(ctx)
	if err != nil {
		return err
	}
	base := s.selfBase() + "/feeds/"
	add := func(kind, title, path string) {
		for _, f := range feedOrder {
			out.Data = append(out.Data, FeedLink{Kind: kind, Locale: loc, Format: f, Type: strings.TrimSuffix(feedFormats[f], "; charset=utf-8"),
				Title: title, Href: base + path + "." + f})
		}
	}
	add("locale", site, loc)
	for _, cat := range cats {
		t, ok := cat.Translation(loc)
		if !ok {
			continue
		}
		add("category", t.Name+" — "+site, loc+"/category/"+url.PathEscape(t.Slug))
	}
	out.TagFeed = base + loc + "/tag/{slug}.{format}"
	n := int64(len(out.Data))
	out.Meta.Total = &n
	c.Response().Header().Set("Content-Language", loc)
	return c.JSON(http.StatusOK, out)
}
