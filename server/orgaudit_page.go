package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The organisation's audit log: a page with filters and a cursor, CSV and
// Excel downloads of everything the filters find, and the same in the API.

// auditFilter reads the filters of the page and the API: kind, person (an
// id or an e-mail address), from and to (dates, to included, Amsterdam
// time), q, cursor and limit.
func (s *Server) auditFilter(r *http.Request) (beheer.OrgAuditFilter, string, error) {
	q := r.URL.Query()
	f := beheer.OrgAuditFilter{Kind: beheer.AuditKind(q.Get("kind")), Text: q.Get("q")}
	var v beheer.Validation
	person := strings.TrimSpace(q.Get("person"))
	if person != "" {
		if id, err := strconv.ParseInt(person, 10, 64); err == nil && id > 0 {
			f.PersonID = id
		} else if u, _, err := s.store.UserByEmail(r.Context(), strings.ToLower(person)); err == nil {
			f.PersonID = u.ID
		} else {
			v.Add("person", "admin.audit.unknown_person")
		}
	}
	day := func(name string) time.Time {
		raw := strings.TrimSpace(q.Get(name))
		if raw == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation("2006-01-02", raw, s.zone)
		if err != nil {
			v.Add(name, "admin.audit.bad_date")
		}
		return d
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n <= 0 {
			v.Add("cursor", "field.invalid")
		}
		f.Before = n
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			v.Add("limit", "field.wrong_type")
		}
		f.Limit = n
	}
	return f, person, v.Err()
}

// auditView is the log page.
type auditView struct {
	Items  []beheer.OrgAuditEntry
	Kinds  []beheer.AuditKind
	Kind   string
	Person string
	From   string
	To     string
	Q      string
	Next   string // the next page's address; "" for none
	Older  bool
	Query  string // the filters, for the downloads
}

// auditPage shows the organisation's audit log.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p *page) error {
	q := r.URL.Query()
	v := &auditView{Kinds: beheer.AuditKinds(), Kind: q.Get("kind"), Person: q.Get("person"), From: q.Get("from"),
		To: q.Get("to"), Q: q.Get("q"), Older: q.Get("cursor") != ""}
	filters := url.Values{}
	for _, k := range []string{"kind", "person", "from", "to", "q"} {
		if q.Get(k) != "" {
			filters.Set(k, q.Get(k))
		}
	}
	v.Query = filters.Encode()
	status := http.StatusOK
	f, _, err := s.auditFilter(r)
	if err == nil {
		var page *beheer.OrgAuditPage
		if page, err = s.store.OrgAudit(r.Context(), p.Actor, f); err == nil {
			v.Items = page.Items
			if page.NextBefore != 0 {
				next := url.Values{}
				for k, vs := range filters {
					next[k] = vs
				}
				next.Set("cursor", strconv.FormatInt(page.NextBefore, 10))
				v.Next = "/audit?" + next.Encode()
			}
		}
	}
	if err != nil {
		rf, ok := p.refused(r, "audit", err)
		if !ok {
			return err
		}
		p.Flash, status = rf.Said, rf.Status
	}
	p.Title, p.Data = p.T("admin.audit.title"), v
	s.render(w, status, "audit", "", p)
	return nil
}

// Action names an audit action in the person's language, or as it is
// when the catalogue has no name for it.
func (p *page) Action(action string) string {
	if key := "admin.audit.action." + action; p.s.catalog.Has(key) {
		return p.T(key)
	}
	return action
}

// AuditField names what an audit row changed: a connection setting by its
// label, a person by name, anything else as it is.
func (p *page) AuditField(e beheer.OrgAuditEntry) string {
	switch {
	case e.SubjectName != "":
		return e.SubjectName
	case p.s.catalog.Has("admin.field." + e.Field):
		return p.T("admin.field." + e.Field)
	case p.s.catalog.Has("admin.audit.field." + e.Field):
		return p.T("admin.audit.field." + e.Field)
	}
	if kind, id, ok := strings.Cut(e.Field, ":"); ok && p.s.catalog.Has("admin.audit.ref."+kind) {
		return p.T("admin.audit.ref."+kind, "id", id)
	}
	return e.Field
}

