// Package markdown renders user-written Markdown (request descriptions,
// comments, knowledge articles) to safe HTML, and to short plain-text
// excerpts.
//
// Rendering is two steps: goldmark turns GitHub-flavoured Markdown (raw HTML
// included) into HTML, then bluemonday removes everything outside a policy
// that is a subset of its UGCPolicy. Images are rendered as links, so the
// portal never loads remote content, and every link opens in a new tab with
// rel="nofollow noopener noreferrer".
package markdown

import (
	"bytes"
	"html"
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// linkRel is the rel attribute every link gets.
const linkRel = "nofollow noopener noreferrer"

// Renderer turns Markdown into sanitised HTML. Safe for concurrent use; build
// once with New and share it.
type Renderer struct {
	md     goldmark.Markdown
	plain  goldmark.Markdown  // for PlainText: raw HTML stays HTML, for the strict policy to remove
	policy *bluemonday.Policy // what Render lets through
	strip  *bluemonday.Policy // PlainText: no markup at all
	anchor *regexp.Regexp     // an <a …> start tag in sanitised output
	attr   *regexp.Regexp     // one name="value" attribute in such a tag
}

// New builds a Renderer.
func New() *Renderer {
	return &Renderer{
		md:     newMarkdown(safeNodes{}),
		plain:  newMarkdown(excerptNodes{}),
		policy: newPolicy(),
		strip:  bluemonday.StrictPolicy(),
		anchor: regexp.MustCompile(`<a\s[^>]*>`),
		attr:   regexp.MustCompile(`\s[a-zA-Z][a-zA-Z0-9:_-]*="[^"]*"`),
	}
}

// newMarkdown builds goldmark with the extensions of extension.GFM (column
// alignment written as the align attribute, which the policy allows; style
// is not) and the given node renderers.
func newMarkdown(nodes renderer.NodeRenderer) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
		),
		goldmark.WithRendererOptions(
			gmhtml.WithUnsafe(), // raw HTML goes on to the sanitiser
			renderer.WithNodeRenderers(util.Prioritized(nodes, 100)),
		),
	)
}

// Render returns src as sanitised HTML. GitHub-flavoured Markdown is
// supported (tables, strikethrough, autolinks, task lists). Raw HTML passes
// only as far as the policy (a subset of bluemonday's UGCPolicy without
// images, image maps and id attributes) allows. Links keep only http, https
// and mailto URLs and get rel="nofollow noopener noreferrer" and
// target="_blank"; images become links to the image.
func (r *Renderer) Render(src string) template.HTML {
	raw, err := r.convert(src)
	if err != nil {
		// goldmark fails only when its writer does; a bytes.Buffer does not.
		// Should it happen anyway, show the text rather than nothing.
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	clean := r.policy.SanitizeBytes(raw)
	clean = r.anchor.ReplaceAllFunc(clean, r.fixAnchor)
	return template.HTML(clean) //nolint:gosec // sanitised above
}

// convert runs goldmark.
func (r *Renderer) convert(src string) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fixAnchor gives a sanitised <a …> tag with an href exactly the rel and
// target the portal wants; bluemonday adds them too, but in its own order and
// not on mailto links. Other attributes keep their order; a tag without href
// is left alone. The tag comes from bluemonday, so every attribute is written
// as name="value" with '"' and '>' escaped inside values.
func (r *Renderer) fixAnchor(tag []byte) []byte {
	out := []byte("<a")
	hasHref := false
	for _, a := range r.attr.FindAll(tag, -1) {
		switch name := string(a[1:bytes.IndexByte(a, '=')]); name {
		case "rel", "target":
			continue
		case "href":
			hasHref = true
		}
		out = append(out, a...)
	}
	if !hasHref {
		return tag
	}
	return append(out, ` rel="`+linkRel+`" target="_blank">`...)
}

// PlainText returns a plain-text excerpt of src for lists, notifications and
// e-mails: Markdown syntax and HTML removed (the text of links and image
// descriptions kept), entities decoded, whitespace collapsed to single
// spaces. When the result is longer than max runes it is cut on a word
// boundary and ends in "…", the whole at most max runes; a word longer than
// that is cut mid-word. max <= 0 means no limit. The result is text, not
// HTML: escape it when putting it in a page.
func (r *Renderer) PlainText(src string, max int) string {
	var buf bytes.Buffer
	err := r.plain.Convert([]byte(src), &buf)
	raw := buf.Bytes()
	if err != nil {
		raw = []byte(html.EscapeString(src))
	}
	text := html.UnescapeString(string(r.strip.SanitizeBytes(raw)))
	return truncate(strings.Join(strings.Fields(text), " "), max)
}

// truncate cuts s to at most max runes on a word boundary, ending in "…".
func truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	cut := runes[:max-1] // room for the ellipsis
	if runes[max-1] != ' ' {
		if i := lastSpace(cut); i > 0 {
			cut = cut[:i]
		}
	}
	head := strings.TrimRight(string(cut), " ,;:-–")
	return head + "…"
}

// lastSpace returns the index of the last space in rs, or -1.
func lastSpace(rs []rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == ' ' {
			return i
		}
	}
	return -1
}
