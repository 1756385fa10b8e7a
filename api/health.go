package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Health is the body of the health endpoints.
type Health struct {
	Status string `json:"status" example:"ok"`
} //	@name	Health

// healthz godoc
//
//	@Summary		Liveness
//	@Description	The process is up. It does not touch the database.
//	@Tags			system
//	@Produce		json
//	@Success		200	{object}	Health
//	@Router			/healthz [get]
func (s *Server) healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// readyz godoc
//
//	@Summary		Readiness
//	@Description	The database answers within two seconds.
//	@Tags			system
//	@Produce		json
//	@Success		200	{object}	Health
//	@Failure		503	{object}	Problem	"Database unreachable"
//	@Router			/readyz [get]
func (s *Server) readyz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.Warn("not ready", "error", err)
		return newProblem(http.StatusServiceUnavailable, "the database is unreachable")
	}
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}
