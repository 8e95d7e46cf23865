package store

import (
	"context"
	"database/sql"
	"strings"

	"beheer"
)

// AddComment adds a public comment or an internal note to a request. A
// requester's reply to a question puts the request back with its assignee.
func (s *Store) AddComment(ctx context.Context, actor *beheer.Actor, id int64, n beheer.NewComment) (*beheer.Comment, error) {
	n.Body = strings.TrimSpace(n.Body)
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var c *beheer.Comment
	err := s.write(ctx, func(t *tx) error {
		var err error
		c, err = t.comment(ctx, actor, id, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// comment adds a validated comment inside a transaction: it checks the
// rules before it writes anything, so a refusal leaves the transaction
// clean (incoming e-mail records the refusal in it).
func (t *tx) comment(ctx context.Context, actor *beheer.Actor, id int64, n beheer.NewComment) (*beheer.Comment, error) {
	r, f, err := t.lockVisible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := beheer.CheckComment(actor, r, f, n.Internal); err != nil {
		return nil, err
	}
	c, err := t.post(ctx, actor, id, n)
	if err != nil {
		return nil, err
	}
	if beheer.CanSeeInternal(actor, r, f) { // staff mention colleagues; a requester's "@" is text
		if err := t.mention(ctx, actor, r, c); err != nil {
			return nil, err
		}
	}
	if n.Internal {
		return c, nil
	}
	if next := beheer.StatusAfterComment(actor, r, f); next != r.Status {
		before := r.Status
		r.Status = next
		if err := t.bump(ctx, actor, r); err != nil {
			return nil, err
		}
		return c, t.audit(ctx, actor, id, "request.updated", "status", string(before), string(next), false)
	}
	return c, nil
}

// AskRequester puts a question to the requester: a public comment, and
// the request then waits for the requester. Both are written in one
// transaction, so neither is saved without the other. version is the
// version the question was based on (0: any); a stale one saves nothing.
func (s *Store) AskRequester(ctx context.Context, actor *beheer.Actor, id, version int64, question string) (*beheer.Comment, error) {
	return s.reply(ctx, actor, id, version, question, func(t *tx, r *beheer.Request, f beheer.Facts, n beheer.NewComment) (*beheer.Comment, error) {
		if err := beheer.CheckQuestion(actor, r, f); err != nil {
			return nil, err
		}
		status := beheer.StatusAwaitingRequester
		if err := t.applyPatch(ctx, actor, r, &beheer.Patch{Status: &status}); err != nil {
			return nil, err
		}
		return t.post(ctx, actor, id, n)
	})
}

// reply writes a public reply that does more than comment: the body is
// checked first, then fn gets the request, locked at version (0: any) with
// the actor's facts, and writes the reply with what comes with it, all in
// one transaction.
func (s *Store) reply(ctx context.Context, actor *beheer.Actor, id, version int64, body string,
	fn func(t *tx, r *beheer.Request, f beheer.Facts, n beheer.NewComment) (*beheer.Comment, error)) (*beheer.Comment, error) {
	n := beheer.NewComment{Body: strings.TrimSpace(body)}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var c *beheer.Comment
	err := s.write(ctx, func(t *tx) error {
		r, f, err := t.lockVersion(ctx, actor, id, version)
		if err != nil {
			return err
		}
		c, err = fn(t, r, f, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// post writes a comment that passed the rules and returns it as written.
func (t *tx) post(ctx context.Context, actor *beheer.Actor, id int64, n beheer.NewComment) (*beheer.Comment, error) {
	cid, err := t.addComment(ctx, actor, id, n)
	if err != nil {
		return nil, err
	}
	return &beheer.Comment{ID: cid, RequestID: id, AuthorID: actor.UserID, AuthorName: actor.Name, Body: n.Body,
		Internal: n.Internal, CreatedAt: t.now}, nil
}

// commentInsert inserts a comment: request, author, body, internal, time.
const commentInsert = `INSERT INTO comments (request_id, author_id, body, internal, created_at)
	VALUES ($1, $2, $3, $4, $5) RETURNING id`

// addComment writes a comment with what adding it records (commentRows).
func (t *tx) addComment(ctx context.Context, actor *beheer.Actor, id int64, n beheer.NewComment) (int64, error) {
	at := ms(t.now)
	return t.s.dialect.insertLogged(ctx, t, commentInsert, []any{id, actor.UserID, n.Body, n.Internal, at},
		func(cid val) []logRow { return commentRows(actor, id, at, n.Internal, cid) })
}

// commentRows is what adding comment cid to request id records beside it:
// the event and the audit entry, internal as the comment is.
func commentRows(actor *beheer.Actor, id, at int64, internal bool, cid val) []logRow {
	return []logRow{
		eventRow(actor, EventCommentAdded, known(nullID(id)), at, internal, idJSON("comment", cid)),
		auditRow(actor, known(nullID(id)), at, "comment.added", "comment", "", cid.idText(), internal),
	}
}

// Comments lists the comments of a request, oldest first. Internal notes are
// left out for whoever may not see them, the requester above all.
func (s *Store) Comments(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.Comment, error) {
	r, f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	internal := beheer.CanSeeInternal(actor, r, f)
	var out []beheer.Comment
	err = s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT c.id, c.author_id, u.name, c.body, c.internal, c.created_at
			FROM comments c JOIN users u ON u.id = c.author_id
			WHERE c.request_id = $1 AND (NOT c.internal OR $2) ORDER BY c.id`, id, internal)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := beheer.Comment{RequestID: id}
			var at sql.NullInt64
			if err := rows.Scan(&c.ID, &c.AuthorID, &c.AuthorName, &c.Body, &c.Internal, &at); err != nil {
				return err
			}
			c.CreatedAt = fromMS(at)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}
