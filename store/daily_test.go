package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// eventsOf returns the events of one request of a kind, oldest first.
func eventsOf(t *testing.T, st *store.Store, id int64, kind string) []store.Event {
	t.Helper()
	all, err := st.EventsAfter(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Event
	for _, e := range all {
		if e.RequestID == id && e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// TestSweepKeepsDeadlines: the sweep keeps every open request's deadline
// on its row, which the queue then sorts and filters by: the longest
// overdue first, then the one at risk, then time enough, then the clocks
// that stand still; a second sweep keeps the deadlines where they are.
func TestSweepKeepsDeadlines(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		admin := p.admin.Actor()
		file := func(title string, prio beheer.Priority) *beheer.Request {
			r := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: title, AreaID: p.hr.ID}))
			must(st.UpdateRequest(ctx, admin, r.ID, 0, beheer.Patch{Priority: &prio}))
			return r
		}
		c.set(2026, 3, 2, 9, 0)                                // Monday
		late := file("Al lang te laat", beheer.PriorityUrgent) // 8 business hours
		c.set(2026, 3, 2, 10, 0)
		file("Ook te laat", beheer.PriorityUrgent) // an hour later: less overdue
		c.set(2026, 3, 3, 16, 0)                   // Tuesday afternoon
		file("Bijna te laat", beheer.PriorityUrgent)
		file("Tijd genoeg", beheer.PriorityLow)
		waiting := file("Wacht op de aanvrager", beheer.PriorityHigh)
		must(st.Transition(ctx, admin, waiting.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
		ask := beheer.StatusAwaitingRequester
		must(st.UpdateRequest(ctx, admin, waiting.ID, 0, beheer.Patch{Status: &ask}))
		file("Net binnen", beheer.PriorityNormal)

		c.set(2026, 3, 4, 15, 0) // Wednesday: "Bijna te laat" has half an hour of 8 left
		res, err := st.SLASweep(ctx)
		noErr(t, err)
		if res.Warnings == 0 {
			t.Fatalf("sweep %+v", res)
		}
		page := must(st.Requests(ctx, admin, store.Filter{OpenOnly: true, Sort: "due"}))
		var order []string
		for _, r := range page.Items {
			order = append(order, r.Title)
		}
		want := []string{"Al lang te laat", "Ook te laat", "Bijna te laat", "Net binnen", "Tijd genoeg", "Wacht op de aanvrager"}
		if !slices.Equal(order, want) {
			t.Errorf("by time left:\n got %q\nwant %q", order, want)
		}
		now := c.now()
		standing := map[string]beheer.DueStanding{}
		for _, r := range page.Items {
			standing[r.Title] = r.Due.Standing(r, now)
		}
		if standing["Al lang te laat"] != beheer.DueLate || standing["Bijna te laat"] != beheer.DueAtRisk ||
			standing["Tijd genoeg"] != beheer.DueOnTrack || standing["Wacht op de aanvrager"] != beheer.DuePaused {
			t.Errorf("standings %v", standing)
		}
		titles := func(f store.Filter) []string {
			var out []string
			for _, r := range must(st.Requests(ctx, admin, f)).Items {
				out = append(out, r.Title)
			}
			return out
		}
		if got := titles(store.Filter{Due: beheer.DueLate, Sort: "due"}); !slices.Equal(got, []string{"Al lang te laat", "Ook te laat"}) {
			t.Errorf("late: %q", got)
		}
		if got := titles(store.Filter{Due: beheer.DueAtRisk, Sort: "due"}); !slices.Equal(got, []string{"Bijna te laat"}) {
			t.Errorf("at risk: %q", got)
		}
		if got := titles(store.Filter{Due: beheer.DueToday, Sort: "due"}); !slices.Contains(got, "Bijna te laat") || !slices.Contains(got, "Al lang te laat") ||
			slices.Contains(got, "Tijd genoeg") {
			t.Errorf("due today: %q", got)
		}
		// The late request's deadline stays the moment it was due.
		before := req(t, st, admin, late.ID)
		c.t = c.t.Add(time.Hour)
		_, err = st.SLASweep(ctx)
		noErr(t, err)
		after := req(t, st, admin, late.ID)
		if before.Due != after.Due || after.Due.At().IsZero() {
			t.Errorf("late deadline moved: %+v → %+v", before.Due, after.Due)
		}
		// A late request moved on to Optimalisatie has no deadline left.
		must(st.Transition(ctx, admin, late.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
		must(st.Transition(ctx, admin, late.ID, 0, beheer.Transition{To: beheer.PhaseExecution}))
		must(st.Transition(ctx, admin, late.ID, 0, beheer.Transition{To: beheer.PhaseOptimisation}))
		_, err = st.SLASweep(ctx)
		noErr(t, err)
		if d := req(t, st, admin, late.ID).Due; d.Rank != beheer.DueNone {
			t.Errorf("delivered request kept %+v", d)
		}
		// Two hours on, the one at risk is late too.
		if got := titles(store.Filter{Due: beheer.DueLate, Sort: "due"}); !slices.Equal(got, []string{"Ook te laat", "Bijna te laat"}) {
			t.Errorf("late after delivering one: %q", got)
		}
		// A bad filter is said by name.
		if _, err := st.Requests(ctx, admin, store.Filter{Due: "gisteren"}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("unknown due filter: %v", err)
		}
	})
}

// TestWarningForALateRequestSaysMissed: a request the sweep first sees
// when it is already past its target is not "about to be exceeded".
func TestWarningForALateRequestSaysMissed(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		c.set(2026, 3, 2, 9, 0)
		urgent := beheer.PriorityUrgent
		late := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Te laat", AreaID: p.hr.ID}))
		must(st.UpdateRequest(ctx, p.admin.Actor(), late.ID, 0, beheer.Patch{Priority: &urgent}))
		c.set(2026, 3, 2, 15, 0)
		soon := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Bijna", AreaID: p.hr.ID}))
		must(st.UpdateRequest(ctx, p.admin.Actor(), soon.ID, 0, beheer.Patch{Priority: &urgent}))
		c.set(2026, 3, 3, 14, 0) // late: 13,5 of 8 hours; soon: 6,5 of 8
		_, err := st.SLASweep(ctx)
		noErr(t, err)
		for _, tt := range []struct {
			r        *beheer.Request
			breached string
		}{{late, "true"}, {soon, ""}} {
			evs := eventsOf(t, st, tt.r.ID, "sla.warning")
			if len(evs) != 1 || evs[0].Data["breached"] != tt.breached {
				t.Errorf("%s: warnings %+v, want one with breached=%q", tt.r.Title, evs, tt.breached)
			}
		}
	})
}

