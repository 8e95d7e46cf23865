package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// The annual plan's pages: the list of years, a year (as months or a
// list, with objectives, inputs and the forms of each role), an objective
// and an activity (with a consultancy day's agenda).

// plansView is the data of the list of years.
type plansView struct {
	formRefusal
	Plans     []*beheer.Plan
	CanCreate bool
	NextYear  int
}

func (s *Server) plansPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showPlans(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showPlans(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	plans, err := s.store.Plans(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	next := s.now().In(s.zone).Year()
	for _, pl := range plans {
		if pl.Year >= next {
			next = pl.Year + 1
		}
	}
	p.Title = p.T("plan.title")
	p.Data = plansView{formRefusal: fe, Plans: plans, CanCreate: beheer.CanCreatePlan(p.Actor), NextYear: next}
	s.render(w, status, "plan", "", p)
	return nil
}

func (s *Server) createPlan(w http.ResponseWriter, r *http.Request, p *page) error {
	year, convErr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	var tmpl []beheer.ActivityInput
	if r.PostFormValue("template") != "" && convErr == nil && beheer.ValidPlanYear(year) {
		tmpl = planTemplate(year, p.T)
	}
	if convErr != nil {
		year = 0
	}
	_, err := s.store.CreatePlan(r.Context(), p.Actor, year, tmpl)
	if err == nil {
		redirect(w, r, "/plan/"+strconv.Itoa(year))
		return nil
	}
	return p.showRefused(r, "plan", err, func(fe formRefusal) error { return s.showPlans(w, r, p, fe.Status, fe) })
}

// planTemplate is the seed's year in the language of t.
func planTemplate(year int, t func(key string, args ...any) string) []beheer.ActivityInput {
	return beheer.TemplateActivities(year, func(k beheer.ActivityKind) (string, string) {
		return t("plan.template." + string(k)), t("plan.template." + string(k) + ".description")
	})
}

// planMonth is one month of the year view.
type planMonth struct {
	Month time.Month
	Items []beheer.Occurrence
}

// planYearView is the data of a year's page.
type planYearView struct {
	formRefusal
	V             *beheer.PlanView
	Months        []planMonth
	List          bool
	CanKeep       bool
	CanObjectives bool
	CanInput      bool
	People        []beheer.PersonName
	Areas         []beheer.Area
	FeedURL       string // shown once, right after a new token
	Today         time.Time
}

// InputAreas are the areas the person may give input for.
func (v planYearView) InputAreas(a *beheer.Actor) []beheer.Area {
	if v.CanKeep {
		return v.Areas
	}
	var out []beheer.Area
	for _, ar := range v.Areas {
		if a.Can(beheer.PermRequestDecide, ar.ID) {
			out = append(out, ar)
		}
	}
	return out
}

func (s *Server) planYearPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showPlanYear(w, r, p, http.StatusOK, formRefusal{}, "")
}

func (s *Server) showPlanYear(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal, feedURL string) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	v, err := s.store.Plan(r.Context(), p.Actor, year)
	if err != nil {
		return err
	}
	view := planYearView{formRefusal: fe, V: v, List: r.URL.Query().Get("view") == "list", CanKeep: beheer.CanKeepPlan(p.Actor),
		CanObjectives: beheer.CanSetObjectives(p.Actor), CanInput: beheer.CanAddPlanInput(p.Actor), FeedURL: feedURL}
	now := s.now().In(s.zone)
	view.Today = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for m := time.January; m <= time.December; m++ {
		view.Months = append(view.Months, planMonth{Month: m})
	}
	for _, a := range v.Activities {
		for _, o := range a.Occurrences() {
			view.Months[o.Start.Month()-1].Items = append(view.Months[o.Start.Month()-1].Items, o)
		}
	}
	for i := range view.Months {
		items := view.Months[i].Items
		for j := 1; j < len(items); j++ { // few per month: insertion sort by day
			for k := j; k > 0 && items[k].Start.Before(items[k-1].Start); k-- {
				items[k], items[k-1] = items[k-1], items[k]
			}
		}
	}
	if view.CanObjectives || view.CanKeep {
		if view.People, err = s.store.PlanPeople(r.Context(), p.Actor); err != nil {
			return err
		}
	}
	if view.CanInput {
		if view.Areas, err = s.store.Areas(r.Context()); err != nil {
			return err
		}
	}
	p.Title = p.T("plan.year_title", "year", year)
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = view
	s.render(w, status, "planyear", "", p)
	return nil
}

