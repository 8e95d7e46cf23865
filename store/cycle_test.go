package store_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// cycleRequest files a request of type typ in HR as the user and moves it
// through the given phases as the admin (a change request is approved by
// the HR key user on its way to Uitvoering).
func cycleRequest(t *testing.T, st *store.Store, p kbPeople, typ beheer.Type, phases ...beheer.Phase) *beheer.Request {
	t.Helper()
	ctx := context.Background()
	r, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: typ, Title: "Declaratieworkflow aanpassen", AreaID: p.hr})
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range phases {
		if ph == beheer.PhaseExecution && typ == beheer.TypeChange {
			if _, err := st.Decide(ctx, p.hrKey, r.ID, beheer.DecisionApproved, "Akkoord, past in het beleid"); err != nil {
				t.Fatal(err)
			}
		}
		if ph == beheer.PhaseOptimisation && typ == beheer.TypeChange {
			recordPassed(t, st, p.admin, r.ID)
		}
		if r, err = st.Transition(ctx, p.admin, r.ID, 0, beheer.Transition{To: ph}); err != nil {
			t.Fatalf("to %s: %v", ph, err)
		}
	}
	return r
}

// recordPassed records a passed Accept test of today.
func recordPassed(t *testing.T, st *store.Store, a *beheer.Actor, id int64) {
	t.Helper()
	if _, err := st.RecordChangeTest(context.Background(), a, id, beheer.ChangeTestInput{TestedOn: st.Today(),
		Result: beheer.ChangeTestPassed}); err != nil {
		t.Fatal(err)
	}
}

