package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"beheer"
)

// answerSelect reads standard answers as scanAnswer expects them.
const answerSelect = `SELECT s.id, COALESCE(s.area_id, 0), s.title, s.body, s.set_status, s.set_phase, s.version, s.updated_at,
	COALESCE(a.name, '') FROM standard_answers s LEFT JOIN areas a ON a.id = s.area_id`

func scanAnswer(row interface{ Scan(...any) error }) (*beheer.StandardAnswer, error) {
	var a beheer.StandardAnswer
	var at sql.NullInt64
	err := row.Scan(&a.ID, &a.AreaID, &a.Title, &a.Body, &a.SetStatus, &a.SetPhase, &a.Version, &at, &a.AreaName)
	a.UpdatedAt = fromMS(at)
	return &a, err
}

// StandardAnswers lists the standard answers the actor keeps or uses: for
// the areas where they hold answer:manage, request:comment or may manage
// requests, and those for every area; by title. area, when not 0, keeps
// the answers of that area and those for every area.
func (s *Store) StandardAnswers(ctx context.Context, actor *beheer.Actor, area int64) ([]beheer.StandardAnswer, error) {
	var out []beheer.StandardAnswer
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, answerSelect+` WHERE s.deleted_at IS NULL AND ($1 = 0 OR s.area_id IS NULL OR s.area_id = $1)
			ORDER BY s.title, s.id`, area)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			a, err := scanAnswer(rows)
			if err == nil && answerInScope(actor, a) {
				out = append(out, *a)
			}
			return err
		})
	})
	return out, err
}

// answerInScope reports whether the actor keeps or uses answer a.
func answerInScope(actor *beheer.Actor, a *beheer.StandardAnswer) bool {
	if a.AreaID == 0 {
		return actor.CanAnywhere(beheer.PermAnswerManage) || actor.CanAnywhere(beheer.PermRequestComment)
	}
	return beheer.CanManageAnswers(actor, a.AreaID) || beheer.CanUseAnswers(actor, &beheer.Request{AreaID: a.AreaID})
}

// StandardAnswer returns one standard answer the actor keeps or uses.
func (s *Store) StandardAnswer(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.StandardAnswer, error) {
	var a *beheer.StandardAnswer
	err := s.read(ctx, func(q querier) (err error) { a, err = loadAnswer(ctx, q, id); return err })
	if err != nil {
		return nil, err
	}
	if !answerInScope(actor, a) {
		return nil, beheer.ErrNotFound()
	}
	return a, nil
}

func loadAnswer(ctx context.Context, q querier, id int64) (*beheer.StandardAnswer, error) {
	a, err := scanAnswer(q.QueryRowContext(ctx, answerSelect+` WHERE s.id = $1 AND s.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return a, err
}

// CreateStandardAnswer adds a standard answer for one area, or for every
// area (AreaID 0), which only a functional admin of every area may add.
func (s *Store) CreateStandardAnswer(ctx context.Context, actor *beheer.Actor, a beheer.StandardAnswer) (*beheer.StandardAnswer, error) {
	trimAnswer(&a)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if !beheer.CanManageAnswers(actor, a.AreaID) {
		return nil, beheer.Refusal(beheer.PermAnswerManage)
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.checkAnswerArea(ctx, a.AreaID); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO standard_answers (area_id, title, body, set_status, set_phase, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			nullID(a.AreaID), a.Title, a.Body, a.SetStatus, a.SetPhase, nullID(actor.UserID), ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "answer.created", "answer:"+itoa(id), "", a.Title, false)
	})
	if err != nil {
		return nil, err
	}
	return s.StandardAnswer(ctx, actor, id)
}

// UpdateStandardAnswer replaces a standard answer. version is the version
// the change is based on; a stale one is refused and nothing changes. The
// actor must keep the answer's area before and after.
func (s *Store) UpdateStandardAnswer(ctx context.Context, actor *beheer.Actor, id, version int64, a beheer.StandardAnswer) (*beheer.StandardAnswer, error) {
	trimAnswer(&a)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		old, err := t.keptAnswer(ctx, actor, id, version)
		if err != nil {
			return err
		}
		if !beheer.CanManageAnswers(actor, a.AreaID) {
			return beheer.Refusal(beheer.PermAnswerManage)
		}
		if err := t.checkAnswerArea(ctx, a.AreaID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE standard_answers SET area_id = $1, title = $2, body = $3, set_status = $4,
			set_phase = $5, version = version + 1, updated_at = $6 WHERE id = $7`,
			nullID(a.AreaID), a.Title, a.Body, a.SetStatus, a.SetPhase, ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "answer.updated", "answer:"+itoa(id), old.Title, a.Title, false)
	})
	if err != nil {
		return nil, err
	}
	return s.StandardAnswer(ctx, actor, id)
}

