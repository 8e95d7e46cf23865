package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestSQLiteConnectionSettings reads back what every SQLite connection is
// opened with. The writer: WAL, synchronous=FULL (a commit is on disk before
// it is acknowledged), foreign keys, and temporary data in memory — SQLite
// keeps each statement's undo pages in a statement journal, and inside the
// committer's long transactions that journal spilled to a temporary file:
// a tenth of a create's time went to writing it. The readers: read-only.
func TestSQLiteConnectionSettings(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "beheer.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
