package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// The pages of news and the knowledge base (kennisbank): one set of
// handlers for both kinds of publication — the list, one publication, the
// writers' form, linking to requests — and for articles "did this help?",
// revisions and the suggestions of the new-request form. What the pages
// show of each kind follows beheer.PublicationTraits; where each kind
// lives is publicationSites.

// publicationSite is where one kind of publication lives in the portal and
// the API, and how the API shows it.
type publicationSite struct {
	page string // the portal's pages: "/news/{id}", "/news/new", …
	list string // the template of the list page
	api  string // the API's collection
	// pageAll is the list page's parameter with which a writer asks for
	// drafts too; without one a writer always sees everything.
	pageAll string
	// apiAll is the same for the API's list (?all=true, ?drafts=true).
	apiAll string
	// json is the kind's shape in the API.
	json func(p *beheer.Publication, now time.Time) any
}

// publicationSites is the table of sites. It is never modified.
var publicationSites = map[beheer.PublicationKind]publicationSite{
	beheer.PublicationNews: {page: "/news", list: "news", api: "/api/v1/news", apiAll: "all",
		json: func(p *beheer.Publication, now time.Time) any { return toAPINews(p, now) }},
	beheer.PublicationArticle: {page: "/kb", list: "articles", api: "/api/v1/articles", pageAll: "drafts", apiAll: "drafts",
		json: func(p *beheer.Publication, _ time.Time) any { return toAPIArticle(p) }},
}

// publicationPath is the portal address of a publication, with a suffix
// such as "/edit" or "?ok=linked".
func publicationPath(k beheer.PublicationKind, id int64, suffix string) string {
	return publicationSites[k].page + "/" + strconv.FormatInt(id, 10) + suffix
}

// publicationList is the data of a kind's list page.
type publicationList struct {
	Kind     beheer.PublicationKind
	Q        string // kinds with Search: the words
	Search   searchNote
	Area     string // kinds with Search: the area's code
	Drafts   bool   // a writer asked for drafts too
	Items    []*beheer.Publication
	Next     string // the URL of the next page, with the same filters
	CanWrite bool
	Areas    []beheer.Area
	Now      time.Time
}

func (s *Server) publicationsPage(k beheer.PublicationKind) pageHandler {
	site := publicationSites[k]
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		ctx, q := r.Context(), r.URL.Query()
		d := publicationList{Kind: k, CanWrite: beheer.CanWritePublications(p.Actor), Now: s.now()}
		d.Drafts = d.CanWrite && site.pageAll != "" && q.Get(site.pageAll) == "1"
		f := store.PublicationFilter{Kind: k, All: d.CanWrite && (site.pageAll == "" || d.Drafts), Cursor: q.Get("cursor"), Limit: 20}
		if k.Traits().Search {
			var v beheer.Validation
			d.Q, d.Area = strings.TrimSpace(q.Get("q")), q.Get("area")
			d.Search = searchNoteFor(d.Q)
			f.Query, f.AreaID = d.Q, s.kbAreaID(r, d.Area, "area", &v)
			if err := v.Err(); err != nil {
				return err
			}
			var err error
			if d.Areas, err = s.store.Areas(ctx); err != nil {
				return err
			}
		}
		page, err := s.store.Publications(ctx, p.Actor, f)
		if err != nil {
			return err
		}
		d.Items = page.Items
		if page.NextCursor != "" {
			d.Next = site.page + "?" + d.nextQuery(page.NextCursor, site.pageAll).Encode()
		}
		p.Title, p.Data = p.T(k.Key("title")), d
		p.Flash = kbOKMessage(p, r)
		block := ""
		if k.Traits().Search && r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "kb-results" {
			block = "kb-results" // the live search swaps in its results only
		}
		s.render(w, http.StatusOK, site.list, block, p)
		return nil
	}
}

// nextQuery is the query of the next page: its cursor and the filters.
func (d publicationList) nextQuery(cursor, all string) url.Values {
	next := url.Values{"cursor": {cursor}}
	if d.Area != "" {
		next.Set("area", d.Area)
	}
	if d.Drafts {
		next.Set(all, "1")
	}
	return next
}

// publicationView is the data of one publication's page.
type publicationView struct {
	P         *beheer.Publication
	Base      string // where the kind's pages live
	CanWrite  bool
	Revisions []beheer.PublicationRevision
	Revision  *beheer.PublicationRevision // a past version being looked at
	Linked    []*beheer.Request
	Now       time.Time
	LinkErr   string
	Request   string // the request number typed into the link form
}

func (s *Server) publicationPage(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		return s.showPublication(w, r, p, k, http.StatusOK, publicationView{})
	}
}

func (s *Server) showPublication(w http.ResponseWriter, r *http.Request, p *page, k beheer.PublicationKind, status int, v publicationView) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if v.P, err = s.store.Publication(ctx, p.Actor, k, id); err != nil {
		return err
	}
	v.Base, v.CanWrite, v.Now = publicationSites[k].page, beheer.CanWritePublications(p.Actor), s.now()
	if v.CanWrite {
		if v.Linked, err = s.store.PublicationLinkedRequests(ctx, p.Actor, k, id); err != nil {
			return err
		}
		if err := s.loadRevisions(r, p, &v); err != nil {
			return err
		}
	}
	p.Title = v.P.Title
	if p.Flash == "" {
		p.Flash = kbOKMessage(p, r)
	}
	p.Data = v
	s.render(w, status, "publication", "", p)
	return nil
}

