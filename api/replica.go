package api

import (
	"net/http"
	"strings"
)

// preferReplica reports whether a read replica may answer r: a public read, GET and HEAD
// under /api/v1 except the Admin API and auth. An editor's reads and every write stay on
// the primary, so an editor never reads behind their own write. requestContext marks the
// request's context.
func preferReplica(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.HasPrefix(r.URL.Path, "/api/v1/") &&
		!strings.HasPrefix(r.URL.Path, "/api/v1/admin/") && !strings.HasPrefix(r.URL.Path, "/api/v1/auth/")
}
