package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"beheer"
	"beheer/sla"
)

// SLATarget is the business time allowed for one priority, optionally only
// for one type and/or one area ("" and 0 mean any). The most specific
// target that matches a request holds: area and type, then area, then type,
// then the priority alone.
type SLATarget struct {
	Priority          beheer.Priority `json:"priority"`
	Type              beheer.Type     `json:"type,omitempty"`
	AreaID            int64           `json:"-"`
	Area              string          `json:"area,omitempty"` // the area's code
	ResponseMinutes   int             `json:"response_minutes"`
	ResolutionMinutes int             `json:"resolution_minutes"`
}

// maxTargetMinutes bounds a target: a year of business minutes.
const maxTargetMinutes = 366 * 24 * 60

// maxTargets bounds the rows of the targets table.
const maxTargets = 200

// SLATargets lists the targets; everyone signed in may read them.
func (s *Store) SLATargets(ctx context.Context) ([]SLATarget, error) {
	var out []SLATarget
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = readTargets(ctx, q)
		return err
	})
	return out, err
}

func readTargets(ctx context.Context, q querier) ([]SLATarget, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.priority, t.type, t.area_id, COALESCE(a.code, ''), t.response_minutes, t.resolution_minutes
		FROM sla_targets t LEFT JOIN areas a ON a.id = t.area_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SLATarget
	for rows.Next() {
		var t SLATarget
		if err := rows.Scan(&t.Priority, &t.Type, &t.AreaID, &t.Area, &t.ResponseMinutes, &t.ResolutionMinutes); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortTargets(out)
	return out, nil
}

// sortTargets orders targets by priority (urgent first), then the general
// ones before the narrower ones.
func sortTargets(ts []SLATarget) {
	key := func(t SLATarget) string {
		return fmt.Sprintf("%d|%s|%s", 9-t.Priority.Rank(), t.Area, t.Type)
	}
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && key(ts[j]) < key(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// SetSLATargets replaces the targets (functional admins for every area).
// Every priority needs its general target. Open requests are recomputed on
// the next read; ended requests keep the outcome measured when they ended.
func (s *Store) SetSLATargets(ctx context.Context, actor *beheer.Actor, targets []SLATarget) error {
	if !actor.Can(beheer.PermSLAManage, 0) {
		return beheer.ErrForbidden("")
	}
	var v beheer.Validation
	if len(targets) > maxTargets {
		v.Add("targets", "field.too_long", "max", maxTargets)
		return v.Err()
	}
	areas, err := s.Areas(ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	general := map[beheer.Priority]bool{}
	for i := range targets {
		t := &targets[i]
		f := fmt.Sprintf("targets[%d].", i)
		if !t.Priority.Valid() {
			v.Add(f+"priority", "field.invalid_choice", "choices", beheer.Priorities)
		}
		if t.Type != "" && !t.Type.Valid() {
			v.Add(f+"type", "field.invalid_choice", "choices", beheer.Types)
		}
		if t.Area != "" {
			t.AreaID = 0
			for _, a := range areas {
				if a.Code == strings.ToLower(t.Area) {
					t.AreaID, t.Area = a.ID, a.Code
				}
			}
			if t.AreaID == 0 {
				v.Add(f+"area", "field.unknown_area")
			}
		} else {
			t.AreaID = 0
		}
		if t.ResponseMinutes < 1 || t.ResponseMinutes > maxTargetMinutes {
			v.Add(f+"response_minutes", "field.range", "min", 1, "max", maxTargetMinutes)
		}
		if t.ResolutionMinutes < 1 || t.ResolutionMinutes > maxTargetMinutes {
			v.Add(f+"resolution_minutes", "field.range", "min", 1, "max", maxTargetMinutes)
		} else if t.ResponseMinutes > t.ResolutionMinutes {
			v.Add(f+"resolution_minutes", "sla.field.resolution_before_response")
		}
		k := fmt.Sprintf("%s|%s|%d", t.Priority, t.Type, t.AreaID)
		if seen[k] {
			v.Add(f+"priority", "sla.field.duplicate")
		}
		seen[k] = true
		if t.Type == "" && t.AreaID == 0 {
			general[t.Priority] = true
		}
	}
	for _, p := range beheer.Priorities {
		if !general[p] {
			v.Add("targets", "sla.field.missing_priority", "priority", p)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		before, err := readTargets(ctx, t)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM sla_targets`); err != nil {
			return err
		}
		for _, x := range targets {
			if _, err := t.ExecContext(ctx, `INSERT INTO sla_targets (priority, type, area_id, response_minutes, resolution_minutes)
				VALUES ($1, $2, $3, $4, $5)`, x.Priority, x.Type, x.AreaID, x.ResponseMinutes, x.ResolutionMinutes); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, 0, "sla.targets", "", targetsText(before), targetsText(targets), false)
	})
}

func targetsText(ts []SLATarget) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s/%s/%s:%d/%d", t.Priority, t.Type, t.Area, t.ResponseMinutes, t.ResolutionMinutes)
	}
	return strings.Join(parts, " ")
}

// DefaultTargets are the targets a new organisation starts with.
func DefaultTargets() []SLATarget {
	return []SLATarget{
		{Priority: beheer.PriorityUrgent, ResponseMinutes: 60, ResolutionMinutes: 480},
		{Priority: beheer.PriorityHigh, ResponseMinutes: 240, ResolutionMinutes: 1020},
		{Priority: beheer.PriorityNormal, ResponseMinutes: 510, ResolutionMinutes: 2550},
		{Priority: beheer.PriorityLow, ResponseMinutes: 1020, ResolutionMinutes: 5100},
	}
}

// TargetFor is the target that holds for a request.
func TargetFor(ts []SLATarget, r *beheer.Request) SLATarget {
	best, score := SLATarget{}, -1
	for _, t := range ts {
		if t.Priority != r.Priority || (t.Type != "" && t.Type != r.Type) || (t.AreaID != 0 && t.AreaID != r.AreaID) {
			continue
		}
		sc := 0
		if t.AreaID != 0 {
			sc += 2
		}
		if t.Type != "" {
			sc++
		}
		if sc > score {
			best, score = t, sc
		}
	}
	if score < 0 {
		for _, t := range DefaultTargets() {
			if t.Priority == r.Priority {
				return t
			}
		}
		return DefaultTargets()[2]
	}
	return best
}

// Targets converts to the clock's durations.
func (t SLATarget) Targets() sla.Targets {
	return sla.Targets{Response: time.Duration(t.ResponseMinutes) * time.Minute,
		Resolution: time.Duration(t.ResolutionMinutes) * time.Minute}
}

// SLACalendar is the organisation's business-hours calendar as settings.
type SLACalendar struct {
	Zone string `json:"zone"`
	// Hours per weekday (monday … sunday): "08:30-17:00", or "" for closed.
	Hours      map[string]string `json:"hours"`
	GoodFriday bool              `json:"good_friday"`
	Liberation sla.Liberation    `json:"liberation"`
	// ClosedDays are extra closed days, "2026-12-24".
	ClosedDays []string `json:"closed_days"`
}

// Weekdays names the days of SLACalendar.Hours, Monday first.
var Weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func weekdayIndex(name string) time.Weekday {
	for i, n := range Weekdays {
		if n == name {
			return time.Weekday((i + 1) % 7)
		}
	}
	return -1
}

// DefaultSLACalendar is Monday to Friday 08:30–17:00 in Europe/Amsterdam,
// with the Dutch public holidays, Good Friday open and Liberation Day off
// in lustrum years.
func DefaultSLACalendar() SLACalendar {
	c := SLACalendar{Zone: "Europe/Amsterdam", Hours: map[string]string{}, Liberation: sla.LiberationLustrum, ClosedDays: []string{}}
	for _, d := range Weekdays {
		c.Hours[d] = ""
	}
	for _, d := range Weekdays[:5] {
		c.Hours[d] = "08:30-17:00"
	}
	return c
}

// maxClosedDays bounds the extra closed days.
const maxClosedDays = 200

// Calendar checks the settings and builds the calendar.
func (c SLACalendar) Calendar() (*sla.Calendar, error) {
	var v beheer.Validation
	zone, err := time.LoadLocation(c.Zone)
	if c.Zone == "" || err != nil {
		v.Add("zone", "field.invalid")
	}
	cal := &sla.Calendar{Zone: zone}
	for name, h := range c.Hours {
		d := weekdayIndex(name)
		if d < 0 {
			v.Add("hours."+name, "field.unknown")
			continue
		}
		hours, err := sla.ParseHours(h)
		if err != nil {
			v.Add("hours."+name, "sla.field.hours")
		}
		cal.Week[d] = hours
	}
	working := false
	for _, h := range cal.Week {
		working = working || !h.Closed()
	}
	if !working && !v.Has("hours") {
		v.Add("hours", "sla.field.no_hours")
	}
	if !c.Liberation.Valid() {
		v.Add("liberation", "field.invalid_choice", "choices", "lustrum, always, never")
	}
	opts := sla.HolidayOptions{GoodFriday: c.GoodFriday, Liberation: c.Liberation}
	if len(c.ClosedDays) > maxClosedDays {
		v.Add("closed_days", "field.too_long", "max", maxClosedDays)
	}
	for _, s := range c.ClosedDays {
		d, err := sla.ParseDate(s)
		if err != nil {
			v.Add("closed_days", "sla.field.date", "value", s)
			break
		}
		opts.Extra = append(opts.Extra, d)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cal.Holidays = func(year int) []sla.Date { return sla.HolidayDates(sla.DutchHolidays(year, opts)) }
	return cal, nil
}

// Options are the holiday options of the settings (after Calendar checked them).
func (c SLACalendar) Options() sla.HolidayOptions {
	o := sla.HolidayOptions{GoodFriday: c.GoodFriday, Liberation: c.Liberation}
	for _, s := range c.ClosedDays {
		if d, err := sla.ParseDate(s); err == nil {
			o.Extra = append(o.Extra, d)
		}
	}
	return o
}

const settingSLACalendar = "sla_calendar"

// SLACalendarSettings returns the calendar settings; everyone may read them.
func (s *Store) SLACalendarSettings(ctx context.Context) (SLACalendar, error) {
	var c SLACalendar
	err := s.read(ctx, func(q querier) error {
		var err error
		c, err = readCalendar(ctx, q)
		return err
	})
	return c, err
}

func readCalendar(ctx context.Context, q querier) (SLACalendar, error) {
	c := DefaultSLACalendar()
	raw, ok, err := setting(ctx, q, settingSLACalendar)
	if err != nil || !ok {
		return c, err
	}
	var stored SLACalendar
	if json.Unmarshal([]byte(raw), &stored) != nil {
		return c, nil
	}
	if _, err := stored.Calendar(); err != nil {
		return c, nil
	}
	if stored.ClosedDays == nil {
		stored.ClosedDays = []string{}
	}
	return stored, nil
}

// SetSLACalendar changes the business-hours calendar (functional admins
// for every area).
func (s *Store) SetSLACalendar(ctx context.Context, actor *beheer.Actor, c SLACalendar) error {
	if !actor.Can(beheer.PermSLAManage, 0) {
		return beheer.ErrForbidden("")
	}
	full := DefaultSLACalendar()
	for _, d := range Weekdays {
		full.Hours[d] = ""
	}
	for k, h := range c.Hours {
		full.Hours[k] = strings.TrimSpace(h)
	}
	full.Zone, full.GoodFriday, full.Liberation = c.Zone, c.GoodFriday, c.Liberation
	if full.Liberation == "" {
		full.Liberation = sla.LiberationLustrum
	}
	full.ClosedDays = []string{}
	for _, d := range c.ClosedDays {
		if d = strings.TrimSpace(d); d != "" {
			full.ClosedDays = append(full.ClosedDays, d)
		}
	}
	if _, err := full.Calendar(); err != nil {
		return err
	}
	for i, d := range full.ClosedDays {
		p, _ := sla.ParseDate(d)
		full.ClosedDays[i] = p.String()
	}
	raw, _ := json.Marshal(full)
	return s.write(ctx, func(t *tx) error {
		before, _, err := setting(ctx, t, settingSLACalendar)
		if err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingSLACalendar, string(raw))
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "sla.calendar", "", before, string(raw), false)
	})
}

// SLAState is the service level of one request with the target that holds.
type SLAState struct {
	sla.State
	Target SLATarget
	// Workday is the average length of a working day in the calendar, for
	// showing long business durations in working days.
	Workday time.Duration
}

// slaBasis is what every clock computation needs, read once per call.
type slaBasis struct {
	targets []SLATarget
	cal     *sla.Calendar
	workday time.Duration
}

func (s *Store) basis(ctx context.Context, q querier) (*slaBasis, error) {
	ts, err := readTargets(ctx, q)
	if err != nil {
		return nil, err
	}
	c, err := readCalendar(ctx, q)
	if err != nil {
		return nil, err
	}
	cal, err := c.Calendar()
	if err != nil {
		cal = sla.Default()
	}
	var total time.Duration
	days := 0
	for _, h := range cal.Week {
		if !h.Closed() {
			total += time.Duration(h.Minutes()) * time.Minute
			days++
		}
	}
	b := &slaBasis{targets: ts, cal: cal, workday: 8*time.Hour + 30*time.Minute}
	if days > 0 {
		b.workday = total / time.Duration(days)
	}
	return b, nil
}

// SLAStates computes the service level of requests the caller has already
// loaded for the person (no visibility check here), with one query for the
// status logs and one for the parked spans of them all.
func (s *Store) SLAStates(ctx context.Context, reqs []*beheer.Request) (map[int64]SLAState, error) {
	out := map[int64]SLAState{}
	if len(reqs) == 0 {
		return out, nil
	}
	now := s.now()
	err := s.read(ctx, func(q querier) error {
		b, err := s.basis(ctx, q)
		if err != nil {
			return err
		}
		return s.states(ctx, q, b, reqs, now, out)
	})
	return out, err
}

// states fills out for reqs at now.
func (s *Store) states(ctx context.Context, q querier, b *slaBasis, reqs []*beheer.Request, now time.Time, out map[int64]SLAState) error {
	ids := make([]any, len(reqs))
	ph := make([]string, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	in := strings.Join(ph, ", ")
	logs := map[int64][]StatusPeriod{}
	rows, err := q.QueryContext(ctx, `SELECT request_id, at, phase, status FROM request_status_log
		WHERE request_id IN (`+in+`) ORDER BY request_id, id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var p StatusPeriod
		if err := rows.Scan(&id, &p.At, &p.Phase, &p.Status); err != nil {
			rows.Close()
			return err
		}
		logs[id] = append(logs[id], p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	parked := map[int64][]sla.Interval{}
	rows, err = q.QueryContext(ctx, `SELECT request_id, parked_at, until_at, ended_at FROM request_parking
		WHERE request_id IN (`+in+`) ORDER BY request_id, id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, from, until int64
		var ended sql.NullInt64
		if err := rows.Scan(&id, &from, &until, &ended); err != nil {
			rows.Close()
			return err
		}
		if ended.Valid && ended.Int64 < until {
			until = ended.Int64
		}
		parked[id] = append(parked[id], sla.Interval{From: time.UnixMilli(from), To: time.UnixMilli(until)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range reqs {
		t := TargetFor(b.targets, r)
		at := now
		if !r.Phase.Open() && !r.ClosedAt.IsZero() && r.ClosedAt.Before(now) {
			at = r.ClosedAt
		}
		st := b.cal.Clock(periodsOf(r, logs[r.ID]), parked[r.ID], t.Targets(), at)
		out[r.ID] = SLAState{State: st, Target: t, Workday: b.workday}
	}
	return nil
}

// periodsOf turns a status log into clock periods. A request without a log
// (loaded in bulk) counts as in its current phase and status since it was
// filed — or, once ended, as worked on from filing until closing.
func periodsOf(r *beheer.Request, log []StatusPeriod) []sla.Period {
	if len(log) == 0 {
		if !r.Phase.Open() && !r.ClosedAt.IsZero() {
			log = []StatusPeriod{{At: ms(r.CreatedAt), Phase: beheer.PhaseInvestigation, Status: beheer.StatusAwaitingAssignee},
				{At: ms(r.ClosedAt), Phase: r.Phase, Status: r.Status}}
		} else {
			log = []StatusPeriod{{At: ms(r.CreatedAt), Phase: r.Phase, Status: r.Status}}
		}
	}
	out := make([]sla.Period, len(log))
	for i, p := range log {
		out[i] = sla.Period{Start: time.UnixMilli(p.At), Paused: p.Status.Paused(),
			Responded: p.Status != beheer.StatusAwaitingTriage, Resolved: !p.Phase.Open() || p.Phase == beheer.PhaseOptimisation}
	}
	return out
}

// RequestSLA returns the service level of one request the actor may see.
func (s *Store) RequestSLA(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Request, SLAState, error) {
	r, _, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, SLAState{}, err
	}
	states, err := s.SLAStates(ctx, []*beheer.Request{r})
	if err != nil {
		return nil, SLAState{}, err
	}
	return r, states[r.ID], nil
}

// maxPark bounds how far ahead a request can be parked.
const maxPark = 366 * 24 * time.Hour

// Park parks a request until a moment ("wacht tot"): its clock stands still
// until then, and it comes back by itself. Whoever may manage the request
// may park it; parking again replaces the moment.
func (s *Store) Park(ctx context.Context, actor *beheer.Actor, id int64, until time.Time) error {
	return s.write(ctx, func(t *tx) error {
		r, _, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if !beheer.CanManage(actor, r) {
			return beheer.ErrForbidden("")
		}
		if !r.Phase.Open() {
			return beheer.Errorf(beheer.CodeConflict, "sla.park.closed")
		}
		var v beheer.Validation
		switch {
		case !until.After(t.now):
			v.Add("until", "sla.field.future")
		case until.Sub(t.now) > maxPark:
			v.Add("until", "field.invalid")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := t.endParking(ctx, id); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO request_parking (request_id, parked_at, until_at, parked_by) VALUES ($1, $2, $3, $4)`,
			id, ms(t.now), ms(until), nullID(actor.UserID)); err != nil {
			return err
		}
		return t.audit(ctx, actor, id, "request.parked", "parked_until", "", until.UTC().Format(time.RFC3339), false)
	})
}

// Unpark takes a request off the shelf before its moment.
func (s *Store) Unpark(ctx context.Context, actor *beheer.Actor, id int64) error {
	return s.write(ctx, func(t *tx) error {
		r, _, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if !beheer.CanManage(actor, r) {
			return beheer.ErrForbidden("")
		}
		var until int64
		err = t.QueryRowContext(ctx, `SELECT until_at FROM request_parking WHERE request_id = $1 AND ended_at IS NULL AND until_at > $2
			ORDER BY id DESC LIMIT 1`, id, ms(t.now)).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.Errorf(beheer.CodeConflict, "sla.park.not_parked")
		}
		if err != nil {
			return err
		}
		if err := t.endParking(ctx, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, id, "request.unparked", "parked_until", time.UnixMilli(until).UTC().Format(time.RFC3339), "", false)
	})
}

// endParking ends a parking that still runs, as of now.
func (t *tx) endParking(ctx context.Context, id int64) error {
	_, err := t.ExecContext(ctx, `UPDATE request_parking SET ended_at = $1, noted = $2
		WHERE request_id = $3 AND ended_at IS NULL AND until_at > $1`, ms(t.now), true, id)
	return err
}

// SweepResult says what one sweep did.
type SweepResult struct {
	Unparked int // "request.unparked" written for parkings that ran out
	Warnings int // "sla.warning" written
	Breaches int // "sla.breached" written
	Outcomes int // ended requests measured
}

// sweepBatch is how many requests one step of the sweep reads.
const sweepBatch = 500

// maxOutcomesPerSweep bounds the measuring of ended requests per sweep, so
// a large backlog is worked off over several sweeps.
const maxOutcomesPerSweep = 20000

// SLASweep is the background work of service levels, safe to run often and
// from several processes: it notes parkings that ran out ("request.unparked"
// in the audit trail, once), raises a warning once per request when less
// than a fifth of its resolution target is left ("sla.warning") and notes a
// breach once ("sla.breached"), and measures ended requests for the reports.
func (s *Store) SLASweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	n, err := s.sweepUnparked(ctx)
	res.Unparked = n
	if err != nil {
		return res, err
	}
	if res.Warnings, res.Breaches, err = s.sweepWarnings(ctx); err != nil {
		return res, err
	}
	res.Outcomes, err = s.sweepOutcomes(ctx)
	return res, err
}

func (s *Store) sweepUnparked(ctx context.Context) (int, error) {
	count := 0
	for {
		var due []struct{ id, request, until int64 }
		err := s.read(ctx, func(q querier) error {
			rows, err := q.QueryContext(ctx, `SELECT id, request_id, until_at FROM request_parking
				WHERE noted = $1 AND ended_at IS NULL AND until_at <= $2 ORDER BY id LIMIT $3`, false, ms(s.now()), sweepBatch)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var d struct{ id, request, until int64 }
				if err := rows.Scan(&d.id, &d.request, &d.until); err != nil {
					return err
				}
				due = append(due, d)
			}
			return rows.Err()
		})
		if err != nil || len(due) == 0 {
			return count, err
		}
		err = s.write(ctx, func(t *tx) error {
			for _, d := range due {
				res, err := t.ExecContext(ctx, `UPDATE request_parking SET noted = $1 WHERE id = $2 AND noted = $3`, true, d.id, false)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					continue
				}
				at := time.UnixMilli(d.until).UTC().Format(time.RFC3339)
				if err := t.audit(ctx, System, d.request, "request.unparked", "parked_until", at, "", false); err != nil {
					return err
				}
				count++
			}
			return nil
		})
		if err != nil || len(due) < sweepBatch {
			return count, err
		}
	}
}

// insertOnce records a warning kind for a request; ok is false when it was
// recorded before.
func (t *tx) insertOnce(ctx context.Context, requestID int64, kind string) (bool, error) {
	res, err := t.ExecContext(ctx, `INSERT INTO sla_warnings (request_id, kind, at) VALUES ($1, $2, $3)
		ON CONFLICT (request_id, kind) DO NOTHING`, requestID, kind, ms(t.now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// The kinds of sla_warnings.
const (
	WarningResolution = "resolution_warning"
	BreachResolution  = "resolution_breach"
)

func (s *Store) sweepWarnings(ctx context.Context) (warnings, breaches int, err error) {
	var after int64
	for {
		var reqs []*beheer.Request
		states := map[int64]SLAState{}
		now := s.now()
		err := s.read(ctx, func(q querier) error {
			var err error
			reqs, err = queryRequests(ctx, q, `SELECT `+requestColumns+requestFrom+`
				WHERE r.open = $1 AND r.id > $2
				AND NOT EXISTS (SELECT 1 FROM sla_warnings w WHERE w.request_id = r.id AND w.kind = $3)
				ORDER BY r.id LIMIT $4`, true, after, BreachResolution, sweepBatch)
			if err != nil || len(reqs) == 0 {
				return err
			}
			b, err := s.basis(ctx, q)
			if err != nil {
				return err
			}
			return s.states(ctx, q, b, reqs, now, states)
		})
		if err != nil || len(reqs) == 0 {
			return warnings, breaches, err
		}
		after = reqs[len(reqs)-1].ID
		err = s.write(ctx, func(t *tx) error {
			for _, r := range reqs {
				m := states[r.ID].Resolution
				if m.Done {
					continue
				}
				if m.Warning() || m.Breached() {
					ok, err := t.insertOnce(ctx, r.ID, WarningResolution)
					if err != nil {
						return err
					}
					if ok {
						warnings++
						if err := t.audit(ctx, System, r.ID, "sla.warning", "resolution", "", leftText(m), true); err != nil {
							return err
						}
						// The notification worker tells the assignee.
						if err := t.emit(ctx, System, "sla.warning", r.ID, true, map[string]string{"left": leftText(m)}); err != nil {
							return err
						}
					}
				}
				if m.Breached() {
					ok, err := t.insertOnce(ctx, r.ID, BreachResolution)
					if err != nil {
						return err
					}
					if ok {
						breaches++
						if err := t.audit(ctx, System, r.ID, "sla.breached", "resolution", "", leftText(m), true); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		if err != nil || len(reqs) < sweepBatch {
			return warnings, breaches, err
		}
	}
}

// leftText records the business minutes left (negative: overdue) and the
// target, e.g. "95/480".
func leftText(m sla.Measure) string {
	return fmt.Sprintf("%d/%d", int64(m.Left()/time.Minute), int64(m.Target/time.Minute))
}

func (s *Store) sweepOutcomes(ctx context.Context) (int, error) {
	// A request that was reopened is measured again when it ends again.
	if err := s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `DELETE FROM sla_outcomes WHERE request_id IN (SELECT id FROM requests WHERE open = $1)`, true)
		return err
	}); err != nil {
		return 0, err
	}
	count := 0
	var after int64
	for count < maxOutcomesPerSweep {
		var reqs []*beheer.Request
		states := map[int64]SLAState{}
		err := s.read(ctx, func(q querier) error {
			var err error
			reqs, err = queryRequests(ctx, q, `SELECT `+requestColumns+requestFrom+`
				WHERE r.phase IN ('closed', 'rejected') AND r.closed_at IS NOT NULL AND r.id > $1
				AND NOT EXISTS (SELECT 1 FROM sla_outcomes o WHERE o.request_id = r.id)
				ORDER BY r.id LIMIT $2`, after, sweepBatch)
			if err != nil || len(reqs) == 0 {
				return err
			}
			b, err := s.basis(ctx, q)
			if err != nil {
				return err
			}
			return s.states(ctx, q, b, reqs, s.now(), states)
		})
		if err != nil || len(reqs) == 0 {
			return count, err
		}
		after = reqs[len(reqs)-1].ID
		err = s.write(ctx, func(t *tx) error {
			for _, r := range reqs {
				st := states[r.ID]
				min := func(d time.Duration) int64 { return int64(d / time.Minute) }
				if _, err := t.ExecContext(ctx, `INSERT INTO sla_outcomes (request_id, closed_at, response_minutes, response_target,
					resolution_minutes, resolution_target, response_met, resolution_met) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
					ON CONFLICT (request_id) DO NOTHING`,
					r.ID, ms(r.ClosedAt), min(st.Response.Elapsed), min(st.Response.Target), min(st.Resolution.Elapsed),
					min(st.Resolution.Target), !st.Response.Breached(), !st.Resolution.Breached()); err != nil {
					return err
				}
				count++
			}
			return nil
		})
		if err != nil || len(reqs) < sweepBatch {
			return count, err
		}
	}
	return count, nil
}

// SLASweepLoop runs SLASweep now and then every interval until ctx ends,
// logging what it did.
func (s *Store) SLASweepLoop(ctx context.Context, every time.Duration) {
	for {
		res, err := s.SLASweep(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("sla sweep", "err", err)
		} else if res != (SweepResult{}) {
			s.log.Info("sla sweep", "unparked", res.Unparked, "warnings", res.Warnings, "breaches", res.Breaches, "outcomes", res.Outcomes)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
