package api

import (
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

// maxRequestIDLen bounds a client's X-Request-ID; a UUID is 36 characters.
const maxRequestIDLen = 64

// requestID takes the caller's X-Request-ID when it is short and made of safe characters
// (so a proxy's id ties its logs to ours) and otherwise makes one up. The id is echoed in
// the response, written on the request log line and stored with audit entries; anything
// else a client sends there is replaced, so it cannot forge log lines or bloat them.
func requestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !validRequestID(id) {
				id = uuid.Must(uuid.NewV7()).String()
			}
			c.Request().Header.Set(echo.HeaderXRequestID, id)
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			return next(c)
		}
	}
}

// validRequestID accepts 1 to 64 of A–Z a–z 0–9 and - _ . : / + =, which covers UUIDs,
// hex ids and the ids of common proxies and tracers.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case b == '-' || b == '_' || b == '.' || b == ':' || b == '/' || b == '+' || b == '=':
		default:
			return false
		}
	}
	return true
}
