package beheer

import (
	"time"

	"beheer/sla"
)

// The monthly report: on the first working day of a month, management
// (the directie) receives the figures of the month before by e-mail, with
// the month before that beside them. The figures are the dashboard's: each
// month is a Report of that month alone.

// MonthKey is the month of t in zone as yyyymm (202601 for January 2026):
// the position the monthly report keeps of the last month it reported on.
func MonthKey(t time.Time, zone *time.Location) int64 {
	y, m, _ := t.In(zone).Date()
	return int64(y)*100 + int64(m)
}

// MonthlyReportDue says whether the report on the month before now's is
// due, and which month that is (its first moment in the calendar's zone).
// It is due from the opening of the first working day of now's month, as
// cal knows working days (weekends, public and the organisation's own
// holidays), until it is sent: lastSent is the MonthKey of the last month
// reported on. A process that was down that day sends it when it is back,
// later that month; a month gone by is not reported afterwards.
func MonthlyReportDue(cal *sla.Calendar, now time.Time, lastSent int64) (month time.Time, due bool) {
	zone := cal.Zone
	if zone == nil {
		zone = sla.Amsterdam
	}
	this := MonthStart(now, zone)
	month = this.AddDate(0, -1, 0)
	if MonthKey(month, zone) <= lastSent {
		return month, false
	}
	open, ok := cal.FirstWorkingDay(this.Year(), this.Month())
	return month, ok && !now.Before(open)
}

// MonthFigures are the figures of one month as management reads them.
type MonthFigures struct {
	Month  time.Time // its first moment
	Filed  int       // requests filed in the month
	Closed int       // requests ended in the month: done, rejected or withdrawn
	// OpenAtEnd is the open requests at the end of the month.
	OpenAtEnd int
	// Ended is the requests that ended in the month with service-level
	// targets; ResolutionMet and ResponseMet of them met those targets,
	// Late is the rest, resolved after their target.
	Ended, ResolutionMet, ResponseMet, Late int
	// LeadTimes is how many requests were done in the month and
	// LeadMedian their median lead time in hours, from filing to done.
	LeadTimes  int
	LeadMedian float64
	// Ratings is how many requesters rated the outcome in the month and
	// Rating their average, 1 to 5.
	Ratings int
	Rating  float64
}

// MonthFiguresOf reads the figures of a report of one month.
func MonthFiguresOf(r *Report) MonthFigures {
	f := MonthFigures{Month: r.From, Ratings: r.Ratings.Count, Rating: r.Ratings.Average}
	if len(r.Throughput) > 0 {
		m := r.Throughput[len(r.Throughput)-1]
		f.Filed, f.Closed, f.OpenAtEnd = m.Filed, m.Closed, m.OpenAtEnd
	}
	for _, p := range r.SLA {
		f.Ended += p.Ended
		f.ResolutionMet += p.ResolutionMet
		f.ResponseMet += p.ResponseMet
	}
	f.Late = f.Ended - f.ResolutionMet
	for _, s := range r.LeadTimes {
		if s.Group == "total" {
			f.LeadTimes, f.LeadMedian = s.Count, s.Median
		}
	}
	return f
}

// MonthlyReport is what management's monthly e-mail tells: a month and the
// one before, for everything the reader may see and per area.
type MonthlyReport struct {
	Month, Previous MonthFigures
	// OpenNow and OverdueNow are the open requests when the report was
	// made, and those of them past their resolution target.
	OpenNow, OverdueNow int
	Areas               []AreaFigures
}

// AreaFigures are one area's figures in the monthly report.
type AreaFigures struct {
	Area            Area
	Month, Previous MonthFigures
}

// Quiet reports whether nothing happened in the area in either month and
// nothing is open: such an area is left out of the e-mail.
func (a AreaFigures) Quiet() bool {
	for _, f := range []MonthFigures{a.Month, a.Previous} {
		if f.Filed != 0 || f.Closed != 0 || f.OpenAtEnd != 0 {
			return false
		}
	}
	return true
}
