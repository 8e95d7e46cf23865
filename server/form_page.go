package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// How a form shows in the portal: the fields of the new-request page (htmx
// swaps them when the type or process changes; without script the chosen
// type's form comes with the page or with the refusal), and a request's
// answers on its page.

// formFieldView is one field as the page shows it.
type formFieldView struct {
	beheer.FormField
	Label, Help string
	Input       string   // "answers.<name>", the input's name and the field its message is for
	ID          string   // the input's id
	Values      []string // what is filled in
	Choices     []choiceView
	OnField     string // the ShowIf field's input name, for the script that hides the field
	OnValue     string
	// Search: a person field with more people than it lists, which a
	// search box above it narrows (peopleOptions); Found says so.
	Search bool
	Found  string
	// Listed shows the field as a list of Choices: people, places, and on
	// the answers' edit page the request's own files for an attachment.
	Listed bool
	// Saved is the answer as someone else saved it meanwhile, shown
	// beside what the person typed after a stale edit ("" when the same).
	Saved string
}

// choiceView is one option of a choice, person or place field.
type choiceView struct {
	Value, Label, Group string
}

// formView is the form of the chosen type on the new-request page.
type formView struct {
	Name   string
	Fields []formFieldView
}

// Has reports whether v is among the field's values.
func (f formFieldView) Has(v string) bool {
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}

// Value is the field's single value.
func (f formFieldView) Value() string {
	if len(f.Values) == 0 {
		return ""
	}
	return f.Values[0]
}

// formFor builds the form of type t and process for the page with the
// values sent (nil: the defaults), or nil when the type has none.
func (s *Server) formFor(r *http.Request, p *page, t beheer.Type, process string, sent url.Values) (*formView, error) {
	if !t.Valid() {
		return nil, nil
	}
	pid, _ := strconv.ParseInt(process, 10, 64)
	f, err := s.store.FormFor(r.Context(), t, pid)
	if err != nil || f == nil {
		return nil, err
	}
	return s.formViewOf(r, p, f, sent)
}

// formViewOf builds form f as the new-request page shows it; the designer's
// preview shows it so too.
func (s *Server) formViewOf(r *http.Request, p *page, f *beheer.Form, sent url.Values) (*formView, error) {
	lang := string(p.Lang)
	v := &formView{Name: textIn(f.Name, lang)}
	for _, fd := range f.Fields {
		fv := formFieldView{FormField: fd, Label: textIn(fd.Label, lang), Help: fd.Help.In(lang),
			Input: "answers." + fd.Name, ID: "answer-" + fd.Name}
		if sent != nil {
			fv.Values = sent["answers."+fd.Name]
		} else if fd.Default != "" {
			fv.Values = []string{fd.Default}
		}
		for _, c := range fd.Choices {
			fv.Choices = append(fv.Choices, choiceView{Value: c.Value, Label: textIn(c.Label, lang)})
		}
		if fd.ShowIf != nil {
			fv.OnField, fv.OnValue = "answers."+fd.ShowIf.Field, fd.ShowIf.Value
		}
		if err := s.fieldChoices(r, p, &fv); err != nil {
			return nil, err
		}
		v.Fields = append(v.Fields, fv)
	}
	return v, nil
}

// fieldChoices fills the options of a person or place field.
func (s *Server) fieldChoices(r *http.Request, p *page, fv *formFieldView) error {
	fv.Listed = fv.Kind == beheer.FieldPerson || fv.Kind == beheer.FieldPlace
	switch fv.Kind {
	case beheer.FieldPerson:
		found, err := s.personOptions(r, p, "", fv.Values)
		if err != nil {
			return err
		}
		fv.Choices, fv.Search = found.Choices, found.More
		if fv.Search {
			fv.Found = p.T("answers_edit.people_first", "count", beheer.PersonChoices)
		}
	case beheer.FieldPlace:
		areas, err := s.store.Areas(r.Context())
		if err != nil {
			return err
		}
		processes, err := s.store.Processes(r.Context())
		if err != nil {
			return err
		}
		for _, a := range beheer.ActiveAreas(areas) {
			id := strconv.FormatInt(a.ID, 10)
			fv.Choices = append(fv.Choices, choiceView{Value: id, Label: a.Name, Group: a.Name})
			for _, pr := range beheer.ActiveProcesses(processes) {
				if pr.AreaID == a.ID {
					fv.Choices = append(fv.Choices, choiceView{Value: id + "/" + strconv.FormatInt(pr.ID, 10),
						Label: beheer.ProcessName(a, pr), Group: a.Name})
				}
			}
		}
		// A place chosen before its area or process was archived stays in
		// the list, marked so: an answer keeps naming it (beheer.HeldAnswers).
		if v := fv.Value(); v != "" && !slices.ContainsFunc(fv.Choices, func(c choiceView) bool { return c.Value == v }) {
			if c, ok := archivedPlace(p, v, areas, processes); ok {
				fv.Choices = append([]choiceView{c}, fv.Choices...)
			}
		}
	}
	return nil
}

