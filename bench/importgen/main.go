// Command importgen writes a synthetic archive for `herald import` (docs/import.md): N
// published articles in three locales, with a category and tags by slug, read counts and
// an old URL each, so import speed can be measured on a realistic file:
//
//	go run ./bench/importgen -n 100000 > /tmp/archive.ndjson
//	time herald import --quiet-events /tmp/archive.ndjson
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

type translation struct {
	Title   string `json:"title"`
	Slug    string `json:"slug"`
	Summary string `json:"summary"`
	Body    string `json:"body"`
}

type termTr struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type term struct {
	Translations map[string]termTr `json:"translations"`
}

type line struct {
	ExternalID   string                 `json:"external_id"`
	Status       string                 `json:"status"`
	PublishedAt  string                 `json:"published_at"`
	Byline       string                 `json:"byline"`
	Translations map[string]translation `json:"translations"`
	Category     term                   `json:"category"`
	Tags         []term                 `json:"tags"`
	ReadCount    int64                  `json:"read_count"`
	OldURLs      map[string][]string    `json:"old_urls"`
}

var words = strings.Fields(`ombudsman human rights commissioner report meeting conference
citizens appeal call center protection children education law court region visit monitoring
international cooperation office training seminar program plan discussion prospects future`)

func main() {
	n := flag.Int("n", 100000, "articles")
	bodyBytes := flag.Int("body-bytes", 2000, "approximate body size per translation")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 2))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	locales := []string{"az", "en", "ru"}
	start := time.Date(2010, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range *n {
		l := line{ExternalID: fmt.Sprintf("legacy-%07d", i), Status: "published",
			PublishedAt: start.Add(time.Duration(i) * 37 * time.Minute).Format(time.RFC3339),
			Byline:      "Press service", Translations: map[string]translation{}, ReadCount: rng.Int64N(5000),
			OldURLs: map[string][]string{"en": {fmt.Sprintf("https://old.example/en/news/%d", i)}}}
		for _, loc := range locales {
			title := sentence(rng, 8)
			l.Translations[loc] = translation{Title: title, Slug: fmt.Sprintf("%s-%s-%d", loc, slugOf(title, 5), i),
				Summary: sentence(rng, 20), Body: body(rng, *bodyBytes)}
		}
		c := rng.IntN(10)
		l.Category = term{Translations: map[string]termTr{"en": {Slug: fmt.Sprintf("section-%d", c), Name: fmt.Sprintf("Section %d", c)}}}
		for range 2 {
			t := rng.IntN(50)
			tg := term{Translations: map[string]termTr{"en": {Slug: fmt.Sprintf("topic-%d", t), Name: fmt.Sprintf("Topic %d", t)}}}
			if len(l.Tags) == 0 || l.Tags[0].Translations["en"].Slug != tg.Translations["en"].Slug {
				l.Tags = append(l.Tags, tg)
			}
		}
		if err := enc.Encode(l); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func sentence(rng *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[rng.IntN(len(words))]
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func slugOf(s string, n int) string {
	ws := strings.Fields(strings.ToLower(s))
	return strings.Join(ws[:min(n, len(ws))], "-")
}

func body(rng *rand.Rand, size int) string {
	var b strings.Builder
	for b.Len() < size {
		b.WriteString("<p>" + sentence(rng, 40) + ".</p>")
	}
	return b.String()
}
