package store

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/content"
)

// A list page's statement is built with GORM (ListVisibleArticles), and rendering it was a
// tenth of an uncached list's CPU (builder, clause rendering and the subquery's placeholders;
// pprof, PostgreSQL, category page at 100,000 articles). Its text depends only on the
// query's shape (listKey), so it is rendered once per shape and kept; each request then
// computes the arguments alone (listArgs) and the statement runs as a detail's does
// (readPublicSQL: memoized whole, native on pgx). The text is GORM's own, so plans do not
// change. keepListText checks the arguments against GORM's on the first request of each
// shape and keeps no text that disagrees; TestListTextsMatchGORM checks every shape with
// distinct values.

// listKey is the shape of a list query: everything its page's text depends on. Shapes
// whose arguments listArgs does not know (tags, full-text, title order) are not kept.
type listKey struct {
	dialect  string
	category byte // 0 none, 'i' by id, 's' by slug
	sort     content.Sort
	limit    int
	offset   int // rendered into the text: SQLite's OFFSET, the bound of PostgreSQL's walks by slug
	cursor   bool
	featured bool
	after    bool
	before   bool
	updated  bool
	only     bool
	locales  int // the slug's candidate locales
}

func (s *Content) listKey(q content.ListQuery) (sqlKey, bool) {
	if !keepListTexts.Load() || len(q.Tags) > 0 || q.Q != "" || q.Sort == content.SortTitle || q.Limit < 0 || q.Offset < 0 {
		return sqlKey{}, false
	}
	k := listKey{dialect: s.db.dialect, sort: q.Sort, limit: q.Limit, cursor: q.After != nil,
		featured: q.Featured != nil, after: q.PublishedAfter != nil, before: q.PublishedBefore != nil,
		updated: q.UpdatedSince != nil, only: q.OnlyLocale != "", locales: len(s.locales.Codes()),
		offset: q.Offset}
	switch {
	case q.Category == "":
	case isUUID(q.Category):
		k.category = 'i'
	default:
		k.category = 's'
	}
	return sqlKey{what: "list page", dialect: s.db.dialect, list: k}, true
}

var (
	listTexts     sync.Map // sqlKey → string ("" when the shape's arguments disagreed with GORM's)
	listTextCount atomic.Int64
	// keepListTexts off makes every list page GORM's (tests compare both).
	keepListTexts atomic.Bool
	// listTextKept, when set, sees each shape's first rendering (tests).
	listTextKept atomic.Pointer[func(gormText string, gormVars, args []any, kept bool)]
)

func init() { keepListTexts.Store(true) }

// maxListTexts bounds listTexts (4096): a shape past it is rendered by GORM on each request.
var maxListTexts atomic.Int64

func init() { maxListTexts.Store(4096) }

// listText is the kept text of the page named by key, if any.
func (s *Content) listText(key sqlKey) (string, bool) {
	v, ok := listTexts.Load(key)
	if !ok {
		return "", false
	}
	t := v.(string)
	return t, t != ""
}

// keepListText renders page, GORM's page for q, as text with '?' placeholders, keeps it
// under key when listArgs gives the arguments GORM gave it, and returns both.
func (s *Content) keepListText(ctx context.Context, key sqlKey, page *gorm.DB, q content.ListQuery, after any) (string, []any, bool) {
	st := raw(s.db.connOf(ctx).Session(&gorm.Session{DryRun: true}), "?", []any{page}).Statement
	args := s.listArgs(q, after)
	text, ok := unnumbered(st.SQL.String(), s.db.dialect, len(st.Vars))
	if !ok || !reflect.DeepEqual(args, st.Vars) {
		text, ok = "", false
	}
	if f := listTextKept.Load(); f != nil {
		(*f)(st.SQL.String(), st.Vars, args, ok)
	}
	if listTextCount.Add(1) > maxListTexts.Load() {
		// Past the bound (offsets are many) the page stays GORM's: kept, its statement
		// would be kept too (stmtTexts).
		return "", nil, false
	}
	listTexts.Store(key, text)
	return text, args, ok
}

// unnumbered is GORM's rendering of a page of n arguments with '?' placeholders, as
// readPublicSQL takes them: PostgreSQL's ($1, $2, … in order) turned back; false when the
// text has a '?' or a '$' of its own, or not n placeholders.
func unnumbered(text, dialect string, n int) (string, bool) {
	if dialect != "postgres" {
		return text, strings.Count(text, "?") == n && !strings.Contains(text, "$")
	}
	if strings.IndexByte(text, '?') >= 0 {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(text))
	for k := 1; ; k++ {
		i := strings.IndexByte(text, '$')
		if i < 0 {
			b.WriteString(text)
			return b.String(), k-1 == n
		}
		num := strconv.Itoa(k)
		rest := text[i+1:]
		if !strings.HasPrefix(rest, num) || len(rest) > len(num) && rest[len(num)] >= '0' && rest[len(num)] <= '9' {
			return "", false
		}
		b.WriteString(text[:i])
		b.WriteByte('?')
		text = rest[len(num):]
	}
}

// listArgs are the arguments of q's page in the order GORM renders them
// (ListVisibleArticles): the category slug's lookup first on PostgreSQL, then the filters of
// visibleMatching, the cursor's bound, the SQLite slug's category per locale, and the
// page's bounds.
func (s *Content) listArgs(q content.ListQuery, after any) []any {
	bySlug := q.Category != "" && !isUUID(q.Category)
	codes := s.locales.Codes()
	var args []any
	if bySlug && s.db.dialect == "postgres" {
		args = append(args, q.Category)
		for _, c := range codes {
			args = append(args, c)
		}
	}
	filters := func(args []any) []any {
		args = append(args, q.Now.UTC())
		if q.Category != "" && !bySlug {
			id, _ := uuid.Parse(q.Category)
			args = append(args, id)
		}
		if q.Featured != nil {
			args = append(args, *q.Featured)
		}
		if q.PublishedAfter != nil {
			args = append(args, q.PublishedAfter.UTC())
		}
		if q.PublishedBefore != nil {
			args = append(args, q.PublishedBefore.UTC())
		}
		if q.UpdatedSince != nil {
			args = append(args, q.UpdatedSince.UTC(), q.UpdatedSince.UTC())
		}
		if q.OnlyLocale != "" {
			args = append(args, q.OnlyLocale)
		}
		if c := q.After; c != nil {
			args = append(args, after, after, after, c.ID)
		}
		return args
	}
	if !bySlug || s.db.dialect == "postgres" {
		args = filters(args)
		if s.db.dialect == "postgres" && q.Offset > 0 {
			args = append(args, q.Offset)
		}
		return args
	}
	// SQLite: one walk per locale the slug may be in, merged.
	for k := range codes {
		args = filters(args)
		_, cat := slugCategoryAt(q.Category, codes, k)
		args = append(args, cat...)
	}
	return append(args, q.Limit+1, q.Offset)
}
