package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// checkRuleMatrix runs every rule of a table of who-may rules (like
// permissionMatrix: x where the role passes the rule) for every role,
// unscoped and (where the role can be) scoped to area 1, and for someone
// without an account.
func checkRuleMatrix(t *testing.T, table string, funcs map[string]func(*Actor) bool) {
	rules, marks := readMatrix(t, table)
	if len(rules) != len(funcs) {
		t.Fatalf("matrix has %d rules, %d functions given", len(rules), len(funcs))
	}
	for _, rule := range rules {
		f, ok := funcs[rule]
		if !ok {
			t.Fatalf("no function for rule %q", rule)
		}
		for _, r := range Roles {
			for _, sc := range scopings {
				if sc.area != 0 && !r.Scopable() {
					continue
				}
				want := marks[rule][r] == "x"
				t.Run(fmt.Sprintf("%s/%s/%s→%s", rule, r, sc.name, allowedName(want)), func(t *testing.T) {
					if got := f(actor(1, role(r, sc.area))); got != want {
						t.Errorf("%s(%s %s) = %v, want %v", rule, r, sc.name, got, want)
					}
				})
			}
		}
		t.Run(rule+"/nobody→forbidden", func(t *testing.T) {
			if f(nil) {
				t.Errorf("%s(nil) = true", rule)
			}
		})
	}
}

// planMatrix is who may do what with the annual plan (PRODUCT.md: "The
// annual plan"): everyone reads it; key users and functional admins give
// input; functional admins keep it; management sets objectives and
// approves; both start a year.
const planMatrix = `
rule             user  key_user  functional_admin  technical_admin  management
keep_plan        .     .         x                 .                .
set_objectives   .     .         .                 .                x
add_input        .     x         x                 .                .
create_plan      .     .         x                 .                x
`

func TestPlanPermissions(t *testing.T) {
	checkRuleMatrix(t, planMatrix, map[string]func(*Actor) bool{
		"keep_plan":      CanKeepPlan,
		"set_objectives": CanSetObjectives,
		"add_input":      CanAddPlanInput,
		"create_plan":    CanCreatePlan,
	})
}

func TestValidPlanYear(t *testing.T) {
	tests := []struct {
		year int
		want bool
	}{
		{1999, false}, {MinPlanYear, true}, {2026, true}, {MaxPlanYear, true}, {2101, false}, {0, false}, {-2026, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d→%v", tt.year, tt.want), func(t *testing.T) {
			if got := ValidPlanYear(tt.year); got != tt.want {
				t.Errorf("ValidPlanYear(%d) = %v", tt.year, got)
			}
		})
	}
}

// TestCheckNewPlan: who keeps or approves the plan starts a year within
// the bounds, and the template's activities must fit the year.
func TestCheckNewPlan(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, areaOwn))
	tmpl := func(year int) []ActivityInput { return TemplateActivities(year, templateText) }
	tests := []struct {
		name     string
		a        *Actor
		year     int
		template []ActivityInput
		want     result
	}{
		{"functional_admin/no_template", fa, 2026, nil, allowed},
		{"functional_admin/template", fa, 2026, tmpl(2026), allowed},
		{"management/template", actor(idManagement, role(RoleManagement, 0)), 2026, tmpl(2026), allowed},
		{"functional_admin/first_year", fa, MinPlanYear, nil, allowed},
		{"functional_admin/last_year", fa, MaxPlanYear, nil, allowed},
		{"key_user", actor(idKeyUser, role(RoleKeyUser, areaOwn)), 2026, nil, forbidden("plan.forbidden_create")},
		{"technical_admin", actor(idTech, role(RoleTechnicalAdmin, 0)), 2026, nil, forbidden("plan.forbidden_create")},
		{"user", actor(idPlainUser), 2026, nil, forbidden("plan.forbidden_create")},
		{"user/bad_year", actor(idPlainUser), 1999, nil, forbidden("plan.forbidden_create")},
		{"functional_admin/year_before", fa, MinPlanYear - 1, nil, invalid("year")},
		{"functional_admin/year_after", fa, MaxPlanYear + 1, nil, invalid("year")},
		{"functional_admin/template_of_another_year", fa, 2026, tmpl(2027), invalid("starts_on")},
		{"functional_admin/template_without_title", fa, 2026, []ActivityInput{{StartsOn: day(2026, 5, 6)}}, invalid("title")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckNewPlan(tt.a, tt.year, tt.template), tt.want)
		})
	}
	t.Run("template_completed_in_place", func(t *testing.T) {
		in := []ActivityInput{{Title: " Review ", StartsOn: day(2026, 5, 6)}}
		if err := CheckNewPlan(fa, 2026, in); err != nil {
			t.Fatal(err)
		}
		if in[0].Title != "Review" || in[0].Kind != KindOther || in[0].Status != ActivityPlanned || !in[0].EndsOn.Equal(in[0].StartsOn) {
			t.Errorf("template activity after the check: %+v", in[0])
		}
	})
}

