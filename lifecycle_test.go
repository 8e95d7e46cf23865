package beheer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestVisibility is the truth table of CanRead, CanManage and CanSeeInternal
// for every kind of actor, on a question and on a technical request of area 1.
func TestVisibility(t *testing.T) {
	type see struct{ read, manage, internal bool }
	tests := []struct {
		person    string
		question  see
		technical see
	}{
		{"requester", see{true, false, false}, see{true, false, false}},
		{"other_user", see{false, false, false}, see{false, false, false}},
		{"key_user/own_area", see{true, false, true}, see{true, false, true}},
		{"key_user/other_area", see{false, false, false}, see{false, false, false}},
		{"functional_admin/unscoped", see{true, true, true}, see{true, true, true}},
		{"functional_admin/own_area", see{true, true, true}, see{true, true, true}},
		{"functional_admin/other_area", see{false, false, false}, see{false, false, false}},
		{"technical_admin/own_area", see{true, false, true}, see{true, true, true}},
		{"technical_admin/other_area", see{false, false, false}, see{false, false, false}},
		{"technical_admin/other_area+task", see{true, false, true}, see{true, false, true}},
		{"management", see{true, false, true}, see{true, false, true}},
		{"assignee", see{true, false, false}, see{true, false, false}},
	}
	for _, tt := range tests {
		p := personNamed(t, tt.person)
		for _, typ := range []Type{TypeQuestion, TypeTechnical} {
			want := tt.question
			if typ == TypeTechnical {
				want = tt.technical
			}
			r := request(ofType(typ))
			t.Run(fmt.Sprintf("%s/%s/read=%v,manage=%v,internal=%v", p.name, typ, want.read, want.manage, want.internal), func(t *testing.T) {
				if got := CanRead(p.actor, r, p.facts); got != want.read {
					t.Errorf("CanRead = %v, want %v", got, want.read)
				}
				if got := CanManage(p.actor, r); got != want.manage {
					t.Errorf("CanManage = %v, want %v", got, want.manage)
				}
				if got := CanSeeInternal(p.actor, r, p.facts); got != want.internal {
					t.Errorf("CanSeeInternal = %v, want %v", got, want.internal)
				}
			})
		}
	}
}

// TestVisibilitySpecialCases: the requester never sees internal notes, even
// when a role would show them; an unknown area is covered by unscoped roles
// only; nobody (nil) sees anything.
func TestVisibilitySpecialCases(t *testing.T) {
	tests := []struct {
		name                   string
		a                      *Actor
		r                      *Request
		f                      Facts
		read, manage, internal bool
	}{
		{"functional_admin/own_area+requester", actor(idRequester, role(RoleFunctionalAdmin, areaOwn)), request(), Facts{}, true, true, false},
		{"management+requester", actor(idRequester, role(RoleManagement, 0)), request(), Facts{}, true, false, false},
		{"requester+task", actor(idRequester), request(), Facts{HasTask: true}, true, false, false},
		{"functional_admin/unscoped/unknown_area", actor(idFunc, role(RoleFunctionalAdmin, 0)), request(inArea(0)), Facts{}, true, true, true},
		{"functional_admin/own_area/unknown_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), request(inArea(0)), Facts{}, false, false, false},
		{"key_user/own_area/unknown_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(inArea(0)), Facts{}, false, false, false},
		{"technical_admin/unscoped/technical/unknown_area", actor(idTech, role(RoleTechnicalAdmin, 0)), request(inArea(0), ofType(TypeTechnical)), Facts{}, true, true, true},
		{"technical_admin/own_area/technical/unknown_area", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), request(inArea(0), ofType(TypeTechnical)), Facts{}, false, false, false},
		{"management/unknown_area", actor(idManagement, role(RoleManagement, 0)), request(inArea(0)), Facts{}, true, false, true},
		{"requester/unknown_area", actor(idRequester), request(inArea(0)), Facts{}, true, false, false},
		{"nil_actor", nil, request(), Facts{}, false, false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/read=%v,manage=%v,internal=%v", tt.name, tt.read, tt.manage, tt.internal), func(t *testing.T) {
			if got := CanRead(tt.a, tt.r, tt.f); got != tt.read {
				t.Errorf("CanRead = %v, want %v", got, tt.read)
			}
			if got := CanManage(tt.a, tt.r); got != tt.manage {
				t.Errorf("CanManage = %v, want %v", got, tt.manage)
			}
			if got := CanSeeInternal(tt.a, tt.r, tt.f); got != tt.internal {
				t.Errorf("CanSeeInternal = %v, want %v", got, tt.internal)
			}
		})
	}
}

// The phase-change matrices: rows are from, columns to, both in the order of
// Phases (intake, investigation, execution, optimisation, closed, rejected,
// withdrawn). The request is a question in area 1 without open work, closed a
// day ago where closed.
//
//	.  allowed
//	N  not found (the actor cannot see the request)
//	S  conflict transition.same_phase
//	C  conflict transition.not_allowed (no such edge)
//	m  forbidden transition.only_manager
//	r  forbidden transition.only_requester
//	x  forbidden transition.only_requester_or_manager
var transitionMatrices = map[string]string{
	// A functional admin of the area, or a technical admin on a technical request.
	"manager": `
		S . C C C . r
		C S . C C . r
		C . S . C C C
		C C C S . C C
		C . C C S C C
		C C C C C S C
		C C C C C C S`,
	// The person who filed the request, without a managing role.
	"requester": `
		S m C C C m .
		C S m C C m .
		C m S m C C C
		C C C S m C C
		C . C C S C C
		C C C C C S C
		C C C C C C S`,
	// A requester who also manages the request's area.
	"requester+manager": `
		S . C C C . .
		C S . C C . .
		C . S . C C C
		C C C S . C C
		C . C C S C C
		C C C C C S C
		C C C C C C S`,
	// Someone who may see the request but neither filed nor manages it.
	"reader": `
		S m C C C m r
		C S m C C m r
		C m S m C C C
		C C C S m C C
		C x C C S C C
		C C C C C S C
		C C C C C C S`,
	// Someone who may not see the request.
	"stranger": `
		N N N N N N N
		N N N N N N N
		N N N N N N N
		N N N N N N N
		N N N N N N N
		N N N N N N N
		N N N N N N N`,
}

