package beheer

import (
	"slices"
	"time"
)

// Policy holds the organisation's settings that the rules depend on.
type Policy struct {
	// SupportIncidentsOnly is the seed's rule: vendor Support takes software
	// errors (incidents) only. On by default.
	SupportIncidentsOnly bool
	// ReopenWindow is how long after closing a requester may reopen.
	ReopenWindow time.Duration
	// AttachmentRetentionMonths removes attachments of requests closed
	// longer ago than this; 0 keeps them.
	AttachmentRetentionMonths int
	// ChangeTestTypes are the request types that leave Uitvoering only
	// with a passed test on the acceptance environment (AFAS Accept):
	// the seed tests a configuration change there before production.
	ChangeTestTypes []Type
	// UploadQuotaMB bounds what one person uploads per day
	// (UploadQuotaWindow), in MB; 0 sets no limit.
	UploadQuotaMB int
	// AccountSettings are the settings of accounts: tokens, the second
	// factor, passwords.
	AccountSettings
}

// DefaultPolicy is what a new organisation starts with.
func DefaultPolicy() Policy {
	return Policy{SupportIncidentsOnly: true, ReopenWindow: 14 * 24 * time.Hour, ChangeTestTypes: []Type{TypeChange}, UploadQuotaMB: DefaultUploadQuotaMB,
		AccountSettings: AccountSettings{TokenDefaultDays: DefaultTokenDays, TokenMaxDays: DefaultMaxTokenDays}}
}

// NeedsChangeTest reports whether requests of type t need a passed Accept
// test before they leave Uitvoering.
func (p Policy) NeedsChangeTest(t Type) bool { return slices.Contains(p.ChangeTestTypes, t) }

// Facts are what the rules need to know about a request beyond its own row.
type Facts struct {
	HasTask         bool            // the actor holds a technical task on the request
	Decider         bool            // the actor decides the change request, or stands in for who does
	Decision        DecisionOutcome // the recorded decision, "" when none
	OpenEscalations int
	OpenTasks       int
	// ChangeTest is the result of the latest Accept test, "" when none.
	// Only the move out of Uitvoering of a type that needs the test reads
	// it, so only that move (and the request page) loads it.
	ChangeTest ChangeTestResult
	// Follows is true when the actor follows the request (volger): they
	// may read its public side, never its internal notes.
	Follows bool
}

// CanRead reports whether the actor may see the request at all. Callers
// answer 404 when it is false, so existence does not leak.
func CanRead(a *Actor, r *Request, f Facts) bool {
	if a == nil {
		return false
	}
	return r.RequesterID == a.UserID || r.AssigneeID == a.UserID || f.HasTask || f.Follows || f.Decider ||
		a.Can(PermRequestRead, r.AreaID)
}

// CanManage reports whether the actor may triage the request, assign it and
// move it through the phases: a functional admin of its area, or a technical
// admin of its area for technical requests.
func CanManage(a *Actor, r *Request) bool {
	return a.Can(PermRequestManage, r.AreaID) ||
		(r.Type == TypeTechnical && a.Can(PermRequestTechnical, r.AreaID))
}

// CanSeeInternal reports whether internal notes on the request are shown to
// the actor. They are never shown to the request's own requester.
func CanSeeInternal(a *Actor, r *Request, f Facts) bool {
	if a == nil || r.RequesterID == a.UserID {
		return false
	}
	return a.Can(PermRequestInternal, r.AreaID) || f.HasTask
}

// CheckComment says whether the actor may add a (public or internal) comment.
func CheckComment(a *Actor, r *Request, f Facts, internal bool) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if internal {
		if !CanSeeInternal(a, r, f) || !(a.Can(PermRequestComment, r.AreaID) || f.HasTask) {
			return ErrForbidden("comment.internal_forbidden")
		}
		return nil
	}
	if r.RequesterID == a.UserID || a.Can(PermRequestComment, r.AreaID) || f.HasTask || r.AssigneeID == a.UserID {
		return nil
	}
	return ErrForbidden("comment.forbidden")
}

// StatusAfterComment returns the status after a public comment: a reply from
// the requester to a question puts the request back with its assignee, or
// with the outside channel that still holds it.
func StatusAfterComment(a *Actor, r *Request, f Facts) Status {
	if r.Status == StatusAwaitingRequester && a.UserID == r.RequesterID && r.Phase != PhaseOptimisation {
		if r.Phase == PhaseIntake {
			return StatusAwaitingTriage
		}
		return Held(r.Phase, StatusAwaitingAssignee, f)
	}
	return r.Status
}

// edge is one allowed phase change and who may make it.
type edge struct {
	from, to Phase
	who      mover
}

type mover int

const (
	byManager mover = iota
	byRequester
	byRequesterOrManager
)

