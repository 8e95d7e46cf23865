package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// A person's privacy (AVG): everything Beheer holds about them as a
// download, and their anonymisation behind a page that says what goes
// and what stays. Both write an audit row (the store's).

// privacyView is the privacy page of one person.
type privacyView struct {
	Person     *beheer.User
	Footprint  *store.PersonFootprint
	Self       bool // the page is about the person looking at it
	Anonymous  bool // already anonymised
	AnonName   string
	AnonEmail  string
	Done       string
	ConfirmErr string
}

func (s *Server) privacyData(r *http.Request, p *page, id int64) (*privacyView, error) {
	if err := beheer.CheckExportPerson(p.Actor, id); err != nil || !p.Actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		return nil, err
	}
	fp, err := s.store.Footprint(r.Context(), p.Actor, id)
	if err != nil {
		return nil, err
	}
	name, email := beheer.AnonymousPerson(id)
	return &privacyView{Person: u, Footprint: fp, Self: id == p.Actor.UserID, Anonymous: u.Email == email,
		AnonName: name, AnonEmail: email, Done: r.URL.Query().Get("done")}, nil
}

func (s *Server) renderPrivacy(w http.ResponseWriter, status int, p *page, v *privacyView) {
	p.Title, p.Data = p.T("admin.privacy.title", "name", v.Person.Name), v
	s.render(w, status, "privacy", "", p)
}

// privacyPage shows the export and the anonymisation of one person.
func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.privacyData(r, p, id)
	if err != nil {
		return err
	}
	s.renderPrivacy(w, http.StatusOK, p, v)
	return nil
}

// personExport downloads everything about a person as JSON.
func (s *Server) personExport(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.store.ExportPerson(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	name := "persoonsgegevens-" + strconv.FormatInt(id, 10) + "-" + s.now().In(s.zone).Format("2006-01-02") + ".json"
	attachment(w, "application/json; charset=utf-8", name)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// personAnonymise anonymises a person once the box confirming it is
// ticked.
func (s *Server) personAnonymise(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if strings.TrimSpace(r.PostFormValue("confirm")) == "" {
		v, err := s.privacyData(r, p, id)
		if err != nil {
			return err
		}
		v.ConfirmErr = p.T("admin.privacy.confirm_needed")
		p.Flash = v.ConfirmErr
		s.renderPrivacy(w, http.StatusUnprocessableEntity, p, v)
		return nil
	}
	if err := s.store.Anonymise(r.Context(), p.Actor, id); err != nil {
		return p.showRefused(r, "anonymise", err, func(f formRefusal) error {
			v, err := s.privacyData(r, p, id)
			if err != nil {
				return err
			}
			s.renderPrivacy(w, f.Status, p, v)
			return nil
		})
	}
	redirect(w, r, "/people/"+strconv.FormatInt(id, 10)+"/privacy?done=anonymised")
	return nil
}
