package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSuggestChannel(t *testing.T) {
	tests := []struct {
		typ          Type
		integrations bool
		want         Channel
	}{
		{TypeQuestion, false, ChannelServiceManagement},
		{TypeWish, false, ChannelConsultancy},
		{TypeChange, false, ChannelConsultancy},
		{TypeIncident, false, ChannelServiceManagement},
		{TypeAccess, false, ChannelServiceManagement},
		{TypeTechnical, false, ChannelSystemIntegrator},
		{TypeQuestion, true, ChannelSystemIntegrator},
		{TypeWish, true, ChannelSystemIntegrator},
		{TypeChange, true, ChannelSystemIntegrator},
		{TypeIncident, true, ChannelSystemIntegrator},
		{TypeAccess, true, ChannelSystemIntegrator},
		{TypeTechnical, true, ChannelSystemIntegrator},
	}
	if len(tests) != 2*len(Types) {
		t.Fatalf("table covers %d rows, want every type twice", len(tests))
	}
	for _, tt := range tests {
		area := "other_area"
		if tt.integrations {
			area = "integrations_area"
		}
		t.Run(fmt.Sprintf("%s/%s→%s", tt.typ, area, tt.want), func(t *testing.T) {
			got := SuggestChannel(tt.typ, tt.integrations)
			if got != tt.want {
				t.Errorf("SuggestChannel = %s, want %s", got, tt.want)
			}
			if got == ChannelSupport {
				t.Error("SuggestChannel names Support, the channel that refused")
			}
		})
	}
}

// TestCheckEscalationSupportRule: with the rule on, Support takes incidents
// only; anything else is refused on the channel field with a message that
// names the right channel.
func TestCheckEscalationSupportRule(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	on := DefaultPolicy()
	off := DefaultPolicy()
	off.SupportIncidentsOnly = false
	tests := []struct {
		typ          Type
		integrations bool
		phase        Phase
		p            Policy
		suggest      Channel // "" when allowed
	}{
		{TypeQuestion, false, PhaseInvestigation, on, ChannelServiceManagement},
		{TypeAccess, false, PhaseInvestigation, on, ChannelServiceManagement},
		{TypeWish, false, PhaseInvestigation, on, ChannelConsultancy},
		{TypeChange, false, PhaseInvestigation, on, ChannelConsultancy},
		{TypeTechnical, false, PhaseInvestigation, on, ChannelSystemIntegrator},
		{TypeQuestion, true, PhaseInvestigation, on, ChannelSystemIntegrator},
		{TypeChange, true, PhaseInvestigation, on, ChannelSystemIntegrator},
		{TypeQuestion, false, PhaseExecution, on, ChannelServiceManagement},
		{TypeIncident, false, PhaseInvestigation, on, ""},
		{TypeIncident, true, PhaseInvestigation, on, ""},
		{TypeIncident, false, PhaseExecution, on, ""},
		{TypeQuestion, false, PhaseInvestigation, off, ""},
		{TypeChange, false, PhaseInvestigation, off, ""},
		{TypeTechnical, true, PhaseInvestigation, off, ""},
		{TypeIncident, false, PhaseInvestigation, off, ""},
	}
	for _, tt := range tests {
		rule := "rule_on"
		if !tt.p.SupportIncidentsOnly {
			rule = "rule_off"
		}
		area := "other_area"
		if tt.integrations {
			area = "integrations_area"
		}
		want := "ok"
		if tt.suggest != "" {
			want = "invalid→" + string(tt.suggest)
		}
		t.Run(fmt.Sprintf("%s/%s/%s/%s/support=%s", rule, tt.typ, area, tt.phase, want), func(t *testing.T) {
			r := request(ofType(tt.typ), inPhase(tt.phase))
			err := CheckEscalation(fa, r, Facts{}, NewEscalation{Channel: ChannelSupport, Reference: "SUP-123"}, tt.p, tt.integrations)
			if tt.suggest == "" {
				expect(t, "", err, allowed)
				return
			}
			expect(t, "", err, invalid("channel"))
			e, _ := err.(*Error)
			if e == nil || len(e.Fields) != 1 {
				t.Fatalf("err = %v, want one field error", err)
			}
			f := e.Fields[0]
			if f.Key != "escalation.support_incidents_only" {
				t.Errorf("field key = %q, want escalation.support_incidents_only", f.Key)
			}
			if len(f.Args) != 2 || f.Args[0] != "channel" || f.Args[1] != tt.suggest {
				t.Errorf("field args = %v, want [channel %s]", f.Args, tt.suggest)
			}
		})
	}
}

