package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"beheer"
)

// This file joins requests: a duplicate closes and its requester follows
// the original; a request joined to a parent incident (hoofdmelding) stays
// open, its requester follows the parent, and it ends with the parent.
// Both are columns of the request (duplicate_of, parent_id), apart from
// the free links between requests.

// Events of joined requests.
const (
	// EventJoinedParent: a request was joined to a parent incident; data
	// "parent" is the parent's id, "number" its number.
	EventJoinedParent = "request.joined_parent"
)

// joins reads a request's joins for the rules.
func joins(ctx context.Context, q querier, id int64) (beheer.Joins, error) {
	var j beheer.Joins
	var parent int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(r.duplicate_of, 0), COALESCE(r.parent_id, 0),
		(SELECT COUNT(*) FROM parent_incidents p WHERE p.request_id = r.id),
		(SELECT COUNT(*) FROM requests c WHERE c.parent_id = r.id),
		(SELECT COUNT(*) FROM requests d WHERE d.duplicate_of = r.id)
		FROM requests r WHERE r.id = $1`, id).Scan(&j.DuplicateOf, &j.ParentID, &parent, &j.Children, &j.Duplicates)
	if errors.Is(err, sql.ErrNoRows) {
		return j, beheer.ErrNotFound()
	}
	j.IsParent = parent > 0
	return j, err
}

// Circle is what the request page and the API show of a request's
// company: who follows it, what it is joined to, and what is joined to it.
type Circle struct {
	Joins     beheer.Joins           `json:"-"`
	Followers []beheer.Follower      `json:"followers"`
	Original  *Ref                   `json:"duplicate_of,omitempty"` // the request it duplicates
	Parent    *Ref                   `json:"parent,omitempty"`       // the parent incident it is joined to
	Incident  *beheer.ParentIncident `json:"parent_incident,omitempty"`
	// Children and Duplicates are the requests joined to it and closed as
	// its duplicates that the actor may read (at most 500).
	Children   []*beheer.Request `json:"-"`
	Duplicates []*beheer.Request `json:"-"`
}

// Ref names another request: its title only for whoever may read it.
type Ref struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Title  string `json:"title,omitempty"`
}

// Circle returns the company of a request the actor may read.
func (s *Store) Circle(ctx context.Context, actor *beheer.Actor, id int64) (*Circle, error) {
	followers, err := s.Followers(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	c := &Circle{Followers: followers}
	if err := s.read(ctx, func(q querier) (err error) { c.Joins, err = joins(ctx, q, id); return err }); err != nil {
		return nil, err
	}
	if c.Original, err = s.ref(ctx, actor, c.Joins.DuplicateOf); err != nil {
		return nil, err
	}
	if c.Parent, err = s.ref(ctx, actor, c.Joins.ParentID); err != nil {
		return nil, err
	}
	if c.Joins.IsParent {
		if c.Incident, err = s.ParentIncident(ctx, actor, id); err != nil {
			return nil, err
		}
	}
	if c.Joins.Children+c.Joins.Duplicates > 0 {
		if c.Children, c.Duplicates, err = s.JoinedRequests(ctx, actor, id); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ref names request id for the actor; nil for id 0.
func (s *Store) ref(ctx context.Context, actor *beheer.Actor, id int64) (*Ref, error) {
	if id == 0 {
		return nil, nil
	}
	r, _, err := s.visible(ctx, actor, id)
	if err == nil {
		return &Ref{ID: r.ID, Number: r.Number, Title: r.Title}, nil
	}
	if beheer.ErrorCode(err) != beheer.CodeNotFound {
		return nil, err
	}
	ref := &Ref{ID: id}
	err = s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT number FROM requests WHERE id = $1`, id).Scan(&ref.Number)
	})
	return ref, err
}

// joined is a request a join changes, locked at the version the change is
// based on, and the request it is joined to (nil when there is none), each
// with the actor's facts and its joins: what the join's rule needs.
type joined struct {
	r, o  *beheer.Request
	f, of beheer.Facts
	j, oj beheer.Joins
}

// join loads the two requests of a join.
func (t *tx) join(ctx context.Context, actor *beheer.Actor, id, version, otherID int64) (*joined, error) {
	var p joined
	var err error
	if p.r, p.f, err = t.lockVersion(ctx, actor, id, version); err != nil {
		return nil, err
	}
	if p.j, err = joins(ctx, t, id); err != nil {
		return nil, err
	}
	p.o, err = t.s.loadRequest(ctx, t, otherID, false)
	if beheer.ErrorCode(err) == beheer.CodeNotFound {
		return &p, nil
	}
	if err != nil {
		return nil, err
	}
	if p.of, err = facts(ctx, t, actor, otherID); err != nil {
		return nil, err
	}
	p.oj, err = joins(ctx, t, otherID)
	return &p, err
}

