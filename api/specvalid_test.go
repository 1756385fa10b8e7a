package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Every request a test sends through testApp.do is checked against docs/openapi3.json, the
// document clients are generated from: the response must be documented (status, content
// type, headers, body schema) and, when the server accepted the request, so must the request.
// A handler that drifts from its annotations fails whichever test exercises it.

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// specServer is servers[0] of docs/openapi3.json; requests are matched as if sent there.
const specServer = "127.0.0.1:8080"

func loadSpecRouter() (routers.Router, error) {
	specOnce.Do(func() {
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
		doc, err := openapi3.NewLoader().LoadFromFile("../docs/openapi3.json")
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = err
			return
		}
		specRouter, specErr = legacy.NewRouter(doc)
	})
	return specRouter, specErr
}

// checkSpec validates req (whose body was reqBody) and the recorded response against the
// spec, reporting drift on t.
func checkSpec(t *testing.T, req *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	if !apiRoute(req.URL.Path) {
		return
	}
	router, err := loadSpecRouter()
	if err != nil {
		t.Fatalf("docs/openapi3.json: %v", err)
	}
	if rec.Code == http.StatusMethodNotAllowed {
		// No operation answered (the spec's router may still match a path such as
		// /admin/tags to /admin/tags/{id} with an empty id).
		return
	}
	vreq := req.Clone(context.Background())
	vreq.URL.Scheme, vreq.URL.Host, vreq.Host = "http", specServer, specServer
	if vreq.Method == http.MethodHead {
		// Every GET answers HEAD (the API's description says so): the GET's operation,
		// without a body.
		vreq.Method = http.MethodGet
	}
	// The handlers read an empty parameter (sort=) as an absent one; so does the check.
	q := vreq.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	vreq.URL.RawQuery = q.Encode()
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(vreq)
	vreq.Method = req.Method
	if err != nil {
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed ||
			err.Error() == routers.ErrMethodNotAllowed.Error() && (req.Method == http.MethodOptions || rec.Code >= 400) {
			// The router has no such route either: a 404, a CORS preflight answered by the
			// middleware, a body refused (413) before routing.
			return
		}
		t.Errorf("spec: %s %s answered %d but is not in docs/openapi3.json: %v", req.Method, req.URL.Path, rec.Code, err)
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	if rec.Code < 400 {
		// The server accepted it, so a generated client must be able to send it.
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("spec: request %s %s (answered %d) does not match docs/openapi3.json: %s", req.Method, req.URL, rec.Code, short(err))
		}
	}
	if err := checkResponse(in, rec); err != nil {
		t.Errorf("spec: response %d to %s %s does not match docs/openapi3.json: %s\nbody: %.300s", rec.Code, req.Method, req.URL, short(err), rec.Body.String())
	}
}

func checkResponse(in *openapi3filter.RequestValidationInput, rec *httptest.ResponseRecorder) error {
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" && len(body) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
	}
	opts := *in.Options
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code,
		Header: rec.Header(), Options: &opts}
	out.SetBodyBytes(body)
	ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if in.Request.URL.Query().Has("fields") {
		// Sparse fieldsets leave out required fields by request (the parameter says so).
		opts.ExcludeResponseBody = true
	}
	if in.Request.Method == http.MethodHead || len(body) == 0 && ct == "" {
		opts.ExcludeResponseBody = true
	} else if !structured(ct) {
		// Bytes (images, PDFs, metrics text): the spec must name the type; there is no schema to check.
		opts.ExcludeResponseBody = true
		if r := in.Route.Operation.Responses.Status(rec.Code); r != nil && r.Value != nil && r.Value.Content.Get(ct) == nil {
			return fmt.Errorf("content type %q not documented for %d", ct, rec.Code)
		}
	}
	return openapi3filter.ValidateResponse(context.Background(), out)
}

func structured(ct string) bool {
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// short keeps the first lines of a validation error (the schema dump after them is long).
func short(err error) string {
	s := err.Error()
	lines := strings.SplitN(s, "\n", 6)
	if len(lines) > 5 {
		lines = lines[:5]
	}
	return strings.Join(lines, "\n")
}
