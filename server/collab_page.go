package server

import (
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// collabView is what the request page shows of working together: the
// standard answers on offer and the one chosen, the followers, and what
// the request is joined to.
type collabView struct {
	Circle *store.Circle
	// Answers are the standard answers this person may use here; Answer
	// the one chosen, whose filled-in text is in the comment box.
	Answers    []beheer.StandardAnswer
	Answer     *beheer.StandardAnswer
	AnswerText string
	// Follows: the person follows the request; CanFollow: they may start
	// or stop following it themselves; CanAdd: they may add colleagues.
	Follows   bool
	CanFollow bool
	CanAdd    bool
	// Manage: the person manages the request (duplicate, parent
	// incident); Parents are the open parent incidents to join it to.
	Manage  bool
	Parents []beheer.ParentIncident
	// Mentions: the comment box offers colleagues to mention.
	Mentions bool
}

// loadCollab fills the collaboration part of the request page.
func (s *Server) loadCollab(r *http.Request, p *page, v *requestView) error {
	ctx, a, req := r.Context(), p.Actor, v.R
	c, err := s.store.Circle(ctx, a, req.ID)
	if err != nil {
		return err
	}
	cv := &collabView{Circle: c, Follows: v.Facts.Follows, Manage: beheer.CanManage(a, req) && req.Phase.Open(),
		CanAdd: beheer.CanAddFollower(a, req) && req.Phase.Open(), Mentions: v.Internal && v.Act.Comment}
	cv.CanFollow = req.RequesterID != a.UserID && (cv.Follows || beheer.CheckFollow(a, req, v.Facts, p.User) == nil)
	if v.Act.Comment && beheer.CanUseAnswers(a, req) {
		if cv.Answers, err = s.store.StandardAnswers(ctx, a, req.AreaID); err != nil {
			return err
		}
		if err := s.chooseAnswer(r, p, v, cv); err != nil {
			return err
		}
	}
	if cv.Manage && !c.Joins.IsParent && c.Joins.ParentID == 0 {
		parents, err := s.store.ParentIncidents(ctx, a)
		if err != nil {
			return err
		}
		for _, pi := range parents {
			if pi.RequestID != req.ID {
				cv.Parents = append(cv.Parents, pi)
			}
		}
	}
	v.Collab = cv
	return nil
}

// chooseAnswer fills the answer chosen with ?answer= into the comment box,
// its placeholders filled from the request.
func (s *Server) chooseAnswer(r *http.Request, p *page, v *requestView, cv *collabView) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("answer"), 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	a, text, err := s.filledAnswer(r, p, v.R.ID, id)
	if beheer.ErrorCode(err) == beheer.CodeNotFound {
		return nil // an answer from another area or gone: the box stays empty
	}
	if err != nil {
		return err
	}
	cv.Answer, cv.AnswerText = a, text
	return nil
}

// filledAnswer returns a standard answer with its placeholders filled from
// the request, in the person's language: the portal and the API share it.
func (s *Server) filledAnswer(r *http.Request, p *page, requestID, answerID int64) (*beheer.StandardAnswer, string, error) {
	a, req, err := s.store.AnswerFor(r.Context(), p.Actor, requestID, answerID)
	if err != nil {
		return nil, "", err
	}
	_, state, err := s.store.RequestSLA(r.Context(), p.Actor, requestID)
	if err != nil {
		return nil, "", err
	}
	due := ""
	if !state.Resolution.Due.IsZero() {
		due = p.DateTime(state.Resolution.Due)
	}
	return a, beheer.Fill(a.Body, beheer.ValuesFor(req, due, p.T("answer.value_unknown"))), nil
}

// AnswerDoes says in words what sending the answer also does, or "".
func (v *collabView) AnswerDoes(p *page) string {
	switch {
	case v.Answer == nil:
		return ""
	case v.Answer.SetPhase != "":
		return p.T("answer.box_phase", "phase", v.Answer.SetPhase)
	case v.Answer.SetStatus != "":
		return p.T("answer.box_status", "status", v.Answer.SetStatus)
	}
	return ""
}

