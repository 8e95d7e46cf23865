package server

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"beheer"
)

// requestView is the data of the request page: the request with everything
// that happened to it, and the actions this person may take now.
type requestView struct {
	R        *beheer.Request
	Facts    beheer.Facts
	Decision *beheer.Decision
	Deciders *deciderView // who decides a change request; nil for other types
	// DecideAction is where the decision form posts: the request, or the
	// e-mail link it was opened from.
	DecideAction string
	Steps        []phaseStep
	// Internal is true when the person sees internal notes (never the
	// requester); task and escalation notes are shown only then.
	Internal      bool
	Timeline      []timelineItem
	Escalations   []escalationView // open ones
	Tasks         []taskView       // open ones
	Attachments   []beheer.Attachment
	Viewer        bool             // an attached picture is shown: the page has the viewer
	Investigation []beheer.Comment // the latest staff comments, for the decider
	Act           actions
	Areas         []beheer.Area // the areas the triage form offers
	AreaUnknownOK bool          // the triage form may set "not known"
	// Process names the request's process, "" when it has none.
	Process string
	// Processes are the triage form's processes, by area: the offered
	// areas' open processes, and the request's own.
	Processes   []processGroup
	Assignees   []beheer.User // functional and technical admins
	Technicians []beheer.User // technical admins
	MaxUpload   string
	// MaxUploadBytes is the limit for the browser's check before upload.
	MaxUploadBytes int64
	Answers        []answerView // the answers to the form it was filed with
	// EditAnswers: the person may change those answers (CanEditAnswers).
	EditAnswers bool

	// A form that failed: its name, the values as entered, the messages.
	Failed string
	Values map[string]string
	Errs   map[string]string
	Error  string
	// ErrorList repeats the field messages above the page, each linking to
	// its field, so the reason is read first.
	ErrorList []fieldLink
	// Done confirms what the person just did, shown where they did it
	// (DoneAt: the form's id), or "" for the page's notice at the top.
	Done, DoneAt string
	// RatingHelp tells the requester what their rating will do.
	RatingHelp string
	// Next is the step this person most likely takes now, for the button
	// in the page's head: its form and its words.
	Next, NextLabel string
	Stale           bool // the edit was based on a version someone else replaced
	// Knowledge is the articles and news linked to the request.
	Knowledge *beheer.RequestKnowledge
	// SLA is the service-level state: time left or overdue, paused, parked.
	SLA     *SLABadge
	Parked  bool
	CanPark bool
	// Cycle is the Accept test, the evaluation, links, outages and hours.
	Cycle *cycleView
	// Collab is working together: standard answers, followers, joins.
	Collab *collabView
}

// phaseStep is one step of the phase stepper.
type phaseStep struct {
	Phase   beheer.Phase
	Done    bool
	Current bool
	Ended   bool // rejected or withdrawn: the end took the place of Afgerond
}

// escalationView is an open escalation and whether this person may close it.
type escalationView struct {
	beheer.Escalation
	CanClose bool
}

// taskView is an open technical task and whether this person may finish it.
type taskView struct {
	beheer.Task
	CanComplete bool
}

// V returns what the person typed into field of form when that form came
// back with an error, and otherwise the stored value.
func (v *requestView) V(form, field string, stored any) string {
	if v.Failed == form {
		if s, ok := v.Values[field]; ok {
			return s
		}
	}
	return fmt.Sprint(stored)
}

// Differs reports whether the person typed something else than what is
// saved now into field of the edit form that came back as stale.
func (v *requestView) Differs(field string, saved any) bool {
	typed, ok := v.Values[field]
	return v.Stale && v.Failed == "edit" && ok && typed != fmt.Sprint(saved)
}

// Err returns the message for a field of the form that came back.
func (v *requestView) Err(form, field string) string {
	if v.Failed != form {
		return ""
	}
	return v.Errs[field]
}

// Open reports whether a form's <details> starts open: the form that came
// back with an error, or with none, the one this person most likely needs.
func (v *requestView) Open(form string) bool {
	if v.DoneAt == "form-"+form {
		return true
	}
	if v.Failed != "" {
		return v.Failed == form
	}
	return v.Act.Primary == form
}

