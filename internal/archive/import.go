package archive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/views"
)

// Services are the domains an import writes through, and the write seam they share.
type Services struct {
	Content *content.Service
	// Media stores cover and gallery images; nil refuses lines that carry images.
	Media   *media.Service
	Views   *views.Service
	Changes *changes.Log
	// Locales are the site's locales, in order.
	Locales []string
}

// Options say how an import runs.
type Options struct {
	// MediaDir is the directory image files are relative to ("" refuses lines with images).
	MediaDir string
	// DryRun checks every line, in a transaction rolled back at its end: nothing is written.
	// Image files are read and checked, not stored.
	DryRun bool
	// QuietEvents keeps webhooks from hearing of the import (changes.WithQuietEvents).
	QuietEvents bool
	// MaxLineBytes bounds a line (0: DefaultMaxLineBytes).
	MaxLineBytes int
	// Total is the number of lines, when known, for the ETA.
	Total int
	// Progress is called about once a second, and at the end.
	Progress func(Progress)
	// MaxReports bounds the line reports kept in the summary (0: all); counts stay exact.
	MaxReports int
	// BatchSize is how many lines share a transaction (each under its own savepoint, so
	// still atomic): fewer commits, each waiting for the disk. 0 or 1: one per line.
	BatchSize int
}

// Progress is how far an import is.
type Progress struct {
	Done, Total int // Total is 0 when unknown
	Elapsed     time.Duration
	PerSecond   float64
	// ETA is the estimated time left; 0 when the total is unknown.
	ETA time.Duration
	Summary
}

// Summary counts what an import did, with a report of each failed or warned line.
type Summary struct {
	Lines     int `json:"lines"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
	// Reports are the failed lines and the lines that landed with a warning, in order.
	Reports []Report `json:"reports"`
}

// Report is what went wrong with one line (Failed) or what an import changed in it.
type Report struct {
	Line       int      `json:"line"`
	ExternalID string   `json:"external_id,omitempty"`
	Failed     bool     `json:"failed"`
	Errors     []string `json:"errors,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
}

// Importer runs imports over Services.
type Importer struct{ s Services }

// run is the state of one Run: the slugs a dry run has seen, and the terms found or
// created, by kind, locale and slug (an archive names the same few sections thousands of
// times; looking each up every time costs a fifth of an import's statements).
type run struct {
	o     Options
	slugs map[string]int
	terms map[string]uuid.UUID
	// pending are the terms the current line created, batched those of the lines of the
	// current batch: known to later lines once they commit.
	pending, batched map[string]uuid.UUID
}

// NewImporter returns an Importer over s.
func NewImporter(s Services) *Importer { return &Importer{s: s} }

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// editor is the actor of imports: editors' rights, no user (the system, or the admin in
// the context's audit actor).
var editor = content.Actor{Editor: true}

// Run imports every line of r. A bad line is reported and skipped; the error is only for
// what stops the whole run (reading r, a cancelled ctx, the database gone).
func (im *Importer) Run(ctx context.Context, r io.Reader, o Options) (Summary, error) {
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = DefaultMaxLineBytes
	}
	if o.QuietEvents {
		ctx = changes.WithQuietEvents(ctx)
	}
	var sum Summary
	start := time.Now()
	last := start
	report := func(final bool) {
		if o.Progress == nil || (!final && time.Since(last) < time.Second) {
			return
		}
		last = time.Now()
		p := Progress{Done: sum.Lines, Total: o.Total, Elapsed: time.Since(start), Summary: sum}
		if s := p.Elapsed.Seconds(); s > 0 {
			p.PerSecond = float64(sum.Lines) / s
		}
		if p.Total > p.Done && p.PerSecond > 0 {
			p.ETA = time.Duration(float64(p.Total-p.Done) / p.PerSecond * float64(time.Second))
		}
		o.Progress(p)
	}
	rn := &run{o: o, terms: map[string]uuid.UUID{}, pending: map[string]uuid.UUID{}, batched: map[string]uuid.UUID{}}
	if o.DryRun {
		// A dry run rolls its lines back, so lines cannot see each other's slugs in the
		// database: it remembers them here.
		rn.slugs = map[string]int{}
	}
	var batch []pendingLine
	size := 0
	flush := func() error {
		results, err := im.runBatch(ctx, rn, batch)
		for _, res := range results {
			sum.add(res, o.MaxReports)
		}
		batch, size = batch[:0], 0
		report(false)
		return err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		line, tooLong, err := readLine(br, o.MaxLineBytes)
		if err != nil && err != io.EOF {
			return sum, fmt.Errorf("read line %d: %w", n, err)
		}
		if len(bytes.TrimSpace(line)) > 0 || tooLong { // blank lines are allowed, not counted
			batch = append(batch, pendingLine{n: n, raw: line, tooLong: tooLong})
			size += len(line)
		}
		if len(batch) > 0 && (len(batch) >= max(o.BatchSize, 1) || size > maxBatchBytes || err == io.EOF) {
			if ferr := flush(); ferr != nil {
				return sum, ferr
			}
		}
		if err == io.EOF {
			break
		}
	}
	report(true)
	return sum, nil
}

