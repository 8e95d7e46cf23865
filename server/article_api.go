package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"beheer"
	"beheer/store"
)

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

func toAPIArticle(x *store.Article) apiArticle {
	out := apiArticle{ID: x.ID, Title: x.Title, Body: x.Body, AreaName: x.AreaName, Tags: x.Tags,
		Status: string(x.Status), Version: x.Version, Author: person{x.AuthorID, x.AuthorName},
		CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, Helpful: x.Helpful, NotHelpful: x.NotHelpful}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if x.AreaCode != "" {
		out.Area = &x.AreaCode
	}
	if !x.PublishedAt.IsZero() {
		out.PublishedAt = &x.PublishedAt
	}
	if x.MyVote != 0 {
		v := x.MyVote > 0
		out.MyVote = &v
	}
	return out
}

func writeArticle(w http.ResponseWriter, status int, x *store.Article) {
	w.Header().Set("ETag", etag(x.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(x.ID, 10))
	}
	writeJSON(w, status, toAPIArticle(x))
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

func (s *Server) readArticleJSON(w http.ResponseWriter, r *http.Request) (store.ArticleInput, error) {
	var in store.ArticleInput
	var area json.RawMessage
	if err := s.decodeJSON(w, r, fields{"title": &in.Title, "body": &in.Body, "area": &area, "tags": &in.Tags,
		"status": &in.Status}); err != nil {
		return in, err
	}
	var v beheer.Validation
	in.AreaID = s.areaID(r, area, &v)
	return in, v.Err()
}

func (s *Server) apiListArticles(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	q := r.URL.Query()
	f := store.ArticleFilter{Query: q.Get("q"), Drafts: q.Get("drafts") == "true", Cursor: q.Get("cursor")}
	var v beheer.Validation
	if code := q.Get("area"); code != "" {
		f.AreaID = s.kbAreaID(r, code, "area", &v)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := kbLimitParam(q.Get("limit"), &f.Limit); err != nil {
		return err
	}
	page, err := s.store.Articles(r.Context(), a, f)
	if err != nil {
		return err
	}
	items := make([]apiArticle, len(page.Items))
	for i, x := range page.Items {
		items[i] = toAPIArticle(x)
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []apiArticle `json:"items"`
		NextCursor *string      `json:"next_cursor"`
	}{items, kbCursor(page.NextCursor)})
	return nil
}

func (s *Server) apiCreateArticle(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, err := s.readArticleJSON(w, r)
	if err != nil {
		return err
	}
	x, err := s.store.CreateArticle(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeArticle(w, http.StatusCreated, x)
	return nil
}

func (s *Server) apiGetArticle(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.store.ArticleByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeArticle(w, http.StatusOK, x)
	return nil
}

// apiPutArticle saves a new version; If-Match with the ETag is required,
// and a stale one answers 412.
func (s *Server) apiPutArticle(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
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
	in, err := s.readArticleJSON(w, r)
	if err != nil {
		return err
	}
	x, err := s.store.UpdateArticle(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	writeArticle(w, http.StatusOK, x)
	return nil
}

func (s *Server) apiArticleRevisions(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	revs, err := s.store.ArticleRevisions(r.Context(), a, id)
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

// apiArticleFeedback records "did this help?" ({"helpful": true|false});
// one vote per person, a later one replaces it.
func (s *Server) apiArticleFeedback(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var helpful *bool
	if err := s.decodeJSON(w, r, fields{"helpful": &helpful}); err != nil {
		return err
	}
	if helpful == nil {
		var v beheer.Validation
		v.Add("helpful", "field.required")
		return v.Err()
	}
	x, err := s.store.RateArticle(r.Context(), a, id, *helpful)
	if err != nil {
		return err
	}
	writeArticle(w, http.StatusOK, x)
	return nil
}

func (s *Server) apiLinkArticle(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rid, err := s.readLinkJSON(w, r)
	if err != nil {
		return err
	}
	if err := s.store.LinkArticle(r.Context(), a, id, rid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiArticleFromRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.store.ArticleFromRequest(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeArticle(w, http.StatusCreated, x)
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
