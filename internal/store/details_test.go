package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// TestDetailsFollowRawWrites: a write to any table a stored detail reads (migration 00340)
// — made in SQL, as no service would, so only the triggers can follow it — leaves every
// stored detail equal to its definition (the view article_details), and the single-article
// read shows it at once. The category's card (00330) likewise.
func TestDetailsFollowRawWrites(t *testing.T) {
	if content.MaxGallery != 100 {
		t.Fatalf("the view article_details (migration 00340) shows 100 gallery items, content.MaxGallery %d: change both", content.MaxGallery)
	}
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		exec := func(q string, args ...any) {
			t.Helper()
			if err := e.db.Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			for name, stale := range map[string]func(context.Context) ([]string, error){
				"details": e.db.StaleDetails, "category cards": e.db.StaleCategoryCards} {
				if ids, err := stale(ctx); err != nil || len(ids) > 0 {
					t.Fatalf("after %s: stale %s %v (%v)", q, name, ids, err)
				}
			}
		}
		read := func(id uuid.UUID) content.Article {
			t.Helper()
			a, err := e.store.VisibleArticle(ctx, &id, "", []string{"en"}, e.now)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		tag, err := e.svc.CreateTag(ctx, e.editor, []content.TermInput{{Locale: "en", Name: "Children"}})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := e.svc.CreateCategory(ctx, e.editor, 1, []content.TermInput{{Locale: "en", Name: "News"}})
		if err != nil {
			t.Fatal(err)
		}
		var ids [2]uuid.UUID
		for i, title := range []string{"First", "Second"} {
			a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{TagIDs: []uuid.UUID{tag.ID}, CategoryID: &cat.ID,
				Translations: []content.TranslationInput{{Locale: "en", Title: title, Summary: "Short"}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err = e.svc.Publish(ctx, e.editor, a.ID, a.Version, nil); err != nil {
				t.Fatal(err)
			}
			ids[i] = a.ID
		}
		a, b := ids[0], ids[1]
		t0 := e.now.Add(-time.Hour)
		m1, m2, au := uuid.New(), uuid.New(), uuid.New()
		for _, m := range []uuid.UUID{m1, m2} {
			exec("INSERT INTO media (id, kind, mime, size, sha256, storage_key, created_at, updated_at) VALUES (?, 'image', 'image/png', 1, 'x', ?, ?, ?)",
				m, m.String(), t0, t0)
		}
		exec("UPDATE articles SET cover_media_id = ? WHERE id = ?", m1, a)
		exec("INSERT INTO article_media (article_id, media_id, position) VALUES (?, ?, 1)", a, m2)
		if got := read(a); len(got.GalleryMediaIDs) != 1 || got.GalleryMediaIDs[0] != m2 {
			t.Fatalf("gallery after insert: %v", got.GalleryMediaIDs)
		}
		exec("INSERT INTO media_translations (media_id, locale, alt, caption, credit) VALUES (?, 'en', 'Alt', '', '')", m2)
		exec("UPDATE media_translations SET alt = 'Other' WHERE media_id = ?", m2)
		exec("UPDATE media SET focal_x = 0.5, focal_y = 0.5 WHERE id = ?", m1)
		exec("UPDATE tags SET updated_at = ? WHERE id = ?", e.now.Add(-time.Minute), tag.ID)
		if got := read(a); len(got.Tags) != 1 || !got.Tags[0].UpdatedAt.Equal(e.now.Add(-time.Minute)) {
			t.Fatalf("tag time after update: %+v", got.Tags)
		}
		exec("INSERT INTO authors (id, slug, name, created_at, updated_at) VALUES (?, 'ann', 'Ann', ?, ?)", au, t0, t0)
		exec("INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, 1)", a, au)
		exec("INSERT INTO author_translations (author_id, locale, bio) VALUES (?, 'en', 'Writes')", au)
		exec("UPDATE author_translations SET bio = 'Edits' WHERE author_id = ?", au)
		exec("UPDATE authors SET name = 'Ann B' WHERE id = ?", au)
		if got := read(a); len(got.Bylines) != 1 || got.Bylines[0].Name != "Ann B" {
			t.Fatalf("byline after update: %+v", got.Bylines)
		}
		exec("UPDATE category_translations SET name = 'World' WHERE category_id = ?", cat.ID)
		exec("UPDATE categories SET updated_at = ? WHERE id = ?", e.now.Add(-time.Second), cat.ID)
		if got := read(a); got.Category == nil || got.Category.Translations[0].Name != "World" || !got.Category.UpdatedAt.Equal(e.now.Add(-time.Second)) {
			t.Fatalf("category after update: %+v", got.Category)
		}
		// Links that move take the article they leave along.
		exec("UPDATE article_media SET article_id = ? WHERE article_id = ?", b, a)
		exec("UPDATE article_authors SET article_id = ? WHERE article_id = ?", b, a)
		exec("DELETE FROM article_tags WHERE article_id = ?", a)
		if got := read(a); len(got.GalleryMediaIDs) != 0 || len(got.Bylines) != 0 || len(got.Tags) != 0 {
			t.Fatalf("moved links still on the article they left: %v %v", got.GalleryMediaIDs, got.Bylines)
		}
		exec("DELETE FROM media_translations WHERE media_id = ?", m2)
		exec("DELETE FROM author_translations WHERE author_id = ?", au)
		exec("DELETE FROM media WHERE id = ?", m1) // a's cover: the id stays, the item goes
		exec("DELETE FROM media WHERE id = ?", m2) // the gallery's: its places go
		exec("DELETE FROM authors WHERE id = ?", au)
		exec("DELETE FROM category_translations WHERE category_id = ?", cat.ID)
		if got := read(b); len(got.GalleryMediaIDs) != 0 || len(got.Bylines) != 0 || got.Category != nil {
			t.Fatalf("deleted rows still shown: %+v", got)
		}
		// A detail written behind the triggers' back is caught.
		if err := e.db.Exec(ctx, "UPDATE articles SET detail = NULL WHERE id = ?", a); err != nil {
			t.Fatal(err)
		}
		if ids, err := e.db.StaleDetails(ctx); err != nil || len(ids) != 1 {
			t.Fatalf("tampered detail not found: %v %v", ids, err)
		}
		if err := e.db.Exec(ctx, "UPDATE articles SET detail = (SELECT d.detail FROM article_details d WHERE d.id = articles.id)"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDetailOfAnArticleWithoutTranslations: a visible article whose translations were all
// removed behind the service's back (raw SQL) is read as one with none, not a scan error:
// its served locale is ” and its body and related articles are empty.
func TestDetailOfAnArticleWithoutTranslations(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{
			Translations: []content.TranslationInput{{Locale: "en", Title: "Soon bare", Summary: "Short", Body: "<p>x</p>"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err = e.svc.Publish(ctx, e.editor, a.ID, a.Version, nil); err != nil {
			t.Fatal(err)
		}
		if err := e.db.Exec(ctx, "DELETE FROM article_translations WHERE article_id = ?", a.ID); err != nil {
			t.Fatal(err)
		}
		dctx := content.WithDetail(ctx, content.DetailOptions{Related: content.MaxRelated, Chain: []string{"en", "az"}, Now: e.now})
		got, err := e.store.VisibleArticle(dctx, &a.ID, "", []string{"en", "az"}, e.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Translations) != 0 || len(got.Related) != 0 {
			t.Errorf("translations %v, related %v: want none", got.Translations, got.Related)
		}
	})
}
