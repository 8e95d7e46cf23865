package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"beheer/sla"
)

// slaAreas are the areas the target tests resolve codes among.
var slaAreas = []Area{{ID: areaOwn, Code: "hr", Name: "HR"}, {ID: areaOther, Code: "salaris", Name: "Salaris"}}

// TestValidateSLATargets: every priority has its general target, each
// target a known priority, type and area, minutes from 1 to a year with
// the response first, and no twin.
func TestValidateSLATargets(t *testing.T) {
	with := func(extra ...SLATarget) []SLATarget { return append(DefaultSLATargets(), extra...) }
	tests := []struct {
		name string
		ts   []SLATarget
		want result
	}{
		{"defaults", DefaultSLATargets(), allowed},
		{"narrower_targets", with(SLATarget{Priority: PriorityHigh, Type: TypeIncident, ResponseMinutes: 30, ResolutionMinutes: 240},
			SLATarget{Priority: PriorityHigh, Area: "HR", ResponseMinutes: 30, ResolutionMinutes: 30},
			SLATarget{Priority: PriorityHigh, Type: TypeIncident, Area: "hr", ResponseMinutes: 1, ResolutionMinutes: MaxTargetMinutes}), allowed},
		{"missing_priority", DefaultSLATargets()[1:], invalid("targets")},
		{"none", nil, invalid("targets", "targets", "targets", "targets")},
		{"only_narrow_for_urgent", append([]SLATarget{{Priority: PriorityUrgent, Type: TypeIncident, ResponseMinutes: 1, ResolutionMinutes: 2}},
			DefaultSLATargets()[1:]...), invalid("targets")},
		{"unknown_priority", with(SLATarget{Priority: "asap", ResponseMinutes: 1, ResolutionMinutes: 2}), invalid("targets[4].priority")},
		{"unknown_type", with(SLATarget{Priority: PriorityLow, Type: "gripe", ResponseMinutes: 1, ResolutionMinutes: 2}), invalid("targets[4].type")},
		{"unknown_area", with(SLATarget{Priority: PriorityLow, Type: TypeIncident, Area: "crm", ResponseMinutes: 1, ResolutionMinutes: 2}),
			invalid("targets[4].area")},
		{"unknown_area/twin_of_general", with(SLATarget{Priority: PriorityLow, Area: "crm", ResponseMinutes: 1, ResolutionMinutes: 2}),
			invalid("targets[4].area", "targets[4].priority")},
		{"zero_response", with(SLATarget{Priority: PriorityLow, Area: "hr", ResolutionMinutes: 2}), invalid("targets[4].response_minutes")},
		{"resolution_too_long", with(SLATarget{Priority: PriorityLow, Area: "hr", ResponseMinutes: 1, ResolutionMinutes: MaxTargetMinutes + 1}),
			invalid("targets[4].resolution_minutes")},
		{"response_after_resolution", with(SLATarget{Priority: PriorityLow, Area: "hr", ResponseMinutes: 60, ResolutionMinutes: 59}),
			invalid("targets[4].resolution_minutes")},
		{"twin", with(SLATarget{Priority: PriorityLow, ResponseMinutes: 1, ResolutionMinutes: 2}), invalid("targets[4].priority")},
		{"twin_by_area_case", with(SLATarget{Priority: PriorityLow, Area: "hr", ResponseMinutes: 1, ResolutionMinutes: 2},
			SLATarget{Priority: PriorityLow, Area: "HR", ResponseMinutes: 1, ResolutionMinutes: 2}), invalid("targets[5].priority")},
		{"too_many", make([]SLATarget, MaxSLATargets+1), invalid("targets")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", ValidateSLATargets(tt.ts, slaAreas), tt.want)
		})
	}
	t.Run("areas_resolved", func(t *testing.T) {
		ts := with(SLATarget{Priority: PriorityLow, Area: "Salaris", AreaID: 99, ResponseMinutes: 1, ResolutionMinutes: 2})
		ts[0].AreaID = 99 // a general target names no area
		if err := ValidateSLATargets(ts, slaAreas); err != nil {
			t.Fatal(err)
		}
		if ts[4].AreaID != areaOther || ts[4].Area != "salaris" || ts[0].AreaID != 0 {
			t.Errorf("resolved: %+v, %+v", ts[4], ts[0])
		}
	})
}

