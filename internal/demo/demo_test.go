package demo

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// fakeWriter records what Load writes, in order. It has no database: the real store is
// exercised by the store and API tests.
type fakeWriter struct {
	existing   int64
	countErr   error
	calls      []string
	categories []content.Category
	tags       []content.Tag
	articles   []content.Article
	settings   []content.Setting
}

func (f *fakeWriter) CountArticles(context.Context) (int64, error) {
	return f.existing + int64(len(f.articles)), f.countErr
}

func (f *fakeWriter) CreateCategory(_ context.Context, c content.Category) error {
	f.calls = append(f.calls, "category")
	f.categories = append(f.categories, c)
	return nil
}

func (f *fakeWriter) CreateTag(_ context.Context, t content.Tag) error {
	f.calls = append(f.calls, "tag")
	f.tags = append(f.tags, t)
	return nil
}

func (f *fakeWriter) CreateArticle(_ context.Context, a content.Article) error {
	f.calls = append(f.calls, "article")
	f.articles = append(f.articles, a)
	return nil
}

func (f *fakeWriter) PutSetting(_ context.Context, s content.Setting) error {
	f.calls = append(f.calls, "setting")
	f.settings = append(f.settings, s)
	return nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// fixturePath is the published article the demo content reproduces, as captured from the
// source site; the comparison below fails if it is missing.
const fixturePath = "testdata/ombudsman-news-2021-02-19.json"

type fixtureFile struct {
	Site struct {
		NameAZ     string `json:"name_az"`
		CallCenter string `json:"call_center"`
	} `json:"site"`
	Article struct {
		Published    string `json:"published"`
		ReadCount    int64  `json:"read_count"`
		Translations map[string]struct {
			Title          string   `json:"title"`
			BodyParagraphs []string `json:"body_paragraphs"`
		} `json:"translations"`
	} `json:"article"`
}

func loadFixture(t *testing.T) *fixtureFile {
	t.Helper()
	b, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatalf("the fixture the demo content is checked against: %v", err)
	}
	var f fixtureFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return &f
}

var now = time.Date(2026, 5, 4, 12, 30, 15, 123456789, time.UTC)

func loaded(t *testing.T) *fakeWriter {
	t.Helper()
	w := &fakeWriter{}
	did, err := Load(context.Background(), w, now)
	if err != nil || !did {
		t.Fatalf("Load = %v, %v; want true, nil", did, err)
	}
	return w
}

func TestLoadCountsAndOrder(t *testing.T) {
	w := loaded(t)
	if len(w.categories) < 5 || len(w.tags) < 10 {
		t.Errorf("got %d categories, %d tags; want ≥ 5, ≥ 10", len(w.categories), len(w.tags))
	}
	rank := map[string]int{"category": 0, "tag": 1, "article": 2, "setting": 3}
	for i := 1; i < len(w.calls); i++ {
		if rank[w.calls[i]] < rank[w.calls[i-1]] {
			t.Fatalf("call %d: %s after %s; want categories → tags → articles → settings", i, w.calls[i], w.calls[i-1])
		}
	}

	visible, featured, azOnly, azEN, all3 := 0, 0, 0, 0, 0
	var drafts, scheduled []content.Article
	dates := map[string]bool{}
	lo, hi := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range w.articles {
		switch {
		case a.Visible(now):
			visible++
			if a.Featured {
				featured++
			}
			if a.Status != content.Published {
				t.Errorf("%s: status %s", a.ID, a.Status)
			}
			day := a.PublishedAt.Format(time.DateOnly)
			if dates[day] {
				t.Errorf("two articles published on %s", day)
			}
			dates[day] = true
			if a.PublishedAt.Before(lo) || !a.PublishedAt.Before(hi) {
				t.Errorf("%s: published %v, outside 2020–2023", a.ID, a.PublishedAt)
			}
			if !a.CreatedAt.Equal(*a.PublishedAt) || !a.UpdatedAt.Equal(*a.PublishedAt) {
				t.Errorf("%s: created/updated %v/%v, want published %v", a.ID, a.CreatedAt, a.UpdatedAt, a.PublishedAt)
			}
			switch {
			case a.HasLocale("az") && a.HasLocale("en") && a.HasLocale("ru"):
				all3++
			case a.HasLocale("az") && a.HasLocale("en") && len(a.Translations) == 2:
				azEN++
			case a.HasLocale("az") && len(a.Translations) == 1:
				azOnly++
			default:
				t.Errorf("%s: unexpected locales %v", a.ID, a.Translations)
			}
		case a.Status == content.Draft:
			drafts = append(drafts, a)
		case a.Status == content.Scheduled:
			scheduled = append(scheduled, a)
		default:
			t.Errorf("%s: status %s, published %v: neither visible, draft nor scheduled", a.ID, a.Status, a.PublishedAt)
		}
	}
	if visible < 41 { // the fixture and 40 more
		t.Errorf("visible articles = %d, want ≥ 41", visible)
	}
	if featured < 5 || featured > 10 {
		t.Errorf("featured = %d, want about 7", featured)
	}
	if azOnly < 5 || azEN < 5 || all3 < 25 {
		t.Errorf("locales: az only %d, az+en %d, all three %d", azOnly, azEN, all3)
	}
	if len(drafts) != 1 || drafts[0].PublishedAt != nil {
		t.Errorf("drafts = %+v, want one with no publication date", drafts)
	}
	if len(scheduled) != 1 || scheduled[0].PublishedAt == nil || !scheduled[0].PublishedAt.Equal(now.Truncate(time.Microsecond).Add(30*24*time.Hour)) {
		t.Errorf("scheduled = %+v, want one due in 30 days", scheduled)
	}
	if len(w.articles) != visible+2 {
		t.Errorf("articles = %d, want %d visible + 2", len(w.articles), visible)
	}
}

