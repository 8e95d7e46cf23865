package server

import (
	"net/http"
	"strconv"

	"beheer"
)

// answersView is the page of standard answers: the list, and the form to
// add one or to change the one being edited.
type answersView struct {
	formRefusal
	Answers []beheer.StandardAnswer
	Edit    *beheer.StandardAnswer // nil: the form adds a new one
	Areas   []beheer.Area          // the areas this person keeps answers for
	// AllAreas: the person may keep answers for every area.
	AllAreas     bool
	Statuses     []beheer.Status
	Phases       []beheer.Phase
	Placeholders []string
}

// Val is what the form shows for a field: what was typed after a refusal,
// otherwise the answer being edited.
func (v *answersView) Val(field, stored string) string {
	return v.formRefusal.Val("answer", field, stored)
}

func (s *Server) answersPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showAnswers(w, r, p, http.StatusOK, nil, formRefusal{})
}

// answerPage shows the list with one answer in the form, to change it.
func (s *Server) answerPage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.store.StandardAnswer(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	return s.showAnswers(w, r, p, http.StatusOK, a, formRefusal{})
}

func (s *Server) showAnswers(w http.ResponseWriter, r *http.Request, p *page, status int, edit *beheer.StandardAnswer, fe formRefusal) error {
	list, err := s.store.StandardAnswers(r.Context(), p.Actor, 0)
	if err != nil {
		return err
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return err
	}
	v := &answersView{formRefusal: fe, Edit: edit, AllAreas: beheer.CanManageAnswers(p.Actor, 0),
		Statuses: beheer.AnswerStatuses(), Phases: beheer.AnswerPhases(), Placeholders: beheer.Placeholders}
	for _, a := range list {
		if beheer.CanManageAnswers(p.Actor, a.AreaID) {
			v.Answers = append(v.Answers, a)
		}
	}
	for _, a := range areas {
		if beheer.CanManageAnswers(p.Actor, a.ID) {
			v.Areas = append(v.Areas, a)
		}
	}
	if p.Flash == "" {
		if d := r.URL.Query().Get("done"); d == "saved" || d == "added" || d == "removed" {
			p.Flash = p.T("answer.done." + d)
		}
	}
	p.Title, p.Data = p.T("answer.title"), v
	s.render(w, status, "answers", "", p)
	return nil
}

// answerForm reads the answer form.
func answerForm(r *http.Request) (beheer.StandardAnswer, error) {
	var v beheer.Validation
	a := beheer.StandardAnswer{AreaID: formID(r, "area", &v), Title: r.PostFormValue("title"), Body: formText(r, "body"),
		SetStatus: beheer.Status(r.PostFormValue("set_status")), SetPhase: beheer.Phase(r.PostFormValue("set_phase"))}
	return a, v.Err()
}

func (s *Server) createAnswer(w http.ResponseWriter, r *http.Request, p *page) error {
	a, err := answerForm(r)
	if err == nil {
		_, err = s.store.CreateStandardAnswer(r.Context(), p.Actor, a)
	}
	if err != nil {
		return p.showRefused(r, "answer", err, func(fe formRefusal) error {
			return s.showAnswers(w, r, p, fe.Status, nil, fe)
		})
	}
	redirect(w, r, "/answers?done=added")
	return nil
}

func (s *Server) updateAnswer(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	var a beheer.StandardAnswer
	if err == nil {
		a, err = answerForm(r)
	}
	if err == nil {
		_, err = s.store.UpdateStandardAnswer(r.Context(), p.Actor, id, version, a)
	}
	if err != nil {
		return p.showRefused(r, "answer", err, func(fe formRefusal) error {
			old, lerr := s.store.StandardAnswer(r.Context(), p.Actor, id)
			if lerr != nil {
				return lerr
			}
			return s.showAnswers(w, r, p, fe.Status, old, fe)
		})
	}
	redirect(w, r, "/answers?done=saved")
	return nil
}

func (s *Server) deleteAnswer(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.store.DeleteStandardAnswer(r.Context(), p.Actor, id, version); err != nil {
		return err
	}
	redirect(w, r, "/answers?done=removed")
	return nil
}
