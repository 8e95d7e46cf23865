package beheer

import (
	"slices"
	"time"

	"beheer/sla"
)

// A request's resolution deadline as one sortable number on its row. The
// service-level sweep keeps it (with the moment the clock enters its last
// fifth), so the work queue can show a due badge, filter on late and at
// risk and sort by time left from an index, without computing a clock per
// row. Lower means more urgent:
//
//	below DueRunningMax    a running clock: the moment it is (or was) due, Unix ms
//	DuePausedBase ± span   a stopped clock: the base plus the business time left
//	DueUnknown             not measured yet (filed or changed since the last sweep)
//	DueNone                no running target: delivered (Optimalisatie) or ended
const (
	DueRunningMax int64 = 1_000_000_000_000_000
	DuePausedBase int64 = 2_000_000_000_000_000
	DueUnknown    int64 = 3_000_000_000_000_000
	DueNone       int64 = 4_000_000_000_000_000
	// duePausedSpan bounds the business time left a stopped clock keeps,
	// far beyond a year of business minutes either way.
	duePausedSpan int64 = 500_000_000_000_000
)

// Due is what the sweep keeps of a request's resolution clock: Rank orders
// the work, Warn is the moment a running clock has a fifth of its target
// left (DueNone when that does not apply).
type Due struct {
	Rank int64
	Warn int64
}

// DueStanding is how a request stands against its resolution target.
type DueStanding string

// The standings, most urgent first.
const (
	DueLate     DueStanding = "late"     // past the target, clock running
	DueAtRisk   DueStanding = "at_risk"  // less than a fifth of the target left
	DueOnTrack  DueStanding = "on_track" // running, time enough
	DuePaused   DueStanding = "paused"   // the clock stands still (waits for others, parked)
	DueNoTarget DueStanding = "none"     // delivered, ended, or not measured yet
)

// DueToday is the queue's filter on what is due by the end of today, the
// late included: "verloopt vandaag / te laat".
const DueToday DueStanding = "today"

// DueFilters are the values the queue's service-level filter takes.
var DueFilters = []DueStanding{DueLate, DueAtRisk, DueToday}

// ValidDueFilter reports whether s is a service-level filter of the queue.
func ValidDueFilter(s DueStanding) bool { return slices.Contains(DueFilters, s) }

// EndOfDay is the last moment of now's day in zone: what "due today" runs to.
func EndOfDay(now time.Time, zone *time.Location) time.Time {
	y, m, d := now.In(zone).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, zone).Add(-time.Millisecond)
}

// DueOf is what the sweep keeps for a request whose clock state is st at
// now. before is what it kept last time: a running clock that went past
// its target keeps the moment it was due, which only an earlier sweep saw.
func DueOf(st SLAState, cal *sla.Calendar, now time.Time, before Due) Due {
	res := st.Resolution
	switch {
	case res.Done || res.Target <= 0:
		return Due{Rank: DueNone, Warn: DueNone}
	case st.Paused:
		left := min(max(res.Left().Milliseconds(), -duePausedSpan+1), duePausedSpan-1)
		return Due{Rank: DuePausedBase + left, Warn: DueNone}
	case res.Breached() || res.Left() == 0:
		if before.Rank < DueRunningMax && before.Rank <= now.UnixMilli() {
			return Due{Rank: before.Rank, Warn: min(before.Warn, before.Rank)}
		}
		at := now.Add(res.Left()).UnixMilli() // first seen late: as long ago as it is overdue
		return Due{Rank: at, Warn: at}
	}
	due := res.Due
	if due.IsZero() {
		due = cal.Add(now, res.Left())
	}
	d := Due{Rank: due.UnixMilli()}
	if quiet := res.Left() - res.Target/5; quiet > 0 {
		d.Warn = cal.Add(now, quiet).UnixMilli()
	} else if before.Warn <= now.UnixMilli() && before.Warn < DueRunningMax {
		d.Warn = before.Warn // in its last fifth since an earlier sweep
	} else {
		d.Warn = now.UnixMilli()
	}
	if d.Rank == 0 { // a calendar without working time never reaches it
		return Due{Rank: DueNone, Warn: DueNone}
	}
	return d
}

// Changed reports whether d differs from before by more than a second: the
// sweep writes a request's row only then.
func (d Due) Changed(before Due) bool {
	far := func(a, b int64) bool { return a-b > 1000 || b-a > 1000 }
	return far(d.Rank, before.Rank) || far(d.Warn, before.Warn)
}

// Standing is how the request stands at now, from what the sweep kept and
// the request's own phase and status (which are never stale): a request
// that was delivered or ended has no target left; one that waits for
// others shows as paused until the sweep measures it again.
func (d Due) Standing(r *Request, now time.Time) DueStanding {
	if !r.Phase.Open() || r.Phase == PhaseOptimisation || d.Rank >= DueUnknown || d.Rank <= 0 {
		return DueNoTarget
	}
	if d.Rank >= DuePausedBase-duePausedSpan || r.Status.Paused() {
		return DuePaused
	}
	at := now.UnixMilli()
	switch {
	case d.Rank <= at:
		return DueLate
	case d.Warn <= at:
		return DueAtRisk
	}
	return DueOnTrack
}

// At is the moment a running clock is (or was) due; zero for any other.
func (d Due) At() time.Time {
	if d.Rank <= 0 || d.Rank >= DueRunningMax {
		return time.Time{}
	}
	return time.UnixMilli(d.Rank)
}

// PausedLeft is the business time a stopped clock has left (negative:
// overdue); ok is false for any other.
func (d Due) PausedLeft() (left time.Duration, ok bool) {
	if d.Rank < DuePausedBase-duePausedSpan || d.Rank >= DueUnknown {
		return 0, false
	}
	return time.Duration(d.Rank-DuePausedBase) * time.Millisecond, true
}
