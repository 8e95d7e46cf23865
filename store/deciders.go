package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"beheer"
)

// panel gathers who decides a change request — the area's rule, its key
// users, the process owner, the functional admins of all areas — and
// applies beheer.NewPanel, then adds the votes cast and the members'
// deputies. It reads only on decision paths: the request page of a change
// request, a vote, a refused read that may be a decider's.
func panel(ctx context.Context, q querier, r *beheer.Request) (*beheer.Panel, error) {
	c := beheer.DeciderCandidates{AreaID: r.AreaID}
	if r.AreaID != 0 {
		var err error
		if c.Rule, err = approvalRule(ctx, q, r.AreaID, true); err != nil {
			return nil, err
		}
		if c.KeyUsers, err = queryIDs(ctx, q, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active AND ur.role = $1 AND (ur.area_id = 0 OR ur.area_id = $2) ORDER BY u.id`, beheer.RoleKeyUser, r.AreaID); err != nil {
			return nil, err
		}
		if r.ProcessID != 0 {
			owners, err := queryIDs(ctx, q, `SELECT u.id FROM processes p JOIN users u ON u.id = p.owner_id
				WHERE p.id = $1 AND u.active`, r.ProcessID)
			if err != nil {
				return nil, err
			}
			if len(owners) > 0 {
				c.ProcessOwner = owners[0]
			}
		}
		if c.FunctionalAdmins, err = queryIDs(ctx, q, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active AND ur.role = $1 AND ur.area_id = 0 ORDER BY u.id`, beheer.RoleFunctionalAdmin); err != nil {
			return nil, err
		}
	}
	p := beheer.NewPanel(c)
	var err error
	if p.Votes, err = votes(ctx, q, r.ID); err != nil {
		return nil, err
	}
	if p.Deputies, err = deputiesOf(ctx, q, p.Members); err != nil {
		return nil, err
	}
	if p.Names, err = names(ctx, q, p.Members); err != nil {
		return nil, err
	}
	return &p, nil
}

