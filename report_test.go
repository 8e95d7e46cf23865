package beheer

import (
	"fmt"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database
)

// amsterdam is the organisation's zone in the report tests.
func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return zone
}

func TestReportFilterValidate(t *testing.T) {
	zone := amsterdam(t)
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 15, 12, 0, 0, 0, zone) }
	tests := []struct {
		name string
		f    ReportFilter
		want result
	}{
		{"one_month", ReportFilter{From: month(2026, 3), To: month(2026, 3)}, allowed},
		{"a_year_with_types", ReportFilter{From: month(2025, 4), To: month(2026, 3), Types: []Type{TypeIncident, TypeChange}}, allowed},
		{"36_months", ReportFilter{From: month(2023, 4), To: month(2026, 3)}, allowed},
		{"37_months_too_long", ReportFilter{From: month(2023, 3), To: month(2026, 3)}, invalid("to")},
		{"no_from", ReportFilter{To: month(2026, 3)}, invalid("from")},
		{"no_to", ReportFilter{From: month(2026, 3)}, invalid("from")},
		{"to_before_from", ReportFilter{From: month(2026, 3), To: month(2026, 2)}, invalid("to")},
		// The last evening of February in Amsterdam is already March in
		// UTC+2 but still February here: the same month as From.
		{"months_of_the_zone", ReportFilter{From: month(2026, 2), To: time.Date(2026, 2, 28, 23, 30, 0, 0, zone)}, allowed},
		{"unknown_type", ReportFilter{From: month(2026, 3), To: month(2026, 3), Types: []Type{TypeIncident, "klacht"}}, invalid("type")},
		{"two_problems", ReportFilter{From: month(2026, 3), To: month(2026, 1), Types: []Type{"klacht"}}, invalid("to", "type")},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+outcomeName(tt.want), func(t *testing.T) {
			expect(t, "", tt.f.Validate(zone), tt.want)
		})
	}
}

// TestReportScope: who reads which areas' figures. Management reads every
// area, a key user or functional admin of an area only theirs, a requester
// or technical admin none.
func TestReportScope(t *testing.T) {
	tests := []struct {
		name  string
		a     *Actor
		asked []int64
		all   bool
		areas []int64
		want  result
	}{
		{"management/everything", actor(idManagement, role(RoleManagement, 0)), nil, true, nil, allowed},
		{"management/asks_one_area", actor(idManagement, role(RoleManagement, 0)), []int64{areaOther}, false, []int64{areaOther}, allowed},
		{"functional_admin/unscoped", actor(idFunc, role(RoleFunctionalAdmin, 0)), nil, true, nil, allowed},
		{"key_user/own_areas", actor(idKeyUser, role(RoleKeyUser, areaOwn)), nil, false, []int64{areaOwn}, allowed},
		{"key_user/asks_own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn), role(RoleKeyUser, areaOther)), []int64{areaOther}, false, []int64{areaOther}, allowed},
		{"key_user/asks_other_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), []int64{areaOwn, areaOther}, false, nil, forbidden("report.forbidden_area")},
		{"requester", actor(idRequester), nil, false, nil, forbidden("error.forbidden")},
		{"technical_admin", actor(idTech, role(RoleTechnicalAdmin, 0)), nil, false, nil, forbidden("error.forbidden")},
		{"nobody", nil, nil, false, nil, forbidden("error.forbidden")},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+outcomeName(tt.want), func(t *testing.T) {
			all, areas, err := ReportScope(tt.a, tt.asked)
			expect(t, "", err, tt.want)
			if all != tt.all || !slices.Equal(areas, tt.areas) {
				t.Errorf("ReportScope = %v, %v; want %v, %v", all, areas, tt.all, tt.areas)
			}
		})
	}
}

func TestMonthBounds(t *testing.T) {
	zone := amsterdam(t)
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, zone) }
	tests := []struct {
		name     string
		from, to time.Time
		want     []time.Time
	}{
		{"one_month", at(2026, 3, 31, 23), at(2026, 3, 1, 0), []time.Time{at(2026, 3, 1, 0), at(2026, 4, 1, 0)}},
		{"over_new_year", at(2025, 12, 5, 9), at(2026, 2, 1, 0),
			[]time.Time{at(2025, 12, 1, 0), at(2026, 1, 1, 0), at(2026, 2, 1, 0), at(2026, 3, 1, 0)}},
		// 22:30 UTC on 31 March is 00:30 on 1 April in Amsterdam.
		{"utc_moment_in_the_next_month", time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC),
			[]time.Time{at(2026, 4, 1, 0), at(2026, 5, 1, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MonthBounds(tt.from, tt.to, zone)
			if !slices.EqualFunc(got, tt.want, time.Time.Equal) {
				t.Errorf("MonthBounds = %v, want %v", got, tt.want)
			}
			if !MonthStart(tt.from, zone).Equal(tt.want[0]) {
				t.Errorf("MonthStart(%v) = %v, want %v", tt.from, MonthStart(tt.from, zone), tt.want[0])
			}
		})
	}
}

