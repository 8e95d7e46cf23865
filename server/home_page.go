package server

import (
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// home is where each person starts and finishes their day: what waits for
// them first, then their own lists, by role. Every list is a short,
// indexed read with a count that stops at "99+" and a link to the full
// list filtered the same way.
type home struct {
	Action      []*beheer.Request // the person's own requests that wait for them
	Mine        *myRequests
	Decisions   []*beheer.Request
	MyDecisions []store.DecisionItem
	AreaOpen    []*beheer.Request
	Work        []workList // a functional admin's worklists
	Tasks       *taskListView
	Technical   []*beheer.Request
	KPIs        []kpiTile
	Counts      *countTable
	News        []*beheer.Publication
	Setup       []beheer.SetupStep // the setup checklist, while it has steps left
	Following   []*beheer.Request  // the requests the person follows
	// Backup is the last backup's outcome, for technical admins.
	Backup *backupLine
}

// backupLine says how the last backup went; Failed shows it as a warning.
type backupLine struct {
	Text   string
	Failed bool
}

// backupLine is the home page's line about the last backup: on SQLite the
// outcome Beheer recorded, on PostgreSQL that pg_dump makes them.
func (s *Server) backupLine(r *http.Request, p *page) (*backupLine, error) {
	if s.store.Engine() == store.Postgres {
		return &backupLine{Text: p.T("home.backup_postgres")}, nil
	}
	run, ok, err := s.store.LastBackup(r.Context())
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return &backupLine{Text: p.T("home.backup_none")}, nil
	case !run.OK():
		return &backupLine{Text: p.T("home.backup_failed", "when", p.DateTime(run.At), "error", run.Err), Failed: true}, nil
	}
	return &backupLine{Text: p.T("home.backup_ok", "when", p.DateTime(run.At), "file", filepath.Base(run.File),
		"size", beheer.FormatBytes(run.Size))}, nil
}

// workList is one of a functional admin's worklists: a count, the first
// few requests, and the queue filtered the same way.
type workList struct {
	Key   string // names the list: its heading and empty text
	Count string // "0" … "99+"
	URL   string
	Items []*beheer.Request
}

// homeListSize is how many requests a worklist on the home page shows.
const homeListSize = 5

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p *page) error {
	if r.URL.Path != "/" {
		return beheer.ErrNotFound()
	}
	ctx, a := r.Context(), p.Actor
	var h home
	var err error
	if h.Action, err = s.actionNeeded(r, p); err != nil {
		return err
	}
	if h.Mine, err = s.myRequestsList(r, p, 10); err != nil {
		return err
	}
	if h.Following, err = s.store.FollowedRequests(ctx, a, 10); err != nil {
		return err
	}
	news, err := s.store.Publications(ctx, a, store.PublicationFilter{Kind: beheer.PublicationNews, Limit: 5})
	if err != nil {
		return err
	}
	h.News = news.Items
	if h.Decisions, err = s.store.DecisionsWaiting(ctx, a, 20); err != nil {
		return err
	}
	if a.HasRole(beheer.RoleKeyUser) {
		if err := s.keyUserHome(r, p, &h); err != nil {
			return err
		}
	}
	if a.CanAnywhere(beheer.PermRequestManage) {
		if h.Work, err = s.adminWork(r, p); err != nil {
			return err
		}
	}
	if a.HasRole(beheer.RoleTechnicalAdmin) {
		if h.Tasks, err = s.taskListView(r, p, 10); err != nil {
			return err
		}
		tech, err := s.store.Requests(ctx, a, store.Filter{Types: []beheer.Type{beheer.TypeTechnical}, OpenOnly: true, Limit: 15})
		if err != nil {
			return err
		}
		h.Technical = tech.Items
		if h.Backup, err = s.backupLine(r, p); err != nil {
			return err
		}
	}
	if a.HasRole(beheer.RoleManagement) {
		if h.KPIs, err = s.kpiTiles(r, p); err != nil {
			return err
		}
	}
	if a.HasRole(beheer.RoleFunctionalAdmin) || a.HasRole(beheer.RoleManagement) {
		if h.Counts, err = s.countTable(r, a); err != nil {
			return err
		}
	}
	if beheer.CanManageSettings(a) {
		state, err := s.setupState(r)
		if err != nil {
			return err
		}
		if state.Show {
			h.Setup = state.Steps
		}
	}
	p.Title = p.T("home.title")
	p.Data = h
	s.render(w, http.StatusOK, "home", "", p)
	return nil
}