// TestSLATargetFor: the most specific matching target holds (area and
// type, then area, then type, then the priority alone); without one, the
// default for the priority.
func TestSLATargetFor(t *testing.T) {
	ts := []SLATarget{
		{Priority: PriorityNormal, ResponseMinutes: 1, ResolutionMinutes: 10},
		{Priority: PriorityNormal, Type: TypeIncident, ResponseMinutes: 2, ResolutionMinutes: 20},
		{Priority: PriorityNormal, AreaID: areaOwn, ResponseMinutes: 3, ResolutionMinutes: 30},
		{Priority: PriorityNormal, AreaID: areaOwn, Type: TypeIncident, ResponseMinutes: 4, ResolutionMinutes: 40},
		{Priority: PriorityHigh, Type: TypeIncident, ResponseMinutes: 5, ResolutionMinutes: 50},
	}
	tests := []struct {
		name string
		r    *Request
		ts   []SLATarget
		want int // ResolutionMinutes of the target that holds
	}{
		{"area_and_type", request(ofType(TypeIncident)), ts, 40},
		{"area", request(), ts, 30},
		{"type", request(ofType(TypeIncident), inArea(areaOther)), ts, 20},
		{"priority", request(inArea(areaOther)), ts, 10},
		{"no_general_target/default", request(func(r *Request) { r.Priority = PriorityHigh }), ts, 1020},
		{"no_targets/default", request(func(r *Request) { r.Priority = PriorityUrgent }), nil, 480},
		{"unknown_priority/normal_default", request(func(r *Request) { r.Priority = "asap" }), nil, 2550},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%d", tt.name, tt.want), func(t *testing.T) {
			if got := SLATargetFor(tt.ts, tt.r); got.ResolutionMinutes != tt.want {
				t.Errorf("SLATargetFor = %+v, want resolution %d", got, tt.want)
			}
		})
	}
}

// TestSortSLATargets: urgent first, and within a priority the general
// target before the narrower ones.
func TestSortSLATargets(t *testing.T) {
	tests := []struct {
		name          string
		first, second SLATarget
		bug           string
	}{
		{"urgent_before_high", SLATarget{Priority: PriorityUrgent, Type: TypeIncident}, SLATarget{Priority: PriorityHigh}, ""},
		{"high_before_low", SLATarget{Priority: PriorityHigh, Area: "hr"}, SLATarget{Priority: PriorityLow}, ""},
		{"general_before_type", SLATarget{Priority: PriorityNormal}, SLATarget{Priority: PriorityNormal, Type: TypeQuestion}, ""},
		{"general_before_area", SLATarget{Priority: PriorityNormal}, SLATarget{Priority: PriorityNormal, Area: "hr"},
			"the sort key puts the area before '|', and letters sort before '|', so a target for an area comes before the general one"},
		{"area_before_area_and_type", SLATarget{Priority: PriorityNormal, Area: "hr"}, SLATarget{Priority: PriorityNormal, Area: "hr", Type: TypeIncident}, ""},
		{"by_area_code", SLATarget{Priority: PriorityNormal, Area: "hr"}, SLATarget{Priority: PriorityNormal, Area: "salaris"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ts := range [][]SLATarget{{tt.first, tt.second}, {tt.second, tt.first}} {
				SortSLATargets(ts)
				verdict(t, tt.bug, ts[0] == tt.first, "order %+v, want %+v first", ts, tt.first)
			}
		})
	}
}

// TestDefaultSLATargets: the defaults are valid, one general target per
// priority, and their clock durations are the minutes.
func TestDefaultSLATargets(t *testing.T) {
	ts := DefaultSLATargets()
	if err := ValidateSLATargets(ts, nil); err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(Priorities) {
		t.Errorf("%d defaults for %d priorities", len(ts), len(Priorities))
	}
	if got := ts[0].Targets(); got.Response != time.Hour || got.Resolution != 8*time.Hour {
		t.Errorf("urgent as clock targets: %+v", got)
	}
}

// TestSLACalendarChecked: a calendar is kept with every weekday, trimmed,
// with the default Liberation Day choice and its closed days as
// yyyy-mm-dd; a wrong one names each wrong setting.
func TestSLACalendarChecked(t *testing.T) {
	week := func(hours map[string]string) SLACalendar {
		return SLACalendar{Zone: "Europe/Amsterdam", Hours: hours, Liberation: sla.LiberationAlways}
	}
	tests := []struct {
		name string
		c    SLACalendar
		want result
	}{
		{"default", DefaultSLACalendar(), allowed},
		{"one_day", week(map[string]string{"wednesday": " 09:00-12:00 "}), allowed},
		{"no_liberation_choice", SLACalendar{Zone: "UTC", Hours: map[string]string{"monday": "08:00-16:00"}}, allowed},
		{"closed_days", SLACalendar{Zone: "Europe/Amsterdam", Hours: map[string]string{"monday": "08:00-16:00"},
			ClosedDays: []string{" 2026-12-24 ", "", "2026-12-31"}}, allowed},
		{"no_zone", SLACalendar{Hours: map[string]string{"monday": "08:00-16:00"}}, invalid("zone")},
		{"unknown_zone", SLACalendar{Zone: "Mars/Olympus", Hours: map[string]string{"monday": "08:00-16:00"}}, invalid("zone")},
		{"no_working_day", week(nil), invalid("hours")},
		{"unknown_day", week(map[string]string{"monday": "08:00-16:00", "funday": "08:00-16:00"}), invalid("hours.funday")},
		{"bad_hours", week(map[string]string{"monday": "08:00-16:00", "tuesday": "acht tot vier"}), invalid("hours.tuesday")},
		{"unknown_liberation", SLACalendar{Zone: "UTC", Hours: map[string]string{"monday": "08:00-16:00"}, Liberation: "sometimes"},
			invalid("liberation")},
		{"bad_closed_day", SLACalendar{Zone: "UTC", Hours: map[string]string{"monday": "08:00-16:00"}, ClosedDays: []string{"24-12-2026"}},
			invalid("closed_days")},
		{"too_many_closed_days", SLACalendar{Zone: "UTC", Hours: map[string]string{"monday": "08:00-16:00"},
			ClosedDays: strings.Fields(strings.Repeat("2026-12-24 ", maxClosedDays+1))}, invalid("closed_days")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			got, err := tt.c.Checked()
			expect(t, "", err, tt.want)
			if err != nil {
				return
			}
			if len(got.Hours) != len(SLAWeekdays) || got.Liberation == "" || got.ClosedDays == nil {
				t.Errorf("kept as %+v", got)
			}
			if _, err := got.Calendar(); err != nil {
				t.Errorf("the kept calendar does not build: %v", err)
			}
		})
	}
	t.Run("tidied", func(t *testing.T) {
		got, err := SLACalendar{Zone: "Europe/Amsterdam", Hours: map[string]string{"friday": " 08:00-12:30 "},
			ClosedDays: []string{" 2026-12-24 ", " "}}.Checked()
		if err != nil {
			t.Fatal(err)
		}
		if got.Hours["friday"] != "08:00-12:30" || got.Hours["monday"] != "" || got.Liberation != sla.LiberationLustrum ||
			strings.Join(got.ClosedDays, ",") != "2026-12-24" {
			t.Errorf("kept as %+v", got)
		}
	})
}

