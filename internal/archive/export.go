package archive

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
)

// ExportOptions say what an export writes.
type ExportOptions struct {
	// MediaDir receives the files of covers and galleries ("" leaves images out).
	MediaDir string
	// Revisions adds every article's saved versions to its line.
	Revisions bool
	// Progress is called after each article with the number written.
	Progress func(n int)
}

// ExportSummary counts what an export wrote.
type ExportSummary struct {
	Articles int
	Files    int
	// SkippedImages counts images left out for want of a media directory.
	SkippedImages int
}

// maxExportRevisions bounds the versions of one article an export writes.
const maxExportRevisions = 1000

// Export writes every article that is not deleted as one line of w, in id order, and
// the files of its images into o.MediaDir.
func (im *Importer) Export(ctx context.Context, w io.Writer, o ExportOptions) (ExportSummary, error) {
	var sum ExportSummary
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	written := map[string]bool{}
	after := uuid.Nil
	for {
		ids, err := im.s.Content.ArticleIDsAfter(ctx, after, 500)
		if err != nil {
			return sum, err
		}
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			l, err := im.exportLine(ctx, id, o, written, &sum)
			if err != nil {
				return sum, fmt.Errorf("export article %s: %w", id, err)
			}
			if err := enc.Encode(l); err != nil {
				return sum, err
			}
			sum.Articles++
			if o.Progress != nil {
				o.Progress(sum.Articles)
			}
		}
		after = ids[len(ids)-1]
	}
	return sum, bw.Flush()
}

// exportLine is the line of one article.
func (im *Importer) exportLine(ctx context.Context, id uuid.UUID, o ExportOptions, written map[string]bool, sum *ExportSummary) (Line, error) {
	a, err := im.s.Content.ArticleForExport(ctx, id)
	if err != nil {
		return Line{}, err
	}
	l := Line{ExternalID: a.ID.String(), ID: a.ID.String(), Status: string(a.Status), Featured: a.Featured,
		CreatedAt: formatTime(a.CreatedAt), UpdatedAt: formatTime(a.UpdatedAt), Translations: map[string]LineTranslation{}}
	if rec, err := im.s.Content.ImportRecordOf(ctx, id); err == nil {
		l.ExternalID, l.Byline = rec.ExternalID, rec.Byline
	} else if !errors.Is(err, content.ErrNotFound) {
		return Line{}, err
	}
	if a.PublishedAt != nil {
		l.PublishedAt = formatTime(*a.PublishedAt)
	}
	if a.FirstPublishedAt != nil {
		l.FirstPublishedAt = formatTime(*a.FirstPublishedAt)
	}
	for _, t := range a.Translations {
		l.Translations[t.Locale] = lineTranslation(t)
	}
	if a.CategoryID != nil {
		// The article's own read of its category leaves out the position.
		c, err := im.s.Content.Category(ctx, a.CategoryID.String(), nil)
		if err != nil {
			return Line{}, err
		}
		term := Term{ID: c.ID.String(), Position: c.Position, Translations: map[string]TermTranslation{}}
		for _, t := range c.Translations {
			term.Translations[t.Locale] = TermTranslation{Slug: t.Slug, Name: t.Name, Description: t.Description}
		}
		l.Category = &term
	}
	for _, tg := range a.Tags {
		term := Term{ID: tg.ID.String(), Translations: map[string]TermTranslation{}}
		for _, t := range tg.Translations {
			term.Translations[t.Locale] = TermTranslation{Slug: t.Slug, Name: t.Name}
		}
		l.Tags = append(l.Tags, term)
	}
	images := a.GalleryMediaIDs
	if a.CoverMediaID != nil {
		images = append([]uuid.UUID{*a.CoverMediaID}, images...)
	}
	for i, mid := range images {
		if o.MediaDir == "" || im.s.Media == nil {
			sum.SkippedImages++
			continue
		}
		img, err := im.exportImage(ctx, mid, o.MediaDir, written, sum)
		if err != nil {
			return Line{}, err
		}
		if i == 0 && a.CoverMediaID != nil {
			l.Cover = &img
		} else {
			l.Gallery = append(l.Gallery, img)
		}
	}
	rc := a.ReadCount
	l.ReadCount = &rc
	days, err := im.s.Views.AllDailyViews(ctx, id)
	if err != nil {
		return Line{}, err
	}
	if len(days) > 0 {
		l.DailyReads = map[string]int64{}
		for _, d := range days {
			l.DailyReads[d.Day.Format("2006-01-02")] = d.Count
		}
	}
	formers, err := im.s.Content.FormerSlugsOf(ctx, id)
	if err != nil {
		return Line{}, err
	}
	for _, f := range formers {
		if !a.HasLocale(f.Locale) {
			continue // no translation to redirect to: the slug redirects nowhere
		}
		if l.OldURLs == nil {
			l.OldURLs = map[string][]string{}
		}
		l.OldURLs[f.Locale] = append(l.OldURLs[f.Locale], f.Slug)
	}
	if o.Revisions {
		revs, err := im.s.Content.AllRevisions(ctx, id, maxExportRevisions)
		if err != nil {
			return Line{}, err
		}
		for _, r := range revs {
			rv := Revision{Version: r.Version, CreatedAt: formatTime(r.CreatedAt), Status: string(r.Article.Status),
				Translations: map[string]LineTranslation{}}
			if r.Article.PublishedAt != nil {
				rv.PublishedAt = formatTime(*r.Article.PublishedAt)
			}
			for _, t := range r.Article.Translations {
				rv.Translations[t.Locale] = lineTranslation(t)
			}
			b, err := json.Marshal(rv)
			if err != nil {
				return Line{}, err
			}
			l.Revisions = append(l.Revisions, b)
		}
	}
	return l, nil
}

func lineTranslation(t content.Translation) LineTranslation {
	return LineTranslation{Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
		MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription}
}

// exportImage writes an item's original into dir once, named by its content hash, and
// returns the image as a line names it.
func (im *Importer) exportImage(ctx context.Context, id uuid.UUID, dir string, written map[string]bool, sum *ExportSummary) (Image, error) {
	m, err := im.s.Media.Get(ctx, id)
	if err != nil {
		return Image{}, err
	}
	name := m.SHA256 + path.Ext(m.Key)
	img := Image{File: name}
	for _, t := range m.Translations {
		if img.Texts == nil {
			img.Texts = map[string]ImageTexts{}
		}
		img.Texts[t.Locale] = ImageTexts{Alt: t.Alt, Caption: t.Caption, Credit: t.Credit}
	}
	if written[name] {
		return img, nil
	}
	if err := copyBlob(ctx, im.s.Media.Blobs(), m.Key, filepath.Join(dir, name)); err != nil {
		return Image{}, err
	}
	written[name] = true
	sum.Files++
	return img, nil
}

func copyBlob(ctx context.Context, blobs media.Blobs, key, dst string) error {
	b, err := blobs.Open(ctx, key)
	if err != nil {
		return fmt.Errorf("open %s: %w", key, err)
	}
	defer b.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, b); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
