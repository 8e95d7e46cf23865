package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"beheer"
)

// closureView is the page that sets how Optimalisatie ends: the settings as
// saved, or as entered when they were refused.
type closureView struct {
	CloseAtRating, PoorRating, CloseAfterDays string
	Refused                                   formRefusal
}

// closureForm reads the form's numbers; an empty field is 0 (off), text
// that is no whole number is said beside its field.
func closureForm(r *http.Request) (beheer.Closure, error) {
	var c beheer.Closure
	var v beheer.Validation
	for name, into := range map[string]*int{"close_at_rating": &c.CloseAtRating, "poor_rating": &c.PoorRating,
		"close_after_days": &c.CloseAfterDays} {
		raw := strings.TrimSpace(r.PostFormValue(name))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Add(name, "field.wrong_type")
		}
		*into = n
	}
	var rules *beheer.Error
	if errors.As(c.Validate(), &rules) {
		for _, f := range rules.Fields {
			if !v.Has(f.Field) {
				v.Fields = append(v.Fields, f)
			}
		}
	}
	return c, orderFields(v.Err(), "close_at_rating", "poor_rating", "close_after_days")
}

// orderFields puts a validation's fields in the form's order, so the error
// summary reads top to bottom.
func orderFields(err error, order ...string) error {
	var be *beheer.Error
	if !errors.As(err, &be) {
		return err
	}
	var sorted []beheer.FieldError
	for _, name := range order {
		for _, f := range be.Fields {
			if f.Field == name {
				sorted = append(sorted, f)
			}
		}
	}
	be.Fields = sorted
	return be
}

func (s *Server) closurePage(w http.ResponseWriter, r *http.Request, p *page) error {
	c, err := s.store.Closure(r.Context())
	if err != nil {
		return err
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = p.T("closure.saved")
	}
	return s.showClosure(w, p, http.StatusOK, closureView{CloseAtRating: strconv.Itoa(c.CloseAtRating),
		PoorRating: strconv.Itoa(c.PoorRating), CloseAfterDays: strconv.Itoa(c.CloseAfterDays)})
}

func (s *Server) showClosure(w http.ResponseWriter, p *page, status int, v closureView) error {
	p.Title, p.Data = p.T("closure.title"), v
	s.render(w, status, "closure", "", p)
	return nil
}

// saveClosure saves the settings and goes back to the page; a refusal shows
// the form again with what was entered.
func (s *Server) saveClosure(w http.ResponseWriter, r *http.Request, p *page) error {
	c, err := closureForm(r)
	if err == nil {
		err = s.store.SetClosure(r.Context(), p.Actor, c)
	}
	if err == nil {
		redirect(w, r, "/settings/closure?saved=1")
		return nil
	}
	return p.showRefused(r, "closure", err, func(f formRefusal) error {
		p.Flash = "" // the error summary says it, with a link to each field
		return s.showClosure(w, p, f.Status, closureView{CloseAtRating: f.Val("closure", "close_at_rating", ""),
			PoorRating: f.Val("closure", "poor_rating", ""), CloseAfterDays: f.Val("closure", "close_after_days", ""), Refused: f})
	})
}

// apiGetClosure answers how Optimalisatie ends; everyone signed in may
// read it.
func (s *Server) apiGetClosure(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	c, err := s.store.Closure(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiPutClosure replaces the settings; every member is required.
func (s *Server) apiPutClosure(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var closeAt, poor, days *int
	if err := s.decodeJSON(w, r, fields{"close_at_rating": &closeAt, "poor_rating": &poor, "close_after_days": &days}); err != nil {
		return err
	}
	var v beheer.Validation
	var c beheer.Closure
	for _, m := range []struct {
		name string
		in   *int
		into *int
	}{{"close_at_rating", closeAt, &c.CloseAtRating}, {"poor_rating", poor, &c.PoorRating}, {"close_after_days", days, &c.CloseAfterDays}} {
		if m.in == nil {
			v.Add(m.name, "field.required")
			continue
		}
		*m.into = *m.in
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.store.SetClosure(r.Context(), a, c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
