package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// queueView is the work queue: filters, counts per phase, one page of
// requests, saved views, and who work can be assigned to.
type queueView struct {
	F         queueFilter
	Counts    []phaseCount
	Items     []*beheer.Request
	Next      string // URL of the next page, or ""
	Views     []store.SavedView
	Areas     []beheer.Area
	Assignees []beheer.User
	CanAssign bool
	Query     string // the current filter as a URL query, for saving and exporting
	Assigned  string // result of a bulk assignment
	Sorts     []string
}

// queueFilter is the queue's filter as the form shows it.
type queueFilter struct {
	Phase, Status, Area, Type, Priority, Assignee, Q, Sort string
}

type phaseCount struct {
	Phase beheer.Phase
	Count int
	URL   string
}

// queueFilterFrom reads the filter from the URL; the API's parser checks it.
func queueFilterFrom(q url.Values) queueFilter {
	return queueFilter{Phase: q.Get("phase"), Status: q.Get("status"), Area: q.Get("area"), Type: q.Get("type"),
		Priority: q.Get("priority"), Assignee: q.Get("assignee"), Q: q.Get("q"), Sort: q.Get("sort")}
}

// values is the filter as a URL query without empty fields.
func (f queueFilter) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"phase": f.Phase, "status": f.Status, "area": f.Area, "type": f.Type,
		"priority": f.Priority, "assignee": f.Assignee, "q": f.Q, "sort": f.Sort} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !p.Actor.CanAnywhere(beheer.PermRequestRead) {
		return beheer.ErrForbidden("")
	}
	v, err := s.queueView(r, p)
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("queue.title"), v
	block := ""
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "queue-results" {
		block = "queue-results"
	}
	s.render(w, http.StatusOK, "workqueue", block, p)
	return nil
}

func (s *Server) queueView(r *http.Request, p *page) (*queueView, error) {
	v := &queueView{F: queueFilterFrom(r.URL.Query()), Sorts: []string{"priority", "updated", "newest", "oldest"}}
	f, err := s.listFilter(r, p.Actor)
	if err != nil {
		if p.formErrors(err) {
			f, _ = s.listFilter(&http.Request{URL: &url.URL{}}, p.Actor)
		} else {
			return nil, err
		}
	}
	if v.F.Phase == "" && v.F.Status == "" {
		f.OpenOnly = true
	}
	page, err := s.store.Requests(r.Context(), p.Actor, f)
	if err != nil {
		return nil, err
	}
	v.Items = page.Items
	query := v.F.values()
	v.Query = query.Encode()
	if page.NextCursor != "" {
		next := v.F.values()
		next.Set("cursor", page.NextCursor)
		v.Next = "/queue?" + next.Encode()
	}
	if v.Counts, err = s.phaseCounts(r, p, f.AreaIDs, v.F); err != nil {
		return nil, err
	}
	if v.Views, err = s.store.SavedViews(r.Context(), p.Actor); err != nil {
		return nil, err
	}
	if v.Areas, err = s.store.Areas(r.Context()); err != nil {
		return nil, err
	}
	v.CanAssign = p.Actor.CanAnywhere(beheer.PermRequestManage)
	if v.CanAssign {
		if v.Assignees, err = s.store.Assignees(r.Context(), p.Actor); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// phaseCounts counts the open requests per phase, for the chosen area.
func (s *Server) phaseCounts(r *http.Request, p *page, areas []int64, f queueFilter) ([]phaseCount, error) {
	counts, err := s.store.OpenCounts(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	var out []phaseCount
	for _, ph := range []beheer.Phase{beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation} {
		c := phaseCount{Phase: ph}
		for _, n := range counts {
			if n.Phase == ph && (len(areas) == 0 || containsID(areas, n.AreaID)) {
				c.Count += n.Count
			}
		}
		q := url.Values{"phase": {string(ph)}}
		if f.Area != "" {
			q.Set("area", f.Area)
		}
		c.URL = "/queue?" + q.Encode()
		out = append(out, c)
	}
	return out, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// queueAssign assigns the chosen requests to one person. Each request is
// checked by the store as a single assignment would be; the answer says
// which succeeded and which did not, and why.
func (s *Server) queueAssign(w http.ResponseWriter, r *http.Request, p *page) error {
	assignee, err := strconv.ParseInt(r.PostFormValue("assignee"), 10, 64)
	if err != nil || assignee < 0 {
		return beheer.Errorf(codeBadRequest, "error.bad_request")
	}
	var ok int
	var failed []string
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			continue
		}
		req, err := s.store.UpdateRequest(r.Context(), p.Actor, id, 0, beheer.Patch{AssigneeID: &assignee})
		if err != nil {
			label := "#" + raw
			if req, _, e := s.store.Request(r.Context(), p.Actor, id); e == nil {
				label = req.Number
			}
			failed = append(failed, label+": "+s.message(p, err))
			continue
		}
		_ = req
		ok++
	}
	msg := p.T("queue.assigned", "count", ok)
	if len(failed) > 0 {
		msg += " " + p.T("queue.assign_failed", "list", strings.Join(failed, "; "))
	}
	back := "/queue"
	if q := r.PostFormValue("query"); q != "" {
		back += "?" + q
	}
	v, err := s.queueViewFor(r, p, back)
	if err != nil {
		return err
	}
	v.Assigned = msg
	p.Title, p.Data = p.T("queue.title"), v
	s.render(w, http.StatusOK, "workqueue", "", p)
	return nil
}

// queueViewFor builds the queue for a URL other than the current one.
func (s *Server) queueViewFor(r *http.Request, p *page, target string) (*queueView, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	r2.URL = u
	return s.queueView(r2, p)
}

// message is the user's text for an error.
func (s *Server) message(p *page, err error) string {
	be := s.asError(p.Request, err)
	if be.Key != "" && be.Key != "error."+string(be.Code) {
		return p.T(be.Key, be.Args...)
	}
	if len(be.Fields) > 0 {
		return p.T(be.Fields[0].Key, be.Fields[0].Args...)
	}
	return p.T("error." + string(be.Code))
}

func (s *Server) saveView(w http.ResponseWriter, r *http.Request, p *page) error {
	query := r.PostFormValue("query")
	if err := s.store.SaveView(r.Context(), p.Actor, r.PostFormValue("name"), query); err != nil {
		if beheer.ErrorCode(err) != beheer.CodeInvalid {
			return err
		}
		v, verr := s.queueViewFor(r, p, "/queue?"+query)
		if verr != nil {
			return verr
		}
		p.formErrors(err)
		p.Title, p.Data = p.T("queue.title"), v
		s.render(w, http.StatusUnprocessableEntity, "workqueue", "", p)
		return nil
	}
	redirect(w, r, "/queue?"+query)
	return nil
}

func (s *Server) deleteView(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteView(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/queue")
	return nil
}
