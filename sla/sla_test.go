package sla

import (
	"slices"
	"testing"
	"time"
)

// at is a moment in Amsterdam.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Amsterdam)
}

func TestEaster(t *testing.T) {
	for year, want := range map[int]Date{
		1818: {1818, time.March, 22}, 2019: {2019, time.April, 21}, 2024: {2024, time.March, 31},
		2025: {2025, time.April, 20}, 2026: {2026, time.April, 5}, 2027: {2027, time.March, 28},
		2038: {2038, time.April, 25}, 2285: {2285, time.March, 22},
	} {
		if got := Easter(year); got != want {
			t.Errorf("Easter(%d) = %v, want %v", year, got, want)
		}
	}
}

func TestDutchHolidays(t *testing.T) {
	names := func(hs []Holiday) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Date.String()+" "+h.Name)
		}
		return out
	}
	got := names(DutchHolidays(2025, HolidayOptions{}))
	want := []string{"2025-01-01 Nieuwjaarsdag", "2025-04-20 Eerste Paasdag", "2025-04-21 Tweede Paasdag",
		"2025-04-26 Koningsdag", // the 27th is a Sunday
		"2025-05-05 Bevrijdingsdag", "2025-05-29 Hemelvaartsdag", "2025-06-08 Eerste Pinksterdag",
		"2025-06-09 Tweede Pinksterdag", "2025-12-25 Eerste Kerstdag", "2025-12-26 Tweede Kerstdag"}
	if !slices.Equal(got, want) {
		t.Errorf("2025:\n got %v\nwant %v", got, want)
	}
	got = names(DutchHolidays(2026, HolidayOptions{GoodFriday: true}))
	want = []string{"2026-01-01 Nieuwjaarsdag", "2026-04-03 Goede Vrijdag", "2026-04-05 Eerste Paasdag",
		"2026-04-06 Tweede Paasdag", "2026-04-27 Koningsdag", "2026-05-14 Hemelvaartsdag",
		"2026-05-24 Eerste Pinksterdag", "2026-05-25 Tweede Pinksterdag", "2026-12-25 Eerste Kerstdag",
		"2026-12-26 Tweede Kerstdag"}
	if !slices.Equal(got, want) {
		t.Errorf("2026:\n got %v\nwant %v", got, want)
	}
	if hs := DutchHolidays(2026, HolidayOptions{Liberation: LiberationAlways}); !slices.ContainsFunc(hs, func(h Holiday) bool {
		return h.Date == Date{2026, time.May, 5}
	}) {
		t.Error("Bevrijdingsdag always: 2026-05-05 missing")
	}
	if hs := DutchHolidays(2030, HolidayOptions{Liberation: LiberationNever}); slices.ContainsFunc(hs, func(h Holiday) bool {
		return h.Name == "Bevrijdingsdag"
	}) {
		t.Error("Bevrijdingsdag never: present in 2030")
	}
	// King's Day on a Sunday in 2014 too.
	if hs := DutchHolidays(2014, HolidayOptions{}); !slices.Contains(HolidayDates(hs), Date{2014, time.April, 26}) {
		t.Error("Koningsdag 2014 should be 26 April")
	}
}

