package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// The request page's part of the seed's cycle: the Accept test in
// Uitvoering, the evaluation with the process owner and the follow-ups in
// Optimalisatie, the links to other requests, the outage a request belongs
// to, and the hours registered on it. Each is read through the store as the
// person, and only where the phase or the person's role shows it.

// cycleView is what the request page shows of the cycle.
type cycleView struct {
	Links       []store.LinkedRequest
	LinkKinds   []beheer.LinkKind
	CanLink     bool
	Outages     []*beheer.Outage
	NeedsTest   bool // the type leaves Uitvoering only with a passed test
	ShowTests   bool
	Tests       []beheer.ChangeTest
	CanTest     bool
	Testers     []beheer.PersonName
	Evaluation  *beheer.OwnerEvaluation
	Evaluators  []beheer.PersonName
	CanEvaluate bool
	ShowReview  bool
	FollowUp    bool // the follow-up buttons are offered
	PlanInput   bool // and plan input for this year's plan
	PlanYear    int
	Time        []beheer.TimeEntry
	OwnTime     bool
	VendorTime  []beheer.Escalation // open escalations whose hours can be registered
	ShowTime    bool
	TimeTasks   []beheer.Task
	Today       string
}

// EvaluatorNames names who evaluates the outcome, "" when the request's
// managers do.
func (c *cycleView) EvaluatorNames() string {
	names := make([]string, len(c.Evaluators))
	for i, e := range c.Evaluators {
		names[i] = e.Name
	}
	return strings.Join(names, ", ")
}

// GoalAnswers are the answers to "doel bereikt?".
func (c *cycleView) GoalAnswers() []beheer.GoalMet { return beheer.GoalMetAnswers }

// LatestTest is the latest Accept test, or nil.
func (c *cycleView) LatestTest() *beheer.ChangeTest {
	if len(c.Tests) == 0 {
		return nil
	}
	return &c.Tests[len(c.Tests)-1]
}

// TimeTotal is the hours registered, own and vendor apart, as "h:mm".
func (c *cycleView) TimeTotal(vendor bool) string {
	n := 0
	for _, e := range c.Time {
		if e.Vendor() == vendor {
			n += e.Minutes
		}
	}
	return beheer.FormatMinutes(n)
}

// loadCycle reads the cycle's parts of the request page, in one store
// read, each only where the phase or the person's role shows it.
func (s *Server) loadCycle(r *http.Request, p *page, req *beheer.Request, f beheer.Facts, rec *requestRecords) (*cycleView, error) {
	a := p.Actor
	tested := req.Phase == beheer.PhaseExecution || req.Phase == beheer.PhaseOptimisation || req.Phase == beheer.PhaseClosed
	reviewed := req.Phase == beheer.PhaseOptimisation || req.Phase == beheer.PhaseClosed
	recs, err := s.store.RequestCycle(r.Context(), a, req.ID, store.CycleParts{Tests: tested, Review: reviewed, Time: true})
	if err != nil {
		return nil, err
	}
	c := &cycleView{LinkKinds: beheer.LinkKinds, Today: isoDay(s.now().In(s.zone)), Links: recs.Links, Outages: recs.Outages,
		Tests: recs.Tests, Evaluation: recs.Evaluation, Time: recs.Time}
	c.CanLink = beheer.CheckLink(a, req, f, req.ID+1, beheer.LinkRelatesTo) == nil
	c.NeedsTest = rec.policy.NeedsChangeTest(req.Type)
	if tested {
		c.CanTest = beheer.CheckChangeTest(a, req, f) == nil
		c.ShowTests = len(c.Tests) > 0 || (c.CanTest && (c.NeedsTest || req.Type == beheer.TypeWish || req.Type == beheer.TypeChange))
		if c.CanTest {
			if c.Testers, err = s.store.PlanPeople(r.Context(), a); err != nil {
				return nil, err
			}
		}
	}
	if reviewed {
		if err := s.loadFollowUp(r, p, req, f, recs.Evaluators, c); err != nil {
			return nil, err
		}
	}
	s.timeForms(p, req, f, rec, c)
	return c, nil
}

// loadFollowUp fills in who evaluates and what the follow-up buttons need,
// in Optimalisatie and after.
func (s *Server) loadFollowUp(r *http.Request, p *page, req *beheer.Request, f beheer.Facts, ef beheer.EvaluatorFacts, c *cycleView) error {
	c.Evaluators = ef.Evaluators()
	c.CanEvaluate = req.Phase == beheer.PhaseOptimisation && beheer.CanEvaluateOutcome(p.Actor, req, ef)
	c.ShowReview = true
	c.FollowUp = beheer.CheckFollowUp(p.Actor, req, f) == nil
	if !c.FollowUp || !beheer.CanAddPlanInput(p.Actor) {
		return nil
	}
	c.PlanYear = s.now().In(s.zone).Year()
	var err error
	c.PlanInput, err = s.store.HasPlan(r.Context(), c.PlanYear)
	return err
}

