package store_test

import (
	"context"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestListNames: a list page names each request's area, requester and
// assignee as the request itself does, with and without an area or an
// assignee. PostgreSQL's list pages read the names apart from the requests.
func TestListNames(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		file := func(areaID int64, assign bool) {
			t.Helper()
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: areaID})
			if err != nil {
				t.Fatal(err)
			}
			if assign {
				id := admin.ID
				if _, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{AssigneeID: &id}); err != nil {
					t.Fatal(err)
				}
			}
		}
		file(area.ID, false)
		file(area.ID, true)
		file(0, false)
		file(0, true)
		check := func(when string, f store.Filter) {
			t.Helper()
			page, err := st.Requests(ctx, admin.Actor(), f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) == 0 {
				t.Fatalf("%s: empty page", when)
			}
			for _, got := range page.Items {
				want, _, err := st.Request(ctx, admin.Actor(), got.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.AreaCode != want.AreaCode || got.AreaName != want.AreaName ||
					got.RequesterName != want.RequesterName || got.AssigneeName != want.AssigneeName {
					t.Errorf("%s: request %d listed as area %q %q, requester %q, assignee %q; want %q %q, %q, %q", when, got.ID,
						got.AreaCode, got.AreaName, got.RequesterName, got.AssigneeName,
						want.AreaCode, want.AreaName, want.RequesterName, want.AssigneeName)
				}
				if want.RequesterName == "" || (want.AreaID != 0) != (want.AreaName != "") || (want.AssigneeID != 0) != (want.AssigneeName != "") {
					t.Errorf("%s: request %d has names %+v", when, got.ID, want)
				}
			}
		}
		check("all", store.Filter{})
		check("sorted by priority", store.Filter{Sort: "priority", Limit: 2})
		check("an area, assigned to the admin", store.Filter{AreaIDs: []int64{area.ID}, AssigneeID: admin.ID})
	})
}
