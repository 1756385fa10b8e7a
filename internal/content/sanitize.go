package content

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// BodyFormat is how a client writes a body; it is always stored as sanitized HTML.
type BodyFormat string

const (
	FormatHTML     BodyFormat = "html"
	FormatMarkdown BodyFormat = "markdown"
)

// videoEmbed is the allow-list of iframe sources: embeds of the video hosts newsrooms use.
// After a path prefix only a normal path may follow (no dot segments, no percent-encoding:
// "/embed/../../x" is another page of the host, which browsers would load), then a query;
// after a query prefix (vk, facebook) only the query.
var videoEmbed = regexp.MustCompile(`^https://(` +
	`(((www\.)?youtube\.com/embed/|(www\.)?youtube-nocookie\.com/embed/|` +
	`player\.vimeo\.com/video/|(www\.)?dailymotion\.com/embed/video/|` +
	`rutube\.ru/play/embed/)[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*/?(\?[A-Za-z0-9_\-.=&%]*)?)|` +
	`((vk\.com/video_ext\.php\?|(www\.)?facebook\.com/plugins/video\.php\?)[A-Za-z0-9_\-.=&%]*)` +
	`)$`)

// srcsetURLs is what an img srcset may hold: comma-separated candidates, each an http(s) URL
// or a relative one (no scheme: no colon at all, so no javascript: or data:) with an optional
// width or density descriptor. bluemonday checks src but not srcset.
var srcsetURLs = regexp.MustCompile(`^\s*` + srcsetCandidate + `(\s*,\s*` + srcsetCandidate + `)*\s*,?\s*$`)

const srcsetCandidate = `(https?://[^\s,:]+(:[0-9]+)?[^\s,:]*|[^\s,:]+)(\s+[0-9]+(\.[0-9]+)?[wx])?`

// bodyPolicy is the sanitizer for article bodies: the structure of a news story (headings,
// paragraphs, lists, links, images, tables, figures, quotes, code) and video embeds from
// videoEmbed, without scripts, styles, event handlers or forms.
func bodyPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
		"strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr",
		"code", "pre", "kbd", "blockquote", "q", "cite",
		"ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "span", "div", "section", "aside")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("title").OnElements("a", "abbr", "img")
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowImages()
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	p.AllowAttrs("srcset").Matching(srcsetURLs).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^[A-Za-z0-9 ,.():%-]*$`)).OnElements("img")
	p.AllowTables()
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("reversed").OnElements("ol")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	// An iframe survives only with an allowed src: bluemonday drops an element that is
	// allowed through attributes alone once none of them is left, so src is its only
	// attribute (frontends size and style embeds themselves).
	p.AllowAttrs("src").Matching(videoEmbed).OnElements("iframe")
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$`)).Globally()
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]{0,63}$`)).OnElements("h2", "h3", "h4", "h5", "h6")
	return p
}

// renderer turns a body into sanitized HTML.
type renderer struct {
	policy   *bluemonday.Policy
	markdown goldmark.Markdown
}

func newRenderer() *renderer {
	return &renderer{
		policy: bodyPolicy(),
		// Raw HTML in Markdown is passed through to the sanitizer, which has the last word.
		markdown: goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe())),
	}
}

// body converts src from format to HTML and sanitizes it.
func (r *renderer) body(src string, format BodyFormat) (string, error) {
	if format == FormatMarkdown {
		var buf bytes.Buffer
		if err := r.markdown.Convert([]byte(src), &buf); err != nil {
			return "", err
		}
		src = buf.String()
	}
	return r.policy.Sanitize(src), nil
}
