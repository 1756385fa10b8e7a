// Command herald is the Herald headless CMS: `herald serve` runs the HTTP API, `herald
// migrate` manages the schema. Configuration comes from HERALD_* environment variables.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/migrations"
)

const usage = `usage: herald <command>

commands:
  serve                     run the HTTP server (migrates first)
  migrate up|down|status    manage the database schema
  seed --articles N         generate a synthetic archive (benchmarks, load tests)
  user create --email E --role R [--name N] [--password-file F]
                            create a user (password from F or standard input)
  backup PATH               copy the SQLite database to PATH (a new file), safely while serving
  healthcheck [URL]         exit 0 if the local server's /readyz answers 200 (for containers)
  media sweep [--min-age 1h]
                            delete files a crashed upload left (no media row)
  search reindex            rebuild the full-text search index (progress shown)
  import [--media-dir DIR] [--dry-run] [--quiet-events] FILE|-
                            import an NDJSON archive (docs/import.md)
  export [--revisions] [--media-dir DIR] [--out FILE]
                            write every article as NDJSON (and its images into DIR)
  help                      show this text

Configuration is read from HERALD_* environment variables; see README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "herald:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout)
	case "seed":
		return seed(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args, getenv, stdout)
	case "healthcheck":
		return healthcheck(ctx, args, getenv, stdout)
	case "user":
		return userCommand(ctx, args, getenv, os.Stdin, stdout)
	case "media":
		return mediaCommand(ctx, args, getenv, stdout)
	case "search": // #14
		return searchCommand(ctx, args, getenv, stdout)
	// Archive import and export (issue 20).
	case "import":
		return importCommand(ctx, args, getenv, os.Stdin, stdout, stderr)
	case "export":
		return exportCommand(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.Env == config.Production {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	start := time.Now()
	cfg, db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	logs := newBufferedLog(stderr)
	defer logs.Flush()
	logCtx, stopLogs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLogs()
	go logs.run(logCtx)
	// newLogger's production handler is slog's JSON handler with a level only.
	log := slog.New(logHandler{newLogger(cfg, logs).Handler(), logs, cfg.Env == config.Production})
	_, stopGC := startGCFloor(getenv, gcFloorBytes)
	defer stopGC()
	db.SetMaxConns(cfg.DatabaseMaxConns)
	for _, u := range cfg.ReplicaURLs {
		if err := db.AddReplica(ctx, u); err != nil {
			return err
		}
	}
	if len(cfg.ReplicaURLs) > 0 {
		log.Info("public reads go to read replicas", "replicas", len(cfg.ReplicaURLs))
	}
	if cfg.JWTSecretGenerated {
		log.Warn("HERALD_JWT_SECRET is not set: using a random secret for this process; tokens stop working at restart")
	}
	a, err := app.New(ctx, cfg, db, app.WithLogger(log))
	if err != nil {
		return err
	}
	if a.DemoLoaded {
		log.Info("loaded demo content into the empty database")
	}
	if err := ensureAdmins(ctx, cfg, a.Auth, log); err != nil {
		return err
	}
	if a.Notifier != nil {
		log.Info("cache: other instances' writes reach this cache through PostgreSQL LISTEN/NOTIFY")
	}
	// Deferred calls run last in, first out: Close runs after the HTTP server has drained
	// and before the database closes, so every accepted read and token use is written.
	defer a.Close(cfg.ShutdownTimeout) //nolint:errcheck // Close logs what it lost
	// Take traffic only once other instances' writes can reach this cache.
	if err := a.Start(ctx, 10*time.Second); err != nil {
		return err
	}
	srv := a.Server
	hs := srv.HTTPServer(cfg.Addr)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	base := baseURL(ln.Addr())
	stopMetrics, err := serveMetricsAddr(cfg, srv.MetricsHandler(), log)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMetrics()
	log.Info("herald is serving", "addr", ln.Addr().String(), "database", db.Dialect(), "env", cfg.Env, "startup", time.Since(start).Round(time.Millisecond))
	if isTerminal(stdout) {
		printBanner(stdout, base, db.Dialect(), cfg.Access.SwaggerUI)
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(srv.Listener(ln)) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	log.Info("stopped")
	return nil
}

// serveMetricsAddr serves GET /metrics on HERALD_METRICS_ADDR when it is set, and says
// where metrics are (or that they are not served); stop closes that listener.
func serveMetricsAddr(cfg config.Config, metrics http.Handler, log *slog.Logger) (stop func(), err error) {
	if cfg.Access.MetricsAddr == "" {
		if !cfg.MetricsOnMain() {
			log.Warn("GET /metrics is not served: in production set HERALD_METRICS_TOKEN (a bearer token) or HERALD_METRICS_ADDR (a private listen address)")
		}
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", cfg.Access.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on HERALD_METRICS_ADDR %s: %w", cfg.Access.MetricsAddr, err)
	}
	ms := &http.Server{Handler: metrics, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 16 << 10}
	go func() {
		if err := ms.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "error", err)
		}
	}()
	log.Info("metrics are served on their own address", "metrics_addr", ln.Addr().String())
	return func() {
		if err := ms.Close(); err != nil {
			log.Warn("metrics listener: close", "error", err)
		}
	}, nil
}

// printBanner tells a person at a terminal where to look.
func printBanner(stdout io.Writer, base, dialect string, swaggerUI bool) {
	docs := base + "/docs/"
	if !swaggerUI {
		docs += "openapi.json (Swagger UI: HERALD_DOCS=true)"
	}
	fmt.Fprintf(stdout, `
