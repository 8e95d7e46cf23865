package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"beheer"
)

// This file holds the store side of notifications: the event consumer that
// turns events into in-app notifications and e-mail in one transaction with
// its cursor, the e-mail outbox with leases, the daily digest, and each
// person's preferences. What to send to whom is decided in package notify.

// Notification kinds: what a person can choose per kind.
const (
	NotifyPhase    = "phase"          // your request moved to another phase
	NotifyQuestion = "question"       // you are asked something about your request
	NotifyOutcome  = "outcome"        // your request was decided, closed or rejected
	NotifyAssigned = "assigned"       // a request was assigned to you
	NotifyReply    = "reply"          // a reply on a request you handle
	NotifyDecision = "decision"       // a change request waits for your decision
	NotifyTask     = "task"           // a new technical task
	NotifySLA      = "sla"            // a service-level warning about your work
	NotifyFollow   = "follow"         // a public update on a request you follow
	NotifyMention  = "mention"        // a colleague mentioned you in a comment
	NotifyAlert    = "alert"          // a team alert about your area
	NotifyMonthly  = "monthly_report" // management's monthly report (not from an event)
)

// NotifyKinds lists the kinds in the order the settings page shows them.
var NotifyKinds = []string{NotifyPhase, NotifyQuestion, NotifyOutcome, NotifyAssigned, NotifyReply,
	NotifyDecision, NotifyTask, NotifySLA, NotifyFollow, NotifyMention, NotifyAlert, NotifyMonthly}

// E-mail modes per kind. No preference means immediate.
const (
	ModeImmediate = "immediate"
	ModeDigest    = "digest"
	ModeOff       = "off"
)

// NotifyModes lists the modes in display order.
var NotifyModes = []string{ModeImmediate, ModeDigest, ModeOff}

// ModesOf lists the modes a kind can have: the monthly report is itself a
// summary, so it is sent (immediate) or not, never in a digest.
func ModesOf(kind string) []string {
	if kind == NotifyMonthly {
		return []string{ModeImmediate, ModeOff}
	}
	return NotifyModes
}

// Person is a possible recipient, with their e-mail preferences.
type Person struct {
	ID    int64
	Name  string
	Email string
	Lang  string
	Prefs map[string]string // kind → mode; missing means immediate
}

// Mode returns the person's e-mail mode for a kind.
func (p *Person) Mode(kind string) string {
	if m, ok := p.Prefs[kind]; ok {
		return m
	}
	return ModeImmediate
}

// EventFacts is everything the recipient rules need about one event, read in
// the consuming transaction.
type EventFacts struct {
	Event   Event
	Request *beheer.Request // nil when the event concerns no request
	// KeyUsers are who decide a change request when the event puts it
	// before them (its panel's members still to vote and their deputies of
	// today), else the active key users of its area; TechAdmins the active
	// technical admins whose roles cover its area.
	KeyUsers   []int64
	TechAdmins []int64
	// Followers are the people who follow the request; People holds only
	// the active among them.
	Followers []int64
	// Admins, AreaFollowers and Alerts are the team of the request's area
	// — its active functional admins, the people who follow the area — and
	// which team alerts the area sends; read only for the events team
	// alerts are about (TeamEvents).
	Admins        []int64
	AreaFollowers []int64
	Alerts        beheer.AlertSettings
	// People holds every active person named above, the requester, the
	// assignee and the people named in the event's data.
	People map[int64]*Person
}

// TeamEvents are the events team alerts are about: for these the team of
// the request's area is read.
var TeamEvents = []string{EventRequestFiled, EventEscalationClosed, EventTaskOverdue}

// OutMail is one rendered e-mail.
type OutMail struct {
	To      string
	ToName  string
	Lang    string
	Subject string
	Text    string
	HTML    string
}