// MarkDuplicate closes a request as a duplicate of another. Its requester
// is told and follows the original from then on; note, when given, is a
// public comment on the duplicate. version is the version the change is
// based on (0: any).
func (s *Store) MarkDuplicate(ctx context.Context, actor *beheer.Actor, id, version, originalID int64, note string) (*beheer.Request, error) {
	note = strings.TrimSpace(note)
	if err := (&beheer.NewComment{Body: note}).Validate(); note != "" && err != nil {
		return nil, err
	}
	var dup *beheer.Request
	err := s.write(ctx, func(t *tx) error {
		p, err := t.join(ctx, actor, id, version, originalID)
		if err != nil {
			return err
		}
		r, orig := p.r, p.o
		if err := beheer.CheckDuplicate(actor, r, p.f, p.j, orig, p.of, p.oj); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE requests SET duplicate_of = $1 WHERE id = $2`, orig.ID, id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, id, "request.duplicate", "duplicate_of", "", orig.Number, false); err != nil {
			return err
		}
		if err := t.end(ctx, actor, r, beheer.PhaseClosed, map[string]string{"duplicate_of": orig.Number}); err != nil {
			return err
		}
		if r.RequesterID != orig.RequesterID {
			if _, err := t.addFollower(ctx, actor, orig.ID, r.RequesterID, beheer.FollowDuplicate); err != nil {
				return err
			}
		}
		dup = r
		if note == "" {
			return nil
		}
		_, err = t.addComment(ctx, actor, id, beheer.NewComment{Body: note})
		return err
	})
	return dup, err
}

// end closes an open request outside the phase graph — as a duplicate, or
// with its parent incident — with the audit entry of the move and one
// phase event whose data says why (the recipient rules read it).
func (t *tx) end(ctx context.Context, actor *beheer.Actor, r *beheer.Request, to beheer.Phase, why map[string]string) error {
	from := r.Phase
	r.Phase, r.Status, r.ClosedAt = to, beheer.StatusOnEntry(to, beheer.Facts{}), t.now // a closed phase: nothing holds it
	if err := t.bump(ctx, actor, r); err != nil {
		return err
	}
	if err := t.audit(ctx, actor, r.ID, "request.transition", "phase", string(from), string(to), false); err != nil {
		return err
	}
	data := map[string]string{"from": string(from), "to": string(to)}
	for k, v := range why {
		data[k] = v
	}
	return t.emit(ctx, actor, EventPhaseChanged, r.ID, false, data)
}

// MakeParent marks a request as a parent incident with the summary the
// organisation reads on the new-request form; marking it again replaces
// the summary.
func (s *Store) MakeParent(ctx context.Context, actor *beheer.Actor, id int64, summary string) error {
	summary = strings.TrimSpace(summary)
	return s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		j, err := joins(ctx, t, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckMakeParent(actor, r, f, j, summary); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO parent_incidents (request_id, summary, created_by, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO UPDATE SET summary = excluded.summary`,
			id, summary, nullID(actor.UserID), ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, id, "request.parent", "summary", "", summary, false)
	})
}

