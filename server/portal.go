package server

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"beheer"
	"beheer/i18n"
)

// page is what every portal template gets: the person, their language,
// the CSRF token, and the page's own data. Its methods are the template's
// vocabulary, so templates never hard-code text.
type page struct {
	s       *Server
	Lang    i18n.Lang
	User    *beheer.User
	Actor   *beheer.Actor
	CSRF    string
	Title   string
	Path    string
	Flash   string
	Data    any
	Errors  map[string]string // field → message, for forms
	Request *http.Request
	labels  *typeLabels // the organisation's names of types and priorities, once read
}

// T translates a catalogue key.
func (p *page) T(key string, args ...any) string {
	return p.s.catalog.T(p.Lang, key, p.s.displayArgs(p.Lang, args)...)
}

// Name shows a code (phase, type, status, priority, channel, outcome) by
// its name in the person's language: for types and priorities the name the
// organisation gave them, where it did.
func (p *page) Name(v any) string {
	if l := p.orgLabel(v); l != "" {
		return l
	}
	return fmt.Sprint(p.s.display(p.Lang, v))
}

// Role names a role.
func (p *page) Role(r beheer.Role) string { return p.T("role." + string(r)) }

// Date formats a date in Dutch or English notation, Amsterdam time.
func (p *page) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return i18n.FormatDate(p.Lang, t, p.s.zone)
}

// DateTime formats a moment in Amsterdam time.
func (p *page) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return i18n.FormatDateTime(p.Lang, t, p.s.zone)
}

// ShortDate formats a date compactly for tables: "27-11-2026" (nl) or
// "27/11/2026" (en).
func (p *page) ShortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if p.Lang == i18n.NL {
		return t.In(p.s.zone).Format("02-01-2006")
	}
	return t.In(p.s.zone).Format("02/01/2006")
}

// ISO formats a moment for a <time datetime> attribute.
func (p *page) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Int formats a number.
func (p *page) Int(n any) string {
	switch x := n.(type) {
	case int:
		return i18n.FormatInt(p.Lang, int64(x))
	case int64:
		return i18n.FormatInt(p.Lang, x)
	}
	return fmt.Sprint(n)
}

// Markdown renders user text safely.
func (p *page) Markdown(src string) template.HTML { return p.s.md.Render(src) }

// Excerpt is a short plain-text version of user text.
func (p *page) Excerpt(src string, n int) string { return p.s.md.PlainText(src, n) }

// Handle is the name by which a person is mentioned in a comment.
func (p *page) Handle(email string) string { return beheer.Handle(email) }

// Asset is the hashed URL of a static file.
func (p *page) Asset(name string) string { return p.s.assets.url(name) }

// Has reports whether the person holds a role anywhere.
func (p *page) Has(role string) bool { return p.Actor != nil && p.Actor.HasRole(beheer.Role(role)) }

// Can reports whether the person holds a permission anywhere.
func (p *page) Can(perm string) bool {
	return p.Actor != nil && p.Actor.CanAnywhere(beheer.Permission(perm))
}

// FieldError returns the message for a form field, or "".
func (p *page) FieldError(field string) string { return p.Errors[field] }

// ErrorMessages returns every field's message, in the order of the fields'
// names: for a page that says them together (the queue's filter from a
// hand-edited address).
func (p *page) ErrorMessages() []string {
	if len(p.Errors) == 0 {
		return nil
	}
	var out []string
	for _, f := range slices.Sorted(maps.Keys(p.Errors)) {
		out = append(out, p.Errors[f])
	}
	return out
}

