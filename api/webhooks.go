package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/webhooks"
)

// webhookRoutes are the Admin API of webhook endpoints (admins only). Each route carries its
// middleware: an Echo group with middleware would route every other method on its prefix to
// 404 instead of 405.
func (s *Server) webhookRoutes(admin *echo.Group) {
	mw := []echo.MiddlewareFunc{s.requireRole(adminRoles...), s.needWebhooks}
	admin.GET("/webhooks", s.listWebhooks, mw...)
	admin.POST("/webhooks", s.createWebhook, mw...)
	admin.GET("/webhooks/:id", s.getWebhook, mw...)
	admin.PATCH("/webhooks/:id", s.updateWebhook, mw...)
	admin.DELETE("/webhooks/:id", s.deleteWebhook, mw...)
	admin.POST("/webhooks/:id/secret", s.rotateWebhookSecret, mw...)
	admin.POST("/webhooks/:id/ping", s.pingWebhook, mw...)
	admin.GET("/webhooks/:id/deliveries", s.listWebhookDeliveries, mw...)
	admin.GET("/webhooks/:id/deliveries/:delivery", s.getWebhookDelivery, mw...)
	admin.POST("/webhooks/:id/deliveries/:delivery/redeliver", s.redeliverWebhook, mw...)
}

// needWebhooks answers 503 on a router built without the webhook service.
func (s *Server) needWebhooks(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.webhooks == nil {
			return newProblem(http.StatusServiceUnavailable, "webhooks are not available on this server")
		}
		return next(c)
	}
}

// WebhookDTO is a registered endpoint, without its secret.
type WebhookDTO struct {
	ID          uuid.UUID `json:"id"`
	URL         string    `json:"url" example:"https://news.example/api/revalidate"`
	Description string    `json:"description" example:"Next.js revalidation"`
	Events      []string  `json:"events" example:"article.published,article.updated"`
	// Locales filters article and taxonomy events to these locales; empty means all.
	Locales []string `json:"locales" example:"en"`
	Enabled bool     `json:"enabled" example:"true"`
	// DisabledReason says why Herald disabled the endpoint (a day of failed deliveries).
	DisabledReason string     `json:"disabled_reason,omitempty"`
	DisabledAt     *time.Time `json:"disabled_at,omitempty"`
	// FailingSince is the first failed attempt since the last success.
	FailingSince *time.Time `json:"failing_since,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
} //	@name	Webhook

// WebhookWithSecretDTO is an endpoint with its signing secret, shown only when created or
// rotated.
type WebhookWithSecretDTO struct {
	WebhookDTO
	// Secret verifies the webhook-signature header (Standard Webhooks). It is not shown again.
	Secret string `json:"secret" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
} //	@name	WebhookWithSecret

// WebhookList is every endpoint.
type WebhookList struct {
	Data []WebhookDTO `json:"data"`
} //	@name	WebhookList

// CreateWebhookRequest is the body of POST /admin/webhooks.
type CreateWebhookRequest struct {
	URL         string   `json:"url" example:"https://news.example/api/revalidate"`
	Description string   `json:"description,omitempty" example:"Next.js revalidation"`
	Events      []string `json:"events" example:"article.published,article.updated,article.unpublished,article.deleted"`
	Locales     []string `json:"locales,omitempty" example:"en"`
	// Enabled defaults to true.
	Enabled *bool `json:"enabled,omitempty" example:"true"`
} //	@name	CreateWebhookRequest

