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

// The storage of service levels: the targets and the calendar, the
// clocks of requests, parking and the sweep. The nouns and their rules are
// the root package's (servicelevel.go); the clock arithmetic is package
// sla's.

// SLATargets lists the targets; everyone signed in may read them.
func (s *Store) SLATargets(ctx context.Context) ([]beheer.SLATarget, error) {
	var out []beheer.SLATarget
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = readTargets(ctx, q)
		return err
	})
	return out, err
}

func readTargets(ctx context.Context, q querier) ([]beheer.SLATarget, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.priority, t.type, t.area_id, COALESCE(a.code, ''), t.response_minutes, t.resolution_minutes
		FROM sla_targets t LEFT JOIN areas a ON a.id = t.area_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.SLATarget
	for rows.Next() {
		var t beheer.SLATarget
		if err := rows.Scan(&t.Priority, &t.Type, &t.AreaID, &t.Area, &t.ResponseMinutes, &t.ResolutionMinutes); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	beheer.SortSLATargets(out)
	return out, nil
}

// SetSLATargets replaces the targets (functional admins for every area).
// Every priority needs its general target. Open requests are recomputed on
// the next read; ended requests keep the outcome measured when they ended.
func (s *Store) SetSLATargets(ctx context.Context, actor *beheer.Actor, targets []beheer.SLATarget) error {
	if !beheer.CanManageSLA(actor) {
		return beheer.Refusal(beheer.PermSLAManage)
	}
	areas, err := s.Areas(ctx)
	if err != nil {
		return err
	}
	if err := beheer.ValidateSLATargets(targets, areas); err != nil {
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

func targetsText(ts []beheer.SLATarget) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s/%s/%s:%d/%d", t.Priority, t.Type, t.Area, t.ResponseMinutes, t.ResolutionMinutes)
	}
	return strings.Join(parts, " ")
}

const settingSLACalendar = "sla_calendar"

// SLACalendarSettings returns the calendar settings; everyone may read them.
func (s *Store) SLACalendarSettings(ctx context.Context) (beheer.SLACalendar, error) {
	var c beheer.SLACalendar
	err := s.read(ctx, func(q querier) error {
		var err error
		c, err = readCalendar(ctx, q)
		return err
	})
	return c, err
}

func readCalendar(ctx context.Context, q querier) (beheer.SLACalendar, error) {
	c := beheer.DefaultSLACalendar()
	raw, ok, err := setting(ctx, q, settingSLACalendar)
	if err != nil || !ok {
		return c, err
	}
	var stored beheer.SLACalendar
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
func (s *Store) SetSLACalendar(ctx context.Context, actor *beheer.Actor, c beheer.SLACalendar) error {
	if !beheer.CanManageSLA(actor) {
		return beheer.Refusal(beheer.PermSLAManage)
	}
	full, err := c.Checked()
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		before, after, err := t.setCalendar(ctx, full)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "sla.calendar", "", before, after, false)
	})
}

// setCalendar stores a checked calendar and returns the stored settings
// before and after, for the caller's audit row.
func (t *tx) setCalendar(ctx context.Context, c beheer.SLACalendar) (before, after string, err error) {
	raw, _ := json.Marshal(c)
	if before, _, err = setting(ctx, t, settingSLACalendar); err != nil {
		return "", "", err
	}
	_, err = t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingSLACalendar, string(raw))
	return before, string(raw), err
}

// slaBasis is what every clock computation needs, read once per call.
type slaBasis struct {
	targets []beheer.SLATarget
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
	return &slaBasis{targets: ts, cal: cal, workday: beheer.AverageWorkday(cal)}, nil
}