// timeForms says which hours the person may register: their own, and the
// outside parties' of the open escalations.
func (s *Server) timeForms(p *page, req *beheer.Request, f beheer.Facts, rec *requestRecords, c *cycleView) {
	if !beheer.CanSeeInternal(p.Actor, req, f) {
		return
	}
	c.OwnTime = beheer.CheckOwnTime(p.Actor, req, f) == nil
	for _, e := range rec.escalations {
		if beheer.CheckVendorTime(p.Actor, req, f, &e) == nil {
			c.VendorTime = append(c.VendorTime, e)
		}
	}
	c.TimeTasks = rec.tasks
	c.ShowTime = len(c.Time) > 0 || c.OwnTime || len(c.VendorTime) > 0
}

// requestChangeTest records an Accept test from the Uitvoering section,
// with an optional file as evidence.
func (s *Server) requestChangeTest(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	evidence, err := s.optionalUpload(r, "evidence")
	if err == nil {
		var v beheer.Validation
		in := beheer.ChangeTestInput{TesterID: formID(r, "tester", &v), TestedOn: formDay(r, "tested_on", &v),
			Result: beheer.ChangeTestResult(r.PostFormValue("result")), Notes: formText(r, "notes"),
			ProductionOn: formDay(r, "production_on", &v), Evidence: evidence}
		if err = v.Err(); err == nil {
			_, err = s.store.RecordChangeTest(r.Context(), p.Actor, id, in)
		}
	}
	return s.done(w, r, p, id, "changetest", "tested", err)
}

// optionalUpload reads an optional file field of a multipart form: nil
// when none was chosen, refused beside the field when it is too large.
func (s *Server) optionalUpload(r *http.Request, field string) (*beheer.Upload, error) {
	file, hdr, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, beheer.Invalid(field, "release.field.file_too_large", "max", beheer.FormatBytes(s.store.MaxAttachmentSize()))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, s.store.MaxAttachmentSize()+1))
	if err != nil {
		return nil, err
	}
	if hdr.Filename == "" && len(data) == 0 {
		return nil, nil
	}
	return &beheer.Upload{Name: hdr.Filename, Data: data}, nil
}

// requestOwnerEvaluation records the process owner's evaluation.
func (s *Server) requestOwnerEvaluation(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := beheer.OwnerEvaluationInput{GoalMet: beheer.GoalMet(r.PostFormValue("goal_met")), Notes: formText(r, "notes")}
	_, err = s.store.EvaluateOutcome(r.Context(), p.Actor, id, in)
	return s.done(w, r, p, id, "owner-evaluation", "owner_evaluated", err)
}

// requestLink links the request to another, named by its number.
func (s *Server) requestLink(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	kind := beheer.LinkKind(r.PostFormValue("kind"))
	other, err := s.otherRequest(r, p, formText(r, "other"))
	if err == nil {
		err = s.store.Link(r.Context(), p.Actor, id, other, kind)
	} else {
		err = withKindMessage(err, p.Actor, id, kind)
	}
	return s.done(w, r, p, id, "link", "linked", err)
}

// withKindMessage adds the message about the link's kind, if any, to the
// refusal of the other request, so the form shows both at once.
func withKindMessage(err error, a *beheer.Actor, id int64, kind beheer.LinkKind) error {
	var be, ke *beheer.Error
	own := &beheer.Request{ID: id, RequesterID: a.UserID}
	if !errors.As(err, &be) || !errors.As(beheer.CheckLink(a, own, beheer.Facts{}, -1, kind), &ke) {
		return err
	}
	return &beheer.Error{Code: be.Code, Key: be.Key, Fields: append(ke.Fields, be.Fields...)}
}

// otherRequest looks up a request by its number (or id) as the person;
// one they may not see is as unknown as a missing one.
func (s *Server) otherRequest(r *http.Request, p *page, raw string) (int64, error) {
	if raw == "" {
		return 0, beheer.Invalid("other", "link.field.other_required")
	}
	if requestNumber.MatchString(raw) {
		req, _, err := s.store.RequestByNumber(r.Context(), p.Actor, raw)
		if err != nil {
			return 0, beheer.Invalid("other", "field.unknown_request")
		}
		return req.ID, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0, beheer.Invalid("other", "field.unknown_request")
	}
	return n, nil
}

