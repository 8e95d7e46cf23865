package txn

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// SQLite has one writer, and a durable commit — the WAL write, its fsync
// and the flush of the full-text index — costs about as much as the work of
// a whole request. Under concurrent load the committer therefore runs the
// write transactions that are waiting together in one database transaction
// and commits them once. Every caller still gets its own result after the
// commit that made its work durable.
//
// PostgreSQL does its own group commit and takes its writes in parallel, so
// it writes one transaction per call — except for filing requests. A new
// request takes the next number of the year from a counter row that stays
// locked until commit (that keeps the numbers gap-free), so concurrent
// creates would each wait for the commit before theirs: at most one create
// per durable commit. A committer of its own (WriteBatched) runs the
// waiting creates in one transaction, which takes the lock once.
//
// A batch first runs without savepoints: on SQLite each savepoint makes the
// full-text index write what it holds as a segment of its own, which then
// has to be merged again (with a savepoint per caller, creates spent a third
// of their time there), and on PostgreSQL each costs two round trips. Should
// any caller's work fail, the transaction is rolled back and the batch runs
// again with a savepoint each: a caller whose work fails is rolled back to
// its savepoint and told why, and the others are not affected.

// maxBatch bounds the work one commit carries, and so the wait of the
// first caller in it.
const maxBatch = 32

// job is one caller's write transaction waiting for the committer.
type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// committer is the goroutine that runs SQLite's writes, or PostgreSQL's
// batched ones.
type committer struct {
	jobs chan *job
	quit chan struct{}
	wg   sync.WaitGroup
}

var errClosed = errors.New("store closed")

func (d *DB) startCommitter() *committer {
	g := &committer{jobs: make(chan *job), quit: make(chan struct{})}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		for {
			select {
			case <-g.quit:
				return
			case j := <-g.jobs:
				batch := []*job{j}
			more:
				for len(batch) < maxBatch {
					select {
					case j := <-g.jobs:
						batch = append(batch, j)
					default:
						break more
					}
				}
				d.commitBatch(batch, false)
			}
		}
	}()
	return g
}

func (g *committer) stop() {
	if g != nil {
		close(g.quit)
		g.wg.Wait()
	}
}

// submit hands fn to the committer and waits for its outcome. Once the
// committer has taken the work the caller waits for the commit even when
// ctx ends, so that what it reports is what happened.
func (g *committer) submit(ctx context.Context, fn func(*Tx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.jobs <- j:
		return <-j.done
	case <-ctx.Done():
		return ctx.Err()
	case <-g.quit:
		return errClosed
	}
}

// writeOne runs fn in a transaction of its own.
func (d *DB) writeOne(ctx context.Context, fn func(*Tx) error) error {
	t, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	work := &Tx{Tx: t, stmts: d.wstmts}
	if err := safely(fn, work); err != nil {
		return err
	}
	if err := d.beforeCommit(ctx, work, work.noted); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return err
	}
	d.wstmts.prepare(context.Background())
	return nil
}

// commitBatch runs the batch's work in one transaction, with a savepoint
// for each caller's work if asked; without savepoints, a failure runs the
// batch again with them. Statements run detached from the callers'
// contexts: an interrupted statement would roll back the whole
// transaction, everybody's work. Should a savepoint itself fail, the
// transaction is rolled back and each caller's work that was not answered
// yet runs again on its own.
func (d *DB) commitBatch(batch []*job, savepoints bool) {
	if len(batch) == 1 {
		j := batch[0]
		j.done <- d.writeOne(j.ctx, j.fn)
		return
	}
	bg := context.Background()
	t, err := d.w.BeginTx(bg, nil)
	if err != nil {
		for _, j := range batch {
			j.done <- err
		}
		return
	}
	var ok []*job
	var noted []int64
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		work := &Tx{Tx: t, stmts: d.wstmts, detached: true}
		if !savepoints {
			if err := safely(j.fn, work); err != nil {
				t.Rollback()
				d.commitBatch(append(ok, batch[i:]...), true)
				return
			}
			ok, noted = append(ok, j), append(noted, work.noted...)
			continue
		}
		if _, err := work.ExecContext(bg, `SAVEPOINT job`); err != nil {
			d.retryAlone(t, append(ok, batch[i:]...))
			return
		}
		err := safely(j.fn, work)
		if err != nil {
			if _, rerr := work.ExecContext(bg, `ROLLBACK TO job`); rerr != nil {
				d.retryAlone(t, append(ok, batch[i:]...))
				return
			}
		}
		if _, rerr := work.ExecContext(bg, `RELEASE job`); rerr != nil {
			d.retryAlone(t, append(ok, batch[i:]...))
			return
		}
		if err != nil {
			j.done <- err
			continue
		}
		ok, noted = append(ok, j), append(noted, work.noted...)
	}
	if err := d.beforeCommit(bg, &Tx{Tx: t, stmts: d.wstmts, detached: true}, noted); err != nil {
		d.retryAlone(t, ok)
		return
	}
	err = t.Commit()
	for _, j := range ok {
		j.done <- err
	}
	if err == nil {
		d.wstmts.prepare(bg)
	}
}

// retryAlone abandons a broken batch transaction and runs the work that
// was not answered yet one transaction at a time.
func (d *DB) retryAlone(t interface{ Rollback() error }, jobs []*job) {
	t.Rollback()
	for _, j := range jobs {
		j.done <- d.writeOne(j.ctx, j.fn)
	}
}

// safely runs fn and turns a panic into an error: the writes run on the
// committer's goroutine, where a panic would stop the whole server rather
// than fail one request, as it would on the request's own goroutine.
func safely(fn func(*Tx) error, t *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in a write: %v\n%s", r, debug.Stack())
		}
	}()
	return fn(t)
}
