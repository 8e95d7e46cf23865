package beheer

import (
	"slices"
	"strings"
	"time"
)

// The evaluation in Optimalisatie with the process owner: beside the
// requester's rating (Evaluation, lifecycle.go), the key user or process
// owner judges whether the change reached its goal. Follow-up improvements
// become linked requests (LinkFollowsFrom) or input for the annual plan.

// GoalMet is the evaluator's answer to "doel bereikt?".
type GoalMet string

// The answers.
const (
	GoalMetYes    GoalMet = "yes"
	GoalMetPartly GoalMet = "partly"
	GoalMetNo     GoalMet = "no"
)

// GoalMetAnswers lists the answers in display order.
var GoalMetAnswers = []GoalMet{GoalMetYes, GoalMetPartly, GoalMetNo}

// Valid reports whether g is one of the answers.
func (g GoalMet) Valid() bool { return slices.Contains(GoalMetAnswers, g) }

// OwnerEvaluation is the process owner's (or key user's) evaluation of a
// request's outcome. A request has one; evaluating again replaces it.
type OwnerEvaluation struct {
	RequestID     int64     `json:"request_id"`
	GoalMet       GoalMet   `json:"goal_met"`
	Notes         string    `json:"notes,omitempty"`
	EvaluatorID   int64     `json:"evaluator_id"`
	EvaluatorName string    `json:"evaluator,omitempty"`
	EvaluatedAt   time.Time `json:"evaluated_at"`
}

// EvaluatorFacts are the candidates to evaluate a request's outcome with,
// as facts: the owner of its process (zero when the process has none or
// the request none) and the key users of its area.
type EvaluatorFacts struct {
	ProcessOwner PersonName
	KeyUsers     []PersonName
}

// Evaluators lists who evaluates the outcome: the process owner first,
// then the key users of the area, each once. Empty when neither exists;
// then who manages the request evaluates (CanEvaluateOutcome), as a
// functional admin decides where an area has no key user.
func (ef EvaluatorFacts) Evaluators() []PersonName {
	var out []PersonName
	if ef.ProcessOwner.ID != 0 {
		out = append(out, ef.ProcessOwner)
	}
	for _, k := range ef.KeyUsers {
		if k.ID != 0 && !slices.ContainsFunc(out, func(p PersonName) bool { return p.ID == k.ID }) {
			out = append(out, k)
		}
	}
	return out
}

// CanEvaluateOutcome reports whether the actor is one of the request's
// evaluators (or, where it has none, manages it).
func CanEvaluateOutcome(a *Actor, r *Request, ef EvaluatorFacts) bool {
	if a == nil {
		return false
	}
	ev := ef.Evaluators()
	if len(ev) == 0 {
		return CanManage(a, r)
	}
	return slices.ContainsFunc(ev, func(p PersonName) bool { return p.ID == a.UserID })
}

// OwnerEvaluationInput is what the evaluator fills in.
type OwnerEvaluationInput struct {
	GoalMet GoalMet
	Notes   string
}

// CheckOwnerEvaluation says whether the actor may record the evaluation:
// an evaluator of the request, in Optimalisatie, with an answer and —
// when the goal was met partly or not — notes on what is missing. It trims
// the notes.
func CheckOwnerEvaluation(a *Actor, r *Request, f Facts, ef EvaluatorFacts, in *OwnerEvaluationInput) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	in.Notes = strings.TrimSpace(in.Notes)
	var v Validation
	switch {
	case in.GoalMet == "":
		v.Add("goal_met", "evaluation.field.goal_required")
	case !in.GoalMet.Valid():
		v.Add("goal_met", "field.invalid_choice", "choices", joinCodes(GoalMetAnswers))
	}
	if in.GoalMet == GoalMetPartly || in.GoalMet == GoalMetNo {
		if strings.TrimSpace(in.Notes) == "" {
			v.Add("notes", "evaluation.field.notes_required")
		}
	}
	validateText(&v, "notes", in.Notes, MaxNote, false)
	if err := v.Err(); err != nil {
		return err
	}
	if !CanEvaluateOutcome(a, r, ef) {
		return ErrForbidden("evaluation.only_evaluator")
	}
	if r.Phase != PhaseOptimisation {
		return Errorf(CodeConflict, "evaluation.wrong_phase")
	}
	return nil
}

// CheckFollowUp says whether the actor may start a follow-up of the
// request — a linked request or input for the annual plan — from its
// page: whoever sees it, once its outcome is being evaluated or it is
// closed.
func CheckFollowUp(a *Actor, r *Request, f Facts) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if r.Phase != PhaseOptimisation && r.Phase != PhaseClosed {
		return Errorf(CodeConflict, "followup.wrong_phase")
	}
	return nil
}