// requestPlanInput gives input for this year's plan from the request's
// evaluation.
func (s *Server) requestPlanInput(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	req, _, err := s.store.Request(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	in := beheer.InputInput{AreaID: req.AreaID, Title: formText(r, "title"), Description: formText(r, "description"),
		SourceRequestID: id}
	if !p.Actor.Can(beheer.PermRequestDecide, req.AreaID) && !beheer.CanKeepPlan(p.Actor) {
		in.AreaID = 0 // input for no area in particular
	}
	_, err = s.store.AddPlanInput(r.Context(), p.Actor, s.now().In(s.zone).Year(), in)
	return s.done(w, r, p, id, "plan-input", "plan_input", err)
}

// requestTime registers hours: own ones, or with an escalation chosen the
// outside party's.
func (s *Server) requestTime(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var v beheer.Validation
	in := beheer.TimeEntryInput{TaskID: formID(r, "task", &v), EscalationID: formID(r, "escalation", &v),
		WorkedOn: formDay(r, "worked_on", &v), Hours: r.PostFormValue("hours"), Note: formText(r, "note"),
		VendorReference: formText(r, "vendor_reference")}
	if err = v.Err(); err == nil {
		_, err = s.store.RecordTime(r.Context(), p.Actor, id, in)
	}
	return s.done(w, r, p, id, "time", "time", err)
}

// Minutes shows minutes as hours and minutes ("1:30").
func (p *page) Minutes(m int) string { return beheer.FormatMinutes(m) }

// changeTestSettings is the page of the types that need the Accept test.
type changeTestSettings struct {
	formRefusal
	Types   []beheer.Type
	Checked map[beheer.Type]bool
}

func (s *Server) changeTestSettingsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showChangeTestSettings(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showChangeTestSettings(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	pol, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	v := changeTestSettings{formRefusal: fe, Types: beheer.Types, Checked: map[beheer.Type]bool{}}
	for _, t := range pol.ChangeTestTypes {
		v.Checked[t] = true
	}
	if fe.Values != nil {
		v.Checked = map[beheer.Type]bool{}
		for _, t := range fe.Values["types"] {
			v.Checked[beheer.Type(t)] = true
		}
	}
	p.Title, p.Data = p.T("cycle.settings.title"), v
	if r.URL.Query().Get("done") == "saved" && p.Flash == "" {
		p.Flash = p.T("cycle.settings.saved")
	}
	s.render(w, status, "changetestsettings", "", p)
	return nil
}

// saveChangeTestSettings sets the types that need the Accept test; the
// other rule settings stay as they are.
func (s *Server) saveChangeTestSettings(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	pol.ChangeTestTypes = nil
	for _, t := range r.PostForm["types"] {
		pol.ChangeTestTypes = append(pol.ChangeTestTypes, beheer.Type(t))
	}
	if err := s.store.SetPolicy(r.Context(), p.Actor, pol); err != nil {
		return p.showRefused(r, "change-tests", err, func(fe formRefusal) error {
			return s.showChangeTestSettings(w, r, p, fe.Status, fe)
		})
	}
	redirect(w, r, "/settings/change-tests?done=saved")
	return nil
}

// activityCycle adds to an activity's page what the cycle knows of it: a
// consultancy day shows the year's consultancy hours against the budget,
// a test window the releases tested in it.
func (s *Server) activityCycle(r *http.Request, p *page, v *activityView) error {
	switch v.A.Kind {
	case beheer.KindConsultancyDay:
		use, err := s.store.ConsultancyUse(r.Context(), p.Actor, v.Year)
		v.Budget = &use
		return err
	case beheer.KindReleaseTest:
		var err error
		v.Releases, err = s.store.ReleasesInWindow(r.Context(), p.Actor, v.A.ID)
		return err
	}
	return nil
}

// setBudget sets the year's consultancy budget from the plan's page.
func (s *Server) setBudget(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	hours, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("budget_hours")))
	if perr != nil {
		err = beheer.Invalid("consultancy_budget_hours", "cycle.budget.whole_hours")
	} else {
		_, err = s.store.SetConsultancyBudget(r.Context(), p.Actor, year, hours)
	}
	if err != nil {
		return p.showRefused(r, "budget", err, func(fe formRefusal) error { return s.showPlanYear(w, r, p, fe.Status, fe, "") })
	}
	redirect(w, r, "/plan/"+strconv.Itoa(year)+"?done=saved#budget")
	return nil
}
