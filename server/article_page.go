package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// The knowledge base (kennisbank): search and list, one article with "did
// this help?", the writers' form with revisions, suggestions for the
// new-request form, and turning a solved request into an article.

// kbList is the data of the knowledge-base page.
type kbList struct {
	Q        string
	Area     string
	Drafts   bool
	Items    []*store.Article
	Next     string // the URL of the next page, with the same filters
	CanWrite bool
	Areas    []beheer.Area
}

func (s *Server) kbPage(w http.ResponseWriter, r *http.Request, p *page) error {
	q := r.URL.Query()
	d := kbList{Q: strings.TrimSpace(q.Get("q")), Area: q.Get("area"), CanWrite: store.CanWriteNews(p.Actor)}
	d.Drafts = d.CanWrite && q.Get("drafts") == "1"
	var v beheer.Validation
	f := store.ArticleFilter{Query: d.Q, Drafts: d.Drafts, Cursor: q.Get("cursor"), Limit: 20}
	f.AreaID = s.kbAreaID(r, d.Area, "area", &v)
	if err := v.Err(); err != nil {
		return err
	}
	page, err := s.store.Articles(r.Context(), p.Actor, f)
	if err != nil {
		return err
	}
	d.Items = page.Items
	if page.NextCursor != "" {
		next := url.Values{"cursor": {page.NextCursor}}
		if d.Area != "" {
			next.Set("area", d.Area)
		}
		if d.Drafts {
			next.Set("drafts", "1")
		}
		d.Next = "/kb?" + next.Encode()
	}
	if d.Areas, err = s.store.Areas(r.Context()); err != nil {
		return err
	}
	p.Title, p.Data = p.T("kb.title"), d
	p.Flash = kbOKMessage(p, r)
	block := ""
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "kb-results" {
		block = "kb-results"
	}
	s.render(w, http.StatusOK, "articles", block, p)
	return nil
}

// articleView is the data of one article's page.
type articleView struct {
	A         *store.Article
	CanWrite  bool
	Revisions []store.ArticleRevision
	Revision  *store.ArticleRevision // a past version being looked at
	Linked    []*beheer.Request
	LinkErr   string
	Request   string
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showArticle(w, r, p, http.StatusOK, articleView{})
}

func (s *Server) showArticle(w http.ResponseWriter, r *http.Request, p *page, status int, v articleView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if v.A, err = s.store.ArticleByID(ctx, p.Actor, id); err != nil {
		return err
	}
	v.CanWrite = store.CanWriteNews(p.Actor)
	if v.CanWrite {
		if v.Revisions, err = s.store.ArticleRevisions(ctx, p.Actor, id); err != nil {
			return err
		}
		if v.Linked, err = s.store.ArticleLinkedRequests(ctx, p.Actor, id); err != nil {
			return err
		}
		if want := r.URL.Query().Get("version"); want != "" {
			for i := range v.Revisions {
				if strconv.FormatInt(v.Revisions[i].Version, 10) == want && v.Revisions[i].Version != v.A.Version {
					v.Revision = &v.Revisions[i]
				}
			}
		}
	}
	p.Title = v.A.Title
	if p.Flash == "" {
		p.Flash = kbOKMessage(p, r)
	}
	p.Data = v
	s.render(w, status, "article", "", p)
	return nil
}

// kbFeedback records "did this help?"; htmx swaps in the thanked block.
func (s *Server) kbFeedback(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var helpful bool
	switch r.PostFormValue("helpful") {
	case "yes":
		helpful = true
	case "no":
	default:
		var v beheer.Validation
		v.Add("helpful", "field.required")
		return v.Err()
	}
	a, err := s.store.RateArticle(r.Context(), p.Actor, id, helpful)
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		p.Data = articleView{A: a, CanWrite: store.CanWriteNews(p.Actor)}
		s.render(w, http.StatusOK, "article", "kb-feedback", p)
		return nil
	}
	redirect(w, r, "/kb/"+strconv.FormatInt(id, 10)+"?ok=voted#feedback")
	return nil
}

// articleForm is the data of the article form.
type articleForm struct {
	ID      int64
	Version int64
	Title   string
	Body    string
	Area    string
	Tags    string
	Status  string
	Areas   []beheer.Area
	Stale   bool
	Error   string // a refusal that is not about one field
}

func (s *Server) articleFormData(r *http.Request, f articleForm) (articleForm, error) {
	areas, err := s.store.Areas(r.Context())
	f.Areas = areas
	return f, err
}

func (s *Server) kbNewPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !store.CanWriteNews(p.Actor) {
		return beheer.ErrForbidden("kb.forbidden")
	}
	f, err := s.articleFormData(r, articleForm{Status: string(store.ArticleDraft)})
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("kb.new"), f
	s.render(w, http.StatusOK, "articleedit", "", p)
	return nil
}

