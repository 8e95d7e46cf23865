package store

import (
	"context"
	"database/sql"
	"errors"

	"beheer"
)

// This file holds the store side of incoming e-mail: what a received
// message becomes. Package mailin parses the message; ReceiveMail decides
// and writes, in one transaction with the mail_in row that marks the
// message as handled.

// ReceiveMail handles one received message, once: a message whose
// Message-ID was seen before changes nothing and answers the earlier
// outcome. The mail_in row, the comment or request, its attachments, audit
// rows and events are written in one transaction; two deliveries of the
// same message at the same moment wait for each other on the unique
// message id, and the second finds the first's row.
//
// A reply (by In-Reply-To/References to Beheer's own mail or to a message
// that filed a request, or by the request number in the subject) becomes a
// comment by its sender under the ordinary rules, so a requester writes
// public comments only; a reply to a notification about an internal note,
// or with "[intern]" in the subject, becomes an internal note. A message
// to the intake address that answers nothing becomes a new request. A
// sender who is no active user is refused and audited; nobody is mailed
// back, so that refusals cannot start a loop or be used to send spam.
func (s *Store) ReceiveMail(ctx context.Context, in beheer.InboundMail) (*beheer.MailResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var res *beheer.MailResult
	err := s.write(ctx, func(t *tx) error {
		res = &beheer.MailResult{}
		var rowID int64
		err := t.QueryRowContext(ctx, `INSERT INTO mail_in (message_id, sender, subject, received_at, outcome)
			VALUES ($1, $2, $3, $4, 'pending') ON CONFLICT (message_id) DO NOTHING RETURNING id`,
			in.MessageID, beheer.ClipText(in.From, beheer.MaxName), beheer.ClipText(in.Subject, beheer.MaxTitle), ms(t.now)).Scan(&rowID)
		if errors.Is(err, sql.ErrNoRows) {
			return t.earlierMail(ctx, in.MessageID, res)
		}
		if err != nil {
			return err
		}
		userID, err := t.handleMail(ctx, in, res)
		if err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `UPDATE mail_in SET outcome = $1, reason = $2, user_id = $3, request_id = $4,
			comment_id = $5 WHERE id = $6`, res.Outcome, res.Reason, nullID(userID), nullID(res.RequestID),
			nullID(res.CommentID), rowID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// earlierMail fills res with the outcome of a message handled before.
func (t *tx) earlierMail(ctx context.Context, messageID string, res *beheer.MailResult) error {
	res.Duplicate = true
	return t.QueryRowContext(ctx, `SELECT m.outcome, m.reason, COALESCE(m.request_id, 0), COALESCE(r.number, ''),
		COALESCE(m.comment_id, 0) FROM mail_in m LEFT JOIN requests r ON r.id = m.request_id WHERE m.message_id = $1`,
		messageID).Scan(&res.Outcome, &res.Reason, &res.RequestID, &res.Number, &res.CommentID)
}

// handleMail decides what the message becomes and writes it; it returns
// the sender's user id when the sender is known.
func (t *tx) handleMail(ctx context.Context, in beheer.InboundMail, res *beheer.MailResult) (int64, error) {
	if in.Auto != "" {
		res.Outcome, res.Reason = beheer.MailIgnoredAuto, in.Auto
		return 0, nil
	}
	actor, err := t.mailSender(ctx, in.From)
	if err != nil {
		return 0, err
	}
	if actor == nil {
		res.Outcome, res.Reason = beheer.MailRefusedUnknown, "mailin.unknown_sender"
		return 0, t.audit(ctx, &beheer.Actor{}, 0, "mail.refused", "sender", "", in.From, false)
	}
	requestID, internal, err := t.mailTarget(ctx, in)
	if err != nil {
		return 0, err
	}
	switch {
	case requestID != 0:
		err = t.mailComment(ctx, actor, requestID, internal, in, res)
	case in.ToIntake:
		err = t.mailRequest(ctx, actor, in, res)
	default:
		res.Outcome, res.Reason = beheer.MailRefusedUnmatched, "mailin.unmatched"
	}
	if err != nil {
		return 0, err
	}
	if !res.Accepted() {
		if err := t.audit(ctx, actor, 0, "mail.refused", "outcome", "", string(res.Outcome), false); err != nil {
			return 0, err
		}
	}
	return actor.UserID, nil
}

// mailSender finds the active person with the sender's address (case does
// not matter) with their roles, or nil.
func (t *tx) mailSender(ctx context.Context, email string) (*beheer.Actor, error) {
	if email == "" {
		return nil, nil
	}
	a := &beheer.Actor{Email: email}
	err := t.QueryRowContext(ctx, `SELECT id, name FROM users WHERE LOWER(email) = $1 AND active ORDER BY id LIMIT 1`,
		email).Scan(&a.UserID, &a.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.Roles, err = loadRoles(ctx, t, a.UserID)
	return a, err
}

// mailTarget finds the request a message answers: by the mail it replies
// to (Beheer's notification, or the message that filed the request), then
// by a request number in the subject. internal is set when the answered
// notification was about an internal note or the subject asks for one.
func (t *tx) mailTarget(ctx context.Context, in beheer.InboundMail) (id int64, internal bool, err error) {
	internal = in.AsksInternal()
	for _, ref := range in.References {
		if row, created, ok := beheer.ParseOutboxMessageID(ref); ok {
			var rid sql.NullInt64
			var hidden sql.NullBool
			err := t.QueryRowContext(ctx, `SELECT e.request_id, e.internal FROM mail_outbox o
				LEFT JOIN events e ON e.id = o.event_id WHERE o.id = $1 AND o.created_at = $2`, row, created).Scan(&rid, &hidden)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return 0, false, err
			}
			if rid.Valid && rid.Int64 != 0 {
				return rid.Int64, internal || hidden.Bool, nil
			}
			continue
		}
		var rid int64
		err := t.QueryRowContext(ctx, `SELECT COALESCE(request_id, 0) FROM mail_in WHERE message_id = $1`, ref).Scan(&rid)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
		if rid != 0 {
			return rid, internal, nil
		}
	}
	if number := in.RequestNumber(); number != "" {
		err := t.QueryRowContext(ctx, `SELECT id FROM requests WHERE number = $1`, number).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
	}
	return id, internal, nil
}

// mailComment adds the reply as a comment, and its files, as the sender.
func (t *tx) mailComment(ctx context.Context, actor *beheer.Actor, requestID int64, internal bool, in beheer.InboundMail, res *beheer.MailResult) error {
	res.RequestID = requestID
	if err := t.QueryRowContext(ctx, `SELECT number FROM requests WHERE id = $1`, requestID).Scan(&res.Number); err != nil {
		return err
	}
	body := in.CommentBody()
	if body == "" && len(in.Files) == 0 {
		res.Outcome, res.Reason = beheer.MailRefusedEmpty, "mailin.empty"
		return nil
	}
	if body != "" {
		n := beheer.NewComment{Body: body, Internal: internal}
		if err := n.Validate(); err != nil {
			return refuse(res, beheer.MailRefusedInvalid, err)
		}
		c, err := t.comment(ctx, actor, requestID, n)
		if err != nil {
			return refuse(res, beheer.MailRefusedForbidden, err)
		}
		res.Outcome, res.CommentID = beheer.MailComment, c.ID
	} else {
		// Files alone: allowed where attaching is; a refusal of the first
		// says it for all.
		if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
			return refuse(res, beheer.MailRefusedForbidden, err)
		}
		res.Outcome = beheer.MailAttachment
	}
	if err := t.mailFiles(ctx, actor, requestID, in.Files, res); err != nil {
		return err
	}
	res.CheckFiles(len(in.Files))
	return nil
}

// mailRequest files the message as a new request.
func (t *tx) mailRequest(ctx context.Context, actor *beheer.Actor, in beheer.InboundMail, res *beheer.MailResult) error {
	n, ok := in.NewRequest()
	if !ok {
		res.Outcome, res.Reason = beheer.MailRefusedEmpty, "mailin.empty"
		return nil
	}
	if err := n.Validate(); err != nil {
		return refuse(res, beheer.MailRefusedInvalid, err)
	}
	id, number, err := t.createRequest(ctx, actor, n)
	if err != nil {
		return refuse(res, beheer.MailRefusedForbidden, err)
	}
	res.Outcome, res.RequestID, res.Number = beheer.MailRequest, id, number
	return t.mailFiles(ctx, actor, id, in.Files, res)
}

// mailFiles stores the attachments through the ordinary path (size limit,
// name cleaning, content sniffing, rules); a refused file is skipped and
// listed, the rest of the message still counts.
func (t *tx) mailFiles(ctx context.Context, actor *beheer.Actor, requestID int64, files []beheer.InboundFile, res *beheer.MailResult) error {
	for _, f := range files {
		if _, err := t.attach(ctx, actor, requestID, "file", f.Name, f.Data); err != nil {
			var be *beheer.Error
			if !errors.As(err, &be) {
				return err
			}
			res.Skip(f.Name, be)
		}
	}
	return nil
}

// refuse turns a rule's refusal into the outcome; any other error (the
// database's) is returned, to roll the transaction back.
func refuse(res *beheer.MailResult, outcome beheer.MailOutcome, err error) error {
	var be *beheer.Error
	if !errors.As(err, &be) {
		return err
	}
	res.Refuse(outcome, be)
	return nil
}

// MailLog lists received messages, newest first, keyset-paginated on
// (received_at, id). Only who may post mail may read the log — a technical
// admin or a functional admin of every area — since it names senders and
// requests of every area.
func (s *Store) MailLog(ctx context.Context, actor *beheer.Actor, f beheer.MailLogFilter) (*beheer.MailLogPage, error) {
	if !beheer.CanManageIntegrations(actor) {
		return nil, beheer.Refusal(beheer.PermIntegrationManage)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var q query
	if f.Outcome != "" {
		q.where = append(q.where, "m.outcome = "+q.arg(f.Outcome))
	}
	if f.Limit < 0 || f.Limit > MaxLimit {
		return nil, beheer.Invalid("limit", "field.range", "min", 1, "max", MaxLimit)
	}
	limit := kbLimit(f.Limit)
	if f.Cursor != "" {
		c, ok := decodeCursor(f.Cursor, "mail", 2)
		if !ok {
			return nil, beheer.Invalid("cursor", "field.invalid")
		}
		at, id := q.arg(c.Keys[0]), q.arg(c.Keys[1])
		q.where = append(q.where, "(m.received_at < "+at+" OR (m.received_at = "+at+" AND m.id < "+id+"))")
	}
	sqlText := `SELECT m.id, m.message_id, m.sender, m.subject, m.received_at, m.outcome, m.reason,
		COALESCE(m.user_id, 0), COALESCE(u.name, ''), COALESCE(m.request_id, 0), COALESCE(r.number, ''),
		COALESCE(m.comment_id, 0)
		FROM mail_in m LEFT JOIN users u ON u.id = m.user_id LEFT JOIN requests r ON r.id = m.request_id` +
		kbWhere(q.where) + ` ORDER BY m.received_at DESC, m.id DESC LIMIT ` + q.arg(limit+1)
	out := &beheer.MailLogPage{Items: []beheer.MailLogEntry{}}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, sqlText, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e beheer.MailLogEntry
			var at sql.NullInt64
			if err := rows.Scan(&e.ID, &e.MessageID, &e.Sender, &e.Subject, &at, &e.Outcome, &e.Reason,
				&e.UserID, &e.UserName, &e.RequestID, &e.Number, &e.CommentID); err != nil {
				return err
			}
			e.ReceivedAt = fromMS(at)
			out.Items = append(out.Items, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.NextCursor = encodeCursor(cursor{Sort: "mail", Keys: []int64{ms(last.ReceivedAt), last.ID}})
	}
	return out, nil
}

// personMailWhere selects a person's messages: those linked to them, and
// those sent from their address (case does not matter) while they were no
// active user.
const personMailWhere = ` WHERE m.user_id = $1 OR (m.sender <> '' AND LOWER(m.sender) = LOWER($2))`

// personMail lists the messages a person sent, oldest first.
func personMail(ctx context.Context, q querier, userID int64, email string) ([]beheer.PersonMail, error) {
	out := []beheer.PersonMail{}
	rows, err := q.QueryContext(ctx, `SELECT m.message_id, m.received_at, m.subject, m.outcome, COALESCE(r.number, '')
		FROM mail_in m LEFT JOIN requests r ON r.id = m.request_id`+personMailWhere+` ORDER BY m.received_at, m.id`, userID, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p beheer.PersonMail
		var at sql.NullInt64
		if err := rows.Scan(&p.MessageID, &at, &p.Subject, &p.Outcome, &p.Number); err != nil {
			return nil, err
		}
		p.ReceivedAt = fromMS(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// anonymiseMail blanks the sender address of a person's messages, and the
// address in the audit of refused ones. Subjects stay, as comment bodies
// do: they are what was written, not who wrote it.
func (t *tx) anonymiseMail(ctx context.Context, userID int64, email string) error {
	if _, err := t.ExecContext(ctx, `UPDATE mail_in AS m SET sender = ''`+personMailWhere, userID, email); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, `UPDATE audit SET after_value = '' WHERE action = 'mail.refused' AND field = 'sender'
		AND after_value <> '' AND LOWER(after_value) = LOWER($1)`, email)
	return err
}
