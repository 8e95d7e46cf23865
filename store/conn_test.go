package store

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"
)

// openSQLite opens a store on the SQLite file at path, or on a fresh one in
// the test's temp directory when path is "", and closes it when the test
// ends.
func openSQLite(t testing.TB, path string) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "beheer.db")
	}
	s, err := Open(context.Background(), path, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSQLiteConnectionSettings reads back what every SQLite connection is
// opened with. The writer: WAL, synchronous=FULL (a commit is on disk before
// it is acknowledged), foreign keys, and temporary data in memory — SQLite
// keeps each statement's undo pages in a statement journal, and inside the
// committer's long transactions that journal spilled to a temporary file:
// a tenth of a create's time went to writing it. The readers: read-only.
func TestSQLiteConnectionSettings(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	read := func(db *sql.DB, pragma string) string {
		t.Helper()
		var v string
		if err := db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", pragma, err)
		}
		return v
	}
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "temp_store": "2", "query_only": "0",
	} {
		if got := read(s.db, pragma); got != want {
			t.Errorf("writer: PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "query_only": "1",
	} {
		if got := read(s.rdb, pragma); got != want {
			t.Errorf("reader: PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}
