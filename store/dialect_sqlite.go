package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"beheer"
	"beheer/store/internal/txn"

	"modernc.org/sqlite"
)

// sqliteDialect is SQLite: one writer, which serialises every write
// transaction, FTS5 for full-text search, and the database in one file.
type sqliteDialect struct {
	path string // the database file
}

// sqliteDSN builds the connection string: WAL, foreign keys, a busy timeout
// and synchronous=FULL, so a commit is on disk before it is acknowledged.
// The writer keeps temporary data in memory: its statement journals, which
// in the committer's many-statement transactions otherwise spill to a
// temporary file (readers keep the default, so a large sort may spill).
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)",
		"synchronous(FULL)", "cache_size(-8000)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

// openSQLite opens the writer and the read pool on the file at path,
// creating it when missing.
func (s *Store) openSQLite(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	w.SetConnMaxIdleTime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s.db, s.rdb, s.dialect = w, r, sqliteDialect{path: path}
	s.orgc.always = true // no other process changes the areas: see orgcache.go
	// The token cache checks its entries against the count that migration
	// 0270's triggers raise.
	s.checkAuthCache(`(SELECT n FROM auth_changes WHERE id = 1)`)
	return nil
}

func (sqliteDialect) engine() Engine { return SQLite }

// txConfig: the one writer runs every write through the committer, with
// prepared statements, and fills the full-text index just before each
// commit (see searchindex.go).
func (sqliteDialect) txConfig() txn.Config {
	return txn.Config{Prepare: true, GroupAll: true, BeforeCommit: indexRequests}
}

// The single writer already serialises write transactions: nothing to lock.
func (sqliteDialect) lock(string) string                            { return "" }
func (sqliteDialect) skipLocked() string                            { return "" }
func (sqliteDialect) takeTurn(context.Context, execer, int64) error { return nil }

// matchWord: an FTS5 prefix query on the term.
func (sqliteDialect) matchWord(term string, shorten func(string) string) string {
	if shorten != nil {
		term = shorten(term)
	}
	return `"` + term + `"*`
}

func (sqliteDialect) matchJoins() (and, or string) { return " AND ", " OR " }

func (sqliteDialect) searchCondition(arg string) string {
	return "r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH " + arg + ")"
}

// termCondition: a term that shorten cut is looked for in the request's
// terms, at the start of one of them. The full-text match has already
// narrowed the requests down to those holding its prefix.
func (sqliteDialect) termCondition(q *query, terms []string, shorten func(string) string) {
	for _, t := range terms {
		if shorten(t) != t {
			q.where = append(q.where, "instr(' ' || r.search_terms, "+q.arg(" "+t)+") > 0")
		}
	}
}

func (sqliteDialect) articleMatch(q *query, match string) string {
	arg := q.arg(match)
	q.where = append(q.where, "x.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH "+arg+")")
	return " ORDER BY (SELECT bm25(articles_fts, 10.0, 5.0, 1.0) FROM articles_fts WHERE articles_fts MATCH " + arg +
		" AND articles_fts.rowid = x.id), x.id DESC"
}

// file notes the request for the index, filled just before commit.
func (sqliteDialect) file(t *tx, id int64) { t.Note(id) }

// walksSearch: FTS5 hands out matching ids in order cheaply, so a search
// newest or oldest first walks the index (searchWalk).
func (sqliteDialect) walksSearch(sort string) bool { return sort == "newest" || sort == "oldest" }

