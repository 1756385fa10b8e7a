// Command openapi3 converts the Swagger 2.0 document swag generates into the OpenAPI 3.0
// document clients are generated from, and fixes there what swag annotations cannot say:
// bearer security schemes (http/bearer, so generated clients send "Bearer <token>"),
// "security: []" on public operations, formats (date-time, uuid), nullable fields,
// problem+json error bodies, 413 on every request with a body, the read beacon's text body,
// operationIds (the handler's name, "admin" prefixed under /api/v1/admin) and servers.
// Fields are required when their Go field has no omitempty (swag --requiredByDefault).
// `make docs` runs it; the output is validated.
//
// Usage: openapi3 [-api ./api] [-server http://127.0.0.1:8080] swagger.json openapi3.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
)

func main() {
	apiDir := flag.String("api", "./api", "directory of the annotated handlers and DTOs")
	server := flag.String("server", DefaultServer, "servers[0].url of the document (HERALD_PUBLIC_URL replaces it when served)")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: openapi3 [-api dir] [-server url] swagger.json openapi3.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *apiDir, *server); err != nil {
		fmt.Fprintln(os.Stderr, "openapi3:", err)
		os.Exit(1)
	}
}

// DefaultServer is the server URL in the generated document, Herald's default listen
// address: absolute, because a client outside a browser (Node, a mobile app) cannot
// resolve "/". An instance serves its HERALD_PUBLIC_URL instead.
const DefaultServer = "http://127.0.0.1:8080"

func run(in, out, apiDir, server string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		return fmt.Errorf("parse %s: %w", in, err)
	}
	src, err := parseSource(apiDir)
	if err != nil {
		return err
	}
	v3, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	if err := fix(v3, &v2, raw, src, server); err != nil {
		return err
	}
	if err := v3.Validate(context.Background()); err != nil {
		return fmt.Errorf("converted document is invalid: %w", err)
	}
	b, err := json.MarshalIndent(v3, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}
