package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"beheer"
)

// Escalate hands a request to an outside channel; it then waits on that
// channel until the escalation is closed.
func (s *Store) Escalate(ctx context.Context, actor *beheer.Actor, id int64, n beheer.NewEscalation) (*beheer.Escalation, error) {
	n.Reference, n.Note = strings.TrimSpace(n.Reference), strings.TrimSpace(n.Note)
	var e *beheer.Escalation
	err := s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		policy, err := t.policy(ctx)
		if err != nil {
			return err
		}
		integrations, err := t.integrationsArea(ctx, r.AreaID)
		if err != nil {
			return err
		}
		if err := beheer.CheckEscalation(actor, r, f, n, policy, integrations); err != nil {
			return err
		}
		if n.Channel == beheer.ChannelSupport {
			subs, err := supportSubmitters(ctx, t, actor.UserID)
			if err != nil {
				return err
			}
			if err := beheer.CheckSupportSubmitter(n.Channel, subs); err != nil {
				return err
			}
		}
		e = &beheer.Escalation{RequestID: id, Channel: n.Channel, Reference: n.Reference, Note: n.Note,
			OpenedBy: actor.UserID, OpenedAt: t.now}
		if err := t.QueryRowContext(ctx, `INSERT INTO escalations (request_id, channel, reference, note, opened_by, opened_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, n.Channel, n.Reference, n.Note, actor.UserID, ms(t.now)).Scan(&e.ID); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, id, "escalation.opened", "channel", "", string(n.Channel), false); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventEscalationOpened, id, false, map[string]string{"escalation": itoa(e.ID), "channel": string(n.Channel)}); err != nil {
			return err
		}
		r.Status = beheer.StatusAwaitingChannel
		return t.bump(ctx, actor, r)
	})
	return e, err
}

// supportSubmitters says who may submit incidents to Support: the contacts
// marked so that are linked to an active person's account.
func supportSubmitters(ctx context.Context, q querier, userID int64) (beheer.SupportSubmitters, error) {
	var s beheer.SupportSubmitters
	var mine int
	err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT c.user_id), COUNT(CASE WHEN c.user_id = $1 THEN 1 END)
		FROM channel_contacts c JOIN users u ON u.id = c.user_id
		WHERE c.may_submit_support_incidents AND u.active`, userID).Scan(&s.Named, &mine)
	s.Actor = mine > 0
	return s, err
}

// SupportSubmitters says who may submit incidents to Support, and whether
// the person with userID is one of them.
func (s *Store) SupportSubmitters(ctx context.Context, userID int64) (beheer.SupportSubmitters, error) {
	var out beheer.SupportSubmitters
	err := s.read(ctx, func(q querier) (err error) { out, err = supportSubmitters(ctx, q, userID); return err })
	return out, err
}

func (t *tx) integrationsArea(ctx context.Context, areaID int64) (bool, error) {
	if areaID == 0 {
		return false, nil
	}
	var b bool
	err := t.QueryRowContext(ctx, `SELECT integrations FROM areas WHERE id = $1`, areaID).Scan(&b)
	return b, err
}

