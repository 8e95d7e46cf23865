package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"beheer"
)

// News items and knowledge-base articles are one table of publications,
// told apart by kind and numbered per kind. What sets the kinds apart
// comes from beheer.PublicationTraits; this file asks the traits, never the
// kind's name.

const publicationColumns = `x.kind, x.id, x.title, x.body, x.status, COALESCE(x.area_id, 0), COALESCE(a.code, ''),
	COALESCE(a.name, ''), COALESCE(x.audience_role, ''), x.tags, x.publish_at, x.expire_at, x.author_id, u.name,
	x.created_at, x.updated_at, x.version,
	(SELECT COUNT(*) FROM publication_feedback f WHERE f.kind = x.kind AND f.publication_id = x.id AND f.helpful),
	(SELECT COUNT(*) FROM publication_feedback f WHERE f.kind = x.kind AND f.publication_id = x.id AND NOT f.helpful)`

const publicationFrom = ` FROM publications x LEFT JOIN areas a ON a.id = x.area_id JOIN users u ON u.id = x.author_id`

func scanPublication(row interface{ Scan(...any) error }) (*beheer.Publication, error) {
	var p beheer.Publication
	var tags string
	var publish, expire, created, updated sql.NullInt64
	if err := row.Scan(&p.Kind, &p.ID, &p.Title, &p.Body, &p.Status, &p.AreaID, &p.AreaCode, &p.AreaName, &p.AudienceRole,
		&tags, &publish, &expire, &p.AuthorID, &p.AuthorName, &created, &updated, &p.Version, &p.Helpful, &p.NotHelpful); err != nil {
		return nil, err
	}
	p.Tags = strings.Fields(tags)
	p.PublishAt, p.ExpireAt, p.CreatedAt, p.UpdatedAt = fromMS(publish), fromMS(expire), fromMS(created), fromMS(updated)
	return &p, nil
}

// PublicationFilter selects publications of one kind. With a Query the best
// matches come first (one page, no cursor); without one, the newest: news
// by publication, articles by their last change.
type PublicationFilter struct {
	Kind beheer.PublicationKind
	// All asks, for a writer, for everything: drafts, expired items and
	// those for other audiences. Ignored for everyone else.
	All bool
	// Query searches kinds with Search: every word must match, with Dutch
	// stemming.
	Query    string
	AreaID   int64  // kinds with Search: only this area
	LinkedTo int64  // only publications linked to this request
	Limit    int    // 1..MaxLimit; 0 is DefaultLimit
	Cursor   string // from a previous PublicationPage, when there is no Query
	suggest  bool   // the Query is a title being typed: any word of three letters or more matches
}

// PublicationPage is one page of publications with the cursor of the next.
type PublicationPage struct {
	Items      []*beheer.Publication
	NextCursor string
}

// listKey is the column a kind's list runs newest first on, and the value
// of a publication in it.
func listKey(t beheer.PublicationTraits) (string, func(*beheer.Publication) time.Time) {
	if t.Dated {
		return "x.publish_at", func(p *beheer.Publication) time.Time { return p.PublishAt }
	}
	return "x.updated_at", func(p *beheer.Publication) time.Time { return p.UpdatedAt }
}

