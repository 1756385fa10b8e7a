package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/audit"
)

// AuditEntryDTO is one recorded write.
type AuditEntryDTO struct {
	ID         uuid.UUID  `json:"id"`
	At         time.Time  `json:"at"`
	ActorID    *uuid.UUID `json:"actor_id,omitempty"`
	ActorEmail string     `json:"actor_email,omitempty" example:"editor@example.com"`
	// TokenID is the API token the write was made with; the actor is its creator.
	TokenID    *uuid.UUID `json:"token_id,omitempty"`
	Action     string     `json:"action" example:"user.update"`
	EntityType string     `json:"entity_type" example:"user"`
	EntityID   string     `json:"entity_id,omitempty" example:"01936f0e-8a3c-7c5e-9a1b-2f4d6e8a0b1c"`
	Summary    string     `json:"summary,omitempty" example:"role: \"author\" → \"editor\""`
	RequestID  string     `json:"request_id,omitempty"`
} //	@name	AuditEntry

// AuditList is one page of the audit log.
type AuditList struct {
	Data []AuditEntryDTO `json:"data"`
	Meta ListMeta        `json:"meta"`
} //	@name	AuditList

// listAudit godoc
//
//	@Summary		Read the audit log
//	@Description	Every admin write, newest first: who (and with which API token), what, which entity, when, and a short diff. Admins only.
//	@Tags			audit
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			actor		query		string	false	"Only writes by this user id"
//	@Param			token		query		string	false	"Only writes made with this API token id"
//	@Param			action		query		string	false	"Only this action"		example(user.update)
//	@Param			entity_type	query		string	false	"Only this entity type"	example(article)
//	@Param			entity_id	query		string	false	"Only this entity id"
//	@Param			since		query		string	false	"RFC 3339 time or date; at or after"
//	@Param			until		query		string	false	"RFC 3339 time or date; strictly before"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	AuditList
//	@Header			200			{integer}	X-Total-Count	"Total matches"
//	@Failure		400			{object}	Problem			"Invalid parameter"
//	@Failure		401			{object}	Problem			"Missing, invalid or expired token"
//	@Failure		403			{object}	Problem			"Not an admin"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/audit [get]
func (s *Server) listAudit(c echo.Context) error {
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", 20, 1, audit.MaxPerPage)
	q := audit.Query{
		Action:     qe.textParam(c, "action", 200),
		EntityType: qe.textParam(c, "entity_type", 200),
		EntityID:   qe.textParam(c, "entity_id", 200),
		Since:      qe.timeParam(c, "since"),
		Until:      qe.timeParam(c, "until"),
		Limit:      perPage,
		Offset:     (page - 1) * perPage,
	}
	if v := c.QueryParam("actor"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			qe.add("actor", "must be a user id")
		} else {
			q.ActorID = &id
		}
	}
	if v := c.QueryParam("token"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			qe.add("token", "must be a token id")
		} else {
			q.TokenID = &id
		}
	}
	if err := qe.err(); err != nil {
		return err
	}
	if s.auditLog == nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "the audit log is not configured")
	}
	entries, total, err := s.auditLog.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := AuditList{Data: make([]AuditEntryDTO, len(entries)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, e := range entries {
		out.Data[i] = AuditEntryDTO{ID: e.ID, At: e.CreatedAt.UTC(), ActorID: e.ActorID, ActorEmail: e.ActorEmail,
			TokenID: e.TokenID, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, Summary: e.Summary, RequestID: e.RequestID}
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}