// TestEvaluateClosesTheLoop: what a rating does under each setting, with
// the event that tells the assignee and, when it closes, why.
func TestEvaluateClosesTheLoop(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		c.set(2026, 3, 2, 9, 0)
		admin := p.admin.Actor()
		inOptimisation := func(title string) *beheer.Request {
			r := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: title, AreaID: p.hr.ID}))
			for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation} {
				must(st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: to}))
			}
			return r
		}
		tests := []struct {
			name    string
			c       beheer.Closure
			rating  int
			phase   beheer.Phase
			status  beheer.Status
			outcome beheer.RatingOutcome
		}{
			{"default_good_waits_for_the_assignee", beheer.DefaultClosure(), 5, beheer.PhaseOptimisation, beheer.StatusAwaitingAssignee, beheer.RatingWaits},
			{"default_poor_goes_back", beheer.DefaultClosure(), 2, beheer.PhaseOptimisation, beheer.StatusFollowUp, beheer.RatingFollowUp},
			{"good_closes", beheer.Closure{CloseAtRating: 4, PoorRating: 2}, 4, beheer.PhaseClosed, beheer.StatusDone, beheer.RatingCloses},
			{"middle_waits", beheer.Closure{CloseAtRating: 4, PoorRating: 2}, 3, beheer.PhaseOptimisation, beheer.StatusAwaitingAssignee, beheer.RatingWaits},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				noErr(t, st.SetClosure(ctx, admin, tt.c))
				r := inOptimisation(fmt.Sprintf("Beoordeling %d", i))
				got := must(st.Evaluate(ctx, p.requester.Actor(), r.ID, beheer.Evaluation{Rating: tt.rating, Note: "regel 1\r\nregel 2"}))
				if got.Phase != tt.phase || got.Status != tt.status || got.Rating != tt.rating || got.Evaluation != "regel 1\nregel 2" {
					t.Fatalf("after rating %d: %s/%s rating %d %q", tt.rating, got.Phase, got.Status, got.Rating, got.Evaluation)
				}
				evs := eventsOf(t, st, r.ID, store.EventEvaluated)
				if len(evs) != 1 || evs[0].Data["outcome"] != string(tt.outcome) || evs[0].Data["rating"] != fmt.Sprint(tt.rating) {
					t.Errorf("evaluated events %+v", evs)
				}
				closes := 0
				for _, e := range eventsOf(t, st, r.ID, store.EventPhaseChanged) {
					if e.Data["reason"] == store.ClosedAfterRating {
						closes++
					}
				}
				if closes != map[bool]int{true: 1, false: 0}[tt.outcome == beheer.RatingCloses] {
					t.Errorf("%d phase changes closed by the rating", closes)
				}
			})
		}
		// The settings are the functional admin's; a requester is refused.
		if err := st.SetClosure(ctx, p.requester.Actor(), beheer.DefaultClosure()); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("requester sets closure: %v", err)
		}
		if err := st.SetClosure(ctx, admin, beheer.Closure{CloseAtRating: 3, PoorRating: 3}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("poor not below closing accepted: %v", err)
		}
	})
}

