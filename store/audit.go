package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"beheer"
)

// The audit trail's row: which request, who, when, what was done to which
// field, from what to what, and whether only those who see internal notes
// may read it.
const (
	auditInto   = `INSERT INTO audit (request_id, actor_id, at, action, field, before_value, after_value, internal)`
	auditInsert = auditInto + ` VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
)

// auditRow is one row of the audit trail.
func auditRow(actor *beheer.Actor, request val, at int64, action, field, before string, after val, internal bool) logRow {
	return logRow{into: auditInto, insert: auditInsert, vals: []val{request, known(nullID(actor.UserID)), known(at),
		known(action), known(field), known(before), after, known(internal)}}
}

// audit appends one row to the audit trail inside the transaction.
func (t *tx) audit(ctx context.Context, actor *beheer.Actor, requestID int64, action, field, before, after string, internal bool) error {
	return t.record(ctx, auditRow(actor, known(nullID(requestID)), ms(t.now), action, field, before, known(after), internal))
}

// Audit returns the audit trail of a request, oldest first. Entries about
// internal notes are left out for whoever may not see those, and so is the
// outcome of a technical task, as Tasks leaves it out.
func (s *Store) Audit(ctx context.Context, actor *beheer.Actor, requestID int64) ([]beheer.AuditEntry, error) {
	r, f, err := s.visible(ctx, actor, requestID)
	if err != nil {
		return nil, err
	}
	internal := beheer.CanSeeInternal(actor, r, f)
	var out []beheer.AuditEntry
	err = s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT a.id, a.actor_id, COALESCE(u.name, ''), a.at, a.action, a.field,
			a.before_value, a.after_value, a.internal
			FROM audit a LEFT JOIN users u ON u.id = a.actor_id WHERE a.request_id = $1 ORDER BY a.id`, requestID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e beheer.AuditEntry
			var actorID sql.NullInt64
			var at sql.NullInt64
			if err := rows.Scan(&e.ID, &actorID, &e.ActorName, &at, &e.Action, &e.Field, &e.Before, &e.After, &e.Internal); err != nil {
				return err
			}
			if e.Internal && !internal {
				continue
			}
			if e.Action == "task.completed" && !internal {
				e.After = "" // the outcome: technical work between admins is internal
			}
			e.RequestID, e.ActorID, e.At = requestID, actorID.Int64, fromMS(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func boolText(b bool) string { return strconv.FormatBool(b) }

func formatRoles(roles []beheer.Assignment) string {
	parts := make([]string, len(roles))
	for i, r := range roles {
		parts[i] = string(r.Role)
		if r.AreaID != 0 {
			parts[i] += fmt.Sprintf(":%d", r.AreaID)
		}
	}
	return strings.Join(parts, ",")
}