func TestPlanCheckApprove(t *testing.T) {
	tests := []struct {
		status PlanStatus
		want   result
	}{
		{PlanDraft, allowed},
		{PlanApproved, conflict("plan.already_approved")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.status, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", (&Plan{Year: 2026, Status: tt.status}).CheckApprove(), tt.want)
		})
	}
}

func TestObjectiveInputValidate(t *testing.T) {
	ok := func(f func(*ObjectiveInput)) ObjectiveInput {
		in := ObjectiveInput{Title: "Declaraties digitaal", Target: "90% via InSite"}
		if f != nil {
			f(&in)
		}
		return in
	}
	tests := []struct {
		name string
		in   ObjectiveInput
		want result
	}{
		{"title_and_target", ok(nil), allowed},
		{"longest_title", ok(func(in *ObjectiveInput) { in.Title = strings.Repeat("t", MaxPlanTitle) }), allowed},
		{"longest_target", ok(func(in *ObjectiveInput) { in.Target = strings.Repeat("t", MaxPlanTarget) }), allowed},
		{"description", ok(func(in *ObjectiveInput) { in.Description = "Minder papier" }), allowed},
		{"no_title", ok(func(in *ObjectiveInput) { in.Title = "" }), invalid("title")},
		{"blank_title", ok(func(in *ObjectiveInput) { in.Title = " \t " }), invalid("title")},
		{"title_too_long", ok(func(in *ObjectiveInput) { in.Title = strings.Repeat("t", MaxPlanTitle+1) }), invalid("title")},
		{"title_control_char", ok(func(in *ObjectiveInput) { in.Title = "a\x00b" }), invalid("title")},
		{"description_too_long", ok(func(in *ObjectiveInput) { in.Description = strings.Repeat("d", MaxPlanText+1) }), invalid("description")},
		{"no_target", ok(func(in *ObjectiveInput) { in.Target = "" }), invalid("target")},
		{"blank_target", ok(func(in *ObjectiveInput) { in.Target = "  " }), invalid("target")},
		{"target_too_long", ok(func(in *ObjectiveInput) { in.Target = strings.Repeat("t", MaxPlanTarget+1) }), invalid("target")},
		{"unknown_status", ok(func(in *ObjectiveInput) { in.Status = "done" }), invalid("status")},
		{"nothing", ObjectiveInput{}, invalid("title", "target")},
	}
	for _, s := range ObjectiveStatuses {
		tests = append(tests, struct {
			name string
			in   ObjectiveInput
			want result
		}{"status_" + string(s), ok(func(in *ObjectiveInput) { in.Status = s }), allowed})
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(), tt.want)
		})
	}
	t.Run("no_target_says_so", func(t *testing.T) {
		in := ok(func(in *ObjectiveInput) { in.Target = "" })
		if key := fieldKey(in.Validate(), "target"); key != "plan.field.target_required" {
			t.Errorf("target message %q", key)
		}
	})
	t.Run("trims_and_defaults", func(t *testing.T) {
		in := ObjectiveInput{Title: "  Doel ", Description: " Tekst\n", Target: " Meetbaar "}
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if in.Title != "Doel" || in.Description != "Tekst" || in.Target != "Meetbaar" || in.Status != ObjectivePlanned {
			t.Errorf("after Validate: %+v", in)
		}
	})
}

// TestObjectiveProgress: the linked work's progress, rounded down.
func TestObjectiveProgress(t *testing.T) {
	tests := []struct {
		name                 string
		p                    ObjectiveProgress
		done, total, percent int
	}{
		{"no_linked_work", ObjectiveProgress{}, 0, 0, 0},
		{"one_open_request", ObjectiveProgress{RequestsOpen: 1}, 0, 1, 0},
		{"one_planned_activity", ObjectiveProgress{ActivitiesPlanned: 1}, 0, 1, 0},
		{"all_done", ObjectiveProgress{RequestsDone: 1, ActivitiesDone: 1, ActivitiesPlanned: 1}, 2, 2, 100},
		{"one_of_three", ObjectiveProgress{RequestsDone: 1, RequestsOpen: 2}, 1, 3, 33},
		{"two_of_three_rounds_down", ObjectiveProgress{RequestsDone: 1, ActivitiesDone: 1, ActivitiesPlanned: 2}, 2, 3, 66},
		{"half", ObjectiveProgress{RequestsDone: 2, RequestsOpen: 1, ActivitiesPlanned: 1}, 2, 4, 50},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%d%%", tt.name, tt.percent), func(t *testing.T) {
			if d, tot, pc := tt.p.Done(), tt.p.Total(), tt.p.Percent(); d != tt.done || tot != tt.total || pc != tt.percent {
				t.Errorf("%+v: done %d total %d percent %d, want %d %d %d", tt.p, d, tot, pc, tt.done, tt.total, tt.percent)
			}
		})
	}
}

