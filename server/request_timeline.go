package server

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// timelineItem is one thing that happened to a request, told as a sentence
// in the person's language, with an optional text (Markdown) and link.
type timelineItem struct {
	At       time.Time
	Kind     string // comment, event, decision, escalation, task, attachment
	Text     string
	Body     string // Markdown: a comment, a motivation, an outcome
	Internal bool   // an internal note: marked, and never shown to the requester
	Link     string
	LinkText string
	Detail   string // a short plain line, such as a reference number
	Image    *timelineImage
	rank     int // order of items with the same moment
}

// timelineImage is an attached picture shown as a thumbnail that opens the
// viewer.
type timelineImage struct {
	Thumb    string // the thumbnail's address
	View     string // the picture's address for the viewer
	Download string
	Name     string // the file's name, the viewer's title
	Label    string // the thumbnail link's text (its image's alt)
}

// timelineRank orders items of the same moment: a decision before the phase
// change it causes, and that before the note that came with it.
var timelineRank = map[string]int{"decision": 0, "event": 1, "escalation": 2, "task": 2, "attachment": 3, "comment": 4}

// skippedAudit are audit actions told by their own records instead.
var skippedAudit = map[string]bool{"comment.added": true, "attachment.added": true, "decision.recorded": true,
	"escalation.opened": true, "escalation.closed": true, "task.created": true, "task.completed": true,
	"time.recorded": true,
	"answer.used":   true}

// timeline builds the request's story from its records. Everything comes
// from store reads made as the person, so internal notes (and the audit rows
// about them) are already absent for whoever may not see them.
type timeline struct {
	p     *page
	r     *beheer.Request
	rec   *requestRecords
	names map[int64]string
	items []timelineItem
	// internal is whether the person sees internal notes; the notes of
	// tasks and escalations are shown only then.
	internal bool
	// answers shows changed answers by question and readable value; nil
	// for a request filed without a form.
	answers *answerReader
}

func buildTimeline(p *page, r *beheer.Request, rec *requestRecords, people []beheer.User, internal bool, answers *answerReader) []timelineItem {
	t := &timeline{p: p, r: r, rec: rec, names: knownNames(r, rec, people), internal: internal, answers: answers}
	for _, e := range rec.audit {
		t.audit(e)
	}
	t.decision()
	t.escalations()
	t.tasks()
	t.attachments()
	t.comments()
	slices.SortStableFunc(t.items, func(a, b timelineItem) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.rank, b.rank))
	})
	return t.items
}

// knownNames maps person ids to names from what the page already shows. The
// list of all people is for user management only, so an id that appears
// nowhere else stays unnamed.
func knownNames(r *beheer.Request, rec *requestRecords, people []beheer.User) map[int64]string {
	names := map[int64]string{}
	add := func(id int64, name string) {
		if id != 0 && name != "" {
			names[id] = name
		}
	}
	add(r.RequesterID, r.RequesterName)
	add(r.AssigneeID, r.AssigneeName)
	for _, c := range rec.comments {
		add(c.AuthorID, c.AuthorName)
	}
	for _, e := range rec.audit {
		add(e.ActorID, e.ActorName)
	}
	for _, k := range rec.tasks {
		add(k.AssigneeID, k.AssigneeName)
	}
	if d := rec.decision; d != nil {
		add(d.DeciderID, d.DeciderName)
	}
	for _, u := range people {
		add(u.ID, u.Name)
	}
	return names
}

func (t *timeline) add(it timelineItem) {
	it.rank = timelineRank[it.Kind]
	t.items = append(t.items, it)
}

// who names a person by id, or says "someone".
func (t *timeline) who(id int64) string {
	if n, ok := t.names[id]; ok {
		return n
	}
	return t.p.T("req.tl.someone")
}

// actor names the person of an audit row; rows without one are the system's.
func (t *timeline) actor(e beheer.AuditEntry) string {
	switch {
	case e.ActorName != "":
		return e.ActorName
	case e.ActorID == 0:
		return t.p.T("req.tl.system")
	}
	return t.who(e.ActorID)
}

// auditActor finds who made the audit row of action at moment at.
func (t *timeline) auditActor(action string, at time.Time) string {
	for _, e := range t.rec.audit {
		if e.Action == action && e.At.Equal(at) {
			return t.actor(e)
		}
	}
	return t.p.T("req.tl.someone")
}

