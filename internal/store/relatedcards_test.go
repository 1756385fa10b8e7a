package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// TestRelatedCardsFollowEveryWrite (migration 00355): each write a related card
// reads — a translation's text, its article's publication and cover, the cover's fields and
// translations, a translation's removal — leaves every stored related card equal to the view
// article_related_card_view, and the check testkit runs after every test finds a card that
// differs or is missing.
func TestRelatedCardsFollowEveryWrite(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		g := e.db.Gorm()
		fresh := func(step string) {
			t.Helper()
			keys, err := e.db.StaleRelatedCards(ctx)
			if err != nil || len(keys) > 0 {
				t.Fatalf("%s: stale related cards %v (%v)", step, keys, err)
			}
		}
		card := func(locale string) string {
			t.Helper()
			var c string
			if err := g.Raw("SELECT CAST(card AS TEXT) FROM article_related_cards WHERE locale = ?", locale).Scan(&c).Error; err != nil {
				t.Fatal(err)
			}
			return c
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if err := g.Exec(q, args...).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}

		a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{
			Translations: []content.TranslationInput{{Locale: "az", Title: "Birinci", Summary: "Qısa"}}})
		if err != nil {
			t.Fatal(err)
		}
		fresh("create")
		if a, err = e.svc.PutTranslation(ctx, e.editor, a.ID, a.Version, content.TranslationInput{Locale: "en", Title: "First", Summary: "Short"}); err != nil {
			t.Fatal(err)
		}
		fresh("put translation")
		if a, err = e.svc.Publish(ctx, e.editor, a.ID, a.Version, nil); err != nil {
			t.Fatal(err)
		}
		fresh("publish")
		if c := strings.ReplaceAll(card("en"), " ", ""); !strings.Contains(c, `"title":"First"`) || strings.Contains(c, `"published_at":null`) {
			t.Fatalf("published card %s", c)
		}
		live := func() int {
			t.Helper()
			var n int
			if err := g.Raw("SELECT COUNT(*) FROM article_related_cards WHERE article_id = ? AND live", a.ID).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := live(); n != 2 {
			t.Fatalf("%d of 2 cards of a published article are live", n)
		}
		// What the related walk tests of a card (migration 00360): its category, tags,
		// status and deletion.
		cat, tag := uuid.New(), uuid.New()
		exec("INSERT INTO categories (id, created_at, updated_at) VALUES (?, ?, ?)", cat, e.now, e.now)
		exec("INSERT INTO tags (id, created_at, updated_at) VALUES (?, ?, ?)", tag, e.now, e.now)
		exec("UPDATE articles SET category_id = ? WHERE id = ?", cat, a.ID)
		fresh("category")
		exec("INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)", a.ID, tag)
		fresh("tag added")
		exec("DELETE FROM article_tags WHERE article_id = ?", a.ID)
		fresh("tag removed")
		exec("UPDATE articles SET status = 'archived' WHERE id = ?", a.ID)
		fresh("archived")
		if n := live(); n != 0 {
			t.Fatalf("%d cards of an archived article are live", n)
		}
		exec("UPDATE articles SET status = 'published' WHERE id = ?", a.ID)
		exec("UPDATE articles SET deleted_at = ? WHERE id = ?", e.now, a.ID)
		fresh("deleted")
		if n := live(); n != 0 {
			t.Fatalf("%d cards of a deleted article are live", n)
		}
		exec("UPDATE articles SET deleted_at = NULL, category_id = NULL WHERE id = ?", a.ID)
		fresh("restored")
		if n := live(); n != 2 {
			t.Fatalf("%d of 2 cards of a restored article are live", n)
		}

		mid := uuid.New()
		exec("INSERT INTO media (id, kind, mime, size, width, height, sha256, storage_key, filename, created_at, updated_at) VALUES (?, 'image', 'image/jpeg', 1000, 800, 600, 'abc', 'k/cover.jpg', 'cover.jpg', ?, ?)", mid, e.now, e.now)
		exec("INSERT INTO media_translations (media_id, locale, alt) VALUES (?, 'en', 'A harbour')", mid)
		if a, err = e.svc.UpdateArticle(ctx, e.editor, a.ID, a.Version, content.ArticlePatch{CoverMediaID: &mid}); err != nil {
			t.Fatal(err)
		}
		fresh("set cover")
		if c := card("en"); !strings.Contains(c, "A harbour") {
			t.Fatalf("card with a cover %s", c)
		}
		exec("UPDATE media_translations SET alt = 'The harbour at dawn' WHERE media_id = ?", mid)
		fresh("cover translation")
		if c := card("az"); !strings.Contains(c, "The harbour at dawn") {
			t.Fatalf("card after the cover's alt changed %s", c)
		}
		exec("UPDATE media SET focal_x = 0.25, updated_at = ? WHERE id = ?", e.now.Add(time.Minute), mid)
		fresh("cover focal point")
		exec("DELETE FROM media_translations WHERE media_id = ?", mid)
		fresh("cover translation removed")
		if _, err = e.svc.DeleteTranslation(ctx, e.editor, a.ID, a.Version, "en"); err != nil {
			t.Fatal(err)
		}
		fresh("delete translation")
		var n int
		if err := g.Raw("SELECT COUNT(*) FROM article_related_cards WHERE article_id = ?", a.ID).Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("%d related cards left for one translation (%v)", n, err)
		}

		// The check finds a card that differs and one that is missing.
		exec("UPDATE article_related_cards SET card = '{}'")
		if keys, err := e.db.StaleRelatedCards(ctx); err != nil || len(keys) != 1 {
			t.Fatalf("a changed card: stale %v (%v)", keys, err)
		}
		exec("DELETE FROM article_related_cards")
		if keys, err := e.db.StaleRelatedCards(ctx); err != nil || len(keys) != 1 {
			t.Fatalf("a missing card: stale %v (%v)", keys, err)
		}
		cols := "article_id, locale, card, published_at, live, category_id, tag_ids"
		exec("INSERT INTO article_related_cards (" + cols + ") SELECT " + cols + " FROM article_related_card_view")
		fresh("rebuilt")
		// And one whose walk columns alone are stale.
		exec("UPDATE article_related_cards SET live = NOT live")
		if keys, err := e.db.StaleRelatedCards(ctx); err != nil || len(keys) != 1 {
			t.Fatalf("a card with a stale live flag: stale %v (%v)", keys, err)
		}
		exec("UPDATE article_related_cards SET live = NOT live")
		fresh("flag restored")
	})
}