// TestClosureSweep: a request that waits in Optimalisatie for its requester
// closes by itself after the working days without a reaction; one that had
// a reaction since does not, and nothing closes while the rule is off.
func TestClosureSweep(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		admin := p.admin.Actor()
		c.set(2026, 3, 2, 10, 0) // Monday
		var quiet, answered *beheer.Request
		for i, into := range []**beheer.Request{&quiet, &answered} {
			r := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: fmt.Sprint("Stil ", i), AreaID: p.hr.ID}))
			for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation} {
				must(st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: to}))
			}
			*into = r
		}
		c.set(2026, 3, 5, 10, 0) // Thursday: the requester reacts on one
		must(st.AddComment(ctx, p.requester.Actor(), answered.ID, beheer.NewComment{Body: "Ik kijk er nog naar."}))
		c.set(2026, 3, 9, 11, 0) // five working days after the first
		res, err := st.SLASweep(ctx)
		noErr(t, err)
		if res.Closed != 0 {
			t.Fatalf("closed %d with the rule off", res.Closed)
		}
		noErr(t, st.SetClosure(ctx, admin, beheer.Closure{CloseAfterDays: 5}))
		res, err = st.SLASweep(ctx)
		noErr(t, err)
		if res.Closed != 1 {
			t.Fatalf("closed %d, want 1", res.Closed)
		}
		if r := req(t, st, admin, quiet.ID); r.Phase != beheer.PhaseClosed {
			t.Errorf("quiet request in %s", r.Phase)
		}
		if r := req(t, st, admin, answered.ID); r.Phase != beheer.PhaseOptimisation {
			t.Errorf("answered request in %s", r.Phase)
		}
		evs := eventsOf(t, st, quiet.ID, store.EventPhaseChanged)
		last := evs[len(evs)-1]
		if last.Data["reason"] != store.ClosedAfterQuiet || last.Data["detail"] != "5" || last.ActorID != 0 {
			t.Errorf("closing event %+v", last)
		}
		audit := must(st.Audit(ctx, admin, quiet.ID))
		if !slices.ContainsFunc(audit, func(e beheer.AuditEntry) bool {
			return e.Action == "request.closed_after" && e.Field == store.ClosedAfterQuiet
		}) {
			t.Errorf("no audit row for closing after a quiet period: %+v", audit)
		}
	})
}

