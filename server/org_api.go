package server

import (
	"net/http"
	"slices"

	"beheer"
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	u := userFrom(r.Context())
	perms := map[beheer.Permission]bool{}
	for _, role := range append([]beheer.Assignment{{Role: beheer.RoleUser}}, u.Roles...) {
		for _, p := range beheer.RolePermissions(role.Role) {
			perms[p] = true
		}
	}
	list := make([]beheer.Permission, 0, len(perms))
	for p := range perms {
		list = append(list, p)
	}
	writeJSON(w, http.StatusOK, struct {
		*beheer.User
		Permissions []beheer.Permission `json:"permissions"`
	}{u, slices.Sorted(slices.Values(list))})
	return nil
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	users, err := s.store.Users(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemsOf(users))
	return nil
}

// apiRole is a role assignment in the API: the area by code.
type apiRole struct {
	Role beheer.Role `json:"role"`
	Area string      `json:"area,omitempty"`
}

// assignments resolves role assignments with area codes.
func (s *Server) assignments(r *http.Request, roles []apiRole) ([]beheer.Assignment, error) {
	var out []beheer.Assignment
	for _, role := range roles {
		as := beheer.Assignment{Role: role.Role}
		if role.Area != "" {
			area, err := s.store.AreaByCode(r.Context(), role.Area)
			if err != nil {
				v := beheer.Validation{}
				v.Add("roles", "field.unknown_area")
				return nil, v.Err()
			}
			as.AreaID = area.ID
		}
		out = append(out, as)
	}
	return out, nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var in beheer.NewUser
	var roles []apiRole
	if err := s.decodeJSON(w, r, fields{"email": &in.Email, "name": &in.Name, "lang": &in.Lang, "roles": &roles}); err != nil {
		return err
	}
	var err error
	if in.Roles, err = s.assignments(r, roles); err != nil {
		return err
	}
	u, err := s.store.CreateUser(r.Context(), a, in, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var roles []apiRole
	if err := s.decodeJSON(w, r, fields{"roles": &roles}); err != nil {
		return err
	}
	as, err := s.assignments(r, roles)
	if err != nil {
		return err
	}
	if err := s.store.SetRoles(r.Context(), a, id, as); err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) apiSetActive(active bool) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.store.SetActive(r.Context(), a, id, active); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready\n"))
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openAPIDocument)
}

func (s *Server) apiGetSettings(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	p, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsOut(p))
	return nil
}

// settingsOut is the settings as the API shows them: a list is never null.
func settingsOut(p beheer.Policy) beheer.Settings {
	out := beheer.SettingsOf(p)
	if out.ChangeTestTypes == nil {
		out.ChangeTestTypes = []beheer.Type{}
	}
	return out
}

// apiPutSettings replaces the rule settings; every member is required but
// the retention, which is 0 (keep attachments) when left out, and the
// upload quota and the account settings, which stay as they are when left
// out.
func (s *Server) apiPutSettings(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var support *bool
	var days *int
	cur, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	var tested *[]beheer.Type
	// The account settings are optional: left out, they stay as they are.
	in := beheer.Settings{UploadQuotaMB: cur.UploadQuotaMB, AccountSettings: cur.AccountSettings}
	if err := s.decodeJSON(w, r, fields{"support_incidents_only": &support, "reopen_days": &days,
		"attachment_retention_months": &in.AttachmentRetentionMonths, "change_test_types": &tested, "upload_quota_mb": &in.UploadQuotaMB,
		"token_default_days": &in.TokenDefaultDays, "token_max_days": &in.TokenMaxDays,
		"require_second_factor": &in.RequireSecondFactor, "organisation_name": &in.OrganisationName}); err != nil {
		return err
	}
	in.ChangeTestTypes = cur.ChangeTestTypes // left out: kept as it is
	if tested != nil {
		in.ChangeTestTypes = *tested
	}
	var v beheer.Validation
	if support == nil {
		v.Add("support_incidents_only", "field.required")
	} else {
		in.SupportIncidentsOnly = *support
	}
	if days == nil {
		v.Add("reopen_days", "field.required")
	} else {
		in.ReopenDays = *days
	}
	in.Check(&v)
	in.AccountSettings.Check(&v)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.store.SetPolicy(r.Context(), a, in.Policy()); err != nil {
		return err
	}
	if in.AccountSettings != cur.AccountSettings {
		if err := s.store.SetAccountSettings(r.Context(), a, in.AccountSettings); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, settingsOut(in.Policy()))
	return nil
}

func (s *Server) apiExportPerson(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.store.ExportPerson(r.Context(), a, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="persoonsgegevens.json"`)
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiAnonymise(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.Anonymise(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
