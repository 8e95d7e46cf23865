package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// org adds an area, a requester and a functional admin.
func org(t *testing.T, st *store.Store) (area beheer.Area, requester, admin *beheer.User) {
	t.Helper()
	ctx := context.Background()
	a, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "hr", Name: "HR"})
	if err != nil {
		t.Fatal(err)
	}
	requester, err = st.CreateUser(ctx, store.System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, "")
	if err != nil {
		t.Fatal(err)
	}
	admin, err = st.CreateUser(ctx, store.System, beheer.NewUser{Email: "fleur@voorbeeld.nl", Name: "Fleur",
		Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return *a, requester, admin
}

// TestNumbersUniqueAndGapFree files requests from many goroutines at once:
// every number is handed out once and together they have no gaps.
func TestNumbersUniqueAndGapFree(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		area, requester, _ := org(t, st)
		const workers, each = 8, 25
		var mu sync.Mutex
		var numbers []string
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					r, err := st.CreateRequest(context.Background(), requester.Actor(), beheer.NewRequest{
						Type: beheer.TypeQuestion, Title: fmt.Sprintf("Vraag %d-%d", w, i), AreaID: area.ID})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					numbers = append(numbers, r.Number)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(numbers)
		if len(numbers) != workers*each {
			t.Fatalf("%d numbers, want %d", len(numbers), workers*each)
		}
		year := numbers[0][:4]
		for i, n := range numbers {
			if want := fmt.Sprintf("%s-%04d", year, i+1); n != want {
				t.Fatalf("number %d is %s, want %s (gap or duplicate)", i, n, want)
			}
		}
	})
}

// TestConcurrentIfMatch lets many editors change one request based on the
// same version: exactly one wins each round, the others are refused, and
// the audit trail holds only the winners' changes.
func TestConcurrentIfMatch(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Start", AreaID: area.ID})
		if err != nil {
			t.Fatal(err)
		}
		const rounds, editors = 10, 6
		for round := range rounds {
			cur, _, err := st.Request(ctx, admin.Actor(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			var wins, stale int
			var mu sync.Mutex
			var wg sync.WaitGroup
			for e := range editors {
				wg.Go(func() {
					title := fmt.Sprintf("Ronde %d door %d", round, e)
					_, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, cur.Version, beheer.Patch{Title: &title})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						wins++
					case beheer.ErrorCode(err) == beheer.CodePreconditionFailed:
						stale++
					default:
						t.Errorf("round %d: %v", round, err)
					}
				})
			}
			wg.Wait()
			if wins != 1 || stale != editors-1 {
				t.Fatalf("round %d: %d wins and %d refused, want 1 and %d", round, wins, stale, editors-1)
			}
		}
		audit, err := st.Audit(ctx, admin.Actor(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		titles := 0
		for _, e := range audit {
			if e.Field == "title" {
				titles++
			}
		}
		if titles != rounds {
			t.Fatalf("audit has %d title changes, want %d", titles, rounds)
		}
	})
}

// TestConcurrentTransitions moves one request from many goroutines at once:
// one move wins, the others are refused, the state stays valid.
func TestConcurrentTransitions(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Start", AreaID: area.ID})
		if err != nil {
			t.Fatal(err)
		}
		var ok, refused int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				to := beheer.PhaseInvestigation
				who := admin.Actor()
				if i%2 == 1 {
					to, who = beheer.PhaseWithdrawn, requester.Actor()
				}
				_, err := st.Transition(ctx, who, r.ID, 0, beheer.Transition{To: to})
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					ok++
				} else if c := beheer.ErrorCode(err); c == beheer.CodeConflict || c == beheer.CodeForbidden {
					refused++
				} else {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, _, err := st.Request(ctx, admin.Actor(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Investigation → withdrawn is allowed too, so up to two moves can win,
		// in that order; never anything else.
		switch {
		case ok == 1 && (got.Phase == beheer.PhaseInvestigation || got.Phase == beheer.PhaseWithdrawn):
		case ok == 2 && got.Phase == beheer.PhaseWithdrawn:
		default:
			t.Fatalf("%d moves won, %d refused, phase %s", ok, refused, got.Phase)
		}
		audit, _ := st.Audit(ctx, admin.Actor(), r.ID)
		moves := 0
		for _, e := range audit {
			if e.Action == "request.transition" {
				moves++
			}
		}
		if moves != ok {
			t.Fatalf("audit has %d moves, %d won", moves, ok)
		}
	})
}