func TestWorkingDuration(t *testing.T) {
	cal := Default()
	h, m := time.Hour, time.Minute
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"within a day", at(2026, 3, 2, 9, 0), at(2026, 3, 2, 10, 15), h + 15*m},
		{"before opening", at(2026, 3, 2, 7, 0), at(2026, 3, 2, 9, 0), 30 * m},
		{"after closing", at(2026, 3, 2, 16, 0), at(2026, 3, 2, 20, 0), h},
		{"evening to morning", at(2026, 3, 2, 18, 0), at(2026, 3, 3, 8, 0), 0},
		{"overnight", at(2026, 3, 2, 16, 0), at(2026, 3, 3, 9, 30), 2 * h},
		{"whole day", at(2026, 3, 2, 0, 0), at(2026, 3, 3, 0, 0), 8*h + 30*m},
		{"weekend", at(2026, 3, 6, 16, 0), at(2026, 3, 9, 9, 30), 2 * h},
		{"saturday only", at(2026, 3, 7, 9, 0), at(2026, 3, 7, 17, 0), 0},
		{"whole week", at(2026, 3, 2, 0, 0), at(2026, 3, 9, 0, 0), 5 * (8*h + 30*m)},
		{"reversed", at(2026, 3, 3, 9, 0), at(2026, 3, 2, 9, 0), 0},
		{"Easter Monday (Good Friday open)", at(2026, 4, 3, 16, 0), at(2026, 4, 7, 9, 0), h + 30*m},
		{"King's Day on a Monday", at(2026, 4, 24, 16, 0), at(2026, 4, 28, 9, 0), h + 30*m},
		{"King's Day 2025 on Saturday the 26th", at(2025, 4, 25, 16, 0), at(2025, 4, 28, 9, 0), h + 30*m},
		{"Liberation Day 2025 (lustrum)", at(2025, 5, 2, 16, 0), at(2025, 5, 6, 9, 0), h + 30*m},
		{"Liberation Day 2026 is a working day", at(2026, 5, 5, 9, 0), at(2026, 5, 5, 10, 0), h},
		{"Ascension Day 2026", at(2026, 5, 13, 16, 0), at(2026, 5, 15, 9, 0), h + 30*m},
		{"Whit Monday 2026", at(2026, 5, 22, 16, 0), at(2026, 5, 26, 9, 0), h + 30*m},
		{"Christmas 2025 (Thu, Fri)", at(2025, 12, 24, 16, 0), at(2025, 12, 29, 9, 0), h + 30*m},
		{"New Year 2026", at(2025, 12, 31, 16, 0), at(2026, 1, 2, 9, 0), h + 30*m},
		{"into summer time", at(2026, 3, 27, 16, 0), at(2026, 3, 30, 9, 30), 2 * h},
		{"into winter time", at(2026, 10, 23, 16, 0), at(2026, 10, 26, 9, 30), 2 * h},
		{"from UTC input", time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), h},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.WorkingDuration(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingDuration(%v, %v) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// TestDaylightSavingDay checks that a day with a clock change has 23 or 25
// hours on a calendar that is always open.
func TestDaylightSavingDay(t *testing.T) {
	var week [7]Hours
	for i := range week {
		week[i] = Hours{0, 24 * 60}
	}
	cal := &Calendar{Zone: Amsterdam, Week: week}
	if got := cal.WorkingDuration(at(2026, 3, 29, 0, 0), at(2026, 3, 30, 0, 0)); got != 23*time.Hour {
		t.Errorf("29 March 2026: %v, want 23h", got)
	}
	if got := cal.WorkingDuration(at(2026, 10, 25, 0, 0), at(2026, 10, 26, 0, 0)); got != 25*time.Hour {
		t.Errorf("25 October 2026: %v, want 25h", got)
	}
	if got := cal.Add(at(2026, 3, 29, 0, 0), 3*time.Hour); !got.Equal(at(2026, 3, 29, 4, 0)) {
		t.Errorf("Add over the change: %v, want 04:00 CEST", got)
	}
}

func TestAdd(t *testing.T) {
	cal := Default()
	h, m := time.Hour, time.Minute
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"same day", at(2026, 3, 2, 9, 0), 2 * h, at(2026, 3, 2, 11, 0)},
		{"until closing exactly", at(2026, 3, 2, 9, 0), 8 * h, at(2026, 3, 2, 17, 0)},
		{"next morning", at(2026, 3, 2, 16, 0), 2 * h, at(2026, 3, 3, 9, 30)},
		{"from the evening", at(2026, 3, 2, 20, 0), 30 * m, at(2026, 3, 3, 9, 0)},
		{"over the weekend", at(2026, 3, 6, 16, 0), 2 * h, at(2026, 3, 9, 9, 30)},
		{"over Easter", at(2026, 4, 3, 16, 0), 2 * h, at(2026, 4, 7, 9, 30)},
		{"into summer time", at(2026, 3, 27, 16, 0), 2 * h, at(2026, 3, 30, 9, 30)},
		{"five business days", at(2026, 3, 2, 8, 30), 5 * (8*h + 30*m), at(2026, 3, 6, 17, 0)},
		{"zero", at(2026, 3, 7, 12, 0), 0, at(2026, 3, 7, 12, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Add(tt.from, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", tt.from, tt.d, got, tt.want)
			}
			if back := cal.WorkingDuration(tt.from, got); back != tt.d {
				t.Errorf("WorkingDuration back = %v, want %v", back, tt.d)
			}
		})
	}
	if got := (&Calendar{Zone: Amsterdam}).Add(at(2026, 3, 2, 9, 0), time.Hour); !got.IsZero() {
		t.Errorf("a calendar without hours gives %v, want zero", got)
	}
}

