package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The annual plan's JSON API under /api/v1/plans/{year}. Days are ISO
// dates (yyyy-mm-dd); the store decides who may do what.

// apiPlan is a year's plan without its contents.
type apiPlan struct {
	Year       int        `json:"year"`
	Status     string     `json:"status"`
	ApprovedBy *person    `json:"approved_by"`
	ApprovedAt *time.Time `json:"approved_at"`
	FeedActive bool       `json:"feed_active"`
	CreatedAt  time.Time  `json:"created_at"`
	Version    int64      `json:"version"`
}

func toAPIPlan(p *beheer.Plan) apiPlan {
	out := apiPlan{Year: p.Year, Status: string(p.Status), FeedActive: p.FeedActive, CreatedAt: p.CreatedAt, Version: p.Version}
	if p.ApprovedBy != 0 {
		out.ApprovedBy = &person{p.ApprovedBy, p.ApprovedByName}
		out.ApprovedAt = &p.ApprovedAt
	}
	return out
}

// apiPlanView is a year's plan with its objectives, activities and inputs.
type apiPlanView struct {
	Plan       apiPlan        `json:"plan"`
	Objectives []apiObjective `json:"objectives"`
	Activities []apiActivity  `json:"activities"`
	Inputs     []apiInput     `json:"inputs"`
}

// apiProgress is what an objective's linked work shows.
type apiProgress struct {
	RequestsDone      int `json:"requests_done"`
	RequestsOpen      int `json:"requests_open"`
	ActivitiesDone    int `json:"activities_done"`
	ActivitiesPlanned int `json:"activities_planned"`
	Percent           int `json:"percent"`
}

