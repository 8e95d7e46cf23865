package server

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beheer"
)

// Every form of the request page posts here. Success answers 303 to the
// request page with a success message named by ?ok=; a refusal shows the
// page again with the values as entered, the message, and the status code
// of the refusal. The store decides; these handlers only read forms.

// formText reads a form field as the store expects text: line breaks as \n
// (browsers send \r\n from a textarea, which would count as a change).
func formText(r *http.Request, name string) string {
	return strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n")
}

// formID reads a numeric form field; "" and "0" are 0.
func formID(r *http.Request, name string, v *beheer.Validation) int64 {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return 0
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		v.Add(name, "field.invalid")
	}
	return n
}

// formVersion reads the version a change is based on. Without it a change
// could silently overwrite someone else's, so it is required.
func formVersion(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || n <= 0 {
		return 0, beheer.Errorf(beheer.CodePreconditionRequired, "req.error.version_missing")
	}
	return n, nil
}

// done finishes a form: on success a redirect with a success message, on a
// refusal the page again with the form as entered.
func (s *Server) done(w http.ResponseWriter, r *http.Request, p *page, id int64, form, ok string, err error) error {
	if err == nil {
		redirect(w, r, "/requests/"+strconv.FormatInt(id, 10)+"?ok="+ok+"#"+okPlace(ok))
		return nil
	}
	refusal, refused := p.refused(r, form, err)
	if !refused {
		return err
	}
	v, lerr := s.loadRequestView(r, p, id)
	if lerr != nil {
		return lerr
	}
	// Someone else saved first (Stale): the page shows their values beside
	// the person's, which stay in the form; the form now carries the
	// current version.
	v.Failed, v.Values, v.Error, v.Errs, v.Stale = form, enteredValues(r), refusal.Message, refusal.Errs, refusal.Stale
	for _, field := range refusal.Fields {
		if msg := refusal.Errs[field]; !slices.ContainsFunc(v.ErrorList, func(e fieldLink) bool { return e.Message == msg }) {
			v.ErrorList = append(v.ErrorList, fieldLink{Message: msg, Anchor: fieldAnchor(form, field)})
		}
	}
	s.renderRequest(w, refusal.Status, p, v)
	return nil
}

// fieldLink is one message of a form's error summary with the field it
// is about, so a person can go straight to it.
type fieldLink struct {
	Message string
	Anchor  string // the field's id
}

// fieldAnchor is the id of a request form's field: the form's name and the
// field's ("edit-title"); a choice between radio buttons is reached at its
// first ("evaluate-rating-1", "decide-approved"), a file at its input.
func fieldAnchor(form, field string) string {
	switch form + "." + field {
	case "evaluate.rating":
		return "evaluate-rating-1"
	case "decide.outcome":
		return "decide-approved"
	case "move.to":
		return "form-move"
	case "attach.file":
		return "attach-file"
	}
	return form + "-" + field
}

// okPlaces are the places the request page opens at after a form
// succeeded, for what a person does again there (a comment, a file, the
// triage, a task, an escalation); anything else opens at the top, where the
// new phase or status shows.
var okPlaces = map[string]string{"commented": "form-comment", "attached": "form-attach", "saved": "form-edit",
	"task": "form-task", "escalated": "form-escalate"}

// okPlace is the id the request page opens at after the success ok.
func okPlace(ok string) string {
	if place, found := okPlaces[ok]; found {
		return place
	}
	return "top"
}

// enteredValues are the form's fields as sent, to fill the form again.
func enteredValues(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, vs := range r.PostForm {
		if k != "csrf" && k != "version" && len(vs) > 0 {
			out[k] = strings.ReplaceAll(vs[0], "\r\n", "\n")
		}
	}
	return out
}

// requestEdit saves the triage form (every field) or the requester's edit
// (title and description). Only the fields the form holds are changed.
func (s *Server) requestEdit(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		var patch beheer.Patch
		if patch, err = editPatch(r); err == nil {
			_, err = s.store.UpdateRequest(r.Context(), p.Actor, id, version, patch)
		}
	}
	return s.done(w, r, p, id, "edit", "saved", err)
}

