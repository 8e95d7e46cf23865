package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"beheer"
)

// This file holds the store side of incoming e-mail: what a received
// message becomes. Package mailin parses the message; ReceiveMail decides
// and writes, in one transaction with the mail_in row that marks the
// message as handled.

// Outcomes of an incoming message.
const (
	MailComment          = "comment"           // a comment on the request it answers
	MailAttachment       = "attachment"        // an answer with files and no text: the files only
	MailRequest          = "request"           // a new request
	MailIgnoredAuto      = "ignored_auto"      // an auto-reply, bounce or bulk mail: nothing happens
	MailRefusedUnknown   = "refused_unknown"   // the sender is no active user
	MailRefusedForbidden = "refused_forbidden" // the sender may not do what the message would do
	MailRefusedUnmatched = "refused_unmatched" // no answer to Beheer's mail and not sent to the intake address
	MailRefusedEmpty     = "refused_empty"     // neither text nor files
	MailRefusedInvalid   = "refused_invalid"   // the text breaks a rule (for example control characters)
)

// InboundMail is a received message as the store needs it.
type InboundMail struct {
	MessageID string
	From      string // the sender's address
	Subject   string
	// Text is the whole text (for a new request); Reply the part above the
	// quoted message (for a comment).
	Text  string
	Reply string
	// References are the message ids the message answers, In-Reply-To
	// first.
	References []string
	// ToIntake is set when the message was sent to the intake address.
	ToIntake bool
	// Auto is why the message was sent by a machine; such a message changes
	// nothing.
	Auto  string
	Files []InboundFile
}

// InboundFile is an attachment of a received message.
type InboundFile struct {
	Name string
	Data []byte
}

// MailResult says what became of a received message.
type MailResult struct {
	Outcome   string `json:"outcome"`
	RequestID int64  `json:"request_id,omitempty"`
	Number    string `json:"number,omitempty"`
	CommentID int64  `json:"comment_id,omitempty"`
	// Reason is the catalogue key (or the loop reason) behind a refusal.
	Reason string `json:"reason,omitempty"`
	// Duplicate is set when the message had been handled before; the
	// outcome is the one it had then.
	Duplicate bool `json:"duplicate,omitempty"`
	// Skipped lists the attachments that were not stored, with why.
	Skipped []SkippedFile `json:"skipped,omitempty"`
}

