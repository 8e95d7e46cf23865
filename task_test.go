package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestCheckTask: a functional admin of the area hands a task to technical
// management while the request is in Onderzoek or Uitvoering.
func TestCheckTask(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	task := NewTask{Title: "Connector HR-koppeling controleren", Description: "Zie log", AssigneeID: idTech}
	tests := []struct {
		name string
		a    *Actor
		r    *Request
		f    Facts
		t    NewTask
		want result
	}{
		{"functional_admin/unscoped/investigation", fa, request(), Facts{}, task, allowed},
		{"functional_admin/unscoped/execution", fa, request(inPhase(PhaseExecution)), Facts{}, task, allowed},
		{"functional_admin/unscoped/to_team", fa, request(), Facts{}, NewTask{Title: "Voor het team"}, allowed},
		{"functional_admin/own_area/investigation", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), request(), Facts{}, task, allowed},
		{"functional_admin/own_area/technical", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), request(ofType(TypeTechnical)), Facts{}, task, allowed},
		{"functional_admin/other_area", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), request(), Facts{}, task, notFound()},

		{"functional_admin/intake", fa, request(inPhase(PhaseIntake)), Facts{}, task, conflict("task.wrong_phase")},
		{"functional_admin/optimisation", fa, request(inPhase(PhaseOptimisation)), Facts{}, task, conflict("task.wrong_phase")},
		{"functional_admin/closed", fa, request(inPhase(PhaseClosed)), Facts{}, task, conflict("task.wrong_phase")},
		{"functional_admin/rejected", fa, request(inPhase(PhaseRejected)), Facts{}, task, conflict("task.wrong_phase")},
		{"functional_admin/withdrawn", fa, request(inPhase(PhaseWithdrawn)), Facts{}, task, conflict("task.wrong_phase")},

		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(), Facts{}, task, forbidden("task.forbidden")},
		{"technical_admin/own_area", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), request(), Facts{}, task, forbidden("task.forbidden")},
		{"technical_admin/own_area/technical", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), request(ofType(TypeTechnical)), Facts{}, task, forbidden("task.forbidden")},
		{"technical_admin/other_area+task", actor(idTechElse, role(RoleTechnicalAdmin, areaOther)), request(), Facts{HasTask: true}, task, forbidden("task.forbidden")},
		{"management", actor(idManagement, role(RoleManagement, 0)), request(), Facts{}, task, forbidden("task.forbidden")},
		{"requester", actor(idRequester), request(), Facts{}, task, forbidden("task.forbidden")},
		{"assignee", actor(idAssignee), request(), Facts{}, task, forbidden("task.forbidden")},
		{"other_user", actor(idPlainUser), request(), Facts{}, task, notFound()},

		{"functional_admin/no_title", fa, request(), Facts{}, NewTask{Description: "d"}, invalid("title")},
		{"functional_admin/blank_title", fa, request(), Facts{}, NewTask{Title: "   "}, invalid("title")},
		{"functional_admin/title_too_long", fa, request(), Facts{}, NewTask{Title: strings.Repeat("t", MaxTitle+1)}, invalid("title")},
		{"functional_admin/title_control_char", fa, request(), Facts{}, NewTask{Title: "t\x00"}, invalid("title")},
		{"functional_admin/description_too_long", fa, request(), Facts{}, NewTask{Title: "t", Description: strings.Repeat("d", MaxDescription+1)}, invalid("description")},
		{"functional_admin/no_title+description_too_long", fa, request(), Facts{}, NewTask{Description: strings.Repeat("d", MaxDescription+1)}, invalid("title", "description")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckTask(tt.a, tt.r, tt.f, tt.t), tt.want)
		})
	}
}

// TestCheckCompleteTask: the task's assignee or a technical admin of the
// request's area finishes it, once, with an outcome.
func TestCheckCompleteTask(t *testing.T) {
	openTask := func(assignee int64) *Task {
		return &Task{ID: 9, RequestID: 100, Title: "Connector controleren", AssigneeID: assignee, Status: TaskOpen, CreatedBy: idFunc, CreatedAt: testNow}
	}
	doneTask := func(assignee int64) *Task {
		t := openTask(assignee)
		t.Status, t.Outcome, t.DoneAt = TaskDone, "Gedaan", testNow
		return t
	}
	techElse := actor(idTechElse, role(RoleTechnicalAdmin, areaOther))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	const outcome = "Certificaat vernieuwd"
	tests := []struct {
		name    string
		a       *Actor
		r       *Request
		t       *Task
		outcome string
		want    result
	}{
		{"assignee/technical_admin/other_area", techElse, request(), openTask(idTechElse), outcome, allowed},
		{"assignee/technical_admin/own_area", tech, request(), openTask(idTech), outcome, allowed},
		{"technical_admin/own_area/not_assignee", tech, request(), openTask(idTechElse), outcome, allowed},
		{"technical_admin/own_area/team_task", tech, request(), openTask(0), outcome, allowed},
		{"technical_admin/unscoped/not_assignee", actor(idTech, role(RoleTechnicalAdmin, 0)), request(), openTask(idTechElse), outcome, allowed},
		{"technical_admin/other_area/not_assignee", techElse, request(), openTask(idTech), outcome, forbidden("task.forbidden")},
		{"technical_admin/other_area/team_task", techElse, request(), openTask(0), outcome, forbidden("task.forbidden")},
		{"functional_admin/creator", actor(idFunc, role(RoleFunctionalAdmin, 0)), request(), openTask(idTech), outcome, forbidden("task.forbidden")},
		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(), openTask(idTech), outcome, forbidden("task.forbidden")},
		{"management", actor(idManagement, role(RoleManagement, 0)), request(), openTask(idTech), outcome, forbidden("task.forbidden")},
		{"requester", actor(idRequester), request(), openTask(idTech), outcome, forbidden("task.forbidden")},
		{"request_assignee", actor(idAssignee), request(), openTask(idTech), outcome, forbidden("task.forbidden")},
		{"assignee/already_done", techElse, request(), doneTask(idTechElse), outcome, conflict("task.already_done")},
		{"technical_admin/own_area/already_done", tech, request(), doneTask(idTechElse), outcome, conflict("task.already_done")},
		{"stranger/already_done", actor(idPlainUser), request(), doneTask(idTech), outcome, forbidden("task.forbidden")},
		{"assignee/no_outcome", techElse, request(), openTask(idTechElse), "", invalid("outcome")},
		{"assignee/blank_outcome", techElse, request(), openTask(idTechElse), "\n\n", invalid("outcome")},
		{"assignee/outcome_too_long", techElse, request(), openTask(idTechElse), strings.Repeat("o", MaxNote+1), invalid("outcome")},
		{"assignee/outcome_control_char", techElse, request(), openTask(idTechElse), "o\x00", invalid("outcome")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckCompleteTask(tt.a, tt.r, tt.t, tt.outcome), tt.want)
		})
	}
}
