package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"beheer"
)

// The storage of how Optimalisatie ends (beheer.Closure): the settings, the
// rating that applies them, and the sweep that closes requests whose
// requester did not react.

const settingClosure = "closure"

// Closure returns how Optimalisatie ends; everyone signed in may read it,
// since the request page tells the requester what a rating does.
func (s *Store) Closure(ctx context.Context) (beheer.Closure, error) {
	var c beheer.Closure
	err := s.read(ctx, func(q querier) error {
		var err error
		c, err = readClosure(ctx, q)
		return err
	})
	return c, err
}

func readClosure(ctx context.Context, q querier) (beheer.Closure, error) {
	raw, ok, err := setting(ctx, q, settingClosure)
	if err != nil || !ok {
		return beheer.DefaultClosure(), err
	}
	var c beheer.Closure
	if json.Unmarshal([]byte(raw), &c) != nil || c.Validate() != nil {
		return beheer.DefaultClosure(), nil
	}
	return c, nil
}

// SetClosure changes how Optimalisatie ends (functional admins for every
// area). It holds from the next rating and the next sweep on.
func (s *Store) SetClosure(ctx context.Context, actor *beheer.Actor, c beheer.Closure) error {
	if !beheer.CanManageClosure(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	raw, _ := json.Marshal(c)
	return s.write(ctx, func(t *tx) error {
		before, _, err := setting(ctx, t, settingClosure)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingClosure, string(raw)); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "settings.closure", settingClosure, before, string(raw), false)
	})
}

// Evaluate records the requester's rating and evaluation in Optimalisatie,
// and does what the organisation's closure settings say a rating does: a
// good one closes the request, a poor one sends it back to the assignee as
// a follow-up, any other leaves the closing to the assignee. The event
// "request.evaluated" (with the rating and what it did) tells the assignee.
func (s *Store) Evaluate(ctx context.Context, actor *beheer.Actor, id int64, e beheer.Evaluation) (*beheer.Request, error) {
	e.Note = strings.TrimSpace(beheer.Lines(e.Note))
	err := s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckEvaluation(actor, r, f, e); err != nil {
			return err
		}
		c, err := readClosure(ctx, t)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE requests SET rating = $1, evaluation = $2 WHERE id = $3`, e.Rating, e.Note, id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, id, "request.evaluated", "rating", "", itoa(int64(e.Rating)), false); err != nil {
			return err
		}
		outcome := c.AfterRating(e.Rating)
		if err := t.emit(ctx, actor, EventEvaluated, id, false, map[string]string{
			"rating": itoa(int64(e.Rating)), "outcome": string(outcome)}); err != nil {
			return err
		}
		if outcome == beheer.RatingCloses {
			return t.closeAfter(ctx, r, ClosedAfterRating, itoa(int64(e.Rating)))
		}
		r.Status = beheer.Held(r.Phase, beheer.StatusAfterRating(outcome), f)
		return t.bump(ctx, actor, r)
	})
	if err != nil {
		return nil, err
	}
	r, _, err := s.visible(ctx, actor, id)
	return r, err
}

// Why a request closed by itself, as the phase change's event and the
// audit trail say.
const (
	ClosedAfterRating = "rating"      // a good rating
	ClosedAfterQuiet  = "no_reaction" // working days without a reaction
)

// closeAfter closes a request in Optimalisatie by the closure rule, as the
// system: the audit row says why (with the rating or the working days), and
// the phase change's event carries the reason, so the notifications tell
// those concerned what happened. A parent incident closed so ends the
// requests joined to it as a closing by hand would (beheer.EndsWithParent).
func (t *tx) closeAfter(ctx context.Context, r *beheer.Request, reason, detail string) error {
	from := r.Phase
	r.Phase, r.Status, r.ClosedAt = beheer.PhaseClosed, beheer.StatusOnEntry(beheer.PhaseClosed, beheer.Facts{}), t.now
	if err := t.bump(ctx, System, r); err != nil {
		return err
	}
	if err := t.audit(ctx, System, r.ID, "request.transition", "phase", string(from), string(r.Phase), false); err != nil {
		return err
	}
	if err := t.audit(ctx, System, r.ID, "request.closed_after", reason, "", detail, false); err != nil {
		return err
	}
	if err := t.emit(ctx, System, EventPhaseChanged, r.ID, false, map[string]string{
		"from": string(from), "to": string(r.Phase), "reason": reason, "detail": detail}); err != nil {
		return err
	}
	return t.endChildren(ctx, System, r, r.Phase)
}

// ClosureSweep closes the requests that waited the organisation's number of
// working days in Optimalisatie for their requester without a reaction. It
// reads the waiting requests in id order from the status index and closes
// each in its own check inside one write per batch; it returns how many.
func (s *Store) ClosureSweep(ctx context.Context) (int, error) {
	c, err := s.Closure(ctx)
	if err != nil || c.CloseAfterDays == 0 {
		return 0, err
	}
	closed := 0
	var after int64
	for {
		var reqs []*beheer.Request
		commented := map[int64]time.Time{}
		var b *slaBasis
		now := s.now()
		err := s.read(ctx, func(q querier) error {
			rows, err := q.QueryContext(ctx, `SELECT `+requestColumns+`,
				(SELECT MAX(c.created_at) FROM comments c WHERE c.request_id = r.id)`+requestFrom+`
				WHERE r.status = $1 AND r.phase = $2 AND r.id > $3 ORDER BY r.id LIMIT $4`,
				beheer.StatusAwaitingRequester, beheer.PhaseOptimisation, after, sweepBatch)
			if err != nil {
				return err
			}
			if err := scanAll(rows, func() error {
				var last sql.NullInt64
				r, err := scanRequest(rows, &last)
				if err == nil {
					reqs, commented[r.ID] = append(reqs, r), fromMS(last)
				}
				return err
			}); err != nil || len(reqs) == 0 {
				return err
			}
			b, err = s.basis(ctx, q)
			return err
		})
		if err != nil || len(reqs) == 0 {
			return closed, err
		}
		after = reqs[len(reqs)-1].ID
		err = s.write(ctx, func(t *tx) error {
			for _, seen := range reqs {
				if !c.Quiet(seen, commented[seen.ID], b.cal, now) {
					continue
				}
				r, err := t.s.loadRequest(ctx, t, seen.ID, true)
				if err != nil {
					return err
				}
				var last sql.NullInt64
				if err := t.QueryRowContext(ctx, `SELECT MAX(created_at) FROM comments WHERE request_id = $1`, r.ID).Scan(&last); err != nil {
					return err
				}
				if !c.Quiet(r, fromMS(last), b.cal, now) { // changed since it was read
					continue
				}
				if err := t.closeAfter(ctx, r, ClosedAfterQuiet, itoa(int64(c.CloseAfterDays))); err != nil {
					return err
				}
				closed++
			}
			return nil
		})
		if err != nil || len(reqs) < sweepBatch {
			return closed, err
		}
	}
}
