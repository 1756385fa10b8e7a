// Package demo loads a small multilingual demo site into an empty database: the categories,
// tags, settings and articles of a national human rights institution (the Ombudsman of the
// Republic of Azerbaijan), built around one real news item used as a test fixture. Apart
// from that item, the articles are invented examples.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// Writer is the subset of content.Store the demo needs (content.Store satisfies it).
type Writer interface {
	CountArticles(ctx context.Context) (int64, error)
	CreateCategory(ctx context.Context, c content.Category) error
	CreateTag(ctx context.Context, t content.Tag) error
	CreateArticle(ctx context.Context, a content.Article) error
	PutSetting(ctx context.Context, s content.Setting) error
}

var _ Writer = content.Store(nil)

// Slugs of the fixture article's translations (tests use them).
const (
	FixtureSlugEN = "prospects-for-cooperation-between-ombudsman-and-ohchr-discussed"
	FixtureSlugAZ = "ombudsman-ve-bmt-ali-komissarligi-arasinda-emekdashliq-perspektivleri-muzakire-olunub"
	FixtureSlugRU = "obsuzhdeny-perspektivy-sotrudnichestva-ombudsmana-i-uvkpch-oon"
)

// Locales are the locales the demo content is written in.
var Locales = []string{"az", "en", "ru"}

// Load writes the demo content if the database has no articles; it reports whether it did.
// It writes categories, then tags, then articles, then settings. Published dates are fixed
// (2020–2023); the draft and the scheduled article (due 30 days after now) are not public.
func Load(ctx context.Context, w Writer, now time.Time) (bool, error) {
	n, err := w.CountArticles(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: count articles: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	d, err := build(now.UTC().Truncate(time.Microsecond))
	if err != nil {
		return false, err
	}
	for _, c := range d.categories {
		if err := w.CreateCategory(ctx, c); err != nil {
			return false, fmt.Errorf("demo: create category: %w", err)
		}
	}
	for _, t := range d.tags {
		if err := w.CreateTag(ctx, t); err != nil {
			return false, fmt.Errorf("demo: create tag: %w", err)
		}
	}
	for _, a := range d.articles {
		if err := w.CreateArticle(ctx, a); err != nil {
			return false, fmt.Errorf("demo: create article: %w", err)
		}
	}
	for _, s := range d.settings {
		if err := w.PutSetting(ctx, s); err != nil {
			return false, fmt.Errorf("demo: put setting %s/%s: %w", s.Key, s.Locale, err)
		}
	}
	return true, nil
}

type dataset struct {
	categories []content.Category
	tags       []content.Tag
	articles   []content.Article
	settings   []content.Setting
}

// builder assigns ids and keeps slugs unique per locale within one kind of record.
type builder struct {
	now   time.Time
	err   error
	slugs map[string]map[string]bool // kind+locale -> slug -> taken
}

func (b *builder) id() uuid.UUID {
	id, err := uuid.NewV7()
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("demo: new id: %w", err)
	}
	return id
}

// slug returns Slugify(s) made unique among the slugs of kind in locale.
func (b *builder) slug(kind, locale, s string) string {
	return b.claim(kind, locale, Slugify(s))
}

func (b *builder) claim(kind, locale, base string) string {
	k := kind + "/" + locale
	if b.slugs[k] == nil {
		b.slugs[k] = map[string]bool{}
	}
	s := base
	for i := 2; b.slugs[k][s]; i++ {
		s = fmt.Sprintf("%s-%d", base, i)
	}
	b.slugs[k][s] = true
	return s
}

