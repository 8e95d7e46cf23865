package server

import (
	"io"
	"mime"
	"net/http"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/peoplesync"
)

// apiSyncProblem is a row a sync could not apply, in the caller's language.
type apiSyncProblem struct {
	Line    int    `json:"line,omitempty"`
	Number  string `json:"employee_number,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// apiSyncReport is a sync's outcome as the API shows it.
type apiSyncReport struct {
	ID          int64            `json:"id"`
	Source      string           `json:"source"`
	At          time.Time        `json:"at"`
	OK          bool             `json:"ok"`
	Error       string           `json:"error,omitempty"` // why it could not run; nothing changed
	Total       int              `json:"total"`
	Added       int              `json:"added"`
	Updated     int              `json:"updated"`
	Deactivated int              `json:"deactivated"`
	Reactivated int              `json:"reactivated"`
	Unchanged   int              `json:"unchanged"`
	Skipped     int              `json:"skipped"`
	Problems    []apiSyncProblem `json:"problems"`
}

func (s *Server) syncReport(lang i18n.Lang, r *beheer.SyncReport) apiSyncReport {
	out := apiSyncReport{ID: r.ID, Source: r.Source, At: r.At, OK: r.OK, Total: r.Total, Added: r.Added, Updated: r.Updated,
		Deactivated: r.Deactivated, Reactivated: r.Reactivated, Unchanged: r.Unchanged, Skipped: r.Skipped,
		Problems: []apiSyncProblem{}}
	if r.ErrorKey != "" {
		out.Error = s.catalog.T(lang, r.ErrorKey)
	}
	for _, p := range r.Rows {
		out.Problems = append(out.Problems, apiSyncProblem{Line: p.Line, Number: p.Number, Field: p.Field,
			Message: s.catalog.T(lang, p.Key, s.displayArgs(lang, p.Args)...)})
	}
	return out
}

// apiPeopleImport takes a CSV file (text/csv) with everyone of the
// organisation. Any bad row refuses the whole file, every problem named by
// line and column, and nothing changes.
func (s *Server) apiPeopleImport(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	if !a.Can(beheer.PermUserManage, 0) {
		return beheer.Refusal(beheer.PermUserManage) // before reading: nobody else learns anything about the file
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		return beheer.Errorf(codeUnsupportedMedia, "error.unsupported_media_type")
	}
	rep, err := s.importCSV(r, a, r.Body, r.URL.Query().Get("confirm_leavers") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.syncReport(s.lang(r), rep))
	return nil
}

// importCSV parses a CSV file and applies it as the people of source csv.
// confirmLeavers lets it deactivate many people at once (beheer.MassLeave).
func (s *Server) importCSV(r *http.Request, a *beheer.Actor, body io.Reader, confirmLeavers bool) (*beheer.SyncReport, error) {
	employees, err := peoplesync.ParseCSV(body)
	if err != nil {
		return nil, err
	}
	return s.store.SyncPeople(r.Context(), a, beheer.SourceCSV, employees, beheer.SyncOptions{ConfirmLeavers: confirmLeavers})
}

func (s *Server) apiPeopleSync(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	reps, err := s.store.SyncReports(r.Context(), a, 20)
	if err != nil {
		return err
	}
	out := make([]apiSyncReport, len(reps))
	for i := range reps {
		out[i] = s.syncReport(s.lang(r), &reps[i])
	}
	writeJSON(w, http.StatusOK, itemsOf(out))
	return nil
}

// apiDepartment is a department and its area by code ("" for none).
type apiDepartment struct {
	Department string `json:"department"`
	Area       string `json:"area,omitempty"`
	People     int    `json:"people"`
}

func (s *Server) apiDepartments(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	deps, err := s.store.DepartmentAreas(r.Context(), a)
	if err != nil {
		return err
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return err
	}
	code := map[int64]string{}
	for _, ar := range areas {
		code[ar.ID] = ar.Code
	}
	out := make([]apiDepartment, len(deps))
	for i, d := range deps {
		out[i] = apiDepartment{Department: d.Department, Area: code[d.AreaID], People: d.People}
	}
	writeJSON(w, http.StatusOK, itemsOf(out))
	return nil
}

// apiSetDepartment maps a department to an area (its people become key
// users there) or, with an empty area, removes the mapping.
func (s *Server) apiSetDepartment(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var in apiDepartment
	if err := s.decodeJSON(w, r, fields{"department": &in.Department, "area": &in.Area}); err != nil {
		return err
	}
	var areaID int64
	if in.Area != "" {
		area, err := s.store.AreaByCode(r.Context(), in.Area)
		if err != nil {
			v := beheer.Validation{}
			v.Add("area", "field.unknown_area")
			return v.Err()
		}
		areaID = area.ID
	}
	if err := s.store.SetDepartmentArea(r.Context(), a, in.Department, areaID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// syncView is a sync's outcome on the people page.
type syncView struct {
	When     string
	Source   string
	OK       bool
	Error    string
	Summary  string
	Problems []string
}

func (s *Server) syncView(p *page, r *beheer.SyncReport) *syncView {
	v := &syncView{When: p.DateTime(r.At), Source: p.T("people_import.source_" + r.Source), OK: r.OK}
	if !r.OK {
		v.Error = p.T(r.ErrorKey)
		return v
	}
	v.Summary = p.T("people_import.summary", "total", r.Total, "added", r.Added, "updated", r.Updated,
		"deactivated", r.Deactivated, "reactivated", r.Reactivated, "skipped", r.Skipped)
	for _, pr := range r.Rows {
		msg := p.T(pr.Key, s.displayArgs(p.Lang, pr.Args)...)
		if pr.Line > 0 {
			msg = p.T("people_import.problem", "line", pr.Line, "field", pr.Field, "message", msg)
		}
		v.Problems = append(v.Problems, msg)
	}
	return v
}

// importPeople takes the CSV file of the people page's import form, and
// shows the people page with the outcome, or with every problem of the file
// (then nothing changed).
func (s *Server) importPeople(w http.ResponseWriter, r *http.Request, p *page) error {
	if !p.Actor.Can(beheer.PermUserManage, 0) {
		return beheer.Refusal(beheer.PermUserManage)
	}
	file, _, err := r.FormFile("file")
	if err == nil {
		defer file.Close()
		_, err = s.importCSV(r, p.Actor, file, r.PostFormValue("confirm_leavers") != "")
	} else {
		v := beheer.Validation{}
		v.Add("file", "field.required")
		err = v.Err()
	}
	if err == nil { // the people page shows the last sync's report
		redirect(w, r, "/people?ok=imported")
		return nil
	}
	refusal, ok := p.refused(r, "", err)
	if !ok {
		return err
	}
	v, verr := s.peopleData(r, p)
	if verr != nil {
		return verr
	}
	v.Refused = refusal.Said
	if be, isBe := err.(*beheer.Error); isBe {
		for _, f := range be.Fields {
			v.ImportProblems = append(v.ImportProblems, f.Field+": "+p.T(f.Key, s.displayArgs(p.Lang, f.Args)...))
		}
	}
	p.Title, p.Data = p.T("people.title"), v
	s.render(w, refusal.Status, "peoplepage", "", p)
	return nil
}

// lastSync is the newest sync for the people page; nil when there is none
// (or it cannot be read, which the page can do without).
func (s *Server) lastSync(r *http.Request, p *page) *syncView {
	reps, err := s.store.SyncReports(r.Context(), p.Actor, 1)
	if err != nil || len(reps) == 0 {
		return nil
	}
	return s.syncView(p, &reps[0])
}

// setDepartmentPage maps one department to an area (or none) from the
// people page, and shows the page again.
func (s *Server) setDepartmentPage(w http.ResponseWriter, r *http.Request, p *page) error {
	var areaID int64
	if code := r.PostFormValue("area"); code != "" {
		area, err := s.store.AreaByCode(r.Context(), code)
		if err != nil {
			return s.peopleRefused(w, r, p, beheer.Errorf(beheer.CodeInvalid, "field.unknown_area"))
		}
		areaID = area.ID
	}
	if err := s.store.SetDepartmentArea(r.Context(), p.Actor, r.PostFormValue("department"), areaID); err != nil {
		return s.peopleRefused(w, r, p, err)
	}
	redirect(w, r, "/people?ok=department#departments")
	return nil
}
