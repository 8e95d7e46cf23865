package beheer

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestEscalationsHoldTheClock is the table over every allowed phase move ×
// open escalations × the status before (paused or running): a request that
// enters an open phase while an escalation is open waits on its channel,
// with the service-level clock paused, whatever phase it moves to; without
// one it gets the status its phase calls for. (Before, a request escalated
// to Consultancy and moved to Uitvoering went back to "awaiting assignee"
// with the clock running.)
func TestEscalationsHoldTheClock(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	requester := actor(idRequester)
	before := []Status{StatusAwaitingChannel, StatusAwaitingRequester, StatusAwaitingAssignee, StatusAwaitingTechnical}
	for _, e := range edges {
		for open := range 3 {
			for _, st := range before {
				name := fmt.Sprintf("%s→%s/escalations:%d/from:%s", e.from, e.to, open, st)
				t.Run(name, func(t *testing.T) {
					r := request(ofType(TypeWish), inPhase(e.from), withStatus(st), closedAgo(0))
					f := Facts{OpenEscalations: open}
					who := fa
					if e.who == byRequester {
						who = requester
					}
					if err := CheckTransition(who, r, f, Transition{To: e.to, Note: "x"}, testNow, DefaultPolicy()); err != nil {
						if open > 0 && (e.to == PhaseClosed || e.to == PhaseRejected) {
							return // an open escalation keeps a request from closing
						}
						t.Fatalf("move refused: %v", err)
					}
					got := StatusOnEntry(e.to, f)
					switch {
					case !e.to.Open():
						if got != StatusDone {
							t.Errorf("status %s, want done", got)
						}
					case open > 0:
						if got != StatusAwaitingChannel || !got.Paused() {
							t.Errorf("status %s with %d open escalations, want awaiting_channel (paused)", got, open)
						}
					default:
						if got != phaseStatus(e.to) {
							t.Errorf("status %s without escalations, want %s", got, phaseStatus(e.to))
						}
					}
				})
			}
		}
	}
}