// planDoneMessage confirms what the previous post did (?done=…).
func planDoneMessage(p *page, r *http.Request) string {
	switch d := r.URL.Query().Get("done"); d {
	case "approved", "objective", "activity", "input", "linked", "unlinked", "saved", "request", "declined", "revoked",
		"outcome", "release", "check", "finding", "signoff", "announced", "contact", "removed":
		return p.T("plan.done." + d)
	}
	return ""
}

func yearPath(year int, rest string) string { return "/plan/" + strconv.Itoa(year) + rest }

func (s *Server) approvePlan(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if _, err := s.store.ApprovePlan(r.Context(), p.Actor, year); err != nil {
		return s.planYearFailed(w, r, p, "approve", err)
	}
	redirect(w, r, yearPath(year, "?done=approved"))
	return nil
}

func (s *Server) planYearFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	return p.showRefused(r, form, err, func(fe formRefusal) error {
		return s.showPlanYear(w, r, p, fe.Status, fe, "")
	})
}

// planFormID reads a numeric form field; "" is 0, anything else unreadable
// is reported on field.
func planFormID(r *http.Request, name string, v *beheer.Validation) int64 {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return 0
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		v.Add(name, "field.invalid")
	}
	return n
}

// formDay reads a date field (yyyy-mm-dd); "" is zero.
func formDay(r *http.Request, name string, v *beheer.Validation) time.Time {
	return apiDay(r.PostFormValue(name), name, v)
}

func readObjectiveForm(r *http.Request) (beheer.ObjectiveInput, error) {
	var v beheer.Validation
	in := beheer.ObjectiveInput{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Target: r.PostFormValue("target"), OwnerID: planFormID(r, "owner", &v), Status: beheer.ObjectiveStatus(r.PostFormValue("status"))}
	if err := v.Err(); err != nil {
		return in, err
	}
	return in, nil
}

func (s *Server) createObjective(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	in, err := readObjectiveForm(r)
	if err == nil {
		_, err = s.store.CreateObjective(r.Context(), p.Actor, year, in)
	}
	if err != nil {
		return s.planYearFailed(w, r, p, "objective", err)
	}
	redirect(w, r, yearPath(year, "?done=objective#objectives"))
	return nil
}

func readActivityForm(r *http.Request) (beheer.ActivityInput, error) {
	var v beheer.Validation
	in := beheer.ActivityInput{ObjectiveID: planFormID(r, "objective", &v), Kind: beheer.ActivityKind(r.PostFormValue("kind")),
		Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), StartsOn: formDay(r, "starts_on", &v),
		EndsOn: formDay(r, "ends_on", &v), Recurrence: beheer.Recurrence(r.PostFormValue("recurrence")),
		Role: beheer.Role(r.PostFormValue("role")), ResponsibleID: planFormID(r, "responsible", &v),
		Status: beheer.ActivityStatus(r.PostFormValue("status")), Outcome: r.PostFormValue("outcome")}
	if in.StartsOn.IsZero() && !v.Has("starts_on") {
		v.Add("starts_on", "field.required")
	}
	return in, v.Err()
}

func (s *Server) createActivity(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	in, err := readActivityForm(r)
	if err == nil {
		_, err = s.store.CreateActivity(r.Context(), p.Actor, year, in)
	}
	if err != nil {
		return s.planYearFailed(w, r, p, "activity", err)
	}
	redirect(w, r, yearPath(year, "?done=activity"))
	return nil
}

