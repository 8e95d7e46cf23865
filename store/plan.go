package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"beheer"
)

// The annual plan's SQL: plans, objectives and their linked requests,
// activities, key users' inputs, the consultancy day's outcomes and the
// iCalendar feed's token. The rules are beheer's (plan.go,
// plan_activity.go); every write checks them here, in its transaction.

func parseStoredDay(s string) time.Time { t, _ := beheer.ParseDay(s); return t }

// ---- plans ----

const planColumns = `p.id, p.year, p.status, COALESCE(p.approved_by, 0), COALESCE(u.name, ''), p.approved_at,
	p.feed_hash IS NOT NULL, p.feed_created_at, p.created_at, p.version`

const planFrom = ` FROM plans p LEFT JOIN users u ON u.id = p.approved_by`

func scanPlan(row interface{ Scan(...any) error }) (*beheer.Plan, error) {
	var p beheer.Plan
	var approved, feed, created sql.NullInt64
	if err := row.Scan(&p.ID, &p.Year, &p.Status, &p.ApprovedBy, &p.ApprovedByName, &approved,
		&p.FeedActive, &feed, &created, &p.Version); err != nil {
		return nil, err
	}
	p.ApprovedAt, p.FeedCreatedAt, p.CreatedAt = fromMS(approved), fromMS(feed), fromMS(created)
	return &p, nil
}

func loadPlan(ctx context.Context, q querier, year int, lock string) (*beheer.Plan, error) {
	p, err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+planFrom+` WHERE p.year = $1`+lock, year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return p, err
}

// lockPlan loads a plan in a write transaction, locking its row.
func (t *tx) lockPlan(ctx context.Context, year int) (*beheer.Plan, error) {
	return loadPlan(ctx, t, year, t.s.dialect.lock("p"))
}

