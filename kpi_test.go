package beheer

import "testing"

// TestKPIsOf: the stock and flow figures of management's home from two
// reports, with the open work at the start of the month worked back.
func TestKPIsOf(t *testing.T) {
	this := &Report{
		Open:       []OpenCount{{Phase: PhaseIntake, Count: 10}, {Phase: PhaseExecution, Count: 30}},
		Throughput: []MonthCount{{Filed: 12, Closed: 7}},
		Overdue:    5,
		LeadTimes:  []Spread{{Group: "intake", Count: 3, Median: 2}, {Group: "total", Count: 7, Median: 48}},
		Ratings:    RatingStats{Count: 2, Average: 4.5},
	}
	prev := &Report{
		Throughput: []MonthCount{{Filed: 9, Closed: 11}},
		SLA:        []SLAPerf{{Priority: PriorityUrgent, Ended: 4, ResolutionMet: 3}, {Priority: PriorityNormal, Ended: 7, ResolutionMet: 5}},
		LeadTimes:  []Spread{{Group: "total", Count: 0}},
	}
	k := KPIsOf(this, prev)
	want := KPIs{Open: 40, OpenBefore: 35, Late: 5, LateBefore: 3, Closed: 7, ClosedBefore: 11,
		LeadHours: 48, LeadOK: true, Rating: 4.5, RatingOK: true}
	if k != want {
		t.Errorf("KPIsOf =\n%+v, want\n%+v", k, want)
	}
	empty := KPIsOf(&Report{Throughput: []MonthCount{{Filed: 3}}}, &Report{})
	if empty.OpenBefore != 0 || empty.LeadOK || empty.RatingOK || empty.RatingBeforeOK {
		t.Errorf("empty reports: %+v", empty)
	}
}
