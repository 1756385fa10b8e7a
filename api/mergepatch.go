package api

import (
	"encoding/json"
	"strings"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// PATCH bodies are JSON Merge Patches (RFC 7396): a member that is absent keeps the field,
// null removes it, a value replaces it. Go's decoder cannot tell absent from null, so merge
// members are Nullable.

// Nullable is one member of a merge patch: Set when the member was present, Null when it was
// null.
type Nullable[T any] struct {
	Set, Null bool
	Value     T
}

// Value is a present, non-null member (for clients written in Go, and tests).
func Value[T any](v T) Nullable[T] { return Nullable[T]{Set: true, Value: v} }

// Null is a null member: it removes the field.
func Null[T any]() Nullable[T] { return Nullable[T]{Set: true, Null: true} }

// IsZero lets omitzero leave an absent member out when encoding.
func (n Nullable[T]) IsZero() bool { return !n.Set }

// UnmarshalJSON records that the member was present (encoding/json calls it for null too).
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Null = true
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

// MarshalJSON writes the value, or null.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Set || n.Null {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

// text is a string member as the domain takes it: nil keeps, "" removes.
func (n Nullable[T]) text() *string {
	if !n.Set {
		return nil
	}
	s := ""
	if v, ok := any(n.Value).(string); ok && !n.Null {
		s = v
	}
	return &s
}

// mergeID is an id member: nil keeps, uuid.Nil clears (null or ""), else the id.
func (f *fieldErrors) mergeID(field string, n Nullable[string]) *uuid.UUID {
	if !n.Set {
		return nil
	}
	if n.Null {
		return &uuid.Nil
	}
	return f.optionalID(field, &n.Value)
}

// mergeIDs is an id-list member: nil keeps, null or [] clears.
func (f *fieldErrors) mergeIDs(field string, n Nullable[[]string]) *[]uuid.UUID {
	if !n.Set {
		return nil
	}
	ids := f.ids(field, n.Value)
	return &ids
}

// TranslationPatchRequest merges into the article's translation in locale (RFC 7396):
// absent fields keep their value, null removes one (a title cannot be removed; a removed
// slug is generated again from the title). A locale the article lacks is created (title
// required).
type TranslationPatchRequest struct {
	Locale          string           `json:"locale" example:"en"`
	Title           Nullable[string] `json:"title,omitempty,omitzero" swaggertype:"string" nullable:"true" example:"Future cooperation"`
	Slug            Nullable[string] `json:"slug,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	Summary         Nullable[string] `json:"summary,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	Body            Nullable[string] `json:"body,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	BodyFormat      string           `json:"body_format,omitempty" enums:"html,markdown" default:"html"`
	MetaTitle       Nullable[string] `json:"meta_title,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	MetaDescription Nullable[string] `json:"meta_description,omitempty,omitzero" swaggertype:"string" nullable:"true"`
} //	@name	TranslationPatch

func (s *Server) translationPatch(f *fieldErrors, field string, t TranslationPatchRequest) content.TranslationPatch {
	s.checkLocale(f, field+".locale", t.Locale)
	if t.Title.Set && (t.Title.Null || strings.TrimSpace(t.Title.Value) == "") {
		f.add(field+".title", "is required; it cannot be removed")
	}
	return content.TranslationPatch{Locale: t.Locale, Title: t.Title.text(), Slug: t.Slug.text(), Summary: t.Summary.text(),
		Body: t.Body.text(), BodyFormat: content.BodyFormat(t.BodyFormat), MetaTitle: t.MetaTitle.text(),
		MetaDescription: t.MetaDescription.text()}
}
