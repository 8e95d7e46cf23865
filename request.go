package beheer

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Type is what kind of request a person files.
type Type string

// The request types.
const (
	TypeQuestion  Type = "question"  // vraag
	TypeWish      Type = "wish"      // wens
	TypeChange    Type = "change"    // wijzigingsverzoek: needs a decision
	TypeIncident  Type = "incident"  // fout in de software
	TypeAccess    Type = "access"    // autorisatie-aanvraag
	TypeTechnical Type = "technical" // technische vraag
)

// Types lists the request types in display order.
var Types = []Type{TypeQuestion, TypeWish, TypeChange, TypeIncident, TypeAccess, TypeTechnical}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// Phase is where a request is in its lifecycle.
type Phase string

// The phases: the four of the lifecycle, then the three ends.
const (
	PhaseIntake        Phase = "intake"        // Aanvraag
	PhaseInvestigation Phase = "investigation" // Onderzoek
	PhaseExecution     Phase = "execution"     // Uitvoering
	PhaseOptimisation  Phase = "optimisation"  // Optimalisatie
	PhaseClosed        Phase = "closed"        // Afgerond
	PhaseRejected      Phase = "rejected"      // Afgewezen
	PhaseWithdrawn     Phase = "withdrawn"     // Ingetrokken
)

// Phases lists every phase in lifecycle order.
var Phases = []Phase{PhaseIntake, PhaseInvestigation, PhaseExecution, PhaseOptimisation,
	PhaseClosed, PhaseRejected, PhaseWithdrawn}

// Valid reports whether p is a known phase.
func (p Phase) Valid() bool { return slices.Contains(Phases, p) }

// Open reports whether work on a request in this phase is still to be done.
func (p Phase) Open() bool {
	return p == PhaseIntake || p == PhaseInvestigation || p == PhaseExecution || p == PhaseOptimisation
}

// Status says, within a phase, whom a request waits for.
type Status string

// The statuses.
const (
	StatusAwaitingTriage    Status = "awaiting_triage"
	StatusAwaitingAssignee  Status = "awaiting_assignee"
	StatusAwaitingRequester Status = "awaiting_requester"
	StatusAwaitingDecision  Status = "awaiting_decision"
	StatusAwaitingTechnical Status = "awaiting_technical"
	StatusAwaitingChannel   Status = "awaiting_channel"
	StatusDone              Status = "done"
	// StatusFollowUp: in Optimalisatie the requester rated the outcome
	// poorly, and the assignee takes it up with them (closure.go).
	StatusFollowUp Status = "follow_up"
)

// Statuses lists every status.
var Statuses = []Status{StatusAwaitingTriage, StatusAwaitingAssignee, StatusAwaitingRequester,
	StatusAwaitingDecision, StatusAwaitingTechnical, StatusAwaitingChannel, StatusDone, StatusFollowUp}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Paused reports whether the service-level clock stands still in this status:
// the request waits for the requester or an outside party.
func (s Status) Paused() bool {
	return s == StatusAwaitingRequester || s == StatusAwaitingChannel || s == StatusDone
}

// Priority orders the work.
type Priority string

// The priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists the priorities, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Rank is the priority's position, for sorting (urgent highest).
func (p Priority) Rank() int { return slices.Index(Priorities, p) }

// Request is anything a person asks of the management team.
type Request struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number"` // readable per year, e.g. 2026-0042
	Type        Type      `json:"type"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	AreaID      int64     `json:"area_id,omitempty"`
	ProcessID   int64     `json:"process_id,omitempty"`
	Priority    Priority  `json:"priority"`
	RequesterID int64     `json:"requester_id"`
	AssigneeID  int64     `json:"assignee_id,omitempty"`
	Phase       Phase     `json:"phase"`
	Status      Status    `json:"status"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Rating      int       `json:"rating,omitempty"`
	Evaluation  string    `json:"evaluation,omitempty"`
	// FormVersionID is the version of the form the request was filed
	// with, 0 when its type had none.
	FormVersionID int64 `json:"form_version_id,omitempty"`

	// Filled by reads for display; never written from here.
	AreaCode      string `json:"area,omitempty"`
	AreaName      string `json:"area_name,omitempty"`
	RequesterName string `json:"requester,omitempty"`
	AssigneeName  string `json:"assignee,omitempty"`
	// Due is the resolution deadline the service-level sweep keeps.
	Due Due `json:"-"`
}

// FormatNumber builds the readable number of the seq-th request of a year.
func FormatNumber(year int, seq int64) string { return fmt.Sprintf("%d-%04d", year, seq) }

// Limits on what people type. They protect the database and the pages.
const (
	MaxTitle       = 200
	MaxDescription = 20000
	MaxComment     = 20000
	MaxReference   = 100
	MaxName        = 200
	MaxNote        = 5000
)

// NewRequest is what a person fills in to file a request.
type NewRequest struct {
	Type        Type
	Title       string
	Description string
	AreaID      int64 // 0: not known
	ProcessID   int64
	Priority    Priority // set by staff only; empty means normal
	// Attachments are filed with the request: all of them are stored with
	// it, or, when one is refused, nothing is.
	Attachments []Upload
	// FollowsFrom is the request this one follows up (a vervolgaanvraag
	// from Optimalisatie): it is linked to it as LinkFollowsFrom.
	FollowsFrom int64
	// OutageID is the outage notice the request is filed about: it joins
	// the requests collected under it.
	OutageID int64
	// Answers are what was sent for the type's form, by field name; the
	// store checks them against the form (CheckAnswers) and stores them
	// typed.
	Answers map[string][]string
	// FormVersionID is set by the store: the form version the answers
	// were checked against.
	FormVersionID int64
}

// Clean gives the texts one kind of line break (Lines), before they are
// checked and stored.
func (n *NewRequest) Clean() {
	n.Title, n.Description = Lines(n.Title), Lines(n.Description)
}

// Check is Validate together with the attachments' CheckUploads against
// the attachment limit maxFile, on the field "files": one answer with every
// message, so a person sees them all at once.
func (n *NewRequest) Check(maxFile int64) error {
	err := n.Validate()
	if len(n.Attachments) == 0 {
		return err
	}
	var v Validation
	var e *Error
	if errors.As(err, &e) {
		v.Fields = e.Fields
	}
	CheckUploads(&v, "files", n.Attachments, maxFile)
	return v.Err()
}

// Validate checks the fields a requester fills in.
func (n *NewRequest) Validate() error {
	var v Validation
	if n.Type == "" {
		v.Add("type", "field.required")
	} else if !n.Type.Valid() {
		v.Add("type", "field.invalid_choice", "choices", Types)
	}
	validateLine(&v, "title", n.Title, MaxTitle, true)
	validateText(&v, "description", n.Description, MaxDescription, false)
	if n.Priority != "" && !n.Priority.Valid() {
		v.Add("priority", "field.invalid_choice", "choices", Priorities)
	}
	return v.Err()
}
