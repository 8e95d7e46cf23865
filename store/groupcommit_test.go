package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestGroupCommit: writes that wait together share one commit; one that
// fails is rolled back to its savepoint without touching the others; a
// caller that gave up before its turn changes nothing.
func TestGroupCommit(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "beheer.db"), Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()

	// The first write holds the writer until the others wait behind it.
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- s.write(ctx, func(t *tx) error {
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
			errs[i] = s.write(c, func(t *tx) error {
				mu.Lock()
				txs[t.Tx]++
				mu.Unlock()
				if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, 'x')`, fmt.Sprint("k", i)); err != nil {
					return err
				}
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
	for i, err := range errs {
		var have int
		if qerr := s.rdb.QueryRow(`SELECT COUNT(*) FROM settings WHERE key = $1`, fmt.Sprint("k", i)).Scan(&have); qerr != nil {
			t.Fatal(qerr)
		}
		wantOK := i%3 != 0 && i != 5 && i != 7 && i != 8
		if (err == nil) != wantOK || (have == 1) != wantOK {
			t.Errorf("write %d: err %v, row written %v; want success %v", i, err, have == 1, wantOK)
		}
	}
	var value string
	if err := s.rdb.QueryRow(`SELECT value FROM settings WHERE key = 'first'`).Scan(&value); err != nil || value != "x" {
		t.Errorf("first = %q, %v", value, err)
	}
}

// TestWriteAlonePanics: a panic in a write that runs alone fails that write
// and leaves the committer working.
func TestWriteAlonePanics(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "beheer.db"), Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.write(ctx, func(t *tx) error { panic("deliberately") }); err == nil {
		t.Fatal("a panicking write succeeded")
	}
	if err := s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('after', 'x')`)
		return err
	}); err != nil {
		t.Fatalf("the next write: %v", err)
	}
}
