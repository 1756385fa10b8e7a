package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// SettingsDTO is the site settings in one locale: each key takes its value from the first
// locale of the fallback chain that has it, or from the locale-neutral value.
type SettingsDTO struct {
	Locale          string            `json:"locale" example:"az"`
	RequestedLocale string            `json:"requested_locale" example:"az"`
	Settings        map[string]string `json:"settings" example:"site_name:Ombudsman,call_center:916"`
} //	@name	Settings

// getSettings godoc
//
//	@Summary		Get site settings
//	@Description	Per-locale site settings such as site_name and call_center, with fallback per key.
//	@Tags			content
//	@Produce		json
//	@Param			locale			query		string	false	"Locale to serve"
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	SettingsDTO
//	@Header			200				{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/settings [get]
func (s *Server) getSettings(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	all, err := s.content.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settingsIn(all, neg.Locale, neg.Chain))
}

// settingsIn is the settings served in locale: each key from the first locale of chain
// that has it, else its locale-neutral value.
func settingsIn(all []content.Setting, locale string, chain []string) SettingsDTO {
	rank := map[string]int{"": len(chain)}
	for i, l := range chain {
		rank[l] = i
	}
	best := map[string]int{}
	out := SettingsDTO{Locale: locale, RequestedLocale: locale, Settings: map[string]string{}}
	for _, st := range all {
		r, ok := rank[st.Locale]
		if !ok {
			continue
		}
		if b, seen := best[st.Key]; !seen || r < b {
			best[st.Key] = r
			out.Settings[st.Key] = st.Value
		}
	}
	return out
}
