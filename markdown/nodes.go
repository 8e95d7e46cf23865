package markdown

import (
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// safeNodes renders the Markdown nodes whose default HTML the portal does not
// want: images become links, task-list check boxes become ☐ and ☑ (the policy
// allows no form elements), and a script pasted into a description, which
// the sanitiser would drop without a trace, becomes text.
type safeNodes struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (safeNodes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, renderImage)
	reg.Register(extast.KindTaskCheckBox, renderCheckBox)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindRawHTML, renderRawHTML)
}

// excerptNodes are safeNodes for plain-text excerpts: raw HTML stays
// HTML there, which the strict policy removes, script and all.
type excerptNodes struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (excerptNodes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, renderImage)
	reg.Register(extast.KindTaskCheckBox, renderCheckBox)
}

// swallowing matches the start or end tag of a script: the sanitiser
// removes it with everything in it, so what a person pasted there would
// vanish without a trace. (Other elements it removes keep their text.)
var swallowing = regexp.MustCompile(`(?i)^<\s*/?\s*script\b`)

// renderHTMLBlock writes a block of raw HTML for the sanitiser, or, when it
// starts with a script, as a block of code that shows it literally.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	var raw []byte
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		raw = append(raw, line.Value(source)...)
	}
	if n.HasClosure() {
		raw = append(raw, n.ClosureLine.Value(source)...)
	}
	if !swallowing.Match(raw) {
		if entering {
			gmhtml.DefaultWriter.SecureWrite(w, raw)
		}
		return ast.WalkContinue, nil
	}
	if entering {
		_, _ = w.WriteString("<pre><code>")
		_, _ = w.WriteString(html.EscapeString(strings.TrimRight(string(raw), "\n")))
		_, _ = w.WriteString("</code></pre>\n")
	}
	return ast.WalkContinue, nil
}

// renderRawHTML writes an inline tag for the sanitiser, or as text when it
// opens or closes a script.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw []byte
	for i := range n.Segments.Len() {
		seg := n.Segments.At(i)
		raw = append(raw, seg.Value(source)...)
	}
	if swallowing.Match(raw) {
		_, _ = w.WriteString(html.EscapeString(string(raw)))
	} else {
		_, _ = w.Write(raw)
	}
	return ast.WalkSkipChildren, nil
}

// renderImage writes ![alt](src "title") as <a href="src" title="title">alt</a>,
// with src as the text when alt is empty. Inside a link, where another <a>
// cannot go, it writes only the text.
func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	dest := util.EscapeHTML(util.URLEscape(n.Destination, true))
	if insideLink(n) {
		writeAltText(w, source, n, dest)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(dest)
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		gmhtml.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	writeAltText(w, source, n, dest)
	_, _ = w.WriteString("</a>")
	return ast.WalkSkipChildren, nil
}

// insideLink reports whether n has a link (or autolink) as an ancestor.
func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if k := p.Kind(); k == ast.KindLink || k == ast.KindAutoLink {
			return true
		}
	}
	return false
}

// writeAltText writes the image description as escaped text, or fallback
// (already escaped) when there is none.
func writeAltText(w util.BufWriter, source []byte, n ast.Node, fallback []byte) {
	if hasText(source, n) {
		writeTexts(w, source, n)
	} else {
		_, _ = w.Write(fallback)
	}
}

// hasText reports whether any descendant of n holds text.
func hasText(source []byte, n ast.Node) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if len(c.Value(source)) > 0 {
				return true
			}
		case *ast.String:
			if len(c.Value) > 0 {
				return true
			}
		default:
			if hasText(source, c) {
				return true
			}
		}
	}
	return false
}

// writeTexts writes the text of n's descendants, escaped, without markup.
func writeTexts(w util.BufWriter, source []byte, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			gmhtml.DefaultWriter.Write(w, c.Value(source))
			if c.SoftLineBreak() || c.HardLineBreak() {
				_ = w.WriteByte(' ')
			}
		case *ast.String:
			gmhtml.DefaultWriter.Write(w, c.Value)
		default:
			writeTexts(w, source, c)
		}
	}
}

// renderCheckBox writes a task-list box as a character.
func renderCheckBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*extast.TaskCheckBox).IsChecked {
		_, _ = w.WriteString("☑ ")
	} else {
		_, _ = w.WriteString("☐ ")
	}
	return ast.WalkContinue, nil
}
