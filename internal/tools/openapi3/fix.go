package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
)

const (
	problemJSON = "application/problem+json"
	problemRef  = "#/components/schemas/Problem"
	adminPrefix = "/api/v1/admin/"
)

// bearerSchemes are the security definitions that are bearer tokens in the Authorization
// header. Swag can only declare them as apiKey, which generators send without "Bearer ".
var bearerSchemes = map[string]string{
	"BearerAuth":   "JWT",
	"APITokenAuth": "hrld_pat_… or hrld_svc_…",
}

// metricsScheme is the optional bearer token of GET /metrics (HERALD_METRICS_TOKEN).
const metricsScheme = "MetricsTokenAuth"

// notUUID lists *_id fields that are not UUIDs.
var notUUID = map[string]bool{"request_id": true, "entity_id": true, "external_id": true}

func fix(doc *openapi3.T, v2 *openapi2.T, raw []byte, src *source, server string) error {
	doc.Servers = openapi3.Servers{{URL: server, Description: "HERALD_PUBLIC_URL of the instance serving this document"}}
	if err := fixSecuritySchemes(doc); err != nil {
		return err
	}
	examples, err := parameterExamples(raw)
	if err != nil {
		return err
	}
	if err := fixOperations(doc, v2, src, examples); err != nil {
		return err
	}
	fixSchemas(doc, src)
	return nil
}

func fixSecuritySchemes(doc *openapi3.T) error {
	for name, format := range bearerSchemes {
		ref, ok := doc.Components.SecuritySchemes[name]
		if !ok || ref.Value == nil {
			return fmt.Errorf("security scheme %s is not declared in doc.go", name)
		}
		ref.Value = &openapi3.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: format,
			Description: ref.Value.Description}
	}
	doc.Components.SecuritySchemes[metricsScheme] = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "http", Scheme: "bearer",
		Description: "HERALD_METRICS_TOKEN, when the operator sets one; without it /metrics is open.",
	}}
	return nil
}

// parameterExamples reads the example of each parameter from swagger.json, by
// "METHOD /path" then "in name": kin-openapi's Swagger 2.0 model has no place for them.
func parameterExamples(raw []byte) (map[string]map[string]any, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	for path, ops := range doc.Paths {
		for method, rawOp := range ops {
			var op struct {
				Parameters []struct {
					Name    string `json:"name"`
					In      string `json:"in"`
					Example any    `json:"example"`
				} `json:"parameters"`
			}
			if err := json.Unmarshal(rawOp, &op); err != nil {
				continue // "parameters" shared by the path, not an operation
			}
			for _, p := range op.Parameters {
				if p.Example == nil || p.In == "body" {
					continue
				}
				key := strings.ToUpper(method) + " " + path
				if out[key] == nil {
					out[key] = map[string]any{}
				}
				out[key][p.In+" "+p.Name] = p.Example
			}
		}
	}
	return out, nil
}

