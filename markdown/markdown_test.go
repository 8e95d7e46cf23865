package markdown

import (
	"strings"
	"sync"
	"testing"
)

const rel = `rel="nofollow noopener noreferrer" target="_blank"`

func TestRender(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		src  string
		want string // exact output, surrounding whitespace ignored
	}{
		{"empty", "", ""},
		{"heading", "# Kop\n\n## Tussenkop", "<h1>Kop</h1>\n<h2>Tussenkop</h2>"},
		{"emphasis", "*schuin* en **vet**", "<p><em>schuin</em> en <strong>vet</strong></p>"},
		{"strikethrough", "~~vervallen~~", "<p><del>vervallen</del></p>"},
		{"bullet list", "- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"},
		{"ordered list", "1. een\n2. twee", "<ol>\n<li>een</li>\n<li>twee</li>\n</ol>"},
		{"task list", "- [ ] open\n- [x] klaar", "<ul>\n<li>☐ open</li>\n<li>☑ klaar</li>\n</ul>"},
		{"link", "[AFAS](https://www.afas.nl)",
			`<p><a href="https://www.afas.nl" ` + rel + `>AFAS</a></p>`},
		{"link with title", `[AFAS](https://www.afas.nl "Website")`,
			`<p><a href="https://www.afas.nl" title="Website" ` + rel + `>AFAS</a></p>`},
		{"autolink www", "zie www.afas.nl",
			`<p>zie <a href="http://www.afas.nl" ` + rel + `>www.afas.nl</a></p>`},
		{"autolink angle brackets", "<https://example.com/a?b=c&d=e>",
			`<p><a href="https://example.com/a?b=c&amp;d=e" ` + rel + `>https://example.com/a?b=c&amp;d=e</a></p>`},
		{"mailto", "mail fb@example.nl",
			`<p>mail <a href="mailto:fb@example.nl" ` + rel + `>fb@example.nl</a></p>`},
		{"relative link loses its href", "[aanvraag](/aanvragen/42)", "<p>aanvraag</p>"},
		{"protocol-relative link", "[x](//evil.example/)", "<p>x</p>"},
		{"ftp link", "[x](ftp://example.com/)", "<p>x</p>"},
		{"table", "| Veld | Waarde |\n|---|---:|\n| a | 1 |",
			"<table>\n<thead>\n<tr>\n<th>Veld</th>\n<th align=\"right\">Waarde</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td>a</td>\n<td align=\"right\">1</td>\n</tr>\n</tbody>\n</table>"},
		{"code span", "`<b>`", "<p><code>&lt;b&gt;</code></p>"},
		{"fenced code", "```sql\nSELECT 1 < 2;\n```", "<pre><code>SELECT 1 &lt; 2;\n</code></pre>"},
		{"blockquote", "> citaat", "<blockquote>\n<p>citaat</p>\n</blockquote>"},
		{"allowed raw HTML", "H<sub>2</sub>O en <kbd>x</kbd>", "<p>H<sub>2</sub>O en x</p>"},
		{"details", "<details><summary>Meer</summary>\n\nTekst\n\n</details>",
			"<details><summary>Meer</summary>\n<p>Tekst</p>\n</details>"},
		{"image becomes link", "![Schermafdruk](https://example.com/a.png)",
			`<p><a href="https://example.com/a.png" ` + rel + `>Schermafdruk</a></p>`},
		{"image without alt shows its URL", "![](https://example.com/a.png)",
			`<p><a href="https://example.com/a.png" ` + rel + `>https://example.com/a.png</a></p>`},
		{"image in link is text", "[![logo](https://e.com/l.png)](https://e.com)",
			`<p><a href="https://e.com" ` + rel + `>logo</a></p>`},
		{"image with javascript", "![x](javascript:alert(1))", "<p>x</p>"},
		// A script is shown as text, never run, and never dropped without a trace.
		{"script", "<script>alert(1)</script>", "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>"},
		{"script inline", "a <script>alert(1)</script> b", "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>"},
		{"script block between paragraphs", "Zie:\n\n<script src=\"https://x.example/a.js\">\nvar a = 1;\n</SCRIPT>\n\nEinde",
			"<p>Zie:</p>\n<pre><code>&lt;script src=&#34;https://x.example/a.js&#34;&gt;\nvar a = 1;\n&lt;/SCRIPT&gt;</code></pre>\n<p>Einde</p>"},
		{"javascript link", "[x](javascript:alert(1))", "<p>x</p>"},
		{"javascript link encoded", "[x](jav&#x61;script:alert(1))", "<p>x</p>"},
		{"javascript link in raw HTML", `<a href="JaVaScRiPt:alert(1)">x</a>`, "<p>x</p>"},
		{"javascript with tab", "<a href=\"java\tscript:alert(1)\">x</a>", "<p>x</p>"},
		{"img onerror", "<img src=x onerror=alert(1)>", ""},
		{"data URL", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, "<p>x</p>"},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, ""},
		{"event handler", `<p onclick="alert(1)" onmouseover=alert(2)>hoi</p>`, "<p>hoi</p>"},
		{"event handler on link", `<a href="https://x.example" onclick="alert(1)" target="_self" rel="opener">x</a>`,
			`<p><a href="https://x.example" ` + rel + `>x</a></p>`},
		{"raw link keeps title", `<a title="Uitleg" href="https://x.example">x</a>`,
			`<p><a title="Uitleg" href="https://x.example" ` + rel + `>x</a></p>`},
		{"anchor without href gets no rel", `<a title="Uitleg">x</a>`, `<p><a title="Uitleg">x</a></p>`},
		{"svg", `<svg onload=alert(1)><circle r="1"/></svg>`, "<p></p>"},
		{"svg script", `<svg><script>alert(1)</script></svg>`, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"style", `<style>body{display:none}</style><p style="color:red">x</p>`, "<p>x</p>"},
		{"id and class dropped", `<p id="csrf" class="admin">x</p>`, "<p>x</p>"},
		{"form", `<form action="https://evil"><input name="a"><button>go</button></form>`, "go"},
		{"object", `<object data="x.swf"></object><embed src="x.swf">`, "<p></p>"},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil">`, ""},
		{"text that looks like code stays text", "javascript: is geen link", "<p>javascript: is geen link</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.TrimSpace(string(r.Render(tt.src)))
			if got != tt.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
			if problem := unsafeHTML(got); problem != "" {
				t.Errorf("Render(%q) = %q: %s", tt.src, got, problem)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		src  string
		max  int
		want string
	}{
		{"empty", "", 10, ""},
		{"syntax removed", "# Kop\n\nTekst met **vet** en [een link](https://x.nl).", 0,
			"Kop Tekst met vet en een link."},
		{"whitespace collapsed", "een\n\n\ntwee   drie\tvier", 0, "een twee drie vier"},
		{"entities decoded", "Tom &amp; Jerry &lt;3 \\*geen nadruk\\*", 0, "Tom & Jerry <3 *geen nadruk*"},
		{"list and table", "- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |", 0, "a b x y 1 2"},
		{"image alt", "Zie ![de schermafdruk](https://x.nl/a.png) hier", 0, "Zie de schermafdruk hier"},
		{"html removed", "a <b>vet</b> <script>alert(1)</script> b", 0, "a vet b"},
		{"code kept", "Gebruik `SELECT *`", 0, "Gebruik SELECT *"},
		{"fits exactly", "een twee", 8, "een twee"},
		{"cut on word boundary", "De factuur van maart is niet goed verwerkt", 20, "De factuur van…"},
		{"cut right after a word", "een twee drie", 9, "een twee…"},
		{"trailing comma trimmed", "een, twee drie", 8, "een…"},
		{"long word cut hard", "Arbeidsongeschiktheidsverzekering", 10, "Arbeidson…"},
		{"runes, not bytes", "één twee drie", 8, "één…"},
		{"max 1", "een twee", 1, "…"},
		{"no limit", "een twee", 0, "een twee"},
		{"negative is no limit", "een twee", -5, "een twee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.PlainText(tt.src, tt.max)
			if got != tt.want {
				t.Errorf("PlainText(%q, %d) = %q, want %q", tt.src, tt.max, got, tt.want)
			}
			if tt.max > 0 && len([]rune(got)) > tt.max {
				t.Errorf("PlainText(%q, %d) has %d runes", tt.src, tt.max, len([]rune(got)))
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	r := New()
	want := r.Render(descriptionNL)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := r.Render(descriptionNL); got != want {
					t.Error("concurrent Render differs")
					return
				}
				_ = r.PlainText(descriptionNL, 80)
			}
		})
	}
	wg.Wait()
}

// descriptionNL is a realistic request description of about 500 bytes.
const descriptionNL = `## Factuur niet geboekt

Sinds de update van **12 maart** worden inkoopfacturen van leverancier
*Jansen B.V.* niet meer automatisch geboekt. De workflow blijft hangen op
stap 3 ("Controle budgethouder").

Wat ik heb geprobeerd:

1. De factuur opnieuw ingelezen
2. De budgethouder gewijzigd in ` + "`Financiën`" + `

| Factuur | Bedrag |
|---|---:|
| 2026-0113 | € 1.250,00 |

Zie ook [de handleiding](https://help.example.nl/facturen) of mail naar fb@example.nl.
`

func BenchmarkRender(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(descriptionNL)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Render(descriptionNL)
	}
}

func BenchmarkPlainText(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(descriptionNL)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.PlainText(descriptionNL, 140)
	}
}
