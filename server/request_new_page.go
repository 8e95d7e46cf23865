package server

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// newRequestForm is what the new-request form shows and keeps.
type newRequestForm struct {
	Type, Title, Description, Area, Process string
	Areas                                   []beheer.Area
	Processes                               []processGroup
	MaxUpload                               string
	MaxUploadBytes                          int64 // for the browser's check before upload
	HadFiles                                bool  // files were chosen; the browser does not keep them
	// Follows is the request this one follows up (a vervolgaanvraag), as
	// its id, with its number for the notice; "" for none.
	Follows, FollowsNumber string
	// Incidents are the open parent incidents a person may join instead
	// of filing ("bestaat uw vraag al?").
	Incidents []beheer.ParentIncident
	Form      *formView // the chosen type's form, nil without one
}

// processGroup is one area's processes, an <optgroup> of the process field.
type processGroup struct {
	AreaID    int64
	Area      string
	Processes []beheer.Process
}

// newRequestData loads the areas and the processes for the form; with
// onlyArea, only the chosen area's processes are offered (htmx asks so when
// the area changes; without JavaScript every area's processes are listed).
func (s *Server) newRequestData(r *http.Request, p *page, f newRequestForm, onlyArea bool) (newRequestForm, error) {
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return f, err
	}
	processes, err := s.store.Processes(r.Context())
	if err != nil {
		return f, err
	}
	area := ""
	if onlyArea {
		area = f.Area
	}
	// Archived areas and processes are not offered for new requests.
	areas, processes = beheer.ActiveAreas(areas), beheer.ActiveProcesses(processes)
	f.Areas, f.Processes = areas, groupProcesses(areas, processes, area)
	if !onlyArea {
		if f.Incidents, err = s.store.ParentIncidents(r.Context(), p.Actor); err != nil {
			return f, err
		}
	}
	f.MaxUpload, f.MaxUploadBytes = beheer.FormatBytes(s.store.MaxAttachmentSize()), s.store.MaxAttachmentSize()
	return f, nil
}

// groupProcesses groups processes by area, in the areas' order, keeping
// only the chosen area's when one is chosen.
func groupProcesses(areas []beheer.Area, processes []beheer.Process, areaCode string) []processGroup {
	var out []processGroup
	for _, a := range areas {
		if areaCode != "" && a.Code != areaCode {
			continue
		}
		g := processGroup{AreaID: a.ID, Area: a.Name}
		for _, p := range processes {
			if p.AreaID == a.ID {
				g.Processes = append(g.Processes, p)
			}
		}
		if len(g.Processes) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// newRequestPage shows the empty form. When htmx asks after the area
// changed, only the process field is sent, with that area's processes.
func (s *Server) newRequestPage(w http.ResponseWriter, r *http.Request, p *page) error {
	q := r.URL.Query()
	block := ""
	if r.Header.Get("HX-Request") == "true" {
		switch r.Header.Get("HX-Target") {
		case "process-field", "form-fields":
			block = r.Header.Get("HX-Target")
		}
	}
	form := newRequestForm{Type: q.Get("type"), Area: q.Get("area"), Process: q.Get("process")}
	if raw := q.Get("follows"); raw != "" && block == "" {
		if err := s.followUpForm(r, p, raw, &form); err != nil {
			return err
		}
	}
	f, err := s.newRequestData(r, p, form, block == "process-field")
	if err != nil {
		return err
	}
	if f.Form, err = s.formFor(r, p, beheer.Type(f.Type), f.Process, nil); err != nil {
		return err
	}
	p.Title, p.Data = p.T("new.title"), f
	s.render(w, http.StatusOK, "newrequest", block, p)
	return nil
}

// createRequest files the request with its attachments in one store
// operation: a refused file refuses the request, and the form comes back
// with what was typed, saying which file and why; nothing is saved.
func (s *Server) createRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	max := beheer.FormatBytes(s.store.MaxAttachmentSize())
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		// The body could not be read (all files together too large): nothing
		// typed can be kept, but the form says what went wrong.
		var v beheer.Validation
		v.Add("files", "new.files_too_large", "max", max)
		p.formErrors(v.Err())
		return s.newRequestAgain(w, r, p, newRequestForm{HadFiles: true}, http.StatusRequestEntityTooLarge)
	}
	form := newRequestForm{Type: r.FormValue("type"), Title: r.FormValue("title"),
		Description: r.FormValue("description"), Area: r.FormValue("area"), Process: r.FormValue("process"),
		Follows: r.FormValue("follows"), FollowsNumber: r.FormValue("follows_number")}
	in := beheer.NewRequest{Type: beheer.Type(form.Type), Title: form.Title, Description: form.Description}
	if form.Follows != "" {
		in.FollowsFrom, _ = strconv.ParseInt(form.Follows, 10, 64)
	}
	var err error
	if in.Attachments, err = s.readUploads(r); err != nil {
		return err
	}
	form.HadFiles = len(in.Attachments) > 0
	var v beheer.Validation
	s.readPlace(r, form, &in, &v)
	if err := s.readAnswers(r, &in); err != nil {
		return err
	}
	if err := in.Check(s.store.MaxAttachmentSize()); err != nil {
		v.Fields = append(v.Fields, err.(*beheer.Error).Fields...)
	}
	if err := v.Err(); err != nil {
		p.formErrors(err)
		return s.newRequestAgain(w, r, p, form, http.StatusUnprocessableEntity)
	}
	req, err := s.store.CreateRequest(r.Context(), p.Actor, in)
	if err != nil {
		if !p.formErrors(err) {
			return err
		}
		return s.newRequestAgain(w, r, p, form, http.StatusUnprocessableEntity)
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(req.ID, 10)+"?ok=created")
	return nil
}

