package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// titlesInOrder returns the titles of sort=title in loc, keeping only those in want.
func titlesInOrder(t *testing.T, app *testApp, loc string, want []string) []string {
	t.Helper()
	keep := map[string]bool{}
	for _, w := range want {
		keep[w] = true
	}
	var got []string
	next := ""
	for i := 0; i < 50; i++ { // cursor pages: the cursor follows the same keys
		target := "/api/v1/articles?sort=title&per_page=9&locale=" + loc
		if next != "" {
			target += "&cursor=" + next
		}
		l := getJSON[articleList](t, app, target, http.StatusOK)
		for _, a := range l.Data {
			if keep[a.Title] {
				got = append(got, a.Title)
			}
		}
		if next = l.Meta.NextCursor; next == "" {
			break
		}
	}
	return got
}

// TestTitleOrderFollowsTheAlphabet (issue 12 item 6): sort=title put Ç Ə İ Ö Ş Ü after Z in
// az and Ё before А in ru, on both databases. Titles now order by each locale's alphabet
// (CLDR collation keys, Cyrillic before Latin in ru), an edited title moves, and an article
// without the locale sorts by the title it is served with.
func TestTitleOrderFollowsTheAlphabet(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		as := bearer(tok)
		az := []string{"Zəfər meydanı", "Ümid yeri", "Şəki xanları", "Ölkə xəbərləri", "İlham mənbəyi", "Əli və Vəli", "Çay evi",
			"Cavid bəy", "Eldar dağı", "Isgəndər", "Orxan", "Sumqayıt", "Uşaq bağçası"}
		ids := map[string]string{}
		for i, title := range az {
			ids[title] = publishedArticle(t, app, as, api.TranslationRequest{Locale: "az", Title: title, Slug: "az-order-" + string(rune('a'+i)), Body: "<p>x</p>"})
		}
		ru := []string{"Яблоко", "Ёлка", "Ель", "Его", "Арбуз", "Жук"}
		for i, title := range ru {
			publishedArticle(t, app, as, api.TranslationRequest{Locale: "ru", Title: title, Slug: "ru-order-" + string(rune('a'+i)), Body: "<p>x</p>"})
		}
		// Served in az by fallback (no az translation): ordered by that title, in az's alphabet.
		publishedArticle(t, app, as, api.TranslationRequest{Locale: "en", Title: "Çayxana (en only)", Slug: "en-only-order", Body: "<p>x</p>"})

		wantAZ := []string{"Cavid bəy", "Çay evi", "Çayxana (en only)", "Eldar dağı", "Əli və Vəli", "Isgəndər", "İlham mənbəyi", "Orxan",
			"Ölkə xəbərləri", "Sumqayıt", "Şəki xanları", "Uşaq bağçası", "Ümid yeri", "Zəfər meydanı"}
		if got := titlesInOrder(t, app, "az", wantAZ); strings.Join(got, "|") != strings.Join(wantAZ, "|") {
			t.Errorf("az order:\n got %q\nwant %q", got, wantAZ)
		}
		// Russian puts its own script first, as CLDR does: az articles served in ru by
		// fallback come after Я (they came first, Latin leading the root order).
		wantRU := []string{"Арбуз", "Его", "Ёлка", "Ель", "Жук", "Яблоко", "Cavid bəy", "Zəfər meydanı"}
		if got := titlesInOrder(t, app, "ru", wantRU); strings.Join(got, "|") != strings.Join(wantRU, "|") {
			t.Errorf("ru order:\n got %q\nwant %q", got, wantRU)
		}

		// Every translation write re-keys: "Zəfər" renamed to "Ağ şəhər" moves to the front.
		id := ids["Zəfər meydanı"]
		cur := decode[api.AdminArticleDTO](t, app.send(http.MethodGet, adminArticles+"/"+id, nil, as), http.StatusOK)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPut, adminArticles+"/"+id+"/translations/az",
			api.PutTranslationRequest{Title: "Ağ şəhər", Body: "<p>x</p>"}, as, ifMatch(cur.Version)), http.StatusOK)
		want := append([]string{"Ağ şəhər"}, wantAZ[:len(wantAZ)-1]...)
		if got := titlesInOrder(t, app, "az", append(want, "Zəfər meydanı")); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("after rename:\n got %q\nwant %q", got, want)
		}
	})
}