// Publications lists the publications of a kind the actor may read that
// match the filter: what is live for their audience, and for a writer who
// asks, everything. Keyset-paginated on the kind's list key and the id.
func (s *Store) Publications(ctx context.Context, actor *beheer.Actor, f PublicationFilter) (*PublicationPage, error) {
	t := f.Kind.Traits()
	text := strings.TrimSpace(f.Query)
	switch {
	case !f.Kind.Valid():
		return nil, beheer.Invalid("kind", "field.invalid")
	case text != "" && !t.Search:
		return nil, beheer.Invalid("q", "field.invalid")
	}
	limit, q := kbLimit(f.Limit), s.publicationQuery(actor, f)
	key, keyOf := listKey(t)
	order := " ORDER BY " + key + " DESC, x.id DESC"
	if text != "" {
		terms := beheer.ParseSearch(text).Terms
		if f.suggest { // a word being typed finds too much before its third letter
			terms = slices.DeleteFunc(terms, func(t string) bool { return utf8.RuneCountInString(t) < 3 })
		}
		match, ok := matchQuery(s.dialect, terms, f.suggest, nil)
		if !ok {
			return &PublicationPage{}, nil
		}
		order = s.dialect.articleMatch(&q, match)
	} else if f.Cursor != "" {
		c, ok := decodeCursor(f.Cursor, string(f.Kind), 2)
		if !ok {
			return nil, beheer.Invalid("cursor", "field.invalid")
		}
		at, id := q.arg(c.Keys[0]), q.arg(c.Keys[1])
		q.where = append(q.where, "("+key+" < "+at+" OR ("+key+" = "+at+" AND x.id < "+id+"))")
	}
	items, err := s.queryPublications(ctx, `SELECT `+publicationColumns+publicationFrom+kbWhere(q.where)+order+` LIMIT `+q.arg(limit+1), q.args)
	if err != nil {
		return nil, err
	}
	out := &PublicationPage{Items: items}
	if len(items) > limit {
		out.Items = items[:limit]
		if text == "" {
			last := out.Items[limit-1]
			out.NextCursor = encodeCursor(cursor{Sort: string(f.Kind), Keys: []int64{ms(keyOf(last)), last.ID}})
		}
	}
	return out, nil
}

// publicationQuery selects what the filter asks for: its kind, what the
// actor sees of it, its area and its request.
func (s *Store) publicationQuery(actor *beheer.Actor, f PublicationFilter) query {
	var q query
	q.where = append(q.where, "x.kind = "+q.arg(string(f.Kind)))
	if !f.All || !beheer.CanWritePublications(actor) {
		q.visibleTo(actor, f.Kind.Traits(), s.now())
	}
	if f.AreaID != 0 {
		q.where = append(q.where, "x.area_id = "+q.arg(f.AreaID))
	}
	if f.LinkedTo != 0 {
		q.where = append(q.where, "x.id IN (SELECT l.publication_id FROM publication_links l WHERE l.kind = x.kind AND l.request_id = "+
			q.arg(f.LinkedTo)+")")
	}
	return q
}

// visibleTo restricts a query to what someone who does not write sees of a
// kind — beheer.Publication.VisibleTo in SQL: published, between its dates,
// for an audience they are in.
func (q *query) visibleTo(actor *beheer.Actor, t beheer.PublicationTraits, now time.Time) {
	q.where = append(q.where, "x.status = "+q.arg(string(beheer.PublicationPublished)))
	if t.Dated {
		at := q.arg(ms(now))
		q.where = append(q.where, "x.publish_at <= "+at, "(x.expire_at IS NULL OR x.expire_at > "+at+")")
	}
	if t.Audience {
		q.audience(beheer.AudienceReachOf(actor))
	}
}

// audience restricts publications to those whose audience covers a reader
// of reach r (beheer.AudienceReach.Covers). Placeholders are made only where
// the SQL uses them: PostgreSQL refuses a parameter that appears nowhere.
func (q *query) audience(r beheer.AudienceReach) {
	cond := []string{"(x.audience_role IS NULL AND x.area_id IS NULL)"}
	switch {
	case r.AllAreas:
		cond = append(cond, "(x.audience_role IS NULL)")
	case len(r.Areas) > 0:
		cond = append(cond, "(x.audience_role IS NULL AND x.area_id IN ("+q.ids(r.Areas)+"))")
	}
	for _, rr := range r.Roles {
		c := "x.audience_role = " + q.arg(string(rr.Role))
		if !rr.AllAreas {
			c += " AND (x.area_id IS NULL OR x.area_id IN (" + q.ids(rr.Areas) + "))"
		}
		cond = append(cond, "("+c+")")
	}
	q.where = append(q.where, "("+strings.Join(cond, " OR ")+")")
}

