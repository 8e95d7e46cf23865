package crashtest

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beheer/store"
	"beheer/store/storetest"
)

// TestSeveralProcessesPostgres runs three `beheer serve` processes on one
// PostgreSQL database under concurrent writes through all three. One is
// killed mid-load: the others go on writing, and in the end every
// acknowledged write is there, whole, with unique gap-free numbers. A
// session started on one process is valid on the others.
func TestSeveralProcessesPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	h := newHarness(t, "postgres", []string{"--database", url})
	admin, requester := h.setup()
	procs := []*process{h.start(), h.start(), h.start()}
	h.createArea(procs[0], admin)

	// Sessions live in the database: one made now works on every process.
	st, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users, err := st.Users(context.Background(), store.System)
	if err != nil || len(users) == 0 {
		t.Fatalf("users: %v", err)
	}
	sess, err := st.CreateSession(context.Background(), users[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range procs {
		req, _ := http.NewRequest("GET", p.url("/"), nil)
		req.AddCookie(&http.Cookie{Name: "beheer_session", Value: sess.ID})
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("process %d refused a session made elsewhere: %d", i, res.StatusCode)
		}
	}

	// Two workers per process; kill the third process after a while, the
	// other two later.
	killed := make([]*atomic.Bool, len(procs))
	results := make([]workerResult, 2*len(procs))
	var wg sync.WaitGroup
	for i, p := range procs {
		killed[i] = &atomic.Bool{}
		c := newClient(p)
		defer c.close()
		for w := range 2 {
			slot := 2*i + w
			wg.Go(func() { results[slot] = h.work(c, 1, slot, admin, requester, killed[i]) })
		}
	}
	time.Sleep(300 * time.Millisecond)
	killed[2].Store(true)
	procs[2].kill()
	before := h.ledger.acked()
	time.Sleep(500 * time.Millisecond)
	after := h.ledger.acked()
	if after <= before {
		t.Fatalf("the other processes stopped writing when one was killed: %d then %d acknowledged", before, after)
	}
	for i := range 2 {
		killed[i].Store(true)
		procs[i].kill()
	}
	wg.Wait()
	var creates int
	for _, r := range results {
		creates += r.creates
	}
	srv := h.start()
	h.verify(srv, admin, 1, true)
	h.stop(srv)
	checkPostgres(t, url, h.ledger)
	t.Logf("three processes: %d creates acknowledged, %d writes in all; %d acknowledged after one process was killed",
		creates, h.ledger.acked(), after-before)
}
