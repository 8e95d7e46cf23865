package peoplesync_test

import (
	"beheer"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"beheer/afas"
	"beheer/peoplesync"
	"beheer/store"
	"beheer/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const token = "<token><version>1</version><data>ABCDEF0123456789</data></token>"

// profit is a local AFAS Profit answering the employees GetConnector in
// the documented shape; answer, when set, may answer a call instead.
type profit struct {
	mu     sync.Mutex
	rows   []map[string]any
	calls  int
	answer func(w http.ResponseWriter, r *http.Request, call int) bool
}

func (p *profit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.calls++
	call, rows, answer := p.calls, p.rows, p.answer
	p.mu.Unlock()
	if r.Header.Get("Authorization") != "AfasToken "+base64.StdEncoding.EncodeToString([]byte(token)) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if answer != nil && answer(w, r, call) {
		return
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
	take, _ := strconv.Atoi(r.URL.Query().Get("take"))
	page := []map[string]any{}
	if skip < len(rows) {
		page = rows[skip:min(skip+take, len(rows))]
	}
	json.NewEncoder(w).Encode(map[string]any{"skip": skip, "take": take, "rows": page})
}

// set replaces the rows and the failure for the next sync.
func (p *profit) set(n int, answer func(w http.ResponseWriter, r *http.Request, call int) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rows, p.calls, p.answer = nil, 0, answer
	for i := range n {
		p.rows = append(p.rows, map[string]any{"Medewerker": fmt.Sprintf("%05d", i+1), "Naam": fmt.Sprintf("Collega %d", i+1),
			"Email": fmt.Sprintf("collega%d@voorbeeld.nl", i+1), "Afdeling": "Afdeling " + strconv.Itoa(i%5), "Leidinggevende": "00001"})
	}
	p.rows[0]["Leidinggevende"] = nil
}

func active(t *testing.T, st *store.Store) (all, on int) {
	t.Helper()
	users, err := st.Users(context.Background(), store.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Active {
			on++
		}
	}
	return len(users), on
}

// TestSyncAFAS syncs 2,500 employees read in pages of 1,000 from a local
// AFAS, then shows that a refused token, a slow answer, a 500 in the middle
// of paging and broken JSON change nobody — above all, deactivate nobody —
// and are recorded as failed syncs; a complete list then deactivates those
// who left.
func TestSyncAFAS(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := &profit{}
		srv := httptest.NewServer(p)
		defer srv.Close()
		c, err := afas.New(afas.Config{BaseURL: srv.URL + "/ProfitRestServices", Connector: "Beheer_Medewerkers", Token: token,
			Take: 1000, Timeout: 300 * time.Millisecond, RetryWait: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}

		p.set(2500, nil)
		rep, err := peoplesync.SyncAFAS(ctx, st, store.System, c, beheer.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 2500 || rep.Total != 2500 || p.calls != 3 {
			t.Fatalf("first sync: %+v in %d calls", rep, p.calls)
		}

		// From now on the source lists 2,000 people, but every read fails:
		// nobody of the 500 missing may be deactivated.
		release := make(chan struct{})
		defer close(release)
		failures := []struct {
			key    string
			answer func(w http.ResponseWriter, r *http.Request, call int) bool
		}{
			{"people_import.afas_auth", func(w http.ResponseWriter, r *http.Request, call int) bool {
				w.WriteHeader(http.StatusUnauthorized)
				return true
			}},
			{"people_import.afas_timeout", func(w http.ResponseWriter, r *http.Request, call int) bool {
				if call < 2 {
					return false
				}
				select {
				case <-release:
				case <-r.Context().Done():
				}
				return true
			}},
			{"people_import.afas_server", func(w http.ResponseWriter, r *http.Request, call int) bool {
				if call < 2 {
					return false
				}
				w.WriteHeader(http.StatusInternalServerError)
				return true
			}},
			{"people_import.afas_malformed", func(w http.ResponseWriter, r *http.Request, call int) bool {
				if call < 2 {
					return false
				}
				w.Write([]byte(`{"skip":1000,"take":1000,"rows":[{"Medewerker":`))
				return true
			}},
		}
		for _, f := range failures {
			p.set(2000, f.answer)
			rep, err := peoplesync.SyncAFAS(ctx, st, store.System, c, beheer.SyncOptions{})
			var fe *peoplesync.FetchError
			if rep != nil || !errors.As(err, &fe) || fe.Key != f.key {
				t.Fatalf("%s: %+v %v", f.key, rep, err)
			}
			if all, on := active(t, st); all != 2500 || on != 2500 {
				t.Fatalf("%s: %d people, %d active after a failed read", f.key, all, on)
			}
			reps, _ := st.SyncReports(ctx, store.System, 1)
			if len(reps) != 1 || reps[0].OK || reps[0].ErrorKey != f.key {
				t.Fatalf("%s: not recorded: %+v", f.key, reps)
			}
		}

		// A complete read: the 500 who left are deactivated, not deleted.
		p.set(2000, nil)
		rep, err = peoplesync.SyncAFAS(ctx, st, store.System, c, beheer.SyncOptions{})
		if err != nil || rep.Deactivated != 500 || rep.Unchanged != 2000 {
			t.Fatalf("complete read: %+v %v", rep, err)
		}
		if all, on := active(t, st); all != 2500 || on != 2000 {
			t.Fatalf("%d people, %d active", all, on)
		}
		if u, _, err := st.UserByEmail(ctx, "collega2500@voorbeeld.nl"); err != nil || u.Active {
			t.Fatalf("one who left: %+v %v", u, err)
		}

		// A list that suddenly lacks half the people (a changed connector
		// filter, more likely than half the staff leaving) changes nothing
		// unasked, and the failed sync says why; confirmed, it applies.
		p.set(1000, nil)
		rep, err = peoplesync.SyncAFAS(ctx, st, store.System, c, beheer.SyncOptions{})
		if rep != nil || beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("mass leave: %+v %v", rep, err)
		}
		if all, on := active(t, st); all != 2500 || on != 2000 {
			t.Fatalf("mass leave unasked: %d people, %d active", all, on)
		}
		if reps, _ := st.SyncReports(ctx, store.System, 1); len(reps) != 1 || reps[0].OK || reps[0].ErrorKey != "people_import.afas_too_many_leave" {
			t.Fatalf("mass leave not recorded: %+v", reps)
		}
		rep, err = peoplesync.SyncAFAS(ctx, st, store.System, c, beheer.SyncOptions{ConfirmLeavers: true})
		if err != nil || rep.Deactivated != 1000 {
			t.Fatalf("confirmed: %+v %v", rep, err)
		}
	})
}

// TestLoop runs the scheduled sync until it is stopped.
func TestLoop(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	p := &profit{}
	p.set(3, nil)
	srv := httptest.NewServer(p)
	defer srv.Close()
	c, err := afas.New(afas.Config{BaseURL: srv.URL, Connector: "X", Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		peoplesync.Loop(ctx, st, c, 20*time.Millisecond, testLogger(t))
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		reps, err := st.SyncReports(context.Background(), store.System, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(reps) >= 2 {
			if reps[len(reps)-1].Added != 3 || !reps[0].OK {
				t.Fatalf("reports %+v", reps)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the loop did not sync twice")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the loop did not stop")
	}
	if u, _, err := st.UserByEmail(context.Background(), "collega1@voorbeeld.nl"); err != nil || len(u.Roles) != 0 {
		t.Fatalf("a synced person: %+v %v", u, err)
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, nil))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