// UpdateWebhookRequest is a JSON Merge Patch of an endpoint: absent members keep their
// value; null clears description and locales. Enabling clears the disabled reason.
type UpdateWebhookRequest struct {
	URL         *string            `json:"url,omitempty"`
	Description Nullable[string]   `json:"description,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	Events      []string           `json:"events,omitempty"`
	Locales     Nullable[[]string] `json:"locales,omitempty,omitzero" swaggertype:"array,string" nullable:"true"`
	Enabled     *bool              `json:"enabled,omitempty"`
} //	@name	UpdateWebhookRequest

// WebhookAttemptDTO is one try at a delivery.
type WebhookAttemptDTO struct {
	Attempt int       `json:"attempt" example:"1"`
	At      time.Time `json:"at"`
	// Status is the receiver's HTTP status; 0 when no response came.
	Status    int    `json:"status" example:"200"`
	Error     string `json:"error,omitempty" example:"HTTP 503"`
	LatencyMs int64  `json:"latency_ms" example:"42"`
	// Response is the start of the receiver's response body (at most 1 KiB).
	Response string `json:"response,omitempty"`
} //	@name	WebhookAttempt

// WebhookDeliveryDTO is one event sent (or to be sent) to an endpoint.
type WebhookDeliveryDTO struct {
	// ID is the webhook-id header: the same on every attempt and redelivery.
	ID    string `json:"id" format:"webhook-id" example:"msg_0193a5c2e1d07c4e9c3b2f1a0d9e8f7a"`
	Event string `json:"event" example:"article.published"`
	// State is pending (queued or retrying), succeeded or failed (rejected or given up).
	State         string              `json:"state" enums:"pending,succeeded,failed" example:"succeeded"`
	Attempts      int                 `json:"attempts" example:"1"`
	LastStatus    int                 `json:"last_status,omitempty" example:"200"`
	LastError     string              `json:"last_error,omitempty"`
	NextAttemptAt *time.Time          `json:"next_attempt_at,omitempty"`
	CompletedAt   *time.Time          `json:"completed_at,omitempty"`
	CreatedAt     time.Time           `json:"created_at"`
	Payload       json.RawMessage     `json:"payload" swaggertype:"object"`
	Log           []WebhookAttemptDTO `json:"log"`
} //	@name	WebhookDelivery

// WebhookDeliveryList is one page of an endpoint's deliveries, newest first.
type WebhookDeliveryList struct {
	Data []WebhookDeliveryDTO `json:"data"`
	Meta ListMeta             `json:"meta"`
} //	@name	WebhookDeliveryList

func newWebhookDTO(e webhooks.Endpoint) WebhookDTO {
	locales := e.Locales
	if locales == nil {
		locales = []string{}
	}
	return WebhookDTO{ID: e.ID, URL: e.URL, Description: e.Description, Events: e.Events, Locales: locales,
		Enabled: e.Enabled, DisabledReason: e.DisabledReason, DisabledAt: utcPtr(e.DisabledAt),
		FailingSince: utcPtr(e.FailingSince), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

func newWebhookDeliveryDTO(d webhooks.Delivery) WebhookDeliveryDTO {
	out := WebhookDeliveryDTO{ID: d.ID, Event: d.Event, State: string(d.State), Attempts: d.Attempts,
		LastStatus: d.LastStatus, LastError: d.LastError, NextAttemptAt: utcPtr(d.NextAttemptAt),
		CompletedAt: utcPtr(d.CompletedAt), CreatedAt: d.CreatedAt.UTC(), Payload: json.RawMessage(d.Payload),
		Log: make([]WebhookAttemptDTO, len(d.Log))}
	if d.State != webhooks.Pending {
		out.NextAttemptAt = nil
	}
	for i, a := range d.Log {
		out.Log[i] = WebhookAttemptDTO{Attempt: a.Attempt, At: a.At.UTC(), Status: a.Status, Error: a.Error,
			LatencyMs: a.Latency.Milliseconds(), Response: a.Response}
	}
	return out
}

// webhookID parses :id; junk is 404 without touching the database.
func webhookID(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, errs.New(errs.NotFound, "no such webhook endpoint")
	}
	return id, nil
}

// listWebhooks godoc
//
//	@Summary		List webhook endpoints
//	@Description	Every registered endpoint, oldest first, without secrets. Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Success		200	{object}	WebhookList
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/webhooks [get]
func (s *Server) listWebhooks(c echo.Context) error {
	eps, err := s.webhooks.Endpoints(c.Request().Context())
	if err != nil {
		return err
	}
	out := WebhookList{Data: make([]WebhookDTO, len(eps))}
	for i, e := range eps {
		out.Data[i] = newWebhookDTO(e)
	}
	return c.JSON(http.StatusOK, out)
}

// createWebhook godoc
//
//	@Summary		Register a webhook endpoint
//	@Description	Herald POSTs the events named in events to url, signed per Standard Webhooks with the secret in the response, which is shown only here (rotate it with POST /admin/webhooks/{id}/secret). Events: article.published, article.updated, article.unpublished, article.deleted, media.* (media.updated, media.deleted), taxonomy.* (taxonomy.updated, taxonomy.deleted), settings.updated. url must be http(s) without credentials; private, loopback and link-local targets are refused unless HERALD_WEBHOOK_ALLOW_PRIVATE=true. At most 100 endpoints. Admins only.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateWebhookRequest	true	"The endpoint"
//	@Success		201		{object}	WebhookWithSecretDTO
//	@Failure		400		{object}	Problem	"Invalid field (named in errors)"
//	@Failure		401		{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem	"Not an admin"
//	@Failure		409		{object}	Problem	"100 endpoints exist already"
//	@Failure		415		{object}	Problem	"Not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/webhooks [post]
func (s *Server) createWebhook(c echo.Context) error {
	var req CreateWebhookRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := webhooks.EndpointInput{URL: &req.URL, Description: &req.Description, Events: req.Events, Locales: req.Locales, Enabled: req.Enabled}
	if in.Events == nil {
		in.Events = []string{}
	}
	e, err := s.webhooks.Create(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, WebhookWithSecretDTO{WebhookDTO: newWebhookDTO(e), Secret: e.Secret})
}

// getWebhook godoc
//
//	@Summary		Read a webhook endpoint
//	@Description	The endpoint without its secret; disabled_reason says why Herald disabled it. Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path		string	true	"Endpoint id"
//	@Success		200	{object}	WebhookDTO
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin"
//	@Failure		404	{object}	Problem	"No such endpoint"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id} [get]
func (s *Server) getWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	e, err := s.webhooks.Endpoint(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newWebhookDTO(e))
}

// updateWebhook godoc
//
//	@Summary		Change a webhook endpoint
//	@Description	A JSON Merge Patch: absent members keep their value; null clears description and locales. "enabled": true re-enables an endpoint Herald disabled (and clears the reason). Admins only.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string					true	"Endpoint id"
//	@Param			body	body		UpdateWebhookRequest	true	"The members to change"
//	@Success		200		{object}	WebhookDTO
//	@Failure		400		{object}	Problem	"Invalid field (named in errors)"
//	@Failure		401		{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem	"Not an admin"
//	@Failure		404		{object}	Problem	"No such endpoint"
//	@Failure		415		{object}	Problem	"Not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id} [patch]
func (s *Server) updateWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	var req UpdateWebhookRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := webhooks.EndpointInput{URL: req.URL, Events: req.Events, Enabled: req.Enabled}
	if req.Description.Set {
		d := req.Description.Value
		in.Description = &d
	}
	if req.Locales.Set {
		in.Locales = req.Locales.Value
		if in.Locales == nil {
			in.Locales = []string{}
		}
	}
	e, err := s.webhooks.Update(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newWebhookDTO(e))
}

// deleteWebhook godoc
//
//	@Summary		Delete a webhook endpoint
//	@Description	The endpoint and its delivery log; pending deliveries are dropped. Admins only.
//	@Tags			webhooks
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path	string	true	"Endpoint id"
//	@Success		204
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin"
//	@Failure		404	{object}	Problem	"No such endpoint"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id} [delete]
func (s *Server) deleteWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	if err := s.webhooks.Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// rotateWebhookSecret godoc
//
//	@Summary		Rotate a webhook endpoint's secret
//	@Description	A new signing secret, shown only in this response; deliveries from now on are signed with it. Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path		string	true	"Endpoint id"
//	@Success		200	{object}	WebhookWithSecretDTO
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin"
//	@Failure		404	{object}	Problem	"No such endpoint"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id}/secret [post]
func (s *Server) rotateWebhookSecret(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	e, err := s.webhooks.RotateSecret(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, WebhookWithSecretDTO{WebhookDTO: newWebhookDTO(e), Secret: e.Secret})
}

// pingWebhook godoc
//
//	@Summary		Send a test ping
//	@Description	Sends a signed webhook.ping event to the endpoint now, once (no retries), even when it is disabled, and answers with the attempt's outcome; the delivery is in the endpoint's log. Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path		string	true	"Endpoint id"
//	@Success		200	{object}	WebhookDeliveryDTO
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin"
//	@Failure		404	{object}	Problem	"No such endpoint"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id}/ping [post]
func (s *Server) pingWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	d, err := s.webhooks.Ping(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newWebhookDeliveryDTO(d))
}

// listWebhookDeliveries godoc
//
//	@Summary		An endpoint's delivery log
//	@Description	Deliveries newest first, each with its attempts (status, latency, the start of the response). Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string	true	"Endpoint id"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	WebhookDeliveryList
//	@Header			200			{integer}	X-Total-Count	"Deliveries of the endpoint"
//	@Failure		400			{object}	Problem			"Invalid parameter"
//	@Failure		401			{object}	Problem			"Missing, invalid or expired token"
//	@Failure		403			{object}	Problem			"Not an admin"
//	@Failure		404			{object}	Problem			"No such endpoint"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id}/deliveries [get]
func (s *Server) listWebhookDeliveries(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", 20, 1, 100)
	if err := qe.err(); err != nil {
		return err
	}
	ds, total, err := s.webhooks.Deliveries(c.Request().Context(), id, page, perPage)
	if err != nil {
		return err
	}
	pages := (total + int64(perPage) - 1) / int64(perPage)
	out := WebhookDeliveryList{Data: make([]WebhookDeliveryDTO, len(ds)), Meta: ListMeta{Page: page, PerPage: perPage, Total: &total, TotalPages: &pages}}
	for i, d := range ds {
		out.Data[i] = newWebhookDeliveryDTO(d)
	}
	c.Response().Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	return c.JSON(http.StatusOK, out)
}

// getWebhookDelivery godoc
//
//	@Summary		One delivery
//	@Description	The delivery with its payload and every attempt. Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string	true	"Endpoint id"
//	@Param			delivery	path		string	true	"Delivery id (webhook-id)"
//	@Success		200			{object}	WebhookDeliveryDTO
//	@Failure		401			{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403			{object}	Problem	"Not an admin"
//	@Failure		404			{object}	Problem	"No such delivery of this endpoint"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id}/deliveries/{delivery} [get]
func (s *Server) getWebhookDelivery(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	d, err := s.webhooks.Delivery(c.Request().Context(), id, c.Param("delivery"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newWebhookDeliveryDTO(d))
}

// redeliverWebhook godoc
//
//	@Summary		Redeliver
//	@Description	Queues a delivery that succeeded or failed again, with the same webhook-id (receivers that deduplicate by it see a repeat); retries start afresh. Admins only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string	true	"Endpoint id"
//	@Param			delivery	path		string	true	"Delivery id (webhook-id)"
//	@Success		202			{object}	WebhookDeliveryDTO
//	@Failure		401			{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403			{object}	Problem	"Not an admin"
//	@Failure		404			{object}	Problem	"No such delivery of this endpoint"
//	@Failure		409			{object}	Problem	"The delivery is still pending"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/webhooks/{id}/deliveries/{delivery}/redeliver [post]
func (s *Server) redeliverWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	d, err := s.webhooks.Redeliver(c.Request().Context(), id, c.Param("delivery"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, newWebhookDeliveryDTO(d))
}
