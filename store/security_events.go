package store

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"time"

	"beheer"
)

// eventLog collects the security events a write records, to log them once
// it has committed: a write may run more than once before it commits (see
// the committer), and a rolled-back event did not happen.
type eventLog struct{ events []beheer.SecurityEvent }

// add records e inside the transaction: its time, the request's origin when
// e does not name one, its texts clipped. A nil log keeps the event
// without logging it, for work inside a transaction of another kind.
func (l *eventLog) add(ctx context.Context, t *tx, e beheer.SecurityEvent) error {
	e.At = t.now
	o := beheer.OriginFrom(ctx)
	if e.RequestID == "" {
		e.RequestID = o.RequestID
	}
	if e.Address == "" {
		e.Address = o.Address
	}
	if e.Account == "" && e.UserID != 0 {
		if err := t.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, e.UserID).Scan(&e.Account); err != nil {
			return err
		}
	}
	e.Clip()
	if _, err := t.ExecContext(ctx, `INSERT INTO security_events (at, kind, user_id, account, address, http_request_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ms(e.At), string(e.Kind), nullID(e.UserID), e.Account, e.Address,
		e.RequestID, e.Detail); err != nil {
		return err
	}
	if l != nil {
		l.events = append(l.events, e)
	}
	return nil
}

// writeSecure is write for work that records security events: fn gets the
// log to add them to, and they are logged once the work has committed.
// people marks work that changes people or their tokens (writePeople).
func (s *Store) writeSecure(ctx context.Context, people bool, fn func(*tx, *eventLog) error) error {
	var log eventLog
	w := s.write
	if people {
		w = s.writePeople
	}
	err := w(ctx, func(t *tx) error {
		log = eventLog{}
		return fn(t, &log)
	})
	if err == nil {
		for _, e := range log.events {
			s.logEvent(ctx, e)
		}
	}
	return err
}

// logEvent writes one security event to the log, at warning level for
// refusals and attacks, with the request id, account and address.
func (s *Store) logEvent(ctx context.Context, e beheer.SecurityEvent) {
	level := slog.LevelInfo
	if e.Kind.Warn() {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(ctx, level, "security: "+string(e.Kind), slog.String("event", string(e.Kind)),
		slog.String("request_id", e.RequestID), slog.String("account", e.Account), slog.Int64("user_id", e.UserID),
		slog.String("address", e.Address), slog.String("detail", e.Detail))
}

// RecordSecurityEvent keeps and logs one security event on its own.
func (s *Store) RecordSecurityEvent(ctx context.Context, e beheer.SecurityEvent) error {
	return s.writeSecure(ctx, false, func(t *tx, l *eventLog) error { return l.add(ctx, t, e) })
}

// SecurityEvents lists the events the filter selects, newest first, for
// functional admins for every area and management.
func (s *Store) SecurityEvents(ctx context.Context, actor *beheer.Actor, f beheer.SecurityEventFilter) ([]beheer.SecurityEvent, error) {
	if !beheer.CanReadSecurityEvents(actor) {
		return nil, beheer.ErrForbidden("security.forbidden")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.Replace(cond, "?", "$"+itoa(int64(len(args))), 1))
	}
	if !f.From.IsZero() {
		add("at >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", ms(f.To))
	}
	if f.Kind != "" {
		add("kind = ?", string(f.Kind))
	}
	if f.UserID != 0 {
		add("user_id = ?", f.UserID)
	}
	q := `SELECT id, at, kind, user_id, account, address, http_request_id, detail FROM security_events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	q += " ORDER BY at DESC, id DESC LIMIT $" + itoa(int64(len(args)))
	var out []beheer.SecurityEvent
	err := s.read(ctx, func(qr querier) error {
		rows, err := qr.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e beheer.SecurityEvent
			var at int64
			var user sql.NullInt64
			if err := rows.Scan(&e.ID, &at, &e.Kind, &user, &e.Account, &e.Address, &e.RequestID, &e.Detail); err != nil {
				return err
			}
			e.At, e.UserID = time.UnixMilli(at).UTC(), user.Int64
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// PurgeSecurityEvents removes events older than before, so that an attack
// cannot grow the table without end; it returns how many it removed.
func (s *Store) PurgeSecurityEvents(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		res, err := t.ExecContext(ctx, `DELETE FROM security_events WHERE at < $1`, ms(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