func requestStatus(t *testing.T, st *store.Store, a *beheer.Actor, id int64) beheer.Status {
	t.Helper()
	r, _, err := st.Request(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	return r.Status
}

// TestEscalationHoldsTheClock: a request escalated to Consultancy keeps
// waiting on the channel when it moves to Uitvoering and to Optimalisatie,
// when its requester answers and when its task is done; the status history
// (which the service-level clock reads) never shows it waiting on the
// assignee meanwhile; closing the last escalation gives it the status its
// phase calls for.
func TestEscalationHoldsTheClock(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		r := cycleRequest(t, st, p, beheer.TypeWish, beheer.PhaseInvestigation)
		first, err := st.Escalate(ctx, p.admin, r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy, Reference: "CON-1"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := st.Escalate(ctx, p.admin, r.ID, beheer.NewEscalation{Channel: beheer.ChannelServiceManagement})
		if err != nil {
			t.Fatal(err)
		}
		moved, err := st.Transition(ctx, p.admin, r.ID, 0, beheer.Transition{To: beheer.PhaseExecution})
		if err != nil || moved.Status != beheer.StatusAwaitingChannel {
			t.Fatalf("moved to Uitvoering with open escalations: %v %v", moved.Status, err)
		}
		status := beheer.StatusAwaitingAssignee
		if _, err := st.UpdateRequest(ctx, p.admin, r.ID, 0, beheer.Patch{Status: &status}); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("back to the assignee by hand while the channel has it: %v", err)
		}
		if _, err := st.AskRequester(ctx, p.admin, r.ID, 0, "Welke declaraties gaat het om?"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddComment(ctx, p.user, r.ID, beheer.NewComment{Body: "Alle reiskosten."}); err != nil {
			t.Fatal(err)
		}
		if got := requestStatus(t, st, p.admin, r.ID); got != beheer.StatusAwaitingChannel {
			t.Fatalf("after the requester's answer: %s", got)
		}
		if _, err := st.CloseEscalation(ctx, p.admin, first.ID, "Advies ontvangen"); err != nil {
			t.Fatal(err)
		}
		if got := requestStatus(t, st, p.admin, r.ID); got != beheer.StatusAwaitingChannel {
			t.Fatalf("one of two escalations closed: %s", got)
		}
		if moved, err = st.Transition(ctx, p.admin, r.ID, 0, beheer.Transition{To: beheer.PhaseOptimisation}); err != nil ||
			moved.Status != beheer.StatusAwaitingChannel {
			t.Fatalf("moved to Optimalisatie: %v %v", moved, err)
		}
		if _, err := st.CloseEscalation(ctx, p.admin, second.ID, "Ingericht"); err != nil {
			t.Fatal(err)
		}
		if got := requestStatus(t, st, p.admin, r.ID); got != beheer.StatusAwaitingRequester {
			t.Fatalf("the last escalation closed in Optimalisatie: %s, want awaiting_requester", got)
		}
		history, err := st.StatusHistory(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		held := false
		for _, h := range history {
			if h.Status == beheer.StatusAwaitingChannel {
				held = true
			}
			if held && h.Status == beheer.StatusAwaitingAssignee {
				t.Fatalf("the clock ran while an escalation was open: %+v", history)
			}
			if h.Status == beheer.StatusAwaitingRequester && h.Phase == beheer.PhaseOptimisation {
				held = false
			}
		}
	})
}

// TestAcceptTestPerChange: a change request leaves Uitvoering only with a
// passed test on AFAS Accept; a record without a result, or a failed one
// without notes, is refused and stores nothing; the evidence becomes an
// attachment; a wish needs the test only once the organisation says so.
func TestAcceptTestPerChange(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		r := cycleRequest(t, st, p, beheer.TypeChange, beheer.PhaseInvestigation, beheer.PhaseExecution)
		optimise := beheer.Transition{To: beheer.PhaseOptimisation}
		if _, err := st.Transition(ctx, p.admin, r.ID, 0, optimise); resultKey(err) != "transition.needs_change_test" {
			t.Fatalf("untested change to Optimalisatie: %v", err)
		}
		today := st.Today()
		if _, err := st.RecordChangeTest(ctx, p.admin, r.ID, beheer.ChangeTestInput{TestedOn: today}); !hasField(err, "result") {
			t.Fatalf("a record without result: %v", err)
		}
		if _, err := st.RecordChangeTest(ctx, p.admin, r.ID, beheer.ChangeTestInput{TestedOn: today, Result: beheer.ChangeTestFailed,
			Evidence: &beheer.Upload{Name: "scherm.txt", Data: []byte("fout\n")}}); !hasField(err, "notes") {
			t.Fatalf("a failed test without notes: %v", err)
		}
		if _, err := st.RecordChangeTest(ctx, p.user, r.ID, beheer.ChangeTestInput{TestedOn: today, Result: beheer.ChangeTestPassed}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("the requester records the test: %v", err)
		}
		if tests, _ := st.ChangeTests(ctx, p.admin, r.ID); len(tests) != 0 {
			t.Fatalf("refused records were stored: %+v", tests)
		}
		if atts, _ := st.Attachments(ctx, p.admin, r.ID); len(atts) != 0 {
			t.Fatalf("a refused record's evidence was stored: %+v", atts)
		}
		if _, err := st.RecordChangeTest(ctx, p.admin, r.ID, beheer.ChangeTestInput{TestedOn: today, Result: beheer.ChangeTestFailed,
			Notes: "Workflow stuurt de declaratie naar de verkeerde manager"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, p.admin, r.ID, 0, optimise); resultKey(err) != "transition.change_test_failed" {
			t.Fatalf("a failed test to Optimalisatie: %v", err)
		}
		passed, err := st.RecordChangeTest(ctx, p.admin, r.ID, beheer.ChangeTestInput{TesterID: p.hrKey.UserID, TestedOn: today,
			Result: beheer.ChangeTestPassed, Notes: "Getest met drie declaraties", ProductionOn: today.AddDate(0, 0, 2),
			Evidence: &beheer.Upload{Name: "testverslag.txt", Data: []byte("drie declaraties goed\n")}})
		if err != nil || passed.TesterID != p.hrKey.UserID || passed.AttachmentName != "testverslag.txt" || !passed.ProductionOn.Equal(today.AddDate(0, 0, 2)) {
			t.Fatalf("passed test: %+v %v", passed, err)
		}
		if moved, err := st.Transition(ctx, p.admin, r.ID, 0, optimise); err != nil || moved.Phase != beheer.PhaseOptimisation {
			t.Fatalf("tested change to Optimalisatie: %v", err)
		}
		wish := cycleRequest(t, st, p, beheer.TypeWish, beheer.PhaseInvestigation, beheer.PhaseExecution)
		if _, err := st.Transition(ctx, p.admin, wish.ID, 0, optimise); err != nil {
			t.Fatalf("a wish, by default without the test: %v", err)
		}
		policy := beheer.DefaultPolicy()
		policy.ChangeTestTypes = []beheer.Type{beheer.TypeChange, beheer.TypeWish}
		if err := st.SetPolicy(ctx, p.admin, policy); err != nil {
			t.Fatal(err)
		}
		wish = cycleRequest(t, st, p, beheer.TypeWish, beheer.PhaseInvestigation, beheer.PhaseExecution)
		if _, err := st.Transition(ctx, p.admin, wish.ID, 0, optimise); resultKey(err) != "transition.needs_change_test" {
			t.Fatalf("a wish once the organisation marks wishes: %v", err)
		}
	})
}

