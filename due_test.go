package beheer

import (
	"testing"
	"time"

	"beheer/sla"
)

// TestDueOf: what the sweep keeps of each kind of clock, and that a
// running clock's deadline stays put from one sweep to the next.
func TestDueOf(t *testing.T) {
	cal := sla.Default()
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, sla.Amsterdam) // Tuesday
	h := time.Hour
	clock := func(target, elapsed time.Duration, paused, done bool) SLAState {
		m := sla.Measure{Target: target, Elapsed: elapsed, Done: done, Running: !paused && !done}
		if m.Running && elapsed < target {
			m.Due = cal.Add(now, target-elapsed)
		}
		return SLAState{State: sla.State{Resolution: m, Paused: paused}}
	}
	unknown := Due{Rank: DueUnknown, Warn: DueUnknown}
	tests := []struct {
		name   string
		st     SLAState
		before Due
		rank   int64
		warn   int64
	}{
		{"running_due_in_two_hours", clock(10*h, 8*h, false, false), unknown,
			now.Add(2 * h).UnixMilli(), now.UnixMilli()}, // two of ten hours left: already in its last fifth
		{"running_with_time_enough", clock(10*h, 1*h, false, false), unknown,
			cal.Add(now, 9*h).UnixMilli(), cal.Add(now, 7*h).UnixMilli()},
		{"paused_keeps_what_is_left", clock(10*h, 4*h, true, false), unknown,
			DuePausedBase + (6 * h).Milliseconds(), DueNone},
		{"paused_overdue", clock(10*h, 12*h, true, false), unknown,
			DuePausedBase - (2 * h).Milliseconds(), DueNone},
		{"delivered", clock(10*h, 4*h, false, true), unknown, DueNone, DueNone},
		{"no_target", clock(0, 4*h, false, false), unknown, DueNone, DueNone},
		{"late_keeps_the_moment_it_was_due", clock(10*h, 11*h, false, false),
			Due{Rank: now.Add(-3 * h).UnixMilli(), Warn: now.Add(-5 * h).UnixMilli()},
			now.Add(-3 * h).UnixMilli(), now.Add(-5 * h).UnixMilli()},
		{"late_first_seen_counts_back", clock(10*h, 11*h, false, false), unknown,
			now.Add(-1 * h).UnixMilli(), now.Add(-1 * h).UnixMilli()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DueOf(tt.st, cal, now, tt.before)
			if got.Rank != tt.rank || got.Warn != tt.warn {
				t.Errorf("DueOf = %+v, want rank %d warn %d", got, tt.rank, tt.warn)
			}
		})
	}
	// An hour later the same running clock (an hour more used) keeps its
	// deadline: the sweep writes nothing.
	first := DueOf(clock(10*h, 1*h, false, false), cal, now, unknown)
	later := now.Add(h)
	m := sla.Measure{Target: 10 * h, Elapsed: 2 * h, Running: true, Due: cal.Add(later, 8*h)}
	again := DueOf(SLAState{State: sla.State{Resolution: m}}, cal, later, first)
	if again.Changed(first) {
		t.Errorf("deadline moved from %+v to %+v", first, again)
	}
}

// TestDueStanding: how a request stands, from what the sweep kept and its
// own phase and status; more urgent standings sort before less urgent.
func TestDueStanding(t *testing.T) {
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, sla.Amsterdam)
	ms := func(d time.Duration) int64 { return now.Add(d).UnixMilli() }
	working := &Request{Phase: PhaseInvestigation, Status: StatusAwaitingAssignee}
	tests := []struct {
		name string
		r    *Request
		d    Due
		want DueStanding
	}{
		{"late", working, Due{ms(-time.Hour), ms(-2 * time.Hour)}, DueLate},
		{"due_now_is_late", working, Due{ms(0), ms(-time.Hour)}, DueLate},
		{"at_risk", working, Due{ms(time.Hour), ms(-time.Minute)}, DueAtRisk},
		{"on_track", working, Due{ms(8 * time.Hour), ms(6 * time.Hour)}, DueOnTrack},
		{"paused_by_the_sweep", working, Due{DuePausedBase + 1000, DueNone}, DuePaused},
		{"paused_overdue", working, Due{DuePausedBase - 1000, DueNone}, DuePaused},
		{"waits_for_requester_since_the_sweep", &Request{Phase: PhaseInvestigation, Status: StatusAwaitingRequester},
			Due{ms(time.Hour), ms(-time.Minute)}, DuePaused},
		{"not_measured_yet", working, Due{DueUnknown, DueUnknown}, DueNoTarget},
		{"never_kept", working, Due{}, DueNoTarget},
		{"delivered", &Request{Phase: PhaseOptimisation, Status: StatusAwaitingRequester}, Due{ms(-time.Hour), ms(-time.Hour)}, DueNoTarget},
		{"closed", &Request{Phase: PhaseClosed, Status: StatusDone}, Due{ms(-time.Hour), ms(-time.Hour)}, DueNoTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Standing(tt.r, now); got != tt.want {
				t.Errorf("Standing = %s, want %s", got, tt.want)
			}
		})
	}
	if !(ms(-time.Hour) < ms(time.Hour) && ms(time.Hour) < DuePausedBase-duePausedSpan &&
		DuePausedBase+duePausedSpan < DueUnknown && DueUnknown < DueNone && DueRunningMax < DuePausedBase-duePausedSpan) {
		t.Error("ranks do not sort late, running, paused, unknown, none")
	}
}

// TestDueAt: the moment of a running clock, the business time left of a
// stopped one, nothing for the rest.
func TestDueAt(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	if got := (Due{Rank: at.UnixMilli()}).At(); !got.Equal(at) {
		t.Errorf("At = %v", got)
	}
	if left, ok := (Due{Rank: DuePausedBase - 90_000}).PausedLeft(); !ok || left != -90*time.Second {
		t.Errorf("PausedLeft = %v %v", left, ok)
	}
	for _, d := range []Due{{Rank: DueNone}, {Rank: DueUnknown}} {
		if !d.At().IsZero() {
			t.Errorf("%+v has a moment", d)
		}
		if _, ok := d.PausedLeft(); ok {
			t.Errorf("%+v has time left", d)
		}
	}
}
