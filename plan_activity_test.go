package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNthWeekday(t *testing.T) {
	tests := []struct {
		day  int
		want int
	}{
		{1, 1}, {7, 1}, {8, 2}, {14, 2}, {15, 3}, {21, 3}, {22, 4}, {28, 4}, {29, -1}, {30, -1}, {31, -1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("day_%d→%d", tt.day, tt.want), func(t *testing.T) {
			if got := NthWeekday(day(2026, time.January, tt.day)); got != tt.want {
				t.Errorf("NthWeekday(January %d) = %d, want %d", tt.day, got, tt.want)
			}
		})
	}
}

// TestActivityOccurrences: a repeating activity takes place on the same
// weekday of the month as its first day (a fifth one stands for the last),
// every month or quarter until the end of its year, with the same window.
func TestActivityOccurrences(t *testing.T) {
	days := func(m0 time.Month, step int, ds ...int) []time.Time {
		var out []time.Time
		for i, d := range ds {
			out = append(out, day(2026, m0+time.Month(i*step), d))
		}
		return out
	}
	tests := []struct {
		name   string
		a      Activity
		starts []time.Time
	}{
		{"once", Activity{StartsOn: day(2026, 5, 6), EndsOn: day(2026, 5, 6)}, days(5, 0, 6)},
		{"once/window", Activity{StartsOn: day(2026, 5, 4), EndsOn: day(2026, 6, 3)}, days(5, 0, 4)},
		{"monthly/second_tuesday", Activity{StartsOn: day(2026, 1, 13), EndsOn: day(2026, 1, 13), Recurrence: RepeatMonthly},
			days(1, 1, 13, 10, 10, 14, 12, 9, 14, 11, 8, 13, 10, 8)},
		{"monthly/fourth_thursday_stays_fourth", Activity{StartsOn: day(2026, 1, 22), EndsOn: day(2026, 1, 22), Recurrence: RepeatMonthly},
			days(1, 1, 22, 26, 26, 23, 28, 25, 23, 27, 24, 22, 26, 24)},
		{"monthly/fifth_thursday_is_the_last", Activity{StartsOn: day(2026, 1, 29), EndsOn: day(2026, 1, 29), Recurrence: RepeatMonthly},
			days(1, 1, 29, 26, 26, 30, 28, 25, 30, 27, 24, 29, 26, 31)},
		{"quarterly/fifth_friday_is_the_last", Activity{StartsOn: day(2026, 1, 30), EndsOn: day(2026, 1, 30), Recurrence: RepeatQuarterly},
			days(1, 3, 30, 24, 31, 30)},
		{"quarterly/third_thursday_from_march", Activity{StartsOn: day(2026, 3, 19), EndsOn: day(2026, 3, 19), Recurrence: RepeatQuarterly},
			days(3, 3, 19, 18, 17, 17)},
		{"monthly/window_from_may", Activity{StartsOn: day(2026, 5, 4), EndsOn: day(2026, 5, 8), Recurrence: RepeatMonthly},
			days(5, 1, 4, 1, 6, 3, 7, 5, 2, 7)},
		{"monthly/from_december", Activity{StartsOn: day(2026, 12, 8), EndsOn: day(2026, 12, 8), Recurrence: RepeatMonthly},
			days(12, 1, 8)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%d", tt.name, len(tt.starts)), func(t *testing.T) {
			occ := tt.a.Occurrences()
			var got []time.Time
			for _, o := range occ {
				got = append(got, o.Start)
				if o.Activity != &tt.a {
					t.Errorf("occurrence %v does not point to its activity", o.Start)
				}
				if o.Start.Weekday() != tt.a.StartsOn.Weekday() || o.End.Sub(o.Start) != tt.a.EndsOn.Sub(tt.a.StartsOn) {
					t.Errorf("occurrence %v..%v does not repeat the first", o.Start, o.End)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.starts) {
				t.Errorf("occurrences\n got %v\nwant %v", got, tt.starts)
			}
		})
	}
}

