# Herald — every target a new user or CI needs. Tool versions are pinned here.
SWAG_VERSION        := v1.16.6
STATICCHECK_VERSION := v0.8.2
GOBIN               := $(shell go env GOPATH)/bin
SWAG                := $(GOBIN)/swag
STATICCHECK         := $(GOBIN)/staticcheck
BENCH_ARTICLES      ?= 100000
HERALD_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable
export HERALD_TEST_DATABASE_URL

.PHONY: run build test test-short docs docs-check lint vet fmt tools clean bench-media bench bench-read bench-search bench-webhooks deploy-check node spec-lint clients clients-check test-clients example test-example fuzz

## run: build and start the server on the embedded SQLite database with demo content
run: build
	./bin/herald serve

## build: compile bin/herald (static, no cgo; nodynamic keeps the WebP/AVIF encoders in WebAssembly, never dlopen)
build:
	CGO_ENABLED=0 go build -tags nodynamic -trimpath -o bin/herald ./cmd/herald
	@if grep -q 'ld-linux' bin/herald; then echo "bin/herald names a dynamic loader: it must be static (-tags nodynamic)" >&2; exit 1; fi

TEST_PKGS           ?= ./...
TEST_FLAGS          ?=

# go-test runs go test with $(1) and, outside CI, ends with one loud line when tests skipped
# their PostgreSQL half (testkit lists them in HERALD_TEST_PG_SKIP_FILE).
define go-test
	@skips=$$(mktemp); \
	echo "go test $(1) $(TEST_FLAGS) $(TEST_PKGS)"; \
	HERALD_TEST_PG_SKIP_FILE=$$skips go test $(1) $(TEST_FLAGS) $(TEST_PKGS); rc=$$?; \
	if [ -s $$skips ]; then \
	  echo "!!! PostgreSQL half did NOT run: $$(wc -l < $$skips) tests skipped it (no PostgreSQL at HERALD_TEST_DATABASE_URL); start one or set the URL !!!"; \
	fi; \
	rm -f $$skips; exit $$rc
endef

## test: the whole suite with the race detector, on SQLite and PostgreSQL
# The api package holds most of the suite and runs its top-level tests one after another;
# under the race detector it is the long pole, so `make test` runs it as two halves (by test
# name) beside the other packages, which keeps both cores busy.
API_PKG      := ./api
API_HALF_A   := ^(Test[A-Ma-m]|Fuzz|Example)
API_HALF_B   := ^Test[N-Zn-z]
test:
	@$(MAKE) -s --no-print-directory -j3 test-race-rest test-race-api-a test-race-api-b

.PHONY: test-race-rest test-race-api-a test-race-api-b
test-race-rest:
	@$(MAKE) -s --no-print-directory test-race-one TEST_PKGS="$$(go list ./... | grep -v '/api$$' | tr '\n' ' ')"
test-race-api-a:
	@$(MAKE) -s --no-print-directory test-race-one TEST_PKGS=$(API_PKG) TEST_FLAGS="-run '$(API_HALF_A)'"
test-race-api-b:
	@$(MAKE) -s --no-print-directory test-race-one TEST_PKGS=$(API_PKG) TEST_FLAGS="-run '$(API_HALF_B)'"
test-race-one:
	$(call go-test,-race $(RACE_GCFLAGS) -count=1 -timeout 60m)

# The race detector stays on for Herald's code and the libraries that share its goroutines,
# and is turned off in libraries that compute on memory handed to them, where it found nothing
# and cost the most:
# - the SQLite engine and its C runtime (modernc.org/sqlite/lib and libc, C translated to Go:
#   pointer arithmetic in every line), checkptr too, and checkptr in the driver's bind: they
#   doubled every SQLite test. SQLite locks for itself; Herald's use of it (database/sql, GORM,
#   the store) is still checked.
# - the image codecs and resizers (image/..., golang.org/x/image, gen2brain's AVIF and WebP,
#   compress/... and crc32 under PNG and gzip): the image tests ran twice as slow (62 s against
#   31 s for two of them), and CI went past its 15 minutes. The wazero runtime under the AVIF
#   and WebP encoders stays instrumented: without it the detector lost the ordering sync.Map
#   gives and reported races in encoding/json's and GORM's caches.
RACE_OFF     := image/... golang.org/x/image/... github.com/gen2brain/... compress/... hash/crc32
RACE_GCFLAGS := '-gcflags=modernc.org/sqlite/lib=-race=false -d=checkptr=0' '-gcflags=modernc.org/libc/...=-race=false -d=checkptr=0' \
	-gcflags=modernc.org/sqlite=-d=checkptr=0 $(foreach p,$(RACE_OFF),-gcflags=$(p)=-race=false)