func (s *Server) kbEditPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !store.CanWriteNews(p.Actor) {
		return beheer.ErrForbidden("kb.forbidden")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.store.ArticleByID(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	f, err := s.articleFormData(r, articleForm{ID: a.ID, Version: a.Version, Title: a.Title, Body: a.Body,
		Area: a.AreaCode, Tags: strings.Join(a.Tags, ", "), Status: string(a.Status)})
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("kb.edit"), f
	p.Flash = kbOKMessage(p, r)
	s.render(w, http.StatusOK, "articleedit", "", p)
	return nil
}

func (s *Server) readArticleForm(r *http.Request) (articleForm, store.ArticleInput, error) {
	f := articleForm{Title: r.PostFormValue("title"), Body: kbText(r, "body"), Area: r.PostFormValue("area"),
		Tags: r.PostFormValue("tags"), Status: r.PostFormValue("status")}
	in := store.ArticleInput{Title: f.Title, Body: f.Body, Tags: store.ParseTags(f.Tags), Status: store.ArticleStatus(f.Status)}
	var v beheer.Validation
	in.AreaID = s.kbAreaID(r, f.Area, "area", &v)
	return f, in, v.Err()
}

func (s *Server) kbCreate(w http.ResponseWriter, r *http.Request, p *page) error {
	f, in, err := s.readArticleForm(r)
	if err == nil {
		var a *store.Article
		if a, err = s.store.CreateArticle(r.Context(), p.Actor, in); err == nil {
			redirect(w, r, "/kb/"+strconv.FormatInt(a.ID, 10)+"?ok=article_created")
			return nil
		}
	}
	return s.articleFormAgain(w, r, p, f, err)
}

func (s *Server) kbUpdate(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if version <= 0 {
		return beheer.Errorf(beheer.CodePreconditionRequired, "kb.stale")
	}
	f, in, err := s.readArticleForm(r)
	f.ID, f.Version = id, version
	if err == nil {
		if _, err = s.store.UpdateArticle(r.Context(), p.Actor, id, version, in); err == nil {
			redirect(w, r, "/kb/"+strconv.FormatInt(id, 10)+"?ok=article_saved")
			return nil
		}
	}
	if beheer.ErrorCode(err) == beheer.CodePreconditionFailed {
		// Keep what was typed and carry the current version: saving again
		// replaces the other person's version deliberately (it stays as a
		// revision).
		if cur, lerr := s.store.ArticleByID(r.Context(), p.Actor, id); lerr == nil {
			f.Version, f.Stale = cur.Version, true
		}
	}
	return s.articleFormAgain(w, r, p, f, err)
}

// articleFormAgain shows the form again as typed, with the messages.
func (s *Server) articleFormAgain(w http.ResponseWriter, r *http.Request, p *page, f articleForm, err error) error {
	refusal, ok := p.refused(r, "", err)
	if !ok {
		return err
	}
	if len(refusal.Fields) == 0 {
		f.Error = refusal.Message
	}
	f, lerr := s.articleFormData(r, f)
	if lerr != nil {
		return lerr
	}
	p.Title, p.Data = p.T(map[bool]string{true: "kb.edit", false: "kb.new"}[f.ID != 0]), f
	s.render(w, refusal.Status, "articleedit", "", p)
	return nil
}

// kbLink links an article to a request named by number or id.
func (s *Server) kbLink(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(r.PostFormValue("request"))
	rid, err := s.kbRequestRef(r, p, typed)
	if err == nil {
		err = s.store.LinkArticle(r.Context(), p.Actor, id, rid)
	}
	if err == nil {
		redirect(w, r, "/kb/"+strconv.FormatInt(id, 10)+"?ok=linked")
		return nil
	}
	if !p.formErrors(err) {
		return err
	}
	return s.showArticle(w, r, p, statusOf[beheer.ErrorCode(err)], articleView{LinkErr: p.Errors["request"], Request: typed})
}

// articleFromRequest turns a solved request into a draft article and opens
// it for editing.
func (s *Server) articleFromRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.store.ArticleFromRequest(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	redirect(w, r, "/kb/"+strconv.FormatInt(a.ID, 10)+"/edit?ok=from_request")
	return nil
}

// kbSuggest lists published articles that match the title of a request
// being typed; the new-request form loads it with htmx.
func (s *Server) kbSuggest(w http.ResponseWriter, r *http.Request, p *page) error {
	title := strings.TrimSpace(r.URL.Query().Get("title"))
	var items []*store.Article
	if len([]rune(title)) >= 4 && len(title) <= 200 {
		var err error
		if items, err = s.store.SuggestArticles(r.Context(), p.Actor, title, 5); err != nil {
			return err
		}
	}
	p.Data = items
	s.render(w, http.StatusOK, "articles", "kb-suggestions", p)
	return nil
}
