package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// The forms of the request types over the API, and the answers of a
// request. The portal's designer and new-request page call the same store
// functions.

func (s *Server) apiForms(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	forms, err := s.store.Forms(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(forms))
	return nil
}

// formAt reads the form the path's id names.
func (s *Server) formAt(r *http.Request) (*beheer.Form, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.Form(r.Context(), id)
}

func (s *Server) apiForm(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, err := s.formAt(r)
	if err != nil {
		return err
	}
	writeForm(w, http.StatusOK, f)
	return nil
}

// writeForm answers with one form and its version as ETag.
func writeForm(w http.ResponseWriter, status int, f *beheer.Form) {
	w.Header().Set("ETag", etag(f.Version))
	writeJSON(w, status, f)
}

func (s *Server) apiFormTemplates(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	writeJSON(w, http.StatusOK, itemsOf(beheer.FormTemplates()))
	return nil
}

// decodeForm reads a form's body.
func (s *Server) decodeForm(w http.ResponseWriter, r *http.Request) (beheer.Form, error) {
	var f beheer.Form
	err := s.decodeJSON(w, r, fields{"type": &f.Type, "process_id": &f.ProcessID, "name": &f.Name, "fields": &f.Fields})
	return f, err
}

func (s *Server) apiCreateForm(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	f, err := s.decodeForm(w, r)
	if err != nil {
		return err
	}
	saved, err := s.store.SaveForm(r.Context(), a, f, 0)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/forms/"+strconv.FormatInt(saved.ID, 10))
	writeForm(w, http.StatusCreated, saved)
	return nil
}

func (s *Server) apiPutForm(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	f, err := s.decodeForm(w, r)
	if err != nil {
		return err
	}
	f.ID = id
	saved, err := s.store.SaveForm(r.Context(), a, f, version)
	if err != nil {
		return err
	}
	writeForm(w, http.StatusOK, saved)
	return nil
}

func (s *Server) apiArchiveForm(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var archived bool
	if err := s.decodeJSON(w, r, fields{"archived": &archived}); err != nil {
		return err
	}
	f, err := s.store.ArchiveForm(r.Context(), a, id, archived)
	if err != nil {
		return err
	}
	writeForm(w, http.StatusOK, f)
	return nil
}

func (s *Server) apiDeleteForm(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteForm(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// answersIn reads answers from JSON: per field a string, a number, true or
// false, or a list of strings (a multiple choice); null is no answer.
func answersIn(raw map[string]json.RawMessage, v *beheer.Validation) map[string][]string {
	if raw == nil {
		return nil
	}
	out := make(map[string][]string, len(raw))
	for name, val := range raw {
		if vals, ok := answerIn(val); ok {
			out[name] = vals
		} else {
			v.Add("answers."+name, "field.wrong_type")
		}
	}
	return out
}

// answerIn reads one answer, decoding it once as what its first byte says
// it is; false when it is none of what answersIn accepts.
func answerIn(val json.RawMessage) ([]string, bool) {
	if len(val) == 0 {
		return nil, false
	}
	switch val[0] {
	case '[':
		var list []string
		err := json.Unmarshal(val, &list)
		return list, err == nil
	case '"':
		var s string
		err := json.Unmarshal(val, &s)
		return []string{s}, err == nil
	case 't', 'f':
		var b bool
		err := json.Unmarshal(val, &b)
		return []string{strconv.FormatBool(b)}, err == nil
	case 'n':
		return nil, string(val) == "null"
	default:
		var f float64
		err := json.Unmarshal(val, &f)
		return []string{strconv.FormatFloat(f, 'f', -1, 64)}, err == nil
	}
}

// answersOut writes answers as JSON values: a list for a multiple choice,
// a number, true or false, or a string.
func answersOut(answers []beheer.Answer) map[string]any {
	out := map[string]any{}
	for _, a := range answers {
		switch {
		case a.Kind == beheer.FieldMulti:
			out[a.Field] = a.Values
		case a.Number != nil:
			out[a.Field] = *a.Number
		case a.Kind == beheer.FieldYesNo:
			out[a.Field] = a.Values[0] == "true"
		default:
			out[a.Field] = a.Value()
		}
	}
	return out
}

func (s *Server) apiGetAnswers(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, answers, err := s.store.Answers(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, answersOut(answers))
	return nil
}

func (s *Server) apiPutAnswers(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := s.decodeJSON(w, r, fields{"answers": &raw}); err != nil {
		return err
	}
	var v beheer.Validation
	in := answersIn(raw, &v)
	if err := v.Err(); err != nil {
		return err
	}
	req, err := s.store.UpdateAnswers(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusOK, req)
	return nil
}

// answerFilters reads answer.<field>=<value> from a list's query string,
// and the queue form's answer_field and answer_value, in name order.
func answerFilters(q url.Values) []store.AnswerFilter {
	var out []store.AnswerFilter
	for k, vals := range q {
		if field, ok := strings.CutPrefix(k, "answer."); ok && len(vals) > 0 {
			out = append(out, store.AnswerFilter{Field: field, Value: vals[0]})
		}
	}
	if field := strings.TrimSpace(q.Get("answer_field")); field != "" && strings.TrimSpace(q.Get("answer_value")) != "" {
		out = append(out, store.AnswerFilter{Field: field, Value: q.Get("answer_value")})
	}
	slices.SortFunc(out, func(a, b store.AnswerFilter) int { return strings.Compare(a.Field, b.Field) })
	return out
}