// editPatch builds a patch from the fields present in the form.
func editPatch(r *http.Request) (beheer.Patch, error) {
	var p beheer.Patch
	var v beheer.Validation
	has := func(name string) bool { _, ok := r.PostForm[name]; return ok }
	if has("title") {
		t := formText(r, "title")
		p.Title = &t
	}
	if has("description") {
		d := formText(r, "description")
		p.Description = &d
	}
	if has("type") {
		t := beheer.Type(r.PostFormValue("type"))
		p.Type = &t
	}
	if has("priority") {
		pr := beheer.Priority(r.PostFormValue("priority"))
		p.Priority = &pr
	}
	if has("area") {
		area := formID(r, "area", &v)
		p.AreaID = &area
	}
	if has("process") {
		process := formID(r, "process", &v)
		p.ProcessID = &process
	}
	if has("assignee") {
		who := formID(r, "assignee", &v)
		p.AssigneeID = &who
	}
	return p, v.Err()
}

// requestTransition moves the request: to the next phase, rejected,
// withdrawn or reopened — one handler, four forms.
func (s *Server) requestTransition(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	to := beheer.Phase(r.PostFormValue("to"))
	form, ok := "move", "moved"
	switch r.PostFormValue("form") {
	case "reject":
		form, ok = "reject", "rejected"
	case "withdraw":
		form, ok = "withdraw", "withdrawn"
	case "reopen":
		form, ok = "reopen", "reopened"
	}
	version, err := formVersion(r)
	if err == nil && to == "" {
		v := beheer.Validation{}
		v.Add("to", "field.required")
		err = v.Err()
	}
	if err == nil {
		_, err = s.store.Transition(r.Context(), p.Actor, id, version, beheer.Transition{To: to, Note: formText(r, "note")})
	}
	return s.done(w, r, p, id, form, ok, err)
}

// requestAsk puts a question to the requester: a public comment, and the
// request then waits for the requester, saved together by the store. The
// form carries the version, so a stale form saves nothing.
func (s *Server) requestAsk(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		_, err = s.store.AskRequester(r.Context(), p.Actor, id, version, formText(r, "body"))
	}
	return s.done(w, r, p, id, "ask", "asked", err)
}

// requestToDecision puts a change request before its process owner.
func (s *Server) requestToDecision(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		status := beheer.StatusAwaitingDecision
		_, err = s.store.UpdateRequest(r.Context(), p.Actor, id, version, beheer.Patch{Status: &status})
	}
	return s.done(w, r, p, id, "to-decision", "to_decision", err)
}

// requestDecide records the process owner's decision.
func (s *Server) requestDecide(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	outcome := beheer.DecisionOutcome(r.PostFormValue("outcome"))
	d, err := s.store.Decide(r.Context(), p.Actor, id, outcome, formText(r, "motivation"))
	return s.done(w, r, p, id, "decide", decidedFlash(d), err)
}

// requestEvaluate records the requester's rating in Optimalisatie.
func (s *Server) requestEvaluate(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	after, err := s.store.Evaluate(r.Context(), p.Actor, id, beheer.Evaluation{Rating: rating, Note: formText(r, "note")})
	ok := "rated_wait" // the assignee closes it
	switch {
	case err != nil:
	case after.Phase == beheer.PhaseClosed:
		ok = "rated_closed"
	case after.Status == beheer.StatusFollowUp:
		ok = "rated_follow_up"
	}
	return s.done(w, r, p, id, "evaluate", ok, err)
}

// requestCreateTask hands a technical task to technical management.
func (s *Server) requestCreateTask(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v beheer.Validation
	n := beheer.NewTask{Title: formText(r, "title"), Description: formText(r, "description"), AssigneeID: formID(r, "assignee", &v)}
	if err = v.Err(); err == nil {
		_, err = s.store.CreateTask(r.Context(), p.Actor, id, n)
	}
	return s.done(w, r, p, id, "task", "task", err)
}

