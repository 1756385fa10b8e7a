package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// Config is what the service runs with; zero durations take the defaults in parentheses.
type Config struct {
	Store Store
	// DB and Dialect ("postgres" or "sqlite") are where River keeps its jobs: the database
	// Store writes to, so a delivery and its job commit together.
	DB      *sql.DB
	Dialect string
	// SQLTx is the database/sql transaction ctx carries (the write's); River inserts the
	// delivery's job in it.
	SQLTx   func(ctx context.Context) (*sql.Tx, bool)
	Clock   func() time.Time
	Log     *slog.Logger
	Locales []string
	// AllowPrivate lets endpoints reach loopback and private addresses (tests, intranets).
	AllowPrivate bool
	// AttemptTimeout bounds one attempt, connection to last byte (10s).
	AttemptTimeout time.Duration
	// RetryBase is the first retry's delay, doubling per attempt up to RetryMax (5s, 1h),
	// each with jitter; RetryFor is how long a delivery is retried (24h).
	RetryBase, RetryMax, RetryFor time.Duration
	// DisableAfter disables an endpoint failing for this long without a success (24h).
	DisableAfter time.Duration
	// PollInterval is how often an instance looks for due jobs (100ms).
	PollInterval time.Duration
	// RescueAfter is how long a job may run before another instance takes it over: a
	// process that died mid-delivery (5m).
	RescueAfter time.Duration
	// Workers is how many deliveries one instance sends at once (10).
	Workers int
	// Paths, when set, gives the frontend path (or URL) of an article, category or tag in a
	// locale, for payloads; "" when it has none. The seam for the permalink settings.
	Paths func(Link) string
	// Observe counts each attempt's outcome (succeeded, retry, failed, rejected).
	Observe func(outcome string)
}

func (c *Config) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.AttemptTimeout, 10*time.Second)
	def(&c.RetryBase, 5*time.Second)
	def(&c.RetryMax, time.Hour)
	def(&c.RetryFor, 24*time.Hour)
	def(&c.DisableAfter, 24*time.Hour)
	def(&c.PollInterval, 100*time.Millisecond)
	def(&c.RescueAfter, 5*time.Minute)
	// River refuses to rescue a job that may still be running within its timeout.
	c.RescueAfter = max(c.RescueAfter, c.jobTimeout()+time.Second)
	if c.Workers <= 0 {
		c.Workers = 10
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Observe == nil {
		c.Observe = func(string) {}
	}
}

// jobTimeout bounds one job: an attempt and the bookkeeping around it.
func (c *Config) jobTimeout() time.Duration { return c.AttemptTimeout + 2*time.Second }

// Service manages endpoints and delivers events.
type Service struct {
	cfg    Config
	store  Store
	http   *http.Client
	client *river.Client[*sql.Tx]
}

// DeliveryArgs is the River job that sends one delivery.
type DeliveryArgs struct {
	Delivery string `json:"delivery"`
}

// Kind implements river.JobArgs.
func (DeliveryArgs) Kind() string { return "herald_webhook_delivery" }

// driver is River's driver for dialect over db.
func driver(db *sql.DB, dialect string) (riverdriver.Driver[*sql.Tx], error) {
	switch dialect {
	case "postgres":
		return riverdatabasesql.New(db), nil
	case "sqlite":
		return riversqlite.New(db), nil
	}
	return nil, fmt.Errorf("webhooks: no job queue for dialect %q", dialect)
}

