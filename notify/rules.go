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

// Notifies reports whether an event of kind can notify anyone: opening an
// escalation notifies nobody, so the worker need not load what it is
// about.
func Notifies(kind string) bool {
	return kind != store.EventEscalationOpened
}

// Recipients decides who hears of an event: a pure function of the event,
// the request it concerns and the people around it (store.EventFacts). The
// rules:
//
//   - the requester on phase changes, on questions and messages to them, and
//     on the outcome (decision, closing — also as a duplicate — rejection),
//     and when their request is joined to a parent incident;
//   - the assignee on new assignments and on replies (comments, decisions,
//     completed tasks, a rating, a requester who reopens or withdraws);
//   - both when a request closes by itself after working days without a
//     reaction; when the requester's good rating closes it, neither (the
//     requester acted, the rating's own event tells the assignee) but its
//     followers, among them the requesters of its duplicates and of the
//     requests joined to it as a parent incident;
//   - the key users of the area when a decision waits;
//   - the technical admin a new task is for, or else every technical admin
//     of the area;
//   - the people a service-level warning names;
//   - the followers on public updates: phase changes and public comments;
//   - the people a comment mentions (the store let through only those who
//     may read it);
//   - the team of the area on the team alerts the area sends: a new request
//     (its functional admins and the people who follow the area), an
//     escalation answered, a request back from the vendor, a task overdue
//     (the assignee, or else the functional admins).
//
// A request that ends with its parent incident tells nobody by itself: the
// parent's own event reaches every joined requester, who follows it. The
// person who acted is never told of their own action, every person at
// most once per event, and an internal event never reaches the requester
// or a follower.
func Recipients(f store.EventFacts) []Recipient {
	e, r := f.Event, f.Request
	if !Notifies(e.Kind) || r == nil {
		return nil
	}
	var out []Recipient
	add := func(kind string, ids ...int64) {
		for _, id := range ids {
			if id > 0 {
				out = append(out, Recipient{id, kind})
			}
		}
	}
	alert := func(al beheer.Alert) {
		if f.Alerts.On(al) {
			add(store.NotifyAlert, beheer.AlertAudience(al, r.AssigneeID, f.Admins, f.AreaFollowers)...)
		}
	}
	requester, assignee := r.RequesterID, r.AssigneeID
	switch e.Kind {
	case store.EventPhaseChanged:
		if e.Data["parent"] != "" {
			return nil
		}
		if e.Data["reason"] == store.ClosedAfterRating {
			for _, id := range f.Followers {
				if id != requester && id != assignee {
					add(store.NotifyFollow, id)
				}
			}
			break
		}
		if e.Data["reason"] == store.ClosedAfterQuiet {
			add(store.NotifyOutcome, requester)
			add(store.NotifyReply, assignee)
		}
		switch beheer.Phase(e.Data["to"]) {
		case beheer.PhaseClosed, beheer.PhaseRejected, beheer.PhaseWithdrawn:
			add(store.NotifyOutcome, requester)
		default:
			add(store.NotifyPhase, requester)
		}
		if e.ActorID == requester {
			add(store.NotifyReply, assignee)
		}
		add(store.NotifyFollow, f.Followers...)
	case store.EventStatusChanged:
		switch beheer.Status(e.Data["to"]) {
		case beheer.StatusAwaitingRequester:
			add(store.NotifyQuestion, requester)
		case beheer.StatusAwaitingDecision:
			add(store.NotifyDecision, f.KeyUsers...)
		}
	case store.EventAssigned:
		add(store.NotifyAssigned, parseID(e.Data["assignee"]))
	case store.EventCommentAdded:
		add(store.NotifyQuestion, requester)
		add(store.NotifyReply, assignee)
		add(store.NotifyFollow, f.Followers...)
	case store.EventDecisionTaken:
		add(store.NotifyOutcome, requester)
		add(store.NotifyReply, assignee)
	case store.EventTaskCreated:
		if id := parseID(e.Data["assignee"]); id > 0 {
			add(store.NotifyTask, id)
		} else {
			add(store.NotifyTask, f.TechAdmins...)
		}
	case store.EventTaskCompleted, store.EventEvaluated:
		add(store.NotifyReply, assignee)
	case EventSLAWarning:
		ids := parseIDs(e.Data["users"])
		if len(ids) == 0 {
			ids = []int64{assignee}
		}
		add(store.NotifySLA, ids...)
	case store.EventMentioned:
		add(store.NotifyMention, parseIDs(e.Data["users"])...)
	case store.EventFollowerAdded:
		add(store.NotifyFollow, parseID(e.Data["user"]))
	case store.EventJoinedParent:
		add(store.NotifyFollow, requester)
	case store.EventRequestFiled:
		alert(beheer.AlertNewRequest)
	case store.EventEscalationClosed:
		alert(beheer.AlertEscalationClosed)
		if e.Data["returned"] == "true" {
			alert(beheer.AlertVendorReturned)
		}
	case store.EventTaskOverdue:
		alert(beheer.AlertTaskOverdue)
	}
	// Filter: not the actor, never the requester or a follower of an
	// internal event, each person once (the first rule that names them
	// wins).
	seen := map[int64]bool{}
	kept := out[:0]
	for _, rc := range out {
		hidden := e.Internal && (rc.UserID == requester || rc.Kind == store.NotifyFollow)
		if rc.UserID == e.ActorID || seen[rc.UserID] || hidden {
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
