package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beheer"
)

// TestReportCache: people asking for the same report at once cost one
// computation, which outlives a caller who gives up; the result is reused
// within the TTL and never with a negative TTL; a failure is not kept.
func TestReportCache(t *testing.T) {
	var computed atomic.Int32
	release := make(chan struct{})
	compute := func(ctx context.Context) (*beheer.Report, error) {
		computed.Add(1)
		<-release
		return &beheer.Report{ComputedAt: time.Now()}, ctx.Err()
	}
	c := newReportCache(time.Hour)

	gone, cancel := context.WithCancel(context.Background())
	quitter := make(chan error, 1)
	go func() {
		_, err := c.get(gone, "k", compute)
		quitter <- err
	}()
	for computed.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-quitter; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller who gave up got %v", err)
	}
	var wg sync.WaitGroup
	reps := make([]*beheer.Report, 8)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], _ = c.get(context.Background(), "k", compute)
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	again, err := c.get(context.Background(), "k", compute)
	if err != nil || computed.Load() != 1 {
		t.Fatalf("computed %d times, %v", computed.Load(), err)
	}
	for _, r := range append(reps, again) {
		if r != reps[0] || r == nil {
			t.Fatal("not everybody got the one computed report")
		}
	}
	if _, err := c.get(context.Background(), "other", compute); err != nil || computed.Load() != 2 {
		t.Fatalf("another key: computed %d times, %v", computed.Load(), err)
	}

	fails := errors.New("database gone")
	c.get(context.Background(), "bad", func(context.Context) (*beheer.Report, error) { return nil, fails })
	if _, err := c.get(context.Background(), "bad", compute); err != nil || computed.Load() != 3 {
		t.Fatalf("a failure was kept: computed %d times, %v", computed.Load(), err)
	}

	never := newReportCache(-1)
	never.get(context.Background(), "k", compute)
	never.get(context.Background(), "k", compute)
	if computed.Load() != 5 {
		t.Fatalf("a negative TTL reused a report: computed %d times", computed.Load())
	}
}
