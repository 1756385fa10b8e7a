package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

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
					fmt.Fprintf(&b, " total %d %v estimated %v", res.Facets.Total, res.Facets.Locales, res.Facets.Estimated)
				}
				// Every page by cursor, 4 hits at a time: PostgreSQL serves the pages of hits
				// ranked above 0 from the title and summary index, the rest from all matches,
				// and pages cross from one to the other.
				b.WriteString(" pages")
				req := search.Request{Query: parsed, Limit: 4, TitleOnly: mode == "title", Now: now}
				for page := 0; page < 60; page++ {
					res, err := svc.Search(ctx, req)
					if err != nil {
						t.Fatalf("%s %q page %d: %v", d, q, page, err)
					}
					for _, h := range res.Hits {
						fmt.Fprintf(&b, " %s/%s:%d", h.Title, h.Locale, h.Score)
					}
					if res.Next == nil {
						break
					}
					req.After = res.Next
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

// TestSearchFacetsPastExactLimit: facet counts are exact up to search.FacetExactHits hits;
// past it PostgreSQL estimates them (and says so) from a sample, close to SQLite's exact
// count of the same archive, while a search under the limit counts alike on both. The
// first pages are the same on both; a search under the limit is one statement on both, and
// past it PostgreSQL adds one, the page from the title-and-summary index.
func TestSearchFacetsPastExactLimit(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	set := locale.NewSet([]string{"az", "en", "ru"}, "az", nil)
	common := demo.ZipfWord("en", 0) // in nearly every English translation
	rare := demo.ZipfWord("en", 40)
	totals := map[string]map[string]*search.Facets{}
	pages := map[string][]string{}
	for _, d := range testkit.Dialects {
		db := testkit.OpenDB(t, d)
		statements := 0
		if err := db.Gorm().Callback().Row().After("gorm:row").Register("test:count-search", func(tx *gorm.DB) {
			if strings.Contains(tx.Statement.SQL.String(), "search_docs") {
				statements++
			}
		}); err != nil {
			t.Fatal(err)
		}
		cs := store.NewContent(db, store.WithLocales(set))
		if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: search.FacetExactHits + 250, BodyBytes: 400, Seed: 5, Now: now, Vocabulary: 300}); err != nil {
			t.Fatal(err)
		}
		svc := search.NewService(cs, set.Codes())
		if _, err := svc.Ensure(ctx, false, nil); err != nil {
			t.Fatal(err)
		}
		totals[d] = map[string]*search.Facets{}
		for _, q := range []string{common, rare} {
			parsed, err := search.Parse(q, false)
			if err != nil {
				t.Fatal(err)
			}
			statements = 0
			res, err := svc.Search(ctx, search.Request{Query: parsed, Locales: []string{"en"}, Limit: 10, Facets: true, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			totals[d][q] = res.Facets
			want := 1
			if d == "postgres" && q == common {
				want = 2
			}
			if statements != want {
				t.Errorf("%s %q: a first page ran %d statements, want %d", d, q, statements, want)
			}
			var b strings.Builder
			for _, h := range res.Hits {
				fmt.Fprintf(&b, "%s/%s:%d ", h.Title, h.Locale, h.Score)
			}
			if len(res.Hits) != 10 {
				t.Fatalf("%s %q: %d hits, want a full page", d, q, len(res.Hits))
			}
			pages[q] = append(pages[q], b.String())
		}
	}
	for q, p := range pages {
		if len(p) == 2 && p[0] != p[1] {
			t.Errorf("%q: first pages differ:\nsqlite   %s\npostgres %s", q, p[0], p[1])
		}
	}
	exact, sampled := totals["sqlite"], totals["postgres"]
	if exact == nil || sampled == nil {
		t.Skip("needs both databases")
	}
	if f := exact[common]; f.Estimated || f.Total <= search.FacetExactHits {
		t.Fatalf("sqlite %q: %+v, want an exact total past %d", common, f, search.FacetExactHits)
	}
	if f := exact[rare]; f.Estimated || f.Total == 0 || f.Total > search.FacetExactHits {
		t.Fatalf("sqlite %q: %+v, want an exact total under %d: the test proves nothing", rare, f, search.FacetExactHits)
	}
	want, got := exact[common], sampled[common]
	if !got.Estimated {
		t.Errorf("postgres %q: %d hits past the limit, not marked estimated", common, got.Total)
	}
	if diff := got.Total - want.Total; diff*5 > want.Total || -diff*5 > want.Total {
		t.Errorf("postgres %q: estimated %d hits, counted %d: off by more than a fifth", common, got.Total, want.Total)
	}
	var sum int64
	for _, n := range got.Categories {
		sum += n
	}
	if sum != got.Total || got.Locales["en"] != got.Total {
		t.Errorf("postgres %q: estimated counts %v %v do not add up to the total %d", common, got.Categories, got.Locales, got.Total)
	}
	if g, w := sampled[rare], exact[rare]; g.Estimated || g.Total != w.Total || fmt.Sprint(counts(g)) != fmt.Sprint(counts(w)) {
		t.Errorf("%q under the limit: postgres %+v, sqlite %+v", rare, g, w)
	}
}

// counts are the category counts of f, in order (category ids differ between databases).
func counts(f *search.Facets) []int64 {
	var out []int64
	for _, n := range f.Categories {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// TestSearchIndexVacuumedAtStart: on PostgreSQL, when rewritten rows leave under nine
// tenths of search_docs' pages all-visible (as migration 00260 did), the housekeeping a
// server starts once serving (Tidy) vacuums it, and EnsureSearchIndex, which runs before
// ready, does not; when the table is clean neither does.
func TestSearchIndexVacuumedAtStart(t *testing.T) {
	ctx := context.Background()
	db := testkit.OpenDB(t, "postgres")
	set := locale.NewSet([]string{"az", "en", "ru"}, "az", nil)
	cs := store.NewContent(db, store.WithLocales(set))
	if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 60, BodyBytes: 300, Seed: 3, Now: time.Now(), Vocabulary: 100}); err != nil {
		t.Fatal(err)
	}
	svc := search.NewService(cs, set.Codes())
	if _, err := svc.Ensure(ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	vacuums := func() int64 {
		var n int64
		if err := db.SQL().QueryRowContext(ctx, "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'search_docs'::regclass").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := vacuums()
	var pages, visible int64
	if err := db.SQL().QueryRowContext(ctx, "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'search_docs'::regclass").Scan(&pages, &visible); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Ensure(ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := svc.Tidy(ctx); err != nil {
		t.Fatal(err)
	}
	// A transaction open elsewhere can keep VACUUM from marking pages all-visible; only a
	// table it could mark is expected to be left alone.
	if n := vacuums(); n != before && visible*10 >= pages*9 {
		t.Errorf("a clean search_docs was vacuumed again (%d → %d)", before, n)
	}
	before = vacuums()
	// Rewrite every row, as a migration would, and let ANALYZE see the cleared visibility map.
	if err := db.Exec(ctx, "UPDATE search_docs SET category_id = category_id"); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "ANALYZE search_docs"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Ensure(ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	if n := vacuums(); n != before {
		t.Errorf("EnsureSearchIndex, before ready, vacuumed search_docs %d times, want 0", n-before)
	}
	if err := svc.Tidy(ctx); err != nil {
		t.Fatal(err)
	}
	if n := vacuums(); n != before+1 {
		t.Errorf("after every row was rewritten, Tidy vacuumed search_docs %d times, want 1", n-before)
	}
}

// TestIndexArticleTwiceAtOnce: two transactions indexing one article at once both commit,
// and the index holds the article's documents and prefix keys once (on PostgreSQL the
// second failed on a duplicate key: both deleted before either had committed).
func TestIndexArticleTwiceAtOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	set := locale.NewSet([]string{"az", "en", "ru"}, "az", nil)
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			db := testkit.OpenDB(t, d)
			cs := store.NewContent(db, store.WithLocales(set))
			if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 3, BodyBytes: 200, Seed: 3, Now: now}); err != nil {
				t.Fatal(err)
			}
			var ref string
			if err := db.Gorm().Raw("SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 1").Scan(&ref).Error; err != nil {
				t.Fatal(err)
			}
			id, err := uuid.Parse(ref)
			if err != nil {
				t.Fatalf("no published article: %q", ref)
			}
			ids := []uuid.UUID{id}
			indexed, release := make(chan struct{}), make(chan struct{})
			firstErr, secondErr := make(chan error, 1), make(chan error, 1)
			go func() {
				firstErr <- cs.InTx(ctx, func(ctx context.Context) error {
					if err := cs.IndexArticles(ctx, ids); err != nil {
						close(indexed)
						return err
					}
					close(indexed)
					<-release
					return nil
				})
			}()
			<-indexed
			go func() { secondErr <- cs.IndexArticles(ctx, ids) }()
			time.Sleep(200 * time.Millisecond) // the second is under way, waiting on the first
			close(release)
			if err := <-firstErr; err != nil {
				t.Fatalf("the first index: %v", err)
			}
			if err := <-secondErr; err != nil {
				t.Fatalf("the second index of the same article: %v", err)
			}
			var docs, rows, keys int64
			g := db.Gorm()
			g.Raw("SELECT COUNT(*) FROM search_docs WHERE article_id = ?", id).Scan(&docs)
			g.Raw("SELECT COUNT(*) FROM search_prefixes WHERE article_id = ?", id).Scan(&rows)
			g.Raw("SELECT COUNT(*) FROM (SELECT DISTINCT locale, prefix FROM search_prefixes WHERE article_id = ?) k", id).Scan(&keys)
			var trs int64
			g.Raw("SELECT COUNT(*) FROM article_translations WHERE article_id = ?", id).Scan(&trs)
			if docs != trs || keys == 0 || rows != keys {
				t.Fatalf("after both: %d documents for %d translations, %d prefix rows for %d keys", docs, trs, rows, keys)
			}
		})
	}
}
