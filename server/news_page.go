package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// The news pages: the list, one item, and the form functional admins write
// with. Readers see what is live for their audience; the store decides.

// newsList is the data of the news list.
type newsList struct {
	Items    []*store.NewsItem
	Next     string // cursor of the next page
	CanWrite bool
	Now      time.Time
}

func (s *Server) newsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	canWrite := store.CanWriteNews(p.Actor)
	cur := r.URL.Query().Get("cursor")
	page, err := s.store.News(r.Context(), p.Actor, store.NewsFilter{All: canWrite, Cursor: cur, Limit: 20})
	if err != nil {
		return err
	}
	p.Title = p.T("news.title")
	p.Flash = kbOKMessage(p, r)
	p.Data = newsList{Items: page.Items, Next: page.NextCursor, CanWrite: canWrite, Now: s.now()}
	s.render(w, http.StatusOK, "news", "", p)
	return nil
}

// newsView is the data of one news item's page.
type newsView struct {
	N        *store.NewsItem
	CanWrite bool
	Linked   []*beheer.Request
	Now      time.Time
	LinkErr  string
	Request  string // the request number typed into the link form
}

func (s *Server) newsItemPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showNewsItem(w, r, p, http.StatusOK, newsView{})
}

func (s *Server) showNewsItem(w http.ResponseWriter, r *http.Request, p *page, status int, v newsView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if v.N, err = s.store.NewsItemByID(r.Context(), p.Actor, id); err != nil {
		return err
	}
	v.CanWrite, v.Now = store.CanWriteNews(p.Actor), s.now()
	if v.CanWrite {
		if v.Linked, err = s.store.NewsLinkedRequests(r.Context(), p.Actor, id); err != nil {
			return err
		}
	}
	p.Title = v.N.Title
	if p.Flash == "" {
		p.Flash = kbOKMessage(p, r)
	}
	p.Data = v
	s.render(w, status, "newsitem", "", p)
	return nil
}

// newsForm is the data of the news form: the values as shown, the areas
// and roles to choose from.
type newsForm struct {
	ID        int64
	Version   int64
	Title     string
	Body      string
	Role      string
	Area      string
	PublishAt string
	ExpireAt  string
	Areas     []beheer.Area
	Roles     []beheer.Role
	Stale     bool
	Error     string // a refusal that is not about one field
}

// newsRoles are the roles a news item can be addressed to; "everyone"
// covers the user role.
var newsRoles = []beheer.Role{beheer.RoleKeyUser, beheer.RoleFunctionalAdmin, beheer.RoleTechnicalAdmin, beheer.RoleManagement}

const formMinute = "2006-01-02T15:04"

func (s *Server) newsFormData(r *http.Request, f newsForm) (newsForm, error) {
	areas, err := s.store.Areas(r.Context())
	f.Areas, f.Roles = areas, newsRoles
	return f, err
}

func (s *Server) newsNewPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !store.CanWriteNews(p.Actor) {
		return beheer.ErrForbidden("news.forbidden")
	}
	f, err := s.newsFormData(r, newsForm{PublishAt: s.now().In(s.zone).Format(formMinute)})
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("news.new"), f
	s.render(w, http.StatusOK, "newsedit", "", p)
	return nil
}

func (s *Server) newsEditPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !store.CanWriteNews(p.Actor) {
		return beheer.ErrForbidden("news.forbidden")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.store.NewsItemByID(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	f := newsForm{ID: n.ID, Version: n.Version, Title: n.Title, Body: n.Body, Role: string(n.AudienceRole),
		Area: n.AudienceAreaCode, PublishAt: n.PublishAt.In(s.zone).Format(formMinute)}
	if !n.ExpireAt.IsZero() {
		f.ExpireAt = n.ExpireAt.In(s.zone).Format(formMinute)
	}
	if f, err = s.newsFormData(r, f); err != nil {
		return err
	}
	p.Title, p.Data = p.T("news.edit"), f
	s.render(w, http.StatusOK, "newsedit", "", p)
	return nil
}

// readNewsForm reads the form into the store's input, naming each field
// that cannot be read.
func (s *Server) readNewsForm(r *http.Request) (newsForm, store.NewsInput, error) {
	f := newsForm{Title: r.PostFormValue("title"), Body: kbText(r, "body"), Role: r.PostFormValue("audience_role"),
		Area: r.PostFormValue("audience_area"), PublishAt: strings.TrimSpace(r.PostFormValue("publish_at")),
		ExpireAt: strings.TrimSpace(r.PostFormValue("expire_at"))}
	in := store.NewsInput{Title: f.Title, Body: f.Body, AudienceRole: beheer.Role(f.Role)}
	var v beheer.Validation
	in.AudienceAreaID = s.kbAreaID(r, f.Area, "audience_area", &v)
	in.PublishAt = s.formTime(f.PublishAt, "publish_at", &v)
	in.ExpireAt = s.formTime(f.ExpireAt, "expire_at", &v)
	if in.PublishAt.IsZero() && !v.Has("publish_at") {
		v.Add("publish_at", "field.required")
	}
	if err := v.Err(); err != nil {
		if verr := in.Validate(); verr != nil {
			for _, fe := range verr.(*beheer.Error).Fields {
				if !v.Has(fe.Field) && fe.Field != "expire_at" {
					v.Fields = append(v.Fields, fe)
				}
			}
		}
		return f, in, v.Err()
	}
	return f, in, nil
}

// formTime reads a date and time (or a date) in Amsterdam time; "" is zero.
func (s *Server) formTime(raw, field string, v *beheer.Validation) time.Time {
	if raw == "" {
		return time.Time{}
	}
	for _, layout := range []string{formMinute, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, raw, s.zone); err == nil {
			return t
		}
	}
	v.Add(field, "news.field.datetime")
	return time.Time{}
}

