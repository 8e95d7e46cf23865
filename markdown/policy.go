package markdown

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy returns the sanitising policy: bluemonday's UGCPolicy without
// the parts a portal that shows other people's text should not have.
//
// Left out compared to UGCPolicy: img (images become links, so no remote
// content is ever loaded), map and area (image maps), the id attribute (user
// content must not clobber the page's own ids), meter and progress, and
// relative URLs (only http, https and mailto remain). Links get rel
// nofollow, noreferrer and noopener and target="_blank" (Render normalises
// the result).
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	allowGlobalAttrs(p)
	allowURLs(p)
	allowStructure(p)
	allowPhrasing(p)
	p.AllowLists()
	p.AllowTables()
	return p
}

// allowGlobalAttrs allows dir, lang and title on every allowed element.
func allowGlobalAttrs(p *bluemonday.Policy) {
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,20}$`)).Globally()
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).Globally()
}

// allowURLs sets which URLs survive and what links get.
func allowURLs(p *bluemonday.Policy) {
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("href").OnElements("a")
}

// allowStructure allows the block elements of UGCPolicy.
func allowStructure(p *bluemonday.Policy) {
	p.AllowElements("article", "aside", "figure", "section", "summary",
		"h1", "h2", "h3", "h4", "h5", "h6", "hgroup",
		"br", "div", "hr", "p", "span", "wbr", "pre")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`(?i)^(|open)$`)).OnElements("details")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
}

// allowPhrasing allows the inline elements of UGCPolicy.
func allowPhrasing(p *bluemonday.Policy) {
	p.AllowElements("abbr", "acronym", "cite", "code", "dfn", "em",
		"figcaption", "mark", "s", "samp", "strong", "sub", "sup", "var",
		"b", "i", "small", "strike", "tt", "u", "rp", "rt", "ruby")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time")
	p.AllowAttrs("dir").Matching(bluemonday.Direction).OnElements("bdi", "bdo")
	p.AllowAttrs("cite").Matching(bluemonday.Paragraph).OnElements("del", "ins")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("del", "ins")
}
