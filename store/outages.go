package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"beheer"
)

// Outages (storingen): notices, the requests filed about them, and the
// availability record. The rules are beheer's (outage.go).

// bannerTTL is how long the open outages every page shows are reused: a
// notice posted on another server appears within it; one posted here at
// once (the write forgets the cached list).
const bannerTTL = 10 * time.Second

const outageColumns = `o.id, o.title, o.description, o.severity, o.started_at, o.expected_end_at, o.ended_at, o.summary,
	COALESCE(o.created_by, 0), COALESCE(u.name, ''), o.created_at, o.updated_at, o.version,
	(SELECT COUNT(*) FROM outage_requests x WHERE x.outage_id = o.id)`

const outageFrom = ` FROM outages o LEFT JOIN users u ON u.id = o.created_by`

func scanOutage(row interface{ Scan(...any) error }) (*beheer.Outage, error) {
	var o beheer.Outage
	var started, expected, ended, created, updated sql.NullInt64
	if err := row.Scan(&o.ID, &o.Title, &o.Description, &o.Severity, &started, &expected, &ended, &o.Summary,
		&o.CreatedBy, &o.CreatedByName, &created, &updated, &o.Version, &o.Requests); err != nil {
		return nil, err
	}
	o.StartedAt, o.ExpectedEndAt, o.EndedAt = fromMS(started), fromMS(expected), fromMS(ended)
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	return &o, nil
}

func queryOutages(ctx context.Context, q querier, cond string, args ...any) ([]*beheer.Outage, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outageColumns+outageFrom+` WHERE `+cond+` ORDER BY o.started_at DESC, o.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.Outage
	for rows.Next() {
		o, err := scanOutage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// loadOutage reads one outage; lock takes its row lock for a write.
func loadOutage(ctx context.Context, q querier, id int64, lock string) (*beheer.Outage, error) {
	o, err := scanOutage(q.QueryRowContext(ctx, `SELECT `+outageColumns+outageFrom+` WHERE o.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return o, err
}

// OpenOutages lists the outages going on now, newest first: the banner
// every signed-in page shows. The list is shared for a few seconds.
func (s *Store) OpenOutages(ctx context.Context) ([]*beheer.Outage, error) {
	return s.banner.get(ctx, "open", func(ctx context.Context) ([]*beheer.Outage, error) {
		var out []*beheer.Outage
		err := s.read(ctx, func(q querier) error {
			var err error
			out, err = queryOutages(ctx, q, `o.ended_at IS NULL`)
			return err
		})
		return out, err
	})
}

// Outages lists the open outages and those that started since since, newest
// first; everyone signed in reads them.
func (s *Store) Outages(ctx context.Context, since time.Time) ([]*beheer.Outage, error) {
	var out []*beheer.Outage
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryOutages(ctx, q, `o.ended_at IS NULL OR o.started_at >= $1 OR o.ended_at >= $1`, ms(since))
		return err
	})
	return out, err
}

// Outage returns one outage.
func (s *Store) Outage(ctx context.Context, id int64) (*beheer.Outage, error) {
	var o *beheer.Outage
	err := s.read(ctx, func(q querier) error {
		var err error
		o, err = loadOutage(ctx, q, id, "")
		return err
	})
	return o, err
}

// OutageRequests lists the requests filed about an outage that the actor
// may see, newest first.
func (s *Store) OutageRequests(ctx context.Context, actor *beheer.Actor, id int64) ([]*beheer.Request, error) {
	var q query
	q.visibility(actor)
	q.where = append(q.where, "r.id IN (SELECT request_id FROM outage_requests WHERE outage_id = "+q.arg(id)+")")
	return s.planRequests(ctx, q, "r.id DESC", 200)
}

// CreateOutage posts a notice (functional and technical admins).
func (s *Store) CreateOutage(ctx context.Context, actor *beheer.Actor, in beheer.OutageInput) (*beheer.Outage, error) {
	if !beheer.CanManageOutages(actor) {
		return nil, beheer.Refusal(beheer.PermOutageManage)
	}
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `INSERT INTO outages (title, description, severity, started_at, expected_end_at,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			in.Title, in.Description, in.Severity, ms(in.StartedAt), msOrNil(in.ExpectedEndAt), nullID(actor.UserID),
			ms(t.now)).Scan(&id); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventOutageOpened, 0, false, map[string]string{"outage": itoa(id), "severity": string(in.Severity)}); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "outage.opened", "outage", "", in.Title, false)
	})
	return s.outageWritten(ctx, id, err)
}

// outageWritten forgets the banner's list after a write and returns the
// outage as it is now.
func (s *Store) outageWritten(ctx context.Context, id int64, err error) (*beheer.Outage, error) {
	if err != nil {
		return nil, err
	}
	s.banner.forget("open")
	return s.Outage(ctx, id)
}

// lockOutageVersion locks an outage for a change based on version (0:
// any); a stale version is refused.
func (t *tx) lockOutageVersion(ctx context.Context, actor *beheer.Actor, id, version int64) (*beheer.Outage, error) {
	if !beheer.CanManageOutages(actor) {
		return nil, beheer.Refusal(beheer.PermOutageManage)
	}
	o, err := loadOutage(ctx, t, id, t.s.dialect.lock("o"))
	if err != nil {
		return nil, err
	}
	if version != 0 && version != o.Version {
		return nil, beheer.Errorf(beheer.CodePreconditionFailed, "outage.stale")
	}
	return o, nil
}

// UpdateOutage changes a notice (what, since when, expected end, how
// severe), based on version (0: any).
func (s *Store) UpdateOutage(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.OutageInput) (*beheer.Outage, error) {
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		o, err := t.lockOutageVersion(ctx, actor, id, version)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE outages SET title = $1, description = $2, severity = $3, started_at = $4,
			expected_end_at = $5, updated_at = $6, version = version + 1 WHERE id = $7`, in.Title, in.Description, in.Severity,
			ms(in.StartedAt), msOrNil(in.ExpectedEndAt), ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "outage.updated", "outage", o.Title, in.Title, false)
	})
	return s.outageWritten(ctx, id, err)
}