// loadRevisions adds, where the kind keeps them, the saved versions and
// the past one asked for with ?version=.
func (s *Server) loadRevisions(r *http.Request, p *page, v *publicationView) error {
	if !v.P.Kind.Traits().Revisions {
		return nil
	}
	var err error
	if v.Revisions, err = s.store.PublicationRevisions(r.Context(), p.Actor, v.P.Kind, v.P.ID); err != nil {
		return err
	}
	want := r.URL.Query().Get("version")
	for i := range v.Revisions {
		if want != "" && strconv.FormatInt(v.Revisions[i].Version, 10) == want && v.Revisions[i].Version != v.P.Version {
			v.Revision = &v.Revisions[i]
		}
	}
	return nil
}

// publicationFeedback records "did this help?"; htmx swaps in the thanked
// block.
func (s *Server) publicationFeedback(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
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
			return beheer.Invalid("helpful", "field.required")
		}
		x, err := s.store.RatePublication(r.Context(), p.Actor, k, id, helpful)
		if err != nil {
			return err
		}
		if r.Header.Get("HX-Request") == "true" {
			p.Data = publicationView{P: x, Base: publicationSites[k].page, CanWrite: beheer.CanWritePublications(p.Actor)}
			s.render(w, http.StatusOK, "publication", "kb-feedback", p)
			return nil
		}
		redirect(w, r, publicationPath(k, id, "?ok=voted#feedback"))
		return nil
	}
}

// publicationForm is the data of the writers' form: the values as shown,
// and the areas and roles to choose from. Only the fields the kind carries
// are shown.
type publicationForm struct {
	Kind      beheer.PublicationKind
	Base      string // where the kind's pages live
	ID        int64
	Version   int64
	Title     string
	Body      string
	Area      string
	Role      string
	Tags      string
	Status    string
	PublishAt string
	ExpireAt  string
	Areas     []beheer.Area
	Roles     []beheer.Role
	Stale     bool
	Error     string // a refusal that is not about one field
}

// audienceRoles are the roles a publication can be addressed to;
// "everyone" covers the user role.
var audienceRoles = []beheer.Role{beheer.RoleKeyUser, beheer.RoleFunctionalAdmin, beheer.RoleTechnicalAdmin, beheer.RoleManagement}

const formMinute = "2006-01-02T15:04"

// showPublicationForm renders the form with the areas and roles to choose
// from.
func (s *Server) showPublicationForm(w http.ResponseWriter, r *http.Request, p *page, status int, f publicationForm) error {
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return err
	}
	f.Base, f.Areas = publicationSites[f.Kind].page, areas
	if f.Kind.Traits().Audience {
		f.Roles = audienceRoles
	}
	p.Title, p.Data = p.T(f.Kind.Key(map[bool]string{true: "edit", false: "new"}[f.ID != 0])), f
	s.render(w, status, "publicationedit", "", p)
	return nil
}

func (s *Server) newPublicationPage(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		f := publicationForm{Kind: k, Status: string(beheer.PublicationDraft)}
		if k.Traits().Dated {
			f.PublishAt = s.now().In(s.zone).Format(formMinute)
		}
		return s.showPublicationForm(w, r, p, http.StatusOK, f)
	}
}

func (s *Server) editPublicationPage(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		x, err := s.store.Publication(r.Context(), p.Actor, k, id)
		if err != nil {
			return err
		}
		f := publicationForm{Kind: k, ID: x.ID, Version: x.Version, Title: x.Title, Body: x.Body, Area: x.AreaCode,
			Role: string(x.AudienceRole), Tags: strings.Join(x.Tags, ", "), Status: string(x.Status)}
		if k.Traits().Dated {
			f.PublishAt, f.ExpireAt = s.formMoment(x.PublishAt), s.formMoment(x.ExpireAt)
		}
		p.Flash = kbOKMessage(p, r)
		return s.showPublicationForm(w, r, p, http.StatusOK, f)
	}
}

// formMoment shows a moment in a datetime-local field; zero is empty.
func (s *Server) formMoment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.zone).Format(formMinute)
}