## test-short: the suite without the race detector
test-short:
	$(call go-test,-count=1 -timeout 30m)

$(SWAG):
	go install github.com/swaggo/swag/cmd/swag@$(SWAG_VERSION)

$(STATICCHECK):
	go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(SWAG) $(STATICCHECK)

## docs: regenerate the OpenAPI files in docs/ from the handler annotations, and
##       docs/configuration.md from config.Vars
docs: $(SWAG)
	$(SWAG) fmt -d ./api
	$(SWAG) init --quiet -g doc.go -d ./api -o ./docs --outputTypes go,json,yaml --parseInternal --requiredByDefault=true
	go run ./internal/tools/openapi3 docs/swagger.json docs/openapi3.json
	go run ./internal/tools/configdoc docs/configuration.md

## docs-check: fail if docs/ is stale
docs-check: docs
	@git diff --exit-code --stat -- docs api || (echo "docs/ is stale: run 'make docs' and commit the result" >&2; exit 1)

## node: install the Node tooling of clients/ and examples/ from package-lock.json (npm
##       registry only; npm's cache stays in .cache/, inside the checkout)
node: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json clients/typescript/package.json clients/conformance/package.json examples/web/package.json
	npm ci --no-audit --no-fund --loglevel=error --cache "$(CURDIR)/.cache/npm"

## spec-lint: Redocly's recommended ruleset on docs/openapi3.json; any error or warning fails
spec-lint: node
	@out=$$(npx --no-install redocly lint --format=summary docs/openapi3.json 2>&1); rc=$$?; \
	echo "$$out" | grep -E '^(error|warning) ' && { echo "Redocly: fix the annotations or internal/tools/openapi3" >&2; exit 1; }; \
	[ $$rc -eq 0 ] || { echo "$$out" >&2; exit $$rc; }; echo "Redocly $$(npx --no-install redocly --version): 0 errors, 0 warnings"

## clients: regenerate clients/typescript from docs/openapi3.json (types, then dist/)
clients: node
	npm run -s -w clients/typescript generate
	npm run -s -w clients/typescript build

## clients-check: fail if the generated client is stale (CI)
clients-check: clients
	@git diff --exit-code --stat -- clients/typescript && test -z "$$(git status --porcelain -- clients/typescript)" || \
	  (echo "clients/typescript is stale: run 'make clients' and commit the result" >&2; exit 1)

## test-clients: the TypeScript client's tests against a live Herald, plain and behind Prism
##               (proxy, --errors), its no-cast check, and the conformance of clients generated
##               by openapi-typescript and @hey-api/openapi-ts from the served spec
test-clients: build node
	cd clients/typescript && npx --no-install tsc -p tsconfig.test.json
	node clients/harness/nocasts.js clients/typescript/src clients/typescript/test clients/conformance examples/web/src
	node --test --test-reporter=spec clients/typescript/build/
	HERALD_PRISM=1 node --test --test-reporter=spec clients/typescript/build/
	node clients/conformance/run.mjs

## example: Herald with demo content and the example news site (examples/web, Vite) for a person
example: build node
	node examples/web/serve.mjs

## test-example: type-check the example, then its browser test (Playwright with Debian's
##               chromium; CHROMIUM=/path overrides /usr/bin/chromium); screenshots land in
##               examples/web/test-results, UPDATE_SCREENSHOT=1 refreshes examples/web/screenshot.png
test-example: build node
	cd examples/web && npx --no-install tsc -p tsconfig.json
	node --test --test-reporter=spec examples/web/test/

## lint: gofmt, go vet and staticcheck
lint: $(STATICCHECK)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "run gofmt -w" >&2; exit 1)
	go vet ./...
	$(STATICCHECK) ./...

## bench: wrk (2 threads, 64 connections, loopback) on POST /api/v1/articles/{id}/views vs a bare Echo 202, on SQLite and PostgreSQL if reachable; checks no count is lost; then bench-media
bench: bench-media bench-sync bench-webhooks
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk
	CGO_ENABLED=0 go build -tags nodynamic -trimpath -o bin/herald ./cmd/herald
	go build -o bin/bench-ceiling ./bench/ceiling
	go run ./bench/viewsbench -herald bin/herald -ceiling bin/bench-ceiling
	go run ./bench/readbench -herald bin/herald -ceiling bin/bench-ceiling -articles $(BENCH_ARTICLES)
	go run ./bench/searchbench -herald bin/herald -ceiling bin/bench-ceiling -articles $(BENCH_ARTICLES)

