package markdown

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// hostile are inputs that try to get script or remote content into the page.
var hostile = []string{
	"<script>alert(1)</script>",
	"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
	"[x](javascript:alert(1))",
	"[x](JAVASCRIPT:alert(1))",
	"[x](jav&#x61;script:alert(1))",
	"[x](java\tscript:alert(1))",
	"[x]( javascript:alert(1) )",
	"[x](vbscript:msgbox(1))",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"<javascript:alert(1)>",
	"![x](javascript:alert(1))",
	"![x](https://evil.example/track.png)",
	"![x](data:image/png;base64,iVBORw0KGgo=)",
	"<img src=x onerror=alert(1)>",
	"<img src=\"https://evil.example/track.png\">",
	`<a href="data:text/html,<script>alert(1)</script>">x</a>`,
	`<a href="javascript&colon;alert(1)">x</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<p onclick="alert(1)">x</p>`,
	`<div onmouseover=alert(1)>x</div>`,
	`<a href="https://ok.example" onfocus="alert(1)" autofocus>x</a>`,
	`<svg onload=alert(1)>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<style>@import url(https://evil.example/x.css)</style>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="https://evil.example/x.swf">`,
	`<form action="javascript:alert(1)"><button>x</button></form>`,
	`<base href="javascript:/">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<link rel="stylesheet" href="https://evil.example/x.css">`,
	"<!--><script>alert(1)</script>-->",
	"<scr<script>ipt>alert(1)</script>",
	"[a](<javascript:alert(1)>)",
	"[ref]\n\n[ref]: javascript:alert(1)",
	"[x](https://ok.example \"a\" onmouseover=\"alert(1)\")",
	"`<script>` and ```\n<script>alert(1)</script>\n```",
	"| a |\n|---|\n| <img src=x onerror=alert(1)> |",
	"<details open ontoggle=alert(1)>x</details>",
	"<a href=\"https://ok.example\" title=\"javascript:\">x</a> javascript: data: onclick=",
}

var (
	// forbiddenTag matches an element that must never reach the page. Text
	// never contains a raw '<' (it is escaped), so a match is a real tag.
	forbiddenTag = regexp.MustCompile(`(?i)<\s*/?\s*(script|iframe|img|svg|style|object|embed|form|input|button|textarea|select|link|meta|base|math|frame|frameset|audio|video|source|template)\b`)
	// anyTag matches one tag of the output.
	anyTag = regexp.MustCompile(`<[^>]*>`)
	// canonicalTag is how bluemonday writes tags: lower-case names, every
	// attribute double-quoted. Anything else would make the checks below blind.
	canonicalTag = regexp.MustCompile(`^</?[a-z][a-z0-9]*(\s[a-z][a-z0-9-]*="[^"<>]*")*\s*/?>$`)
	attribute    = regexp.MustCompile(`\s([a-z][a-z0-9-]*)="([^"]*)"`)
	// eventAttr and dangerousURL are checked on the markup only: text such as
	// "javascript: is a language" may appear, escaped, between tags.
	eventAttr    = regexp.MustCompile(`(?i)\son\w+\s*=`)
	dangerousURL = regexp.MustCompile(`(?i)(javascript|vbscript|data):`)
	allowedURL   = regexp.MustCompile(`(?i)^(https?|mailto):`)
	scriptURL    = regexp.MustCompile(`(?i)^(javascript|vbscript|data):`)
	// whitespace that browsers drop from URLs before looking at the scheme.
	urlNoise = strings.NewReplacer("\t", "", "\n", "", "\r", "")
)

// unsafeHTML returns what is wrong with sanitised output, or "".
func unsafeHTML(out string) string {
	if m := forbiddenTag.FindString(out); m != "" {
		return "forbidden element " + m
	}
	for _, tag := range anyTag.FindAllString(out, -1) {
		if problem := unsafeTag(tag); problem != "" {
			return problem
		}
	}
	return ""
}

// unsafeTag checks one tag: its form, attribute names and URL values.
func unsafeTag(tag string) string {
	if !canonicalTag.MatchString(tag) {
		return "non-canonical tag " + tag
	}
	markup := attribute.ReplaceAllString(tag, ` $1=""`) // names without values
	if eventAttr.MatchString(markup) || dangerousURL.MatchString(markup) {
		return "event handler or script URL in " + tag
	}
	for _, m := range attribute.FindAllStringSubmatch(tag, -1) {
		name, value := m[1], html.UnescapeString(m[2])
		switch name {
		case "style", "srcdoc", "src", "action", "formaction", "background", "poster":
			return "forbidden attribute in " + tag
		case "href", "cite":
			u := strings.TrimLeft(urlNoise.Replace(value), "\x00\x01\x02\x03\x04\x05\x06\x07\x08 ")
			if scriptURL.MatchString(u) || !allowedURL.MatchString(u) {
				return "URL not http(s) or mailto in " + tag
			}
		}
	}
	return ""
}

func TestHostileInputs(t *testing.T) {
	r := New()
	for _, src := range hostile {
		out := string(r.Render(src))
		if problem := unsafeHTML(out); problem != "" {
			t.Errorf("Render(%q) = %q: %s", src, out, problem)
		}
	}
}

// TestCheckerCatchesUnsafeHTML makes sure the fuzz assertions are not blind.
func TestCheckerCatchesUnsafeHTML(t *testing.T) {
	bad := []string{
		`<script>`, `<IMG src=x>`, `<svg>`, `<iframe>`, `<style>`,
		`<p onclick="x">`, `<a href="javascript:alert(1)">`, `<a href="jav&#x61;script:x">`,
		`<a href="java&#9;script:x">`, `<a href="data:text/html,x">`, `<a href="/relative">`,
		`<a href=unquoted>`, `<p style="x">`,
	}
	for _, s := range bad {
		if unsafeHTML(s) == "" {
			t.Errorf("checker accepts %q", s)
		}
	}
	good := `<p title="javascript: data: x onclick=y">javascript: data: onclick=1</p><a href="https://x/data:y">x</a>`
	if problem := unsafeHTML(good); problem != "" {
		t.Errorf("checker rejects safe HTML: %s", problem)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add(descriptionNL)
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.Render(src))
		if problem := unsafeHTML(out); problem != "" {
			t.Fatalf("Render(%q) = %q: %s", src, out, problem)
		}
		if s := r.PlainText(src, 50); len([]rune(s)) > 50 {
			t.Fatalf("PlainText(%q, 50) = %q: longer than 50 runes", src, s)
		}
	})
}