// SkippedFile is an attachment that was refused.
type SkippedFile struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Accepted reports whether the message became a comment, files or a
// request.
func (r *MailResult) Accepted() bool {
	return r.Outcome == MailComment || r.Outcome == MailAttachment || r.Outcome == MailRequest
}

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
func (s *Store) ReceiveMail(ctx context.Context, in InboundMail) (*MailResult, error) {
	in.MessageID = strings.TrimSpace(in.MessageID)
	if in.MessageID == "" || len(in.MessageID) > 500 {
		return nil, beheer.Errorf(beheer.CodeInvalid, "mailin.malformed")
	}
	in.From = strings.ToLower(strings.TrimSpace(in.From))
	var res *MailResult
	err := s.write(ctx, func(t *tx) error {
		res = &MailResult{}
		var rowID int64
		err := t.QueryRowContext(ctx, `INSERT INTO mail_in (message_id, sender, subject, received_at, outcome)
			VALUES ($1, $2, $3, $4, 'pending') ON CONFLICT (message_id) DO NOTHING RETURNING id`,
			in.MessageID, clipRunes(in.From, beheer.MaxName), clipRunes(in.Subject, beheer.MaxTitle), ms(t.now)).Scan(&rowID)
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
func (t *tx) earlierMail(ctx context.Context, messageID string, res *MailResult) error {
	res.Duplicate = true
	return t.QueryRowContext(ctx, `SELECT m.outcome, m.reason, COALESCE(m.request_id, 0), COALESCE(r.number, ''),
		COALESCE(m.comment_id, 0) FROM mail_in m LEFT JOIN requests r ON r.id = m.request_id WHERE m.message_id = $1`,
		messageID).Scan(&res.Outcome, &res.Reason, &res.RequestID, &res.Number, &res.CommentID)
}

// handleMail decides what the message becomes and writes it; it returns
// the sender's user id when the sender is known.
func (t *tx) handleMail(ctx context.Context, in InboundMail, res *MailResult) (int64, error) {
	if in.Auto != "" {
		res.Outcome, res.Reason = MailIgnoredAuto, in.Auto
		return 0, nil
	}
	actor, err := t.mailSender(ctx, in.From)
	if err != nil {
		return 0, err
	}
	if actor == nil {
		res.Outcome, res.Reason = MailRefusedUnknown, "mailin.unknown_sender"
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
		res.Outcome, res.Reason = MailRefusedUnmatched, "mailin.unmatched"
	}
	if err != nil {
		return 0, err
	}
	if !res.Accepted() {
		if err := t.audit(ctx, actor, 0, "mail.refused", "outcome", "", res.Outcome, false); err != nil {
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

// outboxMessageID matches the Message-ID of Beheer's own mail (see
// notify.MessageID): beheer.outbox.<row id>.<created, Unix ms>@domain.
var outboxMessageID = regexp.MustCompile(`^beheer\.outbox\.(\d{1,18})\.(\d{1,18})@`)

// ParseOutboxMessageID reads the outbox row id and its creation time (Unix
// milliseconds) from the Message-ID of a mail Beheer sent.
func ParseOutboxMessageID(id string) (row, createdMS int64, ok bool) {
	m := outboxMessageID.FindStringSubmatch(strings.Trim(id, "<>"))
	if m == nil {
		return 0, 0, false
	}
	row, err1 := strconv.ParseInt(m[1], 10, 64)
	createdMS, err2 := strconv.ParseInt(m[2], 10, 64)
	return row, createdMS, err1 == nil && err2 == nil
}

// requestNumber finds a request number such as 2026-0042 in a subject.
var requestNumber = regexp.MustCompile(`(?:^|[^\d-])(\d{4}-\d{4,6})(?:$|[^\d-])`)

// internalMarker in a subject asks for an internal note.
var internalMarker = regexp.MustCompile(`(?i)\[(intern|internal)\]`)

// mailTarget finds the request a message answers: by the mail it replies
// to (Beheer's notification, or the message that filed the request), then
// by a request number in the subject. internal is set when the answered
// notification was about an internal note or the subject asks for one.
func (t *tx) mailTarget(ctx context.Context, in InboundMail) (id int64, internal bool, err error) {
	internal = internalMarker.MatchString(in.Subject)
	for _, ref := range in.References {
		if row, created, ok := ParseOutboxMessageID(ref); ok {
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
	if m := requestNumber.FindStringSubmatch(in.Subject); m != nil {
		err := t.QueryRowContext(ctx, `SELECT id FROM requests WHERE number = $1`, m[1]).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
	}
	return id, internal, nil
}

// mailComment adds the reply as a comment, and its files, as the sender.
func (t *tx) mailComment(ctx context.Context, actor *beheer.Actor, requestID int64, internal bool, in InboundMail, res *MailResult) error {
	res.RequestID = requestID
	if err := t.QueryRowContext(ctx, `SELECT number FROM requests WHERE id = $1`, requestID).Scan(&res.Number); err != nil {
		return err
	}
	body := clipRunes(strings.TrimSpace(in.Reply), beheer.MaxComment)
	if body == "" && len(in.Files) == 0 {
		res.Outcome, res.Reason = MailRefusedEmpty, "mailin.empty"
		return nil
	}
	if body != "" {
		n := beheer.NewComment{Body: body, Internal: internal}
		if err := n.Validate(); err != nil {
			return refuse(res, MailRefusedInvalid, err)
		}
		c, err := t.comment(ctx, actor, requestID, n)
		if err != nil {
			return refuse(res, MailRefusedForbidden, err)
		}
		res.Outcome, res.CommentID = MailComment, c.ID
	} else {
		// Files alone: allowed where attaching is; a refusal of the first
		// says it for all.
		if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
			return refuse(res, MailRefusedForbidden, err)
		}
		res.Outcome = MailAttachment
	}
	if err := t.mailFiles(ctx, actor, requestID, in.Files, res); err != nil {
		return err
	}
	if res.Outcome == MailAttachment && len(res.Skipped) == len(in.Files) {
		res.Outcome, res.Reason = MailRefusedForbidden, res.Skipped[0].Reason
	}
	return nil
}

// mailRequest files the message as a new request (a question; the
// functional admin classifies it at triage).
func (t *tx) mailRequest(ctx context.Context, actor *beheer.Actor, in InboundMail, res *MailResult) error {
	title := strings.TrimSpace(stripReplyPrefixes(in.Subject))
	text := strings.TrimSpace(in.Text)
	if title == "" {
		title, _, _ = strings.Cut(text, "\n")
	}
	title = clipRunes(strings.TrimSpace(title), beheer.MaxTitle)
	if title == "" && len(in.Files) == 0 {
		res.Outcome, res.Reason = MailRefusedEmpty, "mailin.empty"
		return nil
	}
	if title == "" {
		title = clipRunes(in.Files[0].Name, beheer.MaxTitle)
	}
	n := beheer.NewRequest{Type: beheer.TypeQuestion, Title: title, Description: clipRunes(text, beheer.MaxDescription)}
	if err := n.Validate(); err != nil {
		return refuse(res, MailRefusedInvalid, err)
	}
	id, number, err := t.createRequest(ctx, actor, n)
	if err != nil {
		return refuse(res, MailRefusedForbidden, err)
	}
	res.Outcome, res.RequestID, res.Number = MailRequest, id, number
	return t.mailFiles(ctx, actor, id, in.Files, res)
}

// mailFiles stores the attachments through the ordinary path (size limit,
// name cleaning, content sniffing, rules); a refused file is skipped and
// listed, the rest of the message still counts.
func (t *tx) mailFiles(ctx context.Context, actor *beheer.Actor, requestID int64, files []InboundFile, res *MailResult) error {
	for _, f := range files {
		if _, err := t.attach(ctx, actor, requestID, f.Name, f.Data); err != nil {
			var be *beheer.Error
			if !errors.As(err, &be) {
				return err
			}
			res.Skipped = append(res.Skipped, SkippedFile{Name: beheer.CleanFileName(f.Name), Reason: refusalKey(be)})
		}
	}
	return nil
}

// refuse turns a rule's refusal into the outcome; any other error (the
// database's) is returned, to roll the transaction back.
func refuse(res *MailResult, outcome string, err error) error {
	var be *beheer.Error
	if !errors.As(err, &be) {
		return err
	}
	res.Outcome, res.Reason = outcome, refusalKey(be)
	res.CommentID = 0
	if outcome != MailRefusedForbidden || be.Code != beheer.CodeNotFound {
		return nil
	}
	// Not found means "may not see it": do not tell which request it was.
	res.RequestID, res.Number = 0, ""
	return nil
}

// refusalKey is the most telling catalogue key of a refusal.
func refusalKey(be *beheer.Error) string {
	if len(be.Fields) > 0 {
		return be.Fields[0].Key
	}
	return be.Key
}

// replyPrefix matches the "Re:", "Antw:", "Fwd:" and "Doorst:" that mail
// clients put before a subject.
var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|aw|antw|antwoord|fw|fwd|tr|wg|doorst|doorgestuurd|sv|vs)(\[\d+\])?\s*:\s*)+`)

func stripReplyPrefixes(subject string) string {
	return replyPrefix.ReplaceAllString(subject, "")
}

// clipRunes cuts s to at most max characters.
func clipRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// MailOutcomes are the outcomes a message can have, in the order the log's
// filter offers them.
var MailOutcomes = []string{MailComment, MailAttachment, MailRequest, MailIgnoredAuto, MailRefusedUnknown,
	MailRefusedForbidden, MailRefusedUnmatched, MailRefusedEmpty, MailRefusedInvalid}

// MailLogEntry is one received message in the log of incoming mail.
type MailLogEntry struct {
	ID         int64     `json:"id"`
	MessageID  string    `json:"message_id"`
	Sender     string    `json:"sender"`
	Subject    string    `json:"subject"`
	ReceivedAt time.Time `json:"received_at"`
	Outcome    string    `json:"outcome"`
	Reason     string    `json:"reason,omitempty"`
	// UserID and UserName are the known sender's.
	UserID   int64  `json:"user_id,omitempty"`
	UserName string `json:"user_name,omitempty"`
	// RequestID and Number are the request the message became or answered.
	RequestID int64  `json:"request_id,omitempty"`
	Number    string `json:"number,omitempty"`
	CommentID int64  `json:"comment_id,omitempty"`
}

// MailLogFilter selects a page of the log.
type MailLogFilter struct {
	Outcome string // one of MailOutcomes; "" for all
	Limit   int    // 1..MaxLimit; 0 is DefaultLimit
	Cursor  string // from a previous MailLogPage
}

// MailLogPage is one page of the log with the cursor of the next.
type MailLogPage struct {
	Items      []MailLogEntry
	NextCursor string
}

// MailLog lists received messages, newest first, keyset-paginated on
// (received_at, id). Only who may post mail may read the log — a technical
// admin or a functional admin of every area — since it names senders and
// requests of every area.
func (s *Store) MailLog(ctx context.Context, actor *beheer.Actor, f MailLogFilter) (*MailLogPage, error) {
	if !beheer.CanManageIntegrations(actor) {
		return nil, beheer.Refusal(beheer.PermIntegrationManage)
	}
	var q query
	if f.Outcome != "" {
		if !slices.Contains(MailOutcomes, f.Outcome) {
			return nil, beheer.Invalid("outcome", "field.invalid_choice", "choices", strings.Join(MailOutcomes, ", "))
		}
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
	out := &MailLogPage{Items: []MailLogEntry{}}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, sqlText, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e MailLogEntry
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

// PersonMail is a message a person sent to Beheer, for their data export.
type PersonMail struct {
	MessageID  string    `json:"message_id"`
	ReceivedAt time.Time `json:"received_at"`
	Subject    string    `json:"subject"`
	Outcome    string    `json:"outcome"`
	Number     string    `json:"number,omitempty"`
}

// personMailWhere selects a person's messages: those linked to them, and
// those sent from their address (case does not matter) while they were no
// active user.
const personMailWhere = ` WHERE m.user_id = $1 OR (m.sender <> '' AND LOWER(m.sender) = LOWER($2))`

// personMail lists the messages a person sent, oldest first.
func personMail(ctx context.Context, q querier, userID int64, email string) ([]PersonMail, error) {
	out := []PersonMail{}
	rows, err := q.QueryContext(ctx, `SELECT m.message_id, m.received_at, m.subject, m.outcome, COALESCE(r.number, '')
		FROM mail_in m LEFT JOIN requests r ON r.id = m.request_id`+personMailWhere+` ORDER BY m.received_at, m.id`, userID, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p PersonMail
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
