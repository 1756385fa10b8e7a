package delta

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

const install = "00112233445566778899aabbccddeeff"

func codec(t testing.TB, secret, id string) *Codec {
	t.Helper()
	c, err := NewCodec([]byte(secret), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTokenRoundTripAndRefusals(t *testing.T) {
	c := codec(t, "secret", install)
	tok := Token{Phase: PhaseTags, Position: 1 << 40, After: uuid.New(), Issued: time.Unix(1_800_000_000, 0).UTC(), Locales: []string{"az", "en"}}
	s := c.Encode(tok)
	got, err := c.Decode(s)
	if err != nil || got.Phase != tok.Phase || got.Position != tok.Position || got.After != tok.After || !got.Issued.Equal(tok.Issued) ||
		strings.Join(got.Locales, ",") != "az,en" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(s)
	for i := range raw {
		b := append([]byte(nil), raw...)
		b[i] ^= 0x40
		if _, err := c.Decode(base64.RawURLEncoding.EncodeToString(b)); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	for name, other := range map[string]*Codec{"another secret": codec(t, "other", install), "another database": codec(t, "secret", strings.Repeat("ab", 16))} {
		if _, err := other.Decode(s); errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.FieldsOf(err)[0].Field, "sync_token") {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := NewCodec(nil, install); err == nil {
		t.Fatal("no secret accepted")
	}
	if _, err := NewCodec([]byte("s"), "xyz"); err == nil {
		t.Fatal("bad install id accepted")
	}
}

// FuzzDecode: whatever a client sends as a token is a token this codec made or a 400.
func FuzzDecode(f *testing.F) {
	c := codec(f, "secret", install)
	f.Add(c.Encode(Token{Phase: PhaseDelta, Position: 7, Locales: []string{"en"}}))
	f.Add("")
	f.Add("abc")
	f.Add(strings.Repeat("A", 600))
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := c.Decode(s)
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if c.Encode(tok) == "" || tok.Phase < PhaseArticles || tok.Phase > PhaseDelta {
			t.Fatalf("%q decoded to %+v", s, tok)
		}
	})
}

func rec(pos int64, typ, id string, kind changes.Kind, prevVisible bool, slugs map[string]string) changes.Record {
	return changes.Record{Position: pos, Change: changes.Change{EntityType: typ, EntityID: id, Kind: kind, PrevVisible: prevVisible, Slugs: slugs}}
}

// TestPlan: a window coalesces an entity's changes, skips private entities without skipping
// their positions, and stops before the change that would bring one entity too many.
func TestPlan(t *testing.T) {
	recs := []changes.Record{
		rec(11, "article", "a", changes.Upsert, false, map[string]string{"en": "a1"}),
		rec(12, "user", "u", changes.Upsert, false, nil),
		rec(14, "article", "a", changes.Unpublish, true, map[string]string{"en": "a2"}),
		rec(15, "tag", "t", changes.Upsert, true, nil),
		rec(16, "article", "a", changes.Delete, false, map[string]string{"en": "a2"}),
		rec(17, "article", "b", changes.Upsert, false, nil),
		rec(18, "settings", "", changes.Upsert, true, nil),
	}
	w := Plan(10, recs, false, 2)
	if w.Last != 16 || !w.More || len(w.Entities) != 2 || w.Settings {
		t.Fatalf("window %+v", w)
	}
	a := w.Entities[0]
	if a.ID != "a" || !a.Deleted || !a.WasVisible || strings.Join(a.Slugs["en"], ",") != "a1,a2" {
		t.Fatalf("coalesced %+v", a)
	}
	w = Plan(16, recs[5:], false, 2)
	if w.Last != 18 || w.More || len(w.Entities) != 1 || !w.Settings {
		t.Fatalf("second window %+v", w)
	}
	// Only private rows, the read full: no entity, but the position moves on.
	w = Plan(11, recs[1:2], true, 5)
	if w.Last != 12 || !w.More || len(w.Entities) != 0 {
		t.Fatalf("private rows %+v", w)
	}
	if w = Plan(20, nil, false, 5); w.Last != 20 || w.More {
		t.Fatalf("empty %+v", w)
	}
}

func TestHubLimit(t *testing.T) {
	h := NewHub(2)
	ch := h.Changed()
	first, second, third := h.Enter(), h.Enter(), h.Enter()
	if !first || !second || third {
		t.Fatalf("limit of 2 not kept: %v %v %v", first, second, third)
	}
	h.Leave()
	if !h.Enter() {
		t.Fatal("a freed place not reusable")
	}
	h.Notify()
	select {
	case <-ch:
	default:
		t.Fatal("Notify did not wake")
	}
}