// TestNextOccurrence: the first occurrence that has not ended by day, or
// the last one after the year's last.
func TestNextOccurrence(t *testing.T) {
	secondTuesday := &Activity{StartsOn: day(2026, 1, 13), EndsOn: day(2026, 1, 13), Recurrence: RepeatMonthly}
	window := &Activity{StartsOn: day(2026, 2, 2), EndsOn: day(2026, 2, 6), Recurrence: RepeatQuarterly}
	tests := []struct {
		name string
		a    *Activity
		day  time.Time
		want time.Time
	}{
		{"before_the_first", secondTuesday, day(2026, 1, 1), day(2026, 1, 13)},
		{"on_the_day", secondTuesday, day(2026, 2, 10), day(2026, 2, 10)},
		{"the_day_after", secondTuesday, day(2026, 2, 11), day(2026, 3, 10)},
		{"after_the_last", secondTuesday, day(2026, 12, 9), day(2026, 12, 8)},
		{"inside_a_window", window, day(2026, 5, 6), day(2026, 5, 4)},
		{"after_a_window", window, day(2026, 5, 9), day(2026, 8, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.NextOccurrence(tt.day).Start; !got.Equal(tt.want) {
				t.Errorf("NextOccurrence(%v) = %v, want %v", FormatDay(tt.day), FormatDay(got), FormatDay(tt.want))
			}
		})
	}
}

// TestActivityInputValidate: an activity of the plan of 2026 lies within
// 2026, ends on or after its start, and repeats a window of a week at most.
func TestActivityInputValidate(t *testing.T) {
	ok := func(f func(*ActivityInput)) ActivityInput {
		in := ActivityInput{Title: "Optimalisatiedag", StartsOn: day(2026, 4, 8)}
		if f != nil {
			f(&in)
		}
		return in
	}
	tests := []struct {
		name string
		in   ActivityInput
		want result
	}{
		{"one_day", ok(nil), allowed},
		{"first_day_of_year", ok(func(in *ActivityInput) { in.StartsOn = day(2026, 1, 1) }), allowed},
		{"last_day_of_year", ok(func(in *ActivityInput) { in.StartsOn = day(2026, 12, 31) }), allowed},
		{"window", ok(func(in *ActivityInput) { in.EndsOn = day(2026, 4, 10) }), allowed},
		{"long_window_once", ok(func(in *ActivityInput) { in.EndsOn = day(2026, 6, 30) }), allowed},
		{"week_window_repeated", ok(func(in *ActivityInput) { in.Recurrence, in.EndsOn = RepeatMonthly, day(2026, 4, 14) }), allowed},
		{"every_kind_role_and_status", ok(func(in *ActivityInput) {
			in.Kind, in.Role, in.Status, in.Outcome = KindReview, RoleManagement, ActivityDone, "Besproken"
		}), allowed},
		{"no_title", ok(func(in *ActivityInput) { in.Title = "" }), invalid("title")},
		{"title_too_long", ok(func(in *ActivityInput) { in.Title = strings.Repeat("t", MaxPlanTitle+1) }), invalid("title")},
		{"description_too_long", ok(func(in *ActivityInput) { in.Description = strings.Repeat("d", MaxPlanText+1) }), invalid("description")},
		{"outcome_too_long", ok(func(in *ActivityInput) { in.Outcome = strings.Repeat("o", MaxPlanText+1) }), invalid("outcome")},
		{"no_start", ok(func(in *ActivityInput) { in.StartsOn = time.Time{} }), invalid("starts_on")},
		{"no_start_with_end", ok(func(in *ActivityInput) { in.StartsOn, in.EndsOn = time.Time{}, day(2026, 4, 8) }), invalid("starts_on")},
		{"start_year_before", ok(func(in *ActivityInput) { in.StartsOn = day(2025, 12, 31) }), invalid("starts_on")},
		{"start_year_after", ok(func(in *ActivityInput) { in.StartsOn = day(2027, 1, 1) }), invalid("starts_on")},
		{"start_outside_end_inside", ok(func(in *ActivityInput) { in.StartsOn, in.EndsOn = day(2025, 12, 30), day(2026, 1, 2) }), invalid("starts_on")},
		{"end_into_next_year", ok(func(in *ActivityInput) { in.StartsOn, in.EndsOn = day(2026, 12, 30), day(2027, 1, 2) }), invalid("ends_on")},
		{"end_before_start", ok(func(in *ActivityInput) { in.StartsOn, in.EndsOn = day(2026, 3, 3), day(2026, 3, 1) }), invalid("ends_on")},
		{"repeated_window_over_a_week", ok(func(in *ActivityInput) { in.Recurrence, in.EndsOn = RepeatQuarterly, day(2026, 4, 15) }), invalid("ends_on")},
		{"unknown_kind", ok(func(in *ActivityInput) { in.Kind = "party" }), invalid("kind")},
		{"unknown_recurrence", ok(func(in *ActivityInput) { in.Recurrence = "weekly" }), invalid("recurrence")},
		{"unknown_role", ok(func(in *ActivityInput) { in.Role = "boss" }), invalid("role")},
		{"unknown_status", ok(func(in *ActivityInput) { in.Status = "postponed" }), invalid("status")},
		{"nothing", ActivityInput{}, invalid("title", "starts_on")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(2026), tt.want)
		})
	}
	t.Run("messages", func(t *testing.T) {
		for _, m := range []struct {
			in         ActivityInput
			field, key string
		}{
			{ok(func(in *ActivityInput) { in.StartsOn = day(2025, 6, 1) }), "starts_on", "plan.field.outside_year"},
			{ok(func(in *ActivityInput) { in.EndsOn = day(2026, 4, 1) }), "ends_on", "plan.field.end_before_start"},
			{ok(func(in *ActivityInput) { in.EndsOn = day(2027, 4, 1) }), "ends_on", "plan.field.outside_year"},
			{ok(func(in *ActivityInput) { in.Recurrence, in.EndsOn = RepeatMonthly, day(2026, 4, 15) }), "ends_on", "plan.field.window_too_long"},
		} {
			if got := fieldKey(m.in.Validate(2026), m.field); got != m.key {
				t.Errorf("%s: message %q, want %q", m.field, got, m.key)
			}
		}
	})
	t.Run("trims_and_defaults", func(t *testing.T) {
		in := ActivityInput{Title: " Dag ", Description: " Tekst ", Outcome: " Gedaan ", StartsOn: day(2026, 4, 8)}
		if err := in.Validate(2026); err != nil {
			t.Fatal(err)
		}
		if in.Title != "Dag" || in.Description != "Tekst" || in.Outcome != "Gedaan" || in.Kind != KindOther ||
			in.Status != ActivityPlanned || !in.EndsOn.Equal(in.StartsOn) || in.Recurrence != RepeatOnce {
			t.Errorf("after Validate: %+v", in)
		}
	})
}

