package api

import (
	"bufio"
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/permalink"
)

// Sitemaps: an index (/sitemap.xml) listing, per locale, files of at most
// HERALD_SITEMAP_URLS_PER_FILE article URLs (/sitemaps/{locale}-{n}.xml, oldest first, so a
// file's content changes only when its own articles do), and a Google News sitemap of the
// last two days (/sitemaps/news.xml). Each entry names every translation of its article
// (xhtml:link hreflang, and x-default), its modification time and its cover. A file is read
// in keyset batches of slugs, times and covers (content.WalkSitemap: no cards) and written
// as it goes; cachedGET keeps it.

// maxSitemapURLs is the sitemaps.org limit of URLs in one file.
const maxSitemapURLs = 50_000

// newsWindow and maxNewsURLs are Google News' rules: articles of the last two days, at most
// 1,000 URLs a file.
const (
	newsWindow  = 48 * time.Hour
	maxNewsURLs = 1000
)

const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	xhtmlNS   = "http://www.w3.org/1999/xhtml"
	imageNS   = "http://www.google.com/schemas/sitemap-image/1.1"
	newsNS    = "http://www.google.com/schemas/sitemap-news/0.9"
	xmlType   = "application/xml; charset=utf-8"
)

// sitemapIndex godoc
//
//	@Summary		Sitemap index
//	@Description	Lists the sitemap files: per locale with published articles, /sitemaps/{locale}-{n}.xml of at most HERALD_SITEMAP_URLS_PER_FILE URLs each (oldest articles in the first), and /sitemaps/news.xml when an article was published in the last two days. File URLs are absolute under HERALD_PUBLIC_URL (else HERALD_SITE_URL, which then proxies /sitemap.xml and /sitemaps/ to Herald; a robots.txt line "Sitemap: <this URL>" lets search engines take it from the API's host). Needs HERALD_SITE_URL.
//	@Tags			sitemaps
//	@Produce		application/xml
//	@Success		200	{string}	string			"sitemapindex (sitemaps.org 0.9)"
//	@Header			200	{string}	ETag			"Strong validator of the body; send it back in If-None-Match"
//	@Header			200	{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate"
//	@Success		304	"Not modified: If-None-Match matched (no body)"
//	@Failure		400	{object}	Problem	"Unknown query parameter"
//	@Failure		404	{object}	Problem	"No published article yet, or HERALD_SITE_URL is not set"
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem	"The database is unavailable or the read took too long (Retry-After)"
//	@Router			/sitemap.xml [get]
func (s *Server) sitemapIndex(c echo.Context) error {
	if err := s.needSite(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	type entry struct {
		Loc string `xml:"loc"`
	}
	var files []entry
	base := s.selfBase() + "/sitemaps/"
	counts, err := s.content.SitemapCounts(ctx, s.locales.Codes())
	if err != nil {
		return err
	}
	for _, loc := range s.locales.Codes() {
		n := counts[loc]
		for p := int64(1); p <= (n+int64(s.sitemapPerFile)-1)/int64(s.sitemapPerFile); p++ {
			files = append(files, entry{Loc: base + loc + "-" + strconv.FormatInt(p, 10) + ".xml"})
		}
	}
	recent, err := s.content.RecentSitemap(ctx, s.content.Now().Add(-newsWindow), 1)
	if err != nil {
		return err
	}
	if len(recent) > 0 {
		files = append(files, entry{Loc: base + "news.xml"})
	}
	if len(files) == 0 {
		return errs.New(errs.NotFound, "no published article yet: a sitemap index must list at least one sitemap")
	}
	body, err := xmlDoc(struct {
		XMLName xml.Name `xml:"sitemapindex"`
		NS      string   `xml:"xmlns,attr"`
		Files   []entry  `xml:"sitemap"`
	}{NS: sitemapNS, Files: files})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, xmlType, body)
}