func (t *timeline) audit(e beheer.AuditEntry) {
	if skippedAudit[e.Action] {
		return
	}
	it := timelineItem{At: e.At, Kind: "event", Internal: e.Internal}
	who := t.actor(e)
	switch e.Action {
	case "request.created":
		it.Text = t.p.T("req.tl.created", "actor", who)
	case "request.transition":
		it.Text = t.p.T("req.tl.moved", "actor", who, "from", beheer.Phase(e.Before), "to", beheer.Phase(e.After))
	case "request.parked":
		date := e.After
		if at, err := time.Parse(time.RFC3339, e.After); err == nil {
			date = t.p.DateTime(at)
		}
		it.Text = t.p.T("sla.tl.parked", "actor", who, "date", date)
	case "request.unparked":
		it.Text = t.p.T("sla.tl.unparked")
	case "sla.warning":
		it.Text = t.p.T("sla.tl.warning")
	case "sla.breached":
		it.Text = t.p.T("sla.tl.breached")
	case "request.updated":
		it.Text = t.updated(who, e)
	case "request.closed_after":
		it.Text = t.p.T("closure.tl."+e.Field, "value", e.After)
	case "request.evaluated":
		it.Text = t.p.T("req.tl.evaluated", "actor", who, "rating", e.After)
	case "request.linked":
		it.Text = t.p.T("req.tl.linked", "actor", who)
		if id, err := strconv.ParseInt(e.After, 10, 64); err == nil && id > 0 {
			it.Link, it.LinkText = "/requests/"+e.After, t.p.T("req.tl.linked_open")
		}
	case "changetest.recorded":
		it.Text = t.p.T("cycle.tl.tested", "actor", who, "result", beheer.ChangeTestResult(e.After))
	case "request.evaluated_by_owner":
		it.Text = t.p.T("cycle.tl.owner_evaluated", "actor", who, "goal", beheer.GoalMet(e.After))
	case "outage.request_linked":
		it.Text = t.p.T("cycle.tl.outage", "actor", who)
		it.Link, it.LinkText = "/outages/"+e.After, t.p.T("cycle.tl.outage_open")
	case "plan.input_added":
		it.Text = t.p.T("cycle.tl.plan_input", "actor", who, "title", e.After)
	case "request.duplicate":
		it.Text = t.p.T("req.tl.duplicate", "actor", who, "number", e.After)
	case "request.joined_parent":
		it.Text = t.p.T("req.tl.joined_parent", "actor", who, "number", e.After)
	case "request.left_parent":
		it.Text = t.p.T("req.tl.left_parent", "actor", who)
	case "request.parent":
		it.Text = t.p.T("req.tl.parent", "actor", who)
	case "follower.added":
		if id := atoi64(e.After); id == e.ActorID {
			it.Text = t.p.T("req.tl.follows", "actor", who)
		} else {
			it.Text = t.p.T("req.tl.follower_added", "actor", who, "name", t.who(id))
		}
	case "follower.removed":
		it.Text = t.p.T("req.tl.follower_removed", "actor", who, "name", t.who(atoi64(e.Before)))
	case "decision.vote":
		if d := t.rec.decision; d != nil && e.At.Equal(d.DecidedAt) {
			return // the vote that decided is told with the decision
		}
		it.Text = t.p.T("deciders.tl.vote", "actor", who, "outcome", beheer.DecisionOutcome(e.After))
		if id, err := strconv.ParseInt(strings.TrimPrefix(e.Field, "vote:"), 10, 64); err == nil && id > 0 {
			it.Text = t.p.T("deciders.tl.vote_on_behalf", "actor", who, "for", t.who(id), "outcome", beheer.DecisionOutcome(e.After))
		}
	default:
		it.Text = t.p.T("req.tl.changed", "actor", who)
	}
	t.add(it)
}

// atoi64 reads an id from an audit row; 0 when it is none.
func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// updated tells one changed field.
func (t *timeline) updated(who string, e beheer.AuditEntry) string {
	p := t.p
	switch e.Field {
	case "title":
		return p.T("req.tl.title", "actor", who, "before", e.Before, "after", e.After)
	case "description":
		return p.T("req.tl.description", "actor", who)
	case "type":
		return p.T("req.tl.type", "actor", who, "before", beheer.Type(e.Before), "after", beheer.Type(e.After))
	case "area":
		return p.T("req.tl.area", "actor", who, "before", t.areaName(e.Before), "after", t.areaName(e.After))
	case "process":
		return p.T("req.tl.process", "actor", who, "before", t.processName(e.Before), "after", t.processName(e.After))
	case "priority":
		return p.T("req.tl.priority", "actor", who, "before", beheer.Priority(e.Before), "after", beheer.Priority(e.After))
	case "status":
		return p.T("req.tl.status", "actor", who, "status", beheer.Status(e.After))
	case "assignee":
		return t.assigned(who, e)
	}
	if field, ok := strings.CutPrefix(e.Field, "answer."); ok && t.answers != nil {
		a := t.answers
		return p.T("form.tl.answer", "actor", who, "field", a.label(field), "before", a.changed(field, e.Before), "after", a.changed(field, e.After))
	}
	return p.T("req.tl.changed", "actor", who)
}

