package server

import (
	"net/http"
	"strconv"

	"beheer"
)

// The JSON API of setting up: the organisation, the checklist, areas and
// processes, the channels' details and the request types. Every handler
// calls the store function the portal's form calls.

// apiGetOrganisation answers with the organisation; not found before one
// is set up.
func (s *Server) apiGetOrganisation(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	o, err := s.store.Organisation(r.Context())
	if err != nil {
		return err
	}
	if o == nil {
		return beheer.ErrNotFound()
	}
	w.Header().Set("ETag", etag(o.Version))
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) apiPutOrganisation(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	version, _, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in beheer.OrganisationInput
	if err := s.decodeJSON(w, r, fields{"name": &in.Name, "lang": &in.Lang, "time_zone": &in.Zone}); err != nil {
		return err
	}
	return s.writeOrganisation(w, r, a, version, in)
}

// writeOrganisation saves the organisation and answers with it.
func (s *Server) writeOrganisation(w http.ResponseWriter, r *http.Request, a *beheer.Actor, version int64, in beheer.OrganisationInput) error {
	o, err := s.store.SetOrganisation(r.Context(), a, version, in)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(o.Version))
	writeJSON(w, http.StatusOK, o)
	return nil
}

// apiPutLogo replaces the logo with the "file" part of a multipart body;
// the other details stay.
func (s *Server) apiPutLogo(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	name, data, err := s.readUpload(w, r)
	if err != nil {
		return err
	}
	in, err := s.currentOrganisation(r)
	if err != nil {
		return err
	}
	in.Logo = &beheer.Upload{Name: name, Data: data}
	return s.writeOrganisation(w, r, a, 0, in)
}

func (s *Server) apiDeleteLogo(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	in, err := s.currentOrganisation(r)
	if err != nil {
		return err
	}
	in.RemoveLogo = true
	return s.writeOrganisation(w, r, a, 0, in)
}

// currentOrganisation is the organisation's details as input, for a change
// of the logo alone.
func (s *Server) currentOrganisation(r *http.Request) (beheer.OrganisationInput, error) {
	o, err := s.store.Organisation(r.Context())
	if err != nil || o == nil {
		if err == nil {
			err = beheer.ErrNotFound()
		}
		return beheer.OrganisationInput{}, err
	}
	return beheer.OrganisationInput{Name: o.Name, Lang: o.Lang, Zone: o.Zone}, nil
}

// organisationLogo serves the logo to the portal and the API alike.
func (s *Server) organisationLogo(w http.ResponseWriter, r *http.Request) error {
	data, typ, err := s.store.OrganisationLogo(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
	return nil
}

func (s *Server) apiGetLogo(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	return s.organisationLogo(w, r)
}

func (s *Server) apiSetup(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	state, err := s.setupState(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Steps    []beheer.SetupStep `json:"steps"`
		Finished bool               `json:"finished"`
	}{state.Steps, beheer.SetupFinished(state.Steps)})
	return nil
}

func (s *Server) apiMarkSetupItem(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var na bool
	if err := s.decodeJSON(w, r, fields{"not_applicable": &na}); err != nil {
		return err
	}
	if err := s.store.MarkSetupItem(r.Context(), a, beheer.SetupItem(r.PathValue("item")), na); err != nil {
		return err
	}
	return s.apiSetup(w, r, a)
}

// apiAreas lists the areas in use; ?archived=true lists the archived ones
// too.
func (s *Server) apiAreas(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return err
	}
	if r.URL.Query().Get("archived") != "true" {
		areas = beheer.ActiveAreas(areas)
	}
	writeJSON(w, http.StatusOK, itemsOf(areas))
	return nil
}

