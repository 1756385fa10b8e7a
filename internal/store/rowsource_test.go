package store

import (
	"reflect"
	"strings"
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

// TestSQLiteTimesReadAsTheDriverReadsThem: a timestamp selected as bare text (articleCols)
// scans to the very time.Time the driver makes of the same value in a DATETIME column, in
// every layout the driver accepts (Herald's own, those SQL functions write, a trailing Z,
// time.Time.String's) and as NULL; text that is no timestamp fails with the value named.
func TestSQLiteTimesReadAsTheDriverReadsThem(t *testing.T) {
	db, err := Open(t.Context(), "sqlite:"+t.TempDir()+"/times.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(t.Context(), "CREATE TABLE ts (n INTEGER, at DATETIME)"); err != nil {
		t.Fatal(err)
	}
	values := []any{
		time.Date(2026, 12, 5, 14, 2, 5, 698_000_000, time.UTC), // written by the driver
		time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("", 4*3600)),
		"2026-12-05 14:02:05", "2026-12-05T14:02:05.123456789+04:00", "2026-12-05T14:02:05Z",
		"2026-12-05 14:02", "2026-12-05T14:02", "2026-12-05",
		time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC).String(), nil,
	}
	for i, v := range values {
		if err := db.Exec(t.Context(), "INSERT INTO ts (n, at) VALUES (?, ?)", i, v); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.Gorm().Raw("SELECT at, +at AS bare FROM ts ORDER BY n").Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	src := sqlRows{Rows: rows}
	n := 0
	for rows.Next() {
		var driver *time.Time
		var bare *time.Time
		var plain time.Time
		if err := rows.Scan(&driver, src.nullTime(&bare)); err != nil {
			t.Fatalf("row %d: %v", n, err)
		}
		switch {
		case driver == nil && bare != nil, driver != nil && bare == nil:
			t.Errorf("row %d (%v): driver %v, bare %v", n, values[n], driver, bare)
		case driver != nil && (!driver.Equal(*bare) || driver.Location().String() != bare.Location().String()):
			t.Errorf("row %d (%v): driver %v, bare %v", n, values[n], *driver, *bare)
		}
		if driver != nil {
			if err := src.time(&plain).(*sqliteTime).Scan(driver.Format(sqliteTimeLayouts[0])); err != nil || !plain.Equal(*driver) {
				t.Errorf("row %d: not null: %v %v", n, plain, err)
			}
		}
		n++
	}
	if n != len(values) {
		t.Fatalf("%d rows", n)
	}
	var plain time.Time
	if err := src.time(&plain).(*sqliteTime).Scan(nil); err == nil {
		t.Error("NULL scanned into a time that cannot be NULL")
	}
	if err := src.time(&plain).(*sqliteTime).Scan("yesterday"); err == nil || !strings.Contains(err.Error(), `"yesterday"`) {
		t.Errorf("not a timestamp: %v", err)
	}
}

// TestTextBytes: a text column arrives as its string's bytes, a blob as the driver's slice,
// NULL as nil, and anything else is an error rather than a silent empty value.
func TestTextBytes(t *testing.T) {
	var b []byte
	d := sqlRows{}.bytes(&b).(interface{ Scan(any) error })
	for _, c := range []struct {
		src  any
		want []byte
	}{
		{`{"id":"x"}`, []byte(`{"id":"x"}`)},
		{[]byte("blob"), []byte("blob")},
		{"", nil},
		{nil, nil},
	} {
		if err := d.Scan(c.src); err != nil {
			t.Fatalf("Scan(%#v): %v", c.src, err)
		}
		if string(b) != string(c.want) || (c.src == nil) != (b == nil) && c.src != "" {
			t.Errorf("Scan(%#v) = %q, want %q", c.src, b, c.want)
		}
	}
	if err := d.Scan(int64(7)); err == nil || !strings.Contains(err.Error(), "int64") {
		t.Errorf("Scan(int64) = %v, want an error naming the type", err)
	}
}
