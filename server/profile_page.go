package server

import (
	"net/http"
	"strconv"

	"beheer"
)

// The organisation profile's pages: the profile with its contact forms,
// the same as a document to print, and as a .docx download. Both documents
// are built from the live data on every request.

// profileView is the data of the profile page.
type profileView struct {
	formRefusal
	Doc     *profileDoc
	CanKeep bool
	Edit    int64 // the contact being edited
}

// Roles lists the roles the profile shows, with their holders.
func (v profileView) Roles() []beheer.Role { return profileRoles }

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showProfile(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showProfile(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	d, err := s.loadProfileDoc(r, p.Actor)
	if err != nil {
		return err
	}
	edit, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64)
	p.Title = p.T("profile.title")
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = profileView{formRefusal: fe, Doc: d, CanKeep: beheer.CanKeepProfile(p.Actor), Edit: edit}
	s.render(w, status, "profile", "", p)
	return nil
}

// Responsibilities lists what a role is responsible for, from the catalogue.
func (p *page) Responsibilities(role beheer.Role) []string { return p.s.responsibilitiesLang(p, role) }

func (s *Server) profilePrint(w http.ResponseWriter, r *http.Request, p *page) error {
	d, err := s.loadProfileDoc(r, p.Actor)
	if err != nil {
		return err
	}
	p.Title = p.T("profile.title")
	p.Data = d.blocks(p)
	s.render(w, http.StatusOK, "profile", "profile-document", p)
	return nil
}

func (s *Server) profileDocx(w http.ResponseWriter, r *http.Request, p *page) error {
	d, err := s.loadProfileDoc(r, p.Actor)
	if err != nil {
		return err
	}
	data, err := writeDocx(d.blocks(p))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", `attachment; filename="beheerorganisatie.docx"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
	return nil
}

func readContactForm(r *http.Request) beheer.ContactInput {
	return beheer.ContactInput{Channel: beheer.Channel(r.PostFormValue("channel")), Name: r.PostFormValue("name"),
		Organisation: r.PostFormValue("organisation"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		MaySubmitSupportIncidents: r.PostFormValue("may_submit") != ""}
}

func (s *Server) profileFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showProfile(w, r, p, fe.Status, fe) })
}

func (s *Server) addContact(w http.ResponseWriter, r *http.Request, p *page) error {
	if _, err := s.store.AddContact(r.Context(), p.Actor, readContactForm(r)); err != nil {
		return s.profileFailed(w, r, p, "contact", err)
	}
	redirect(w, r, "/profile?done=contact#contacts")
	return nil
}

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.UpdateContact(r.Context(), p.Actor, id, readContactForm(r)); err != nil {
		return s.profileFailed(w, r, p, "contact-"+strconv.FormatInt(id, 10), err)
	}
	redirect(w, r, "/profile?done=contact#contacts")
	return nil
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteContact(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/profile?done=removed#contacts")
	return nil
}
