package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"beheer"
	"beheer/store"
)

// The API of news and the knowledge base: one set of handlers for both
// kinds of publication, at /api/v1/news and /api/v1/articles, each kind in
// its own JSON shape (News and Article in openapi.json).

// apiNews is the API's representation of a news item.
type apiNews struct {
	ID           int64        `json:"id"`
	Title        string       `json:"title"`
	Body         string       `json:"body"`
	AudienceRole *beheer.Role `json:"audience_role"`
	AudienceArea *string      `json:"audience_area"`
	PublishAt    time.Time    `json:"publish_at"`
	ExpireAt     *time.Time   `json:"expire_at"`
	State        string       `json:"state"`
	Author       person       `json:"author"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	Version      int64        `json:"version"`
}

func toAPINews(n *beheer.Publication, now time.Time) apiNews {
	out := apiNews{ID: n.ID, Title: n.Title, Body: n.Body, PublishAt: n.PublishAt, State: n.State(now),
		Author: person{n.AuthorID, n.AuthorName}, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Version: n.Version}
	if n.AudienceRole != "" {
		out.AudienceRole = &n.AudienceRole
	}
	if n.AreaCode != "" {
		out.AudienceArea = &n.AreaCode
	}
	if !n.ExpireAt.IsZero() {
		out.ExpireAt = &n.ExpireAt
	}
	return out
}

// apiArticle is the API's representation of a knowledge-base article.
type apiArticle struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	Area        *string    `json:"area"`
	AreaName    string     `json:"area_name,omitempty"`
	Tags        []string   `json:"tags"`
	Status      string     `json:"status"`
	Version     int64      `json:"version"`
	Author      person     `json:"author"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Helpful     int        `json:"helpful"`
	NotHelpful  int        `json:"not_helpful"`
	MyVote      *bool      `json:"my_vote,omitempty"`
}

func toAPIArticle(x *beheer.Publication) apiArticle {
	out := apiArticle{ID: x.ID, Title: x.Title, Body: x.Body, AreaName: x.AreaName, Tags: x.Tags,
		Status: string(x.Status), Version: x.Version, Author: person{x.AuthorID, x.AuthorName},
		CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, Helpful: x.Helpful, NotHelpful: x.NotHelpful}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if x.AreaCode != "" {
		out.Area = &x.AreaCode
	}
	if !x.PublishAt.IsZero() {
		out.PublishedAt = &x.PublishAt
	}
	if x.MyVote != 0 {
		v := x.MyVote > 0
		out.MyVote = &v
	}
	return out
}

// apiArticleRevision is one saved version of an article.
type apiArticleRevision struct {
	Version int64     `json:"version"`
	Title   string    `json:"title"`
	Body    string    `json:"body"`
	Status  string    `json:"status"`
	Editor  person    `json:"editor"`
	At      time.Time `json:"at"`
}

