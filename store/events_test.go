package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestEventsAndStatusLog checks that each change writes its event and its
// status period in the same transaction, and a refused change writes none.
func TestEventsAndStatusLog(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: area.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, admin.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddComment(ctx, admin.Actor(), r.ID, beheer.NewComment{Body: "Intern", Internal: true}); err != nil {
			t.Fatal(err)
		}
		status := beheer.StatusAwaitingRequester
		if _, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, 0, beheer.Patch{Status: &status}); err != nil {
			t.Fatal(err)
		}
		answer, err := st.AddComment(ctx, requester.Actor(), r.ID, beheer.NewComment{Body: "Antwoord"})
		if err != nil {
			t.Fatal(err)
		}
		// Refused: the requester may not move it on; nothing may be logged.
		if _, err := st.Transition(ctx, requester.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseExecution}); err == nil {
			t.Fatal("requester moved the request")
		}
		events, err := st.EventsAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
			if e.Kind == store.EventCommentAdded && e.Data["comment"] == "" {
				t.Errorf("comment event without comment id: %+v", e)
			}
		}
		want := []string{store.EventRequestFiled, store.EventAssigned, store.EventPhaseChanged, store.EventCommentAdded,
			store.EventStatusChanged, store.EventCommentAdded, store.EventStatusChanged}
		if !slices.Equal(kinds, want) {
			t.Fatalf("events %v, want %v", kinds, want)
		}
		if !events[3].Internal || events[5].Internal {
			t.Fatalf("internal flags wrong: %+v / %+v", events[3], events[5])
		}
		if e := events[5]; e.Data["comment"] != strconv.FormatInt(answer.ID, 10) || e.ActorID != requester.ID || e.RequestID != r.ID {
			t.Fatalf("comment event %+v, want comment %d by %d on %d", e, answer.ID, requester.ID, r.ID)
		}
		audit, err := st.Audit(ctx, admin.Actor(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var added []string
		for _, a := range audit {
			if a.Action == "comment.added" && a.ActorID == requester.ID && a.Field == "comment" && !a.Internal {
				added = append(added, a.After)
			}
		}
		if !slices.Equal(added, []string{strconv.FormatInt(answer.ID, 10)}) {
			t.Fatalf("the requester's comments in the audit trail: %v, want [%d]", added, answer.ID)
		}
		history, err := st.StatusHistory(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var statuses []beheer.Status
		for _, p := range history {
			statuses = append(statuses, p.Status)
		}
		wantStatuses := []beheer.Status{beheer.StatusAwaitingTriage, beheer.StatusAwaitingAssignee, beheer.StatusAwaitingRequester, beheer.StatusAwaitingAssignee}
		if !slices.Equal(statuses, wantStatuses) {
			t.Fatalf("status log %v, want %v", statuses, wantStatuses)
		}
	})
}

// TestEventBatches: a worker catching up takes its batches up to the events
// that were final when it looked, and only then looks again. On PostgreSQL
// each look waits for every transaction writing events and holds up new
// writers (see eventWatermark), so a worker behind by several batches looks
// once, not once per batch; SQLite's events are final when they are seen.
func TestEventBatches(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, _ := org(t, st)
		file := func(n int) {
			t.Helper()
			for range n {
				if _, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: area.ID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		var seen []int64
		step := func() int {
			t.Helper()
			n, err := st.ProcessNotifications(ctx, 10, nil, func(f store.EventFacts) ([]store.Delivery, error) {
				seen = append(seen, f.Event.ID)
				return nil, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		file(25)
		got := []int{step()} // looks: 25 final events
		file(4)
		for range 4 {
			got = append(got, step())
		}
		want := []int{10, 10, 5, 4, 0} // looks again after the 25th
		if st.Engine() == store.SQLite {
			want = []int{10, 10, 9, 0, 0}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("batches %v, want %v", got, want)
		}
		if len(seen) != 29 || !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != 29 {
			t.Fatalf("events handled: %v", seen)
		}
	})
}

// TestEventFactsPerArea: within one batch of events, each event's request
// gets the key users and technical admins of its own area (they are looked
// up once per area and batch), and those for all areas too.
func TestEventFactsPerArea(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, _ := org(t, st)
		crm, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "crm", Name: "CRM"})
		if err != nil {
			t.Fatal(err)
		}
		user := func(email string, roles ...beheer.Assignment) int64 {
			t.Helper()
			u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: email, Roles: roles}, "")
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		hrKey := user("hr-key@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: hr.ID})
		crmKey := user("crm-key@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: crm.ID})
		crmTech := user("crm-tech@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleTechnicalAdmin, AreaID: crm.ID})
		allTech := user("tech@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleTechnicalAdmin})
		want := map[int64][2][]int64{}
		for i := range 6 {
			area, holders := hr.ID, [2][]int64{{hrKey}, {allTech}}
			if i%2 == 1 {
				area, holders = crm.ID, [2][]int64{{crmKey}, {crmTech, allTech}}
			}
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: area})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(holders[1])
			want[r.ID] = holders
		}
		got := map[int64][2][]int64{}
		if _, err := st.ProcessNotifications(ctx, 100, nil, func(f store.EventFacts) ([]store.Delivery, error) {
			got[f.Request.ID] = [2][]int64{f.KeyUsers, f.TechAdmins}
			return nil, nil
		}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("role holders per request (-want +got):\n%s", diff)
		}
	})
}
