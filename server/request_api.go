package server

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// person is how the API names a person.
type person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// apiRequest is the API's representation of a request.
type apiRequest struct {
	ID          int64           `json:"id"`
	Number      string          `json:"number"`
	Type        beheer.Type     `json:"type"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Area        *string         `json:"area"`
	AreaName    string          `json:"area_name,omitempty"`
	ProcessID   *int64          `json:"process,omitempty"`
	Priority    beheer.Priority `json:"priority"`
	Requester   person          `json:"requester"`
	Assignee    *person         `json:"assignee"`
	Phase       beheer.Phase    `json:"phase"`
	Status      beheer.Status   `json:"status"`
	Version     int64           `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	ClosedAt    *time.Time      `json:"closed_at,omitempty"`
	Rating      *int            `json:"rating,omitempty"`
	Evaluation  string          `json:"evaluation,omitempty"`
	// FormVersion and Answers: the form version the request was filed
	// with and its answers (in a single request's answer only).
	FormVersion int64          `json:"form_version,omitempty"`
	Answers     map[string]any `json:"answers,omitempty"`
}

func toAPIRequest(r *beheer.Request) apiRequest {
	out := apiRequest{ID: r.ID, Number: r.Number, Type: r.Type, Title: r.Title, Description: r.Description,
		AreaName: r.AreaName, Priority: r.Priority, Requester: person{r.RequesterID, r.RequesterName},
		Phase: r.Phase, Status: r.Status, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Evaluation: r.Evaluation, FormVersion: r.FormVersionID}
	if r.AreaCode != "" {
		out.Area = &r.AreaCode
	}
	if r.ProcessID != 0 {
		out.ProcessID = &r.ProcessID
	}
	if r.AssigneeID != 0 {
		out.Assignee = &person{r.AssigneeID, r.AssigneeName}
	}
	if !r.ClosedAt.IsZero() {
		out.ClosedAt = &r.ClosedAt
	}
	if r.Rating != 0 {
		out.Rating = &r.Rating
	}
	return out
}

// writeRequest answers with one request, its ETag and a Location.
func writeRequest(w http.ResponseWriter, status int, r *beheer.Request) {
	w.Header().Set("ETag", etag(r.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/requests/"+strconv.FormatInt(r.ID, 10))
	}
	writeJSON(w, status, toAPIRequest(r))
}

// areaID resolves an area code from a body; "" and null mean no area.
func (s *Server) areaID(r *http.Request, raw json.RawMessage, v *beheer.Validation) int64 {
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	var code string
	if json.Unmarshal(raw, &code) != nil {
		v.Add("area", "field.wrong_type")
		return 0
	}
	if code == "" {
		return 0
	}
	a, err := s.store.AreaByCode(r.Context(), code)
	if err != nil {
		v.Add("area", "field.unknown_area")
		return 0
	}
	return a.ID
}

// apiCreateRequest files a request sent as JSON, or as multipart/form-data
// with the same JSON in the part "request" and its attachments in parts
// "files": then the request and its files are saved together, or nothing.
func (s *Server) apiCreateRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var in beheer.NewRequest
	var area json.RawMessage
	var answers map[string]json.RawMessage
	into := fields{"type": &in.Type, "title": &in.Title, "description": &in.Description,
		"area": &area, "process": &in.ProcessID, "priority": &in.Priority, "follows_from": &in.FollowsFrom,
		"outage_id": &in.OutageID, "answers": &answers}
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		in.Attachments, err = s.readRequestParts(w, r, into)
	} else {
		err = s.decodeJSON(w, r, into)
	}
	if err != nil {
		return err
	}
	var v beheer.Validation
	in.AreaID = s.areaID(r, area, &v)
	in.Answers = answersIn(answers, &v)
	if err := in.Validate(); err != nil {
		v.Fields = append(v.Fields, err.(*beheer.Error).Fields...)
	}
	if err := v.Err(); err != nil {
		return err
	}
	req, err := s.store.CreateRequest(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusCreated, req)
	return nil
}