// DeleteStandardAnswer takes a standard answer out of use; comments sent
// with it keep their text.
func (s *Store) DeleteStandardAnswer(ctx context.Context, actor *beheer.Actor, id, version int64) error {
	return s.write(ctx, func(t *tx) error {
		old, err := t.keptAnswer(ctx, actor, id, version)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE standard_answers SET deleted_at = $1, version = version + 1 WHERE id = $2`, ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "answer.deleted", "answer:"+itoa(id), old.Title, "", false)
	})
}

// keptAnswer loads an answer for a change by someone who keeps its area,
// at version (0: any).
func (t *tx) keptAnswer(ctx context.Context, actor *beheer.Actor, id, version int64) (*beheer.StandardAnswer, error) {
	old, err := loadAnswer(ctx, t, id)
	if err != nil {
		return nil, err
	}
	if !answerInScope(actor, old) {
		return nil, beheer.ErrNotFound()
	}
	if !beheer.CanManageAnswers(actor, old.AreaID) {
		return nil, beheer.Refusal(beheer.PermAnswerManage)
	}
	if version != 0 && version != old.Version {
		return nil, beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
	}
	return old, nil
}

func (t *tx) checkAnswerArea(ctx context.Context, area int64) error {
	if area == 0 {
		return nil
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM areas WHERE id = $1`, area).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		var v beheer.Validation
		v.Add("area", "field.unknown_area")
		return v.Err()
	}
	return nil
}

func trimAnswer(a *beheer.StandardAnswer) {
	a.Title = strings.TrimSpace(a.Title)
	a.Body = strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n"))
}

// AnswerFor returns a standard answer to fill in for a request: one the
// actor may use on it, for its area or every area. The request comes with
// it, for the placeholders.
func (s *Store) AnswerFor(ctx context.Context, actor *beheer.Actor, requestID, answerID int64) (*beheer.StandardAnswer, *beheer.Request, error) {
	r, _, err := s.visible(ctx, actor, requestID)
	if err != nil {
		return nil, nil, err
	}
	var a *beheer.StandardAnswer
	err = s.read(ctx, func(q querier) (err error) { a, err = loadAnswer(ctx, q, answerID); return err })
	if err != nil {
		return nil, nil, err
	}
	if !a.Applies(r.AreaID) || !beheer.CanUseAnswers(actor, r) {
		return nil, nil, beheer.ErrNotFound()
	}
	return a, r, nil
}

// ReplyWithAnswer sends a standard answer, as the person edited it after
// its placeholders were filled, as a public reply, and does what the
// answer also does — move the request to a phase or set its status —
// through the same rules as the page's own actions, in one transaction
// with the reply: when the rule refuses, its message comes back and
// nothing is saved. version is the version the reply was based on (0:
// any).
func (s *Store) ReplyWithAnswer(ctx context.Context, actor *beheer.Actor, id, version, answerID int64, body string) (*beheer.Comment, error) {
	return s.reply(ctx, actor, id, version, body, func(t *tx, r *beheer.Request, f beheer.Facts, n beheer.NewComment) (*beheer.Comment, error) {
		a, err := loadAnswer(ctx, t, answerID)
		if err != nil {
			return nil, err
		}
		if !a.Applies(r.AreaID) || !beheer.CanUseAnswers(actor, r) {
			return nil, beheer.ErrNotFound()
		}
		var c *beheer.Comment
		tr, patch := a.AnswerAction()
		switch {
		case tr.To != "":
			c, err = t.replyAndMove(ctx, actor, r, f, tr, n)
		case patch != nil:
			c, err = t.replyAndSet(ctx, actor, r, f, patch, n)
		default:
			c, err = t.comment(ctx, actor, id, n)
		}
		if err != nil {
			return nil, err
		}
		return c, t.audit(ctx, actor, id, "answer.used", "answer", "", a.Title, false)
	})
}

// replyAndMove moves the request with the reply as the move's note, which
// CheckTransition requires for a rejection and move writes as the comment.
func (t *tx) replyAndMove(ctx context.Context, actor *beheer.Actor, r *beheer.Request, f beheer.Facts, tr beheer.Transition, n beheer.NewComment) (*beheer.Comment, error) {
	policy, err := t.policy(ctx)
	if err != nil {
		return nil, err
	}
	tr.Note = n.Body
	if err := beheer.CheckComment(actor, r, f, false); err != nil {
		return nil, err
	}
	if err := beheer.CheckTransition(actor, r, f, tr, t.now, policy); err != nil {
		return nil, err
	}
	if err := t.move(ctx, actor, r, f, tr); err != nil {
		return nil, err
	}
	return &beheer.Comment{RequestID: r.ID, AuthorID: actor.UserID, AuthorName: actor.Name, Body: n.Body, CreatedAt: t.now}, nil
}

// replyAndSet sets the request's status as the triage form would, then
// adds the reply.
func (t *tx) replyAndSet(ctx context.Context, actor *beheer.Actor, r *beheer.Request, f beheer.Facts, p *beheer.Patch, n beheer.NewComment) (*beheer.Comment, error) {
	if err := beheer.CheckComment(actor, r, f, false); err != nil {
		return nil, err
	}
	if err := beheer.CheckPatch(actor, r, f, p); err != nil {
		return nil, err
	}
	if err := t.applyPatch(ctx, actor, r, p); err != nil {
		return nil, err
	}
	c, err := t.post(ctx, actor, r.ID, n)
	if err != nil {
		return nil, err
	}
	return c, t.mention(ctx, actor, r, c)
}
