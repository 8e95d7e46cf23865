package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"beheer"
)

// Time registration: own hours on requests and tasks, vendor hours on
// escalations, the consultancy budget and the time report. The rules are
// beheer's (timeentry.go).

// RecordTime registers hours on a request: the actor's own (on the request
// or one of its tasks), or with an escalation an outside party's.
func (s *Store) RecordTime(ctx context.Context, actor *beheer.Actor, requestID int64, in beheer.TimeEntryInput) (*beheer.TimeEntry, error) {
	minutes, err := in.Validate(s.Today())
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, requestID)
		if err != nil {
			return err
		}
		if err := t.checkTime(ctx, actor, r, f, in, minutes); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO time_entries (request_id, task_id, escalation_id, user_id, worked_on, minutes,
			note, vendor_reference, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			requestID, nullID(in.TaskID), nullID(in.EscalationID), actor.UserID, beheer.FormatDay(in.WorkedOn), minutes,
			in.Note, in.VendorReference, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		what := "own"
		if in.EscalationID != 0 {
			what = "vendor"
		}
		return t.audit(ctx, actor, requestID, "time.recorded", what, "", beheer.FormatMinutes(minutes), true)
	})
	if err != nil {
		return nil, err
	}
	list, err := s.timeEntries(ctx, `e.id = $1`, id)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// checkTime applies the rules to an entry: vendor hours on an open,
// billed escalation of the request; own hours on the request or one of its
// tasks, and never more than 24 hours on one day for one person.
func (t *tx) checkTime(ctx context.Context, actor *beheer.Actor, r *beheer.Request, f beheer.Facts, in beheer.TimeEntryInput, minutes int) error {
	if in.EscalationID != 0 {
		e, err := loadEscalation(ctx, t, in.EscalationID)
		if err != nil || e.RequestID != r.ID {
			return beheer.Invalid("escalation", "field.invalid")
		}
		return beheer.CheckVendorTime(actor, r, f, e)
	}
	if err := beheer.CheckOwnTime(actor, r, f); err != nil {
		return err
	}
	if in.TaskID != 0 {
		k, err := loadTask(ctx, t, in.TaskID)
		if err != nil || k.RequestID != r.ID {
			return beheer.Invalid("task", "field.invalid")
		}
	}
	// The person's row is the lock that keeps two entries of one day from
	// passing the check together.
	var me int64
	if err := t.QueryRowContext(ctx, `SELECT id FROM users WHERE id = $1`+t.s.dialect.lock(""), actor.UserID).Scan(&me); err != nil {
		return err
	}
	var registered int
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(SUM(minutes), 0) FROM time_entries
		WHERE user_id = $1 AND worked_on = $2 AND escalation_id IS NULL`, actor.UserID, beheer.FormatDay(in.WorkedOn)).Scan(&registered); err != nil {
		return err
	}
	return beheer.CheckDayTotal(registered, minutes)
}

// TimeEntries lists the hours registered on a request, for who sees its
// internal work; others get none.
func (s *Store) TimeEntries(ctx context.Context, actor *beheer.Actor, requestID int64) ([]beheer.TimeEntry, error) {
	r, f, err := s.visible(ctx, actor, requestID)
	if err != nil {
		return nil, err
	}
	if !beheer.CanSeeInternal(actor, r, f) {
		return []beheer.TimeEntry{}, nil
	}
	return s.timeEntries(ctx, `e.request_id = $1`, requestID)
}

func (s *Store) timeEntries(ctx context.Context, cond string, args ...any) ([]beheer.TimeEntry, error) {
	var out []beheer.TimeEntry
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryTimeEntries(ctx, q, cond, args...)
		return err
	})
	return out, err
}

// queryTimeEntries reads the entries of a condition on time_entries e, by
// day.
func queryTimeEntries(ctx context.Context, q querier, cond string, args ...any) ([]beheer.TimeEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.request_id, r.number, COALESCE(e.task_id, 0), COALESCE(e.escalation_id, 0),
		COALESCE(x.channel, ''), e.user_id, u.name, e.worked_on, e.minutes, e.note, e.vendor_reference, e.created_at
		FROM time_entries e JOIN requests r ON r.id = e.request_id JOIN users u ON u.id = e.user_id
		LEFT JOIN escalations x ON x.id = e.escalation_id WHERE `+cond+` ORDER BY e.worked_on, e.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []beheer.TimeEntry{}
	for rows.Next() {
		var e beheer.TimeEntry
		var day string
		var at sql.NullInt64
		if err := rows.Scan(&e.ID, &e.RequestID, &e.RequestNumber, &e.TaskID, &e.EscalationID, &e.Channel, &e.UserID,
			&e.UserName, &day, &e.Minutes, &e.Note, &e.VendorReference, &at); err != nil {
			return nil, err
		}
		e.WorkedOn, e.CreatedAt = parseStoredDay(day), fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// yearDays are the first day of year and of the next, as stored days.
func yearDays(year int) (string, string) {
	return beheer.FormatDay(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)),
		beheer.FormatDay(time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC))
}

// HasPlan reports whether there is a plan for year.
func (s *Store) HasPlan(ctx context.Context, year int) (bool, error) {
	var n int
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM plans WHERE year = $1`, year).Scan(&n)
	})
	return n > 0, err
}

