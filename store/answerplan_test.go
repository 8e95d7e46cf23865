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
