package delta

import (
	"github.com/heraldcms/herald/internal/changes"
)

// Entity is one entity a window of the log changed, with what its tombstone needs.
type Entity struct {
	Type string // "article", "category", "tag", "media"
	ID   string
	// Deleted is true when the entity's last change in the window deleted it.
	Deleted bool
	// WasVisible is true when, before some change in the window, the public could see it:
	// only then may a client hold it, and only then does it get a tombstone.
	WasVisible bool
	// Slugs are the slugs it had in the window, per locale, oldest first, without repeats.
	Slugs map[string][]string
}

// Window is the part of the log one page of a delta covers: the changes with a position
// above the token's and up to Last, coalesced to one Entity per changed entity (the page
// serves each at its current state, so several edits cost one item).
type Window struct {
	Last     int64
	Entities []Entity
	// Settings is true when site settings changed.
	Settings bool
	// More is true when the log may hold changes after Last.
	More bool
}

// synced are the entity types a sync serves; the log's other entries (users, API tokens)
// are skipped, their positions passed over all the same.
var synced = map[string]bool{"article": true, "category": true, "tag": true, "media": true}

// Plan coalesces recs (the log after pos, in order; full is true when the read hit its
// limit) into the window of one page of at most perPage entities: a prefix of recs, cut
// before the change that would bring the perPage+1st entity, so no position is skipped and
// a page stays bounded whatever the backlog.
func Plan(pos int64, recs []changes.Record, full bool, perPage int) Window {
	w := Window{Last: pos}
	index := map[[2]string]int{}
	for _, r := range recs {
		if r.EntityType == "settings" {
			if !w.Settings && len(w.Entities) >= perPage {
				w.More = true
				return w
			}
			w.Settings = true
			w.Last = r.Position
			continue
		}
		if !synced[r.EntityType] {
			w.Last = r.Position
			continue
		}
		key := [2]string{r.EntityType, r.EntityID}
		k, seen := index[key]
		if !seen {
			n := len(w.Entities)
			if w.Settings {
				n++
			}
			if n >= perPage {
				w.More = true
				return w
			}
			k = len(w.Entities)
			index[key] = k
			w.Entities = append(w.Entities, Entity{Type: r.EntityType, ID: r.EntityID, Slugs: map[string][]string{}})
		}
		e := &w.Entities[k]
		e.Deleted = r.Kind == changes.Delete
		e.WasVisible = e.WasVisible || r.PrevVisible
		for l, s := range r.Slugs {
			if !contains(e.Slugs[l], s) {
				e.Slugs[l] = append(e.Slugs[l], s)
			}
		}
		w.Last = r.Position
	}
	w.More = full
	return w
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
