package content

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		// Real Azerbaijani titles: ə must not be dropped (a popular library gives
		// "g-l-c-k-m-kdasliq" for the first one).
		"gələcək əməkdaşlıq": "gelecek-emekdashliq",
		"Ombudsman və BMT Ali Komissarlığı arasında əməkdaşlıq perspektivləri müzakirə olunub": "ombudsman-ve-bmt-ali-komissarligi-arasinda-emekdashliq-perspektivleri-muzakire", // cut at a word within MaxSlugLen
		"İnsan Hüquqları Günü":           "insan-huquqlari-gunu",
		"Uşaq hüquqları":                 "ushaq-huquqlari",
		"Ağ, göz, çay":                   "ag-goz-chay",
		"ƏLİ VƏ ŞÜKÜR":                   "eli-ve-shukur",
		"Qarabağ: bərpa və yenidənqurma": "qarabag-berpa-ve-yenidenqurma",
		// Russian Cyrillic.
		"Права ребёнка": "prava-rebenka",
		"Обсуждены перспективы сотрудничества": "obsuzhdeny-perspektivy-sotrudnichestva",
		"Щука, объявление, Юг, Эхо, Цех, Хлеб": "shchuka-obyavlenie-yug-ekho-tsekh-khleb",
		// English and other Latin text.
		"Children's rights":          "childrens-rights",
		"Café Zürich — Straße":       "cafe-zurich-strasse",
		"“Mənim hüquqlarım” — 916!":  "menim-huquqlarim-916",
		"'; DROP TABLE articles; --": "drop-table-articles",
		"<script>alert(1)</script>":  "script-alert-1-script",
		"   ":                        "",
		"日本語":                        "",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := Slugify(strings.Repeat("əməkdaşlıq ", 40))
	if len(long) > MaxSlugLen || !ValidSlug(long) {
		t.Errorf("long slug %q (%d bytes)", long, len(long))
	}
}

func TestValidSlugAndUnique(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "news-2021": true, "": false, "Upper": false, "double--hyphen": false,
		"-lead": false, "trail-": false, "şəki": false, "a b": false, strings.Repeat("a", 121): false,
	} {
		if ValidSlug(s) != want {
			t.Errorf("ValidSlug(%q) = %v", s, !want)
		}
	}
	if got := uniqueSlug("news", nil); got != "news" {
		t.Errorf("free: %q", got)
	}
	if got := uniqueSlug("news", []string{"news", "news-2", "news-4"}); got != "news-3" {
		t.Errorf("taken: %q", got)
	}
}

func TestReadingMinutes(t *testing.T) {
	for body, want := range map[string]int{
		"":           0,
		"<p></p>":    0,
		"<p>one</p>": 1,
		"<p>" + strings.Repeat("w ", 200) + "</p>": 1,
		"<p>" + strings.Repeat("w ", 201) + "</p>": 2,
	} {
		if got := ReadingMinutes(body); got != want {
			t.Errorf("ReadingMinutes(%.20q…) = %d, want %d", body, got, want)
		}
	}
}

func TestRenderBody(t *testing.T) {
	r := newRenderer()
	for _, c := range []struct {
		in     string
		format BodyFormat
		want   string
	}{
		{`<p onclick="x()">a</p><script>alert(1)</script>`, FormatHTML, `<p>a</p>`},
		{`<a href="javascript:alert(1)">x</a>`, FormatHTML, `x`},
		{`<a href="https://example.org">x</a>`, FormatHTML, `<a href="https://example.org" rel="nofollow noopener" target="_blank">x</a>`},
		{`<img src="https://cdn.example/a.jpg" alt="a" onerror="x()">`, FormatHTML, `<img src="https://cdn.example/a.jpg" alt="a">`},
		{`<iframe src="https://www.youtube.com/embed/abc" width="560" allowfullscreen></iframe>`, FormatHTML, `<iframe src="https://www.youtube.com/embed/abc"></iframe>`},
		{`<iframe src="https://player.vimeo.com/video/1"></iframe>`, FormatHTML, `<iframe src="https://player.vimeo.com/video/1"></iframe>`},
		{`<iframe src="https://evil.example/embed/abc" width="560"></iframe>`, FormatHTML, ``},
		{`<iframe src="https://www.youtube.com.evil.example/embed/abc"></iframe>`, FormatHTML, ``},
		// Paths on an allowed host must be normal: dot segments and encodings reach other pages.
		{`<iframe src="https://www.youtube.com/embed/../../redirect?q=https://evil.example"></iframe>`, FormatHTML, ``},
		{`<iframe src="https://www.youtube.com/embed/abc/./x"></iframe>`, FormatHTML, ``},
		{`<iframe src="https://www.youtube.com/embed/%2e%2e/x"></iframe>`, FormatHTML, ``},
		{`<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?start=10&rel=0"></iframe>`, FormatHTML, `<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?start=10&amp;rel=0"></iframe>`},
		{`<iframe src="https://vk.com/video_ext.php?oid=-1&id=2&hash=a.b"></iframe>`, FormatHTML, `<iframe src="https://vk.com/video_ext.php?oid=-1&amp;id=2&amp;hash=a.b"></iframe>`},
		// srcset URLs are checked like src.
		{`<img src="/a.jpg" srcset="javascript:alert(1) 1x, /b.jpg 2x">`, FormatHTML, `<img src="/a.jpg">`},
		{`<img src="/a.jpg" srcset="data:text/html,&lt;script&gt;x 1x">`, FormatHTML, `<img src="/a.jpg">`},
		{`<img src="/a.jpg" srcset=" JaVaScRiPt&#58;alert(1)">`, FormatHTML, `<img src="/a.jpg">`},
		{`<img src="/a.jpg" srcset="/a-320.jpg 320w, https://cdn.example/a-800.jpg 800w" sizes="(max-width: 600px) 320px, 800px">`, FormatHTML,
			`<img src="/a.jpg" srcset="/a-320.jpg 320w, https://cdn.example/a-800.jpg 800w" sizes="(max-width: 600px) 320px, 800px">`},
		{`<figure><img src="/m/1.jpg" alt="x"><figcaption>Foto</figcaption></figure>`, FormatHTML, `<figure><img src="/m/1.jpg" alt="x"><figcaption>Foto</figcaption></figure>`},
		{`<table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>`, FormatHTML, `<table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>`},
		{`<p style="color:red" class="x">a</p>`, FormatHTML, `<p>a</p>`},
		{"## Başlıq\n\n- bir\n- iki\n\n> sitat", FormatMarkdown, "<h2>Başlıq</h2>\n<ul>\n<li>bir</li>\n<li>iki</li>\n</ul>\n<blockquote>\n<p>sitat</p>\n</blockquote>\n"},
		{"text <script>alert(1)</script>", FormatMarkdown, "<p>text </p>\n"},
		{"[x](javascript:alert(1))", FormatMarkdown, "<p>x</p>\n"},
	} {
		got, err := r.body(c.in, c.format)
		if err != nil || got != c.want {
			t.Errorf("body(%q, %s) = %q, %v; want %q", c.in, c.format, got, err, c.want)
		}
	}
}
