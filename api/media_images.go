package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/media"
)

// ImageSourceDTO is one format of an image for a <picture>'s <source> (or, the last, its
// <img>): the srcset lists every width of the allow-list below the original's, and the
// original's own width.
type ImageSourceDTO struct {
	Type   string `json:"type" example:"image/avif"`
	Srcset string `json:"srcset" example:"/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/original.jpg?w=320&fm=avif 320w, /media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/original.jpg?w=640&fm=avif 640w"`
} //	@name	ImageSource

// FocalPointDTO is the point of an image that crops keep in frame, as fractions of its
// width and height from the top left.
type FocalPointDTO struct {
	X float64 `json:"x" example:"0.3" minimum:"0" maximum:"1"`
	Y float64 `json:"y" example:"0.7" minimum:"0" maximum:"1"`
} //	@name	FocalPoint

// imageWidths are the srcset widths of a w-pixel-wide original: the allowed widths below
// it, then the first at or above it, which renders at w (never upscaled) and is labelled w.
func imageWidths(allowed []int, w int) (req, label []int) {
	for _, a := range allowed {
		if a < w {
			req, label = append(req, a), append(label, a)
			continue
		}
		return append(req, a), append(label, w)
	}
	return req, label
}

// imageSources builds the srcset of every format for an image item: AVIF, WebP, then the
// fallback (JPEG, or PNG for PNG and GIF originals, which may be transparent). URLs are
// computed from the hash and dimensions alone, so article cards carry them unchanged.
func (s *Server) imageSources(m media.Media) []ImageSourceDTO {
	if m.Kind != media.Image || m.Width <= 0 || !media.ValidKey(m.Key) {
		return nil
	}
	req, label := imageWidths(s.media.Renditions().Widths, m.Width)
	if len(req) == 0 {
		return nil
	}
	fallback, fm := media.JPEG, "jpeg"
	if m.MIME == media.PNG || m.MIME == media.GIF {
		fallback, fm = media.PNG, "png"
	}
	base := s.publicURL + "/media/" + m.Key + "?w="
	out := make([]ImageSourceDTO, 0, 3)
	for _, f := range []struct{ typ, fm string }{{media.AVIF, "avif"}, {media.WebP, "webp"}, {fallback, fm}} {
		var b strings.Builder
		for i, w := range req {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(base)
			b.WriteString(strconv.Itoa(w))
			b.WriteString("&fm=")
			b.WriteString(f.fm)
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(label[i]))
			b.WriteByte('w')
		}
		out = append(out, ImageSourceDTO{Type: f.typ, Srcset: b.String()})
	}
	return out
}

// renditionParams are the query parameters of a transformed file.
var renditionParams = []string{"w", "h", "fit", "fm", "q", "fp"}

func wantsRendition(c echo.Context) bool {
	q := c.QueryParams()
	for _, p := range renditionParams {
		if _, ok := q[p]; ok {
			return true
		}
	}
	return false
}

var formats = map[string]string{"jpeg": media.JPEG, "jpg": media.JPEG, "png": media.PNG, "webp": media.WebP, "avif": media.AVIF}

// parseTransform reads w, h, fit, fm, q and fp; auto reports fm=auto.
func parseTransform(c echo.Context) (t media.Transform, auto bool, err error) {
	var fe []FieldError
	num := func(name string) int {
		v := c.QueryParam(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			fe = append(fe, FieldError{name, "must be a positive whole number"})
			return 0
		}
		return n
	}
	t.Width, t.Height, t.Quality = num("w"), num("h"), num("q")
	t.Fit = media.Fit(c.QueryParam("fit"))
	switch fm := strings.ToLower(c.QueryParam("fm")); {
	case fm == "auto":
		auto = true
	case fm == "":
	case formats[fm] != "":
		t.Format = formats[fm]
	default:
		fe = append(fe, FieldError{"fm", "must be one of jpeg, png, webp, avif, auto"})
	}
	if v := c.QueryParam("fp"); v != "" {
		xs, ys, ok := strings.Cut(v, ",")
		x, errX := strconv.ParseFloat(xs, 64)
		y, errY := strconv.ParseFloat(ys, 64)
		if !ok || errX != nil || errY != nil {
			fe = append(fe, FieldError{"fp", "must be x,y such as 0.30,0.70"})
		} else {
			t.Focal = &media.FocalPoint{X: x, Y: y}
		}
	}
	if len(fe) > 0 {
		return t, auto, validationProblem(fe...)
	}
	return t, auto, nil
}

// negotiateImage picks the best format the client accepts for fm=auto: AVIF, then WebP,
// then the original's (GIF as PNG; WebP originals as JPEG).
func negotiateImage(accept, original string) string {
	ok := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		typ, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				continue
			}
		}
		ok[strings.ToLower(strings.TrimSpace(typ))] = true
	}
	switch {
	case ok[media.AVIF]:
		return media.AVIF
	case ok[media.WebP]:
		return media.WebP
	case original == media.PNG || original == media.GIF:
		return media.PNG
	}
	return media.JPEG
}

// serveRendition answers a file URL with transform parameters: the rendition is made on
// first request and stored beside the original; every later request is a plain file read.
func (s *Server) serveRendition(c echo.Context, key string) error {
	t, auto, err := parseTransform(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	if auto {
		t.Format = negotiateImage(c.Request().Header.Get("Accept"), media.TypeOfKey(key))
		h.Add("Vary", "Accept")
	}
	r, err := s.media.Render(c.Request().Context(), key, t)
	if err != nil {
		return err
	}
	defer r.Blob.Close()
	if u := s.media.Blobs().URL(r.Key); u != "" {
		if auto {
			return c.Redirect(http.StatusFound, u)
		}
		return c.Redirect(http.StatusMovedPermanently, u)
	}
	fileHeaders(c, r.Key, r.MIME)
	http.ServeContent(c.Response(), c.Request(), "", r.Blob.ModTime.Truncate(time.Second), r.Blob)
	return nil
}

// fileHeaders are the headers of every stored file: immutable (keys derive from content
// and parameters), a strong ETag, and no sniffing or scripting.
func fileHeaders(c echo.Context, key, typ string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, typ)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+strings.ReplaceAll(key, "/", "-")+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
}
