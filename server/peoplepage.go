package server

import (
	"net/http"
	"strconv"
	"strings"

	"beheer"
)

// peopleView is the people and roles page: everyone, their roles per area,
// and the form to add a person.
type peopleView struct {
	People []*beheer.User
	Areas  []beheer.Area
	New    newPersonForm
	Edit   int64 // the person whose roles form is open
}

type newPersonForm struct {
	Name, Email, Lang string
	Roles             map[string]bool // "role" or "role:areaID"
}

// roleKey names a role assignment in forms: "key_user" or "key_user:3".
func roleKey(a beheer.Assignment) string {
	if a.AreaID == 0 {
		return string(a.Role)
	}
	return string(a.Role) + ":" + strconv.FormatInt(a.AreaID, 10)
}

// Holds reports whether a person holds the role (for all areas or one).
func (v *peopleView) Holds(u *beheer.User, key string) bool {
	for _, a := range u.Roles {
		if roleKey(a) == key {
			return true
		}
	}
	return false
}

// AreaName names an area by id.
func (v *peopleView) AreaName(id int64) string {
	for _, a := range v.Areas {
		if a.ID == id {
			return a.Name
		}
	}
	return ""
}

func (s *Server) peopleData(r *http.Request, p *page) (*peopleView, error) {
	people, err := s.store.Users(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, err
	}
	return &peopleView{People: people, Areas: areas, New: newPersonForm{Lang: "nl", Roles: map[string]bool{}}}, nil
}

func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.peopleData(r, p)
	if err != nil {
		return err
	}
	if ok := r.URL.Query().Get("ok"); ok == "added" || ok == "roles" || ok == "deactivated" || ok == "activated" {
		p.Flash = p.T("people.ok_" + ok)
	}
	p.Title, p.Data = p.T("people.title"), v
	s.render(w, http.StatusOK, "peoplepage", "", p)
	return nil
}

// rolesFrom reads the checked role boxes of a form.
func rolesFrom(r *http.Request) ([]beheer.Assignment, map[string]bool) {
	keys := map[string]bool{}
	var out []beheer.Assignment
	for _, k := range r.PostForm["role"] {
		roleName, area, _ := strings.Cut(k, ":")
		role := beheer.Role(roleName)
		if !role.Valid() || role == beheer.RoleUser {
			continue
		}
		a := beheer.Assignment{Role: role}
		if area != "" {
			id, err := strconv.ParseInt(area, 10, 64)
			if err != nil {
				continue
			}
			a.AreaID = id
		}
		keys[roleKey(a)] = true
		out = append(out, a)
	}
	return out, keys
}

func (s *Server) addPerson(w http.ResponseWriter, r *http.Request, p *page) error {
	r.ParseForm()
	roles, keys := rolesFrom(r)
	in := beheer.NewUser{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Lang: r.PostFormValue("lang"), Roles: roles}
	if _, err := s.store.CreateUser(r.Context(), p.Actor, in, ""); err != nil {
		if !p.formErrors(err) {
			return err
		}
		v, verr := s.peopleData(r, p)
		if verr != nil {
			return verr
		}
		v.New = newPersonForm{Name: in.Name, Email: r.PostFormValue("email"), Lang: r.PostFormValue("lang"), Roles: keys}
		p.Title, p.Data = p.T("people.title"), v
		s.render(w, http.StatusUnprocessableEntity, "peoplepage", "", p)
		return nil
	}
	redirect(w, r, "/people?ok=added")
	return nil
}

func (s *Server) setPersonRoles(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	r.ParseForm()
	roles, _ := rolesFrom(r)
	if id == p.User.ID && !holdsUnscoped(roles, beheer.RoleFunctionalAdmin) {
		return beheer.Errorf(beheer.CodeConflict, "people.keep_own_admin")
	}
	if err := s.store.SetRoles(r.Context(), p.Actor, id, roles); err != nil {
		return err
	}
	redirect(w, r, "/people?ok=roles#person-"+strconv.FormatInt(id, 10))
	return nil
}

func holdsUnscoped(roles []beheer.Assignment, role beheer.Role) bool {
	for _, a := range roles {
		if a.Role == role && a.AreaID == 0 {
			return true
		}
	}
	return false
}

func (s *Server) setPersonActive(active bool) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if id == p.User.ID && !active {
			return beheer.Errorf(beheer.CodeConflict, "people.not_yourself")
		}
		if err := s.store.SetActive(r.Context(), p.Actor, id, active); err != nil {
			return err
		}
		ok := "activated"
		if !active {
			ok = "deactivated"
		}
		redirect(w, r, "/people?ok="+ok)
		return nil
	}
}
