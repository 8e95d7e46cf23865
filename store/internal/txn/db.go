// Package txn runs the store's transactions: the committer that lets the
// writes waiting together share one durable commit, and the caches of
// prepared statements behind the writer and the read pool. It knows
// nothing of Beheer's tables; the store says, through Config, which of
// this an engine uses.
package txn

import (
	"context"
	"database/sql"
)

// Config says how an engine's writes and reads run.
type Config struct {
	// Prepare keeps prepared statements for the writer and the read pool
	// (SQLite: see stmtCache).
	Prepare bool
	// GroupAll runs every write through the committer (SQLite's one
	// writer). Otherwise a write has a transaction of its own and only
	// WriteBatched goes through a committer.
	GroupAll bool
	// BeforeCommit, when set, runs in every transaction just before its
	// commit with the ids that the work being committed noted (Tx.Note).
	BeforeCommit func(ctx context.Context, q Querier, noted []int64) error
}

// DB runs writes on the writer and reads on the read pool (which may be
// the same handle). It does not close the handles: their owner does.
type DB struct {
	w, r           *sql.DB
	wstmts, rstmts *stmtCache
	group          *committer // runs every write (GroupAll); nil otherwise
	batched        *committer // runs WriteBatched: group when set
	before         func(ctx context.Context, q Querier, noted []int64) error
}

// New starts the committers the configuration asks for; Close stops them.
func New(write, read *sql.DB, c Config) *DB {
	d := &DB{w: write, r: read, before: c.BeforeCommit}
	if c.Prepare {
		d.wstmts, d.rstmts = newStmtCache(write), newStmtCache(read)
	}
	d.batched = d.startCommitter()
	if c.GroupAll {
		d.group = d.batched
	}
	return d
}

// Close stops the committers and closes the prepared statements.
func (d *DB) Close() {
	d.batched.stop()
	d.wstmts.close()
	d.rstmts.close()
}

// Write runs fn in a write transaction and commits when it returns nil.
func (d *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	if d.group == nil {
		return d.writeOne(ctx, fn)
	}
	return d.group.submit(ctx, fn)
}

// WriteBatched is Write through a committer on every engine: for work that
// waits on one lock until commit, so that the callers waiting together
// take it once (see the committer).
func (d *DB) WriteBatched(ctx context.Context, fn func(*Tx) error) error {
	return d.batched.submit(ctx, fn)
}

// Read runs fn against the read pool.
func (d *DB) Read(ctx context.Context, fn func(Querier) error) error {
	err := fn(reader{d.r, d.rstmts})
	d.rstmts.prepare(context.Background())
	return err
}

// beforeCommit runs the configured step before commit.
func (d *DB) beforeCommit(ctx context.Context, t *Tx, noted []int64) error {
	if d.before == nil {
		return nil
	}
	return d.before(ctx, t, noted)
}