Herald is running on %[1]s (%[2]s database)
  Articles:   %[1]s/api/v1/articles?locale=en
  One story:  %[1]s/api/v1/articles/%[3]s?locale=az
  Categories: %[1]s/api/v1/categories
  API docs:   %[4]s
Stop with Ctrl-C.

`, base, dialect, demo.FixtureSlugEN, docs)
}

// isTerminal reports whether w is a terminal. The banner is for a person; under a service
// manager or a container runtime stdout is a pipe or a file beside the JSON logs, and a
// banner there is noise that log shippers choke on. A writer may answer for itself (tests).
func isTerminal(w io.Writer) bool {
	if t, ok := w.(interface{ IsTerminal() bool }); ok {
		return t.IsTerminal()
	}
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

func baseURL(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + port
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: herald migrate up|down|status")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := migrations.Provider(db.SQL(), db.Dialect())
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		res, err := p.Up(ctx)
		for _, r := range res {
			fmt.Fprintf(stdout, "applied %s (%s)\n", r.Source.Path, r.Duration.Round(time.Millisecond))
		}
		if err == nil && len(res) == 0 {
			fmt.Fprintln(stdout, "the schema is up to date")
		}
		if err != nil {
			return err
		}
		// The job queue's tables (River, webhook deliveries) follow Herald's.
		return db.MigrateQueue(ctx)
	case "down":
		r, err := p.Down(ctx)
		if r != nil {
			fmt.Fprintf(stdout, "rolled back %s\n", r.Source.Path)
		}
		return err
	case "status":
		st, err := p.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			applied := "pending"
			if s.State == "applied" {
				applied = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%05d %-40s %s\n", s.Source.Version, s.Source.Path, applied)
		}
		return nil
	}
	return fmt.Errorf("unknown migrate command %q: want up, down or status", args[0])
}

// openApp opens the migrated database and wires Herald as `serve` does, for a command that
// writes data through the services (and so is audited and recorded like an HTTP write).
// It loads no demo content and starts no background work.
func openApp(ctx context.Context, getenv func(string) string, opts ...app.Option) (*app.App, func(), error) {
	cfg, db, err := openMigrated(ctx, getenv)
	if err != nil {
		return nil, nil, err
	}
	cfg.DemoContent = false
	a, err := app.New(ctx, cfg, db, opts...)
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return a, func() { _ = db.Close() }, nil
}

// openMigrated loads the configuration and opens the database with every migration
// applied: the start of every command that touches data.
func openMigrated(ctx context.Context, getenv func(string) string) (config.Config, *store.DB, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return config.Config{}, nil, err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return config.Config{}, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return config.Config{}, nil, err
	}
	return cfg, db, nil
}