// TestCheckInputChange: a new input becomes a request, an activity or is
// declined, once; nothing goes back to new or from one outcome to another.
func TestCheckInputChange(t *testing.T) {
	statuses := []InputStatus{InputNew, InputRequest, InputActivity, InputDeclined}
	for _, from := range statuses {
		for _, to := range statuses {
			want := allowed
			if from != InputNew || to == InputNew {
				want = conflict("plan.input_handled")
			}
			t.Run(fmt.Sprintf("%s→%s=%s", from, to, outcomeName(want)), func(t *testing.T) {
				expect(t, "", CheckInputChange(from, to), want)
			})
		}
	}
}

// TestCheckPlanInput: key users give input for their areas or none in
// particular; functional admins for any area; nobody else.
func TestCheckPlanInput(t *testing.T) {
	in := func(area int64, f func(*InputInput)) InputInput {
		x := InputInput{AreaID: area, Title: "Verlof digitaal aanvragen"}
		if f != nil {
			f(&x)
		}
		return x
	}
	keyUser := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	tests := []struct {
		name string
		a    *Actor
		in   InputInput
		want result
	}{
		{"key_user/own_area", keyUser, in(areaOwn, nil), allowed},
		{"key_user/no_area", keyUser, in(0, nil), allowed},
		{"key_user/other_area", keyUser, in(areaOther, nil), invalid("area")},
		{"key_user/unscoped/any_area", actor(idKeyUser, role(RoleKeyUser, 0)), in(areaOther, nil), allowed},
		{"functional_admin/other_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), in(areaOther, nil), allowed},
		{"technical_admin", actor(idTech, role(RoleTechnicalAdmin, 0)), in(0, nil), forbidden("plan.forbidden_input")},
		{"management", actor(idManagement, role(RoleManagement, 0)), in(0, nil), forbidden("plan.forbidden_input")},
		{"user", actor(idPlainUser), in(0, nil), forbidden("plan.forbidden_input")},
		{"user/no_title", actor(idPlainUser), in(0, func(x *InputInput) { x.Title = "" }), forbidden("plan.forbidden_input")},
		{"key_user/no_title", keyUser, in(0, func(x *InputInput) { x.Title = " " }), invalid("title")},
		{"key_user/title_too_long", keyUser, in(0, func(x *InputInput) { x.Title = strings.Repeat("t", MaxPlanTitle+1) }), invalid("title")},
		{"key_user/description_too_long", keyUser, in(0, func(x *InputInput) { x.Description = strings.Repeat("d", MaxPlanText+1) }), invalid("description")},
		{"key_user/high_priority", keyUser, in(0, func(x *InputInput) { x.Priority = PriorityHigh }), allowed},
		{"key_user/unknown_priority", keyUser, in(0, func(x *InputInput) { x.Priority = "critical" }), invalid("priority")},
		{"key_user/no_title+other_area", keyUser, in(areaOther, func(x *InputInput) { x.Title = "" }), invalid("title")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			x := tt.in
			expect(t, "", CheckPlanInput(tt.a, &x), tt.want)
		})
	}
	t.Run("trims_and_defaults", func(t *testing.T) {
		x := InputInput{Title: " Wens ", Description: " Uitleg "}
		if err := x.Validate(); err != nil {
			t.Fatal(err)
		}
		if x.Title != "Wens" || x.Description != "Uitleg" || x.Priority != PriorityNormal {
			t.Errorf("after Validate: %+v", x)
		}
	})
}

// day is midnight UTC of a date: how the plan keeps its days.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// templateText names a template activity after its kind.
func templateText(k ActivityKind) (string, string) { return "Sjabloon " + string(k), "" }

// fieldKey returns the message key of field in a validation error.
func fieldKey(err error, field string) string {
	e, ok := err.(*Error)
	if !ok {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Key
		}
	}
	return ""
}
