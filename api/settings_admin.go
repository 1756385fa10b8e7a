package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// SettingDTO is one stored site setting; locale "" is shared by every locale.
type SettingDTO struct {
	Key       string    `json:"key" example:"site_name"`
	Locale    string    `json:"locale" example:"az"`
	Value     string    `json:"value" example:"Ombudsman"`
	UpdatedAt time.Time `json:"updated_at"`
} //	@name	SettingEntry

// SettingsList is every stored site setting.
type SettingsList struct {
	Data []SettingDTO `json:"data"`
} //	@name	SettingsList

// PutSettingsRequest sets site settings in one locale ("" for values shared by every
// locale, such as a phone number). A null value deletes the key; keys not listed stay.
type PutSettingsRequest struct {
	Locale   string             `json:"locale" example:"az"`
	Settings map[string]*string `json:"settings" swaggertype:"object,string" example:"site_name:Ombudsman,call_center:916"`
} //	@name	PutSettingsRequest

// adminGetSettings godoc
//
//	@Summary		List every site setting
//	@Description	Every key in every locale, as stored (the public GET /api/v1/settings resolves one locale with fallback).
//	@Tags			admin-settings
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Success		200	{object}	SettingsList
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/settings [get]
func (s *Server) adminGetSettings(c echo.Context) error {
	all, err := s.content.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	out := SettingsList{Data: make([]SettingDTO, len(all))}
	for i, st := range all {
		out.Data[i] = SettingDTO{Key: st.Key, Locale: st.Locale, Value: st.Value, UpdatedAt: st.UpdatedAt}
	}
	return c.JSON(http.StatusOK, out)
}

// adminPutSettings godoc
//
//	@Summary		Set site settings in one locale
//	@Description	Sets the listed keys in the locale ("" for a value shared by every locale); null deletes a key. Keys are lower-case letters, digits and underscores. Editors and admins only.
//	@Tags			admin-settings
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		PutSettingsRequest	true	"Locale and values"
//	@Success		200		{object}	SettingsList
//	@Failure		400		{object}	Problem	"Invalid key, value or locale"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/settings [put]
func (s *Server) adminPutSettings(c echo.Context) error {
	var req PutSettingsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Locale != "" {
		var fe fieldErrors
		s.checkLocale(&fe, "locale", req.Locale)
		if err := fe.err(); err != nil {
			return err
		}
	}
	if err := s.content.PutSettings(c.Request().Context(), actorOf(c), req.Locale, req.Settings); err != nil {
		return err
	}
	return s.adminGetSettings(c)
}
