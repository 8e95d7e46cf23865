package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// The form designer: a functional admin sees the forms per request type
// and process, starts one blank or from a ready-made form, and changes it
// one field at a time with plain forms — no JSON. Every change saves a new
// version through the same store function as the API, based on the
// version the page showed, so a stale page is refused rather than
// overwriting someone else's change.

// formRow is one form in the list.
type formRow struct {
	beheer.Form
	Name, Process string
}

// formsView is the list of forms and the form to start a new one.
type formsView struct {
	formRefusal
	Forms     []formRow
	Types     [][2]string
	Processes [][2]string
	Templates [][2]string
}

// designField is one field as the designer lists it.
type designField struct {
	beheer.FormField
	Label, KindName, Condition string
}

// fieldEditor is the form that adds or changes one field.
type fieldEditor struct {
	At                 string // the name of the field changed, "" to add one
	Field              beheer.FormField
	Choices, Min, Max  string
	Earlier            [][2]string
	ShowField, ShowVal string
}

// RequiredText is the required box's value as a form would send it.
func (e fieldEditor) RequiredText() string {
	if e.Field.Required {
		return "1"
	}
	return ""
}

// designerView is one form in the designer, with its preview in Form (as
// the new-request page's form partial reads it).
type designerView struct {
	formRefusal
	Def       *beheer.Form
	Name      string
	Process   string
	Fields    []designField
	Editor    fieldEditor
	Types     [][2]string
	Processes [][2]string
	Form      *formView
}

// processOptions are every active process as "area – process", after a
// first option for every process.
func (s *Server) processOptions(r *http.Request, p *page) ([][2]string, map[int64]string, error) {
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, nil, err
	}
	processes, err := s.store.Processes(r.Context())
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	out := [][2]string{{"0", p.T("forms.every_process")}}
	for _, a := range areas {
		for _, pr := range processes {
			if pr.AreaID != a.ID {
				continue
			}
			names[pr.ID] = beheer.ProcessName(a, pr)
			if pr.ArchivedAt.IsZero() && a.ArchivedAt.IsZero() {
				out = append(out, [2]string{strconv.FormatInt(pr.ID, 10), names[pr.ID]})
			}
		}
	}
	return out, names, nil
}

// FieldKindOptions are the kinds of field, by name, for a select.
func (p *page) FieldKindOptions() [][2]string {
	var out [][2]string
	for _, k := range beheer.FieldKinds {
		out = append(out, [2]string{string(k), p.T("forms.kind." + string(k))})
	}
	return out
}

// typeOptions are the request types by the organisation's names.
func typeOptions(p *page) [][2]string {
	var out [][2]string
	for _, t := range beheer.Types {
		out = append(out, [2]string{string(t), p.Name(t)})
	}
	return out
}

