package text

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The template language, compiled once at start-up:
//
//	{slot}      a value from the slot's vocabulary, as written ("de loonstrook")
//	{Slot}      the same, first letter capitalised
//	{slot.n}    the bare noun without article ("loonstrook"); for an action the
//	            nominal form ("het indienen van een declaratie")
//	{slot.d}    a noun with a demonstrative ("deze loonstrook", "dit budget")
//	{slot.te}   an action as te-infinitive ("een declaratie in te dienen")
//	{slot#2}    a second, different value of the same slot
//	[a|b|c]     one of the alternatives; [|x] makes x optional
//
// Within one generated text a slot keeps the value it got first, so a
// description that names "de loonstrook van maart" twice names it the same
// way twice. Vocabulary values are nouns with their article ("het budget"),
// names ("InSite") or actions written "verb|object" with "~" splitting a
// separable verb ("in~dienen|een declaratie").

// The forms of a value.
const (
	formFull = iota
	formBare
	formDem
	formTe
	numForms
)

// val holds every form of a vocabulary value, plain and capitalised at
// index form*2+1.
type val [numForms * 2]string

// node is one piece of a compiled template.
type node struct {
	lit  string
	base int32 // vocabulary slot, -1 for literals and choices
	bind int32 // binding within one text
	form uint8 // index into val
	alts [][]node
}

// tmpl is a compiled template.
type tmpl []node

// registry numbers slots and bindings as templates are compiled.
type registry struct {
	base     map[string]int32
	names    []string
	bind     map[string]int32
	bindBase []int32
	siblings [][]int32 // bindings per base
}

var reg = registry{base: map[string]int32{}, bind: map[string]int32{}}

func (r *registry) baseID(name string) int32 {
	if id, ok := r.base[name]; ok {
		return id
	}
	id := int32(len(r.names))
	r.base[name] = id
	r.names = append(r.names, name)
	r.siblings = append(r.siblings, nil)
	return id
}

func (r *registry) bindID(key string, base int32) int32 {
	if id, ok := r.bind[key]; ok {
		return id
	}
	id := int32(len(r.bindBase))
	r.bind[key] = id
	r.bindBase = append(r.bindBase, base)
	r.siblings[base] = append(r.siblings[base], id)
	return id
}

// compile parses a template; it panics on a malformed one, which is a
// programming error caught by the tests.
func compile(src string) tmpl {
	t, rest := parseSeq(src, src, false)
	if rest != "" {
		panic(fmt.Sprintf("text: unbalanced template %q", src))
	}
	return t
}

// parseSeq parses until the end of s or, inside a choice, until '|' or ']'.
func parseSeq(full, s string, inChoice bool) (tmpl, string) {
	var out tmpl
	for s != "" {
		i := strings.IndexAny(s, "{[|]")
		if i < 0 {
			out = append(out, node{lit: s, base: -1})
			return out, ""
		}
		if i > 0 {
			out = append(out, node{lit: s[:i], base: -1})
		}
		c := s[i]
		s = s[i:]
		switch c {
		case '|', ']':
			if !inChoice {
				if c == '|' { // a literal bar outside a choice
					out = append(out, node{lit: "|", base: -1})
					s = s[1:]
					continue
				}
				panic(fmt.Sprintf("text: stray ']' in %q", full))
			}
			return out, s
		case '{':
			j := strings.IndexByte(s, '}')
			if j < 0 {
				panic(fmt.Sprintf("text: unclosed slot in %q", full))
			}
			out = append(out, parseSlot(full, s[1:j]))
			s = s[j+1:]
		case '[':
			s = s[1:]
			var alts [][]node
			for {
				var alt tmpl
				alt, s = parseSeq(full, s, true)
				alts = append(alts, alt)
				if s == "" {
					panic(fmt.Sprintf("text: unclosed choice in %q", full))
				}
				if s[0] == ']' {
					s = s[1:]
					break
				}
				s = s[1:] // '|'
			}
			out = append(out, node{base: -1, alts: alts})
		}
	}
	return out, ""
}

func parseSlot(full, spec string) node {
	form := formFull
	if i := strings.IndexByte(spec, '.'); i >= 0 {
		switch spec[i+1:] {
		case "n":
			form = formBare
		case "d":
			form = formDem
		case "te":
			form = formTe
		default:
			panic(fmt.Sprintf("text: unknown form in {%s} of %q", spec, full))
		}
		spec = spec[:i]
	}
	name := spec
	if name == "" {
		panic(fmt.Sprintf("text: empty slot in %q", full))
	}
	r, size := utf8.DecodeRuneInString(name)
	capital := unicode.IsUpper(r)
	name = string(unicode.ToLower(r)) + name[size:]
	baseName, _, _ := strings.Cut(name, "#")
	base := reg.baseID(baseName)
	f := uint8(form * 2)
	if capital {
		f++
	}
	return node{base: base, bind: reg.bindID(name, base), form: f}
}

// makeVal computes every form of one vocabulary entry.
func makeVal(raw string) val {
	var forms [numForms]string
	if verb, obj, ok := strings.Cut(raw, "|"); ok {
		inf := strings.Replace(verb, "~", "", 1)
		te := "te " + inf
		if before, after, ok := strings.Cut(verb, "~"); ok {
			te = strings.TrimRight(before, " ") + " te " + after
		}
		forms[formFull] = obj + " " + inf
		forms[formBare] = "het " + inf + " van " + obj
		forms[formDem] = forms[formFull]
		forms[formTe] = obj + " " + te
	} else {
		forms[formFull] = raw
		forms[formBare] = raw
		forms[formDem] = raw
		forms[formTe] = raw
		if noun, ok := strings.CutPrefix(raw, "de "); ok {
			forms[formBare] = noun
			forms[formDem] = "deze " + noun
		} else if noun, ok := strings.CutPrefix(raw, "het "); ok {
			forms[formBare] = noun
			forms[formDem] = "dit " + noun
		}
	}
	var v val
	for f, s := range forms {
		v[f*2] = s
		v[f*2+1] = capFirst(s)
	}
	return v
}

