// Package webhooks tells outside receivers (frontends that revalidate pages, integrations)
// what changed. Admins register endpoints; every write that records changes (internal/changes)
// inserts, in its own transaction, one delivery per matching endpoint and a River job that
// sends it, so a write that committed is always delivered and one that rolled back never is.
// Deliveries are signed per Standard Webhooks, retried with backoff for about a day, logged
// attempt by attempt, and sent only to public addresses unless the operator allows private
// ones.
package webhooks

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/errs"
)

// Events an endpoint may subscribe to. "media.*" and "taxonomy.*" take every event of their
// kind.
var Events = []string{
	"article.published", "article.updated", "article.unpublished", "article.deleted",
	"media.*", "media.updated", "media.deleted",
	"taxonomy.*", "taxonomy.updated", "taxonomy.deleted",
	"settings.updated",
}

// PingEvent is the event of a test ping; it goes to one endpoint, whatever it subscribes to.
const PingEvent = "webhook.ping"

// Limits of an endpoint's fields.
const (
	MaxURLLen         = 2048
	MaxDescriptionLen = 500
	MaxEndpoints      = 100
	// MaxResponseExcerpt is how much of a receiver's response body the log keeps.
	MaxResponseExcerpt = 1024
)

// Endpoint is a registered receiver.
type Endpoint struct {
	ID          uuid.UUID
	URL         string
	Description string
	Events      []string
	// Locales filters article and taxonomy events to these locales (empty: all).
	Locales []string
	// Secret is the signing key in Standard Webhooks form (whsec_ + base64).
	Secret  string
	Enabled bool
	// DisabledReason says why Herald disabled the endpoint (empty when an admin did, or when
	// enabled).
	DisabledReason string
	DisabledAt     *time.Time
	// FailingSince is the first failed attempt since the last success.
	FailingSince *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Subscribes reports whether e takes event.
func (e Endpoint) Subscribes(event string) bool {
	if event == PingEvent {
		return true
	}
	for _, s := range e.Events {
		if s == event || (strings.HasSuffix(s, ".*") && strings.HasPrefix(event, strings.TrimSuffix(s, "*"))) {
			return true
		}
	}
	return false
}

// State is where a delivery stands.
type State string

// The states of a delivery.
const (
	Pending   State = "pending"
	Succeeded State = "succeeded"
	Failed    State = "failed"
)

// Delivery is one event for one endpoint: the outbox row.
type Delivery struct {
	Seq        int64
	ID         string // the webhook-id, stable across retries and redeliveries
	EndpointID uuid.UUID
	Event      string
	// OrderKey groups deliveries of one endpoint that must arrive in order (one article's).
	OrderKey       string
	Payload        []byte
	State          State
	Attempts       int
	LastStatus     int
	LastError      string
	NextAttemptAt  *time.Time
	FirstAttemptAt *time.Time
	CompletedAt    *time.Time
	CreatedAt      time.Time
	// Log is the delivery's attempts, oldest first (filled by the log readers).
	Log []Attempt
}

// Attempt is one try at sending a delivery.
type Attempt struct {
	Attempt int
	At      time.Time
	// Status is the HTTP status, 0 when no response came.
	Status   int
	Error    string
	Latency  time.Duration
	Response string
}

// Store is what the service needs from persistence; internal/store implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	CreateEndpoint(ctx context.Context, e Endpoint) error
	UpdateEndpoint(ctx context.Context, e Endpoint) error
	EndpointByID(ctx context.Context, id uuid.UUID) (Endpoint, error)
	// Endpoints lists every endpoint, oldest first (at most MaxEndpoints exist).
	Endpoints(ctx context.Context) ([]Endpoint, error)
	DeleteEndpoint(ctx context.Context, id uuid.UUID) error
	// InsertDeliveries stores ds in the transaction ctx carries, setting their Seq.
	InsertDeliveries(ctx context.Context, ds []*Delivery) error
	DeliveryByID(ctx context.Context, id string) (Delivery, error)
	// Deliveries is one page of an endpoint's deliveries, newest first, with their attempts,
	// and the endpoint's total.
	Deliveries(ctx context.Context, endpointID uuid.UUID, offset, limit int) ([]Delivery, int64, error)
	// RecordAttempt appends a to d's log and stores d's new state.
	RecordAttempt(ctx context.Context, d Delivery, a Attempt) error
	// UpdateDelivery stores d's state (a redelivery, an endpoint found disabled).
	UpdateDelivery(ctx context.Context, d Delivery) error
	// EarlierPending returns the next attempt time of a pending delivery of d's endpoint and
	// order key queued before d, and whether there is one.
	EarlierPending(ctx context.Context, d Delivery) (*time.Time, bool, error)
	// EndpointFailed notes a failed attempt at at and returns since when the endpoint fails.
	EndpointFailed(ctx context.Context, id uuid.UUID, at time.Time) (time.Time, error)
	// EndpointSucceeded clears the endpoint's failing mark.
	EndpointSucceeded(ctx context.Context, id uuid.UUID) error
	// DisableEndpoint disables it with reason.
	DisableEndpoint(ctx context.Context, id uuid.UUID, reason string, at time.Time) error
	// Articles returns the publication state of the articles ids that exist.
	Articles(ctx context.Context, ids []string) (map[string]ArticleState, error)
	// PendingDeliveries counts pending deliveries and returns the creation time of the oldest.
	PendingDeliveries(ctx context.Context) (int64, *time.Time, error)
}