func TestLoadRecordsAreWellFormed(t *testing.T) {
	w := loaded(t)
	ids := map[uuid.UUID]bool{}
	checkID := func(id uuid.UUID) {
		if id == uuid.Nil || id.Version() != 7 || ids[id] {
			t.Errorf("id %s: nil, not v7 or duplicate", id)
		}
		ids[id] = true
	}
	checkTime := func(what string, ts ...time.Time) {
		for _, tm := range ts {
			if tm.IsZero() || tm.Location() != time.UTC || !tm.Equal(tm.Truncate(time.Microsecond)) {
				t.Errorf("%s: time %v is zero, not UTC or finer than a microsecond", what, tm)
			}
		}
	}
	type key struct{ kind, locale, slug string }
	seen := map[key]bool{}
	checkSlug := func(kind, locale, slug string) {
		if !slugRE.MatchString(slug) {
			t.Errorf("%s %s slug %q is malformed", kind, locale, slug)
		}
		k := key{kind, locale, slug}
		if seen[k] {
			t.Errorf("%s %s slug %q is not unique", kind, locale, slug)
		}
		seen[k] = true
	}
	locales := func(n int) bool { return n == len(Locales) }

	cats := map[uuid.UUID]bool{}
	for i, c := range w.categories {
		checkID(c.ID)
		checkTime("category", c.CreatedAt, c.UpdatedAt)
		cats[c.ID] = true
		if c.Position != i+1 || !locales(len(c.Translations)) {
			t.Errorf("category %d: position %d, %d translations", i, c.Position, len(c.Translations))
		}
		for _, tr := range c.Translations {
			checkSlug("category", tr.Locale, tr.Slug)
			if tr.Name == "" {
				t.Errorf("category %s %s: no name", c.ID, tr.Locale)
			}
		}
	}
	tags := map[uuid.UUID]bool{}
	for _, tg := range w.tags {
		checkID(tg.ID)
		checkTime("tag", tg.CreatedAt, tg.UpdatedAt)
		tags[tg.ID] = true
		if !locales(len(tg.Translations)) {
			t.Errorf("tag %s: %d translations", tg.ID, len(tg.Translations))
		}
		for _, tr := range tg.Translations {
			checkSlug("tag", tr.Locale, tr.Slug)
			if tr.Name == "" {
				t.Errorf("tag %s %s: no name", tg.ID, tr.Locale)
			}
		}
	}
	titles := map[[2]string]bool{}
	used := map[uuid.UUID]bool{}
	for _, a := range w.articles {
		checkID(a.ID)
		checkTime("article", a.CreatedAt, a.UpdatedAt)
		if a.PublishedAt != nil {
			checkTime("article published", *a.PublishedAt)
		}
		if a.Version != 1 || a.DeletedAt != nil || a.ReadCount < 0 {
			t.Errorf("%s: version %d, deleted %v, read count %d", a.ID, a.Version, a.DeletedAt, a.ReadCount)
		}
		if a.CategoryID == nil || !cats[*a.CategoryID] {
			t.Errorf("%s: category %v was not created", a.ID, a.CategoryID)
		} else {
			used[*a.CategoryID] = true
		}
		if len(a.TagIDs) > 3 {
			t.Errorf("%s: %d tags", a.ID, len(a.TagIDs))
		}
		for _, id := range a.TagIDs {
			if !tags[id] {
				t.Errorf("%s: tag %s was not created", a.ID, id)
			}
			used[id] = true
		}
		if !a.HasLocale("az") {
			t.Errorf("%s: no az translation", a.ID)
		}
		for _, tr := range a.Translations {
			checkSlug("article", tr.Locale, tr.Slug)
			checkTime("translation", tr.CreatedAt, tr.UpdatedAt)
			if tr.Title == "" || tr.Summary == "" {
				t.Errorf("%s %s: empty title or summary", a.ID, tr.Locale)
			}
			k := [2]string{tr.Locale, tr.Title}
			if titles[k] {
				t.Errorf("%s title %q is not unique", tr.Locale, tr.Title)
			}
			titles[k] = true
			if tr.Body != "" && (!strings.HasPrefix(tr.Body, "<p>") || !strings.HasSuffix(tr.Body, "</p>")) {
				t.Errorf("%s %s: body is not <p> paragraphs: %.40q", a.ID, tr.Locale, tr.Body)
			}
			if want := ReadingMinutes(tr.Body); tr.ReadingMinutes != want || (tr.Body != "") != (want > 0) {
				t.Errorf("%s %s: reading minutes %d, want %d", a.ID, tr.Locale, tr.ReadingMinutes, want)
			}
		}
	}
	for id := range cats {
		if !used[id] {
			t.Errorf("category %s has no articles", id)
		}
	}
	for id := range tags {
		if !used[id] {
			t.Errorf("tag %s has no articles", id)
		}
	}
}

