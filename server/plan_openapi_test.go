package server

import (
	"testing"
)

// TestOpenAPIPlanSchemas checks the plan, release and profile schemas
// against what the handlers encode, like TestOpenAPISchemasMatchJSON.
func TestOpenAPIPlanSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	cases := map[string]any{
		"Plan": apiPlan{}, "PlanView": apiPlanView{}, "PlanProgress": apiProgress{}, "Objective": apiObjective{},
		"Activity": apiActivity{}, "PlanInput": apiInput{}, "Agenda": apiAgenda{}, "AgendaItem": apiAgendaItem{},
		"PlanFeed": apiFeed{}, "Release": apiRelease{}, "ReleaseNews": apiReleaseNewsOut{}, "CheckCounts": apiCounts{}, "ReleaseCheck": apiCheck{},
		"SignOff": apiSignOff{}, "CheckTemplate": apiCheckTemplate{}, "Profile": apiProfile{}, "ProfileRole": apiProfileRole{},
		"RoleHolder": apiRoleHolder{}, "Contact": apiContact{},
	}
	checkSchemas(t, doc, cases)
}
