package store

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// shared keeps values that are costly to compute (figures over a million
// requests) per key. A value is fresh for ttl; a stale one is still
// returned, up to stale, while one background computation refreshes it;
// concurrent askers of one key wait for one computation, which outlives a
// caller who gives up, so the others (and the next caller) still get it. A
// negative ttl computes every time.
type shared[T any] struct {
	ttl, stale time.Duration

	group   singleflight.Group
	mu      sync.Mutex
	entries map[string]sharedEntry[T]
}

type sharedEntry[T any] struct {
	at  time.Time
	val T
}

// computeTimeout bounds a computation that nobody may be waiting for.
const computeTimeout = 5 * time.Minute

func newShared[T any](ttl, stale time.Duration) *shared[T] {
	return &shared[T]{ttl: ttl, stale: max(ttl, stale), entries: map[string]sharedEntry[T]{}}
}

// forget drops the value of key, so the next get computes it: for values
// the store itself has just changed.
func (c *shared[T]) forget(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
	c.group.Forget(key)
}

func (c *shared[T]) get(ctx context.Context, key string, compute func(context.Context) (T, error)) (T, error) {
	if c.ttl < 0 {
		return compute(ctx)
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	age := time.Since(e.at)
	if ok && age < c.ttl {
		return e.val, nil
	}
	ch := c.group.DoChan(key, func() (any, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), computeTimeout)
		defer cancel()
		val, err := compute(cctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		for k, e := range c.entries {
			if time.Since(e.at) >= c.stale {
				delete(c.entries, k)
			}
		}
		c.entries[key] = sharedEntry[T]{time.Now(), val}
		c.mu.Unlock()
		return val, nil
	})
	if ok && age < c.stale {
		return e.val, nil // the refresh goes on without us
	}
	select {
	case res := <-ch:
		if res.Err != nil {
			var zero T
			return zero, res.Err
		}
		return res.Val.(T), nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