// CloseEscalation records the outside party's outcome. When no escalation is
// left open the request waits on its assignee again.
func (s *Store) CloseEscalation(ctx context.Context, actor *beheer.Actor, escalationID int64, outcome string) (*beheer.Escalation, error) {
	outcome = strings.TrimSpace(outcome)
	var e *beheer.Escalation
	err := s.write(ctx, func(t *tx) error {
		var err error
		if e, err = loadEscalation(ctx, t, escalationID); err != nil {
			return err
		}
		r, f, err := t.lockVisible(ctx, actor, e.RequestID)
		if err != nil {
			return err
		}
		if err := beheer.CheckCloseEscalation(actor, r, f, e, outcome); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE escalations SET closed_at = $1, closed_by = $2, outcome = $3 WHERE id = $4`,
			ms(t.now), actor.UserID, outcome, escalationID); err != nil {
			return err
		}
		e.ClosedAt, e.Outcome = t.now, outcome
		if err := t.audit(ctx, actor, r.ID, "escalation.closed", "channel", string(e.Channel), "", false); err != nil {
			return err
		}
		// The last open escalation closing hands the request back to the
		// team ("returned": the vendor is done with it).
		returned := strconv.FormatBool(f.OpenEscalations <= 1)
		if err := t.emit(ctx, actor, EventEscalationClosed, r.ID, false, map[string]string{"escalation": itoa(e.ID),
			"channel": string(e.Channel), "returned": returned}); err != nil {
			return err
		}
		if next := beheer.StatusAfterEscalationClosed(r, f); next != r.Status {
			r.Status = next
			return t.bump(ctx, actor, r)
		}
		return nil
	})
	return e, err
}

func loadEscalation(ctx context.Context, q querier, id int64) (*beheer.Escalation, error) {
	var e beheer.Escalation
	var opened, closed sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, request_id, channel, reference, note, opened_by, opened_at, closed_at, outcome
		FROM escalations WHERE id = $1`, id).
		Scan(&e.ID, &e.RequestID, &e.Channel, &e.Reference, &e.Note, &e.OpenedBy, &opened, &closed, &e.Outcome)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	e.OpenedAt, e.ClosedAt = fromMS(opened), fromMS(closed)
	return &e, err
}

// Escalations lists the escalations of a request.
func (s *Store) Escalations(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.Escalation, error) {
	r, f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	internal := beheer.CanSeeInternal(actor, r, f)
	var out []beheer.Escalation
	err = s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, request_id, channel, reference, note, opened_by, opened_at, closed_at, outcome
			FROM escalations WHERE request_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e beheer.Escalation
			var opened, closed sql.NullInt64
			if err := rows.Scan(&e.ID, &e.RequestID, &e.Channel, &e.Reference, &e.Note, &e.OpenedBy, &opened, &closed, &e.Outcome); err != nil {
				return err
			}
			e.OpenedAt, e.ClosedAt = fromMS(opened), fromMS(closed)
			if !internal { // notes to outside parties are internal work
				e.Note, e.Outcome = "", ""
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// CreateTask hands technical work on a request to technical management; the
// request then waits on them.
func (s *Store) CreateTask(ctx context.Context, actor *beheer.Actor, id int64, n beheer.NewTask) (*beheer.Task, error) {
	n.Title, n.Description = strings.TrimSpace(n.Title), strings.TrimSpace(n.Description)
	var task *beheer.Task
	err := s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckTask(actor, r, f, n); err != nil {
			return err
		}
		if n.AssigneeID != 0 {
			if err := t.checkTechnical(ctx, n.AssigneeID); err != nil {
				return err
			}
		}
		task = &beheer.Task{RequestID: id, Title: n.Title, Description: n.Description, AssigneeID: n.AssigneeID,
			Status: beheer.TaskOpen, CreatedBy: actor.UserID, CreatedAt: t.now}
		if err := t.QueryRowContext(ctx, `INSERT INTO tasks (request_id, title, description, assignee_id, status, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, n.Title, n.Description, nullID(n.AssigneeID),
			beheer.TaskOpen, actor.UserID, ms(t.now)).Scan(&task.ID); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, id, "task.created", "task", "", n.Title, false); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventTaskCreated, id, false, map[string]string{"task": itoa(task.ID), "assignee": itoa(n.AssigneeID)}); err != nil {
			return err
		}
		r.Status = beheer.Held(r.Phase, beheer.StatusAwaitingTechnical, f)
		return t.bump(ctx, actor, r)
	})
	return task, err
}

func (t *tx) checkTechnical(ctx context.Context, userID int64) error {
	var n int
	err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.id = $1 AND u.active AND ur.role = 'technical_admin'`, userID).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		v := beheer.Validation{}
		v.Add("assignee", "field.not_technical")
		return v.Err()
	}
	return nil
}

// CompleteTask records the outcome of a technical task. When no task is left
// open the request waits on its assignee again.
func (s *Store) CompleteTask(ctx context.Context, actor *beheer.Actor, taskID int64, outcome string) (*beheer.Task, error) {
	outcome = strings.TrimSpace(outcome)
	var task *beheer.Task
	err := s.write(ctx, func(t *tx) error {
		var err error
		if task, err = loadTask(ctx, t, taskID); err != nil {
			return err
		}
		r, f, err := t.lockVisible(ctx, actor, task.RequestID)
		if err != nil {
			return err
		}
		if err := beheer.CheckCompleteTask(actor, r, task, outcome); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE tasks SET status = $1, outcome = $2, done_by = $3, done_at = $4 WHERE id = $5`,
			beheer.TaskDone, outcome, actor.UserID, ms(t.now), taskID); err != nil {
			return err
		}
		task.Status, task.Outcome, task.DoneAt = beheer.TaskDone, outcome, t.now
		if err := t.audit(ctx, actor, r.ID, "task.completed", "task", task.Title, outcome, false); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventTaskCompleted, r.ID, false, map[string]string{"task": itoa(taskID)}); err != nil {
			return err
		}
		if f.OpenTasks <= 1 && r.Status == beheer.StatusAwaitingTechnical {
			r.Status = beheer.Held(r.Phase, beheer.StatusAwaitingAssignee, f)
			return t.bump(ctx, actor, r)
		}
		return nil
	})
	return task, err
}

const taskColumns = `t.id, t.request_id, t.title, t.description, COALESCE(t.assignee_id, 0), COALESCE(u.name, ''), t.status,
	t.outcome, t.created_by, t.created_at, t.done_at`

func scanTask(row interface{ Scan(...any) error }) (*beheer.Task, error) {
	var k beheer.Task
	var created, done sql.NullInt64
	if err := row.Scan(&k.ID, &k.RequestID, &k.Title, &k.Description, &k.AssigneeID, &k.AssigneeName, &k.Status,
		&k.Outcome, &k.CreatedBy, &created, &done); err != nil {
		return nil, err
	}
	k.CreatedAt, k.DoneAt = fromMS(created), fromMS(done)
	return &k, nil
}

func loadTask(ctx context.Context, q querier, id int64) (*beheer.Task, error) {
	k, err := scanTask(q.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return k, err
}

// Tasks lists the technical tasks of a request.
func (s *Store) Tasks(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.Task, error) {
	r, f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	tasks, err := s.tasksWhere(ctx, `t.request_id = $1`, id)
	if err != nil || beheer.CanSeeInternal(actor, r, f) {
		return tasks, err
	}
	for i := range tasks { // technical work between admins is internal
		tasks[i].Description, tasks[i].Outcome = "", ""
	}
	return tasks, nil
}

// MyTasks lists the open technical tasks assigned to the actor, or to the
// team when unassigned and the actor is a technical admin of the request's
// area: a technical admin of one area does not see the others' work.
func (s *Store) MyTasks(ctx context.Context, actor *beheer.Actor) ([]beheer.Task, error) {
	if !actor.HasRole(beheer.RoleTechnicalAdmin) {
		return s.tasksWhere(ctx, `t.status = 'open' AND t.assignee_id = $1`, actor.UserID)
	}
	q := query{args: []any{actor.UserID}}
	if all, areas := actor.Scope(beheer.PermTaskWork); !all {
		ph := make([]string, len(areas))
		for i, a := range areas {
			ph[i] = q.arg(a)
		}
		q.and(`t.request_id IN (SELECT id FROM requests WHERE area_id IN (` + strings.Join(ph, ", ") + `))`)
	}
	return s.tasksWhere(ctx, `t.status = 'open' AND (t.assignee_id = $1 OR (t.assignee_id IS NULL AND `+q.clause()+`))`, q.args...)
}

func (s *Store) tasksWhere(ctx context.Context, where string, args ...any) ([]beheer.Task, error) {
	var out []beheer.Task
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
			WHERE `+where+` ORDER BY t.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanTask(rows)
			if err != nil {
				return err
			}
			out = append(out, *k)
		}
		return rows.Err()
	})
	return out, err
}

// Link records how a request relates to another (for example a follow-up
// from Optimalisatie), as one of the fixed kinds. Only who manages the
// first or filed it may link, and only to a request they can see.
func (s *Store) Link(ctx context.Context, actor *beheer.Actor, id, otherID int64, kind beheer.LinkKind) error {
	return s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckLink(actor, r, f, otherID, kind); err != nil {
			return err
		}
		if _, _, err := t.lockVisible(ctx, actor, otherID); err != nil {
			return beheer.Invalid("other", "field.unknown_request")
		}
		return t.link(ctx, actor, id, otherID, kind)
	})
}

// link writes a link the rules allowed to a request the actor sees;
// linking the same pair again changes nothing.
func (t *tx) link(ctx context.Context, actor *beheer.Actor, id, otherID int64, kind beheer.LinkKind) error {
	if _, err := t.ExecContext(ctx, `INSERT INTO request_links (request_id, other_id, kind, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, id, otherID, kind, actor.UserID, ms(t.now)); err != nil {
		return err
	}
	return t.audit(ctx, actor, id, "request.linked", string(kind), "", itoa(otherID), false)
}

// LinkedRequest is a request linked to another, as the actor may see it.
// Outward is true when the link was made from the request asked about
// ("this one follows from that one"), false when from the other side.
type LinkedRequest struct {
	ID      int64           `json:"id"`
	Number  string          `json:"number"`
	Title   string          `json:"title"`
	Phase   beheer.Phase    `json:"phase"`
	Kind    beheer.LinkKind `json:"kind"`
	Outward bool            `json:"outward"`
}

// Label is the catalogue key of the link as read from the request asked
// about.
func (l LinkedRequest) Label() string { return l.Kind.Label(l.Outward) }

// Links lists the requests linked to a request, in both directions, leaving
// out those the actor may not see.
func (s *Store) Links(ctx context.Context, actor *beheer.Actor, id int64) ([]LinkedRequest, error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, err
	}
	var candidates []LinkedRequest
	err := s.read(ctx, func(q querier) error {
		var err error
		candidates, err = linkCandidates(ctx, q, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.visibleLinks(ctx, actor, candidates)
}

// linkCandidates are the links of a request in both directions, before
// the other requests' visibility is checked.
func linkCandidates(ctx context.Context, q querier, id int64) ([]LinkedRequest, error) {
	rows, err := q.QueryContext(ctx, `SELECT other_id, kind, TRUE FROM request_links WHERE request_id = $1
		UNION SELECT request_id, kind, FALSE FROM request_links WHERE other_id = $1 ORDER BY 1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LinkedRequest
	for rows.Next() {
		var l LinkedRequest
		if err := rows.Scan(&l.ID, &l.Kind, &l.Outward); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// visibleLinks keeps the links to requests the actor may see, with their
// number, title and phase.
func (s *Store) visibleLinks(ctx context.Context, actor *beheer.Actor, candidates []LinkedRequest) ([]LinkedRequest, error) {
	out := []LinkedRequest{}
	for _, l := range candidates {
		r, _, err := s.visible(ctx, actor, l.ID)
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		l.Number, l.Title, l.Phase = r.Number, r.Title, r.Phase
		out = append(out, l)
	}
	return out, nil
}
