package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// TestCardsFollowEveryWrite: each kind of write leaves every stored card equal to its
// definition (the view article_cards), and the public list shows the write at once.
func TestCardsFollowEveryWrite(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		db := e.db
		fresh := func(step string) {
			t.Helper()
			ids, err := db.StaleCards(ctx)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if len(ids) > 0 {
				t.Fatalf("%s: stale cards %v", step, ids)
			}
		}
		listed := func(step string) content.Article {
			t.Helper()
			arts, _, err := e.store.ListVisibleArticles(ctx, content.ListQuery{Chain: []string{"en", "az"}, Limit: 10, Now: e.now})
			if err != nil || len(arts) != 1 {
				t.Fatalf("%s: list %d articles, %v", step, len(arts), err)
			}
			return arts[0]
		}
		tag, err := e.svc.CreateTag(ctx, e.editor, []content.TermInput{{Locale: "az", Name: "Uşaqlar"}})
		if err != nil {
			t.Fatal(err)
		}
		other, err := e.svc.CreateTag(ctx, e.editor, []content.TermInput{{Locale: "az", Name: "Qadınlar"}})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{TagIDs: []uuid.UUID{tag.ID},
			Translations: []content.TranslationInput{{Locale: "az", Title: "Birinci", Summary: "Qısa"}}})
		if err != nil {
			t.Fatal(err)
		}
		fresh("create")
		if a, err = e.svc.Publish(ctx, e.editor, a.ID, a.Version, nil); err != nil {
			t.Fatal(err)
		}
		if got := listed("publish"); len(got.Translations) != 1 || got.Translations[0].Title != "Birinci" || len(got.Tags) != 1 {
			t.Fatalf("publish: %+v", got)
		}
		if a, err = e.svc.PutTranslation(ctx, e.editor, a.ID, a.Version, content.TranslationInput{Locale: "en", Title: "First", Summary: "Short"}); err != nil {
			t.Fatal(err)
		}
		fresh("put translation")
		if got := listed("put translation"); len(got.Translations) != 2 {
			t.Fatalf("translation not in the card: %+v", got.Translations)
		}
		tags := []uuid.UUID{other.ID, tag.ID}
		if a, err = e.svc.UpdateArticle(ctx, e.editor, a.ID, a.Version, content.ArticlePatch{TagIDs: &tags}); err != nil {
			t.Fatal(err)
		}
		fresh("retag")
		if got := listed("retag"); len(got.Tags) != 2 || got.Tags[0].ID != other.ID {
			t.Fatalf("tags in the card: %+v", got.Tags)
		}
		if _, err := e.svc.UpdateTag(ctx, e.editor, tag.ID, content.TermPatch{Translations: []content.TermInput{{Locale: "en", Name: "Children"}}}); err != nil {
			t.Fatal(err)
		}
		fresh("rename tag")
		if got := listed("rename tag"); len(got.Tags[1].Translations) != 2 {
			t.Fatalf("renamed tag in the card: %+v", got.Tags[1])
		}
		if err := e.svc.DeleteTag(ctx, e.editor, other.ID); err != nil {
			t.Fatal(err)
		}
		fresh("delete tag")
		if got := listed("delete tag"); len(got.Tags) != 1 || got.Tags[0].ID != tag.ID {
			t.Fatalf("deleted tag still in the card: %+v", got.Tags)
		}
		// A card written behind the triggers' back is caught.
		if err := db.Exec(ctx, "UPDATE articles SET card = '{}'"); err != nil {
			t.Fatal(err)
		}
		if ids, err := db.StaleCards(ctx); err != nil || len(ids) != 1 {
			t.Fatalf("tampered card not found: %v %v", ids, err)
		}
		if err := db.Exec(ctx, "UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id)"); err != nil {
			t.Fatal(err)
		}
	})
}
