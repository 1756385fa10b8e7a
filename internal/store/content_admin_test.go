package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

type adminEnv struct {
	svc    *content.Service
	store  *store.Content
	db     *store.DB
	now    time.Time
	editor content.Actor
	author content.Actor
	other  content.Actor
}

// newAdminEnv is a content Service over a fresh database of dialect, with a fixed clock.
func newAdminEnv(t *testing.T, dialect string) *adminEnv {
	t.Helper()
	db := testkit.OpenDB(t, dialect)
	cs := store.NewContent(db)
	e := &adminEnv{store: cs, db: db, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		editor: content.Actor{UserID: uuid.New(), Editor: true},
		author: content.Actor{UserID: uuid.New()}, other: content.Actor{UserID: uuid.New()}}
	e.svc = content.NewService(cs, func() time.Time { return e.now }, content.WithLocales([]string{"az", "en", "ru"}))
	return e
}

func eachDB(t *testing.T, fn func(t *testing.T, e *adminEnv)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newAdminEnv(t, d))
		})
	}
}

func draft(t *testing.T, e *adminEnv, actor content.Actor, title string) content.Article {
	t.Helper()
	a, err := e.svc.CreateArticle(context.Background(), actor, content.NewArticle{
		Translations: []content.TranslationInput{{Locale: "az", Title: title, Body: "<p>Mətn</p>"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCreateArticleSlugsAndRevision(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		a := draft(t, e, e.author, "Gələcək əməkdaşlıq")
		if a.Version != 1 || a.Status != content.Draft || a.AuthorID == nil || *a.AuthorID != e.author.UserID {
			t.Fatalf("created %+v", a)
		}
		if got := a.Translations[0].Slug; got != "gelecek-emekdashliq" {
			t.Errorf("slug %q, want gelecek-emekdashliq", got)
		}
		// Same title again: numeric suffix, per locale.
		b := draft(t, e, e.author, "Gələcək  əməkdaşlıq!")
		c := draft(t, e, e.author, "Gələcək əməkdaşlıq")
		if b.Translations[0].Slug != "gelecek-emekdashliq-2" || c.Translations[0].Slug != "gelecek-emekdashliq-3" {
			t.Errorf("suffixes %q, %q", b.Translations[0].Slug, c.Translations[0].Slug)
		}
		revs, total, err := e.svc.Revisions(ctx, content.Actor{Editor: true}, a.ID, 10, 0)
		if err != nil || total != 1 || revs[0].Version != 1 || revs[0].Article.Translations[0].Title != "Gələcək əməkdaşlıq" {
			t.Fatalf("revisions = %+v, %d, %v", revs, total, err)
		}
		// An explicit slug that is taken is a conflict; a free one is kept.
		_, err = e.svc.PutTranslation(ctx, e.author, b.ID, b.Version, content.TranslationInput{Locale: "az", Title: "X", Slug: "gelecek-emekdashliq"})
		if !errors.Is(err, content.ErrConflict) {
			t.Errorf("taken slug: %v, want conflict", err)
		}
		b2, err := e.svc.PutTranslation(ctx, e.author, b.ID, b.Version, content.TranslationInput{Locale: "az", Title: "Yeni başlıq", Slug: "my-slug"})
		if err != nil || b2.Translations[0].Slug != "my-slug" || b2.Version != 2 {
			t.Fatalf("explicit slug: %+v, %v", b2, err)
		}
		// A new title without a slug keeps the slug: URLs stay stable.
		b3, err := e.svc.PutTranslation(ctx, e.author, b.ID, 2, content.TranslationInput{Locale: "az", Title: "Başqa başlıq"})
		if err != nil || b3.Translations[0].Slug != "my-slug" || b3.Translations[0].Title != "Başqa başlıq" {
			t.Fatalf("retitle: %+v, %v", b3, err)
		}
	})
}

func TestVersionCheckIsAtomic(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		a := draft(t, e, e.editor, "Xəbər")
		_, err := e.svc.UpdateArticle(ctx, e.editor, a.ID, 0, content.ArticlePatch{})
		if !errors.Is(err, content.ErrVersionRequired) {
			t.Fatalf("no version: %v", err)
		}
		// Ten writers read version 1; exactly one wins, the others see the new version.
		var wg sync.WaitGroup
		errs := make([]error, 10)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f := i%2 == 0
				_, errs[i] = e.svc.UpdateArticle(ctx, e.editor, a.ID, 1, content.ArticlePatch{Featured: &f})
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			var vc *content.VersionConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &vc):
				if vc.Current != 2 {
					t.Errorf("conflict reports version %d, want 2", vc.Current)
				}
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d writers won, want exactly 1", wins)
		}
		got, err := e.svc.AdminArticle(ctx, content.Actor{Editor: true}, a.ID)
		if err != nil || got.Version != 2 {
			t.Fatalf("after race: version %d, %v", got.Version, err)
		}
		if _, n, _ := e.svc.Revisions(ctx, content.Actor{Editor: true}, a.ID, 10, 0); n != 2 {
			t.Errorf("revisions %d, want 2", n)
		}
		// The store's own compare-and-set refuses a stale version even past the service.
		got.Featured = !got.Featured
		err = e.store.SaveArticle(ctx, got, 1)
		var vc *content.VersionConflictError
		if !errors.As(err, &vc) || vc.Current != 2 {
			t.Fatalf("SaveArticle stale = %v", err)
		}
		if err := e.store.SaveArticle(ctx, content.Article{ID: uuid.New(), Status: content.Draft}, 1); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("SaveArticle missing = %v", err)
		}
	})
}

