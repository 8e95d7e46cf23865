package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, as Beheer uses it
	_ "modernc.org/sqlite"             // SQLite, as Beheer uses it
)

// The ceilings are what this machine could do at most, measured in the same
// run with the same client and concurrency: every figure of Beheer is also
// reported as a fraction of them, so results compare across machines.

// httpCeiling drives a minimal net/http handler, started here on loopback,
// with the same client code, concurrency and bounds as the operations.
func httpCeiling(ctx context.Context, client *http.Client, l load) (*result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	body := []byte("ok\n")
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(body)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	u := "http://" + ln.Addr().String() + "/"
	r := drive(ctx, "http ceiling", l, func(ctx context.Context, w *worker) (string, time.Duration, error) {
		a, err := w.do(ctx, client, call{method: http.MethodGet, url: u, label: "GET / (ceiling)", token: "bhr_ceiling",
			want: http.StatusOK})
		return "http ceiling", a.d, err
	})
	r.Note = "minimal net/http handler on " + ln.Addr().String()
	return r, nil
}

// rowSize is the size of one row of the insert ceiling, about a request's.
const rowSize = 500

// insertCeiling drives raw durable single-row inserts, one per transaction,
// into the engine of dsn: for SQLite into a separate temporary file next to
// Beheer's (never into Beheer's own) with Beheer's pragmas and its single
// writer connection; for PostgreSQL into a uniquely named table in the given
// database, dropped afterwards. (Not a TEMPORARY table: PostgreSQL does not
// write those to its WAL, so they would not be durable.)
func insertCeiling(ctx context.Context, dsn string, l load) (*result, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgresCeiling(ctx, dsn, l)
	}
	return sqliteCeiling(ctx, dsn, l)
}

func sqliteCeiling(ctx context.Context, dsn string, l load) (*result, error) {
	path := strings.TrimPrefix(dsn, "file:")
	path, _, _ = strings.Cut(path, "?")
	f, err := os.CreateTemp(filepath.Dir(path), "beheer-load-ceiling-*.db")
	if err != nil {
		return nil, fmt.Errorf("insert ceiling: %w", err)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}()
	if same(tmp, path) {
		return nil, errors.New("insert ceiling: refusing to write into Beheer's database")
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+tmp+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // as Beheer: one writer, the others queue
	if _, err := db.ExecContext(ctx, `CREATE TABLE ceiling (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)`); err != nil {
		return nil, fmt.Errorf("insert ceiling: %w", err)
	}
	r := drive(ctx, "insert ceiling", l, inserter(db, `INSERT INTO ceiling (body, created_at) VALUES ($1, $2)`))
	r.Note = "sqlite, WAL, synchronous=FULL, 1 writer connection, " + filepath.Dir(path)
	return r, nil
}

func postgresCeiling(ctx context.Context, dsn string, l load) (*result, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(l.clients)
	db.SetMaxIdleConns(l.clients)
	table := "beheer_load_ceiling_" + randomHex(6)
	if _, err := db.ExecContext(ctx, `CREATE TABLE `+table+` (id bigserial PRIMARY KEY, body text NOT NULL, created_at bigint NOT NULL)`); err != nil {
		return nil, fmt.Errorf("insert ceiling: %w", err)
	}
	defer db.ExecContext(context.WithoutCancel(ctx), `DROP TABLE `+table)
	r := drive(ctx, "insert ceiling", l, inserter(db, `INSERT INTO `+table+` (body, created_at) VALUES ($1, $2)`))
	r.Note = "postgres, table " + table + " (dropped), synchronous_commit as configured"
	return r, nil
}

// inserter is the step of the insert ceiling: one row in one transaction.
func inserter(db *sql.DB, insert string) step {
	return func(ctx context.Context, w *worker) (string, time.Duration, error) {
		row := make([]byte, rowSize)
		for i := range row {
			row[i] = 'a' + byte(w.rnd.IntN(26))
		}
		start := time.Now()
		err := insertOne(ctx, db, insert, string(row))
		return "insert ceiling", time.Since(start), err
	}
}

func insertOne(ctx context.Context, db *sql.DB, insert, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, insert, body, time.Now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

// same reports whether two paths name the same file.
func same(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