// AssigneeName names a person of the assignee list, or "".
func (v *requestView) AssigneeName(id int64) string {
	for _, u := range v.Assignees {
		if u.ID == id {
			return u.Name
		}
	}
	return ""
}

// Size formats a file size.
func (v *requestView) Size(n int64) string { return beheer.FormatBytes(n) }

// okMessages are the success messages a redirect may ask for with ?ok=; the
// page never shows text from the URL itself.
var okMessages = map[string]bool{
	"created": true, "saved": true, "moved": true, "rejected": true, "withdrawn": true, "reopened": true,
	"asked": true, "to_decision": true, "decided": true, "voted": true, "evaluated": true, "rated_closed": true, "rated_follow_up": true, "rated_wait": true, "task": true,
	"task_done": true, "escalated": true, "escalation_closed": true, "commented": true, "attached": true,
	"tested": true, "owner_evaluated": true, "linked": true, "plan_input": true, "time": true, "outage": true,
	"mention_void": true, "following": true, "follower_added": true, "unfollowed": true, "duplicate": true,
	"parent": true, "joined": true, "left": true, "joined_incident": true, "answers_saved": true,
}

// requestNumber matches a readable number such as 2026-0042.
var requestNumber = regexp.MustCompile(`^\d{4}-\d{4,}$`)

// requestPage shows one request. A request the person may not see answers
// exactly as a missing one.
func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := s.requestIDOf(r, p)
	if err != nil {
		return err
	}
	v, err := s.loadRequestView(r, p, id)
	if err != nil {
		return err
	}
	if k := r.URL.Query().Get("ok"); okMessages[k] {
		if place := okPlace(k); place == "top" {
			p.Flash = p.T("req.ok." + k)
		} else {
			v.Done, v.DoneAt = p.T("req.ok."+k), place
		}
	}
	// Opening the request is reading what the bell said about it.
	if err := s.store.MarkRequestRead(r.Context(), p.Actor, id); err != nil {
		return err
	}
	s.renderRequest(w, http.StatusOK, p, v)
	return nil
}

// requestIDOf reads the id in the path; a readable number (2026-0042) is
// looked up, so people can type it into the address bar.
func (s *Server) requestIDOf(r *http.Request, p *page) (int64, error) {
	if raw := r.PathValue("id"); requestNumber.MatchString(raw) {
		req, _, err := s.store.RequestByNumber(r.Context(), p.Actor, raw)
		if err != nil {
			return 0, err
		}
		return req.ID, nil
	}
	return pathID(r, "id")
}

func (s *Server) renderRequest(w http.ResponseWriter, status int, p *page, v *requestView) {
	p.Title = v.R.Number + " " + v.R.Title
	p.Data = v
	s.render(w, status, "request", "", p)
}