// Plans lists every year's plan, newest first; everyone signed in reads them.
func (s *Store) Plans(ctx context.Context, actor *beheer.Actor) ([]*beheer.Plan, error) {
	var out []*beheer.Plan
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+planColumns+planFrom+` ORDER BY p.year DESC LIMIT 200`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPlan(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// Plan returns a year's plan with its objectives (and their progress), its
// activities and inputs.
func (s *Store) Plan(ctx context.Context, actor *beheer.Actor, year int) (*beheer.PlanView, error) {
	v := &beheer.PlanView{}
	err := s.read(ctx, func(q querier) error {
		var err error
		if v.Plan, err = loadPlan(ctx, q, year, ""); err != nil {
			return err
		}
		if v.Objectives, err = queryObjectives(ctx, q, `o.plan_id = $1`, v.Plan.ID); err != nil {
			return err
		}
		if v.Activities, err = queryActivities(ctx, q, `a.plan_id = $1`, v.Plan.ID); err != nil {
			return err
		}
		v.Inputs, err = queryInputs(ctx, q, `i.plan_id = $1`, v.Plan.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// CreatePlan starts a year's plan, with the template's activities when
// given. Functional admins and management start plans.
func (s *Store) CreatePlan(ctx context.Context, actor *beheer.Actor, year int, template []beheer.ActivityInput) (*beheer.Plan, error) {
	if err := beheer.CheckNewPlan(actor, year, template); err != nil {
		return nil, err
	}
	var p *beheer.Plan
	err := s.write(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM plans WHERE year = $1`, year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return beheer.Errorf(beheer.CodeConflict, "plan.exists", "year", year)
		}
		var id int64
		if err := t.QueryRowContext(ctx, `INSERT INTO plans (year, status, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			year, beheer.PlanDraft, nullID(actor.UserID), ms(t.now)).Scan(&id); err != nil {
			return err
		}
		for _, in := range template {
			if _, err := t.insertActivity(ctx, id, in); err != nil {
				return err
			}
		}
		if err := t.audit(ctx, actor, 0, "plan.created", "year", "", itoa(int64(year)), false); err != nil {
			return err
		}
		var err error
		p, err = loadPlan(ctx, t, year, "")
		return err
	})
	return p, err
}

// ApprovePlan records management's approval of the year's plan.
func (s *Store) ApprovePlan(ctx context.Context, actor *beheer.Actor, year int) (*beheer.Plan, error) {
	if !beheer.CanSetObjectives(actor) {
		return nil, beheer.Refusal(beheer.PermPlanApprove)
	}
	var p *beheer.Plan
	err := s.write(ctx, func(t *tx) error {
		var err error
		if p, err = t.lockPlan(ctx, year); err != nil {
			return err
		}
		if err := p.CheckApprove(); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plans SET status = $1, approved_by = $2, approved_at = $3, version = version + 1 WHERE id = $4`,
			beheer.PlanApproved, actor.UserID, ms(t.now), p.ID); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "plan.approved", "year", string(beheer.PlanDraft), string(beheer.PlanApproved), false); err != nil {
			return err
		}
		p, err = loadPlan(ctx, t, year, "")
		return err
	})
	return p, err
}

// ---- objectives ----

const objectiveColumns = `o.id, o.plan_id, (SELECT year FROM plans WHERE id = o.plan_id), o.title, o.description, o.target, COALESCE(o.owner_id, 0), COALESCE(u.name, ''),
	o.status, o.created_at, o.updated_at,
	(SELECT COUNT(*) FROM objective_requests x JOIN requests r ON r.id = x.request_id
		WHERE x.objective_id = o.id AND r.phase = 'closed'),
	(SELECT COUNT(*) FROM objective_requests x JOIN requests r ON r.id = x.request_id
		WHERE x.objective_id = o.id AND r.phase IN ('intake', 'investigation', 'execution', 'optimisation')),
	(SELECT COUNT(*) FROM plan_activities a WHERE a.objective_id = o.id AND a.status = 'done'),
	(SELECT COUNT(*) FROM plan_activities a WHERE a.objective_id = o.id AND a.status <> 'cancelled')`

func queryObjectives(ctx context.Context, q querier, cond string, args ...any) ([]*beheer.Objective, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+objectiveColumns+` FROM plan_objectives o LEFT JOIN users u ON u.id = o.owner_id
		WHERE `+cond+` ORDER BY o.id LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.Objective
	for rows.Next() {
		var o beheer.Objective
		var created, updated sql.NullInt64
		if err := rows.Scan(&o.ID, &o.PlanID, &o.Year, &o.Title, &o.Description, &o.Target, &o.OwnerID, &o.OwnerName, &o.Status,
			&created, &updated, &o.Progress.RequestsDone, &o.Progress.RequestsOpen, &o.Progress.ActivitiesDone,
			&o.Progress.ActivitiesPlanned); err != nil {
			return nil, err
		}
		o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
		out = append(out, &o)
	}
	return out, rows.Err()
}

// Objective returns one objective with its progress.
func (s *Store) Objective(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Objective, error) {
	var o *beheer.Objective
	err := s.read(ctx, func(q querier) error {
		list, err := queryObjectives(ctx, q, `o.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		o = list[0]
		return nil
	})
	return o, err
}

// checkPerson refuses an owner or responsible person who is not an active user.
func (t *tx) checkPerson(ctx context.Context, field string, id int64) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND active`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return beheer.Invalid(field, "plan.field.unknown_person")
	}
	return nil
}

// CreateObjective adds an objective to a year's plan (management).
func (s *Store) CreateObjective(ctx context.Context, actor *beheer.Actor, year int, in beheer.ObjectiveInput) (*beheer.Objective, error) {
	if !beheer.CanSetObjectives(actor) {
		return nil, beheer.Refusal(beheer.PermPlanApprove)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		p, err := t.lockPlan(ctx, year)
		if err != nil {
			return err
		}
		if err := t.checkPerson(ctx, "owner", in.OwnerID); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO plan_objectives (plan_id, title, description, target, owner_id, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, p.ID, in.Title, in.Description, in.Target, nullID(in.OwnerID),
			in.Status, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.objective_created", "objective", "", in.Title, false)
	})
	if err != nil {
		return nil, err
	}
	return s.Objective(ctx, actor, id)
}

// UpdateObjective changes an objective (management).
func (s *Store) UpdateObjective(ctx context.Context, actor *beheer.Actor, id int64, in beheer.ObjectiveInput) (*beheer.Objective, error) {
	if !beheer.CanSetObjectives(actor) {
		return nil, beheer.Refusal(beheer.PermPlanApprove)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		var before string
		err := t.QueryRowContext(ctx, `SELECT status FROM plan_objectives WHERE id = $1`+t.s.dialect.lock(""), id).Scan(&before)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if err := t.checkPerson(ctx, "owner", in.OwnerID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plan_objectives SET title = $1, description = $2, target = $3, owner_id = $4,
			status = $5, updated_at = $6 WHERE id = $7`, in.Title, in.Description, in.Target, nullID(in.OwnerID), in.Status,
			ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.objective_updated", "status", before, string(in.Status), false)
	})
	if err != nil {
		return nil, err
	}
	return s.Objective(ctx, actor, id)
}

// LinkObjectiveRequest links a request to an objective (functional admins,
// requests they may see). Linking twice changes nothing.
func (s *Store) LinkObjectiveRequest(ctx context.Context, actor *beheer.Actor, objectiveID, requestID int64) error {
	if !beheer.CanKeepPlan(actor) {
		return beheer.Refusal(beheer.PermPlanKeep)
	}
	return s.write(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_objectives WHERE id = $1`, objectiveID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return beheer.ErrNotFound()
		}
		if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
			if beheer.ErrorCode(err) == beheer.CodeNotFound {
				return beheer.Invalid("request", "plan.field.unknown_request")
			}
			return err
		}
		res, err := t.ExecContext(ctx, `INSERT INTO objective_requests (objective_id, request_id, created_by, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (objective_id, request_id) DO NOTHING`, objectiveID, requestID, nullID(actor.UserID), ms(t.now))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		return t.audit(ctx, actor, requestID, "plan.request_linked", "objective", "", itoa(objectiveID), false)
	})
}

// UnlinkObjectiveRequest removes a request's link to an objective.
func (s *Store) UnlinkObjectiveRequest(ctx context.Context, actor *beheer.Actor, objectiveID, requestID int64) error {
	if !beheer.CanKeepPlan(actor) {
		return beheer.Refusal(beheer.PermPlanKeep)
	}
	return s.write(ctx, func(t *tx) error {
		res, err := t.ExecContext(ctx, `DELETE FROM objective_requests WHERE objective_id = $1 AND request_id = $2`, objectiveID, requestID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return beheer.ErrNotFound()
		}
		return t.audit(ctx, actor, requestID, "plan.request_unlinked", "objective", itoa(objectiveID), "", false)
	})
}

// ObjectiveRequests lists the requests linked to an objective that the
// actor may see (at most 100); the progress counts all of them.
func (s *Store) ObjectiveRequests(ctx context.Context, actor *beheer.Actor, objectiveID int64) ([]*beheer.Request, error) {
	var q query
	q.visibility(actor)
	q.where = append(q.where, "r.id IN (SELECT request_id FROM objective_requests WHERE objective_id = "+q.arg(objectiveID)+")")
	return s.planRequests(ctx, q, "r.id DESC", 100)
}

func (s *Store) planRequests(ctx context.Context, q query, order string, limit int) ([]*beheer.Request, error) {
	return s.requestRows(ctx, `SELECT `+requestColumns+requestFrom+kbWhere(q.where)+` ORDER BY `+order+
		` LIMIT `+q.arg(limit), q.args)
}

// ---- activities ----

const activityColumns = `a.id, a.plan_id, p.year, COALESCE(a.objective_id, 0), COALESCE(o.title, ''), a.kind, a.title, a.description,
	a.starts_on, a.ends_on, a.recurrence, a.role, COALESCE(a.responsible_id, 0), COALESCE(u.name, ''), a.status, a.outcome,
	a.created_at, a.updated_at`

const activityFrom = ` FROM plan_activities a JOIN plans p ON p.id = a.plan_id
	LEFT JOIN plan_objectives o ON o.id = a.objective_id LEFT JOIN users u ON u.id = a.responsible_id`

func queryActivities(ctx context.Context, q querier, cond string, args ...any) ([]*beheer.Activity, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+activityColumns+activityFrom+` WHERE `+cond+` ORDER BY a.starts_on, a.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.Activity
	for rows.Next() {
		var a beheer.Activity
		var starts, ends string
		var created, updated sql.NullInt64
		if err := rows.Scan(&a.ID, &a.PlanID, &a.Year, &a.ObjectiveID, &a.ObjectiveTitle, &a.Kind, &a.Title, &a.Description,
			&starts, &ends, &a.Recurrence, &a.Role, &a.ResponsibleID, &a.ResponsibleName, &a.Status, &a.Outcome,
			&created, &updated); err != nil {
			return nil, err
		}
		a.StartsOn, a.EndsOn = parseStoredDay(starts), parseStoredDay(ends)
		a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
		out = append(out, &a)
	}
	return out, rows.Err()
}

// Activity returns one activity.
func (s *Store) Activity(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Activity, error) {
	var a *beheer.Activity
	err := s.read(ctx, func(q querier) error {
		list, err := queryActivities(ctx, q, `a.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		a = list[0]
		return nil
	})
	return a, err
}

// checkActivity validates an activity for the plan of year and checks what
// it points to: an objective of the same plan and an active person.
func (t *tx) checkActivity(ctx context.Context, planID int64, year int, in *beheer.ActivityInput) error {
	if err := in.Validate(year); err != nil {
		return err
	}
	if in.ObjectiveID != 0 {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_objectives WHERE id = $1 AND plan_id = $2`, in.ObjectiveID, planID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return beheer.Invalid("objective", "plan.field.unknown_objective")
		}
	}
	return t.checkPerson(ctx, "responsible", in.ResponsibleID)
}

func (t *tx) insertActivity(ctx context.Context, planID int64, in beheer.ActivityInput) (int64, error) {
	var id int64
	err := t.QueryRowContext(ctx, `INSERT INTO plan_activities (plan_id, objective_id, kind, title, description, starts_on, ends_on,
		recurrence, role, responsible_id, status, outcome, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		planID, nullID(in.ObjectiveID), in.Kind, in.Title, in.Description, beheer.FormatDay(in.StartsOn), beheer.FormatDay(in.EndsOn),
		in.Recurrence, in.Role, nullID(in.ResponsibleID), in.Status, in.Outcome, ms(t.now)).Scan(&id)
	return id, err
}

// CreateActivity plans an activity in a year (functional admins).
func (s *Store) CreateActivity(ctx context.Context, actor *beheer.Actor, year int, in beheer.ActivityInput) (*beheer.Activity, error) {
	if !beheer.CanKeepPlan(actor) {
		return nil, beheer.Refusal(beheer.PermPlanKeep)
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		if id, err = t.createActivity(ctx, actor, year, in); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Activity(ctx, actor, id)
}

func (t *tx) createActivity(ctx context.Context, actor *beheer.Actor, year int, in beheer.ActivityInput) (int64, error) {
	p, err := t.lockPlan(ctx, year)
	if err != nil {
		return 0, err
	}
	if err := t.checkActivity(ctx, p.ID, year, &in); err != nil {
		return 0, err
	}
	id, err := t.insertActivity(ctx, p.ID, in)
	if err != nil {
		return 0, err
	}
	return id, t.audit(ctx, actor, 0, "plan.activity_created", "activity", "", in.Title, false)
}

// UpdateActivity changes an activity: its days, who is responsible, its
// status and outcome (functional admins).
func (s *Store) UpdateActivity(ctx context.Context, actor *beheer.Actor, id int64, in beheer.ActivityInput) (*beheer.Activity, error) {
	if !beheer.CanKeepPlan(actor) {
		return nil, beheer.Refusal(beheer.PermPlanKeep)
	}
	err := s.write(ctx, func(t *tx) error {
		var planID int64
		var year int
		var before string
		err := t.QueryRowContext(ctx, `SELECT a.plan_id, p.year, a.status FROM plan_activities a JOIN plans p ON p.id = a.plan_id
			WHERE a.id = $1`+t.s.dialect.lock(""), id).Scan(&planID, &year, &before)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if err := t.checkActivity(ctx, planID, year, &in); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plan_activities SET objective_id = $1, kind = $2, title = $3, description = $4,
			starts_on = $5, ends_on = $6, recurrence = $7, role = $8, responsible_id = $9, status = $10, outcome = $11, updated_at = $12
			WHERE id = $13`, nullID(in.ObjectiveID), in.Kind, in.Title, in.Description, beheer.FormatDay(in.StartsOn), beheer.FormatDay(in.EndsOn),
			in.Recurrence, in.Role, nullID(in.ResponsibleID), in.Status, in.Outcome, ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.activity_updated", "status", before, string(in.Status), false)
	})
	if err != nil {
		return nil, err
	}
	return s.Activity(ctx, actor, id)
}

// ---- key users' inputs ----

const inputColumns = `i.id, i.plan_id, COALESCE(i.area_id, 0), COALESCE(ar.code, ''), COALESCE(ar.name, ''), i.title, i.description, i.priority,
	i.author_id, u.name, i.status, COALESCE(i.request_id, 0), COALESCE(r.number, ''), COALESCE(i.activity_id, 0), i.created_at`

func queryInputs(ctx context.Context, q querier, cond string, args ...any) ([]*beheer.KeyUserInput, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+inputColumns+` FROM plan_inputs i JOIN users u ON u.id = i.author_id
		LEFT JOIN areas ar ON ar.id = i.area_id LEFT JOIN requests r ON r.id = i.request_id
		WHERE `+cond+` ORDER BY i.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.KeyUserInput
	for rows.Next() {
		var in beheer.KeyUserInput
		var created sql.NullInt64
		if err := rows.Scan(&in.ID, &in.PlanID, &in.AreaID, &in.AreaCode, &in.AreaName, &in.Title, &in.Description, &in.Priority,
			&in.AuthorID, &in.AuthorName, &in.Status, &in.RequestID, &in.RequestNumber, &in.ActivityID, &created); err != nil {
			return nil, err
		}
		in.CreatedAt = fromMS(created)
		out = append(out, &in)
	}
	return out, rows.Err()
}

// PlanInput returns one input.
func (s *Store) PlanInput(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.KeyUserInput, error) {
	var out *beheer.KeyUserInput
	err := s.read(ctx, func(q querier) error {
		list, err := queryInputs(ctx, q, `i.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		out = list[0]
		return nil
	})
	return out, err
}

// AddPlanInput records a key user's wish or priority for a year. A key user
// scoped to areas gives input for those areas (or none in particular).
func (s *Store) AddPlanInput(ctx context.Context, actor *beheer.Actor, year int, in beheer.InputInput) (*beheer.KeyUserInput, error) {
	if err := beheer.CheckPlanInput(actor, &in); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		p, err := t.lockPlan(ctx, year)
		if err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO plan_inputs (plan_id, area_id, title, description, priority, author_id, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, p.ID, nullID(in.AreaID), in.Title, in.Description, in.Priority,
			actor.UserID, beheer.InputNew, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.input_added", "input", "", in.Title, false)
	})
	if err != nil {
		return nil, err
	}
	return s.PlanInput(ctx, actor, id)
}

// lockInput loads an input for a change of its status to to, and returns
// its plan's year.
func (t *tx) lockInput(ctx context.Context, id int64, to beheer.InputStatus) (year int, err error) {
	var status beheer.InputStatus
	err = t.QueryRowContext(ctx, `SELECT p.year, i.status FROM plan_inputs i JOIN plans p ON p.id = i.plan_id
		WHERE i.id = $1`+t.s.dialect.lock(""), id).Scan(&year, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, beheer.ErrNotFound()
	}
	if err != nil {
		return 0, err
	}
	return year, beheer.CheckInputChange(status, to)
}

// InputToRequest files the input as a wish (functional admins): the new
// request gets the input's title, text and area, and the input points to it.
func (s *Store) InputToRequest(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Request, error) {
	if !beheer.CanKeepPlan(actor) {
		return nil, beheer.Refusal(beheer.PermPlanKeep)
	}
	in, err := s.PlanInput(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := beheer.CheckInputChange(in.Status, beheer.InputRequest); err != nil {
		return nil, err
	}
	r, err := s.CreateRequest(ctx, actor, beheer.NewRequest{Type: beheer.TypeWish, Title: in.Title, Description: in.Description,
		AreaID: in.AreaID, Priority: in.Priority})
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		if _, err := t.lockInput(ctx, id, beheer.InputRequest); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plan_inputs SET status = $1, request_id = $2 WHERE id = $3`, beheer.InputRequest, r.ID, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, r.ID, "plan.input_to_request", "input", "", itoa(id), false)
	})
	return r, err
}

// InputToActivity plans the input as an activity (functional admins).
func (s *Store) InputToActivity(ctx context.Context, actor *beheer.Actor, id int64, a beheer.ActivityInput) (*beheer.Activity, error) {
	if !beheer.CanKeepPlan(actor) {
		return nil, beheer.Refusal(beheer.PermPlanKeep)
	}
	var actID int64
	err := s.write(ctx, func(t *tx) error {
		year, err := t.lockInput(ctx, id, beheer.InputActivity)
		if err != nil {
			return err
		}
		if actID, err = t.createActivity(ctx, actor, year, a); err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `UPDATE plan_inputs SET status = $1, activity_id = $2 WHERE id = $3`, beheer.InputActivity, actID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Activity(ctx, actor, actID)
}

// DeclineInput records that an input will not be taken up this year.
func (s *Store) DeclineInput(ctx context.Context, actor *beheer.Actor, id int64) error {
	if !beheer.CanKeepPlan(actor) {
		return beheer.Refusal(beheer.PermPlanKeep)
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.lockInput(ctx, id, beheer.InputDeclined); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plan_inputs SET status = $1 WHERE id = $2`, beheer.InputDeclined, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.input_declined", "input", "", itoa(id), false)
	})
}

// ---- the consultancy day's agenda ----

// ConsultancyAgenda returns the agenda of a consultancy day on day (a zero
// day: the next occurrence from today). Only functional admins see it.
func (s *Store) ConsultancyAgenda(ctx context.Context, actor *beheer.Actor, activityID int64, day time.Time) (*beheer.Agenda, error) {
	if !beheer.CanKeepPlan(actor) {
		return nil, beheer.Refusal(beheer.PermPlanKeep)
	}
	a, err := s.Activity(ctx, actor, activityID)
	if err != nil {
		return nil, err
	}
	ag := &beheer.Agenda{Activity: a}
	if ag.HeldOn, err = a.AgendaDay(day, s.now()); err != nil {
		return nil, err
	}
	var q query
	q.visibility(actor)
	q.where = append(q.where, "r.phase IN ('intake', 'investigation', 'execution', 'optimisation')",
		"EXISTS (SELECT 1 FROM escalations e WHERE e.request_id = r.id AND e.channel = 'consultancy' AND e.closed_at IS NULL)")
	reqs, err := s.planRequests(ctx, q, "r.priority_rank DESC, r.id", 200)
	if err != nil {
		return nil, err
	}
	outcomes := map[int64]string{}
	var q2 query
	q2.visibility(actor)
	q2.where = append(q2.where, "r.id IN (SELECT request_id FROM consultancy_outcomes WHERE activity_id = "+q2.arg(activityID)+
		" AND held_on = "+q2.arg(beheer.FormatDay(ag.HeldOn))+")")
	recorded, err := s.planRequests(ctx, q2, "r.id", 200)
	if err != nil {
		return nil, err
	}
	err = s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT request_id, outcome FROM consultancy_outcomes WHERE activity_id = $1 AND held_on = $2`,
			activityID, beheer.FormatDay(ag.HeldOn))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var o string
			if err := rows.Scan(&id, &o); err != nil {
				return err
			}
			outcomes[id] = o
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	onAgenda := map[int64]bool{}
	for _, r := range reqs {
		onAgenda[r.ID] = true
		ag.Items = append(ag.Items, beheer.AgendaItem{Request: r, Outcome: outcomes[r.ID]})
	}
	for _, r := range recorded {
		if !onAgenda[r.ID] {
			ag.Recorded = append(ag.Recorded, beheer.AgendaItem{Request: r, Outcome: outcomes[r.ID]})
		}
	}
	return ag, nil
}

// RecordConsultancyOutcome records what the consultancy day of day did with
// a request on its agenda; recording again replaces the outcome.
func (s *Store) RecordConsultancyOutcome(ctx context.Context, actor *beheer.Actor, activityID, requestID int64, day time.Time, outcome string) error {
	outcome = strings.TrimSpace(outcome)
	if err := beheer.CheckConsultancyOutcome(actor, outcome); err != nil {
		return err
	}
	a, err := s.Activity(ctx, actor, activityID)
	if err != nil {
		return err
	}
	if err := a.CheckHeldOn(day); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
			if beheer.ErrorCode(err) == beheer.CodeNotFound {
				return beheer.Invalid("request", "plan.field.unknown_request")
			}
			return err
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM escalations WHERE request_id = $1 AND channel = 'consultancy'`,
			requestID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return beheer.Invalid("request", "plan.field.not_on_agenda")
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO consultancy_outcomes (activity_id, request_id, held_on, outcome, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (activity_id, held_on, request_id)
			DO UPDATE SET outcome = excluded.outcome, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
			activityID, requestID, beheer.FormatDay(day), outcome, nullID(actor.UserID), ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, requestID, "plan.consultancy_outcome", "outcome", "", outcome, true)
	})
}

// ---- the iCalendar feed ----

// RotatePlanFeed makes a new secret feed token for a year's plan and
// returns it; an earlier token stops working. Only its hash is stored.
func (s *Store) RotatePlanFeed(ctx context.Context, actor *beheer.Actor, year int) (string, error) {
	if !beheer.CanKeepPlan(actor) {
		return "", beheer.Refusal(beheer.PermPlanKeep)
	}
	token := randomToken()
	err := s.write(ctx, func(t *tx) error {
		p, err := t.lockPlan(ctx, year)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plans SET feed_hash = $1, feed_created_at = $2 WHERE id = $3`,
			hashToken(token), ms(t.now), p.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.feed_rotated", "year", "", itoa(int64(year)), false)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokePlanFeed switches a year's feed off: its token answers not found.
func (s *Store) RevokePlanFeed(ctx context.Context, actor *beheer.Actor, year int) error {
	if !beheer.CanKeepPlan(actor) {
		return beheer.Refusal(beheer.PermPlanKeep)
	}
	return s.write(ctx, func(t *tx) error {
		p, err := t.lockPlan(ctx, year)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE plans SET feed_hash = NULL, feed_created_at = NULL WHERE id = $1`, p.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "plan.feed_revoked", "year", itoa(int64(year)), "", false)
	})
}

// PlanFeed returns the plan and activities a feed token opens; a wrong,
// revoked or other year's token is not found. The token is the only key.
func (s *Store) PlanFeed(ctx context.Context, year int, token string) (*beheer.Plan, []*beheer.Activity, error) {
	if token == "" {
		return nil, nil, beheer.ErrNotFound()
	}
	var p *beheer.Plan
	var acts []*beheer.Activity
	err := s.read(ctx, func(q querier) error {
		var err error
		p, err = scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+planFrom+` WHERE p.year = $1 AND p.feed_hash = $2`,
			year, hashToken(token)))
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		acts, err = queryActivities(ctx, q, `a.plan_id = $1`, p.ID)
		return err
	})
	return p, acts, err
}

// PlanPeople lists the active people by name, for choosing an owner or a
// responsible person; everyone signed in may see names.
func (s *Store) PlanPeople(ctx context.Context, actor *beheer.Actor) ([]beheer.PersonName, error) {
	var out []beheer.PersonName
	err := s.read(ctx, func(q querier) (err error) {
		out, err = queryPersonNames(ctx, q, `SELECT id, name FROM users WHERE active ORDER BY name, id LIMIT 2000`)
		return err
	})
	return out, err
}

// queryPersonNames runs a query of (id, name) rows.
func queryPersonNames(ctx context.Context, q querier, query string, args ...any) ([]beheer.PersonName, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.PersonName
	for rows.Next() {
		var p beheer.PersonName
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
