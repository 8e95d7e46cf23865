package txn

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements for one SQLite handle. SQLite parses
// and plans a statement (and every trigger it fires) on each prepare, which
// cost a third of a request's creation; a prepared statement skips that.
// PostgreSQL needs none of this: pgx caches prepared statements itself.
//
// A statement is prepared only after it ran once unprepared and the handle
// was given back: the writer has a single connection, held by the
// transaction that first runs a query, so preparing then would wait for
// itself. Queries longer than maxStmtLen (bulk inserts of many rows) and any
// beyond maxStmts are never prepared.
type stmtCache struct {
	db *sql.DB

	mu      sync.RWMutex // every query looks here; few ever write
	stmts   map[string]*sql.Stmt
	pending map[string]struct{} // seen unprepared, to prepare next
	failed  map[string]struct{} // a prepare failed: never again
}

// Every connection of a pool keeps its own copy of a prepared statement,
// so the number kept is bounded: the hot statements are among the first
// few hundred any running server meets.
const (
	maxStmts   = 512
	maxStmtLen = 4096
)

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]struct{}{}, failed: map[string]struct{}{}}
}

// get returns the prepared statement for q, or nil after noting that q
// should be prepared. A nil cache prepares nothing.
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.stmts[q]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, waiting := c.pending[q]
	_, failed := c.failed[q]
	if !waiting && !failed && len(q) <= maxStmtLen && len(c.stmts)+len(c.pending)+len(c.failed) < maxStmts {
		c.pending[q] = struct{}{}
	}
	return nil
}

// prepare prepares the statements noted since the last call; with none
// noted it returns at once. The caller must hold no connection of the
// handle.
func (c *stmtCache) prepare(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	todo := c.pending
	if len(todo) > 0 {
		c.pending = map[string]struct{}{}
	}
	c.mu.Unlock()
	for q := range todo {
		st, err := c.db.PrepareContext(ctx, q)
		c.mu.Lock()
		if err != nil {
			// The unprepared query keeps working and reports its own error.
			c.failed[q] = struct{}{}
		} else if _, dup := c.stmts[q]; dup {
			st.Close() // noted again while it was being prepared
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

// close closes every prepared statement.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// Querier is what a read runs its statements on, and what a write's Tx
// offers too.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx is one caller's write. Its database transaction may be shared with
// the other callers of a batch (see the committer); what the caller noted
// for the step before commit is its own.
type Tx struct {
	*sql.Tx
	stmts *stmtCache
	// detached: the statements ignore the cancellation of their context,
	// as the work of a group commit must (see commitBatch).
	detached bool
	noted    []int64
}

// Note keeps id for the step that runs before commit (Config.BeforeCommit):
// it sees the ids of every caller whose work is committed.
func (t *Tx) Note(id int64) { t.noted = append(t.noted, id) }

// TakeNoted returns the ids noted so far and forgets them, for work that
// needs the step before commit done early.
func (t *Tx) TakeNoted() []int64 {
	ids := t.noted
	t.noted = nil
	return ids
}

// ExecContext, QueryContext and QueryRowContext run a query in the
// transaction, through the writer's prepared statement when there is one.
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = t.context(ctx)
	if st := t.stmts.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

// QueryContext: see ExecContext.
func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = t.context(ctx)
	if st := t.stmts.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, q, args...)
}

// QueryRowContext: see ExecContext.
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = t.context(ctx)
	if st := t.stmts.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}

// context is ctx, without its cancellation when t is detached.
func (t *Tx) context(ctx context.Context) context.Context {
	if t.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// reader is the read pool behind the Querier that reads get, preparing
// statements like Tx does.
type reader struct {
	db    *sql.DB
	cache *stmtCache
}

func (r reader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := r.cache.get(q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return r.db.ExecContext(ctx, q, args...)
}

func (r reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := r.cache.get(q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.db.QueryContext(ctx, q, args...)
}

func (r reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := r.cache.get(q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.db.QueryRowContext(ctx, q, args...)
}