// SLAStates computes the service level of requests the caller has already
// loaded for the person (no visibility check here), with one query for the
// status logs and one for the parked spans of them all.
func (s *Store) SLAStates(ctx context.Context, reqs []*beheer.Request) (map[int64]beheer.SLAState, error) {
	out := map[int64]beheer.SLAState{}
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
func (s *Store) states(ctx context.Context, q querier, b *slaBasis, reqs []*beheer.Request, now time.Time, out map[int64]beheer.SLAState) error {
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
		t := beheer.SLATargetFor(b.targets, r)
		at := now
		if !r.Phase.Open() && !r.ClosedAt.IsZero() && r.ClosedAt.Before(now) {
			at = r.ClosedAt
		}
		st := b.cal.Clock(periodsOf(r, logs[r.ID]), parked[r.ID], t.Targets(), at)
		out[r.ID] = beheer.SLAState{State: st, Target: t, Workday: b.workday}
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
func (s *Store) RequestSLA(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Request, beheer.SLAState, error) {
	r, _, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, beheer.SLAState{}, err
	}
	states, err := s.SLAStates(ctx, []*beheer.Request{r})
	if err != nil {
		return nil, beheer.SLAState{}, err
	}
	return r, states[r.ID], nil
}

// Park parks a request until a moment ("wacht tot"): its clock stands still
// until then, and it comes back by itself. Whoever may manage the request
// may park it; parking again replaces the moment.
func (s *Store) Park(ctx context.Context, actor *beheer.Actor, id int64, until time.Time) error {
	return s.write(ctx, func(t *tx) error {
		r, _, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckPark(actor, r, until, t.now); err != nil {
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

// sweepBatch is how many requests one step of the sweep reads.
const sweepBatch = 500

// maxOutcomesPerSweep bounds the measuring of ended requests per sweep, so
// a large backlog is worked off over several sweeps.
const maxOutcomesPerSweep = 20000

// SLASweep is the background work of service levels, safe to run often and
// from several processes: it notes parkings that ran out ("request.unparked"
// in the audit trail, once), raises a warning once per request when less
// than a fifth of its resolution target is left ("sla.warning") and notes a
// breach once ("sla.breached"), keeps every open request's deadline for the
// queue (beheer.Due), closes requests that waited in Optimalisatie without
// a reaction (ClosureSweep), and measures ended requests for the reports.
func (s *Store) SLASweep(ctx context.Context) (beheer.SLASweepResult, error) {
	var res beheer.SLASweepResult
	n, err := s.sweepUnparked(ctx)
	res.Unparked = n
	if err != nil {
		return res, err
	}
	if res.Warnings, res.Breaches, err = s.sweepWarnings(ctx); err != nil {
		return res, err
	}
	if err := s.sweepLateDue(ctx); err != nil {
		return res, err
	}
	if res.Closed, err = s.ClosureSweep(ctx); err != nil {
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
		m, err := s.measure(ctx, `SELECT `+requestColumns+requestFrom+`
			WHERE r.open = $1 AND r.id > $2
			AND NOT EXISTS (SELECT 1 FROM sla_warnings w WHERE w.request_id = r.id AND w.kind = $3)
			ORDER BY r.id LIMIT $4`, true, after, BreachResolution, sweepBatch)
		if err != nil || len(m.reqs) == 0 {
			return warnings, breaches, err
		}
		reqs, states, cal, now := m.reqs, m.states, m.cal, m.now
		after = reqs[len(reqs)-1].ID
		err = s.write(ctx, func(t *tx) error {
			for _, r := range reqs {
				if err := t.keepDue(ctx, r, beheer.DueOf(states[r.ID], cal, now, r.Due)); err != nil {
					return err
				}
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
						// The notification worker tells the assignee: that the
						// target is near, or, for a request first seen when
						// already past it, that it was missed.
						data := map[string]string{"left": leftText(m)}
						if m.Breached() {
							data["breached"] = "true"
						}
						if err := t.emit(ctx, System, "sla.warning", r.ID, true, data); err != nil {
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

// keepDue writes what the sweep keeps of a request's deadline when it
// changed (beheer.Due): a running clock's deadline stays put, so most
// sweeps write nothing.
func (t *tx) keepDue(ctx context.Context, r *beheer.Request, d beheer.Due) error {
	if !d.Changed(r.Due) {
		return nil
	}
	_, err := t.ExecContext(ctx, `UPDATE requests SET sla_due = $1, sla_warn = $2 WHERE id = $3`, d.Rank, d.Warn, r.ID)
	return err
}

// sweepLateDue measures again the open requests past their target (which
// the warning sweep no longer reads) whose kept deadline no longer fits
// their status: a late request that now waits for others or was delivered,
// or one that works again after waiting or being reopened. The index on
// (open, sla_due) finds them without reading the rest.
func (s *Store) sweepLateDue(ctx context.Context) error {
	paused := []any{}
	for _, st := range beheer.Statuses {
		if st.Paused() {
			paused = append(paused, string(st))
		}
	}
	in := func(first int) string {
		ph := make([]string, len(paused))
		for i := range paused {
			ph[i] = "$" + itoa(int64(first+i))
		}
		return strings.Join(ph, ", ")
	}
	n := len(paused)
	query := `SELECT ` + requestColumns + requestFrom + `
		WHERE r.open = $1 AND r.id > $2
		AND ((r.sla_due < $3 AND (r.phase = $4 OR r.status IN (` + in(6) + `)))
			OR (r.sla_due >= $3 AND r.phase <> $4 AND r.status NOT IN (` + in(6) + `)))
		AND EXISTS (SELECT 1 FROM sla_warnings w WHERE w.request_id = r.id AND w.kind = $5)
		ORDER BY r.id LIMIT $` + itoa(int64(6+n))
	var after int64
	for {
		args := append([]any{true, after, beheer.DueRunningMax, beheer.PhaseOptimisation, BreachResolution}, paused...)
		m, err := s.measure(ctx, query, append(args, sweepBatch)...)
		if err != nil || len(m.reqs) == 0 {
			return err
		}
		after = m.reqs[len(m.reqs)-1].ID
		err = s.write(ctx, func(t *tx) error {
			for _, r := range m.reqs {
				if err := t.keepDue(ctx, r, beheer.DueOf(m.states[r.ID], m.cal, m.now, r.Due)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(m.reqs) < sweepBatch {
			return err
		}
	}
}

// measured is a batch of requests the sweep read with their clocks, and
// the calendar and moment they were measured on.
type measured struct {
	reqs   []*beheer.Request
	states map[int64]beheer.SLAState
	cal    *sla.Calendar
	now    time.Time
}

// measure reads the requests a query of requestColumns returns and
// computes their clocks now, in one read.
func (s *Store) measure(ctx context.Context, query string, args ...any) (*measured, error) {
	m := &measured{states: map[int64]beheer.SLAState{}, now: s.now()}
	err := s.read(ctx, func(q querier) error {
		var err error
		if m.reqs, err = queryRequests(ctx, q, query, args...); err != nil || len(m.reqs) == 0 {
			return err
		}
		b, err := s.basis(ctx, q)
		if err != nil {
			return err
		}
		m.cal = b.cal
		return s.states(ctx, q, b, m.reqs, m.now, m.states)
	})
	return m, err
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
		m, err := s.measure(ctx, `SELECT `+requestColumns+requestFrom+`
			WHERE r.phase IN ('closed', 'rejected') AND r.closed_at IS NOT NULL AND r.id > $1
			AND NOT EXISTS (SELECT 1 FROM sla_outcomes o WHERE o.request_id = r.id)
			ORDER BY r.id LIMIT $2`, after, sweepBatch)
		if err != nil || len(m.reqs) == 0 {
			return count, err
		}
		reqs, states := m.reqs, m.states
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
		} else if res != (beheer.SLASweepResult{}) {
			s.log.Info("sla sweep", "unparked", res.Unparked, "warnings", res.Warnings, "breaches", res.Breaches, "outcomes", res.Outcomes, "closed", res.Closed)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