func TestParseHours(t *testing.T) {
	h, err := ParseHours("08:30-17:00")
	if err != nil || h != (Hours{510, 1020}) || h.String() != "08:30-17:00" {
		t.Errorf("ParseHours = %v, %v", h, err)
	}
	for _, bad := range []string{"17:00-08:30", "8-17", "25:00-26:00", "08:30"} {
		if _, err := ParseHours(bad); err == nil {
			t.Errorf("ParseHours(%q) accepted", bad)
		}
	}
	if h, err := ParseHours(""); err != nil || !h.Closed() {
		t.Errorf(`ParseHours("") = %v, %v`, h, err)
	}
}

func TestClock(t *testing.T) {
	cal := Default()
	h, m := time.Hour, time.Minute
	run := func(start time.Time, responded bool) Period { return Period{Start: start, Responded: responded} }
	pause := func(start time.Time) Period { return Period{Start: start, Paused: true, Responded: true} }
	targets := Targets{Response: 4 * h, Resolution: 17 * h}
	tests := []struct {
		name                 string
		periods              []Period
		parked               []Interval
		now                  time.Time
		response, resolution time.Duration
		responded, paused    bool
	}{
		{"no history", nil, nil, at(2026, 3, 2, 12, 0), 0, 0, false, false},
		{"awaiting triage", []Period{run(at(2026, 3, 2, 9, 0), false)}, nil, at(2026, 3, 2, 12, 0), 3 * h, 3 * h, false, false},
		{"triaged", []Period{run(at(2026, 3, 2, 9, 0), false), run(at(2026, 3, 2, 10, 0), true)}, nil,
			at(2026, 3, 2, 12, 0), h, 3 * h, true, false},
		{"pause spanning nights", []Period{run(at(2026, 3, 2, 9, 0), false), run(at(2026, 3, 2, 9, 30), true),
			pause(at(2026, 3, 2, 16, 30)), run(at(2026, 3, 4, 10, 0), true)}, nil,
			at(2026, 3, 4, 11, 0), 30 * m, 7*h + 30*m + h, true, false},
		{"paused now", []Period{run(at(2026, 3, 2, 9, 0), true), pause(at(2026, 3, 2, 10, 0))}, nil,
			at(2026, 3, 5, 10, 0), 0, h, true, true},
		{"parked over a weekend", []Period{run(at(2026, 3, 6, 9, 0), true)},
			[]Interval{{at(2026, 3, 6, 10, 0), at(2026, 3, 10, 8, 30)}}, at(2026, 3, 10, 10, 0), 0, 2*h + 30*m, true, false},
		{"parked now", []Period{run(at(2026, 3, 6, 9, 0), true)},
			[]Interval{{at(2026, 3, 6, 10, 0), at(2026, 3, 20, 0, 0)}}, at(2026, 3, 10, 10, 0), 0, h, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := cal.Clock(tt.periods, tt.parked, targets, tt.now)
			if s.Response.Elapsed != tt.response || s.Resolution.Elapsed != tt.resolution {
				t.Errorf("elapsed response %v resolution %v, want %v %v", s.Response.Elapsed, s.Resolution.Elapsed, tt.response, tt.resolution)
			}
			if s.Response.Done != tt.responded || s.Paused != tt.paused {
				t.Errorf("responded %v paused %v, want %v %v", s.Response.Done, s.Paused, tt.responded, tt.paused)
			}
		})
	}
}

