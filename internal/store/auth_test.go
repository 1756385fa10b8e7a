package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

func newAuth(t *testing.T, db *store.DB, opts ...auth.Option) *auth.Service {
	t.Helper()
	svc, err := auth.NewService(store.NewAuth(db), []byte(strings.Repeat("k", 32)),
		append([]auth.Option{auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestConcurrentRefreshHasOneWinner: clients racing with the same refresh token cause one
// rotation. Within the grace window every one of them gets that rotation's pair (two tabs
// stay signed in); with the grace off, at most one succeeds, the losers are treated as
// reuse and the family is revoked.
func TestConcurrentRefreshHasOneWinner(t *testing.T) {
	for _, d := range testkit.Dialects {
		for _, grace := range []time.Duration{auth.DefaultRefreshGrace, 0} {
			t.Run(d+"/grace="+grace.String(), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				svc := newAuth(t, testkit.OpenDB(t, d), auth.WithRefreshGrace(grace))
				if _, err := svc.CreateUser(ctx, auth.NewUser{Email: "race@example.com", Role: auth.RoleEditor, Password: "a long password"}); err != nil {
					t.Fatal(err)
				}
				tok, err := svc.Login(ctx, "race@example.com", "a long password")
				if err != nil {
					t.Fatal(err)
				}
				const n = 8
				var wg sync.WaitGroup
				results := make([]error, n)
				issued := make([]auth.Tokens, n)
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						issued[i], results[i] = svc.Refresh(ctx, tok.RefreshToken)
					}()
				}
				wg.Wait()
				wins := 0
				var pair auth.Tokens
				for i, err := range results {
					switch {
					case err == nil:
						if wins > 0 && (issued[i].RefreshToken != pair.RefreshToken || issued[i].AccessToken != pair.AccessToken) {
							t.Fatalf("refresh %d got a second pair: more than one rotation", i)
						}
						wins++
						pair = issued[i]
					case errors.Is(err, auth.ErrTokenReused), errors.Is(err, auth.ErrInvalidToken):
					default:
						t.Errorf("refresh %d: unexpected %v", i, err)
					}
				}
				if grace > 0 {
					if wins != n {
						t.Fatalf("within the grace window %d of %d concurrent refreshes succeeded", wins, n)
					}
					if _, err := svc.Refresh(ctx, pair.RefreshToken); err != nil {
						t.Fatalf("the one new pair does not rotate: %v", err)
					}
					return
				}
				if wins > 1 {
					t.Fatalf("%d concurrent refreshes of one token succeeded", wins)
				}
				// Whoever won, the family is burnt once the reuse is seen.
				if wins == 1 {
					if _, err := svc.Refresh(ctx, pair.RefreshToken); err == nil {
						t.Error("the winner's token survived a detected reuse")
					}
				}
			})
		}
	}
}

func TestAuthStoreMapsErrors(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			svc := newAuth(t, testkit.OpenDB(t, d))
			n := auth.NewUser{Email: "dup@example.com", Role: auth.RoleAuthor, Password: "a long password"}
			if _, err := svc.CreateUser(ctx, n); err != nil {
				t.Fatal(err)
			}
			n.Email = "DUP@example.com"
			if _, err := svc.CreateUser(ctx, n); !errors.Is(err, auth.ErrConflict) {
				t.Fatalf("duplicate: %v, want ErrConflict", err)
			}
			if created, err := svc.EnsureUser(ctx, n); created || err != nil {
				t.Fatalf("EnsureUser of an existing email: %v %v", created, err)
			}
			if _, err := svc.User(ctx, [16]byte{1}); !errors.Is(err, auth.ErrNotFound) {
				t.Fatalf("missing user: %v", err)
			}
		})
	}
}

func TestAuditStore(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			log := audit.NewLog(store.NewAudit(testkit.OpenDB(t, d)), func() time.Time { return now })
			for i, a := range []string{"article.create", "article.publish", "tag.create"} {
				now = now.Add(time.Duration(i+1) * time.Minute)
				if err := log.Record(ctx, audit.Entry{Action: a, EntityType: strings.Split(a, ".")[0], EntityID: "x", Summary: strings.Repeat("é", 1000)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := log.Record(ctx, audit.Entry{}); err == nil {
				t.Error("an entry without action was stored")
			}
			all, total, err := log.List(ctx, audit.Query{})
			if err != nil || total != 3 || all[0].Action != "tag.create" || len(all[0].Summary) > audit.MaxSummaryBytes {
				t.Fatalf("list: %v %d %+v", err, total, all)
			}
			since := time.Date(2026, 3, 1, 12, 2, 0, 0, time.UTC)
			got, total, err := log.List(ctx, audit.Query{EntityType: "article", Since: &since})
			if err != nil || total != 1 || got[0].Action != "article.publish" {
				t.Fatalf("filtered: %v %d %+v", err, total, got)
			}
		})
	}
}
