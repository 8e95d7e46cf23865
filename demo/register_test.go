package demo_test

import (
	"context"
	"testing"

	"beheer"
	"beheer/demo"
	"beheer/store"
	"beheer/store/storetest"
)

// TestDemoRegister checks the demo's technical register: every kind, a
// maintainer from the profile's contacts, and exactly one review overdue,
// which the review sweep turns into one request.
func TestDemoRegister(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		logins, err := demo.Load(ctx, st, demo.Options{Requests: 10, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		admin := adminOf(t, st, logins)
		list, err := st.RegisterEntries(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[beheer.RegisterKind]int{}
		overdue, contact := 0, false
		for _, e := range list {
			kinds[e.Kind]++
			if days, ok := e.DaysUntilReview(st.Today()); ok && days < 0 {
				overdue++
			}
			contact = contact || e.MaintainerContactID != 0
		}
		for _, k := range beheer.RegisterKinds {
			if kinds[k] == 0 {
				t.Errorf("no %s in the demo register", k)
			}
		}
		if overdue != 1 || !contact {
			t.Errorf("%d overdue entries, want 1; a maintainer contact: %v", overdue, contact)
		}
		n, err := st.RegisterReviewSweep(ctx, func(e *beheer.RegisterEntry) beheer.RegisterReviewTexts {
			return beheer.RegisterReviewTexts{Title: "Periodieke review " + e.Name, Task: "Review vastleggen"}
		})
		if err != nil || n != 1 {
			t.Fatalf("the sweep raised %d: %v", n, err)
		}
		if _, _, total := census(t, st, admin); total != 11 {
			t.Errorf("%d requests after the sweep, want 11", total)
		}
	})
}