## bench-sync: delta sync (#15): initial sync articles/s and a delta of 100 changes on BENCH_ARTICLES, beside the ceiling
.PHONY: bench-sync
bench-sync:
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk
	CGO_ENABLED=0 go build -trimpath -o bin/herald ./cmd/herald
	go build -o bin/bench-ceiling ./bench/ceiling
	go run ./bench/syncbench -herald bin/herald -ceiling bin/bench-ceiling -articles $(BENCH_ARTICLES)

## bench-webhooks: webhook deliveries per second and publish-to-delivery latency (p50, p99),
## one instance, receiver on loopback, SQLite and PostgreSQL if reachable (issue 16)
bench-webhooks:
	go run ./bench/webhookbench

## bench-media: time and peak heap of one 12-megapixel JPEG upload with its variants, and
##              peak RSS of the worst accepted image and of the issue-11 PNG uploaded 4× at once;
##              renditions of a 12 MP photo per format (time, bytes, memory) and their served throughput
bench-media:
	go test -run '^$$' -bench Upload12MP -benchtime 5x ./internal/media/
	go test -run '^$$' -bench UploadPeakRSS -benchtime 1x ./internal/media/
	# On-demand renditions (issue 18): first request per format, bytes, peak memory; then a
	# stored rendition served under wrk beside the bare-Echo ceiling.
	go test -run '^$$' -bench Rendition12MP -benchtime 3x -timeout 30m ./internal/media/
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk
	CGO_ENABLED=0 go build -tags nodynamic -trimpath -o bin/herald ./cmd/herald
	go build -o bin/bench-ceiling ./bench/ceiling
	go run ./bench/imagebench -herald bin/herald -ceiling bin/bench-ceiling

FUZZTIME ?= 10s
# A retry counts executions: a duration budget races Go's fuzzing coordinator at its deadline
# ("context deadline exceeded" with no failing input), a count cannot. 5000x: the slowest target
# (FuzzMeasureImage) needs about 30 s for it.
FUZZRETRY ?= 5000x
FUZZ_PKGS ?= ./internal/media/ ./internal/search/ ./internal/delta/ ./internal/content/

## fuzz: run every fuzz test (func FuzzXxx) of FUZZ_PKGS for FUZZTIME each (CI: 3s each)
fuzz:
	@set -e; for pkg in $(FUZZ_PKGS); do \
	  targets=$$(go test -list '^Fuzz' $$pkg); \
	  for f in $$(echo "$$targets" | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    out=$$(go test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) && continue; \
	    echo "$$out" | tail -40; \
	    if echo "$$out" | grep -q 'Failing input written to'; then exit 1; fi; \
	    echo "fuzz $$pkg $$f: the fuzzing engine failed without a failing input; once more, $(FUZZRETRY)"; \
	    out=$$(go test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZRETRY) $$pkg 2>&1) || { echo "$$out" | tail -40; exit 1; }; \
	  done; \
	done

## bench-read: only the read bench (BENCH_ARTICLES=100000 by default; results under bench/results/)
bench-read:
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk
	CGO_ENABLED=0 go build -tags nodynamic -trimpath -o bin/herald ./cmd/herald
	go build -o bin/bench-ceiling ./bench/ceiling
	go run ./bench/readbench -herald bin/herald -ceiling bin/bench-ceiling -articles $(BENCH_ARTICLES)

## bench-search: only the search bench (#14): two-word queries and typeahead, uncached, 16
##               connections, on BENCH_ARTICLES × 3 locales seeded with a Zipf vocabulary
bench-search:
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk
	CGO_ENABLED=0 go build -trimpath -o bin/herald ./cmd/herald
	go build -o bin/bench-ceiling ./bench/ceiling
	go run ./bench/searchbench -herald bin/herald -ceiling bin/bench-ceiling -articles $(BENCH_ARTICLES)

## deploy-check: validate deployments/ with real parsers (PyYAML, docker-compose config,
##               systemd-analyze) and build with the exact go build line of the Dockerfile
deploy-check: build
	/usr/bin/python3 deployments/check.py

clean:
	rm -rf bin
