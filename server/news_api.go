package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"beheer"
	"beheer/store"
)

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

func toAPINews(n *store.NewsItem, now time.Time) apiNews {
	out := apiNews{ID: n.ID, Title: n.Title, Body: n.Body, PublishAt: n.PublishAt, State: n.State(now),
		Author: person{n.AuthorID, n.AuthorName}, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Version: n.Version}
	if n.AudienceRole != "" {
		out.AudienceRole = &n.AudienceRole
	}
	if n.AudienceAreaCode != "" {
		out.AudienceArea = &n.AudienceAreaCode
	}
	if !n.ExpireAt.IsZero() {
		out.ExpireAt = &n.ExpireAt
	}
	return out
}

func (s *Server) writeNews(w http.ResponseWriter, status int, n *store.NewsItem) {
	w.Header().Set("ETag", etag(n.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/news/"+strconv.FormatInt(n.ID, 10))
	}
	writeJSON(w, status, toAPINews(n, s.now()))
}

// readNewsJSON decodes a news item: times in RFC 3339, the area by code.
func (s *Server) readNewsJSON(w http.ResponseWriter, r *http.Request) (store.NewsInput, error) {
	var in store.NewsInput
	var role *string
	var area json.RawMessage
	var publish, expire *time.Time
	if err := s.decodeJSON(w, r, fields{"title": &in.Title, "body": &in.Body, "audience_role": &role,
		"audience_area": &area, "publish_at": &publish, "expire_at": &expire}); err != nil {
		return in, err
	}
	var v beheer.Validation
	in.AudienceAreaID = s.areaID(r, area, &v)
	if v.Has("area") {
		v = beheer.Validation{}
		v.Add("audience_area", "field.unknown_area")
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

func (s *Server) apiListNews(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	q := r.URL.Query()
	f := store.NewsFilter{All: q.Get("all") == "true", Cursor: q.Get("cursor")}
	if err := kbLimitParam(q.Get("limit"), &f.Limit); err != nil {
		return err
	}
	page, err := s.store.News(r.Context(), a, f)
	if err != nil {
		return err
	}
	items := make([]apiNews, len(page.Items))
	for i, n := range page.Items {
		items[i] = toAPINews(n, s.now())
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []apiNews `json:"items"`
		NextCursor *string   `json:"next_cursor"`
	}{items, kbCursor(page.NextCursor)})
	return nil
}

// kbLimitParam reads ?limit= (1..100).
func kbLimitParam(raw string, into *int) error {
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > store.MaxLimit {
		var v beheer.Validation
		v.Add("limit", "field.range", "min", 1, "max", store.MaxLimit)
		return v.Err()
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

func (s *Server) apiCreateNews(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, err := s.readNewsJSON(w, r)
	if err != nil {
		return err
	}
	n, err := s.store.CreateNews(r.Context(), a, in)
	if err != nil {
		return err
	}
	s.writeNews(w, http.StatusCreated, n)
	return nil
}

func (s *Server) apiGetNews(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.store.NewsItemByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	s.writeNews(w, http.StatusOK, n)
	return nil
}

// apiPutNews replaces a news item; If-Match with its ETag is required.
func (s *Server) apiPutNews(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
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
	in, err := s.readNewsJSON(w, r)
	if err != nil {
		return err
	}
	n, err := s.store.UpdateNews(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	s.writeNews(w, http.StatusOK, n)
	return nil
}

// readLinkJSON reads {"request": id}.
func (s *Server) readLinkJSON(w http.ResponseWriter, r *http.Request) (int64, error) {
	var rid int64
	if err := s.decodeJSON(w, r, fields{"request": &rid}); err != nil {
		return 0, err
	}
	if rid <= 0 {
		var v beheer.Validation
		v.Add("request", "field.required")
		return 0, v.Err()
	}
	return rid, nil
}

func (s *Server) apiLinkNews(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rid, err := s.readLinkJSON(w, r)
	if err != nil {
		return err
	}
	if err := s.store.LinkNews(r.Context(), a, id, rid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
