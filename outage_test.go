package beheer

import (
	"fmt"
	"testing"
	"time"
)

// TestOutageInput: a notice says what is affected, how severe, since when
// (not in the future) and an expected end after the start.
func TestOutageInput(t *testing.T) {
	ok := OutageInput{Title: "InSite niet bereikbaar", Severity: SeverityMajor, StartedAt: testNow.Add(-time.Hour)}
	tests := []struct {
		name string
		edit func(*OutageInput)
		want result
	}{
		{"ok", func(*OutageInput) {}, allowed},
		{"expected_end", func(in *OutageInput) { in.ExpectedEndAt = testNow.Add(time.Hour) }, allowed},
		{"no_title", func(in *OutageInput) { in.Title = " " }, invalid("title")},
		{"no_severity", func(in *OutageInput) { in.Severity = "" }, invalid("severity")},
		{"unknown_severity", func(in *OutageInput) { in.Severity = "total" }, invalid("severity")},
		{"no_start", func(in *OutageInput) { in.StartedAt = time.Time{} }, invalid("started_at")},
		{"start_a_minute_ahead", func(in *OutageInput) { in.StartedAt = testNow.Add(time.Minute) }, allowed},
		{"start_tomorrow", func(in *OutageInput) { in.StartedAt = testNow.Add(24 * time.Hour) }, invalid("started_at")},
		{"end_before_start", func(in *OutageInput) { in.ExpectedEndAt = testNow.Add(-2 * time.Hour) }, invalid("expected_end_at")},
		{"end_at_start", func(in *OutageInput) { in.ExpectedEndAt = in.StartedAt }, invalid("expected_end_at")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := ok
			tt.edit(&in)
			expect(t, "", in.Validate(testNow), tt.want)
		})
	}
}

// TestOutageRules: functional and technical admins (for any area) manage
// notices; an outage is closed once, with a summary, not before it began;
// requests join it while it is open.
func TestOutageRules(t *testing.T) {
	for _, p := range people() {
		want := p.actor.HasRole(RoleFunctionalAdmin) || p.actor.HasRole(RoleTechnicalAdmin)
		if CanManageOutages(p.actor) != want {
			t.Errorf("%s: CanManageOutages = %v", p.name, !want)
		}
	}
	o := &Outage{StartedAt: testNow.Add(-time.Hour)}
	expect(t, "", o.CheckReportOutage(), allowed)
	expect(t, "", o.CheckCloseOutage(testNow, "  "), invalid("summary"))
	expect(t, "", o.CheckCloseOutage(testNow.Add(-2*time.Hour), "Opgelost"), invalid("ended_at"))
	expect(t, "", o.CheckCloseOutage(testNow, "Certificaat vernieuwd"), allowed)
	if got := o.Duration(testNow); got != time.Hour {
		t.Errorf("open outage lasted %s", got)
	}
	o.EndedAt = testNow.Add(-30 * time.Minute)
	expect(t, "", o.CheckCloseOutage(testNow, "Nog eens"), conflict("outage.already_closed"))
	expect(t, "", o.CheckReportOutage(), conflict("outage.closed_report"))
	if got := o.Duration(testNow); got != 30*time.Minute {
		t.Errorf("closed outage lasted %s", got)
	}
}

// TestAvailability: the record counts per month the outages that fell in
// it and how long; one across a month's end counts in both with its part;
// an open one counts until now.
func TestAvailability(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	now := at(time.March, 10, 12)
	outages := []*Outage{
		{StartedAt: at(time.January, 5, 9), EndedAt: at(time.January, 5, 11)},   // 2 h in January
		{StartedAt: at(time.January, 31, 22), EndedAt: at(time.February, 1, 4)}, // 2 h January, 4 h February
		{StartedAt: at(time.February, 20, 8), EndedAt: at(time.February, 20, 9)},
		{StartedAt: at(time.March, 10, 10)},                                    // open: 2 h until now
		{StartedAt: at(time.November, 3, 8), EndedAt: at(time.November, 3, 9)}, // 2025? no: 2026, after now
	}
	got := Availability(outages, at(time.January, 1, 0), 3, now)
	want := []MonthAvailability{
		{Month: at(time.January, 1, 0), Outages: 2, Duration: 4 * time.Hour, Longest: 2 * time.Hour},
		{Month: at(time.February, 1, 0), Outages: 2, Duration: 5 * time.Hour, Longest: 4 * time.Hour},
		{Month: at(time.March, 1, 0), Outages: 1, Duration: 2 * time.Hour, Longest: 2 * time.Hour},
	}
	if len(got) != len(want) {
		t.Fatalf("%d months, want %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].Month.Equal(want[i].Month) || got[i].Outages != want[i].Outages || got[i].Duration != want[i].Duration ||
			got[i].Longest != want[i].Longest {
			t.Errorf("month %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if year := Availability(nil, time.Date(2025, time.April, 1, 0, 0, 0, 0, loc), 12, now); len(year) != 12 ||
		year[11].Month.Month() != time.March || year[11].Outages != 0 {
		t.Errorf("a year without outages: %+v", year)
	}
}
