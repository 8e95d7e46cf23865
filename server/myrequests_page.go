package server

import (
	"net/http"
	"net/url"
	"strings"

	"beheer"
	"beheer/store"
)

// myRequests is "Mijn aanvragen": every request a person filed, one page at
// a time, searchable and filtered by phase and by open or closed. The home
// page shows its first page; /requests pages through it.
type myRequests struct {
	Q, Phase, State string // the filter as the form shows it
	Items           []*beheer.Request
	Next            string // the next page's URL, or ""
	First           string // the first page's URL when this is a later one
	Notice          string // why the list is empty or shorter than asked, in words
	Filtered        bool   // a filter or search is active
}

// myStates are the choices of the open/closed filter.
var myStates = []string{"open", "closed"}

// endedPhases are the phases of a closed request.
var endedPhases = []beheer.Phase{beheer.PhaseClosed, beheer.PhaseRejected, beheer.PhaseWithdrawn}

// PhaseOptions and StateOptions list the filter's choices, the current one
// selected.
func (m *myRequests) PhaseOptions(p *page) []option {
	var out []option
	for _, ph := range beheer.Phases {
		out = append(out, option{string(ph), p.Name(ph), string(ph) == m.Phase})
	}
	return out
}

func (m *myRequests) StateOptions(p *page) []option {
	var out []option
	for _, st := range myStates {
		out = append(out, option{st, p.T("mine.state_" + st), st == m.State})
	}
	return out
}

// myRequestsList reads one page of the person's own requests from the URL's
// filter. Bad input never fails the page: an unknown choice is said and
// left out, a search with nothing to search for is said and lists nothing,
// a long one is read up to its first words and says so, a page past the
// end starts again at the first.
func (s *Server) myRequestsList(r *http.Request, p *page, limit int) (*myRequests, error) {
	q := r.URL.Query()
	m := &myRequests{Q: strings.TrimSpace(q.Get("q")), Phase: q.Get("phase"), State: q.Get("state")}
	f := store.Filter{RequesterID: p.Actor.UserID, Sort: "updated", Limit: limit, Cursor: q.Get("cursor")}
	var notices []string
	switch {
	case m.Phase == "":
	case beheer.Phase(m.Phase).Valid():
		f.Phases = []beheer.Phase{beheer.Phase(m.Phase)}
	default:
		notices = append(notices, p.T("mine.unknown_phase"))
		m.Phase = ""
	}
	switch m.State {
	case "":
	case "open":
		f.OpenOnly = true
		if len(f.Phases) > 0 && !f.Phases[0].Open() {
			f.Phases = nil
			m.Phase = ""
			notices = append(notices, p.T("mine.phase_not_open"))
		}
	case "closed":
		if len(f.Phases) == 0 {
			f.Phases = endedPhases
		} else if f.Phases[0].Open() {
			f.Phases = endedPhases
			m.Phase = ""
			notices = append(notices, p.T("mine.phase_not_closed"))
		}
	default:
		notices = append(notices, p.T("mine.unknown_state"))
		m.State = ""
	}
	m.Filtered = m.Q != "" || m.Phase != "" || m.State != ""
	m.Notice = strings.Join(notices, " ")
	if m.Q != "" {
		if !store.Searchable(m.Q) {
			m.Notice = strings.TrimSpace(m.Notice + " " + p.T("mine.nothing_to_search", "q", m.Q))
			return m, nil
		}
		if searchNoteFor(m.Q).Cut {
			m.Notice = strings.TrimSpace(m.Notice + " " + p.T("search.cut", "max", beheer.MaxSearchWords))
		}
		f.Query = m.Q
	}
	page, err := s.store.Requests(r.Context(), p.Actor, f)
	if beheer.ErrorCode(err) == beheer.CodeInvalid && f.Cursor != "" {
		f.Cursor = "" // a page that no longer exists (or never did): the first one
		m.Notice = strings.TrimSpace(m.Notice + " " + p.T("mine.page_gone"))
		page, err = s.store.Requests(r.Context(), p.Actor, f)
	}
	if err != nil {
		return nil, err
	}
	m.Items = page.Items
	base := m.values()
	if page.NextCursor != "" {
		next := m.values()
		next.Set("cursor", page.NextCursor)
		m.Next = "/requests?" + next.Encode()
	}
	if f.Cursor != "" {
		m.First = "/requests?" + base.Encode()
	}
	return m, nil
}

// values is the filter as a URL query, without empty fields.
func (m *myRequests) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": m.Q, "phase": m.Phase, "state": m.State} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// requestsPage is /requests: the person's own requests, all of them.
func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	m, err := s.myRequestsList(r, p, store.DefaultLimit)
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("home.mine"), m
	s.render(w, http.StatusOK, "myrequests", "", p)
	return nil
}
