package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// newClient is the one HTTP client every operation and the HTTP ceiling
// share: keep-alive connections, one idle connection kept per client
// goroutine so none is re-dialled under load, no proxy, and redirects
// returned rather than followed (a portal page answering with a redirect to
// the login page is an error, not a success).
func newClient(clients int) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * clients,
		MaxIdleConnsPerHost: clients,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// call is one HTTP request of an operation.
type call struct {
	method string
	url    string
	label  string // the route without ids, for error messages
	token  string // bearer token, or ""
	cookie string // Cookie header, or ""
	body   []byte // JSON body, or nil
	want   int    // the expected status; 0 means any 2xx
}

// answer is what came back, with the latency from sending until the whole
// body was read.
type answer struct {
	status int
	body   []byte
	d      time.Duration
}

// do sends c with the worker's buffer and reads the whole answer, so the
// connection goes back to the pool. The body stays valid until the worker's
// next request.
func (w *worker) do(ctx context.Context, client *http.Client, c call) (answer, error) {
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.url, body)
	if err != nil {
		return answer{}, err
	}
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	req.Header.Set("Accept-Language", "en")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", c.label, unwrapURL(err))
	}
	w.buf.Reset()
	_, err = w.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	a := answer{status: resp.StatusCode, body: w.buf.Bytes(), d: time.Since(start)}
	if err != nil {
		return a, fmt.Errorf("%s: reading the answer: %w", c.label, err)
	}
	if ok := a.status == c.want || (c.want == 0 && a.status/100 == 2); !ok {
		return a, statusError(c.label, a)
	}
	return a, nil
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// statusError names an unexpected answer by route, status and, for an API
// problem document, its code and title; a rate limit gets a hint.
func statusError(label string, a answer) error {
	msg := fmt.Sprintf("%s: %d %s", label, a.status, http.StatusText(a.status))
	var p struct {
		Code  string `json:"code"`
		Title string `json:"title"`
	}
	if json.Unmarshal(a.body, &p) == nil && p.Code != "" {
		msg += fmt.Sprintf(" (%s: %s)", p.Code, p.Title)
	}
	if a.status == http.StatusTooManyRequests {
		msg += " — the API write rate limit; run the server with BEHEER_API_WRITE_RATE=0 for load tests"
	}
	if a.status/100 == 3 {
		msg += " → " + strings.TrimSpace(string(a.body))
	}
	return errors.New(msg)
}

// worker is one client goroutine's state: its random source, its reusable
// body buffer and its tallies by kind of request.
type worker struct {
	rnd    *rand.Rand
	buf    bytes.Buffer
	tally  map[string]*tally
	expect int // latencies to preallocate per kind
}

func newWorker(seed uint64, expect int) *worker {
	return &worker{rnd: rand.New(rand.NewPCG(seed, 0x6265686565720a)), tally: map[string]*tally{}, expect: expect}
}

func (w *worker) record(kind string, d time.Duration, err error) {
	t := w.tally[kind]
	if t == nil {
		t = &tally{latencies: make([]time.Duration, 0, w.expect)}
		w.tally[kind] = t
	}
	t.add(d, err)
}

// step performs one measured request and says which kind it was (the
// operation's name, or for the mix the operation it drew), its latency and
// whether it failed. errExhausted stops the worker without counting.
type step func(ctx context.Context, w *worker) (kind string, d time.Duration, err error)

// load is how hard and how long to drive one operation: clients goroutines
// until duration has passed or requests have been sent, whichever is first.
type load struct {
	clients  int
	duration time.Duration
	requests int
}

// drive runs an operation under load and merges what the workers saw. Once
// the duration is over no new request starts; requests already sent finish
// and count. When ctx ends (SIGINT) the workers stop and the answers cut
// short are not counted.
func drive(ctx context.Context, op string, l load, s step) *result {
	var budget atomic.Int64
	budget.Store(int64(l.requests))
	expect := min(l.requests/l.clients+1, 4096) // grows past this as needed
	workers := make([]*worker, l.clients)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(l.duration)
	for i := range workers {
		w := newWorker(uint64(i)+1, expect)
		workers[i] = w
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) && budget.Add(-1) >= 0 {
				kind, d, err := s(ctx, w)
				if errors.Is(err, errExhausted) || ctx.Err() != nil {
					return
				}
				w.record(kind, d, err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	byKind := map[string]*tally{}
	var order []string
	for _, w := range workers {
		for kind, t := range w.tally {
			if byKind[kind] == nil {
				byKind[kind] = &tally{}
				order = append(order, kind)
			}
			byKind[kind].merge(t)
		}
	}
	all := &tally{}
	for _, kind := range order {
		all.merge(byKind[kind])
	}
	r := summarise(op, l.clients, elapsed, all)
	if len(order) > 1 || (len(order) == 1 && order[0] != op) {
		for _, kind := range sortedKinds(order) {
			r.Breakdown = append(r.Breakdown, summarise(kind, l.clients, elapsed, byKind[kind]))
		}
	}
	return r
}