// TestTemplateActivities: the seed's year falls on the right days and every
// activity of it is valid for that year.
func TestTemplateActivities(t *testing.T) {
	for _, year := range []int{2026, 2027, 2028} {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			got := TemplateActivities(year, templateText)
			if len(got) != len(PlanTemplate) {
				t.Fatalf("%d activities, want %d", len(got), len(PlanTemplate))
			}
			for i, in := range got {
				ta := PlanTemplate[i]
				if in.Kind != ta.Kind || in.Title != "Sjabloon "+string(ta.Kind) || in.Recurrence != ta.Recurrence || in.Role != ta.Role {
					t.Errorf("activity %d: %+v", i, in)
				}
				if in.StartsOn.Month() != ta.Month || in.StartsOn.Weekday() != ta.Weekday || NthWeekday(in.StartsOn) != ta.Nth ||
					in.EndsOn.Sub(in.StartsOn) != time.Duration(ta.Days)*24*time.Hour {
					t.Errorf("activity %d (%s) on %s..%s", i, ta.Kind, FormatDay(in.StartsOn), FormatDay(in.EndsOn))
				}
				if err := in.Validate(year); err != nil {
					t.Errorf("activity %d (%s): %v", i, ta.Kind, err)
				}
			}
		})
	}
	t.Run("2026_days", func(t *testing.T) {
		want := []time.Time{day(2026, 1, 13), day(2026, 3, 19), day(2026, 2, 2), day(2026, 4, 8), day(2026, 10, 14),
			day(2026, 6, 4), day(2026, 9, 15)}
		for i, in := range TemplateActivities(2026, templateText) {
			if !in.StartsOn.Equal(want[i]) {
				t.Errorf("%s starts on %s, want %s", in.Kind, FormatDay(in.StartsOn), FormatDay(want[i]))
			}
		}
	})
}

