package changes_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/changes"
)

// memStore keeps what committed; a transaction's rows are kept only if fn succeeds.
type memStore struct {
	committed []changes.Record
	entries   []audit.Entry
	pending   []changes.Record
	pendingE  []audit.Entry
	failAudit bool
}

func (m *memStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	m.pending, m.pendingE = nil, nil
	if err := fn(ctx); err != nil {
		return err
	}
	m.committed = append(m.committed, m.pending...)
	m.entries = append(m.entries, m.pendingE...)
	return nil
}

func (m *memStore) AppendChanges(_ context.Context, cs []changes.Change, at time.Time) ([]int64, error) {
	var pos []int64
	for _, c := range cs {
		p := int64(len(m.committed) + len(m.pending) + 1)
		m.pending = append(m.pending, changes.Record{Position: p, CreatedAt: at, Change: c})
		pos = append(pos, p)
	}
	return pos, nil
}

func (m *memStore) ChangesAfter(_ context.Context, pos int64, limit int) ([]changes.Record, error) {
	var out []changes.Record
	for _, r := range m.committed {
		if r.Position > pos && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) LastChangePosition(context.Context) (int64, error) {
	return int64(len(m.committed)), nil
}

func (m *memStore) AppendAudit(_ context.Context, e audit.Entry) error {
	if m.failAudit {
		return errors.New("audit_log is gone")
	}
	m.pendingE = append(m.pendingE, e)
	return nil
}

func (m *memStore) ListAudit(context.Context, audit.Query) ([]audit.Entry, int64, error) {
	return m.entries, int64(len(m.entries)), nil
}

func TestWriteRecordsThenRunsEffects(t *testing.T) {
	m := &memStore{}
	log := changes.NewLog(m, audit.NewLog(m, nil), nil)
	var seen []changes.Record
	log.OnCommit(func(_ context.Context, recs []changes.Record) { seen = append(seen, recs...) })
	var after []string
	ctx := changes.WithActor(context.Background(), changes.Actor{Email: "ed@example.com", RequestID: "r1"})
	err := log.Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		tx.Audit("article.update", "article", "a1", "version 1 → 2")
		tx.Change(changes.Change{EntityType: "article", EntityID: "a1", Kind: changes.Upsert})
		tx.AfterCommit(func(context.Context) { after = append(after, "outer") })
		// A nested write joins: its records commit with the outer one.
		return log.Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			tx.Change(changes.Change{EntityType: "tag", EntityID: "t1", Kind: changes.Delete})
			tx.AfterCommit(func(context.Context) { after = append(after, "inner") })
			if len(seen) != 0 || len(after) != 0 {
				t.Error("effects ran before the commit")
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].EntityID != "a1" || seen[1].EntityID != "t1" || seen[0].Position >= seen[1].Position {
		t.Errorf("effects saw %+v", seen)
	}
	if len(after) != 2 {
		t.Errorf("after-commit functions ran %v", after)
	}
	if len(m.entries) != 1 || m.entries[0].ActorEmail != "ed@example.com" || m.entries[0].RequestID != "r1" || m.entries[0].Action != "article.update" {
		t.Errorf("audit %+v", m.entries)
	}
	if last, _ := log.LastPosition(context.Background()); last != 2 {
		t.Errorf("last position %d", last)
	}
}

func TestFailedWriteRecordsNothingAndRunsNoEffect(t *testing.T) {
	for name, c := range map[string]struct {
		failAudit bool
		fnErr     error
	}{"the write fails": {fnErr: errors.New("version conflict")}, "the audit insert fails": {failAudit: true}} {
		t.Run(name, func(t *testing.T) {
			m := &memStore{failAudit: c.failAudit}
			log := changes.NewLog(m, audit.NewLog(m, nil), nil)
			ran := false
			log.OnCommit(func(context.Context, []changes.Record) { ran = true })
			err := log.Write(context.Background(), func(ctx context.Context, tx *changes.Tx) error {
				tx.Audit("article.publish", "article", "a1", "")
				tx.Change(changes.Change{EntityType: "article", EntityID: "a1", Kind: changes.Publish, Public: true})
				tx.AfterCommit(func(context.Context) { ran = true })
				return c.fnErr
			})
			if err == nil || ran || len(m.committed) != 0 || len(m.entries) != 0 {
				t.Errorf("err %v, effects ran %v, %d changes and %d entries committed", err, ran, len(m.committed), len(m.entries))
			}
		})
	}
}

func TestHooksRunInTheTransaction(t *testing.T) {
	m := &memStore{}
	log := changes.NewLog(m, audit.NewLog(m, nil), nil)
	var enqueued []string
	log.OnWrite(func(_ context.Context, cs []changes.Change) error {
		for _, c := range cs {
			if c.EntityID == "refused" {
				return errors.New("the outbox is full")
			}
			enqueued = append(enqueued, c.EntityID)
		}
		return nil
	})
	write := func(id string) error {
		return log.Write(context.Background(), func(ctx context.Context, tx *changes.Tx) error {
			tx.Change(changes.Change{EntityType: "article", EntityID: id, Kind: changes.Upsert})
			return nil
		})
	}
	if err := write("a1"); err != nil || len(enqueued) != 1 || len(m.committed) != 1 {
		t.Fatalf("hooked write: %v, enqueued %v, %d committed", err, enqueued, len(m.committed))
	}
	if err := write("refused"); err == nil || len(m.committed) != 1 {
		t.Fatalf("a failing hook must roll the write back: %v, %d committed", err, len(m.committed))
	}
}

func TestQuietEvents(t *testing.T) {
	ctx := context.Background()
	if changes.QuietEvents(ctx) {
		t.Fatal("a plain context is quiet")
	}
	if !changes.QuietEvents(changes.WithQuietEvents(ctx)) {
		t.Fatal("WithQuietEvents did not mark the context")
	}
}
