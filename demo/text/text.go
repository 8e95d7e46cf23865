// Package text generates realistic Dutch text for Beheer's demo organisation.
//
// Everything is built from template fragments with slots (see engine.go)
// filled from a vocabulary per area, so the demo holds thousands of distinct
// titles that still read as something an employee or functional
// administrator would write. A Gen is deterministic for its seed.
package text

import (
	"fmt"
	"math/rand/v2"
	"unicode/utf8"
)

// Area is a demo area with its processes.
type Area struct {
	Code, Name, Description string
	Processes               []string
}

// Areas lists the demo areas with their processes.
func Areas() []Area {
	return []Area{
		{Code: "hr", Name: "HR",
			Description: "Personeelszaken in Profit HRM: verlof, verzuim, werving en selectie, in- en uitdienst en de beoordelingscyclus.",
			Processes:   []string{"Verlof", "Verzuim", "Werving & selectie", "In- en uitdienst", "Beoordelingscyclus"}},
		{Code: "salaris", Name: "Salaris",
			Description: "De salarisverwerking in Profit Payroll: loonstroken, looncomponenten, jaaropgaven en reiskosten.",
			Processes:   []string{"Loonstroken", "Looncomponenten", "Jaaropgaven", "Reiskosten"}},
		{Code: "financieel", Name: "Financieel",
			Description: "De financiële administratie in Profit Financieel: declaraties, inkoop- en verkoopfacturen, budgetten en de btw-aangifte.",
			Processes:   []string{"Declaraties", "Inkoopfacturen", "Verkoopfacturen", "Budgetten", "Btw-aangifte"}},
		{Code: "crm", Name: "CRM",
			Description: "Relatiebeheer in Profit CRM: organisaties en personen, dossiers en offertes.",
			Processes:   []string{"Organisaties en personen", "Dossiers", "Offertes"}},
		{Code: "sitebeheer", Name: "Sitebeheer (InSite/OutSite)",
			Description: "Het medewerkersportaal InSite, het klantportaal OutSite en de workflows en formulieren daarop.",
			Processes:   []string{"InSite", "OutSite", "Workflows/Formulieren"}},
		{Code: "autorisaties", Name: "Autorisaties",
			Description: "Wie mag wat in Profit: rollen en rechten, en toegang voor nieuwe medewerkers.",
			Processes:   []string{"Rollen en rechten", "Toegang nieuwe medewerker"}},
		{Code: "integraties", Name: "Integraties",
			Description: "Koppelingen van Profit met andere systemen: connectoren, SSO, de e-mailserver en de bankkoppeling.",
			Processes:   []string{"Connectoren", "SSO/Identity provider", "E-mail server", "Bankkoppeling"}},
	}
}

// areaCodes are the area codes in order, then the fallback for unknown ones.
var areaCodes = [...]string{"hr", "salaris", "financieel", "crm", "sitebeheer", "autorisaties", "integraties", "algemeen"}

const (
	numAreas    = len(areaCodes)
	genericArea = numAreas - 1
)

func areaIndex(code string) int {
	switch code {
	case "hr":
		return 0
	case "salaris":
		return 1
	case "financieel":
		return 2
	case "crm":
		return 3
	case "sitebeheer":
		return 4
	case "autorisaties":
		return 5
	case "integraties":
		return 6
	}
	return genericArea
}

// typeCodes are the request types in order, then the fallback.
var typeCodes = [...]string{"question", "wish", "change", "incident", "access", "technical", "algemeen"}

const (
	numTypes    = len(typeCodes)
	genericType = numTypes - 1
)

func typeIndex(code string) int {
	switch code {
	case "question":
		return 0
	case "wish":
		return 1
	case "change":
		return 2
	case "incident":
		return 3
	case "access":
		return 4
	case "technical":
		return 5
	}
	return genericType
}

// Gen produces text. It is not safe for concurrent use; create one per
// goroutine with its own seed.
type Gen struct {
	r     *rand.Rand
	buf   []byte
	epoch uint32
	stamp []uint32 // epoch in which a binding was made
	bound []int32  // value index per binding
}

// New returns a generator for a seed.
func New(seed uint64) *Gen {
	n := len(reg.bindBase)
	return &Gen{
		r:     rand.New(rand.NewPCG(seed, 0x6265686565722121)),
		buf:   make([]byte, 0, 1024),
		stamp: make([]uint32, n),
		bound: make([]int32, n),
	}
}

// Rand returns the generator's source, for callers to pick related values.
func (g *Gen) Rand() *rand.Rand { return g.r }

// chance reports true with probability pct percent.
func (g *Gen) chance(pct int) bool { return g.r.IntN(100) < pct }

// MaxTitle is the longest title Title returns, in runes.
const MaxTitle = 120

// Title returns a request title for a request type and area code.
func (g *Gen) Title(typ, area string) string {
	t, a := typeIndex(typ), areaIndex(area)
	for try := 0; ; try++ {
		g.begin()
		g.one(titles[t][a], a)
		if utf8.RuneCount(g.buf) <= MaxTitle || try == 10 {
			break
		}
	}
	return capFirst(string(g.buf))
}

// Bounds of a description in bytes.
const (
	minDescription = 200
	maxDescription = 600
)

// plan says how likely each optional part of a description is, in percent.
type plan struct{ opening, detail, extra, closing int }

var plans = [numTypes]plan{
	{opening: 55, detail: 60, extra: 25, closing: 85}, // question
	{opening: 45, detail: 70, extra: 30, closing: 80}, // wish
	{opening: 35, detail: 80, extra: 30, closing: 75}, // change
	{opening: 45, detail: 85, extra: 40, closing: 80}, // incident
	{opening: 50, detail: 75, extra: 25, closing: 85}, // access
	{opening: 30, detail: 75, extra: 30, closing: 75}, // technical
	{opening: 50, detail: 50, extra: 30, closing: 85}, // unknown
}