// edges is the lifecycle graph.
var edges = []edge{
	{PhaseIntake, PhaseInvestigation, byManager},
	{PhaseIntake, PhaseRejected, byManager},
	{PhaseIntake, PhaseWithdrawn, byRequester},
	{PhaseInvestigation, PhaseExecution, byManager},
	{PhaseInvestigation, PhaseRejected, byManager},
	{PhaseInvestigation, PhaseWithdrawn, byRequester},
	{PhaseExecution, PhaseInvestigation, byManager},
	{PhaseExecution, PhaseOptimisation, byManager},
	{PhaseOptimisation, PhaseClosed, byManager},
	{PhaseClosed, PhaseInvestigation, byRequesterOrManager}, // reopen
}

// Transition is a requested phase change.
type Transition struct {
	To   Phase
	Note string
}

// CheckTransition says whether the actor may move the request to t.To now.
// It answers not found when the actor cannot see the request, forbidden when
// the role may not make this move, conflict when the rules forbid it (with the
// reason), and invalid for a bad note.
func CheckTransition(a *Actor, r *Request, f Facts, t Transition, now time.Time, p Policy) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	if !t.To.Valid() {
		v.Add("to", "field.invalid_choice", "choices", Phases)
		return v.Err()
	}
	validateText(&v, "note", t.Note, MaxNote, t.To == PhaseRejected)
	if err := v.Err(); err != nil {
		return err
	}
	if r.Phase == t.To {
		return Errorf(CodeConflict, "transition.same_phase", "phase", t.To)
	}
	e, ok := findEdge(r.Phase, t.To)
	if !ok {
		return Errorf(CodeConflict, "transition.not_allowed", "from", r.Phase, "to", t.To)
	}
	isRequester := r.RequesterID == a.UserID
	manager := CanManage(a, r)
	switch e.who {
	case byManager:
		if !manager {
			return ErrForbidden("transition.only_manager")
		}
	case byRequester:
		if !isRequester {
			return ErrForbidden("transition.only_requester")
		}
	case byRequesterOrManager:
		if !isRequester && !manager {
			return ErrForbidden("transition.only_requester_or_manager")
		}
		if !manager && now.Sub(r.ClosedAt) > p.ReopenWindow {
			return Errorf(CodeConflict, "transition.reopen_window", "days", int(p.ReopenWindow.Hours()/24))
		}
	}
	return checkConditions(r, f, t, p)
}

func findEdge(from, to Phase) (edge, bool) {
	for _, e := range edges {
		if e.from == from && e.to == to {
			return e, true
		}
	}
	return edge{}, false
}

// checkConditions holds the rules beyond who moves: what must be true first.
func checkConditions(r *Request, f Facts, t Transition, p Policy) error {
	switch {
	case r.Phase == PhaseIntake && t.To == PhaseInvestigation && r.AreaID == 0:
		return Errorf(CodeConflict, "transition.needs_area")
	case r.Phase == PhaseInvestigation && t.To == PhaseExecution && r.Type == TypeChange && f.Decision != DecisionApproved:
		return Errorf(CodeConflict, "transition.needs_decision")
	case r.Phase == PhaseInvestigation && t.To == PhaseRejected && r.Type == TypeChange && f.Decision == "":
		return Errorf(CodeConflict, "transition.needs_decision")
	case (t.To == PhaseExecution || t.To == PhaseClosed || t.To == PhaseRejected) && f.OpenTasks > 0:
		return Errorf(CodeConflict, "transition.open_tasks", "count", f.OpenTasks)
	case (t.To == PhaseClosed || t.To == PhaseRejected) && f.OpenEscalations > 0:
		return Errorf(CodeConflict, "transition.open_escalations", "count", f.OpenEscalations)
	case r.Phase == PhaseExecution && t.To == PhaseOptimisation && p.NeedsChangeTest(r.Type):
		return CheckChangeTested(f.ChangeTest)
	}
	return nil
}

// StatusOnEntry is the status a request gets when it enters a phase: the
// one the phase calls for, unless an open escalation holds it (Held).
func StatusOnEntry(p Phase, f Facts) Status { return Held(p, phaseStatus(p), f) }

// Held is status s as what is still open holds it: while an escalation is
// open, a request in an open phase waits on its channel, whatever status a
// move, an answer or a decision would give it, so the service-level clock
// stays paused until the last escalation is closed.
func Held(p Phase, s Status, f Facts) Status {
	if p.Open() && f.OpenEscalations > 0 {
		return StatusAwaitingChannel
	}
	return s
}

// StatusAfterEscalationClosed is the status once an escalation is closed,
// with f as it was before (counting the one being closed): the last one
// gives the request back to the status its phase calls for — technical
// management when a task is open, the requester in Optimalisatie until they
// rated the outcome, else the assignee. A request that waits on its
// requester (asked while the channel had it) or that another escalation
// still holds keeps its status.
func StatusAfterEscalationClosed(r *Request, f Facts) Status {
	if r.Status != StatusAwaitingChannel || f.OpenEscalations > 1 || !r.Phase.Open() {
		return r.Status
	}
	switch {
	case f.OpenTasks > 0:
		return StatusAwaitingTechnical
	case r.Phase == PhaseOptimisation && r.Rating > 0:
		return StatusAwaitingAssignee
	}
	return phaseStatus(r.Phase)
}

