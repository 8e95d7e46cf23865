package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestCheckDecision: where the area has a key user, only a key user of the
// request's area decides, only on a change request in Onderzoek, only once, always with an
// outcome and a motivation.
func TestCheckDecision(t *testing.T) {
	keyUser := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	change := request(ofType(TypeChange))
	// The area's deciders are its key users, as the decider rule gives them:
	// idKeyUser, and the actor when their roles make them a key user of the
	// area (as the store reads them from the roles).
	panelFor := func(a *Actor) *Panel {
		keyUsers := []int64{idKeyUser}
		for _, as := range a.Roles {
			if as.Role == RoleKeyUser && (as.AreaID == 0 || as.AreaID == areaOwn) {
				keyUsers = append(keyUsers, a.UserID)
			}
		}
		p := NewPanel(DeciderCandidates{AreaID: areaOwn, KeyUsers: keyUsers, ProcessOwner: idFuncOwn,
			FunctionalAdmins: []int64{idFunc}})
		return &p
	}
	const why = "Past in het verlofbeleid"
	tests := []struct {
		name       string
		a          *Actor
		r          *Request
		f          Facts
		outcome    DecisionOutcome
		motivation string
		want       result
	}{
		{"key_user/own_area/approved", keyUser, change, Facts{}, DecisionApproved, why, allowed},
		{"key_user/own_area/rejected", keyUser, change, Facts{}, DecisionRejected, why, allowed},
		{"key_user/unscoped/approved", actor(idKeyUser, role(RoleKeyUser, 0)), change, Facts{}, DecisionApproved, why, allowed},
		{"key_user/both_areas/approved", actor(idKeyUser, role(RoleKeyUser, areaOther), role(RoleKeyUser, areaOwn)), change, Facts{}, DecisionApproved, why, allowed},
		{"functional_admin+key_user/own_area/approved", actor(idFunc, role(RoleFunctionalAdmin, 0), role(RoleKeyUser, areaOwn)), change, Facts{}, DecisionApproved, why, allowed},

		// Nobody else decides. Someone who cannot see the request is told it
		// does not exist; someone who can see it is refused.
		{"key_user/other_area/cannot_see", actor(idKeyUserElse, role(RoleKeyUser, areaOther)), change, Facts{}, DecisionApproved, why, notFound()},
		{"key_user/other_area/filed_it", actor(idRequester, role(RoleKeyUser, areaOther)), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"key_user/other_area+management", actor(idKeyUserElse, role(RoleKeyUser, areaOther), role(RoleManagement, 0)), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"functional_admin/unscoped", actor(idFunc, role(RoleFunctionalAdmin, 0)), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"functional_admin/own_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"technical_admin/own_area", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"technical_admin/other_area+task", actor(idTechElse, role(RoleTechnicalAdmin, areaOther)), change, Facts{HasTask: true}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"management", actor(idManagement, role(RoleManagement, 0)), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"requester", actor(idRequester), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"assignee", actor(idAssignee), change, Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},
		{"other_user", actor(idPlainUser), change, Facts{}, DecisionApproved, why, notFound()},
		{"key_user/unscoped/unknown_area", actor(idKeyUser, role(RoleKeyUser, 0)), request(ofType(TypeChange), inArea(0)), Facts{}, DecisionApproved, why, forbidden("decision.only_key_user")},

		// Only change requests.
		{"key_user/question", keyUser, request(ofType(TypeQuestion)), Facts{}, DecisionApproved, why, conflict("decision.only_change")},
		{"key_user/wish", keyUser, request(ofType(TypeWish)), Facts{}, DecisionApproved, why, conflict("decision.only_change")},
		{"key_user/incident", keyUser, request(ofType(TypeIncident)), Facts{}, DecisionApproved, why, conflict("decision.only_change")},
		{"key_user/access", keyUser, request(ofType(TypeAccess)), Facts{}, DecisionApproved, why, conflict("decision.only_change")},
		{"key_user/technical", keyUser, request(ofType(TypeTechnical)), Facts{}, DecisionApproved, why, conflict("decision.only_change")},

		// Only in Onderzoek.
		{"key_user/change/intake", keyUser, request(ofType(TypeChange), inPhase(PhaseIntake)), Facts{}, DecisionApproved, why, conflict("decision.wrong_phase")},
		{"key_user/change/execution", keyUser, request(ofType(TypeChange), inPhase(PhaseExecution)), Facts{}, DecisionApproved, why, conflict("decision.wrong_phase")},
		{"key_user/change/optimisation", keyUser, request(ofType(TypeChange), inPhase(PhaseOptimisation)), Facts{}, DecisionRejected, why, conflict("decision.wrong_phase")},
		{"key_user/change/closed", keyUser, request(ofType(TypeChange), inPhase(PhaseClosed)), Facts{}, DecisionApproved, why, conflict("decision.wrong_phase")},
		{"key_user/change/rejected", keyUser, request(ofType(TypeChange), inPhase(PhaseRejected)), Facts{}, DecisionApproved, why, conflict("decision.wrong_phase")},
		{"key_user/change/withdrawn", keyUser, request(ofType(TypeChange), inPhase(PhaseWithdrawn)), Facts{}, DecisionApproved, why, conflict("decision.wrong_phase")},

		// Only once.
		{"key_user/already_approved", keyUser, change, Facts{Decision: DecisionApproved}, DecisionApproved, why, conflict("decision.already")},
		{"key_user/already_rejected", keyUser, change, Facts{Decision: DecisionRejected}, DecisionApproved, why, conflict("decision.already")},

		// Outcome and motivation are required.
		{"key_user/no_outcome", keyUser, change, Facts{}, "", why, invalid("outcome")},
		{"key_user/unknown_outcome", keyUser, change, Facts{}, "maybe", why, invalid("outcome")},
		{"key_user/no_motivation", keyUser, change, Facts{}, DecisionApproved, "", invalid("motivation")},
		{"key_user/blank_motivation", keyUser, change, Facts{}, DecisionRejected, "  \n", invalid("motivation")},
		{"key_user/motivation_too_long", keyUser, change, Facts{}, DecisionApproved, strings.Repeat("m", MaxNote+1), invalid("motivation")},
		{"key_user/motivation_control_char", keyUser, change, Facts{}, DecisionApproved, "ja\x00", invalid("motivation")},
		{"key_user/no_outcome+no_motivation", keyUser, change, Facts{}, "", "", invalid("outcome", "motivation")},
		{"key_user/motivation_max", keyUser, change, Facts{}, DecisionApproved, strings.Repeat("m", MaxNote), allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckDecision(tt.a, tt.r, tt.f, panelFor(tt.a), testNow, tt.outcome, tt.motivation), tt.want)
		})
	}
}

func TestDecisionOutcomeValid(t *testing.T) {
	for _, tt := range []struct {
		o    DecisionOutcome
		want bool
	}{{DecisionApproved, true}, {DecisionRejected, true}, {"", false}, {"Approved", false}, {"maybe", false}} {
		t.Run(fmt.Sprintf("%q→%v", tt.o, tt.want), func(t *testing.T) {
			if got := tt.o.Valid(); got != tt.want {
				t.Errorf("Valid() = %v", got)
			}
		})
	}
}