var transitionSymbols = map[string]result{
	".": allowed,
	"N": notFound(),
	"S": conflict("transition.same_phase"),
	"C": conflict("transition.not_allowed"),
	"m": forbidden("transition.only_manager"),
	"r": forbidden("transition.only_requester"),
	"x": forbidden("transition.only_requester_or_manager"),
}

// transitionMatrix parses one of transitionMatrices.
func transitionMatrix(t *testing.T, class string) map[[2]Phase]result {
	t.Helper()
	rows := strings.Split(strings.TrimSpace(transitionMatrices[class]), "\n")
	if len(rows) != len(Phases) {
		t.Fatalf("matrix %s has %d rows", class, len(rows))
	}
	m := map[[2]Phase]result{}
	for i, row := range rows {
		cells := strings.Fields(row)
		if len(cells) != len(Phases) {
			t.Fatalf("matrix %s row %d has %d cells", class, i, len(cells))
		}
		for j, c := range cells {
			res, ok := transitionSymbols[c]
			if !ok {
				t.Fatalf("matrix %s: unknown symbol %q", class, c)
			}
			m[[2]Phase{Phases[i], Phases[j]}] = res
		}
	}
	return m
}

// TestCheckTransitionMatrix checks every (from, to) pair of the seven phases
// for every kind of actor.
func TestCheckTransitionMatrix(t *testing.T) {
	type mover struct {
		name  string
		a     *Actor
		f     Facts
		typ   Type
		class string
	}
	var movers []mover
	classes := map[string]string{
		"requester":                       "requester",
		"other_user":                      "stranger",
		"key_user/own_area":               "reader",
		"key_user/other_area":             "stranger",
		"functional_admin/unscoped":       "manager",
		"functional_admin/own_area":       "manager",
		"functional_admin/other_area":     "stranger",
		"technical_admin/own_area":        "reader", // on a question
		"technical_admin/other_area":      "stranger",
		"technical_admin/other_area+task": "reader",
		"management":                      "reader",
		"assignee":                        "reader",
	}
	for _, p := range people() {
		class, ok := classes[p.name]
		if !ok {
			t.Fatalf("no class for %s", p.name)
		}
		movers = append(movers, mover{p.name, p.actor, p.facts, TypeQuestion, class})
	}
	movers = append(movers,
		mover{"technical_admin/own_area/technical_request", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), Facts{}, TypeTechnical, "manager"},
		mover{"technical_admin/other_area+task/technical_request", actor(idTechElse, role(RoleTechnicalAdmin, areaOther)), Facts{HasTask: true}, TypeTechnical, "reader"},
		mover{"functional_admin/own_area+requester", actor(idRequester, role(RoleFunctionalAdmin, areaOwn)), Facts{}, TypeQuestion, "requester+manager"},
		mover{"key_user/own_area+requester", actor(idRequester, role(RoleKeyUser, areaOwn)), Facts{}, TypeQuestion, "requester"},
		mover{"management+requester", actor(idRequester, role(RoleManagement, 0)), Facts{}, TypeQuestion, "requester"},
	)
	for _, mv := range movers {
		want := transitionMatrix(t, mv.class)
		for _, from := range Phases {
			for _, to := range Phases {
				w := want[[2]Phase{from, to}]
				r := request(ofType(mv.typ), inPhase(from))
				tr := Transition{To: to, Note: "toelichting"}
				t.Run(fmt.Sprintf("%s/%s→%s=%s", mv.name, from, to, outcomeName(w)), func(t *testing.T) {
					expect(t, "", CheckTransition(mv.a, r, mv.f, tr, testNow, DefaultPolicy()), w)
				})
			}
		}
	}
}

