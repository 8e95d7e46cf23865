package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var shared Shared

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryString(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(query).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

func TestSharedDatabases(t *testing.T) {
	u1, u2 := shared.Database(t), shared.Database(t)
	if u1 == u2 {
		t.Fatalf("two databases with the same URL %s", u1)
	}
	names := map[string]bool{}
	for _, u := range []string{u1, u2} {
		db := open(t, u)
		if got := queryString(t, db, "SELECT 1::text"); got != "1" {
			t.Errorf("SELECT 1 = %s", got)
		}
		names[queryString(t, db, "SELECT current_database()")] = true
		for setting, want := range map[string]string{
			"fsync": "on", "max_connections": "200", "listen_addresses": "127.0.0.1",
			"unix_socket_directories": "", "server_encoding": "UTF8",
		} {
			if got := queryString(t, db, "SHOW "+setting); got != want {
				t.Errorf("%s = %q, want %q", setting, got, want)
			}
		}
		if n := queryString(t, db, "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'"); n != "0" {
			t.Errorf("fresh database has %s tables", n)
		}
	}
	if len(names) != 2 {
		t.Errorf("databases %v, want two distinct", names)
	}
}

func TestKillRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := Start(ctx)
	if err != nil {
		fail(t, err)
	}
	defer func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(c.base); !os.IsNotExist(err) {
			t.Errorf("data directory %s left after Stop: %v", c.base, err)
		}
	}()
	url, err := c.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db := open(t, url)
	if _, err := db.Exec("CREATE TABLE t (v text); INSERT INTO t VALUES ('committed')"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t VALUES ('uncommitted')"); err != nil {
		t.Fatal(err)
	}

	if err := c.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err == nil {
		t.Fatal("server still answers after Kill")
	}
	tx.Rollback()
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}

	db = open(t, url) // the old pool's connections died with the server
	rows, err := db.Query("SELECT v FROM t")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "committed" {
		t.Errorf("rows after crash = %q, want [committed]", got)
	}
	if c.URL() != "postgres://postgres@127.0.0.1:"+queryString(t, db, "SHOW port")+"/postgres?sslmode=disable" {
		t.Errorf("URL %s does not match the restarted server's port", c.URL())
	}
}

// fakeTB records how fail ends a test.
type fakeTB struct {
	testing.TB
	ended string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.ended = "skip"
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.ended = "fatal: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestUnavailable(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	libGlob = filepath.Join(t.TempDir(), "*", "bin")
	defer func() { libGlob = "/usr/lib/postgresql/*/bin" }()
	_, err := Start(context.Background())
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start without binaries: %v, want ErrUnavailable", err)
	}
	for _, tc := range []struct{ ci, err, want string }{
		{"", "missing", "skip"},
		{"false", "missing", "skip"},
		{"true", "missing", "fatal: PostgreSQL suite could not run"},
		{"", "broken", "fatal: PostgreSQL suite could not run"},
	} {
		t.Setenv("CI", tc.ci)
		e := err
		if tc.err == "broken" {
			e = errors.New("initdb failed")
		}
		f := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() { defer close(done); fail(f, e) }()
		<-done
		if !strings.HasPrefix(f.ended, tc.want) {
			t.Errorf("CI=%q, %s binaries: test ended with %q, want %q", tc.ci, tc.err, f.ended, tc.want)
		}
	}
}