// TestConsultancyDays: an agenda and its outcomes belong to a day a
// consultancy day is held; without a day, the agenda is the next one's.
func TestConsultancyDays(t *testing.T) {
	consultancy := &Activity{Kind: KindConsultancyDay, StartsOn: day(2026, 1, 13), EndsOn: day(2026, 1, 13), Recurrence: RepeatMonthly}
	training := &Activity{Kind: KindTraining, StartsOn: day(2026, 9, 15), EndsOn: day(2026, 9, 15)}
	noon := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		a        *Activity
		day, now time.Time
		held     time.Time
		want     result
	}{
		{"held_on_an_occurrence", consultancy, day(2026, 2, 10), testNow, day(2026, 2, 10), allowed},
		{"held_on_the_first", consultancy, day(2026, 1, 13), testNow, day(2026, 1, 13), allowed},
		{"not_an_occurrence", consultancy, day(2026, 2, 11), testNow, time.Time{}, invalid("held_on")},
		{"not_a_consultancy_day", training, day(2026, 9, 15), testNow, time.Time{}, conflict("plan.not_consultancy")},
		{"next/today_is_one", consultancy, time.Time{}, noon(2026, 3, 10), day(2026, 3, 10), allowed},
		{"next/the_day_after", consultancy, time.Time{}, noon(2026, 3, 11), day(2026, 4, 14), allowed},
		{"next/before_the_year", consultancy, time.Time{}, noon(2025, 11, 1), day(2026, 1, 13), allowed},
		{"next/after_the_last", consultancy, time.Time{}, noon(2026, 12, 20), day(2026, 12, 8), allowed},
		{"next/utc_day", consultancy, time.Time{}, time.Date(2026, 3, 11, 0, 30, 0, 0, time.FixedZone("CET", 3600)), day(2026, 3, 10), allowed},
		{"next/not_a_consultancy_day", training, time.Time{}, testNow, time.Time{}, conflict("plan.not_consultancy")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			held, err := tt.a.AgendaDay(tt.day, tt.now)
			expect(t, "", err, tt.want)
			if !held.Equal(tt.held) {
				t.Errorf("agenda of %s, want %s", FormatDay(held), FormatDay(tt.held))
			}
			if !tt.day.IsZero() {
				expect(t, "", tt.a.CheckHeldOn(tt.day), tt.want)
			}
		})
	}
}

func TestCheckConsultancyOutcome(t *testing.T) {
	fa := actor(idFuncElse, role(RoleFunctionalAdmin, areaOther))
	tests := []struct {
		name    string
		a       *Actor
		outcome string
		want    result
	}{
		{"functional_admin", fa, "Functioneel ontwerp gemaakt", allowed},
		{"functional_admin/longest", fa, strings.Repeat("o", MaxPlanText), allowed},
		{"functional_admin/empty", fa, "", invalid("outcome")},
		{"functional_admin/too_long", fa, strings.Repeat("o", MaxPlanText+1), invalid("outcome")},
		{"key_user", actor(idKeyUser, role(RoleKeyUser, 0)), "x", forbidden("plan.forbidden_keep")},
		{"management", actor(idManagement, role(RoleManagement, 0)), "x", forbidden("plan.forbidden_keep")},
		{"technical_admin/empty", actor(idTech, role(RoleTechnicalAdmin, 0)), "", forbidden("plan.forbidden_keep")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckConsultancyOutcome(tt.a, tt.outcome), tt.want)
		})
	}
}

func TestRecurrenceMonths(t *testing.T) {
	for r, want := range map[Recurrence]int{RepeatOnce: 0, RepeatMonthly: 1, RepeatQuarterly: 3, "weekly": 0} {
		t.Run(fmt.Sprintf("%q→%d", r, want), func(t *testing.T) {
			if got := r.Months(); got != want {
				t.Errorf("Months() = %d", got)
			}
		})
	}
}
