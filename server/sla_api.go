package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/sla"
)

// apiMeasure is one service-level clock in the API, in business minutes.
type apiMeasure struct {
	TargetMinutes  int64      `json:"target_minutes"`
	ElapsedMinutes int64      `json:"elapsed_minutes"`
	LeftMinutes    int64      `json:"left_minutes"` // negative: overdue
	Done           bool       `json:"done"`
	DoneAt         *time.Time `json:"done_at,omitempty"`
	Running        bool       `json:"running"`
	Due            *time.Time `json:"due,omitempty"`
	Breached       bool       `json:"breached"`
	Warning        bool       `json:"warning"`
}

// apiSLA is a request's service level in the API.
type apiSLA struct {
	Response    apiMeasure       `json:"response"`
	Resolution  apiMeasure       `json:"resolution"`
	Paused      bool             `json:"paused"`
	ParkedUntil *time.Time       `json:"parked_until,omitempty"`
	Target      beheer.SLATarget `json:"target"`
}

func toAPIMeasure(m sla.Measure) apiMeasure {
	out := apiMeasure{TargetMinutes: int64(m.Target / time.Minute), ElapsedMinutes: int64(m.Elapsed / time.Minute),
		LeftMinutes: int64(m.Left() / time.Minute), Done: m.Done, Running: m.Running, Breached: m.Breached(), Warning: m.Warning()}
	if !m.DoneAt.IsZero() {
		t := m.DoneAt.UTC()
		out.DoneAt = &t
	}
	if !m.Due.IsZero() {
		t := m.Due.UTC()
		out.Due = &t
	}
	return out
}

func toAPISLA(st beheer.SLAState) apiSLA {
	out := apiSLA{Response: toAPIMeasure(st.Response), Resolution: toAPIMeasure(st.Resolution), Paused: st.Paused, Target: st.Target}
	if !st.ParkedUntil.IsZero() {
		t := st.ParkedUntil.UTC()
		out.ParkedUntil = &t
	}
	return out
}

func (s *Server) apiGetTargets(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	ts, err := s.store.SLATargets(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(ts))
	return nil
}

func (s *Server) apiPutTargets(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var raw []json.RawMessage
	if err := s.decodeJSON(w, r, fields{"targets": &raw}); err != nil {
		return err
	}
	var v beheer.Validation
	if raw == nil {
		v.Add("targets", "field.required")
		return v.Err()
	}
	targets := make([]beheer.SLATarget, len(raw))
	for i, item := range raw {
		dec := json.NewDecoder(bytes.NewReader(item))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&targets[i]); err != nil {
			v.Add("targets["+itoaInt(i)+"]", "field.wrong_type")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.store.SetSLATargets(r.Context(), a, targets); err != nil {
		return err
	}
	return s.apiGetTargets(w, r, a)
}

func (s *Server) apiGetCalendar(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	c, err := s.store.SLACalendarSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiPutCalendar(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	c := beheer.DefaultSLACalendar()
	c.Hours = nil // the whole week is given; a day left out is a day off
	if err := s.decodeJSON(w, r, fields{"zone": &c.Zone, "hours": &c.Hours, "good_friday": &c.GoodFriday,
		"liberation": &c.Liberation, "closed_days": &c.ClosedDays}); err != nil {
		return err
	}
	if err := s.store.SetSLACalendar(r.Context(), a, c); err != nil {
		return err
	}
	return s.apiGetCalendar(w, r, a)
}

func (s *Server) apiRequestSLA(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, st, err := s.store.RequestSLA(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPISLA(st))
	return nil
}

// parseUntil reads a moment (RFC 3339) or a date (the start of that day,
// Amsterdam time) for parking.
func (s *Server) parseUntil(raw string) (time.Time, bool) {
	raw = strings.TrimSpace(raw)
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(time.DateOnly, raw, s.zone); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", raw, s.zone); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (s *Server) apiPark(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var raw string
	if err := s.decodeJSON(w, r, fields{"until": &raw}); err != nil {
		return err
	}
	until, ok := s.parseUntil(raw)
	if !ok {
		var v beheer.Validation
		if raw == "" {
			v.Add("until", "field.required")
		} else {
			v.Add("until", "field.invalid")
		}
		return v.Err()
	}
	if err := s.store.Park(r.Context(), a, id, until); err != nil {
		return err
	}
	return s.apiRequestSLA(w, r, a)
}

func (s *Server) apiUnpark(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.Unpark(r.Context(), a, id); err != nil {
		return err
	}
	return s.apiRequestSLA(w, r, a)
}

// reportFilter reads period (from, to as YYYY-MM; the last twelve months by
// default), areas and types from a query.
func (s *Server) reportFilter(r *http.Request, q url.Values) (beheer.ReportFilter, error) {
	var f beheer.ReportFilter
	var v beheer.Validation
	now := s.now().In(s.zone)
	f.To = now
	if raw := q.Get("to"); raw != "" {
		t, err := time.ParseInLocation("2006-01", raw, s.zone)
		if err != nil {
			v.Add("to", "field.invalid")
		}
		f.To = t
	}
	f.From = beheer.MonthStart(f.To, s.zone).AddDate(0, -11, 0)
	if raw := q.Get("from"); raw != "" {
		t, err := time.ParseInLocation("2006-01", raw, s.zone)
		if err != nil {
			v.Add("from", "field.invalid")
		}
		f.From = t
	}
	for _, code := range splitList(q.Get("area")) {
		area, err := s.store.AreaByCode(r.Context(), code)
		if err != nil {
			v.Add("area", "field.unknown_area")
			break
		}
		f.AreaIDs = append(f.AreaIDs, area.ID)
	}
	f.Types = choices(q.Get("type"), "type", beheer.Type.Valid, &v)
	return f, v.Err()
}

func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, err := s.reportFilter(r, r.URL.Query())
	if err != nil {
		return err
	}
	rep, err := s.store.Report(r.Context(), a, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// apiAtRiskItem is a request that breaches soon, with its service level.
type apiAtRiskItem struct {
	Request apiRequest `json:"request"`
	SLA     apiSLA     `json:"sla"`
}

func (s *Server) apiAtRisk(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, err := s.reportFilter(r, r.URL.Query())
	if err != nil {
		return err
	}
	reqs, states, err := s.store.AtRisk(r.Context(), a, f, 50)
	if err != nil {
		return err
	}
	items := make([]apiAtRiskItem, len(reqs))
	for i, req := range reqs {
		items[i] = apiAtRiskItem{Request: toAPIRequest(req), SLA: toAPISLA(states[req.ID])}
	}
	writeJSON(w, http.StatusOK, itemsOf(items))
	return nil
}

func itoaInt(n int) string { return strconv.Itoa(n) }
