package beheer

import "time"

// DecisionOutcome is the process owner's yes or no on a change request.
type DecisionOutcome string

// The outcomes.
const (
	DecisionApproved DecisionOutcome = "approved"
	DecisionRejected DecisionOutcome = "rejected"
)

// Valid reports whether o is a known outcome.
func (o DecisionOutcome) Valid() bool { return o == DecisionApproved || o == DecisionRejected }

// Decision is the recorded decision on a change request.
type Decision struct {
	ID          int64           `json:"id"`
	RequestID   int64           `json:"request_id"`
	Outcome     DecisionOutcome `json:"outcome"`
	Motivation  string          `json:"motivation"`
	DeciderID   int64           `json:"decider_id"`
	DeciderName string          `json:"decider,omitempty"`
	DecidedAt   time.Time       `json:"decided_at"`
}

// CheckDecision says whether the actor may record this decision: only a key
// user (process owner) of the request's area, only on a change request in
// Onderzoek, only once, always with a motivation.
func CheckDecision(a *Actor, r *Request, f Facts, outcome DecisionOutcome, motivation string) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	if outcome == "" {
		v.Add("outcome", "field.required")
	} else if !outcome.Valid() {
		v.Add("outcome", "field.invalid_choice", "choices", []DecisionOutcome{DecisionApproved, DecisionRejected})
	}
	validateText(&v, "motivation", motivation, MaxNote, true)
	if err := v.Err(); err != nil {
		return err
	}
	if r.AreaID == 0 || !a.Can(PermRequestDecide, r.AreaID) {
		return ErrForbidden("decision.only_key_user")
	}
	switch {
	case r.Type != TypeChange:
		return Errorf(CodeConflict, "decision.only_change")
	case r.Phase != PhaseInvestigation:
		return Errorf(CodeConflict, "decision.wrong_phase")
	case f.Decision != "":
		return Errorf(CodeConflict, "decision.already")
	}
	return nil
}