// TestNewReport: every month of the period and every age class has a row,
// also without requests; the period ends at the start of the month after.
func TestNewReport(t *testing.T) {
	zone := amsterdam(t)
	bounds := MonthBounds(time.Date(2026, 1, 10, 0, 0, 0, 0, zone), time.Date(2026, 3, 10, 0, 0, 0, 0, zone), zone)
	rep := NewReport(bounds, []int64{areaOwn}, testNow)
	if !rep.From.Equal(bounds[0]) || !rep.To.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, zone)) || !rep.ComputedAt.Equal(testNow) {
		t.Errorf("period %v – %v computed %v", rep.From, rep.To, rep.ComputedAt)
	}
	if len(rep.Throughput) != 3 || !rep.Throughput[2].Month.Equal(bounds[2]) || rep.Throughput[2].Filed != 0 {
		t.Errorf("throughput %+v", rep.Throughput)
	}
	var buckets []string
	for _, a := range rep.Aging {
		buckets = append(buckets, a.Bucket)
	}
	if want := []string{"lt7d", "7to14d", "14to30d", "30to90d", "gt90d"}; !slices.Equal(buckets, want) {
		t.Errorf("aging %v, want %v", buckets, want)
	}
	if rep.Open == nil || rep.Load == nil || !slices.Equal(rep.AreaIDs, []int64{areaOwn}) {
		t.Errorf("open %v load %v areas %v", rep.Open, rep.Load, rep.AreaIDs)
	}
}

// TestReportRows: the fixed rows of the report in the order shown, with
// zeros where the database had no row.
func TestReportRows(t *testing.T) {
	t.Run("open_by_phase_then_area", func(t *testing.T) {
		rep := &Report{Open: []OpenCount{{Phase: PhaseExecution, Area: "hr"}, {Phase: PhaseIntake, Area: "salaris"},
			{Phase: PhaseIntake, Area: ""}, {Phase: PhaseExecution, Area: "fin"}}}
		rep.SortOpen()
		var got []string
		for _, o := range rep.Open {
			got = append(got, string(o.Phase)+"/"+o.Area)
		}
		if want := []string{"intake/", "intake/salaris", "execution/fin", "execution/hr"}; !slices.Equal(got, want) {
			t.Errorf("open %v, want %v", got, want)
		}
	})
	t.Run("lead_times_in_lifecycle_order", func(t *testing.T) {
		rep := &Report{}
		rep.SetLeadTimes(map[string]Spread{"total": {Count: 4, Median: 10}, "execution": {Count: 2, Median: 3, P90: 5}})
		want := []Spread{{Group: "intake"}, {Group: "investigation"}, {Group: "execution", Count: 2, Median: 3, P90: 5},
			{Group: "optimisation"}, {Group: "total", Count: 4, Median: 10}}
		if !slices.Equal(rep.LeadTimes, want) {
			t.Errorf("lead times %+v, want %+v", rep.LeadTimes, want)
		}
	})
	t.Run("service_levels_most_urgent_first", func(t *testing.T) {
		rep := &Report{}
		rep.SetSLA(map[Priority]SLAPerf{PriorityHigh: {Ended: 3, ResponseMet: 2, ResolutionMet: 1}})
		want := []SLAPerf{{Priority: PriorityUrgent}, {Priority: PriorityHigh, Ended: 3, ResponseMet: 2, ResolutionMet: 1},
			{Priority: PriorityNormal}, {Priority: PriorityLow}}
		if !slices.Equal(rep.SLA, want) {
			t.Errorf("service levels %+v, want %+v", rep.SLA, want)
		}
	})
	t.Run("channels_closed_is_opened_minus_open", func(t *testing.T) {
		rep := &Report{}
		rep.SetChannels(map[Channel]ChannelStats{ChannelSupport: {Opened: 5, Open: 2}},
			map[string]Spread{string(ChannelSupport): {Count: 3, Median: 24, P90: 48}})
		var got []ChannelStats
		for _, c := range rep.Channels {
			if c != (ChannelStats{Channel: c.Channel}) {
				got = append(got, c)
			}
		}
		want := []ChannelStats{{Channel: ChannelSupport, Opened: 5, Open: 2, Closed: 3, Median: 24, P90: 48}}
		if len(rep.Channels) != len(Channels) || !slices.Equal(got, want) {
			t.Errorf("channels %+v, want %+v among %d", rep.Channels, want, len(Channels))
		}
	})
}