// kbAreaID resolves an area code from a form; "" is no area.
func (s *Server) kbAreaID(r *http.Request, code, field string, v *beheer.Validation) int64 {
	if code == "" {
		return 0
	}
	a, err := s.store.AreaByCode(r.Context(), code)
	if err != nil {
		v.Add(field, "field.unknown_area")
		return 0
	}
	return a.ID
}

func (s *Server) newsCreate(w http.ResponseWriter, r *http.Request, p *page) error {
	f, in, err := s.readNewsForm(r)
	if err == nil {
		var n *store.NewsItem
		if n, err = s.store.CreateNews(r.Context(), p.Actor, in); err == nil {
			redirect(w, r, "/news/"+strconv.FormatInt(n.ID, 10)+"?ok=news_created")
			return nil
		}
	}
	return s.newsFormAgain(w, r, p, f, err)
}

func (s *Server) newsUpdate(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if version <= 0 {
		return beheer.Errorf(beheer.CodePreconditionRequired, "news.stale")
	}
	f, in, err := s.readNewsForm(r)
	f.ID, f.Version = id, version
	if err == nil {
		if _, err = s.store.UpdateNews(r.Context(), p.Actor, id, version, in); err == nil {
			redirect(w, r, "/news/"+strconv.FormatInt(id, 10)+"?ok=news_saved")
			return nil
		}
	}
	if beheer.ErrorCode(err) == beheer.CodePreconditionFailed {
		// Someone else saved first: keep what was typed, carry the current
		// version, so saving again is a deliberate overwrite.
		if cur, lerr := s.store.NewsItemByID(r.Context(), p.Actor, id); lerr == nil {
			f.Version, f.Stale = cur.Version, true
		}
	}
	return s.newsFormAgain(w, r, p, f, err)
}

// newsFormAgain shows the form again with what was typed and the messages:
// 422 for fields, the refusal's own status (409 for a stale edit) otherwise.
func (s *Server) newsFormAgain(w http.ResponseWriter, r *http.Request, p *page, f newsForm, err error) error {
	refusal, ok := p.refused(r, "", err)
	if !ok {
		return err
	}
	if len(refusal.Fields) == 0 {
		f.Error = refusal.Message
	}
	f, lerr := s.newsFormData(r, f)
	if lerr != nil {
		return lerr
	}
	p.Title, p.Data = p.T(map[bool]string{true: "news.edit", false: "news.new"}[f.ID != 0]), f
	s.render(w, refusal.Status, "newsedit", "", p)
	return nil
}

// newsLink links a news item to a request named by its number or id.
func (s *Server) newsLink(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(r.PostFormValue("request"))
	rid, err := s.kbRequestRef(r, p, typed)
	if err == nil {
		err = s.store.LinkNews(r.Context(), p.Actor, id, rid)
	}
	if err == nil {
		redirect(w, r, "/news/"+strconv.FormatInt(id, 10)+"?ok=linked")
		return nil
	}
	if !p.formErrors(err) {
		return err
	}
	return s.showNewsItem(w, r, p, statusOf[beheer.ErrorCode(err)], newsView{LinkErr: p.Errors["request"], Request: typed})
}

// kbRequestRef finds a request by its number ("2026-14") or id; a request
// the person may not see is "unknown" like a missing one.
func (s *Server) kbRequestRef(r *http.Request, p *page, ref string) (int64, error) {
	var v beheer.Validation
	if ref == "" {
		v.Add("request", "field.required")
		return 0, v.Err()
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	req, _, err := s.store.RequestByNumber(r.Context(), p.Actor, ref)
	if err != nil {
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			v.Add("request", "field.unknown_request")
			return 0, v.Err()
		}
		return 0, err
	}
	return req.ID, nil
}

// kbText reads a textarea with \n line breaks.
func kbText(r *http.Request, name string) string {
	return strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n")
}

// kbOKMessages are the success messages a redirect may ask for with ?ok=.
var kbOKMessages = map[string]string{
	"news_created": "news.ok.created", "news_saved": "news.ok.saved", "linked": "kb.ok.linked",
	"article_created": "kb.ok.created", "article_saved": "kb.ok.saved", "from_request": "kb.ok.from_request",
	"voted": "kb.ok.voted",
}

func kbOKMessage(p *page, r *http.Request) string {
	if key, ok := kbOKMessages[r.URL.Query().Get("ok")]; ok {
		return p.T(key)
	}
	return ""
}