// ids makes one placeholder per id, comma-separated.
func (q *query) ids(list []int64) string {
	ph := make([]string, len(list))
	for i, id := range list {
		ph[i] = q.arg(id)
	}
	return strings.Join(ph, ", ")
}

func (s *Store) queryPublications(ctx context.Context, sqlText string, args []any) ([]*beheer.Publication, error) {
	var out []*beheer.Publication
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, sqlText, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPublication(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// SuggestPublications finds live publications of a searchable kind for a
// request being typed: any meaningful word may match, the best matches
// first.
func (s *Store) SuggestPublications(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, title string, limit int) ([]*beheer.Publication, error) {
	if !kind.Traits().Search {
		return nil, nil
	}
	p, err := s.Publications(ctx, actor, PublicationFilter{Kind: kind, Query: title, suggest: true, Limit: limit})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Publication returns one publication with the actor's own vote: to a
// writer any, to everyone else only one they may read (not found
// otherwise).
func (s *Store) Publication(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, id int64) (*beheer.Publication, error) {
	var p *beheer.Publication
	err := s.read(ctx, func(db querier) error {
		var err error
		if p, err = loadPublication(ctx, db, kind, id); err != nil {
			return err
		}
		if !p.VisibleTo(actor, s.now()) {
			return beheer.ErrNotFound()
		}
		if !kind.Traits().Feedback {
			return nil
		}
		var vote sql.NullBool
		err = db.QueryRowContext(ctx, `SELECT helpful FROM publication_feedback WHERE kind = $1 AND publication_id = $2 AND user_id = $3`,
			string(kind), id, actor.UserID).Scan(&vote)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if vote.Valid {
			p.MyVote = map[bool]int{true: 1, false: -1}[vote.Bool]
		}
		return nil
	})
	return p, err
}

func loadPublication(ctx context.Context, db querier, kind beheer.PublicationKind, id int64) (*beheer.Publication, error) {
	p, err := scanPublication(db.QueryRowContext(ctx, `SELECT `+publicationColumns+publicationFrom+` WHERE x.kind = $1 AND x.id = $2`,
		string(kind), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return p, err
}

// lockPublication loads what a write checks of a publication and locks it.
func (t *tx) lockPublication(ctx context.Context, kind beheer.PublicationKind, id int64) (*beheer.Publication, error) {
	p := beheer.Publication{Kind: kind, ID: id}
	var publish sql.NullInt64
	err := t.QueryRowContext(ctx, `SELECT status, version, publish_at FROM publications WHERE kind = $1 AND id = $2`+t.s.dialect.lock(""),
		string(kind), id).Scan(&p.Status, &p.Version, &publish)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	p.PublishAt = fromMS(publish)
	return &p, err
}

// checkPublication checks a publication for the actor before a write.
func (t *tx) checkPublication(ctx context.Context, actor *beheer.Actor, in *beheer.PublicationInput) error {
	if !beheer.CanWritePublications(actor) {
		return beheer.Refusal(beheer.PermPublicationWrite)
	}
	if err := in.Validate(t.now); err != nil {
		return err
	}
	return t.kbCheckArea(ctx, in.AreaID, in.Kind.Traits().AreaField)
}

// kbCheckArea answers a field error when an area id is not 0 and unknown.
func (t *tx) kbCheckArea(ctx context.Context, areaID int64, field string) error {
	if areaID == 0 {
		return nil
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM areas WHERE id = $1`, areaID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return beheer.Invalid(field, "field.unknown_area")
	}
	return nil
}

// CreatePublication writes a publication, numbered next in its kind, with
// its first revision where the kind keeps them; only writers write.
func (s *Store) CreatePublication(ctx context.Context, actor *beheer.Actor, in beheer.PublicationInput) (*beheer.Publication, error) {
	var id int64
	err := s.write(ctx, func(t *tx) (err error) {
		id, err = t.createPublication(ctx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Publication(ctx, actor, in.Kind, id)
}

func (t *tx) createPublication(ctx context.Context, actor *beheer.Actor, in beheer.PublicationInput) (int64, error) {
	if err := t.checkPublication(ctx, actor, &in); err != nil {
		return 0, err
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO publication_numbers (kind, last) VALUES ($1, 1)
		ON CONFLICT (kind) DO UPDATE SET last = publication_numbers.last + 1 RETURNING last`, string(in.Kind)).Scan(&id); err != nil {
		return 0, err
	}
	tags := strings.Join(in.Tags, " ")
	title, tagTerms, body := publicationTerms(in.Kind, in.Title, tags, in.Body)
	if _, err := t.ExecContext(ctx, `INSERT INTO publications (kind, id, title, body, status, area_id, audience_role, tags,
		publish_at, expire_at, author_id, created_at, updated_at, title_terms, tags_terms, body_terms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15)`,
		string(in.Kind), id, in.Title, in.Body, string(in.Status), nullID(in.AreaID), nullText(string(in.AudienceRole)),
		tags, msOrNil(in.PublishMoment(time.Time{}, t.now)), msOrNil(in.ExpireAt),
		actor.UserID, ms(t.now), title, tagTerms, body); err != nil {
		return 0, err
	}
	if err := t.publicationRevision(ctx, actor, id, 1, in); err != nil {
		return 0, err
	}
	kind, ref := string(in.Kind), itoa(id)+" "+in.Title
	if err := t.audit(ctx, actor, 0, kind+".created", kind, "", ref, false); err != nil {
		return 0, err
	}
	if in.Kind.Traits().Drafts && in.Status == beheer.PublicationPublished {
		return id, t.audit(ctx, actor, 0, kind+".published", kind, "", ref, false)
	}
	return id, nil
}

// publicationTerms are what a publication of a searchable kind is found
// by: the terms of its title, its tags and its text apart, which weigh
// apart (articleMatch); empty for other kinds.
func publicationTerms(kind beheer.PublicationKind, title, tags, body string) (string, string, string) {
	if !kind.Traits().Search {
		return "", "", ""
	}
	return beheer.IndexTerms(title), beheer.IndexTerms(tags), beheer.IndexTerms(body)
}

// publicationRevision keeps a saved version, where the kind keeps them.
func (t *tx) publicationRevision(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.PublicationInput) error {
	if !in.Kind.Traits().Revisions {
		return nil
	}
	_, err := t.ExecContext(ctx, `INSERT INTO publication_revisions (kind, publication_id, version, title, body, status, editor_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, string(in.Kind), id, version, in.Title, in.Body, string(in.Status), actor.UserID, ms(t.now))
	return err
}

// UpdatePublication saves a new version of the publication of in's kind.
// version is the version the change is based on; a stale one is refused
// (412) and nothing changes. A news item without a publication moment keeps
// its own; an article keeps the previous versions as revisions.
func (s *Store) UpdatePublication(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.PublicationInput) (*beheer.Publication, error) {
	err := s.write(ctx, func(t *tx) error {
		if !beheer.CanWritePublications(actor) {
			return beheer.Refusal(beheer.PermPublicationWrite)
		}
		cur, err := t.lockPublication(ctx, in.Kind, id)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, in.Kind.Key("stale"))
		}
		if in.PublishAt.IsZero() {
			in.PublishAt = cur.PublishAt
		}
		if err := t.checkPublication(ctx, actor, &in); err != nil {
			return err
		}
		tags := strings.Join(in.Tags, " ")
		title, tagTerms, body := publicationTerms(in.Kind, in.Title, tags, in.Body)
		if _, err := t.ExecContext(ctx, `UPDATE publications SET title = $1, body = $2, status = $3, area_id = $4, audience_role = $5,
			tags = $6, publish_at = $7, expire_at = $8, updated_at = $9, version = version + 1,
			title_terms = $12, tags_terms = $13, body_terms = $14 WHERE kind = $10 AND id = $11`,
			in.Title, in.Body, string(in.Status), nullID(in.AreaID), nullText(string(in.AudienceRole)), tags,
			msOrNil(in.PublishMoment(cur.PublishAt, t.now)), msOrNil(in.ExpireAt), ms(t.now), string(in.Kind), id,
			title, tagTerms, body); err != nil {
			return err
		}
		if err := t.publicationRevision(ctx, actor, id, cur.Version+1, in); err != nil {
			return err
		}
		return t.auditUpdate(ctx, actor, cur, in)
	})
	if err != nil {
		return nil, err
	}
	return s.Publication(ctx, actor, in.Kind, id)
}

// auditUpdate records a saved change, naming the versions where the kind
// keeps them, and a change of status.
func (t *tx) auditUpdate(ctx context.Context, actor *beheer.Actor, cur *beheer.Publication, in beheer.PublicationInput) error {
	kind, before, after := string(cur.Kind), itoa(cur.ID), itoa(cur.ID)
	if cur.Kind.Traits().Revisions {
		before, after = before+" v"+itoa(cur.Version), after+" v"+itoa(cur.Version+1)
	}
	if err := t.audit(ctx, actor, 0, kind+".updated", kind, before, after+" "+in.Title, false); err != nil {
		return err
	}
	ref := itoa(cur.ID) + " " + in.Title
	switch {
	case cur.Status != beheer.PublicationPublished && in.Status == beheer.PublicationPublished:
		return t.audit(ctx, actor, 0, kind+".published", kind, "", ref, false)
	case cur.Status == beheer.PublicationPublished && in.Status != beheer.PublicationPublished:
		return t.audit(ctx, actor, 0, kind+".unpublished", kind, ref, "", false)
	}
	return nil
}

// PublicationRevisions lists every saved version of a publication, newest
// first. Only writers see the history.
func (s *Store) PublicationRevisions(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, id int64) ([]beheer.PublicationRevision, error) {
	if _, err := s.Publication(ctx, actor, kind, id); err != nil {
		return nil, err
	}
	if !beheer.CanWritePublications(actor) {
		return nil, beheer.Refusal(beheer.PermPublicationWrite)
	}
	var out []beheer.PublicationRevision
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT r.version, r.title, r.body, r.status, r.editor_id, u.name, r.at
			FROM publication_revisions r JOIN users u ON u.id = r.editor_id WHERE r.kind = $1 AND r.publication_id = $2
			ORDER BY r.version DESC LIMIT 500`, string(kind), id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r beheer.PublicationRevision
			var at sql.NullInt64
			if err := rows.Scan(&r.Version, &r.Title, &r.Body, &r.Status, &r.EditorID, &r.EditorName, &at); err != nil {
				return err
			}
			r.At = fromMS(at)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// RatePublication records the actor's "did this help?" answer
// (beheer.CheckFeedback). One vote per person: a later vote replaces the
// earlier one.
func (s *Store) RatePublication(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, id int64, helpful bool) (*beheer.Publication, error) {
	err := s.write(ctx, func(t *tx) error {
		p, err := loadPublication(ctx, t, kind, id)
		if err != nil {
			return err
		}
		if err := beheer.CheckFeedback(actor, p, t.now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO publication_feedback (kind, publication_id, user_id, helpful, at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, publication_id, user_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
			string(kind), id, actor.UserID, helpful, ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, string(kind)+".feedback", string(kind), itoa(id), boolText(helpful), false)
	})
	if err != nil {
		return nil, err
	}
	return s.Publication(ctx, actor, kind, id)
}

// ArticleFromRequest turns a solved question into a draft article: the
// request's title, and as text the latest public comment of a functional
// admin (or else the request's description). The two are linked.
func (s *Store) ArticleFromRequest(ctx context.Context, actor *beheer.Actor, requestID int64) (*beheer.Publication, error) {
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if !beheer.CanWritePublications(actor) {
			return beheer.Refusal(beheer.PermPublicationWrite)
		}
		r, _, err := t.lockVisible(ctx, actor, requestID)
		if err != nil {
			return err
		}
		in := beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: r.Title, Body: r.Description, AreaID: r.AreaID,
			Status: beheer.PublicationDraft}
		var answer string
		err = t.QueryRowContext(ctx, `SELECT c.body FROM comments c WHERE c.request_id = $1 AND NOT c.internal
			AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = c.author_id AND ur.role = $2)
			ORDER BY c.id DESC LIMIT 1`, requestID, string(beheer.RoleFunctionalAdmin)).Scan(&answer)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if strings.TrimSpace(answer) != "" {
			in.Body = answer
		}
		if id, err = t.createPublication(ctx, actor, in); err != nil {
			return err
		}
		return t.linkPublication(ctx, actor, in.Kind, id, requestID)
	})
	if err != nil {
		return nil, err
	}
	return s.Publication(ctx, actor, beheer.PublicationArticle, id)
}

// LinkPublication links a publication to a request (for example the change
// a news item announces, or the question an article answers). Only writers
// link, and only requests they may see.
func (s *Store) LinkPublication(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, id, requestID int64) error {
	return s.write(ctx, func(t *tx) error {
		if !beheer.CanWritePublications(actor) {
			return beheer.Refusal(beheer.PermPublicationWrite)
		}
		if _, err := t.lockPublication(ctx, kind, id); err != nil {
			return err
		}
		if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
			if beheer.ErrorCode(err) == beheer.CodeNotFound {
				return beheer.Invalid("request", "field.unknown_request")
			}
			return err
		}
		return t.linkPublication(ctx, actor, kind, id, requestID)
	})
}

func (t *tx) linkPublication(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, id, requestID int64) error {
	if _, err := t.ExecContext(ctx, `INSERT INTO publication_links (kind, publication_id, request_id, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, publication_id, request_id) DO NOTHING`,
		string(kind), id, requestID, nullID(actor.UserID), ms(t.now)); err != nil {
		return err
	}
	return t.audit(ctx, actor, requestID, string(kind)+".linked", string(kind), "", itoa(id), false)
}

// PublicationLinkedRequests lists the requests a publication is linked to
// that the actor may see.
func (s *Store) PublicationLinkedRequests(ctx context.Context, actor *beheer.Actor, kind beheer.PublicationKind, id int64) ([]*beheer.Request, error) {
	if _, err := s.Publication(ctx, actor, kind, id); err != nil {
		return nil, err
	}
	var ids []int64
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT request_id FROM publication_links WHERE kind = $1 AND publication_id = $2
			ORDER BY request_id LIMIT 100`, string(kind), id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return err
			}
			ids = append(ids, rid)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	var out []*beheer.Request
	for _, rid := range ids {
		r, _, err := s.visible(ctx, actor, rid)
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// KnowledgeForRequest returns the articles and news linked to a request the
// actor may see, each kind as its list shows it to them.
func (s *Store) KnowledgeForRequest(ctx context.Context, actor *beheer.Actor, requestID int64) (*beheer.RequestKnowledge, error) {
	if _, _, err := s.visible(ctx, actor, requestID); err != nil {
		return nil, err
	}
	out := &beheer.RequestKnowledge{CanWrite: beheer.CanWritePublications(actor)}
	for kind, into := range map[beheer.PublicationKind]*[]*beheer.Publication{
		beheer.PublicationArticle: &out.Articles, beheer.PublicationNews: &out.News,
	} {
		p, err := s.Publications(ctx, actor, PublicationFilter{Kind: kind, All: true, LinkedTo: requestID, Limit: 50})
		if err != nil {
			return nil, err
		}
		*into = p.Items
	}
	return out, nil
}

// kbWhere joins conditions into a WHERE clause, or "".
func kbWhere(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// kbLimit bounds a page size.
func kbLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}