func resultKey(err error) string {
	var e *beheer.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Key
}

// TestReleaseGate: sign-off is refused with a failed item and with an
// untriaged finding; an exception needs a motivation and is kept with
// what it covered; a release falls in the plan's test window and a
// once-only window is done when both sides signed off.
func TestReleaseGate(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		template, err := st.CheckTemplates(ctx, p.admin)
		if err != nil || len(template) != 10 {
			t.Fatalf("the default checklist: %d items, %v", len(template), err)
		}
		if _, err := st.CreatePlan(ctx, p.admin, 2026, nil); err != nil {
			t.Fatal(err)
		}
		window, err := st.CreateActivity(ctx, p.admin, 2026, beheer.ActivityInput{Kind: beheer.KindReleaseTest, Title: "Testvenster Profit 7",
			StartsOn: day(2026, 5, 4), EndsOn: day(2026, 5, 8)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateRelease(ctx, p.admin, beheer.ReleaseInput{Name: "Profit 7", AcceptanceOn: day(2026, 6, 1),
			ActivityID: window.ID}, false); !hasField(err, "activity") {
			t.Fatalf("a release outside its window: %v", err)
		}
		rel, err := st.CreateRelease(ctx, p.admin, beheer.ReleaseInput{Name: "Profit 7", AcceptanceOn: day(2026, 5, 5)}, true)
		if err != nil || rel.ActivityID != window.ID || len(rel.Checks) != 10 {
			t.Fatalf("release: window %d, %d checks, %v", rel.ActivityID, len(rel.Checks), err)
		}
		for _, c := range rel.Checks {
			who, res := p.admin, beheer.CheckPassed
			if c.Kind == beheer.CheckTechnical {
				who = p.tech
			}
			if c.Title == rel.ChecksOf(beheer.CheckFunctional)[0].Title {
				res = beheer.CheckFailed
			}
			note := ""
			if res == beheer.CheckFailed {
				note = "Verlofaanvraag loopt vast in de workflow"
			}
			if _, err := st.RecordCheck(ctx, who, c.ID, res, note, nil); err != nil {
				t.Fatal(err)
			}
		}
		finding, err := st.AddFinding(ctx, p.tech, rel.ID, rel.ChecksOf(beheer.CheckTechnical)[0].ID,
			beheer.NewRequest{Title: "Connector geeft time-out", AreaID: p.hr})
		if err != nil {
			t.Fatal(err)
		}
		functional := beheer.SignOffInput{Kind: beheer.CheckFunctional, Note: "Getest"}
		if _, err := st.SignOffRelease(ctx, p.admin, rel.ID, functional); resultKey(err) != "release.gate" {
			t.Fatalf("sign-off with a failed item: %v", err)
		}
		functional.Exception = true
		if _, err := st.SignOffRelease(ctx, p.admin, rel.ID, functional); !hasField(err, "motivation") {
			t.Fatalf("an exception without motivation: %v", err)
		}
		if r, _ := st.Release(ctx, p.admin, rel.ID); len(r.SignOffs) != 0 {
			t.Fatalf("a refused sign-off was stored: %+v", r.SignOffs)
		}
		functional.Motivation = "Workaround staat in het nieuwsbericht; AFAS lost het op in de volgende update"
		got, err := st.SignOffRelease(ctx, p.admin, rel.ID, functional)
		if err != nil {
			t.Fatal(err)
		}
		if g := got.SignOff(beheer.CheckFunctional); g == nil || g.Exception != functional.Motivation || g.Excepted.Failed != 1 {
			t.Fatalf("the exception: %+v", g)
		}
		technical := beheer.SignOffInput{Kind: beheer.CheckTechnical}
		if _, err := st.SignOffRelease(ctx, p.tech, rel.ID, technical); resultKey(err) != "release.gate" {
			t.Fatalf("sign-off with an untriaged finding: %v", err)
		}
		if _, err := st.Transition(ctx, p.admin, finding.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		if got, err = st.SignOffRelease(ctx, p.tech, rel.ID, technical); err != nil || len(got.Exceptions()) != 1 {
			t.Fatalf("the technical side once the finding is triaged: %v", err)
		}
		if a, _ := st.Activity(ctx, p.admin, window.ID); a.Status != beheer.ActivityDone {
			t.Errorf("the test window after both sign-offs: %s", a.Status)
		}
	})
}

// TestLinksAndFollowUps: links have a fixed kind and read the other way
// round from the other side; a follow-up request and plan input start
// from a request being evaluated; the key user of the area evaluates.
func TestLinksAndFollowUps(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		done := cycleRequest(t, st, p, beheer.TypeChange, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation)
		other := cycleRequest(t, st, p, beheer.TypeQuestion)
		if err := st.Link(ctx, p.admin, other.ID, done.ID, "whatever-i-type"); !hasField(err, "kind") {
			t.Fatalf("a free-text kind: %v", err)
		}
		if err := st.Link(ctx, p.admin, other.ID, done.ID, beheer.LinkCausedBy); err != nil {
			t.Fatal(err)
		}
		links, err := st.Links(ctx, p.admin, done.ID)
		if err != nil || len(links) != 1 || links[0].Outward || links[0].Label() != "link.inverse.caused_by" {
			t.Fatalf("links seen from the cause: %+v %v", links, err)
		}

		if _, err := st.EvaluateOutcome(ctx, p.admin, done.ID, beheer.OwnerEvaluationInput{GoalMet: beheer.GoalMetYes}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a functional admin evaluates where the area has a key user: %v", err)
		}
		if _, err := st.EvaluateOutcome(ctx, p.hrKey, done.ID, beheer.OwnerEvaluationInput{GoalMet: beheer.GoalMetPartly}); !hasField(err, "notes") {
			t.Fatalf("partly without notes: %v", err)
		}
		ev, err := st.EvaluateOutcome(ctx, p.hrKey, done.ID, beheer.OwnerEvaluationInput{GoalMet: beheer.GoalMetPartly,
			Notes: "Declaraties lopen goed; het overzicht per afdeling ontbreekt nog"})
		if err != nil || ev.GoalMet != beheer.GoalMetPartly || ev.EvaluatorID != p.hrKey.UserID {
			t.Fatalf("evaluation: %+v %v", ev, err)
		}

		follow, err := st.CreateRequest(ctx, p.hrKey, beheer.NewRequest{Type: beheer.TypeWish, Title: "Overzicht declaraties per afdeling",
			AreaID: p.hr, FollowsFrom: done.ID})
		if err != nil {
			t.Fatal(err)
		}
		links, _ = st.Links(ctx, p.hrKey, follow.ID)
		if len(links) != 1 || links[0].ID != done.ID || links[0].Kind != beheer.LinkFollowsFrom || !links[0].Outward {
			t.Fatalf("the follow-up's link: %+v", links)
		}
		if _, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeWish, Title: "Vervolg", FollowsFrom: other.ID}); resultKey(err) != "followup.wrong_phase" {
			t.Fatalf("a follow-up of a request in Aanvraag: %v", err)
		}

		if _, err := st.CreatePlan(ctx, p.admin, st.Today().Year(), nil); err != nil {
			t.Fatal(err)
		}
		in, err := st.AddPlanInput(ctx, p.hrKey, st.Today().Year(), beheer.InputInput{AreaID: p.hr, Title: "Rapportage declaraties",
			SourceRequestID: done.ID})
		if err != nil || in.SourceRequestID != done.ID || in.SourceRequestNumber != done.Number {
			t.Fatalf("plan input from the evaluation: %+v %v", in, err)
		}
	})
}

