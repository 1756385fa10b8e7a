package changes

import (
	"context"
	"errors"
)

// Savepointer is a Store that can roll back part of a transaction (internal/store is one).
type Savepointer interface {
	// Savepoint runs fn inside the transaction ctx carries; when fn fails, what it wrote
	// is rolled back and the transaction goes on.
	Savepoint(ctx context.Context, fn func(ctx context.Context) error) error
}

// Atomic runs fn as one all-or-nothing part of the write ctx carries: when fn fails, its
// rows are rolled back to a savepoint and its audit entries, change rows and after-commit
// functions are dropped, while the rest of the write goes on to commit. Imports write many
// articles per transaction this way, each still atomic. Outside a write it is Write.
func (l *Log) Atomic(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	tx, ok := ctx.Value(txKey{}).(*Tx)
	if !ok {
		return l.Write(ctx, fn)
	}
	sp, ok := l.store.(Savepointer)
	if !ok {
		return errors.New("changes: this store cannot roll back part of a write")
	}
	ne, nc, na := len(tx.entries), len(tx.changes), len(tx.after)
	err := sp.Savepoint(ctx, func(ctx context.Context) error { return fn(ctx, tx) })
	if err != nil {
		tx.entries, tx.changes, tx.after = tx.entries[:ne], tx.changes[:nc], tx.after[:na]
	}
	return err
}

// Unwritten runs fn as part of the write ctx carries, as Atomic does, for a part that
// writes no rows itself (it reads, and records what the write inserts later): no
// savepoint, and when fn fails its audit entries, change rows and after-commit functions
// are dropped. Outside a write it is Write.
func (l *Log) Unwritten(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	tx, ok := ctx.Value(txKey{}).(*Tx)
	if !ok {
		return l.Write(ctx, fn)
	}
	ne, nc, na := len(tx.entries), len(tx.changes), len(tx.after)
	err := fn(ctx, tx)
	if err != nil {
		tx.entries, tx.changes, tx.after = tx.entries[:ne], tx.changes[:nc], tx.after[:na]
	}
	return err
}
