package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"beheer"
	"beheer/ical"
)

// planFeed serves a year's plan as an iCalendar feed for calendar programs
// (Outlook): no session, the secret token in the address is the key. A
// wrong, rotated or revoked token answers 404.
func (s *Server) planFeed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	year, err := pathYear(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	p, acts, err := s.store.PlanFeed(r.Context(), year, r.URL.Query().Get("token"))
	if err != nil {
		if beheer.ErrorCode(err) == beheer.CodeNotFound {
			http.NotFound(w, r)
			return
		}
		s.asError(r, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := s.planCalendar(r, p, acts).Write(&buf); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="jaarplanner-%d.ics"`, year))
	w.Write(buf.Bytes())
}

// planCalendar builds the calendar of a plan's activities.
func (s *Server) planCalendar(r *http.Request, p *beheer.Plan, acts []*beheer.Activity) *ical.Calendar {
	lang := s.lang(r)
	c := &ical.Calendar{ProdID: "-//Beheer//Jaarplanner beheer//NL", Name: s.catalog.T(lang, "plan.feed.name", "year", p.Year)}
	until := time.Date(p.Year, time.December, 31, 0, 0, 0, 0, time.UTC)
	for _, a := range acts {
		var desc []string
		if a.Description != "" {
			desc = append(desc, a.Description)
		}
		if a.Role != "" {
			desc = append(desc, s.catalog.T(lang, "plan.field.role")+": "+s.catalog.T(lang, "role."+string(a.Role)))
		}
		if a.ResponsibleName != "" {
			desc = append(desc, s.catalog.T(lang, "plan.field.responsible")+": "+a.ResponsibleName)
		}
		if a.Outcome != "" {
			desc = append(desc, s.catalog.T(lang, "plan.field.outcome")+": "+a.Outcome)
		}
		e := ical.Event{UID: fmt.Sprintf("plan-activity-%d@beheer", a.ID), Stamp: a.UpdatedAt, Start: a.StartsOn, End: a.EndsOn,
			Summary: a.Title, Description: strings.Join(desc, "\n"), Categories: []string{s.catalog.T(lang, "plan.kind."+string(a.Kind))},
			Cancelled: a.Status == beheer.ActivityCancelled}
		if m := a.Recurrence.Months(); m > 0 {
			e.Repeat = &ical.Recurrence{Interval: m, Nth: beheer.NthWeekday(a.StartsOn), Weekday: a.StartsOn.Weekday(), Until: until}
		}
		c.Events = append(c.Events, e)
	}
	return c
}