// Phases, Types, Priorities, Statuses and Channels list the codes for forms.
func (p *page) Phases() []beheer.Phase        { return beheer.Phases }
func (p *page) Types() []beheer.Type          { return beheer.Types }
func (p *page) Priorities() []beheer.Priority { return beheer.Priorities }
func (p *page) Statuses() []beheer.Status     { return beheer.Statuses }
func (p *page) Channels() []beheer.Channel    { return beheer.Channels }
func (p *page) Roles() []beheer.Role          { return beheer.Roles }
func (p *page) Version() string               { return p.s.cfg.Version }
func (p *page) Query(name string) string      { return p.Request.URL.Query().Get(name) }
func (p *page) Active(prefix string) bool     { return strings.HasPrefix(p.Path, prefix) }
func (p *page) Is(path string) bool           { return p.Path == path }
func (p *page) Other() i18n.Lang {
	return map[i18n.Lang]i18n.Lang{i18n.NL: i18n.EN, i18n.EN: i18n.NL}[p.Lang]
}
func (p *page) Seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
func (p *page) Eq(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// templates holds one parsed template set per page: the shared layout and
// partials, plus the page's own file. Parsed once at start.
type templates map[string]*template.Template

func parseTemplates() (templates, error) {
	base, err := template.New("").Funcs(template.FuncMap{
		"dict": dict,
		"list": func(xs ...string) []string { return xs },
	}).ParseFS(webFiles, "web/templates/layout.html", "web/templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(webFiles, "web/templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(webFiles, p)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return out, nil
}

// dict builds a map for passing several values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m, nil
}

// render writes a page (the layout around the page's "content"), or with
// block set only that block, as htmx asks for partial updates.
func (s *Server) render(w http.ResponseWriter, status int, name, block string, p *page) {
	t, ok := s.templates[name]
	if !ok {
		s.log.Error("unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if block == "" {
		block = "layout"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		s.log.Error("render", "template", name, "block", block, "err", err, "request_id", requestID(p.Request.Context()))
		http.Error(w, s.catalog.T(p.Lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageHandler is a portal page: it gets the prepared page and returns an
// error that becomes a friendly error page.
type pageHandler func(w http.ResponseWriter, r *http.Request, p *page) error

// session cookie names: with TLS the __Host- prefix pins the cookie to this
// host and path and requires Secure.
func (s *Server) sessionCookie() string {
	if s.cfg.SecureCookies {
		return "__Host-beheer_session"
	}
	return "beheer_session"
}

// newPage prepares a page for a request, with or without a session.
func (s *Server) newPage(r *http.Request, sess *beheer.Session) *page {
	p := &page{s: s, Path: r.URL.Path, Request: r, Errors: map[string]string{}}
	if sess != nil {
		p.User, p.Actor, p.CSRF = sess.User, sess.User.Actor(), sess.CSRF
		if l, ok := i18n.ParseLang(sess.User.Lang); ok {
			p.Lang = l
			return p
		}
	}
	// Before signing in: the language chosen on this browser, else the
	// organisation's (not the browser's: a Dutch organisation's login page
	// speaks Dutch on an English laptop too).
	p.Lang = i18n.NL
	if c, err := r.Cookie("beheer_lang"); err == nil {
		if l, ok := i18n.ParseLang(c.Value); ok {
			p.Lang = l
			return p
		}
	}
	if l, ok := i18n.ParseLang(s.store.OrganisationLang(r.Context())); ok {
		p.Lang = l
	}
	return p
}

// portal wraps a page that needs a signed-in person: no session sends the
// browser to the login page; a state change needs the session's CSRF token;
// a person without the route's permission is refused before the handler.
func (s *Server) portal(perm beheer.Permission, h pageHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.currentSession(r)
		if err != nil {
			s.toLogin(w, r)
			return
		}
		r = r.WithContext(withUser(r.Context(), sess.User))
		p := s.newPage(r, sess)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, s.formLimit(r))
			if err := s.checkCSRF(r, sess.CSRF); err != nil {
				s.errorPage(w, r, p, err)
				return
			}
		}
		if err := permitted(p.Actor, perm); err != nil {
			s.errorPage(w, r, p, err)
			return
		}
		if r.URL.Path != enrolPath && r.URL.Path != "/logout" {
			if must, err := s.mustEnrol(r, p); err != nil || must {
				if err == nil {
					redirect(w, r, enrolPath+"?required=1")
					return
				}
				s.errorPage(w, r, p, err)
				return
			}
		}
		if err := h(w, r, p); err != nil {
			s.errorPage(w, r, p, err)
		}
	})
}

// public wraps a page that works without a session (login, password reset).
func (s *Server) public(h pageHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, _ := s.currentSession(r)
		p := s.newPage(r, sess)
		if sess == nil {
			p.CSRF = s.preCSRF(w, r)
		}
		if err := h(w, r, p); err != nil {
			s.errorPage(w, r, p, err)
		}
	})
}

func (s *Server) currentSession(r *http.Request) (*beheer.Session, error) {
	c, err := r.Cookie(s.sessionCookie())
	if err != nil {
		return nil, err
	}
	return s.store.Session(r.Context(), c.Value)
}

// toLogin sends the browser to the login page (htmx: a full redirect).
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + urlQueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// checkCSRF refuses a state change without the session's CSRF token. A
// token in the X-CSRF-Token header (htmx) leaves the body to the handler,
// which can say which file was too large. Otherwise the form is read here,
// and a body beyond the limit answers 413, not "expired": the token in it
// was never read.
func (s *Server) checkCSRF(r *http.Request, want string) error {
	if r.Header.Get("X-CSRF-Token") == "" {
		var tooLarge *http.MaxBytesError
		if err := parseForm(r); errors.As(err, &tooLarge) {
			return beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(s.formLimit(r)))
		}
	}
	if !validCSRF(r, want) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	return nil
}

// parseForm reads a posted form, multipart or not, keeping up to 32 MiB of
// files in memory as Request.FormValue would.
func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return r.ParseMultipartForm(32 << 20)
	}
	return r.ParseForm()
}

func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// errorPage shows an error as a friendly page in the person's language; an
// internal error is logged in full and shown as a plain apology.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p *page, err error) {
	be := s.asError(r, err)
	status := statusOf[be.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if be.Code == beheer.CodeUnauthorized {
		s.toLogin(w, r)
		return
	}
	s.refusalEvent(r, be)
	// The title may name the same values as the message ("at most {max}").
	p.Title = p.T("error."+string(be.Code), be.Args...)
	msg := ""
	if be.Key != "" && be.Key != "error."+string(be.Code) {
		msg = p.T(be.Key, be.Args...)
	}
	p.Data = struct {
		Status  int
		Message string
	}{status, msg}
	s.render(w, status, "error", "", p)
}

// redirect answers a form post: a 303 to the next page, or for htmx an
// HX-Redirect.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// formErrors turns a validation error into messages per field for a form;
// ok is false for any other error.
func (p *page) formErrors(err error) bool {
	var be *beheer.Error
	if !errors.As(err, &be) || len(be.Fields) == 0 {
		return false
	}
	for _, f := range be.Fields {
		p.Errors[f.Field] = p.T(f.Key, f.Args...)
	}
	p.Flash = p.T(be.Key)
	return true
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func urlParse(s string) (*url.URL, error) { return url.Parse(s) }

// formLimit bounds a form post before anything reads it: uploads up to the
// attachment limit (a few files), other forms 1 MiB.
func (s *Server) formLimit(r *http.Request) int64 {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return 4*s.store.MaxAttachmentSize() + 1<<20
	}
	return 1 << 20
}
