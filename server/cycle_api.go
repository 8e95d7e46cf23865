package server

import (
	"net/http"
	"strconv"
	"time"

	"beheer"
)

// The JSON API of the seed's cycle: the Accept test per change, the
// evaluation with the process owner, hours, outages, the consultancy
// budget and the reports on availability and time. The store decides.

func (s *Server) apiChangeTests(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.ChangeTests(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiRecordChangeTest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in beheer.ChangeTestInput
	var tested, production string
	if err := s.decodeJSON(w, r, fields{"tester_id": &in.TesterID, "tested_on": &tested, "result": &in.Result,
		"notes": &in.Notes, "evidence_attachment_id": &in.EvidenceID, "production_on": &production}); err != nil {
		return err
	}
	var v beheer.Validation
	in.TestedOn, in.ProductionOn = apiDay(tested, "tested_on", &v), apiDay(production, "production_on", &v)
	if err := v.Err(); err != nil {
		return err
	}
	c, err := s.store.RecordChangeTest(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiOwnerEvaluation(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.OwnerEvaluation(r.Context(), a, id)
	if err != nil {
		return err
	}
	ef, err := s.store.Evaluators(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiReview{Evaluation: e, Evaluators: evaluatorsOut(ef)})
	return nil
}

// apiReview is a request's evaluation with its process owner: the
// evaluation (null until given) and who evaluates.
type apiReview struct {
	Evaluation *beheer.OwnerEvaluation `json:"evaluation"`
	Evaluators []person                `json:"evaluators"`
}

func evaluatorsOut(ef beheer.EvaluatorFacts) []person {
	out := []person{}
	for _, p := range ef.Evaluators() {
		out = append(out, person{p.ID, p.Name})
	}
	return out
}

func (s *Server) apiEvaluateOutcome(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in beheer.OwnerEvaluationInput
	if err := s.decodeJSON(w, r, fields{"goal_met": &in.GoalMet, "notes": &in.Notes}); err != nil {
		return err
	}
	e, err := s.store.EvaluateOutcome(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) apiTimeEntries(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.TimeEntries(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

func (s *Server) apiRecordTime(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in beheer.TimeEntryInput
	var day string
	if err := s.decodeJSON(w, r, fields{"task_id": &in.TaskID, "escalation_id": &in.EscalationID, "worked_on": &day,
		"hours": &in.Hours, "note": &in.Note, "vendor_reference": &in.VendorReference}); err != nil {
		return err
	}
	var v beheer.Validation
	in.WorkedOn = apiDay(day, "worked_on", &v)
	if err := v.Err(); err != nil {
		return err
	}
	e, err := s.store.RecordTime(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiOutages(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.Outages(r.Context(), s.now().AddDate(0, -12, 0))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(list))
	return nil
}

// readOutageJSON decodes a notice; its times are RFC 3339.
func (s *Server) readOutageJSON(w http.ResponseWriter, r *http.Request) (beheer.OutageInput, error) {
	var in beheer.OutageInput
	var expected *time.Time
	if err := s.decodeJSON(w, r, fields{"title": &in.Title, "description": &in.Description, "severity": &in.Severity,
		"started_at": &in.StartedAt, "expected_end_at": &expected}); err != nil {
		return in, err
	}
	if expected != nil {
		in.ExpectedEndAt = *expected
	}
	return in, nil
}

// writeOutage answers with one outage and its ETag.
func writeOutage(w http.ResponseWriter, status int, o *beheer.Outage) {
	w.Header().Set("ETag", etag(o.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/outages/"+strconv.FormatInt(o.ID, 10))
	}
	writeJSON(w, status, o)
}

func (s *Server) apiCreateOutage(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, err := s.readOutageJSON(w, r)
	if err != nil {
		return err
	}
	o, err := s.store.CreateOutage(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeOutage(w, http.StatusCreated, o)
	return nil
}

func (s *Server) apiGetOutage(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.Outage(r.Context(), id)
	if err != nil {
		return err
	}
	writeOutage(w, http.StatusOK, o)
	return nil
}

// pathIDVersion reads the path's id and the version of If-Match (0: any).
func pathIDVersion(r *http.Request) (int64, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	version, _, err := ifMatch(r)
	return id, version, err
}

func (s *Server) apiPutOutage(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := pathIDVersion(r)
	if err != nil {
		return err
	}
	in, err := s.readOutageJSON(w, r)
	if err != nil {
		return err
	}
	o, err := s.store.UpdateOutage(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	writeOutage(w, http.StatusOK, o)
	return nil
}

func (s *Server) apiCloseOutage(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := pathIDVersion(r)
	if err != nil {
		return err
	}
	var summary string
	var end *time.Time
	if err := s.decodeJSON(w, r, fields{"summary": &summary, "ended_at": &end}); err != nil {
		return err
	}
	var at time.Time
	if end != nil {
		at = *end
	}
	o, err := s.store.CloseOutage(r.Context(), a, id, version, at, summary)
	if err != nil {
		return err
	}
	writeOutage(w, http.StatusOK, o)
	return nil
}

func (s *Server) apiOutageRequests(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.Outage(r.Context(), id); err != nil {
		return err
	}
	list, err := s.store.OutageRequests(r.Context(), a, id)
	if err != nil {
		return err
	}
	items := make([]apiRequest, len(list))
	for i, x := range list {
		items[i] = toAPIRequest(x)
	}
	writeJSON(w, http.StatusOK, itemsOf(items))
	return nil
}

func (s *Server) apiLinkOutageRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var number string
	if err := s.decodeJSON(w, r, fields{"request": &number}); err != nil {
		return err
	}
	target, _, err := s.store.RequestByNumber(r.Context(), a, number)
	if err != nil {
		return beheer.Invalid("request", "field.unknown_request")
	}
	if err := s.store.LinkOutageRequest(r.Context(), a, id, target.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// reportPeriod reads from and to (YYYY-MM) as the dashboard does: the
// start of from's month and of the month after to's, and the areas.
func (s *Server) reportPeriod(r *http.Request) (time.Time, time.Time, []int64, error) {
	f, err := s.reportFilter(r, r.URL.Query())
	if err != nil {
		return time.Time{}, time.Time{}, nil, err
	}
	return beheer.MonthStart(f.From, s.zone), beheer.MonthStart(f.To, s.zone).AddDate(0, 1, 0), f.AreaIDs, nil
}

func (s *Server) apiAvailability(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	from, to, _, err := s.reportPeriod(r)
	if err != nil {
		return err
	}
	months, err := s.store.Availability(r.Context(), a, from, to)
	if err != nil {
		return err
	}
	type month struct {
		Month          string `json:"month"`
		Outages        int    `json:"outages"`
		Minutes        int    `json:"minutes"`
		LongestMinutes int    `json:"longest_minutes"`
	}
	out := make([]month, len(months))
	for i, m := range months {
		out[i] = month{m.Month.Format("2006-01"), m.Outages, int(m.Duration.Minutes()), int(m.Longest.Minutes())}
	}
	writeJSON(w, http.StatusOK, itemsOf(out))
	return nil
}

func (s *Server) apiTimeReport(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	from, to, areas, err := s.reportPeriod(r)
	if err != nil {
		return err
	}
	rows, err := s.store.TimeReport(r.Context(), a, s.timeFilter(from, to, areas))
	if err != nil {
		return err
	}
	type row struct {
		Month   string         `json:"month"`
		Area    *string        `json:"area"`
		Channel beheer.Channel `json:"channel"`
		Minutes int            `json:"minutes"`
		Entries int            `json:"entries"`
	}
	out := make([]row, len(rows))
	for i, x := range rows {
		out[i] = row{Month: x.Month.Format("2006-01"), Channel: x.Channel, Minutes: x.Minutes, Entries: x.Entries}
		if x.AreaName != "" {
			out[i].Area = &rows[i].AreaName
		}
		if x.Channel == "" {
			out[i].Channel = "own"
		}
	}
	writeJSON(w, http.StatusOK, itemsOf(out))
	return nil
}

// timeFilter is the days of a report period (instants in Dutch time) and
// its area, for the time report.
func (s *Server) timeFilter(from, to time.Time, areas []int64) beheer.TimeFilter {
	day := func(t time.Time) time.Time {
		t = t.In(s.zone)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return beheer.TimeFilter{From: day(from), To: day(to), AreaIDs: areas}
}

// apiBudget is a year's consultancy budget and what is used of it.
type apiBudget struct {
	Year        int  `json:"year"`
	BudgetHours int  `json:"budget_hours"`
	UsedMinutes int  `json:"used_minutes"`
	Percent     int  `json:"percent"`
	Over        bool `json:"over"`
}

func (s *Server) writeBudget(w http.ResponseWriter, r *http.Request, a *beheer.Actor, year int) error {
	use, err := s.store.ConsultancyUse(r.Context(), a, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiBudget{year, use.BudgetHours, use.UsedMinutes, use.Percent(), use.Over()})
	return nil
}

func (s *Server) apiGetBudget(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if _, err := s.store.Plan(r.Context(), a, year); err != nil {
		return err
	}
	return s.writeBudget(w, r, a, year)
}

func (s *Server) apiSetBudget(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var hours *int
	if err := s.decodeJSON(w, r, fields{"budget_hours": &hours}); err != nil {
		return err
	}
	if hours == nil {
		return beheer.Invalid("budget_hours", "field.required")
	}
	if _, err := s.store.SetConsultancyBudget(r.Context(), a, year, *hours); err != nil {
		return err
	}
	return s.writeBudget(w, r, a, year)
}
