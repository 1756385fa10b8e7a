package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// follower reads the change log as sync and webhooks do: from the last position it has
// seen, again and again, until stopped; it keeps every record it got.
type follower struct {
	log  *changes.Log
	mu   sync.Mutex
	got  []changes.Record
	last int64
}

func (f *follower) poll(ctx context.Context) error {
	recs, err := f.log.After(ctx, f.last, 100)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range recs {
		f.got = append(f.got, r)
		f.last = r.Position
	}
	return nil
}

func (f *follower) run(ctx context.Context, t *testing.T) {
	for ctx.Err() == nil {
		if err := f.poll(context.Background()); err != nil {
			t.Errorf("follow: %v", err)
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (f *follower) positions() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]int64, len(f.got))
	for i, r := range f.got {
		out[i] = r.Position
	}
	return out
}

// TestChangeLogNeverSkips: writer A appends its change and holds its transaction open;
// writer B starts later and commits as soon as it can; a follower reads "after the last
// position I saw" all along. The follower must end with every committed change: B's change
// must not become visible (at a higher position) before A's commits, or the follower would
// move past A's position and never see it.
func TestChangeLogNeverSkips(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testkit.OpenDB(t, d)
			cl := store.NewChangeLog(db)
			log := changes.NewLog(cl, nil, time.Now)
			f := &follower{log: log}
			fctx, stopFollowing := context.WithCancel(ctx)
			followed := make(chan struct{})
			go func() { defer close(followed); f.run(fctx, t) }()

			appended, release := make(chan struct{}), make(chan struct{})
			aDone := make(chan error, 1)
			go func() {
				aDone <- db.InTx(ctx, func(ctx context.Context) error {
					if _, err := cl.AppendChanges(ctx, []changes.Change{{EntityType: "article", EntityID: "A", Kind: changes.Upsert}}, time.Now()); err != nil {
						return err
					}
					close(appended)
					<-release // held open
					return nil
				})
			}()
			<-appended
			bDone := make(chan error, 1)
			go func() {
				bDone <- log.Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
					tx.Change(changes.Change{EntityType: "article", EntityID: "B", Kind: changes.Publish})
					return nil
				})
			}()
			time.Sleep(300 * time.Millisecond)
			select {
			case err := <-bDone:
				t.Fatalf("B committed while A held its change open (err %v): positions are not in commit order", err)
			default:
			}
			if got := f.positions(); len(got) != 0 {
				t.Fatalf("the follower saw %v before any writer committed", got)
			}
			close(release)
			if err := <-aDone; err != nil {
				t.Fatal(err)
			}
			if err := <-bDone; err != nil {
				t.Fatal(err)
			}
			all, err := log.After(ctx, 0, 100)
			if err != nil || len(all) != 2 || all[0].EntityID != "A" || all[1].EntityID != "B" || all[0].Position >= all[1].Position {
				t.Fatalf("log %+v, %v; want A then B", all, err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for len(f.positions()) < 2 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			stopFollowing()
			<-followed
			if got, want := fmt.Sprint(f.positions()), fmt.Sprint([]int64{all[0].Position, all[1].Position}); got != want {
				t.Fatalf("the follower read %s, the log holds %s: it skipped a change", got, want)
			}
			if last, err := log.LastPosition(ctx); err != nil || last != all[1].Position {
				t.Fatalf("last position %d, %v; want %d", last, err, all[1].Position)
			}
		})
	}
}

// TestChangeLogWithoutLockSkips shows the test above can fail: on PostgreSQL, rows that take
// positions from the sequence without the lock commit out of order, and a follower that saw
// B skips A for good.
func TestChangeLogWithoutLockSkips(t *testing.T) {
	ctx := context.Background()
	db := testkit.OpenDB(t, "postgres")
	log := changes.NewLog(store.NewChangeLog(db), nil, time.Now)
	insert := "INSERT INTO changes (entity_type, entity_id, kind, created_at) VALUES ('article', ?, 'upsert', now())"
	a := db.Gorm().Begin()
	if err := a.Exec(insert, "A").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm().Exec(insert, "B").Error; err != nil { // commits at once, at a higher position
		t.Fatal(err)
	}
	f := &follower{log: log}
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := f.poll(ctx); err != nil {
		t.Fatal(err)
	}
	all, _ := log.After(ctx, 0, 10)
	if len(f.positions()) != 1 || len(all) != 2 {
		t.Fatalf("follower %v, log %d rows: expected the unlocked insert to be skipped", f.positions(), len(all))
	}
}

// BenchmarkChangeAppend measures what recording a change costs a write: a transaction with
// one plain row insert, against the same with a change row appended under the lock.
//
// postgres-nosync runs with synchronous_commit off, so the commit's disk flush (which
// dominates, and varies, on a shared machine) is left out and the statements' cost shows.
func BenchmarkChangeAppend(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres", "postgres-nosync"} {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := benchDB(b, d)
			cl := store.NewChangeLog(db)
			var n atomic.Int64
			plain := func(ctx context.Context, _ int) error {
				return db.Exec(ctx, "INSERT INTO settings (key, locale, value, updated_at) VALUES (?, 'en', 'v', ?)", fmt.Sprintf("k%d", n.Add(1)), time.Now().UTC())
			}
			b.Run("plain-insert", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if err := db.InTx(ctx, func(ctx context.Context) error { return plain(ctx, i) }); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("insert+change", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					err := db.InTx(ctx, func(ctx context.Context) error {
						if err := plain(ctx, i+1_000_000); err != nil {
							return err
						}
						_, err := cl.AppendChanges(ctx, []changes.Change{{EntityType: "settings", EntityID: "en", Kind: changes.Upsert, Locales: []string{"en"}}}, time.Now())
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkArticleWrite measures the whole seam on a real write: an article edit through the
// content service (load, revision, compare-and-set save, revision, reload) without recording,
// and with its audit entry and change row (under the lock on PostgreSQL).
func BenchmarkArticleWrite(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres", "postgres-nosync"} {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := benchDB(b, d)
			cs := store.NewContent(db)
			editor := content.Actor{UserID: uuid.New(), Editor: true}
			for _, mode := range []string{"unrecorded", "recorded"} {
				b.Run(mode, func(b *testing.B) {
					var opts []content.Option
					if mode == "recorded" {
						opts = append(opts, content.WithChanges(changes.NewLog(store.NewChangeLog(db), audit.NewLog(store.NewAudit(db), nil), nil)))
					}
					svc := content.NewService(cs, time.Now, opts...)
					a, err := svc.CreateArticle(ctx, editor, content.NewArticle{Translations: []content.TranslationInput{{Locale: "en", Title: "Bench " + mode}}})
					if err != nil {
						b.Fatal(err)
					}
					featured := false
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						featured = !featured
						if a, err = svc.UpdateArticle(ctx, editor, a.ID, a.Version, content.ArticlePatch{Featured: &featured}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// benchDB opens a fresh database of dialect; "postgres-nosync" is PostgreSQL with
// synchronous_commit off for its sessions.
func benchDB(b *testing.B, dialect string) *store.DB {
	b.Helper()
	if dialect != "postgres-nosync" {
		return testkit.OpenDB(b, dialect)
	}
	db, err := store.Open(context.Background(), testkit.URL(b, "postgres")+"&synchronous_commit=off")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return db
}
