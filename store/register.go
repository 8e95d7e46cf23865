package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"beheer"
)

// The technical register's storage; its nouns and rules are the root
// package's (register.go).

// dayOf is the calendar day of a moment in Amsterdam, as midnight UTC.
func dayOf(t time.Time) time.Time {
	t = t.In(amsterdam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Today is the store clock's day in Amsterdam, as midnight UTC.
func (s *Store) Today() time.Time { return dayOf(s.now()) }

const registerColumns = `e.id, e.kind, e.name, e.status, e.owner_id, COALESCE(o.name, ''), COALESCE(e.area_id, 0),
	COALESCE(a.code, ''), COALESCE(a.name, ''), e.description, e.direction, e.other_system, e.technique, COALESCE(e.maintainer_contact_id, 0),
	COALESCE(c.name, ''), COALESCE(c.organisation, ''), e.maintainer, e.protocol, e.issuer_url, e.client_ids, e.host,
	e.port, e.tls_mode, e.sender, e.dns_notes, e.review_months, e.last_reviewed_on, e.next_review_on, e.created_at,
	e.updated_at, e.version,
	COALESCE((SELECT MAX(x.task_id) FROM register_review_tasks x JOIN tasks k ON k.id = x.task_id
		WHERE x.entry_id = e.id AND k.status = 'open'), 0),
	COALESCE((SELECT MAX(x.request_id) FROM register_review_tasks x JOIN tasks k ON k.id = x.task_id
		WHERE x.entry_id = e.id AND k.status = 'open'), 0)`

const registerFrom = ` FROM register_entries e LEFT JOIN users o ON o.id = e.owner_id LEFT JOIN areas a ON a.id = e.area_id
	LEFT JOIN channel_contacts c ON c.id = e.maintainer_contact_id`

func scanRegisterEntry(row interface{ Scan(...any) error }) (*beheer.RegisterEntry, error) {
	var e beheer.RegisterEntry
	var contactOrg, last, next string
	var created, updated sql.NullInt64
	if err := row.Scan(&e.ID, &e.Kind, &e.Name, &e.Status, &e.OwnerID, &e.OwnerName, &e.AreaID, &e.AreaCode, &e.AreaName,
		&e.Description, &e.Direction, &e.OtherSystem, &e.Technique, &e.MaintainerContactID, &e.MaintainerContact,
		&contactOrg, &e.Maintainer, &e.Protocol, &e.IssuerURL, &e.ClientIDs, &e.Host, &e.Port, &e.TLSMode, &e.Sender,
		&e.DNSNotes, &e.ReviewMonths, &last, &next, &created, &updated, &e.Version, &e.OpenReviewTask,
		&e.OpenReviewRequest); err != nil {
		return nil, err
	}
	if contactOrg != "" && e.MaintainerContact != "" {
		e.MaintainerContact += " (" + contactOrg + ")"
	}
	e.LastReviewedOn, e.NextReviewOn = parseStoredDay(last), parseStoredDay(next)
	e.CreatedAt, e.UpdatedAt = fromMS(created), fromMS(updated)
	return &e, nil
}

func queryRegister(ctx context.Context, q querier, cond string, args ...any) ([]*beheer.RegisterEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+registerColumns+registerFrom+cond+` ORDER BY e.kind, e.name, e.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.RegisterEntry
	for rows.Next() {
		e, err := scanRegisterEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RegisterEntries lists the register, by kind and name.
func (s *Store) RegisterEntries(ctx context.Context, actor *beheer.Actor) ([]*beheer.RegisterEntry, error) {
	if !beheer.CanReadRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterRead)
	}
	var out []*beheer.RegisterEntry
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryRegister(ctx, q, "")
		return err
	})
	return out, err
}

// RegisterEntry returns one entry with its reviews, newest first.
func (s *Store) RegisterEntry(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.RegisterEntry, error) {
	if !beheer.CanReadRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterRead)
	}
	var e *beheer.RegisterEntry
	err := s.read(ctx, func(q querier) error {
		list, err := queryRegister(ctx, q, ` WHERE e.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		e = list[0]
		rows, err := q.QueryContext(ctx, `SELECT r.id, r.reviewed_on, r.note, COALESCE(r.reviewed_by, 0), COALESCE(u.name, ''),
			r.created_at FROM register_reviews r LEFT JOIN users u ON u.id = r.reviewed_by
			WHERE r.entry_id = $1 ORDER BY r.id DESC LIMIT 200`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rv beheer.RegisterReview
			var on string
			var created sql.NullInt64
			if err := rows.Scan(&rv.ID, &on, &rv.Note, &rv.ReviewedBy, &rv.ReviewedByName, &created); err != nil {
				return err
			}
			rv.ReviewedOn, rv.CreatedAt = parseStoredDay(on), fromMS(created)
			e.Reviews = append(e.Reviews, rv)
		}
		return rows.Err()
	})
	return e, err
}

