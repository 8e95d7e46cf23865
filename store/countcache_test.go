package store

import (
	"context"
	"testing"
	"time"

	"beheer"
)

// TestOpenCountsStaleWhileRefreshing: counts are reused while fresh; a
// stale count is shown at once while one background count refreshes it;
// a count too old to show is waited for.
func TestOpenCountsStaleWhileRefreshing(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	u, err := s.CreateUser(ctx, System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, "")
	if err != nil {
		t.Fatal(err)
	}
	file := func() {
		if _, err := s.CreateRequest(ctx, u.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag"}); err != nil {
			t.Fatal(err)
		}
	}
	total := func() int {
		counts, err := s.OpenCounts(ctx, System)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range counts {
			n += c.Count
		}
		return n
	}
	age := func(d time.Duration) {
		s.counts.mu.Lock()
		e := s.counts.entries["all"]
		e.at = time.Now().Add(-d)
		s.counts.entries["all"] = e
		s.counts.mu.Unlock()
	}

	file()
	if n := total(); n != 1 {
		t.Fatalf("first count %d", n)
	}
	file()
	if n := total(); n != 1 {
		t.Fatalf("a fresh count was not reused: %d", n)
	}
	age(10 * time.Second)
	if n := total(); n != 1 {
		t.Fatalf("a stale count was not shown at once: %d", n)
	}
	for deadline := time.Now().Add(10 * time.Second); total() != 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the background count never refreshed the stale one")
		}
	}
	file()
	age(2 * time.Minute)
	if n := total(); n != 3 {
		t.Fatalf("a count too old to show was not waited for: %d", n)
	}
}