// TestStatusAfterEscalationClosed: closing the last escalation resumes the
// clock with the status the phase calls for; an earlier one, or a request
// that waits on its requester, keeps its status.
func TestStatusAfterEscalationClosed(t *testing.T) {
	tests := []struct {
		phase  Phase
		status Status
		rated  bool
		f      Facts // before the close
		want   Status
	}{
		{PhaseInvestigation, StatusAwaitingChannel, false, Facts{OpenEscalations: 1}, StatusAwaitingAssignee},
		{PhaseExecution, StatusAwaitingChannel, false, Facts{OpenEscalations: 1}, StatusAwaitingAssignee},
		{PhaseExecution, StatusAwaitingChannel, false, Facts{OpenEscalations: 2}, StatusAwaitingChannel},
		{PhaseExecution, StatusAwaitingChannel, false, Facts{OpenEscalations: 1, OpenTasks: 1}, StatusAwaitingTechnical},
		{PhaseOptimisation, StatusAwaitingChannel, false, Facts{OpenEscalations: 1}, StatusAwaitingRequester},
		{PhaseOptimisation, StatusAwaitingChannel, true, Facts{OpenEscalations: 1}, StatusAwaitingAssignee},
		{PhaseInvestigation, StatusAwaitingRequester, false, Facts{OpenEscalations: 1}, StatusAwaitingRequester},
		{PhaseInvestigation, StatusAwaitingDecision, false, Facts{OpenEscalations: 1}, StatusAwaitingDecision},
		{PhaseWithdrawn, StatusDone, false, Facts{OpenEscalations: 1}, StatusDone},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/rated:%v/escalations:%d/tasks:%d→%s", tt.phase, tt.status, tt.rated,
			tt.f.OpenEscalations, tt.f.OpenTasks, tt.want), func(t *testing.T) {
			r := request(inPhase(tt.phase), withStatus(tt.status))
			if tt.rated {
				r.Rating = 4
			}
			if got := StatusAfterEscalationClosed(r, tt.f); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestHeldStatusByHand: while an escalation is open a manager can make the
// request wait on its requester (the clock stays paused) but not put it
// back with the assignee or before the decider.
func TestHeldStatusByHand(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tests := []struct {
		status Status
		open   int
		want   result
	}{
		{StatusAwaitingRequester, 1, allowed},
		{StatusAwaitingAssignee, 1, conflict("status.held_by_escalation")},
		{StatusAwaitingDecision, 1, conflict("status.held_by_escalation")},
		{StatusAwaitingAssignee, 0, allowed},
		{StatusAwaitingDecision, 0, allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/escalations:%d=%s", tt.status, tt.open, outcomeName(tt.want)), func(t *testing.T) {
			r := request(ofType(TypeChange), withStatus(StatusAwaitingChannel))
			if tt.open == 0 {
				r.Status = StatusAwaitingTechnical
			}
			expect(t, "", CheckPatch(fa, r, Facts{OpenEscalations: tt.open}, &Patch{Status: &tt.status}), tt.want)
		})
	}
}

// clockModel is a request as the store changes it, driven by the same
// rules: the status it gets from each kind of event.
type clockModel struct {
	r *Request
	f Facts
}

// clockEvent changes the model as the store's write of that event does.
type clockEvent struct {
	name  string
	apply func(m *clockModel, rnd *rand.Rand)
}

var clockEvents = []clockEvent{
	{"escalate", func(m *clockModel, _ *rand.Rand) {
		if m.r.Phase == PhaseInvestigation || m.r.Phase == PhaseExecution {
			m.f.OpenEscalations++
			m.r.Status = StatusAwaitingChannel
		}
	}},
	{"close escalation", func(m *clockModel, _ *rand.Rand) {
		if m.f.OpenEscalations > 0 {
			m.r.Status = StatusAfterEscalationClosed(m.r, m.f)
			m.f.OpenEscalations--
		}
	}},
	{"move", func(m *clockModel, rnd *rand.Rand) {
		to := Phases[rnd.IntN(len(Phases))]
		f := m.f
		f.Decision, f.ChangeTest = DecisionApproved, ChangeTestPassed
		if CheckTransition(actor(idFunc, role(RoleFunctionalAdmin, 0)), m.r, f, Transition{To: to, Note: "x"}, testNow, DefaultPolicy()) == nil {
			m.r.Phase, m.r.Status = to, StatusOnEntry(to, m.f)
		}
	}},
	{"ask requester", func(m *clockModel, _ *rand.Rand) {
		s := StatusAwaitingRequester
		if m.r.Status != s && CheckPatch(actor(idFunc, role(RoleFunctionalAdmin, 0)), m.r, m.f, &Patch{Status: &s}) == nil {
			m.r.Status = s
		}
	}},
	{"back to assignee by hand", func(m *clockModel, _ *rand.Rand) {
		s := StatusAwaitingAssignee
		if m.r.Status != s && CheckPatch(actor(idFunc, role(RoleFunctionalAdmin, 0)), m.r, m.f, &Patch{Status: &s}) == nil {
			m.r.Status = s
		}
	}},
	{"requester answers", func(m *clockModel, _ *rand.Rand) {
		m.r.Status = StatusAfterComment(actor(idRequester), m.r, m.f)
	}},
	{"task", func(m *clockModel, _ *rand.Rand) {
		if CheckTask(actor(idFunc, role(RoleFunctionalAdmin, 0)), m.r, m.f, NewTask{Title: "x"}) == nil {
			m.f.OpenTasks++
			m.r.Status = Held(m.r.Phase, StatusAwaitingTechnical, m.f)
		}
	}},
	{"task done", func(m *clockModel, _ *rand.Rand) {
		if m.f.OpenTasks > 0 {
			if m.f.OpenTasks == 1 && m.r.Status == StatusAwaitingTechnical {
				m.r.Status = Held(m.r.Phase, StatusAwaitingAssignee, m.f)
			}
			m.f.OpenTasks--
		}
	}},
	{"requester rates", func(m *clockModel, _ *rand.Rand) {
		if CheckEvaluation(actor(idRequester), m.r, m.f, Evaluation{Rating: 4}) == nil {
			m.r.Rating = 4
			m.r.Status = Held(m.r.Phase, StatusAwaitingAssignee, m.f)
		}
	}},
}

// TestClockProperty drives random sequences of events through the rules
// and checks after each one: while an escalation is open and the phase is
// open the clock is paused and the request waits on the channel (or, when
// asked, on its requester); once none is open it no longer waits on a
// channel; an ended request is done.
func TestClockProperty(t *testing.T) {
	for seed := range uint64(300) {
		rnd := rand.New(rand.NewPCG(seed, 2026))
		m := &clockModel{r: request(ofType(Types[rnd.IntN(len(Types))]), inPhase(PhaseInvestigation))}
		var trail []string
		for range 60 {
			e := clockEvents[rnd.IntN(len(clockEvents))]
			e.apply(m, rnd)
			trail = append(trail, fmt.Sprintf("%s→%s/%s/esc:%d", e.name, m.r.Phase, m.r.Status, m.f.OpenEscalations))
			if msg := clockViolation(m); msg != "" {
				t.Fatalf("seed %d: %s after %v", seed, msg, trail)
			}
		}
	}
}

func clockViolation(m *clockModel) string {
	switch {
	case !m.r.Phase.Open():
		if m.r.Status != StatusDone {
			return "an ended request is not done"
		}
	case m.f.OpenEscalations > 0:
		if m.r.Status != StatusAwaitingChannel && m.r.Status != StatusAwaitingRequester {
			return "an open escalation does not hold the request"
		}
		if !m.r.Status.Paused() {
			return "the clock runs while an escalation is open"
		}
	case m.r.Status == StatusAwaitingChannel:
		return "waits on a channel without an open escalation"
	}
	return ""
}