// Delivery is what one person gets for one event: always an in-app
// notification; Mail when it goes out now, Digest when it waits for the
// daily digest.
type Delivery struct {
	UserID int64
	Kind   string
	Mail   *OutMail
	Digest bool
	// DecisionToken is the token of the decision link in Mail, stored (as
	// its hash) with the notification so the link decides once.
	DecisionToken string
}

// Worker cursor names.
const (
	cursorNotify   = "notify"
	cursorWebhooks = "webhooks"
	cursorDigest   = "digest"
)

// consumeEvents runs fn on the next events after the named cursor, at most
// limit, and advances the cursor in the same transaction. The cursor row is
// locked first (PostgreSQL: SELECT … FOR UPDATE; SQLite: the single writer),
// so two processes never handle the same events. It returns how many events
// were handled.
func (s *Store) consumeEvents(ctx context.Context, name string, limit int, fn func(t *tx, evs []Event) error) (int, error) {
	high, err := s.dialect.eventWatermark(ctx, s, name)
	if err != nil {
		return 0, s.internal(err)
	}
	n := 0
	err = s.write(ctx, func(t *tx) error {
		var pos int64
		if err := t.QueryRowContext(ctx, `SELECT position FROM worker_cursors WHERE name = $1`+s.dialect.lock(""), name).Scan(&pos); err != nil {
			return err
		}
		evs, err := t.eventsAfter(ctx, pos, high, limit)
		if err != nil || len(evs) == 0 {
			return err
		}
		if err := fn(t, evs); err != nil {
			return err
		}
		n = len(evs)
		_, err = t.ExecContext(ctx, `UPDATE worker_cursors SET position = $1 WHERE name = $2`, evs[len(evs)-1].ID, name)
		return err
	})
	return n, err
}