// TestCheckTransitionConditions: what must be true before a move, beyond who
// makes it.
func TestCheckTransitionConditions(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	faOwn := actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn))
	requester := actor(idRequester)
	day := 24 * time.Hour
	tests := []struct {
		name string
		a    *Actor
		r    *Request
		f    Facts
		tr   Transition
		p    Policy
		want result
	}{
		// A change request leaves Onderzoek only with an approved decision.
		{"change/investigation→execution/no_decision", fa, request(ofType(TypeChange)), Facts{}, Transition{To: PhaseExecution}, DefaultPolicy(), conflict("transition.needs_decision")},
		{"change/investigation→execution/decision_rejected", fa, request(ofType(TypeChange)), Facts{Decision: DecisionRejected}, Transition{To: PhaseExecution}, DefaultPolicy(), conflict("transition.needs_decision")},
		{"change/investigation→execution/decision_approved", fa, request(ofType(TypeChange)), Facts{Decision: DecisionApproved}, Transition{To: PhaseExecution}, DefaultPolicy(), allowed},
		{"change/investigation→rejected/decision_rejected", fa, request(ofType(TypeChange)), Facts{Decision: DecisionRejected}, Transition{To: PhaseRejected, Note: "afgewezen door proceseigenaar"}, DefaultPolicy(), allowed},
		{"change/investigation→rejected/no_decision", fa, request(ofType(TypeChange)), Facts{}, Transition{To: PhaseRejected, Note: "past niet"}, DefaultPolicy(), conflict("transition.needs_decision")},
		{"change/intake→rejected/no_decision", fa, request(ofType(TypeChange), inPhase(PhaseIntake)), Facts{}, Transition{To: PhaseRejected, Note: "dubbel"}, DefaultPolicy(), allowed},
		{"change/requester/investigation→withdrawn/no_decision", requester, request(ofType(TypeChange)), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), allowed},
		{"change/execution→optimisation/decision_approved", fa, request(ofType(TypeChange), inPhase(PhaseExecution)), Facts{Decision: DecisionApproved, ChangeTest: ChangeTestPassed}, Transition{To: PhaseOptimisation}, DefaultPolicy(), allowed},
		{"change/requester/investigation→execution/no_decision→forbidden_first", requester, request(ofType(TypeChange)), Facts{}, Transition{To: PhaseExecution}, DefaultPolicy(), forbidden("transition.only_manager")},
		{"wish/investigation→execution/no_decision", fa, request(ofType(TypeWish)), Facts{}, Transition{To: PhaseExecution}, DefaultPolicy(), allowed},
		{"incident/investigation→execution/no_decision", fa, request(ofType(TypeIncident)), Facts{}, Transition{To: PhaseExecution}, DefaultPolicy(), allowed},

		// Onderzoek needs an area.
		{"intake→investigation/no_area", fa, request(inPhase(PhaseIntake), inArea(0)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), conflict("transition.needs_area")},
		{"technical/intake→investigation/no_area", actor(idTech, role(RoleTechnicalAdmin, 0)), request(ofType(TypeTechnical), inPhase(PhaseIntake), inArea(0)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), conflict("transition.needs_area")},
		{"intake→investigation/area", fa, request(inPhase(PhaseIntake)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"intake→rejected/no_area", fa, request(inPhase(PhaseIntake), inArea(0)), Facts{}, Transition{To: PhaseRejected, Note: "dubbel"}, DefaultPolicy(), allowed},
		{"intake→withdrawn/no_area", requester, request(inPhase(PhaseIntake), inArea(0)), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), allowed},
		{"scoped_admin/intake→investigation/no_area→not_found", faOwn, request(inPhase(PhaseIntake), inArea(0)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), notFound()},

		// A rejection carries its reason.
		{"intake→rejected/no_note", fa, request(inPhase(PhaseIntake)), Facts{}, Transition{To: PhaseRejected}, DefaultPolicy(), invalid("note")},
		{"investigation→rejected/no_note", fa, request(), Facts{}, Transition{To: PhaseRejected}, DefaultPolicy(), invalid("note")},
		{"investigation→rejected/blank_note", fa, request(), Facts{}, Transition{To: PhaseRejected, Note: " \n\t "}, DefaultPolicy(), invalid("note")},
		{"investigation→rejected/note_too_long", fa, request(), Facts{}, Transition{To: PhaseRejected, Note: strings.Repeat("a", MaxNote+1)}, DefaultPolicy(), invalid("note")},
		{"investigation→rejected/note_max", fa, request(), Facts{}, Transition{To: PhaseRejected, Note: strings.Repeat("é", MaxNote)}, DefaultPolicy(), allowed},
		{"investigation→rejected/note_control_char", fa, request(), Facts{}, Transition{To: PhaseRejected, Note: "nee\x00"}, DefaultPolicy(), invalid("note")},
		{"investigation→execution/no_note", fa, request(), Facts{}, Transition{To: PhaseExecution}, DefaultPolicy(), allowed},
		{"investigation→withdrawn/no_note", requester, request(), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), allowed},
		{"investigation→execution/note_control_char", fa, request(), Facts{}, Transition{To: PhaseExecution, Note: "\x1b[31m"}, DefaultPolicy(), invalid("note")},
		{"stranger/investigation→rejected/no_note→not_found", actor(idPlainUser), request(), Facts{}, Transition{To: PhaseRejected}, DefaultPolicy(), notFound()},

		// Unknown target phases.
		{"to_unknown_phase", fa, request(), Facts{}, Transition{To: "archived"}, DefaultPolicy(), invalid("to")},
		{"to_empty_phase", fa, request(), Facts{}, Transition{To: ""}, DefaultPolicy(), invalid("to")},
		{"stranger/to_unknown_phase→not_found", actor(idPlainUser), request(), Facts{}, Transition{To: "archived"}, DefaultPolicy(), notFound()},

		// Reopening: the requester within the window, a manager any time.
		{"requester/reopen/after_1_day", requester, request(inPhase(PhaseClosed), closedAgo(day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"requester/reopen/after_13_days", requester, request(inPhase(PhaseClosed), closedAgo(13*day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"requester/reopen/after_exactly_14_days", requester, request(inPhase(PhaseClosed), closedAgo(14*day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"requester/reopen/after_14_days_and_a_second", requester, request(inPhase(PhaseClosed), closedAgo(14*day+time.Second)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(),
			result{Code: CodeConflict, Key: "transition.reopen_window", Args: []any{"days", 14}}},
		{"requester/reopen/after_15_days", requester, request(inPhase(PhaseClosed), closedAgo(15*day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), conflict("transition.reopen_window")},
		{"requester/reopen/after_1_year", requester, request(inPhase(PhaseClosed), closedAgo(365*day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), conflict("transition.reopen_window")},
		{"requester/reopen/window_30_days/after_20_days", requester, request(inPhase(PhaseClosed), closedAgo(20*day)), Facts{}, Transition{To: PhaseInvestigation}, Policy{SupportIncidentsOnly: true, ReopenWindow: 30 * day}, allowed},
		{"requester/reopen/window_0/after_1_hour", requester, request(inPhase(PhaseClosed), closedAgo(time.Hour)), Facts{}, Transition{To: PhaseInvestigation}, Policy{}, conflict("transition.reopen_window")},
		{"manager/reopen/after_1_day", fa, request(inPhase(PhaseClosed), closedAgo(day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"manager/reopen/after_1_year", fa, request(inPhase(PhaseClosed), closedAgo(365*day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"manager+requester/reopen/after_1_year", actor(idRequester, role(RoleFunctionalAdmin, areaOwn)), request(inPhase(PhaseClosed), closedAgo(365*day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"key_user/reopen/after_1_day", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(inPhase(PhaseClosed), closedAgo(day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), forbidden("transition.only_requester_or_manager")},
		{"management/reopen/after_1_day", actor(idManagement, role(RoleManagement, 0)), request(inPhase(PhaseClosed), closedAgo(day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), forbidden("transition.only_requester_or_manager")},
		{"requester/reopen_rejected", requester, request(inPhase(PhaseRejected), closedAgo(day)), Facts{}, Transition{To: PhaseInvestigation}, DefaultPolicy(), conflict("transition.not_allowed")},
		{"requester/reopen_withdrawn", requester, request(inPhase(PhaseWithdrawn), closedAgo(day)), Facts{}, Transition{To: PhaseIntake}, DefaultPolicy(), conflict("transition.not_allowed")},

		// Withdrawing is the requester's alone.
		{"requester/intake→withdrawn", requester, request(inPhase(PhaseIntake)), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), allowed},
		{"requester/investigation→withdrawn", requester, request(), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), allowed},
		{"requester/execution→withdrawn", requester, request(inPhase(PhaseExecution)), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), conflict("transition.not_allowed")},
		{"manager/intake→withdrawn", fa, request(inPhase(PhaseIntake)), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), forbidden("transition.only_requester")},
		{"manager/investigation→withdrawn", fa, request(), Facts{}, Transition{To: PhaseWithdrawn}, DefaultPolicy(), forbidden("transition.only_requester")},

		// Open technical tasks keep a request out of Uitvoering.
		{"investigation→execution/open_tasks", fa, request(), Facts{OpenTasks: 2}, Transition{To: PhaseExecution}, DefaultPolicy(),
			result{Code: CodeConflict, Key: "transition.open_tasks", Args: []any{"count", 2}}},
		{"change/investigation→execution/approved/open_tasks", fa, request(ofType(TypeChange)), Facts{Decision: DecisionApproved, OpenTasks: 1}, Transition{To: PhaseExecution}, DefaultPolicy(), conflict("transition.open_tasks")},
		{"execution→investigation/open_tasks", fa, request(inPhase(PhaseExecution)), Facts{OpenTasks: 1}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"closed→investigation/open_tasks", fa, request(inPhase(PhaseClosed)), Facts{OpenTasks: 1}, Transition{To: PhaseInvestigation}, DefaultPolicy(), allowed},
		{"investigation→rejected/open_tasks", fa, request(), Facts{OpenTasks: 1}, Transition{To: PhaseRejected, Note: "nee"}, DefaultPolicy(), conflict("transition.open_tasks")},
		{"optimisation→closed/open_tasks", fa, request(inPhase(PhaseOptimisation)), Facts{OpenTasks: 1}, Transition{To: PhaseClosed}, DefaultPolicy(), conflict("transition.open_tasks")},

		// Open escalations keep a request from ending.
		{"optimisation→closed/open_escalations", fa, request(inPhase(PhaseOptimisation)), Facts{OpenEscalations: 1}, Transition{To: PhaseClosed}, DefaultPolicy(),
			result{Code: CodeConflict, Key: "transition.open_escalations", Args: []any{"count", 1}}},
		{"optimisation→closed/no_open_escalations", fa, request(inPhase(PhaseOptimisation)), Facts{}, Transition{To: PhaseClosed}, DefaultPolicy(), allowed},
		{"investigation→rejected/open_escalations", fa, request(), Facts{OpenEscalations: 3}, Transition{To: PhaseRejected, Note: "nee"}, DefaultPolicy(), conflict("transition.open_escalations")},
		{"investigation→execution/open_escalations", fa, request(), Facts{OpenEscalations: 1}, Transition{To: PhaseExecution}, DefaultPolicy(), allowed},
		{"execution→optimisation/open_escalations", fa, request(inPhase(PhaseExecution)), Facts{OpenEscalations: 1}, Transition{To: PhaseOptimisation}, DefaultPolicy(), allowed},
	}
	// Rows that fail today, with what is wrong.
	bugs := map[string]string{
		"change/investigation→rejected/no_decision": "PRODUCT.md: \"A change request leaves Onderzoek only with a recorded decision by a process owner " +
			"(key user) of its area\"; a functional admin can still move a change request from Onderzoek to Afgewezen " +
			"without any decision, overruling the key user",
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			err := CheckTransition(tt.a, tt.r, tt.f, tt.tr, testNow, tt.p)
			expect(t, bugs[tt.name], err, tt.want)
			if tt.want.Args != nil {
				if got := fmt.Sprint(resultOf(err).Args); got != fmt.Sprint(tt.want.Args) {
					t.Errorf("Args = %s, want %v", got, tt.want.Args)
				}
			}
		})
	}
}

func TestStatusOnEntry(t *testing.T) {
	want := map[Phase]Status{
		PhaseIntake:        StatusAwaitingTriage,
		PhaseInvestigation: StatusAwaitingAssignee,
		PhaseExecution:     StatusAwaitingAssignee,
		PhaseOptimisation:  StatusAwaitingRequester,
		PhaseClosed:        StatusDone,
		PhaseRejected:      StatusDone,
		PhaseWithdrawn:     StatusDone,
	}
	if len(want) != len(Phases) {
		t.Fatalf("table covers %d of %d phases", len(want), len(Phases))
	}
	for _, p := range Phases {
		t.Run(fmt.Sprintf("%s→%s", p, want[p]), func(t *testing.T) {
			got := StatusOnEntry(p, Facts{})
			if got != want[p] {
				t.Errorf("StatusOnEntry(%s) = %s, want %s", p, got, want[p])
			}
			if !got.Valid() {
				t.Errorf("StatusOnEntry(%s) = %q is not a status", p, got)
			}
			if p.Open() == (got == StatusDone) {
				t.Errorf("phase %s open=%v but status %s", p, p.Open(), got)
			}
		})
	}
}

func TestStatusAfterComment(t *testing.T) {
	requester := actor(idRequester)
	tests := []struct {
		who    string
		a      *Actor
		phase  Phase
		status Status
		want   Status
	}{
		{"requester", requester, PhaseIntake, StatusAwaitingRequester, StatusAwaitingTriage},
		{"requester", requester, PhaseInvestigation, StatusAwaitingRequester, StatusAwaitingAssignee},
		{"requester", requester, PhaseExecution, StatusAwaitingRequester, StatusAwaitingAssignee},
		{"requester", requester, PhaseOptimisation, StatusAwaitingRequester, StatusAwaitingRequester},
		{"requester", requester, PhaseIntake, StatusAwaitingTriage, StatusAwaitingTriage},
		{"requester", requester, PhaseInvestigation, StatusAwaitingAssignee, StatusAwaitingAssignee},
		{"requester", requester, PhaseInvestigation, StatusAwaitingDecision, StatusAwaitingDecision},
		{"requester", requester, PhaseInvestigation, StatusAwaitingTechnical, StatusAwaitingTechnical},
		{"requester", requester, PhaseInvestigation, StatusAwaitingChannel, StatusAwaitingChannel},
		{"requester", requester, PhaseClosed, StatusDone, StatusDone},
		{"requester", requester, PhaseWithdrawn, StatusDone, StatusDone},
		{"functional_admin", actor(idFunc, role(RoleFunctionalAdmin, 0)), PhaseInvestigation, StatusAwaitingRequester, StatusAwaitingRequester},
		{"functional_admin", actor(idFunc, role(RoleFunctionalAdmin, 0)), PhaseIntake, StatusAwaitingRequester, StatusAwaitingRequester},
		{"assignee", actor(idAssignee), PhaseInvestigation, StatusAwaitingRequester, StatusAwaitingRequester},
		{"key_user", actor(idKeyUser, role(RoleKeyUser, areaOwn)), PhaseExecution, StatusAwaitingRequester, StatusAwaitingRequester},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s→%s", tt.who, tt.phase, tt.status, tt.want), func(t *testing.T) {
			r := request(inPhase(tt.phase), withStatus(tt.status))
			if got := StatusAfterComment(tt.a, r, Facts{}); got != tt.want {
				t.Errorf("StatusAfterComment = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckPatch(t *testing.T) {
	requester := actor(idRequester)
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	faOwn := actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn))
	faTwo := actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn), role(RoleFunctionalAdmin, areaOther))
	keyUser := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	mgmt := actor(idManagement, role(RoleManagement, 0))
	intake := request(inPhase(PhaseIntake))
	inv := request()
	change := request(ofType(TypeChange))
	technical := request(ofType(TypeTechnical))
	tests := []struct {
		name string
		a    *Actor
		r    *Request
		f    Facts
		p    Patch
		want result
	}{
		// The requester edits title and description while in Aanvraag.
		{"requester/intake/title", requester, intake, Facts{}, Patch{Title: ptr("Nieuwe titel")}, allowed},
		{"requester/intake/description", requester, intake, Facts{}, Patch{Description: ptr("Meer uitleg")}, allowed},
		{"requester/intake/title+description", requester, intake, Facts{}, Patch{Title: ptr("t"), Description: ptr("")}, allowed},
		{"requester/intake/nothing", requester, intake, Facts{}, Patch{}, allowed},
		{"requester/investigation/title", requester, inv, Facts{}, Patch{Title: ptr("t")}, fieldsForbidden("title")},
		{"requester/investigation/description", requester, inv, Facts{}, Patch{Description: ptr("d")}, fieldsForbidden("description")},
		{"requester/execution/title+description", requester, request(inPhase(PhaseExecution)), Facts{}, Patch{Title: ptr("t"), Description: ptr("d")}, fieldsForbidden("title", "description")},
		{"requester/closed/title", requester, request(inPhase(PhaseClosed)), Facts{}, Patch{Title: ptr("t")}, fieldsForbidden("title")},
		// ... and nothing a manager sets.
		{"requester/intake/assignee", requester, intake, Facts{}, Patch{AssigneeID: ptr(idRequester)}, fieldsForbidden("assignee")},
		{"requester/intake/priority", requester, intake, Facts{}, Patch{Priority: ptr(PriorityUrgent)}, fieldsForbidden("priority")},
		{"requester/intake/status", requester, intake, Facts{}, Patch{Status: ptr(StatusAwaitingAssignee)}, fieldsForbidden("status")},
		{"requester/intake/type", requester, intake, Facts{}, Patch{Type: ptr(TypeIncident)}, fieldsForbidden("type")},
		{"requester/intake/area", requester, intake, Facts{}, Patch{AreaID: ptr(areaOther)}, fieldsForbidden("area")},
		{"requester/intake/process", requester, intake, Facts{}, Patch{ProcessID: ptr(int64(7))}, fieldsForbidden("process")},
		{"requester/intake/every_staff_field+title", requester, intake, Facts{}, Patch{Title: ptr("t"), Type: ptr(TypeWish), AreaID: ptr(areaOther),
			ProcessID: ptr(int64(7)), Priority: ptr(PriorityHigh), AssigneeID: ptr(idRequester), Status: ptr(StatusAwaitingAssignee)},
			fieldsForbidden("type", "area", "process", "priority", "assignee", "status")},
		{"requester/investigation/title+priority", requester, inv, Facts{}, Patch{Title: ptr("t"), Priority: ptr(PriorityHigh)}, fieldsForbidden("priority", "title")},
		// Others who may read but not manage.
		{"key_user/own_area/title", keyUser, intake, Facts{}, Patch{Title: ptr("t")}, fieldsForbidden("title")},
		{"key_user/own_area/priority", keyUser, inv, Facts{}, Patch{Priority: ptr(PriorityHigh)}, fieldsForbidden("priority")},
		{"management/title", mgmt, inv, Facts{}, Patch{Title: ptr("t")}, fieldsForbidden("title")},
		{"management/assignee", mgmt, inv, Facts{}, Patch{AssigneeID: ptr(idManagement)}, fieldsForbidden("assignee")},
		{"assignee/description", actor(idAssignee), inv, Facts{}, Patch{Description: ptr("d")}, fieldsForbidden("description")},
		{"technical_admin/question/priority", tech, inv, Facts{}, Patch{Priority: ptr(PriorityHigh)}, fieldsForbidden("priority")},
		{"technical_admin+task/status", actor(idTechElse, role(RoleTechnicalAdmin, areaOther)), inv, Facts{HasTask: true}, Patch{Status: ptr(StatusAwaitingRequester)}, fieldsForbidden("status")},
		{"other_user/title", actor(idPlainUser), intake, Facts{}, Patch{Title: ptr("t")}, notFound()},
		{"functional_admin/other_area/priority", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), inv, Facts{}, Patch{Priority: ptr(PriorityHigh)}, notFound()},
		// Invalid values are named, whoever sends them.
		{"requester/intake/empty_title", requester, intake, Facts{}, Patch{Title: ptr("")}, invalid("title")},
		{"requester/intake/blank_title", requester, intake, Facts{}, Patch{Title: ptr("   ")}, invalid("title")},
		{"requester/intake/title_too_long", requester, intake, Facts{}, Patch{Title: ptr(strings.Repeat("a", MaxTitle+1))}, invalid("title")},
		{"requester/intake/title_max_runes", requester, intake, Facts{}, Patch{Title: ptr(strings.Repeat("ë", MaxTitle))}, allowed},
		{"requester/intake/title_control_char", requester, intake, Facts{}, Patch{Title: ptr("a\x07b")}, invalid("title")},
		{"requester/intake/description_too_long", requester, intake, Facts{}, Patch{Description: ptr(strings.Repeat("a", MaxDescription+1))}, invalid("description")},
		{"requester/intake/bad_priority", requester, intake, Facts{}, Patch{Priority: ptr(Priority("critical"))}, invalid("priority")},
		{"manager/bad_type", fa, inv, Facts{}, Patch{Type: ptr(Type("bogus"))}, invalid("type")},
		{"manager/bad_priority", fa, inv, Facts{}, Patch{Priority: ptr(Priority("critical"))}, invalid("priority")},
		{"manager/status_unknown", fa, inv, Facts{}, Patch{Status: ptr(Status("waiting"))}, invalid("status")},
		{"manager/status_done", fa, inv, Facts{}, Patch{Status: ptr(StatusDone)}, invalid("status")},
		{"manager/status_awaiting_triage", fa, inv, Facts{}, Patch{Status: ptr(StatusAwaitingTriage)}, invalid("status")},
		{"manager/status_awaiting_technical", fa, inv, Facts{}, Patch{Status: ptr(StatusAwaitingTechnical)}, invalid("status")},
		{"manager/status_awaiting_channel", fa, inv, Facts{}, Patch{Status: ptr(StatusAwaitingChannel)}, invalid("status")},
		{"manager/several_invalid", fa, inv, Facts{}, Patch{Title: ptr(""), Type: ptr(Type("x")), Priority: ptr(Priority("y")), Status: ptr(Status("z"))}, invalid("title", "type", "priority", "status")},
		// Managers set every field of an open request.
		{"manager/assignee", fa, inv, Facts{}, Patch{AssigneeID: ptr(idFunc)}, allowed},
		{"manager/priority", fa, inv, Facts{}, Patch{Priority: ptr(PriorityUrgent)}, allowed},
		{"manager/type", fa, intake, Facts{}, Patch{Type: ptr(TypeIncident)}, allowed},
		{"manager/title+description", faOwn, inv, Facts{}, Patch{Title: ptr("t"), Description: ptr("d")}, allowed},
		{"manager/status_awaiting_requester", fa, inv, Facts{}, Patch{Status: ptr(StatusAwaitingRequester)}, allowed},
		{"manager/status_awaiting_assignee", fa, inv, Facts{}, Patch{Status: ptr(StatusAwaitingAssignee)}, allowed},
		{"technical_admin/technical/priority", tech, technical, Facts{}, Patch{Priority: ptr(PriorityHigh)}, allowed},
		{"manager/closed/priority", fa, request(inPhase(PhaseClosed)), Facts{}, Patch{Priority: ptr(PriorityHigh)}, conflict("request.not_open")},
		{"manager/rejected/title", fa, request(inPhase(PhaseRejected)), Facts{}, Patch{Title: ptr("t")}, conflict("request.not_open")},
		{"manager/withdrawn/assignee", fa, request(inPhase(PhaseWithdrawn)), Facts{}, Patch{AssigneeID: ptr(idFunc)}, conflict("request.not_open")},
		// Waiting for a decision: change requests in Onderzoek only.
		{"manager/change/investigation/awaiting_decision", fa, change, Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, allowed},
		{"manager/question/investigation/awaiting_decision", fa, inv, Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"manager/wish/investigation/awaiting_decision", fa, request(ofType(TypeWish)), Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"manager/change/intake/awaiting_decision", fa, request(ofType(TypeChange), inPhase(PhaseIntake)), Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"manager/change/execution/awaiting_decision", fa, request(ofType(TypeChange), inPhase(PhaseExecution)), Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"manager/change/optimisation/awaiting_decision", fa, request(ofType(TypeChange), inPhase(PhaseOptimisation)), Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"manager/question→change/investigation/awaiting_decision", fa, inv, Facts{}, Patch{Type: ptr(TypeChange), Status: ptr(StatusAwaitingDecision)}, allowed},
		{"manager/change→question/investigation/awaiting_decision", fa, change, Facts{}, Patch{Type: ptr(TypeQuestion), Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"technical_admin/technical/awaiting_decision", tech, technical, Facts{}, Patch{Status: ptr(StatusAwaitingDecision)}, conflict("status.decision_only_change")},
		{"manager/change/awaiting_decision/type→question", fa, request(ofType(TypeChange), withStatus(StatusAwaitingDecision)), Facts{}, Patch{Type: ptr(TypeQuestion)}, conflict("status.decision_only_change")},
		{"manager/change/awaiting_decision/type→question+status_awaiting_assignee", fa, request(ofType(TypeChange), withStatus(StatusAwaitingDecision)), Facts{}, Patch{Type: ptr(TypeQuestion), Status: ptr(StatusAwaitingAssignee)}, allowed},
		// A manager keeps requests inside their own areas.
		{"manager/own_area/area→other_area", faOwn, inv, Facts{}, Patch{AreaID: ptr(areaOther)}, forbidden("request.area_out_of_scope")},
		{"manager/own_area/area→unknown", faOwn, inv, Facts{}, Patch{AreaID: ptr(int64(0))}, forbidden("request.area_out_of_scope")},
		{"manager/own_area/area→same", faOwn, inv, Facts{}, Patch{AreaID: ptr(areaOwn)}, allowed},
		{"manager/own_area/area→other_area+priority", faOwn, inv, Facts{}, Patch{AreaID: ptr(areaOther), Priority: ptr(PriorityHigh)}, forbidden("request.area_out_of_scope")},
		{"manager/both_areas/area→other_area", faTwo, inv, Facts{}, Patch{AreaID: ptr(areaOther)}, allowed},
		{"manager/unscoped/area→other_area", fa, inv, Facts{}, Patch{AreaID: ptr(areaOther)}, allowed},
		{"manager/unscoped/intake/area→set", fa, request(inPhase(PhaseIntake), inArea(0)), Facts{}, Patch{AreaID: ptr(areaOwn)}, allowed},
		{"technical_admin/technical/area→other_area", tech, technical, Facts{}, Patch{AreaID: ptr(areaOther)}, forbidden("request.area_out_of_scope")},
	}
	bugs := map[string]string{
		"manager/change/awaiting_decision/type→question": "changing the type of a change request that waits for a decision " +
			"leaves a question (or wish…) in status awaiting_decision, the state that setting the status directly refuses " +
			"with status.decision_only_change",
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			p := tt.p
			expect(t, bugs[tt.name], CheckPatch(tt.a, tt.r, tt.f, &p), tt.want)
		})
	}
}

func TestPatchEmpty(t *testing.T) {
	tests := []struct {
		name string
		p    Patch
		want bool
	}{
		{"nothing", Patch{}, true},
		{"title", Patch{Title: ptr("")}, false},
		{"description", Patch{Description: ptr("")}, false},
		{"type", Patch{Type: ptr(TypeWish)}, false},
		{"area", Patch{AreaID: ptr(int64(0))}, false},
		{"process", Patch{ProcessID: ptr(int64(0))}, false},
		{"priority", Patch{Priority: ptr(PriorityLow)}, false},
		{"assignee", Patch{AssigneeID: ptr(int64(0))}, false},
		{"status", Patch{Status: ptr(StatusAwaitingAssignee)}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s→%v", tt.name, tt.want), func(t *testing.T) {
			if got := tt.p.Empty(); got != tt.want {
				t.Errorf("Empty() = %v", got)
			}
		})
	}
}

// TestCheckComment: everyone who may see a request comments publicly except
// management (read-only); internal notes are for staff of the area and the
// holder of a technical task, never for the requester.
func TestCheckComment(t *testing.T) {
	tests := []struct {
		person           string
		public, internal result
	}{
		{"requester", allowed, forbidden("comment.internal_forbidden")},
		{"other_user", notFound(), notFound()},
		{"key_user/own_area", allowed, allowed},
		{"key_user/other_area", notFound(), notFound()},
		{"functional_admin/unscoped", allowed, allowed},
		{"functional_admin/own_area", allowed, allowed},
		{"functional_admin/other_area", notFound(), notFound()},
		{"technical_admin/own_area", allowed, allowed},
		{"technical_admin/other_area", notFound(), notFound()},
		{"technical_admin/other_area+task", allowed, allowed},
		{"management", forbidden("comment.forbidden"), forbidden("comment.internal_forbidden")},
		{"assignee", allowed, forbidden("comment.internal_forbidden")},
	}
	for _, tt := range tests {
		p := personNamed(t, tt.person)
		for _, internal := range []bool{false, true} {
			want, kind := tt.public, "public"
			if internal {
				want, kind = tt.internal, "internal"
			}
			t.Run(fmt.Sprintf("%s/%s=%s", p.name, kind, outcomeName(want)), func(t *testing.T) {
				expect(t, "", CheckComment(p.actor, request(), p.facts, internal), want)
			})
		}
	}
	extra := []struct {
		name     string
		a        *Actor
		internal bool
		want     result
	}{
		{"functional_admin/own_area+requester/internal", actor(idRequester, role(RoleFunctionalAdmin, areaOwn)), true, forbidden("comment.internal_forbidden")},
		{"functional_admin/own_area+requester/public", actor(idRequester, role(RoleFunctionalAdmin, areaOwn)), false, allowed},
		{"management+requester/public", actor(idRequester, role(RoleManagement, 0)), false, allowed},
		{"management+key_user/own_area/public", actor(idManagement, role(RoleManagement, 0), role(RoleKeyUser, areaOwn)), false, allowed},
		{"nil_actor/public", nil, false, notFound()},
	}
	for _, tt := range extra {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckComment(tt.a, request(), Facts{}, tt.internal), tt.want)
		})
	}
}

func TestNewCommentValidate(t *testing.T) {
	tests := []struct {
		name string
		body string
		want result
	}{
		{"text", "Dank je!", allowed},
		{"empty", "", invalid("body")},
		{"blank", " \n ", invalid("body")},
		{"too_long", strings.Repeat("x", MaxComment+1), invalid("body")},
		{"control_char", "a\x00", invalid("body")},
		{"tabs_and_newlines", "a\tb\r\nc", allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			n := NewComment{Body: tt.body}
			expect(t, "", n.Validate(), tt.want)
		})
	}
}

func TestCheckEvaluation(t *testing.T) {
	requester := actor(idRequester)
	opt := request(inPhase(PhaseOptimisation))
	tests := []struct {
		name string
		a    *Actor
		r    *Request
		e    Evaluation
		want result
	}{
		{"requester/optimisation/rating_1", requester, opt, Evaluation{Rating: 1}, allowed},
		{"requester/optimisation/rating_3+note", requester, opt, Evaluation{Rating: 3, Note: "Werkt, maar traag"}, allowed},
		{"requester/optimisation/rating_5", requester, opt, Evaluation{Rating: 5}, allowed},
		{"requester/optimisation/rating_0", requester, opt, Evaluation{Rating: 0}, invalid("rating")},
		{"requester/optimisation/rating_6", requester, opt, Evaluation{Rating: 6}, invalid("rating")},
		{"requester/optimisation/rating_-1", requester, opt, Evaluation{Rating: -1}, invalid("rating")},
		{"requester/optimisation/note_too_long", requester, opt, Evaluation{Rating: 4, Note: strings.Repeat("a", MaxNote+1)}, invalid("note")},
		{"requester/optimisation/note_control_char", requester, opt, Evaluation{Rating: 4, Note: "\x1b"}, invalid("note")},
		{"requester/optimisation/rating_0+note_too_long", requester, opt, Evaluation{Rating: 0, Note: strings.Repeat("a", MaxNote+1)}, invalid("rating", "note")},
		{"requester/intake", requester, request(inPhase(PhaseIntake)), Evaluation{Rating: 4}, conflict("evaluation.wrong_phase")},
		{"requester/investigation", requester, request(), Evaluation{Rating: 4}, conflict("evaluation.wrong_phase")},
		{"requester/execution", requester, request(inPhase(PhaseExecution)), Evaluation{Rating: 4}, conflict("evaluation.wrong_phase")},
		{"requester/closed", requester, request(inPhase(PhaseClosed)), Evaluation{Rating: 4}, conflict("evaluation.wrong_phase")},
		{"functional_admin", actor(idFunc, role(RoleFunctionalAdmin, 0)), opt, Evaluation{Rating: 4}, forbidden("evaluation.only_requester")},
		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), opt, Evaluation{Rating: 4}, forbidden("evaluation.only_requester")},
		{"management", actor(idManagement, role(RoleManagement, 0)), opt, Evaluation{Rating: 4}, forbidden("evaluation.only_requester")},
		{"assignee", actor(idAssignee), opt, Evaluation{Rating: 4}, forbidden("evaluation.only_requester")},
		{"other_user", actor(idPlainUser), opt, Evaluation{Rating: 4}, notFound()},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckEvaluation(tt.a, tt.r, Facts{}, tt.e), tt.want)
		})
	}
}

