package mailin

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText turns an HTML mail into readable plain text: blocks become
// lines, lists get dashes, links keep their address, and quoted messages
// (blockquote, Gmail's gmail_quote) are marked with "> " so trimReply can
// leave them out. Scripts, styles and the head are dropped.
func htmlText(src string) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	w := &textWriter{}
	w.node(doc, 0)
	return w.b.String()
}

// textWriter writes text while keeping track of spaces and line ends.
type textWriter struct {
	b        strings.Builder
	space    bool // a space is due before the next word
	newlines int  // how many line ends the text ends with
	pre      int  // inside <pre>: whitespace is kept
}

func (w *textWriter) text(s string) {
	for _, r := range s {
		if w.b.Len() >= maxText {
			return
		}
		if w.pre == 0 && unicode.IsSpace(r) {
			w.space = true
			continue
		}
		if w.space && w.newlines == 0 && w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		w.space = false
		w.b.WriteRune(r)
		if r == '\n' {
			w.newlines++
		} else {
			w.newlines = 0
		}
	}
}

// lines ends the current line and, for n 2, leaves a blank line.
func (w *textWriter) lines(n int) {
	w.space = false
	if w.b.Len() == 0 {
		return
	}
	for w.newlines < n {
		w.b.WriteByte('\n')
		w.newlines++
	}
}

// skipped are elements whose content is not text for a reader.
var skipped = map[atom.Atom]bool{atom.Head: true, atom.Script: true, atom.Style: true, atom.Title: true,
	atom.Template: true, atom.Noscript: true, atom.Object: true, atom.Iframe: true, atom.Svg: true}

// paragraphs end with a blank line, blocks with a line end.
var paragraphs = map[atom.Atom]bool{atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Pre: true}

var blocks = map[atom.Atom]bool{atom.Div: true, atom.Tr: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Address: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Center: true, atom.Form: true, atom.Main: true, atom.Nav: true, atom.Aside: true, atom.Figure: true}

func (w *textWriter) node(n *html.Node, depth int) {
	if depth > 200 {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		if skipped[n.DataAtom] {
			return
		}
		if isQuote(n) {
			w.quote(n, depth)
			return
		}
		w.open(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, depth+1)
	}
	if n.Type == html.ElementNode {
		w.close(n)
	}
}

func (w *textWriter) open(n *html.Node) {
	switch {
	case n.DataAtom == atom.Br:
		w.b.WriteByte('\n')
		w.newlines++
		w.space = false
	case n.DataAtom == atom.Hr:
		w.lines(2)
	case n.DataAtom == atom.Li:
		w.lines(1)
		w.b.WriteString("- ")
		w.newlines, w.space = 0, false
	case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
		w.space = true
	case n.DataAtom == atom.Pre:
		w.lines(2)
		w.pre++
	case paragraphs[n.DataAtom]:
		w.lines(2)
	case blocks[n.DataAtom]:
		w.lines(1)
	}
}

func (w *textWriter) close(n *html.Node) {
	switch {
	case n.DataAtom == atom.A:
		if href := attr(n, "href"); linkWorthShowing(href, n) {
			w.text(" (" + strings.TrimPrefix(href, "mailto:") + ")")
		}
	case n.DataAtom == atom.Pre:
		w.pre--
		w.lines(2)
	case paragraphs[n.DataAtom]:
		w.lines(2)
	case blocks[n.DataAtom], n.DataAtom == atom.Li:
		w.lines(1)
	}
}

// quote writes a quoted message with "> " before each line.
func (w *textWriter) quote(n *html.Node, depth int) {
	inner := &textWriter{}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		inner.node(c, depth+1)
	}
	w.lines(1)
	for _, l := range strings.Split(strings.TrimRight(inner.b.String(), "\n"), "\n") {
		w.b.WriteString("> " + l + "\n")
	}
	w.newlines = 1
	w.space = false
}

// isQuote recognises the elements mail clients put a quoted message in.
func isQuote(n *html.Node) bool {
	if n.DataAtom == atom.Blockquote {
		return true
	}
	class := " " + attr(n, "class") + " "
	return n.DataAtom == atom.Div && (strings.Contains(class, " gmail_quote ") || strings.Contains(class, " moz-cite-prefix ") || strings.Contains(class, " yahoo_quoted "))
}

// linkWorthShowing says whether a link's address adds to its text.
func linkWorthShowing(href string, n *html.Node) bool {
	if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "mailto:") {
		return false
	}
	var text strings.Builder
	var collect func(*html.Node, int)
	collect = func(c *html.Node, depth int) {
		if c.Type == html.TextNode {
			text.WriteString(c.Data)
		}
		for k := c.FirstChild; k != nil && text.Len() < 2000 && depth < 50; k = k.NextSibling {
			collect(k, depth+1)
		}
	}
	collect(n, 0)
	t := strings.TrimSpace(text.String())
	return t != "" && t != href && t != strings.TrimPrefix(href, "mailto:") && len(href) <= 500
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
