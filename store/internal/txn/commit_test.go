package txn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// openGrouped opens a SQLite file the way the store does — one writer
// taking its lock at BEGIN, a read pool — with a table of settings, and a
// DB that runs every write through the committer. The ids that reach the
// step before commit are sent to noted.
func openGrouped(t *testing.T) (*DB, *sql.DB, *[]int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "txn.db")
	w, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	noted := new([]int64)
	d := New(w, r, Config{Prepare: true, GroupAll: true, BeforeCommit: func(ctx context.Context, q Querier, ids []int64) error {
		mu.Lock()
		defer mu.Unlock()
		*noted = append(*noted, ids...)
		return nil
	}})
	t.Cleanup(func() {
		d.Close()
		w.Close()
		r.Close()
	})
	return d, r, noted
}

// TestGroupCommit: writes that wait together share one commit; one that
// fails is rolled back to its savepoint without touching the others, and
// what it noted does not reach the step before commit; a caller that gave
// up before its turn changes nothing.
func TestGroupCommit(t *testing.T) {
	d, rdb, noted := openGrouped(t)
	ctx := context.Background()

	// The first write holds the writer until the others wait behind it.
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- d.Write(ctx, func(t *Tx) error {
			close(started)
			<-release
			_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('first', 'x')`)
			return err
		})
	}()
	<-started

	const n = 24
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		txs  = map[*sql.Tx]int{}
		errs = make([]error, n)
	)
	gone, cancel := context.WithCancel(ctx)
	cancel()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := ctx
			if i == 5 {
				c = gone
			}
			errs[i] = d.Write(c, func(t *Tx) error {
				mu.Lock()
				txs[t.Tx]++
				mu.Unlock()
				if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, 'x')`, fmt.Sprint("k", i)); err != nil {
					return err
				}
				t.Note(int64(i))
				if i%3 == 0 {
					return errors.New("deliberately failed")
				}
				if i == 8 { // a bug: the committer survives it, the others are not touched
					panic("deliberately")
				}
				if i == 7 { // a constraint error, after a write of its own
					_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('first', 'dup')`)
					return err
				}
				return nil
			})
		}()
	}
	time.Sleep(200 * time.Millisecond) // the others are now waiting on the committer
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}

	shared := 0
	for _, k := range txs {
		shared = max(shared, k)
	}
	if shared < 2 {
		t.Errorf("no writes shared a transaction: %v", txs)
	}
	var want []int64
	for i, err := range errs {
		var have int
		if qerr := rdb.QueryRow(`SELECT COUNT(*) FROM settings WHERE key = $1`, fmt.Sprint("k", i)).Scan(&have); qerr != nil {
			t.Fatal(qerr)
		}
		wantOK := i%3 != 0 && i != 5 && i != 7 && i != 8
		if (err == nil) != wantOK || (have == 1) != wantOK {
			t.Errorf("write %d: err %v, row written %v; want success %v", i, err, have == 1, wantOK)
		}
		if wantOK {
			want = append(want, int64(i))
		}
	}
	var value string
	if err := rdb.QueryRow(`SELECT value FROM settings WHERE key = 'first'`).Scan(&value); err != nil || value != "x" {
		t.Errorf("first = %q, %v", value, err)
	}
	slices.Sort(*noted)
	if !slices.Equal(*noted, want) {
		t.Errorf("noted before commit: %v, want the committed %v", *noted, want)
	}
}

// TestWriteAlonePanics: a panic in a write that runs alone fails that write
// and leaves the committer working.
func TestWriteAlonePanics(t *testing.T) {
	d, _, _ := openGrouped(t)
	ctx := context.Background()
	if err := d.Write(ctx, func(t *Tx) error { panic("deliberately") }); err == nil {
		t.Fatal("a panicking write succeeded")
	}
	if err := d.Write(ctx, func(t *Tx) error {
		_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('after', 'x')`)
		return err
	}); err != nil {
		t.Fatalf("the next write: %v", err)
	}
}
