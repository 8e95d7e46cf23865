// Package crashtest proves that Beheer keeps every write it acknowledged
// when its process dies at a random moment.
//
// Each test builds the beheer binary once, starts `beheer serve` as a child
// process, drives concurrent creates, comments and phase transitions through
// the JSON API, kills the process with SIGKILL in the middle of it, restarts
// it and checks through the API that every acknowledged write is there and
// that whatever was in flight is either absent or whole. After the last round
// the server is stopped with SIGTERM (it must exit 0) and the database itself
// is checked: PRAGMA integrity_check and foreign_key_check on SQLite,
// dangling references on PostgreSQL, and on both that every request, comment
// and transition has its audit row and the request numbers are gap-free.
//
// TestCrashSQLite runs on a temporary data directory; TestCrashPostgres on a
// fresh database of the throwaway cluster of package storetest (skipped when
// PostgreSQL is not installed, a failure with CI=true).
//
// By default each engine gets 5 rounds, to keep `go test ./...` quick. Raise
// it for a longer soak:
//
//	BEHEER_CRASH_ROUNDS=50 go test ./crashtest -run Crash -v
package crashtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"beheer/store/storetest"
)

// defaultRounds is the number of crash rounds per engine in a plain go test.
const defaultRounds = 5

// workers is the number of concurrent clients writing during a round.
const workers = 6

// binary is the beheer executable built by TestMain for this test binary.
var binary string

func TestMain(m *testing.M) {
	path, err := buildBeheer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "crashtest:", err)
		os.Exit(1)
	}
	binary = path
	storetest.Main(m)
}

// rounds is the number of crash rounds per engine: BEHEER_CRASH_ROUNDS or
// defaultRounds.
func rounds(t *testing.T) int {
	v := os.Getenv("BEHEER_CRASH_ROUNDS")
	if v == "" {
		return defaultRounds
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("BEHEER_CRASH_ROUNDS=%q: want a positive number", v)
	}
	return n
}

func TestCrashSQLite(t *testing.T) {
	data := t.TempDir()
	h := newHarness(t, "sqlite", []string{"--data", data})
	h.run(rounds(t))
	checkSQLite(t, filepath.Join(data, "beheer.db"), h.ledger)
}

func TestCrashPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	h := newHarness(t, "postgres", []string{"--database", url})
	h.run(rounds(t))
	checkPostgres(t, url, h.ledger)
}

// run sets up the people and the area, then crashes and verifies the server
// n times, and finally stops it cleanly.
func (h *harness) run(n int) {
	t := h.t
	start := time.Now()
	admin, requester := h.setup()
	srv := h.start()
	h.createArea(srv, admin)
	var stats roundStats
	for round := 1; round <= n; round++ {
		st := h.crashRound(srv, round, admin, requester)
		srv = h.start()
		h.verify(srv, admin, round, false)
		stats.add(st)
	}
	h.verify(srv, admin, n+1, true)
	h.stop(srv)
	_, _, acked := h.ledger.totals()
	t.Logf("%s: %d rounds in %s; acknowledged %d writes (%d creates, %d comments, %d transitions), "+
		"found again %d times after later crashes and %d of %d in the final pass; "+
		"%d unacknowledged writes found whole (in flight at the kill); %d rounds cut a write off mid-request",
		h.engine, n, time.Since(start).Round(time.Millisecond), acked, stats.creates, stats.comments, stats.moves,
		h.ledger.verified, h.ledger.finalVerified, acked, h.ledger.inflightFound, stats.interrupted)
	if h.ledger.finalVerified != acked {
		t.Errorf("%s: the final check found %d of %d acknowledged writes", h.engine, h.ledger.finalVerified, acked)
	}
	if stats.creates == 0 {
		t.Errorf("%s: no write was acknowledged in %d rounds: the test proved nothing", h.engine, n)
	}
}
