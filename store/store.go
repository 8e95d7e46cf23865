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
	"log/slog"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	_ "modernc.org/sqlite"             // the SQLite driver

	"beheer"
	"beheer/store/internal/txn"
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
	// Secrets seals the passwords and client secrets the connection
	// pages save; nil means none can be saved (those the environment
	// gives still work).
	Secrets *beheer.SecretBox
	// migrateBefore, when set, stops the migrations before the one of this
	// number: tests fill an old schema and then migrate it.
	migrateBefore int
}

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	dialect dialect // everything that differs between the engines
	db      *sql.DB // writes (SQLite: one connection, BEGIN IMMEDIATE)
	rdb     *sql.DB // reads (SQLite: a pool of read-only connections)
	txns    *txn.DB // runs the writes and reads on db and rdb
	now     func() time.Time
	maxFile int64
	log     *slog.Logger
	onTx    func(write bool, d time.Duration)
	counts  *shared[[]PhaseCount]     // per visibility scope
	reports *reportCache              // per scope and filter
	orgc    *orgCache                 // areas, processes, request types (orgcache.go)
	answers *answerCache              // requests' answers by version (answercache.go)
	auth    *authCache                // whom API tokens belong to (authcache.go)
	uses    *tokenUses                // when each token's last use was written
	secrets *beheer.SecretBox         // seals the connection pages' secrets
	banner  *shared[[]*beheer.Outage] // the open outages every page shows
}

// DefaultMaxAttachmentSize is the default limit on one attachment.
const DefaultMaxAttachmentSize = 25 << 20

// Open connects to the database named by dsn — a postgres:// URL, or the path
// of a SQLite file (created when missing) — and applies pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, maxFile: opts.MaxAttachmentSize, log: opts.Logger, onTx: opts.OnTx, counts: newShared[[]PhaseCount](countsTTL, countsStale), reports: newReportCache(opts.ReportTTL), orgc: &orgCache{}, answers: &answerCache{},
		uses: &tokenUses{written: map[int64]time.Time{}}, secrets: opts.Secrets, banner: newShared[[]*beheer.Outage](bannerTTL, 0)}
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
	s.txns = txn.New(s.db, s.rdb, s.dialect.txConfig())
	if err := s.migrate(ctx, opts.migrateBefore); err != nil {
		s.Close()
		return nil, err
	}
	if opts.migrateBefore != 0 {
		// A schema held back (to test a migration) may lack what the
		// token cache reads or listens to: such a store does without it,
		// and without the listening for changes to the organisation.
		s.auth.close()
		s.auth = nil
		return s, nil
	}
	if err := s.reindexSearch(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.auth.close()
	s.WaitTokenUses()
	s.txns.Close()
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// Engine says which database engine the store uses.
func (s *Store) Engine() Engine { return s.dialect.engine() }

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
	*txn.Tx
	s   *Store
	now time.Time
}

// write runs fn in a transaction and commits when it returns nil. Errors
// other than *beheer.Error are logged and replaced by an internal error, so
// no driver message ever reaches a user.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	return s.writeVia(ctx, false, fn)
}

// writeCreate is write for work that files a request: it goes through a
// committer on every engine (see package txn).
func (s *Store) writeCreate(ctx context.Context, fn func(*tx) error) error {
	return s.writeVia(ctx, true, fn)
}

func (s *Store) writeVia(ctx context.Context, batched bool, fn func(*tx) error) error {
	if s.onTx != nil {
		defer func(start time.Time) { s.onTx(true, time.Since(start)) }(time.Now())
	}
	work := func(t *txn.Tx) error { return fn(&tx{Tx: t, s: s, now: s.now().UTC()}) }
	var err error
	if batched {
		err = s.txns.WriteBatched(ctx, work)
	} else {
		err = s.txns.Write(ctx, work)
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
	if err := s.txns.Read(ctx, fn); err != nil {
		return s.internal(err)
	}
	return nil
}

// querier is what both reads and write transactions offer.
type querier = txn.Querier

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