// TestCheckAttach: whoever may comment publicly may attach files, while the
// request is open.
func TestCheckAttach(t *testing.T) {
	tests := []struct {
		person string
		phase  Phase
		want   result
	}{
		{"requester", PhaseIntake, allowed},
		{"requester", PhaseInvestigation, allowed},
		{"requester", PhaseOptimisation, allowed},
		{"requester", PhaseClosed, conflict("request.not_open")},
		{"requester", PhaseWithdrawn, conflict("request.not_open")},
		{"functional_admin/unscoped", PhaseExecution, allowed},
		{"functional_admin/unscoped", PhaseRejected, conflict("request.not_open")},
		{"key_user/own_area", PhaseInvestigation, allowed},
		{"technical_admin/other_area+task", PhaseExecution, allowed},
		{"assignee", PhaseInvestigation, allowed},
		{"management", PhaseInvestigation, forbidden("comment.forbidden")},
		{"management", PhaseClosed, forbidden("comment.forbidden")},
		{"other_user", PhaseInvestigation, notFound()},
		{"key_user/other_area", PhaseInvestigation, notFound()},
	}
	for _, tt := range tests {
		p := personNamed(t, tt.person)
		t.Run(fmt.Sprintf("%s/%s=%s", p.name, tt.phase, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckAttach(p.actor, request(inPhase(tt.phase)), p.facts), tt.want)
		})
	}
}

