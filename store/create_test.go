package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestCreateRequestWritesItsHistory: filing a request writes its number,
// its first status period, the event and the audit row — on PostgreSQL in
// one statement, on SQLite in several; both must write the same — and
// numbers past 9999 are not cut to four digits.
func TestCreateRequestWritesItsHistory(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verlof", AreaID: area.ID})
		if err != nil {
			t.Fatal(err)
		}
		year := time.Now().In(amsterdam(t)).Year()
		if want := fmt.Sprintf("%d-0001", year); r.Number != want || r.Phase != beheer.PhaseIntake || r.Status != beheer.StatusAwaitingTriage {
			t.Fatalf("request %s %s %s, want %s in intake awaiting triage", r.Number, r.Phase, r.Status, want)
		}
		audit, err := st.Audit(ctx, admin.Actor(), r.ID)
		if err != nil || len(audit) != 1 || audit[0].Action != "request.created" || audit[0].After != r.Number || audit[0].ActorID != requester.ID {
			t.Fatalf("audit %+v %v", audit, err)
		}
		events, err := st.EventsAfter(ctx, 0, 10)
		if err != nil || len(events) != 1 || events[0].Kind != store.EventRequestFiled || events[0].RequestID != r.ID || events[0].ActorID != requester.ID || events[0].Internal {
			t.Fatalf("events %+v %v", events, err)
		}

		if _, err := db.Exec(`UPDATE request_counters SET last = 9999 WHERE year = $1`, year); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"10000", "10001"} {
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Nog een"})
			if err != nil || r.Number != fmt.Sprintf("%d-%s", year, want) {
				t.Fatalf("number %q %v, want %d-%s", r.Number, err, year, want)
			}
		}
	})
}

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestConcurrentCreatesShareCommits files requests from many goroutines,
// first all valid, then some of them in an area that does not exist. Those
// are refused naming the area and leave no trace; the others get gap-free
// numbers, each with one status period, event and audit row — also when a
// refused create shared a batch with them and the batch ran again. On
// PostgreSQL the valid creates share transactions (the counter row is
// locked until commit, so one transaction per create would mean one create
// per durable commit). On SQLite every filed request, bulk-loaded ones too,
// is in the full-text index, which is filled once per commit.
func TestConcurrentCreatesShareCommits(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		area, requester, _ := org(t, st)

		const workers, each = 16, 20
		var mu sync.Mutex
		var numbers []string
		file := func(refused func(w, i int) bool) {
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					for i := range each {
						n := beheer.NewRequest{Type: beheer.TypeQuestion, Title: fmt.Sprintf("Vraag %d-%d", w, i), AreaID: area.ID}
						bad := refused(w, i)
						if bad {
							n.AreaID = area.ID + 1000
						}
						r, err := st.CreateRequest(ctx, requester.Actor(), n)
						if bad {
							var be *beheer.Error
							if !errors.As(err, &be) || len(be.Fields) != 1 || be.Fields[0].Field != "area" {
								t.Errorf("create in an unknown area: %v, want a validation error on area", err)
							}
							continue
						}
						if err != nil {
							t.Error(err)
							continue
						}
						mu.Lock()
						numbers = append(numbers, r.Number)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
		}

		file(func(w, i int) bool { return false })
		if st.Engine() == store.Postgres {
			var txs int
			if err := db.QueryRow(`SELECT COUNT(DISTINCT xmin::text) FROM requests`).Scan(&txs); err != nil {
				t.Fatal(err)
			}
			if txs >= len(numbers) {
				t.Errorf("%d requests in %d transactions: concurrent creates did not share a commit", len(numbers), txs)
			}
		}
		file(func(w, i int) bool { return (w+i)%5 == 0 })

		slices.Sort(numbers)
		if want := workers * each * 9 / 5; len(numbers) != want {
			t.Fatalf("%d requests filed, want %d", len(numbers), want)
		}
		year := numbers[0][:4]
		for i, n := range numbers {
			if want := fmt.Sprintf("%s-%04d", year, i+1); n != want {
				t.Fatalf("number %d is %s, want %s (gap or duplicate)", i, n, want)
			}
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM requests`,
			`SELECT last FROM request_counters`,
			`SELECT COUNT(*) FROM request_status_log`,
			`SELECT COUNT(*) FROM events`,
			`SELECT COUNT(*) FROM audit WHERE action = 'request.created'`,
		} {
			var n int
			if err := db.QueryRow(q).Scan(&n); err != nil || n != len(numbers) {
				t.Errorf("%s = %d (%v), want %d", q, n, err, len(numbers))
			}
		}

		if st.Engine() == store.SQLite {
			// Bulk loading (the demo's) files requests too.
			i := 0
			if _, err := st.BulkLoad(ctx, func() (*store.BulkRequest, bool) {
				i++
				now := time.Now()
				return &store.BulkRequest{Request: beheer.Request{Type: beheer.TypeQuestion, Title: fmt.Sprintf("Geladen vraag %d", i),
					AreaID: area.ID, Priority: beheer.PriorityNormal, RequesterID: requester.ID, Phase: beheer.PhaseIntake,
					Status: beheer.StatusAwaitingTriage, CreatedAt: now, UpdatedAt: now}}, i <= 600
			}, nil); err != nil {
				t.Fatal(err)
			}
			// Every request, however filed, is in the full-text index
			// once, and the index matches the requests.
			var requests, indexed int
			if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM requests), (SELECT COUNT(*) FROM requests_fts_docsize)`).Scan(&requests, &indexed); err != nil {
				t.Fatal(err)
			}
			if requests != len(numbers)+600 || indexed != requests {
				t.Errorf("%d requests, %d in the full-text index; want %d in both", requests, indexed, len(numbers)+600)
			}
			if _, err := db.Exec(`INSERT INTO requests_fts (requests_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
				t.Errorf("full-text index: %v", err)
			}
			// The load merged the index into one segment (a page's rowid
			// holds its segment's id from bit 37 up).
			var segments int
			if err := db.QueryRow(`SELECT COUNT(DISTINCT id >> 37) FROM requests_fts_data WHERE id >= 1 << 37`).Scan(&segments); err != nil || segments != 1 {
				t.Errorf("full-text index in %d segments (%v) after a bulk load, want 1", segments, err)
			}
		}
	})
}

// TestCreatedAsRead: the request CreateRequest returns is built from what it
// wrote, not read back; it must be what a read of it gives — with and without
// an area, process, priority and description, by a requester and by a
// functional admin, and for an area this store has not seen yet (created by
// another store on the same database).
func TestCreatedAsRead(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, _ *sql.DB, dsn string) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		proc, err := st.CreateProcess(ctx, store.System, beheer.Process{AreaID: area.ID, Name: "Salarisrun"})
		if err != nil {
			t.Fatal(err)
		}
		other := storetest.Open(t, dsn, storetest.Options{})
		unseen, err := other.CreateArea(ctx, store.System, beheer.Area{Code: "crm", Name: "CRM & verkoop"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			actor *beheer.User
			n     beheer.NewRequest
		}{
			{"no area", requester, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag"}},
			{"area and description", requester, beheer.NewRequest{Type: beheer.TypeIncident, Title: "  Storing  ", AreaID: area.ID,
				Description: "Sinds vanochtend **geen** loonstroken.\n\n- stap 1\n- stap 2 <script>"}},
			{"process", requester, beheer.NewRequest{Type: beheer.TypeChange, Title: "Wijziging", AreaID: area.ID, ProcessID: proc.ID}},
			{"priority by an admin", admin, beheer.NewRequest{Type: beheer.TypeIncident, Title: "Spoed", AreaID: area.ID, Priority: beheer.PriorityHigh}},
			{"area not seen before", requester, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Klantkaart", AreaID: unseen.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				created, err := st.CreateRequest(ctx, tc.actor.Actor(), tc.n)
				if err != nil {
					t.Fatal(err)
				}
				read, _, err := st.Request(ctx, tc.actor.Actor(), created.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(read, created); diff != "" {
					t.Fatalf("created differs from read (-read +created):\n%s", diff)
				}
			})
		}
	})
}

// TestMovedAsRead: the request Transition returns is built from what it
// wrote, not read back; after every move — taken up (and so assigned), with
// a note, closed, reopened, withdrawn by the requester — it must be what a
// read of it gives.
func TestMovedAsRead(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		file := func() *beheer.Request {
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Storing", AreaID: area.ID})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		move := func(who *beheer.User, r *beheer.Request, tr beheer.Transition) *beheer.Request {
			t.Helper()
			moved, err := st.Transition(ctx, who.Actor(), r.ID, r.Version, tr)
			if err != nil {
				t.Fatalf("to %s: %v", tr.To, err)
			}
			read, _, err := st.Request(ctx, who.Actor(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(read, moved); diff != "" {
				t.Fatalf("to %s: moved differs from read (-read +moved):\n%s", tr.To, diff)
			}
			return moved
		}
		r := file()
		r = move(admin, r, beheer.Transition{To: beheer.PhaseInvestigation})
		if r.AssigneeID != admin.ID {
			t.Fatalf("not taken up: %+v", r)
		}
		r = move(admin, r, beheer.Transition{To: beheer.PhaseExecution, Note: "We passen het aan."})
		r = move(admin, r, beheer.Transition{To: beheer.PhaseOptimisation})
		r = move(admin, r, beheer.Transition{To: beheer.PhaseClosed})
		if r.ClosedAt.IsZero() {
			t.Fatal("closed without a time")
		}
		r = move(requester, r, beheer.Transition{To: beheer.PhaseInvestigation, Note: "Toch nog niet goed."})
		if !r.ClosedAt.IsZero() {
			t.Fatal("reopened with a closing time")
		}
		move(requester, file(), beheer.Transition{To: beheer.PhaseWithdrawn, Note: "Niet meer nodig."})
	})
}
