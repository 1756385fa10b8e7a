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
	// Vocabulary, when set, mixes that many made-up words per locale into the text, a
	// quarter of all words, drawn with Zipf frequencies like a real archive's, so full-text
	// search meets rare and common words (#14). 0 keeps the 35-word vocabulary alone.
	Vocabulary int
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

	var vocab map[string]*zipfWords
	if opts.Vocabulary > 0 {
		vocab = map[string]*zipfWords{}
		for _, l := range Locales {
			vocab[l] = newZipfWords(rng, l, opts.Vocabulary)
		}
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
			words := wordSource(rng, synthWords[l], vocab[l])
			title := sentenceOf(words, 6+rng.IntN(6))
			body := synthBodyOf(rng, words, opts.BodyBytes)
			a.Translations = append(a.Translations, content.Translation{
				Locale: l, Title: title, Slug: fmt.Sprintf("%s-%s-%d", Slugify(title), run, n+1),
				Summary: sentenceOf(words, 20), Body: body, ReadingMinutes: ReadingMinutes(body),
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

func sentenceOf(next func() string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		w := next()
		if i == 0 {
			w = capitalize(w)
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func synthBodyOf(rng *rand.Rand, next func() string, size int) string {
	var b strings.Builder
	b.Grow(size + 200)
	for b.Len() < size {
		b.WriteString("<p>")
		b.WriteString(sentenceOf(next, 40+rng.IntN(30)))
		b.WriteString(".</p>")
	}
	return b.String()
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// wordSource draws from words, and with a vocabulary one word in four from it.
func wordSource(rng *rand.Rand, words []string, z *zipfWords) func() string {
	return func() string {
		if z != nil && rng.IntN(4) == 0 {
			return z.words[z.zipf.Uint64()]
		}
		return words[rng.IntN(len(words))]
	}
}

// zipfWords are made-up words of a locale's letters, the i-th drawn with frequency ∝ 1/i^1.1.
type zipfWords struct {
	words []string
	zipf  *rand.Zipf
}

var syllables = map[string][]string{
	"az": strings.Fields("ba bə ca çə da də ga gə ha xə ka kə la lə ma mə na nə pa qə ra rə sa şə ta tə va və ya yə za zı ğı öz üz"),
	"en": strings.Fields("ba be ca co da de fa fo ga go ha he ka ko la le ma mo na ne pa po ra re sa so ta te va ve wa we ya zo"),
	"ru": strings.Fields("ба бе ва ве га ге да де жа за зе ка ке ла ле ма ме на не па пе ра ре са се та те фа ха ца че ша ща ёл юн"),
}

// ZipfWord is the i-th made-up word of locale: what a benchmark queries for.
func ZipfWord(locale string, i int) string {
	syl := syllables[locale]
	if len(syl) == 0 {
		syl = syllables["en"]
	}
	var b strings.Builder
	n := i + len(syl) // at least two syllables
	for n > 0 {
		b.WriteString(syl[n%len(syl)])
		n /= len(syl)
	}
	return b.String()
}

func newZipfWords(rng *rand.Rand, locale string, n int) *zipfWords {
	z := &zipfWords{words: make([]string, n), zipf: rand.NewZipf(rng, 1.1, 1, uint64(n-1))}
	for i := range z.words {
		z.words[i] = ZipfWord(locale, i)
	}
	return z
}