func (s *Server) writePublication(w http.ResponseWriter, status int, p *beheer.Publication) {
	site := publicationSites[p.Kind]
	w.Header().Set("ETag", etag(p.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", site.api+"/"+strconv.FormatInt(p.ID, 10))
	}
	writeJSON(w, status, site.json(p, s.now()))
}

// readPublicationJSON decodes a publication of kind k with the members the
// kind carries: times in RFC 3339, the area by code.
func (s *Server) readPublicationJSON(w http.ResponseWriter, r *http.Request, k beheer.PublicationKind) (beheer.PublicationInput, error) {
	t := k.Traits()
	in := beheer.PublicationInput{Kind: k}
	var role *string
	var area json.RawMessage
	var publish, expire *time.Time
	members := fields{"title": &in.Title, "body": &in.Body, t.AreaField: &area}
	if t.Audience {
		members["audience_role"] = &role
	}
	if t.Dated {
		members["publish_at"], members["expire_at"] = &publish, &expire
	}
	if t.Tags {
		members["tags"] = &in.Tags
	}
	if t.Drafts {
		members["status"] = &in.Status
	}
	if err := s.decodeJSON(w, r, members); err != nil {
		return in, err
	}
	var v beheer.Validation
	in.AreaID = s.areaID(r, area, &v)
	if v.Has("area") && t.AreaField != "area" {
		v = beheer.Validation{}
		v.Add(t.AreaField, "field.unknown_area")
	}
	if role != nil {
		in.AudienceRole = beheer.Role(*role)
	}
	if publish != nil {
		in.PublishAt = *publish
	}
	if expire != nil {
		in.ExpireAt = *expire
	}
	return in, v.Err()
}

func (s *Server) apiListPublications(k beheer.PublicationKind) apiHandler {
	site := publicationSites[k]
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		q := r.URL.Query()
		f := store.PublicationFilter{Kind: k, All: q.Get(site.apiAll) == "true", Cursor: q.Get("cursor")}
		if k.Traits().Search {
			var v beheer.Validation
			f.Query, f.AreaID = q.Get("q"), s.kbAreaID(r, q.Get("area"), "area", &v)
			if err := v.Err(); err != nil {
				return err
			}
		}
		if err := kbLimitParam(q.Get("limit"), &f.Limit); err != nil {
			return err
		}
		page, err := s.store.Publications(r.Context(), a, f)
		if err != nil {
			return err
		}
		items := make([]any, len(page.Items))
		for i, p := range page.Items {
			items[i] = site.json(p, s.now())
		}
		writeJSON(w, http.StatusOK, struct {
			Items      []any   `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}{items, kbCursor(page.NextCursor)})
		return nil
	}
}

// kbLimitParam reads ?limit= (1..100).
func kbLimitParam(raw string, into *int) error {
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > store.MaxLimit {
		return beheer.Invalid("limit", "field.range", "min", 1, "max", store.MaxLimit)
	}
	*into = n
	return nil
}

func kbCursor(c string) *string {
	if c == "" {
		return nil
	}
	return &c
}

func (s *Server) apiCreatePublication(k beheer.PublicationKind) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		in, err := s.readPublicationJSON(w, r, k)
		if err != nil {
			return err
		}
		p, err := s.store.CreatePublication(r.Context(), a, in)
		if err != nil {
			return err
		}
		s.writePublication(w, http.StatusCreated, p)
		return nil
	}
}

func (s *Server) apiGetPublication(k beheer.PublicationKind) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		p, err := s.store.Publication(r.Context(), a, k, id)
		if err != nil {
			return err
		}
		s.writePublication(w, http.StatusOK, p)
		return nil
	}
}

// apiPutPublication saves a new version; If-Match with the ETag is
// required, and a stale one answers 412.
func (s *Server) apiPutPublication(k beheer.PublicationKind) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		version, ok, err := ifMatch(r)
		if err != nil {
			return err
		}
		if !ok {
			return beheer.Errorf(beheer.CodePreconditionRequired, "error.precondition_required")
		}
		in, err := s.readPublicationJSON(w, r, k)
		if err != nil {
			return err
		}
		p, err := s.store.UpdatePublication(r.Context(), a, id, version, in)
		if err != nil {
			return err
		}
		s.writePublication(w, http.StatusOK, p)
		return nil
	}
}

func (s *Server) apiPublicationRevisions(k beheer.PublicationKind) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		revs, err := s.store.PublicationRevisions(r.Context(), a, k, id)
		if err != nil {
			return err
		}
		out := make([]apiArticleRevision, len(revs))
		for i, rv := range revs {
			out[i] = apiArticleRevision{Version: rv.Version, Title: rv.Title, Body: rv.Body, Status: string(rv.Status),
				Editor: person{rv.EditorID, rv.EditorName}, At: rv.At}
		}
		writeJSON(w, http.StatusOK, itemsOf(out))
		return nil
	}
}

// apiPublicationFeedback records "did this help?" ({"helpful": true|false});
// one vote per person, a later one replaces it.
func (s *Server) apiPublicationFeedback(k beheer.PublicationKind) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var helpful *bool
		if err := s.decodeJSON(w, r, fields{"helpful": &helpful}); err != nil {
			return err
		}
		if helpful == nil {
			return beheer.Invalid("helpful", "field.required")
		}
		p, err := s.store.RatePublication(r.Context(), a, k, id, *helpful)
		if err != nil {
			return err
		}
		s.writePublication(w, http.StatusOK, p)
		return nil
	}
}

// apiLinkPublication links a publication to a request: {"request": id}.
func (s *Server) apiLinkPublication(k beheer.PublicationKind) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var rid int64
		if err := s.decodeJSON(w, r, fields{"request": &rid}); err != nil {
			return err
		}
		if rid <= 0 {
			return beheer.Invalid("request", "field.required")
		}
		if err := s.store.LinkPublication(r.Context(), a, k, id, rid); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Server) apiArticleFromRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.ArticleFromRequest(r.Context(), a, id)
	if err != nil {
		return err
	}
	s.writePublication(w, http.StatusCreated, p)
	return nil
}

// apiRequestKnowledge lists the articles and news linked to a request.
func (s *Server) apiRequestKnowledge(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	k, err := s.store.KnowledgeForRequest(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := struct {
		Articles []apiArticle `json:"articles"`
		News     []apiNews    `json:"news"`
	}{[]apiArticle{}, []apiNews{}}
	for _, x := range k.Articles {
		out.Articles = append(out.Articles, toAPIArticle(x))
	}
	for _, n := range k.News {
		out.News = append(out.News, toAPINews(n, s.now()))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
