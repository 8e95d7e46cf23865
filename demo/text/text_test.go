package text

import (
	"net/mail"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var (
	testTypes = []string{"question", "wish", "change", "incident", "access", "technical", "onbekend", ""}
	testAreas = []string{"hr", "salaris", "financieel", "crm", "sitebeheer", "autorisaties", "integraties", "onbekend", ""}
)

// checkText fails on leftovers of the template language and on sloppy
// spacing or punctuation.
func checkText(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s: invalid UTF-8: %q", what, s)
	}
	for _, bad := range []string{"{", "}", "[", "]", "|", "~", "  ", " .", " ,", " ?", "..", "\n\n\n", "\t"} {
		if strings.Contains(s, bad) {
			t.Fatalf("%s: contains %q: %q", what, bad, s)
		}
	}
	if s != strings.TrimSpace(s) {
		t.Fatalf("%s: surrounding space: %q", what, s)
	}
	if r, _ := utf8.DecodeRuneInString(s); !unicode.IsUpper(r) && r != '\'' && r != '-' {
		t.Fatalf("%s: does not start with a capital: %q", what, s)
	}
}

func TestDeterministic(t *testing.T) {
	run := func(seed uint64) []string {
		g := New(seed)
		var out []string
		for i := range 200 {
			typ, area := testTypes[i%len(testTypes)], testAreas[i%len(testAreas)]
			note, rating := g.Evaluation()
			out = append(out, g.Title(typ, area), g.Description(typ, area), g.Comment("admin"),
				g.Motivation(i%2 == 0), note, string(rune('0'+rating)), g.TaskTitle(area),
				g.EscalationReference("support", 2026))
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 7 differs at %d: %q vs %q", i, a[i], b[i])
		}
	}
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same > len(a)/4 {
		t.Errorf("seeds 7 and 8 agree on %d of %d texts", same, len(a))
	}
}

func TestTitlesAndDescriptions(t *testing.T) {
	g := New(1)
	for _, typ := range testTypes {
		for _, area := range testAreas {
			for range 400 {
				title := g.Title(typ, area)
				if title == "" || utf8.RuneCountInString(title) > MaxTitle {
					t.Fatalf("%s/%s: bad title %q", typ, area, title)
				}
				checkText(t, typ+"/"+area+" title", title)
				if strings.Contains(title, "\n") {
					t.Fatalf("%s/%s: title has a newline: %q", typ, area, title)
				}
				d := g.Description(typ, area)
				if len(d) < minDescription || len(d) > maxDescription {
					t.Fatalf("%s/%s: description of %d bytes: %q", typ, area, len(d), d)
				}
				checkText(t, typ+"/"+area+" description", d)
			}
		}
	}
}

func TestTemplateCounts(t *testing.T) {
	for ti, d := range titleDefs[:genericType] {
		n := 0
		for _, ts := range d {
			n += len(ts)
		}
		if n < 40 {
			t.Errorf("%s: only %d title templates", typeCodes[ti], n)
		}
		for a := range numAreas - 1 {
			if got := len(titles[ti][a]); got < 12 {
				t.Errorf("%s/%s: only %d fitting title templates", typeCodes[ti], areaCodes[a], got)
			}
			if got := len(situations[ti][a]); got < 3 {
				t.Errorf("%s/%s: only %d situations", typeCodes[ti], areaCodes[a], got)
			}
		}
	}
}

func TestTitleVariety(t *testing.T) {
	g := New(3)
	seen := map[string]bool{}
	for i := range 60000 {
		seen[g.Title(testTypes[i%6], testAreas[(i/6)%7])] = true
	}
	if len(seen) < 3000 {
		t.Errorf("only %d distinct titles in 60000", len(seen))
	}
	t.Logf("%d distinct titles in 60000", len(seen))
}

func TestComments(t *testing.T) {
	g := New(2)
	for _, p := range []string{"requester", "admin", "internal", "keyuser", "onbekend", ""} {
		for range 500 {
			c := g.Comment(p)
			if len(c) < minComment || len(c) > maxComment {
				t.Fatalf("%s: comment of %d bytes: %q", p, len(c), c)
			}
			checkText(t, p+" comment", c)
		}
	}
}

