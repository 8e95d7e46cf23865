package crashtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// roundStats counts the acknowledged writes of one or more rounds.
type roundStats struct {
	creates, comments, moves int
	interrupted              int // rounds in which the kill cut off a request in flight
}

func (s *roundStats) add(o roundStats) {
	s.creates += o.creates
	s.comments += o.comments
	s.moves += o.moves
	s.interrupted += o.interrupted
}

// crashRound lets the workers write through p until a delay drawn from the
// round number has passed, then kills p with SIGKILL and waits until every
// worker has noticed.
func (h *harness) crashRound(p *process, round int, admin, requester string) roundStats {
	c := newClient(p)
	defer c.close()
	rng := rand.New(rand.NewPCG(uint64(round), 0xbe4ee7))
	delay := time.Duration(50+rng.IntN(351)) * time.Millisecond
	var killed atomic.Bool
	var wg sync.WaitGroup
	results := make([]workerResult, workers)
	for w := range workers {
		wg.Go(func() { results[w] = h.work(c, round, w, admin, requester, &killed) })
	}
	time.Sleep(delay)
	killed.Store(true)
	p.kill()
	wg.Wait()
	var st roundStats
	cut := 0
	for _, r := range results {
		st.creates += r.creates
		st.comments += r.comments
		st.moves += r.moves
		if r.cut {
			cut++
		}
	}
	if cut > 0 {
		st.interrupted = 1
	}
	h.t.Logf("%s round %d: killed after %s: acknowledged %d creates, %d comments, %d transitions; %d of %d workers cut off mid-request",
		h.engine, round, delay, st.creates, st.comments, st.moves, cut, workers)
	return st
}

// workerResult is what one worker got acknowledged in a round.
type workerResult struct {
	creates, comments, moves int
	cut                      bool // a request was on the wire when the server died
}

// work files requests until the server goes away: each one is created by
// the requester, gets a comment from the requester and is moved to
// investigation by the admin. Every write is written into the ledger before
// it is sent and again when it is acknowledged.
func (h *harness) work(c *client, round, w int, admin, requester string, killed *atomic.Bool) workerResult {
	ctx := context.Background()
	var res workerResult
	for i := 0; ; i++ {
		title := fmt.Sprintf("crash %s r%d w%d n%d", h.engine, round, w, i)
		desc := fmt.Sprintf("marker %016x", rand.Uint64())
		h.ledger.sendCreate(title, desc, round)
		r, err := c.createRequest(ctx, requester, title, desc)
		if err != nil {
			res.cut = h.stopped(round, w, err, killed)
			return res
		}
		h.ledger.ackCreate(h.t, r, title, desc)
		res.creates++

		body := fmt.Sprintf("comment on %s: %016x", r.Number, rand.Uint64())
		h.ledger.sendComment(r.ID, body)
		cm, err := c.addComment(ctx, requester, r.ID, body)
		if err != nil {
			res.cut = h.stopped(round, w, err, killed)
			return res
		}
		h.ledger.ackComment(h.t, r.ID, cm, body)
		res.comments++

		h.ledger.sendMove(r.ID)
		moved, err := c.transition(ctx, admin, r.ID, "investigation")
		if err != nil {
			res.cut = h.stopped(round, w, err, killed)
			return res
		}
		h.ledger.ackMove(h.t, moved)
		res.moves++
	}
}

// stopped judges the error that ended a worker: only losing the server
// after the kill is expected. It reports whether the request was cut off
// on the wire rather than refused because the server was already gone.
func (h *harness) stopped(round, w int, err error, killed *atomic.Bool) bool {
	if !errors.Is(err, errUnreachable) || !killed.Load() {
		h.t.Errorf("%s round %d worker %d: %v (before the kill: %v)", h.engine, round, w, err, !killed.Load())
	}
	return !strings.Contains(err.Error(), "connection refused")
}

// verify checks, through the API of a freshly started server, everything
// the ledger knows: the list of requests every time, and the comments and
// audit trail of the requests not checked before (all of them when final).
func (h *harness) verify(p *process, admin string, round int, final bool) {
	h.t.Helper()
	c := newClient(p)
	defer c.close()
	ctx := context.Background()
	list, err := c.allRequests(ctx, admin)
	if err != nil {
		h.t.Fatalf("%s verify %d: list requests: %v\n%s", h.engine, round, err, h.logTail())
	}
	l := h.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	deep := l.checkList(h.t, h.engine, round, list, final)
	for _, r := range deep {
		comments, err := c.comments(ctx, admin, r.ID)
		if err != nil {
			h.t.Fatalf("%s verify %d: %v", h.engine, round, err)
		}
		audit, err := c.audit(ctx, admin, r.ID)
		if err != nil {
			h.t.Fatalf("%s verify %d: %v", h.engine, round, err)
		}
		l.checkDeep(h.t, h.engine, round, r, comments, audit, final)
	}
}
