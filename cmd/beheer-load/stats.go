package main

import (
	"errors"
	"slices"
	"time"
)

// maxMessages bounds the distinct error messages kept per operation.
const maxMessages = 5

// errExhausted stops a worker early: the operation has nothing left to work
// on (for example no fresh request left to move).
var errExhausted = errors.New("nothing left to work on")

// conflict is an answer the operation expects now and then under load (a
// request someone else already moved); it is counted, not as an error.
type conflict struct{ msg string }

func (c *conflict) Error() string { return c.msg }

// tally is what one worker saw of one kind of request.
type tally struct {
	latencies []time.Duration // of successful answers only
	errors    int
	conflicts int
	messages  []string
}

// add records one answer.
func (t *tally) add(d time.Duration, err error) {
	var c *conflict
	switch {
	case err == nil:
		t.latencies = append(t.latencies, d)
	case errors.As(err, &c):
		t.conflicts++
	default:
		t.errors++
		if len(t.messages) < maxMessages && !slices.Contains(t.messages, err.Error()) {
			t.messages = append(t.messages, err.Error())
		}
	}
}

// merge adds another worker's tally to t.
func (t *tally) merge(o *tally) {
	t.latencies = append(t.latencies, o.latencies...)
	t.errors += o.errors
	t.conflicts += o.conflicts
	for _, m := range o.messages {
		if len(t.messages) < maxMessages && !slices.Contains(t.messages, m) {
			t.messages = append(t.messages, m)
		}
	}
}

// percentile returns the p-th percentile (0 < p ≤ 100) of sorted latencies
// by the nearest-rank method: the smallest value with at least p% of all
// values at or below it. It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(p/100*float64(n) + 0.999999999) // ceil, robust to float error
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// result is what one operation (or ceiling) measured, as reported in the
// table and the JSON.
type result struct {
	Op          string  `json:"op"`
	Unavailable string  `json:"unavailable,omitempty"`
	Clients     int     `json:"clients"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	Conflicts   int     `json:"conflicts,omitempty"`
	ElapsedS    float64 `json:"elapsed_s"`
	PerSecond   float64 `json:"req_per_s"`
	P50MS       float64 `json:"p50_ms"`
	P95MS       float64 `json:"p95_ms"`
	P99MS       float64 `json:"p99_ms"`
	MaxMS       float64 `json:"max_ms"`
	// PctHTTP and PctInsert are req/s as a percentage of the machine's
	// ceilings measured in the same run; nil when not measured.
	PctHTTP   *float64  `json:"pct_of_http_ceiling,omitempty"`
	PctInsert *float64  `json:"pct_of_insert_ceiling,omitempty"`
	Samples   []string  `json:"error_samples,omitempty"`
	Note      string    `json:"note,omitempty"`
	Breakdown []*result `json:"breakdown,omitempty"`
}

// summarise turns a merged tally into a result. Throughput and latencies
// count successful answers only, so fast refusals cannot flatter them.
func summarise(op string, clients int, elapsed time.Duration, t *tally) *result {
	slices.Sort(t.latencies)
	ok := len(t.latencies)
	r := &result{Op: op, Clients: clients, Requests: ok + t.errors + t.conflicts, Errors: t.errors,
		Conflicts: t.conflicts, ElapsedS: elapsed.Seconds(), Samples: t.messages,
		P50MS: ms(percentile(t.latencies, 50)), P95MS: ms(percentile(t.latencies, 95)),
		P99MS: ms(percentile(t.latencies, 99)), MaxMS: ms(percentile(t.latencies, 100))}
	if elapsed > 0 {
		r.PerSecond = float64(ok) / elapsed.Seconds()
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// pct is part as a percentage of whole, nil when whole is unknown.
func pct(part float64, whole *result) *float64 {
	if whole == nil || whole.PerSecond <= 0 {
		return nil
	}
	v := 100 * part / whole.PerSecond
	return &v
}
