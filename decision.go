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
	// OnBehalfOf is the decider the deputy decided for, 0 when the decider
	// decided themselves.
	OnBehalfOf     int64  `json:"on_behalf_of,omitempty"`
	OnBehalfOfName string `json:"on_behalf_of_name,omitempty"`
}