// TestNoPhantomEdit: saving the triage form unchanged, as a browser sends
// a description (with \r\n), changes nothing and writes no audit row.
func TestNoPhantomEdit(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		admin := p.admin.Actor()
		r := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Regels",
			Description: "Eerste regel\r\nTweede regel\r\n\r\nDerde", AreaID: p.hr.ID}))
		if r.Description != "Eerste regel\nTweede regel\n\nDerde" {
			t.Fatalf("stored %q", r.Description)
		}
		form := "Eerste regel\r\nTweede regel\r\n\r\nDerde"
		title := "Regels"
		after := must(st.UpdateRequest(ctx, admin, r.ID, r.Version, beheer.Patch{Title: &title, Description: &form}))
		if after.Version != r.Version {
			t.Errorf("version %d → %d for an unchanged form", r.Version, after.Version)
		}
		for _, e := range must(st.Audit(ctx, admin, r.ID)) {
			if e.Field == "description" {
				t.Errorf("phantom edit in the audit trail: %+v", e)
			}
		}
	})
}

// TestMarkRequestRead: opening a request reads the person's notifications
// about it, not those about other requests nor anyone else's.
func TestMarkRequestRead(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		admin := p.admin.Actor()
		a := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "A", AreaID: p.hr.ID}))
		b := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "B", AreaID: p.hr.ID}))
		for _, r := range []*beheer.Request{a, b} {
			must(st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
		}
		deliverAll(t, st)
		unread := func() int { return must(st.UnreadNotifications(ctx, p.requester.ID)) }
		if unread() != 2 {
			t.Fatalf("%d unread before", unread())
		}
		noErr(t, st.MarkRequestRead(ctx, p.requester.Actor(), a.ID))
		if unread() != 1 {
			t.Errorf("%d unread after opening one", unread())
		}
		noErr(t, st.MarkRequestRead(ctx, p.requester.Actor(), a.ID)) // nothing left: no write, no error
		noErr(t, st.MarkRequestRead(ctx, p.plain.Actor(), b.ID))
		if unread() != 1 {
			t.Errorf("someone else's opening read the requester's notification")
		}
	})
}

// deliverAll turns every event into in-app notifications for everyone
// concerned (requester and assignee), as the notification worker would.
func deliverAll(t *testing.T, st *store.Store) {
	t.Helper()
	for {
		n, err := st.ProcessNotifications(context.Background(), 100, func(string) bool { return true },
			func(f store.EventFacts) ([]store.Delivery, error) {
				if f.Request == nil || f.Event.Kind != store.EventPhaseChanged {
					return nil, nil
				}
				return []store.Delivery{{UserID: f.Request.RequesterID, Kind: store.NotifyPhase}}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// TestWorklists: the home pages' small reads — a count that stops at the
// cap, a key user's decisions, the organisation's language.
func TestWorklists(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		for i := range store.MaxWorklistCount + 5 {
			must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: fmt.Sprint("Vraag ", i), AreaID: p.hr.ID}))
		}
		if n := must(st.CountRequests(ctx, p.admin.Actor(), store.Filter{OpenOnly: true})); n != store.MaxWorklistCount {
			t.Errorf("count %d, want the cap %d", n, store.MaxWorklistCount)
		}
		if n := must(st.CountRequests(ctx, p.keyFin.Actor(), store.Filter{OpenOnly: true})); n != 0 {
			t.Errorf("a key user of Financieel counts %d HR requests", n)
		}
		if n := must(st.CountRequests(ctx, p.requester.Actor(), store.Filter{RequesterID: p.requester.ID, Query: "vraag"})); n != store.MaxWorklistCount {
			t.Errorf("own count %d", n)
		}
		change := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeChange, Title: "Wijziging", AreaID: p.hr.ID}))
		must(st.Transition(ctx, p.admin.Actor(), change.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
		decision := beheer.StatusAwaitingDecision
		must(st.UpdateRequest(ctx, p.admin.Actor(), change.ID, 0, beheer.Patch{Status: &decision}))
		must(st.Decide(ctx, p.keyHR.Actor(), change.ID, beheer.DecisionApproved, "Akkoord"))
		mine := must(st.MyDecisions(ctx, p.keyHR.Actor(), 10))
		if len(mine) != 1 || mine[0].Request.ID != change.ID || mine[0].Decision.Outcome != beheer.DecisionApproved {
			t.Errorf("my decisions %+v", mine)
		}
		if len(must(st.MyDecisions(ctx, p.keyFin.Actor(), 10))) != 0 {
			t.Error("someone else's decisions")
		}
		if got := st.OrganisationLang(ctx); got != "nl" {
			t.Errorf("organisation language %q, want nl by default", got)
		}
		if !store.Searchable("declaratie") || !store.Searchable("2026-0042") || store.Searchable("de het een") || store.Searchable("?!%$") {
			t.Error("searchable")
		}
	})
}

