package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beheer"
)

// deciderView is the "Besluit door …" block of a change request: who
// decides and why, the votes so far, who is still to vote, and in whose
// name this person would vote.
type deciderView struct {
	Who      string // "de key user van HR: Anna de Vries"
	Progress string // "1 van 2 akkoord nodig", rules only
	Votes    []beheer.Vote
	Waiting  string // the names still to vote, while undecided
	OnBehalf string // the decider this person votes for as deputy
	Nobody   bool   // no decider at all: say who to call
}

// deciderView builds the block from the panel; nil for other types.
func (s *Server) deciderView(p *page, r *beheer.Request, rec *requestRecords) *deciderView {
	panel := rec.panel
	if panel == nil {
		return nil
	}
	v := &deciderView{Votes: panel.Votes, Nobody: panel.Source == beheer.DeciderNobody}
	names := func(ids []int64) string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			out = append(out, panel.Names[id])
		}
		return strings.Join(out, ", ")
	}
	process := ""
	for _, pr := range rec.processes {
		if pr.ID == r.ProcessID {
			process = pr.Name
		}
	}
	v.Who = p.T("deciders.source."+string(panel.Source), "area", r.AreaName, "process", process,
		"names", names(panel.Members), "required", panel.Required, "total", len(panel.Members))
	if panel.Source == beheer.DeciderRule && panel.Required > 1 {
		v.Progress = p.T("deciders.progress", "approved", panel.Approvals(), "required", panel.Required)
	}
	if r.Phase == beheer.PhaseInvestigation && panel.Outcome() == "" {
		v.Waiting = names(panel.Waiting())
	}
	if member, ok := panel.SpeaksFor(p.Actor.UserID, s.now()); ok && member != p.Actor.UserID {
		v.OnBehalf = panel.Names[member]
	}
	return v
}

// decidedFlash is the notice after a vote: the decision, or a vote that
// waits for others.
func decidedFlash(d *beheer.Decision) string {
	if d == nil {
		return "voted"
	}
	return "decided"
}

// decideLinkPage opens the decision form from a decision e-mail's link
// (its refusals are shown by titledRefusals):
// the request page with the form open, posting back to the link. The
// link is checked, not spent: only the posted decision spends it.
func (s *Server) decideLinkPage(w http.ResponseWriter, r *http.Request, p *page) error {
	token := r.PathValue("token")
	id, err := s.store.DecisionLink(r.Context(), p.Actor, token)
	if err != nil {
		return err
	}
	v, err := s.loadRequestView(r, p, id)
	if err != nil {
		return err
	}
	if !v.Act.Decide {
		return beheer.Errorf(beheer.CodeConflict, "decision_link.decided")
	}
	v.DecideAction, v.Act.Primary = "/decide/"+token, "decide"
	s.renderRequest(w, http.StatusOK, p, v)
	return nil
}

// decideByLink records the vote posted from a link's form and spends the
// link in the same transaction; a refused vote leaves it usable.
func (s *Server) decideByLink(w http.ResponseWriter, r *http.Request, p *page) error {
	token := r.PathValue("token")
	outcome := beheer.DecisionOutcome(r.PostFormValue("outcome"))
	id, d, err := s.store.DecideByLink(r.Context(), p.Actor, token, outcome, formText(r, "motivation"))
	var be *beheer.Error
	if errors.As(err, &be) && strings.HasPrefix(be.Key, "decision_link.") {
		return err // shown by titledRefusals
	}
	if err != nil && be != nil && be.Code == beheer.CodeInvalid {
		v, lerr := s.loadRequestView(r, p, id)
		if lerr != nil {
			return lerr
		}
		refusal, _ := p.refused(r, "decide", err)
		v.Failed, v.Values, v.Error, v.Errs = "decide", enteredValues(r), refusal.Message, refusal.Errs
		v.DecideAction = "/decide/" + token
		s.renderRequest(w, refusal.Status, p, v)
		return nil
	}
	return s.done(w, r, p, id, "decide", decidedFlash(d), err)
}

// ruleView is the approval-rule card of an area's page.
type ruleView struct {
	Rule   *beheer.ApprovalRule
	People []*beheer.User
}

// Chosen reports whether a person is one of the rule's deciders (as typed
// after a refusal, else as kept).
func (v ruleView) Chosen(fe formRefusal, id int64) bool {
	if fe.Form == "approval-rule" && fe.Values != nil {
		return slices.Contains(fe.Values["deciders"], strconv.FormatInt(id, 10))
	}
	return slices.Contains(v.Rule.Deciders, id)
}

