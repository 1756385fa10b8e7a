package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/delta"
	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/media"
)

// Delta sync: GET /api/v1/sync hands a mobile app everything it may show, then only what
// changed, deletions included (internal/delta reads the change log; this file composes it
// with the content service's current state). Responses are never cached: each depends on
// its token and on the moment.

// SyncPage is one page of a sync. An initial sync (no sync_token) fills articles,
// categories, tags and settings; a delta holds what changed since its token: upserts at
// their current state and tombstones. Continue with next_page_token at once while it is
// set; keep next_sync_token for the next sync.
type SyncPage struct {
	// Articles are upserts: one per article and requested locale it is translated into,
	// exactly as GET /api/v1/articles/{id}?locale= serves it (body, cover, gallery,
	// hreflang translations). Replace any copy you hold of that id and locale.
	Articles []ArticleDTO `json:"articles"`
	// DeletedArticles are tombstones: articles (per locale) a client may hold that the
	// public can no longer see there: deleted, unpublished, archived, or without that
	// translation now. Drop them and the pages at their slugs.
	DeletedArticles []SyncTombstone `json:"deleted_articles"`
	// Categories and Tags are upserts, named in the sync's locales (no article counts).
	Categories        []CategoryDTO   `json:"categories"`
	DeletedCategories []SyncTombstone `json:"deleted_categories"`
	Tags              []TagDTO        `json:"tags"`
	DeletedTags       []SyncTombstone `json:"deleted_tags"`
	// Media are upserts of media items an article shows whose texts or files changed
	// (articles embed their cover and gallery already).
	Media []MediaDTO `json:"media"`
	// Settings are the site settings, one entry per locale of the sync, on the last page of
	// an initial sync and whenever they changed.
	Settings []SettingsDTO `json:"settings,omitempty"`
	// NextPageToken is set when this sync has more pages: request it at once.
	NextPageToken string `json:"next_page_token,omitempty"`
	// NextSyncToken is set on the last page: keep it, and send it for the next delta.
	NextSyncToken string `json:"next_sync_token,omitempty"`
} //	@name	SyncPage

// SyncTombstone is an entity a client must drop.
type SyncTombstone struct {
	ID string `json:"id"`
	// Locale is set on article tombstones: the article left that locale.
	Locale string `json:"locale,omitempty" example:"en"`
	// Slugs are the slugs it had (in that locale, for an article), so cached pages at them
	// can go too.
	Slugs []string `json:"slugs"`
} //	@name	SyncTombstone

// Sync bounds.
const (
	defaultSyncPage = 50
	maxSyncWait     = 30
	// syncWaitMargin is left of the request's deadline when a long-poll ends, for the
	// answer to be written.
	syncWaitMargin = 5 * time.Second
)

var errNoSync = newProblem(http.StatusServiceUnavailable, "delta sync is not configured")