// MigrateQueue applies River's migrations (its job tables) to db; Herald's migrate step
// runs it after its own. On PostgreSQL the tables go to the first schema of search_path.
func MigrateQueue(ctx context.Context, db *sql.DB, dialect string) error {
	drv, err := driver(db, dialect)
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	if dialect == "postgres" {
		// Instances starting together migrate one after the other (a session lock, per schema).
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		const key = "hashtext(current_schema() || '.herald_river_migrate')"
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+key+")"); err != nil {
			return fmt.Errorf("job queue migrations: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+key+")") //nolint:errcheck // the session ends with the connection anyway
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// New returns the service with its River client, which inserts jobs at once and works them
// after Start.
func New(cfg Config) (*Service, error) {
	cfg.defaults()
	s := &Service{cfg: cfg, store: cfg.Store, http: newHTTPClient(cfg.AllowPrivate)}
	drv, err := driver(cfg.DB, cfg.Dialect)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliveryWorker{s: s}); err != nil {
		return nil, err
	}
	rlog := cfg.Log.With("component", "river")
	s.client, err = river.NewClient(drv, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(cfg.PollInterval, 100*time.Millisecond),
		JobTimeout:           cfg.jobTimeout(),
		RescueStuckJobsAfter: cfg.RescueAfter,
		MaxAttempts:          1000, // Herald decides when to give up (RetryFor), by snoozing
		Logger:               slog.New(&levelFloor{Handler: rlog.Handler(), min: slog.LevelWarn}),
		PollOnly:             true,
	})
	if err != nil {
		return nil, fmt.Errorf("webhooks: job queue: %w", err)
	}
	return s, nil
}

// Start works delivery jobs until Stop.
func (s *Service) Start(ctx context.Context) error { return s.client.Start(ctx) }

// Stop waits for the deliveries in flight (up to ctx), then stops working jobs.
func (s *Service) Stop(ctx context.Context) error {
	err := s.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		cctx, cancel := context.WithTimeout(context.Background(), s.cfg.AttemptTimeout+time.Second)
		defer cancel()
		return s.client.StopAndCancel(cctx)
	}
	return err
}

// Endpoints lists the endpoints.
func (s *Service) Endpoints(ctx context.Context) ([]Endpoint, error) { return s.store.Endpoints(ctx) }

// Endpoint returns one endpoint.
func (s *Service) Endpoint(ctx context.Context, id uuid.UUID) (Endpoint, error) {
	e, err := s.store.EndpointByID(ctx, id)
	if errs.CodeOf(err) == errs.NotFound {
		return Endpoint{}, errs.New(errs.NotFound, "no such webhook endpoint")
	}
	return e, err
}

// Create registers an endpoint with a fresh secret; the returned endpoint carries the
// secret, which is not shown again.
func (s *Service) Create(ctx context.Context, in EndpointInput) (Endpoint, error) {
	if err := s.validate(in, true); err != nil {
		return Endpoint{}, err
	}
	eps, err := s.store.Endpoints(ctx)
	if err != nil {
		return Endpoint{}, err
	}
	if len(eps) >= MaxEndpoints {
		return Endpoint{}, errs.New(errs.Conflict, fmt.Sprintf("at most %d webhook endpoints may exist; delete one first", MaxEndpoints))
	}
	now := s.cfg.Clock().UTC().Truncate(time.Microsecond)
	e := Endpoint{ID: uuid.Must(uuid.NewV7()), URL: *in.URL, Events: in.Events, Locales: in.Locales,
		Secret: NewSecret(), Enabled: true, CreatedAt: now, UpdatedAt: now}
	if e.Locales == nil {
		e.Locales = []string{}
	}
	if in.Description != nil {
		e.Description = *in.Description
	}
	if in.Enabled != nil {
		e.Enabled = *in.Enabled
	}
	return e, s.store.CreateEndpoint(ctx, e)
}

// Update changes the fields in sets; enabling an endpoint clears why it was disabled.
func (s *Service) Update(ctx context.Context, id uuid.UUID, in EndpointInput) (Endpoint, error) {
	if err := s.validate(in, false); err != nil {
		return Endpoint{}, err
	}
	e, err := s.Endpoint(ctx, id)
	if err != nil {
		return Endpoint{}, err
	}
	if in.URL != nil {
		e.URL = *in.URL
	}
	if in.Description != nil {
		e.Description = *in.Description
	}
	if in.Events != nil {
		e.Events = in.Events
	}
	if in.Locales != nil {
		e.Locales = in.Locales
	}
	now := s.cfg.Clock().UTC().Truncate(time.Microsecond)
	if in.Enabled != nil && *in.Enabled != e.Enabled {
		e.Enabled = *in.Enabled
		e.DisabledReason, e.DisabledAt, e.FailingSince = "", nil, nil
		if !e.Enabled {
			e.DisabledAt = &now
		}
	}
	e.UpdatedAt = now
	return e, s.store.UpdateEndpoint(ctx, e)
}