// TestCycleMigration: links of kinds outside the list become "relates
// to"; the default checklist is seeded where the checklist was empty and
// left alone where it was not.
func TestCycleMigration(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			for _, kept := range []bool{false, true} {
				dsn, driver, p := oldSchema(t, engine, 160)
				ids := oldRequests(t, driver, dsn, p.user.UserID, p.hr, "Een", "Twee", "Drie")
				a, b, c := ids[0], ids[1], ids[2]
				db, err := sql.Open(driver, dsn)
				if err != nil {
					t.Fatal(err)
				}
				for _, link := range []struct {
					from, to int64
					kind     string
				}{{a, b, "related"}, {a, c, "whatever-i-type"}, {b, c, "duplicates"}} {
					if _, err := db.Exec(`INSERT INTO request_links (request_id, other_id, kind, created_at) VALUES ($1, $2, $3, 0)`,
						link.from, link.to, link.kind); err != nil {
						t.Fatal(err)
					}
				}
				if kept {
					if _, err := db.Exec(`INSERT INTO release_check_templates (kind, title, created_at) VALUES ('functional', 'Eigen punt', 0)`); err != nil {
						t.Fatal(err)
					}
				}
				db.Close()
				st := storetest.Open(t, dsn, storetest.Options{})
				links, err := st.Links(ctx, p.admin, a)
				if err != nil || len(links) != 2 || links[0].Kind != beheer.LinkRelatesTo || links[1].Kind != beheer.LinkRelatesTo {
					t.Errorf("old links: %+v %v", links, err)
				}
				if links, _ := st.Links(ctx, p.admin, b); !slices.ContainsFunc(links, func(l store.LinkedRequest) bool { return l.Kind == beheer.LinkDuplicates }) {
					t.Errorf("a link of a known kind changed: %+v", links)
				}
				items, _ := st.CheckTemplates(ctx, p.admin)
				if want := map[bool]int{false: 10, true: 1}[kept]; len(items) != want {
					t.Errorf("checklist kept=%v: %d items, want %d", kept, len(items), want)
				}
			}
		})
	}
}

