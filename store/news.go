package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"beheer"
)

// NewsItem is a message to the organisation (nieuwsbericht): shown from
// PublishAt until ExpireAt (zero: no end) to its audience — everyone, the
// holders of AudienceRole, the people with a role in AudienceAreaID, or that
// role in that area when both are set.
type NewsItem struct {
	ID               int64
	Title            string
	Body             string // Markdown
	AudienceRole     beheer.Role
	AudienceAreaID   int64
	AudienceAreaCode string
	AudienceAreaName string
	PublishAt        time.Time
	ExpireAt         time.Time
	AuthorID         int64
	AuthorName       string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int64
}

// Draft reports whether the item is not yet published at now.
func (n *NewsItem) Draft(now time.Time) bool { return n.PublishAt.After(now) }

// Expired reports whether the item's expiry has passed at now.
func (n *NewsItem) Expired(now time.Time) bool { return !n.ExpireAt.IsZero() && !n.ExpireAt.After(now) }

// State names where the item stands at now: "draft", "live" or "expired".
func (n *NewsItem) State(now time.Time) string {
	switch {
	case n.Draft(now):
		return "draft"
	case n.Expired(now):
		return "expired"
	}
	return "live"
}

// NewsInput is what a writer sends to create or change a news item.
type NewsInput struct {
	Title          string
	Body           string
	AudienceRole   beheer.Role // "" is everyone
	AudienceAreaID int64       // 0 is every area
	PublishAt      time.Time   // zero means now
	ExpireAt       time.Time   // zero means no end
}

// Limits of a news item.
const (
	maxNewsTitle = 200
	maxNewsBody  = 50000
)

// Validate checks a news item's fields; an expiry on or before the
// publication is refused with a message beside the expiry field.
func (n *NewsInput) Validate() error {
	var v beheer.Validation
	n.Title = strings.TrimSpace(n.Title)
	switch {
	case n.Title == "":
		v.Add("title", "field.required")
	case len([]rune(n.Title)) > maxNewsTitle:
		v.Add("title", "field.too_long", "max", maxNewsTitle)
	}
	if len([]rune(n.Body)) > maxNewsBody {
		v.Add("body", "field.too_long", "max", maxNewsBody)
	}
	if n.AudienceRole != "" && (!n.AudienceRole.Valid() || n.AudienceRole == beheer.RoleUser) {
		v.Add("audience_role", "news.field.audience_role_invalid")
	}
	if !n.ExpireAt.IsZero() && !n.ExpireAt.After(n.PublishAt) {
		v.Add("expire_at", "news.field.expire_before_publish")
	}
	return v.Err()
}

// CanWriteNews reports whether the actor writes news and articles: a
// functional admin of any area.
func CanWriteNews(actor *beheer.Actor) bool { return actor.CanAnywhere(beheer.PermPublicationWrite) }

const newsColumns = `n.id, n.title, n.body, COALESCE(n.audience_role, ''), COALESCE(n.audience_area, 0),
	COALESCE(a.code, ''), COALESCE(a.name, ''), n.publish_at, n.expire_at, n.author_id, u.name,
	n.created_at, n.updated_at, n.version`

const newsFrom = ` FROM news_items n LEFT JOIN areas a ON a.id = n.audience_area JOIN users u ON u.id = n.author_id`

func scanNews(row interface{ Scan(...any) error }) (*NewsItem, error) {
	var n NewsItem
	var publish, expire, created, updated sql.NullInt64
	if err := row.Scan(&n.ID, &n.Title, &n.Body, &n.AudienceRole, &n.AudienceAreaID, &n.AudienceAreaCode,
		&n.AudienceAreaName, &publish, &expire, &n.AuthorID, &n.AuthorName, &created, &updated, &n.Version); err != nil {
		return nil, err
	}
	n.PublishAt, n.ExpireAt, n.CreatedAt, n.UpdatedAt = fromMS(publish), fromMS(expire), fromMS(created), fromMS(updated)
	return &n, nil
}