// The designer is for those who manage the settings of every area (the
// route's gate lets an area's functional admin through).
func (s *Server) formsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanManageSettings(p.Actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	return s.showForms(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showForms(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	forms, err := s.store.Forms(r.Context())
	if err != nil {
		return err
	}
	procs, names, err := s.processOptions(r, p)
	if err != nil {
		return err
	}
	v := formsView{formRefusal: fe, Types: typeOptions(p), Processes: procs,
		Templates: [][2]string{{"", p.T("forms.blank")}}}
	for _, f := range forms {
		row := formRow{Form: f, Name: textIn(f.Name, string(p.Lang)), Process: names[f.ProcessID]}
		if f.ProcessID == 0 {
			row.Process = p.T("forms.every_process")
		}
		v.Forms = append(v.Forms, row)
	}
	for _, t := range beheer.FormTemplates() {
		v.Templates = append(v.Templates, [2]string{t.Key, textIn(t.Form.Name, string(p.Lang))})
	}
	if p.Flash == "" {
		p.Flash = formsDone(p, r)
	}
	p.Title, p.Data = p.T("forms.title"), v
	s.render(w, status, "forms", "", p)
	return nil
}

// formsDone is the notice after a change, from ?done=.
func formsDone(p *page, r *http.Request) string {
	if done := r.URL.Query().Get("done"); done != "" && p.s.catalog.Has("forms.done."+done) {
		return p.T("forms.done." + done)
	}
	return ""
}

// createForm starts a form: from a ready-made form, or blank with its
// first question.
func (s *Server) createForm(w http.ResponseWriter, r *http.Request, p *page) error {
	f := beheer.Form{Type: beheer.Type(r.PostFormValue("type")), Name: texts2(r, "name")}
	f.ProcessID, _ = strconv.ParseInt(r.PostFormValue("process"), 10, 64)
	var err error
	if key := r.PostFormValue("template"); key != "" {
		t, ok := beheer.FormFromTemplate(key)
		if !ok {
			err = beheer.Invalid("template", "field.invalid")
		}
		f.Fields = t.Fields
		if f.Name.NL == "" {
			f.Name = t.Name
		}
	} else {
		first := beheer.FormField{Kind: beheer.FieldKind(r.PostFormValue("first_kind")), Label: beheer.Texts{NL: r.PostFormValue("first_label")}}
		first.Name = beheer.FieldNameFrom(first.Label.NL)
		if strings.TrimSpace(first.Label.NL) == "" {
			err = beheer.Invalid("first_label", "field.required")
		}
		if first.Kind.HasChoices() {
			first.Choices = []beheer.Choice{{Value: "ja"}, {Value: "nee"}}
		}
		f.Fields = []beheer.FormField{first}
	}
	var saved *beheer.Form
	if err == nil {
		saved, err = s.store.SaveForm(r.Context(), p.Actor, f, 0)
	}
	if err != nil {
		return p.showRefused(r, "new", designerErr(err, "first_"), func(fe formRefusal) error { return s.showForms(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, "/forms/"+strconv.FormatInt(saved.ID, 10)+"?done=created")
	return nil
}

// designerErr renames the fields of a refused save for the page's inputs:
// the form's own (name.nl → name_nl) and those of fields.0 — the field the
// page was changing — with prefix (fields.0.label.nl → <prefix>label_nl;
// every message about its choices belongs to the one choices box).
func designerErr(err error, prefix string) error {
	var be *beheer.Error
	if !errors.As(err, &be) || len(be.Fields) == 0 {
		return err
	}
	out := *be
	out.Fields = nil
	for _, fe := range be.Fields {
		name := fe.Field
		if rest, ok := strings.CutPrefix(name, "fields.0."); ok && prefix != "" {
			if strings.HasPrefix(rest, "choices") {
				rest = "choices"
			}
			name = prefix + rest
		} else if strings.HasPrefix(name, "fields.") {
			name = "fields"
		}
		out.Fields = append(out.Fields, beheer.FieldError{Field: strings.ReplaceAll(name, ".", "_"), Key: fe.Key, Args: fe.Args})
	}
	return &out
}

// formErr names a refusal's fields for the designer's inputs.
func formErr(err error) error { return designerErr(err, "") }

// designerFieldErr moves the messages about the field at i to fields.0,
// for designerErr.
func designerFieldErr(err error, i int) error {
	var be *beheer.Error
	if !errors.As(err, &be) {
		return err
	}
	out := *be
	out.Fields = make([]beheer.FieldError, len(be.Fields))
	at := "fields." + strconv.Itoa(i) + "."
	for k, fe := range be.Fields {
		if rest, ok := strings.CutPrefix(fe.Field, at); ok {
			fe.Field = "fields.0." + rest
		} else if strings.HasPrefix(fe.Field, "fields.0.") {
			fe.Field = "fields.x." + strings.TrimPrefix(fe.Field, "fields.0.")
		}
		out.Fields[k] = fe
	}
	return designerErr(&out, "field_")
}

func (s *Server) designerPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !beheer.CanManageSettings(p.Actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	f, err := s.formAt(r)
	if err != nil {
		return err
	}
	return s.showDesigner(w, r, p, f, r.URL.Query().Get("edit"), http.StatusOK, formRefusal{})
}

// showDesigner shows form f with the field named edit in the editor (""
// for a new field).
func (s *Server) showDesigner(w http.ResponseWriter, r *http.Request, p *page, f *beheer.Form, edit string, status int, fe formRefusal) error {
	lang := string(p.Lang)
	procs, names, err := s.processOptions(r, p)
	if err != nil {
		return err
	}
	v := designerView{formRefusal: fe, Def: f, Name: textIn(f.Name, lang), Process: names[f.ProcessID],
		Types: typeOptions(p), Processes: procs}
	if f.ProcessID == 0 {
		v.Process = p.T("forms.every_process")
	}
	editing := f.Field(edit)
	ed := fieldEditor{Field: beheer.FormField{Kind: beheer.FieldText}}
	if editing != nil {
		ed.At, ed.Field = edit, *editing
	}
	ed.Earlier = [][2]string{{"", p.T("forms.always")}}
	for _, fd := range f.Fields {
		d := designField{FormField: fd, Label: textIn(fd.Label, lang), KindName: p.T("forms.kind." + string(fd.Kind))}
		if c := fd.ShowIf; c != nil {
			if on := f.Field(c.Field); on != nil {
				shown := beheer.ShowValue(on, c.Value, answerWords(p, store.AnswerNames{}, p.Date))
				d.Condition = p.T("forms.shown_when", "field", textIn(on.Label, lang), "value", shown)
			}
		}
		v.Fields = append(v.Fields, d)
	}
	for _, fd := range f.Fields {
		if fd.Name == edit {
			break
		}
		if fd.Kind != beheer.FieldAttachment && fd.Kind != beheer.FieldLongText {
			ed.Earlier = append(ed.Earlier, [2]string{fd.Name, textIn(fd.Label, lang)})
		}
	}
	ed.Choices = beheer.ChoicesText(ed.Field.Choices)
	ed.Min, ed.Max = numberText(ed.Field.Min), numberText(ed.Field.Max)
	if c := ed.Field.ShowIf; c != nil {
		ed.ShowField, ed.ShowVal = c.Field, c.Value
	}
	v.Editor = ed
	if v.Form, err = s.formViewOf(r, p, f, nil); err != nil {
		return err
	}
	if p.Flash == "" {
		p.Flash = formsDone(p, r)
	}
	p.Title, p.Data = v.Name, v
	s.render(w, status, "formdesigner", "", p)
	return nil
}

// numberText writes an optional number for an input.
func numberText(n *float64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatFloat(*n, 'f', -1, 64)
}

// designerForm reads the form and the version the page showed.
func (s *Server) designerForm(r *http.Request) (*beheer.Form, int64, error) {
	f, err := s.formAt(r)
	if err != nil {
		return nil, 0, err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return f, version, nil
}

// designerSave saves f as the page's change (unless reading it was
// refused already: err) and goes back to the designer, or shows the refusal
// in form, its fields named for the page by named, with the field edit in
// the editor.
func (s *Server) designerSave(w http.ResponseWriter, r *http.Request, p *page, old *beheer.Form, f beheer.Form, version int64,
	form, edit string, err error, named func(error) error) error {
	if err == nil {
		_, err = s.store.SaveForm(r.Context(), p.Actor, f, version)
	}
	if err != nil {
		err = named(err)
		return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showDesigner(w, r, p, old, edit, fe.Status, fe) })
	}
	redirect(w, r, "/forms/"+strconv.FormatInt(f.ID, 10)+"?done=saved#fields")
	return nil
}

// saveFormHead saves the form's name, type and process.
func (s *Server) saveFormHead(w http.ResponseWriter, r *http.Request, p *page) error {
	old, version, err := s.designerForm(r)
	if err != nil {
		return err
	}
	f := *old
	f.Name, f.Type = texts2(r, "name"), beheer.Type(r.PostFormValue("type"))
	f.ProcessID, _ = strconv.ParseInt(r.PostFormValue("process"), 10, 64)
	return s.designerSave(w, r, p, old, f, version, "head", "", nil, formErr)
}

// readField reads the field editor.
func readField(r *http.Request) (beheer.FormField, error) {
	var v beheer.Validation
	fd := beheer.FormField{Name: strings.TrimSpace(r.PostFormValue("field_name")), Kind: beheer.FieldKind(r.PostFormValue("field_kind")),
		Label: texts2(r, "field_label"), Help: texts2(r, "field_help"), Required: r.PostFormValue("field_required") != "",
		Choices: beheer.ParseChoices(r.PostFormValue("field_choices")), Default: r.PostFormValue("field_default")}
	if fd.Name == "" {
		fd.Name = beheer.FieldNameFrom(fd.Label.NL)
	}
	for _, n := range []struct {
		in  string
		out **float64
	}{{"field_min", &fd.Min}, {"field_max", &fd.Max}} {
		s := strings.TrimSpace(strings.Replace(r.PostFormValue(n.in), ",", ".", 1))
		if s == "" {
			continue
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			v.Add(n.in, "form.not_a_number")
			continue
		}
		*n.out = &x
	}
	if on := r.PostFormValue("field_show_if_field"); on != "" {
		fd.ShowIf = &beheer.Condition{Field: on, Value: r.PostFormValue("field_show_if_value")}
	}
	return fd, v.Err()
}

// texts2 reads a text pair named field_nl and field_en.
func texts2(r *http.Request, field string) beheer.Texts {
	return beheer.Texts{NL: r.PostFormValue(field + "_nl"), EN: r.PostFormValue(field + "_en")}
}

// putFormField adds a field, or changes the one named at.
func (s *Server) putFormField(w http.ResponseWriter, r *http.Request, p *page) error {
	old, version, err := s.designerForm(r)
	if err != nil {
		return err
	}
	at := r.PostFormValue("at")
	f := *old
	fd, err := readField(r)
	i := 0
	if err == nil {
		f.Fields, i, err = beheer.PutField(old.Fields, at, fd)
	}
	return s.designerSave(w, r, p, old, f, version, "field", at, err, func(err error) error { return designerFieldErr(err, i) })
}

// moveFormField moves a field up or down.
func (s *Server) moveFormField(w http.ResponseWriter, r *http.Request, p *page) error {
	old, version, err := s.designerForm(r)
	if err != nil {
		return err
	}
	f := *old
	f.Fields, err = beheer.MoveField(old.Fields, r.PathValue("name"), r.PostFormValue("dir") == "up")
	return s.designerSave(w, r, p, old, f, version, "fields", "", err, formErr)
}

// removeFormField removes a field.
func (s *Server) removeFormField(w http.ResponseWriter, r *http.Request, p *page) error {
	old, version, err := s.designerForm(r)
	if err != nil {
		return err
	}
	f := *old
	f.Fields, err = beheer.RemoveField(old.Fields, r.PathValue("name"))
	return s.designerSave(w, r, p, old, f, version, "fields", "", err, formErr)
}

// archiveFormPage stops or resumes offering a form.
func (s *Server) archiveFormPage(w http.ResponseWriter, r *http.Request, p *page) error {
	old, _, err := s.designerForm(r)
	if err != nil {
		return err
	}
	archived := r.PostFormValue("archived") == "1"
	if _, err := s.store.ArchiveForm(r.Context(), p.Actor, old.ID, archived); err != nil {
		return p.showRefused(r, "state", err, func(fe formRefusal) error { return s.showDesigner(w, r, p, old, "", fe.Status, fe) })
	}
	done := "restored"
	if archived {
		done = "archived"
	}
	redirect(w, r, "/forms/"+strconv.FormatInt(old.ID, 10)+"?done="+done)
	return nil
}

// deleteFormPage deletes a form nobody filed a request with.
func (s *Server) deleteFormPage(w http.ResponseWriter, r *http.Request, p *page) error {
	old, _, err := s.designerForm(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteForm(r.Context(), p.Actor, old.ID); err != nil {
		return p.showRefused(r, "state", err, func(fe formRefusal) error { return s.showDesigner(w, r, p, old, "", fe.Status, fe) })
	}
	redirect(w, r, "/forms?done=deleted")
	return nil
}
