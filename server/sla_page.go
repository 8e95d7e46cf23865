package server

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/sla"
)

// targetRow is one row of the targets form, as entered.
type targetRow struct {
	Priority, Type, Area, Response, Resolution string
	N                                          int // 1-based row number, for labels
}

func numberRows(rows []targetRow) []targetRow {
	for i := range rows {
		rows[i].N = i + 1
	}
	return rows
}

// dayRow is one weekday of the calendar form.
type dayRow struct {
	Day, Open, Close string
}

// holidayRow is a closed day of the year shown.
type holidayRow struct {
	Date time.Time
	Name string
}

// slaView is the service-levels page.
type slaView struct {
	CanEdit    bool
	Rows       []targetRow
	Areas      []beheer.Area
	Days       []dayRow
	Zone       string
	GoodFriday bool
	Liberation string
	ClosedDays string
	Year       int
	Holidays   []holidayRow
	Saved      string
	Preview    slaPreview
}

// slaPreview is the due dates of an example request filed now.
type slaPreview struct {
	Priority beheer.Priority
	Type     beheer.Type
	Area     string // code, "" for none
	Filed    time.Time
	Respond  time.Time
	Resolve  time.Time
	Target   beheer.SLATarget
}

// AreaName is the name of the area with code, for showing targets.
func (v *slaView) AreaName(code string) string {
	for _, a := range v.Areas {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

// preview computes the due dates of a request of the priority, type and
// area asked for in the query (a normal question in no area by default),
// filed now.
func (v *slaView) preview(r *http.Request, ts []beheer.SLATarget, cal beheer.SLACalendar, now time.Time) {
	q := r.URL.Query()
	p := slaPreview{Priority: beheer.Priority(q.Get("priority")), Type: beheer.Type(q.Get("type")), Area: q.Get("area"), Filed: now}
	if !p.Priority.Valid() {
		p.Priority = beheer.PriorityNormal
	}
	if !p.Type.Valid() {
		p.Type = beheer.TypeQuestion
	}
	req := &beheer.Request{Priority: p.Priority, Type: p.Type}
	for _, a := range v.Areas {
		if a.Code == p.Area {
			req.AreaID = a.ID
		}
	}
	if req.AreaID == 0 {
		p.Area = ""
	}
	c, err := cal.Calendar()
	if err != nil {
		c = sla.Default()
	}
	p.Respond, p.Resolve, p.Target = beheer.DueBy(ts, c, req, now)
	v.Preview = p
}

// hoursText formats business minutes as hours for the form: 510 is "8,5".
func (p *page) minutesAsHours(m int) string {
	s := strconv.FormatFloat(float64(m)/60, 'f', -1, 64)
	if p.Lang == "nl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// parseHours reads hours with a decimal comma or point into minutes; key
// names what is wrong otherwise: not a number, or not above zero.
func parseHours(s string) (minutes int, key string) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > 9000:
		return 0, "sla.field.hours_number"
	case math.Round(f*60) <= 0:
		return 0, "sla.field.hours_positive"
	}
	return int(math.Round(f * 60)), ""
}

// holidayKeys name the holidays in the catalogue.
var holidayKeys = map[string]string{
	"Nieuwjaarsdag": "new_year", "Goede Vrijdag": "good_friday", "Eerste Paasdag": "easter", "Tweede Paasdag": "easter_monday",
	"Koningsdag": "kings_day", "Bevrijdingsdag": "liberation", "Hemelvaartsdag": "ascension", "Eerste Pinksterdag": "whitsun",
	"Tweede Pinksterdag": "whit_monday", "Eerste Kerstdag": "christmas", "Tweede Kerstdag": "boxing_day", "Extra": "extra",
}

func (s *Server) slaView(r *http.Request, p *page) (*slaView, error) {
	v := &slaView{CanEdit: beheer.CanManageSLA(p.Actor)}
	var err error
	if v.Areas, err = s.store.Areas(r.Context()); err != nil {
		return nil, err
	}
	ts, err := s.store.SLATargets(r.Context())
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		v.Rows = append(v.Rows, targetRow{Priority: string(t.Priority), Type: string(t.Type), Area: t.Area,
			Response: p.minutesAsHours(t.ResponseMinutes), Resolution: p.minutesAsHours(t.ResolutionMinutes)})
	}
	cal, err := s.store.SLACalendarSettings(r.Context())
	if err != nil {
		return nil, err
	}
	v.fillCalendar(cal)
	v.Year = s.now().In(s.zone).Year()
	v.holidays(p, cal)
	v.preview(r, ts, cal, s.now())
	return v, nil
}