// TestSLACalendarBuilt: the calendar counts the hours given, in its zone,
// closed on the holidays and the extra closed days.
func TestSLACalendarBuilt(t *testing.T) {
	c := DefaultSLACalendar()
	c.ClosedDays = []string{"2026-12-24"}
	cal, err := c.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	if cal.Zone.String() != "Europe/Amsterdam" || cal.Week[time.Monday].Minutes() != 510 || !cal.Week[time.Sunday].Closed() {
		t.Errorf("calendar %+v", cal)
	}
	closed := map[string]bool{}
	for _, d := range cal.Holidays(2026) {
		closed[d.String()] = true
	}
	if !closed["2026-12-24"] || !closed["2026-12-25"] || !closed["2026-04-27"] || closed["2026-05-05"] {
		t.Errorf("closed days of 2026: %v", closed)
	}
	if o := c.Options(); len(o.Extra) != 1 || o.Liberation != sla.LiberationLustrum {
		t.Errorf("options %+v", o)
	}
}

// TestAverageWorkday: the mean length of the working days; 8.5 hours
// without any.
func TestAverageWorkday(t *testing.T) {
	tests := []struct {
		name  string
		hours map[time.Weekday]sla.Hours
		want  time.Duration
	}{
		{"office_week", map[time.Weekday]sla.Hours{time.Monday: {Open: 510, Close: 1020}, time.Friday: {Open: 510, Close: 1020}}, 510 * time.Minute},
		{"long_and_short", map[time.Weekday]sla.Hours{time.Monday: {Open: 480, Close: 1080}, time.Saturday: {Open: 600, Close: 720}}, 360 * time.Minute},
		{"closed", nil, 8*time.Hour + 30*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := &sla.Calendar{Zone: time.UTC}
			for d, h := range tt.hours {
				cal.Week[d] = h
			}
			if got := AverageWorkday(cal); got != tt.want {
				t.Errorf("AverageWorkday = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCheckPark: whoever manages an open request parks it until a moment
// in the coming year.
func TestCheckPark(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tomorrow := testNow.Add(24 * time.Hour)
	tests := []struct {
		name  string
		a     *Actor
		r     *Request
		until time.Time
		want  result
	}{
		{"functional_admin/tomorrow", fa, request(), tomorrow, allowed},
		{"functional_admin/a_year", fa, request(), testNow.Add(maxPark), allowed},
		{"technical_admin/technical", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), request(ofType(TypeTechnical)), tomorrow, allowed},
		{"functional_admin/other_area", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), request(), tomorrow, forbidden("error.forbidden")},
		{"key_user", actor(idKeyUser, role(RoleKeyUser, areaOwn)), request(), tomorrow, forbidden("error.forbidden")},
		{"requester", actor(idRequester), request(), tomorrow, forbidden("error.forbidden")},
		{"closed", fa, request(inPhase(PhaseClosed)), tomorrow, conflict("sla.park.closed")},
		{"optimisation", fa, request(inPhase(PhaseOptimisation)), tomorrow, allowed},
		{"now", fa, request(), testNow, invalid("until")},
		{"past", fa, request(), testNow.Add(-time.Minute), invalid("until")},
		{"beyond_a_year", fa, request(), testNow.Add(maxPark + time.Minute), invalid("until")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckPark(tt.a, tt.r, tt.until, testNow), tt.want)
		})
	}
}
