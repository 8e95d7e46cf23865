package server

import (
	"net/http"
	"strings"

	"beheer"
)

// apiDeciders answers who decides a change request, the votes cast and
// the members' deputies.
func (s *Server) apiDeciders(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.DecisionPanel(r.Context(), a, id)
	if err != nil {
		return err
	}
	if p == nil {
		return beheer.Errorf(beheer.CodeConflict, "decision.only_change")
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusAccepted // a vote recorded, the decision still open
	}
	writeJSON(w, status, p)
	return nil
}

func writeRule(w http.ResponseWriter, status int, rule *beheer.ApprovalRule) {
	w.Header().Set("ETag", etag(rule.Version))
	writeJSON(w, status, rule)
}

// apiGetApprovalRule answers an area's approval rule.
func (s *Server) apiGetApprovalRule(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rule, err := s.store.ApprovalRule(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeRule(w, http.StatusOK, rule)
	return nil
}

// apiPutApprovalRule replaces an area's approval rule (If-Match: its
// version).
func (s *Server) apiPutApprovalRule(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	in := beheer.ApprovalRule{AreaID: id}
	if err := s.decodeJSON(w, r, fields{"mode": &in.Mode, "required": &in.Required, "deciders": &in.Deciders}); err != nil {
		return err
	}
	rule, err := s.store.SetApprovalRule(r.Context(), a, in, version)
	if err != nil {
		return err
	}
	writeRule(w, http.StatusOK, rule)
	return nil
}

// apiGetDeputy answers a person's deputy (one's own, or anyone's for a
// functional admin of all areas); 404 when none is set.
func (s *Server) apiGetDeputy(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.store.Deputy(r.Context(), a, id)
	if err != nil {
		return err
	}
	if d == nil {
		return beheer.ErrNotFound()
	}
	writeDeputy(w, d)
	return nil
}

func writeDeputy(w http.ResponseWriter, d *beheer.Deputy) {
	w.Header().Set("ETag", etag(d.Version))
	writeJSON(w, http.StatusOK, d)
}

// apiPutDeputy sets a person's deputy for a period (from, until: ISO days).
func (s *Server) apiPutDeputy(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	var deputy int64
	var from, until string
	if err := s.decodeJSON(w, r, fields{"deputy_id": &deputy, "from": &from, "until": &until}); err != nil {
		return err
	}
	d := beheer.Deputy{UserID: id, DeputyID: deputy}
	if err := readDays(&d, from, until); err != nil {
		return err
	}
	out, err := s.store.SetDeputy(r.Context(), a, d, version)
	if err != nil {
		return err
	}
	writeDeputy(w, out)
	return nil
}

// apiDeleteDeputy removes a person's deputy.
func (s *Server) apiDeleteDeputy(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	if err := s.store.ClearDeputy(r.Context(), a, id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readDays reads a deputy's period: an unreadable day is refused beside
// its field, an empty one left for the rule to ask for.
func readDays(d *beheer.Deputy, from, until string) error {
	var v beheer.Validation
	var ok bool
	if d.From, ok = beheer.ParseDay(from); !ok && strings.TrimSpace(from) != "" {
		v.Add("from", "deputy.field.date")
	}
	if d.Until, ok = beheer.ParseDay(until); !ok && strings.TrimSpace(until) != "" {
		v.Add("until", "deputy.field.date")
	}
	return v.Err()
}
