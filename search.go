package beheer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
)

// Search is Dutch, and the same on every engine: this analyser turns a
// text into the terms it is found by (IndexTerms) and a search into the
// terms it looks for (ParseSearch). The databases only store terms and
// match a search term against the start of an indexed one, so SQLite and
// PostgreSQL find the same requests and articles.
//
// A word's term is its stem: the Snowball project's Dutch stemmer, with the
// few joins it leaves undone added (declaraties → declaratie, salarissen →
// salaris, inloggen → inlog). A text is also found by what its words are
// made of and what they derive from, so the index holds more terms than a
// search asks for:
//   - the parts of compounds made of known words (verlofsaldo → verlof,
//     saldo; see compoundWords),
//   - the verb beside a noun in -atie or -ctie and the other way round
//     (declaratie ↔ declareren, selectie ↔ selecteren), and a short table
//     of pairs no rule joins (correctie ↔ corrigeren),
//   - the verb of a past participle (goedgekeurd → goedkeuren, ziekgemeld
//     → ziekmelden).
//
// A search asks for each word's stem only, so "saldo" finds "verlofsaldo"
// while "verlofsaldo" does not find every "saldo".

// MaxSearchWords bounds the words a search looks for: a pasted page of text
// searches on its first words instead of being refused.
const MaxSearchWords = 8

// maxWordRunes cuts longer words: no Dutch word people search for is
// longer, and a term stays small.
const maxWordRunes = 40

// SearchQuery is what a search looks for.
type SearchQuery struct {
	// Terms are the stems of the search's meaningful words, each once and
	// at most MaxSearchWords; a text matches a term when one of its indexed
	// terms starts with it.
	Terms []string
	// Cut reports that the search held more words than MaxSearchWords and
	// the rest were left out.
	Cut bool
}

// Empty reports whether nothing is left to look for: the search held only
// stop words, single letters and symbols.
func (q SearchQuery) Empty() bool { return len(q.Terms) == 0 }

// maxSearchRead bounds the words of a search that are read at all, stop
// words included, so that a long text costs no more than a short one.
const maxSearchRead = 4 * MaxSearchWords

// ParseSearch reads what a person typed into a search: every word's stem,
// stop words and symbols left out. Operators and quotes of the engines'
// query languages cannot pass (terms hold letters and digits only).
func ParseSearch(text string) SearchQuery {
	var q SearchQuery
	env := snowballstem.NewEnv("")
	read := 0
	eachWord(text, func(w string) bool {
		if read++; read > maxSearchRead {
			q.Cut = true
			return false
		}
		if !meaningful(w) {
			return true
		}
		if len(q.Terms) == MaxSearchWords {
			q.Cut = true
			return false
		}
		if t := stemWith(env, w); !slices.Contains(q.Terms, t) {
			q.Terms = append(q.Terms, t)
		}
		return true
	})
	return q
}

// IndexTerms is what texts are found by: the terms of every meaningful
// word, each once, separated by spaces.
func IndexTerms(texts ...string) string {
	a := analyser{env: snowballstem.NewEnv(""), seen: make(map[string]bool, 64), words: make(map[string]bool, 64)}
	for _, text := range texts {
		eachWord(text, func(w string) bool {
			if !a.words[w] && meaningful(w) {
				a.words[w] = true // each word is analysed once
				a.word(w)
			}
			return true
		})
	}
	return a.out.String()
}

// analyser gathers the terms of one text.
type analyser struct {
	env   *snowballstem.Env
	seen  map[string]bool // terms written
	words map[string]bool // words analysed
	out   strings.Builder
}

// add writes term once.
func (a *analyser) add(term string) {
	if term == "" || a.seen[term] {
		return
	}
	a.seen[term] = true
	if a.out.Len() > 0 {
		a.out.WriteByte(' ')
	}
	a.out.WriteString(term)
}

// word adds the terms of one meaningful word: its stem, what it derives
// from, the verb of a participle, and its parts when it is a compound.
func (a *analyser) word(w string) {
	if hasDigit(w) {
		a.add(w)
		return
	}
	stem := stemWith(a.env, w)
	a.add(stem)
	a.related(w, stem)
	for _, base := range participleBases(w) {
		s := stemWith(a.env, base)
		a.add(s)
		a.related(base, s)
	}
	parts := compoundParts(stem)
	if parts == nil && stem != w {
		parts = compoundParts(w)
	}
	if parts == nil {
		return
	}
	for _, p := range parts {
		s := stemWith(a.env, p)
		a.add(s)
		a.related(p, s)
	}
	// Compounds of three or more parts are also found by their first and
	// their last parts together (verlofaanvraag in verlofaanvraagformulier).
	for i := 2; i < len(parts); i++ {
		a.add(stemWith(a.env, strings.Join(parts[:i], "")))
		a.add(stemWith(a.env, strings.Join(parts[len(parts)-i:], "")))
	}
}