// maxBatchBytes bounds the lines one transaction holds in memory.
const maxBatchBytes = 32 << 20

// pendingLine is a line read and not yet imported.
type pendingLine struct {
	n       int
	raw     []byte
	tooLong bool
	// l is the decoded line, or err why it is not one.
	l   Line
	err error
	// savepoint: import it under a savepoint even when it looks unwritten.
	savepoint bool
}

// result is what importing one line did.
type result struct {
	rep     Report
	outcome content.ImportOutcome
}

// add counts res in the summary.
func (s *Summary) add(res result, maxReports int) {
	s.Lines++
	switch {
	case res.rep.Failed:
		s.Failed++
	case res.outcome == content.ImportCreated:
		s.Created++
	case res.outcome == content.ImportUpdated:
		s.Updated++
	default:
		s.Unchanged++
	}
	if (res.rep.Failed || len(res.rep.Warnings) > 0) && (maxReports <= 0 || len(s.Reports) < maxReports) {
		s.Reports = append(s.Reports, res.rep)
	}
}

// runBatch imports lines: alone, each in its transaction, or several in one transaction,
// each under a savepoint so that a failed line is rolled back alone (still atomic) and the
// others commit together. When the batch's own commit fails, its lines are imported again
// one by one. The error is what stops the run.
func (im *Importer) runBatch(ctx context.Context, rn *run, lines []pendingLine) ([]result, error) {
	results := make([]result, len(lines))
	for i := range lines {
		if pl := &lines[i]; !pl.tooLong {
			pl.l, pl.err = decodeLine(pl.raw)
		}
	}
	one := func(ctx context.Context, i int, inBatch bool) error {
		pl := lines[i]
		res := result{rep: Report{Line: pl.n}}
		if pl.tooLong {
			res.rep.Errors = []string{fmt.Sprintf("the line is longer than %d bytes", rn.o.MaxLineBytes)}
		} else {
			outcome, err := im.importLine(ctx, pl, rn, &res.rep, inBatch)
			if err != nil {
				var fe *flushError
				if isFatal(ctx, err) || errors.As(err, &fe) {
					return fmt.Errorf("line %d: %w", pl.n, err)
				}
				res.rep.Errors = append(res.rep.Errors, problems(err)...)
			}
			res.outcome = outcome
		}
		res.rep.Failed = len(res.rep.Errors) > 0
		results[i] = res
		return nil
	}
	alone := func() ([]result, error) {
		for i := range lines {
			if err := one(ctx, i, false); err != nil {
				return results[:i], err
			}
		}
		return results, nil
	}
	if len(lines) == 1 {
		return alone()
	}
	err := im.s.Changes.Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		// The batch's new articles are checked together and inserted together at its end
		// (content.ImportBatch); a failed flush fails the transaction, and the lines are
		// imported again one by one below.
		b := content.NewImportBatch()
		ctx = content.WithImportBatch(ctx, b)
		if err := im.prefetch(ctx, b, lines); err != nil {
			return err
		}
		for i := range lines {
			if err := one(ctx, i, true); err != nil {
				return err
			}
		}
		if err := im.s.Content.FlushImports(ctx, b); err != nil {
			return err
		}
		if rn.o.DryRun {
			return errDryRun
		}
		return nil
	})
	switch {
	case err == nil || errors.Is(err, errDryRun):
		rn.settleBatch(true)
		return results, nil
	case isFatal(ctx, err):
		return nil, err
	}
	rn.settleBatch(false)
	return alone()
}