func (t *tx) eventsAfter(ctx context.Context, after, upTo int64, limit int) ([]Event, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, kind, COALESCE(request_id, 0), COALESCE(actor_id, 0), at, internal, data
		FROM events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`, after, upTo, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var data string
		if err := rows.Scan(&e.ID, &e.Kind, &e.RequestID, &e.ActorID, &e.At, &e.Internal, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ProcessNotifications handles the next events for notifications: for each
// it gathers the facts, asks plan whom to tell and how, and writes the
// in-app notifications and the outbox rows together with advancing the
// cursor. An event is thus handled exactly once, also with several
// processes on one database. It returns how many events were handled.
//
// relevant, when set, says which kinds of event can notify anyone at all;
// the others are passed over without loading their facts (every filed
// request is an event, and filing notifies nobody).
func (s *Store) ProcessNotifications(ctx context.Context, limit int, relevant func(kind string) bool, plan func(EventFacts) ([]Delivery, error)) (int, error) {
	return s.consumeEvents(ctx, cursorNotify, limit, func(t *tx, evs []Event) error {
		memo := newBatchMemo()
		var ids []int64
		for _, e := range evs {
			if e.RequestID != 0 && (relevant == nil || relevant(e.Kind)) {
				ids = append(ids, e.RequestID)
			}
		}
		if err := t.requestsIn(ctx, memo, ids); err != nil {
			return err
		}
		if err := t.followersIn(ctx, memo, ids); err != nil {
			return err
		}
		for _, e := range evs {
			if relevant != nil && !relevant(e.Kind) {
				continue
			}
			f, err := t.eventFacts(ctx, e, memo)
			if err != nil {
				return err
			}
			ds, err := plan(f)
			if err != nil {
				return err
			}
			if err := t.writeDeliveries(ctx, e, ds); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t *tx) eventFacts(ctx context.Context, e Event, memo *batchMemo) (EventFacts, error) {
	f := EventFacts{Event: e, People: map[int64]*Person{}}
	ids := []int64{}
	if e.RequestID != 0 {
		r, err := t.requestIn(ctx, memo, e.RequestID)
		if err != nil {
			return f, err
		}
		f.Request = r
		ids = append(ids, r.RequesterID, r.AssigneeID)
		if f.KeyUsers, err = t.decidersIn(ctx, memo, e, r); err != nil {
			return f, err
		}
		if f.TechAdmins, err = t.roleHoldersIn(ctx, memo, beheer.RoleTechnicalAdmin, r.AreaID); err != nil {
			return f, err
		}
		ids = append(ids, f.KeyUsers...)
		ids = append(ids, f.TechAdmins...)
		f.Followers = memo.followers[r.ID]
		ids = append(ids, f.Followers...)
		if slices.Contains(TeamEvents, e.Kind) {
			if err := t.teamIn(ctx, memo, r.AreaID, &f); err != nil {
				return f, err
			}
			ids = append(ids, f.Admins...)
			ids = append(ids, f.AreaFollowers...)
		}
	}
	for _, key := range []string{"assignee", "user", "users"} {
		for _, v := range strings.Split(e.Data[key], ",") {
			if id := atoi(strings.TrimSpace(v)); id > 0 {
				ids = append(ids, id)
			}
		}
	}
	people, err := t.peopleIn(ctx, memo, ids)
	if err != nil {
		return f, err
	}
	f.People = people
	return f, nil
}

// batchMemo holds, for one batch of events, their requests (read in one
// query), who holds a role for an area and who the people are: the events
// of a batch share a handful of areas and people, and on PostgreSQL each
// lookup is a round trip. BenchmarkNotifyBatch (100 events): PostgreSQL 138
// → 82 ms a batch, SQLite 38 → 27 ms.
type batchMemo struct {
	requests  map[int64]*beheer.Request
	holders   map[roleArea][]int64
	people    map[int64]*Person // nil: not an active person
	followers map[int64][]int64 // per request, read in one query
	areas     map[int64]*areaTeam
}

// areaTeam is the part of an area's team that only team alerts need.
type areaTeam struct {
	followers []int64
	alerts    beheer.AlertSettings
}

type roleArea struct {
	role beheer.Role
	area int64
}

func newBatchMemo() *batchMemo {
	return &batchMemo{requests: map[int64]*beheer.Request{}, holders: map[roleArea][]int64{}, people: map[int64]*Person{},
		followers: map[int64][]int64{}, areas: map[int64]*areaTeam{}}
}

// requestsIn loads the requests of a batch's events in one query.
func (t *tx) requestsIn(ctx context.Context, m *batchMemo, ids []int64) error {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil
	}
	in, args := inList(ids, 0)
	rows, err := t.QueryContext(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return err
		}
		m.requests[r.ID] = r
	}
	return rows.Err()
}

// followersIn loads the followers of a batch's requests in one query; a
// request no event of the batch names is not asked for.
func (t *tx) followersIn(ctx context.Context, m *batchMemo, ids []int64) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) == 0 {
		return nil
	}
	in, args := inList(ids, 0)
	// Inactive followers are left out with the people (peopleIn), which
	// reads them anyway; the primary key answers this query alone.
	rows, err := t.QueryContext(ctx, `SELECT request_id, user_id FROM request_followers
		WHERE request_id IN (`+in+`) ORDER BY request_id, user_id`, args...)
	if err != nil {
		return err
	}
	return scanAll(rows, func() error {
		var req, user int64
		err := rows.Scan(&req, &user)
		m.followers[req] = append(m.followers[req], user)
		return err
	})
}

// teamIn fills the team of an area into f, read once per batch.
func (t *tx) teamIn(ctx context.Context, m *batchMemo, area int64, f *EventFacts) error {
	var err error
	if f.Admins, err = t.roleHoldersIn(ctx, m, beheer.RoleFunctionalAdmin, area); err != nil {
		return err
	}
	team := m.areas[area]
	if team == nil {
		team = &areaTeam{alerts: beheer.AlertSettings{}}
		rows, err := t.QueryContext(ctx, `SELECT f.user_id FROM area_followers f JOIN users u ON u.id = f.user_id
			WHERE u.active AND f.area_id = $1 ORDER BY f.user_id`, area)
		if err != nil {
			return err
		}
		if team.followers, err = scanColumn[int64](rows); err != nil {
			return err
		}
		if err := readAlerts(ctx, t, area, team.alerts); err != nil {
			return err
		}
		m.areas[area] = team
	}
	f.AreaFollowers, f.Alerts = team.followers, team.alerts
	return nil
}

// requestIn returns a copy of a request of the batch, loading it if need be.
func (t *tx) requestIn(ctx context.Context, m *batchMemo, id int64) (*beheer.Request, error) {
	r := m.requests[id]
	if r == nil {
		var err error
		if r, err = t.s.loadRequest(ctx, t, id, false); err != nil {
			return nil, err
		}
		m.requests[id] = r
	}
	c := *r
	return &c, nil
}

// roleHoldersIn is roleHolders, looked up once per batch.
func (t *tx) roleHoldersIn(ctx context.Context, m *batchMemo, role beheer.Role, area int64) ([]int64, error) {
	k := roleArea{role, area}
	if ids, ok := m.holders[k]; ok {
		return ids, nil
	}
	ids, err := t.roleHolders(ctx, role, area)
	if err != nil {
		return nil, err
	}
	m.holders[k] = slices.Clip(ids)
	return m.holders[k], nil
}

// peopleIn is people, each person looked up once per batch.
func (t *tx) peopleIn(ctx context.Context, m *batchMemo, ids []int64) (map[int64]*Person, error) {
	var missing []int64
	for _, id := range ids {
		if _, ok := m.people[id]; !ok && id > 0 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		found, err := t.people(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			m.people[id] = found[id]
		}
	}
	out := map[int64]*Person{}
	for _, id := range ids {
		if p := m.people[id]; p != nil {
			out[id] = p
		}
	}
	return out, nil
}

// roleHolders lists the active people holding role for area (or for all).
func (t *tx) roleHolders(ctx context.Context, role beheer.Role, area int64) ([]int64, error) {
	return queryIDs(ctx, t, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active AND ur.role = $1 AND (ur.area_id = 0 OR ur.area_id = $2) ORDER BY u.id`, role, area)
}

