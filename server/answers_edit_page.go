package server

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"beheer"
)

// The answers of a request, changed in the portal: a page of their own
// with the fields of the form version the request was filed with, shown by
// the same partial as the new-request form and saved through the same
// store call as PUT /api/v1/requests/{id}/answers. Who may is
// beheer.CanEditAnswers; the button on the request page asks the same.

// answersEditView is the edit page's data.
type answersEditView struct {
	R       *beheer.Request
	Form    *formView
	Version int64 // the request's version the change is based on
	Stale   bool  // someone else saved first: their answers show beside the fields
	Error   string
	// ErrorList links each field's message to its field.
	ErrorList []fieldLink
}

// answersEditPage shows the request's answers ready to change.
func (s *Server) answersEditPage(w http.ResponseWriter, r *http.Request, p *page) error {
	req, fields, answers, err := s.editableAnswers(r, p)
	if err != nil {
		return err
	}
	v := &answersEditView{R: req, Version: req.Version}
	if v.Form, err = s.answersForm(r, p, req, fields, answersSent(answers)); err != nil {
		return err
	}
	s.renderAnswersEdit(w, http.StatusOK, p, v)
	return nil
}

// saveAnswers saves the answers as sent: every field of the form version,
// so a choice cleared stays cleared (a field not sent would get its
// default). Success returns to the request; a refusal shows the page again
// with what was typed and each message beside its field.
func (s *Server) saveAnswers(w http.ResponseWriter, r *http.Request, p *page) error {
	req, fields, _, err := s.editableAnswers(r, p)
	if err != nil {
		return err
	}
	in := map[string][]string{}
	for _, fd := range fields {
		in[fd.Name] = r.PostForm["answers."+fd.Name]
	}
	version, err := formVersion(r)
	if err == nil {
		_, err = s.store.UpdateAnswers(r.Context(), p.Actor, req.ID, version, in)
	}
	if err == nil {
		redirect(w, r, "/requests/"+strconv.FormatInt(req.ID, 10)+"?ok=answers_saved")
		return nil
	}
	return s.answersRefused(w, r, p, err)
}

// answersRefused shows the edit page again after a refusal, at the
// request's current version; after a stale edit the answers saved
// meanwhile show beside what the person typed.
func (s *Server) answersRefused(w http.ResponseWriter, r *http.Request, p *page, err error) error {
	f, ok := p.refused(r, "answers", err)
	if !ok {
		return err
	}
	req, fields, answers, err := s.editableAnswers(r, p)
	if err != nil {
		return err
	}
	v := &answersEditView{R: req, Version: req.Version, Stale: f.Stale, Error: f.Message}
	if v.Form, err = s.answersForm(r, p, req, fields, r.PostForm); err != nil {
		return err
	}
	for _, field := range f.Fields {
		v.ErrorList = append(v.ErrorList, fieldLink{Message: f.Errs[field], Anchor: answerAnchor(v.Form, field)})
	}
	if f.Stale {
		if err := s.markSaved(r, p, v.Form, fields, answers); err != nil {
			return err
		}
	}
	s.renderAnswersEdit(w, f.Status, p, v)
	return nil
}

// editableAnswers reads the request of the path with its form version's
// fields and its answers, for someone who may change them. A request the
// person may not read is not found; one they may read but not change,
// or one filed without a form, is refused.
func (s *Server) editableAnswers(r *http.Request, p *page) (*beheer.Request, []beheer.FormField, []beheer.Answer, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, nil, err
	}
	req, _, err := s.store.Request(r.Context(), p.Actor, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if req.FormVersionID == 0 {
		return nil, nil, nil, beheer.ErrNotFound()
	}
	if !beheer.CanEditAnswers(p.Actor, req) {
		return nil, nil, nil, beheer.ErrForbidden("answers_edit.forbidden")
	}
	fields, answers, err := s.store.Answers(r.Context(), p.Actor, id)
	return req, fields, answers, err
}

// answersSent are stored answers as the form sends them.
func answersSent(answers []beheer.Answer) url.Values {
	out := url.Values{}
	for _, a := range answers {
		out["answers."+a.Field] = a.Values
	}
	return out
}

// answersForm builds the edit form from the request's own form version,
// filled with sent; an attachment field offers the request's files.
func (s *Server) answersForm(r *http.Request, p *page, req *beheer.Request, fields []beheer.FormField, sent url.Values) (*formView, error) {
	fv, err := s.formViewOf(r, p, &beheer.Form{Name: beheer.Texts{NL: p.T("form.answers")}, Fields: fields}, sent)
	if err != nil {
		return nil, err
	}
	for i := range fv.Fields {
		f := &fv.Fields[i]
		if f.Kind != beheer.FieldAttachment {
			continue
		}
		files, err := s.store.Attachments(r.Context(), p.Actor, req.ID)
		if err != nil {
			return nil, err
		}
		f.Listed = true
		for _, a := range files {
			f.Choices = append(f.Choices, choiceView{Value: a.Name, Label: a.Name})
		}
	}
	return fv, nil
}

