package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/content"
)

// NextPublishAt returns the earliest publication time after now of a live article (a
// scheduled one, or a published one dated in the future), so that cached public responses
// can expire the moment it becomes visible. has is false when none is due.
func (s *Content) NextPublishAt(ctx context.Context, now time.Time) (at time.Time, has bool, err error) {
	var rows []struct{ PublishedAt *time.Time }
	err = s.db.conn(ctx).Table("articles AS a").Select("a.published_at").
		Where("a.deleted_at IS NULL AND a.status IN ? AND a.published_at > ?", liveStatuses, now.UTC()).
		Order("a.published_at").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 || rows[0].PublishedAt == nil {
		return time.Time{}, false, err
	}
	return rows[0].PublishedAt.UTC(), true, nil
}

// Notifier tells the other instances on one PostgreSQL schema that content changed, and
// hears them: NOTIFY on a channel named after the schema, LISTEN on a dedicated connection
// that reconnects after a failure. Each process tags its notifications so it skips its own.
type Notifier struct {
	db        *DB
	dsn       string
	id        string
	log       *slog.Logger
	ready     chan struct{}
	readyOnce sync.Once
}

// channelPrefix names the channel; the schema follows, so schemas sharing a database (tests,
// staging beside production) do not hear each other.
const channelPrefix = "herald_content_"

// NewNotifier returns the change channel of db, opened from url; it needs PostgreSQL.
func NewNotifier(db *DB, url string, log *slog.Logger) (*Notifier, error) {
	dialect, dsn, err := config.ParseDatabaseURL(url)
	if err != nil {
		return nil, err
	}
	if dialect != "postgres" || db.Dialect() != "postgres" {
		return nil, errors.New("store: cross-instance invalidation needs PostgreSQL")
	}
	if log == nil {
		log = slog.Default()
	}
	return &Notifier{db: db, dsn: dsn, id: uuid.NewString(), log: log, ready: make(chan struct{})}, nil
}

// Ready is closed once the listener first holds its LISTEN, so a server can wait to take
// traffic until it hears the other instances' writes.
func (c *Notifier) Ready() <-chan struct{} { return c.ready }

// Notify tells the other instances that content changed.
func (c *Notifier) Notify(ctx context.Context) error {
	return c.db.conn(ctx).Exec("SELECT pg_notify(? || current_schema(), ?)", channelPrefix, c.id).Error
}

// Listen calls changed whenever another instance notifies, and after every (re)connection,
// since notifications sent while disconnected are lost. It returns when ctx ends.
func (c *Notifier) Listen(ctx context.Context, changed func()) {
	backoff := 250 * time.Millisecond
	for ctx.Err() == nil {
		err := c.listenOnce(ctx, changed, func() { backoff = 250 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("cache: change listener lost its connection; reconnecting", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (c *Notifier) listenOnce(ctx context.Context, changed, connected func()) error {
	conn, err := pgx.Connect(ctx, c.dsn)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channelPrefix + schema}.Sanitize()); err != nil {
		return err
	}
	connected()
	changed()
	c.readyOnce.Do(func() { close(c.ready) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != c.id {
			changed()
		}
	}
}

// DuePublications returns up to limit articles whose scheduled publication time has come
// (live, published_at after since and at or before now, and after their last write, so the
// write that set it could not record them as published) and that no instance has recorded
// yet. The since bound keeps it an index range scan (articles_live_published).
func (s *Content) DuePublications(ctx context.Context, since, now time.Time, limit int) ([]content.Due, error) {
	var rows []struct {
		ID          uuid.UUID
		PublishedAt time.Time
	}
	err := s.db.conn(ctx).Table("articles AS a").Select("a.id, a.published_at").
		Where("a.deleted_at IS NULL AND a.status IN ? AND a.published_at > ? AND a.published_at <= ? AND a.published_at > a.updated_at",
			liveStatuses, since.UTC(), now.UTC()).
		Where("NOT EXISTS (SELECT 1 FROM publish_claims c WHERE c.article_id = a.id AND c.published_at = a.published_at)").
		Order("a.published_at").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]content.Due, len(rows))
	for i, r := range rows {
		out[i] = content.Due{ArticleID: r.ID, At: r.PublishedAt.UTC()}
	}
	return out, nil
}

// ClaimPublication records, in the transaction ctx carries, that this instance records the
// publication of an article at at; false when another instance has (the primary key holds:
// a concurrent claimer waits for the first to commit, then inserts nothing).
func (s *Content) ClaimPublication(ctx context.Context, id uuid.UUID, at time.Time) (bool, error) {
	res := s.db.conn(ctx).Exec("INSERT INTO publish_claims (article_id, published_at) VALUES (?, ?) ON CONFLICT DO NOTHING", id, at.UTC())
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}

// PruneClaims deletes the claims of publications due before before (see content.claimsKeep).
func (s *Content) PruneClaims(ctx context.Context, before time.Time) error {
	return s.db.conn(ctx).Exec("DELETE FROM publish_claims WHERE published_at < ?", before.UTC()).Error
}