// TestCheckEscalation: who escalates where, and when.
func TestCheckEscalation(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	techTask := actor(idTechElse, role(RoleTechnicalAdmin, areaOther))
	inv := request()
	incident := request(ofType(TypeIncident))
	technical := request(ofType(TypeTechnical))
	esc := func(c Channel) NewEscalation {
		return NewEscalation{Channel: c, Reference: "REF-1", Note: "zie ticket"}
	}
	tests := []struct {
		name string
		a    *Actor
		r    *Request
		f    Facts
		e    NewEscalation
		want result
	}{
		// Functional admins escalate to every channel.
		{"functional_admin/unscoped/consultancy", fa, inv, Facts{}, esc(ChannelConsultancy), allowed},
		{"functional_admin/unscoped/service_management", fa, inv, Facts{}, esc(ChannelServiceManagement), allowed},
		{"functional_admin/unscoped/system_integrator", fa, inv, Facts{}, esc(ChannelSystemIntegrator), allowed},
		{"functional_admin/unscoped/support/incident", fa, incident, Facts{}, esc(ChannelSupport), allowed},
		{"functional_admin/own_area/consultancy", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), inv, Facts{}, esc(ChannelConsultancy), allowed},
		{"functional_admin/own_area/support/incident", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), incident, Facts{}, esc(ChannelSupport), allowed},
		{"functional_admin/other_area/consultancy", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), inv, Facts{}, esc(ChannelConsultancy), notFound()},
		{"functional_admin/no_reference", fa, inv, Facts{}, NewEscalation{Channel: ChannelConsultancy}, allowed},

		// Technical admins escalate to the system integrator only.
		{"technical_admin/own_area/technical/system_integrator", tech, technical, Facts{}, esc(ChannelSystemIntegrator), allowed},
		{"technical_admin/own_area/technical/consultancy", tech, technical, Facts{}, esc(ChannelConsultancy), forbidden("escalation.forbidden")},
		{"technical_admin/own_area/technical/service_management", tech, technical, Facts{}, esc(ChannelServiceManagement), forbidden("escalation.forbidden")},
		{"technical_admin/own_area/incident/support", tech, request(ofType(TypeIncident)), Facts{}, esc(ChannelSupport), forbidden("escalation.forbidden")},
		{"technical_admin/own_area/technical/support", tech, technical, Facts{}, esc(ChannelSupport), forbidden("escalation.forbidden")},
		{"technical_admin/own_area/question/system_integrator", tech, inv, Facts{}, esc(ChannelSystemIntegrator), allowed},
		{"technical_admin/other_area+task/system_integrator", techTask, inv, Facts{HasTask: true}, esc(ChannelSystemIntegrator), allowed},
		{"technical_admin/other_area+task/consultancy", techTask, inv, Facts{HasTask: true}, esc(ChannelConsultancy), forbidden("escalation.forbidden")},
		{"technical_admin/other_area/system_integrator", techTask, technical, Facts{}, esc(ChannelSystemIntegrator), notFound()},

		// Nobody else escalates.
		{"key_user/own_area/consultancy", actor(idKeyUser, role(RoleKeyUser, areaOwn)), inv, Facts{}, esc(ChannelConsultancy), forbidden("escalation.forbidden")},
		{"key_user/own_area/system_integrator", actor(idKeyUser, role(RoleKeyUser, areaOwn)), inv, Facts{}, esc(ChannelSystemIntegrator), forbidden("escalation.forbidden")},
		{"management/service_management", actor(idManagement, role(RoleManagement, 0)), inv, Facts{}, esc(ChannelServiceManagement), forbidden("escalation.forbidden")},
		{"requester/support/incident", actor(idRequester), incident, Facts{}, esc(ChannelSupport), forbidden("escalation.forbidden")},
		{"assignee/consultancy", actor(idAssignee), inv, Facts{}, esc(ChannelConsultancy), forbidden("escalation.forbidden")},
		{"other_user/consultancy", actor(idPlainUser), inv, Facts{}, esc(ChannelConsultancy), notFound()},

		// Only while the work is being done.
		{"functional_admin/intake", fa, request(inPhase(PhaseIntake)), Facts{}, esc(ChannelConsultancy), conflict("escalation.wrong_phase")},
		{"functional_admin/execution", fa, request(inPhase(PhaseExecution)), Facts{}, esc(ChannelConsultancy), allowed},
		{"functional_admin/optimisation", fa, request(inPhase(PhaseOptimisation)), Facts{}, esc(ChannelConsultancy), conflict("escalation.wrong_phase")},
		{"functional_admin/closed", fa, request(inPhase(PhaseClosed)), Facts{}, esc(ChannelConsultancy), conflict("escalation.wrong_phase")},
		{"functional_admin/rejected", fa, request(inPhase(PhaseRejected)), Facts{}, esc(ChannelConsultancy), conflict("escalation.wrong_phase")},
		{"functional_admin/withdrawn", fa, request(inPhase(PhaseWithdrawn)), Facts{}, esc(ChannelConsultancy), conflict("escalation.wrong_phase")},
		{"functional_admin/intake/support/question", fa, request(inPhase(PhaseIntake)), Facts{}, esc(ChannelSupport), conflict("escalation.wrong_phase")},
		{"technical_admin/technical/closed/system_integrator", tech, request(ofType(TypeTechnical), inPhase(PhaseClosed)), Facts{}, esc(ChannelSystemIntegrator), conflict("escalation.wrong_phase")},

		// Bad input is named.
		{"functional_admin/no_channel", fa, inv, Facts{}, NewEscalation{Reference: "R"}, invalid("channel")},
		{"functional_admin/unknown_channel", fa, inv, Facts{}, esc("vendor"), invalid("channel")},
		{"functional_admin/reference_too_long", fa, inv, Facts{}, NewEscalation{Channel: ChannelConsultancy, Reference: strings.Repeat("9", MaxReference+1)}, invalid("reference")},
		{"functional_admin/reference_max", fa, inv, Facts{}, NewEscalation{Channel: ChannelConsultancy, Reference: strings.Repeat("9", MaxReference)}, allowed},
		{"functional_admin/reference_control_char", fa, inv, Facts{}, NewEscalation{Channel: ChannelConsultancy, Reference: "R\x00"}, invalid("reference")},
		{"functional_admin/note_too_long", fa, inv, Facts{}, NewEscalation{Channel: ChannelConsultancy, Note: strings.Repeat("n", MaxNote+1)}, invalid("note")},
		{"functional_admin/everything_bad", fa, inv, Facts{}, NewEscalation{Channel: "x", Reference: strings.Repeat("9", MaxReference+1), Note: "\x07"}, invalid("channel", "reference", "note")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckEscalation(tt.a, tt.r, tt.f, tt.e, DefaultPolicy(), false), tt.want)
		})
	}
}

