// Package readpref marks a request's context as a public read that a read replica may
// answer. api sets the mark on public GETs; internal/store routes marked queries outside a
// transaction to a replica when one is configured. Everything else (writes, admin and auth
// reads, transactions, background work) stays on the primary.
package readpref

import "context"

type replicaKey struct{}

// Replica returns ctx marked as a read that a replica may answer.
func Replica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// AllowsReplica reports whether ctx carries the mark.
func AllowsReplica(ctx context.Context) bool {
	ok, _ := ctx.Value(replicaKey{}).(bool)
	return ok
}