// TestNilActor: every rule treats a missing actor as nobody: it refuses, and
// does not panic.
func TestNilActor(t *testing.T) {
	task := &Task{ID: 1, RequestID: 100, AssigneeID: idTech, Status: TaskOpen}
	checks := []struct {
		name string
		run  func() error
		bug  string
	}{
		{"CheckTransition", func() error {
			return CheckTransition(nil, request(), Facts{}, Transition{To: PhaseExecution}, testNow, DefaultPolicy())
		}, ""},
		{"CheckPatch", func() error { return CheckPatch(nil, request(), Facts{}, &Patch{Title: ptr("t")}) }, ""},
		{"CheckComment", func() error { return CheckComment(nil, request(), Facts{}, false) }, ""},
		{"CheckEvaluation", func() error { return CheckEvaluation(nil, request(), Facts{}, Evaluation{Rating: 3}) }, ""},
		{"CheckAttach", func() error { return CheckAttach(nil, request(), Facts{}) }, ""},
		{"CheckDecision", func() error {
			return CheckDecision(nil, request(ofType(TypeChange)), Facts{}, &Panel{}, testNow, DecisionApproved, "ja")
		}, ""},
		{"CheckEscalation", func() error {
			return CheckEscalation(nil, request(), Facts{}, NewEscalation{Channel: ChannelConsultancy}, DefaultPolicy(), false)
		}, ""},
		{"CheckCloseEscalation", func() error {
			return CheckCloseEscalation(nil, request(), Facts{}, &Escalation{Channel: ChannelConsultancy}, "klaar")
		}, ""},
		{"CheckTask", func() error { return CheckTask(nil, request(), Facts{}, NewTask{Title: "t"}) }, ""},
		{"CheckCompleteTask", func() error { return CheckCompleteTask(nil, request(), task, "klaar") },
			"CheckCompleteTask dereferences the actor without a nil check (a.UserID) and panics, where every other rule answers not found"},
	}
	for _, c := range checks {
		t.Run(c.name+"→refused", func(t *testing.T) {
			var err error
			panicked := func() (p any) {
				defer func() { p = recover() }()
				err = c.run()
				return nil
			}()
			verdict(t, c.bug, panicked == nil, "panics: %v", panicked)
			code := ErrorCode(err)
			if code != CodeNotFound && code != CodeForbidden {
				t.Errorf("err = %v, want not found or forbidden", err)
			}
		})
	}
}

