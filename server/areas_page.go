package server

import (
	"net/http"
	"slices"
	"strconv"

	"beheer"
)

// The pages on which an organisation keeps its areas and their processes:
// the list of areas (new, order, archived ones back), and one area's page
// (its details, key users, processes with owners, and archiving it).

// areaCard is one area in the list, with what the list shows of it.
type areaCard struct {
	beheer.Area
	Processes []beheer.Process // in use
	KeyUsers  []*beheer.User
}

// areasView is the list of areas.
type areasView struct {
	formRefusal
	Active   []areaCard
	Archived []beheer.Area
}

func (s *Server) areasPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showAreas(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showAreas(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	areas, processes, people, err := s.orgData(r, p)
	if err != nil {
		return err
	}
	v := areasView{formRefusal: fe}
	for _, a := range areas {
		if a.Archived() {
			v.Archived = append(v.Archived, a)
			continue
		}
		v.Active = append(v.Active, areaCard{Area: a, Processes: processesOf(processes, a.ID, false), KeyUsers: keyUsersOf(people, a.ID)})
	}
	if p.Flash == "" {
		p.Flash = savedMessage(p, r)
	}
	p.Title, p.Data = p.T("areas.title"), v
	s.render(w, status, "areas", "", p)
	return nil
}

// orgData loads the areas, the processes with their owners, and the people.
func (s *Server) orgData(r *http.Request, p *page) ([]beheer.Area, []beheer.Process, []*beheer.User, error) {
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	processes, err := s.store.Processes(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	people, err := s.store.Users(r.Context(), p.Actor)
	return areas, processes, people, err
}

// processesOf lists an area's processes, the archived ones only when asked.
func processesOf(ps []beheer.Process, area int64, archived bool) []beheer.Process {
	var out []beheer.Process
	for _, x := range ps {
		if x.AreaID == area && x.Archived() == archived {
			out = append(out, x)
		}
	}
	return out
}

// keyUsersOf lists the active people holding the key user role for area.
func keyUsersOf(people []*beheer.User, area int64) []*beheer.User {
	var out []*beheer.User
	for _, u := range people {
		if u.Active && slices.Contains(u.Roles, beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: area}) {
			out = append(out, u)
		}
	}
	return out
}

// savedMessage is the notice after a successful form on the setup pages.
func savedMessage(p *page, r *http.Request) string {
	if done := r.URL.Query().Get("done"); done != "" && p.s.catalog.Has("setup.done."+done) {
		return p.T("setup.done." + done)
	}
	return ""
}

// readAreaForm reads an area's fields.
func readAreaForm(r *http.Request) beheer.AreaInput {
	return beheer.AreaInput{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), Integration: r.PostFormValue("integrations") != ""}
}

func (s *Server) createAreaForm(w http.ResponseWriter, r *http.Request, p *page) error {
	in := readAreaForm(r)
	a, err := s.store.CreateArea(r.Context(), p.Actor, beheer.Area{Code: in.Code, Name: in.Name, Description: in.Description,
		Integration: in.Integration})
	if err != nil {
		return p.showRefused(r, "area-new", err, func(fe formRefusal) error { return s.showAreas(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, "/areas/"+strconv.FormatInt(a.ID, 10)+"?done=area_created")
	return nil
}

// moveInOrder moves id one place up or down in ids.
func moveInOrder(ids []int64, id int64, up bool) []int64 {
	i := slices.Index(ids, id)
	j := i + 1
	if up {
		j = i - 1
	}
	if i < 0 || j < 0 || j >= len(ids) {
		return ids
	}
	ids[i], ids[j] = ids[j], ids[i]
	return ids
}

// orderAreas moves one area a place up or down ("direction" up or down).
func (s *Server) orderAreas(w http.ResponseWriter, r *http.Request, p *page) error {
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return err
	}
	ids := make([]int64, len(areas))
	for i, a := range areas {
		ids[i] = a.ID
	}
	if err := s.store.ReorderAreas(r.Context(), p.Actor, moveInOrder(ids, id, r.PostFormValue("direction") == "up")); err != nil {
		return err
	}
	redirect(w, r, "/areas#area-"+strconv.FormatInt(id, 10))
	return nil
}

// areaView is one area's page.
type areaView struct {
	formRefusal
	Area      beheer.Area
	Areas     []beheer.Area // the others in use: where open requests can go
	Here      []beheer.Area // this area and the others in use: where a process can be
	Processes []beheer.Process
	Archived  []beheer.Process
	KeyUsers  []*beheer.User
	People    []*beheer.User // active, to choose owners and key users from
	Open      int            // open requests
	Edit      int64          // the process being edited
	Rule      ruleView       // the area's approval rule
}

func (s *Server) areaPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showArea(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showArea(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	areas, processes, people, err := s.orgData(r, p)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(areas, func(a beheer.Area) bool { return a.ID == id })
	if i < 0 {
		return beheer.ErrNotFound()
	}
	v := areaView{formRefusal: fe, Area: areas[i], Processes: processesOf(processes, id, false),
		Archived: processesOf(processes, id, true), KeyUsers: keyUsersOf(people, id)}
	for _, a := range beheer.ActiveAreas(areas) {
		if a.ID != id {
			v.Areas = append(v.Areas, a)
		}
	}
	v.Here = append([]beheer.Area{v.Area}, v.Areas...)
	for _, u := range people {
		if u.Active {
			v.People = append(v.People, u)
		}
	}
	if v.Open, err = s.store.OpenRequestsIn(r.Context(), id); err != nil {
		return err
	}
	if v.Rule.Rule, err = s.store.ApprovalRule(r.Context(), p.Actor, id); err != nil {
		return err
	}
	v.Rule.People = v.People
	v.Edit, _ = strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64)
	if p.Flash == "" {
		p.Flash = savedMessage(p, r)
	}
	p.Title, p.Data = v.Area.Name, v
	s.render(w, status, "area", "", p)
	return nil
}

// areaForm runs a form of an area's page: on success back to the page at
// anchor with a notice, on a refusal the page again with the form as
// entered and the messages beside its fields.
func (s *Server) areaForm(w http.ResponseWriter, r *http.Request, p *page, form, done string, err error) error {
	id, _ := pathID(r, "id")
	if err != nil {
		return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showArea(w, r, p, fe.Status, fe) })
	}
	redirect(w, r, "/areas/"+strconv.FormatInt(id, 10)+"?done="+done+"#"+form)
	return nil
}

