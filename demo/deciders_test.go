package demo_test

import (
	"context"
	"testing"

	"beheer"
	"beheer/demo"
	"beheer/store"
	"beheer/store/storetest"
)

// TestDemoDeciders: the demo shows an area without key user whose changes
// its process owner decides, a two-of-three rule with one approval in, and
// a deputy who decided on a key user's behalf.
func TestDemoDeciders(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		logins, err := demo.Load(ctx, st, demo.Options{Requests: 40, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		admin := adminOf(t, st, logins)
		inkoop, err := st.AreaByCode(ctx, "inkoop")
		if err != nil {
			t.Fatal(err)
		}
		sources := map[beheer.DeciderSource]int{}
		onBehalf, quorumOpen := 0, 0
		page, err := st.Requests(ctx, admin, store.Filter{Types: []beheer.Type{beheer.TypeChange}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			p, err := st.DecisionPanel(ctx, admin, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.AreaID == inkoop.ID {
				sources[p.Source]++
			}
			if p.Source == beheer.DeciderRule && p.Required == 2 && p.Approvals() == 1 && p.Outcome() == "" {
				quorumOpen++
			}
			if d, _ := st.Decision(ctx, admin, r.ID); d != nil && d.OnBehalfOf != 0 {
				onBehalf++
			}
		}
		if sources[beheer.DeciderProcessOwner] != 2 || quorumOpen != 1 || onBehalf != 1 {
			t.Errorf("inkoop deciders %v, open two-of-three %d, decided on behalf %d", sources, quorumOpen, onBehalf)
		}
	})
}