func fixOperations(doc *openapi3.T, v2 *openapi2.T, src *source, paramExamples map[string]map[string]any) error {
	used := map[string]string{}
	paths := doc.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		methods := make([]string, 0, 8)
		for m := range item.Operations() {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, method := range methods {
			op := item.GetOperation(method)
			key := method + " " + path
			id, err := operationID(src, method, path, used)
			if err != nil {
				return err
			}
			used[id] = key
			op.OperationID = id

			switch {
			case path == "/metrics":
				op.Security = &openapi3.SecurityRequirements{{}, {metricsScheme: []string{}}}
			case op.Security == nil || len(*op.Security) == 0:
				// Public: say so, or the document-wide default (none) is all a generator sees.
				op.Security = &openapi3.SecurityRequirements{}
			}

			var v2op *openapi2.Operation
			if v2item, ok := v2.Paths[path]; ok {
				v2op = v2item.GetOperation(method)
			}
			carryExamples(op, paramExamples[key])
			if op.RequestBody == nil && v2op != nil && len(v2op.Consumes) > 0 &&
				(method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch) {
				// A body the handler ignores, such as the read beacon's (navigator.sendBeacon
				// sends text/plain): declare it, or a validating proxy rejects real browsers.
				content := openapi3.Content{}
				for _, ct := range v2op.Consumes {
					schema := openapi3.NewSchema() // anything
					if strings.HasPrefix(ct, "text/") {
						schema = openapi3.NewStringSchema()
					}
					content[ct] = openapi3.NewMediaType().WithSchema(schema)
				}
				op.RequestBody = &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{
					Description: "Ignored; may be empty", Content: content}}
			}

			for _, resp := range op.Responses.Map() {
				if resp.Value != nil {
					problemContent(resp.Value)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				if mt := op.RequestBody.Value.Content.Get("multipart/form-data"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
					// Texts per locale are parts named alt[az], caption[ru], …: any site locale.
					yes := true
					mt.Schema.Value.AdditionalProperties = openapi3.AdditionalProperties{Has: &yes}
				}
			}
			if takesAPIToken(op) && op.Responses.Value("429") == nil {
				// Requests with an API token are rate limited per token (api/authz.go).
				op.Responses.Set("429", &openapi3.ResponseRef{Value: problemResponse(doc, "This API token sent too many requests; see Retry-After")})
			}
			if !has4xx(op) {
				// Go's HTTP server answers 431 to any request whose headers pass 64 KiB
				// (api.Server.HTTPServer), before routing.
				desc := "Request headers too large (answered by the HTTP server, no body)"
				op.Responses.Set("431", &openapi3.ResponseRef{Value: &openapi3.Response{Description: &desc}})
			}
			if op.RequestBody != nil && op.Responses.Value("413") == nil {
				// bodyLimit (api/server.go) answers 413 to any request whose body is too large.
				op.Responses.Set("413", &openapi3.ResponseRef{Value: problemResponse(doc, "Request body too large")})
			}
		}
	}
	return nil
}

// carryExamples moves the examples swag writes on query, path and header parameters (not
// allowed there in Swagger 2.0, and dropped by the conversion) to the OpenAPI 3 parameters.
func carryExamples(op *openapi3.Operation, examples map[string]any) {
	for _, p := range op.Parameters {
		if p.Value == nil {
			continue
		}
		if ex, ok := examples[p.Value.In+" "+p.Value.Name]; ok {
			p.Value.Example = ex
		}
	}
}

func has4xx(op *openapi3.Operation) bool {
	for code := range op.Responses.Map() {
		if strings.HasPrefix(code, "4") {
			return true
		}
	}
	return false
}

func takesAPIToken(op *openapi3.Operation) bool {
	if op.Security == nil {
		return false
	}
	for _, req := range *op.Security {
		if _, ok := req["APITokenAuth"]; ok {
			return true
		}
	}
	return false
}