func TestMotivationAndEvaluation(t *testing.T) {
	g := New(4)
	for range 300 {
		for _, ok := range []bool{true, false} {
			m := g.Motivation(ok)
			checkText(t, "motivation", m)
			if approved := strings.HasPrefix(m, "Akkoord") || strings.HasPrefix(m, "Goedgekeurd"); approved != ok {
				t.Fatalf("motivation %q for approved=%v", m, ok)
			}
		}
	}
	ratingOf := map[string]int{}
	counts := [6]int{}
	for range 3000 {
		note, rating := g.Evaluation()
		if rating < 1 || rating > 5 {
			t.Fatalf("rating %d", rating)
		}
		checkText(t, "evaluation", note)
		counts[rating]++
		first, _, _ := strings.Cut(note, ".")
		if r, ok := ratingOf[first]; ok && r != rating {
			t.Fatalf("note %q given ratings %d and %d", note, r, rating)
		}
		ratingOf[first] = rating
	}
	for r := 1; r <= 5; r++ {
		if counts[r] == 0 {
			t.Errorf("rating %d never given", r)
		}
	}
	if counts[4]+counts[5] < counts[1]+counts[2] {
		t.Errorf("ratings not skewed to positive: %v", counts)
	}
}

func TestTaskTitles(t *testing.T) {
	g := New(5)
	for _, area := range testAreas {
		for range 200 {
			s := g.TaskTitle(area)
			if s == "" || utf8.RuneCountInString(s) > MaxTitle {
				t.Fatalf("%s: bad task title %q", area, s)
			}
			checkText(t, area+" task", s)
		}
	}
}

func TestEscalationReference(t *testing.T) {
	g := New(6)
	prefixes := map[string][]string{
		"support":            {"INC-2026-", "Melding "},
		"consultancy":        {"OFF-2026-", "Opdracht 2026/"},
		"service_management": {"RFC-2026-", "SM26-"},
		"system_integrator":  {"PRJ-2026-"},
		"onbekend":           {"REF-2026-"},
	}
	for ch, want := range prefixes {
		for range 100 {
			ref := g.EscalationReference(ch, 2026)
			ok := false
			for _, p := range want {
				ok = ok || strings.HasPrefix(ref, p)
			}
			if !ok || len(ref) > 100 {
				t.Fatalf("%s: reference %q", ch, ref)
			}
		}
	}
}

func TestPeople(t *testing.T) {
	ps := People(42, 25)
	if len(ps) != 25 {
		t.Fatalf("got %d people", len(ps))
	}
	again := People(42, 25)
	emails := map[string]bool{}
	for i, p := range ps {
		if p != again[i] {
			t.Fatalf("not deterministic: %v vs %v", p, again[i])
		}
		if emails[p.Email] {
			t.Fatalf("duplicate email %s", p.Email)
		}
		emails[p.Email] = true
		a, err := mail.ParseAddress(p.Email)
		if err != nil || a.Address != p.Email || !strings.HasSuffix(p.Email, "@voorbeeld.nl") {
			t.Fatalf("bad email %q: %v", p.Email, err)
		}
		if p.First == "" || p.Last == "" {
			t.Fatalf("incomplete person %v", p)
		}
	}
	if People(43, 25)[0] == ps[0] && People(43, 25)[1] == ps[1] {
		t.Errorf("seeds 42 and 43 give the same people")
	}
	many := People(1, 3000)
	seen := map[string]bool{}
	tussen := 0
	for _, p := range many {
		if seen[p.Email] {
			t.Fatalf("duplicate email %s among 3000", p.Email)
		}
		seen[p.Email] = true
		if strings.HasPrefix(p.Last, "van ") || strings.HasPrefix(p.Last, "de ") || strings.HasPrefix(p.Last, "ter ") {
			tussen++
		}
	}
	if tussen == 0 {
		t.Errorf("no tussenvoegsels")
	}
	if len(People(1, 0)) != 0 {
		t.Errorf("People(1, 0) not empty")
	}
}

func TestAreas(t *testing.T) {
	as := Areas()
	want := []string{"hr", "salaris", "financieel", "crm", "sitebeheer", "autorisaties", "integraties"}
	if len(as) != len(want) {
		t.Fatalf("got %d areas", len(as))
	}
	for i, a := range as {
		if a.Code != want[i] || a.Name == "" || a.Description == "" || len(a.Processes) < 2 {
			t.Errorf("area %d: %+v", i, a)
		}
	}
}

func BenchmarkTitleDescription(b *testing.B) {
	g := New(1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		typ, area := testTypes[i%6], testAreas[(i/6)%7]
		_ = g.Title(typ, area)
		_ = g.Description(typ, area)
		i++
	}
}

func BenchmarkComment(b *testing.B) {
	g := New(1)
	b.ReportAllocs()
	for b.Loop() {
		_ = g.Comment("admin")
	}
}