func TestLoadFixtureArticle(t *testing.T) {
	w := loaded(t)
	var fx *content.Article
	for i, a := range w.articles {
		if tr, ok := a.Translation("en"); ok && tr.Slug == FixtureSlugEN {
			fx = &w.articles[i]
		}
	}
	if fx == nil {
		t.Fatalf("no article with en slug %q", FixtureSlugEN)
	}
	if fx.ReadCount != 310 || !fx.Featured || fx.Status != content.Published || fx.PublishedAt == nil ||
		fx.PublishedAt.Format(time.DateOnly) != "2021-02-19" || len(fx.TagIDs) != 2 {
		t.Errorf("fixture article: read %d, featured %v, status %s, published %v, %d tags",
			fx.ReadCount, fx.Featured, fx.Status, fx.PublishedAt, len(fx.TagIDs))
	}
	az, _ := fx.Translation("az")
	en, _ := fx.Translation("en")
	ru, ok := fx.Translation("ru")
	if az.Slug != FixtureSlugAZ || !ok || ru.Slug != FixtureSlugRU {
		t.Errorf("slugs az %q ru %q, want %q %q", az.Slug, ru.Slug, FixtureSlugAZ, FixtureSlugRU)
	}
	if ru.Body != "" || ru.ReadingMinutes != 0 || ru.Title == "" || ru.Summary == "" {
		t.Errorf("ru: body %q, %d minutes, title %q, summary %q; want title and summary only", ru.Body, ru.ReadingMinutes, ru.Title, ru.Summary)
	}
	if az.Body == "" || az.Title == "" || strings.Count(az.Body, "<p>") != strings.Count(en.Body, "<p>") {
		t.Errorf("az translation incomplete: title %q, %d paragraphs vs en %d", az.Title, strings.Count(az.Body, "<p>"), strings.Count(en.Body, "<p>"))
	}
	if en.ReadingMinutes < 2 {
		t.Errorf("en reading minutes = %d, want ≥ 2 for a ~400-word body", en.ReadingMinutes)
	}

	f := loadFixture(t)
	fen := f.Article.Translations["en"]
	if en.Title != fen.Title {
		t.Errorf("en title = %q, want the fixture's %q", en.Title, fen.Title)
	}
	for _, p := range fen.BodyParagraphs {
		if !strings.Contains(en.Body, "<p>"+p+"</p>") {
			t.Errorf("en body lacks fixture paragraph %.60q…", p)
		}
	}
	if fx.ReadCount != f.Article.ReadCount || fx.PublishedAt.Format("02-01-2006") != f.Article.Published {
		t.Errorf("read count %d, date %s; fixture says %d, %s", fx.ReadCount, fx.PublishedAt.Format("02-01-2006"), f.Article.ReadCount, f.Article.Published)
	}
	settings := map[[2]string]string{}
	for _, s := range w.settings {
		settings[[2]string{s.Key, s.Locale}] = s.Value
	}
	if got := settings[[2]string{"site_name", "az"}]; got != f.Site.NameAZ {
		t.Errorf("site_name az = %q, want %q", got, f.Site.NameAZ)
	}
	if got := settings[[2]string{"call_center", ""}]; got != f.Site.CallCenter {
		t.Errorf("call_center = %q, want %q", got, f.Site.CallCenter)
	}
}