func TestWorkflowAndOwnership(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		a := draft(t, e, e.author, "Müəllifin qaralaması")
		// Another author may not touch it; the owner may edit their draft but not publish.
		if _, err := e.svc.PutTranslation(ctx, e.other, a.ID, 1, content.TranslationInput{Locale: "en", Title: "Hijack"}); !errors.Is(err, content.ErrForbidden) {
			t.Fatalf("other author edit: %v", err)
		}
		a, err := e.svc.PutTranslation(ctx, e.author, a.ID, 1, content.TranslationInput{Locale: "en", Title: "Author's draft", Body: "# Heading\n\nSome *text*.", BodyFormat: content.FormatMarkdown})
		if err != nil {
			t.Fatal(err)
		}
		en, _ := a.Translation("en")
		if en.Body != "<h1>Heading</h1>\n<p>Some <em>text</em>.</p>\n" && !strings.Contains(en.Body, "<em>text</em>") {
			t.Errorf("markdown body %q", en.Body)
		}
		if en.Slug != "authors-draft" || en.ReadingMinutes != 1 {
			t.Errorf("en translation %+v", en)
		}
		if _, err := e.svc.Publish(ctx, e.author, a.ID, a.Version, nil); !errors.Is(err, content.ErrForbidden) {
			t.Fatalf("author publish: %v", err)
		}
		// Schedule an hour ahead: not visible now, visible when the clock passes it.
		at := e.now.Add(time.Hour)
		a, err = e.svc.Publish(ctx, e.editor, a.ID, a.Version, &at)
		if err != nil || a.Status != content.Scheduled || !a.PublishedAt.Equal(at) {
			t.Fatalf("schedule: %+v, %v", a, err)
		}
		if _, err := e.svc.Article(ctx, a.ID.String(), []string{"en"}); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("scheduled article visible early: %v", err)
		}
		e.now = at.Add(time.Second)
		if _, err := e.svc.Article(ctx, "authors-draft", []string{"en"}); err != nil {
			t.Fatalf("scheduled article not visible on time: %v", err)
		}
		// No longer a draft: its author may not edit it.
		if _, err := e.svc.PutTranslation(ctx, e.author, a.ID, a.Version, content.TranslationInput{Locale: "en", Title: "Late edit"}); !errors.Is(err, content.ErrForbidden) {
			t.Fatalf("author edit of scheduled: %v", err)
		}
		a, err = e.svc.Archive(ctx, e.editor, a.ID, a.Version)
		if err != nil || a.Status != content.Archived {
			t.Fatalf("archive: %+v %v", a, err)
		}
		a, err = e.svc.Unpublish(ctx, e.editor, a.ID, a.Version)
		// It was public: the date stays for a later publication (issue 12 item 11).
		if err != nil || a.Status != content.Draft || !a.PublishedAt.Equal(at) || !a.FirstPublishedAt.Equal(at) {
			t.Fatalf("unpublish: %+v %v", a, err)
		}
		// Translations: the last one cannot go.
		a, err = e.svc.DeleteTranslation(ctx, e.editor, a.ID, a.Version, "en")
		if err != nil || len(a.Translations) != 1 {
			t.Fatalf("delete en: %v", err)
		}
		if _, err := e.svc.DeleteTranslation(ctx, e.editor, a.ID, a.Version, "az"); !errors.Is(err, content.ErrConflict) {
			t.Fatalf("delete last: %v", err)
		}
		if err := e.svc.DeleteArticle(ctx, e.author, a.ID, a.Version); !errors.Is(err, content.ErrForbidden) {
			t.Fatalf("author delete: %v", err)
		}
		if err := e.svc.DeleteArticle(ctx, e.editor, a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AdminArticle(ctx, content.Actor{Editor: true}, a.ID); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("deleted article: %v", err)
		}
		tomb, err := e.store.ArticleByID(ctx, a.ID)
		if err != nil || tomb.DeletedAt == nil {
			t.Fatalf("tombstone: %+v %v", tomb, err)
		}
	})
}

