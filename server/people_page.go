package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beheer"
)

// gridRoles are the roles of the role grid, in the order the page shows
// them. Everyone with an account is a user; management is never scoped.
var gridRoles = []beheer.Role{beheer.RoleKeyUser, beheer.RoleFunctionalAdmin, beheer.RoleTechnicalAdmin, beheer.RoleManagement}

// peopleView is the people and roles page: everyone (or those matching the
// search), their roles per area, and what to do with each.
type peopleView struct {
	People  []*beheer.User
	Total   int // everyone, before the search
	Areas   []beheer.Area
	Q       string // search on name or e-mail
	State   string // "", "active" or "inactive"
	Role    string // "" or a role the person holds in some area
	Refused string // why the last change was refused, shown as an alert
	// Sync is the newest people sync or import; ImportProblems every
	// problem of a CSV file just refused.
	Sync           *syncView
	ImportProblems []string
	// Employment is what the HR administration says, by person id.
	Employment map[int64]beheer.Employment
	// Departments and the areas whose key users their people become;
	// only for functional admins of every area, who may change them.
	Departments []beheer.DepartmentArea
}

// AreaName names an area by id.
func (v *peopleView) AreaName(id int64) string { return areaName(v.Areas, id) }

func areaName(areas []beheer.Area, id int64) string {
	for _, a := range areas {
		if a.ID == id {
			return a.Name
		}
	}
	return ""
}

// personView is one person's page (roles grid and account), or the form to
// add a person when Person.ID is 0.
type personView struct {
	Person  *beheer.User
	Areas   []beheer.Area
	Roles   []beheer.Role
	Keys    map[string]bool // checked boxes: "role" or "role:areaID"
	Self    bool            // the page is about the person looking at it
	Refused string
}

// roleKey names a role assignment in forms: "key_user" or "key_user:3".
func roleKey(a beheer.Assignment) string {
	if a.AreaID == 0 {
		return string(a.Role)
	}
	return string(a.Role) + ":" + strconv.FormatInt(a.AreaID, 10)
}

func roleKeys(roles []beheer.Assignment) map[string]bool {
	keys := map[string]bool{}
	for _, a := range roles {
		keys[roleKey(a)] = true
	}
	return keys
}

// Key is the form value of a role in an area (0: all areas).
func (v *personView) Key(role beheer.Role, areaID int64) string {
	return roleKey(beheer.Assignment{Role: role, AreaID: areaID})
}

// Checked reports whether the role's box is ticked.
func (v *personView) Checked(role beheer.Role, areaID int64) bool { return v.Keys[v.Key(role, areaID)] }

// peopleData loads everyone through the store, which refuses anyone who
// may not manage people; the search narrows the list.
func (s *Server) peopleData(r *http.Request, p *page) (*peopleView, error) {
	people, err := s.store.Users(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	v := &peopleView{Areas: areas, Total: len(people), Q: strings.TrimSpace(q.Get("q")), State: q.Get("state"), Role: q.Get("role"),
		Sync: s.lastSync(r, p)}
	if v.Employment, err = s.store.Employments(r.Context(), p.Actor); err != nil {
		return nil, err
	}
	if p.Actor.Can(beheer.PermUserManage, 0) {
		if v.Departments, err = s.store.DepartmentAreas(r.Context(), p.Actor); err != nil {
			return nil, err
		}
	}
	for _, u := range people {
		if v.matches(u) {
			v.People = append(v.People, u)
		}
	}
	return v, nil
}

// matches reports whether a person fits the search.
func (v *peopleView) matches(u *beheer.User) bool {
	if v.Q != "" {
		q := strings.ToLower(v.Q)
		if !strings.Contains(strings.ToLower(u.Name), q) && !strings.Contains(strings.ToLower(u.Email), q) {
			return false
		}
	}
	if (v.State == "active" && !u.Active) || (v.State == "inactive" && u.Active) {
		return false
	}
	if v.Role == "" {
		return true
	}
	for _, a := range u.Roles {
		if string(a.Role) == v.Role {
			return true
		}
	}
	return v.Role == string(beheer.RoleUser) && len(u.Roles) == 0
}

func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, p *page) error {
	v, err := s.peopleData(r, p)
	if err != nil {
		return err
	}
	if ok := r.URL.Query().Get("ok"); ok == "added" || ok == "roles" || ok == "deactivated" || ok == "activated" {
		p.Flash = p.T("people.ok_" + ok)
	}
	switch r.URL.Query().Get("ok") {
	case "department":
		p.Flash = p.T("people_import.department_saved")
	case "imported":
		p.Flash = p.T("people_import.done")
	}
	p.Title, p.Data = p.T("people.title"), v
	s.render(w, http.StatusOK, "peoplepage", "", p)
	return nil
}