// JoinParent joins a request to a parent incident: its requester follows
// the parent from then on and is told so; the request ends when the parent
// does.
func (s *Store) JoinParent(ctx context.Context, actor *beheer.Actor, id, parentID int64) error {
	return s.write(ctx, func(t *tx) error {
		p, err := t.join(ctx, actor, id, 0, parentID)
		if err != nil {
			return err
		}
		r, parent := p.r, p.o
		if err := beheer.CheckJoinParent(actor, r, p.f, p.j, parent, p.of, p.oj); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE requests SET parent_id = $1, version = version + 1, updated_at = $2 WHERE id = $3`,
			parent.ID, ms(t.now), id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, id, "request.joined_parent", "parent", "", parent.Number, false); err != nil {
			return err
		}
		if r.RequesterID != parent.RequesterID {
			if _, err := t.addFollower(ctx, actor, parent.ID, r.RequesterID, beheer.FollowParent); err != nil {
				return err
			}
		}
		return t.emit(ctx, actor, EventJoinedParent, id, false, map[string]string{"parent": itoa(parent.ID), "number": parent.Number})
	})
}

// LeaveParent takes a request out of its parent incident. Its requester
// stops following the parent unless another of their requests is still
// joined to it, or they follow it for another reason.
func (s *Store) LeaveParent(ctx context.Context, actor *beheer.Actor, id int64) error {
	return s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckLeaveParent(actor, r, f); err != nil {
			return err
		}
		j, err := joins(ctx, t, id)
		if err != nil || j.ParentID == 0 {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE requests SET parent_id = NULL, version = version + 1, updated_at = $1 WHERE id = $2`,
			ms(t.now), id); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM request_followers WHERE request_id = $1 AND user_id = $2 AND reason = $3
			AND NOT EXISTS (SELECT 1 FROM requests c WHERE c.parent_id = $1 AND c.requester_id = $2)`,
			j.ParentID, r.RequesterID, beheer.FollowParent); err != nil {
			return err
		}
		return t.audit(ctx, actor, id, "request.left_parent", "parent", itoa(j.ParentID), "", false)
	})
}

// JoinAsPerson lets the actor join an open parent incident from the
// new-request form instead of filing a request: they follow it.
func (s *Store) JoinAsPerson(ctx context.Context, actor *beheer.Actor, parentID int64) error {
	return s.write(ctx, func(t *tx) error {
		parent, err := t.s.loadRequest(ctx, t, parentID, true)
		if err != nil {
			return err
		}
		j, err := joins(ctx, t, parentID)
		if err != nil {
			return err
		}
		if err := beheer.CheckJoinAsPerson(actor, parent, j); err != nil {
			return err
		}
		if parent.RequesterID == actor.UserID {
			return nil
		}
		_, err = t.addFollower(ctx, actor, parentID, actor.UserID, beheer.FollowJoined)
		return err
	})
}

// endChildren ends, with their parent incident, the joined requests that
// beheer.EndsWithParent lets end: each with its audit entry and a phase
// event marked as the parent's, which tells nobody by itself — the
// parent's own event reaches every joined requester once.
func (t *tx) endChildren(ctx context.Context, actor *beheer.Actor, parent *beheer.Request, to beheer.Phase) error {
	rows, err := t.QueryContext(ctx, `SELECT id FROM requests WHERE parent_id = $1 ORDER BY id`, parent.ID)
	if err != nil {
		return err
	}
	ids, err := scanColumn[int64](rows)
	if err != nil {
		return err
	}
	for _, id := range ids {
		child, err := t.s.loadRequest(ctx, t, id, true)
		if err != nil {
			return err
		}
		f, err := facts(ctx, t, actor, id)
		if err != nil {
			return err
		}
		if !beheer.EndsWithParent(to, child, f) {
			continue
		}
		if err := t.end(ctx, actor, child, to, map[string]string{"parent": parent.Number}); err != nil {
			return err
		}
	}
	return nil
}

// parentSelect reads parent incidents as scanParent expects them.
const parentSelect = `SELECT r.id, r.number, r.title, p.summary, COALESCE(r.area_id, 0), r.phase, p.created_at,
	(SELECT COUNT(*) FROM requests c WHERE c.parent_id = r.id),
	(SELECT COUNT(*) FROM request_followers f WHERE f.request_id = r.id)
	FROM parent_incidents p JOIN requests r ON r.id = p.request_id`

func scanParent(row interface{ Scan(...any) error }) (*beheer.ParentIncident, error) {
	var p beheer.ParentIncident
	var at sql.NullInt64
	err := row.Scan(&p.RequestID, &p.Number, &p.Title, &p.Summary, &p.AreaID, &p.Phase, &at, &p.Linked, &p.Followers)
	p.CreatedAt = fromMS(at)
	return &p, err
}

// ParentIncidents lists the open parent incidents, newest first, with how
// many requests and people each gathers: what the new-request form offers
// to join ("bestaat uw vraag al?"). Everyone with an account reads their
// summaries; the requests themselves stay behind their own rules.
func (s *Store) ParentIncidents(ctx context.Context, actor *beheer.Actor) ([]beheer.ParentIncident, error) {
	if actor == nil || actor.UserID == 0 {
		return nil, beheer.ErrForbidden("")
	}
	var out []beheer.ParentIncident
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, parentSelect+` WHERE r.phase IN ('intake', 'investigation', 'execution', 'optimisation')
			ORDER BY r.id DESC LIMIT 20`)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			p, err := scanParent(rows)
			p.Title = "" // the summary is for everyone, the request's own title is not
			out = append(out, *p)
			return err
		})
	})
	return out, err
}

// ParentIncident returns the parent incident a request is, or nil.
func (s *Store) ParentIncident(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.ParentIncident, error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, err
	}
	var p *beheer.ParentIncident
	err := s.read(ctx, func(q querier) (err error) {
		p, err = scanParent(q.QueryRowContext(ctx, parentSelect+` WHERE p.request_id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			p, err = nil, nil
		}
		return err
	})
	return p, err
}

// JoinedRequests lists the requests joined to a parent incident, or closed
// as duplicates of a request, that the actor may see: whoever may read the
// parent sees the list as numbers and titles of those they may read.
func (s *Store) JoinedRequests(ctx context.Context, actor *beheer.Actor, id int64) (children, duplicates []*beheer.Request, err error) {
	if _, _, err := s.visible(ctx, actor, id); err != nil {
		return nil, nil, err
	}
	var q query
	q.visibility(actor)
	where := ""
	if len(q.where) > 0 {
		where = " AND " + strings.Join(q.where, " AND ")
	}
	idArg := q.arg(id)
	err = s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT `+requestColumns+`, COALESCE(r.parent_id, 0) = `+idArg+requestFrom+`
			WHERE (r.parent_id = `+idArg+` OR r.duplicate_of = `+idArg+`)`+where+` ORDER BY r.id LIMIT 500`, q.args...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var child bool
			r, err := scanRequest(rows, &child)
			if child {
				children = append(children, r)
			} else {
				duplicates = append(duplicates, r)
			}
			return err
		})
	})
	return children, duplicates, err
}
