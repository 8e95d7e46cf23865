package server

import (
	"errors"
	"net/http"
	"slices"

	"beheer"
)

// requestRecords is everything around a request that the page shows, each
// read through the store as the person, so nothing they may not see is in it.
type requestRecords struct {
	comments    []beheer.Comment
	audit       []beheer.AuditEntry
	decision    *beheer.Decision
	panel       *beheer.Panel // who decides; change requests only
	escalations []beheer.Escalation
	tasks       []beheer.Task
	attachments []beheer.Attachment
	areas       []beheer.Area
	processes   []beheer.Process
	policy      beheer.Policy
}

func (s *Server) loadRecords(r *http.Request, a *beheer.Actor, req *beheer.Request) (*requestRecords, error) {
	id := req.ID
	ctx := r.Context()
	var rec requestRecords
	var err error
	if rec.comments, err = s.store.Comments(ctx, a, id); err != nil {
		return nil, err
	}
	if rec.audit, err = s.store.Audit(ctx, a, id); err != nil {
		return nil, err
	}
	if rec.decision, err = s.store.Decision(ctx, a, id); err != nil {
		return nil, err
	}
	if req.Type == beheer.TypeChange {
		if rec.panel, err = s.store.DecisionPanel(ctx, a, id); err != nil {
			return nil, err
		}
	}
	if rec.escalations, err = s.store.Escalations(ctx, a, id); err != nil {
		return nil, err
	}
	if rec.tasks, err = s.store.Tasks(ctx, a, id); err != nil {
		return nil, err
	}
	if rec.attachments, err = s.store.Attachments(ctx, a, id); err != nil {
		return nil, err
	}
	if rec.areas, err = s.store.Areas(ctx); err != nil {
		return nil, err
	}
	if rec.processes, err = s.store.Processes(ctx); err != nil {
		return nil, err
	}
	if rec.policy, err = s.store.Policy(ctx); err != nil {
		return nil, err
	}
	return &rec, nil
}

// processName names the process with id, "" when there is none.
func (rec *requestRecords) processName(id int64) string {
	i := slices.IndexFunc(rec.processes, func(pr beheer.Process) bool { return pr.ID == id })
	if i < 0 {
		return ""
	}
	return rec.processes[i].Name
}

// integrations reports whether the request's area is the integrations area
// (which decides the channel Support's rule points to).
func (rec *requestRecords) integrations(areaID int64) bool {
	for _, a := range rec.areas {
		if a.ID == areaID {
			return a.Integration
		}
	}
	return false
}

// The two ways of editing a request.
const (
	editManager   = "manager"   // triage: every field
	editRequester = "requester" // title and description while in Aanvraag
)

// actions are what this person may do with the request now. Each is
// computed with the rule functions of package beheer, the same ones the
// store applies when the form is sent.
type actions struct {
	Edit    string
	Moves   []moveOption  // phase changes a manager may make now, forward first
	Blocked []blockedMove // phase changes that wait for a condition
	Reject  bool
	// RejectBlocked explains why rejecting has to wait.
	RejectBlocked string
	Ask           bool
	ToDecision    bool
	Task          bool
	Channels      []beheer.Channel // channels this person may escalate to
	Suggested     beheer.Channel   // the channel that fits this request
	Decide        bool
	Evaluate      bool
	Withdraw      bool
	Reopen        bool
	// ReopenBlocked explains why the requester can no longer reopen.
	ReopenBlocked string
	Comment       bool
	Internal      bool
	Attach        bool
	// Primary is the form most likely needed now; it starts open.
	Primary string
}

// moveOption is a phase change on offer; Back marks a step back in the
// lifecycle (from Uitvoering to Onderzoek), never the default choice.
type moveOption struct {
	To   beheer.Phase
	Back bool
}

// blockedMove is a phase change the person could make once a condition is
// met, with the reason.
type blockedMove struct {
	To     beheer.Phase
	Reason string
}

// Side reports whether the aside has any form.
func (a actions) Side() bool {
	return a.Edit != "" || len(a.Moves) > 0 || len(a.Blocked) > 0 || a.Reject || a.RejectBlocked != "" || a.Ask || a.ToDecision ||
		a.Task || len(a.Channels) > 0 || a.Decide || a.Evaluate || a.Withdraw || a.Reopen || a.ReopenBlocked != ""
}

// Escalate reports whether the escalation form is shown.
func (a actions) Escalate() bool { return len(a.Channels) > 0 }