// related adds the stems that word w (with stem) derives from or to: the
// verb of a noun in -atie or -ctie, the noun of such a verb, and the pairs
// of derivationPairs.
func (a *analyser) related(w, stem string) {
	if b, ok := strings.CutSuffix(stem, "atie"); ok && len(b) >= 4 {
		a.add(b + "er") // declaratie → declarer (declareren)
	}
	if b, ok := strings.CutSuffix(stem, "ctie"); ok && len(b) >= 3 {
		a.add(b + "cter") // selectie → selecter (selecteren)
	}
	for _, suffix := range []string{"eren", "eer", "eert", "eerde", "eerden", "eerd"} {
		if b, ok := strings.CutSuffix(w, suffix); ok && len(b) >= 4 {
			a.add(b + "er") // declareert → declarer, like declareren
			if strings.HasSuffix(b, "ct") {
				a.add(b + "ie") // selecteren → selectie
			} else {
				a.add(b + "atie") // declareren → declaratie
			}
			break
		}
	}
	if other, ok := derivationPairs[stem]; ok {
		a.add(other)
	}
}

// participleBases are the verbs a past participle may come from:
// goedgekeurd → goedkeur, ingelogd → inlog, gewijzigd → wijzig. A
// participle whose verb ends in d or t keeps that letter (ziekgemeld →
// ziekmeld), which no rule can tell from the ending, so both are given.
func participleBases(w string) []string {
	last := w[len(w)-1]
	if last != 'd' && last != 't' {
		return nil
	}
	for _, front := range participleFronts {
		rest, ok := strings.CutPrefix(w, front)
		if !ok || len(rest) < 4 {
			continue
		}
		prefix := front[:len(front)-2]
		return []string{prefix + rest[:len(rest)-1], prefix + rest}
	}
	return nil
}

// compoundParts splits w into known words (compoundWords), the last of them
// possibly inflected and the others possibly joined by a linking s, e or
// en; nil when w is not such a compound. The longest known last part wins:
// verlofaanvrag → verlof + aanvrag.
func compoundParts(w string) []string {
	if len(w) < 2*minPart {
		return nil
	}
	for i := minPart; i <= len(w)-minPart; i++ {
		if !compoundWords[w[i:]] {
			continue
		}
		if head := headParts(w[:i]); head != nil {
			return append(head, w[i:])
		}
	}
	return nil
}

// minPart is the shortest part a compound is split into.
const minPart = 3

// headParts are the parts of the front of a compound: one known word or a
// compound itself, with or without a linking s, en or e.
func headParts(head string) []string {
	fronts := []string{head}
	for _, link := range []string{"s", "en", "e"} {
		if h, ok := strings.CutSuffix(head, link); ok && len(h) >= minPart {
			fronts = append(fronts, h)
		}
	}
	for _, f := range fronts {
		if compoundWords[f] {
			return []string{f}
		}
	}
	for _, f := range fronts {
		if parts := compoundParts(f); parts != nil {
			return parts
		}
	}
	return nil
}

// stemWith stems a lower-case word with the Snowball Dutch stemmer, and
// joins what it leaves apart: a plural in -ies (declaraties, which it keeps
// whole) and a doubled last consonant (salariss, inlogg).
func stemWith(env *snowballstem.Env, w string) string {
	if hasDigit(w) || len(w) < 3 {
		return w
	}
	if b, ok := strings.CutSuffix(w, "ies"); ok && len(b) >= 3 {
		w = b + "ie"
	}
	env.SetCurrent(w)
	dutch.Stem(env)
	s := env.Current()
	if n := len(s); n >= 4 && s[n-1] == s[n-2] && !isVowel(s[n-1]) {
		s = s[:n-1]
	}
	return s
}

// isVowel reports whether b is a Dutch vowel.
func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// hasDigit reports whether w holds a digit: numbers and codes are not
// stemmed.
func hasDigit(w string) bool {
	return strings.IndexFunc(w, unicode.IsDigit) >= 0
}

// meaningful reports whether a word is worth finding or searching by: not a
// stop word, and more than one character.
func meaningful(w string) bool {
	return utf8.RuneCountInString(w) > 1 && !stopWords[w]
}

// eachWord calls fn with every word of text — a run of letters and digits,
// lower case, accents removed, at most maxWordRunes long — until fn
// returns false. A word already in that form is passed as a slice of text,
// without a copy.
func eachWord(text string, fn func(string) bool) {
	var buf []byte
	start, n, plain := -1, 0, true // the word's start, runes and whether text holds it as it is
	end := func(i int) bool {
		if start < 0 {
			return true
		}
		w := text[start:i]
		if !plain {
			w = string(buf)
		}
		start, n, plain, buf = -1, 0, true, buf[:0]
		return fn(w)
	}
	for i, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if !end(i) {
				return
			}
			continue
		}
		if start < 0 {
			start = i
		}
		if n == maxWordRunes { // the rest of a long word is left out
			if plain {
				buf, plain = append(buf[:0], text[start:i]...), false
			}
			continue
		}
		n++
		f := r
		if r >= utf8.RuneSelf || 'A' <= r && r <= 'Z' {
			f = fold(unicode.ToLower(r))
		}
		if f != r && plain {
			plain = false
			buf = append(buf[:0], text[start:i]...)
		}
		if !plain {
			buf = utf8.AppendRune(buf, f)
		}
	}
	end(len(text))
}

// fold takes the accent off a lower-case Latin letter: één is een, café
// is cafe, as people type them.
func fold(r rune) rune {
	if r < 'à' || r > 'ÿ' {
		return r
	}
	const from, to = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿ", "aaaaaaceeeeiiiinooooouuuuyy"
	if i := strings.IndexRune(from, r); i >= 0 {
		return rune(to[utf8.RuneCountInString(from[:i])])
	}
	return r
}
