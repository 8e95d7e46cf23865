package notify

import (
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// Event kinds written by other parts of Beheer that notify understands.
const (
	// EventSLAWarning warns about a service level: data "users" (comma-
	// separated ids) names whom it concerns; without it the assignee.
	EventSLAWarning = "sla.warning"
)

// Recipient is one person to tell about an event, and under which kind
// (which decides their e-mail preference).
type Recipient struct {
	UserID int64
	Kind   string
}

// Notifies reports whether an event of kind can notify anyone: filing a
// request and opening or closing an escalation notify nobody, so the
// worker need not load what those events are about.
func Notifies(kind string) bool {
	switch kind {
	case store.EventRequestFiled, store.EventEscalationOpened, store.EventEscalationClosed:
		return false
	}
	return true
}

// Recipients decides who hears of an event: a pure function of the event,
// the request it concerns and the key users and technical admins of its
// area. The rules:
//
//   - the requester on phase changes, on questions and messages to them, and
//     on the outcome (decision, closing, rejection);
//   - the assignee on new assignments and on replies (comments, decisions,
//     completed tasks, a rating, a requester who reopens or withdraws);
//   - both when a request closes by itself after working days without a
//     reaction; nobody more when a good rating closes it (the rating tells
//     the assignee);
//   - the key users of the area when a decision waits;
//   - the technical admin a new task is for, or else every technical admin
//     of the area;
//   - the people a service-level warning names.
//
// The person who acted is never told of their own action, every person at
// most once per event, and an internal event never reaches the requester.
func Recipients(e store.Event, r *beheer.Request, keyUsers, techAdmins []int64) []Recipient {
	if !Notifies(e.Kind) {
		return nil
	}
	var out []Recipient
	add := func(id int64, kind string) {
		if id > 0 {
			out = append(out, Recipient{id, kind})
		}
	}
	var requester, assignee int64
	if r != nil {
		requester, assignee = r.RequesterID, r.AssigneeID
	}
	switch e.Kind {
	case store.EventPhaseChanged:
		switch e.Data["reason"] {
		case store.ClosedAfterRating: // the rating's own event told the assignee
			return nil
		case store.ClosedAfterQuiet:
			add(requester, store.NotifyOutcome)
			add(assignee, store.NotifyReply)
		}
		switch beheer.Phase(e.Data["to"]) {
		case beheer.PhaseClosed, beheer.PhaseRejected, beheer.PhaseWithdrawn:
			add(requester, store.NotifyOutcome)
		default:
			add(requester, store.NotifyPhase)
		}
		if e.ActorID == requester {
			add(assignee, store.NotifyReply)
		}
	case store.EventStatusChanged:
		switch beheer.Status(e.Data["to"]) {
		case beheer.StatusAwaitingRequester:
			add(requester, store.NotifyQuestion)
		case beheer.StatusAwaitingDecision:
			for _, id := range keyUsers {
				add(id, store.NotifyDecision)
			}
		}
	case store.EventAssigned:
		add(parseID(e.Data["assignee"]), store.NotifyAssigned)
	case store.EventCommentAdded:
		add(requester, store.NotifyQuestion)
		add(assignee, store.NotifyReply)
	case store.EventDecisionTaken:
		add(requester, store.NotifyOutcome)
		add(assignee, store.NotifyReply)
	case store.EventTaskCreated:
		if id := parseID(e.Data["assignee"]); id > 0 {
			add(id, store.NotifyTask)
		} else {
			for _, id := range techAdmins {
				add(id, store.NotifyTask)
			}
		}
	case store.EventTaskCompleted, store.EventEvaluated:
		add(assignee, store.NotifyReply)
	case EventSLAWarning:
		ids := parseIDs(e.Data["users"])
		if len(ids) == 0 {
			ids = []int64{assignee}
		}
		for _, id := range ids {
			add(id, store.NotifySLA)
		}
	}
	// Filter: not the actor, never the requester of an internal event, each
	// person once (the first rule that names them wins).
	seen := map[int64]bool{}
	kept := out[:0]
	for _, rc := range out {
		if rc.UserID == e.ActorID || seen[rc.UserID] || (e.Internal && rc.UserID == requester) {
			continue
		}
		seen[rc.UserID] = true
		kept = append(kept, rc)
	}
	return kept
}

func parseID(s string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func parseIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id := parseID(p); id > 0 {
			out = append(out, id)
		}
	}
	return out
}
