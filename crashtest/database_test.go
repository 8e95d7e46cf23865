package crashtest

import (
	"database/sql"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// checkSQLite opens the stopped server's file read-only and runs SQLite's
// own checks before the consistency checks shared with PostgreSQL.
func checkSQLite(t *testing.T, path string, l *ledger) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := queryStrings(t, db, "PRAGMA integrity_check"); len(got) != 1 || got[0] != "ok" {
		t.Errorf("sqlite: PRAGMA integrity_check: %v", got)
	}
	rows, err := db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatalf("sqlite: PRAGMA foreign_key_check: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("sqlite: foreign_key_check: row %v of %s points to a missing %s", rowid, table, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	checkConsistency(t, "sqlite", db, l)
}

// checkPostgres looks for rows of any table whose request_id points to no
// request (the foreign keys should make that impossible) before the
// consistency checks shared with SQLite.
func checkPostgres(t *testing.T, url string, l *ledger) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := queryStrings(t, db, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'request_id' ORDER BY table_name`)
	if len(tables) < 2 {
		t.Fatalf("postgres: tables with request_id: %v; want at least comments and audit", tables)
	}
	for _, table := range tables {
		var n int
		q := `SELECT COUNT(*) FROM "` + table + `" x WHERE x.request_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = x.request_id)`
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("postgres: %s: %v", table, err)
		}
		if n != 0 {
			t.Errorf("postgres: %d rows of %s point to a missing request", n, table)
		}
	}
	checkConsistency(t, "postgres", db, l)
}

// consistency are queries that must count zero rows: a write that was
// committed only in part would leave one of these behind.
var consistency = []struct{ what, query string }{
	{"requests without their request.created audit row", `SELECT COUNT(*) FROM requests r WHERE NOT EXISTS
		(SELECT 1 FROM audit a WHERE a.request_id = r.id AND a.action = 'request.created' AND a.after_value = r.number)`},
	{"comments without their comment.added audit row", `SELECT COUNT(*) FROM comments c WHERE NOT EXISTS
		(SELECT 1 FROM audit a WHERE a.request_id = c.request_id AND a.action = 'comment.added' AND a.after_value = CAST(c.id AS TEXT))`},
	{"comment.added audit rows without their comment", `SELECT COUNT(*) FROM audit a WHERE a.action = 'comment.added' AND NOT EXISTS
		(SELECT 1 FROM comments c WHERE c.request_id = a.request_id AND CAST(c.id AS TEXT) = a.after_value)`},
	{"requests past intake without a transition audit row", `SELECT COUNT(*) FROM requests r WHERE r.phase <> 'intake' AND NOT EXISTS
		(SELECT 1 FROM audit a WHERE a.request_id = r.id AND a.action = 'request.transition' AND a.after_value = r.phase)`},
	{"requests in intake with a transition audit row", `SELECT COUNT(*) FROM requests r WHERE r.phase = 'intake' AND EXISTS
		(SELECT 1 FROM audit a WHERE a.request_id = r.id AND a.action = 'request.transition')`},
	{"requests filed without the form", `SELECT COUNT(*) FROM requests WHERE form_version_id IS NULL`},
	{"requests without both their answers", `SELECT COUNT(*) FROM requests r
		WHERE (SELECT COUNT(*) FROM request_answers a WHERE a.request_id = r.id) <> 2`},
	{"answers of a missing request", `SELECT COUNT(*) FROM request_answers a WHERE NOT EXISTS
		(SELECT 1 FROM requests r WHERE r.id = a.request_id)`},
	{"request numbers used twice", `SELECT COUNT(*) - COUNT(DISTINCT number) FROM requests`},
	{"years whose counter is not the number of requests filed", `SELECT COUNT(*) FROM request_counters rc
		WHERE rc.last <> (SELECT COUNT(*) FROM requests r WHERE r.year = rc.year)
		OR rc.last <> (SELECT COALESCE(MAX(r.seq), 0) FROM requests r WHERE r.year = rc.year)`},
	{"requests of a year without a counter", `SELECT COUNT(*) FROM requests r WHERE NOT EXISTS
		(SELECT 1 FROM request_counters rc WHERE rc.year = r.year)`},
}

// checkConsistency runs the consistency queries and compares the numbers
// of requests and comments with what the API showed after the last restart.
func checkConsistency(t *testing.T, engine string, db *sql.DB, l *ledger) {
	for _, c := range consistency {
		var n int
		if err := db.QueryRow(c.query).Scan(&n); err != nil {
			t.Fatalf("%s: %s: %v", engine, c.what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d %s", engine, n, c.what)
		}
	}
	requests, comments, _ := l.totals()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM requests`).Scan(&n); err != nil || n != requests {
		t.Errorf("%s: %d requests in the database (%v), the API showed %d", engine, n, err, requests)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM comments`).Scan(&n); err != nil || n != comments {
		t.Errorf("%s: %d comments in the database (%v), the API showed %d", engine, n, err, comments)
	}
	t.Logf("%s: database consistent: %d requests, %d comments", engine, requests, comments)
}

// queryStrings runs a query returning one text column.
func queryStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