// sitemapFile godoc
//
//	@Summary		Sitemap file
//	@Description	{locale}-{n}.xml: the n-th HERALD_SITEMAP_URLS_PER_FILE published articles translated into the locale, oldest first; each URL with lastmod (the article's last modification), an xhtml:link rel=alternate hreflang for every translation and x-default (the default locale's, else the first of its fallback chain), and the cover as image:image. news.xml: Google News sitemap of every translation of the articles published in the last two days (at most 1,000 URLs), with publication name (site_name in that locale), language, date and title.
//	@Tags			sitemaps
//	@Produce		application/xml
//	@Param			file	path		string			true	"{locale}-{n}.xml or news.xml"	example(en-1.xml)
//	@Success		200		{string}	string			"urlset (sitemaps.org 0.9 with the xhtml, image and news extensions)"
//	@Header			200		{string}	ETag			"Strong validator of the body; send it back in If-None-Match"
//	@Header			200		{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate"
//	@Success		304		"Not modified: If-None-Match matched (no body)"
//	@Failure		400		{object}	Problem	"Unknown query parameter"
//	@Failure		404		{object}	Problem	"No such file (a locale, page or news file without articles), or HERALD_SITE_URL is not set"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem	"The database is unavailable or the read took too long (Retry-After)"
//	@Router			/sitemaps/{file} [get]
func (s *Server) sitemapFile(c echo.Context) error {
	if err := s.needSite(); err != nil {
		return err
	}
	file := c.Param("file")
	if file == "news.xml" {
		return s.newsSitemap(c)
	}
	name, ok := strings.CutSuffix(file, ".xml")
	i := strings.LastIndexByte(name, '-')
	if !ok || i <= 0 {
		return noSitemap()
	}
	loc := name[:i]
	page, err := strconv.Atoi(name[i+1:])
	if err != nil || page < 1 || page > maxSitemapURLs || strconv.Itoa(page) != name[i+1:] || !s.locales.Supported(loc) {
		return noSitemap()
	}
	ctx := media.WithPreload(c.Request().Context()) // covers come with each batch
	// A page past the end is refused by the (remembered) count, so asking for one cannot
	// make the database skip the whole archive.
	counts, err := s.content.SitemapCounts(ctx, s.locales.Codes())
	if err != nil {
		return err
	}
	if int64(page-1)*int64(s.sitemapPerFile) >= counts[loc] {
		return noSitemap()
	}
	w := s.newURLSet(c)
	err = s.content.WalkSitemap(ctx, loc, (page-1)*s.sitemapPerFile, s.sitemapPerFile, func(es []content.SitemapEntry) error {
		covers, err := s.coverURLs(ctx, es)
		if err != nil {
			return err
		}
		for i := range es {
			e := &es[i]
			t, _ := e.Translation(loc)
			var cover string
			if e.CoverMediaID != nil {
				cover = covers[*e.CoverMediaID]
			}
			if err := w.add(e, t, cover, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if w.n == 0 {
		return noSitemap()
	}
	return w.close()
}

func noSitemap() error {
	return errs.New(errs.NotFound, "no such sitemap: files are /sitemaps/{locale}-{n}.xml (listed in /sitemap.xml) and /sitemaps/news.xml")
}

// newsSitemap is the Google News sitemap: each translation of each article published in the
// last two days.
func (s *Server) newsSitemap(c echo.Context) error {
	ctx := c.Request().Context()
	es, err := s.content.RecentSitemap(ctx, s.content.Now().Add(-newsWindow), maxNewsURLs)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, loc := range s.locales.Codes() {
		if names[loc], err = s.siteName(ctx, s.locales.Chain(loc)); err != nil {
			return err
		}
	}
	w := s.newURLSet(c)
	for i := range es {
		e := &es[i]
		for _, t := range e.Translations {
			if w.n == maxNewsURLs {
				break
			}
			name, ok := names[t.Locale]
			if !ok {
				continue
			}
			lang, _, _ := strings.Cut(t.Locale, "-") // Google News takes ISO 639 codes (and zh-cn, zh-tw)
			if t.Locale == "zh-cn" || t.Locale == "zh-tw" {
				lang = t.Locale
			}
			if err := w.add(e, t, "", &sitemapNews{Name: name, Language: lang, Date: e.PublishedAt, Title: t.Title}); err != nil {
				return err
			}
		}
	}
	if w.n == 0 {
		return errs.New(errs.NotFound, "no article was published in the last two days")
	}
	return w.close()
}

// coverURLs maps the image covers of es to their original file's URL (preloaded with the
// batch: no query).
func (s *Server) coverURLs(ctx context.Context, es []content.SitemapEntry) (map[uuid.UUID]string, error) {
	out := map[uuid.UUID]string{}
	if s.media == nil {
		return out, nil
	}
	var ids []uuid.UUID
	for _, e := range es {
		if e.CoverMediaID != nil {
			ids = append(ids, *e.CoverMediaID)
		}
	}
	items, err := s.media.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, m := range items {
		if m.Kind == media.Image {
			out[id] = s.mediaURL(m.Key)
		}
	}
	return out, nil
}

type sitemapNews struct {
	Name, Language, Title string
	Date                  time.Time
}

// urlSetWriter writes a urlset entry by entry, by hand: at 50,000 entries a file,
// reflection-driven encoding (encoding/xml) cost more than the query. It buffers 64 KiB at
// a time on the response (which cachedGET records).
type urlSetWriter struct {
	s   *Server
	c   echo.Context
	w   *bufio.Writer
	n   int
	buf []byte
	// codes are the configured locales, xdef the indexes in codes of the default locale's
	// chain (x-default), urls an entry's URL per code ("": no translation), reused.
	codes []string
	xdef  []int
	urls  []string
}

// newURLSet starts nothing: the document begins with the first entry, so a file with none
// can still answer 404.
func (s *Server) newURLSet(c echo.Context) *urlSetWriter {
	w := &urlSetWriter{s: s, c: c, codes: s.locales.Codes()}
	w.urls = make([]string, len(w.codes))
	for _, code := range s.locales.Chain(s.locales.Default()) {
		for i, c := range w.codes {
			if c == code {
				w.xdef = append(w.xdef, i)
			}
		}
	}
	return w
}

const urlSetStart = xml.Header + `<urlset xmlns="` + sitemapNS + `" xmlns:xhtml="` + xhtmlNS + `" xmlns:image="` + imageNS + `" xmlns:news="` + newsNS + `">` + "\n"

// add writes the entry of e's translation t: its URL, lastmod, an xhtml:link alternate for
// every translation of e in the configured locale order and x-default (the default
// locale's, else the first its fallback chain has), the cover as image:image, and news.
func (w *urlSetWriter) add(e *content.SitemapEntry, t content.SitemapTranslation, cover string, news *sitemapNews) error {
	if w.w == nil {
		r := w.c.Response()
		r.Header().Set(echo.HeaderContentType, xmlType)
		r.WriteHeader(http.StatusOK)
		w.w = bufio.NewWriterSize(r, 64<<10)
		if _, err := w.w.WriteString(urlSetStart); err != nil {
			return err
		}
	}
	loc := ""
	for i, code := range w.codes {
		w.urls[i] = ""
		if tr, ok := e.Translation(code); ok {
			w.urls[i] = w.s.links.URL(permalink.Article, permalink.Target{Locale: code, Slug: tr.Slug, ID: e.ID.String(), Published: e.PublishedAt})
			if code == t.Locale {
				loc = w.urls[i]
			}
		}
	}
	if loc == "" {
		return nil // a locale the configuration no longer has
	}
	b := append(w.buf[:0], "<url><loc>"...)
	b = appendEscaped(b, loc)
	b = append(b, "</loc><lastmod>"...)
	b = e.UpdatedAt.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, "</lastmod>"...)
	for i, code := range w.codes {
		if w.urls[i] != "" {
			b = appendLink(b, code, w.urls[i])
		}
	}
	for _, i := range w.xdef {
		if w.urls[i] != "" {
			b = appendLink(b, "x-default", w.urls[i])
			break
		}
	}
	if cover != "" {
		b = append(b, "<image:image><image:loc>"...)
		b = appendEscaped(b, cover)
		b = append(b, "</image:loc></image:image>"...)
	}
	if news != nil {
		b = append(b, "<news:news><news:publication><news:name>"...)
		b = appendEscaped(b, news.Name)
		b = append(b, "</news:name><news:language>"...)
		b = appendEscaped(b, news.Language)
		b = append(b, "</news:language></news:publication><news:publication_date>"...)
		b = news.Date.UTC().AppendFormat(b, time.RFC3339)
		b = append(b, "</news:publication_date><news:title>"...)
		b = appendEscaped(b, news.Title)
		b = append(b, "</news:title></news:news>"...)
	}
	b = append(b, "</url>\n"...)
	w.buf = b
	w.n++
	_, err := w.w.Write(b)
	return err
}

func appendLink(b []byte, hreflang, href string) []byte {
	b = append(b, `<xhtml:link rel="alternate" hreflang="`...)
	b = appendEscaped(b, hreflang)
	b = append(b, `" href="`...)
	b = appendEscaped(b, href)
	return append(b, `"/>`...)
}

// appendEscaped appends s as XML character data or an attribute value, as encoding/xml
// escapes it: the markup characters, tab, newline and carriage return as references, and
// characters XML cannot hold (other controls, invalid UTF-8) as U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' {
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&#34;"...)
		case r == '\'':
			b = append(b, "&#39;"...)
		case r == '\t':
			b = append(b, "&#x9;"...)
		case r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case !xmlChar(r) || (r == utf8.RuneError && size == 1):
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// xmlChar is the Char production of XML 1.0.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func (w *urlSetWriter) close() error {
	if _, err := w.w.WriteString("</urlset>\n"); err != nil {
		return err
	}
	return w.w.Flush()
}

// sitemapRoutes serves the sitemaps at the root, where a site proxies them.
func (s *Server) sitemapRoutes() {
	s.publicGET(s.echo, "/sitemap.xml", s.sitemapIndex)
	s.publicGET(s.echo, "/sitemaps/:file", s.sitemapFile)
}
