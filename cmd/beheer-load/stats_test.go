package main

import (
	"errors"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value is every percentile", ms(7), 99, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p51 of four is the third", ms(1, 2, 3, 4), 51, 3 * time.Millisecond},
		{"p100 is the maximum", ms(1, 2, 3, 4), 100, 4 * time.Millisecond},
		{"tiny p is the minimum", ms(1, 2, 3, 4), 0.1, 1 * time.Millisecond},
		{"p50 of 1..100", hundred, 50, 50 * time.Millisecond},
		{"p95 of 1..100", hundred, 95, 95 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p99 of ten is the maximum", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p90 of ten", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %g) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummariseCountsOnlySuccessInThroughputAndLatency(t *testing.T) {
	var ta tally
	ta.add(4*time.Millisecond, nil)
	ta.add(2*time.Millisecond, nil)
	ta.add(time.Microsecond, errors.New("POST /x: 429 Too Many Requests"))
	ta.add(time.Microsecond, errors.New("POST /x: 429 Too Many Requests"))
	ta.add(time.Millisecond, &conflict{"moved"})
	r := summarise("create", 2, time.Second, &ta)
	if r.Requests != 5 || r.Errors != 2 || r.Conflicts != 1 || r.PerSecond != 2 {
		t.Errorf("requests %d errors %d conflicts %d req/s %g, want 5 2 1 2", r.Requests, r.Errors, r.Conflicts, r.PerSecond)
	}
	if r.P50MS != 2 || r.MaxMS != 4 {
		t.Errorf("p50 %g max %g, want 2 and 4 (errors left out)", r.P50MS, r.MaxMS)
	}
	if len(r.Samples) != 1 {
		t.Errorf("error samples %q, want the one distinct message", r.Samples)
	}
}

func TestCheckURLRefusesRemoteHosts(t *testing.T) {
	tests := []struct {
		url    string
		remote bool
		ok     bool
	}{
		{"http://127.0.0.1:8080", false, true},
		{"http://localhost:8080", false, true},
		{"http://[::1]:8080", false, true},
		{"http://192.0.2.10:8080", false, false},
		{"http://192.0.2.10:8080", true, true},
		{"ftp://127.0.0.1", false, false},
		{"127.0.0.1:8080", false, false},
	}
	for _, tt := range tests {
		if err := checkURL(tt.url, tt.remote); (err == nil) != tt.ok {
			t.Errorf("checkURL(%q, remote %v) = %v, want ok %v", tt.url, tt.remote, err, tt.ok)
		}
	}
}
