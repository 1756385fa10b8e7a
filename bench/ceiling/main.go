// Command ceiling is the bench's baseline: a bare Echo server that answers the read-count
// path with 202 and, for the read bench, serves pre-encoded bodies from a directory
// (GET /c/{name}, with {name}.gz sent when the client accepts gzip), so `make bench` can
// compare herald against the most this machine serves through Echo.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "listen address")
	bodies := flag.String("bodies", "", "directory of pre-encoded JSON bodies served at GET /c/{name}")
	flag.Parse()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/api/v1/articles/:id/views", func(c echo.Context) error { return c.NoContent(http.StatusAccepted) })
	e.GET("/readyz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	if *bodies != "" {
		plain, gz := map[string][]byte{}, map[string][]byte{}
		entries, err := os.ReadDir(*bodies)
		if err != nil {
			log.Fatal(err)
		}
		for _, en := range entries {
			b, err := os.ReadFile(filepath.Join(*bodies, en.Name()))
			if err != nil {
				log.Fatal(err)
			}
			if name, ok := strings.CutSuffix(en.Name(), ".gz"); ok {
				gz[name] = b
			} else {
				plain[en.Name()] = b
			}
		}
		e.GET("/c/:name", func(c echo.Context) error {
			name := c.Param("name")
			if b, ok := gz[name]; ok && strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
				c.Response().Header().Set("Content-Encoding", "gzip")
				return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
			}
			b, ok := plain[name]
			if !ok {
				return echo.ErrNotFound
			}
			return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
		})
	}
	log.Fatal(e.Start(*addr))
}