// personData loads one person through the store's list, so only those who
// may manage people see them; an unknown id is not found.
func (s *Server) personData(r *http.Request, p *page, id int64) (*personView, error) {
	people, err := s.store.Users(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, err
	}
	for _, u := range people {
		if u.ID == id {
			return &personView{Person: u, Areas: gridAreas(areas, u.Roles), Roles: gridRoles, Keys: roleKeys(u.Roles), Self: id == p.User.ID}, nil
		}
	}
	return nil, beheer.ErrNotFound()
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.personData(r, p, id)
	if err != nil {
		return err
	}
	p.Title, p.Data = v.Person.Name, v
	s.render(w, http.StatusOK, "person", "", p)
	return nil
}

// gridAreas are the areas of the role grid: those in use, and archived
// ones the person still holds a role in (so saving the grid keeps it).
func gridAreas(areas []beheer.Area, roles []beheer.Assignment) []beheer.Area {
	var out []beheer.Area
	for _, a := range areas {
		if !a.Archived() || slices.ContainsFunc(roles, func(r beheer.Assignment) bool { return r.AreaID == a.ID }) {
			out = append(out, a)
		}
	}
	return out
}

// newPersonPage is the form to add a person, in the organisation's
// language.
func (s *Server) newPersonPage(w http.ResponseWriter, r *http.Request, p *page) error {
	lang := "nl"
	if o, err := s.store.Organisation(r.Context()); err != nil {
		return err
	} else if o != nil {
		lang = o.Lang
	}
	return s.newPersonForm(w, r, p, &beheer.User{Lang: lang}, nil, http.StatusOK)
}

func (s *Server) newPersonForm(w http.ResponseWriter, r *http.Request, p *page, u *beheer.User, keys map[string]bool, status int) error {
	if _, err := s.store.Users(r.Context(), p.Actor); err != nil {
		return err // only those who manage people get the form
	}
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("people.add"), &personView{Person: u, Areas: gridAreas(areas, nil), Roles: gridRoles, Keys: keys}
	s.render(w, status, "personnew", "", p)
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
		p.Flash = ""
		typed := &beheer.User{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Lang: r.PostFormValue("lang")}
		return s.newPersonForm(w, r, p, typed, keys, http.StatusUnprocessableEntity)
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
	roles, keys := rolesFrom(r)
	if id == p.User.ID && !holdsUnscoped(roles, beheer.RoleFunctionalAdmin) {
		err = beheer.Errorf(beheer.CodeConflict, "people.keep_own_admin")
	} else {
		err = s.store.SetRoles(r.Context(), p.Actor, id, roles)
	}
	if err != nil {
		return s.personRefused(w, r, p, id, keys, err)
	}
	redirect(w, r, "/people?ok=roles#person-"+strconv.FormatInt(id, 10))
	return nil
}

// personRefused shows the person's page again with the boxes as they were
// ticked and why the change was refused; nothing was saved.
func (s *Server) personRefused(w http.ResponseWriter, r *http.Request, p *page, id int64, keys map[string]bool, err error) error {
	refusal, ok := p.refused(r, "", err)
	if !ok {
		return err
	}
	v, verr := s.personData(r, p, id)
	if verr != nil {
		return err
	}
	v.Keys, v.Refused = keys, refusal.Said
	p.Title, p.Data = v.Person.Name, v
	s.render(w, refusal.Status, "person", "", p)
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
		// The store refuses this too; asking first gives the page's message.
		if id == p.User.ID && !active {
			return s.peopleRefused(w, r, p, beheer.Errorf(beheer.CodeConflict, "people.not_yourself"))
		}
		if err := s.store.SetActive(r.Context(), p.Actor, id, active); err != nil {
			return s.peopleRefused(w, r, p, err)
		}
		ok := "activated"
		if !active {
			ok = "deactivated"
		}
		redirect(w, r, "/people?ok="+ok+"#person-"+strconv.FormatInt(id, 10))
		return nil
	}
}

// peopleRefused shows the people page again with why a change was refused,
// with the error's status; nothing was saved. Someone who may not see the
// page at all gets the error page instead.
func (s *Server) peopleRefused(w http.ResponseWriter, r *http.Request, p *page, err error) error {
	refusal, ok := p.refused(r, "", err)
	if !ok {
		return err
	}
	v, verr := s.peopleData(r, p)
	if verr != nil {
		return err
	}
	v.Refused = refusal.Said
	p.Title, p.Data = p.T("people.title"), v
	s.render(w, refusal.Status, "peoplepage", "", p)
	return nil
}
