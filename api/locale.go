package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/locale"
)

// negotiated is the locale a request asked for and whether it asked explicitly
// (?locale= or a matching Accept-Language) rather than getting the default, and Chain, the
// order in which to fall back: ?locale='s configured chain, or the reader's ranked
// Accept-Language choices before the configured chain of the first (issue 12).
type negotiated struct {
	Locale   string
	Explicit bool
	Chain    []string
}

// requestLocale negotiates the locale of a content request and marks the response as
// varying with Accept-Language.
func (s *Server) requestLocale(c echo.Context) (negotiated, error) {
	c.Response().Header().Add("Vary", "Accept-Language")
	q := c.QueryParam("locale")
	if strings.TrimSpace(q) != "" {
		l, err := s.locales.Parse(q)
		if errors.Is(err, locale.ErrUnsupported) {
			shown := q
			if len(shown) > 20 {
				shown = shown[:20] + "…"
			}
			p := validationProblem(FieldError{Field: "locale", Message: "unsupported locale " + strings.ToValidUTF8(shown, "?") + "; supported: " + strings.Join(s.locales.Codes(), ", ")})
			p.Type = typeUnsupportedLocale
			p.SupportedLocales = s.locales.Codes()
			return negotiated{}, p
		}
		return negotiated{l, true, s.locales.Chain(l)}, err
	}
	if ranked := s.locales.Ranked(c.Request().Header.Get("Accept-Language")); len(ranked) > 0 {
		return negotiated{ranked[0], true, s.locales.ReaderChain(ranked)}, nil
	}
	return negotiated{s.locales.Default(), false, s.locales.Chain(s.locales.Default())}, nil
}

// listContentLanguage is the Content-Language of a list: the locales its items are served
// in, in chain order; the requested locale when the list is empty.
func listContentLanguage(c echo.Context, neg negotiated, items []string) {
	if len(items) == 0 {
		contentLanguage(c, neg.Locale)
		return
	}
	var served []string
	for _, l := range neg.Chain {
		if has(items, l) {
			served = append(served, l)
		}
	}
	contentLanguage(c, served...)
}

// contentLanguage is the Content-Language of a response that serves locales (in order,
// repeats ignored): the languages actually in the body, not the one asked for.
func contentLanguage(c echo.Context, locales ...string) {
	var out []string
	for _, l := range locales {
		if l != "" && !has(out, l) {
			out = append(out, l)
		}
	}
	if len(out) > 0 {
		c.Response().Header().Set("Content-Language", strings.Join(out, ", "))
	}
}

// slugChain is the one rule of every lookup by slug (articles, categories, tags): a request
// that names no locale is served in the locale of the slug it used (the first of chain
// whose slug is ref); otherwise, and for lookups by id, chain stands.
func (s *Server) slugChain(neg negotiated, chain []string, ref string, slugIn func(locale string) string) []string {
	if neg.Explicit {
		return chain
	}
	for _, l := range chain {
		if slugIn(l) == ref {
			return s.locales.Chain(l)
		}
	}
	return chain
}

// LocaleDTO describes one supported locale.
type LocaleDTO struct {
	Code       string   `json:"code" example:"az"`
	Name       string   `json:"name" example:"Azerbaijani"`
	NativeName string   `json:"native_name" example:"Azərbaycan dili"`
	Default    bool     `json:"default" example:"true"`
	Fallbacks  []string `json:"fallbacks" example:"en,ru"`
} //	@name	Locale

// LocaleList is the body of GET /api/v1/locales.
type LocaleList struct {
	Data []LocaleDTO `json:"data"`
	Meta ListMeta    `json:"meta"`
} //	@name	LocaleList

var localeNames = map[string][2]string{
	"az": {"Azerbaijani", "Azərbaycan dili"}, "en": {"English", "English"}, "ru": {"Russian", "Русский"},
	"tr": {"Turkish", "Türkçe"}, "de": {"German", "Deutsch"}, "fr": {"French", "Français"},
	"ka": {"Georgian", "ქართული"}, "uk": {"Ukrainian", "Українська"}, "ar": {"Arabic", "العربية"},
	"fa": {"Persian", "فارسی"}, "es": {"Spanish", "Español"}, "kk": {"Kazakh", "Қазақ тілі"},
}

// listLocales godoc
//
//	@Summary		List supported locales
//	@Description	The locales content is served in, the default, and each locale's fallback chain.
//	@Tags			content
//	@Produce		json
//	@Success		200	{object}	LocaleList
//	@Header			200	{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200	{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304	"Not modified: If-None-Match matched (no body)"
//	@Failure		400	{object}	Problem	"Unknown query parameter (the accepted ones are named)"
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/locales [get]
func (s *Server) listLocales(c echo.Context) error {
	codes := s.locales.Codes()
	out := LocaleList{Data: make([]LocaleDTO, len(codes))}
	for i, code := range codes {
		n, ok := localeNames[code]
		if !ok {
			n = [2]string{code, code}
		}
		out.Data[i] = LocaleDTO{Code: code, Name: n[0], NativeName: n[1], Default: code == s.locales.Default(), Fallbacks: s.locales.Fallbacks(code)}
	}
	n := int64(len(codes))
	out.Meta.Total = &n
	return c.JSON(http.StatusOK, out)
}
