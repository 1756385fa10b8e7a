package archive

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestJSONSchemaMatchesLine: docs/import.schema.json names exactly the fields a line may
// have, at each level, so the documented schema cannot drift from what imports decode.
func TestJSONSchemaMatchesLine(t *testing.T) {
	b, err := os.ReadFile("../../docs/import.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	defs := schema["$defs"].(map[string]any)
	props := func(m map[string]any) []string {
		var out []string
		for k := range m["properties"].(map[string]any) {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	fields := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
		sort.Strings(out)
		return out
	}
	termTr := defs["term"].(map[string]any)["properties"].(map[string]any)["translations"].(map[string]any)["additionalProperties"].(map[string]any)
	imgTexts := defs["image"].(map[string]any)["properties"].(map[string]any)["texts"].(map[string]any)["additionalProperties"].(map[string]any)
	for _, c := range []struct {
		name   string
		schema []string
		code   any
	}{
		{"line", props(schema), Line{}},
		{"translation", props(defs["translation"].(map[string]any)), LineTranslation{}},
		{"term", props(defs["term"].(map[string]any)), Term{}},
		{"term translation", props(termTr), TermTranslation{}},
		{"image", props(defs["image"].(map[string]any)), Image{}},
		{"image texts", props(imgTexts), ImageTexts{}},
	} {
		if got := fields(c.code); !reflect.DeepEqual(c.schema, got) {
			t.Errorf("%s: schema has %v, code decodes %v", c.name, c.schema, got)
		}
	}
}

// TestExampleLinesDecode: every line of the example archive is valid by the JSON Schema
// and decodes strictly.
func TestExampleLinesDecode(t *testing.T) {
	sf, err := os.Open("../../docs/import.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	doc, err := jsonschema.UnmarshalJSON(sf)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("import.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("import.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../../testdata/import/example.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	bad := `{"external_id":"x","translations":{"en":{"title":"t"}},"published_at":"19-02-2021"}`
	v, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if sch.Validate(v) == nil {
		t.Error("the schema accepts a DD-MM-YYYY date")
	}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("line %d is not valid by the schema: %v", i+1, err)
		}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var l Line
		if err := dec.Decode(&l); err != nil {
			t.Errorf("line %d: %v", i+1, err)
		}
	}
}
