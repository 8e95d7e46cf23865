package sla

import (
	"slices"
	"time"
)

// Period is a span of a request's life: from Start until the next period's
// Start (the last one until now).
type Period struct {
	Start time.Time
	// Paused: the clock stands still — the request waits for the requester
	// or an outside party, or is finished.
	Paused bool
	// Responded: the request has had its first response by this period.
	// Beheer counts the first response as the moment a request leaves
	// "awaiting triage" or enters Onderzoek, whichever comes first.
	Responded bool
	// Resolved: the work is delivered — Optimalisatie or one of the ends.
	Resolved bool
}

// Interval is a span of time, such as a request parked until a date
// ("wacht tot"). Parked time counts as paused.
type Interval struct {
	From, To time.Time
}

// Targets are the business time allowed for the first response and for the
// resolution.
type Targets struct {
	Response   time.Duration
	Resolution time.Duration
}

// Measure is one clock: the target, the business time used, and whether it
// is finished, running or standing still.
type Measure struct {
	Target  time.Duration
	Elapsed time.Duration
	Done    bool      // responded, or resolved
	DoneAt  time.Time // when Done
	Running bool      // the clock runs now
	Due     time.Time // when running and not yet overdue: the moment the target is reached
}

// Left is the business time still allowed; negative when overdue.
func (m Measure) Left() time.Duration { return m.Target - m.Elapsed }

// Breached reports whether the clock went past its target.
func (m Measure) Breached() bool { return m.Target > 0 && m.Elapsed > m.Target }

// Warning reports whether an unfinished clock has less than a fifth of its
// target left (and is not yet overdue).
func (m Measure) Warning() bool {
	return !m.Done && m.Target > 0 && !m.Breached() && m.Left()*5 < m.Target
}

// State is a request's service level at a moment.
type State struct {
	Response    Measure
	Resolution  Measure
	Paused      bool      // the clock stands still now
	ParkedUntil time.Time // parked now ("wacht tot"): until when
}

// Clock computes the service level of a request from its periods (oldest
// first), its parked spans and its targets, at now. Time counts only within
// the calendar's business hours, only in periods that are not paused and
// outside parked spans.
func (c *Calendar) Clock(periods []Period, parked []Interval, t Targets, now time.Time) State {
	st := State{Response: Measure{Target: t.Response}, Resolution: Measure{Target: t.Resolution}}
	if len(periods) == 0 {
		return st
	}
	parked = mergeIntervals(parked, now)
	dc := c.cache()
	running := func(from, to time.Time) time.Duration {
		var d time.Duration
		for _, iv := range subtract(Interval{from, to}, parked) {
			d += dc.working(iv.From, iv.To)
		}
		return d
	}
	respondedAt, resolvedAt := time.Time{}, time.Time{}
	for i, p := range periods {
		end := now
		if i+1 < len(periods) {
			end = periods[i+1].Start
		}
		if end.After(now) {
			end = now
		}
		if p.Responded && respondedAt.IsZero() {
			respondedAt = p.Start
		}
		if p.Resolved {
			if resolvedAt.IsZero() {
				resolvedAt = p.Start
			}
		} else {
			resolvedAt = time.Time{} // reopened: the clock goes on
		}
		if p.Paused || !end.After(p.Start) {
			continue
		}
		if respondedAt.IsZero() {
			st.Response.Elapsed += running(p.Start, end)
		}
		if !p.Resolved {
			st.Resolution.Elapsed += running(p.Start, end)
		}
	}
	last := periods[len(periods)-1]
	for _, iv := range parked {
		if !now.Before(iv.From) && now.Before(iv.To) {
			st.ParkedUntil = iv.To
		}
	}
	st.Paused = last.Paused || !st.ParkedUntil.IsZero()
	finish := func(m *Measure, doneAt time.Time) {
		if !doneAt.IsZero() {
			m.Done, m.DoneAt = true, doneAt
			return
		}
		m.Running = !st.Paused
		if m.Running && m.Target > 0 && m.Elapsed < m.Target {
			m.Due = c.Add(now, m.Target-m.Elapsed)
		}
	}
	finish(&st.Response, respondedAt)
	finish(&st.Resolution, resolvedAt)
	return st
}

// mergeIntervals sorts intervals, drops empty ones, joins overlapping ones,
// and leaves out what starts after now.
func mergeIntervals(ivs []Interval, now time.Time) []Interval {
	var out []Interval
	for _, iv := range ivs {
		if iv.To.After(iv.From) && iv.From.Before(now) {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b Interval) int { return a.From.Compare(b.From) })
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.From.After(merged[n-1].To) {
			if iv.To.After(merged[n-1].To) {
				merged[n-1].To = iv.To
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// subtract is the parts of iv outside the sorted, disjoint holes.
func subtract(iv Interval, holes []Interval) []Interval {
	var out []Interval
	cur := iv.From
	for _, h := range holes {
		if !h.To.After(cur) {
			continue
		}
		if !h.From.Before(iv.To) {
			break
		}
		if h.From.After(cur) {
			out = append(out, Interval{cur, h.From})
		}
		cur = h.To
		if !cur.Before(iv.To) {
			return out
		}
	}
	if iv.To.After(cur) {
		out = append(out, Interval{cur, iv.To})
	}
	return out
}
