package server

import (
	"net/http"
	"strconv"
	"time"

	"beheer"
)

// The organisation profile's JSON API under /api/v1/profile.

// apiProfile is the organisation profile as it stands.
type apiProfile struct {
	Roles                []apiProfileRole `json:"roles"`
	Users                int              `json:"users"`
	Contacts             []apiContact     `json:"contacts"`
	SupportIncidentsOnly bool             `json:"support_incidents_only"`
}

// apiProfileRole is one role with the people who hold it.
type apiProfileRole struct {
	Role             string          `json:"role"`
	Responsibilities []string        `json:"responsibilities"`
	People           []apiRoleHolder `json:"people"`
}

// apiRoleHolder is a person holding a role, for one area or (area null) all.
type apiRoleHolder struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Email string  `json:"email"`
	Area  *string `json:"area"`
}

// apiContact is an outside contact of a channel.
type apiContact struct {
	ID                        int64     `json:"id"`
	Channel                   string    `json:"channel"`
	Name                      string    `json:"name"`
	Organisation              string    `json:"organisation"`
	Email                     string    `json:"email"`
	Phone                     string    `json:"phone"`
	MaySubmitSupportIncidents bool      `json:"may_submit_support_incidents"`
	UserID                    int64     `json:"user_id,omitempty"` // one of the organisation's own people
	UpdatedAt                 time.Time `json:"updated_at"`
}

func toAPIContact(c *beheer.ChannelContact) apiContact {
	return apiContact{c.ID, string(c.Channel), c.Name, c.Organisation, c.Email, c.Phone, c.MaySubmitSupportIncidents,
		c.UserID, c.UpdatedAt}
}

// profileRoles are the roles the profile describes, in the seed's order.
var profileRoles = []beheer.Role{beheer.RoleManagement, beheer.RoleUser, beheer.RoleKeyUser, beheer.RoleFunctionalAdmin,
	beheer.RoleTechnicalAdmin}

// responsibilities are the catalogue texts of what a role is responsible
// for (profile.resp.ROLE.1, .2, …).
func (s *Server) responsibilities(r *http.Request, role beheer.Role) []string {
	lang := s.lang(r)
	var out []string
	for i := 1; i < 30; i++ {
		key := "profile.resp." + string(role) + "." + strconv.Itoa(i)
		if !s.catalog.Has(key) {
			break
		}
		out = append(out, s.catalog.T(lang, key))
	}
	return out
}

func (s *Server) apiGetProfile(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	p, err := s.store.Profile(r.Context(), a)
	if err != nil {
		return err
	}
	out := apiProfile{Users: p.Users, Contacts: []apiContact{}, SupportIncidentsOnly: p.Policy.SupportIncidentsOnly}
	for _, role := range profileRoles {
		pr := apiProfileRole{Role: string(role), Responsibilities: s.responsibilities(r, role), People: []apiRoleHolder{}}
		for _, h := range p.HoldersOf(role) {
			rh := apiRoleHolder{ID: h.UserID, Name: h.Name, Email: h.Email}
			if h.AreaName != "" {
				rh.Area = &h.AreaName
			}
			pr.People = append(pr.People, rh)
		}
		out.Roles = append(out.Roles, pr)
	}
	for i := range p.Contacts {
		out.Contacts = append(out.Contacts, toAPIContact(&p.Contacts[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) readContactJSON(w http.ResponseWriter, r *http.Request) (beheer.ContactInput, error) {
	var in beheer.ContactInput
	var channel string
	err := s.decodeJSON(w, r, fields{"channel": &channel, "name": &in.Name, "organisation": &in.Organisation,
		"email": &in.Email, "phone": &in.Phone, "may_submit_support_incidents": &in.MaySubmitSupportIncidents,
		"user_id": &in.UserID})
	in.Channel = beheer.Channel(channel)
	return in, err
}

func (s *Server) apiAddContact(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, err := s.readContactJSON(w, r)
	if err != nil {
		return err
	}
	c, err := s.store.AddContact(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIContact(c))
	return nil
}

func (s *Server) apiPutContact(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := s.readContactJSON(w, r)
	if err != nil {
		return err
	}
	c, err := s.store.UpdateContact(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIContact(c))
	return nil
}

func (s *Server) apiDeleteContact(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteContact(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
