package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The outage pages: the list with the form for a new notice, one outage
// with the requests filed about it, the banner every signed-in page shows,
// and the one-click report from the new-request form.

// outageSeenCookie holds the outages this browser session dismissed from
// the banner: a session cookie, gone when the browser closes.
const outageSeenCookie = "beheer_outages_seen"

// outagesView is the data of the list of outages.
type outagesView struct {
	formRefusal
	Open, Past []*beheer.Outage
	CanManage  bool
	Severities []beheer.OutageSeverity
	Now        string // for the start field: now, as datetime-local
}

func (s *Server) outagesPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showOutages(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showOutages(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	list, err := s.store.Outages(r.Context(), s.now().AddDate(0, -12, 0))
	if err != nil {
		return err
	}
	v := outagesView{formRefusal: fe, CanManage: beheer.CanManageOutages(p.Actor), Severities: beheer.OutageSeverities,
		Now: s.formMoment(s.now())}
	for _, o := range list {
		if o.Open() {
			v.Open = append(v.Open, o)
		} else {
			v.Past = append(v.Past, o)
		}
	}
	p.Title, p.Data = p.T("outage.title"), v
	if p.Flash == "" {
		p.Flash = outageDoneMessage(p, r)
	}
	s.render(w, status, "outages", "", p)
	return nil
}

// postedTime reads a date-and-time field of the form in Dutch time.
func (s *Server) postedTime(r *http.Request, name string, v *beheer.Validation) time.Time {
	return s.formTime(strings.TrimSpace(r.PostFormValue(name)), name, v)
}

// readOutageForm reads the fields of a notice.
func (s *Server) readOutageForm(r *http.Request) (beheer.OutageInput, error) {
	var v beheer.Validation
	in := beheer.OutageInput{Title: formText(r, "title"), Description: formText(r, "description"),
		Severity: beheer.OutageSeverity(r.PostFormValue("severity")), StartedAt: s.postedTime(r, "started_at", &v),
		ExpectedEndAt: s.postedTime(r, "expected_end_at", &v)}
	return in, v.Err()
}

func (s *Server) createOutage(w http.ResponseWriter, r *http.Request, p *page) error {
	in, err := s.readOutageForm(r)
	var o *beheer.Outage
	if err == nil {
		o, err = s.store.CreateOutage(r.Context(), p.Actor, in)
	}
	if err != nil {
		return p.showRefused(r, "outage", err, func(fe formRefusal) error { return s.showOutages(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, outagePath(o.ID, "?done=posted"))
	return nil
}

func outagePath(id int64, rest string) string { return "/outages/" + strconv.FormatInt(id, 10) + rest }

// outageDoneMessage is the success message a redirect asked for.
func outageDoneMessage(p *page, r *http.Request) string {
	switch k := r.URL.Query().Get("done"); k {
	case "posted", "saved", "closed", "linked":
		return p.T("outage.done." + k)
	}
	return ""
}

// outageView is the data of one outage's page.
type outageView struct {
	formRefusal
	O          *beheer.Outage
	Requests   []*beheer.Request
	CanManage  bool
	CanReport  bool
	Severities []beheer.OutageSeverity
	Now        string
}

func (s *Server) outagePage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showOutage(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showOutage(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.Outage(r.Context(), id)
	if err != nil {
		return err
	}
	reqs, err := s.store.OutageRequests(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	v := outageView{formRefusal: fe, O: o, Requests: reqs, CanManage: beheer.CanManageOutages(p.Actor),
		CanReport: o.Open() && p.Actor.CanAnywhere(beheer.PermRequestCreate), Severities: beheer.OutageSeverities,
		Now: s.formMoment(s.now())}
	p.Title, p.Data = o.Title, v
	if p.Flash == "" {
		p.Flash = outageDoneMessage(p, r)
	}
	s.render(w, status, "outage", "", p)
	return nil
}

// Local shows a moment as a datetime-local value, "" for none.
func (p *page) Local(t time.Time) string { return p.s.formMoment(t) }

func (s *Server) outageFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showOutage(w, r, p, fe.Status, fe) })
}

// outageDone finishes a form of the outage's page: back to the page with
// the success message done, or the page again with the form's refusal.
func (s *Server) outageDone(w http.ResponseWriter, r *http.Request, p *page, id int64, form, done string, err error) error {
	if err != nil {
		return s.outageFailed(w, r, p, form, err)
	}
	redirect(w, r, outagePath(id, "?done="+done))
	return nil
}

func (s *Server) updateOutage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in, err := s.readOutageForm(r)
	if err == nil {
		_, err = s.store.UpdateOutage(r.Context(), p.Actor, id, version, in)
	}
	return s.outageDone(w, r, p, id, "outage", "saved", err)
}

func (s *Server) closeOutage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var v beheer.Validation
	end := s.postedTime(r, "ended_at", &v)
	err = v.Err()
	if err == nil {
		_, err = s.store.CloseOutage(r.Context(), p.Actor, id, version, end, formText(r, "summary"))
	}
	return s.outageDone(w, r, p, id, "close", "closed", err)
}

// linkOutageRequest collects an existing request, named by its number,
// under the outage.
func (s *Server) linkOutageRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	other, err := s.otherRequest(r, p, formText(r, "request"))
	if err == nil {
		err = s.store.LinkOutageRequest(r.Context(), p.Actor, id, other)
	} else {
		err = beheer.Invalid("request", "field.unknown_request")
	}
	return s.outageDone(w, r, p, id, "link", "linked#requests", err)
}