func (s *Server) apiCreateArea(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var in beheer.Area
	if err := s.decodeJSON(w, r, fields{"code": &in.Code, "name": &in.Name, "description": &in.Description,
		"integrations": &in.Integration}); err != nil {
		return err
	}
	area, err := s.store.CreateArea(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/areas/"+strconv.FormatInt(area.ID, 10))
	writeArea(w, http.StatusCreated, area)
	return nil
}

func writeArea(w http.ResponseWriter, status int, a *beheer.Area) {
	w.Header().Set("ETag", etag(a.Version))
	writeJSON(w, status, a)
}

func (s *Server) apiGetArea(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	area, err := s.store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	writeArea(w, http.StatusOK, area)
	return nil
}

// apiPatchArea changes the members sent; the others keep their value.
func (s *Server) apiPatchArea(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	cur, err := s.store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	in := beheer.AreaInput{Code: cur.Code, Name: cur.Name, Description: cur.Description, Integration: cur.Integration}
	if err := s.decodeJSON(w, r, fields{"code": &in.Code, "name": &in.Name, "description": &in.Description,
		"integrations": &in.Integration}); err != nil {
		return err
	}
	area, err := s.store.UpdateArea(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	writeArea(w, http.StatusOK, area)
	return nil
}

// apiArchiveArea archives an area; move_to names (by code) the area that
// takes its open requests.
func (s *Server) apiArchiveArea(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	var moveTo string
	if err := s.decodeJSON(w, r, fields{"move_to": &moveTo}); err != nil {
		return err
	}
	in, err := s.archiveTarget(r, moveTo)
	if err != nil {
		return err
	}
	moved, err := s.store.ArchiveArea(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	area, err := s.store.Area(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		*beheer.Area
		Moved int `json:"moved_requests"`
	}{area, moved})
	return nil
}

// archiveTarget resolves the area code that takes an archived area's open
// requests.
func (s *Server) archiveTarget(r *http.Request, code string) (beheer.ArchiveArea, error) {
	if code == "" {
		return beheer.ArchiveArea{}, nil
	}
	to, err := s.store.AreaByCode(r.Context(), code)
	if err != nil {
		var v beheer.Validation
		v.Add("move_to", "field.unknown_area")
		return beheer.ArchiveArea{}, v.Err()
	}
	return beheer.ArchiveArea{MoveTo: to.ID}, nil
}

func (s *Server) apiRestoreArea(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RestoreArea(r.Context(), a, id); err != nil {
		return err
	}
	return s.apiGetArea(w, r, a)
}

func (s *Server) apiOrderAreas(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var ids []int64
	if err := s.decodeJSON(w, r, fields{"ids": &ids}); err != nil {
		return err
	}
	if err := s.store.ReorderAreas(r.Context(), a, ids); err != nil {
		return err
	}
	r.URL.RawQuery = "archived=true"
	return s.apiAreas(w, r, a)
}

func (s *Server) apiSetKeyUsers(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var ids []int64
	if err := s.decodeJSON(w, r, fields{"user_ids": &ids}); err != nil {
		return err
	}
	if err := s.store.SetKeyUsers(r.Context(), a, id, ids); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiProcesses(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	ps, err := s.store.Processes(r.Context())
	if err != nil {
		return err
	}
	if r.URL.Query().Get("archived") != "true" {
		ps = beheer.ActiveProcesses(ps)
	}
	writeJSON(w, http.StatusOK, itemsOf(ps))
	return nil
}

func writeProcess(w http.ResponseWriter, status int, p *beheer.Process) {
	w.Header().Set("ETag", etag(p.Version))
	writeJSON(w, status, p)
}

func (s *Server) apiCreateProcess(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var in beheer.Process
	if err := s.decodeJSON(w, r, fields{"area_id": &in.AreaID, "name": &in.Name, "description": &in.Description,
		"owner_id": &in.OwnerID}); err != nil {
		return err
	}
	p, err := s.store.CreateProcess(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/processes/"+strconv.FormatInt(p.ID, 10))
	writeProcess(w, http.StatusCreated, p)
	return nil
}

func (s *Server) apiGetProcess(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.Process(r.Context(), id)
	if err != nil {
		return err
	}
	writeProcess(w, http.StatusOK, p)
	return nil
}

// apiPatchProcess changes the members sent: a new area_id moves the
// process with its requests; owner_id 0 takes the owner away.
func (s *Server) apiPatchProcess(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	cur, err := s.store.Process(r.Context(), id)
	if err != nil {
		return err
	}
	in := beheer.ProcessInput{AreaID: cur.AreaID, Name: cur.Name, Description: cur.Description, OwnerID: cur.OwnerID}
	if err := s.decodeJSON(w, r, fields{"area_id": &in.AreaID, "name": &in.Name, "description": &in.Description,
		"owner_id": &in.OwnerID}); err != nil {
		return err
	}
	p, err := s.store.UpdateProcess(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	writeProcess(w, http.StatusOK, p)
	return nil
}

// apiArchiveProcess archives (archived true) or restores a process.
func (s *Server) apiArchiveProcess(archived bool) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.store.SetProcessArchived(r.Context(), a, id, archived); err != nil {
			return err
		}
		return s.apiGetProcess(w, r, a)
	}
}

func (s *Server) apiOrderProcesses(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var ids []int64
	if err := s.decodeJSON(w, r, fields{"ids": &ids}); err != nil {
		return err
	}
	if err := s.store.ReorderProcesses(r.Context(), a, id, ids); err != nil {
		return err
	}
	return s.apiProcesses(w, r, a)
}

func (s *Server) apiChannels(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	chs, err := s.store.Channels(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(chs))
	return nil
}

func (s *Server) apiPutChannel(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	version, _, err := ifMatch(r)
	if err != nil {
		return err
	}
	d := beheer.ChannelDetails{Channel: beheer.Channel(r.PathValue("channel"))}
	if !d.Channel.Valid() {
		return beheer.ErrNotFound()
	}
	if err := s.decodeJSON(w, r, fields{"vendor": &d.Vendor, "phone": &d.Phone, "email": &d.Email,
		"portal_url": &d.PortalURL, "contract_notes": &d.Contract}); err != nil {
		return err
	}
	out, err := s.store.SetChannel(r.Context(), a, version, d)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiTypeSettings(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	ts, err := s.store.TypeSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(ts))
	return nil
}

func (s *Server) apiPutTypeSettings(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var ts []beheer.TypeSetting
	if err := s.decodeJSON(w, r, fields{"items": &ts}); err != nil {
		return err
	}
	if err := s.store.SetTypeSettings(r.Context(), a, ts); err != nil {
		return err
	}
	return s.apiTypeSettings(w, r, a)
}

func (s *Server) apiPriorityLabels(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	ls, err := s.store.PriorityLabels(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(ls))
	return nil
}

func (s *Server) apiPutPriorityLabels(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var ls []beheer.PriorityLabel
	if err := s.decodeJSON(w, r, fields{"items": &ls}); err != nil {
		return err
	}
	if err := s.store.SetPriorityLabels(r.Context(), a, ls); err != nil {
		return err
	}
	return s.apiPriorityLabels(w, r, a)
}
