package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/search"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestSearchSameOnBothDatabases: on one generated archive (the same seed on both, with a
// Zipf vocabulary), every query — words, phrases, prefixes, several locales, typeahead —
// finds the same translations in the same order with the same scores and facets on SQLite
// and PostgreSQL.
func TestSearchSameOnBothDatabases(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	set := locale.NewSet([]string{"az", "en", "ru"}, "az", nil)
	var queries []string
	for i := 0; i < 12; i++ {
		for _, l := range []string{"az", "en", "ru"} {
			queries = append(queries, demo.ZipfWord(l, i*3))
		}
	}
	queries = append(queries, demo.ZipfWord("en", 2)+" "+demo.ZipfWord("en", 5), `"human rights"`, "rights report*",
		string([]rune(demo.ZipfWord("az", 4))[:3])+"*", "ombudsman", "hüquq insan", "право человек", "the of")
	results := map[string][]string{}
	for _, d := range testkit.Dialects {
		db := testkit.OpenDB(t, d)
		cs := store.NewContent(db, store.WithLocales(set))
		if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 150, BodyBytes: 600, Seed: 11, Now: now, Vocabulary: 300}); err != nil {
			t.Fatal(err)
		}
		svc := search.NewService(cs, set.Codes())
		if n, err := svc.Ensure(ctx, false, nil); err != nil || n != 150 {
			t.Fatalf("%s: indexed %d, %v", d, n, err)
		}
		for _, q := range queries {
			for _, mode := range []string{"", "prefix", "title"} {
				parsed, err := search.Parse(q, mode != "")
				if err != nil {
					t.Fatal(err)
				}
				res, err := svc.Search(ctx, search.Request{Query: parsed, Limit: 25, Facets: mode == "", TitleOnly: mode == "title", Now: now})
				if err != nil {
					t.Fatalf("%s %q: %v", d, q, err)
				}
				var b strings.Builder
				for _, h := range res.Hits {
					fmt.Fprintf(&b, "%s/%s:%d %s|", h.Title, h.Locale, h.Score, h.SnippetHTML)
				}
				if res.Facets != nil {
					fmt.Fprintf(&b, " total %d %v", res.Facets.Total, res.Facets.Locales)
				}
				results[q+"\x00"+mode] = append(results[q+"\x00"+mode], b.String())
			}
		}
	}
	matched := 0
	for k, r := range results {
		if len(r) == 2 && r[0] != r[1] {
			t.Errorf("%q differs:\nsqlite   %.600s\npostgres %.600s", k, r[0], r[1])
		}
		if r[0] != "" && !strings.HasPrefix(r[0], " total 0") {
			matched++
		}
	}
	if matched < len(results)/2 {
		t.Errorf("only %d of %d queries matched anything: the comparison proves little", matched, len(results))
	}
}