// CloseOutage ends an outage at end (zero: now) with a summary, based on
// version (0: any). Every open request filed about it hears the summary as
// a comment, so its requester knows.
func (s *Store) CloseOutage(ctx context.Context, actor *beheer.Actor, id, version int64, end time.Time, summary string) (*beheer.Outage, error) {
	summary = strings.TrimSpace(summary)
	err := s.write(ctx, func(t *tx) error {
		o, err := t.lockOutageVersion(ctx, actor, id, version)
		if err != nil {
			return err
		}
		if end.IsZero() {
			end = t.now
		}
		if err := o.CheckCloseOutage(end, summary); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE outages SET ended_at = $1, summary = $2, updated_at = $3, version = version + 1
			WHERE id = $4`, ms(end), summary, ms(t.now), id); err != nil {
			return err
		}
		if err := t.tellOutageRequests(ctx, actor, id, summary); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventOutageClosed, 0, false, map[string]string{"outage": itoa(id)}); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "outage.closed", "outage", o.Title, summary, false)
	})
	return s.outageWritten(ctx, id, err)
}

// tellOutageRequests adds the summary as a public comment to every open
// request filed about the outage.
func (t *tx) tellOutageRequests(ctx context.Context, actor *beheer.Actor, id int64, summary string) error {
	rows, err := t.QueryContext(ctx, `SELECT x.request_id FROM outage_requests x JOIN requests r ON r.id = x.request_id
		WHERE x.outage_id = $1 AND r.phase IN ('intake', 'investigation', 'execution', 'optimisation') ORDER BY x.request_id`, id)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, rid := range ids {
		if _, err := t.post(ctx, actor, rid, beheer.NewComment{Body: summary}); err != nil {
			return err
		}
	}
	return nil
}

// LinkOutageRequest collects an existing request under an outage: an admin
// who manages outages and sees the request.
func (s *Store) LinkOutageRequest(ctx context.Context, actor *beheer.Actor, id, requestID int64) error {
	return s.write(ctx, func(t *tx) error {
		o, err := t.lockOutageVersion(ctx, actor, id, 0)
		if err != nil {
			return err
		}
		if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
			return beheer.Invalid("request", "field.unknown_request")
		}
		if err := o.CheckReportOutage(); err != nil {
			return err
		}
		return t.joinOutage(ctx, actor, id, requestID)
	})
}

// joinOutage collects a request under an outage; once is enough.
func (t *tx) joinOutage(ctx context.Context, actor *beheer.Actor, id, requestID int64) error {
	if _, err := t.ExecContext(ctx, `INSERT INTO outage_requests (outage_id, request_id, created_by, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, id, requestID, nullID(actor.UserID), ms(t.now)); err != nil {
		return err
	}
	return t.audit(ctx, actor, requestID, "outage.request_linked", "outage", "", itoa(id), false)
}

// Availability is the availability record of the months from the month of
// from up to the one before the month of to (Dutch time), oldest first:
// outages and their duration per month. Who reads reports reads it.
func (s *Store) Availability(ctx context.Context, actor *beheer.Actor, from, to time.Time) ([]beheer.MonthAvailability, error) {
	if !actor.CanAnywhere(beheer.PermReportRead) {
		return nil, beheer.ErrForbidden("")
	}
	first, months := monthsBetween(from, to)
	list, err := s.Outages(ctx, first)
	if err != nil {
		return nil, err
	}
	return beheer.Availability(list, first, months, s.now()), nil
}

// monthsBetween is the first day of from's month (Dutch time) and the
// number of months up to to's month, at least one and at most ten years.
func monthsBetween(from, to time.Time) (time.Time, int) {
	f, t := from.In(amsterdam), to.In(amsterdam)
	first := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, amsterdam)
	months := (t.Year()-f.Year())*12 + int(t.Month()-f.Month())
	if t.Day() > 1 || t.Hour() > 0 || t.Minute() > 0 {
		months++ // to lies inside its month: count that month too
	}
	return first, min(max(months, 1), 120)
}
