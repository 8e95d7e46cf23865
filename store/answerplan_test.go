package store

import (
	"context"
	"strings"
	"testing"
)

// TestRareAnswerReadFromAnswers: a queue filtered on an answer few
// requests give, in an order other than by id, reads those requests from
// the answers' index and sorts them; walking the order instead tests every
// open request when the answer is rare (seconds at 1,000,000 requests,
// nothing at test size, so the plan is what is checked).
func TestRareAnswerReadFromAnswers(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	for _, sort := range []string{"updated", "priority", "due"} {
		f := Filter{Sort: sort, OpenOnly: true, Answers: []AnswerFilter{{Field: "omgeving", Value: "productie"}}}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if !f.fewAnswers {
			t.Fatalf("%s: an answer no request gives is not few", sort)
		}
		plan := listPlan(t, s, s.listQuery(System, f))
		if len(plan) == 0 || !strings.Contains(plan[0], "request_answers_value") {
			t.Errorf("%s: the plan does not start from the answers' index:\n%s", sort, strings.Join(plan, "\n"))
		}
	}
}

// TestLongAnswerNotDriving: the answers' value index holds short values
// only, so a filter on a long one never reads it (it would find nothing
// there); beside a short one, the short one leads.
func TestLongAnswerNotDriving(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	long := AnswerFilter{Field: "toelichting", Value: strings.Repeat("x", maxIndexedAnswer+1)}
	for _, sort := range []string{"newest", "updated"} {
		f := Filter{Sort: sort, Answers: []AnswerFilter{long}}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if plan := listPlan(t, s, s.listQuery(System, f)); strings.Contains(strings.Join(plan, "\n"), "request_answers_value") {
			t.Errorf("%s: a long answer is looked up in the value index:\n%s", sort, strings.Join(plan, "\n"))
		}
		f.Answers = []AnswerFilter{long, {Field: "omgeving", Value: "productie"}}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if f.Answers[0].Field != "omgeving" {
			t.Errorf("%s: the long answer leads", sort)
		}
		if plan := listPlan(t, s, s.listQuery(System, f)); len(plan) == 0 || !strings.Contains(plan[0], "request_answers_value") {
			t.Errorf("%s: the short answer does not lead from the value index:\n%s", sort, strings.Join(plan, "\n"))
		}
	}
}
