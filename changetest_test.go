package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAcceptTestGate is the truth table of leaving Uitvoering for
// Optimalisatie: the types the organisation marks (by default the change
// request) need a passed test on the acceptance environment; without one,
// or after a failed one, the move is refused with its reason; other types
// and other moves do not look at it.
func TestAcceptTestGate(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	wishToo := Policy{ChangeTestTypes: []Type{TypeChange, TypeWish}, ReopenWindow: DefaultPolicy().ReopenWindow}
	none := Policy{ReopenWindow: DefaultPolicy().ReopenWindow}
	tests := []struct {
		typ    Type
		p      Policy
		pname  string
		latest ChangeTestResult
		from   Phase
		to     Phase
		want   result
	}{
		{TypeChange, DefaultPolicy(), "default", "", PhaseExecution, PhaseOptimisation, conflict("transition.needs_change_test")},
		{TypeChange, DefaultPolicy(), "default", ChangeTestFailed, PhaseExecution, PhaseOptimisation, conflict("transition.change_test_failed")},
		{TypeChange, DefaultPolicy(), "default", ChangeTestPassed, PhaseExecution, PhaseOptimisation, allowed},
		{TypeWish, DefaultPolicy(), "default", "", PhaseExecution, PhaseOptimisation, allowed},
		{TypeWish, wishToo, "change+wish", "", PhaseExecution, PhaseOptimisation, conflict("transition.needs_change_test")},
		{TypeWish, wishToo, "change+wish", ChangeTestPassed, PhaseExecution, PhaseOptimisation, allowed},
		{TypeChange, none, "none", "", PhaseExecution, PhaseOptimisation, allowed},
		{TypeIncident, wishToo, "change+wish", "", PhaseExecution, PhaseOptimisation, allowed},
		{TypeChange, DefaultPolicy(), "default", "", PhaseExecution, PhaseInvestigation, allowed},
		{TypeChange, DefaultPolicy(), "default", ChangeTestFailed, PhaseOptimisation, PhaseClosed, allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/latest:%q/%s→%s=%s", tt.typ, tt.pname, tt.latest, tt.from, tt.to, outcomeName(tt.want)), func(t *testing.T) {
			r := request(ofType(tt.typ), inPhase(tt.from))
			f := Facts{Decision: DecisionApproved, ChangeTest: tt.latest}
			expect(t, "", CheckTransition(fa, r, f, Transition{To: tt.to}, testNow, tt.p), tt.want)
		})
	}
}

// TestChangeTestInput: a record needs a result and a test day not in the
// future; a failed test needs notes and has no production day; production
// does not come before the test; evidence passes the upload checks.
func TestChangeTestInput(t *testing.T) {
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	ok := ChangeTestInput{TestedOn: today, Result: ChangeTestPassed}
	tests := []struct {
		name string
		edit func(*ChangeTestInput)
		want result
	}{
		{"passed", func(*ChangeTestInput) {}, allowed},
		{"no_result", func(in *ChangeTestInput) { in.Result = "" }, invalid("result")},
		{"unknown_result", func(in *ChangeTestInput) { in.Result = "maybe" }, invalid("result")},
		{"no_day", func(in *ChangeTestInput) { in.TestedOn = time.Time{} }, invalid("tested_on")},
		{"tomorrow", func(in *ChangeTestInput) { in.TestedOn = today.AddDate(0, 0, 1) }, invalid("tested_on")},
		{"failed_without_notes", func(in *ChangeTestInput) { in.Result = ChangeTestFailed; in.Notes = "  " }, invalid("notes")},
		{"failed_with_notes", func(in *ChangeTestInput) { in.Result = ChangeTestFailed; in.Notes = "Workflow loopt vast" }, allowed},
		{"failed_in_production", func(in *ChangeTestInput) {
			in.Result, in.Notes, in.ProductionOn = ChangeTestFailed, "Fout", today
		}, invalid("production_on")},
		{"production_before_test", func(in *ChangeTestInput) { in.ProductionOn = today.AddDate(0, 0, -1) }, invalid("production_on")},
		{"production_later", func(in *ChangeTestInput) { in.ProductionOn = today.AddDate(0, 0, 7) }, allowed},
		{"notes_too_long", func(in *ChangeTestInput) { in.Notes = strings.Repeat("n", MaxNote+1) }, invalid("notes")},
		{"evidence", func(in *ChangeTestInput) { in.Evidence = &Upload{Name: "test.txt", Data: []byte("geslaagd\n")} }, allowed},
		{"evidence_html", func(in *ChangeTestInput) {
			in.Evidence = &Upload{Name: "x.html", Data: []byte("<html><script>alert(1)</script>")}
		}, invalid("evidence")},
		{"nothing", func(in *ChangeTestInput) { *in = ChangeTestInput{} }, invalid("result", "tested_on")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := ok
			tt.edit(&in)
			expect(t, "", in.Validate(actor(idFunc), today, 1<<20), tt.want)
			if in.TesterID != idFunc && in.TesterID != 0 {
				t.Errorf("tester %d", in.TesterID)
			}
		})
	}
}

// TestCheckChangeTest: who manages the request, or holds a task on it,
// records the test, in Uitvoering or Optimalisatie.
func TestCheckChangeTest(t *testing.T) {
	want := map[string]result{
		"requester": forbidden("changetest.forbidden"), "other_user": notFound(),
		"key_user/own_area": forbidden("changetest.forbidden"), "key_user/other_area": notFound(),
		"functional_admin/unscoped": allowed, "functional_admin/own_area": allowed,
		"functional_admin/other_area": notFound(), "technical_admin/own_area": forbidden("changetest.forbidden"),
		"technical_admin/other_area": notFound(), "technical_admin/other_area+task": allowed,
		"management": forbidden("changetest.forbidden"), "assignee": forbidden("changetest.forbidden"),
	}
	for _, p := range people() {
		for _, ph := range Phases {
			w := want[p.name]
			if w.Code == "" && ph != PhaseExecution && ph != PhaseOptimisation {
				w = conflict("changetest.wrong_phase")
			}
			t.Run(fmt.Sprintf("%s/%s=%s", p.name, ph, outcomeName(w)), func(t *testing.T) {
				expect(t, "", CheckChangeTest(p.actor, request(ofType(TypeChange), inPhase(ph)), p.facts), w)
			})
		}
	}
	if got := LatestChangeTest([]ChangeTest{{Result: ChangeTestFailed}, {Result: ChangeTestPassed}}); got != ChangeTestPassed {
		t.Errorf("latest %s", got)
	}
	if got := LatestChangeTest(nil); got != "" {
		t.Errorf("latest of none %q", got)
	}
}
