package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/content"
)

// TestStoredJSONIsLZ4 (PostgreSQL, migration 00350): the stored values public reads send —
// an article's card and body, a category's card — are written LZ4-compressed when the
// server has LZ4, which decompresses at a third of pglz's CPU.
func TestStoredJSONIsLZ4(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		if e.db.Dialect() != "postgres" {
			t.Skip("PostgreSQL only: SQLite does not compress")
		}
		ctx := context.Background()
		g := e.db.Gorm()
		var hasLZ4 bool
		if err := g.Raw("SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))").Scan(&hasLZ4).Error; err != nil {
			t.Fatal(err)
		}
		if !hasLZ4 {
			t.Skip("this PostgreSQL was built without LZ4")
		}
		// Values past the row's 2 KB threshold are compressed; varied text, so they shrink.
		text := func(n int) string {
			var b strings.Builder
			for i := 0; b.Len() < 4*n; i++ {
				b.WriteString([]string{"Bakı ", "xəbər ", "mədəniyyət ", "iqtisadiyyat "}[i%4])
			}
			return string([]rune(b.String())[:n])
		}
		long := text(content.MaxTermDescriptionLen)
		cat, err := e.svc.CreateCategory(ctx, e.editor, 0, []content.TermInput{
			{Locale: "az", Name: "Mədəniyyət", Description: long}, {Locale: "en", Name: "Culture", Description: long}})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{CategoryID: &cat.ID,
			Translations: []content.TranslationInput{
				{Locale: "az", Title: "Birinci", Summary: text(content.MaxSummaryLen), Body: "<p>" + text(5000) + "</p>"},
				{Locale: "en", Title: "First", Summary: text(content.MaxSummaryLen)},
			}})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []struct{ what, sql string }{
			{"article card", "SELECT pg_column_compression(card) FROM articles WHERE id = ?"},
			{"body", "SELECT pg_column_compression(body) FROM article_translations WHERE article_id = ? AND locale = 'az'"},
		} {
			var got *string
			if err := g.Raw(q.sql, a.ID).Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			if got == nil || *got != "lz4" {
				t.Errorf("%s compressed with %s, want lz4", q.what, method(got))
			}
		}
		var got *string
		if err := g.Raw("SELECT pg_column_compression(card) FROM categories WHERE id = ?", cat.ID).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got == nil || *got != "lz4" {
			t.Errorf("category card compressed with %s, want lz4", method(got))
		}
	})
}

// method names a pg_column_compression result: NULL is a value stored uncompressed.
func method(m *string) string {
	if m == nil {
		return "nothing"
	}
	return *m
}
