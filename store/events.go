package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"beheer"
)

// Event kinds: what happened to a request. Workers turn them into
// notifications, e-mail and webhook calls.
const (
	EventRequestFiled     = "request.filed"
	EventPhaseChanged     = "request.phase_changed"
	EventAssigned         = "request.assigned"
	EventStatusChanged    = "request.status_changed"
	EventCommentAdded     = "comment.added"
	EventDecisionTaken    = "decision.taken"
	EventEscalationOpened = "escalation.opened"
	EventEscalationClosed = "escalation.closed"
	EventTaskCreated      = "task.created"
	EventTaskCompleted    = "task.completed"
	EventChangeTested     = "changetest.recorded"
	EventOutageOpened     = "outage.opened"
	EventOutageClosed     = "outage.closed"
	// EventEvaluated: the requester rated the outcome; data "rating" and
	// "outcome" (what the rating did, beheer.RatingOutcome).
	EventEvaluated = "request.evaluated"
)

// Event is one row of the event log.
type Event struct {
	ID        int64             `json:"id"`
	Kind      string            `json:"kind"`
	RequestID int64             `json:"request_id,omitempty"`
	ActorID   int64             `json:"actor_id,omitempty"`
	At        int64             `json:"at"`
	Internal  bool              `json:"internal,omitempty"`
	Data      map[string]string `json:"data,omitempty"`
}

// The event log's row, and the row of a request's status history.
const (
	eventInto    = `INSERT INTO events (kind, request_id, actor_id, at, internal, data)`
	eventInsert  = eventInto + ` VALUES ($1, $2, $3, $4, $5, $6)`
	statusInto   = `INSERT INTO request_status_log (request_id, at, phase, status)`
	statusInsert = statusInto + ` VALUES ($1, $2, $3, $4)`
)

// eventRow is one event; data is its JSON. internal marks events that must
// never reach the requester (internal notes).
func eventRow(actor *beheer.Actor, kind string, request val, at int64, internal bool, data val) logRow {
	return logRow{into: eventInto, insert: eventInsert, vals: []val{known(kind), request, known(nullID(actor.UserID)),
		known(at), known(internal), data}}
}

// statusRow starts a period of a request's status history.
func statusRow(request val, at int64, phase beheer.Phase, status beheer.Status) logRow {
	return logRow{into: statusInto, insert: statusInsert, vals: []val{request, known(at), known(phase), known(status)}}
}

// eventData is an event's data as stored: JSON.
func eventData(data map[string]string) (val, error) {
	raw, err := json.Marshal(data)
	return known(string(raw)), err
}

// emit appends an event inside the writing transaction. internal marks
// events that must never reach the requester (internal notes).
func (t *tx) emit(ctx context.Context, actor *beheer.Actor, kind string, requestID int64, internal bool, data map[string]string) error {
	raw, err := eventData(data)
	if err != nil {
		return err
	}
	return t.record(ctx, eventRow(actor, kind, known(nullID(requestID)), ms(t.now), internal, raw))
}

// logStatus records the phase and status a request is in from now on.
func (t *tx) logStatus(ctx context.Context, id int64, phase beheer.Phase, status beheer.Status) error {
	return t.record(ctx, statusRow(known(id), ms(t.now), phase, status))
}

// EventsAfter returns up to limit events with an id above after, oldest
// first: the feed that workers read.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error) {
	var out []Event
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, kind, COALESCE(request_id, 0), COALESCE(actor_id, 0), at, internal, data
			FROM events WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e Event
			var data string
			var at sql.NullInt64
			if err := rows.Scan(&e.ID, &e.Kind, &e.RequestID, &e.ActorID, &at, &e.Internal, &data); err != nil {
				return err
			}
			e.At = at.Int64
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// StatusPeriod is a span of time a request spent in one phase and status.
type StatusPeriod struct {
	At     int64 // start, Unix milliseconds
	Phase  beheer.Phase
	Status beheer.Status
}

// StatusHistory returns the phases and statuses a request went through,
// oldest first, for service-level clocks. It does not check visibility:
// callers have loaded the request for the actor already.
func (s *Store) StatusHistory(ctx context.Context, requestID int64) ([]StatusPeriod, error) {
	var out []StatusPeriod
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT at, phase, status FROM request_status_log WHERE request_id = $1 ORDER BY id`, requestID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p StatusPeriod
			if err := rows.Scan(&p.At, &p.Phase, &p.Status); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}