// ConsultancyUse is the consultancy hours used in a year (vendor hours on
// escalations to Consultancy) against the budget of that year's plan.
func (s *Store) ConsultancyUse(ctx context.Context, actor *beheer.Actor, year int) (beheer.BudgetUse, error) {
	var b beheer.BudgetUse
	from, to := yearDays(year)
	err := s.read(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT consultancy_budget_hours FROM plans WHERE year = $1`, year).Scan(&b.BudgetHours)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT COALESCE(SUM(e.minutes), 0) FROM time_entries e JOIN escalations x ON x.id = e.escalation_id
			WHERE x.channel = $1 AND e.worked_on >= $2 AND e.worked_on < $3`, beheer.ChannelConsultancy, from, to).Scan(&b.UsedMinutes)
	})
	return b, err
}

// SetConsultancyBudget sets the yearly budget of consultancy hours in the
// year's plan (who keeps or approves the plan).
func (s *Store) SetConsultancyBudget(ctx context.Context, actor *beheer.Actor, year, hours int) (*beheer.Plan, error) {
	if err := beheer.CheckBudget(actor, hours); err != nil {
		return nil, err
	}
	var p *beheer.Plan
	err := s.write(ctx, func(t *tx) error {
		var err error
		if p, err = t.lockPlan(ctx, year); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plans SET consultancy_budget_hours = $1, version = version + 1 WHERE id = $2`,
			hours, p.ID); err != nil {
			return err
		}
		before := p.ConsultancyBudgetHours
		p.ConsultancyBudgetHours, p.Version = hours, p.Version+1
		return t.audit(ctx, actor, 0, "plan.budget", "consultancy_budget_hours", itoa(int64(before)), itoa(int64(hours)), false)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// TimeReport sums the hours registered in the filter's days per month,
// area and channel (own hours without one), for who reads reports, within
// the areas they read.
func (s *Store) TimeReport(ctx context.Context, actor *beheer.Actor, f beheer.TimeFilter) ([]beheer.TimeReportRow, error) {
	if !actor.CanAnywhere(beheer.PermReportRead) {
		return nil, beheer.ErrForbidden("")
	}
	q := query{args: []any{beheer.FormatDay(f.From), beheer.FormatDay(f.To)}}
	q.where = append(q.where, "e.worked_on >= $1", "e.worked_on < $2")
	if len(f.AreaIDs) > 0 {
		ph := make([]string, len(f.AreaIDs))
		for i, a := range f.AreaIDs {
			ph[i] = q.arg(a)
		}
		q.where = append(q.where, "r.area_id IN ("+strings.Join(ph, ", ")+")")
	}
	if all, areas := actor.Scope(beheer.PermReportRead); !all {
		ph := "0"
		for _, a := range areas {
			ph += ", " + q.arg(a)
		}
		q.where = append(q.where, "r.area_id IN ("+ph+")")
	}
	out := []beheer.TimeReportRow{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT SUBSTR(e.worked_on, 1, 7), COALESCE(r.area_id, 0), COALESCE(a.name, ''),
			COALESCE(x.channel, ''), SUM(e.minutes), COUNT(*) FROM time_entries e JOIN requests r ON r.id = e.request_id
			LEFT JOIN areas a ON a.id = r.area_id LEFT JOIN escalations x ON x.id = e.escalation_id
			WHERE `+strings.Join(q.where, " AND ")+` GROUP BY SUBSTR(e.worked_on, 1, 7), COALESCE(r.area_id, 0), COALESCE(a.name, ''), COALESCE(x.channel, '')
			ORDER BY 1, 3, 4`, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var row beheer.TimeReportRow
			var month string
			if err := rows.Scan(&month, &row.AreaID, &row.AreaName, &row.Channel, &row.Minutes, &row.Entries); err != nil {
				return err
			}
			row.Month = parseStoredDay(month + "-01")
			out = append(out, row)
		}
		return rows.Err()
	})
	return out, err
}