// newsAudience restricts news to what the actor is in the audience of:
// everyone's items, items for a role they hold (in the item's area when it
// has one), and items for an area they hold any role in. An unscoped role
// covers every area.
func (q *query) newsAudience(actor *beheer.Actor) {
	cond := []string{"(n.audience_role IS NULL AND n.audience_area IS NULL)"}
	var anyAreas []int64
	anyAll := false
	byRole := map[beheer.Role][]int64{}
	roleAll := map[beheer.Role]bool{}
	var roles []beheer.Role
	for _, as := range actor.Roles {
		if as.Role == beheer.RoleUser {
			continue
		}
		if _, seen := byRole[as.Role]; !seen && !roleAll[as.Role] {
			roles = append(roles, as.Role)
			byRole[as.Role] = nil
		}
		if as.AreaID == 0 {
			anyAll, roleAll[as.Role] = true, true
			continue
		}
		anyAreas = append(anyAreas, as.AreaID)
		byRole[as.Role] = append(byRole[as.Role], as.AreaID)
	}
	// Placeholders are made only where the SQL uses them: PostgreSQL
	// refuses a parameter that appears nowhere.
	ids := func(list []int64) string {
		ph := make([]string, len(list))
		for i, id := range list {
			ph[i] = q.arg(id)
		}
		return strings.Join(ph, ", ")
	}
	switch {
	case anyAll:
		cond = append(cond, "(n.audience_role IS NULL)")
	case len(anyAreas) > 0:
		cond = append(cond, "(n.audience_role IS NULL AND n.audience_area IN ("+ids(anyAreas)+"))")
	}
	for _, r := range roles {
		c := "n.audience_role = " + q.arg(string(r))
		switch {
		case roleAll[r]:
		case len(byRole[r]) > 0:
			c += " AND (n.audience_area IS NULL OR n.audience_area IN (" + ids(byRole[r]) + "))"
		default:
			c += " AND n.audience_area IS NULL"
		}
		cond = append(cond, "("+c+")")
	}
	q.where = append(q.where, "("+strings.Join(cond, " OR ")+")")
}

// newsLive restricts news to items published and not expired at now.
func (q *query) newsLive(now time.Time) {
	at := q.arg(ms(now))
	q.where = append(q.where, "n.publish_at <= "+at, "(n.expire_at IS NULL OR n.expire_at > "+at+")")
}

// NewsFilter selects a page of news, newest publication first.
type NewsFilter struct {
	// All asks, for a writer, for every item: drafts, expired ones and
	// those for other audiences. Ignored for everyone else.
	All    bool
	Limit  int    // 1..MaxLimit; 0 is DefaultLimit
	Cursor string // from a previous NewsPage
}

// NewsPage is one page of news with the cursor of the next.
type NewsPage struct {
	Items      []*NewsItem
	NextCursor string
}

// News lists news for the actor: what is live for their audience, or for a
// writer who asks, everything. Keyset-paginated on (publish_at, id).
func (s *Store) News(ctx context.Context, actor *beheer.Actor, f NewsFilter) (*NewsPage, error) {
	limit := kbLimit(f.Limit)
	var q query
	if !f.All || !CanWriteNews(actor) {
		q.newsAudience(actor)
		q.newsLive(s.now())
	}
	if f.Cursor != "" {
		c, ok := decodeCursor(f.Cursor, "news", 2)
		if !ok {
			return nil, beheer.Invalid("cursor", "field.invalid")
		}
		p, id := q.arg(c.Keys[0]), q.arg(c.Keys[1])
		q.where = append(q.where, "(n.publish_at < "+p+" OR (n.publish_at = "+p+" AND n.id < "+id+"))")
	}
	sqlText := `SELECT ` + newsColumns + newsFrom + kbWhere(q.where) +
		` ORDER BY n.publish_at DESC, n.id DESC LIMIT ` + q.arg(limit+1)
	var out NewsPage
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, sqlText, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNews(rows)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.NextCursor = encodeCursor(cursor{Sort: "news", Keys: []int64{ms(last.PublishAt), last.ID}})
	}
	return &out, nil
}