// phaseStatus is the status a phase calls for when nothing holds the
// request.
func phaseStatus(p Phase) Status {
	switch p {
	case PhaseIntake:
		return StatusAwaitingTriage
	case PhaseOptimisation:
		return StatusAwaitingRequester // the requester evaluates the outcome
	case PhaseClosed, PhaseRejected, PhaseWithdrawn:
		return StatusDone
	default:
		return StatusAwaitingAssignee
	}
}

// Evaluation is the requester's judgement of the outcome in Optimalisatie.
type Evaluation struct {
	Rating int
	Note   string
}

// CheckEvaluation says whether the actor may rate the request now.
func CheckEvaluation(a *Actor, r *Request, f Facts, e Evaluation) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if r.RequesterID != a.UserID {
		return ErrForbidden("evaluation.only_requester")
	}
	if r.Phase != PhaseOptimisation {
		return Errorf(CodeConflict, "evaluation.wrong_phase")
	}
	var v Validation
	if e.Rating < 1 || e.Rating > 5 {
		v.Add("rating", "field.range", "min", 1, "max", 5)
	}
	validateText(&v, "note", e.Note, MaxNote, false)
	return v.Err()
}

// Patch is a change to a request's fields; nil means unchanged.
type Patch struct {
	Title       *string
	Description *string
	Type        *Type
	AreaID      *int64
	ProcessID   *int64
	Priority    *Priority
	AssigneeID  *int64
	Status      *Status
}

// Clean gives the patch's texts one kind of line break (Lines), so what
// was typed compares with what is stored.
func (p *Patch) Clean() {
	for _, s := range []*string{p.Title, p.Description} {
		if s != nil {
			*s = Lines(*s)
		}
	}
}

// Empty reports whether the patch changes nothing.
func (p *Patch) Empty() bool {
	return p.Title == nil && p.Description == nil && p.Type == nil && p.AreaID == nil &&
		p.ProcessID == nil && p.Priority == nil && p.AssigneeID == nil && p.Status == nil
}

// settableStatuses are the statuses a manager may set by hand; the others
// follow from tasks, escalations and phases.
var settableStatuses = []Status{StatusAwaitingAssignee, StatusAwaitingRequester, StatusAwaitingDecision}

// CheckPatch says whether the actor may apply the patch. Managers may change
// every field; the requester may change title and description while the
// request is still in Aanvraag. A field the actor may not set is refused by
// name, never silently ignored.
func CheckPatch(a *Actor, r *Request, f Facts, p *Patch) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	if p.Title != nil {
		validateLine(&v, "title", *p.Title, MaxTitle, true)
	}
	if p.Description != nil {
		validateText(&v, "description", *p.Description, MaxDescription, false)
	}
	if p.Type != nil && !p.Type.Valid() {
		v.Add("type", "field.invalid_choice", "choices", Types)
	}
	if p.Priority != nil && !p.Priority.Valid() {
		v.Add("priority", "field.invalid_choice", "choices", Priorities)
	}
	if p.Status != nil && !slices.Contains(settableStatuses, *p.Status) {
		v.Add("status", "field.invalid_choice", "choices", settableStatuses)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if CanManage(a, r) {
		return checkManagerPatch(a, r, f, p)
	}
	var denied Validation
	staffOnly := map[string]bool{"type": p.Type != nil, "area": p.AreaID != nil, "process": p.ProcessID != nil,
		"priority": p.Priority != nil, "assignee": p.AssigneeID != nil, "status": p.Status != nil}
	for _, field := range []string{"type", "area", "process", "priority", "assignee", "status"} {
		if staffOnly[field] {
			denied.Add(field, "field.not_allowed")
		}
	}
	if r.RequesterID != a.UserID || r.Phase != PhaseIntake {
		if p.Title != nil {
			denied.Add("title", "field.not_allowed")
		}
		if p.Description != nil {
			denied.Add("description", "field.not_allowed")
		}
	}
	if len(denied.Fields) > 0 {
		return &Error{Code: CodeForbidden, Key: "error.fields_forbidden", Fields: denied.Fields}
	}
	return nil
}

func checkManagerPatch(a *Actor, r *Request, f Facts, p *Patch) error {
	if !r.Phase.Open() {
		return Errorf(CodeConflict, "request.not_open")
	}
	status, typ := r.Status, r.Type
	if p.Status != nil {
		status = *p.Status
	}
	if p.Type != nil {
		typ = *p.Type
	}
	if status == StatusAwaitingDecision && (p.Status != nil || p.Type != nil) &&
		(typ != TypeChange || r.Phase != PhaseInvestigation) {
		return Errorf(CodeConflict, "status.decision_only_change")
	}
	// An open escalation holds the request (Held): by hand it can only be
	// made to wait on the requester, whose clock is paused as well.
	if p.Status != nil && *p.Status != r.Status && f.OpenEscalations > 0 && *p.Status != StatusAwaitingRequester {
		return Errorf(CodeConflict, "status.held_by_escalation", "count", f.OpenEscalations)
	}
	if p.AreaID != nil {
		moved := *r
		moved.AreaID = *p.AreaID
		if !CanManage(a, &moved) {
			return ErrForbidden("request.area_out_of_scope")
		}
	}
	return nil
}
