package content

import (
	"context"
	"time"
)

// MaxRelated is how many related articles a detail carries.
const MaxRelated = 5

// DetailOptions say what a public single-article read adds to the article: up to Related
// related articles — visible, other than it, in its category or sharing a tag with it,
// newest first — that have a translation in the locale the article is served in. That
// locale is the first of Chain the article has; with Slug set (a request that named no
// locale), the locale of the translation whose slug it is wins, as the api's slug rule says.
type DetailOptions struct {
	Related int
	Chain   []string
	Slug    string
	// Now is the visibility time (set by the service).
	Now time.Time
}

type detailKey struct{}

// WithDetail asks the single-article read that ctx carries to add what o says, in the same
// statement.
func WithDetail(ctx context.Context, o DetailOptions) context.Context {
	return context.WithValue(ctx, detailKey{}, &o)
}

// DetailFrom returns the options WithDetail set, or nil.
func DetailFrom(ctx context.Context) *DetailOptions {
	o, _ := ctx.Value(detailKey{}).(*DetailOptions)
	return o
}