// syncContent godoc
//
//	@Summary		Delta sync for mobile apps
//	@Description	Without sync_token: an initial sync of everything the public can see in the requested locales (articles translated into one of them, as the detail endpoint serves them; then categories, tags and settings), in pages; follow next_page_token until a page carries next_sync_token. With that token: only what changed since, each changed article once at its current state, and tombstones for what a client may hold but can no longer show (deleted, unpublished, archived, lost its translation). Scheduled articles appear when their time comes, not before. Tokens are opaque, survive restarts and work on every instance; a token older than HERALD_SYNC_RETENTION gets 410 and the app starts over. wait=N (seconds, up to 30, with a sync token) holds the request until something the client can see changes, then answers at once; more waiting requests than HERALD_SYNC_MAX_WAITERS on one instance get 503 with Retry-After. Responses are never cached (Cache-Control: no-store).
//	@Tags			content
//	@Produce		json
//	@Param			locale		query		string	false	"Locales to sync, comma-separated (default: the default locale); fixed for the life of the tokens it leads to"	example(en,ru)
//	@Param			sync_token	query		string	false	"next_page_token or next_sync_token of a previous page"
//	@Param			per_page	query		integer	false	"Entities per page (an article counts once whatever its locales)"								minimum(1)	maximum(200)	default(50)
//	@Param			wait		query		integer	false	"Long-poll: with a sync_token, wait up to this many seconds for a change when there is none"	minimum(0)	maximum(30)		default(0)
//	@Success		200			{object}	SyncPage
//	@Header			200			{string}	Cache-Control	"no-store"
//	@Failure		400			{object}	Problem			"Bad parameter: a sync_token that is not one of this server's (garbage, tampered, from another database), an unsupported locale, a locale that differs from the token's, wait without sync_token"
//	@Failure		410			{object}	Problem			"The sync token is older than the server keeps changes: start over without sync_token"
//	@Failure		500			{object}	Problem
//	@Failure		503			{object}	Problem	"Too many long-polls wait on this instance, or the database is unavailable (Retry-After)"
//	@Router			/api/v1/sync [get]
func (s *Server) syncContent(c echo.Context) error {
	if err := s.checkQuery(c); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if s.sync == nil {
		return errNoSync
	}
	var qe queryErrors
	perPage := qe.intParam(c, "per_page", defaultSyncPage, 1, content.MaxSyncPage)
	wait := qe.intParam(c, "wait", 0, 0, maxSyncWait)
	locales := s.syncLocales(c, &qe)
	raw := strings.TrimSpace(c.QueryParam("sync_token"))
	if raw == "" && wait > 0 {
		qe.add("wait", "needs a sync_token: an initial sync answers at once")
	}
	if err := qe.err(); err != nil {
		return err
	}
	tok := delta.Token{Phase: delta.PhaseArticles, Locales: locales}
	if raw != "" {
		var err error
		if tok, err = s.sync.Decode(raw); err != nil {
			return err
		}
		if c.QueryParam("locale") != "" && strings.Join(locales, ",") != strings.Join(tok.Locales, ",") {
			return validationProblem(FieldError{Field: "locale", Message: "differs from the sync token's (" + strings.Join(tok.Locales, ",") + "); leave it out, or start over without sync_token for other locales"})
		}
		if len(tok.Locales) == 0 || !s.supported(tok.Locales) {
			// A locale the server no longer serves: the client's state cannot continue.
			return delta.ErrExpired
		}
	}
	ctx := c.Request().Context()
	if tok.Phase != delta.PhaseDelta {
		return s.syncRound(c, func(ctx context.Context) (SyncPage, error) {
			if raw == "" {
				// The snapshot: what the pages show is at least this fresh, and the delta
				// that follows them replays everything after it.
				if err := s.content.RecordDue(ctx); err != nil {
					return SyncPage{}, err
				}
				pos, err := s.sync.Snapshot(ctx)
				if err != nil {
					return SyncPage{}, err
				}
				tok.Position = pos
			}
			return s.initialPage(ctx, tok, perPage)
		})
	}
	if wait == 0 {
		return s.syncRound(c, func(ctx context.Context) (SyncPage, error) {
			p, _, err := s.deltaPage(ctx, &tok, perPage)
			return p, err
		})
	}
	return s.longPoll(c, ctx, tok, perPage, time.Duration(wait)*time.Second)
}