// postedVersion reads the version an edit was based on; 0 when the form
// has none.
func postedVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

func (s *Server) updateAreaForm(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.store.UpdateArea(r.Context(), p.Actor, id, postedVersion(r), readAreaForm(r))
	return s.areaForm(w, r, p, "area-details", "area_saved", err)
}

func (s *Server) archiveAreaForm(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	moveTo, _ := strconv.ParseInt(r.PostFormValue("move_to"), 10, 64)
	_, err = s.store.ArchiveArea(r.Context(), p.Actor, id, postedVersion(r), beheer.ArchiveArea{MoveTo: moveTo})
	return s.areaForm(w, r, p, "area-archive", "area_archived", err)
}

func (s *Server) restoreAreaForm(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RestoreArea(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/areas/"+strconv.FormatInt(id, 10)+"?done=area_restored")
	return nil
}

// keyUsersForm adds a key user (user_id) or removes one (remove).
func (s *Server) keyUsersForm(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	people, err := s.store.Users(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	var ids []int64
	for _, u := range keyUsersOf(people, id) {
		ids = append(ids, u.ID)
	}
	add, _ := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	remove, _ := strconv.ParseInt(r.PostFormValue("remove"), 10, 64)
	switch {
	case remove != 0:
		ids = slices.DeleteFunc(ids, func(x int64) bool { return x == remove })
	case add == 0:
		var v beheer.Validation
		v.Add("key_users", "field.required")
		return s.areaForm(w, r, p, "key-users", "", v.Err())
	case !slices.Contains(ids, add):
		ids = append(ids, add)
	}
	return s.areaForm(w, r, p, "key-users", "key_users_saved", s.store.SetKeyUsers(r.Context(), p.Actor, id, ids))
}

// readProcessForm reads a process's fields; a process form without an
// area field stays in area.
func readProcessForm(r *http.Request, area int64) beheer.ProcessInput {
	in := beheer.ProcessInput{AreaID: area, Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	if a, err := strconv.ParseInt(r.PostFormValue("area_id"), 10, 64); err == nil && a > 0 {
		in.AreaID = a
	}
	in.OwnerID, _ = strconv.ParseInt(r.PostFormValue("owner_id"), 10, 64)
	return in
}

func (s *Server) createProcessForm(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := readProcessForm(r, id)
	_, err = s.store.CreateProcess(r.Context(), p.Actor, beheer.Process{AreaID: id, Name: in.Name, Description: in.Description,
		OwnerID: in.OwnerID})
	return s.areaForm(w, r, p, "process-new", "process_created", err)
}

func (s *Server) updateProcessForm(w http.ResponseWriter, r *http.Request, p *page) error {
	area, pid, err := areaAndProcess(r)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateProcess(r.Context(), p.Actor, pid, postedVersion(r), readProcessForm(r, area))
	return s.areaForm(w, r, p, "process-"+strconv.FormatInt(pid, 10), "process_saved", err)
}

// areaAndProcess reads the area and the process of a process form's path.
func areaAndProcess(r *http.Request) (int64, int64, error) {
	area, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	pid, err := pathID(r, "process")
	return area, pid, err
}

// archiveProcessForm archives (archived true) or restores a process.
func (s *Server) archiveProcessForm(archived bool) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		_, pid, err := areaAndProcess(r)
		if err != nil {
			return err
		}
		done := map[bool]string{true: "process_archived", false: "process_restored"}[archived]
		return s.areaForm(w, r, p, "processes", done, s.store.SetProcessArchived(r.Context(), p.Actor, pid, archived))
	}
}

// orderProcesses moves one process a place up or down in its area.
func (s *Server) orderProcesses(w http.ResponseWriter, r *http.Request, p *page) error {
	area, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	all, err := s.store.Processes(r.Context())
	if err != nil {
		return err
	}
	var ids []int64
	for _, x := range all {
		if x.AreaID == area {
			ids = append(ids, x.ID)
		}
	}
	err = s.store.ReorderProcesses(r.Context(), p.Actor, area, moveInOrder(ids, pid, r.PostFormValue("direction") == "up"))
	return s.areaForm(w, r, p, "processes", "processes_ordered", err)
}
