// Package metrics collects Beheer's Prometheus metrics: HTTP latency per
// route, database transaction time, and gauges other parts register (the
// outbox backlog). They are served on an opt-in listener of their own, so
// they never show on the public port.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one registry with Beheer's collectors.
type Metrics struct {
	reg  *prometheus.Registry
	http *prometheus.HistogramVec
	db   *prometheus.HistogramVec
}

// New makes the registry with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.http = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "beheer_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern and status class.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "code"})
	m.db = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "beheer_db_transaction_duration_seconds",
		Help:    "Time spent in database transactions, reads and writes.",
		Buckets: []float64{.0001, .0005, .001, .0025, .005, .01, .025, .05, .1, .5, 1},
	}, []string{"kind"})
	m.reg.MustRegister(m.http, m.db, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveHTTP records one answered request. A nil *Metrics records nothing.
func (m *Metrics) ObserveHTTP(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.http.WithLabelValues(route, strconv.Itoa(status/100)+"xx").Observe(d.Seconds())
}

// ObserveTx records one database transaction ("read" or "write").
func (m *Metrics) ObserveTx(write bool, d time.Duration) {
	if m == nil {
		return
	}
	kind := "read"
	if write {
		kind = "write"
	}
	m.db.WithLabelValues(kind).Observe(d.Seconds())
}

// Gauge registers a gauge whose value is read when scraped, such as the
// number of undelivered outbox items.
func (m *Metrics) Gauge(name, help string, value func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, value))
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