// lower: SQLite's own LOWER folds ASCII only, so "özdemir" would not find
// "Özdemir"; lower_unicode is Go's strings.ToLower (registered below).
func (sqliteDialect) lower(expr string) string { return "lower_unicode(" + expr + ")" }

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("lower_unicode", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// answersInto: a VALUES list, which SQLite names column1…column4.
func (sqliteDialect) answersInto(q *query, id, from string, answers []beheer.Answer) string {
	var rows []string
	for _, a := range answers {
		var num any
		if a.Number != nil {
			num = *a.Number
		}
		for i, v := range a.Values {
			rows = append(rows, "("+q.arg(a.Field)+", "+q.arg(v)+", CAST("+q.arg(num)+" AS DOUBLE PRECISION), CAST("+q.arg(i)+" AS INTEGER))")
		}
	}
	if len(rows) == 0 {
		return ""
	}
	return `INSERT INTO request_answers (request_id, field, value, num, position)
		SELECT ` + id + `, v.column1, v.column2, v.column3, v.column4 FROM ` + from + `(VALUES ` + strings.Join(rows, ", ") + `) AS v`
}

// SQLite finds answers by their keys in the full-text index, which a
// commit writes for all the requests it files at once (searchindex.go):
// an index of the answers' values cost each filing a row per answer, and
// a create through a form of ten fields a sixth of its speed at 1,000,000
// requests (migration 0260).
func (sqliteDialect) answerKeys(answers []beheer.Answer) []string { return beheer.AnswerKeys(answers) }

// keyQuery is the full-text query of the keys of answers, each matched as
// a whole term; "" when no answer has a key.
func keyQuery(answers []AnswerFilter) string {
	var keys []string
	for _, a := range answers {
		if beheer.Keyed(a.Value) {
			keys = append(keys, `"`+beheer.AnswerKey(a.Field, a.Value)+`"`)
		}
	}
	return strings.Join(keys, " AND ")
}

func (sqliteDialect) answerSearch(answers []AnswerFilter) string {
	if keys := keyQuery(answers); keys != "" {
		return " AND " + keys
	}
	return ""
}

// answerDrive: FTS5 hands out the matching ids in order, and CROSS JOIN
// keeps SQLite's planner to that order; a keyset on the index's rowid
// lets FTS5 start where the page does.
func (sqliteDialect) answerDrive(q *query, answers []AnswerFilter) (string, string) {
	keys := keyQuery(answers)
	if keys == "" {
		return "", ""
	}
	q.where = append(q.where, "requests_fts MATCH "+q.arg(keys))
	return "requests_fts CROSS JOIN requests r ON r.id = requests_fts.rowid", "requests_fts.rowid"
}

func (sqliteDialect) answerCount(a AnswerFilter) (string, []any) {
	key := keyQuery([]AnswerFilter{a})
	if key == "" {
		return "", nil
	}
	return "SELECT rowid FROM requests_fts WHERE requests_fts MATCH $1", []any{key}
}

func (sqliteDialect) pageSelect() string { return `SELECT ` + requestColumns + requestFrom }

func (sqliteDialect) namePage(context.Context, *Store, []*beheer.Request) error { return nil }

// ownBranches: the filters reach the parts without their indexes
// (unindexed) and the task part starts from the tasks: SQLite's statistics
// know the average person, not this one, and would otherwise walk every
// open request for someone who has none.
func (sqliteDialect) ownBranches(where []string, filters int) ([]string, string) {
	// CROSS JOIN fixes SQLite's join order.
	return append(unindexed(where[:filters]), where[filters:]...), "tasks t CROSS JOIN requests r ON r.id = t.request_id"
}

// tasksByDeadline: SQLite keeps the order of the join's outer table, so
// a long task list walks the open requests by deadline and their tasks;
// CROSS JOIN fixes that order.
func (sqliteDialect) tasksByDeadline() string {
	return "requests r CROSS JOIN tasks t ON t.request_id = r.id"
}

// unindexed marks filter conditions on a request's columns with SQLite's
// unary plus, which keeps the planner from choosing their index.
func unindexed(conds []string) []string {
	out := make([]string, len(conds))
	for i, c := range conds {
		if strings.HasPrefix(c, "r.") {
			c = "+" + c
		}
		out[i] = c
	}
	return out
}

// precheckRequest trusts the snapshot the place was checked against only
// while the count of changes to areas and processes is what it was read
// at; otherwise it checks the place again as the transaction sees it. The
// one writer makes that hold until the commit.
func (sqliteDialect) precheckRequest(ctx context.Context, t *tx, o *orgSnapshot, n *beheer.NewRequest) error {
	if n.AreaID == 0 && n.ProcessID == 0 && n.FormVersionID == 0 {
		return nil
	}
	same, err := t.orgUnchanged(ctx, o.n)
	if err != nil || same {
		return err
	}
	if n.FormVersionID != 0 {
		if err := t.formStill(ctx, n.FormVersionID); err != nil {
			return err
		}
	}
	if n.AreaID == 0 && n.ProcessID == 0 {
		return nil
	}
	n.AreaID, err = placeNow(ctx, t, n.AreaID, n.ProcessID)
	return err
}

// fileRequest writes statement by statement: each is a call within the
// process, and the committer commits many creates at once.
func (sqliteDialect) fileRequest(ctx context.Context, t *tx, actor *beheer.Actor, n beheer.NewRequest, answers []beheer.Answer, terms string, year int) (int64, string, error) {
	var seq, id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO request_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = request_counters.last + 1 RETURNING last`, year).Scan(&seq); err != nil {
		return 0, "", err
	}
	number := beheer.FormatNumber(year, seq)
	now := ms(t.now)
	err := t.QueryRowContext(ctx, requestInto+` VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16) RETURNING id`,
		number, year, seq, n.Type, n.Title, n.Description, nullID(n.AreaID), nullID(n.ProcessID),
		n.Priority, n.Priority.Rank(), actor.UserID, beheer.PhaseIntake, beheer.StatusAwaitingTriage, now, terms,
		nullID(n.FormVersionID)).Scan(&id)
	if err != nil {
		return 0, "", err
	}
	t.file(id)
	if err := t.writeAnswers(ctx, id, answers); err != nil {
		return 0, "", err
	}
	return id, number, t.record(ctx, filedRows(actor, now, known(id), known(number))...)
}

// insertLogged runs the insert, then records each row in a statement of
// its own.
func (sqliteDialect) insertLogged(ctx context.Context, t *tx, insert string, args []any, logs func(id val) []logRow) (int64, error) {
	var id int64
	if err := t.QueryRowContext(ctx, insert, args...).Scan(&id); err != nil {
		return 0, err
	}
	return id, t.record(ctx, logs(known(id))...)
}

// eventWatermark: with one writer, every event a reader sees is final.
func (sqliteDialect) eventWatermark(context.Context, *Store, string) (int64, error) {
	return math.MaxInt64, nil
}

// bulkParam: SQLite looks named $N parameters up one by one (quadratic in a
// long statement); plain ? are bound by position.
func (sqliteDialect) bulkParam(int) string { return "?" }

// startBulk gives the writer a large page cache and stops the merging of
// the full-text index until finishBulk.
func (sqliteDialect) startBulk(ctx context.Context, s *Store) (func(), error) {
	// A large load touches every index all over; with the writer's usual
	// page cache the pages went to and fro through the kernel (300,000
	// requests: 75 s of system time, 2m25s in all; with 256 MB for the
	// load, 10 s and 1m53s).
	var pages int64
	if err := s.db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&pages); err != nil {
		return nil, err
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return nil, err
	}
	cache := func() { s.db.ExecContext(context.Background(), `PRAGMA cache_size = `+itoa(pages)) }
	// Merging the full-text index waits for the end (see searchAutomerge):
	// 300,000 requests 1m40s -> 1m07s.
	if err := s.setSearchMerge(ctx, 0); err != nil {
		cache()
		return nil, err
	}
	return func() {
		s.restoreSearchMerge(context.Background())
		cache()
	}, nil
}

// finishBulk merges the full-text index and gathers statistics.
func (d sqliteDialect) finishBulk(ctx context.Context, s *Store) error {
	return d.finishReindex(ctx, s)
}

// finishReindex, like finishBulk, merges the full-text index and gathers
// statistics.
func (sqliteDialect) finishReindex(ctx context.Context, s *Store) error {
	// The batches left the full-text index in many segments; merged into
	// one, the first searches and creates after a load do not pay for
	// merging them: creates p95 18 -> 11 ms, searches 2,091 -> 2,798 per
	// second.
	//
	// 'optimize' merges 1,000 pages at a time and after each step trims
	// what it merged off the old segments, which rereads them: at 1,000,000
	// requests it ran for over six minutes. A merge of everything in one
	// step (a negative 'merge') writes the new segment and drops the old
	// ones whole: 15 s.
	if _, err := s.db.ExecContext(ctx, `INSERT INTO requests_fts (requests_fts, rank) VALUES ('merge', -2147483647)`); err != nil {
		return err
	}
	if err := s.restoreSearchMerge(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `ANALYZE`)
	return err
}

func (sqliteDialect) columnTypes() (id, bytes string) { return "INTEGER PRIMARY KEY", "BLOB" }

// afterMigrate sets the full-text index's merging back, should an
// interrupted bulk load have left it off, and gathers statistics for new
// indexes.
func (sqliteDialect) afterMigrate(ctx context.Context, s *Store, applied int) error {
	if err := s.restoreSearchMerge(ctx); err != nil {
		return fmt.Errorf("full-text index: %w", err)
	}
	if applied == 0 {
		return nil
	}
	// New indexes without statistics can lead SQLite's planner to sort a
	// whole table (0.3 s instead of 1 ms at 1,000,000 requests). A sampled
	// ANALYZE takes a fraction of a second.
	if _, err := s.db.ExecContext(ctx, `PRAGMA analysis_limit = 2000; ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

func (d sqliteDialect) backup(ctx context.Context, path string) error {
	return backupSQLite(ctx, d.path, path)
}