// RegisterOwners lists the people who may own an entry: active technical
// admins.
func (s *Store) RegisterOwners(ctx context.Context, actor *beheer.Actor) ([]beheer.PersonName, error) {
	if !beheer.CanReadRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterRead)
	}
	var out []beheer.PersonName
	err := s.read(ctx, func(q querier) (err error) {
		out, err = queryPersonNames(ctx, q, `SELECT DISTINCT u.id, u.name FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active AND ur.role = 'technical_admin' ORDER BY u.name, u.id LIMIT 500`)
		return err
	})
	return out, err
}

// RegisterContacts lists the outside contacts an integration's maintainer
// is chosen from, system integrators first.
func (s *Store) RegisterContacts(ctx context.Context, actor *beheer.Actor) ([]beheer.ChannelContact, error) {
	if !beheer.CanReadRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterRead)
	}
	var out []beheer.ChannelContact
	err := s.read(ctx, func(q querier) error {
		list, err := queryContacts(ctx, q, "")
		out = beheer.MaintainerChoices(list)
		return err
	})
	return out, err
}

// registerRefs looks up what the rules need to know about an entry's
// references: whether the owner is an active technical admin, and whether
// the area and the maintainer contact exist.
func registerRefs(ctx context.Context, q querier, in *beheer.RegisterInput) (beheer.RegisterRefs, error) {
	var owner, area, contact int
	if err := q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.id = $1 AND u.active AND ur.role = 'technical_admin'),
		(SELECT COUNT(*) FROM areas WHERE id = $2),
		(SELECT COUNT(*) FROM channel_contacts WHERE id = $3)`, in.OwnerID, in.AreaID, in.MaintainerContactID).
		Scan(&owner, &area, &contact); err != nil {
		return beheer.RegisterRefs{}, err
	}
	return beheer.RegisterRefs{OwnerIsTechnicalAdmin: owner > 0, AreaExists: area > 0, ContactExists: contact > 0}, nil
}

// checkRegisterRefs checks the references inside the writing transaction.
func (t *tx) checkRegisterRefs(ctx context.Context, in *beheer.RegisterInput) error {
	refs, err := registerRefs(ctx, t, in)
	if err != nil {
		return err
	}
	return in.ValidateWithRefs(dayOf(t.now), refs)
}

// validateRegister checks an entry before the write and, when it has
// mistakes, its references too, so that one answer names every invalid
// field.
func (s *Store) validateRegister(ctx context.Context, in *beheer.RegisterInput) error {
	today := s.Today()
	if in.Validate(today) == nil {
		return nil
	}
	var refs beheer.RegisterRefs
	if err := s.read(ctx, func(q querier) (err error) {
		refs, err = registerRefs(ctx, q, in)
		return err
	}); err != nil {
		return err
	}
	return in.ValidateWithRefs(today, refs)
}

// CreateRegisterEntry adds an entry to the register.
func (s *Store) CreateRegisterEntry(ctx context.Context, actor *beheer.Actor, in beheer.RegisterInput) (*beheer.RegisterEntry, error) {
	if !beheer.CanKeepRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterKeep)
	}
	if err := s.validateRegister(ctx, &in); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.checkRegisterRefs(ctx, &in); err != nil {
			return err
		}
		next := optDay(beheer.NextReviewOn(in.Status, in.ReviewMonths, in.LastReviewedOn, dayOf(t.now)))
		if err := t.QueryRowContext(ctx, `INSERT INTO register_entries (kind, name, status, owner_id, area_id, description,
			direction, other_system, technique, maintainer_contact_id, maintainer, protocol, issuer_url, client_ids, host, port,
			tls_mode, sender, dns_notes, review_months, last_reviewed_on, next_review_on, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24)
			RETURNING id`,
			in.Kind, in.Name, in.Status, in.OwnerID, nullID(in.AreaID), in.Description, in.Direction, in.OtherSystem,
			in.Technique, nullID(in.MaintainerContactID), in.Maintainer, in.Protocol, in.IssuerURL, in.ClientIDs, in.Host,
			in.Port, in.TLSMode, in.Sender, in.DNSNotes, in.ReviewMonths, optDay(in.LastReviewedOn), next,
			nullID(actor.UserID), ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "register.created", registerField(id, ""), "", string(in.Kind)+" "+in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.RegisterEntry(ctx, actor, id)
}

// registerField names an entry (and one of its fields) in the audit trail:
// "register:12" or "register:12/status".
func registerField(id int64, field string) string {
	if field == "" {
		return "register:" + itoa(id)
	}
	return "register:" + itoa(id) + "/" + field
}

// registerAuditValues are an entry's fields as the audit trail records
// them.
func registerAuditValues(in beheer.RegisterInput) [][2]string {
	return [][2]string{
		{"kind", string(in.Kind)}, {"name", in.Name}, {"status", string(in.Status)}, {"owner", itoa(in.OwnerID)},
		{"area", itoa(in.AreaID)}, {"description", in.Description}, {"direction", string(in.Direction)},
		{"other_system", in.OtherSystem}, {"technique", in.Technique}, {"maintainer_contact", itoa(in.MaintainerContactID)},
		{"maintainer", in.Maintainer}, {"protocol", string(in.Protocol)}, {"issuer_url", in.IssuerURL},
		{"client_ids", in.ClientIDs}, {"host", in.Host}, {"port", strconv.Itoa(in.Port)}, {"tls_mode", string(in.TLSMode)},
		{"sender", in.Sender}, {"dns_notes", in.DNSNotes}, {"review_months", strconv.Itoa(in.ReviewMonths)},
		{"last_reviewed_on", optDay(in.LastReviewedOn)},
	}
}

// UpdateRegisterEntry changes an entry; version is the one the change was
// based on (0: any). A stale version is refused and nothing changes. Every
// changed field gets its own audit row.
func (s *Store) UpdateRegisterEntry(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.RegisterInput) (*beheer.RegisterEntry, error) {
	if !beheer.CanKeepRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterKeep)
	}
	if err := s.validateRegister(ctx, &in); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		cur, err := t.lockRegisterEntry(ctx, id)
		if err != nil {
			return err
		}
		if err := cur.CheckVersion(version); err != nil {
			return err
		}
		if err := t.checkRegisterRefs(ctx, &in); err != nil {
			return err
		}
		before := cur.Input()
		before.Normalise()
		next := optDay(beheer.NextReviewOn(in.Status, in.ReviewMonths, in.LastReviewedOn, dayOf(cur.CreatedAt)))
		if _, err := t.ExecContext(ctx, `UPDATE register_entries SET kind = $1, name = $2, status = $3, owner_id = $4,
			area_id = $5, description = $6, direction = $7, other_system = $8, technique = $9, maintainer_contact_id = $10,
			maintainer = $11, protocol = $12, issuer_url = $13, client_ids = $14, host = $15, port = $16, tls_mode = $17,
			sender = $18, dns_notes = $19, review_months = $20, last_reviewed_on = $21, next_review_on = $22,
			updated_at = $23, version = version + 1 WHERE id = $24`,
			in.Kind, in.Name, in.Status, in.OwnerID, nullID(in.AreaID), in.Description, in.Direction, in.OtherSystem,
			in.Technique, nullID(in.MaintainerContactID), in.Maintainer, in.Protocol, in.IssuerURL, in.ClientIDs, in.Host,
			in.Port, in.TLSMode, in.Sender, in.DNSNotes, in.ReviewMonths, optDay(in.LastReviewedOn), next, ms(t.now), id); err != nil {
			return err
		}
		old, now := registerAuditValues(before), registerAuditValues(in)
		for i := range now {
			if old[i][1] != now[i][1] {
				if err := t.audit(ctx, actor, 0, "register.updated", registerField(id, now[i][0]), old[i][1], now[i][1], false); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.RegisterEntry(ctx, actor, id)
}

func (t *tx) lockRegisterEntry(ctx context.Context, id int64) (*beheer.RegisterEntry, error) {
	e, err := scanRegisterEntry(t.QueryRowContext(ctx, `SELECT `+registerColumns+registerFrom+` WHERE e.id = $1`+t.s.dialect.lock("e"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return e, err
}

// RecordRegisterReview records a review of an entry: the last review
// becomes that day, the next one moves a review interval on, and the open
// review task the sweep raised, if any, is completed with the note — all in
// one transaction. version is the one the review was based on (0: any).
func (s *Store) RecordRegisterReview(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.RegisterReviewInput) (*beheer.RegisterEntry, error) {
	if !beheer.CanKeepRegister(actor) {
		return nil, beheer.Refusal(beheer.PermRegisterKeep)
	}
	if err := in.Validate(s.Today()); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		cur, err := t.lockRegisterEntry(ctx, id)
		if err != nil {
			return err
		}
		if err := cur.CheckReview(version); err != nil {
			return err
		}
		last, nextOn := cur.Reviewed(in.ReviewedOn)
		next := optDay(nextOn)
		if _, err := t.ExecContext(ctx, `INSERT INTO register_reviews (entry_id, reviewed_on, note, reviewed_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, beheer.FormatDay(in.ReviewedOn), in.Note, nullID(actor.UserID), ms(t.now)); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE register_entries SET last_reviewed_on = $1, next_review_on = $2, updated_at = $3,
			version = version + 1 WHERE id = $4`, beheer.FormatDay(last), next, ms(t.now), id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "register.reviewed", registerField(id, "last_reviewed_on"), optDay(cur.LastReviewedOn),
			beheer.FormatDay(last), false); err != nil {
			return err
		}
		return t.completeReviewTasks(ctx, actor, id, in.Note)
	})
	if err != nil {
		return nil, err
	}
	return s.RegisterEntry(ctx, actor, id)
}

// completeReviewTasks finishes the open review tasks of an entry with the
// review's note; a request left without open tasks waits on its assignee
// again, as when a task is completed from the request.
func (t *tx) completeReviewTasks(ctx context.Context, actor *beheer.Actor, entryID int64, note string) error {
	rows, err := t.QueryContext(ctx, `SELECT k.id, k.request_id, k.title FROM register_review_tasks x
		JOIN tasks k ON k.id = x.task_id WHERE x.entry_id = $1 AND k.status = 'open' ORDER BY k.id`, entryID)
	if err != nil {
		return err
	}
	type open struct {
		id, request int64
		title       string
	}
	var tasks []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.request, &o.title); err != nil {
			rows.Close()
			return err
		}
		tasks = append(tasks, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range tasks {
		r, err := t.s.loadRequest(ctx, t, k.request, true)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE tasks SET status = $1, outcome = $2, done_by = $3, done_at = $4 WHERE id = $5`,
			beheer.TaskDone, note, nullID(actor.UserID), ms(t.now), k.id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, r.ID, "task.completed", "task", k.title, note, false); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, EventTaskCompleted, r.ID, false, map[string]string{"task": itoa(k.id)}); err != nil {
			return err
		}
		var left int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE request_id = $1 AND status = 'open'`, r.ID).Scan(&left); err != nil {
			return err
		}
		if left == 0 && r.Status == beheer.StatusAwaitingTechnical {
			r.Status = beheer.StatusAwaitingAssignee
			if err := t.bump(ctx, actor, r); err != nil {
				return err
			}
		}
	}
	return nil
}