func (s *Server) apiGetRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	req, _, answered, err := s.store.RequestAnswered(r.Context(), a, id)
	if err != nil {
		return err
	}
	if match := r.Header.Get("If-None-Match"); match != "" && match == etag(req.Version) {
		w.Header().Set("ETag", etag(req.Version))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if req.FormVersionID == 0 {
		writeRequest(w, http.StatusOK, req)
		return nil
	}
	out := toAPIRequest(req)
	out.Answers = answersOut(answered.Answers)
	w.Header().Set("ETag", etag(req.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiPatchRequest(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, ok, err := ifMatch(r)
	if err != nil {
		return err
	}
	if !ok {
		return beheer.Errorf(beheer.CodePreconditionRequired, "error.precondition_required")
	}
	var p beheer.Patch
	var area, assignee json.RawMessage
	if err := s.decodeJSON(w, r, fields{"title": &p.Title, "description": &p.Description, "type": &p.Type,
		"area": &area, "process": &p.ProcessID, "priority": &p.Priority, "assignee": &assignee, "status": &p.Status}); err != nil {
		return err
	}
	var v beheer.Validation
	if len(area) > 0 {
		id := s.areaID(r, area, &v)
		p.AreaID = &id
	}
	if len(assignee) > 0 {
		var uid int64
		if string(assignee) != "null" && json.Unmarshal(assignee, &uid) != nil {
			v.Add("assignee", "field.wrong_type")
		}
		p.AssigneeID = &uid
	}
	if err := v.Err(); err != nil {
		return err
	}
	req, err := s.store.UpdateRequest(r.Context(), a, id, version, p)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusOK, req)
	return nil
}

func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	var t beheer.Transition
	if err := s.decodeJSON(w, r, fields{"to": &t.To, "note": &t.Note}); err != nil {
		return err
	}
	if t.To == "" {
		v := beheer.Validation{}
		v.Add("to", "field.required")
		return v.Err()
	}
	req, err := s.store.Transition(r.Context(), a, id, version, t)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusOK, req)
	return nil
}

func (s *Server) apiEvaluate(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e beheer.Evaluation
	if err := s.decodeJSON(w, r, fields{"rating": &e.Rating, "note": &e.Note}); err != nil {
		return err
	}
	req, err := s.store.Evaluate(r.Context(), a, id, e)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusOK, req)
	return nil
}

// listFilter reads a list's query parameters, naming each invalid one.
func (s *Server) listFilter(r *http.Request, a *beheer.Actor) (store.Filter, error) {
	q := r.URL.Query()
	var f store.Filter
	var v beheer.Validation
	f.Phases = choices(q.Get("phase"), "phase", beheer.Phase.Valid, &v)
	f.Types = choices(q.Get("type"), "type", beheer.Type.Valid, &v)
	f.Statuses = choices(q.Get("status"), "status", beheer.Status.Valid, &v)
	f.Priorities = choices(q.Get("priority"), "priority", beheer.Priority.Valid, &v)
	for _, code := range splitList(q.Get("area")) {
		area, err := s.store.AreaByCode(r.Context(), code)
		if err != nil {
			v.Add("area", "field.unknown_area")
			break
		}
		f.AreaIDs = append(f.AreaIDs, area.ID)
	}
	f.AssigneeID = personParam(q.Get("assignee"), "assignee", a, true, &v)
	f.RequesterID = personParam(q.Get("requester"), "requester", a, false, &v)
	f.OpenOnly = q.Get("open") == "true"
	f.Filed = s.monthsParam(q.Get("filed"), "filed", &v)
	f.Closed = s.monthsParam(q.Get("closed"), "closed", &v)
	f.Due = beheer.DueStanding(q.Get("due"))
	f.Query, f.Sort, f.Cursor = q.Get("q"), q.Get("sort"), q.Get("cursor")
	f.Answers = answerFilters(q)
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			v.Add("limit", "field.wrong_type")
		}
		f.Limit = n
	}
	if err := v.Err(); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// monthsParam reads a month ("2026-03") or a range of months
// ("2026-01..2026-06", both included) in the organisation's time zone.
func (s *Server) monthsParam(raw, field string, v *beheer.Validation) store.Period {
	if raw == "" {
		return store.Period{}
	}
	first, last, ok := strings.Cut(raw, "..")
	if !ok {
		last = first
	}
	from, err1 := time.ParseInLocation("2006-01", first, s.zone)
	to, err2 := time.ParseInLocation("2006-01", last, s.zone)
	if err1 != nil || err2 != nil || to.Before(from) {
		v.Add(field, "field.month_range")
		return store.Period{}
	}
	return store.Period{From: from, To: to.AddDate(0, 1, 0)}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func choices[T ~string](s, field string, valid func(T) bool, v *beheer.Validation) []T {
	var out []T
	for _, p := range splitList(s) {
		if !valid(T(p)) {
			v.Add(field, "field.invalid")
			return nil
		}
		out = append(out, T(p))
	}
	return out
}

// personParam reads "me", "none" (when allowed) or a numeric id.
func personParam(s, field string, a *beheer.Actor, allowNone bool, v *beheer.Validation) int64 {
	switch {
	case s == "":
		return 0
	case s == "me":
		return a.UserID
	case s == "none" && allowNone:
		return -1
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, "field.invalid")
		return 0
	}
	return id
}

func (s *Server) apiListRequests(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, err := s.listFilter(r, a)
	if err != nil {
		return err
	}
	page, err := s.store.Requests(r.Context(), a, f)
	if err != nil {
		return err
	}
	items := make([]apiRequest, len(page.Items))
	for i, req := range page.Items {
		items[i] = toAPIRequest(req)
	}
	var next *string
	if page.NextCursor != "" {
		next = &page.NextCursor
	}
	writeJSON(w, http.StatusOK, struct {
		Items      []apiRequest `json:"items"`
		NextCursor *string      `json:"next_cursor"`
	}{items, next})
	return nil
}
