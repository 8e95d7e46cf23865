package server

import (
	"net/http"
	"strconv"

	"beheer"
	"beheer/store"
)

// apiPage is the little of a page the API shares with the portal's
// helpers: the person and the language of the answer.
func (s *Server) apiPage(r *http.Request, a *beheer.Actor) *page {
	return &page{s: s, Lang: s.lang(r), Actor: a, Request: r, Errors: map[string]string{}}
}

// apiFollowers lists who follows a request.
func (s *Server) apiFollowers(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.store.Followers(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

// apiFollow makes a person follow a request: {"user_id": n}, or without it
// the caller.
func (s *Server) apiFollow(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	who := a.UserID
	if err := s.decodeJSON(w, r, fields{"user_id": &who}); err != nil {
		return err
	}
	if err := s.store.Follow(r.Context(), a, id, who); err != nil {
		return err
	}
	return s.apiFollowers(w, r, a)
}

// apiUnfollow stops a person following a request.
func (s *Server) apiUnfollow(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	who, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.store.Unfollow(r.Context(), a, id, who); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMentions lists the colleagues a comment on the request may mention:
// ?q= a prefix of the handle or name, ?internal=true for an internal note.
func (s *Server) apiMentions(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	people, err := s.store.MentionCandidates(r.Context(), a, id, q.Get("q"), q.Get("internal") == "true", 20)
	if err != nil {
		return err
	}
	type candidate struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Handle string `json:"handle"`
	}
	out := []candidate{}
	for _, u := range people {
		out = append(out, candidate{u.ID, u.Name, beheer.Handle(u.Email)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// apiJoins is what a request is joined to and what is joined to it.
type apiJoins struct {
	*store.Circle
	Children   []apiRequest `json:"children"`
	Duplicates []apiRequest `json:"duplicates"`
}

// apiJoins answers the followers and joins of a request.
func (s *Server) apiJoins(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.Circle(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := apiJoins{Circle: c, Children: []apiRequest{}, Duplicates: []apiRequest{}}
	c.Followers = nonNil(c.Followers)
	for _, x := range c.Children {
		out.Children = append(out.Children, toAPIRequest(x))
	}
	for _, x := range c.Duplicates {
		out.Duplicates = append(out.Duplicates, toAPIRequest(x))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDuplicate closes a request as a duplicate: {"original": id, "note"}.
// If-Match is optional; a stale one saves nothing.
func (s *Server) apiDuplicate(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	var orig int64
	var note string
	if err := s.decodeJSON(w, r, fields{"original": &orig, "note": &note}); err != nil {
		return err
	}
	req, err := s.store.MarkDuplicate(r.Context(), a, id, version, orig, note)
	if err != nil {
		return err
	}
	writeRequest(w, http.StatusOK, req)
	return nil
}

// apiMakeParent marks a request as a parent incident: {"summary"}.
func (s *Server) apiMakeParent(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var summary string
	if err := s.decodeJSON(w, r, fields{"summary": &summary}); err != nil {
		return err
	}
	if err := s.store.MakeParent(r.Context(), a, id, summary); err != nil {
		return err
	}
	return s.apiJoins(w, r, a)
}

// apiJoinParent joins a request to a parent incident: {"parent": id}.
func (s *Server) apiJoinParent(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var parent int64
	if err := s.decodeJSON(w, r, fields{"parent": &parent}); err != nil {
		return err
	}
	if err := s.store.JoinParent(r.Context(), a, id, parent); err != nil {
		return err
	}
	return s.apiJoins(w, r, a)
}

// apiLeaveParent takes a request out of its parent incident.
func (s *Server) apiLeaveParent(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.LeaveParent(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiParentIncidents lists the open parent incidents anyone may join.
func (s *Server) apiParentIncidents(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.ParentIncidents(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

// apiJoinIncident lets the caller join an open parent incident: they follow it.
func (s *Server) apiJoinIncident(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.JoinAsPerson(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiFollowing lists the requests the caller follows.
func (s *Server) apiFollowing(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	list, err := s.store.FollowedRequests(r.Context(), a, store.MaxLimit)
	if err != nil {
		return err
	}
	out := []apiRequest{}
	for _, x := range list {
		out = append(out, toAPIRequest(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// apiFilledAnswer answers a standard answer with its placeholders filled
// from the request, as the comment box shows it before sending.
func (s *Server) apiFilledAnswer(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	answer, err := pathID(r, "answer")
	if err != nil {
		return err
	}
	ans, text, err := s.filledAnswer(r, s.apiPage(r, a), id, answer)
	if err != nil {
		return err
	}
	ans.Body = text
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// apiReplyWithAnswer sends a standard answer as a reply: {"body"} as the
// person edited it, with what the answer also does. If-Match is optional.
func (s *Server) apiReplyWithAnswer(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	answer, err := pathID(r, "answer")
	if err != nil {
		return err
	}
	var body string
	if err := s.decodeJSON(w, r, fields{"body": &body}); err != nil {
		return err
	}
	c, err := s.store.ReplyWithAnswer(r.Context(), a, id, version, answer, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// apiAnswers lists the standard answers the caller keeps or uses; ?area=
// (an id) keeps those of one area and those for every area.
func (s *Server) apiAnswers(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var area int64
	if raw := r.URL.Query().Get("area"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			var v beheer.Validation
			v.Add("area", "field.invalid")
			return v.Err()
		}
		area = n
	}
	list, err := s.store.StandardAnswers(r.Context(), a, area)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

// answerFields are the members of a standard answer in a body.
func answerFields(a *beheer.StandardAnswer) fields {
	return fields{"area_id": &a.AreaID, "title": &a.Title, "body": &a.Body, "set_status": &a.SetStatus, "set_phase": &a.SetPhase}
}

func (s *Server) apiCreateAnswer(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	var in beheer.StandardAnswer
	if err := s.decodeJSON(w, r, answerFields(&in)); err != nil {
		return err
	}
	out, err := s.store.CreateStandardAnswer(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) apiGetAnswer(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := s.store.StandardAnswer(r.Context(), a, id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPutAnswer replaces a standard answer; If-Match is required.
func (s *Server) apiPutAnswer(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndRequiredVersion(r)
	if err != nil {
		return err
	}
	var in beheer.StandardAnswer
	if err := s.decodeJSON(w, r, answerFields(&in)); err != nil {
		return err
	}
	out, err := s.store.UpdateStandardAnswer(r.Context(), a, id, version, in)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDeleteAnswer takes a standard answer out of use; If-Match optional.
func (s *Server) apiDeleteAnswer(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, version, err := idAndVersion(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteStandardAnswer(r.Context(), a, id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiAreaAlerts answers which team alerts an area sends: every alert with
// true or false.
func (s *Server) apiAreaAlerts(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	set, err := s.store.AreaAlerts(r.Context(), id)
	if err != nil {
		return err
	}
	out := map[string]bool{}
	for _, al := range beheer.Alerts {
		out[string(al)] = set.On(al)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPutAreaAlerts chooses an area's team alerts: {"new_request": true, …};
// alerts left out keep their setting.
func (s *Server) apiPutAreaAlerts(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vals := make([]*bool, len(beheer.Alerts)) // nil: left out
	into := fields{}
	for i, al := range beheer.Alerts {
		into[string(al)] = &vals[i]
	}
	if err := s.decodeJSON(w, r, into); err != nil {
		return err
	}
	set := beheer.AlertSettings{}
	for i, al := range beheer.Alerts {
		if vals[i] != nil {
			set[al] = *vals[i]
		}
	}
	if err := s.store.SetAreaAlerts(r.Context(), a, id, set); err != nil {
		return err
	}
	return s.apiAreaAlerts(w, r, a)
}

// apiFollowArea starts or stops the caller following an area.
func (s *Server) apiFollowArea(follow bool) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, a *beheer.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.store.FollowArea(r.Context(), a, id, follow); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