// TestWaitingOnRequesterDoesNotBreach: an urgent request (8 business hours)
// that waits three days on its requester is not overdue.
func TestWaitingOnRequesterDoesNotBreach(t *testing.T) {
	cal := Default()
	targets := Targets{Response: time.Hour, Resolution: 8 * time.Hour}
	periods := []Period{
		{Start: at(2026, 3, 2, 9, 0)},                                 // Monday: filed, awaiting triage
		{Start: at(2026, 3, 2, 9, 30), Responded: true},               // triaged
		{Start: at(2026, 3, 2, 10, 0), Responded: true, Paused: true}, // question to the requester
		{Start: at(2026, 3, 5, 10, 0), Responded: true},               // Thursday: answered
	}
	now := at(2026, 3, 5, 12, 0)
	s := cal.Clock(periods, nil, targets, now)
	if s.Resolution.Elapsed != 3*time.Hour || s.Resolution.Breached() || s.Resolution.Warning() {
		t.Fatalf("resolution %+v: want 3h used, not breached", s.Resolution)
	}
	if want := at(2026, 3, 5, 17, 0); !s.Resolution.Due.Equal(want) {
		t.Errorf("due %v, want %v", s.Resolution.Due, want)
	}
	if s.Response.Breached() || !s.Response.Done {
		t.Errorf("response %+v: want met", s.Response)
	}
	// Without the pause the same request would be long overdue.
	running := []Period{periods[0], periods[1]}
	if s := cal.Clock(running, nil, targets, now); !s.Resolution.Breached() {
		t.Errorf("without the pause: %+v, want breached", s.Resolution)
	}
}

func TestWarning(t *testing.T) {
	m := Measure{Target: 10 * time.Hour, Elapsed: 8*time.Hour + time.Minute}
	if !m.Warning() {
		t.Error("less than a fifth left: want a warning")
	}
	m.Elapsed = 8 * time.Hour
	if m.Warning() {
		t.Error("exactly a fifth left: no warning yet")
	}
	m.Elapsed = 11 * time.Hour
	if m.Warning() || !m.Breached() {
		t.Error("overdue: breached, not a warning")
	}
}

func TestFirstWorkingDay(t *testing.T) {
	cal := Default()
	tests := []struct {
		name  string
		year  int
		month time.Month
		want  time.Time
	}{
		{"a Sunday the first: Monday", 2026, time.February, at(2026, 2, 2, 8, 30)},
		{"New Year's Day: the day after", 2026, time.January, at(2026, 1, 2, 8, 30)},
		{"a Wednesday: that day", 2026, time.April, at(2026, 4, 1, 8, 30)},
		{"a Saturday the first: Monday the third", 2026, time.August, at(2026, 8, 3, 8, 30)},
		{"New Year's Day on a Friday: Monday the fourth", 2027, time.January, at(2027, 1, 4, 8, 30)},
		{"Easter Monday the first", 2024, time.April, at(2024, 4, 2, 8, 30)},
		{"1 May is no holiday", 2026, time.May, at(2026, 5, 1, 8, 30)},
		{"summer time changes nothing at opening", 2026, time.March, at(2026, 3, 2, 8, 30)},
	}
	for _, tt := range tests {
		got, ok := cal.FirstWorkingDay(tt.year, tt.month)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("%s: FirstWorkingDay(%d, %v) = %v %v, want %v", tt.name, tt.year, tt.month, got, ok, tt.want)
		}
	}
	// Closed days of the organisation's own count too.
	closed := Default()
	closed.Holidays = func(y int) []Date {
		return append(HolidayDates(DutchHolidays(y, HolidayOptions{})), Date{2026, time.April, 1})
	}
	if got, _ := closed.FirstWorkingDay(2026, time.April); !got.Equal(at(2026, 4, 2, 8, 30)) {
		t.Errorf("with 1 April closed: %v", got)
	}
	if _, ok := (&Calendar{Zone: Amsterdam}).FirstWorkingDay(2026, time.March); ok {
		t.Error("a calendar without hours has a working day")
	}
}
