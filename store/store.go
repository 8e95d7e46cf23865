// Package store is the only package that speaks SQL. It keeps Beheer's data
// in SQLite (embedded, the default) or PostgreSQL, with one schema and the
// same behaviour on both. Its methods are the service layer: every write
// loads what it changes, checks the rules of package beheer for the acting
// person, writes, appends audit rows and commits, in one transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	_ "modernc.org/sqlite"             // the SQLite driver

	"beheer"
)

// Engine names a database engine.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Options configure a store.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxAttachmentSize bounds one attachment in bytes; 0 means 25 MB.
	MaxAttachmentSize int64
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// OnTx, when set, is told how long each write transaction and each read
	// took (for metrics).
	OnTx func(write bool, d time.Duration)
	// ReportTTL is how long computed report figures are reused; 0 means
	// a minute, a negative value never (tests that change data and look
	// again at once).
	ReportTTL time.Duration
	// migrateBefore, when set, stops the migrations before the one of this
	// number: tests fill an old schema and then migrate it.
	migrateBefore int
}

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	engine  Engine
	db      *sql.DB // writes (SQLite: one connection, BEGIN IMMEDIATE)
	rdb     *sql.DB // reads (SQLite: a pool of read-only connections)
	now     func() time.Time
	maxFile int64
	log     *slog.Logger
	path    string // the SQLite file
	onTx    func(write bool, d time.Duration)
	counts  *shared[[]PhaseCount] // per visibility scope
	reports *reportCache          // per scope and filter
	wstmts  *stmtCache            // SQLite: prepared statements of the writer
	rstmts  *stmtCache            // SQLite: prepared statements of the read pool
	group   *committer            // SQLite: runs the writes, several per commit
	creates *committer            // runs the writes that file requests: s.group on SQLite
	orgc    *orgCache             // areas, processes, request types (orgcache.go)
	auth    *authCache            // PostgreSQL: whom API tokens belong to
	final   *atomic.Int64         // PostgreSQL: the last event watermark
}

// DefaultMaxAttachmentSize is the default limit on one attachment.
const DefaultMaxAttachmentSize = 25 << 20

// Open connects to the database named by dsn — a postgres:// URL, or the path
// of a SQLite file (created when missing) — and applies pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, maxFile: opts.MaxAttachmentSize, log: opts.Logger, onTx: opts.OnTx, counts: newShared[[]PhaseCount](countsTTL, countsStale), reports: newReportCache(opts.ReportTTL), orgc: &orgCache{}, final: new(atomic.Int64)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxFile <= 0 {
		s.maxFile = DefaultMaxAttachmentSize
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		err = s.openPostgres(dsn)
	} else {
		err = s.openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, opts.migrateBefore); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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

func (s *Store) openSQLite(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	s.engine, s.path = SQLite, path
	s.orgc.always = true
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
	s.db, s.rdb = w, r
	s.wstmts, s.rstmts = newStmtCache(w), newStmtCache(r)
	s.group = s.startCommitter()
	s.creates = s.group
	return nil
}

func (s *Store) openPostgres(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	s.engine, s.db, s.rdb = Postgres, db, db
	s.creates = s.startCommitter()
	s.startAuthCache(dsn)
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.auth.close()
	s.group.stop()
	if s.creates != s.group {
		s.creates.stop()
	}
	s.wstmts.close()
	s.rstmts.close()
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// Engine says which database engine the store uses.
func (s *Store) Engine() Engine { return s.engine }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// WithClock returns a store that shares the database but reads time from now.
// The demo loader uses it to date its history.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// tx is a write transaction with the one timestamp taken at its start.
type tx struct {
	*sql.Tx
	s   *Store
	now time.Time
	// detached: the statements ignore the cancellation of their context,
	// as the work of a group commit must (see commitBatch).
	detached bool
	// filed: the requests this transaction filed, for the full-text index
	// (SQLite; see file).
	filed []int64
}

// write runs fn in a transaction and commits when it returns nil. Errors
// other than *beheer.Error are logged and replaced by an internal error, so
// no driver message ever reaches a user.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	return s.writeVia(ctx, s.group, fn)
}

// writeCreate is write for work that files a request: see the committer.
func (s *Store) writeCreate(ctx context.Context, fn func(*tx) error) error {
	return s.writeVia(ctx, s.creates, fn)
}

func (s *Store) writeVia(ctx context.Context, g *committer, fn func(*tx) error) error {
	if s.onTx != nil {
		defer func(start time.Time) { s.onTx(true, time.Since(start)) }(time.Now())
	}
	var err error
	if g != nil {
		err = g.submit(ctx, s, fn)
	} else {
		err = s.writeOne(ctx, fn)
	}
	if err != nil {
		return s.internal(err)
	}
	return nil
}

// read runs fn against the read pool.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	if s.onTx != nil {
		defer func(start time.Time) { s.onTx(false, time.Since(start)) }(time.Now())
	}
	err := fn(reader{s.rdb, s.rstmts})
	s.rstmts.prepare(context.Background())
	if err != nil {
		return s.internal(err)
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// internal passes *beheer.Error through and hides everything else.
func (s *Store) internal(err error) error {
	var be *beheer.Error
	if errors.As(err, &be) {
		return be
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	s.log.Error("database", "err", err)
	return &beheer.Error{Code: beheer.CodeInternal, Key: "error.internal"}
}

// forUpdate locks a loaded row until commit on PostgreSQL; SQLite's single
// writer already serialises write transactions.
func (s *Store) forUpdate() string {
	if s.engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// ms and fromMS convert between time.Time and the stored Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
