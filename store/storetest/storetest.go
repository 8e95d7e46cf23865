// Package storetest opens real databases for tests: a temporary SQLite file
// always, and a throwaway PostgreSQL cluster when its binaries are found.
// With CI=true a PostgreSQL suite that cannot run fails instead of skipping.
package storetest

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"beheer"
	"beheer/internal/pgtest"
	"beheer/store"
)

// cluster is shared by every test of one test binary; Main stops it.
var cluster pgtest.Shared

// Main runs a package's tests and stops the PostgreSQL cluster afterwards,
// after running the package's own clean-ups. Call it from TestMain.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	cluster.Close()
	os.Exit(code)
}

// Options adjust a test store.
type Options struct {
	Now               func() time.Time
	MaxAttachmentSize int64
	// OnTx is told of every write transaction and read, as store.Options
	// says: tests count a write's transactions with it.
	OnTx func(write bool, d time.Duration)
	// Secrets seals the connection settings' secrets; nil: none.
	Secrets *beheer.SecretBox
	// Log receives the store's log from level info on; nil sends warnings
	// and errors to the test's log.
	Log io.Writer
}

// Engines runs fn once per engine, as subtests named "sqlite" and "postgres".
func Engines(t *testing.T, opts Options, fn func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, opts)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, opts)) })
}

// EnginesWithDB is Engines for tests that also look into the database:
// fn gets, beside the store, a connection of its own to the same database
// and its dsn, to open more stores on it.
func EnginesWithDB(t *testing.T, opts Options, fn func(t *testing.T, st *store.Store, db *sql.DB, dsn string)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn, driver := filepath.Join(t.TempDir(), "beheer.db"), "sqlite"
			if engine == "postgres" {
				dsn, driver = PostgresURL(t), "pgx"
			}
			st := open(t, dsn, opts)
			// The console waits for the store's writes as the store waits
			// for its: a token's last use, say, is written in the background.
			console := dsn
			if driver == "sqlite" {
				console += "?_pragma=busy_timeout(10000)"
			}
			db, err := sql.Open(driver, console)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, st, db, dsn)
		})
	}
}

// Open opens another store on the database of dsn.
func Open(t testing.TB, dsn string, opts Options) *store.Store {
	t.Helper()
	return open(t, dsn, opts)
}

// SQLite opens a store on a fresh SQLite file in the test's temp directory.
func SQLite(t testing.TB, opts Options) *store.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "beheer.db"), opts)
}

// Postgres opens a store on a fresh PostgreSQL database, or skips (fails
// under CI=true) when PostgreSQL is not installed.
func Postgres(t testing.TB, opts Options) *store.Store {
	t.Helper()
	return open(t, PostgresURL(t), opts)
}

// PostgresURL returns the URL of a fresh, empty PostgreSQL database.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return cluster.Database(t)
}

func open(t testing.TB, dsn string, opts Options) *store.Store {
	t.Helper()
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if opts.Log != nil {
		log = slog.New(slog.NewTextHandler(opts.Log, nil))
	}
	st, err := store.Open(context.Background(), dsn, store.Options{Now: opts.Now,
		MaxAttachmentSize: opts.MaxAttachmentSize, Logger: log, ReportTTL: -1, OnTx: opts.OnTx, Secrets: opts.Secrets})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testWriter sends log output to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// WriteCounter counts write transactions: give its OnTx to Options.
type WriteCounter struct{ n atomic.Int64 }

// OnTx counts a write transaction; reads are not counted.
func (c *WriteCounter) OnTx(write bool, _ time.Duration) {
	if write {
		c.n.Add(1)
	}
}

// Count is the number of write transactions so far.
func (c *WriteCounter) Count() int64 { return c.n.Load() }