// readPublicationForm reads the fields the kind carries into the store's
// input, naming each field that cannot be read; the input's own rules
// speak for the other fields at once.
func (s *Server) readPublicationForm(r *http.Request, k beheer.PublicationKind) (publicationForm, beheer.PublicationInput, error) {
	t := k.Traits()
	f := publicationForm{Kind: k, Title: r.PostFormValue("title"), Body: kbText(r, "body"), Area: r.PostFormValue(t.AreaField),
		Role: r.PostFormValue("audience_role"), Tags: r.PostFormValue("tags"), Status: r.PostFormValue("status")}
	in := beheer.PublicationInput{Kind: k, Title: f.Title, Body: f.Body, AudienceRole: beheer.Role(f.Role),
		Tags: beheer.ParseTags(f.Tags), Status: beheer.PublicationStatus(f.Status)}
	var v beheer.Validation
	in.AreaID = s.kbAreaID(r, f.Area, t.AreaField, &v)
	if t.Dated {
		f.PublishAt, f.ExpireAt = strings.TrimSpace(r.PostFormValue("publish_at")), strings.TrimSpace(r.PostFormValue("expire_at"))
		in.PublishAt = s.formTime(f.PublishAt, "publish_at", &v)
		in.ExpireAt = s.formTime(f.ExpireAt, "expire_at", &v)
		if in.PublishAt.IsZero() && !v.Has("publish_at") {
			v.Add("publish_at", "field.required")
		}
	}
	if v.Err() == nil {
		return f, in, nil
	}
	if verr, ok := in.Validate(s.now()).(*beheer.Error); ok {
		for _, fe := range verr.Fields {
			if !v.Has(fe.Field) && fe.Field != "expire_at" {
				v.Fields = append(v.Fields, fe)
			}
		}
	}
	return f, in, v.Err()
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

func (s *Server) createPublication(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		f, in, err := s.readPublicationForm(r, k)
		if err == nil {
			var x *beheer.Publication
			if x, err = s.store.CreatePublication(r.Context(), p.Actor, in); err == nil {
				redirect(w, r, publicationPath(k, x.ID, "?ok="+string(k)+"_created"))
				return nil
			}
		}
		return s.publicationFormAgain(w, r, p, f, err)
	}
}

func (s *Server) updatePublication(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		if version <= 0 {
			return beheer.Errorf(beheer.CodePreconditionRequired, k.Key("stale"))
		}
		f, in, err := s.readPublicationForm(r, k)
		f.ID, f.Version = id, version
		if err == nil {
			if _, err = s.store.UpdatePublication(r.Context(), p.Actor, id, version, in); err == nil {
				redirect(w, r, publicationPath(k, id, "?ok="+string(k)+"_saved"))
				return nil
			}
		}
		if beheer.ErrorCode(err) == beheer.CodePreconditionFailed {
			// Someone else saved first: keep what was typed and carry the
			// current version, so saving again is a deliberate overwrite
			// (an article keeps the other version as a revision).
			if cur, lerr := s.store.Publication(r.Context(), p.Actor, k, id); lerr == nil {
				f.Version, f.Stale = cur.Version, true
			}
		}
		return s.publicationFormAgain(w, r, p, f, err)
	}
}

// publicationFormAgain shows the form again with what was typed and the
// messages: 422 for fields, the refusal's own status (409 for a stale
// edit) otherwise.
func (s *Server) publicationFormAgain(w http.ResponseWriter, r *http.Request, p *page, f publicationForm, err error) error {
	refusal, ok := p.refused(r, "", err)
	if !ok {
		return err
	}
	if len(refusal.Fields) == 0 {
		f.Error = refusal.Message
	}
	return s.showPublicationForm(w, r, p, refusal.Status, f)
}

// linkPublication links a publication to a request named by its number or
// id.
func (s *Server) linkPublication(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		typed := strings.TrimSpace(r.PostFormValue("request"))
		rid, err := s.kbRequestRef(r, p, typed)
		if err == nil {
			err = s.store.LinkPublication(r.Context(), p.Actor, k, id, rid)
		}
		if err == nil {
			redirect(w, r, publicationPath(k, id, "?ok=linked"))
			return nil
		}
		if !p.formErrors(err) {
			return err
		}
		return s.showPublication(w, r, p, k, statusOf[beheer.ErrorCode(err)], publicationView{LinkErr: p.Errors["request"], Request: typed})
	}
}

// kbRequestRef finds a request by its number ("2026-14") or id; a request
// the person may not see is "unknown" like a missing one.
func (s *Server) kbRequestRef(r *http.Request, p *page, ref string) (int64, error) {
	if ref == "" {
		return 0, beheer.Invalid("request", "field.required")
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	req, _, err := s.store.RequestByNumber(r.Context(), p.Actor, ref)
	if err != nil {
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			return 0, beheer.Invalid("request", "field.unknown_request")
		}
		return 0, err
	}
	return req.ID, nil
}

// articleFromRequest turns a solved request into a draft article and opens
// it for editing.
func (s *Server) articleFromRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.store.ArticleFromRequest(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	redirect(w, r, publicationPath(x.Kind, x.ID, "/edit?ok=from_request"))
	return nil
}

// publicationSuggest lists live publications that match the title of a
// request being typed; the new-request form loads it with htmx.
func (s *Server) publicationSuggest(k beheer.PublicationKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		title := strings.TrimSpace(r.URL.Query().Get("title"))
		var items []*beheer.Publication
		if len([]rune(title)) >= 4 && len(title) <= 200 {
			var err error
			if items, err = s.store.SuggestPublications(r.Context(), p.Actor, k, title, 5); err != nil {
				return err
			}
		}
		p.Data = items
		s.render(w, http.StatusOK, publicationSites[k].list, "kb-suggestions", p)
		return nil
	}
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
