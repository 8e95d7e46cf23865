package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetrics(t *testing.T) {
	m := New()
	m.ObserveHTTP("GET /api/v1/requests/{id}", 200, 3*time.Millisecond)
	m.ObserveTx(true, time.Millisecond)
	m.Gauge("beheer_outbox_backlog", "Undelivered outbox items.", func() float64 { return 7 })
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`beheer_http_request_duration_seconds_count{code="2xx",route="GET /api/v1/requests/{id}"} 1`,
		`beheer_db_transaction_duration_seconds_count{kind="write"} 1`,
		`beheer_outbox_backlog 7`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	var nilMetrics *Metrics
	nilMetrics.ObserveHTTP("x", 500, time.Second) // must not panic
}
