package store

import (
	"context"
	"time"

	"beheer"
)

// RegisterReviewSweep raises a request for every entry whose review is due
// (next review on or before today, not retired): a technical request in
// the entry's area (else the integrations area), in Onderzoek, assigned to
// the entry's owner and waiting on technical management, with a task for
// the owner. It runs as the system: audit rows and events name no person;
// the request's requester and the task's creator, which must be people,
// are a functional admin for every area (else the owner).
//
// It is safe to run often and from several processes on one database: each
// entry is raised in its own transaction that first locks the entry and
// claims (entry, due day) in register_review_tasks; a claim that exists
// already means another run raised it, and nothing is filed. An entry whose
// earlier review task is still open gets no second one. It returns how
// many requests it filed.
func (s *Store) RegisterReviewSweep(ctx context.Context, text beheer.RegisterReviewText) (int, error) {
	count := 0
	var after int64
	for {
		today := beheer.FormatDay(s.Today())
		var due []int64
		err := s.read(ctx, func(q querier) error {
			rows, err := q.QueryContext(ctx, `SELECT e.id FROM register_entries e
				WHERE e.next_review_on <> '' AND e.next_review_on <= $1 AND e.status <> $2 AND e.id > $3
				AND NOT EXISTS (SELECT 1 FROM register_review_tasks x WHERE x.entry_id = e.id AND x.due_on = e.next_review_on)
				ORDER BY e.id LIMIT $4`, today, beheer.RegisterRetired, after, sweepBatch)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				due = append(due, id)
			}
			return rows.Err()
		})
		if err != nil || len(due) == 0 {
			return count, err
		}
		for _, id := range due {
			raised := false
			err := s.write(ctx, func(t *tx) error {
				var err error
				raised, err = t.raiseReview(ctx, id, text)
				return err
			})
			if err != nil {
				return count, err
			}
			if raised {
				count++
			}
		}
		if len(due) < sweepBatch {
			return count, nil
		}
		after = due[len(due)-1]
	}
}

// raiseReview files the review request of one due entry, once.
func (t *tx) raiseReview(ctx context.Context, id int64, text beheer.RegisterReviewText) (bool, error) {
	e, err := t.lockRegisterEntry(ctx, id)
	if err != nil {
		return false, err
	}
	if !e.DueForReview(dayOf(t.now)) {
		return false, nil
	}
	due := beheer.FormatDay(e.NextReviewOn)
	res, err := t.ExecContext(ctx, `INSERT INTO register_review_tasks (entry_id, due_on, raised_at) VALUES ($1, $2, $3)
		ON CONFLICT (entry_id, due_on) DO NOTHING`, id, due, ms(t.now))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if e.OpenReviewTask != 0 {
		// The review asked for earlier is still open: point this due day at it.
		_, err := t.ExecContext(ctx, `UPDATE register_review_tasks SET request_id = $1, task_id = $2 WHERE entry_id = $3 AND due_on = $4`,
			e.OpenReviewRequest, e.OpenReviewTask, id, due)
		return false, err
	}
	words := text(e)
	requestID, taskID, err := t.fileReviewRequest(ctx, e, words)
	if err != nil {
		return false, err
	}
	if _, err := t.ExecContext(ctx, `UPDATE register_review_tasks SET request_id = $1, task_id = $2 WHERE entry_id = $3 AND due_on = $4`,
		requestID, taskID, id, due); err != nil {
		return false, err
	}
	return true, t.audit(ctx, System, requestID, "register.review_raised", registerField(id, "next_review_on"), "", due, false)
}

// fileReviewRequest writes the request and its task for a due review.
func (t *tx) fileReviewRequest(ctx context.Context, e *beheer.RegisterEntry, words beheer.RegisterReviewTexts) (requestID, taskID int64, err error) {
	area := e.AreaID
	if area == 0 {
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM areas WHERE integrations = $1`, true).Scan(&area); err != nil {
			return 0, 0, err
		}
	}
	assignee := e.OwnerID
	if err := t.checkTechnical(ctx, assignee); beheer.ErrorCode(err) == beheer.CodeInvalid {
		assignee = 0 // the owner left technical management: the task goes to the team
	} else if err != nil {
		return 0, 0, err
	}
	// Technical work is asked for internally by functional management (the
	// seed's rule): the requester is a functional admin for every area, so
	// that the owner, as a technical admin, sees the request's internal
	// notes. Without one, the owner asks it themselves.
	requester := e.OwnerID
	var admin int64
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(MIN(u.id), 0) FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active AND ur.role = 'functional_admin' AND ur.area_id = 0`).Scan(&admin); err != nil {
		return 0, 0, err
	}
	if admin != 0 {
		requester = admin
	}
	year := t.now.In(amsterdam).Year()
	var seq int64
	if err := t.QueryRowContext(ctx, `INSERT INTO request_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = request_counters.last + 1 RETURNING last`, year).Scan(&seq); err != nil {
		return 0, 0, err
	}
	title, desc, task := clip(words.Title, beheer.MaxTitle), clip(words.Description, beheer.MaxDescription), clip(words.Task, beheer.MaxTitle)
	number := beheer.FormatNumber(year, seq)
	phase, status := beheer.PhaseInvestigation, beheer.StatusAwaitingTechnical
	if err := t.QueryRowContext(ctx, `INSERT INTO requests (number, year, seq, type, title, description, area_id, priority,
		priority_rank, requester_id, assignee_id, phase, status, created_at, updated_at, search_terms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) RETURNING id`,
		number, year, seq, beheer.TypeTechnical, title, desc, nullID(area), beheer.PriorityNormal, beheer.PriorityNormal.Rank(),
		requester, nullID(assignee), phase, status, ms(t.now), requestTerms(title, desc, nil, nil)).Scan(&requestID); err != nil {
		return 0, 0, err
	}
	t.file(requestID)
	if err := t.logStatus(ctx, requestID, phase, status); err != nil {
		return 0, 0, err
	}
	if err := t.emit(ctx, System, EventRequestFiled, requestID, false, nil); err != nil {
		return 0, 0, err
	}
	if err := t.audit(ctx, System, requestID, "request.created", "", "", number, false); err != nil {
		return 0, 0, err
	}
	if err := t.QueryRowContext(ctx, `INSERT INTO tasks (request_id, title, description, assignee_id, status, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, requestID, task, "", nullID(assignee), beheer.TaskOpen,
		requester, ms(t.now)).Scan(&taskID); err != nil {
		return 0, 0, err
	}
	if err := t.audit(ctx, System, requestID, "task.created", "task", "", task, false); err != nil {
		return 0, 0, err
	}
	err = t.emit(ctx, System, EventTaskCreated, requestID, false, map[string]string{"task": itoa(taskID), "assignee": itoa(assignee)})
	return requestID, taskID, err
}

// RegisterSweepLoop runs RegisterReviewSweep now and then every interval
// until ctx ends, logging what it raised.
func (s *Store) RegisterSweepLoop(ctx context.Context, every time.Duration, text beheer.RegisterReviewText) {
	for {
		n, err := s.RegisterReviewSweep(ctx, text)
		if err != nil && ctx.Err() == nil {
			s.log.Error("register sweep", "err", err)
		} else if n > 0 {
			s.log.Info("register sweep", "reviews", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
