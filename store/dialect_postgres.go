package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"beheer"
	"beheer/store/internal/txn"
)

// postgresDialect is PostgreSQL: writes in parallel under row locks, every
// statement a round trip to another process, tsvector for full-text search.
type postgresDialect struct {
	final *atomic.Int64 // the last event watermark (see eventWatermark)
}

// openPostgres connects to the database of dsn and starts listening for
// changes to API tokens.
func (s *Store) openPostgres(dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return err
	}
	db := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(plannerSettings))
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	s.db, s.rdb, s.dialect = db, db, postgresDialect{final: new(atomic.Int64)}
	s.startAuthCache(dsn)
	return nil
}

func (postgresDialect) engine() Engine { return Postgres }

// plannerSettings tells PostgreSQL, on each new connection, that reading
// any page costs about as much as reading the next (random_page_cost 1.1,
// as on SSDs and with the database in memory), unless the database's
// administrator chose a cost (source is not "default"). With the default
// cost, meant for spinning disks, the planner read the queue of one phase
// newest first by walking all requests rather than the phase's index: it
// expects the phase's requests spread evenly, but the newest requests are
// the ones still in Aanvraag, and at 1,000,000 requests a page of
// Onderzoek took seconds under load (TestPhasePagePlanPostgres).
func plannerSettings(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `SELECT set_config('random_page_cost', '1.1', false)
		FROM pg_settings WHERE name = 'random_page_cost' AND source = 'default'`)
	return err
}

// txConfig: each write has a transaction of its own; pgx prepares and
// caches statements itself.
func (postgresDialect) txConfig() txn.Config { return txn.Config{} }

func (postgresDialect) lock(alias string) string {
	if alias == "" {
		return " FOR UPDATE"
	}
	return " FOR UPDATE OF " + alias
}

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// takeTurn takes a transaction-scoped advisory lock.
func (postgresDialect) takeTurn(ctx context.Context, q execer, key int64) error {
	_, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+itoa(key)+`)`)
	return err
}

// matchWord: a tsquery prefix of the whole term; the GIN index finds the
// terms that start with it.
func (postgresDialect) matchWord(term string, _ func(string) string) string { return term + ":*" }

func (postgresDialect) matchJoins() (and, or string) { return " & ", " | " }

// The terms are indexed under the 'simple' configuration: as they are.
func (postgresDialect) searchCondition(arg string) string {
	return "r.search @@ to_tsquery('simple', " + arg + ")"
}

// termCondition: matchWord matches whole terms already.
func (postgresDialect) termCondition(*query, []string, func(string) string) {}

func (postgresDialect) articleMatch(q *query, match string) string {
	arg := q.arg(match)
	q.where = append(q.where, "x.search @@ to_tsquery('simple', "+arg+")")
	return " ORDER BY ts_rank(x.search, to_tsquery('simple', " + arg + ")) DESC, x.id DESC"
}

// file: the generated search column and its GIN index keep up by
// themselves.
func (postgresDialect) file(*tx, int64) {}

func (postgresDialect) walksSearch(string) bool { return false }

// PostgreSQL plans a list page's query at every execution (its parameters
// decide the plan), and the joins for the names of area, requester and
// assignee made that planning 0.5 ms of a 0.65 ms query. Its list pages
// therefore read the requests alone (planned in 0.1 ms) and the names in a
// second, prepared statement.

// requestColumnsUnnamed is requestColumns with the names left empty.
const requestColumnsUnnamed = requestRowColumns + `, '', '', '', ''`

// lower: PostgreSQL's LOWER follows the database's locale, every alphabet.
func (postgresDialect) lower(expr string) string { return "LOWER(" + expr + ")" }

// answersInto: four arrays, one element per value — one statement text
// whatever the number of answers, and four parameters in place of four per
// value, in the create statement that the committer runs one after another.
func (postgresDialect) answersInto(q *query, id, from string, answers []beheer.Answer) string {
	var fields, values []string
	var nums []*float64
	var positions []int32
	for _, a := range answers {
		for i, v := range a.Values {
			fields, values = append(fields, a.Field), append(values, v)
			nums, positions = append(nums, a.Number), append(positions, int32(i))
		}
	}
	if len(fields) == 0 {
		return ""
	}
	return `INSERT INTO request_answers (request_id, field, value, num, position)
		SELECT ` + id + `, v.field, v.value, v.num, v.position FROM ` + from + `unnest(` + q.arg(fields) + `::text[], ` +
		q.arg(values) + `::text[], ` + q.arg(nums) + `::float8[], ` + q.arg(positions) + `::int[]) AS v (field, value, num, position)`
}

// PostgreSQL finds answers through the answers' value index
// (request_answers_value, values of at most beheer.MaxKeyedAnswer
// characters). Its full-text GIN index tells neither the first matches in
// id order nor how many there are, up to a few thousand, without reading
// every match (30 ms for a common answer at 1,000,000 requests); and
// without the value index the planner misjudged how common an answer is
// and read all answers for a queue page (750 ms).
func (postgresDialect) answerKeys([]beheer.Answer) []string { return nil }

