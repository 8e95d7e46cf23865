package server

import (
	"net/http"
	"slices"

	"beheer"
)

// alertRow is one area on the team alerts page: which alerts it sends, if
// the person may choose them, and whether the person follows the area.
type alertRow struct {
	Area      beheer.Area
	CanSet    bool
	Alerts    beheer.AlertSettings
	CanFollow bool
	Following bool
}

// alertsView is the team alerts page.
type alertsView struct {
	Rows   []alertRow
	Alerts []beheer.Alert
}

// alertsPage shows, per area, the team alerts its functional admins
// choose, and lets key users and other readers of an area follow it.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	ctx := r.Context()
	areas, err := s.store.Areas(ctx)
	if err != nil {
		return err
	}
	followed, err := s.store.FollowedAreas(ctx, p.Actor)
	if err != nil {
		return err
	}
	v := &alertsView{Alerts: beheer.Alerts}
	for _, a := range areas {
		row := alertRow{Area: a, CanSet: beheer.CanSetAlerts(p.Actor, a.ID), CanFollow: beheer.CanFollowArea(p.Actor, a.ID),
			Following: slices.Contains(followed, a.ID)}
		if !row.CanSet && !row.CanFollow {
			continue
		}
		if row.Alerts, err = s.store.AreaAlerts(ctx, a.ID); err != nil {
			return err
		}
		v.Rows = append(v.Rows, row)
	}
	if r.URL.Query().Get("done") == "saved" {
		p.Flash = p.T("alert.saved")
	}
	p.Title, p.Data = p.T("alert.title"), v
	s.render(w, http.StatusOK, "teamalerts", "", p)
	return nil
}

// saveAlerts saves one area's form: its alerts where the person chooses
// them, and whether the person follows it.
func (s *Server) saveAlerts(w http.ResponseWriter, r *http.Request, p *page) error {
	area, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if beheer.CanSetAlerts(p.Actor, area) {
		set := beheer.AlertSettings{}
		for _, al := range beheer.Alerts {
			set[al] = r.PostFormValue(string(al)) == "1"
		}
		if err := s.store.SetAreaAlerts(r.Context(), p.Actor, area, set); err != nil {
			return err
		}
	}
	if beheer.CanFollowArea(p.Actor, area) {
		if err := s.store.FollowArea(r.Context(), p.Actor, area, r.PostFormValue("follow") == "1"); err != nil {
			return err
		}
	}
	redirect(w, r, "/settings/alerts?done=saved#area-"+r.PathValue("id"))
	return nil
}