// capFirst capitalises the first letter of s.
func capFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	if r == '\'' { // 's-Hertogenbosch stays as it is
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// vocab holds the compiled vocabulary: [area][slot] values, the area's own
// values or else the global ones.
var vocab [numAreas][][]val

func buildVocab() {
	mergeActions()
	for a := range numAreas {
		vocab[a] = make([][]val, len(reg.names))
		for id, name := range reg.names {
			raws, ok := areaVocab[a][name]
			if !ok {
				raws = globalVocab[name]
			}
			vs := make([]val, len(raws))
			for i, raw := range raws {
				vs[i] = makeVal(raw)
			}
			vocab[a][id] = vs
		}
	}
}

// fits reports whether every slot of t has values in area a.
func fits(t []node, a int) bool {
	for i := range t {
		n := &t[i]
		if n.base >= 0 && len(vocab[a][n.base]) == 0 {
			return false
		}
		for _, alt := range n.alts {
			if !fits(alt, a) {
				return false
			}
		}
	}
	return true
}

// set is the templates for one type and area.
type set []tmpl

// table holds, per type and area, the generic templates that fit the area
// and the area's own.
type table [numTypes][numAreas]set

// defs are templates by area code, "*" for all areas.
type defs map[string][]string

// build compiles per-type definitions (indexed like typeCodes, the last
// entry for unknown types) into a table; compiled first, resolved after the
// vocabulary is built.
type pending struct {
	dst   *table
	typ   int
	area  int // -1 for generic
	t     tmpl
	where string
}

var pendings []pending

// register compiles the definitions for one type into dst. A key is "*"
// for every area that has the template's slots, or a comma-separated list
// of area codes; a template written "@hr,crm: ..." is for those areas only. Keys are taken in sorted order so that the tables, and so
// the generated text, are the same in every run.
func register(dst *table, typ int, d defs) {
	keys := slices.Sorted(maps.Keys(d))
	for _, key := range keys {
		for _, src := range d[key] {
			areas := key
			if rest, ok := strings.CutPrefix(src, "@"); ok { // "@hr,crm: template" narrows "*"
				areas, src, _ = strings.Cut(rest, ": ")
			}
			t := compile(src)
			if areas == "*" {
				pendings = append(pendings, pending{dst: dst, typ: typ, area: -1, t: t, where: src})
				continue
			}
			for code := range strings.SplitSeq(areas, ",") {
				area := slices.Index(areaCodes[:], code)
				if area < 0 {
					panic(fmt.Sprintf("text: unknown area %q", code))
				}
				pendings = append(pendings, pending{dst: dst, typ: typ, area: area, t: t, where: src})
			}
		}
	}
}

// resolve places compiled templates into their tables once the vocabulary
// is known; an area template whose slots do not resolve is a bug.
func resolve() {
	for _, p := range pendings {
		if p.area >= 0 {
			if !fits(p.t, p.area) {
				panic(fmt.Sprintf("text: template for %s has unknown slots: %q", areaCodes[p.area], p.where))
			}
			p.dst[p.typ][p.area] = append(p.dst[p.typ][p.area], p.t)
			continue
		}
		for a := range numAreas {
			if fits(p.t, a) {
				p.dst[p.typ][a] = append(p.dst[p.typ][a], p.t)
			}
		}
	}
	pendings = nil
}

// render appends a template to the buffer.
func (g *Gen) render(t []node, a int) {
	for i := range t {
		n := &t[i]
		switch {
		case n.alts != nil:
			g.render(n.alts[g.r.IntN(len(n.alts))], a)
		case n.base >= 0:
			g.buf = append(g.buf, g.pick(n, a)[n.form]...)
		default:
			g.buf = append(g.buf, n.lit...)
		}
	}
}

// pick returns the value bound to a node's slot, binding one first if needed.
func (g *Gen) pick(n *node, a int) *val {
	vs := vocab[a][n.base]
	if g.stamp[n.bind] == g.epoch {
		return &vs[g.bound[n.bind]]
	}
	i := int32(g.r.IntN(len(vs)))
	for try := 0; try < 4 && g.taken(n, i); try++ {
		i = int32(g.r.IntN(len(vs)))
	}
	g.stamp[n.bind] = g.epoch
	g.bound[n.bind] = i
	return &vs[i]
}

// taken reports whether another binding of the same slot already has value i.
func (g *Gen) taken(n *node, i int32) bool {
	for _, b := range reg.siblings[n.base] {
		if b != n.bind && g.stamp[b] == g.epoch && g.bound[b] == i {
			return true
		}
	}
	return false
}

// begin starts a new text: slots are bound afresh and the buffer emptied.
func (g *Gen) begin() {
	g.epoch++
	if g.epoch == 0 { // wrapped: forget every old binding
		clear(g.stamp)
		g.epoch = 1
	}
	g.buf = g.buf[:0]
}

// one renders a template chosen from s.
func (g *Gen) one(s set, a int) {
	g.render(s[g.r.IntN(len(s))], a)
}