func TestLoadSettings(t *testing.T) {
	w := loaded(t)
	got := map[[2]string]string{}
	for _, s := range w.settings {
		got[[2]string{s.Key, s.Locale}] = s.Value
	}
	want := map[[2]string]string{
		{"site_name", "en"}: "Commissioner for Human Rights (Ombudsman) of the Republic of Azerbaijan",
		{"site_name", "az"}: siteName[0],
		{"site_name", "ru"}: siteName[2],
		{"call_center", ""}: "916",
	}
	for k, v := range want {
		if got[k] != v || v == "" {
			t.Errorf("setting %v = %q, want %q", k, got[k], v)
		}
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	w := loaded(t)
	n := len(w.calls)
	did, err := Load(context.Background(), w, now)
	if err != nil || did || len(w.calls) != n {
		t.Errorf("second Load = %v, %v, wrote %d records; want false, nil, nothing", did, err, len(w.calls)-n)
	}

	pre := &fakeWriter{existing: 1}
	if did, err := Load(context.Background(), pre, now); err != nil || did || len(pre.calls) != 0 {
		t.Errorf("Load on a non-empty store = %v, %v, %d writes", did, err, len(pre.calls))
	}

	bad := &fakeWriter{countErr: errors.New("boom")}
	if did, err := Load(context.Background(), bad, now); err == nil || did || len(bad.calls) != 0 {
		t.Errorf("Load with a failing count = %v, %v, %d writes", did, err, len(bad.calls))
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Children's rights":     "childrens-rights",
		"Uşaq hüquqları":        "ushaq-huquqlari",
		"Beynəlxalq əməkdaşlıq": "beynelxalq-emekdashliq",
		"İnsan Hüquqları Günü":  "insan-huquqlari-gunu",
		"Ağ, göz, çay":          "ag-goz-chay",
		"Права ребёнка":         "prava-rebenka",
		"Международное сотрудничество":            "mezhdunarodnoe-sotrudnichestvo",
		"Щука, объявление, Юг, Эхо, Цех, Хлеб":    "shchuka-obyavlenie-yug-ekho-tsekh-khleb",
		"“Mənim hüquqlarım” — 916!":               "menim-huquqlarim-916",
		"Колл-центр 916 подвёл итоги за 2019 год": "koll-tsentr-916-podvel-itogi-za-2019-god",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := Slugify(strings.Repeat("word ", 40))
	if len(long) > maxSlug || !slugRE.MatchString(long) {
		t.Errorf("long slug %q: %d chars", long, len(long))
	}
}

func TestReadingMinutes(t *testing.T) {
	for body, want := range map[string]int{
		"":           0,
		"<p></p>":    0,
		"<p>one</p>": 1,
		"<p>" + strings.Repeat("w ", 200) + "</p>": 1,
		"<p>" + strings.Repeat("w ", 201) + "</p>": 2,
		"<p>a</p><p>b</p>":                         1,
	} {
		if got := ReadingMinutes(body); got != want {
			t.Errorf("ReadingMinutes(%.20q…) = %d, want %d", body, got, want)
		}
	}
}
