package store

import (
	"context"
	"strings"
	"testing"

	"beheer"
)

// TestAnswerFilterReadFromSearchIndex: a queue filtered on an answer finds
// the requests holding its key in the full-text index. Newest first the
// page is the first rows of that walk, nothing sorted; in another order,
// when few requests hold it, all of them are read and sorted; walking the
// order instead tests every open request when the answer is rare (seconds
// at 1,000,000 requests, nothing at test size, so the plan is what is
// checked).
func TestAnswerFilterReadFromSearchIndex(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	for _, sort := range []string{"newest", "oldest", "updated", "priority", "due"} {
		f := Filter{Sort: sort, OpenOnly: true, Answers: []AnswerFilter{{Field: "omgeving", Value: "productie"}}}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if sort != "newest" && sort != "oldest" && !f.fewAnswers {
			t.Fatalf("%s: an answer no request gives is not few", sort)
		}
		plan := strings.Join(listPlan(t, s, s.listQuery(System, f)), "\n")
		if !strings.HasPrefix(plan, "SCAN requests_fts VIRTUAL TABLE") {
			t.Errorf("%s: the plan does not start from the full-text index:\n%s", sort, plan)
		}
		if ordered := sort == "newest" || sort == "oldest"; ordered == strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: sorted %v, want %v:\n%s", sort, !ordered, ordered, plan)
		}
	}
}

// TestLongAnswerNotDriving: an answer longer than beheer.MaxKeyedAnswer
// has no key, so a filter on it alone never reads the full-text index (it
// would find nothing there); beside a short one, the short one's key
// leads.
func TestLongAnswerNotDriving(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	long := AnswerFilter{Field: "toelichting", Value: strings.Repeat("x", beheer.MaxKeyedAnswer+1)}
	for _, sort := range []string{"newest", "updated"} {
		f := Filter{Sort: sort, Answers: []AnswerFilter{long}}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if plan := strings.Join(listPlan(t, s, s.listQuery(System, f)), "\n"); strings.Contains(plan, "requests_fts") {
			t.Errorf("%s: a long answer is looked up in the full-text index:\n%s", sort, plan)
		}
		f.Answers = []AnswerFilter{long, {Field: "omgeving", Value: "productie"}}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if f.Answers[0].Field != "omgeving" {
			t.Errorf("%s: the long answer leads", sort)
		}
		if plan := strings.Join(listPlan(t, s, s.listQuery(System, f)), "\n"); !strings.HasPrefix(plan, "SCAN requests_fts VIRTUAL TABLE") {
			t.Errorf("%s: the short answer does not lead from the full-text index:\n%s", sort, plan)
		}
	}
}

// TestRarestAnswerLeads: of several answer filters the one fewest requests
// give comes first, the one a dialect that reads a single answer from its
// index reads.
func TestRarestAnswerLeads(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	common, rare := AnswerFilter{Field: "omgeving", Value: "productie"}, AnswerFilter{Field: "groep", Value: "hr"}
	for id, terms := range map[int64]string{
		1: beheer.AnswerKey(common.Field, common.Value),
		2: beheer.AnswerKey(common.Field, common.Value),
		3: beheer.AnswerKey(common.Field, common.Value) + " " + beheer.AnswerKey(rare.Field, rare.Value),
	} {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO requests_fts (rowid, search_terms) VALUES ($1, $2)`, id, terms); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"newest", "updated"} {
		f := Filter{Sort: sort, Answers: []AnswerFilter{common, rare}}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := s.planAnswers(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if f.Answers[0] != rare || f.Answers[1] != common || !f.fewAnswers {
			t.Errorf("%s: planned %+v (few %v), want the rare answer first", sort, f.Answers, f.fewAnswers)
		}
	}
}
