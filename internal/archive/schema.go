// Package archive brings a newsroom's archive into Herald and takes everything out again:
// NDJSON, one article per line (docs/import.md, docs/import.schema.json). An import goes
// through the domain services, so each article is written like an editor's save (audit
// entry, change row, revision, cache invalidation, webhooks unless quiet), atomically and
// idempotently by the archive's external id; a bad line is reported and skipped. An export
// writes the same lines, and the media files they name, so an export imports into an empty
// Herald as the same site. The package composes the content, media and views domains, as
// api does; it knows nothing of HTTP or SQL.
package archive

import (
	"encoding/json"
	"time"
)

// Line is one article of an archive, as NDJSON carries it.
type Line struct {
	// ExternalID is the article's id in the archive: importing it again updates it.
	ExternalID string `json:"external_id"`
	// ID is the Herald id a new article gets (exports carry it; optional).
	ID          string `json:"id,omitempty"`
	Status      string `json:"status"`
	PublishedAt string `json:"published_at,omitempty"`
	// FirstPublishedAt is when the article first became public (default: published_at).
	FirstPublishedAt string                     `json:"first_published_at,omitempty"`
	CreatedAt        string                     `json:"created_at,omitempty"`
	UpdatedAt        string                     `json:"updated_at,omitempty"`
	Featured         bool                       `json:"featured,omitempty"`
	Byline           string                     `json:"byline,omitempty"`
	Translations     map[string]LineTranslation `json:"translations"`
	Category         *Term                      `json:"category,omitempty"`
	Tags             []Term                     `json:"tags,omitempty"`
	Cover            *Image                     `json:"cover,omitempty"`
	Gallery          []Image                    `json:"gallery,omitempty"`
	ReadCount        *int64                     `json:"read_count,omitempty"`
	// DailyReads are reads per UTC day ("2021-02-19": 120).
	DailyReads map[string]int64 `json:"daily_reads,omitempty"`
	// OldURLs are the article's URLs on the old site, per locale: each answers with a
	// redirect to the translation in that locale (see docs/import.md).
	OldURLs map[string][]string `json:"old_urls,omitempty"`
	// Revisions is the history an export with --revisions writes; imports ignore it.
	Revisions []json.RawMessage `json:"revisions,omitempty"`
}

// LineTranslation is an article's text in one locale.
type LineTranslation struct {
	Title   string `json:"title"`
	Slug    string `json:"slug,omitempty"`
	Summary string `json:"summary,omitempty"`
	// Body is HTML (or Markdown with body_format "markdown"), sanitised as an editor's is.
	Body            string `json:"body,omitempty"`
	BodyFormat      string `json:"body_format,omitempty"`
	MetaTitle       string `json:"meta_title,omitempty"`
	MetaDescription string `json:"meta_description,omitempty"`
}

// Term is a category or tag named by its slugs; one missing is created with these
// translations.
type Term struct {
	// ID is the Herald id a new term gets (exports carry it; optional).
	ID string `json:"id,omitempty"`
	// Position orders categories (categories only).
	Position     int                        `json:"position,omitempty"`
	Translations map[string]TermTranslation `json:"translations"`
}

// TermTranslation is a term's name and slug in one locale.
type TermTranslation struct {
	Slug        string `json:"slug"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// Image is a cover or gallery image: a file relative to the media directory, with its
// texts per locale.
type Image struct {
	File  string                `json:"file"`
	Texts map[string]ImageTexts `json:"texts,omitempty"`
}

// ImageTexts are an image's texts in one locale.
type ImageTexts struct {
	Alt     string `json:"alt,omitempty"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit,omitempty"`
}

// Revision is one saved version of an article in an export with --revisions.
type Revision struct {
	Version      int                        `json:"version"`
	CreatedAt    string                     `json:"created_at"`
	Status       string                     `json:"status"`
	PublishedAt  string                     `json:"published_at,omitempty"`
	Translations map[string]LineTranslation `json:"translations"`
}

// Limits of an import.
const (
	// DefaultMaxLineBytes bounds one line: three translations at the body limit fit.
	DefaultMaxLineBytes = 8 << 20
	// MaxTranslations bounds the translations of one line.
	MaxTranslations = 20
	// MaxTerms bounds the tags of one line.
	MaxTerms = 50
	// MaxImages bounds the gallery of one line.
	MaxImages = 100
	// DefaultBatchSize is how many articles share a transaction by default (see
	// Options.BatchSize and docs/import.md for the measurements).
	DefaultBatchSize = 100
)

// timeFormats are the accepted date formats: RFC 3339, or a day (midnight UTC).
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