// archivedPlace is the option of place answer v whose area or process was
// archived, named and marked so; false when v names no place there is.
func archivedPlace(p *page, v string, areas []beheer.Area, processes []beheer.Process) (choiceView, bool) {
	area, process, ok := beheer.ParsePlace(v)
	i := slices.IndexFunc(areas, func(a beheer.Area) bool { return a.ID == area })
	if !ok || i < 0 {
		return choiceView{}, false
	}
	label := areas[i].Name
	if process != 0 {
		j := slices.IndexFunc(processes, func(pr beheer.Process) bool { return pr.ID == process && pr.AreaID == area })
		if j < 0 {
			return choiceView{}, false
		}
		label = beheer.ProcessName(areas[i], processes[j])
	}
	return choiceView{Value: v, Label: p.T("answers_edit.place_archived", "name", label), Group: areas[i].Name}, true
}

// textIn is a text in lang, falling back to Dutch.
func textIn(t beheer.Texts, lang string) string {
	if s := t.In(lang); s != "" {
		return s
	}
	return t.NL
}

// readAnswers reads the answers of the form the request is filed with from
// a posted form: the values of every answers.<name> sent, and for an
// attachment field its file, added to the request's attachments with the
// file name as the answer.
func (s *Server) readAnswers(r *http.Request, in *beheer.NewRequest) error {
	f, err := s.store.FormFor(r.Context(), in.Type, in.ProcessID)
	if err != nil || f == nil {
		return err
	}
	in.Answers = map[string][]string{}
	for _, fd := range f.Fields {
		key := "answers." + fd.Name
		if fd.Kind == beheer.FieldAttachment && r.MultipartForm != nil {
			for _, fh := range r.MultipartForm.File[key] {
				if fh.Filename == "" {
					continue
				}
				data, err := readPart(fh, s.store.MaxAttachmentSize()+1)
				if err != nil {
					return err
				}
				in.Attachments = append(in.Attachments, beheer.Upload{Name: fh.Filename, Data: data})
				in.Answers[fd.Name] = []string{fh.Filename}
			}
			continue
		}
		if vals, ok := r.PostForm[key]; ok {
			in.Answers[fd.Name] = vals
		}
	}
	return nil
}

// answerView is one answer as the request page shows it.
type answerView struct {
	Label, Value string
}

// answerViews shows a request's answers in the form's order, with labels
// and values in the reader's language (answerReader).
func (ar *answerReader) views(answers []beheer.Answer) []answerView {
	var out []answerView
	for _, a := range answers {
		fd := ar.field(a.Field)
		if fd == nil {
			continue
		}
		shown := make([]string, len(a.Values))
		for i, v := range a.Values {
			shown[i] = ar.text(fd, v)
		}
		out = append(out, answerView{Label: textIn(fd.Label, string(ar.p.Lang)), Value: strings.Join(shown, ", ")})
	}
	return out
}

// answerWords are the page's words for showing answers (beheer.ShowValue),
// with the names the answers refer to and how a date reads.
func answerWords(p *page, names store.AnswerNames, day func(time.Time) string) beheer.AnswerWords {
	return beheer.AnswerWords{Lang: string(p.Lang), Yes: p.T("form.yes"), No: p.T("form.no"), Day: day, Name: names.Name}
}

// answerFields are the fields of the active forms, each name once, for the
// queue's answer filter.
func (s *Server) answerFields(r *http.Request, p *page) ([]choiceView, error) {
	forms, err := s.store.CurrentForms(r.Context())
	if err != nil {
		return nil, err
	}
	var out []choiceView
	seen := map[string]bool{}
	for _, f := range forms {
		for _, fd := range f.Fields {
			if seen[fd.Name] || fd.Kind == beheer.FieldAttachment || fd.Kind == beheer.FieldLongText {
				continue
			}
			seen[fd.Name] = true
			out = append(out, choiceView{Value: fd.Name, Label: textIn(fd.Label, string(p.Lang)), Group: textIn(f.Name, string(p.Lang))})
		}
	}
	return out, nil
}
