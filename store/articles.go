package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	"beheer"
)

// ArticleStatus says whether readers see an article.
type ArticleStatus string

// The article statuses: a draft is seen by writers only.
const (
	ArticleDraft     ArticleStatus = "draft"
	ArticlePublished ArticleStatus = "published"
)

// Valid reports whether s is a known status.
func (s ArticleStatus) Valid() bool { return s == ArticleDraft || s == ArticlePublished }

// Article is a user instruction of the knowledge base (kennisbank).
type Article struct {
	ID          int64
	Title       string
	Body        string // Markdown
	AreaID      int64
	AreaCode    string
	AreaName    string
	Tags        []string
	Status      ArticleStatus
	Version     int64
	AuthorID    int64
	AuthorName  string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time // the first publication; zero for a draft never published
	Helpful     int       // "did this help?" yes votes
	NotHelpful  int       // and no votes
	MyVote      int       // the actor's vote: 1 yes, -1 no, 0 none
}

// ArticleInput is what a writer sends to create or change an article.
type ArticleInput struct {
	Title  string
	Body   string
	AreaID int64
	Tags   []string
	Status ArticleStatus // "" is draft
}

// ArticleRevision is one saved version of an article.
type ArticleRevision struct {
	Version    int64
	Title      string
	Body       string
	Status     ArticleStatus
	EditorID   int64
	EditorName string
	At         time.Time
}

// Limits of an article.
const (
	maxArticleTitle = 200
	maxArticleBody  = 100000
	maxTags         = 10
	maxTagLength    = 40
)

// ParseTags splits a comma-separated list of tags: lower case, inner spaces
// become hyphens, duplicates and empty ones dropped.
func ParseTags(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		t := strings.Join(strings.Fields(strings.ToLower(part)), "-")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Validate checks an article's fields and normalises its tags.
func (in *ArticleInput) Validate() error {
	var v beheer.Validation
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case in.Title == "":
		v.Add("title", "field.required")
	case len([]rune(in.Title)) > maxArticleTitle:
		v.Add("title", "field.too_long", "max", maxArticleTitle)
	}
	if len([]rune(in.Body)) > maxArticleBody {
		v.Add("body", "field.too_long", "max", maxArticleBody)
	}
	if in.Status == "" {
		in.Status = ArticleDraft
	}
	if !in.Status.Valid() {
		v.Add("status", "field.invalid_choice", "choices", "draft, published")
	}
	if in.Status == ArticlePublished && strings.TrimSpace(in.Body) == "" {
		v.Add("body", "kb.field.body_to_publish")
	}
	in.Tags = ParseTags(strings.Join(in.Tags, ","))
	if len(in.Tags) > maxTags {
		v.Add("tags", "kb.field.too_many_tags", "max", maxTags)
	}
	for _, t := range in.Tags {
		if len([]rune(t)) > maxTagLength || strings.IndexFunc(t, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
		}) >= 0 {
			v.Add("tags", "kb.field.tag", "max", maxTagLength)
			break
		}
	}
	return v.Err()
}

const articleColumns = `x.id, x.title, x.body, COALESCE(x.area_id, 0), COALESCE(a.code, ''), COALESCE(a.name, ''),
	x.tags, x.status, x.version, x.author_id, u.name, x.created_at, x.updated_at, x.published_at,
	(SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = x.id AND f.helpful),
	(SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = x.id AND NOT f.helpful)`

const articleFrom = ` FROM articles x LEFT JOIN areas a ON a.id = x.area_id JOIN users u ON u.id = x.author_id`

func scanArticle(row interface{ Scan(...any) error }) (*Article, error) {
	var x Article
	var tags string
	var created, updated, published sql.NullInt64
	if err := row.Scan(&x.ID, &x.Title, &x.Body, &x.AreaID, &x.AreaCode, &x.AreaName, &tags, &x.Status, &x.Version,
		&x.AuthorID, &x.AuthorName, &created, &updated, &published, &x.Helpful, &x.NotHelpful); err != nil {
		return nil, err
	}
	x.Tags = strings.Fields(tags)
	x.CreatedAt, x.UpdatedAt, x.PublishedAt = fromMS(created), fromMS(updated), fromMS(published)
	return &x, nil
}