// queryIDs runs a query of one id column and returns the ids.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// people loads the active people among ids, with their preferences.
func (t *tx) people(ctx context.Context, ids []int64) (map[int64]*Person, error) {
	out := map[int64]*Person{}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := t.QueryContext(ctx, `SELECT id, name, email, lang FROM users WHERE active AND id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		p := &Person{Prefs: map[string]string{}}
		if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.Lang); err != nil {
			rows.Close()
			return nil, err
		}
		out[p.ID] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prefs, err := t.QueryContext(ctx, `SELECT user_id, kind, mode FROM notify_prefs WHERE user_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer prefs.Close()
	for prefs.Next() {
		var id int64
		var kind, mode string
		if err := prefs.Scan(&id, &kind, &mode); err != nil {
			return nil, err
		}
		if p := out[id]; p != nil {
			p.Prefs[kind] = mode
		}
	}
	return out, prefs.Err()
}

// inList builds "$k+1, $k+2, …" for ids, with the arguments.
func inList(ids []int64, k int) (string, []any) {
	parts := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		parts[i] = "$" + itoa(int64(k+i+1))
		args[i] = id
	}
	return strings.Join(parts, ", "), args
}

func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > math.MaxInt64/10-10 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func (t *tx) writeDeliveries(ctx context.Context, e Event, ds []Delivery) error {
	stored := map[string]string{}
	for k, v := range e.Data {
		stored[k] = v
	}
	if e.Internal {
		stored["internal"] = "true"
	}
	data, err := json.Marshal(stored)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if dup, err := t.coalesced(ctx, e, d.UserID); err != nil || dup {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO notifications (user_id, event_id, request_id, kind, event_kind,
			actor_id, data, created_at, digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
			d.UserID, e.ID, nullID(e.RequestID), d.Kind, e.Kind, nullID(e.ActorID), string(data), e.At, d.Digest); err != nil {
			return err
		}
		if d.Mail != nil {
			if err := t.enqueueMail(ctx, d.UserID, e.ID, d.Mail); err != nil {
				return err
			}
			if d.DecisionToken != "" && e.RequestID != 0 {
				if err := t.saveDecisionLink(ctx, d.DecisionToken, e.RequestID, d.UserID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// coalesceWindow joins the events of one action: asking a question is a
// status change and a comment, a transition with a note a phase change and
// a comment, a decision a decision, a phase change and a comment. Within
// this window, by the same person on the same request, only the first
// event reaches each recipient.
const coalesceWindow = 5 * time.Second

func (t *tx) coalesced(ctx context.Context, e Event, userID int64) (bool, error) {
	if e.RequestID == 0 || e.ActorID == 0 || e.Kind == EventRequestFiled { // filing is a request's first event
		return false, nil
	}
	var n int
	err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE request_id = $1 AND user_id = $2
		AND actor_id = $3 AND created_at >= $4 AND event_id < $5`,
		e.RequestID, userID, e.ActorID, e.At-coalesceWindow.Milliseconds(), e.ID).Scan(&n)
	return n > 0, err
}

func (t *tx) enqueueMail(ctx context.Context, userID, eventID int64, m *OutMail) error {
	_, err := t.ExecContext(ctx, `INSERT INTO mail_outbox (user_id, event_id, to_addr, to_name, lang, subject,
		text_body, html_body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
		ON CONFLICT DO NOTHING`, nullID(userID), nullID(eventID), m.To, m.ToName, m.Lang, m.Subject, m.Text, m.HTML, ms(t.now))
	return err
}

// QueueMail puts one e-mail in the outbox outside of any event (for
// example a password-reset link).
func (s *Store) QueueMail(ctx context.Context, userID int64, m *OutMail) error {
	return s.write(ctx, func(t *tx) error { return t.enqueueMail(ctx, userID, 0, m) })
}

// OutboxMail is an outbox row claimed for sending.
type OutboxMail struct {
	OutMail
	ID        int64
	CreatedAt time.Time
	Attempts  int
}

// ClaimMail leases up to limit due outbox rows to owner for lease. A row
// leased by another sender is skipped (PostgreSQL: FOR UPDATE SKIP LOCKED;
// SQLite: the single writer); a lease that ran out, because its sender
// died, is taken over.
func (s *Store) ClaimMail(ctx context.Context, owner string, lease time.Duration, limit int) ([]OutboxMail, error) {
	var out []OutboxMail
	err := s.write(ctx, func(t *tx) error {
		now := ms(t.now)
		rows, err := t.QueryContext(ctx, `UPDATE mail_outbox SET lease_until = $1, lease_owner = $2, attempts = attempts + 1
			WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3
				AND (lease_until IS NULL OR lease_until <= $3) ORDER BY next_attempt_at, id LIMIT $4`+s.dialect.skipLocked()+`)
			RETURNING id, to_addr, to_name, lang, subject, text_body, html_body, created_at, attempts`,
			now+lease.Milliseconds(), owner, now, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m OutboxMail
			var created int64
			if err := rows.Scan(&m.ID, &m.To, &m.ToName, &m.Lang, &m.Subject, &m.Text, &m.HTML, &created, &m.Attempts); err != nil {
				return err
			}
			m.CreatedAt = time.UnixMilli(created).UTC()
			out = append(out, m)
		}
		return rows.Err()
	})
	slices.SortFunc(out, func(a, b OutboxMail) int { return int(a.ID - b.ID) })
	return out, err
}

// MailSent marks a claimed row as sent. It is false when the lease had
// passed to another sender meanwhile.
func (s *Store) MailSent(ctx context.Context, id int64, owner string) (bool, error) {
	ok := false
	err := s.write(ctx, func(t *tx) error {
		res, err := t.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = $1, lease_until = NULL, last_error = ''
			WHERE id = $2 AND lease_owner = $3 AND sent_at IS NULL`, ms(t.now), id, owner)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// MailFailed records a failed attempt: retry after retryIn, or with
// retryIn 0 give up for good.
func (s *Store) MailFailed(ctx context.Context, id int64, owner, reason string, retryIn time.Duration) error {
	return s.write(ctx, func(t *tx) error {
		var failed any
		if retryIn <= 0 {
			failed = ms(t.now)
		}
		_, err := t.ExecContext(ctx, `UPDATE mail_outbox SET lease_until = NULL, last_error = $1, next_attempt_at = $2,
			failed_at = $3 WHERE id = $4 AND lease_owner = $5 AND sent_at IS NULL`,
			clip(reason, 1000), ms(t.now.Add(retryIn)), failed, id, owner)
		return err
	})
}

// OutboxEntry is an outbox row as an administrator sees it.
type OutboxEntry struct {
	ID        int64     `json:"id"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Attempts  int       `json:"attempts"`
	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	FailedAt  time.Time `json:"failed_at,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// MailOutbox lists outbox rows, newest first, before the given id (0: from
// the newest). Functional and technical admins of every area only.
func (s *Store) MailOutbox(ctx context.Context, actor *beheer.Actor, before int64, limit int) ([]OutboxEntry, error) {
	if !beheer.CanManageIntegrations(actor) {
		return nil, beheer.Refusal(beheer.PermIntegrationManage)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	var out []OutboxEntry
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, to_addr, subject, attempts, created_at, sent_at, failed_at, last_error
			FROM mail_outbox WHERE id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e OutboxEntry
			var created, sent, failed sql.NullInt64
			if err := rows.Scan(&e.ID, &e.To, &e.Subject, &e.Attempts, &created, &sent, &failed, &e.LastError); err != nil {
				return err
			}
			e.CreatedAt, e.SentAt, e.FailedAt = fromMS(created), fromMS(sent), fromMS(failed)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// Notification is one item under the bell.
type Notification struct {
	ID            int64             `json:"id"`
	Kind          string            `json:"kind"`
	EventKind     string            `json:"event"`
	RequestID     int64             `json:"request_id,omitempty"`
	RequestNumber string            `json:"request_number,omitempty"`
	RequestTitle  string            `json:"request_title,omitempty"`
	ActorName     string            `json:"actor,omitempty"`
	Data          map[string]string `json:"data,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
	Read          bool              `json:"read"`
}

const notificationSelect = `SELECT n.id, n.kind, n.event_kind, COALESCE(n.request_id, 0), COALESCE(r.number, ''),
	COALESCE(r.title, ''), COALESCE(u.name, ''), n.data, n.created_at, n.read_at IS NOT NULL
	FROM notifications n LEFT JOIN requests r ON r.id = n.request_id LEFT JOIN users u ON u.id = n.actor_id `

func scanNotifications(rows *sql.Rows) ([]Notification, error) {
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var data string
		var created sql.NullInt64
		if err := rows.Scan(&n.ID, &n.Kind, &n.EventKind, &n.RequestID, &n.RequestNumber, &n.RequestTitle,
			&n.ActorName, &data, &created, &n.Read); err != nil {
			return nil, err
		}
		n.CreatedAt = fromMS(created)
		if err := json.Unmarshal([]byte(data), &n.Data); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notifications lists the actor's notifications, newest first, with ids
// below before (0: from the newest): keyset pages.
func (s *Store) Notifications(ctx context.Context, actor *beheer.Actor, before int64, limit int) ([]Notification, error) {
	if actor == nil || actor.UserID == 0 {
		return nil, beheer.ErrForbidden("")
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	var out []Notification
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, notificationSelect+`WHERE n.user_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3`,
			actor.UserID, before, limit)
		if err != nil {
			return err
		}
		out, err = scanNotifications(rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.hideUnreadable(ctx, actor, out)
}

// hideUnreadable takes the request out of notifications about requests the
// actor may no longer read (moved to another area, a role taken away): the
// notification stays, the request's current number and title do not reach
// them. One query for the page, mirroring beheer.CanRead, and one more for
// the requests they follow among the rest.
func (s *Store) hideUnreadable(ctx context.Context, actor *beheer.Actor, list []Notification) error {
	var q query
	q.visibility(actor)
	var ph []string
	seen := map[int64]bool{}
	for _, n := range list {
		if n.RequestID != 0 && !seen[n.RequestID] {
			seen[n.RequestID] = true
			ph = append(ph, q.arg(n.RequestID))
		}
	}
	if len(ph) == 0 {
		return nil
	}
	q.and("r.id IN (" + strings.Join(ph, ", ") + ")")
	readable := map[int64]bool{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT r.id FROM requests r WHERE `+q.clause(), q.args...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var id int64
			err := rows.Scan(&id)
			readable[id] = true
			return err
		})
	})
	if err != nil {
		return err
	}
	var rest []int64
	for id := range seen {
		if !readable[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	followed, err := s.followedAmong(ctx, actor.UserID, rest)
	if err != nil {
		return err
	}
	for i := range list {
		if id := list[i].RequestID; id != 0 && !readable[id] && !followed[id] {
			list[i].RequestID, list[i].RequestNumber, list[i].RequestTitle = 0, "", ""
		}
	}
	return nil
}

// MaxUnread is where counting unread notifications stops ("99+").
const MaxUnread = 100

// UnreadNotifications counts the person's unread notifications, up to
// MaxUnread: an index-only count for the bell on every page.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications
			WHERE user_id = $1 AND read_at IS NULL LIMIT $2) AS x`, userID, MaxUnread).Scan(&n)
	})
	return n, err
}

// MarkNotificationsRead marks one of the actor's notifications as read, or
// with id 0 all of them.
func (s *Store) MarkNotificationsRead(ctx context.Context, actor *beheer.Actor, id int64) error {
	if actor == nil || actor.UserID == 0 {
		return beheer.ErrForbidden("")
	}
	return s.write(ctx, func(t *tx) error {
		if id == 0 {
			_, err := t.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`,
				ms(t.now), actor.UserID)
			return err
		}
		res, err := t.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE user_id = $2 AND id = $3`,
			ms(t.now), actor.UserID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return beheer.ErrNotFound()
		}
		return nil
	})
}

// NotifyPrefs returns the actor's e-mail mode for every kind.
func (s *Store) NotifyPrefs(ctx context.Context, actor *beheer.Actor) (map[string]string, error) {
	if actor == nil || actor.UserID == 0 {
		return nil, beheer.ErrForbidden("")
	}
	out := map[string]string{}
	for _, k := range NotifyKinds {
		out[k] = ModeImmediate
	}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT kind, mode FROM notify_prefs WHERE user_id = $1`, actor.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, m string
			if err := rows.Scan(&k, &m); err != nil {
				return err
			}
			if _, ok := out[k]; ok {
				out[k] = m
			}
		}
		return rows.Err()
	})
	return out, err
}