// operationID is the name of the handler that serves method and path, "admin" prefixed
// under /api/v1/admin/ (adminListUsers), so generated method names read like the code.
func operationID(src *source, method, path string, used map[string]string) (string, error) {
	name, ok := src.handlers[method+" "+path]
	if !ok {
		return "", fmt.Errorf("%s %s: no handler annotated with this @Router", method, path)
	}
	if strings.HasPrefix(path, adminPrefix) && !strings.HasPrefix(name, "admin") {
		name = "admin" + upperFirst(name)
	}
	if prev, dup := used[name]; dup {
		// One handler under two methods (GET and HEAD of a media file).
		alt := strings.ToLower(method) + upperFirst(name)
		if _, dup := used[alt]; dup {
			return "", fmt.Errorf("operationId %s of %s %s is taken by %s", alt, method, path, prev)
		}
		name = alt
	}
	return name, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// problemContent makes a response whose body is a Problem say application/problem+json,
// whatever the operation @Produce (an image, text) for its success.
func problemContent(r *openapi3.Response) {
	for _, mt := range r.Content {
		if mt != nil && mt.Schema != nil && mt.Schema.Ref == problemRef {
			r.Content = openapi3.Content{problemJSON: &openapi3.MediaType{Schema: mt.Schema}}
			return
		}
	}
}

func problemResponse(doc *openapi3.T, desc string) *openapi3.Response {
	return &openapi3.Response{Description: &desc, Content: openapi3.Content{problemJSON: &openapi3.MediaType{
		Schema: &openapi3.SchemaRef{Ref: problemRef, Value: doc.Components.Schemas["Problem"].Value}}}}
}

// requestOnly lists the schemas that appear in request bodies and in no response.
func requestOnly(doc *openapi3.T) map[string]bool {
	inRequests, inResponses := map[string]bool{}, map[string]bool{}
	var walk func(ref *openapi3.SchemaRef, seen map[string]bool)
	walk = func(ref *openapi3.SchemaRef, seen map[string]bool) {
		if ref == nil {
			return
		}
		if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
			if seen[name] {
				return
			}
			seen[name] = true
		}
		v := ref.Value
		if v == nil {
			return
		}
		for _, p := range v.Properties {
			walk(p, seen)
		}
		walk(v.Items, seen)
		walk(v.AdditionalProperties.Schema, seen)
		for _, list := range []openapi3.SchemaRefs{v.AllOf, v.OneOf, v.AnyOf} {
			for _, r := range list {
				walk(r, seen)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema, inRequests)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						walk(mt.Schema, inResponses)
					}
				}
			}
		}
	}
	out := map[string]bool{}
	for name := range inRequests {
		if !inResponses[name] {
			out[name] = true
		}
	}
	return out
}

// fixSchemas adds what the Go types say and swag drops: date-time formats, nullable fields
// tagged nullable:"true", and in schemas that responses use, nullable pointers (a pointer
// without omitempty is sent as null) and uuid ids. Request-only schemas keep bare pointers
// non-null (a pointer there tells absent from zero) and ids unformatted (requests may send
// "" to clear a reference).
func fixSchemas(doc *openapi3.T, src *source) {
	requests := requestOnly(doc)
	for def, ref := range doc.Components.Schemas {
		s := ref.Value
		if s == nil {
			continue
		}
		fields := src.fields[def]
		response := !requests[def]
		for name, prop := range s.Properties {
			g := fields[name]
			// In a request-only schema a bare pointer tells absent from zero and null is
			// refused; only an explicit nullable:"true" (a merge-patch member) takes null.
			g.nullable = g.nullableTag || g.nullable && response
			if g.nullableElem && prop.Value != nil && prop.Value.AdditionalProperties.Schema != nil {
				if ap := prop.Value.AdditionalProperties.Schema.Value; ap != nil {
					ap.Nullable = true
				}
			}
			if g.nullable {
				if prop.Ref != "" {
					s.Properties[name] = &openapi3.SchemaRef{Value: &openapi3.Schema{
						AllOf: openapi3.SchemaRefs{{Ref: prop.Ref, Value: prop.Value}}, Nullable: true}}
					prop = s.Properties[name]
				}
				if prop.Value != nil {
					prop.Value.Nullable = true
				}
			}
			v := prop.Value
			if prop.Ref != "" || v == nil {
				continue
			}
			if g.time && v.Type.Is(openapi3.TypeString) {
				v.Format = "date-time"
			}
			if !response || notUUID[name] {
				continue
			}
			switch {
			case (name == "id" || strings.HasSuffix(name, "_id")) && v.Type.Is(openapi3.TypeString) && v.Format == "":
				v.Format = "uuid"
			case strings.HasSuffix(name, "_ids") && v.Type.Is(openapi3.TypeArray) && v.Items != nil &&
				v.Items.Value != nil && v.Items.Value.Type.Is(openapi3.TypeString):
				v.Items.Value.Format = "uuid"
			}
		}
	}
}