// approvalRuleForm saves an area's approval rule from its page.
func (s *Server) approvalRuleForm(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := beheer.ApprovalRule{AreaID: id, Mode: beheer.ApprovalMode(r.PostFormValue("mode"))}
	in.Required, _ = strconv.Atoi(r.PostFormValue("required"))
	for _, v := range r.PostForm["deciders"] {
		if uid, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.Deciders = append(in.Deciders, uid)
		}
	}
	_, err = s.store.SetApprovalRule(r.Context(), p.Actor, in, postedVersion(r))
	return s.areaForm(w, r, p, "approval-rule", "approval_rule_saved", err)
}

// deputyView is the deputy page: whose deputy is set (one's own, or for a
// functional admin of all areas anyone's), the current setting and the
// people to choose from.
type deputyView struct {
	formRefusal
	For     *beheer.User
	Deputy  *beheer.Deputy
	People  []*beheer.User // who may stand in: key users and functional admins
	Others  []*beheer.User // whose deputy an admin may set
	All     []beheer.Deputy
	IsAdmin bool
}

// deputyPage shows the deputy setting of the person (?user= for an admin).
func (s *Server) deputyPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showDeputy(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showDeputy(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	ctx := r.Context()
	forID := p.Actor.UserID
	if q := r.FormValue("user"); q != "" {
		forID, _ = strconv.ParseInt(q, 10, 64)
	}
	if !beheer.CanSetDeputy(p.Actor, forID) {
		return beheer.ErrNotFound()
	}
	v := deputyView{formRefusal: fe, IsAdmin: p.Actor.Can(beheer.PermUserManage, 0)}
	var err error
	if v.For, err = s.store.User(ctx, forID); err != nil {
		return err
	}
	if v.Deputy, err = s.store.Deputy(ctx, p.Actor, forID); err != nil {
		return err
	}
	people, err := s.store.Deciders(ctx)
	if err != nil {
		return err
	}
	for _, u := range people {
		if u.ID != forID {
			v.People = append(v.People, u)
		}
	}
	if v.IsAdmin {
		if v.All, err = s.store.Deputies(ctx, p.Actor); err != nil {
			return err
		}
		v.Others = people
	}
	if p.Flash == "" && r.URL.Query().Get("done") != "" && s.catalog.Has("deputy.done."+r.URL.Query().Get("done")) {
		p.Flash = p.T("deputy.done." + r.URL.Query().Get("done"))
	}
	p.Title, p.Data = p.T("deputy.title"), v
	s.render(w, status, "deputy", "", p)
	return nil
}

// deputyForm sets or clears a deputy from the deputy page.
func (s *Server) deputyForm(w http.ResponseWriter, r *http.Request, p *page) error {
	forID, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	if forID == 0 {
		forID = p.Actor.UserID
	}
	var err error
	done := "saved"
	if r.PostFormValue("clear") != "" {
		done = "cleared"
		err = s.store.ClearDeputy(r.Context(), p.Actor, forID, postedVersion(r))
	} else {
		d := beheer.Deputy{UserID: forID}
		d.DeputyID, _ = strconv.ParseInt(r.PostFormValue("deputy_id"), 10, 64)
		if err = readDays(&d, r.PostFormValue("from"), r.PostFormValue("until")); err == nil {
			_, err = s.store.SetDeputy(r.Context(), p.Actor, d, postedVersion(r))
		}
	}
	if err != nil {
		return p.showRefused(r, "deputy", err, func(fe formRefusal) error { return s.showDeputy(w, r, p, fe.Status, fe) })
	}
	target := "/settings/deputy?done=" + done
	if forID != p.Actor.UserID {
		target += "&user=" + strconv.FormatInt(forID, 10)
	}
	redirect(w, r, target)
	return nil
}

// DeciderChosen reports whether the rule's form shows a person as chosen.
func (v areaView) DeciderChosen(id int64) bool { return v.Rule.Chosen(v.formRefusal, id) }

// DeputyValue is the chosen deputy's id for the form ("0": none).
func (v deputyView) DeputyValue() string {
	if v.Deputy == nil {
		return "0"
	}
	return strconv.FormatInt(v.Deputy.DeputyID, 10)
}

// FromValue is the period's first day for the form.
func (v deputyView) FromValue() string {
	if v.Deputy == nil {
		return ""
	}
	return beheer.FormatDay(v.Deputy.From)
}

// UntilValue is the period's last day for the form.
func (v deputyView) UntilValue() string {
	if v.Deputy == nil {
		return ""
	}
	return beheer.FormatDay(v.Deputy.Until)
}