func (v *slaView) fillCalendar(cal beheer.SLACalendar) {
	v.Days = nil
	for _, d := range beheer.SLAWeekdays {
		h, _ := sla.ParseHours(cal.Hours[d])
		row := dayRow{Day: d}
		if !h.Closed() {
			row.Open = fmt.Sprintf("%02d:%02d", h.Open/60, h.Open%60)
			row.Close = fmt.Sprintf("%02d:%02d", h.Close/60, h.Close%60)
		}
		v.Days = append(v.Days, row)
	}
	v.Zone, v.GoodFriday, v.Liberation = cal.Zone, cal.GoodFriday, string(cal.Liberation)
	v.ClosedDays = strings.Join(cal.ClosedDays, "\n")
}

func (v *slaView) holidays(p *page, cal beheer.SLACalendar) {
	v.Holidays = nil
	for _, h := range sla.DutchHolidays(v.Year, cal.Options()) {
		name := h.Name
		if k, ok := holidayKeys[h.Name]; ok {
			name = p.T("sla.holiday." + k)
		}
		v.Holidays = append(v.Holidays, holidayRow{Date: time.Date(h.Date.Year, h.Date.Month, h.Date.Day, 12, 0, 0, 0, time.UTC), Name: name})
	}
}

func (s *Server) slaPage(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.slaView(r, p)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("saved") {
	case "targets":
		v.Saved = p.T("sla.saved_targets")
	case "calendar":
		v.Saved = p.T("sla.saved_calendar")
	}
	v.Rows = numberRows(append(v.Rows, targetRow{}, targetRow{}))
	p.Title, p.Data = p.T("sla.title"), v
	s.render(w, http.StatusOK, "slatargets", "", p)
	return nil
}

// maxTargetRows bounds the rows a form post may hold.
const maxTargetRows = 200

func (s *Server) slaSaveTargets(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanManageSLA(p.Actor) {
		return beheer.Refusal(beheer.PermSLAManage)
	}
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	n = min(max(n, 0), maxTargetRows)
	var rows []targetRow
	var targets []beheer.SLATarget
	var index []int // target → form row
	var v beheer.Validation
	for i := range n {
		get := func(f string) string { return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("%s_%d", f, i))) }
		row := targetRow{Priority: get("priority"), Type: get("type"), Area: get("area"), Response: get("response"), Resolution: get("resolution")}
		if r.PostFormValue(fmt.Sprintf("remove_%d", i)) != "" || (row.Priority == "" && row.Response == "" && row.Resolution == "") {
			continue
		}
		rows = append(rows, row)
		ri := len(rows) - 1
		resp, bad1 := parseHours(row.Response)
		res, bad2 := parseHours(row.Resolution)
		if bad1 != "" {
			v.Add(fmt.Sprintf("row%d.response", ri), bad1)
		}
		if bad2 != "" {
			v.Add(fmt.Sprintf("row%d.resolution", ri), bad2)
		}
		targets = append(targets, beheer.SLATarget{Priority: beheer.Priority(row.Priority), Type: beheer.Type(row.Type),
			Area: row.Area, ResponseMinutes: resp, ResolutionMinutes: res})
		index = append(index, ri)
	}
	err := v.Err()
	if err == nil {
		err = s.store.SetSLATargets(r.Context(), p.Actor, targets)
	}
	if err == nil {
		redirect(w, r, "/sla?saved=targets")
		return nil
	}
	if !p.formErrors(err) {
		return err
	}
	// Store errors name targets[k].field; the form names rows.
	for k, msg := range p.Errors {
		var ti int
		var field string
		if _, e := fmt.Sscanf(strings.Replace(k, "].", "] ", 1), "targets[%d] %s", &ti, &field); e == nil && ti < len(index) {
			delete(p.Errors, k)
			field = map[string]string{"response_minutes": "response", "resolution_minutes": "resolution"}[field] + orField(field)
			p.Errors[fmt.Sprintf("row%d.%s", index[ti], field)] = msg
		}
	}
	view, verr := s.slaView(r, p)
	if verr != nil {
		return verr
	}
	view.Rows = numberRows(append(rows, targetRow{}))
	p.Title, p.Data = p.T("sla.title"), view
	s.render(w, http.StatusUnprocessableEntity, "slatargets", "", p)
	return nil
}

