package store

import (
	"context"
	"database/sql"
	"strings"

	"beheer"
)

// This file holds the followers of requests (volgers), the followers of an
// area, and mentions in comments. Following is a fact of the request
// (beheer.Facts.Follows), read with its other facts in one query.

// Events of working together.
const (
	// EventMentioned: a comment mentions people who may read it; data
	// "users" names them, "comment" the comment.
	EventMentioned = "comment.mentioned"
	// EventFollowerAdded: someone was made to follow a request; data
	// "user" names them.
	EventFollowerAdded = "request.follower_added"
)

// Followers lists the people who follow a request, by name: all of them
// for its requester and for staff who read its internal side; a follower
// sees only themselves — who else reported the same problem is not theirs
// to know.
func (s *Store) Followers(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.Follower, error) {
	r, f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	all := r.RequesterID == actor.UserID || beheer.CanSeeInternal(actor, r, f)
	var out []beheer.Follower
	err = s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT f.user_id, u.name, f.reason, COALESCE(f.added_by, 0), f.added_at
			FROM request_followers f JOIN users u ON u.id = f.user_id WHERE f.request_id = $1 ORDER BY u.name, u.id`, id)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var f beheer.Follower
			var at sql.NullInt64
			err := rows.Scan(&f.UserID, &f.Name, &f.Reason, &f.AddedBy, &at)
			f.AddedAt = fromMS(at)
			if all || f.UserID == actor.UserID {
				out = append(out, f)
			}
			return err
		})
	})
	return out, err
}

// Follow makes a person follow a request: the actor themselves, or, for
// the requester and its managers, a colleague. The person must be an
// active person; following twice changes nothing.
func (s *Store) Follow(ctx context.Context, actor *beheer.Actor, id, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		person, err := t.person(ctx, userID)
		if err != nil {
			return err
		}
		if err := beheer.CheckFollow(actor, r, f, person); err != nil {
			return err
		}
		reason := beheer.FollowAdded
		if userID == actor.UserID {
			reason = beheer.FollowSelf
		}
		added, err := t.addFollower(ctx, actor, id, userID, reason)
		if err != nil || !added || userID == actor.UserID {
			return err
		}
		return t.emit(ctx, actor, EventFollowerAdded, id, false, map[string]string{"user": itoa(userID)})
	})
}

// Unfollow stops a person following a request.
func (s *Store) Unfollow(ctx context.Context, actor *beheer.Actor, id, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVisible(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckUnfollow(actor, r, f, userID); err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, `DELETE FROM request_followers WHERE request_id = $1 AND user_id = $2`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return t.audit(ctx, actor, id, "follower.removed", "follower", itoa(userID), "", false)
	})
}

// addFollower records that a person follows a request, with the audit
// entry; added is false when they followed it already.
func (t *tx) addFollower(ctx context.Context, actor *beheer.Actor, id, userID int64, reason beheer.FollowReason) (bool, error) {
	res, err := t.ExecContext(ctx, `INSERT INTO request_followers (request_id, user_id, reason, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, id, userID, reason, nullID(actor.UserID), ms(t.now))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, t.audit(ctx, actor, id, "follower.added", "follower", string(reason), itoa(userID), false)
}

// FollowedRequests lists the open requests the actor follows, newest
// first: the requests lists show what one filed, handles or reads by role,
// and this what one follows.
func (s *Store) FollowedRequests(ctx context.Context, actor *beheer.Actor, limit int) ([]*beheer.Request, error) {
	var out []*beheer.Request
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+requestColumns+requestFrom+`
			JOIN request_followers f ON f.request_id = r.id AND f.user_id = $1
			ORDER BY r.open DESC, r.id DESC LIMIT $2`, actor.UserID, limit)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			r, err := scanRequest(rows)
			out = append(out, r)
			return err
		})
	})
	return out, err
}