// reportOutage is the one click of "mijn melding hoort bij deze storing":
// it files an incident about the outage, collected under it.
func (s *Server) reportOutage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.Outage(r.Context(), id)
	if err != nil {
		return err
	}
	req, err := s.store.CreateRequest(r.Context(), p.Actor, beheer.NewRequest{Type: beheer.TypeIncident,
		Title: p.T("outage.report_title", "title", o.Title), Description: formText(r, "description"), OutageID: id})
	if err != nil {
		return s.outageFailed(w, r, p, "report", err)
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(req.ID, 10)+"?ok=outage")
	return nil
}

// dismissOutage hides an outage from the banner for the rest of the
// browser session, and goes back to the page it was dismissed on.
func (s *Server) dismissOutage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	seen := dismissedOutages(r)
	seen[id] = true
	ids := make([]string, 0, len(seen))
	for k := range seen {
		ids = append(ids, strconv.FormatInt(k, 10))
	}
	http.SetCookie(w, &http.Cookie{Name: outageSeenCookie, Value: strings.Join(ids, "."), Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		back = "/"
	}
	redirect(w, r, back)
	return nil
}

// dismissedOutages are the outages this browser session dismissed.
func dismissedOutages(r *http.Request) map[int64]bool {
	out := map[int64]bool{}
	c, err := r.Cookie(outageSeenCookie)
	if err != nil {
		return out
	}
	for part := range strings.SplitSeq(c.Value, ".") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil && id > 0 && len(out) < 100 {
			out[id] = true
		}
	}
	return out
}

// Banner lists the outages going on now that this browser session did not
// dismiss: the notice every signed-in page shows (not the login page).
func (p *page) Banner() []*beheer.Outage {
	if p.User == nil || p.Path == "/login" {
		return nil
	}
	list, err := p.s.store.OpenOutages(p.Request.Context())
	if err != nil {
		p.s.log.Error("outage banner", "err", err)
		return nil
	}
	seen := dismissedOutages(p.Request)
	var out []*beheer.Outage
	for _, o := range list {
		if !seen[o.ID] {
			out = append(out, o)
		}
	}
	return out
}

// OpenOutages lists every outage going on now, dismissed or not: the
// new-request form asks about each.
func (p *page) OpenOutages() []*beheer.Outage {
	list, err := p.s.store.OpenOutages(p.Request.Context())
	if err != nil {
		p.s.log.Error("open outages", "err", err)
		return nil
	}
	return list
}

// RequestURI is the page's own address, to come back to after a form.
func (p *page) RequestURI() string { return p.Request.URL.RequestURI() }

// Lasted is how long an outage lasted, or has lasted so far, as "h:mm".
func (p *page) Lasted(o *beheer.Outage) string {
	return beheer.FormatMinutes(int(o.Duration(p.s.now()).Minutes()))
}
