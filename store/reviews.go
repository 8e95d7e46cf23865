package store

import (
	"context"
	"database/sql"
	"errors"

	"beheer"
)

// The evaluation of a request's outcome with its process owner or key
// user in Optimalisatie (beheer.OwnerEvaluation).

// evaluatorFacts are the candidates to evaluate the request with: the key
// users of its area (those of every area included). The process owner
// joins them as one more fact once processes have owners.
func evaluatorFacts(ctx context.Context, q querier, r *beheer.Request) (beheer.EvaluatorFacts, error) {
	var ef beheer.EvaluatorFacts
	var err error
	ef.KeyUsers, err = queryPersonNames(ctx, q, `SELECT DISTINCT u.id, u.name FROM user_roles ur JOIN users u ON u.id = ur.user_id
		WHERE ur.role = $1 AND (ur.area_id = $2 OR ur.area_id = 0) AND u.active ORDER BY u.name, u.id`, beheer.RoleKeyUser, r.AreaID)
	return ef, err
}

// Evaluators returns who evaluates the outcome of a request the actor may
// see.
func (s *Store) Evaluators(ctx context.Context, actor *beheer.Actor, id int64) (beheer.EvaluatorFacts, error) {
	r, _, err := s.visible(ctx, actor, id)
	if err != nil {
		return beheer.EvaluatorFacts{}, err
	}
	var ef beheer.EvaluatorFacts
	err = s.read(ctx, func(q querier) error {
		ef, err = evaluatorFacts(ctx, q, r)
		return err
	})
	return ef, err
}

// EvaluateOutcome records the process owner's (or key user's) evaluation
// of the request's outcome; evaluating again replaces it.
func (s *Store) EvaluateOutcome(ctx context.Context, actor *beheer.Actor, id int64, in beheer.OwnerEvaluationInput) (*beheer.OwnerEvaluation, error) {
	err := s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		ef, err := evaluatorFacts(ctx, t, r)
		if err != nil {
			return err
		}
		if err := beheer.CheckOwnerEvaluation(actor, r, f, ef, &in); err != nil {
			return err
		}
		before, err := ownerEvaluation(ctx, t, id)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO request_reviews (request_id, goal_met, notes, evaluator_id, evaluated_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (request_id) DO UPDATE SET goal_met = excluded.goal_met, notes = excluded.notes,
			evaluator_id = excluded.evaluator_id, evaluated_at = excluded.evaluated_at`,
			id, in.GoalMet, in.Notes, actor.UserID, ms(t.now)); err != nil {
			return err
		}
		was := ""
		if before != nil {
			was = string(before.GoalMet)
		}
		return t.audit(ctx, actor, id, "request.evaluated_by_owner", "goal_met", was, string(in.GoalMet), false)
	})
	if err != nil {
		return nil, err
	}
	return s.OwnerEvaluation(ctx, actor, id)
}

// OwnerEvaluation returns the evaluation of a request the actor may see,
// or nil when there is none yet.
func (s *Store) OwnerEvaluation(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.OwnerEvaluation, error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, err
	}
	var e *beheer.OwnerEvaluation
	err := s.read(ctx, func(q querier) error {
		var err error
		e, err = ownerEvaluation(ctx, q, id)
		return err
	})
	return e, err
}

func ownerEvaluation(ctx context.Context, q querier, id int64) (*beheer.OwnerEvaluation, error) {
	var e beheer.OwnerEvaluation
	var at sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT v.request_id, v.goal_met, v.notes, v.evaluator_id, u.name, v.evaluated_at
		FROM request_reviews v JOIN users u ON u.id = v.evaluator_id WHERE v.request_id = $1`, id).
		Scan(&e.RequestID, &e.GoalMet, &e.Notes, &e.EvaluatorID, &e.EvaluatorName, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	e.EvaluatedAt = fromMS(at)
	return &e, err
}