func TestPhaseAndStatusProperties(t *testing.T) {
	open := map[Phase]bool{PhaseIntake: true, PhaseInvestigation: true, PhaseExecution: true, PhaseOptimisation: true}
	for _, p := range append(slices.Clone(Phases), "archived", "") {
		t.Run(fmt.Sprintf("phase/%q/valid=%v,open=%v", p, slices.Contains(Phases, p), open[p]), func(t *testing.T) {
			if got := p.Valid(); got != slices.Contains(Phases, p) {
				t.Errorf("Valid() = %v", got)
			}
			if got := p.Open(); got != open[p] {
				t.Errorf("Open() = %v", got)
			}
		})
	}
	// Waiting on the requester or an outside party pauses the service-level clock.
	paused := map[Status]bool{StatusAwaitingRequester: true, StatusAwaitingChannel: true, StatusDone: true}
	for _, s := range Statuses {
		t.Run(fmt.Sprintf("status/%s/paused=%v", s, paused[s]), func(t *testing.T) {
			if !s.Valid() {
				t.Error("Valid() = false")
			}
			if got := s.Paused(); got != paused[s] {
				t.Errorf("Paused() = %v", got)
			}
		})
	}
	t.Run("status/unknown/invalid", func(t *testing.T) {
		if Status("waiting").Valid() {
			t.Error("Valid() = true")
		}
	})
	for i, p := range Priorities {
		t.Run(fmt.Sprintf("priority/%s/rank=%d", p, i), func(t *testing.T) {
			if !p.Valid() || p.Rank() != i {
				t.Errorf("Valid() = %v, Rank() = %d", p.Valid(), p.Rank())
			}
		})
	}
	t.Run("priority/urgent_above_low", func(t *testing.T) {
		if PriorityUrgent.Rank() <= PriorityHigh.Rank() || PriorityHigh.Rank() <= PriorityNormal.Rank() || PriorityNormal.Rank() <= PriorityLow.Rank() {
			t.Error("priorities out of order")
		}
		if Priority("critical").Valid() {
			t.Error("unknown priority valid")
		}
	})
}

