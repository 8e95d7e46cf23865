package beheer

import "testing"

// TestCheckQuestion is the truth table of asking the requester: managers
// of the request may, while it is open; whoever sees the request but does
// not manage it is refused with the question's own message; whoever does
// not see it gets not found.
func TestCheckQuestion(t *testing.T) {
	refused := forbidden("question.forbidden")
	tests := []struct {
		person string
		phase  Phase
		want   result
	}{
		{"functional_admin/unscoped", PhaseInvestigation, allowed},
		{"functional_admin/own_area", PhaseIntake, allowed},
		{"functional_admin/own_area", PhaseExecution, allowed},
		{"functional_admin/own_area", PhaseClosed, conflict("request.not_open")},
		{"functional_admin/other_area", PhaseInvestigation, notFound()},
		{"requester", PhaseInvestigation, refused},
		{"assignee", PhaseInvestigation, refused},
		{"key_user/own_area", PhaseInvestigation, refused},
		{"technical_admin/own_area", PhaseInvestigation, refused},
		{"management", PhaseInvestigation, refused},
		{"other_user", PhaseInvestigation, notFound()},
	}
	for _, tt := range tests {
		t.Run(tt.person+"/"+string(tt.phase)+"/"+outcomeName(tt.want), func(t *testing.T) {
			p := personNamed(t, tt.person)
			expect(t, "", CheckQuestion(p.actor, request(inPhase(tt.phase)), p.facts), tt.want)
		})
	}
	// A technical request is managed by its technical admin too.
	tech := personNamed(t, "technical_admin/own_area")
	expect(t, "", CheckQuestion(tech.actor, request(ofType(TypeTechnical)), tech.facts), allowed)
}
