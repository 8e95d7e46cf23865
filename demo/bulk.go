package demo

import (
	"context"
	"strconv"
	"time"

	"beheer"
	"beheer/store"
)

// bulkThreshold is the size above which requests are generated directly
// into the database rather than walked through the rules one by one.
const bulkThreshold = 2000

// stage is how far a generated request got, with the phase it ends in.
var stages = []struct {
	phase  beheer.Phase
	status beheer.Status
	weight int
}{
	{beheer.PhaseIntake, beheer.StatusAwaitingTriage, 6},
	{beheer.PhaseInvestigation, beheer.StatusAwaitingAssignee, 10},
	{beheer.PhaseExecution, beheer.StatusAwaitingAssignee, 6},
	{beheer.PhaseOptimisation, beheer.StatusAwaitingRequester, 4},
	{beheer.PhaseClosed, beheer.StatusDone, 64},
	{beheer.PhaseRejected, beheer.StatusDone, 5},
	{beheer.PhaseWithdrawn, beheer.StatusDone, 5},
}

// bulk generates n requests with consistent histories and loads them in
// large transactions.
func (g *generator) bulk(ctx context.Context, n int, progress func(int)) error {
	i := 0
	next := func() (*store.BulkRequest, bool) {
		if i == n {
			return nil, false
		}
		b := g.bulkRequest(i, n)
		i++
		return b, true
	}
	_, err := g.st.BulkLoad(ctx, next, progress)
	return err
}

func (g *generator) pickStage(age time.Duration) int {
	total := 0
	for _, s := range stages {
		total += s.weight
	}
	x := g.rnd.IntN(total)
	for i, s := range stages {
		if x < s.weight {
			// Young requests are rarely closed yet.
			if age < 10*24*time.Hour && s.phase == beheer.PhaseClosed {
				return 1
			}
			return i
		}
		x -= s.weight
	}
	return 0
}

// bulkRequest makes one request and the history that leads to its phase:
// the audit rows of each step, about two comments, and decisions, tasks,
// escalations and attachments where the lifecycle would have them.
func (g *generator) bulkRequest(i, n int) *store.BulkRequest {
	age := time.Duration(float64(365*24*time.Hour) * float64(n-i) / float64(n))
	created := g.end.Add(-age).Add(-time.Duration(g.rnd.IntN(3600)) * time.Second)
	typ := beheer.Types[g.rnd.IntN(len(beheer.Types))]
	code := areaCodes[g.rnd.IntN(len(areaCodes))]
	if typ == beheer.TypeAccess {
		code = "autorisaties"
	}
	area := g.areas[code]
	requester := g.org.employees[g.rnd.IntN(len(g.org.employees))]
	admin := g.admin(area)
	stage := stages[g.pickStage(age)]
	b := &store.BulkRequest{Request: beheer.Request{Type: typ, Title: g.text.Title(string(typ), code),
		Description: g.text.Description(string(typ), code), AreaID: area.ID, Priority: beheer.PriorityNormal,
		RequesterID: requester.ID, Phase: stage.phase, Status: stage.status, CreatedAt: created}}
	r := &b.Request
	at := created
	step := func(hours int) time.Time {
		at = at.Add(time.Duration(1+g.rnd.IntN(hours*60)) * time.Minute)
		if at.After(g.end) {
			at = g.end
		}
		return at
	}
	audit := func(actor int64, action, field, before, after string) {
		b.Audit = append(b.Audit, beheer.AuditEntry{ActorID: actor, At: at, Action: action, Field: field, Before: before, After: after})
	}
	comment := func(author int64, perspective string, internal bool) {
		b.Comments = append(b.Comments, beheer.Comment{AuthorID: author, Body: g.text.Comment(perspective), Internal: internal, CreatedAt: step(8)})
		b.Audit = append(b.Audit, beheer.AuditEntry{ActorID: author, At: at, Action: "comment.added", Field: "comment", Internal: internal})
	}
	audit(requester.ID, "request.created", "", "", "")
	r.Version = 1
	if stage.phase == beheer.PhaseIntake {
		comment(requester.ID, "requester", false)
		r.UpdatedAt = at
		return b
	}
	if stage.phase == beheer.PhaseWithdrawn {
		step(48)
		audit(requester.ID, "request.transition", "phase", "intake", "withdrawn")
		comment(requester.ID, "requester", false)
		r.ClosedAt, r.UpdatedAt, r.Version = at, at, 2
		return b
	}
	r.Priority = beheer.Priorities[g.rnd.IntN(len(beheer.Priorities))]
	r.AssigneeID = admin.ID
	step(6)
	audit(admin.ID, "request.updated", "priority", "normal", string(r.Priority))
	audit(admin.ID, "request.updated", "assignee", "", itoa(admin.ID))
	audit(admin.ID, "request.transition", "phase", "intake", "investigation")
	comment(admin.ID, "admin", false)
	comment(admin.ID, "internal", true)
	r.Version = 4
	g.bulkWork(b, area, admin, step)
	if stage.phase == beheer.PhaseRejected || stage.phase == beheer.PhaseInvestigation {
		if stage.phase == beheer.PhaseRejected {
			step(48)
			audit(admin.ID, "request.transition", "phase", "investigation", "rejected")
			r.ClosedAt = at
		}
		r.UpdatedAt = at
		return b
	}
	for _, to := range []beheer.Phase{beheer.PhaseExecution, beheer.PhaseOptimisation, beheer.PhaseClosed} {
		from := map[beheer.Phase]string{beheer.PhaseExecution: "investigation", beheer.PhaseOptimisation: "execution", beheer.PhaseClosed: "optimisation"}[to]
		if to == beheer.PhaseClosed {
			note, rating := g.text.Evaluation()
			r.Rating, r.Evaluation = rating, note
			step(48)
			audit(requester.ID, "request.evaluated", "rating", "", itoa(int64(rating)))
		}
		step(72)
		audit(admin.ID, "request.transition", "phase", from, string(to))
		r.Version++
		if to == stage.phase {
			break
		}
	}
	if stage.phase == beheer.PhaseClosed {
		r.ClosedAt = at
	}
	r.UpdatedAt = at
	return b
}