// readLine reads one line without its newline; a line over max is skipped to its end and
// reported as tooLong.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		return line, tooLong, err
	}
}

// isFatal reports whether err stops the run rather than failing one line: a cancelled
// context, the database gone, or the media storage full.
func isFatal(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	c := errs.CodeOf(err)
	return c == errs.Unavailable || c == errs.StorageFull
}

// flushError is a failed insert of a batch's kept articles: it fails the batch's
// transaction, whose lines are imported again one by one.
type flushError struct{ err error }

func (e *flushError) Error() string { return e.err.Error() }
func (e *flushError) Unwrap() error { return e.err }

// lineError is a problem of the line itself, found before writing.
type lineError struct{ msgs []string }

func (e *lineError) Error() string { return strings.Join(e.msgs, "; ") }

// problems turns an error into the messages of a line report, one per field.
func problems(err error) []string {
	var le *lineError
	if errors.As(err, &le) {
		return le.msgs
	}
	if fs := errs.FieldsOf(err); len(fs) > 0 {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = f.Field + ": " + f.Message
		}
		return out
	}
	if msg := errs.MessageOf(err); msg != "" {
		return []string{msg}
	}
	return []string{err.Error()} // the operator's own run: the text helps more than it leaks
}

// scriptTag is what hidesScript matches.
var scriptTag = regexp.MustCompile(`(?i)<\s*(script|style|object|embed)\b|\son[a-z]+\s*=`)

// hidesScript reports whether body holds what the body sanitiser removes that a reader
// would miss: scripts, styles, embedded objects and inline event handlers. It matches
// what the regular expression `(?i)<\s*(script|style|object|embed)\b|\son[a-z]+\s*=`
// does (TestHidesScript), in one pass: the expression's backtracking took 6% of an
// import's CPU time.
func hidesScript(body string) bool {
	if strings.ContainsRune(body, '\u017f') || strings.ContainsRune(body, '\u212a') {
		// ſ and the Kelvin sign fold to s and k: the expression's case-insensitive match
		// finds "<ſcript"; the byte scanner below knows ASCII only.
		return scriptTag.MatchString(body)
	}
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '<':
			j := skipSpace(body, i+1)
			for _, kw := range []string{"script", "style", "object", "embed"} {
				if len(body)-j >= len(kw) && strings.EqualFold(body[j:j+len(kw)], kw) &&
					(j+len(kw) == len(body) || !isWordByte(body[j+len(kw)])) {
					return true
				}
			}
		case isSpace(c) && i+2 < len(body) && (body[i+1]|0x20) == 'o' && (body[i+2]|0x20) == 'n':
			j := i + 3
			for j < len(body) && isLetter(body[j]) {
				j++
			}
			if j > i+3 {
				if k := skipSpace(body, j); k < len(body) && body[k] == '=' {
					return true
				}
			}
		}
	}
	return false
}

// isSpace is RE2's \s.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isWordByte is RE2's \w, for \b.
func isWordByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '_' }

// decodeLine decodes one line.
func decodeLine(raw []byte) (Line, error) {
	var l Line
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return l, &lineError{[]string{"invalid JSON: " + err.Error()}}
	}
	if dec.More() {
		return l, &lineError{[]string{"invalid JSON: more than one value on the line"}}
	}
	return l, nil
}

