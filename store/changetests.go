package store

import (
	"context"
	"database/sql"
	"errors"

	"beheer"
)

// The Accept test per change: the record that a change was tested on the
// acceptance environment. The rules are beheer's (changetest.go).

// latestChangeTest is the result of a request's latest test, "" when none:
// one indexed lookup, made only by the move that needs it.
func latestChangeTest(ctx context.Context, q querier, requestID int64) (beheer.ChangeTestResult, error) {
	var res beheer.ChangeTestResult
	err := q.QueryRowContext(ctx, `SELECT result FROM change_tests WHERE request_id = $1 ORDER BY id DESC LIMIT 1`, requestID).Scan(&res)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return res, err
}

// RecordChangeTest records a test of the request on the acceptance
// environment, with its evidence as an attachment of the request, in one
// transaction.
func (s *Store) RecordChangeTest(ctx context.Context, actor *beheer.Actor, id int64, in beheer.ChangeTestInput) (*beheer.ChangeTest, error) {
	if err := in.Validate(actor, s.Today(), s.maxFile); err != nil {
		return nil, err
	}
	var testID int64
	err := s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckChangeTest(actor, r, f); err != nil {
			return err
		}
		if in.TesterID != actor.UserID {
			if err := t.checkPerson(ctx, "tester", in.TesterID); err != nil {
				return err
			}
		}
		var evidence any = nullID(in.EvidenceID)
		if in.EvidenceID != 0 {
			var owner int64
			err := t.QueryRowContext(ctx, `SELECT request_id FROM attachments WHERE id = $1 AND removed_at IS NULL`, in.EvidenceID).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) || owner != id {
				return beheer.Invalid("evidence", "changetest.field.evidence_unknown")
			}
			if err != nil {
				return err
			}
		}
		if in.Evidence != nil {
			a, err := t.attach(ctx, actor, id, "evidence", in.Evidence.Name, in.Evidence.Data)
			if err != nil {
				return err
			}
			evidence = a.ID
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO change_tests (request_id, tester_id, tested_on, result, notes, attachment_id,
			production_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			id, in.TesterID, beheer.FormatDay(in.TestedOn), in.Result, in.Notes, evidence, optDay(in.ProductionOn),
			actor.UserID, ms(t.now)).Scan(&testID); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventChangeTested, id, false, map[string]string{"result": string(in.Result)}); err != nil {
			return err
		}
		return t.audit(ctx, actor, id, "changetest.recorded", "change_test", "", string(in.Result), false)
	})
	if err != nil {
		return nil, err
	}
	tests, err := s.ChangeTests(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	for i := range tests {
		if tests[i].ID == testID {
			return &tests[i], nil
		}
	}
	return nil, beheer.ErrNotFound()
}

// ChangeTests lists the tests of a request the actor may see, in the order
// they were recorded (the latest counts).
func (s *Store) ChangeTests(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.ChangeTest, error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, err
	}
	var out []beheer.ChangeTest
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryChangeTests(ctx, q, id)
		return err
	})
	return out, err
}

// queryChangeTests reads the tests of a request, in the order they were
// recorded.
func queryChangeTests(ctx context.Context, q querier, id int64) ([]beheer.ChangeTest, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.request_id, c.tester_id, u.name, c.tested_on, c.result, c.notes,
		COALESCE(c.attachment_id, 0), COALESCE(a.name, ''), c.production_on, c.recorded_by, c.recorded_at
		FROM change_tests c JOIN users u ON u.id = c.tester_id LEFT JOIN attachments a ON a.id = c.attachment_id AND a.removed_at IS NULL
		WHERE c.request_id = $1 ORDER BY c.id LIMIT 200`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []beheer.ChangeTest{}
	for rows.Next() {
		var c beheer.ChangeTest
		var tested, production string
		var at sql.NullInt64
		if err := rows.Scan(&c.ID, &c.RequestID, &c.TesterID, &c.TesterName, &tested, &c.Result, &c.Notes,
			&c.AttachmentID, &c.AttachmentName, &production, &c.RecordedBy, &at); err != nil {
			return nil, err
		}
		c.TestedOn, c.ProductionOn, c.RecordedAt = parseStoredDay(tested), parseStoredDay(production), fromMS(at)
		if c.AttachmentName == "" {
			c.AttachmentID = 0
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