// markSaved sets, on each field whose typed answer differs from the one
// saved meanwhile, that saved answer as a person reads it.
func (s *Server) markSaved(r *http.Request, p *page, form *formView, fields []beheer.FormField, answers []beheer.Answer) error {
	reader, err := s.newAnswerReader(r, p, fields, answers, &requestRecords{})
	if err != nil {
		return err
	}
	saved := answersSent(answers)
	for i := range form.Fields {
		f := &form.Fields[i]
		if was := saved[f.Input]; !slices.Equal(was, f.Values) {
			f.Saved = reader.changed(f.Name, strings.Join(was, ", "))
		}
	}
	return nil
}

// answerAnchor is the id of the input a field's message links to: the
// first option of a choice, the input itself otherwise.
func answerAnchor(form *formView, input string) string {
	for _, f := range form.Fields {
		if f.Input != input {
			continue
		}
		switch f.Kind {
		case beheer.FieldYesNo:
			return f.ID + "-yes"
		case beheer.FieldChoice, beheer.FieldMulti:
			return f.ID + "-0"
		}
		return f.ID
	}
	return "answers-form"
}

func (s *Server) renderAnswersEdit(w http.ResponseWriter, status int, p *page, v *answersEditView) {
	p.Title = p.T("answers_edit.title") + " · " + v.R.Number
	p.Data = v
	s.render(w, status, "answersedit", "", p)
}

// peopleFound is one page of a person field's options: the person chosen,
// then the people found, and whether more were found than listed.
type peopleFound struct {
	Choices []choiceView
	Matched int // people found for the search
	More    bool
}

// personOptions lists the people a person field offers for the search q:
// at most beheer.PersonChoices, and the person of chosen (the field's
// value) first when the search left them out — also one who left, marked
// so — so that neither narrowing the list nor someone leaving silently
// changes what was chosen.
func (s *Server) personOptions(r *http.Request, p *page, q string, chosen []string) (peopleFound, error) {
	people, err := s.store.PeopleMatching(r.Context(), p.Actor, q, beheer.PersonChoices+1)
	if err != nil {
		return peopleFound{}, err
	}
	found := peopleFound{More: len(people) > beheer.PersonChoices}
	people = people[:min(len(people), beheer.PersonChoices)]
	found.Matched = len(people)
	var missing []int64
	for _, c := range chosen[:min(len(chosen), 1)] { // a person field holds one person
		id, err := strconv.ParseInt(c, 10, 64)
		if err == nil && id > 0 && !slices.ContainsFunc(people, func(u beheer.User) bool { return u.ID == id }) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		// The person chosen stays in the list, also after they left: an
		// answer keeps naming them (beheer.HeldAnswers).
		named, err := s.store.PeopleNamed(r.Context(), missing, false)
		if err != nil {
			return peopleFound{}, err
		}
		people = append(named, people...)
	}
	for _, u := range people {
		label := u.Name
		if !u.Active {
			label = p.T("answers_edit.person_left", "name", u.Name)
		}
		found.Choices = append(found.Choices, choiceView{Value: strconv.FormatInt(u.ID, 10), Label: label})
	}
	return found, nil
}

// selectID is what a person field's select may be called: the id the
// search's answer names it by.
var selectID = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,60}$`)

// peopleOptions answers a person field's search box (htmx): the options of
// its select for what was typed, and in words how many were found, for
// the field's live region. Only names and ids of active people, which
// every signed-in person may see; e-mail addresses are searched only for
// those who may see them (beheer.CanSearchByEmail) and never shown.
func (s *Server) peopleOptions(w http.ResponseWriter, r *http.Request, p *page) error {
	q := r.URL.Query()
	field := q.Get("field")
	if !selectID.MatchString(field) {
		var v beheer.Validation
		v.Add("field", "field.invalid")
		return v.Err()
	}
	found, err := s.personOptions(r, p, q.Get("q"), q["selected"])
	if err != nil {
		return err
	}
	fv := formFieldView{ID: field, Values: q["selected"], Choices: found.Choices}
	switch {
	case found.Matched == 0:
		fv.Found = p.T("answers_edit.people_none", "q", strings.TrimSpace(q.Get("q")))
	case found.More:
		fv.Found = p.T("answers_edit.people_more", "count", beheer.PersonChoices)
	default:
		fv.Found = p.T("answers_edit.people_count", "count", found.Matched)
	}
	p.Data = fv
	s.render(w, http.StatusOK, "answersedit", "person-options", p)
	return nil
}
