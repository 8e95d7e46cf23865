package server

import (
	"crypto/sha256"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"beheer"
)

// writeLimiter bounds API writes per token: a runaway integration slows
// down itself, not everyone else. The zero rate switches it off.
type writeLimiter struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	byKey map[[32]byte]*limiterEntry
}

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

func newWriteLimiter(perSecond float64, burst int) *writeLimiter {
	return &writeLimiter{rate: rate.Limit(perSecond), burst: burst, byKey: map[[32]byte]*limiterEntry{}}
}

// allow reports whether a write with this token may go ahead now, and if
// not, after how long to retry.
func (l *writeLimiter) allow(token string, now time.Time) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	key := sha256.Sum256([]byte(token))
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byKey[key]
	if !ok {
		if len(l.byKey) > 10000 {
			l.sweep(now)
		}
		e = &limiterEntry{lim: rate.NewLimiter(l.rate, l.burst)}
		l.byKey[key] = e
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets tokens not seen for a while.
func (l *writeLimiter) sweep(now time.Time) {
	for k, e := range l.byKey {
		if now.Sub(e.seen) > 10*time.Minute {
			delete(l.byKey, k)
		}
	}
}

// limitWrites refuses a write over the token's rate with 429 and Retry-After.
func (s *Server) limitWrites(w http.ResponseWriter, r *http.Request, token string) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	ok, wait := s.limiter.allow(token, time.Now())
	if ok {
		return nil
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
	return beheer.Errorf(codeRateLimited, "error.rate_limited")
}