func TestRestoreRevision(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		a := draft(t, e, e.editor, "Birinci başlıq")
		a, err := e.svc.PutTranslation(ctx, e.editor, a.ID, 1, content.TranslationInput{Locale: "az", Title: "İkinci başlıq", Body: "<p>yeni</p>"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.RestoreRevision(ctx, e.editor, a.ID, 1, 1)
		var vc *content.VersionConflictError
		if !errors.As(err, &vc) || vc.Current != 2 {
			t.Fatalf("stale restore: %v", err)
		}
		a, err = e.svc.RestoreRevision(ctx, e.editor, a.ID, 2, 1)
		if err != nil || a.Version != 3 || a.Translations[0].Title != "Birinci başlıq" {
			t.Fatalf("restore: %+v %v", a, err)
		}
		revs, n, _ := e.svc.Revisions(ctx, content.Actor{Editor: true}, a.ID, 10, 0)
		if n != 3 || revs[0].Version != 3 || revs[1].Article.Translations[0].Title != "İkinci başlıq" {
			t.Fatalf("history rewritten: %+v", revs)
		}
		if _, err := e.svc.Revision(ctx, content.Actor{Editor: true}, a.ID, 9); !errors.Is(err, content.ErrNotFound) {
			t.Fatalf("missing revision: %v", err)
		}
	})
}

func TestSanitizeAndLimits(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		body := `<h2 onclick="x()">Başlıq</h2><script>alert(1)</script><p><a href="javascript:alert(1)">bad</a> <a href="https://example.org">ok</a></p>` +
			`<figure><img src="https://cdn.example/a.jpg" alt="şəkil" onerror="x()"><figcaption>Foto</figcaption></figure>` +
			`<table><tr><td>1</td></tr></table><blockquote>quote</blockquote>` +
			`<iframe src="https://www.youtube.com/embed/abc123"></iframe><iframe src="https://evil.example/embed"></iframe>`
		a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{Translations: []content.TranslationInput{{Locale: "az", Title: "'; DROP TABLE articles; --", Body: body}}})
		if err != nil {
			t.Fatal(err)
		}
		tr := a.Translations[0]
		for _, bad := range []string{"<script", "onclick", "onerror", "javascript:", "evil.example"} {
			if strings.Contains(tr.Body, bad) {
				t.Errorf("body keeps %q: %s", bad, tr.Body)
			}
		}
		for _, good := range []string{"<h2>Başlıq</h2>", `href="https://example.org"`, "<figcaption>Foto</figcaption>", "<td>1</td>", "<blockquote>", `src="https://www.youtube.com/embed/abc123"`} {
			if !strings.Contains(tr.Body, good) {
				t.Errorf("body lost %q: %s", good, tr.Body)
			}
		}
		if tr.Title != "'; DROP TABLE articles; --" || tr.Slug != "drop-table-articles" {
			t.Errorf("SQL-looking title stored as %q, slug %q", tr.Title, tr.Slug)
		}
		_, err = e.svc.CreateArticle(ctx, e.editor, content.NewArticle{Translations: []content.TranslationInput{
			{Locale: "xx", Title: strings.Repeat("a", content.MaxTitleLen+1), Body: strings.Repeat("b", content.MaxBodyLen+1), Slug: "Bad Slug"},
		}})
		var ve *errs.Error
		if !errors.As(err, &ve) || len(ve.Fields) != 4 {
			t.Fatalf("oversized input: %v", err)
		}
		cat := uuid.New()
		_, err = e.svc.CreateArticle(ctx, e.editor, content.NewArticle{CategoryID: &cat, Translations: []content.TranslationInput{{Locale: "az", Title: "x"}}})
		if !errors.As(err, &ve) || ve.Fields[0].Field != "category_id" {
			t.Fatalf("missing category: %v", err)
		}
	})
}