func (s *Server) addPlanInput(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var v beheer.Validation
	in := beheer.InputInput{AreaID: s.kbAreaID(r, r.PostFormValue("area"), "area", &v), Title: r.PostFormValue("title"),
		Description: r.PostFormValue("description"), Priority: beheer.Priority(r.PostFormValue("priority"))}
	err = v.Err()
	if err == nil {
		_, err = s.store.AddPlanInput(r.Context(), p.Actor, year, in)
	}
	if err != nil {
		return s.planYearFailed(w, r, p, "input", err)
	}
	redirect(w, r, yearPath(year, "?done=input#inputs"))
	return nil
}

func (s *Server) inputToRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	in, _, err := s.planInputOf(r, p.Actor)
	if err != nil {
		return err
	}
	req, err := s.store.InputToRequest(r.Context(), p.Actor, in.ID)
	if err != nil {
		return s.planYearFailed(w, r, p, "convert", err)
	}
	redirect(w, r, "/requests/"+strconv.FormatInt(req.ID, 10))
	return nil
}

func (s *Server) inputToActivity(w http.ResponseWriter, r *http.Request, p *page) error {
	in, year, err := s.planInputOf(r, p.Actor)
	if err != nil {
		return err
	}
	var v beheer.Validation
	a := beheer.ActivityInput{Kind: beheer.KindOther, Title: in.Title, Description: in.Description,
		StartsOn: formDay(r, "starts_on", &v)}
	if a.StartsOn.IsZero() && !v.Has("starts_on") {
		v.Add("starts_on", "field.required")
	}
	err = v.Err()
	var act *beheer.Activity
	if err == nil {
		act, err = s.store.InputToActivity(r.Context(), p.Actor, in.ID, a)
	}
	if err != nil {
		return s.planYearFailed(w, r, p, "convert-"+strconv.FormatInt(in.ID, 10), err)
	}
	redirect(w, r, yearPath(year, "/activities/"+strconv.FormatInt(act.ID, 10)+"?done=activity"))
	return nil
}

func (s *Server) declineInput(w http.ResponseWriter, r *http.Request, p *page) error {
	in, year, err := s.planInputOf(r, p.Actor)
	if err != nil {
		return err
	}
	if err := s.store.DeclineInput(r.Context(), p.Actor, in.ID); err != nil {
		return s.planYearFailed(w, r, p, "convert", err)
	}
	redirect(w, r, yearPath(year, "?done=declined#inputs"))
	return nil
}

func (s *Server) rotateFeed(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	token, err := s.store.RotatePlanFeed(r.Context(), p.Actor, year)
	if err != nil {
		return s.planYearFailed(w, r, p, "feed", err)
	}
	// The address is shown once, on this answer; only its hash is kept.
	p.Flash = p.T("plan.feed.made")
	return s.showPlanYear(w, r, p, http.StatusOK, formRefusal{}, s.feedURL(r, year, token))
}

func (s *Server) revokeFeed(w http.ResponseWriter, r *http.Request, p *page) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokePlanFeed(r.Context(), p.Actor, year); err != nil {
		return s.planYearFailed(w, r, p, "feed", err)
	}
	redirect(w, r, yearPath(year, "?done=revoked#feed"))
	return nil
}

// objectiveView is the data of an objective's page.
type objectiveView struct {
	formRefusal
	Year          int
	O             *beheer.Objective
	Requests      []*beheer.Request
	Activities    []*beheer.Activity
	CanKeep       bool
	CanObjectives bool
	People        []beheer.PersonName
}