// names maps people's ids to their names.
func names(ctx context.Context, q querier, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM users WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// votes lists the votes cast on a request, oldest first.
func votes(ctx context.Context, q querier, requestID int64) ([]beheer.Vote, error) {
	rows, err := q.QueryContext(ctx, `SELECT v.for_id, f.name, v.by_id, b.name, v.outcome, v.motivation, v.voted_at
		FROM decision_votes v JOIN users f ON f.id = v.for_id JOIN users b ON b.id = v.by_id
		WHERE v.request_id = $1 ORDER BY v.id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.Vote
	for rows.Next() {
		var v beheer.Vote
		var at int64
		if err := rows.Scan(&v.For, &v.ForName, &v.By, &v.ByName, &v.Outcome, &v.Motivation, &at); err != nil {
			return nil, err
		}
		v.At = time.UnixMilli(at).UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

const deputyColumns = `d.user_id, u.name, d.deputy_id, x.name, d.starts_on, d.ends_on, d.version
	FROM deputies d JOIN users u ON u.id = d.user_id JOIN users x ON x.id = d.deputy_id`

func scanDeputies(rows *sql.Rows) ([]beheer.Deputy, error) {
	defer rows.Close()
	var out []beheer.Deputy
	for rows.Next() {
		var d beheer.Deputy
		var from, until string
		if err := rows.Scan(&d.UserID, &d.UserName, &d.DeputyID, &d.DeputyName, &from, &until, &d.Version); err != nil {
			return nil, err
		}
		d.From, _ = beheer.ParseDay(from)
		d.Until, _ = beheer.ParseDay(until)
		out = append(out, d)
	}
	return out, rows.Err()
}

// deputiesOf lists the deputies set by the given people (active deputies
// only), whatever their period.
func deputiesOf(ctx context.Context, q querier, people []int64) ([]beheer.Deputy, error) {
	if len(people) == 0 {
		return nil, nil
	}
	in, args := inList(people, 0)
	rows, err := q.QueryContext(ctx, `SELECT `+deputyColumns+` WHERE x.active AND d.user_id IN (`+in+`) ORDER BY d.user_id`, args...)
	if err != nil {
		return nil, err
	}
	return scanDeputies(rows)
}

// approvalRule reads an area's rule, nil when it has none; active leaves
// out deciders whose account was closed.
func approvalRule(ctx context.Context, q querier, areaID int64, active bool) (*beheer.ApprovalRule, error) {
	r := beheer.ApprovalRule{AreaID: areaID}
	var updated int64
	err := q.QueryRowContext(ctx, `SELECT mode, required, version, updated_at FROM approval_rules WHERE area_id = $1`, areaID).
		Scan(&r.Mode, &r.Required, &r.Version, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.UpdatedAt = time.UnixMilli(updated).UTC()
	cond := ""
	if active {
		cond = " AND u.active"
	}
	r.Deciders, err = queryIDs(ctx, q, `SELECT d.user_id FROM approval_rule_deciders d JOIN users u ON u.id = d.user_id
		WHERE d.area_id = $1`+cond+` ORDER BY u.name, u.id`, areaID)
	return &r, err
}

// decisionReadable marks the actor a decider of a change request they
// cannot otherwise see (a process owner or deputy without a role for the
// area), so they can read and decide it. Only a refused read pays for it.
func (s *Store) decisionReadable(ctx context.Context, q querier, actor *beheer.Actor, r *beheer.Request, f *beheer.Facts, now time.Time) error {
	if beheer.CanRead(actor, r, *f) || r.Type != beheer.TypeChange || actor == nil || actor.UserID == 0 {
		return nil
	}
	p, err := panel(ctx, q, r)
	if err != nil {
		return err
	}
	f.Decider = p.Involves(actor.UserID, now)
	return nil
}

// DecisionPanel returns who decides a request, the votes cast and the
// deputies; nil for a request that is not a change.
func (s *Store) DecisionPanel(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Panel, error) {
	r, _, err := s.visible(ctx, actor, id)
	if err != nil || r.Type != beheer.TypeChange {
		return nil, err
	}
	var p *beheer.Panel
	err = s.read(ctx, func(q querier) error {
		var err error
		p, err = panel(ctx, q, r)
		return err
	})
	return p, err
}

// Decide records a decider's vote on a change request (themselves, or as
// deputy for the decider they stand in for). When the votes meet the rule,
// or a decider rejects, the decision is taken in the same transaction: a
// rejection closes the request as Afgewezen with the motivation shown to
// the requester. It returns the decision, or nil while more votes are
// needed.
func (s *Store) Decide(ctx context.Context, actor *beheer.Actor, id int64, outcome beheer.DecisionOutcome, motivation string) (*beheer.Decision, error) {
	var d *beheer.Decision
	err := s.write(ctx, func(t *tx) error {
		var err error
		d, err = t.decide(ctx, actor, id, outcome, motivation)
		return err
	})
	return d, err
}

func (t *tx) decide(ctx context.Context, actor *beheer.Actor, id int64, outcome beheer.DecisionOutcome, motivation string) (*beheer.Decision, error) {
	motivation = strings.TrimSpace(motivation)
	r, err := t.s.loadRequest(ctx, t, id, true)
	if err != nil {
		return nil, err
	}
	f, err := facts(ctx, t, actor, id)
	if err != nil {
		return nil, err
	}
	p, err := panel(ctx, t, r)
	if err != nil {
		return nil, err
	}
	f.Decider = p.Involves(actor.UserID, t.now)
	if err := beheer.CheckDecision(actor, r, f, p, t.now, outcome, motivation); err != nil {
		return nil, err
	}
	member, _ := p.SpeaksFor(actor.UserID, t.now)
	if _, err := t.ExecContext(ctx, `INSERT INTO decision_votes (request_id, for_id, by_id, outcome, motivation, voted_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, member, actor.UserID, outcome, motivation, ms(t.now)); err != nil {
		return nil, err
	}
	on := ""
	if member != actor.UserID {
		on = itoa(member)
	}
	if err := t.audit(ctx, actor, id, "decision.vote", "vote:"+on, "", string(outcome), false); err != nil {
		return nil, err
	}
	p.Votes = append(p.Votes, beheer.Vote{For: member, By: actor.UserID, Outcome: outcome})
	final := p.Outcome()
	if final == "" {
		return nil, t.bump(ctx, actor, r)
	}
	d := &beheer.Decision{RequestID: id, Outcome: final, Motivation: motivation, DeciderID: actor.UserID,
		DeciderName: actor.Name, DecidedAt: t.now}
	if member != actor.UserID {
		d.OnBehalfOf = member
		if d.OnBehalfOfName, err = t.userName(ctx, member); err != nil {
			return nil, err
		}
	}
	if err := t.QueryRowContext(ctx, `INSERT INTO decisions (request_id, outcome, motivation, decider_id, decided_at, on_behalf_of)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, final, motivation, actor.UserID, ms(t.now), nullID(d.OnBehalfOf)).Scan(&d.ID); err != nil {
		return nil, err
	}
	if err := t.audit(ctx, actor, id, "decision.recorded", "decision", "", string(final), false); err != nil {
		return nil, err
	}
	if err := t.emit(ctx, actor, EventDecisionTaken, id, false, map[string]string{"outcome": string(final)}); err != nil {
		return nil, err
	}
	if final == beheer.DecisionRejected {
		return d, t.move(ctx, actor, r, f, beheer.Transition{To: beheer.PhaseRejected, Note: motivation})
	}
	r.Status = beheer.Held(r.Phase, beheer.StatusAwaitingAssignee, f)
	return d, t.bump(ctx, actor, r)
}

// Decision returns the decision on a request, or nil when none was taken.
func (s *Store) Decision(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Decision, error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, err
	}
	var d *beheer.Decision
	err := s.read(ctx, func(q querier) error {
		var x beheer.Decision
		var at sql.NullInt64
		var on sql.NullInt64
		var onName sql.NullString
		err := q.QueryRowContext(ctx, `SELECT d.id, d.request_id, d.outcome, d.motivation, d.decider_id, u.name, d.decided_at,
			d.on_behalf_of, o.name
			FROM decisions d JOIN users u ON u.id = d.decider_id LEFT JOIN users o ON o.id = d.on_behalf_of
			WHERE d.request_id = $1`, id).
			Scan(&x.ID, &x.RequestID, &x.Outcome, &x.Motivation, &x.DeciderID, &x.DeciderName, &at, &on, &onName)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		x.DecidedAt = fromMS(at)
		x.OnBehalfOf, x.OnBehalfOfName = on.Int64, onName.String
		d = &x
		return err
	})
	return d, err
}

// ApprovalRule returns an area's rule as kept (closed accounts included,
// so the form shows them), or a rule of mode one without deciders when the
// area has none. Everyone who may see the area's requests may read it.
func (s *Store) ApprovalRule(ctx context.Context, actor *beheer.Actor, areaID int64) (*beheer.ApprovalRule, error) {
	if !actor.Can(beheer.PermRequestRead, areaID) {
		return nil, beheer.ErrNotFound()
	}
	if _, err := s.area(ctx, areaID); err != nil {
		return nil, err
	}
	var r *beheer.ApprovalRule
	err := s.read(ctx, func(q querier) error {
		var err error
		r, err = approvalRule(ctx, q, areaID, false)
		return err
	})
	if r == nil && err == nil {
		r = &beheer.ApprovalRule{AreaID: areaID, Mode: beheer.ApprovalOne}
	}
	return r, err
}

// SetApprovalRule replaces an area's rule, for who may keep the area;
// version is the rule's version as read (0: any), so two
// administrators never silently overwrite each other. A rule of mode one
// without deciders removes the area's own rule.
func (s *Store) SetApprovalRule(ctx context.Context, actor *beheer.Actor, in beheer.ApprovalRule, version int64) (*beheer.ApprovalRule, error) {
	if !actor.Can(beheer.PermAreaManage, in.AreaID) {
		return nil, beheer.ErrForbidden("")
	}
	if _, err := s.area(ctx, in.AreaID); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		cur, err := approvalRule(ctx, t, in.AreaID, false)
		if err != nil {
			return err
		}
		var curVersion int64
		before := "one:"
		if cur != nil {
			curVersion, before = cur.Version, ruleText(cur)
		}
		if version != 0 && version != curVersion {
			return beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
		}
		var v beheer.Validation
		for _, id := range in.Deciders {
			u, err := t.person(ctx, id)
			if err != nil {
				return err
			}
			beheer.CheckApprovalDecider(&v, u)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM approval_rule_deciders WHERE area_id = $1`, in.AreaID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM approval_rules WHERE area_id = $1`, in.AreaID); err != nil {
			return err
		}
		in.Version, in.UpdatedAt = curVersion+1, t.now
		if in.Mode != beheer.ApprovalOne || len(in.Deciders) > 0 {
			if _, err := t.ExecContext(ctx, `INSERT INTO approval_rules (area_id, mode, required, version, updated_at)
				VALUES ($1, $2, $3, $4, $5)`, in.AreaID, in.Mode, in.Required, in.Version, ms(t.now)); err != nil {
				return err
			}
			for _, id := range in.Deciders {
				if _, err := t.ExecContext(ctx, `INSERT INTO approval_rule_deciders (area_id, user_id) VALUES ($1, $2)`,
					in.AreaID, id); err != nil {
					return err
				}
			}
		} else {
			in.Version = 0
		}
		return t.auditChanges(ctx, actor, "area.approval_rule", "area:"+itoa(in.AreaID),
			[][3]string{{"approval_rule", before, ruleText(&in)}})
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// ruleText writes a rule for the audit trail: mode, N and the deciders.
func ruleText(r *beheer.ApprovalRule) string {
	ids := make([]string, len(r.Deciders))
	for i, id := range r.Deciders {
		ids[i] = itoa(id)
	}
	return string(r.Mode) + ":" + itoa(int64(r.Required)) + ":" + strings.Join(ids, ",")
}

// Deputy returns the deputy a person set, nil when none.
func (s *Store) Deputy(ctx context.Context, actor *beheer.Actor, userID int64) (*beheer.Deputy, error) {
	if !beheer.CanSetDeputy(actor, userID) {
		return nil, beheer.ErrForbidden("deputy.forbidden")
	}
	var d *beheer.Deputy
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+deputyColumns+` WHERE d.user_id = $1`, userID)
		if err != nil {
			return err
		}
		list, err := scanDeputies(rows)
		if len(list) > 0 {
			d = &list[0]
		}
		return err
	})
	return d, err
}

// Deputies lists every deputy set, for functional admins of all areas.
func (s *Store) Deputies(ctx context.Context, actor *beheer.Actor) ([]beheer.Deputy, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("deputy.forbidden")
	}
	var out []beheer.Deputy
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+deputyColumns+` ORDER BY u.name, d.user_id`)
		if err != nil {
			return err
		}
		out, err = scanDeputies(rows)
		return err
	})
	return out, err
}

// SetDeputy sets (or replaces) a person's deputy for a period; version is
// the setting's version as read (0: any).
func (s *Store) SetDeputy(ctx context.Context, actor *beheer.Actor, d beheer.Deputy, version int64) (*beheer.Deputy, error) {
	err := s.write(ctx, func(t *tx) error {
		var deputy *beheer.User
		if d.DeputyID > 0 {
			var err error
			if deputy, err = t.person(ctx, d.DeputyID); err != nil {
				return err
			}
			if deputy != nil {
				if deputy.Roles, err = loadRoles(ctx, t, deputy.ID); err != nil {
					return err
				}
			}
		}
		if err := beheer.CheckDeputy(actor, d, deputy); err != nil {
			return err
		}
		cur, err := t.deputyVersion(ctx, d.UserID)
		if err != nil {
			return err
		}
		if version != 0 && cur != version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
		}
		d.Version, d.DeputyName = cur+1, deputy.Name
		if d.UserName, err = t.userName(ctx, d.UserID); err != nil {
			return errNoRows(err)
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM deputies WHERE user_id = $1`, d.UserID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO deputies (user_id, deputy_id, starts_on, ends_on, version, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, d.UserID, d.DeputyID, beheer.FormatDay(d.From), beheer.FormatDay(d.Until),
			d.Version, ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "deputy.set", "deputy:"+itoa(d.UserID), "",
			itoa(d.DeputyID)+" "+beheer.FormatDay(d.From)+".."+beheer.FormatDay(d.Until), false)
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ClearDeputy removes a person's deputy.
func (s *Store) ClearDeputy(ctx context.Context, actor *beheer.Actor, userID, version int64) error {
	if !beheer.CanSetDeputy(actor, userID) {
		return beheer.ErrForbidden("deputy.forbidden")
	}
	return s.write(ctx, func(t *tx) error {
		cur, err := t.deputyVersion(ctx, userID)
		if err != nil {
			return err
		}
		if cur == 0 {
			return nil
		}
		if version != 0 && cur != version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM deputies WHERE user_id = $1`, userID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "deputy.cleared", "deputy:"+itoa(userID), "", "", false)
	})
}

func (t *tx) deputyVersion(ctx context.Context, userID int64) (int64, error) {
	var v int64
	err := t.QueryRowContext(ctx, `SELECT version FROM deputies WHERE user_id = $1`, userID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// DecisionLink returns the request a decision e-mail's link opens, after
// checking it is the actor's, unused and unexpired; it spends nothing.
func (s *Store) DecisionLink(ctx context.Context, actor *beheer.Actor, token string) (int64, error) {
	var l beheer.DecisionLink
	err := s.read(ctx, func(q querier) error {
		var err error
		l, err = decisionLink(ctx, q, token)
		return err
	})
	if err != nil {
		return 0, err
	}
	if err := beheer.CheckDecisionLink(actor, l, s.now()); err != nil {
		return 0, err
	}
	return l.RequestID, nil
}

func decisionLink(ctx context.Context, q querier, token string) (beheer.DecisionLink, error) {
	var l beheer.DecisionLink
	var expires int64
	var used sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT request_id, user_id, expires_at, used_at FROM decision_links WHERE token_hash = $1`,
		hashToken(token)).Scan(&l.RequestID, &l.UserID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return l, nil
	}
	l.Found, l.ExpiresAt, l.UsedAt = err == nil, time.UnixMilli(expires), fromMS(used)
	return l, err
}

// DecideByLink is Decide through a decision e-mail's link: the link is
// checked and spent in the same transaction as the vote, so it decides
// once. A refused vote leaves the link unspent.
func (s *Store) DecideByLink(ctx context.Context, actor *beheer.Actor, token string, outcome beheer.DecisionOutcome, motivation string) (int64, *beheer.Decision, error) {
	var d *beheer.Decision
	var id int64
	err := s.write(ctx, func(t *tx) error {
		l, err := decisionLink(ctx, t, token)
		if err != nil {
			return err
		}
		if err := beheer.CheckDecisionLink(actor, l, t.now); err != nil {
			return err
		}
		id = l.RequestID
		if _, err := t.ExecContext(ctx, `UPDATE decision_links SET used_at = $1 WHERE token_hash = $2`, ms(t.now), hashToken(token)); err != nil {
			return err
		}
		d, err = t.decide(ctx, actor, id, outcome, motivation)
		return err
	})
	return id, d, err
}

// saveDecisionLink stores a new link for a decision e-mail, inside the
// transaction that queues the e-mail.
func (t *tx) saveDecisionLink(ctx context.Context, token string, requestID, userID int64) error {
	_, err := t.ExecContext(ctx, `INSERT INTO decision_links (token_hash, request_id, user_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hashToken(token), requestID, userID, ms(t.now), ms(t.now.Add(beheer.DecisionLinkLifetime)))
	return err
}

// Deciders lists the active people who may stand in as a deputy: key users
// and functional admins of any area, by name.
func (s *Store) Deciders(ctx context.Context) ([]*beheer.User, error) {
	var out []*beheer.User
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE active AND id IN
			(SELECT user_id FROM user_roles WHERE role IN ($1, $2)) ORDER BY name, id`, beheer.RoleKeyUser, beheer.RoleFunctionalAdmin)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// NewDecisionToken makes the token of a decision e-mail's link; the mail
// carries it, writeDeliveries stores its hash.
func NewDecisionToken() string { return randomToken() }

// decidersIn is who hears that a change request waits for a decision: the
// panel's members who have not voted and today's deputies of those; for
// any other event the key users of the area, as before.
func (t *tx) decidersIn(ctx context.Context, m *batchMemo, e Event, r *beheer.Request) ([]int64, error) {
	if e.Kind != EventStatusChanged || e.Data["to"] != string(beheer.StatusAwaitingDecision) || r.Type != beheer.TypeChange {
		return t.roleHoldersIn(ctx, m, beheer.RoleKeyUser, r.AreaID)
	}
	p, err := panel(ctx, t, r)
	if err != nil {
		return nil, err
	}
	out := p.Waiting()
	for _, d := range p.Deputies {
		if d.ActiveOn(t.now) && slices.Contains(out, d.UserID) && !slices.Contains(out, d.DeputyID) {
			out = append(out, d.DeputyID)
		}
	}
	return out, nil
}

// DecisionsWaiting lists the change requests that wait for the actor's
// vote, as a decider or as a deputy today, oldest first, at most limit: the
// home page's "Besluiten die op u wachten". People who can decide nothing
// (no key user or functional admin role, no process, no place in a rule,
// no one to stand in for) cost one query.
func (s *Store) DecisionsWaiting(ctx context.Context, actor *beheer.Actor, limit int) ([]*beheer.Request, error) {
	now := s.now()
	var out []*beheer.Request
	err := s.read(ctx, func(q querier) error {
		if !actor.HasRole(beheer.RoleKeyUser) && !actor.HasRole(beheer.RoleFunctionalAdmin) {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM processes WHERE owner_id = $1)
				+ (SELECT COUNT(*) FROM approval_rule_deciders WHERE user_id = $1)
				+ (SELECT COUNT(*) FROM deputies WHERE deputy_id = $1)`, actor.UserID).Scan(&n); err != nil || n == 0 {
				return err
			}
		}
		rows, err := q.QueryContext(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.type = $1 AND r.status = $2
			ORDER BY r.created_at, r.id LIMIT 500`, beheer.TypeChange, beheer.StatusAwaitingDecision)
		if err != nil {
			return err
		}
		var waiting []*beheer.Request
		for rows.Next() {
			r, err := scanRequest(rows)
			if err != nil {
				rows.Close()
				return err
			}
			waiting = append(waiting, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range waiting {
			p, err := panel(ctx, q, r)
			if err != nil {
				return err
			}
			if _, ok := p.SpeaksFor(actor.UserID, now); ok && p.Outcome() == "" {
				out = append(out, r)
				if len(out) == limit {
					break
				}
			}
		}
		return nil
	})
	return out, err
}