func TestTaxonomyAndSettings(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		if _, err := e.svc.CreateCategory(ctx, e.author, 1, []content.TermInput{{Locale: "az", Name: "Xəbərlər"}}); !errors.Is(err, content.ErrForbidden) {
			t.Fatalf("author creates category: %v", err)
		}
		c, err := e.svc.CreateCategory(ctx, e.editor, 1, []content.TermInput{{Locale: "az", Name: "Xəbərlər"}, {Locale: "ru", Name: "Новости"}})
		if err != nil {
			t.Fatal(err)
		}
		if az, _ := c.Translation("az"); az.Slug != "xeberler" {
			t.Errorf("az slug %q", az.Slug)
		}
		if ru, _ := c.Translation("ru"); ru.Slug != "novosti" {
			t.Errorf("ru slug %q", ru.Slug)
		}
		pos := 5
		c, err = e.svc.UpdateCategory(ctx, e.editor, c.ID, content.TermPatch{Position: &pos, Translations: []content.TermInput{{Locale: "en", Name: "News"}}, RemoveLocales: []string{"ru"}})
		if err != nil || c.Position != 5 || len(c.Translations) != 2 || func() bool { _, ok := c.Translation("en"); return !ok }() {
			t.Fatalf("update category: %+v %v", c, err)
		}
		tag, err := e.svc.CreateTag(ctx, e.editor, []content.TermInput{{Locale: "az", Name: "Uşaqlar"}})
		if err != nil || tag.Translations[0].Slug != "ushaqlar" {
			t.Fatalf("tag: %+v %v", tag, err)
		}
		a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{CategoryID: &c.ID, TagIDs: []uuid.UUID{tag.ID}, Translations: []content.TranslationInput{{Locale: "az", Title: "x"}}})
		if err != nil {
			t.Fatal(err)
		}
		err = e.svc.DeleteCategory(ctx, e.editor, c.ID)
		if !errors.Is(err, content.ErrConflict) || !strings.Contains(err.Error(), "1 article uses") {
			t.Fatalf("delete used category: %v", err)
		}
		if err := e.svc.DeleteArticle(ctx, e.editor, a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteCategory(ctx, e.editor, c.ID); err != nil {
			t.Fatalf("delete category used only by a tombstone: %v", err)
		}
		if err := e.svc.DeleteTag(ctx, e.editor, tag.ID); err != nil {
			t.Fatal(err)
		}
		v := "Ombudsman"
		if err := e.svc.PutSettings(ctx, e.editor, "en", map[string]*string{"site_name": &v}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.PutSettings(ctx, e.editor, "en", map[string]*string{"Bad Key": &v}); err == nil {
			t.Fatal("bad key accepted")
		}
		if err := e.svc.PutSettings(ctx, e.editor, "en", map[string]*string{"site_name": nil}); err != nil {
			t.Fatal(err)
		}
		if all, _ := e.svc.Settings(ctx); len(all) != 0 {
			t.Fatalf("settings after delete: %+v", all)
		}
	})
}

func TestAdminListFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		a := draft(t, e, e.author, "Bir")
		b := draft(t, e, e.editor, "İki")
		if _, err := e.svc.PutTranslation(ctx, e.editor, b.ID, 1, content.TranslationInput{Locale: "ru", Title: "Два"}); err != nil {
			t.Fatal(err)
		}
		e.now = e.now.Add(time.Minute) // the list is most recently updated first
		if _, err := e.svc.Publish(ctx, e.editor, a.ID, 1, nil); err != nil {
			t.Fatal(err)
		}
		check := func(q content.AdminQuery, want ...uuid.UUID) {
			t.Helper()
			arts, total, err := e.svc.AdminArticles(ctx, content.Actor{Editor: true}, q)
			if err != nil || int(total) != len(want) || len(arts) != len(want) {
				t.Fatalf("%+v: %d/%d articles, %v; want %d", q, len(arts), total, err, len(want))
			}
			for i := range want {
				if arts[i].ID != want[i] {
					t.Errorf("%+v: item %d is %s", q, i, arts[i].ID)
				}
			}
		}
		check(content.AdminQuery{}, a.ID, b.ID)
		check(content.AdminQuery{Statuses: []content.Status{content.Draft}}, b.ID)
		check(content.AdminQuery{AuthorID: &e.author.UserID}, a.ID)
		check(content.AdminQuery{MissingLocale: "ru"}, a.ID)
	})
}