// prefetch looks up the batch's external ids and explicit article slugs, one statement
// each.
func (im *Importer) prefetch(ctx context.Context, b *content.ImportBatch, lines []pendingLine) error {
	var exts []string
	var slugs []content.FormerSlug
	for _, pl := range lines {
		if pl.tooLong || pl.err != nil {
			continue
		}
		exts = append(exts, strings.TrimSpace(pl.l.ExternalID))
		for loc, t := range pl.l.Translations {
			if t.Slug != "" {
				slugs = append(slugs, content.FormerSlug{Locale: loc, Slug: t.Slug})
			}
		}
	}
	return im.s.Content.Prefetch(ctx, b, exts, slugs)
}

// unwritten reports whether a line of a batch can be imported without a savepoint: it
// creates its article (kept for the batch's flush), with terms the run knows, no images
// and no daily counts, so it writes no rows of its own.
func (rn *run) unwritten(ctx context.Context, l Line) bool {
	b := content.ImportBatchOf(ctx)
	if b == nil || !b.Creates(strings.TrimSpace(l.ExternalID)) || l.Cover != nil || len(l.Gallery) > 0 || len(l.DailyReads) > 0 {
		return false
	}
	for _, t := range l.Translations {
		if t.Slug == "" {
			return false
		}
	}
	terms := l.Tags
	if l.Category != nil {
		terms = append(terms[:len(terms):len(terms)], *l.Category)
	}
	for i, t := range terms {
		kind := "tag"
		if l.Category != nil && i == len(terms)-1 {
			kind = "category"
		}
		if !rn.known(kind, t) {
			return false
		}
	}
	return true
}

// known reports whether the run found or made the term t already.
func (rn *run) known(kind string, t Term) bool {
	for loc, tr := range t.Translations {
		if tr.Slug == "" {
			continue
		}
		k := kind + "/" + loc + "/" + tr.Slug
		if _, ok := rn.terms[k]; ok {
			return true
		}
		if _, ok := rn.batched[k]; ok {
			return true
		}
	}
	return false
}