// TestTaskList: a technical admin's tasks and the team's, late ones only,
// in order of their request's deadline, a page at a time — the same with
// a handful of tasks and with more than the list sorts itself.
func TestTaskList(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := slaOrg(t, st)
		admin := p.admin.Actor()
		tech := must(st.CreateUser(ctx, store.System, beheer.NewUser{Email: "tom@voorbeeld.nl", Name: "Tom",
			Roles: []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin, AreaID: p.hr.ID}}}, ""))
		c.set(2026, 3, 2, 9, 0)
		urgent, low := beheer.PriorityUrgent, beheer.PriorityLow
		mk := func(title string, prio *beheer.Priority, area int64) *beheer.Request {
			r := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeTechnical, Title: title, AreaID: area}))
			must(st.UpdateRequest(ctx, admin, r.ID, 0, beheer.Patch{Priority: prio}))
			must(st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
			return r
		}
		hurry := mk("Spoed", &urgent, p.hr.ID)
		calm := mk("Rustig", &low, p.hr.ID)
		other := mk("Financieel", &urgent, p.fin.ID)
		must(st.CreateTask(ctx, admin, calm.ID, beheer.NewTask{Title: "Rustige taak", AssigneeID: tech.ID}))
		must(st.CreateTask(ctx, admin, hurry.ID, beheer.NewTask{Title: "Spoedtaak"}))
		must(st.CreateTask(ctx, admin, other.ID, beheer.NewTask{Title: "Andermans gebied"}))
		c.set(2026, 3, 3, 14, 0) // the urgent ones are late
		_, err := st.SLASweep(ctx)
		noErr(t, err)
		titles := func(f store.TaskFilter) []string {
			items, _ := must2(st.TaskList(ctx, tech.Actor(), f))
			var out []string
			for _, it := range items {
				out = append(out, it.Task.Title)
			}
			return out
		}
		if got := titles(store.TaskFilter{}); !slices.Equal(got, []string{"Spoedtaak", "Rustige taak"}) {
			t.Errorf("by deadline: %q", got)
		}
		if got := titles(store.TaskFilter{Who: store.TaskMine}); !slices.Equal(got, []string{"Rustige taak"}) {
			t.Errorf("mine: %q", got)
		}
		if got := titles(store.TaskFilter{Who: store.TaskTeam, Late: true}); !slices.Equal(got, []string{"Spoedtaak"}) {
			t.Errorf("the team's, late: %q", got)
		}
		if got := titles(store.TaskFilter{Sort: "newest"}); !slices.Equal(got, []string{"Spoedtaak", "Rustige taak"}) {
			t.Errorf("newest: %q", got)
		}
		if _, _, err := st.TaskList(ctx, tech.Actor(), store.TaskFilter{Sort: "alfabet"}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("unknown sort: %v", err)
		}
		// Many tasks: the list walks the requests by deadline instead.
		for i := range 310 {
			must(st.CreateTask(ctx, admin, calm.ID, beheer.NewTask{Title: fmt.Sprintf("Veel %03d", i), AssigneeID: tech.ID}))
		}
		items, more := must2(st.TaskList(ctx, tech.Actor(), store.TaskFilter{Limit: 2}))
		if len(items) != 2 || !more || items[0].Task.Title != "Spoedtaak" || !strings.HasPrefix(items[1].Task.Title, "R") && !strings.HasPrefix(items[1].Task.Title, "Veel") {
			t.Errorf("first page of many: %+v more %v", items, more)
		}
		second, _ := must2(st.TaskList(ctx, tech.Actor(), store.TaskFilter{Limit: 2, Offset: 2}))
		if len(second) != 2 || second[0].Task.ID == items[1].Task.ID {
			t.Errorf("second page of many: %+v", second)
		}
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// req reads one request as actor.
func req(t *testing.T, st *store.Store, actor *beheer.Actor, id int64) *beheer.Request {
	t.Helper()
	r, _, err := st.Request(context.Background(), actor, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
