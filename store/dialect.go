package store

import (
	"strings"
	"unicode"
)

// This file holds the few places where SQLite and PostgreSQL truly differ.

// maxSearchTerms bounds the words of one search.
const maxSearchTerms = 8

// SearchTerms splits a user's search text into words: letters and digits
// only, lower case, at most maxSearchTerms of at most 40 characters. Every
// operator and quote of the engines' query languages is dropped here, so the
// built query cannot be malformed.
func SearchTerms(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var out []string
	for _, w := range words {
		if len([]rune(w)) > 40 {
			w = string([]rune(w)[:40])
		}
		out = append(out, w)
		if len(out) == maxSearchTerms {
			break
		}
	}
	return out
}

// dutchStem strips the commonest Dutch plural and inflection endings so that
// a prefix search finds both forms ("declaraties" finds "declaratie"). It is
// used for SQLite; PostgreSQL stems with its 'dutch' configuration.
func dutchStem(w string) string {
	r := []rune(w)
	if len(r) <= 5 {
		return w
	}
	for _, suf := range []string{"heden", "ingen", "en", "es", "s", "e"} {
		if s, ok := strings.CutSuffix(w, suf); ok && len([]rune(s)) >= 4 {
			return s
		}
	}
	return w
}

// SearchQuery builds the engine's full-text query for text: every word must
// match, as a prefix. ok is false when no word is left.
func SearchQuery(engine Engine, text string) (string, bool) {
	terms := SearchTerms(text)
	if len(terms) == 0 {
		return "", false
	}
	parts := make([]string, len(terms))
	for i, t := range terms {
		if engine == Postgres {
			// PostgreSQL's Dutch stemmer keeps "declaraties" apart from
			// "declaratie"; our stem as a second prefix brings them together.
			parts[i] = t + ":*"
			if stem := dutchStem(t); stem != t {
				parts[i] = "(" + t + ":* | " + stem + ":*)"
			}
		} else {
			parts[i] = `"` + ftsPrefix(dutchStem(t)) + `"*`
		}
	}
	if engine == Postgres {
		return strings.Join(parts, " & "), true
	}
	return strings.Join(parts, " AND "), true
}

// searchCondition is the WHERE condition for a full-text match; "?" marks
// where the query argument goes.
func (s *Store) searchCondition(text string) (cond, arg string, ok bool) {
	arg, ok = SearchQuery(s.engine, text)
	if !ok {
		return "", "", false
	}
	if s.engine == Postgres {
		return "r.search @@ to_tsquery('dutch', ?)", arg, true
	}
	return "r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ?)", arg, true
}

// ftsPrefixes are the prefix lengths the SQLite full-text index keeps
// (migration 0012), longest first.
var ftsPrefixes = []int{10, 8, 6, 4}

// ftsPrefix shortens a stem to the longest prefix length the index keeps,
// so a search reads one prepared list per word instead of merging the
// lists of every word that starts with it. Shorter stems stay as they are.
func ftsPrefix(stem string) string {
	r := []rune(stem)
	for _, n := range ftsPrefixes {
		if len(r) >= n {
			return string(r[:n])
		}
	}
	return stem
}

// articleMatch adds the full-text condition on publications x for an
// engine query and returns the ordering by relevance: title above tags
// above text. On SQLite the index (articles_fts) holds the kinds with
// Search, by id; PostgreSQL keeps a generated column.
func (s *Store) articleMatch(q *query, match string) string {
	arg := q.arg(match)
	if s.engine == Postgres {
		q.where = append(q.where, "x.search @@ to_tsquery('dutch', "+arg+")")
		return " ORDER BY ts_rank(x.search, to_tsquery('dutch', " + arg + ")) DESC, x.id DESC"
	}
	q.where = append(q.where, "x.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH "+arg+")")
	return " ORDER BY (SELECT bm25(articles_fts, 10.0, 5.0, 1.0) FROM articles_fts WHERE articles_fts MATCH " + arg +
		" AND articles_fts.rowid = x.id), x.id DESC"
}

// kbSearchQuery builds the engine's full-text query like SearchQuery, with
// Dutch plurals on PostgreSQL too: its 'dutch' stemmer keeps "declaraties"
// apart from "declaratie", so each word also matches as its stem's prefix.
// any joins the words with OR instead of AND.
func kbSearchQuery(engine Engine, terms []string, any bool) (string, bool) {
	if len(terms) == 0 {
		return "", false
	}
	parts := make([]string, len(terms))
	for i, t := range terms {
		stem := dutchStem(t)
		switch {
		case engine != Postgres:
			parts[i] = `"` + stem + `"*`
		case stem != t:
			parts[i] = "(" + t + ":* | " + stem + ":*)"
		default:
			parts[i] = t + ":*"
		}
	}
	sep := map[bool]string{false: " AND ", true: " OR "}[any]
	if engine == Postgres {
		sep = map[bool]string{false: " & ", true: " | "}[any]
	}
	return strings.Join(parts, sep), true
}