// syncRound answers with one page computed under the public read timeout.
func (s *Server) syncRound(c echo.Context, page func(ctx context.Context) (SyncPage, error)) error {
	var p SyncPage
	err := s.withReadTimeout(c, func(c echo.Context) error {
		var err error
		p, err = page(c.Request().Context())
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// longPoll answers as soon as the delta after tok holds something, or when wait is over
// (with the same or an advanced token). Waking comes from the hub (a public change
// committed here or on another instance) or from the clock (a scheduled publication).
func (s *Server) longPoll(c echo.Context, ctx context.Context, tok delta.Token, perPage int, wait time.Duration) error {
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(dl)-syncWaitMargin)
	}
	end := time.Now().Add(wait)
	hub := s.sync.Hub()
	entered := false
	defer func() {
		if entered {
			hub.Leave()
		}
	}()
	for {
		changed := hub.Changed() // before reading, so a commit in between wakes us
		var p SyncPage
		var empty bool
		err := s.withReadTimeout(c, func(c echo.Context) error {
			var err error
			p, empty, err = s.deltaPage(c.Request().Context(), &tok, perPage)
			return err
		})
		if err != nil {
			return err
		}
		left := time.Until(end)
		if !empty || left <= 0 {
			return c.JSON(http.StatusOK, p)
		}
		if !entered {
			if !hub.Enter() {
				pr := newProblem(http.StatusServiceUnavailable, "too many syncs are waiting on this server; retry shortly, or sync without wait")
				pr.header = map[string]string{"Retry-After": "5"}
				return pr
			}
			entered = true
		}
		if at, has, err := s.content.NextPublishAt(ctx, s.content.Now()); err == nil && has {
			left = min(left, time.Until(at)+10*time.Millisecond)
		}
		timer := time.NewTimer(max(left, time.Millisecond))
		select {
		case <-changed:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
		timer.Stop()
	}
}

// syncLocales reads ?locale=az,en: supported locales, without repeats; the default locale
// when absent.
func (s *Server) syncLocales(c echo.Context, qe *queryErrors) []string {
	q := strings.TrimSpace(c.QueryParam("locale"))
	if q == "" {
		return []string{s.locales.Default()}
	}
	var out []string
	for _, part := range strings.Split(q, ",") {
		l, err := s.locales.Parse(strings.TrimSpace(part))
		if err != nil {
			shown := part
			if len(shown) > 20 {
				shown = shown[:20] + "…"
			}
			qe.add("locale", "unsupported locale "+strings.ToValidUTF8(shown, "?")+"; supported: "+strings.Join(s.locales.Codes(), ", "))
			return nil
		}
		if !has(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) supported(locales []string) bool {
	for _, l := range locales {
		if !has(s.locales.Codes(), l) {
			return false
		}
	}
	return true
}

func newSyncPage() SyncPage {
	return SyncPage{Articles: []ArticleDTO{}, DeletedArticles: []SyncTombstone{}, Categories: []CategoryDTO{},
		DeletedCategories: []SyncTombstone{}, Tags: []TagDTO{}, DeletedTags: []SyncTombstone{}, Media: []MediaDTO{}}
}

// initialPage serves up to perPage entities of an initial sync from tok's phase on: the
// articles, then the categories, then the tags, each in id order; the last page adds the
// settings and the delta token.
func (s *Server) initialPage(ctx context.Context, tok delta.Token, perPage int) (SyncPage, error) {
	p := newSyncPage()
	left := perPage
	if tok.Phase == delta.PhaseArticles {
		arts, err := s.content.VisibleArticlesAfter(ctx, tok.After, tok.Locales, left)
		if err != nil {
			return p, err
		}
		if err := s.syncArticles(ctx, &p, arts, tok.Locales); err != nil {
			return p, err
		}
		left -= len(arts)
		if left == 0 {
			tok.After = arts[len(arts)-1].ID
			p.NextPageToken = s.sync.Encode(tok)
			return p, nil
		}
		tok.Phase, tok.After = delta.PhaseCategories, uuid.Nil
	}
	if tok.Phase == delta.PhaseCategories {
		// Categories are few (lists show at most 1000): one page takes them all.
		cats, err := s.content.Categories(ctx)
		if err != nil {
			return p, err
		}
		for _, cat := range cats {
			p.Categories = append(p.Categories, newCategoryDTO(cat, tok.Locales, false, s.links))
		}
		left = max(left-len(cats), 1)
		tok.Phase, tok.After = delta.PhaseTags, uuid.Nil
	}
	tags, err := s.content.TagsAfter(ctx, tok.After, left)
	if err != nil {
		return p, err
	}
	for _, tg := range tags {
		p.Tags = append(p.Tags, newTagDTO(tg, tok.Locales, s.links))
	}
	if len(tags) == left {
		tok.After = tags[len(tags)-1].ID
		p.NextPageToken = s.sync.Encode(tok)
		return p, nil
	}
	if p.Settings, err = s.syncSettings(ctx, tok.Locales); err != nil {
		return p, err
	}
	p.NextSyncToken = s.sync.Encode(delta.Token{Phase: delta.PhaseDelta, Position: tok.Position, Locales: tok.Locales})
	return p, nil
}

// deltaPage serves the window of the log after tok's position and advances tok past it.
// empty is true when the page holds nothing and the log nothing more.
func (s *Server) deltaPage(ctx context.Context, tok *delta.Token, perPage int) (p SyncPage, empty bool, err error) {
	p = newSyncPage()
	// Scheduled publications due by now are in the log before it is read, whether or not
	// the background loop has run.
	if err := s.content.RecordDue(ctx); err != nil {
		return p, false, err
	}
	w, err := s.sync.Window(ctx, tok.Position, perPage)
	if err != nil {
		return p, false, err
	}
	var ids, mediaIDs []uuid.UUID
	for _, e := range w.Entities {
		if id, err := uuid.Parse(e.ID); err == nil {
			switch e.Type {
			case "article":
				ids = append(ids, id)
			case "media":
				mediaIDs = append(mediaIDs, id)
			}
		}
	}
	arts, err := s.content.SyncArticlesByID(ctx, ids)
	if err != nil {
		return p, false, err
	}
	if err := s.syncArticles(ctx, &p, arts, tok.Locales); err != nil {
		return p, false, err
	}
	served := map[string]bool{}
	for _, a := range arts {
		served[a.ID.String()] = true
	}
	for _, e := range w.Entities {
		switch e.Type {
		case "article":
			s.articleTombstones(&p, e, served[e.ID], arts, tok.Locales)
		case "category":
			cat, err := s.content.Category(ctx, e.ID, tok.Locales)
			switch {
			case err == nil:
				p.Categories = append(p.Categories, newCategoryDTO(cat, tok.Locales, false, s.links))
			case errs.CodeOf(err) == errs.NotFound:
				p.DeletedCategories = append(p.DeletedCategories, SyncTombstone{ID: e.ID, Slugs: allSlugs(e, tok.Locales)})
			default:
				return p, false, err
			}
		case "tag":
			tg, err := s.content.Tag(ctx, e.ID, tok.Locales)
			switch {
			case err == nil:
				p.Tags = append(p.Tags, newTagDTO(tg, tok.Locales, s.links))
			case errs.CodeOf(err) == errs.NotFound:
				p.DeletedTags = append(p.DeletedTags, SyncTombstone{ID: e.ID, Slugs: allSlugs(e, tok.Locales)})
			default:
				return p, false, err
			}
		}
	}
	if err := s.syncMedia(ctx, &p, mediaIDs, tok.Locales); err != nil {
		return p, false, err
	}
	if w.Settings {
		if p.Settings, err = s.syncSettings(ctx, tok.Locales); err != nil {
			return p, false, err
		}
	}
	tok.Position = w.Last
	if w.More {
		p.NextPageToken = s.sync.Encode(*tok)
	} else {
		p.NextSyncToken = s.sync.Encode(*tok)
	}
	empty = !w.More && len(p.Articles) == 0 && len(p.DeletedArticles) == 0 && len(p.Categories) == 0 &&
		len(p.DeletedCategories) == 0 && len(p.Tags) == 0 && len(p.DeletedTags) == 0 && len(p.Media) == 0 && p.Settings == nil
	return p, empty, nil
}

// articleTombstones adds the tombstones of article e: in each locale of the sync that it
// was visible in before (it had a slug there while public) and is not served in now.
func (s *Server) articleTombstones(p *SyncPage, e delta.Entity, visible bool, arts []content.Article, locales []string) {
	if !e.WasVisible {
		return // never public in this window: a draft's life leaks nothing
	}
	var a content.Article
	if visible {
		for _, x := range arts {
			if x.ID.String() == e.ID {
				a = x
			}
		}
	}
	for _, l := range locales {
		if len(e.Slugs[l]) == 0 {
			continue
		}
		if _, ok := a.Translation(l); visible && ok {
			continue
		}
		p.DeletedArticles = append(p.DeletedArticles, SyncTombstone{ID: e.ID, Locale: l, Slugs: e.Slugs[l]})
	}
}

// allSlugs are a term's slugs in the window in the sync's locales.
func allSlugs(e delta.Entity, locales []string) []string {
	out := []string{}
	for _, l := range locales {
		out = append(out, e.Slugs[l]...)
	}
	return out
}

// syncArticles adds each article once per sync locale it is translated into, as the detail
// endpoint serves it, with covers and galleries loaded for the whole page at once.
func (s *Server) syncArticles(ctx context.Context, p *SyncPage, arts []content.Article, locales []string) error {
	var mediaIDs []uuid.UUID
	for _, a := range arts {
		if a.CoverMediaID != nil {
			mediaIDs = append(mediaIDs, *a.CoverMediaID)
		}
		mediaIDs = append(mediaIDs, a.GalleryMediaIDs...)
	}
	items := map[uuid.UUID]media.Media{}
	if s.media != nil && len(mediaIDs) > 0 {
		var err error
		if items, err = s.media.ByIDs(ctx, mediaIDs); err != nil {
			return err
		}
	}
	for _, a := range arts {
		for _, l := range locales {
			if _, ok := a.Translation(l); !ok {
				continue
			}
			chain := s.locales.Chain(l)
			d := newArticleDTO(a, chain, articleView{body: true, hreflang: true, links: s.links})
			if s.media != nil {
				if a.CoverMediaID != nil {
					if m, ok := items[*a.CoverMediaID]; ok {
						md := s.newMediaDTO(m, chain)
						d.Cover = &md
					}
				}
				d.Gallery = make([]MediaDTO, 0, len(a.GalleryMediaIDs))
				for _, id := range a.GalleryMediaIDs {
					if m, ok := items[id]; ok {
						d.Gallery = append(d.Gallery, s.newMediaDTO(m, chain))
					}
				}
			}
			p.Articles = append(p.Articles, d)
		}
	}
	return nil
}

// syncMedia adds the changed media items that a visible article shows.
func (s *Server) syncMedia(ctx context.Context, p *SyncPage, ids []uuid.UUID, locales []string) error {
	if s.media == nil || len(ids) == 0 {
		return nil
	}
	shown, err := s.content.MediaShown(ctx, ids)
	if err != nil || len(shown) == 0 {
		return err
	}
	found, err := s.media.ByIDs(ctx, shown)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if m, ok := found[id]; ok {
			p.Media = append(p.Media, s.newMediaDTO(m, locales))
		}
	}
	return nil
}

// syncSettings are the settings in each locale of the sync, as GET /settings serves them.
func (s *Server) syncSettings(ctx context.Context, locales []string) ([]SettingsDTO, error) {
	all, err := s.content.Settings(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SettingsDTO, len(locales))
	for i, l := range locales {
		out[i] = settingsIn(all, l, s.locales.Chain(l))
	}
	return out, nil
}