func TestDecisionStatsAdd(t *testing.T) {
	var d DecisionStats
	d.Add(DecisionApproved, 3)
	d.Add(DecisionRejected, 1)
	d.Add("withdrawn", 7)
	if d.Approved != 3 || d.Rejected != 1 {
		t.Errorf("decisions %+v", d)
	}
}

func TestRatingStatsAdd(t *testing.T) {
	tests := []struct {
		name    string
		add     [][2]int // rating, count
		counts  [5]int
		count   int
		average float64
	}{
		{"none", nil, [5]int{}, 0, 0},
		{"one_five", [][2]int{{5, 1}}, [5]int{0, 0, 0, 0, 1}, 1, 5},
		{"mixed", [][2]int{{4, 2}, {1, 1}, {5, 1}}, [5]int{1, 0, 0, 2, 1}, 4, 3.5},
		{"out_of_range_left_out", [][2]int{{0, 3}, {6, 1}, {3, 2}}, [5]int{0, 0, 2, 0, 0}, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r RatingStats
			for _, a := range tt.add {
				r.Add(a[0], a[1])
			}
			if r.Counts != tt.counts || r.Count != tt.count || r.Average != tt.average {
				t.Errorf("ratings %+v, want %v %d %v", r, tt.counts, tt.count, tt.average)
			}
		})
	}
}

func TestPercentage(t *testing.T) {
	tests := []struct {
		n, of int
		pct   float64
		ok    bool
	}{
		{0, 0, 0, false},
		{0, 4, 0, true},
		{1, 4, 25, true},
		{4, 4, 100, true},
		{2, 3, float64(2) / 3 * 100, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_of_%d", tt.n, tt.of), func(t *testing.T) {
			if pct, ok := Percentage(tt.n, tt.of); pct != tt.pct || ok != tt.ok {
				t.Errorf("Percentage = %v, %v; want %v, %v", pct, ok, tt.pct, tt.ok)
			}
		})
	}
}

// TestCompareTimeLeft: the least time left first, so the longest overdue
// heads the list and overdue comes before about to breach.
func TestCompareTimeLeft(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name string
		a, b time.Duration
		want int
	}{
		{"less_time_left_first", 1 * h, 3 * h, -1},
		{"more_time_left_later", 3 * h, 1 * h, 1},
		{"equal", 2 * h, 2 * h, 0},
		{"overdue_before_about_to_breach", -1 * h, 5 * h, -1},
		{"about_to_breach_after_overdue", 5 * h, -1 * h, 1},
		{"long_overdue_first", -9 * h, -1 * h, -1},
		{"recently_overdue_later", -1 * h, -9 * h, 1},
		{"zero_left_after_overdue", 0, -1 * h, 1},
		{"fifteen_minutes_after_a_day_late", 15 * time.Minute, -24 * h, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CompareTimeLeft(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareTimeLeft(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
