package store_test

import (
	"context"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func planTemplate(year int) []beheer.ActivityInput {
	return beheer.TemplateActivities(year, func(k beheer.ActivityKind) (string, string) { return "Sjabloon " + string(k), "" })
}

func TestPlan(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)

		if _, err := st.CreatePlan(ctx, p.hrKey, 2026, nil); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a key user starts a plan: %v", err)
		}
		plan, err := st.CreatePlan(ctx, p.admin, 2026, planTemplate(2026))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreatePlan(ctx, p.manager, 2026, nil); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("a second plan for 2026: %v", err)
		}
		view, err := st.Plan(ctx, p.user, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if view.Plan.ID != plan.ID || len(view.Activities) != len(beheer.PlanTemplate) {
			t.Fatalf("plan from template has %d activities, want %d", len(view.Activities), len(beheer.PlanTemplate))
		}

		t.Run("an objective without a target is refused and nothing is saved", func(t *testing.T) {
			_, err := st.CreateObjective(ctx, p.manager, 2026, beheer.ObjectiveInput{Title: "Minder handwerk"})
			if !hasField(err, "target") {
				t.Fatalf("got %v, want a message on target", err)
			}
			if _, err := st.CreateObjective(ctx, p.admin, 2026, beheer.ObjectiveInput{Title: "X", Target: "Y"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a functional admin sets an objective: %v", err)
			}
			v, _ := st.Plan(ctx, p.user, 2026)
			if len(v.Objectives) != 0 {
				t.Fatalf("objectives after refusals: %d", len(v.Objectives))
			}
		})

		t.Run("an activity outside the plan's year is refused", func(t *testing.T) {
			for _, in := range []beheer.ActivityInput{
				{Title: "Te vroeg", StartsOn: day(2025, 12, 31)},
				{Title: "Loopt door", StartsOn: day(2026, 12, 30), EndsOn: day(2027, 1, 2)},
				{Title: "Omgekeerd", StartsOn: day(2026, 3, 3), EndsOn: day(2026, 3, 1)},
			} {
				if _, err := st.CreateActivity(ctx, p.admin, 2026, in); beheer.ErrorCode(err) != beheer.CodeInvalid {
					t.Errorf("%s: got %v, want invalid", in.Title, err)
				}
			}
			v, _ := st.Plan(ctx, p.user, 2026)
			if len(v.Activities) != len(beheer.PlanTemplate) {
				t.Errorf("activities after refusals: %d", len(v.Activities))
			}
		})

		t.Run("progress follows the linked work", func(t *testing.T) {
			o, err := st.CreateObjective(ctx, p.manager, 2026, beheer.ObjectiveInput{Title: "Declaraties digitaal",
				Target: "90% van de declaraties via InSite", OwnerID: p.admin.UserID})
			if err != nil {
				t.Fatal(err)
			}
			r, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Declaratieproces", AreaID: p.hr})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.LinkObjectiveRequest(ctx, p.hrKey, o.ID, r.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a key user links: %v", err)
			}
			if err := st.LinkObjectiveRequest(ctx, p.admin, o.ID, r.ID); err != nil {
				t.Fatal(err)
			}
			if err := st.LinkObjectiveRequest(ctx, p.admin, o.ID, r.ID); err != nil {
				t.Fatalf("linking twice: %v", err)
			}
			act, err := st.CreateActivity(ctx, p.admin, 2026, beheer.ActivityInput{Title: "Workshop declaraties",
				StartsOn: day(2026, 4, 1), ObjectiveID: o.ID, Kind: beheer.KindTraining})
			if err != nil {
				t.Fatal(err)
			}
			o, _ = st.Objective(ctx, p.user, o.ID)
			if want := (beheer.ObjectiveProgress{RequestsOpen: 1, ActivitiesPlanned: 1}); o.Progress != want {
				t.Fatalf("progress %+v, want %+v", o.Progress, want)
			}
			for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation, beheer.PhaseClosed} {
				if _, err := st.Transition(ctx, p.admin, r.ID, 0, beheer.Transition{To: to}); err != nil {
					t.Fatal(to, err)
				}
			}
			in := beheer.ActivityInput{Title: act.Title, StartsOn: act.StartsOn, ObjectiveID: o.ID, Kind: act.Kind, Status: beheer.ActivityDone,
				Outcome: "Twintig mensen getraind"}
			if _, err := st.UpdateActivity(ctx, p.admin, act.ID, in); err != nil {
				t.Fatal(err)
			}
			o, _ = st.Objective(ctx, p.user, o.ID)
			if want := (beheer.ObjectiveProgress{RequestsDone: 1, ActivitiesDone: 1, ActivitiesPlanned: 1}); o.Progress != want || o.Progress.Percent() != 100 {
				t.Fatalf("progress %+v (%d%%), want %+v", o.Progress, o.Progress.Percent(), want)
			}
			linked, err := st.ObjectiveRequests(ctx, p.finKey, o.ID)
			if err != nil || len(linked) != 0 {
				t.Errorf("a key user of another area sees linked requests %v %v", linked, err)
			}
		})

		t.Run("management approves once", func(t *testing.T) {
			if _, err := st.ApprovePlan(ctx, p.admin, 2026); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a functional admin approves: %v", err)
			}
			pl, err := st.ApprovePlan(ctx, p.manager, 2026)
			if err != nil || pl.Status != beheer.PlanApproved || pl.ApprovedBy != p.manager.UserID {
				t.Fatalf("approve: %+v %v", pl, err)
			}
			if _, err := st.ApprovePlan(ctx, p.manager, 2026); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("approving twice: %v", err)
			}
		})

		t.Run("inputs become requests", func(t *testing.T) {
			if _, err := st.AddPlanInput(ctx, p.user, 2026, beheer.InputInput{Title: "Iets"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a user gives input: %v", err)
			}
			if _, err := st.AddPlanInput(ctx, p.hrKey, 2026, beheer.InputInput{Title: "Iets", AreaID: p.fin}); !hasField(err, "area") {
				t.Fatalf("a key user gives input for another area: %v", err)
			}
			in, err := st.AddPlanInput(ctx, p.hrKey, 2026, beheer.InputInput{Title: "Verlof digitaal aanvragen", AreaID: p.hr, Priority: beheer.PriorityHigh})
			if err != nil {
				t.Fatal(err)
			}
			r, err := st.InputToRequest(ctx, p.admin, in.ID)
			if err != nil || r.Type != beheer.TypeWish || r.AreaID != p.hr {
				t.Fatalf("input to request: %+v %v", r, err)
			}
			if _, err := st.InputToRequest(ctx, p.admin, in.ID); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("converting twice: %v", err)
			}
			got, _ := st.PlanInput(ctx, p.user, in.ID)
			if got.Status != beheer.InputRequest || got.RequestNumber != r.Number {
				t.Errorf("input after conversion: %+v", got)
			}
		})

		t.Run("consultancy agenda", func(t *testing.T) {
			var day1 *beheer.Activity
			v, _ := st.Plan(ctx, p.user, 2026)
			for _, a := range v.Activities {
				if a.Kind == beheer.KindConsultancyDay {
					day1 = a
				}
			}
			r, _ := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeChange, Title: "Werving & selectie inrichten", AreaID: p.hr})
			if _, err := st.Transition(ctx, p.admin, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Escalate(ctx, p.admin, r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy}); err != nil {
				t.Fatal(err)
			}
			held := day1.Occurrences()[2].Start
			ag, err := st.ConsultancyAgenda(ctx, p.admin, day1.ID, held)
			if err != nil || len(ag.Items) != 1 || ag.Items[0].Request.ID != r.ID {
				t.Fatalf("agenda %+v %v", ag, err)
			}
			if err := st.RecordConsultancyOutcome(ctx, p.admin, day1.ID, r.ID, held.AddDate(0, 0, 1), "x"); !hasField(err, "held_on") {
				t.Fatalf("an outcome on a day without consultancy: %v", err)
			}
			if err := st.RecordConsultancyOutcome(ctx, p.admin, day1.ID, r.ID, held, "Functioneel ontwerp gemaakt"); err != nil {
				t.Fatal(err)
			}
			ag, _ = st.ConsultancyAgenda(ctx, p.admin, day1.ID, held)
			if ag.Items[0].Outcome != "Functioneel ontwerp gemaakt" {
				t.Errorf("outcome %q", ag.Items[0].Outcome)
			}
			if _, err := st.ConsultancyAgenda(ctx, p.hrKey, day1.ID, held); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("a key user reads the agenda: %v", err)
			}
		})

		t.Run("feed token", func(t *testing.T) {
			if _, err := st.RotatePlanFeed(ctx, p.manager, 2026); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("management makes a feed: %v", err)
			}
			tok, err := st.RotatePlanFeed(ctx, p.admin, 2026)
			if err != nil {
				t.Fatal(err)
			}
			if _, acts, err := st.PlanFeed(ctx, 2026, tok); err != nil || len(acts) == 0 {
				t.Fatalf("feed: %v", err)
			}
			if _, _, err := st.PlanFeed(ctx, 2027, tok); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Errorf("the token opens another year: %v", err)
			}
			tok2, _ := st.RotatePlanFeed(ctx, p.admin, 2026)
			if _, _, err := st.PlanFeed(ctx, 2026, tok); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Errorf("a rotated token still works: %v", err)
			}
			if err := st.RevokePlanFeed(ctx, p.admin, 2026); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.PlanFeed(ctx, 2026, tok2); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Errorf("a revoked token still works: %v", err)
			}
		})
	})
}

// hasField reports a validation error naming field.
func hasField(err error, field string) bool {
	e, ok := err.(*beheer.Error)
	if !ok || e.Code != beheer.CodeInvalid {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