// Description returns a Markdown description of 200 to 600 bytes that fits
// the request type and area.
func (g *Gen) Description(typ, area string) string {
	t, a := typeIndex(typ), areaIndex(area)
	p := plans[t]
	for try := 0; ; try++ {
		g.begin()
		if g.chance(p.opening) {
			g.one(openings[t][a], a)
			g.buf = append(g.buf, "\n\n"...)
		}
		g.one(situations[t][a], a)
		if g.chance(p.detail) && len(details[t][a]) > 0 {
			g.buf = append(g.buf, "\n\n"...)
			g.one(details[t][a], a)
		}
		if g.chance(p.extra) && len(extras[t][a]) > 0 {
			g.buf = append(g.buf, "\n\n"...)
			g.one(extras[t][a], a)
		}
		if g.chance(p.closing) {
			g.buf = append(g.buf, "\n\n"...)
			g.one(closings[t][a], a)
		}
		if n := len(g.buf); n >= minDescription && n <= maxDescription {
			break
		}
		if try == 30 {
			g.fit(minDescription, maxDescription)
			break
		}
	}
	return string(g.buf)
}

// fit is the last resort for a text that came out too short or too long.
func (g *Gen) fit(lo, hi int) {
	for len(g.buf) < lo {
		g.buf = append(g.buf, "\n\nAlvast bedankt voor het meedenken."...)
	}
	for len(g.buf) > hi {
		_, size := utf8.DecodeLastRune(g.buf)
		g.buf = g.buf[:len(g.buf)-size]
	}
}

// Perspectives of a comment.
var perspectives = [...]string{"requester", "admin", "internal", "keyuser", "algemeen"}

func perspectiveIndex(p string) int {
	for i, s := range perspectives[:len(perspectives)-1] {
		if s == p {
			return i
		}
	}
	return len(perspectives) - 1
}

// Bounds of a comment in bytes.
const (
	minComment = 50
	maxComment = 300
)

// Comment returns a comment of 50 to 300 bytes from a perspective:
// "requester", "admin" (a public reply by a functional administrator),
// "internal" (a note between administrators) or "keyuser".
func (g *Gen) Comment(perspective string) string {
	p := perspectiveIndex(perspective)
	return g.compose(comments[p][genericArea], commentTails[p][genericArea], 40, minComment, maxComment)
}

// compose renders a main part and, with probability pct, a tail, within
// byte bounds.
func (g *Gen) compose(main, tail set, pct, lo, hi int) string {
	for try := 0; ; try++ {
		g.begin()
		g.one(main, genericArea)
		if len(tail) > 0 && g.chance(pct) {
			g.buf = append(g.buf, ' ')
			g.one(tail, genericArea)
		}
		if n := len(g.buf); n >= lo && n <= hi {
			break
		}
		if try == 20 {
			g.fit(lo, hi)
			break
		}
	}
	return string(g.buf)
}

// Motivation returns a process owner's motivation for approving (true) or
// rejecting (false) a change request.
func (g *Gen) Motivation(approved bool) string {
	i := 1
	if approved {
		i = 0
	}
	return g.compose(motivations[i][genericArea], motivationTails[i][genericArea], 45, 40, 400)
}

// ratingWeights skews evaluations to the positive side, as in real life.
var ratingWeights = [5]int{4, 8, 20, 36, 32} // ratings 1..5, percent

// Evaluation returns an evaluation note for Optimalisatie and a rating from
// 1 to 5 that agrees with it.
func (g *Gen) Evaluation() (note string, rating int) {
	n := g.r.IntN(100)
	rating = 1
	for _, w := range ratingWeights {
		if n < w {
			break
		}
		n -= w
		rating++
	}
	return g.compose(evaluations[rating-1][genericArea], evaluationTails[rating-1][genericArea], 40, 40, 400), rating
}

// TaskTitle returns a technical task title for an area code.
func (g *Gen) TaskTitle(area string) string {
	a := areaIndex(area)
	g.begin()
	g.one(taskTitles[0][a], a)
	return capFirst(string(g.buf))
}

// EscalationReference returns a plausible outside reference for an
// escalation channel ("consultancy", "service_management",
// "system_integrator", "support") in a year.
func (g *Gen) EscalationReference(channel string, year int) string {
	r := g.r
	switch channel {
	case "support":
		if r.IntN(3) == 0 {
			return fmt.Sprintf("Melding %d", 4_100_000+r.IntN(900_000))
		}
		return fmt.Sprintf("INC-%d-%06d", year, 100_000+r.IntN(900_000))
	case "consultancy":
		if r.IntN(2) == 0 {
			return fmt.Sprintf("OFF-%d-%04d", year, 1+r.IntN(2400))
		}
		return fmt.Sprintf("Opdracht %d/%03d", year, 1+r.IntN(400))
	case "service_management":
		if r.IntN(2) == 0 {
			return fmt.Sprintf("RFC-%d-%04d", year, 1+r.IntN(3000))
		}
		return fmt.Sprintf("SM%02d-%05d", year%100, 1+r.IntN(60_000))
	case "system_integrator":
		return fmt.Sprintf("PRJ-%d-%03d / ticket %d", year, 1+r.IntN(300), 10_000+r.IntN(90_000))
	}
	return fmt.Sprintf("REF-%d-%05d", year, 1+r.IntN(99_999))
}
