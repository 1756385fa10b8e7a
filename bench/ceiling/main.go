// Command ceiling is the bench's baseline: a bare Echo server whose only route answers the
// read-count path with 202, so `make bench` can compare herald against the most this
// machine serves through Echo.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "listen address")
	flag.Parse()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/api/v1/articles/:id/views", func(c echo.Context) error { return c.NoContent(http.StatusAccepted) })
	e.GET("/readyz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	log.Fatal(e.Start(*addr))
}
