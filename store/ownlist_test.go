package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestListOwnRequests: a person who sees only their own requests finds in
// every list the ones they filed, are assigned, and hold a task on — in the
// order of each sort, page by page, with filters — and nothing else. The
// three are read as separate parts of one query (see ownIDs); losing a part
// or mixing up their order shows here.
func TestListOwnRequests(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		piet, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "piet@voorbeeld.nl", Name: "Piet",
			Roles: []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		file := func(who *beheer.User, title string, prio beheer.Priority) *beheer.Request {
			t.Helper()
			r, err := st.CreateRequest(ctx, who.Actor(), beheer.NewRequest{Type: beheer.TypeTechnical, Title: title, AreaID: area.ID})
			if err != nil {
				t.Fatal(err)
			}
			if prio != "" {
				if r, err = st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{Priority: &prio}); err != nil {
					t.Fatal(err)
				}
			}
			return r
		}
		// Others' requests around Piet's, so a part that leaks or a wrong
		// order cannot pass by accident.
		var want []int64
		for i := range 3 {
			file(requester, fmt.Sprintf("Anders %d", i), "")
			// Three of his own, so each part has an order of its own.
			want = append(want, file(piet, fmt.Sprintf("Eigen aanvraag %d", i), []beheer.Priority{beheer.PriorityLow, "", beheer.PriorityHigh, ""}[i]).ID)
			switch i {
			case 1:
				r := file(requester, "Toegewezen", beheer.PriorityHigh)
				pid := piet.ID
				if _, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{AssigneeID: &pid}); err != nil {
					t.Fatal(err)
				}
				want = append(want, r.ID)
			case 2:
				r := file(requester, "Met taak", "")
				if r, err = st.Transition(ctx, admin.Actor(), r.ID, r.Version, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
					t.Fatal(err)
				}
				if _, err := st.CreateTask(ctx, admin.Actor(), r.ID, beheer.NewTask{Title: "Koppeling nakijken", AssigneeID: piet.ID}); err != nil {
					t.Fatal(err)
				}
				want = append(want, r.ID)
			}
		}
		// Piet loses his role: he keeps seeing what is his, nothing more.
		if err := st.SetRoles(ctx, store.System, piet.ID, nil); err != nil {
			t.Fatal(err)
		}
		piet, _, err = st.UserByEmail(ctx, "piet@voorbeeld.nl")
		if err != nil {
			t.Fatal(err)
		}
		if all, areas := piet.Actor().Scope(beheer.PermRequestRead); all || len(areas) > 0 {
			t.Fatalf("Piet still reads all=%v areas=%v", all, areas)
		}

		for _, sort := range []string{"newest", "oldest", "updated", "priority"} {
			for _, open := range []bool{false, true} {
				// The expected order: the admin's view of exactly these ids.
				full, err := st.Requests(ctx, admin.Actor(), store.Filter{Sort: sort, OpenOnly: open, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				var expect []int64
				for _, r := range full.Items {
					if slices.Contains(want, r.ID) {
						expect = append(expect, r.ID)
					}
				}
				got := pagedIDs(t, st, piet.Actor(), store.Filter{Sort: sort, OpenOnly: open, Limit: 1})
				if !slices.Equal(got, expect) {
					t.Errorf("sort %s open %v: Piet's pages hold %v, want %v", sort, open, got, expect)
				}
			}
		}
		page, err := st.Requests(ctx, piet.Actor(), store.Filter{Types: []beheer.Type{beheer.TypeQuestion}})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("filter on another type: %d items, %v", len(page.Items), err)
		}
	})
}

// pagedIDs lists the ids of f's pages as the actor reads them, following the
// cursor to the last page.
func pagedIDs(t *testing.T, st *store.Store, actor *beheer.Actor, f store.Filter) []int64 {
	t.Helper()
	var ids []int64
	for range 100 {
		page, err := st.Requests(context.Background(), actor, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			ids = append(ids, r.ID)
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			return ids
		}
	}
	t.Fatalf("more than 100 pages of %+v", f)
	return nil
}