func TestNewRequestValidate(t *testing.T) {
	tests := []struct {
		name string
		n    NewRequest
		want result
	}{
		{"question", NewRequest{Type: TypeQuestion, Title: "Hoe vraag ik verlof aan?"}, allowed},
		{"change_with_area_and_priority", NewRequest{Type: TypeChange, Title: "t", AreaID: areaOwn, Priority: PriorityHigh}, allowed},
		{"no_type", NewRequest{Title: "t"}, invalid("type")},
		{"unknown_type", NewRequest{Type: "klacht", Title: "t"}, invalid("type")},
		{"no_title", NewRequest{Type: TypeWish}, invalid("title")},
		{"title_too_long", NewRequest{Type: TypeWish, Title: strings.Repeat("t", MaxTitle+1)}, invalid("title")},
		{"description_control_char", NewRequest{Type: TypeWish, Title: "t", Description: "\x00"}, invalid("description")},
		{"unknown_priority", NewRequest{Type: TypeWish, Title: "t", Priority: "asap"}, invalid("priority")},
		{"everything_wrong", NewRequest{Type: "x", Description: strings.Repeat("d", MaxDescription+1), Priority: "y"}, invalid("type", "title", "description", "priority")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", tt.n.Validate(), tt.want)
		})
	}
}