// bulkWork adds the work of Onderzoek: a decision on change requests, a
// technical task, an escalation, an attachment.
func (g *generator) bulkWork(b *store.BulkRequest, area beheer.Area, admin *beheer.User, step func(int) time.Time) {
	r := &b.Request
	if r.Type == beheer.TypeChange {
		if owners := g.org.keyUsers[area.ID]; len(owners) > 0 {
			approved := r.Phase != beheer.PhaseRejected
			outcome := beheer.DecisionApproved
			if !approved {
				outcome = beheer.DecisionRejected
			}
			if r.Phase != beheer.PhaseInvestigation {
				b.Decision = &beheer.Decision{Outcome: outcome, Motivation: g.text.Motivation(approved), DeciderID: owners[0].ID, DecidedAt: step(48)}
				b.Audit = append(b.Audit, beheer.AuditEntry{ActorID: owners[0].ID, At: b.Decision.DecidedAt, Action: "decision.recorded", Field: "decision", After: string(outcome)})
			} else {
				r.Status = beheer.StatusAwaitingDecision
			}
		}
	}
	if (r.Type == beheer.TypeTechnical || area.Integration) && len(g.org.technical) > 0 {
		tech := g.org.technical[g.rnd.IntN(len(g.org.technical))]
		k := beheer.Task{Title: g.text.TaskTitle(area.Code), AssigneeID: tech.ID, Status: beheer.TaskDone,
			Outcome: g.text.Comment("admin"), CreatedBy: admin.ID, CreatedAt: step(4)}
		k.DoneAt = step(40)
		if r.Phase == beheer.PhaseInvestigation && g.rnd.IntN(2) == 0 {
			k.Status, k.Outcome, k.DoneAt = beheer.TaskOpen, "", time.Time{}
			r.Status = beheer.StatusAwaitingTechnical
		}
		b.Tasks = append(b.Tasks, k)
		b.Audit = append(b.Audit, beheer.AuditEntry{ActorID: admin.ID, At: k.CreatedAt, Action: "task.created", Field: "task", After: k.Title})
	}
	if g.rnd.IntN(6) == 0 {
		channel := beheer.SuggestChannel(r.Type, area.Integration)
		if r.Type == beheer.TypeIncident {
			channel = beheer.ChannelSupport
		}
		e := beheer.Escalation{Channel: channel, Reference: g.text.EscalationReference(string(channel), r.CreatedAt.Year()),
			OpenedBy: admin.ID, OpenedAt: step(4)}
		if r.Phase == beheer.PhaseInvestigation && r.Status == beheer.StatusAwaitingAssignee {
			r.Status = beheer.StatusAwaitingChannel
		} else {
			e.ClosedAt, e.Outcome = step(72), g.text.Comment("admin")
		}
		b.Escalations = append(b.Escalations, e)
		b.Audit = append(b.Audit, beheer.AuditEntry{ActorID: admin.ID, At: e.OpenedAt, Action: "escalation.opened", Field: "channel", After: string(channel)})
	}
	if g.rnd.IntN(50) == 0 {
		b.Attachment = &store.BulkFile{Name: "schermafdruk.txt", ContentType: "text/plain; charset=utf-8",
			Data: []byte("Foutmelding zoals getoond in Profit:\n" + r.Title + "\n")}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