// importLine imports one line in one transaction: its terms, images, article and counts.
func (im *Importer) importLine(ctx context.Context, pl pendingLine, rn *run, rep *Report, inBatch bool) (content.ImportOutcome, error) {
	o, slugs := rn.o, rn.slugs
	l := pl.l
	if pl.err != nil {
		return "", pl.err
	}
	rep.ExternalID = l.ExternalID
	in, counts, le := im.convert(l)
	if le != nil {
		return "", le
	}
	if slugs != nil {
		var dup []string
		for _, t := range in.Translations {
			key := t.Locale + "/" + t.Slug
			if n, ok := slugs[key]; ok && t.Slug != "" {
				dup = append(dup, fmt.Sprintf("translations.%s.slug: %q is also the slug of line %d", t.Locale, t.Slug, n))
			}
		}
		if len(dup) > 0 {
			return "", &lineError{dup}
		}
		defer func() {
			for _, t := range in.Translations {
				if _, ok := slugs[t.Locale+"/"+t.Slug]; !ok && t.Slug != "" {
					slugs[t.Locale+"/"+t.Slug] = rep.Line
				}
			}
		}()
	}
	for _, loc := range sortedKeys(l.Translations) {
		if hidesScript(l.Translations[loc].Body) {
			rep.Warnings = append(rep.Warnings, "translations."+loc+".body: scripts, styles, embedded objects or event handlers were removed (bodies are sanitised as an editor's are)")
		}
	}
	var outcome content.ImportOutcome
	write := im.s.Changes.Write
	b := content.ImportBatchOf(ctx)
	var mark content.Mark
	if inBatch {
		if b.Keeps(strings.TrimSpace(l.ExternalID)) {
			// An earlier line of the batch created this article, not inserted yet.
			if err := im.s.Content.FlushImports(ctx, b); err != nil {
				return "", &flushError{err}
			}
		}
		write = im.s.Changes.Atomic
		mark = b.Mark()
		b.SetDirect(len(counts.days) > 0) // they need the article's row
		if !pl.savepoint && rn.unwritten(ctx, l) {
			write = im.s.Changes.Unwritten
			b.SetStrict(true)
		}
	}
	err := write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		termsCreated := false
		var err error
		if l.Category != nil {
			id, created, err := im.category(ctx, rn, *l.Category)
			if err != nil {
				return err
			}
			in.CategoryID, termsCreated = &id, created
		}
		for i, t := range l.Tags {
			id, created, err := im.tag(ctx, rn, i, t)
			if err != nil {
				return err
			}
			in.TagIDs = append(in.TagIDs, id)
			termsCreated = termsCreated || created
		}
		var current content.Article // the article as it is, when images may be kept
		if l.Cover != nil || len(l.Gallery) > 0 {
			rec, err := im.s.Content.ImportRecord(ctx, in.ExternalID)
			if err == nil {
				if current, err = im.s.Content.ArticleForExport(ctx, rec.ArticleID); err != nil {
					return err
				}
			} else if !errors.Is(err, content.ErrNotFound) {
				return err
			}
		}
		mediaChanged := false
		if l.Cover != nil {
			var keep *uuid.UUID
			if current.CoverMediaID != nil {
				keep = current.CoverMediaID
			}
			id, stored, err := im.image(ctx, o, "cover", *l.Cover, keep)
			if err != nil {
				return err
			}
			mediaChanged = mediaChanged || stored
			if id != uuid.Nil {
				in.CoverMediaID = &id
			}
		}
		for i, img := range l.Gallery {
			var keep *uuid.UUID
			if i < len(current.GalleryMediaIDs) {
				keep = &current.GalleryMediaIDs[i]
			}
			id, stored, err := im.image(ctx, o, fmt.Sprintf("gallery[%d]", i), img, keep)
			if err != nil {
				return err
			}
			mediaChanged = mediaChanged || stored
			if id != uuid.Nil {
				in.GalleryMediaIDs = append(in.GalleryMediaIDs, id)
			}
		}
		a, oc, err := im.s.Content.ImportArticle(ctx, editor, in)
		if err != nil {
			return err
		}
		countsChanged := false
		if oc != content.ImportCreated || len(counts.days) > 0 { // a new article has its total
			if countsChanged, err = im.s.Views.ImportCounts(ctx, a.ID, counts.total, counts.days); err != nil {
				return err
			}
		}
		outcome = oc
		if oc == content.ImportUnchanged && (termsCreated || mediaChanged || countsChanged) {
			outcome = content.ImportUpdated
		}
		if o.DryRun && !inBatch {
			return errDryRun
		}
		return nil
	})
	if b != nil {
		b.SetStrict(false)
		b.SetDirect(false)
		if err != nil && !errors.Is(err, errDryRun) {
			b.Rollback(mark)
		}
		if errors.Is(err, content.ErrImportWrites) { // nothing written: again, under a savepoint
			rn.settle(false, inBatch)
			rep.Warnings, pl.savepoint = nil, true
			return im.importLine(ctx, pl, rn, rep, inBatch)
		}
	}
	if errors.Is(err, errDryRun) {
		err = nil
	}
	rn.settle(err == nil, inBatch)
	return outcome, err
}

// counts are a line's read counts.
type counts struct {
	total *int64
	days  []views.DayCount
}

