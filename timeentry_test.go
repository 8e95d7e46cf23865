package beheer

import (
	"fmt"
	"testing"
	"time"
)

// TestParseHours reads hours as Dutch people type them.
func TestParseHours(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"2", 120, true}, {"1,5", 90, true}, {"1.5", 90, true}, {"0,25", 15, true}, {"1:30", 90, true},
		{"0:05", 5, true}, {" 8 ", 480, true}, {"0", 0, true}, {"24", 1440, true},
		{"", 0, false}, {"-1", 0, false}, {"1:5", 0, false}, {"1:75", 0, false}, {"twee", 0, false},
		{"1,5,5", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"-0:30", 0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, ok := ParseHours(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseHours(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestTimeEntryInput: an entry is more than zero and at most 24 hours, on
// a day not in the future; one person is never above 24 hours on a day.
func TestTimeEntryInput(t *testing.T) {
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		in      TimeEntryInput
		minutes int
		want    result
	}{
		{"ok", TimeEntryInput{WorkedOn: today, Hours: "1,5"}, 90, allowed},
		{"zero", TimeEntryInput{WorkedOn: today, Hours: "0"}, 0, invalid("hours")},
		{"zero_colon", TimeEntryInput{WorkedOn: today, Hours: "0:00"}, 0, invalid("hours")},
		{"negative", TimeEntryInput{WorkedOn: today, Hours: "-2"}, 0, invalid("hours")},
		{"more_than_a_day", TimeEntryInput{WorkedOn: today, Hours: "25"}, 1500, invalid("hours")},
		{"a_whole_day", TimeEntryInput{WorkedOn: today, Hours: "24"}, 1440, allowed},
		{"empty", TimeEntryInput{WorkedOn: today}, 0, invalid("hours")},
		{"words", TimeEntryInput{WorkedOn: today, Hours: "een uur"}, 0, invalid("hours")},
		{"no_day", TimeEntryInput{Hours: "1"}, 60, invalid("worked_on")},
		{"tomorrow", TimeEntryInput{WorkedOn: today.AddDate(0, 0, 1), Hours: "1"}, 60, invalid("worked_on")},
		{"reference_too_long", TimeEntryInput{WorkedOn: today, Hours: "1", VendorReference: string(make([]byte, MaxReference+1))}, 60, invalid("vendor_reference")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			got, err := in.Validate(today)
			expect(t, "", err, tt.want)
			if err == nil && got != tt.minutes {
				t.Errorf("minutes %d, want %d", got, tt.minutes)
			}
		})
	}
	day := []struct {
		registered, minutes int
		want                result
	}{
		{0, 1440, allowed}, {480, 960, allowed}, {480, 961, invalid("hours")}, {1440, 1, invalid("hours")},
	}
	for _, tt := range day {
		t.Run(fmt.Sprintf("day/%d+%d=%s", tt.registered, tt.minutes, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckDayTotal(tt.registered, tt.minutes), tt.want)
		})
	}
	if got := FormatMinutes(90); got != "1:30" {
		t.Errorf("FormatMinutes(90) = %s", got)
	}
	if got := FormatMinutes(-605); got != "-10:05" {
		t.Errorf("FormatMinutes(-605) = %s", got)
	}
}

// TestTimeRules: own hours are registered by who manages the request, a
// technical admin of its area or a task holder; vendor hours by who may
// close the escalation, while it is open, for channels that charge hours.
func TestTimeRules(t *testing.T) {
	own := map[string]result{
		"requester": forbidden("time.forbidden"), "other_user": notFound(), "key_user/own_area": forbidden("time.forbidden"),
		"key_user/other_area": notFound(), "functional_admin/unscoped": allowed, "functional_admin/own_area": allowed,
		"functional_admin/other_area": notFound(), "technical_admin/own_area": allowed, "technical_admin/other_area": notFound(),
		"technical_admin/other_area+task": allowed, "management": forbidden("time.forbidden"), "assignee": forbidden("time.forbidden"),
	}
	for _, p := range people() {
		t.Run(fmt.Sprintf("own/%s=%s", p.name, outcomeName(own[p.name])), func(t *testing.T) {
			expect(t, "", CheckOwnTime(p.actor, request(), p.facts), own[p.name])
		})
	}
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	vendor := []struct {
		name string
		a    *Actor
		e    Escalation
		want result
	}{
		{"consultancy/open", fa, Escalation{Channel: ChannelConsultancy}, allowed},
		{"service_management/open", fa, Escalation{Channel: ChannelServiceManagement}, allowed},
		{"consultancy/closed", fa, Escalation{Channel: ChannelConsultancy, ClosedAt: testNow}, invalid("escalation")},
		{"support", fa, Escalation{Channel: ChannelSupport}, invalid("escalation")},
		{"technical/system_integrator", tech, Escalation{Channel: ChannelSystemIntegrator}, allowed},
		{"technical/consultancy", tech, Escalation{Channel: ChannelConsultancy}, forbidden("escalation.forbidden")},
		{"requester", actor(idRequester), Escalation{Channel: ChannelConsultancy}, forbidden("escalation.forbidden")},
	}
	for _, tt := range vendor {
		t.Run(fmt.Sprintf("vendor/%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckVendorTime(tt.a, request(), Facts{}, &tt.e), tt.want)
		})
	}
	b := BudgetUse{BudgetHours: 96, UsedMinutes: 60 * 100}
	if b.Percent() != 104 || !b.Over() || b.LeftMinutes() != -240 {
		t.Errorf("budget %d%% over=%v left=%d", b.Percent(), b.Over(), b.LeftMinutes())
	}
	if (BudgetUse{UsedMinutes: 60}).Percent() != 0 || (BudgetUse{UsedMinutes: 60}).Over() {
		t.Error("no budget: nothing is over")
	}
	expect(t, "", CheckBudget(fa, 96), allowed)
	expect(t, "", CheckBudget(fa, -1), invalid("consultancy_budget_hours"))
	expect(t, "", CheckBudget(actor(idManagement, role(RoleManagement, 0)), 96), allowed)
	expect(t, "", CheckBudget(actor(idKeyUser, role(RoleKeyUser, areaOwn)), 96), forbidden("plan.forbidden_keep"))
}