func (postgresDialect) answerSearch([]AnswerFilter) string { return "" }

// answerIndexed is the value index's condition, which a query repeats for
// the planner to use it.
var answerIndexed = "length(x.value) <= " + itoa(beheer.MaxKeyedAnswer)

// answerDrive: the first answer the value index holds (planAnswers puts
// the rarest first); the planner chooses the order itself.
func (postgresDialect) answerDrive(q *query, answers []AnswerFilter) (string, string) {
	a, ok := indexedAnswer(answers)
	if !ok {
		return "", ""
	}
	q.where = append(q.where, "x.field = "+q.arg(a.Field), "x.value = "+q.arg(a.Value), answerIndexed)
	return "request_answers x JOIN requests r ON r.id = x.request_id", "x.request_id"
}

func (postgresDialect) answerCount(a AnswerFilter) (string, []any) {
	if !beheer.Keyed(a.Value) {
		return "", nil
	}
	return "SELECT 1 FROM request_answers x WHERE x.field = $1 AND x.value = $2 AND " + answerIndexed, []any{a.Field, a.Value}
}

// indexedAnswer is the first of answers the value index holds.
func indexedAnswer(answers []AnswerFilter) (AnswerFilter, bool) {
	i := slices.IndexFunc(answers, func(a AnswerFilter) bool { return beheer.Keyed(a.Value) })
	if i < 0 {
		return AnswerFilter{}, false
	}
	return answers[i], true
}

func (postgresDialect) pageSelect() string {
	return `SELECT ` + requestColumnsUnnamed + ` FROM requests r`
}