// actionNeeded lists the person's own open requests that wait for them: a
// question asked of them, or an outcome to rate.
func (s *Server) actionNeeded(r *http.Request, p *page) ([]*beheer.Request, error) {
	page, err := s.store.Requests(r.Context(), p.Actor, store.Filter{RequesterID: p.Actor.UserID,
		Statuses: []beheer.Status{beheer.StatusAwaitingRequester}, OpenOnly: true, Sort: "updated", Limit: 10})
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// keyUserHome fills the key user's blocks: the decisions waiting, the
// decisions taken, the open work of their areas.
func (s *Server) keyUserHome(r *http.Request, p *page, h *home) error {
	ctx, a := r.Context(), p.Actor
	_, areas := a.Scope(beheer.PermRequestDecide)
	var err error
	if h.MyDecisions, err = s.store.MyDecisions(ctx, a, 10); err != nil {
		return err
	}
	open, err := s.store.Requests(ctx, a, store.Filter{AreaIDs: areas, OpenOnly: true, Sort: "updated", Limit: 15})
	if err != nil {
		return err
	}
	h.AreaOpen = open.Items
	return nil
}

// adminWork is a functional admin's day: assigned to them, waiting for
// them, due today or late, and nobody's yet in their areas.
func (s *Server) adminWork(r *http.Request, p *page) ([]workList, error) {
	a := p.Actor
	mine := store.Filter{AssigneeID: a.UserID, OpenOnly: true}
	waiting := mine
	waiting.Statuses = []beheer.Status{beheer.StatusAwaitingAssignee, beheer.StatusFollowUp}
	due := mine
	due.Due = beheer.DueToday
	nobody := store.Filter{AssigneeID: -1, OpenOnly: true}
	if all, areas := a.Scope(beheer.PermRequestManage); !all {
		nobody.AreaIDs = areas
	}
	lists := []struct {
		key   string
		f     store.Filter
		query url.Values
	}{
		{"assigned", mine, url.Values{"assignee": {"me"}, "sort": {"due"}}},
		{"waiting", waiting, url.Values{"assignee": {"me"}, "status": {"awaiting_assignee,follow_up"}, "sort": {"due"}}},
		{"due", due, url.Values{"assignee": {"me"}, "due": {"today"}, "sort": {"due"}}},
		{"unassigned", nobody, url.Values{"assignee": {"none"}, "sort": {"due"}}},
	}
	out := make([]workList, len(lists))
	for i, l := range lists {
		n, err := s.store.CountRequests(r.Context(), a, l.f)
		if err != nil {
			return nil, err
		}
		l.f.Sort, l.f.Limit = "due", homeListSize
		page, err := s.store.Requests(r.Context(), a, l.f)
		if err != nil {
			return nil, err
		}
		out[i] = workList{Key: l.key, Count: countText(p, n), URL: "/queue?" + l.query.Encode(), Items: page.Items}
	}
	return out, nil
}

// countText shows a capped count: "99+" from the cap on.
func countText(p *page, n int) string {
	if n >= store.MaxWorklistCount {
		return p.Int(store.MaxWorklistCount-1) + "+"
	}
	return p.Int(n)
}

// kpiTile is one of management's figures with the previous period beside
// it and a link into the dashboard.
type kpiTile struct {
	Key      string // names the figure
	Value    string
	Previous string // the same figure one period earlier, in words; "" when there is none
	URL      string
}

// kpiTiles are management's figures: this month against the month before.
func (s *Server) kpiTiles(r *http.Request, p *page) ([]kpiTile, error) {
	now := time.Now().In(s.zone)
	this, err := s.store.Report(r.Context(), p.Actor, beheer.ReportFilter{From: now, To: now})
	if err != nil {
		return nil, err
	}
	last := now.AddDate(0, -1, 0)
	prev, err := s.store.Report(r.Context(), p.Actor, beheer.ReportFilter{From: last, To: last})
	if err != nil {
		return nil, err
	}
	k := beheer.KPIsOf(this, prev)
	month := url.Values{"from": {now.Format("2006-01")}, "to": {now.Format("2006-01")}}.Encode()
	hours := func(h float64, ok bool) string {
		if !ok {
			return "—"
		}
		return p.T("kpi.days", "n", i18n.FormatNumber(p.Lang, h/24, 1))
	}
	score := func(x float64, ok bool) string {
		if !ok {
			return "—"
		}
		return i18n.FormatNumber(p.Lang, x, 1)
	}
	return []kpiTile{
		{Key: "open", Value: p.Int(k.Open), Previous: p.T("kpi.prev_open", "n", p.Int(k.OpenBefore)), URL: "/queue"},
		{Key: "late", Value: p.Int(k.Late), Previous: p.T("kpi.prev_late", "n", p.Int(k.LateBefore)), URL: "/queue?due=late&sort=due"},
		{Key: "closed", Value: p.Int(k.Closed), Previous: p.T("kpi.prev_month", "value", p.Int(k.ClosedBefore)), URL: "/dashboard?" + month + "#fig-throughput"},
		{Key: "lead", Value: hours(k.LeadHours, k.LeadOK), Previous: p.T("kpi.prev_month", "value", hours(k.LeadHoursBefore, k.LeadBeforeOK)), URL: "/dashboard?" + month + "#fig-leadtime"},
		{Key: "rating", Value: score(k.Rating, k.RatingOK), Previous: p.T("kpi.prev_month", "value", score(k.RatingBefore, k.RatingBeforeOK)), URL: "/dashboard?" + month + "#fig-ratings"},
	}, nil
}

// countTable is open work per phase (columns) and area (rows).
type countTable struct {
	Phases []beheer.Phase
	Rows   []countRow
	Totals []int
	Total  int
}

type countRow struct {
	Area   beheer.Area
	Counts []int
	Total  int
}

func (s *Server) countTable(r *http.Request, a *beheer.Actor) (*countTable, error) {
	counts, err := s.store.OpenCounts(r.Context(), a)
	if err != nil {
		return nil, err
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, err
	}
	areas = append(areas, beheer.Area{ID: 0, Code: "", Name: ""})
	t := &countTable{Phases: []beheer.Phase{beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation}}
	t.Totals = make([]int, len(t.Phases))
	for _, area := range areas {
		row := countRow{Area: area, Counts: make([]int, len(t.Phases))}
		for _, c := range counts {
			if c.AreaID != area.ID {
				continue
			}
			for i, ph := range t.Phases {
				if ph == c.Phase {
					row.Counts[i] += c.Count
					t.Totals[i] += c.Count
				}
			}
			row.Total += c.Count
		}
		t.Total += row.Total
		if row.Total > 0 || area.ID != 0 {
			t.Rows = append(t.Rows, row)
		}
	}
	return t, nil
}
