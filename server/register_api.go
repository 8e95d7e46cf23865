package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The technical register's JSON API under /api/v1/register.

// apiRegisterEntry is an entry of the technical register. Fields of other
// kinds are left out.
type apiRegisterEntry struct {
	ID                int64               `json:"id"`
	Kind              string              `json:"kind"`
	Name              string              `json:"name"`
	Status            string              `json:"status"`
	Owner             person              `json:"owner"`
	Area              *string             `json:"area"`
	Description       string              `json:"description"`
	Direction         string              `json:"direction,omitempty"`
	OtherSystem       string              `json:"other_system,omitempty"`
	Technique         string              `json:"technique,omitempty"`
	MaintainerContact *person             `json:"maintainer_contact,omitempty"`
	Maintainer        string              `json:"maintainer,omitempty"`
	Protocol          string              `json:"protocol,omitempty"`
	IssuerURL         string              `json:"issuer_url,omitempty"`
	ClientIDs         []string            `json:"client_ids,omitempty"`
	Host              string              `json:"host,omitempty"`
	Port              int                 `json:"port,omitempty"`
	TLSMode           string              `json:"tls_mode,omitempty"`
	Sender            string              `json:"sender,omitempty"`
	DNSNotes          string              `json:"dns_notes,omitempty"`
	ReviewMonths      int                 `json:"review_months"`
	LastReviewedOn    *string             `json:"last_reviewed_on"`
	NextReviewOn      *string             `json:"next_review_on"`
	ReviewDueInDays   *int                `json:"review_due_in_days"`
	OpenReviewRequest *int64              `json:"open_review_request_id"`
	Reviews           []apiRegisterReview `json:"reviews,omitempty"`
	CreatedAt         time.Time           `json:"created_at"`
	UpdatedAt         time.Time           `json:"updated_at"`
	Version           int64               `json:"version"`
}

// apiRegisterReview is one recorded review.
type apiRegisterReview struct {
	ID         int64     `json:"id"`
	ReviewedOn string    `json:"reviewed_on"`
	Note       string    `json:"note"`
	ReviewedBy *person   `json:"reviewed_by"`
	CreatedAt  time.Time `json:"created_at"`
}

func (s *Server) toAPIRegisterEntry(e *beheer.RegisterEntry) apiRegisterEntry {
	out := apiRegisterEntry{ID: e.ID, Kind: string(e.Kind), Name: e.Name, Status: string(e.Status),
		Owner: person{e.OwnerID, e.OwnerName}, Description: e.Description, Direction: string(e.Direction),
		OtherSystem: e.OtherSystem, Technique: e.Technique, Maintainer: e.Maintainer, Protocol: string(e.Protocol),
		IssuerURL: e.IssuerURL, ClientIDs: strings.Fields(e.ClientIDs), Host: e.Host, Port: e.Port,
		TLSMode: string(e.TLSMode), Sender: e.Sender, DNSNotes: e.DNSNotes, ReviewMonths: e.ReviewMonths,
		LastReviewedOn: optISODay(e.LastReviewedOn), NextReviewOn: optISODay(e.NextReviewOn),
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version}
	if e.AreaCode != "" {
		out.Area = &e.AreaCode
	}
	if e.MaintainerContactID != 0 {
		out.MaintainerContact = &person{e.MaintainerContactID, e.MaintainerContact}
	}
	if days, ok := e.DaysUntilReview(s.store.Today()); ok {
		out.ReviewDueInDays = &days
	}
	if e.OpenReviewRequest != 0 {
		out.OpenReviewRequest = &e.OpenReviewRequest
	}
	for _, r := range e.Reviews {
		rv := apiRegisterReview{ID: r.ID, ReviewedOn: isoDay(r.ReviewedOn), Note: r.Note, CreatedAt: r.CreatedAt}
		if r.ReviewedBy != 0 {
			rv.ReviewedBy = &person{r.ReviewedBy, r.ReviewedByName}
		}
		out.Reviews = append(out.Reviews, rv)
	}
	return out
}

// apiRegisterFields names the store's invalid fields as the API's members
// (owner → owner_id, maintainer_contact → maintainer_contact_id).
func apiRegisterFields(err error) error {
	var be *beheer.Error
	if !errors.As(err, &be) || len(be.Fields) == 0 {
		return err
	}
	out := *be
	out.Fields = make([]beheer.FieldError, len(be.Fields))
	for i, f := range be.Fields {
		if f.Field == "owner" || f.Field == "maintainer_contact" {
			f.Field += "_id"
		}
		out.Fields[i] = f
	}
	return &out
}

func (s *Server) writeRegisterEntry(w http.ResponseWriter, status int, e *beheer.RegisterEntry) {
	w.Header().Set("ETag", etag(e.Version))
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/register/"+strconv.FormatInt(e.ID, 10))
	}
	writeJSON(w, status, s.toAPIRegisterEntry(e))
}