// TestOutages: admins post a notice; a user's report filed as part of it
// is collected under it; closing it with a summary tells the report's
// requester; afterwards nothing more joins it; the availability record
// counts it.
func TestOutages(t *testing.T) {
	now := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	storetest.Engines(t, storetest.Options{Now: func() time.Time { return now }}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		in := beheer.OutageInput{Title: "InSite niet bereikbaar", Severity: beheer.SeverityMajor, StartedAt: now.Add(-2 * time.Hour)}
		if _, err := st.CreateOutage(ctx, p.user, in); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a user posts an outage: %v", err)
		}
		if _, err := st.CreateOutage(ctx, p.tech, beheer.OutageInput{Title: "x", Severity: "total", StartedAt: now}); !hasField(err, "severity") {
			t.Fatalf("an unknown severity: %v", err)
		}
		o, err := st.CreateOutage(ctx, p.tech, in)
		if err != nil {
			t.Fatal(err)
		}
		if open, _ := st.OpenOutages(ctx); len(open) != 1 || open[0].ID != o.ID {
			t.Fatalf("the banner: %+v", open)
		}
		report, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeIncident, Title: "Ik kan niet inloggen op InSite",
			OutageID: o.ID})
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := st.OutageRequests(ctx, p.admin, o.ID); len(list) != 1 || list[0].ID != report.ID {
			t.Fatalf("requests under the outage: %+v", list)
		}
		if c, err := st.RequestCycle(ctx, p.user, report.ID, store.CycleParts{}); err != nil || len(c.Outages) != 1 {
			t.Fatalf("the outage of the report: %+v %v", c, err)
		}
		if _, err := st.CloseOutage(ctx, p.admin, o.ID, o.Version, time.Time{}, " "); !hasField(err, "summary") {
			t.Fatalf("closing without a summary: %v", err)
		}
		closed, err := st.CloseOutage(ctx, p.admin, o.ID, o.Version, time.Time{}, "Het certificaat van de identity provider is vernieuwd.")
		if err != nil || closed.Open() {
			t.Fatalf("close: %+v %v", closed, err)
		}
		if open, _ := st.OpenOutages(ctx); len(open) != 0 {
			t.Fatalf("the banner after closing: %+v", open)
		}
		comments, _ := st.Comments(ctx, p.user, report.ID)
		if len(comments) == 0 || comments[len(comments)-1].Body != closed.Summary {
			t.Errorf("the requester did not hear the summary: %+v", comments)
		}
		if _, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeIncident, Title: "Nog steeds", OutageID: o.ID}); resultKey(err) != "outage.closed_report" {
			t.Fatalf("a report on a closed outage: %v", err)
		}
		months, err := st.Availability(ctx, p.manager, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), now)
		if err != nil || len(months) != 2 || months[1].Outages != 1 || months[1].Duration != 2*time.Hour {
			t.Fatalf("availability: %+v %v", months, err)
		}
		if _, err := st.Availability(ctx, p.user, now.AddDate(-1, 0, 0), now); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a user reads the availability record: %v", err)
		}
	})
}

