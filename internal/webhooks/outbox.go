package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/heraldcms/herald/internal/changes"
)

// Payload is the JSON body of every delivery, in the Standard Webhooks shape.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// EntityData is the data of an article, media, taxonomy or settings event.
type EntityData struct {
	// Entity is "article", "media", "category", "tag" or "settings".
	Entity string `json:"entity"`
	// ID is the entity's id (for settings, the locale; "" for site-wide settings).
	ID string `json:"id"`
	// Locales are the affected locales, each with its slug (and the old one when it changed).
	Locales []LocaleData `json:"locales"`
}

// LocaleData is one affected locale of an event.
type LocaleData struct {
	Locale  string `json:"locale"`
	Slug    string `json:"slug,omitempty"`
	OldSlug string `json:"old_slug,omitempty"`
	// Path and OldPath are the frontend paths of the slugs, when Herald knows how its
	// frontend builds them.
	Path    string `json:"path,omitempty"`
	OldPath string `json:"old_path,omitempty"`
}

// event is one change as receivers see it.
type event struct {
	name     string
	orderKey string
	data     EntityData
}

// onWrite runs in the write's transaction (changes.Hook): one delivery and one job per
// event and subscribed endpoint. A write marked quiet (an import with --quiet-events) sends
// nothing.
func (s *Service) onWrite(ctx context.Context, cs []changes.Change) error {
	if changes.QuietEvents(ctx) {
		return nil
	}
	evs, err := s.events(ctx, cs)
	if err != nil || len(evs) == 0 {
		return err
	}
	eps, err := s.store.Endpoints(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	var ds []*Delivery
	for _, e := range eps {
		if !e.Enabled {
			continue
		}
		for _, ev := range evs {
			if !e.Subscribes(ev.name) {
				continue
			}
			data, ok := forEndpoint(ev.data, e.Locales)
			if !ok {
				continue
			}
			ds = append(ds, s.newDelivery(e, ev.name, ev.orderKey, now, data))
		}
	}
	if len(ds) == 0 {
		return nil
	}
	if err := s.store.InsertDeliveries(ctx, ds); err != nil {
		return err
	}
	return s.enqueue(ctx, ds)
}

// enqueue inserts one River job per delivery in the transaction ctx carries.
func (s *Service) enqueue(ctx context.Context, ds []*Delivery) error {
	tx, ok := s.cfg.SQLTx(ctx)
	if !ok {
		return errors.New("webhooks: deliveries must be enqueued inside the write's transaction")
	}
	params := make([]river.InsertManyParams, len(ds))
	for i, d := range ds {
		params[i] = river.InsertManyParams{Args: DeliveryArgs{Delivery: d.ID}}
	}
	_, err := s.client.InsertManyTx(ctx, tx, params)
	return err
}

// newDelivery is a pending delivery of event with data to e.
func (s *Service) newDelivery(e Endpoint, ev, orderKey string, now time.Time, data any) *Delivery {
	body, _ := json.Marshal(Payload{Type: ev, Timestamp: now.Truncate(time.Millisecond), Data: data})
	return &Delivery{ID: "msg_" + strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", ""), EndpointID: e.ID, Event: ev,
		OrderKey: orderKey, Payload: body, State: Pending, CreatedAt: now.Truncate(time.Microsecond)}
}

// forEndpoint narrows d to the endpoint's locales; false when the event concerns only
// other locales. Events without locales (site-wide settings, media) go to every endpoint.
func forEndpoint(d EntityData, locales []string) (EntityData, bool) {
	if len(locales) == 0 || len(d.Locales) == 0 {
		return d, true
	}
	out := d
	out.Locales = nil
	for _, l := range d.Locales {
		if slices.Contains(locales, l.Locale) {
			out.Locales = append(out.Locales, l)
		}
	}
	return out, len(out.Locales) > 0
}

// events turns a write's changes into events. Articles count when the public sees (or saw)
// them: an edit of a draft or of a scheduled article sends nothing; its publication does,
// at its time (content.PublishDue). Users and API tokens send nothing.
func (s *Service) events(ctx context.Context, cs []changes.Change) ([]event, error) {
	var ids []string
	for _, c := range cs {
		if c.EntityType == "article" && (s.cfg.Paths != nil || c.Kind == changes.Upsert && c.Public && len(c.Locales) > 0) {
			ids = append(ids, c.EntityID)
		}
	}
	arts := map[string]ArticleState{}
	if len(ids) > 0 {
		var err error
		if arts, err = s.store.Articles(ctx, ids); err != nil {
			return nil, err
		}
	}
	now := s.cfg.Clock()
	var out []event
	for _, c := range cs {
		name := ""
		switch c.EntityType {
		case "article":
			switch {
			case c.Kind == changes.Publish:
				name = "article.published"
			case c.Kind == changes.Unpublish:
				name = "article.unpublished"
			case c.Kind == changes.Delete && c.Public:
				name = "article.deleted"
			case c.Kind == changes.Upsert && c.Public && len(c.Locales) > 0 && arts[c.EntityID].visible(now):
				name = "article.updated"
			}
		case "media":
			name = "media.updated"
			if c.Kind == changes.Delete {
				name = "media.deleted"
			}
		case "category", "tag":
			name = "taxonomy.updated"
			if c.Kind == changes.Delete {
				name = "taxonomy.deleted"
			}
		case "settings":
			name = "settings.updated"
		}
		if name == "" {
			continue
		}
		out = append(out, event{name: name, orderKey: c.EntityType + ":" + c.EntityID, data: s.entityData(c, arts[c.EntityID])})
	}
	return out, nil
}

// entityData lists the change's locales with their slugs, old slugs and frontend paths.
func (s *Service) entityData(c changes.Change, a ArticleState) EntityData {
	d := EntityData{Entity: c.EntityType, ID: c.EntityID, Locales: []LocaleData{}}
	locales := slices.Clone(c.Locales)
	sort.Strings(locales)
	linked := s.cfg.Paths != nil && (c.EntityType == "article" || c.EntityType == "category" || c.EntityType == "tag")
	for _, l := range locales {
		ld := LocaleData{Locale: l, Slug: c.Slugs[l], OldSlug: c.PrevSlugs[l]}
		if linked {
			link := Link{Entity: c.EntityType, Locale: l, ID: c.EntityID}
			if a.PublishedAt != nil {
				link.Published = *a.PublishedAt
			}
			if ld.Slug != "" {
				link.Slug = ld.Slug
				ld.Path = s.cfg.Paths(link)
			}
			if ld.OldSlug != "" {
				link.Slug = ld.OldSlug
				ld.OldPath = s.cfg.Paths(link)
			}
		}
		d.Locales = append(d.Locales, ld)
	}
	return d
}