// AuditValue shows a value before or after a change: yes and no for
// booleans, anything else as it is.
func (p *page) AuditValue(v string) string {
	switch v {
	case "true":
		return p.T("admin.audit.yes")
	case "false":
		return p.T("admin.audit.no")
	}
	return v
}

// auditHeader and auditRow are the downloads' columns.
func (p *page) auditHeader() []string {
	var out []string
	for _, k := range []string{"when", "who", "kind", "action", "about", "before", "after"} {
		out = append(out, p.T("admin.audit.col."+k))
	}
	return out
}

func (p *page) auditRow(e beheer.OrgAuditEntry) []any {
	who := e.ActorName
	if who == "" {
		who = p.T("admin.audit.system")
	}
	var before, after any = p.AuditValue(e.Before), p.AuditValue(e.After)
	if e.Multiline() {
		before, after = multiline(e.Before), multiline(e.After)
	}
	return []any{e.At, who, p.T("admin.audit.kind." + string(e.Kind)), p.Action(e.Action), p.AuditField(e), before, after}
}

// maxAuditExport bounds one download.
const maxAuditExport = 100000

// walkAudit runs fn over every row the filters find, newest first, a page
// at a time.
func (s *Server) walkAudit(r *http.Request, p *page, fn func(beheer.OrgAuditEntry) error) error {
	f, _, err := s.auditFilter(r)
	if err != nil {
		return err
	}
	f.Limit = beheer.MaxAuditLimit
	for n := 0; n < maxAuditExport; {
		page, err := s.store.OrgAudit(r.Context(), p.Actor, f)
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			if err := fn(e); err != nil {
				return err
			}
			n++
		}
		if page.NextBefore == 0 {
			return nil
		}
		f.Before = page.NextBefore
	}
	return nil
}

// auditExportCSV downloads the log as CSV in the person's language.
func (s *Server) auditExportCSV(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := s.checkAuditExport(r, p); err != nil {
		return err
	}
	return s.downloadCSV(w, p, "admin.audit.file", p.auditHeader(), s.auditRows(r, p))
}

// auditExportXLSX downloads the log as an Excel workbook.
func (s *Server) auditExportXLSX(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := s.checkAuditExport(r, p); err != nil {
		return err
	}
	return s.downloadXLSX(w, p, "admin.audit.file", p.T("admin.audit.sheet"), []float64{18, 24, 16, 34, 28, 30, 30},
		p.auditHeader(), s.auditRows(r, p))
}

// checkAuditExport answers a refusal or the filters' errors before
// anything is written.
func (s *Server) checkAuditExport(r *http.Request, p *page) error {
	if !beheer.CanReadOrgAudit(p.Actor) {
		return beheer.Refusal(beheer.PermOrgAuditRead)
	}
	_, _, err := s.auditFilter(r)
	return err
}

// auditRows adds every row the filters find to a download.
func (s *Server) auditRows(r *http.Request, p *page) func(add func([]any) error) error {
	return func(add func([]any) error) error {
		return s.walkAudit(r, p, func(e beheer.OrgAuditEntry) error { return add(p.auditRow(e)) })
	}
}

// apiOrgAudit is the organisation's audit log, newest first; next_cursor
// gives the next page.
func (s *Server) apiOrgAudit(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, _, err := s.auditFilter(r)
	if err != nil {
		return err
	}
	page, err := s.store.OrgAudit(r.Context(), a, f)
	if err != nil {
		return err
	}
	var next *string
	if page.NextBefore != 0 {
		c := strconv.FormatInt(page.NextBefore, 10)
		next = &c
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []beheer.OrgAuditEntry `json:"items"`
		NextCursor *string                `json:"next_cursor"`
	}{page.Items, next})
	return nil
}