// ArticleFilter selects articles. With a Query the best matches come first
// (one page, no cursor); without one, the most recently updated.
type ArticleFilter struct {
	Query  string // full text: every word must match, Dutch stemming
	Drafts bool   // for writers: include drafts
	AreaID int64
	Limit  int    // 1..MaxLimit; 0 is DefaultLimit
	Cursor string // from a previous ArticlePage, when there is no Query
}

// ArticlePage is one page of articles with the cursor of the next.
type ArticlePage struct {
	Items      []*Article
	NextCursor string
}

// Articles lists the articles the actor may read that match the filter:
// published ones, and for a writer who asks, drafts too.
func (s *Store) Articles(ctx context.Context, actor *beheer.Actor, f ArticleFilter) (*ArticlePage, error) {
	if len(f.Query) > 200 {
		return nil, beheer.Invalid("q", "field.too_long", "max", 200)
	}
	limit := kbLimit(f.Limit)
	var q query
	if !f.Drafts || !CanWriteNews(actor) {
		q.where = append(q.where, "x.status = "+q.arg(string(ArticlePublished)))
	}
	if f.AreaID != 0 {
		q.where = append(q.where, "x.area_id = "+q.arg(f.AreaID))
	}
	order := " ORDER BY x.updated_at DESC, x.id DESC"
	searching := false
	if text := strings.TrimSpace(f.Query); text != "" {
		match, ok := kbSearchQuery(s.engine, SearchTerms(text), false)
		if !ok {
			return &ArticlePage{}, nil
		}
		order = s.articleMatch(&q, match)
		searching = true
	} else if f.Cursor != "" {
		c, ok := decodeCursor(f.Cursor, "articles", 2)
		if !ok {
			return nil, beheer.Invalid("cursor", "field.invalid")
		}
		u, id := q.arg(c.Keys[0]), q.arg(c.Keys[1])
		q.where = append(q.where, "(x.updated_at < "+u+" OR (x.updated_at = "+u+" AND x.id < "+id+"))")
	}
	items, err := s.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+kbWhere(q.where)+order+` LIMIT `+q.arg(limit+1), q.args)
	if err != nil {
		return nil, err
	}
	out := &ArticlePage{Items: items}
	if len(items) > limit {
		out.Items = items[:limit]
		if !searching {
			last := out.Items[limit-1]
			out.NextCursor = encodeCursor(cursor{Sort: "articles", Keys: []int64{ms(last.UpdatedAt), last.ID}})
		}
	}
	return out, nil
}

// articleMatch adds the full-text condition for an engine query and returns
// the ordering by relevance: title above tags above text.
func (s *Store) articleMatch(q *query, match string) string {
	arg := q.arg(match)
	if s.engine == Postgres {
		q.where = append(q.where, "x.search @@ to_tsquery('dutch', "+arg+")")
		return " ORDER BY ts_rank(x.search, to_tsquery('dutch', " + arg + ")) DESC, x.id DESC"
	}
	q.where = append(q.where, "x.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH "+arg+")")
	return " ORDER BY (SELECT bm25(articles_fts, 10.0, 5.0, 1.0) FROM articles_fts WHERE articles_fts MATCH " + arg +
		" AND articles_fts.rowid = x.id), x.id DESC"
}

