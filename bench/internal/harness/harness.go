// Package harness is the shared harness of the bench programs: it starts herald and the
// bare Echo ceiling on free loopback ports, drives wrk and parses its report, fetches
// bodies, and makes throwaway PostgreSQL schemas. One copy, so a fix to how something is
// measured lands in every bench.
package harness

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvOr returns the environment variable k, or def when it is unset or empty.
func EnvOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// RandomHex returns n random bytes in hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// getAttempts is how many times Get asks before it takes a 503 for an answer, waiting
// getRetryWait between.
const getAttempts = 5

var getRetryWait = time.Second

// RandomSecret is a fresh JWT secret: production refuses low-entropy ones.
func RandomSecret() string { return RandomHex(32) }

// Get GETs u and fails unless the answer is 200; when v is not nil it decodes the body,
// JSON, into v. It returns the (decompressed) body and the headers. A 503 is retried a few
// times: the first reads of a freshly started server over a database file not yet in the
// page cache can outlast its read timeout (a 100,000-article SQLite list's first count).
func Get(u string, v any) ([]byte, http.Header, error) {
	var resp *http.Response
	var b []byte
	for attempt := 1; ; attempt++ {
		var err error
		if resp, err = http.Get(u); err != nil {
			return nil, nil, err
		}
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode != http.StatusServiceUnavailable || attempt == getAttempts {
			break
		}
		time.Sleep(getRetryWait)
	}
	var err error
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %d %.200s", u, resp.StatusCode, b)
	}
	if v != nil {
		err = json.Unmarshal(b, v)
	}
	return b, resp.Header, err
}

// Fetch returns the body as sent on the wire (still gzipped when headers ask for gzip),
// whatever the status: it is what the ceiling must serve to match herald byte for byte.
func Fetch(u string, headers []string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// PGSchema creates the schema <prefix>_<random> in the PostgreSQL database at base and
// returns a URL whose search_path is that schema, and a function that drops it. ctx bounds
// reaching the server and creating the schema.
func PGSchema(ctx context.Context, base, prefix string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return "", nil, err
	}
	schema := prefix + "_" + RandomHex(6)
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}, nil
}

// Seed runs `herald seed` with args against dbURL, env added, and returns how long it took.
func Seed(herald, dbURL string, env []string, args ...string) (time.Duration, error) {
	start := time.Now()
	cmd := exec.Command(herald, append([]string{"seed"}, args...)...)
	cmd.Env = append(append(os.Environ(), "HERALD_DATABASE_URL="+dbURL), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("seed: %v\n%s", err, out)
	}
	return time.Since(start).Round(time.Second), nil
}
