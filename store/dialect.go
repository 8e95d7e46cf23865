package store

import (
	"context"
	"database/sql"
	"strings"

	"beheer"
	"beheer/store/internal/txn"
)

// dialect is everything that differs between SQLite and PostgreSQL, chosen
// once when the store opens (sqliteDialect, postgresDialect). Store code
// asks it for SQL or for a strategy and never asks which engine it runs on.
type dialect interface {
	// engine names the engine.
	engine() Engine
	// txConfig says how writes and reads run: see package txn.
	txConfig() txn.Config

	// lock is the clause that locks the rows a SELECT loads until commit:
	// those of the table of alias, or of every table when alias is "".
	lock(alias string) string
	// skipLocked is lock("") passing over rows that another transaction
	// holds, for work that any of several workers may take.
	skipLocked() string
	// takeTurn makes the transactions that take the same key run one
	// after another, until each commits.
	takeTurn(ctx context.Context, q execer, key int64) error

	// matchWord is one term of a full-text query (see matchQuery), matched
	// as a prefix. shorten, when set, cuts a term to a prefix length the
	// index keeps.
	matchWord(term string, shorten func(string) string) string
	// matchJoins join the words of a full-text query so that every word
	// must match (and) or some word (or).
	matchJoins() (and, or string)
	// searchCondition is the WHERE condition on requests r for a full-text
	// query given as the argument arg.
	searchCondition(arg string) string
	// termCondition adds to q what keeps only the requests r that hold
	// each of terms as the start of a term, where the match of matchWord
	// with shorten finds more.
	termCondition(q *query, terms []string, shorten func(string) string)
	// articleMatch adds the full-text condition on articles x for match and
	// returns the ordering by relevance: title above tags above text.
	articleMatch(q *query, match string) string
	// file keeps the full-text index up to date for a request that t
	// inserted.
	file(t *tx, id int64)

	// walksSearch says whether a full-text search in the list's sort is
	// read by walking the index in id order (searchWalk).
	walksSearch(sort string) bool
	// pageSelect starts the statement for a page of requests: the columns
	// of requestColumns and the FROM clause on requests r.
	pageSelect() string
	// answersInto is the insert of answers, one row per value, for the
	// request whose id is the SQL expression id, read from the tables in
	// from (a chain's step, or none): "" when there is nothing to insert.
	answersInto(q *query, id, from string, answers []beheer.Answer) string
	// lower is the SQL that writes the text expr in small letters, of
	// every alphabet, not ASCII's only: what a search in any case matches.
	lower(expr string) string
	// How a list filtered on answers finds the requests that may hold
	// them; each answer is then checked in request_answers.
	//
	// answerKeys are the keys (beheer.AnswerKeys) a request's search terms
	// hold for its answers: none where answers are found otherwise.
	answerKeys(answers []beheer.Answer) []string
	// answerSearch is what a full-text query adds to keep the requests
	// that may hold answers: "" where the search terms hold no keys.
	answerSearch(answers []AnswerFilter) string
	// answerDrive adds to q what keeps the requests that may hold answers,
	// read from an index in id order, and returns the FROM clause that
	// takes the place of requests r and the column of that order; "" when
	// no answer is in that index.
	answerDrive(q *query, answers []AnswerFilter) (from, idCol string)
	// answerCount is the query, with its arguments, of the requests that
	// hold answer a in that index, for counting them; "" when a is not in
	// it.
	answerCount(a AnswerFilter) (string, []any)
	// namePage fills in the names that pageSelect left out.
	namePage(ctx context.Context, s *Store, items []*beheer.Request) error
	// ownBranches gives, from a page's conditions (the first filters of
	// them its filters, the rest its keyset), the conditions each part of
	// ownIDs filters on, and the join of its task part.
	ownBranches(where []string, filters int) ([]string, string)
	// tasksByDeadline is the join of tasks t and requests r that a long
	// task list walks in its requests' deadline order (the open requests
	// by their index on open, sla_due), or "" when the engine's planner
	// finds that order itself.
	tasksByDeadline() string

	// precheckRequest checks, inside the write and before fileRequest,
	// what the engine's fileRequest does not check itself: that the place
	// of n and the form version it is filed with, checked against snapshot
	// o before the write, still hold.
	precheckRequest(ctx context.Context, t *tx, o *orgSnapshot, n *beheer.NewRequest) error
	// fileRequest writes a new request that passed checkNewRequest and
	// precheckRequest, with its answers to the form n.FormVersionID, its
	// search terms (beheer.IndexTerms) and what filing records (filedRows).
	fileRequest(ctx context.Context, t *tx, actor *beheer.Actor, n beheer.NewRequest, answers []beheer.Answer, terms string, year int) (int64, string, error)
	// insertLogged runs insert (an INSERT … RETURNING id with args) and
	// records the rows that logs gives for the new id.
	insertLogged(ctx context.Context, t *tx, insert string, args []any, logs func(id val) []logRow) (int64, error)

	// eventWatermark is the highest event id below which every event is
	// final, for the worker of the named cursor.
	eventWatermark(ctx context.Context, s *Store, cursor string) (int64, error)

	// bulkParam is the placeholder of argument n in a bulk insert.
	bulkParam(n int) string
	// startBulk prepares the database for a bulk load; done undoes it.
	startBulk(ctx context.Context, s *Store) (done func(), err error)
	// finishBulk tidies up after a bulk load.
	finishBulk(ctx context.Context, s *Store) error
	// finishReindex tidies up after the search terms of many rows were
	// filled in (reindexSearch).
	finishReindex(ctx context.Context, s *Store) error

	// columnTypes are the types that shared migrations write as {{id}}
	// (an id assigned on insert) and {{bytes}}.
	columnTypes() (id, bytes string)
	// afterMigrate runs once the migrations are applied; applied says how
	// many were new.
	afterMigrate(ctx context.Context, s *Store, applied int) error

	// backup writes a consistent copy of the database to path.
	backup(ctx context.Context, path string) error
}