// SetNotifyPrefs stores the actor's e-mail modes; kinds left out keep
// theirs. An unknown kind or mode is a validation error on that kind.
func (s *Store) SetNotifyPrefs(ctx context.Context, actor *beheer.Actor, prefs map[string]string) error {
	if actor == nil || actor.UserID == 0 {
		return beheer.ErrForbidden("")
	}
	var v beheer.Validation
	kinds := make([]string, 0, len(prefs))
	for k, m := range prefs {
		if !slices.Contains(NotifyKinds, k) {
			v.Add(k, "field.unknown")
		} else if !slices.Contains(ModesOf(k), m) {
			v.Add(k, "field.invalid_choice", "choices", ModesOf(k))
		}
		kinds = append(kinds, k)
	}
	if err := v.Err(); err != nil {
		return err
	}
	slices.Sort(kinds)
	return s.write(ctx, func(t *tx) error {
		for _, k := range kinds {
			if _, err := t.ExecContext(ctx, `INSERT INTO notify_prefs (user_id, kind, mode) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode`, actor.UserID, k, prefs[k]); err != nil {
				return err
			}
			if prefs[k] != ModeDigest {
				// Items waiting for a digest of a kind that is no longer
				// digested are not mailed any more: they stay in the bell.
				if _, err := t.ExecContext(ctx, `UPDATE notifications SET digest = FALSE WHERE user_id = $1 AND kind = $2 AND digest`,
					actor.UserID, k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// maxDigestItems bounds one run of the daily digest; the rest waits a day.
const maxDigestItems = 5000

// BuildDigests writes the daily digest e-mails for day (yyyymmdd, in the
// organisation's time zone), once: a second call for the same day, from
// this process or another, does nothing. render turns a person's waiting
// notifications into one e-mail. It returns how many e-mails were queued.
func (s *Store) BuildDigests(ctx context.Context, day int64, render func(p *Person, items []Notification) (*OutMail, error)) (int, error) {
	sent := 0
	err := s.write(ctx, func(t *tx) error {
		var last int64
		if err := t.QueryRowContext(ctx, `SELECT position FROM worker_cursors WHERE name = $1`+s.dialect.lock(""), cursorDigest).Scan(&last); err != nil {
			return err
		}
		if last >= day {
			return nil
		}
		byUser := map[int64][]Notification{}
		var users []int64
		rs, err := t.QueryContext(ctx, `SELECT n.user_id, n.id, n.kind, n.event_kind, COALESCE(n.request_id, 0), COALESCE(r.number, ''),
			COALESCE(r.title, ''), COALESCE(u.name, ''), n.data, n.created_at, n.read_at IS NOT NULL
			FROM notifications n LEFT JOIN requests r ON r.id = n.request_id LEFT JOIN users u ON u.id = n.actor_id
			WHERE n.digest ORDER BY n.user_id, n.id LIMIT $1`, maxDigestItems)
		if err != nil {
			return err
		}
		for rs.Next() {
			var uid int64
			var n Notification
			var data string
			var created sql.NullInt64
			if err := rs.Scan(&uid, &n.ID, &n.Kind, &n.EventKind, &n.RequestID, &n.RequestNumber, &n.RequestTitle,
				&n.ActorName, &data, &created, &n.Read); err != nil {
				rs.Close()
				return err
			}
			n.CreatedAt = fromMS(created)
			_ = json.Unmarshal([]byte(data), &n.Data)
			if _, ok := byUser[uid]; !ok {
				users = append(users, uid)
			}
			byUser[uid] = append(byUser[uid], n)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		people, err := t.people(ctx, users)
		if err != nil {
			return err
		}
		for _, uid := range users {
			items := byUser[uid]
			if p := people[uid]; p != nil {
				// As in the bell: a request the person may no longer read
				// is not named.
				roles, err := loadRoles(ctx, t, uid)
				if err != nil {
					return err
				}
				if err := s.hideUnreadable(ctx, &beheer.Actor{UserID: uid, Roles: roles}, items); err != nil {
					return err
				}
				m, err := render(p, items)
				if err != nil {
					return err
				}
				if m != nil {
					if err := t.enqueueMail(ctx, uid, 0, m); err != nil {
						return err
					}
					sent++
				}
			}
			if _, err := t.ExecContext(ctx, `UPDATE notifications SET digest = FALSE WHERE user_id = $1 AND digest AND id <= $2`,
				uid, items[len(items)-1].ID); err != nil {
				return err
			}
		}
		_, err = t.ExecContext(ctx, `UPDATE worker_cursors SET position = $1 WHERE name = $2`, day, cursorDigest)
		return err
	})
	return sent, err
}