// orField keeps field names other than the minutes as they are.
func orField(f string) string {
	if f == "response_minutes" || f == "resolution_minutes" {
		return ""
	}
	return f
}

func (s *Server) slaSaveCalendar(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanManageSLA(p.Actor) {
		return beheer.Refusal(beheer.PermSLAManage)
	}
	cal := beheer.SLACalendar{Zone: strings.TrimSpace(r.PostFormValue("zone")), Hours: map[string]string{},
		GoodFriday: r.PostFormValue("good_friday") != "", Liberation: sla.Liberation(r.PostFormValue("liberation"))}
	var v beheer.Validation
	for _, d := range beheer.SLAWeekdays {
		open, closing := strings.TrimSpace(r.PostFormValue("open_"+d)), strings.TrimSpace(r.PostFormValue("close_"+d))
		switch {
		case open == "" && closing == "":
			cal.Hours[d] = ""
		case open == "" || closing == "":
			v.Add("hours."+d, "sla.field.hours")
		default:
			cal.Hours[d] = open + "-" + closing
		}
	}
	for _, line := range strings.FieldsFunc(r.PostFormValue("closed_days"), func(r rune) bool { return r == '\n' || r == ',' || r == ' ' || r == '\r' }) {
		cal.ClosedDays = append(cal.ClosedDays, line)
	}
	err := v.Err()
	if err == nil {
		err = s.store.SetSLACalendar(r.Context(), p.Actor, cal)
	}
	if err == nil {
		redirect(w, r, "/sla?saved=calendar")
		return nil
	}
	if !p.formErrors(err) {
		return err
	}
	view, verr := s.slaView(r, p)
	if verr != nil {
		return verr
	}
	// Show what was entered.
	for i, d := range beheer.SLAWeekdays {
		view.Days[i] = dayRow{Day: d, Open: r.PostFormValue("open_" + d), Close: r.PostFormValue("close_" + d)}
	}
	view.Zone, view.GoodFriday, view.Liberation = cal.Zone, cal.GoodFriday, string(cal.Liberation)
	view.ClosedDays = r.PostFormValue("closed_days")
	view.Rows = numberRows(append(view.Rows, targetRow{}, targetRow{}))
	p.Title, p.Data = p.T("sla.title"), view
	s.render(w, http.StatusUnprocessableEntity, "slatargets", "", p)
	return nil
}

// parkRequest parks a request from the request page's form ("wacht tot").
func (s *Server) parkRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	until, ok := s.parseUntil(r.PostFormValue("until"))
	if !ok {
		var v beheer.Validation
		v.Add("until", "field.required")
		return v.Err()
	}
	if err := s.store.Park(r.Context(), p.Actor, id, until); err != nil {
		return err
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) unparkRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.Unpark(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(id, 10))
	return nil
}