// convert checks what a line says without the database and turns it into the article.
func (im *Importer) convert(l Line) (content.ImportedArticle, counts, *lineError) {
	var msgs []string
	bad := func(field, msg string) { msgs = append(msgs, field+": "+msg) }
	in := content.ImportedArticle{ExternalID: l.ExternalID, Status: content.Status(l.Status), Featured: l.Featured, Byline: l.Byline}
	if l.ID != "" {
		id, err := uuid.Parse(l.ID)
		if err != nil {
			bad("id", "must be a UUID")
		}
		in.ID = id
	}
	if l.Status == "" {
		in.Status = content.Published
	}
	for _, f := range []struct {
		name string
		v    string
		dst  **time.Time
	}{{"published_at", l.PublishedAt, &in.PublishedAt}, {"first_published_at", l.FirstPublishedAt, &in.FirstPublishedAt}, {"created_at", l.CreatedAt, &in.CreatedAt}, {"updated_at", l.UpdatedAt, &in.UpdatedAt}} {
		if f.v == "" {
			continue
		}
		t, ok := parseTime(f.v)
		if !ok {
			bad(f.name, fmt.Sprintf("%q is not an RFC 3339 time (2021-02-19T09:30:00Z) or a day (2021-02-19)", f.v))
			continue
		}
		*f.dst = &t
	}
	if len(l.Translations) > MaxTranslations {
		return in, counts{}, &lineError{[]string{fmt.Sprintf("translations: must have at most %d locales", MaxTranslations)}}
	}
	known := map[string]bool{}
	for _, loc := range im.s.Locales {
		known[loc] = true
	}
	for _, loc := range im.orderLocales(sortedKeys(l.Translations)) {
		if !known[loc] {
			bad("translations."+loc, "is not one of the site's locales: "+strings.Join(im.s.Locales, ", "))
			continue
		}
		t := l.Translations[loc]
		in.Translations = append(in.Translations, content.TranslationInput{Locale: loc, Title: t.Title, Slug: t.Slug,
			Summary: t.Summary, Body: t.Body, BodyFormat: content.BodyFormat(t.BodyFormat), MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription})
	}
	if len(l.Tags) > MaxTerms {
		bad("tags", fmt.Sprintf("must have at most %d tags", MaxTerms))
	}
	if len(l.Gallery) > MaxImages {
		bad("gallery", fmt.Sprintf("must have at most %d images", MaxImages))
	}
	for _, loc := range sortedKeys(l.OldURLs) {
		for i, u := range l.OldURLs[loc] {
			slug, ok := oldSlug(u)
			if !ok {
				bad(fmt.Sprintf("old_urls.%s[%d]", loc, i), fmt.Sprintf("%q is neither a URL with a path nor a slug", u))
				continue
			}
			in.OldSlugs = append(in.OldSlugs, content.FormerSlug{Locale: loc, Slug: slug})
		}
	}
	var c counts
	if l.ReadCount != nil {
		c.total = l.ReadCount
		in.ReadCount = *l.ReadCount
	}
	for _, d := range sortedKeys(l.DailyReads) {
		day, err := time.Parse("2006-01-02", d)
		if err != nil {
			bad("daily_reads."+d, "is not a day (2021-02-19)")
			continue
		}
		c.days = append(c.days, views.DayCount{Day: day, Count: l.DailyReads[d]})
	}
	if len(msgs) > 0 {
		return in, c, &lineError{msgs}
	}
	return in, c, nil
}

