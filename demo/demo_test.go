package demo_test

import (
	"context"
	"testing"
	"time"

	"beheer"
	"beheer/demo"
	"beheer/store"
	"beheer/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// census counts what a functional admin for all areas sees.
func census(t *testing.T, st *store.Store, admin *beheer.Actor) (phases map[beheer.Phase]int, types map[beheer.Type]int, total int) {
	t.Helper()
	phases, types = map[beheer.Phase]int{}, map[beheer.Type]int{}
	numbers := map[string]bool{}
	for cursor := ""; ; {
		page, err := st.Requests(context.Background(), admin, store.Filter{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			if numbers[r.Number] {
				t.Fatalf("number %s twice", r.Number)
			}
			numbers[r.Number] = true
			phases[r.Phase]++
			types[r.Type]++
			total++
		}
		if page.NextCursor == "" {
			return phases, types, total
		}
		cursor = page.NextCursor
	}
}

func adminOf(t *testing.T, st *store.Store, logins []demo.Login) *beheer.Actor {
	t.Helper()
	for _, l := range logins {
		if l.Role == "Functioneel beheerder" {
			u, _, err := st.UserByEmail(context.Background(), l.Email)
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor()
		}
	}
	t.Fatal("no functional admin login")
	return nil
}

// TestDemo loads the demo through the rules and checks it spans every
// phase and type, with one login per role.
func TestDemo(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		logins, err := demo.Load(context.Background(), st, demo.Options{Requests: 150, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(logins) != 5 {
			t.Fatalf("%d logins, want one per role", len(logins))
		}
		phases, types, total := census(t, st, adminOf(t, st, logins))
		if total != 150 {
			t.Fatalf("%d requests, want 150", total)
		}
		for _, p := range beheer.Phases {
			if phases[p] == 0 {
				t.Errorf("no request in phase %s (%v)", p, phases)
			}
		}
		for _, ty := range beheer.Types {
			if types[ty] == 0 {
				t.Errorf("no request of type %s", ty)
			}
		}
		users, _ := st.Users(context.Background(), store.System)
		if len(users) < 20 {
			t.Errorf("%d people, want about 25", len(users))
		}
		again, err := demo.LoadIfEmpty(context.Background(), st, demo.Options{})
		if err != nil || again != nil {
			t.Fatalf("second load on a used database: %v %v", again, err)
		}
	})
}

// TestDemoBulk generates through the bulk loader and checks the same.
func TestDemoBulk(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		start := time.Now()
		logins, err := demo.Load(context.Background(), st, demo.Options{Requests: 3000, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("3000 requests in %s", time.Since(start))
		admin := adminOf(t, st, logins)
		phases, types, total := census(t, st, admin)
		if total != 3000 {
			t.Fatalf("%d requests, want 3000", total)
		}
		for _, p := range beheer.Phases {
			if phases[p] == 0 {
				t.Errorf("no request in phase %s (%v)", p, phases)
			}
		}
		for _, ty := range beheer.Types {
			if types[ty] == 0 {
				t.Errorf("no request of type %s", ty)
			}
		}
		// Bulk data is searchable and a new request continues the numbering.
		page, err := st.Requests(context.Background(), admin, store.Filter{Query: "declaratie"})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("search in bulk data: %v, %d hits", err, len(page.Items))
		}
		// Dutch search finds a part of a compound in requests and articles.
		if page, err := st.Requests(context.Background(), admin, store.Filter{Query: "saldo"}); err != nil || len(page.Items) == 0 {
			t.Errorf("searching saldo in bulk data: %v, %d hits", err, len(page.Items))
		}
		found, err := st.SuggestPublications(context.Background(), admin, beheer.PublicationArticle, "Mijn saldo klopt niet", 5)
		if err != nil || len(found) == 0 || found[0].Title != "Verlofsaldo bekijken en begrijpen" {
			t.Errorf("articles suggested for a saldo question: %v", err)
			for _, a := range found {
				t.Log(a.Title)
			}
		}
		r, err := st.CreateRequest(context.Background(), admin, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Na de bulk"})
		if err != nil {
			t.Fatal(err)
		}
		_, _, total = census(t, st, admin)
		if total != 3001 || r.ID == 0 {
			t.Fatalf("after bulk: %d requests, new id %d", total, r.ID)
		}
	})
}