// execer runs a statement: a transaction of the store or of database/sql.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// dialectFor is the dialect of engine, for what needs no open database.
func dialectFor(engine Engine) dialect {
	if engine == Postgres {
		return postgresDialect{}
	}
	return sqliteDialect{}
}

// SearchQuery builds the engine's full-text query for requests from what a
// person typed: every word must match, as the start of an indexed term.
// ok is false when no word is left to search for.
func SearchQuery(engine Engine, text string) (string, bool) {
	return matchQuery(dialectFor(engine), beheer.ParseSearch(text).Terms, false, ftsPrefix)
}

// matchQuery builds the dialect's full-text query for terms (from
// beheer.ParseSearch): every term, or with any some term, as a prefix. ok
// is false when there are no terms.
func matchQuery(d dialect, terms []string, any bool, shorten func(string) string) (string, bool) {
	if len(terms) == 0 {
		return "", false
	}
	parts := make([]string, len(terms))
	for i, w := range terms {
		parts[i] = d.matchWord(w, shorten)
	}
	and, or := d.matchJoins()
	if any {
		return strings.Join(parts, or), true
	}
	return strings.Join(parts, and), true
}

// ftsPrefixes are the prefix lengths the SQLite full-text index keeps
// (migrations 0012 and 0200), longest first.
var ftsPrefixes = []int{10, 8, 6, 4}

// ftsPrefix shortens a term to the longest prefix length the index keeps,
// so a search reads one prepared list per word instead of merging the
// lists of every term that starts with it. Shorter terms stay as they are.
// What the shortened prefix finds beyond the term, termCondition takes
// out again.
func ftsPrefix(term string) string {
	r := []rune(term)
	for _, n := range ftsPrefixes {
		if len(r) >= n {
			return string(r[:n])
		}
	}
	return term
}