// namePage fills in the names of the requests' areas, requesters and
// assignees (the ids go as arrays).
func (postgresDialect) namePage(ctx context.Context, s *Store, items []*beheer.Request) error {
	if len(items) == 0 {
		return nil
	}
	var users, areas []int64
	for _, r := range items {
		users = append(users, r.RequesterID)
		if r.AssigneeID != 0 {
			users = append(users, r.AssigneeID)
		}
		if r.AreaID != 0 {
			areas = append(areas, r.AreaID)
		}
	}
	type name struct{ code, name string }
	userNames, areaNames := map[int64]string{}, map[int64]name{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT FALSE, id, '', name FROM users WHERE id = ANY($1)
			UNION ALL SELECT TRUE, id, code, name FROM areas WHERE id = ANY($2)`, users, areas)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var area bool
			var id int64
			var n name
			if err := rows.Scan(&area, &id, &n.code, &n.name); err != nil {
				return err
			}
			if area {
				areaNames[id] = n
			} else {
				userNames[id] = n.name
			}
			return nil
		})
	})
	for _, r := range items {
		r.RequesterName, r.AssigneeName = userNames[r.RequesterID], userNames[r.AssigneeID]
		a := areaNames[r.AreaID]
		r.AreaCode, r.AreaName = a.code, a.name
	}
	return err
}

func (postgresDialect) ownBranches(where []string, _ int) ([]string, string) {
	return where, "tasks t JOIN requests r ON r.id = t.request_id"
}

// tasksByDeadline: PostgreSQL plans the deadline order itself.
func (postgresDialect) tasksByDeadline() string { return "" }

// precheckRequest: fileRequest checks the area, process and form version
// in its statement.
func (postgresDialect) precheckRequest(context.Context, *tx, *orgSnapshot, *beheer.NewRequest) error {
	return nil
}

// fileRequest checks the area, process and form version and writes the
// number, the request, its answers and what filing records in one
// statement: creates run one after another in a committer (see package
// txn), so each round trip counts. When the area or process does not exist
// or is archived, the process is not of the area, or the form version is
// no longer its form's current one, the statement writes nothing, and
// formStill and placeNow then say which is wrong.
func (d postgresDialect) fileRequest(ctx context.Context, t *tx, actor *beheer.Actor, n beheer.NewRequest, answers []beheer.Answer, terms string, year int) (int64, string, error) {
	var c chain
	y, area, process, at := c.arg(year), c.arg(nullID(n.AreaID)), c.arg(nullID(n.ProcessID)), c.arg(ms(t.now))
	form := c.arg(nullID(n.FormVersionID))
	c.step("ok", `SELECT WHERE (`+area+`::bigint IS NULL OR EXISTS (SELECT FROM areas WHERE id = `+area+` AND archived_at IS NULL))
		AND (`+process+`::bigint IS NULL OR EXISTS (SELECT FROM processes WHERE id = `+process+` AND area_id = `+area+`
			AND archived_at IS NULL))
		AND (`+form+`::bigint IS NULL OR EXISTS (SELECT FROM forms WHERE version_id = `+form+` AND archived_at IS NULL))`)
	c.step("c", `INSERT INTO request_counters (year, last) SELECT `+y+`, 1 FROM ok
		ON CONFLICT (year) DO UPDATE SET last = request_counters.last + 1 RETURNING last`)
	c.step("r", requestInto+`
		SELECT `+y+`::text || '-' || CASE WHEN c.last < 10000 THEN lpad(c.last::text, 4, '0') ELSE c.last::text END,
			`+y+`, c.last, `+c.list(n.Type, n.Title, n.Description)+`, `+area+`, `+process+`, `+
		c.list(n.Priority, n.Priority.Rank(), actor.UserID, beheer.PhaseIntake, beheer.StatusAwaitingTriage)+`, `+at+`, `+at+`, `+
		c.arg(terms)+`, `+form+`::bigint FROM c
		RETURNING id, number`)
	c.log("r", filedRows(actor, ms(t.now), column("r.id"), column("r.number")))
	if insert := d.answersInto(&c.q, "r.id", "r, ", answers); insert != "" {
		c.step("a", insert)
	}
	var id int64
	var number string
	err := t.QueryRowContext(ctx, c.sql(`SELECT id, number FROM r`), c.q.args...).Scan(&id, &number)
	if errors.Is(err, sql.ErrNoRows) {
		if n.FormVersionID != 0 {
			if err := t.formStill(ctx, n.FormVersionID); err != nil {
				return 0, "", err
			}
		}
		if _, err := placeNow(ctx, t, n.AreaID, n.ProcessID); err != nil {
			return 0, "", err
		}
		// The process moved to another area since it was checked.
		return 0, "", beheer.Errorf(beheer.CodeConflict, "area.changed")
	}
	return id, number, err
}

// insertLogged runs the insert and its rows in one statement: each round
// trip to PostgreSQL costs as much as the work itself.
func (postgresDialect) insertLogged(ctx context.Context, t *tx, insert string, args []any, logs func(id val) []logRow) (int64, error) {
	c := chain{q: query{args: slices.Clip(args)}}
	c.step("n", insert)
	c.log("n", logs(column("n.id")))
	var id int64
	err := t.QueryRowContext(ctx, c.sql(`SELECT id FROM n`), c.q.args...).Scan(&id)
	return id, err
}

// eventWatermark: ids come from a sequence when the row is inserted, so a
// transaction that started earlier can commit a lower id after a higher one
// was committed: a cursor that skipped past it would lose that event. A
// SHARE ROW EXCLUSIVE lock waits for every transaction that has inserted
// into events (they hold ROW EXCLUSIVE until they end); every id up to the
// maximum seen then is committed or rolled back for good. The lock is held
// for one tiny transaction only, but writers that come meanwhile queue
// behind it: while the named cursor is still below the last watermark, that
// one serves again (it stays true), so a worker catching up takes the lock
// once rather than once per batch.
func (d postgresDialect) eventWatermark(ctx context.Context, s *Store, cursor string) (int64, error) {
	known := d.final.Load()
	var pos int64
	if err := s.rdb.QueryRowContext(ctx, `SELECT position FROM worker_cursors WHERE name = $1`, cursor).Scan(&pos); err != nil {
		return 0, err
	}
	if pos < known {
		return known, nil
	}
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer t.Rollback()
	if _, err := t.ExecContext(ctx, `LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return 0, err
	}
	var high int64
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&high); err != nil {
		return 0, err
	}
	if err := t.Commit(); err != nil {
		return 0, err
	}
	for known < high && !d.final.CompareAndSwap(known, high) {
		known = d.final.Load()
	}
	return high, nil
}

func (postgresDialect) bulkParam(n int) string { return "$" + itoa(int64(n)) }

func (postgresDialect) startBulk(context.Context, *Store) (func(), error) { return func() {}, nil }

// finishBulk moves the id sequences past the ids the load assigned and
// gathers statistics.
func (postgresDialect) finishBulk(ctx context.Context, s *Store) error {
	for _, table := range []string{"requests", "comments", "audit", "decisions", "escalations", "tasks", "attachments"} {
		if _, err := s.db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'),
			GREATEST((SELECT COALESCE(MAX(id), 0) FROM `+table+`), 1))`); err != nil {
			return err
		}
	}
	_, err := s.db.ExecContext(ctx, `ANALYZE`)
	return err
}

// finishReindex gathers statistics for the filled-in terms.
func (postgresDialect) finishReindex(ctx context.Context, s *Store) error {
	_, err := s.db.ExecContext(ctx, `ANALYZE requests, publications`)
	return err
}

func (postgresDialect) columnTypes() (id, bytes string) {
	return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA"
}

func (postgresDialect) afterMigrate(context.Context, *Store, int) error { return nil }

// backup: PostgreSQL is backed up with pg_dump.
func (postgresDialect) backup(context.Context, string) error {
	return errors.New("backup: use pg_dump for PostgreSQL")
}