func TestCheckCloseEscalation(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	techTask := actor(idTechElse, role(RoleTechnicalAdmin, areaOther))
	open := func(c Channel) *Escalation {
		return &Escalation{ID: 5, RequestID: 100, Channel: c, Reference: "REF-1", OpenedBy: idFunc, OpenedAt: testNow.Add(-48 * time.Hour)}
	}
	closed := func(c Channel) *Escalation {
		e := open(c)
		e.ClosedAt = testNow.Add(-time.Hour)
		e.Outcome = "Opgelost"
		return e
	}
	const outcome = "Instelling aangepast door consultant"
	tests := []struct {
		name    string
		a       *Actor
		r       *Request
		f       Facts
		e       *Escalation
		outcome string
		want    result
	}{
		{"functional_admin/consultancy", fa, request(), Facts{}, open(ChannelConsultancy), outcome, allowed},
		{"functional_admin/support", fa, request(ofType(TypeIncident)), Facts{}, open(ChannelSupport), outcome, allowed},
		{"functional_admin/system_integrator", fa, request(), Facts{}, open(ChannelSystemIntegrator), outcome, allowed},
		{"functional_admin/own_area/service_management", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), request(), Facts{}, open(ChannelServiceManagement), outcome, allowed},
		{"functional_admin/execution", fa, request(inPhase(PhaseExecution)), Facts{}, open(ChannelConsultancy), outcome, allowed},
		{"functional_admin/already_closed", fa, request(), Facts{}, closed(ChannelConsultancy), outcome, conflict("escalation.already_closed")},
		{"functional_admin/no_outcome", fa, request(), Facts{}, open(ChannelConsultancy), "", invalid("outcome")},
		{"functional_admin/blank_outcome", fa, request(), Facts{}, open(ChannelConsultancy), " \t", invalid("outcome")},
		{"functional_admin/outcome_too_long", fa, request(), Facts{}, open(ChannelConsultancy), strings.Repeat("o", MaxNote+1), invalid("outcome")},
		{"functional_admin/outcome_control_char", fa, request(), Facts{}, open(ChannelConsultancy), "ok\x1b", invalid("outcome")},
		{"functional_admin/other_area", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), request(), Facts{}, open(ChannelConsultancy), outcome, notFound()},
		{"technical_admin/own_area/system_integrator", tech, request(ofType(TypeTechnical)), Facts{}, open(ChannelSystemIntegrator), outcome, allowed},
		{"technical_admin/own_area/system_integrator/already_closed", tech, request(ofType(TypeTechnical)), Facts{}, closed(ChannelSystemIntegrator), outcome, conflict("escalation.already_closed")},
		{"technical_admin/own_area/consultancy", tech, request(ofType(TypeTechnical)), Facts{}, open(ChannelConsultancy), outcome, forbidden("escalation.forbidden")},
		{"technical_admin/own_area/support", tech, request(ofType(TypeIncident)), Facts{}, open(ChannelSupport), outcome, forbidden("escalation.forbidden")},
		{"technical_admin/other_area+task/system_integrator", techTask, request(), Facts{HasTask: true}, open(ChannelSystemIntegrator), outcome, allowed},
		{"technical_admin/other_area+task/service_management", techTask, request(), Facts{HasTask: true}, open(ChannelServiceManagement), outcome, forbidden("escalation.forbidden")},
		{"technical_admin/other_area/system_integrator", techTask, request(ofType(TypeTechnical)), Facts{}, open(ChannelSystemIntegrator), outcome, notFound()},
		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(), Facts{}, open(ChannelConsultancy), outcome, forbidden("escalation.forbidden")},
		{"key_user/own_area/already_closed", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(), Facts{}, closed(ChannelConsultancy), outcome, forbidden("escalation.forbidden")},
		{"management", actor(idManagement, role(RoleManagement, 0)), request(), Facts{}, open(ChannelConsultancy), outcome, forbidden("escalation.forbidden")},
		{"requester", actor(idRequester), request(), Facts{}, open(ChannelConsultancy), outcome, forbidden("escalation.forbidden")},
		{"other_user", actor(idPlainUser), request(), Facts{}, open(ChannelConsultancy), outcome, notFound()},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckCloseEscalation(tt.a, tt.r, tt.f, tt.e, tt.outcome), tt.want)
		})
	}
}

func TestEscalationOpen(t *testing.T) {
	e := &Escalation{OpenedAt: testNow}
	t.Run("not_closed→open", func(t *testing.T) {
		if !e.Open() {
			t.Error("Open() = false")
		}
	})
	t.Run("closed→not_open", func(t *testing.T) {
		c := *e
		c.ClosedAt = testNow.Add(time.Hour)
		if c.Open() {
			t.Error("Open() = true")
		}
	})
}

func TestChannelValid(t *testing.T) {
	for _, tt := range []struct {
		c    Channel
		want bool
	}{
		{ChannelConsultancy, true}, {ChannelServiceManagement, true}, {ChannelSystemIntegrator, true},
		{ChannelSupport, true}, {"", false}, {"Support", false}, {"vendor", false},
	} {
		t.Run(fmt.Sprintf("%q→%v", tt.c, tt.want), func(t *testing.T) {
			if got := tt.c.Valid(); got != tt.want {
				t.Errorf("Valid() = %v", got)
			}
		})
	}
}