func (s *Server) allowedActions(p *page, r *beheer.Request, f beheer.Facts, rec *requestRecords) actions {
	a := p.Actor
	var act actions
	act.Edit = editMode(a, r, f)
	s.allowedMoves(p, r, f, rec.policy, &act)
	ask, decision := beheer.StatusAwaitingRequester, beheer.StatusAwaitingDecision
	act.Ask = act.Edit == editManager && r.Status != ask && beheer.CheckPatch(a, r, f, &beheer.Patch{Status: &ask}) == nil
	act.ToDecision = act.Edit == editManager && r.Status != decision && f.Decision == "" &&
		beheer.CheckPatch(a, r, f, &beheer.Patch{Status: &decision}) == nil
	act.Task = beheer.CheckTask(a, r, f, beheer.NewTask{Title: "x"}) == nil
	act.Channels, act.Suggested = escalationChannels(a, r, f, rec)
	act.Decide = rec.panel != nil && beheer.CheckDecision(a, r, f, rec.panel, s.now(), beheer.DecisionApproved, "x") == nil
	act.Evaluate = beheer.CheckEvaluation(a, r, f, beheer.Evaluation{Rating: 5}) == nil
	act.Comment = beheer.CheckComment(a, r, f, false) == nil
	act.Internal = beheer.CheckComment(a, r, f, true) == nil
	act.Attach = beheer.CheckAttach(a, r, f) == nil
	switch {
	case act.Decide:
		act.Primary = "decide"
	case act.Evaluate && r.Rating == 0:
		act.Primary = "evaluate"
	case act.Edit == editManager && r.Status == beheer.StatusAwaitingTriage:
		act.Primary = "edit"
	}
	return act
}

// editMode says which edit form the person gets, if any.
func editMode(a *beheer.Actor, r *beheer.Request, f beheer.Facts) string {
	prio, title := r.Priority, r.Title
	if beheer.CanManage(a, r) && beheer.CheckPatch(a, r, f, &beheer.Patch{Priority: &prio}) == nil {
		return editManager
	}
	if beheer.CheckPatch(a, r, f, &beheer.Patch{Title: &title}) == nil {
		return editRequester
	}
	return ""
}

// allowedMoves tries every phase with CheckTransition. Moves the person may
// not make at all are left out; moves that wait for a condition (a decision,
// an area, open tasks) are listed with the reason.
func (s *Server) allowedMoves(p *page, r *beheer.Request, f beheer.Facts, pol beheer.Policy, act *actions) {
	for _, to := range beheer.Phases {
		err := beheer.CheckTransition(p.Actor, r, f, beheer.Transition{To: to, Note: "x"}, s.now(), pol)
		var be *beheer.Error
		blocked := errors.As(err, &be) && be.Code == beheer.CodeConflict &&
			be.Key != "transition.not_allowed" && be.Key != "transition.same_phase"
		if err != nil && !blocked {
			continue
		}
		reason := ""
		if blocked {
			reason = p.T(be.Key, be.Args...)
		}
		switch kind := moveKind(r.Phase, to); {
		case kind == "withdraw":
			act.Withdraw = err == nil
		case kind == "reopen" && blocked:
			act.ReopenBlocked = reason
		case kind == "reopen":
			act.Reopen = true
		case kind == "reject" && blocked:
			act.RejectBlocked = reason
		case kind == "reject":
			act.Reject = true
		case blocked:
			act.Blocked = append(act.Blocked, blockedMove{To: to, Reason: reason})
		default:
			act.Moves = append(act.Moves, moveOption{To: to, Back: phaseIndex(to) < phaseIndex(r.Phase)})
		}
	}
	slices.SortStableFunc(act.Moves, func(a, b moveOption) int {
		if a.Back == b.Back {
			return 0
		}
		if a.Back {
			return 1
		}
		return -1
	})
}

func phaseIndex(p beheer.Phase) int { return slices.Index(beheer.Phases, p) }

// moveKind names the form a phase change belongs to.
func moveKind(from, to beheer.Phase) string {
	switch {
	case to == beheer.PhaseWithdrawn:
		return "withdraw"
	case to == beheer.PhaseRejected:
		return "reject"
	case from == beheer.PhaseClosed:
		return "reopen"
	}
	return "move"
}

// escalationChannels lists the channels the person may hand the request to.
// Support stays in the list for other types: choosing it explains the rule
// and names the right channel. suggested is the channel that fits.
func escalationChannels(a *beheer.Actor, r *beheer.Request, f beheer.Facts, rec *requestRecords) ([]beheer.Channel, beheer.Channel) {
	integrations := rec.integrations(r.AreaID)
	var out []beheer.Channel
	for _, c := range beheer.Channels {
		err := beheer.CheckEscalation(a, r, f, beheer.NewEscalation{Channel: c}, rec.policy, integrations)
		if err == nil || beheer.ErrorCode(err) == beheer.CodeInvalid {
			out = append(out, c)
		}
	}
	suggested := beheer.SuggestChannel(r.Type, integrations)
	if r.Type == beheer.TypeIncident {
		suggested = beheer.ChannelSupport
	}
	if !slices.Contains(out, suggested) && len(out) > 0 {
		suggested = out[0]
	}
	return out, suggested
}