func (s *Server) apiListRegister(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.RegisterEntries(r.Context(), a)
	if err != nil {
		return err
	}
	kind := r.URL.Query().Get("kind")
	if kind != "" && !beheer.RegisterKind(kind).Valid() {
		return beheer.Invalid("kind", "field.invalid_choice", "choices", beheer.RegisterKinds)
	}
	items := []apiRegisterEntry{}
	for _, e := range list {
		if kind == "" || string(e.Kind) == kind {
			items = append(items, s.toAPIRegisterEntry(e))
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Items []apiRegisterEntry `json:"items"`
	}{items})
	return nil
}

// readRegisterJSON decodes an entry's members over in: a member that is
// left out keeps in's value (a PATCH), so a create starts from an empty
// input.
func (s *Server) readRegisterJSON(w http.ResponseWriter, r *http.Request, in *beheer.RegisterInput) error {
	var area, contact, clientIDs json.RawMessage
	var last *string
	if err := s.decodeJSON(w, r, fields{"kind": &in.Kind, "name": &in.Name, "status": &in.Status, "owner_id": &in.OwnerID,
		"area": &area, "description": &in.Description, "direction": &in.Direction, "other_system": &in.OtherSystem,
		"technique": &in.Technique, "maintainer_contact_id": &contact, "maintainer": &in.Maintainer,
		"protocol": &in.Protocol, "issuer_url": &in.IssuerURL, "client_ids": &clientIDs, "host": &in.Host,
		"port": &in.Port, "tls_mode": &in.TLSMode, "sender": &in.Sender, "dns_notes": &in.DNSNotes,
		"review_months": &in.ReviewMonths, "last_reviewed_on": &last}); err != nil {
		return err
	}
	var v beheer.Validation
	if len(area) > 0 {
		in.AreaID = s.areaID(r, area, &v)
	}
	if len(contact) > 0 {
		in.MaintainerContactID = 0
		if string(contact) != "null" && json.Unmarshal(contact, &in.MaintainerContactID) != nil {
			v.Add("maintainer_contact_id", "field.wrong_type")
		}
	}
	if len(clientIDs) > 0 {
		var ids []string
		if string(clientIDs) != "null" && json.Unmarshal(clientIDs, &ids) != nil {
			v.Add("client_ids", "field.wrong_type")
		}
		in.ClientIDs = strings.Join(ids, "\n")
	}
	if last != nil {
		in.LastReviewedOn = apiDay(*last, "last_reviewed_on", &v)
	}
	return v.Err()
}

func (s *Server) apiCreateRegisterEntry(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	if !beheer.CanKeepRegister(a) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	var in beheer.RegisterInput
	if err := s.readRegisterJSON(w, r, &in); err != nil {
		return err
	}
	e, err := s.store.CreateRegisterEntry(r.Context(), a, in)
	if err != nil {
		return apiRegisterFields(err)
	}
	s.writeRegisterEntry(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiGetRegisterEntry(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.RegisterEntry(r.Context(), a, id)
	if err != nil {
		return err
	}
	s.writeRegisterEntry(w, http.StatusOK, e)
	return nil
}

// apiPatchRegisterEntry changes the members sent; If-Match is required.
func (s *Server) apiPatchRegisterEntry(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	if !beheer.CanKeepRegister(a) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cur, err := s.store.RegisterEntry(r.Context(), a, id)
	if err != nil {
		return err
	}
	version, ok, err := ifMatch(r)
	if err != nil {
		return err
	}
	if !ok {
		return beheer.Errorf(beheer.CodePreconditionRequired, "error.precondition_required")
	}
	in := cur.Input()
	if err := s.readRegisterJSON(w, r, &in); err != nil {
		return err
	}
	e, err := s.store.UpdateRegisterEntry(r.Context(), a, id, version, in)
	if err != nil {
		return apiRegisterFields(err)
	}
	s.writeRegisterEntry(w, http.StatusOK, e)
	return nil
}

// apiRecordRegisterReview records a review; If-Match is optional.
func (s *Server) apiRecordRegisterReview(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	if !beheer.CanKeepRegister(a) {
		return beheer.Refusal(beheer.PermRegisterKeep)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, _, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in beheer.RegisterReviewInput
	var on string
	if err := s.decodeJSON(w, r, fields{"note": &in.Note, "reviewed_on": &on}); err != nil {
		return err
	}
	var v beheer.Validation
	in.ReviewedOn = apiDay(on, "reviewed_on", &v)
	if err := v.Err(); err != nil {
		return err
	}
	e, err := s.store.RecordRegisterReview(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	s.writeRegisterEntry(w, http.StatusOK, e)
	return nil
}