// apiObjective is an objective with its progress.
type apiObjective struct {
	ID          int64       `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Target      string      `json:"target"`
	Owner       *person     `json:"owner"`
	Status      string      `json:"status"`
	Progress    apiProgress `json:"progress"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

func toAPIObjective(o *beheer.Objective) apiObjective {
	pr := o.Progress
	out := apiObjective{ID: o.ID, Title: o.Title, Description: o.Description, Target: o.Target, Status: string(o.Status),
		Progress:  apiProgress{pr.RequestsDone, pr.RequestsOpen, pr.ActivitiesDone, pr.ActivitiesPlanned, pr.Percent()},
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if o.OwnerID != 0 {
		out.Owner = &person{o.OwnerID, o.OwnerName}
	}
	return out
}

// apiActivity is a planned activity with the days it takes place.
type apiActivity struct {
	ID          int64    `json:"id"`
	ObjectiveID *int64   `json:"objective_id"`
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	StartsOn    string   `json:"starts_on"`
	EndsOn      string   `json:"ends_on"`
	Recurrence  string   `json:"recurrence"`
	Role        *string  `json:"role"`
	Responsible *person  `json:"responsible"`
	Status      string   `json:"status"`
	Outcome     string   `json:"outcome"`
	Occurrences []string `json:"occurrences"`
}

// recurrenceName shows the once-only recurrence as "once".
func recurrenceName(r beheer.Recurrence) string {
	if r == beheer.RepeatOnce {
		return "once"
	}
	return string(r)
}

func toAPIActivity(a *beheer.Activity) apiActivity {
	out := apiActivity{ID: a.ID, Kind: string(a.Kind), Title: a.Title, Description: a.Description,
		StartsOn: isoDay(a.StartsOn), EndsOn: isoDay(a.EndsOn), Recurrence: recurrenceName(a.Recurrence),
		Status: string(a.Status), Outcome: a.Outcome, Occurrences: []string{}}
	if a.ObjectiveID != 0 {
		out.ObjectiveID = &a.ObjectiveID
	}
	if a.Role != "" {
		role := string(a.Role)
		out.Role = &role
	}
	if a.ResponsibleID != 0 {
		out.Responsible = &person{a.ResponsibleID, a.ResponsibleName}
	}
	for _, o := range a.Occurrences() {
		out.Occurrences = append(out.Occurrences, isoDay(o.Start))
	}
	return out
}

func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// apiInput is a key user's input for the year.
type apiInput struct {
	ID          int64     `json:"id"`
	Area        *string   `json:"area"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Priority    string    `json:"priority"`
	Author      person    `json:"author"`
	Status      string    `json:"status"`
	Request     *string   `json:"request"`
	ActivityID  *int64    `json:"activity_id"`
	CreatedAt   time.Time `json:"created_at"`
}

func toAPIInput(in *beheer.KeyUserInput) apiInput {
	out := apiInput{ID: in.ID, Title: in.Title, Description: in.Description, Priority: string(in.Priority),
		Author: person{in.AuthorID, in.AuthorName}, Status: string(in.Status), CreatedAt: in.CreatedAt}
	if in.AreaCode != "" {
		out.Area = &in.AreaCode
	}
	if in.RequestNumber != "" {
		out.Request = &in.RequestNumber
	}
	if in.ActivityID != 0 {
		out.ActivityID = &in.ActivityID
	}
	return out
}

func toAPIPlanView(v *beheer.PlanView) apiPlanView {
	out := apiPlanView{Plan: toAPIPlan(v.Plan), Objectives: []apiObjective{}, Activities: []apiActivity{}, Inputs: []apiInput{}}
	for _, o := range v.Objectives {
		out.Objectives = append(out.Objectives, toAPIObjective(o))
	}
	for _, a := range v.Activities {
		out.Activities = append(out.Activities, toAPIActivity(a))
	}
	for _, in := range v.Inputs {
		out.Inputs = append(out.Inputs, toAPIInput(in))
	}
	return out
}

// pathYear reads the {year} of a path; anything else is not found.
func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || !beheer.ValidPlanYear(y) {
		return 0, beheer.ErrNotFound()
	}
	return y, nil
}

func (s *Server) apiListPlans(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	plans, err := s.store.Plans(r.Context(), a)
	if err != nil {
		return err
	}
	items := make([]apiPlan, len(plans))
	for i, p := range plans {
		items[i] = toAPIPlan(p)
	}
	writeJSON(w, http.StatusOK, itemsOf(items))
	return nil
}

func (s *Server) apiCreatePlan(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var year int
	template := true
	if err := s.decodeJSON(w, r, fields{"year": &year, "template": &template}); err != nil {
		return err
	}
	var tmpl []beheer.ActivityInput
	if template && beheer.ValidPlanYear(year) {
		lang := s.lang(r)
		tmpl = planTemplate(year, func(key string, args ...any) string { return s.catalog.T(lang, key, args...) })
	}
	if _, err := s.store.CreatePlan(r.Context(), a, year, tmpl); err != nil {
		return err
	}
	v, err := s.store.Plan(r.Context(), a, year)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/plans/"+strconv.Itoa(year))
	writeJSON(w, http.StatusCreated, toAPIPlanView(v))
	return nil
}

func (s *Server) apiGetPlan(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	v, err := s.store.Plan(r.Context(), a, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIPlanView(v))
	return nil
}

func (s *Server) apiApprovePlan(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	p, err := s.store.ApprovePlan(r.Context(), a, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIPlan(p))
	return nil
}

func (s *Server) readObjectiveJSON(w http.ResponseWriter, r *http.Request) (beheer.ObjectiveInput, error) {
	var in beheer.ObjectiveInput
	var owner *int64
	var status string
	if err := s.decodeJSON(w, r, fields{"title": &in.Title, "description": &in.Description, "target": &in.Target,
		"owner_id": &owner, "status": &status}); err != nil {
		return in, err
	}
	if owner != nil {
		in.OwnerID = *owner
	}
	in.Status = beheer.ObjectiveStatus(status)
	return in, nil
}

func (s *Server) apiCreateObjective(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	in, err := s.readObjectiveJSON(w, r)
	if err != nil {
		return err
	}
	o, err := s.store.CreateObjective(r.Context(), a, year, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIObjective(o))
	return nil
}

// planObjective loads an objective of the path's year; one of another
// year is not found.
func (s *Server) planObjective(r *http.Request, a *beheer.Actor) (*beheer.Objective, error) {
	year, err := pathYear(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	o, err := s.store.Objective(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	if o.Year != year {
		return nil, beheer.ErrNotFound()
	}
	return o, nil
}

func (s *Server) apiPutObjective(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	o, err := s.planObjective(r, a)
	if err != nil {
		return err
	}
	in, err := s.readObjectiveJSON(w, r)
	if err != nil {
		return err
	}
	if o, err = s.store.UpdateObjective(r.Context(), a, o.ID, in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIObjective(o))
	return nil
}

func (s *Server) apiObjectiveRequests(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	o, err := s.planObjective(r, a)
	if err != nil {
		return err
	}
	reqs, err := s.store.ObjectiveRequests(r.Context(), a, o.ID)
	if err != nil {
		return err
	}
	items := make([]apiRequest, len(reqs))
	for i, q := range reqs {
		items[i] = toAPIRequest(q)
	}
	writeJSON(w, http.StatusOK, itemsOf(items))
	return nil
}

// requestRef resolves a request given by number ("2026-0042") or id.
func (s *Server) requestRef(r *http.Request, a *beheer.Actor, raw json.RawMessage, field string) (int64, error) {
	var id int64
	var number string
	switch {
	case json.Unmarshal(raw, &id) == nil && id > 0:
		return id, nil
	case json.Unmarshal(raw, &number) == nil && strings.TrimSpace(number) != "":
		req, _, err := s.store.RequestByNumber(r.Context(), a, strings.TrimSpace(number))
		if err != nil {
			var v beheer.Validation
			v.Add(field, "plan.field.unknown_request")
			return 0, v.Err()
		}
		return req.ID, nil
	}
	var v beheer.Validation
	v.Add(field, "field.required")
	return 0, v.Err()
}

func (s *Server) apiLinkObjectiveRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	o, err := s.planObjective(r, a)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := s.decodeJSON(w, r, fields{"request": &raw}); err != nil {
		return err
	}
	rid, err := s.requestRef(r, a, raw, "request")
	if err != nil {
		return err
	}
	if err := s.store.LinkObjectiveRequest(r.Context(), a, o.ID, rid); err != nil {
		return err
	}
	if o, err = s.store.Objective(r.Context(), a, o.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIObjective(o))
	return nil
}

func (s *Server) apiUnlinkObjectiveRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	o, err := s.planObjective(r, a)
	if err != nil {
		return err
	}
	rid, err := pathID(r, "request")
	if err != nil {
		return err
	}
	if err := s.store.UnlinkObjectiveRequest(r.Context(), a, o.ID, rid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readActivityJSON decodes an activity; days in yyyy-mm-dd.
func (s *Server) readActivityJSON(w http.ResponseWriter, r *http.Request) (beheer.ActivityInput, error) {
	var in beheer.ActivityInput
	var objective, responsible *int64
	var kind, starts, ends, recurrence, role, status string
	if err := s.decodeJSON(w, r, fields{"objective_id": &objective, "kind": &kind, "title": &in.Title,
		"description": &in.Description, "starts_on": &starts, "ends_on": &ends, "recurrence": &recurrence, "role": &role,
		"responsible_id": &responsible, "status": &status, "outcome": &in.Outcome}); err != nil {
		return in, err
	}
	var v beheer.Validation
	in.StartsOn = apiDay(starts, "starts_on", &v)
	in.EndsOn = apiDay(ends, "ends_on", &v)
	if objective != nil {
		in.ObjectiveID = *objective
	}
	if responsible != nil {
		in.ResponsibleID = *responsible
	}
	if recurrence == "once" {
		recurrence = ""
	}
	in.Kind, in.Recurrence, in.Role, in.Status = beheer.ActivityKind(kind), beheer.Recurrence(recurrence), beheer.Role(role),
		beheer.ActivityStatus(status)
	return in, v.Err()
}

// apiDay reads an ISO date; "" is no day.
func apiDay(raw, field string, v *beheer.Validation) time.Time {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}
	}
	d, ok := beheer.ParseDay(raw)
	if !ok {
		v.Add(field, "plan.field.date")
	}
	return d
}

func (s *Server) apiCreateActivity(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	in, err := s.readActivityJSON(w, r)
	if err != nil {
		return err
	}
	act, err := s.store.CreateActivity(r.Context(), a, year, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIActivity(act))
	return nil
}

// planActivity loads an activity of the path's year.
func (s *Server) planActivity(r *http.Request, a *beheer.Actor) (*beheer.Activity, error) {
	year, err := pathYear(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	act, err := s.store.Activity(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	if act.Year != year {
		return nil, beheer.ErrNotFound()
	}
	return act, nil
}

func (s *Server) apiPutActivity(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	act, err := s.planActivity(r, a)
	if err != nil {
		return err
	}
	in, err := s.readActivityJSON(w, r)
	if err != nil {
		return err
	}
	if act, err = s.store.UpdateActivity(r.Context(), a, act.ID, in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIActivity(act))
	return nil
}

// apiAgenda is a consultancy day's agenda.
type apiAgenda struct {
	ActivityID int64           `json:"activity_id"`
	HeldOn     string          `json:"held_on"`
	Items      []apiAgendaItem `json:"items"`
	Recorded   []apiAgendaItem `json:"recorded"`
}

// apiAgendaItem is a request on the agenda with its outcome ("" for none yet).
type apiAgendaItem struct {
	Request apiRequest `json:"request"`
	Outcome string     `json:"outcome"`
}

func toAPIAgenda(ag *beheer.Agenda) apiAgenda {
	out := apiAgenda{ActivityID: ag.Activity.ID, HeldOn: isoDay(ag.HeldOn), Items: []apiAgendaItem{}, Recorded: []apiAgendaItem{}}
	for _, it := range ag.Items {
		out.Items = append(out.Items, apiAgendaItem{toAPIRequest(it.Request), it.Outcome})
	}
	for _, it := range ag.Recorded {
		out.Recorded = append(out.Recorded, apiAgendaItem{toAPIRequest(it.Request), it.Outcome})
	}
	return out
}

func (s *Server) apiGetAgenda(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	act, err := s.planActivity(r, a)
	if err != nil {
		return err
	}
	var v beheer.Validation
	held := apiDay(r.URL.Query().Get("held_on"), "held_on", &v)
	if err := v.Err(); err != nil {
		return err
	}
	ag, err := s.store.ConsultancyAgenda(r.Context(), a, act.ID, held)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAgenda(ag))
	return nil
}

func (s *Server) apiRecordAgendaOutcome(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	act, err := s.planActivity(r, a)
	if err != nil {
		return err
	}
	rid, err := pathID(r, "request")
	if err != nil {
		return err
	}
	var held, outcome string
	if err := s.decodeJSON(w, r, fields{"held_on": &held, "outcome": &outcome}); err != nil {
		return err
	}
	var v beheer.Validation
	day := apiDay(held, "held_on", &v)
	if day.IsZero() && !v.Has("held_on") {
		v.Add("held_on", "field.required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.store.RecordConsultancyOutcome(r.Context(), a, act.ID, rid, day, outcome); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAddPlanInput(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in beheer.InputInput
	var area json.RawMessage
	var priority string
	if err := s.decodeJSON(w, r, fields{"area": &area, "title": &in.Title, "description": &in.Description,
		"priority": &priority}); err != nil {
		return err
	}
	var v beheer.Validation
	in.AreaID = s.areaID(r, area, &v)
	in.Priority = beheer.Priority(priority)
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.store.AddPlanInput(r.Context(), a, year, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIInput(out))
	return nil
}

// planInput loads an input of the path's year.
func (s *Server) planInputOf(r *http.Request, a *beheer.Actor) (*beheer.KeyUserInput, int, error) {
	year, err := pathYear(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, 0, err
	}
	in, err := s.store.PlanInput(r.Context(), a, id)
	if err != nil {
		return nil, 0, err
	}
	v, err := s.store.Plan(r.Context(), a, year)
	if err != nil {
		return nil, 0, err
	}
	if v.Plan.ID != in.PlanID {
		return nil, 0, beheer.ErrNotFound()
	}
	return in, year, nil
}

func (s *Server) apiInputToRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, _, err := s.planInputOf(r, a)
	if err != nil {
		return err
	}
	req, err := s.store.InputToRequest(r.Context(), a, in.ID)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusCreated, req)
	return nil
}

func (s *Server) apiInputToActivity(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, _, err := s.planInputOf(r, a)
	if err != nil {
		return err
	}
	act, err := s.readActivityJSON(w, r)
	if err != nil {
		return err
	}
	if act.Title == "" {
		act.Title, act.Description = in.Title, in.Description
	}
	out, err := s.store.InputToActivity(r.Context(), a, in.ID, act)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIActivity(out))
	return nil
}

func (s *Server) apiDeclineInput(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, _, err := s.planInputOf(r, a)
	if err != nil {
		return err
	}
	if err := s.store.DeclineInput(r.Context(), a, in.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiFeed is a new feed token with the address to subscribe to.
type apiFeed struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

// feedURL is the address of a year's iCalendar feed.
func (s *Server) feedURL(r *http.Request, year int, token string) string {
	base := strings.TrimSuffix(s.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil || s.cfg.SecureCookies {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/plan/" + strconv.Itoa(year) + "/feed.ics?token=" + token
}

func (s *Server) apiRotateFeed(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	token, err := s.store.RotatePlanFeed(r.Context(), a, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiFeed{Token: token, URL: s.feedURL(r, year, token)})
	return nil
}

func (s *Server) apiRevokeFeed(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokePlanFeed(r.Context(), a, year); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
