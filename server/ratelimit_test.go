package server_test

import (
	"net/http"
	"testing"

	"beheer/server"
	"beheer/store/storetest"
)

// TestWriteRateLimit: a token over its write rate gets 429 with
// Retry-After; reads and other tokens go on.
func TestWriteRateLimit(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t, storetest.Options{}), server.Config{WriteRate: 1})
	body := map[string]any{"type": "question", "title": "Vraag"}
	var limited bool
	for range 5 {
		res := f.call(requester, "POST", "/api/v1/requests", body)
		if res.status == http.StatusTooManyRequests {
			limited = true
			if res.header.Get("Retry-After") == "" || res.str("code") != "rate_limited" {
				t.Fatalf("429 without Retry-After or code: %v %s", res.header, res.raw)
			}
			break
		}
		f.want(res, http.StatusCreated)
	}
	if !limited {
		t.Fatal("no 429 after a burst of writes")
	}
	f.want(f.call(requester, "GET", "/api/v1/requests", nil), http.StatusOK)
	f.want(f.call(otherUser, "POST", "/api/v1/requests", body), http.StatusCreated)
}
