package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// TestNativeRendersAsGORM: a statement whose arguments are plain values is numbered as
// GORM's PostgreSQL dialect renders it, with the same arguments; one that needs GORM (a
// slice, a subquery, a named argument, more or fewer arguments than placeholders) is left
// to it.
func TestNativeRendersAsGORM(t *testing.T) {
	g, err := gorm.Open(postgres.New(postgres.Config{DSN: "postgres://nobody@127.0.0.1:1/none"}), &gorm.Config{DryRun: true, DisableAutomaticPing: true})
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.New()
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		q    string
		args []any
	}{
		{"SELECT 1", nil},
		{"SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ?", []any{1, "x", now, id}},
		{"SELECT (?) FROM t WHERE x = ? AND y IS ? AND z = ?", []any{&id, int64(7), nil, []byte("b")}},
		{"SELECT ?,?,? FROM t", []any{true, 1.5, &now}},
	} {
		text, ok := pgNative(c.q, c.args)
		vars := c.args // passed as they are
		want := raw(g, c.q, c.args).Statement
		if !ok || text != want.SQL.String() || len(vars)+len(want.Vars) > 0 && !reflect.DeepEqual(vars, want.Vars) {
			t.Errorf("%q: native %q %v (ok %v); GORM %q %v", c.q, text, vars, ok, want.SQL.String(), want.Vars)
		}
	}
	sub := g.Table("articles AS a").Select("a.id").Limit(1)
	for _, c := range []struct {
		q    string
		args []any
	}{
		{"SELECT * FROM t WHERE a IN (?)", []any{[]string{"x", "y"}}},
		{"SELECT * FROM (?) p", []any{sub}},
		{"SELECT * FROM t WHERE a = @a", []any{map[string]any{"a": 1}}},
		{"SELECT * FROM t WHERE a = @a AND b = ?", []any{1}},
		{"SELECT * FROM t WHERE a = ?", []any{1, 2}},
		{"SELECT * FROM t WHERE a = ? AND b = ?", []any{1}},
	} {
		if _, ok := pgNative(c.q, c.args); ok {
			t.Errorf("%q %v: rendered natively; GORM renders it", c.q, c.args)
		}
	}
}

// TestParseWrittenTime: the text Herald writes parses by hand to what time.Parse makes of
// it (any fraction, any offset); other text is left to time.Parse.
func TestParseWrittenTime(t *testing.T) {
	for _, s := range []string{
		"2026-12-05 19:29:56.121134+00:00", "2023-08-06 00:27:50+00:00", "2024-02-29 23:59:59.999999999-09:30",
		"2026-01-01 00:00:00.5+04:00", "1999-12-31 12:00:00.000000001+14:00",
	} {
		got, ok := parseWrittenTime(s)
		want, err := time.Parse(sqliteTimeLayouts[0], s)
		if !ok || err != nil || !sameTime(got, want) {
			t.Errorf("%q: %v (ok %v); time.Parse %v (%v)", s, got, ok, want, err)
		}
	}
	for _, s := range []string{
		"2026-12-05 19:29:56Z", "2026-12-05T19:29:56+00:00", "2026-02-30 00:00:00+00:00", "2026-12-05 24:00:00+00:00",
		"2026-12-05 19:29:56.+00:00", "2026-12-05 19:29:56.1234567891+00:00", "2026-12-05 19:29:56,5+00:00",
		"2026-12-05 19:29:56+0000", "2026-12-05 19:29:56+00:00 ", "2026-1a-05 19:29:56+00:00", "",
	} {
		if got, ok := parseWrittenTime(s); ok {
			t.Errorf("%q: parsed by hand to %v; time.Parse should have it", s, got)
		}
	}
}

func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo && a.Location().String() == b.Location().String()
}

// FuzzParseWrittenTime: what parseWrittenTime accepts, time.Parse reads the same.
func FuzzParseWrittenTime(f *testing.F) {
	for _, s := range []string{"2026-12-05 19:29:56.121134+00:00", "2023-08-06 00:27:50-07:00", "2024-02-29 23:59:59.9+24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseWrittenTime(s)
		if !ok {
			return
		}
		want, err := time.Parse(sqliteTimeLayouts[0], s)
		if err != nil || !sameTime(got, want) {
			t.Errorf("%q: %v by hand; time.Parse %v (%v)", s, got, want, err)
		}
	})
}

// TestTableAsGORM: table records what GORM's Table does for the public reads' tables, and
// a statement over it renders the same.
func TestTableAsGORM(t *testing.T) {
	g, err := gorm.Open(postgres.New(postgres.Config{DSN: "postgres://nobody@127.0.0.1:1/none"}), &gorm.Config{DryRun: true, DisableAutomaticPing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		expr string
		args []any
	}{
		{"articles AS a", nil},
		{"categories AS c", nil},
		{"(SELECT c.id AS category_id FROM categories c WHERE c.x = ?) cs", []any{"x"}},
		{"(? UNION ALL ? ORDER BY sort_key DESC, sort_id DESC LIMIT ? OFFSET ?) n CROSS JOIN articles a", []any{1, 2, 3, 4}},
		{"(SELECT * FROM (WITH f AS MATERIALIZED (?) SELECT * FROM f) r) a", []any{5}},
	} {
		want := g.Table(c.expr, c.args...).Select("a.id").Where("a.id = ?", 9)
		got := table(g, c.expr, c.args...).Select("a.id").Where("a.id = ?", 9)
		if got.Statement.Table != want.Statement.Table {
			t.Errorf("%q: table %q, GORM %q", c.expr, got.Statement.Table, want.Statement.Table)
		}
		var a, b []map[string]any
		ws := want.Find(&a).Statement
		gs := got.Find(&b).Statement
		if gs.SQL.String() != ws.SQL.String() || !reflect.DeepEqual(gs.Vars, ws.Vars) {
			t.Errorf("%q: renders %q %v; GORM %q %v", c.expr, gs.SQL.String(), gs.Vars, ws.SQL.String(), ws.Vars)
		}
	}
}
