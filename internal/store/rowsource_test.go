package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// TestRawRendersAsGORM: raw renders every statement as GORM's Raw does, on both dialects:
// scalars, a slice after '(' (expanded) and elsewhere, an empty slice, a subquery,
// adjacent placeholders, more arguments than placeholders and fewer, and named arguments.
func TestRawRendersAsGORM(t *testing.T) {
	cfg := &gorm.Config{DryRun: true, DisableAutomaticPing: true}
	pg, err := gorm.Open(postgres.New(postgres.Config{DSN: "postgres://nobody@127.0.0.1:1/none"}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := gorm.Open(sqlite.Open("file::memory:"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.New()
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for name, g := range map[string]*gorm.DB{"postgres": pg, "sqlite": lite} {
		sub := g.Table("articles AS a").Select("a.id").Where("a.category_id = ? AND a.published_at <= ?", id, now).Limit(3)
		for _, c := range []struct {
			q    string
			args []any
		}{
			{"SELECT 1", nil},
			{"SELECT * FROM t WHERE a = ? AND b = ?", []any{1, "x"}},
			{"SELECT * FROM t WHERE a IN (?) AND b = ?", []any{[]string{"x", "y", "z"}, now}},
			{"SELECT * FROM t WHERE a IN (?)", []any{[]int{}}},
			{"SELECT ? FROM t", []any{[]string{"x", "y"}}},
			{"WITH p AS MATERIALIZED (?) SELECT p.* FROM p WHERE p.x = ?", []any{sub, id}},
			{"SELECT (??) FROM t WHERE (?)", []any{[]int{1, 2}, 3, []string{"a"}}},
			{"SELECT * FROM t WHERE a = ?", []any{1, 2, 3}},
			{"SELECT * FROM t WHERE a = ? AND b = ? AND c = '?'", []any{1}},
			{"SELECT * FROM t WHERE a = @a", []any{map[string]any{"a": 7}}},
			{"SELECT * FROM t WHERE a = ?", []any{&id}},
		} {
			want := g.Raw(c.q, c.args...).Statement
			got := raw(g, c.q, c.args).Statement
			if got.SQL.String() != want.SQL.String() || !reflect.DeepEqual(got.Vars, want.Vars) {
				t.Errorf("%s %q: raw renders %q %v; GORM %q %v", name, c.q, got.SQL.String(), got.Vars, want.SQL.String(), want.Vars)
			}
		}
	}
}
