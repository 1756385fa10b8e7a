package api_test

import (
	"encoding/xml"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// xmllintSchema validates doc against a schema of testdata/sitemaps with xmllint (Debian's
// libxml2-utils; .ci/run installs it), offline.
func xmllintSchema(t *testing.T, schema string, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint is missing: apt-get install libxml2-utils")
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join("testdata", "sitemaps", schema), f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint --schema %s: %v\n%s\n%.1500s", schema, err, out, doc)
	}
}

type sitemapIndexDoc struct {
	Files []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

type urlsetDoc struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Links   []struct {
			HrefLang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
		Image *struct {
			Loc string `xml:"loc"`
		} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
		News *struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
}

// sitemapEnv is frontendEnv with small sitemap files, so the demo archive spans several.
var sitemapEnv = map[string]string{"HERALD_SITEMAP_URLS_PER_FILE": "4"}

func init() {
	for k, v := range frontendEnv {
		sitemapEnv[k] = v
	}
}

func TestSitemaps(t *testing.T) {
	eachDialectEnv(t, sitemapEnv, func(t *testing.T, app *testApp) {
		coverID, draft := frontendContent(t, app)
		fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=en", http.StatusOK)

		rec := app.get("/sitemap.xml")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") {
			t.Fatalf("index: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
		xmllintSchema(t, "siteindex.xsd", rec.Body.Bytes())
		var idx sitemapIndexDoc
		if err := xml.Unmarshal(rec.Body.Bytes(), &idx); err != nil {
			t.Fatal(err)
		}
		files := map[string][]string{} // locale → file paths
		for _, f := range idx.Files {
			path, ok := strings.CutPrefix(f.Loc, "https://api.news.example/sitemaps/")
			if !ok {
				t.Fatalf("index lists %q, not under HERALD_PUBLIC_URL", f.Loc)
			}
			loc, _, _ := strings.Cut(path, "-")
			files[loc] = append(files[loc], "/sitemaps/"+path)
		}
		if len(files["news.xml"]) != 0 {
			t.Errorf("news sitemap listed with no article of the last two days: %v", files)
		}

		for _, loc := range []string{"az", "en", "ru"} {
			total := *getJSON[articleList](t, app, "/api/v1/articles?per_page=1&fallback=false&locale="+loc, http.StatusOK).Meta.Total
			if want := int((total + 3) / 4); len(files[loc]) != want || total < 5 {
				t.Fatalf("%s: %d files for %d articles, want %d (4 per file)", loc, len(files[loc]), total, want)
			}
			seen := map[string]bool{}
			for i, path := range files[loc] {
				if path != "/sitemaps/"+loc+"-"+strconv.Itoa(i+1)+".xml" {
					t.Errorf("file %d of %s is %s", i+1, loc, path)
				}
				rec := app.get(path)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
				}
				xmllintSchema(t, "urlset.xsd", rec.Body.Bytes())
				if strings.Contains(rec.Body.String(), draft) || strings.Contains(rec.Body.String(), "secret-draft") {
					t.Errorf("%s lists the draft", path)
				}
				var doc urlsetDoc
				if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				if len(doc.URLs) == 0 || len(doc.URLs) > 4 {
					t.Errorf("%s: %d URLs", path, len(doc.URLs))
				}
				for _, u := range doc.URLs {
					if seen[u.Loc] {
						t.Errorf("%s repeats %s", path, u.Loc)
					}
					seen[u.Loc] = true
					if len(u.Links) < 2 || u.Links[len(u.Links)-1].HrefLang != "x-default" {
						t.Errorf("%s: %s alternates %+v", path, u.Loc, u.Links)
					}
					self := false
					for _, l := range u.Links {
						self = self || l.HrefLang == loc && l.Href == u.Loc
					}
					if !self {
						t.Errorf("%s: %s does not name itself among its alternates %+v", path, u.Loc, u.Links)
					}
					if u.Loc != fixtureURLs[loc] {
						continue
					}
					// The fixture: its three translations, x-default the az one, its cover, its time.
					want := []string{"az " + fixtureURLs["az"], "en " + fixtureURLs["en"], "ru " + fixtureURLs["ru"], "x-default " + fixtureURLs["az"]}
					var got []string
					for _, l := range u.Links {
						got = append(got, l.HrefLang+" "+l.Href)
					}
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("%s: fixture alternates\n%s\nwant\n%s", path, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
					if u.Image == nil || !strings.HasPrefix(u.Image.Loc, "https://api.news.example/media/") {
						t.Errorf("%s: fixture image %+v (cover %s)", path, u.Image, coverID)
					}
					if lm, err := time.Parse(time.RFC3339, u.LastMod); err != nil || !lm.Equal(fx.UpdatedAt.Truncate(time.Second)) {
						t.Errorf("%s: fixture lastmod %q, updated_at %v", path, u.LastMod, fx.UpdatedAt)
					}
				}
			}
			if len(seen) != int(total) || !seen[fixtureURLs[loc]] {
				t.Errorf("%s: sitemaps list %d URLs (fixture %v), %d articles are published in %s", loc, len(seen), seen[fixtureURLs[loc]], total, loc)
			}
		}

		// Google News: an article published now, in two locales; the draft stays out.
		tok, _ := app.token(t, auth.RoleEditor)
		as := bearer(tok)
		fresh := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "az", "title": "Təzə xəbər"}, {"locale": "en", "title": "Fresh news"}}}, as), http.StatusCreated)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+fresh.ID+"/publish", nil, as, ifMatch(fresh.Version)), http.StatusOK)
		rec = app.get("/sitemap.xml")
		if !strings.Contains(rec.Body.String(), "<loc>https://api.news.example/sitemaps/news.xml</loc>") {
			t.Errorf("index lacks the news sitemap: %s", rec.Body.String())
		}
		rec = app.get("/sitemaps/news.xml")
		if rec.Code != http.StatusOK {
			t.Fatalf("news: %d %s", rec.Code, rec.Body.String())
		}
		xmllintSchema(t, "urlset.xsd", rec.Body.Bytes())
		var news urlsetDoc
		if err := xml.Unmarshal(rec.Body.Bytes(), &news); err != nil {
			t.Fatal(err)
		}
		if len(news.URLs) != 2 || strings.Contains(rec.Body.String(), draft) {
			t.Fatalf("news sitemap: %s", rec.Body.String())
		}
		for _, u := range news.URLs {
			if u.News == nil || u.News.Title == "" || u.News.Name == "" || (u.News.Language != "az" && u.News.Language != "en") {
				t.Errorf("news entry %+v", u)
			}
			if u.News.Language == "en" && (u.Loc != "https://news.example/en/news/fresh-news" || u.News.Title != "Fresh news" || !strings.Contains(u.News.Name, "Ombudsman")) {
				t.Errorf("en news entry %+v %+v", u, u.News)
			}
		}

		// Validated like every public read.
		rec = app.get("/sitemaps/az-1.xml")
		if rec = app.get("/sitemaps/az-1.xml", "If-None-Match: "+rec.Header().Get("ETag")); rec.Code != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", rec.Code)
		}
		for _, target := range []string{"/sitemaps/az-99.xml", "/sitemaps/fr-1.xml", "/sitemaps/az-01.xml", "/sitemaps/az-0.xml",
			"/sitemaps/az.xml", "/sitemaps/az-1.txt", "/sitemaps/-1.xml"} {
			problem(t, app.get(target), http.StatusNotFound)
		}
		problem(t, app.get("/sitemap.xml?page=2"), http.StatusBadRequest)
	})
}

// The news sitemap is empty, and so left out, when nothing is recent; without a site there
// are no sitemaps at all.
func TestSitemapsNeedSite(t *testing.T) {
	app := wire(t, testkit.URL(t, "sqlite"), map[string]string{"HERALD_ENV": "production", "HERALD_DEMO_CONTENT": "true",
		"HERALD_JWT_SECRET": "Zx9vQ2mL7pR4tK8wB3nH6jF1cD5gS0aYq7Ue"}, &clock{now: time.Now().UTC()})
	for _, target := range []string{"/sitemap.xml", "/sitemaps/az-1.xml", "/sitemaps/news.xml"} {
		if p := problem(t, app.get(target), http.StatusNotFound); !strings.Contains(p.Detail, "HERALD_SITE_URL") {
			t.Errorf("%s: %+v", target, p)
		}
	}
	site := wire(t, testkit.URL(t, "sqlite"), frontendEnv, &clock{now: time.Now().UTC()})
	problem(t, site.get("/sitemaps/news.xml"), http.StatusNotFound)
}