func (t *timeline) assigned(who string, e beheer.AuditEntry) string {
	id, _ := strconv.ParseInt(e.After, 10, 64)
	name, known := t.names[id]
	switch {
	case id == 0:
		return t.p.T("req.tl.unassigned", "actor", who)
	case id == e.ActorID:
		return t.p.T("req.tl.took", "actor", who)
	case known:
		return t.p.T("req.tl.assigned", "actor", who, "name", name)
	}
	return t.p.T("req.tl.reassigned", "actor", who)
}

func (t *timeline) areaName(raw string) string {
	for _, a := range t.rec.areas {
		if strconv.FormatInt(a.ID, 10) == raw {
			return a.Name
		}
	}
	return t.p.T("request.area_unknown")
}

func (t *timeline) processName(raw string) string {
	id, _ := strconv.ParseInt(raw, 10, 64)
	if name := t.rec.processName(id); name != "" {
		return name
	}
	return t.p.T("req.none")
}

func (t *timeline) decision() {
	d := t.rec.decision
	if d == nil {
		return
	}
	key := "req.tl.decision_approved"
	if d.Outcome == beheer.DecisionRejected {
		key = "req.tl.decision_rejected"
	}
	actor := t.who(d.DeciderID)
	if d.OnBehalfOfName != "" {
		actor = t.p.T("deciders.vote_on_behalf", "name", actor, "for", d.OnBehalfOfName)
	}
	t.add(timelineItem{At: d.DecidedAt, Kind: "decision", Text: t.p.T(key, "actor", actor), Body: d.Motivation})
}

// escalations tells each escalation's opening and closing. Its note is
// shown only to whoever sees internal notes.
func (t *timeline) escalations() {
	for _, e := range t.rec.escalations {
		it := timelineItem{At: e.OpenedAt, Kind: "escalation",
			Text: t.p.T("req.tl.escalated", "actor", t.who(e.OpenedBy), "channel", e.Channel)}
		if e.Reference != "" {
			it.Detail = t.p.T("req.reference_is", "reference", e.Reference)
		}
		if t.internal {
			it.Body = e.Note
		}
		t.add(it)
		if !e.Open() {
			t.add(timelineItem{At: e.ClosedAt, Kind: "escalation", Body: e.Outcome,
				Text: t.p.T("req.tl.escalation_closed", "actor", t.auditActor("escalation.closed", e.ClosedAt), "channel", e.Channel)})
		}
	}
}

// tasks tells each technical task's handing out and completion. Its
// description and outcome are technical work notes, shown only to whoever
// sees internal notes.
func (t *timeline) tasks() {
	for _, k := range t.rec.tasks {
		it := timelineItem{At: k.CreatedAt, Kind: "task", Text: t.p.T("req.tl.task_created", "actor", t.who(k.CreatedBy), "title", k.Title)}
		if k.AssigneeName != "" {
			it.Detail = t.p.T("req.task_for", "name", k.AssigneeName)
		}
		if t.internal {
			it.Body = k.Description
		}
		t.add(it)
		if k.Status == beheer.TaskDone {
			done := timelineItem{At: k.DoneAt, Kind: "task",
				Text: t.p.T("req.tl.task_done", "actor", t.auditActor("task.completed", k.DoneAt), "title", k.Title)}
			if t.internal {
				done.Body = k.Outcome
			}
			t.add(done)
		}
	}
}

func (t *timeline) attachments() {
	for _, a := range t.rec.attachments {
		link := "/attachments/" + strconv.FormatInt(a.ID, 10)
		item := timelineItem{At: a.CreatedAt, Kind: "attachment",
			Text: t.p.T("req.tl.attachment", "actor", t.who(a.UploaderID), "name", a.Name),
			Link: link, LinkText: t.p.T("req.download", "name", a.Name),
			Detail: beheer.FormatBytes(a.Size)}
		if a.Previewable() {
			item.Image = &timelineImage{Thumb: link + "/thumb", View: link + "/view", Download: link, Name: a.Name,
				Label: t.p.T("media.open", "name", a.Name)}
		}
		t.add(item)
	}
}

// comments adds the comments and internal notes. The motivation of a
// rejection is also saved as a comment; it is told once, with the decision.
func (t *timeline) comments() {
	d := t.rec.decision
	for _, c := range t.rec.comments {
		if d != nil && c.AuthorID == d.DeciderID && c.CreatedAt.Equal(d.DecidedAt) && c.Body == d.Motivation {
			continue
		}
		key := "req.tl.comment"
		if c.Internal {
			key = "req.tl.note"
		}
		t.add(timelineItem{At: c.CreatedAt, Kind: "comment", Text: t.p.T(key, "actor", c.AuthorName), Body: c.Body, Internal: c.Internal})
	}
}