// followedAmong returns which of the requests ids the person follows: the
// bell names a followed request as CanRead lets them read it.
func (s *Store) followedAmong(ctx context.Context, userID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 1)
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT request_id FROM request_followers WHERE user_id = $1 AND request_id IN (`+in+`)`,
			append([]any{userID}, args...)...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var id int64
			err := rows.Scan(&id)
			out[id] = true
			return err
		})
	})
	return out, err
}

// mention resolves the mentions in a comment just written: each handle
// names the active people whose address starts with it; those who may
// read the comment (beheer.MentionReaches) are told by one event, the
// handles that reach nobody are returned, so the writer hears the mention
// had no effect — and nothing else: not whether such a person exists.
func (t *tx) mention(ctx context.Context, actor *beheer.Actor, r *beheer.Request, c *beheer.Comment) error {
	handles := beheer.Mentions(c.Body)
	if len(handles) == 0 {
		return nil
	}
	var reached []string
	for _, h := range handles {
		ids, err := t.handleOwners(ctx, h)
		if err != nil {
			return err
		}
		hit := false
		for _, id := range ids {
			ok, err := t.mayReadComment(ctx, id, r, c.Internal)
			if err != nil {
				return err
			}
			if ok && id != actor.UserID {
				reached = append(reached, itoa(id))
			}
			hit = hit || ok
		}
		if !hit {
			c.MentionsWithoutEffect = append(c.MentionsWithoutEffect, "@"+h)
		}
	}
	if len(reached) == 0 {
		return nil
	}
	return t.emit(ctx, actor, EventMentioned, r.ID, c.Internal, map[string]string{"users": strings.Join(reached, ","),
		"comment": itoa(c.ID)})
}

// handleOwners lists the active people whose e-mail address's local part
// is handle.
func (t *tx) handleOwners(ctx context.Context, handle string) ([]int64, error) {
	rows, err := t.QueryContext(ctx, `SELECT id FROM users WHERE active AND LOWER(SUBSTR(email, 1, $1)) = $2 ORDER BY id`,
		len([]rune(handle))+1, handle+"@")
	if err != nil {
		return nil, err
	}
	return scanColumn[int64](rows)
}

// mayReadComment applies beheer.MentionReaches to a person, with their
// roles and facts as they are now.
func (t *tx) mayReadComment(ctx context.Context, userID int64, r *beheer.Request, internal bool) (bool, error) {
	roles, err := loadRoles(ctx, t, userID)
	if err != nil {
		return false, err
	}
	person := &beheer.Actor{UserID: userID, Roles: roles}
	f, err := facts(ctx, t, person, r.ID)
	if err != nil {
		return false, err
	}
	return beheer.MentionReaches(person, r, f, internal), nil
}

// MentionCandidates lists, at most limit, the people a comment on the
// request may mention whose handle or name starts with prefix: active
// staff who may read the request (and for an internal note, its internal
// notes) by their roles. Only those who see internal notes get the list,
// so it tells a requester nothing about the staff.
func (s *Store) MentionCandidates(ctx context.Context, actor *beheer.Actor, id int64, prefix string, internal bool, limit int) ([]beheer.User, error) {
	r, f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !beheer.CanSeeInternal(actor, r, f) {
		return nil, nil
	}
	prefix = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(prefix), "@"))
	var staff []beheer.User
	err = s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT u.id, u.email, u.name, u.lang, u.active, u.created_at, ur.role, ur.area_id
			FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active AND ur.role <> 'user' ORDER BY u.name, u.id, ur.role, ur.area_id`)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var u beheer.User
			var created sql.NullInt64
			var a beheer.Assignment
			if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Lang, &u.Active, &created, &a.Role, &a.AreaID); err != nil {
				return err
			}
			if n := len(staff); n > 0 && staff[n-1].ID == u.ID {
				staff[n-1].Roles = append(staff[n-1].Roles, a)
				return nil
			}
			u.CreatedAt, u.Roles = fromMS(created), []beheer.Assignment{a}
			staff = append(staff, u)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	var out []beheer.User
	for _, u := range staff {
		named := strings.HasPrefix(beheer.Handle(u.Email), prefix) || strings.HasPrefix(strings.ToLower(u.Name), prefix)
		if named && u.ID != actor.UserID && beheer.MentionReaches(u.Actor(), r, beheer.Facts{}, internal) {
			out = append(out, u)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}
