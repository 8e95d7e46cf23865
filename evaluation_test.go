package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestEvaluators: the process owner and the key users of the area
// evaluate, each once; where there are none, who manages the request.
func TestEvaluators(t *testing.T) {
	owner := PersonName{ID: 30, Name: "Olga"}
	key := PersonName{ID: idKeyUser, Name: "Karel"}
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tests := []struct {
		name   string
		ef     EvaluatorFacts
		want   []int64
		who    *Actor
		allows bool
	}{
		{"key_users", EvaluatorFacts{KeyUsers: []PersonName{key}}, []int64{idKeyUser}, actor(idKeyUser, role(RoleKeyUser, areaOwn)), true},
		{"key_users/admin_not", EvaluatorFacts{KeyUsers: []PersonName{key}}, []int64{idKeyUser}, fa, false},
		{"owner_and_key_user", EvaluatorFacts{ProcessOwner: owner, KeyUsers: []PersonName{key}}, []int64{30, idKeyUser}, actor(30), true},
		{"owner_is_key_user", EvaluatorFacts{ProcessOwner: key, KeyUsers: []PersonName{key}}, []int64{idKeyUser}, actor(idKeyUser), true},
		{"owner_only", EvaluatorFacts{ProcessOwner: owner}, []int64{30}, actor(idKeyUser, role(RoleKeyUser, areaOwn)), false},
		{"none/manager", EvaluatorFacts{}, nil, fa, true},
		{"none/requester", EvaluatorFacts{}, nil, actor(idRequester), false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%v", tt.name, tt.allows), func(t *testing.T) {
			var got []int64
			for _, p := range tt.ef.Evaluators() {
				got = append(got, p.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Evaluators = %v, want %v", got, tt.want)
			}
			if CanEvaluateOutcome(tt.who, request(), tt.ef) != tt.allows {
				t.Errorf("CanEvaluateOutcome = %v", !tt.allows)
			}
		})
	}
}

// TestCheckOwnerEvaluation: an evaluator answers "doel bereikt?" in
// Optimalisatie; "partly" and "no" need notes. (Before, only the requester
// could evaluate: the key user got 403.)
func TestCheckOwnerEvaluation(t *testing.T) {
	keyUsers := EvaluatorFacts{KeyUsers: []PersonName{{ID: idKeyUser}}}
	key := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	tests := []struct {
		name  string
		a     *Actor
		phase Phase
		in    OwnerEvaluationInput
		want  result
	}{
		{"key_user/yes", key, PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetYes}, allowed},
		{"key_user/partly_with_notes", key, PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetPartly, Notes: "Rapport mist nog"}, allowed},
		{"key_user/partly_without_notes", key, PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetPartly, Notes: " "}, invalid("notes")},
		{"key_user/no_without_notes", key, PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetNo}, invalid("notes")},
		{"key_user/no_answer", key, PhaseOptimisation, OwnerEvaluationInput{}, invalid("goal_met")},
		{"key_user/unknown_answer", key, PhaseOptimisation, OwnerEvaluationInput{GoalMet: "maybe"}, invalid("goal_met")},
		{"key_user/notes_too_long", key, PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetYes, Notes: strings.Repeat("x", MaxNote+1)}, invalid("notes")},
		{"key_user/execution", key, PhaseExecution, OwnerEvaluationInput{GoalMet: GoalMetYes}, conflict("evaluation.wrong_phase")},
		{"key_user/closed", key, PhaseClosed, OwnerEvaluationInput{GoalMet: GoalMetYes}, conflict("evaluation.wrong_phase")},
		{"requester", actor(idRequester), PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetYes}, forbidden("evaluation.only_evaluator")},
		{"functional_admin", actor(idFunc, role(RoleFunctionalAdmin, 0)), PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetYes}, forbidden("evaluation.only_evaluator")},
		{"other_user", actor(idPlainUser), PhaseOptimisation, OwnerEvaluationInput{GoalMet: GoalMetYes}, notFound()},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", CheckOwnerEvaluation(tt.a, request(inPhase(tt.phase)), Facts{}, keyUsers, &in), tt.want)
		})
	}
}

// TestCheckFollowUp: a follow-up starts from a request being evaluated or
// closed, by whoever sees it.
func TestCheckFollowUp(t *testing.T) {
	for _, ph := range Phases {
		want := conflict("followup.wrong_phase")
		if ph == PhaseOptimisation || ph == PhaseClosed {
			want = allowed
		}
		t.Run(fmt.Sprintf("%s=%s", ph, outcomeName(want)), func(t *testing.T) {
			expect(t, "", CheckFollowUp(actor(idRequester), request(inPhase(ph)), Facts{}), want)
			expect(t, "", CheckFollowUp(actor(idPlainUser), request(inPhase(ph)), Facts{}), notFound())
		})
	}
}
