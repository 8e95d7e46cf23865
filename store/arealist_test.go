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

// TestListAreaFilterVisibility: a person who sees one area whole and, in
// other areas, only what is theirs gets exactly that on every page filtered
// on areas — their own area, another area, both, none — in each sort, page
// by page, and in a text search. A list applies who may see a request as a
// condition of its query; the oracle here is the rule for one request.
func TestListAreaFilterVisibility(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		fin, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "financieel", Name: "Financieel"})
		if err != nil {
			t.Fatal(err)
		}
		kees, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "kees@voorbeeld.nl", Name: "Kees",
			Roles: []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin, AreaID: hr.ID}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		file := func(who *beheer.User, area int64, title string) *beheer.Request {
			t.Helper()
			r, err := st.CreateRequest(ctx, who.Actor(), beheer.NewRequest{Type: beheer.TypeTechnical, Title: title, AreaID: area})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for i := range 4 {
			file(requester, hr.ID, fmt.Sprintf("HR %d", i))
			file(requester, fin.ID, fmt.Sprintf("Financieel %d", i))
			switch i {
			case 0:
				file(kees, fin.ID, "Door Kees gemeld")
			case 1:
				r := file(requester, fin.ID, "Aan Kees toegewezen")
				kid := kees.ID
				if _, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{AssigneeID: &kid}); err != nil {
					t.Fatal(err)
				}
			case 2:
				r := file(requester, fin.ID, "Met een taak voor Kees")
				if r, err = st.Transition(ctx, admin.Actor(), r.ID, r.Version, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
					t.Fatal(err)
				}
				if _, err := st.CreateTask(ctx, admin.Actor(), r.ID, beheer.NewTask{Title: "Koppeling nakijken", AssigneeID: kees.ID}); err != nil {
					t.Fatal(err)
				}
			case 3:
				file(requester, 0, "Zonder gebied")
			}
		}
		k := kees.Actor()
		for _, areas := range [][]int64{nil, {hr.ID}, {fin.ID}, {hr.ID, fin.ID}} {
			for _, sort := range []string{"newest", "oldest", "updated", "priority"} {
				full, err := st.Requests(ctx, admin.Actor(), store.Filter{AreaIDs: areas, Sort: sort, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				var expect []int64
				for _, r := range full.Items {
					if _, _, err := st.Request(ctx, k, r.ID); err == nil {
						expect = append(expect, r.ID)
					}
				}
				got := pagedIDs(t, st, k, store.Filter{AreaIDs: areas, Sort: sort, Limit: 2})
				if !slices.Equal(got, expect) {
					t.Errorf("areas %v, sort %s: Kees's pages hold %v, want %v", areas, sort, got, expect)
				}
				if len(areas) == 1 && areas[0] == fin.ID && len(expect) != 3 {
					t.Errorf("areas %v, sort %s: %d of Financieel's requests are Kees's, want 3", areas, sort, len(expect))
				}
			}
		}
		// A text search walks its own way (SQLite) under the same rule.
		for _, c := range []struct {
			area *beheer.Area
			text string
			want int
		}{{&hr, "HR", 4}, {fin, "Financieel", 0}, {fin, "Kees", 3}} {
			for _, sort := range []string{"newest", "updated"} {
				page, err := st.Requests(ctx, k, store.Filter{AreaIDs: []int64{c.area.ID}, Query: c.text, Sort: sort, Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Items) != c.want {
					t.Errorf("search %q in %s, sort %s: %d items, want %d", c.text, c.area.Code, sort, len(page.Items), c.want)
				}
			}
		}
	})
}