// readPlace reads the area and the process. The store places a request
// with only a process in that process's area, as it does for the API.
func (s *Server) readPlace(r *http.Request, form newRequestForm, in *beheer.NewRequest, v *beheer.Validation) {
	if form.Area != "" {
		area, err := s.store.AreaByCode(r.Context(), form.Area)
		if err != nil {
			v.Add("area", "field.unknown_area")
		} else {
			in.AreaID = area.ID
		}
	}
	if form.Process == "" {
		return
	}
	id, err := strconv.ParseInt(form.Process, 10, 64)
	if err != nil || id <= 0 {
		v.Add("process", "field.process_not_found")
		return
	}
	in.ProcessID = id
}

// readUploads reads the chosen files, each up to one byte over the
// attachment limit: enough for the store to refuse a file that is too
// large, naming it.
func (s *Server) readUploads(r *http.Request) ([]beheer.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []beheer.Upload
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		data, err := readPart(fh, s.store.MaxAttachmentSize()+1)
		if err != nil {
			return nil, err
		}
		out = append(out, beheer.Upload{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// newRequestAgain shows the form again with what was typed and the
// messages (already in p.Errors).
func (s *Server) newRequestAgain(w http.ResponseWriter, r *http.Request, p *page, form newRequestForm, status int) error {
	f, err := s.newRequestData(r, p, form, false)
	if err != nil {
		return err
	}
	if f.Form, err = s.formFor(r, p, beheer.Type(f.Type), f.Process, r.PostForm); err != nil {
		return err
	}
	p.Title, p.Data, p.Flash = p.T("new.title"), f, "" // the form shows its own error summary
	s.render(w, status, "newrequest", "", p)
	return nil
}

// suggestions are open requests like the one being typed ("bestaat uw vraag
// al?"), only those the person may see.
func (s *Server) suggest(w http.ResponseWriter, r *http.Request, p *page) error {
	title := strings.TrimSpace(r.URL.Query().Get("title"))
	var items []*beheer.Request
	if len([]rune(title)) >= 4 {
		page, err := s.store.Requests(r.Context(), p.Actor, store.Filter{Query: title, OpenOnly: true, Limit: 5})
		if err != nil {
			return err
		}
		items = page.Items
	}
	p.Data = items
	s.render(w, http.StatusOK, "newrequest", "suggestions", p)
	return nil
}

// followUpForm fills the form for a follow-up of the request with id raw
// (a vervolgaanvraag from Optimalisatie): its type, area and process, and a
// title that says what it follows up. A request the person may not see is
// not found.
func (s *Server) followUpForm(r *http.Request, p *page, raw string, f *newRequestForm) error {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return beheer.ErrNotFound()
	}
	req, facts, err := s.store.Request(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	if err := beheer.CheckFollowUp(p.Actor, req, facts); err != nil {
		return err
	}
	f.Follows, f.FollowsNumber = raw, req.Number
	f.Type, f.Area = string(req.Type), req.AreaCode
	if req.ProcessID != 0 {
		f.Process = strconv.FormatInt(req.ProcessID, 10)
	}
	f.Title = p.T("cycle.followup.new_title", "title", req.Title)
	f.Description = p.T("cycle.followup.new_description", "number", req.Number)
	return nil
}
