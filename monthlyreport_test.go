package beheer

import (
	"testing"
	"time"

	"beheer/sla"
)

func TestMonthKey(t *testing.T) {
	zone := amsterdam(t)
	for _, c := range []struct {
		at   time.Time
		want int64
	}{
		{time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC), 202602}, // already February in Amsterdam
		{time.Date(2026, 1, 31, 22, 30, 0, 0, zone), 202601},
		{time.Date(2025, 12, 1, 0, 0, 0, 0, zone), 202512},
	} {
		if got := MonthKey(c.at, zone); got != c.want {
			t.Errorf("MonthKey(%v) = %d, want %d", c.at, got, c.want)
		}
	}
}

// TestMonthlyReportDue: the report on last month is due from the opening of
// this month's first working day, once.
func TestMonthlyReportDue(t *testing.T) {
	cal := sla.Default()
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, sla.Amsterdam)
	}
	for _, c := range []struct {
		name      string
		now       time.Time
		lastSent  int64
		wantMonth time.Time
		due       bool
	}{
		{"1 Feb 2026 is a Sunday: not yet", at(2026, 2, 1, 12, 0), 202512, at(2026, 1, 1, 0, 0), false},
		{"Monday 2 Feb before opening", at(2026, 2, 2, 8, 29), 202512, at(2026, 1, 1, 0, 0), false},
		{"Monday 2 Feb at opening", at(2026, 2, 2, 8, 30), 202512, at(2026, 1, 1, 0, 0), true},
		{"Monday 2 Feb, sent already", at(2026, 2, 2, 9, 0), 202601, at(2026, 1, 1, 0, 0), false},
		{"New Year's Day: not yet", at(2026, 1, 1, 10, 0), 202511, at(2025, 12, 1, 0, 0), false},
		{"2 Jan after New Year's Day", at(2026, 1, 2, 9, 0), 202511, at(2025, 12, 1, 0, 0), true},
		{"down on the first working day: sent later that month", at(2026, 2, 17, 14, 0), 202512, at(2026, 1, 1, 0, 0), true},
		{"never sent before", at(2026, 3, 2, 8, 30), 0, at(2026, 2, 1, 0, 0), true},
		{"a month gone by is not sent afterwards, only the last", at(2026, 4, 1, 9, 0), 202601, at(2026, 3, 1, 0, 0), true},
		{"a Wednesday the first", at(2026, 4, 1, 8, 0), 202602, at(2026, 3, 1, 0, 0), false},
		{"evening of the first working day", at(2026, 4, 1, 23, 0), 202602, at(2026, 3, 1, 0, 0), true},
	} {
		month, due := MonthlyReportDue(cal, c.now, c.lastSent)
		if due != c.due || !month.Equal(c.wantMonth) {
			t.Errorf("%s: MonthlyReportDue = %v %v, want %v %v", c.name, month, due, c.wantMonth, c.due)
		}
	}
}

// TestSetOpenAtEnd: the open requests at each month's end, counted back
// from those open now.
func TestSetOpenAtEnd(t *testing.T) {
	for _, c := range []struct {
		name                             string
		months                           []MonthCount // filed and closed
		openNow, filedAfter, closedAfter int
		want                             []int
	}{
		{"period up to now", []MonthCount{{Filed: 10, Closed: 4}, {Filed: 6, Closed: 8}}, 20, 0, 0, []int{22, 20}},
		{"period in the past", []MonthCount{{Filed: 10, Closed: 4}, {Filed: 6, Closed: 8}}, 20, 5, 2, []int{19, 17}},
		{"nothing happened", []MonthCount{{}, {}, {}}, 3, 0, 0, []int{3, 3, 3}},
		{"never below zero", []MonthCount{{Filed: 0, Closed: 9}}, 0, 0, 0, []int{0}},
	} {
		rep := &Report{Throughput: c.months}
		rep.SetOpenAtEnd(c.openNow, c.filedAfter, c.closedAfter)
		for i, w := range c.want {
			if got := rep.Throughput[i].OpenAtEnd; got != w {
				t.Errorf("%s: month %d open at end %d, want %d", c.name, i, got, w)
			}
		}
	}
}

func TestMonthFiguresOf(t *testing.T) {
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, amsterdam(t))
	rep := &Report{From: jan, Throughput: []MonthCount{{Month: jan, Filed: 12, Closed: 9, OpenAtEnd: 30}},
		SLA: []SLAPerf{{Priority: PriorityUrgent, Ended: 2, ResponseMet: 2, ResolutionMet: 1},
			{Priority: PriorityNormal, Ended: 6, ResponseMet: 5, ResolutionMet: 6}},
		LeadTimes: []Spread{{Group: string(PhaseIntake), Count: 9, Median: 3}, {Group: "total", Count: 7, Median: 52.5}}}
	rep.Ratings.Add(4, 3)
	rep.Ratings.Add(5, 1)
	got := MonthFiguresOf(rep)
	want := MonthFigures{Month: jan, Filed: 12, Closed: 9, OpenAtEnd: 30, Ended: 8, ResolutionMet: 7, ResponseMet: 7, Late: 1,
		LeadTimes: 7, LeadMedian: 52.5, Ratings: 4, Rating: 4.25}
	if got != want {
		t.Errorf("MonthFiguresOf = %+v\nwant %+v", got, want)
	}
	if (AreaFigures{Month: MonthFigures{}, Previous: MonthFigures{Filed: 1}}).Quiet() || !(AreaFigures{}).Quiet() {
		t.Error("Quiet is wrong")
	}
}
