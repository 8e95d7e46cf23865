package beheer

import (
	"slices"
	"strings"
	"time"
)

// The Accept test per change (acceptatietest per wijziging): the seed has
// the functional admin test a configuration change on the acceptance
// environment (AFAS Accept) before it reaches production. In Uitvoering a
// change or wish carries the record of that test; for the types the
// organisation marks (Policy.ChangeTestTypes, by default the change
// request) the request leaves Uitvoering only with a passed test.

// ChangeTestResult is the outcome of a test on the acceptance environment.
type ChangeTestResult string

// The results.
const (
	ChangeTestPassed ChangeTestResult = "passed"
	ChangeTestFailed ChangeTestResult = "failed"
)

// ChangeTestResults lists the results in display order.
var ChangeTestResults = []ChangeTestResult{ChangeTestPassed, ChangeTestFailed}

// ChangeTest is one recorded test of a change on the acceptance
// environment. Days are midnight UTC; a request keeps every test, the
// latest counts.
type ChangeTest struct {
	ID             int64            `json:"id"`
	RequestID      int64            `json:"request_id"`
	TesterID       int64            `json:"tester_id"`
	TesterName     string           `json:"tester,omitempty"`
	TestedOn       time.Time        `json:"tested_on"`
	Result         ChangeTestResult `json:"result"`
	Notes          string           `json:"notes,omitempty"`
	AttachmentID   int64            `json:"attachment_id,omitempty"`
	AttachmentName string           `json:"attachment,omitempty"`
	ProductionOn   time.Time        `json:"production_on,omitzero"`
	RecordedBy     int64            `json:"recorded_by"`
	RecordedAt     time.Time        `json:"recorded_at"`
}

// ChangeTestInput is what is filled in for a test: who tested and when,
// the result, notes (required when it failed), an optional piece of
// evidence and the day the change reached production.
type ChangeTestInput struct {
	TesterID int64 // 0: the person recording it
	TestedOn time.Time
	Result   ChangeTestResult
	Notes    string
	Evidence *Upload // a new file, stored as an attachment of the request
	// EvidenceID is one of the request's attachments as evidence instead
	// (the API uploads the file first).
	EvidenceID   int64
	ProductionOn time.Time
}

// Validate checks a test record against today: a result, a test day not
// in the future, notes when it failed, production not before the test and
// only after a passed one, and evidence that passes the upload checks of
// at most maxFile bytes. It trims the notes and fills in the tester.
func (in *ChangeTestInput) Validate(actor *Actor, today time.Time, maxFile int64) error {
	in.Notes = strings.TrimSpace(in.Notes)
	if in.TesterID == 0 && actor != nil {
		in.TesterID = actor.UserID
	}
	var v Validation
	switch {
	case in.Result == "":
		v.Add("result", "changetest.field.result_required")
	case !slices.Contains(ChangeTestResults, in.Result):
		v.Add("result", "field.invalid_choice", "choices", joinCodes(ChangeTestResults))
	}
	switch {
	case in.TestedOn.IsZero():
		v.Add("tested_on", "field.required")
	case in.TestedOn.After(today):
		v.Add("tested_on", "changetest.field.future")
	}
	validateText(&v, "notes", in.Notes, MaxNote, in.Result == ChangeTestFailed)
	if !in.ProductionOn.IsZero() {
		switch {
		case in.Result == ChangeTestFailed:
			v.Add("production_on", "changetest.field.production_after_failure")
		case !in.TestedOn.IsZero() && in.ProductionOn.Before(in.TestedOn):
			v.Add("production_on", "changetest.field.production_before_test")
		}
	}
	if in.Evidence != nil {
		CheckUploads(&v, "evidence", []Upload{*in.Evidence}, maxFile)
		if in.EvidenceID != 0 {
			v.Add("evidence", "changetest.field.evidence_twice")
		}
	}
	return v.Err()
}

// CheckChangeTest says whether the actor may record a test of the request:
// who manages it, or a technical admin with a task on it, while the
// change is carried out (Uitvoering) or evaluated (Optimalisatie, to add
// the day it reached production).
func CheckChangeTest(a *Actor, r *Request, f Facts) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if !CanManage(a, r) && !f.HasTask {
		return ErrForbidden("changetest.forbidden")
	}
	if r.Phase != PhaseExecution && r.Phase != PhaseOptimisation {
		return Errorf(CodeConflict, "changetest.wrong_phase")
	}
	return nil
}

// CheckChangeTested is the Accept-test gate on leaving Uitvoering, given the
// latest test's result: refused without a test and after a failed one,
// each with its reason.
func CheckChangeTested(latest ChangeTestResult) error {
	switch latest {
	case ChangeTestPassed:
		return nil
	case ChangeTestFailed:
		return Errorf(CodeConflict, "transition.change_test_failed")
	}
	return Errorf(CodeConflict, "transition.needs_change_test")
}

// LatestChangeTest returns the result of the latest of tests (in the order
// they were recorded), "" when there is none.
func LatestChangeTest(tests []ChangeTest) ChangeTestResult {
	if len(tests) == 0 {
		return ""
	}
	return tests[len(tests)-1].Result
}