// TestTimeRegistration: own hours on a request or task, never zero,
// negative or more than 24 hours a day for one person; vendor hours on an
// open escalation only; consultancy hours against the plan's budget; the
// report per month, area and channel.
func TestTimeRegistration(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		r := cycleRequest(t, st, p, beheer.TypeWish, beheer.PhaseInvestigation)
		today := st.Today()
		for _, hours := range []string{"0", "-1", "25"} {
			if _, err := st.RecordTime(ctx, p.admin, r.ID, beheer.TimeEntryInput{WorkedOn: today, Hours: hours}); !hasField(err, "hours") {
				t.Fatalf("%s hours: %v", hours, err)
			}
		}
		if _, err := st.RecordTime(ctx, p.admin, r.ID, beheer.TimeEntryInput{WorkedOn: today, Hours: "20"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordTime(ctx, p.admin, r.ID, beheer.TimeEntryInput{WorkedOn: today, Hours: "4:30"}); !hasField(err, "hours") {
			t.Fatalf("24.5 hours in a day: %v", err)
		}
		if _, err := st.RecordTime(ctx, p.user, r.ID, beheer.TimeEntryInput{WorkedOn: today, Hours: "1"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("the requester registers hours: %v", err)
		}
		esc, err := st.Escalate(ctx, p.admin, r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy, Reference: "CON-88"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordTime(ctx, p.admin, r.ID, beheer.TimeEntryInput{EscalationID: esc.ID, WorkedOn: today, Hours: "6",
			VendorReference: "Factuur 2026-114"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreatePlan(ctx, p.admin, today.Year(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetConsultancyBudget(ctx, p.admin, today.Year(), -5); !hasField(err, "consultancy_budget_hours") {
			t.Fatalf("a negative budget: %v", err)
		}
		if _, err := st.SetConsultancyBudget(ctx, p.admin, today.Year(), 96); err != nil {
			t.Fatal(err)
		}
		use, err := st.ConsultancyUse(ctx, p.admin, today.Year())
		if err != nil || use.BudgetHours != 96 || use.UsedMinutes != 360 {
			t.Fatalf("consultancy use: %+v %v", use, err)
		}
		if _, err := st.CloseEscalation(ctx, p.admin, esc.ID, "Ingericht"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordTime(ctx, p.admin, r.ID, beheer.TimeEntryInput{EscalationID: esc.ID, WorkedOn: today, Hours: "1"}); !hasField(err, "escalation") {
			t.Fatalf("vendor hours on a closed escalation: %v", err)
		}
		entries, err := st.TimeEntries(ctx, p.admin, r.ID)
		if err != nil || len(entries) != 2 {
			t.Fatalf("entries: %+v %v", entries, err)
		}
		if mine, _ := st.TimeEntries(ctx, p.user, r.ID); len(mine) != 0 {
			t.Errorf("the requester sees the team's hours: %+v", mine)
		}
		for who, want := range map[*beheer.Actor]int{p.user: 0, p.hrKey: 2, p.admin: 2} {
			if c, err := st.RequestCycle(ctx, who, r.ID, store.CycleParts{Time: true}); err != nil || len(c.Time) != want {
				t.Errorf("%s: hours on the request page: %v %v, want %d", who.Email, c, err, want)
			}
		}
		year := beheer.TimeFilter{From: day(today.Year(), 1, 1), To: day(today.Year()+1, 1, 1)}
		rows, err := st.TimeReport(ctx, p.manager, year)
		if err != nil || len(rows) != 2 {
			t.Fatalf("report: %+v %v", rows, err)
		}
		byChannel := map[beheer.Channel]int{}
		for _, row := range rows {
			if row.AreaID != p.hr || row.Month.Month() != today.Month() {
				t.Errorf("row %+v", row)
			}
			byChannel[row.Channel] += row.Minutes
		}
		if byChannel[""] != 1200 || byChannel[beheer.ChannelConsultancy] != 360 {
			t.Errorf("minutes per channel: %v", byChannel)
		}
		if rows, _ := st.TimeReport(ctx, p.finKey, year); len(rows) != 0 {
			t.Errorf("a key user of Financieel sees HR's hours: %+v", rows)
		}
	})
}