func (s *Server) objectivePage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showObjective(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showObjective(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	o, err := s.planObjective(r, p.Actor)
	if err != nil {
		return err
	}
	year, _ := pathYear(r)
	v := objectiveView{formRefusal: fe, Year: year, O: o, CanKeep: beheer.CanKeepPlan(p.Actor), CanObjectives: beheer.CanSetObjectives(p.Actor)}
	if v.Requests, err = s.store.ObjectiveRequests(r.Context(), p.Actor, o.ID); err != nil {
		return err
	}
	plan, err := s.store.Plan(r.Context(), p.Actor, year)
	if err != nil {
		return err
	}
	for _, a := range plan.Activities {
		if a.ObjectiveID == o.ID {
			v.Activities = append(v.Activities, a)
		}
	}
	if v.CanObjectives {
		if v.People, err = s.store.PlanPeople(r.Context(), p.Actor); err != nil {
			return err
		}
	}
	p.Title = o.Title
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = v
	s.render(w, status, "planobjective", "", p)
	return nil
}

func (s *Server) objectiveFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showObjective(w, r, p, fe.Status, fe) })
}

func (s *Server) updateObjective(w http.ResponseWriter, r *http.Request, p *page) error {
	o, err := s.planObjective(r, p.Actor)
	if err != nil {
		return err
	}
	in, err := readObjectiveForm(r)
	if err == nil {
		_, err = s.store.UpdateObjective(r.Context(), p.Actor, o.ID, in)
	}
	if err != nil {
		return s.objectiveFailed(w, r, p, "objective", err)
	}
	year, _ := pathYear(r)
	redirect(w, r, yearPath(year, "/objectives/"+strconv.FormatInt(o.ID, 10)+"?done=saved"))
	return nil
}

func (s *Server) linkObjectiveRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	o, err := s.planObjective(r, p.Actor)
	if err != nil {
		return err
	}
	number := strings.TrimSpace(r.PostFormValue("request"))
	var v beheer.Validation
	var rid int64
	if number == "" {
		v.Add("request", "field.required")
	} else if req, _, err := s.store.RequestByNumber(r.Context(), p.Actor, number); err != nil {
		v.Add("request", "plan.field.unknown_request")
	} else {
		rid = req.ID
	}
	err = v.Err()
	if err == nil {
		err = s.store.LinkObjectiveRequest(r.Context(), p.Actor, o.ID, rid)
	}
	if err != nil {
		return s.objectiveFailed(w, r, p, "link", err)
	}
	year, _ := pathYear(r)
	redirect(w, r, yearPath(year, "/objectives/"+strconv.FormatInt(o.ID, 10)+"?done=linked#linked"))
	return nil
}

func (s *Server) unlinkObjectiveRequest(w http.ResponseWriter, r *http.Request, p *page) error {
	o, err := s.planObjective(r, p.Actor)
	if err != nil {
		return err
	}
	rid, err := pathID(r, "request")
	if err != nil {
		return err
	}
	if err := s.store.UnlinkObjectiveRequest(r.Context(), p.Actor, o.ID, rid); err != nil {
		return s.objectiveFailed(w, r, p, "link", err)
	}
	year, _ := pathYear(r)
	redirect(w, r, yearPath(year, "/objectives/"+strconv.FormatInt(o.ID, 10)+"?done=unlinked#linked"))
	return nil
}

// activityView is the data of an activity's page.
type activityView struct {
	formRefusal
	Year       int
	A          *beheer.Activity
	Objectives []*beheer.Objective
	People     []beheer.PersonName
	CanKeep    bool
	Agenda     *beheer.Agenda
	Today      time.Time
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showActivity(w, r, p, http.StatusOK, formRefusal{})
}