func (s *Store) queryArticles(ctx context.Context, sqlText string, args []any) ([]*Article, error) {
	var out []*Article
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, sqlText, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			x, err := scanArticle(rows)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// SearchArticles finds published articles (for a writer, drafts too when
// drafts is set) whose title, tags or text hold every word of q.
func (s *Store) SearchArticles(ctx context.Context, actor *beheer.Actor, q string, limit int, drafts ...bool) ([]*Article, error) {
	p, err := s.Articles(ctx, actor, ArticleFilter{Query: q, Limit: limit, Drafts: len(drafts) > 0 && drafts[0]})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// kbSearchQuery builds the engine's full-text query like SearchQuery, with
// Dutch plurals on PostgreSQL too: its 'dutch' stemmer keeps "declaraties"
// apart from "declaratie", so each word also matches as its stem's prefix.
// any joins the words with OR instead of AND.
func kbSearchQuery(engine Engine, terms []string, any bool) (string, bool) {
	if len(terms) == 0 {
		return "", false
	}
	parts := make([]string, len(terms))
	for i, t := range terms {
		stem := dutchStem(t)
		switch {
		case engine != Postgres:
			parts[i] = `"` + stem + `"*`
		case stem != t:
			parts[i] = "(" + t + ":* | " + stem + ":*)"
		default:
			parts[i] = t + ":*"
		}
	}
	sep := map[bool]string{false: " AND ", true: " OR "}[any]
	if engine == Postgres {
		sep = map[bool]string{false: " & ", true: " | "}[any]
	}
	return strings.Join(parts, sep), true
}

// suggestStopWords are Dutch and English words too common to suggest by.
var suggestStopWords = map[string]bool{
	"aan": true, "als": true, "bij": true, "dat": true, "die": true, "een": true, "het": true, "hoe": true,
	"kan": true, "met": true, "mijn": true, "moet": true, "naar": true, "niet": true, "nog": true, "ook": true,
	"van": true, "voor": true, "wat": true, "wel": true, "wie": true, "wij": true, "zijn": true, "wordt": true,
	"graag": true, "waar": true, "waarom": true, "the": true, "and": true, "how": true, "for": true,
	"what": true, "can": true, "not": true, "with": true, "does": true,
}

// SuggestArticles finds published articles for a request being typed: any
// meaningful word may match, the best matches first.
func (s *Store) SuggestArticles(ctx context.Context, actor *beheer.Actor, title string, limit int) ([]*Article, error) {
	var words []string
	for _, w := range SearchTerms(title) {
		if len([]rune(w)) >= 3 && !suggestStopWords[w] {
			words = append(words, w)
		}
	}
	match, ok := kbSearchQuery(s.engine, words, true)
	if !ok {
		return nil, nil
	}
	var q query
	q.where = append(q.where, "x.status = "+q.arg(string(ArticlePublished)))
	order := s.articleMatch(&q, match)
	return s.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+kbWhere(q.where)+order+` LIMIT `+q.arg(kbLimit(limit)), q.args)
}

// ArticleByID returns one article with the actor's own vote: to a writer
// any, to everyone else a published one only (a draft is not found).
func (s *Store) ArticleByID(ctx context.Context, actor *beheer.Actor, id int64) (*Article, error) {
	var x *Article
	err := s.read(ctx, func(db querier) error {
		var err error
		x, err = loadArticle(ctx, db, id)
		if err != nil {
			return err
		}
		if x.Status != ArticlePublished && !CanWriteNews(actor) {
			return beheer.ErrNotFound()
		}
		var vote sql.NullBool
		err = db.QueryRowContext(ctx, `SELECT helpful FROM article_feedback WHERE article_id = $1 AND user_id = $2`,
			id, actor.UserID).Scan(&vote)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if vote.Valid {
			x.MyVote = map[bool]int{true: 1, false: -1}[vote.Bool]
		}
		return nil
	})
	return x, err
}

func loadArticle(ctx context.Context, db querier, id int64) (*Article, error) {
	sqlText := `SELECT ` + articleColumns + articleFrom + ` WHERE x.id = $1`
	x, err := scanArticle(db.QueryRowContext(ctx, sqlText, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return x, err
}

// CreateArticle writes a new article with its first revision; only
// functional admins write articles.
func (s *Store) CreateArticle(ctx context.Context, actor *beheer.Actor, in ArticleInput) (*Article, error) {
	var id int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		id, err = t.createArticle(ctx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ArticleByID(ctx, actor, id)
}

func (t *tx) createArticle(ctx context.Context, actor *beheer.Actor, in ArticleInput) (int64, error) {
	if !CanWriteNews(actor) {
		return 0, beheer.ErrForbidden("kb.forbidden")
	}
	if err := in.Validate(); err != nil {
		return 0, err
	}
	if err := t.kbCheckArea(ctx, in.AreaID, "area"); err != nil {
		return 0, err
	}
	now := ms(t.now)
	var published any
	if in.Status == ArticlePublished {
		published = now
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO articles (title, body, area_id, tags, status, author_id, created_at,
		updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id`,
		in.Title, in.Body, nullID(in.AreaID), strings.Join(in.Tags, " "), string(in.Status), actor.UserID, now, published).Scan(&id); err != nil {
		return 0, err
	}
	if err := t.articleRevision(ctx, actor, id, 1, in); err != nil {
		return 0, err
	}
	if err := t.audit(ctx, actor, 0, "article.created", "article", "", itoa(id)+" "+in.Title, false); err != nil {
		return 0, err
	}
	if in.Status == ArticlePublished {
		return id, t.audit(ctx, actor, 0, "article.published", "article", "", itoa(id)+" "+in.Title, false)
	}
	return id, nil
}

func (t *tx) articleRevision(ctx context.Context, actor *beheer.Actor, id, version int64, in ArticleInput) error {
	_, err := t.ExecContext(ctx, `INSERT INTO article_revisions (article_id, version, title, body, status, editor_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, version, in.Title, in.Body, string(in.Status), actor.UserID, ms(t.now))
	return err
}

// UpdateArticle saves a new version of an article and keeps the previous
// ones as revisions. version is the version the edit is based on; a stale
// one is refused (412) and nothing changes.
func (s *Store) UpdateArticle(ctx context.Context, actor *beheer.Actor, id, version int64, in ArticleInput) (*Article, error) {
	err := s.write(ctx, func(t *tx) error {
		if !CanWriteNews(actor) {
			return beheer.ErrForbidden("kb.forbidden")
		}
		cur, err := t.lockArticle(ctx, id)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "kb.stale")
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if err := t.kbCheckArea(ctx, in.AreaID, "area"); err != nil {
			return err
		}
		published := kbNullTime(cur.PublishedAt)
		if in.Status == ArticlePublished && cur.PublishedAt.IsZero() {
			published = ms(t.now)
		}
		if _, err := t.ExecContext(ctx, `UPDATE articles SET title = $1, body = $2, area_id = $3, tags = $4, status = $5,
			published_at = $6, updated_at = $7, version = version + 1 WHERE id = $8`,
			in.Title, in.Body, nullID(in.AreaID), strings.Join(in.Tags, " "), string(in.Status), published, ms(t.now), id); err != nil {
			return err
		}
		if err := t.articleRevision(ctx, actor, id, cur.Version+1, in); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "article.updated", "article", itoa(id)+" v"+itoa(cur.Version),
			itoa(id)+" v"+itoa(cur.Version+1)+" "+in.Title, false); err != nil {
			return err
		}
		switch {
		case cur.Status != ArticlePublished && in.Status == ArticlePublished:
			return t.audit(ctx, actor, 0, "article.published", "article", "", itoa(id)+" "+in.Title, false)
		case cur.Status == ArticlePublished && in.Status != ArticlePublished:
			return t.audit(ctx, actor, 0, "article.unpublished", "article", itoa(id)+" "+in.Title, "", false)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ArticleByID(ctx, actor, id)
}

// lockArticle loads an article inside a write transaction.
func (t *tx) lockArticle(ctx context.Context, id int64) (*Article, error) {
	var x Article
	var published sql.NullInt64
	err := t.QueryRowContext(ctx, `SELECT id, title, status, version, published_at FROM articles WHERE id = $1`+t.s.forUpdate(), id).
		Scan(&x.ID, &x.Title, &x.Status, &x.Version, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	x.PublishedAt = fromMS(published)
	return &x, err
}

// ArticleRevisions lists every saved version of an article, newest first.
// Only writers see the history.
func (s *Store) ArticleRevisions(ctx context.Context, actor *beheer.Actor, id int64) ([]ArticleRevision, error) {
	if _, err := s.ArticleByID(ctx, actor, id); err != nil {
		return nil, err
	}
	if !CanWriteNews(actor) {
		return nil, beheer.ErrForbidden("kb.forbidden")
	}
	var out []ArticleRevision
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT r.version, r.title, r.body, r.status, r.editor_id, u.name, r.at
			FROM article_revisions r JOIN users u ON u.id = r.editor_id WHERE r.article_id = $1 ORDER BY r.version DESC LIMIT 500`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r ArticleRevision
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

// RateArticle records the actor's "did this help?" answer on a published
// article. One vote per person: a later vote replaces the earlier one.
func (s *Store) RateArticle(ctx context.Context, actor *beheer.Actor, id int64, helpful bool) (*Article, error) {
	err := s.write(ctx, func(t *tx) error {
		x, err := loadArticle(ctx, t, id)
		if err != nil {
			return err
		}
		if x.Status != ArticlePublished {
			if !CanWriteNews(actor) {
				return beheer.ErrNotFound()
			}
			return beheer.Errorf(beheer.CodeConflict, "kb.feedback_draft")
		}
		if actor.UserID == 0 {
			return beheer.ErrForbidden("")
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO article_feedback (article_id, user_id, helpful, at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (article_id, user_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
			id, actor.UserID, helpful, ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "article.feedback", "article", itoa(id), boolText(helpful), false)
	})
	if err != nil {
		return nil, err
	}
	return s.ArticleByID(ctx, actor, id)
}

// ArticleFromRequest turns a solved question into a draft article: the
// request's title, and as text the latest public comment of a functional
// admin (or else the request's description). The two are linked.
func (s *Store) ArticleFromRequest(ctx context.Context, actor *beheer.Actor, requestID int64) (*Article, error) {
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if !CanWriteNews(actor) {
			return beheer.ErrForbidden("kb.forbidden")
		}
		r, _, err := t.lockVisible(ctx, actor, requestID)
		if err != nil {
			return err
		}
		in := ArticleInput{Title: r.Title, Body: r.Description, AreaID: r.AreaID, Status: ArticleDraft}
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
		if id, err = t.createArticle(ctx, actor, in); err != nil {
			return err
		}
		return t.linkArticle(ctx, actor, id, requestID)
	})
	if err != nil {
		return nil, err
	}
	return s.ArticleByID(ctx, actor, id)
}

// LinkArticle links an article to a request. Only writers link, and only
// requests they may see.
func (s *Store) LinkArticle(ctx context.Context, actor *beheer.Actor, articleID, requestID int64) error {
	return s.write(ctx, func(t *tx) error {
		if !CanWriteNews(actor) {
			return beheer.ErrForbidden("kb.forbidden")
		}
		if _, err := t.lockArticle(ctx, articleID); err != nil {
			return err
		}
		if err := t.kbLinkableRequest(ctx, actor, requestID); err != nil {
			return err
		}
		return t.linkArticle(ctx, actor, articleID, requestID)
	})
}

func (t *tx) linkArticle(ctx context.Context, actor *beheer.Actor, articleID, requestID int64) error {
	if _, err := t.ExecContext(ctx, `INSERT INTO article_links (article_id, request_id, created_by, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, request_id) DO NOTHING`,
		articleID, requestID, nullID(actor.UserID), ms(t.now)); err != nil {
		return err
	}
	return t.audit(ctx, actor, requestID, "article.linked", "article", "", itoa(articleID), false)
}

// ArticleLinkedRequests lists the requests an article is linked to that the
// actor may see.
func (s *Store) ArticleLinkedRequests(ctx context.Context, actor *beheer.Actor, articleID int64) ([]*beheer.Request, error) {
	if _, err := s.ArticleByID(ctx, actor, articleID); err != nil {
		return nil, err
	}
	return s.kbLinkedRequests(ctx, actor, `SELECT request_id FROM article_links WHERE article_id = $1 ORDER BY request_id`, articleID)
}

// RequestKnowledge is what the knowledge base holds about one request: the
// articles and news items linked to it that the actor may read.
type RequestKnowledge struct {
	Articles []*Article
	News     []*NewsItem
	// CanWrite says whether the actor may turn the request into an article.
	CanWrite bool
}

// KnowledgeForRequest returns the articles and news linked to a request the
// actor may see: published articles (drafts too for writers) and live news
// of their audience (all news for writers).
func (s *Store) KnowledgeForRequest(ctx context.Context, actor *beheer.Actor, requestID int64) (*RequestKnowledge, error) {
	if _, _, err := s.visible(ctx, actor, requestID); err != nil {
		return nil, err
	}
	out := &RequestKnowledge{CanWrite: CanWriteNews(actor)}
	var q query
	q.where = append(q.where, "x.id IN (SELECT article_id FROM article_links WHERE request_id = "+q.arg(requestID)+")")
	if !out.CanWrite {
		q.where = append(q.where, "x.status = "+q.arg(string(ArticlePublished)))
	}
	var err error
	out.Articles, err = s.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+kbWhere(q.where)+` ORDER BY x.id LIMIT 50`, q.args)
	if err != nil {
		return nil, err
	}
	var nq query
	nq.where = append(nq.where, "n.id IN (SELECT news_id FROM news_links WHERE request_id = "+nq.arg(requestID)+")")
	if !out.CanWrite {
		nq.newsAudience(actor)
		nq.newsLive(s.now())
	}
	err = s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT `+newsColumns+newsFrom+kbWhere(nq.where)+` ORDER BY n.publish_at DESC LIMIT 50`, nq.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNews(rows)
			if err != nil {
				return err
			}
			out.News = append(out.News, n)
		}
		return rows.Err()
	})
	return out, err
}
