package server

import (
	"net/http"

	"beheer"
	"beheer/store"
)

// home is what a person needs first, by role: their own requests, the
// decisions waiting for them, the work queue, their tasks, the overview.
type home struct {
	Mine      []*beheer.Request
	Decisions []*beheer.Request
	AreaOpen  []*beheer.Request
	Tasks     []beheer.Task
	Technical []*beheer.Request
	Counts    *countTable
	News      []*beheer.Publication
	Setup     []beheer.SetupStep // the setup checklist, while it has steps left
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p *page) error {
	if r.URL.Path != "/" {
		return beheer.ErrNotFound()
	}
	ctx, a := r.Context(), p.Actor
	var h home
	mine, err := s.store.Requests(ctx, a, store.Filter{RequesterID: a.UserID, Sort: "updated", Limit: 10})
	if err != nil {
		return err
	}
	h.Mine = mine.Items
	news, err := s.store.Publications(ctx, a, store.PublicationFilter{Kind: beheer.PublicationNews, Limit: 5})
	if err != nil {
		return err
	}
	h.News = news.Items
	if h.Decisions, err = s.store.DecisionsWaiting(ctx, a, 20); err != nil {
		return err
	}
	if a.HasRole(beheer.RoleKeyUser) {
		_, areas := a.Scope(beheer.PermRequestDecide)
		open, err := s.store.Requests(ctx, a, store.Filter{AreaIDs: areas, OpenOnly: true, Sort: "updated", Limit: 15})
		if err != nil {
			return err
		}
		h.AreaOpen = open.Items
	}
	if a.HasRole(beheer.RoleTechnicalAdmin) {
		if h.Tasks, err = s.store.MyTasks(ctx, a); err != nil {
			return err
		}
		tech, err := s.store.Requests(ctx, a, store.Filter{Types: []beheer.Type{beheer.TypeTechnical}, OpenOnly: true, Limit: 15})
		if err != nil {
			return err
		}
		h.Technical = tech.Items
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