// RotateSecret gives the endpoint a new secret, returned this once.
func (s *Service) RotateSecret(ctx context.Context, id uuid.UUID) (Endpoint, error) {
	e, err := s.Endpoint(ctx, id)
	if err != nil {
		return Endpoint{}, err
	}
	e.Secret, e.UpdatedAt = NewSecret(), s.cfg.Clock().UTC().Truncate(time.Microsecond)
	return e, s.store.UpdateEndpoint(ctx, e)
}

// Delete removes an endpoint and its delivery log.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	if _, err := s.Endpoint(ctx, id); err != nil {
		return err
	}
	return s.store.DeleteEndpoint(ctx, id)
}

// Deliveries is one page of an endpoint's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, id uuid.UUID, page, perPage int) ([]Delivery, int64, error) {
	if _, err := s.Endpoint(ctx, id); err != nil {
		return nil, 0, err
	}
	return s.store.Deliveries(ctx, id, (page-1)*perPage, perPage)
}

// Delivery returns one delivery of the endpoint with its attempts.
func (s *Service) Delivery(ctx context.Context, endpointID uuid.UUID, id string) (Delivery, error) {
	d, err := s.store.DeliveryByID(ctx, id)
	if errs.CodeOf(err) == errs.NotFound || (err == nil && d.EndpointID != endpointID) {
		return Delivery{}, errs.New(errs.NotFound, "no such delivery of this endpoint")
	}
	return d, err
}

// Redeliver sends a delivery again, with the same webhook-id, whatever became of it; its
// retry window starts afresh.
func (s *Service) Redeliver(ctx context.Context, endpointID uuid.UUID, id string) (Delivery, error) {
	var out Delivery
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		d, err := s.Delivery(ctx, endpointID, id)
		if err != nil {
			return err
		}
		if d.State == Pending {
			// Its job is queued or running; a second one could send it twice at once.
			return errs.New(errs.Conflict, "this delivery is still pending; redeliver it once it has succeeded or failed")
		}
		d.State, d.FirstAttemptAt, d.CompletedAt, d.NextAttemptAt = Pending, nil, nil, nil
		if err := s.store.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		out = d
		return s.enqueue(ctx, []*Delivery{&d})
	})
	return out, err
}

// Ping sends a webhook.ping to the endpoint now, once, and returns the delivery with the
// attempt's outcome (also in the log).
func (s *Service) Ping(ctx context.Context, id uuid.UUID) (Delivery, error) {
	e, err := s.Endpoint(ctx, id)
	if err != nil {
		return Delivery{}, err
	}
	now := time.Now().UTC()
	d := s.newDelivery(e, PingEvent, "ping:"+e.ID.String(), now, map[string]any{"endpoint_id": e.ID.String()})
	res := s.send(ctx, e, *d)
	a := res.attempt(1)
	d.Attempts, d.FirstAttemptAt, d.CompletedAt, d.LastStatus, d.LastError = 1, &a.At, &a.At, a.Status, a.Error
	d.State = Failed
	if res.ok() {
		d.State = Succeeded
	}
	// Stored once sent, so no pending ping without a job is ever left behind.
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.InsertDeliveries(ctx, []*Delivery{d}); err != nil {
			return err
		}
		return s.store.RecordAttempt(ctx, *d, a)
	})
	if err != nil {
		return Delivery{}, err
	}
	d.Log = []Attempt{a}
	return *d, nil
}

// levelFloor drops River's records below min (its info logs are per job).
type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h *levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h *levelFloor) WithAttrs(as []slog.Attr) slog.Handler {
	return &levelFloor{Handler: h.Handler.WithAttrs(as), min: h.min}
}

func (h *levelFloor) WithGroup(n string) slog.Handler {
	return &levelFloor{Handler: h.Handler.WithGroup(n), min: h.min}
}

// Hook is the changes.Hook that enqueues deliveries in the write's transaction.
func (s *Service) Hook() changes.Hook { return s.onWrite }