// requestCompleteTask records a task's outcome. The task must belong to the
// request in the path.
func (s *Server) requestCompleteTask(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	taskID, err := pathID(r, "task")
	if err != nil {
		return err
	}
	tasks, err := s.store.Tasks(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	if !hasID(tasks, taskID, func(t beheer.Task) int64 { return t.ID }) {
		return beheer.ErrNotFound()
	}
	_, err = s.store.CompleteTask(r.Context(), p.Actor, taskID, formText(r, "outcome"))
	return s.done(w, r, p, id, "task-"+strconv.FormatInt(taskID, 10), "task_done", err)
}

// requestEscalate hands the request to an outside channel. The store applies
// the Support rule and names the right channel when it refuses.
func (s *Server) requestEscalate(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n := beheer.NewEscalation{Channel: beheer.Channel(r.PostFormValue("channel")), Reference: formText(r, "reference"),
		Note: formText(r, "note")}
	_, err = s.store.Escalate(r.Context(), p.Actor, id, n)
	return s.done(w, r, p, id, "escalate", "escalated", err)
}

// requestCloseEscalation records the outside party's outcome. The
// escalation must belong to the request in the path.
func (s *Server) requestCloseEscalation(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	escID, err := pathID(r, "esc")
	if err != nil {
		return err
	}
	escs, err := s.store.Escalations(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	if !hasID(escs, escID, func(e beheer.Escalation) int64 { return e.ID }) {
		return beheer.ErrNotFound()
	}
	_, err = s.store.CloseEscalation(r.Context(), p.Actor, escID, formText(r, "outcome"))
	return s.done(w, r, p, id, "esc-"+strconv.FormatInt(escID, 10), "escalation_closed", err)
}

func hasID[T any](list []T, id int64, idOf func(T) int64) bool {
	for _, x := range list {
		if idOf(x) == id {
			return true
		}
	}
	return false
}

// requestComment adds a comment, or an internal note when the box is ticked.
func (s *Server) requestComment(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if r.PostFormValue("answer") != "" {
		return s.requestAnswer(w, r, p, id)
	}
	c := beheer.NewComment{Body: formText(r, "body"), Internal: r.PostFormValue("internal") == "1"}
	added, err := s.store.AddComment(r.Context(), p.Actor, id, c)
	ok := "commented"
	if err == nil && len(added.MentionsWithoutEffect) > 0 {
		ok = "mention_void"
	}
	return s.done(w, r, p, id, "comment", ok, err)
}

// requestAnswer sends a standard answer from the comment box, as the
// person edited it, with what the answer also does (ReplyWithAnswer).
func (s *Server) requestAnswer(w http.ResponseWriter, r *http.Request, p *page, id int64) error {
	var v beheer.Validation
	answer := formID(r, "answer", &v)
	version, err := formVersion(r)
	if err == nil {
		err = v.Err()
	}
	if err == nil {
		_, err = s.store.ReplyWithAnswer(r.Context(), p.Actor, id, version, answer, formText(r, "body"))
	}
	return s.done(w, r, p, id, "comment", "commented", err)
}

// requestAttach stores one uploaded file on the request.
func (s *Server) requestAttach(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name, data, err := s.formUpload(w, r)
	if err == nil {
		_, err = s.store.AddAttachment(r.Context(), p.Actor, id, name, data)
	}
	return s.done(w, r, p, id, "attach", "attached", err)
}

// formUpload reads the "file" field of a multipart form, bounded by the
// attachment limit.
func (s *Server) formUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	limit := s.store.MaxAttachmentSize()
	tooLarge := beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(limit))
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return "", nil, tooLarge
		}
		v := beheer.Validation{}
		v.Add("file", "field.required")
		return "", nil, v.Err()
	}
	defer file.Close()
	if header.Size > limit {
		return "", nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return "", nil, err
	}
	if int64(len(data)) > limit {
		return "", nil, tooLarge
	}
	return header.Filename, data, nil
}

// attachmentDownload serves a file of a request the person may see, always
// as a download; anyone else gets the same answer as for a missing file.
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request, p *page) error {
	att, data, err := s.attachmentFile(r, p.Actor)
	if err != nil {
		return err
	}
	serveDownload(w, att, data)
	return nil
}

// attachmentFile reads the file of the path's id with its bytes, if the
// actor may see its request; otherwise not found.
func (s *Server) attachmentFile(r *http.Request, a *beheer.Actor) (*beheer.Attachment, []byte, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.store.Attachment(r.Context(), a, id)
}
