package notify

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestRepeat: a worker steps again at once only after a whole batch, and
// after an error or a partial batch waits for the next poll. Each script
// ends with a step that stops the loop: a loop that stepped again at once
// after it would run one step too many.
func TestRepeat(t *testing.T) {
	boom := errors.New("boom")
	type result struct {
		n   int
		err error
	}
	for _, tc := range []struct {
		name   string
		script []result
	}{
		{"partial batch", []result{{100, nil}, {100, nil}, {40, nil}}},
		{"nothing", []result{{0, nil}}},
		{"error", []result{{100, nil}, {100, boom}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			steps, fails := 0, 0
			done := make(chan struct{})
			go func() {
				defer close(done)
				repeat(ctx, time.Hour, 100, func(context.Context) (int, error) {
					steps++
					if steps > len(tc.script) {
						return 0, nil
					}
					r := tc.script[steps-1]
					if steps == len(tc.script) {
						cancel() // the loop must now wait, and so see the end
					}
					return r.n, r.err
				}, func(error) { fails++ })
			}()
			<-done
			if steps != len(tc.script) {
				t.Fatalf("%d steps, want %d", steps, len(tc.script))
			}
			if fails != 0 {
				t.Fatalf("%d errors reported after the end", fails)
			}
		})
	}
}