// loadRequestView reads the request and everything shown with it, each
// through the store with the person as actor.
func (s *Server) loadRequestView(r *http.Request, p *page, id int64) (*requestView, error) {
	ctx, a := r.Context(), p.Actor
	req, f, err := s.store.Request(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rec, err := s.loadRecords(r, a, req)
	if err != nil {
		return nil, err
	}
	cycle, err := s.loadCycle(r, p, req, f, rec)
	if err != nil {
		return nil, err
	}
	f.ChangeTest = beheer.LatestChangeTest(cycle.Tests) // the move out of Uitvoering reads it
	v := &requestView{R: req, Facts: f, Cycle: cycle, Decision: rec.decision, Internal: beheer.CanSeeInternal(a, req, f),
		Attachments: rec.attachments, MaxUpload: beheer.FormatBytes(s.store.MaxAttachmentSize()), MaxUploadBytes: s.store.MaxAttachmentSize(),
		Values: map[string]string{}, Errs: map[string]string{}}
	reader, err := s.requestAnswers(r, p, v, rec)
	if err != nil {
		return nil, err
	}
	v.Steps = phaseSteps(req, rec.audit)
	v.Process = rec.processName(req.ProcessID)
	v.Act = s.allowedActions(p, req, f, rec)
	v.Escalations, v.Tasks = openWork(a, req, f, rec)
	for _, t := range v.Tasks {
		if v.Act.Primary == "" && t.CanComplete && t.AssigneeID == a.UserID {
			v.Act.Primary = "task-" + strconv.FormatInt(t.ID, 10)
		}
	}
	v.Next, v.NextLabel = nextStep(p, req, v)
	if v.Act.Evaluate {
		c, err := s.store.Closure(ctx)
		if err != nil {
			return nil, err
		}
		v.RatingHelp = ratingHelp(p, c)
	}
	if err := s.loadFormChoices(r, p, v, rec); err != nil {
		return nil, err
	}
	if v.Act.Decide {
		v.Investigation = staffComments(req, rec.comments, 3)
	}
	v.Deciders = s.deciderView(p, req, rec)
	if err := s.loadCollab(r, p, v); err != nil {
		return nil, err
	}
	named := slices.Clone(v.Assignees)
	for _, f := range v.Collab.Circle.Followers {
		named = append(named, beheer.User{ID: f.UserID, Name: f.Name})
	}
	v.Timeline = buildTimeline(p, req, rec, named, v.Internal, reader)
	for _, item := range v.Timeline {
		v.Viewer = v.Viewer || item.Image != nil
	}
	if v.Knowledge, err = s.store.KnowledgeForRequest(ctx, a, id); err != nil {
		return nil, err
	}
	badges, err := s.SLABadges(ctx, p, []*beheer.Request{req})
	if err != nil {
		return nil, err
	}
	if b, ok := badges[req.ID]; ok {
		v.SLA = &b
	}
	_, state, err := s.store.RequestSLA(ctx, a, id)
	if err != nil {
		return nil, err
	}
	v.Parked = !state.ParkedUntil.IsZero()
	v.CanPark = beheer.CanManage(a, req) && req.Phase.Open()
	return v, nil
}

// requestAnswers fills the request's answers as the page shows them and
// returns the reader that shows them, which the timeline tells changed
// answers with (nil for a request filed without a form).
func (s *Server) requestAnswers(r *http.Request, p *page, v *requestView, rec *requestRecords) (*answerReader, error) {
	if v.R.FormVersionID == 0 {
		return nil, nil
	}
	fields, answers, err := s.store.AnswersOf(r.Context(), v.R)
	if err != nil {
		return nil, err
	}
	reader, err := s.newAnswerReader(r, p, fields, answers, rec)
	if err != nil {
		return nil, err
	}
	v.Answers, v.EditAnswers = reader.views(answers), beheer.CanEditAnswers(p.Actor, v.R)
	return reader, nil
}

// loadFormChoices fills the choices of the triage and task forms.
func (s *Server) loadFormChoices(r *http.Request, p *page, v *requestView, rec *requestRecords) error {
	if v.Act.Edit != editManager && !v.Act.Task {
		return nil
	}
	people, err := s.store.Assignees(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	v.Assignees = people
	for _, u := range people {
		if u.Actor().HasRole(beheer.RoleTechnicalAdmin) {
			v.Technicians = append(v.Technicians, u)
		}
	}
	for _, area := range rec.areas {
		moved := *v.R
		moved.AreaID = area.ID
		if area.ID == v.R.AreaID || !area.Archived() && beheer.CanManage(p.Actor, &moved) {
			v.Areas = append(v.Areas, area)
		}
	}
	unknown := *v.R
	unknown.AreaID = 0
	v.AreaUnknownOK = v.R.AreaID == 0 || beheer.CanManage(p.Actor, &unknown)
	open := slices.DeleteFunc(slices.Clone(rec.processes), func(pr beheer.Process) bool {
		return pr.Archived() && pr.ID != v.R.ProcessID
	})
	v.Processes = groupProcesses(v.Areas, open, "")
	return nil
}

// openWork lists the open escalations and tasks with what the person may
// do to each.
func openWork(a *beheer.Actor, r *beheer.Request, f beheer.Facts, rec *requestRecords) ([]escalationView, []taskView) {
	var escs []escalationView
	for _, e := range rec.escalations {
		if e.Open() {
			escs = append(escs, escalationView{e, beheer.CheckCloseEscalation(a, r, f, &e, "x") == nil})
		}
	}
	var tasks []taskView
	for _, t := range rec.tasks {
		if t.Status == beheer.TaskOpen {
			tasks = append(tasks, taskView{t, beheer.CheckCompleteTask(a, r, &t, "x") == nil})
		}
	}
	return escs, tasks
}

// staffComments returns the latest n comments not written by the requester:
// the investigation the process owner decides on.
func staffComments(r *beheer.Request, comments []beheer.Comment, n int) []beheer.Comment {
	var out []beheer.Comment
	for _, c := range comments {
		if c.AuthorID != r.RequesterID {
			out = append(out, c)
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// lifecycle is the stepper's path; a request that ended as rejected or
// withdrawn shows that end in the last step.
var lifecycle = []beheer.Phase{beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution,
	beheer.PhaseOptimisation, beheer.PhaseClosed}

// phaseSteps builds the stepper. For a rejected or withdrawn request the
// audit trail tells from which phase it ended.
func phaseSteps(r *beheer.Request, audit []beheer.AuditEntry) []phaseStep {
	current := -1
	for i, ph := range lifecycle {
		if ph == r.Phase {
			current = i
		}
	}
	ended := current < 0
	if ended {
		current = len(lifecycle) - 1
		reached := 0
		for _, e := range audit {
			if e.Action == "request.transition" && beheer.Phase(e.After) == r.Phase {
				for i, ph := range lifecycle {
					if ph == beheer.Phase(e.Before) {
						reached = i
					}
				}
			}
		}
		steps := make([]phaseStep, 0, len(lifecycle))
		for i, ph := range lifecycle[:len(lifecycle)-1] {
			steps = append(steps, phaseStep{Phase: ph, Done: i <= reached})
		}
		return append(steps, phaseStep{Phase: r.Phase, Current: true, Ended: true})
	}
	steps := make([]phaseStep, len(lifecycle))
	for i, ph := range lifecycle {
		steps[i] = phaseStep{Phase: ph, Done: i < current || r.Phase == beheer.PhaseClosed, Current: i == current}
	}
	return steps
}

// nextStep is the step the person most likely takes now, for the button
// in the page's head: a decision, a rating, their own task, the triage,
// moving on, or putting it before the process owner. The other actions
// stay grouped beside the page.
func nextStep(p *page, r *beheer.Request, v *requestView) (form, label string) {
	act := v.Act
	switch {
	case act.Decide:
		return "decide", p.T("next.decide")
	case act.Evaluate && r.Rating == 0:
		return "evaluate", p.T("next.evaluate")
	case strings.HasPrefix(act.Primary, "task-"):
		return act.Primary, p.T("next.task")
	case act.Edit == editManager && r.Status == beheer.StatusAwaitingTriage:
		return "edit", p.T("next.triage")
	case act.ToDecision && r.Status == beheer.StatusAwaitingAssignee:
		return "to-decision", p.T("next.to_decision")
	case len(act.Moves) > 0 && !act.Moves[0].Back:
		return "move", p.T("next.move", "phase", act.Moves[0].To)
	}
	return "", ""
}

// ratingHelp says what a rating will do under the organisation's closure
// settings, so the requester knows before they rate.
func ratingHelp(p *page, c beheer.Closure) string {
	var parts []string
	if c.CloseAtRating > 0 {
		parts = append(parts, p.T("closure.help_close", "rating", c.CloseAtRating))
	}
	if c.PoorRating > 0 {
		parts = append(parts, p.T("closure.help_poor", "rating", c.PoorRating))
	}
	if c.CloseAtRating == 0 {
		parts = append(parts, p.T("closure.help_assignee"))
	}
	return strings.Join(parts, " ")
}