func build(now time.Time) (dataset, error) {
	b := &builder{now: now, slugs: map[string]map[string]bool{}}
	var d dataset

	catIDs := make([]uuid.UUID, len(categoryData))
	for i, c := range categoryData {
		cat := content.Category{ID: b.id(), Position: i + 1, CreatedAt: now, UpdatedAt: now}
		for j, loc := range Locales {
			cat.Translations = append(cat.Translations, content.CategoryTranslation{
				Locale: loc, Name: c.name[j], Slug: b.slug("category", loc, c.name[j]), Description: c.desc[j],
			})
		}
		catIDs[i] = cat.ID
		d.categories = append(d.categories, cat)
	}

	tagIDs := make([]uuid.UUID, len(tagData))
	for i, names := range tagData {
		tag := content.Tag{ID: b.id(), CreatedAt: now, UpdatedAt: now}
		for j, loc := range Locales {
			tag.Translations = append(tag.Translations, content.TagTranslation{
				Locale: loc, Name: names[j], Slug: b.slug("tag", loc, names[j]),
			})
		}
		tagIDs[i] = tag.ID
		d.tags = append(d.tags, tag)
	}

	article := func(it item, status content.Status, published *time.Time, readCount int64, stamp time.Time) content.Article {
		cat := catIDs[it.cat]
		a := content.Article{
			ID: b.id(), Status: status, PublishedAt: published, CategoryID: &cat,
			Featured: it.featured, ReadCount: readCount, Version: 1, CreatedAt: stamp, UpdatedAt: stamp,
			TagIDs: []uuid.UUID{},
		}
		for _, t := range it.tags {
			a.TagIDs = append(a.TagIDs, tagIDs[t])
		}
		return a
	}
	translation := func(locale, title, slug, summary, body string, stamp time.Time) content.Translation {
		if slug == "" {
			slug = b.slug("article", locale, title)
		} else {
			slug = b.claim("article", locale, slug)
		}
		return content.Translation{
			Locale: locale, Title: title, Slug: slug, Summary: summary, Body: body,
			MetaTitle: title, MetaDescription: summary, ReadingMinutes: ReadingMinutes(body),
			CreatedAt: stamp, UpdatedAt: stamp,
		}
	}

	// The fixture: a real news item of 19 February 2021.
	fxTime := time.Date(2021, 2, 19, 10, 0, 0, 0, time.UTC)
	fx := article(item{cat: catInternational, tags: []int{tagUN, tagLegalAid}, featured: true}, content.Published, &fxTime, 310, fxTime)
	fx.Translations = []content.Translation{
		translation("az", fixtureAZ.title, FixtureSlugAZ, fixtureAZ.summary, paragraphs(fixtureAZ.body...), fxTime),
		translation("en", fixtureEN.title, FixtureSlugEN, fixtureEN.summary, paragraphs(fixtureEN.body...), fxTime),
		translation("ru", fixtureRU.title, FixtureSlugRU, fixtureRU.summary, "", fxTime),
	}
	d.articles = append(d.articles, fx)

	for i, it := range items {
		day, err := time.Parse(time.DateOnly, it.date)
		if err != nil {
			return dataset{}, fmt.Errorf("demo: item %d: %w", i, err)
		}
		at := day.Add(time.Duration(9+i%8)*time.Hour + time.Duration(i*7%60)*time.Minute)
		// Deterministic, varied read counts; older and featured items read more.
		reads := int64(20 + (i*7919+1237)%2900 + (len(items)-i)*40)
		if it.featured {
			reads += 600
		}
		a := article(it, content.Published, &at, reads, at)
		for j, loc := range Locales {
			tx := it.tx[j]
			if tx.title == "" {
				continue
			}
			ps := []string{tx.lead, themes[it.theme][j]}
			if it.theme != themeHotline && it.theme != themeChildren && it.theme != themeComplaints && i%2 == 0 {
				ps = append(ps, closing[j])
			}
			a.Translations = append(a.Translations, translation(loc, tx.title, "", tx.lead, paragraphs(ps...), at))
		}
		d.articles = append(d.articles, a)
	}

	// Not public: a draft and an article scheduled 30 days ahead.
	scheduledAt := now.Add(30 * 24 * time.Hour)
	for _, h := range []struct {
		it     item
		status content.Status
		at     *time.Time
	}{{draftItem, content.Draft, nil}, {scheduledItem, content.Scheduled, &scheduledAt}} {
		a := article(h.it, h.status, h.at, 0, now)
		for j, loc := range Locales {
			if tx := h.it.tx[j]; tx.title != "" {
				a.Translations = append(a.Translations, translation(loc, tx.title, "", tx.lead, paragraphs(tx.lead, themes[h.it.theme][j]), now))
			}
		}
		d.articles = append(d.articles, a)
	}

	for j, loc := range Locales {
		d.settings = append(d.settings, content.Setting{Key: "site_name", Locale: loc, Value: siteName[j], UpdatedAt: now})
	}
	d.settings = append(d.settings, content.Setting{Key: "call_center", Locale: "", Value: callCenter, UpdatedAt: now})

	if b.err != nil {
		return dataset{}, b.err
	}
	return d, nil
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// paragraphs renders plain-text paragraphs as HTML <p> elements.
func paragraphs(ps ...string) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString("<p>")
		sb.WriteString(htmlEscaper.Replace(p))
		sb.WriteString("</p>")
	}
	return sb.String()
}

// ReadingMinutes is content.ReadingMinutes, the rule every write uses.
func ReadingMinutes(body string) int { return content.ReadingMinutes(body) }

// maxSlug bounds slug length (content.MaxSlugLen).
const maxSlug = content.MaxSlugLen

// Slugify is content.Slugify: the demo's slugs are made as an editor's would be.
func Slugify(s string) string { return content.Slugify(s) }
