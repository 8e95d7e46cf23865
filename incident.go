package beheer

import "time"

// A request can be joined to another in two ways, each its own column
// rather than a free link, because each changes what happens next:
//
//   - as a duplicate (duplicaat): the request closes, its requester is told
//     and follows the original from then on;
//   - to a parent incident (hoofdmelding): the request stays open, its
//     requester follows the parent, whose public updates reach every
//     joined requester once, and whose end closes the joined requests.

// ParentIncident marks a request as a parent incident: what the
// organisation reads about it on the new-request form ("bestaat uw vraag
// al?"), and how many requests and people it gathers.
type ParentIncident struct {
	RequestID int64     `json:"request_id"`
	Number    string    `json:"number"`
	Title     string    `json:"title,omitempty"` // only for whoever may read the request
	Summary   string    `json:"summary"`
	AreaID    int64     `json:"area_id,omitempty"`
	Phase     Phase     `json:"phase"`
	Linked    int       `json:"linked"`    // requests joined to it
	Followers int       `json:"followers"` // people who follow it
	CreatedAt time.Time `json:"created_at"`
}

// MaxSummary bounds a parent incident's public summary.
const MaxSummary = 1000

// Joins are a request's own joins, read beside its row for the rules
// below: whom it duplicates, which parent it is joined to, whether it is a
// parent itself and how many requests are joined to it.
type Joins struct {
	DuplicateOf int64 // 0: none
	ParentID    int64 // 0: none
	IsParent    bool
	Children    int // requests joined to it
	Duplicates  int // requests closed as its duplicates
}

// CheckDuplicate says whether the actor may close dup as a duplicate of
// orig. dupJoins and origJoins are the two requests' joins. A request is
// never a duplicate of itself, nor of a request that is (a duplicate of)
// itself: the chain of duplicates is one step long, so it cannot loop.
func CheckDuplicate(a *Actor, dup *Request, df Facts, dupJoins Joins, orig *Request, of Facts, origJoins Joins) error {
	if !CanRead(a, dup, df) {
		return ErrNotFound()
	}
	if !CanManage(a, dup) {
		return ErrForbidden("duplicate.forbidden")
	}
	var v Validation
	switch {
	case orig == nil || !CanRead(a, orig, of):
		v.Add("original", "duplicate.unknown")
	case orig.ID == dup.ID:
		v.Add("original", "duplicate.self")
	case origJoins.DuplicateOf == dup.ID:
		v.Add("original", "duplicate.cycle", "number", orig.Number)
	case origJoins.DuplicateOf != 0:
		v.Add("original", "duplicate.of_duplicate", "number", orig.Number)
	case !orig.Phase.Open():
		v.Add("original", "duplicate.original_closed", "number", orig.Number)
	}
	if err := v.Err(); err != nil {
		return err
	}
	switch {
	case !dup.Phase.Open():
		return Errorf(CodeConflict, "request.not_open")
	case dupJoins.IsParent:
		return Errorf(CodeConflict, "duplicate.is_parent")
	}
	return closeConditions(df)
}

// closeConditions are the conditions for ending a request that are not
// about the phase graph: no open task or escalation is left.
func closeConditions(f Facts) error {
	switch {
	case f.OpenTasks > 0:
		return Errorf(CodeConflict, "transition.open_tasks", "count", f.OpenTasks)
	case f.OpenEscalations > 0:
		return Errorf(CodeConflict, "transition.open_escalations", "count", f.OpenEscalations)
	}
	return nil
}

// CheckMakeParent says whether the actor may mark the request as a parent
// incident with the public summary.
func CheckMakeParent(a *Actor, r *Request, f Facts, j Joins, summary string) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if !CanManage(a, r) {
		return ErrForbidden("parent.forbidden")
	}
	var v Validation
	validateText(&v, "summary", summary, MaxSummary, true)
	if err := v.Err(); err != nil {
		return err
	}
	switch {
	case !r.Phase.Open():
		return Errorf(CodeConflict, "request.not_open")
	case j.ParentID != 0:
		return Errorf(CodeConflict, "parent.is_child")
	case j.DuplicateOf != 0:
		return Errorf(CodeConflict, "parent.is_duplicate")
	}
	return nil
}

// CheckJoinParent says whether the actor may join child to the parent
// incident parent: a manager of the child who may read the parent, for an
// open child that is no parent itself.
func CheckJoinParent(a *Actor, child *Request, cf Facts, cj Joins, parent *Request, pf Facts, pj Joins) error {
	if !CanRead(a, child, cf) {
		return ErrNotFound()
	}
	if !CanManage(a, child) {
		return ErrForbidden("parent.forbidden")
	}
	var v Validation
	switch {
	case parent == nil || !CanRead(a, parent, pf):
		v.Add("parent", "parent.unknown")
	case parent.ID == child.ID:
		v.Add("parent", "parent.self")
	case !pj.IsParent:
		v.Add("parent", "parent.not_parent", "number", parent.Number)
	case !parent.Phase.Open():
		v.Add("parent", "parent.closed", "number", parent.Number)
	}
	if err := v.Err(); err != nil {
		return err
	}
	switch {
	case !child.Phase.Open():
		return Errorf(CodeConflict, "request.not_open")
	case cj.IsParent:
		return Errorf(CodeConflict, "parent.child_is_parent")
	case cj.ParentID == parent.ID:
		return Errorf(CodeConflict, "parent.already_joined", "number", parent.Number)
	}
	return nil
}

// CheckLeaveParent says whether the actor may take the request out of its
// parent incident: whoever manages it.
func CheckLeaveParent(a *Actor, r *Request, f Facts) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if !CanManage(a, r) {
		return ErrForbidden("parent.forbidden")
	}
	return nil
}

// CheckJoinAsPerson says whether the actor may join a parent incident from
// the new-request form ("ik heb hetzelfde probleem"): an open parent
// incident, which anyone with an account may join; they then follow it.
func CheckJoinAsPerson(a *Actor, parent *Request, pj Joins) error {
	if a == nil || a.UserID == 0 || !pj.IsParent {
		return ErrNotFound()
	}
	if !parent.Phase.Open() {
		return Errorf(CodeConflict, "parent.closed", "number", parent.Number)
	}
	return nil
}

// EndsWithParent reports whether a joined request ends with its parent
// incident when the parent moves to phase to: when the parent is closed
// or rejected, every joined request that is still open and has no open
// task or escalation of its own ends the same way. A joined request with
// work of its own stays open for its manager; a parent withdrawn by its
// own requester ends nobody else's request.
func EndsWithParent(to Phase, child *Request, cf Facts) bool {
	return (to == PhaseClosed || to == PhaseRejected) && child.Phase.Open() && closeConditions(cf) == nil
}