// ArticleState is what events need of an article beyond its change.
type ArticleState struct {
	Status      string
	PublishedAt *time.Time
	Deleted     bool
}

// visible reports whether the public sees the article at now (content.Article.Visible).
func (a ArticleState) visible(now time.Time) bool {
	return !a.Deleted && (a.Status == "published" || a.Status == "scheduled") && a.PublishedAt != nil && !a.PublishedAt.After(now)
}

// Link is what a frontend path is built from: the entity ("article", "category", "tag"), the
// locale, the slug in it, the id and, for articles, the publication time.
type Link struct {
	Entity, Locale, Slug, ID string
	Published                time.Time
}

// EndpointInput is what an admin sends to create or change an endpoint; nil fields keep
// their value on update.
type EndpointInput struct {
	URL         *string
	Description *string
	Events      []string
	Locales     []string
	Enabled     *bool
}

// NewSecret returns a fresh signing secret in Standard Webhooks form.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// ErrPrivateTarget is the error of an attempt refused by the address guard.
var ErrPrivateTarget = errors.New("refused: the endpoint resolves to a private, loopback, link-local or otherwise internal address (HERALD_WEBHOOK_ALLOW_PRIVATE=true allows it)")

// validate checks in against the rules and the configured locales.
func (s *Service) validate(in EndpointInput, create bool) error {
	var fe []errs.FieldError
	if in.URL != nil || create {
		u := ""
		if in.URL != nil {
			u = *in.URL
		}
		if msg := s.checkURL(u); msg != "" {
			fe = append(fe, errs.Field("url", msg))
		}
	}
	if in.Description != nil && len(*in.Description) > MaxDescriptionLen {
		fe = append(fe, errs.Field("description", "is longer than 500 bytes"))
	}
	if in.Events != nil || create {
		if len(in.Events) == 0 {
			fe = append(fe, errs.Field("events", "must name at least one event: "+strings.Join(Events, ", ")))
		}
		for _, e := range in.Events {
			if !slices.Contains(Events, e) {
				fe = append(fe, errs.Field("events", "unknown event "+quote(e)+"; known: "+strings.Join(Events, ", ")))
				break
			}
		}
	}
	for _, l := range in.Locales {
		if !slices.Contains(s.cfg.Locales, l) {
			fe = append(fe, errs.Field("locales", "unknown locale "+quote(l)+"; known: "+strings.Join(s.cfg.Locales, ", ")))
			break
		}
	}
	if len(fe) > 0 {
		return errs.InvalidFields(fe...)
	}
	return nil
}

// checkURL returns why raw cannot be an endpoint URL, or "".
func (s *Service) checkURL(raw string) string {
	if raw == "" {
		return "is required"
	}
	if len(raw) > MaxURLLen {
		return "is longer than 2048 bytes"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "is not an absolute URL such as https://example.com/hooks/herald"
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "must use https or http"
	}
	if u.User != nil {
		return "must not carry credentials; the signature authenticates Herald"
	}
	if u.Fragment != "" {
		return "must not have a fragment"
	}
	if !s.cfg.AllowPrivate && privateHost(u.Hostname()) {
		return "points to a private, loopback or link-local address; set HERALD_WEBHOOK_ALLOW_PRIVATE=true to allow it"
	}
	return ""
}

func quote(s string) string { return "\"" + s + "\"" }