// requestFollow starts following the request: the person themselves, or
// the colleague whose e-mail address the requester or a manager typed.
func (s *Server) requestFollow(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	who := p.User.ID
	if email := strings.TrimSpace(r.PostFormValue("email")); email != "" || r.PostFormValue("form") == "follower" {
		who, err = s.personByEmail(r, email)
	}
	if err == nil {
		err = s.store.Follow(r.Context(), p.Actor, id, who)
	}
	form, ok := "follow", "following"
	if who != p.User.ID {
		form, ok = "follower", "follower_added"
	}
	return s.done(w, r, p, id, form, ok, err)
}

// personByEmail finds a person for the follower form; a typed address of
// nobody is the field's error, as the store says for an unknown person.
func (s *Server) personByEmail(r *http.Request, email string) (int64, error) {
	var v beheer.Validation
	if email == "" {
		v.Add("user", "field.required")
		return 0, v.Err()
	}
	u, _, err := s.store.UserByEmail(r.Context(), email)
	if beheer.ErrorCode(err) == beheer.CodeNotFound {
		v.Add("user", "follow.unknown_person")
		return 0, v.Err()
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// requestUnfollow stops a person following the request: the person
// themselves, or the follower named by the requester or a manager.
func (s *Server) requestUnfollow(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v beheer.Validation
	who := p.User.ID
	if raw := r.PostFormValue("user"); raw != "" {
		who = formID(r, "user", &v)
	}
	if err = v.Err(); err == nil {
		err = s.store.Unfollow(r.Context(), p.Actor, id, who)
	}
	return s.done(w, r, p, id, "follow", "unfollowed", err)
}

// requestDuplicate closes the request as a duplicate of the request whose
// number was typed.
func (s *Server) requestDuplicate(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		var orig int64
		if orig, err = s.requestByNumber(r, p, strings.TrimSpace(r.PostFormValue("original")), "original", "duplicate.unknown"); err == nil {
			_, err = s.store.MarkDuplicate(r.Context(), p.Actor, id, version, orig, formText(r, "note"))
		}
	}
	return s.done(w, r, p, id, "duplicate", "duplicate", err)
}

// requestByNumber resolves a typed request number (2026-0042) for a form
// field; one the person may not read is as unknown as a missing one.
func (s *Server) requestByNumber(r *http.Request, p *page, number, field, key string) (int64, error) {
	var v beheer.Validation
	if number == "" {
		v.Add(field, "field.required")
		return 0, v.Err()
	}
	req, _, err := s.store.RequestByNumber(r.Context(), p.Actor, number)
	if beheer.ErrorCode(err) == beheer.CodeNotFound {
		v.Add(field, key)
		return 0, v.Err()
	}
	if err != nil {
		return 0, err
	}
	return req.ID, nil
}

// requestMakeParent marks the request as a parent incident.
func (s *Server) requestMakeParent(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.store.MakeParent(r.Context(), p.Actor, id, formText(r, "summary"))
	return s.done(w, r, p, id, "make-parent", "parent", err)
}

// requestJoinParent joins the request to the parent incident chosen.
func (s *Server) requestJoinParent(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v beheer.Validation
	parent := formID(r, "parent", &v)
	if parent == 0 && !v.Has("parent") {
		v.Add("parent", "field.required")
	}
	if err = v.Err(); err == nil {
		err = s.store.JoinParent(r.Context(), p.Actor, id, parent)
	}
	return s.done(w, r, p, id, "join-parent", "joined", err)
}

// requestLeaveParent takes the request out of its parent incident.
func (s *Server) requestLeaveParent(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.done(w, r, p, id, "join-parent", "left", s.store.LeaveParent(r.Context(), p.Actor, id))
}

// joinIncident lets a person join an open parent incident from the
// new-request form: they follow it and land on its page.
func (s *Server) joinIncident(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.JoinAsPerson(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(id, 10)+"?ok=joined_incident")
	return nil
}

// mentionList answers the comment box's "@" with the colleagues it may
// mention: an HTML list of buttons that insert a handle.
func (s *Server) mentionList(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	people, err := s.store.MentionCandidates(r.Context(), p.Actor, id, q.Get("q"), q.Get("internal") == "1", 8)
	if err != nil {
		return err
	}
	p.Data = people
	s.render(w, http.StatusOK, "request", "mention-list", p)
	return nil
}