// oldSlug is what an old URL becomes in Herald's slug history: the path (with its query)
// of a URL or of an absolute path, or a bare slug as it is.
func oldSlug(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if content.ValidSlug(s) {
		return s, true
	}
	u, err := url.Parse(s)
	if err != nil || !strings.HasPrefix(u.EscapedPath(), "/") || u.EscapedPath() == "/" && u.RawQuery == "" {
		return "", false
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, true
}

// orderLocales puts the site's locales first, in the site's order.
func (im *Importer) orderLocales(ls []string) []string {
	rank := func(l string) int {
		if i := slices.Index(im.s.Locales, l); i >= 0 {
			return i
		}
		return len(im.s.Locales)
	}
	sort.SliceStable(ls, func(i, j int) bool { return rank(ls[i]) < rank(ls[j]) })
	return ls
}

// category finds the category one of t's slugs names, or creates it.
func (im *Importer) category(ctx context.Context, rn *run, t Term) (uuid.UUID, bool, error) {
	id, found, err := im.findTerm(ctx, rn, "category", t, func(slug, loc string) (uuid.UUID, []content.CategoryTranslation, error) {
		c, err := im.s.Content.Category(ctx, slug, []string{loc})
		return c.ID, c.Translations, err
	})
	if err != nil || found {
		return id, false, prefix("category", err)
	}
	in, err := im.termInput("category", t)
	if err != nil {
		return uuid.Nil, false, err
	}
	c, err := im.s.Content.ImportCategory(ctx, editor, id, t.Position, in)
	if err != nil {
		return uuid.Nil, false, prefix("category", err)
	}
	rn.remember("category", c.ID, t)
	return c.ID, true, nil
}

// tag finds the tag one of t's slugs names, or creates it.
func (im *Importer) tag(ctx context.Context, rn *run, i int, t Term) (uuid.UUID, bool, error) {
	field := fmt.Sprintf("tags[%d]", i)
	id, found, err := im.findTerm(ctx, rn, "tag", t, func(slug, loc string) (uuid.UUID, []content.CategoryTranslation, error) {
		tg, err := im.s.Content.Tag(ctx, slug, []string{loc})
		ts := make([]content.CategoryTranslation, len(tg.Translations))
		for i, tr := range tg.Translations {
			ts[i] = content.CategoryTranslation{Locale: tr.Locale, Slug: tr.Slug}
		}
		return tg.ID, ts, err
	})
	if err != nil || found {
		return id, false, prefix(field, err)
	}
	in, err := im.termInput(field, t)
	if err != nil {
		return uuid.Nil, false, err
	}
	tg, err := im.s.Content.ImportTag(ctx, editor, id, in)
	if err != nil {
		return uuid.Nil, false, prefix(field, err)
	}
	rn.remember("tag", tg.ID, t)
	return tg.ID, true, nil
}

// findTerm looks the term up by each of its slugs in its locale; when none matches, it
// returns the id to create it with (t.ID, or uuid.Nil).
func (im *Importer) findTerm(ctx context.Context, rn *run, kind string, t Term, find func(slug, loc string) (uuid.UUID, []content.CategoryTranslation, error)) (uuid.UUID, bool, error) {
	for _, loc := range im.orderLocales(sortedKeys(t.Translations)) {
		slug := t.Translations[loc].Slug
		if slug == "" {
			continue
		}
		if id, ok := rn.terms[kind+"/"+loc+"/"+slug]; ok {
			return id, true, nil
		}
		if id, ok := rn.pending[kind+"/"+loc+"/"+slug]; ok {
			return id, true, nil
		}
		if id, ok := rn.batched[kind+"/"+loc+"/"+slug]; ok {
			return id, true, nil
		}
		id, ts, err := find(slug, loc)
		if errors.Is(err, content.ErrNotFound) {
			continue
		} else if err != nil {
			return uuid.Nil, false, err
		}
		for _, tr := range ts {
			if tr.Locale == loc && tr.Slug == slug {
				if !rn.o.DryRun {
					rn.terms[kind+"/"+loc+"/"+slug] = id
				}
				return id, true, nil
			}
		}
	}
	var id uuid.UUID
	if t.ID != "" {
		var err error
		if id, err = uuid.Parse(t.ID); err != nil {
			return uuid.Nil, false, errs.Invalidf("id", "must be a UUID")
		}
	}
	return id, false, nil
}

// remember keeps the term a line created for the rest of the line, and for the next lines
// once it commits (settle).
func (rn *run) remember(kind string, id uuid.UUID, t Term) {
	for loc, tr := range t.Translations {
		if tr.Slug != "" {
			rn.pending[kind+"/"+loc+"/"+tr.Slug] = id
		}
	}
}

// settle keeps the terms of a line that committed (or that its batch may commit), and
// forgets those of one rolled back.
func (rn *run) settle(ok, inBatch bool) {
	for k, id := range rn.pending {
		switch {
		case ok && inBatch:
			rn.batched[k] = id
		case ok && !rn.o.DryRun:
			rn.terms[k] = id
		}
		delete(rn.pending, k)
	}
}

// settleBatch keeps the terms of a batch that committed, and forgets those of one rolled
// back.
func (rn *run) settleBatch(committed bool) {
	for k, id := range rn.batched {
		if committed && !rn.o.DryRun {
			rn.terms[k] = id
		}
		delete(rn.batched, k)
	}
}

// termInput is the translations of a term to create; each needs a name.
func (im *Importer) termInput(field string, t Term) ([]content.TermInput, error) {
	if len(t.Translations) == 0 {
		return nil, errs.Invalidf(field+".translations", "at least one translation is required")
	}
	if len(t.Translations) > MaxTranslations {
		return nil, errs.Invalidf(field+".translations", "must have at most %d locales", MaxTranslations)
	}
	var out []content.TermInput
	for _, loc := range im.orderLocales(sortedKeys(t.Translations)) {
		tr := t.Translations[loc]
		if strings.TrimSpace(tr.Name) == "" {
			return nil, errs.Invalidf(field+".translations."+loc+".name", "is required to create the missing %s %q", strings.TrimRight(field, "[0123456789]"), tr.Slug)
		}
		out = append(out, content.TermInput{Locale: loc, Name: tr.Name, Slug: tr.Slug, Description: tr.Description})
	}
	return out, nil
}

// image stores the image file, or keeps the item keep when it holds the same bytes and
// texts. In a dry run the file is read and checked, not stored, and the id is uuid.Nil.
func (im *Importer) image(ctx context.Context, o Options, field string, img Image, keep *uuid.UUID) (uuid.UUID, bool, error) {
	if im.s.Media == nil || o.MediaDir == "" {
		return uuid.Nil, false, errs.Invalidf(field+".file", "images need a media directory (herald import --media-dir DIR)")
	}
	if img.File == "" {
		return uuid.Nil, false, errs.Invalidf(field+".file", "is required")
	}
	f, err := os.OpenInRoot(o.MediaDir, img.File)
	if err != nil {
		msg := "cannot be read"
		if errors.Is(err, os.ErrNotExist) {
			msg = "no such file in the media directory"
		} else if strings.Contains(err.Error(), "escapes") || strings.Contains(err.Error(), "path") {
			msg = "must be a path inside the media directory"
		}
		return uuid.Nil, false, errs.Invalidf(field+".file", "%q: %s", img.File, msg)
	}
	defer f.Close()
	rec, err := im.s.Media.Receive(ctx, f, img.File, "")
	if err != nil {
		return uuid.Nil, false, prefix(field, err)
	}
	defer rec.Discard()
	var ts []media.Translation
	for _, loc := range im.orderLocales(sortedKeys(img.Texts)) {
		t := img.Texts[loc]
		ts = append(ts, media.Translation{Locale: loc, Alt: t.Alt, Caption: t.Caption, Credit: t.Credit})
	}
	if keep != nil {
		if m, err := im.s.Media.Get(ctx, *keep); err == nil && m.SHA256 == rec.SHA256() && sameTexts(m.Translations, ts) {
			return m.ID, false, nil
		}
	}
	if o.DryRun {
		return uuid.Nil, false, nil
	}
	m, _, err := im.s.Media.Upload(ctx, media.Actor{Editor: true}, rec, ts)
	if err != nil {
		return uuid.Nil, false, prefix(field, err)
	}
	return m.ID, true, nil
}

func sameTexts(a, b []media.Translation) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if x.Locale == y.Locale {
				found = x == media.Translation{Locale: y.Locale, Alt: strings.TrimSpace(y.Alt), Caption: strings.TrimSpace(y.Caption), Credit: strings.TrimSpace(y.Credit)}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// prefix names the field of a line an error of a nested record is about.
func prefix(field string, err error) error {
	if err == nil {
		return nil
	}
	if fs := errs.FieldsOf(err); len(fs) > 0 {
		out := make([]errs.FieldError, len(fs))
		for i, f := range fs {
			out[i] = errs.Field(field+"."+f.Field, f.Message)
		}
		return errs.InvalidFields(out...)
	}
	if c := errs.CodeOf(err); c != errs.Internal {
		return errs.Errorf(c, "%s: %s", field, errs.MessageOf(err))
	}
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
