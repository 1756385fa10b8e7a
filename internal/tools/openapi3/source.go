package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
)

// source is what the converter learns from the Go code behind the annotations.
type source struct {
	// fields maps a definition name (its "@name", else the Go type name) to its JSON fields.
	fields map[string]map[string]goField
	// handlers maps "METHOD /path" to the name of the handler annotated with that @Router.
	handlers map[string]string
}

// goField is what a DTO field's Go type says that swag does not carry over.
type goField struct {
	time         bool // time.Time or *time.Time: a date-time string
	nullable     bool // a pointer without omitempty: a response sends null when unset
	nullableTag  bool // tagged nullable:"true": null is a value the field accepts (merge patch)
	nullableElem bool // a map of pointers: a null value means something (PUT settings deletes)
}

var (
	nameComment   = regexp.MustCompile(`@name\s+(\S+)`)
	routerComment = regexp.MustCompile(`@Router\s+(\S+)\s+\[(\w+)\]`)
)

// parseSource reads the non-test Go files of dir.
func parseSource(dir string) (*source, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	src := &source{fields: map[string]map[string]goField{}, handlers: map[string]string{}}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, b, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		// "} //	@name	X" trails the struct on the line of its closing brace.
		trailing := map[int]string{}
		for _, cg := range f.Comments {
			if m := nameComment.FindStringSubmatch(cg.Text()); m != nil {
				trailing[fset.Position(cg.Pos()).Line] = m[1]
			}
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					def := ts.Name.Name
					if n, ok := trailing[fset.Position(st.End()).Line]; ok {
						def = n
					}
					src.fields[def] = structFields(st)
				}
			case *ast.FuncDecl:
				if d.Doc == nil {
					continue
				}
				for _, m := range routerComment.FindAllStringSubmatch(d.Doc.Text(), -1) {
					src.handlers[strings.ToUpper(m[2])+" "+m[1]] = d.Name.Name
				}
			}
		}
	}
	return src, nil
}

func structFields(st *ast.StructType) map[string]goField {
	out := map[string]goField{}
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) == 0 {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		name, opts, _ := strings.Cut(tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		omitempty := strings.Contains(","+opts+",", ",omitempty,")
		var g goField
		t := f.Type
		if star, ok := t.(*ast.StarExpr); ok {
			g.nullable = !omitempty
			t = star.X
		}
		if sel, ok := t.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "time" && sel.Sel.Name == "Time" {
				g.time = true
			}
		}
		if m, ok := t.(*ast.MapType); ok {
			_, g.nullableElem = m.Value.(*ast.StarExpr)
		}
		// A merge-patch member (api.Nullable) says so: null removes the field.
		g.nullableTag = tag.Get("nullable") == "true"
		out[name] = g
	}
	return out
}
