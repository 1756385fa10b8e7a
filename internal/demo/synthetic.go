package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// BulkWriter is what the synthetic archive needs: the demo Writer plus multi-row inserts.
type BulkWriter interface {
	Writer
	CreateArticles(ctx context.Context, arts []content.Article) error
}

// SyntheticOptions shape a generated archive.
type SyntheticOptions struct {
	Articles   int   // how many articles (published, spread over ten years before Now)
	BodyBytes  int   // approximate HTML body size per translation (default 3000)
	Batch      int   // articles per transaction (default 1000)
	Seed       int64 // for a reproducible archive
	Now        time.Time
	Categories int // default 8
	Tags       int // default 40
	// Progress, if set, is called after each batch with the articles written so far.
	Progress func(done int)
}

var synthWords = map[string][]string{
	"az": strings.Fields("ombudsman hüquq insan vətəndaş müraciət şikayət məruzə görüş təlim uşaq qadın ahıl " +
		"əməkdaşlıq beynəlxalq konfrans monitorinq müəssisə region layihə tədbir qanun dövlət aparat mərkəz " +
		"ictimai maarifləndirmə müdafiə azadlıq bərabərlik təhsil səhiyyə əmək sosial müavinət pensiya"),
	"en": strings.Fields("ombudsman rights human citizen complaint petition report meeting training child women elderly " +
		"cooperation international conference monitoring institution region project event law state office centre " +
		"public awareness protection freedom equality education health labour social benefit pension"),
	"ru": strings.Fields("омбудсман право человек гражданин обращение жалоба доклад встреча тренинг ребёнок женщина " +
		"пожилой сотрудничество международный конференция мониторинг учреждение регион проект мероприятие закон " +
		"государство аппарат центр общество просвещение защита свобода равенство образование здоровье труд пенсия"),
}

// Synthetic writes a generated archive: categories, tags and opts.Articles published
// articles in az, en and ru with ~BodyBytes HTML bodies, in batches of multi-row inserts.
func Synthetic(ctx context.Context, w BulkWriter, opts SyntheticOptions) error {
	if opts.BodyBytes <= 0 {
		opts.BodyBytes = 3000
	}
	if opts.Batch <= 0 {
		opts.Batch = 1000
	}
	if opts.Categories <= 0 {
		opts.Categories = 8
	}
	if opts.Tags <= 0 {
		opts.Tags = 40
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	now := opts.Now.UTC().Truncate(time.Microsecond)
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x4e57))
	run := strconv.FormatInt(now.UnixMilli(), 36) // keeps slugs unique across seeding runs

	cats := make([]uuid.UUID, opts.Categories)
	for i := range cats {
		c := content.Category{ID: uuid.Must(uuid.NewV7()), Position: i + 1, CreatedAt: now, UpdatedAt: now}
		for _, l := range Locales {
			name := fmt.Sprintf("%s %d", capitalize(synthWords[l][i%len(synthWords[l])]), i+1)
			c.Translations = append(c.Translations, content.CategoryTranslation{Locale: l, Name: name, Slug: fmt.Sprintf("%s-%s-c%d", Slugify(name), run, i+1)})
		}
		if err := w.CreateCategory(ctx, c); err != nil {
			return fmt.Errorf("seed: category: %w", err)
		}
		cats[i] = c.ID
	}
	tags := make([]uuid.UUID, opts.Tags)
	for i := range tags {
		t := content.Tag{ID: uuid.Must(uuid.NewV7()), CreatedAt: now, UpdatedAt: now}
		for _, l := range Locales {
			name := synthWords[l][(i*7+3)%len(synthWords[l])] + " " + strconv.Itoa(i+1)
			t.Translations = append(t.Translations, content.TagTranslation{Locale: l, Name: name, Slug: fmt.Sprintf("%s-%s-t%d", Slugify(name), run, i+1)})
		}
		if err := w.CreateTag(ctx, t); err != nil {
			return fmt.Errorf("seed: tag: %w", err)
		}
		tags[i] = t.ID
	}

	span := int64(10 * 365 * 24 * time.Hour)
	batch := make([]content.Article, 0, opts.Batch)
	for n := 0; n < opts.Articles; n++ {
		published := now.Add(-time.Duration(rng.Int64N(span))).Truncate(time.Second)
		cat := cats[rng.IntN(len(cats))]
		a := content.Article{
			ID: uuid.Must(uuid.NewV7()), Status: content.Published, PublishedAt: &published,
			CategoryID: &cat, Featured: rng.IntN(20) == 0, ReadCount: rng.Int64N(20000), Version: 1,
			CreatedAt: published, UpdatedAt: published,
		}
		for k, nTags := 0, rng.IntN(4); k < nTags; k++ {
			id := tags[rng.IntN(len(tags))]
			dup := false
			for _, have := range a.TagIDs {
				dup = dup || have == id
			}
			if !dup {
				a.TagIDs = append(a.TagIDs, id)
			}
		}
		for _, l := range Locales {
			title := sentence(rng, synthWords[l], 6+rng.IntN(6))
			body := synthBody(rng, synthWords[l], opts.BodyBytes)
			a.Translations = append(a.Translations, content.Translation{
				Locale: l, Title: title, Slug: fmt.Sprintf("%s-%s-%d", Slugify(title), run, n+1),
				Summary: sentence(rng, synthWords[l], 20), Body: body, ReadingMinutes: ReadingMinutes(body),
				CreatedAt: published, UpdatedAt: published,
			})
		}
		batch = append(batch, a)
		if len(batch) == opts.Batch || n == opts.Articles-1 {
			if err := w.CreateArticles(ctx, batch); err != nil {
				return fmt.Errorf("seed: articles: %w", err)
			}
			if opts.Progress != nil {
				opts.Progress(n + 1)
			}
			batch = batch[:0]
		}
	}
	return nil
}

func sentence(rng *rand.Rand, words []string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		w := words[rng.IntN(len(words))]
		if i == 0 {
			w = capitalize(w)
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func synthBody(rng *rand.Rand, words []string, size int) string {
	var b strings.Builder
	b.Grow(size + 200)
	for b.Len() < size {
		b.WriteString("<p>")
		b.WriteString(sentence(rng, words, 40+rng.IntN(30)))
		b.WriteString(".</p>")
	}
	return b.String()
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}