func (s *Server) showActivity(w http.ResponseWriter, r *http.Request, p *page, status int, fe formRefusal) error {
	a, err := s.planActivity(r, p.Actor)
	if err != nil {
		return err
	}
	v := activityView{formRefusal: fe, Year: a.Year, A: a, CanKeep: beheer.CanKeepPlan(p.Actor)}
	now := s.now().In(s.zone)
	v.Today = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if v.CanKeep {
		plan, err := s.store.Plan(r.Context(), p.Actor, a.Year)
		if err != nil {
			return err
		}
		v.Objectives = plan.Objectives
		if v.People, err = s.store.PlanPeople(r.Context(), p.Actor); err != nil {
			return err
		}
		if a.Kind == beheer.KindConsultancyDay {
			held, _ := beheer.ParseDay(r.URL.Query().Get("held_on"))
			if held.IsZero() {
				held, _ = beheer.ParseDay(r.PostFormValue("held_on"))
			}
			if v.Agenda, err = s.store.ConsultancyAgenda(r.Context(), p.Actor, a.ID, held); err != nil {
				if v.Agenda, err = s.store.ConsultancyAgenda(r.Context(), p.Actor, a.ID, time.Time{}); err != nil {
					return err
				}
			}
		}
	}
	p.Title = a.Title
	if p.Flash == "" {
		p.Flash = planDoneMessage(p, r)
	}
	p.Data = v
	s.render(w, status, "planactivity", "", p)
	return nil
}

func (s *Server) activityFailed(w http.ResponseWriter, r *http.Request, p *page, form string, err error) error {
	return p.showRefused(r, form, err, func(fe formRefusal) error { return s.showActivity(w, r, p, fe.Status, fe) })
}

func (s *Server) updateActivity(w http.ResponseWriter, r *http.Request, p *page) error {
	a, err := s.planActivity(r, p.Actor)
	if err != nil {
		return err
	}
	in, err := readActivityForm(r)
	if err == nil {
		_, err = s.store.UpdateActivity(r.Context(), p.Actor, a.ID, in)
	}
	if err != nil {
		return s.activityFailed(w, r, p, "activity", err)
	}
	redirect(w, r, yearPath(a.Year, "/activities/"+strconv.FormatInt(a.ID, 10)+"?done=saved"))
	return nil
}

func (s *Server) recordAgendaOutcome(w http.ResponseWriter, r *http.Request, p *page) error {
	a, err := s.planActivity(r, p.Actor)
	if err != nil {
		return err
	}
	rid, err := pathID(r, "request")
	if err != nil {
		return err
	}
	var v beheer.Validation
	held := formDay(r, "held_on", &v)
	err = v.Err()
	if err == nil {
		err = s.store.RecordConsultancyOutcome(r.Context(), p.Actor, a.ID, rid, held, r.PostFormValue("outcome"))
	}
	if err != nil {
		return s.activityFailed(w, r, p, "outcome-"+strconv.FormatInt(rid, 10), err)
	}
	redirect(w, r, yearPath(a.Year, "/activities/"+strconv.FormatInt(a.ID, 10)+"?done=outcome&held_on="+isoDay(held)+"#agenda"))
	return nil
}

// activityWhen shows an activity's days and how it repeats.
func (s *Server) activityWhen(p *page, a *beheer.Activity) string {
	when := p.Day(a.StartsOn)
	if !a.EndsOn.Equal(a.StartsOn) {
		when += " – " + p.Day(a.EndsOn)
	}
	if a.Recurrence != beheer.RepeatOnce {
		when = p.T("plan.repeat_text."+string(a.Recurrence), "first", when,
			"nth", p.T("plan.nth."+strconv.Itoa(beheer.NthWeekday(a.StartsOn))), "weekday", p.T("plan.weekday."+strconv.Itoa(int(a.StartsOn.Weekday()))))
	}
	return when
}

// When is activityWhen for templates.
func (p *page) When(a *beheer.Activity) string { return p.s.activityWhen(p, a) }

// Day formats a day (an activity's date) without time-zone shifts.
func (p *page) Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return p.Date(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, p.s.zone))
}

// ISODay formats a day for a date input.
func (p *page) ISODay(t time.Time) string { return isoDay(t) }

// MonthName names a month.
func (p *page) MonthName(m time.Month) string { return p.T("plan.month." + strconv.Itoa(int(m))) }