// NewsFor is the news for the actor's home page: the newest live items of
// their audience, at most limit.
func (s *Store) NewsFor(ctx context.Context, actor *beheer.Actor, limit int) ([]*NewsItem, error) {
	p, err := s.News(ctx, actor, NewsFilter{Limit: limit})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// NewsItemByID returns one news item: to a writer any, to everyone else only
// a live item of their audience (not found otherwise).
func (s *Store) NewsItemByID(ctx context.Context, actor *beheer.Actor, id int64) (*NewsItem, error) {
	var q query
	q.where = append(q.where, "n.id = "+q.arg(id))
	if !CanWriteNews(actor) {
		q.newsAudience(actor)
		q.newsLive(s.now())
	}
	var n *NewsItem
	err := s.read(ctx, func(db querier) error {
		var err error
		n, err = scanNews(db.QueryRowContext(ctx, `SELECT `+newsColumns+newsFrom+kbWhere(q.where), q.args...))
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		return err
	})
	return n, err
}

// prepareNews checks a news item for the actor before a write.
func (t *tx) prepareNews(ctx context.Context, actor *beheer.Actor, in *NewsInput) error {
	if !CanWriteNews(actor) {
		return beheer.ErrForbidden("news.forbidden")
	}
	if in.PublishAt.IsZero() {
		in.PublishAt = t.now
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return t.kbCheckArea(ctx, in.AudienceAreaID, "audience_area")
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
		var v beheer.Validation
		v.Add(field, "field.unknown_area")
		return v.Err()
	}
	return nil
}

func kbNullRole(r beheer.Role) any {
	if r == "" {
		return nil
	}
	return string(r)
}

func kbNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// CreateNews writes a news item; only functional admins write news.
func (s *Store) CreateNews(ctx context.Context, actor *beheer.Actor, in NewsInput) (*NewsItem, error) {
	var id int64
	err := s.write(ctx, func(t *tx) (err error) {
		id, err = t.createNews(ctx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.NewsItemByID(ctx, actor, id)
}

func (t *tx) createNews(ctx context.Context, actor *beheer.Actor, in NewsInput) (int64, error) {
	if err := t.prepareNews(ctx, actor, &in); err != nil {
		return 0, err
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO news_items (title, body, audience_role, audience_area,
		publish_at, expire_at, author_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		in.Title, in.Body, kbNullRole(in.AudienceRole), nullID(in.AudienceAreaID), ms(in.PublishAt), kbNullTime(in.ExpireAt),
		actor.UserID, ms(t.now)).Scan(&id); err != nil {
		return 0, err
	}
	return id, t.audit(ctx, actor, 0, "news.created", "news", "", itoa(id)+" "+in.Title, false)
}

// UpdateNews replaces a news item's fields. version is the version the
// change is based on; a stale one is refused and nothing changes.
func (s *Store) UpdateNews(ctx context.Context, actor *beheer.Actor, id, version int64, in NewsInput) (*NewsItem, error) {
	err := s.write(ctx, func(t *tx) error {
		if !CanWriteNews(actor) {
			return beheer.ErrForbidden("news.forbidden")
		}
		var current int64
		var publish int64
		err := t.QueryRowContext(ctx, `SELECT version, publish_at FROM news_items WHERE id = $1`+t.s.forUpdate(), id).
			Scan(&current, &publish)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if version != 0 && version != current {
			return beheer.Errorf(beheer.CodePreconditionFailed, "news.stale")
		}
		if in.PublishAt.IsZero() {
			in.PublishAt = time.UnixMilli(publish).UTC()
		}
		if err := t.prepareNews(ctx, actor, &in); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE news_items SET title = $1, body = $2, audience_role = $3, audience_area = $4,
			publish_at = $5, expire_at = $6, updated_at = $7, version = version + 1 WHERE id = $8`,
			in.Title, in.Body, kbNullRole(in.AudienceRole), nullID(in.AudienceAreaID), ms(in.PublishAt), kbNullTime(in.ExpireAt),
			ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "news.updated", "news", itoa(id), itoa(id)+" "+in.Title, false)
	})
	if err != nil {
		return nil, err
	}
	return s.NewsItemByID(ctx, actor, id)
}

// LinkNews links a news item to a request (for example the change it
// announces). Only writers link, and only requests they may see.
func (s *Store) LinkNews(ctx context.Context, actor *beheer.Actor, newsID, requestID int64) error {
	return s.write(ctx, func(t *tx) error {
		if !CanWriteNews(actor) {
			return beheer.ErrForbidden("news.forbidden")
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM news_items WHERE id = $1`, newsID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return beheer.ErrNotFound()
		}
		if err := t.kbLinkableRequest(ctx, actor, requestID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO news_links (news_id, request_id, created_by, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (news_id, request_id) DO NOTHING`,
			newsID, requestID, nullID(actor.UserID), ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, requestID, "news.linked", "news", "", itoa(newsID), false)
	})
}

// kbLinkableRequest answers a field error on "request" when the request does
// not exist or the actor may not see it.
func (t *tx) kbLinkableRequest(ctx context.Context, actor *beheer.Actor, requestID int64) error {
	if _, _, err := t.lockVisible(ctx, actor, requestID); err != nil {
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			var v beheer.Validation
			v.Add("request", "field.unknown_request")
			return v.Err()
		}
		return err
	}
	return nil
}

// NewsLinkedRequests lists the requests a news item is linked to that the
// actor may see.
func (s *Store) NewsLinkedRequests(ctx context.Context, actor *beheer.Actor, newsID int64) ([]*beheer.Request, error) {
	if _, err := s.NewsItemByID(ctx, actor, newsID); err != nil {
		return nil, err
	}
	return s.kbLinkedRequests(ctx, actor, `SELECT request_id FROM news_links WHERE news_id = $1 ORDER BY request_id`, newsID)
}

// kbLinkedRequests loads the requests whose ids the query returns, keeping
// only those the actor may see. Link lists are short.
func (s *Store) kbLinkedRequests(ctx context.Context, actor *beheer.Actor, sqlText string, id int64) ([]*beheer.Request, error) {
	var ids []int64
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, sqlText+` LIMIT 100`, id)
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
