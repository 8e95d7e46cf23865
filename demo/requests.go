package demo

import (
	"context"
	"embed"
	"math/rand/v2"
	"time"

	"beheer"
	"beheer/demo/text"
	"beheer/store"
)

// generator walks demo requests through their lifecycle with the store's
// own rules, on a clock that runs from a year ago to now.
type generator struct {
	st    *store.Store
	org   *org
	areas map[string]beheer.Area
	text  *text.Gen
	rnd   *rand.Rand
	end   time.Time
	clock time.Time
}

// at returns the store on the generator's clock.
func (g *generator) at() *store.Store { return g.st.WithClock(func() time.Time { return g.clock }) }

// later moves the clock on by a plausible working interval.
func (g *generator) later(maxHours int) {
	g.clock = g.clock.Add(time.Duration(1+g.rnd.IntN(maxHours*60)) * time.Minute)
	if g.clock.After(g.end) {
		g.clock = g.end
	}
}

// admin returns the functional admin who manages a request of an area.
func (g *generator) admin(area beheer.Area) *beheer.User {
	for _, u := range g.org.admins[1:] {
		if u.Actor().Can(beheer.PermRequestManage, area.ID) {
			return u
		}
	}
	return g.org.admins[0]
}

var areaCodes = []string{"hr", "salaris", "financieel", "crm", "sitebeheer", "autorisaties", "integraties"}

// request files one request and moves it as far as its target phase.
func (g *generator) request(ctx context.Context, i, total int) error {
	// Spread creation over the past year, older requests further along.
	age := time.Duration(float64(365*24*time.Hour) * float64(total-i) / float64(total))
	g.clock = g.end.Add(-age).Add(-time.Duration(g.rnd.IntN(3600)) * time.Second)
	typ := beheer.Types[g.rnd.IntN(len(beheer.Types))]
	code := areaCodes[g.rnd.IntN(len(areaCodes))]
	if typ == beheer.TypeTechnical && g.rnd.IntN(2) == 0 {
		code = "integraties"
	}
	if typ == beheer.TypeAccess {
		code = "autorisaties"
	}
	area := g.areas[code]
	requester := g.org.employees[g.rnd.IntN(len(g.org.employees))]
	knownArea := area.ID
	if g.rnd.IntN(5) == 0 {
		knownArea = 0 // the requester did not know the area
	}
	r, err := g.at().CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: typ,
		Title: g.text.Title(string(typ), code), Description: g.text.Description(string(typ), code), AreaID: knownArea,
		Attachments: screenshots(typ, code, i)})
	if err != nil {
		return err
	}
	// Recent requests are earlier in their life.
	target := g.rnd.IntN(8)
	if age < 14*24*time.Hour {
		target = g.rnd.IntN(3)
	}
	if target == 0 {
		return nil
	}
	w := walk{g: g, r: r, area: area, requester: requester, admin: g.admin(area)}
	return w.run(ctx, target)
}

// screens are screenshots of the application as a user would attach them.
//
//go:embed screens/*.png
var screens embed.FS

// screenshots gives every fifth incident and question a screenshot of the
// application: a payslip for Salaris, an error while declaring otherwise.
// It draws no random number, so the rest of the demo stays as it was.
func screenshots(typ beheer.Type, area string, i int) []beheer.Upload {
	if (typ != beheer.TypeIncident && typ != beheer.TypeQuestion) || i%5 != 0 {
		return nil
	}
	name := "foutmelding-declaratie.png"
	if area == "salaris" {
		name = "loonstrook-januari.png"
	}
	data, err := screens.ReadFile("screens/" + name)
	if err != nil {
		panic(err) // embedded above
	}
	return []beheer.Upload{{Name: name, Data: data}}
}

// walk is one request on its way through the phases.
type walk struct {
	g         *generator
	r         *beheer.Request
	area      beheer.Area
	requester *beheer.User
	admin     *beheer.User
}

func (w *walk) move(ctx context.Context, who *beheer.User, to beheer.Phase, note string) error {
	w.g.later(30)
	r, err := w.g.at().Transition(ctx, who.Actor(), w.r.ID, 0, beheer.Transition{To: to, Note: note})
	if err == nil {
		w.r = r
	}
	return err
}

func (w *walk) comment(ctx context.Context, who *beheer.User, perspective string, internal bool) error {
	w.g.later(8)
	_, err := w.g.at().AddComment(ctx, who.Actor(), w.r.ID, beheer.NewComment{Body: w.g.text.Comment(perspective), Internal: internal})
	return err
}

// run takes the request through triage and on to a target step:
// 1 triaged, 2 investigated, 3 decided/executing, 4 optimisation, 5+ closed,
// with a share withdrawn or rejected along the way.
func (w *walk) run(ctx context.Context, target int) error {
	g := w.g
	priority := beheer.Priorities[g.rnd.IntN(len(beheer.Priorities))]
	w.g.later(6)
	// The intake desk (the admin for every area) triages, as requests
	// without an area reach only them.
	triage := g.org.admins[0].Actor()
	r, err := g.at().UpdateRequest(ctx, triage, w.r.ID, w.r.Version, beheer.Patch{AreaID: &w.area.ID, Priority: &priority})
	if err != nil {
		return err
	}
	w.r = r
	if g.rnd.IntN(12) == 0 {
		return w.move(ctx, w.requester, beheer.PhaseWithdrawn, "")
	}
	if err := w.move(ctx, w.admin, beheer.PhaseInvestigation, ""); err != nil {
		return err
	}
	if err := w.comment(ctx, w.admin, "admin", false); err != nil {
		return err
	}
	if target < 2 {
		return w.waitOnRequester(ctx)
	}
	if err := w.investigate(ctx); err != nil {
		return err
	}
	if w.r.Type == beheer.TypeChange {
		if done, err := w.decide(ctx); done || err != nil {
			return err
		}
	} else if g.rnd.IntN(15) == 0 {
		return w.move(ctx, w.admin, beheer.PhaseRejected, g.text.Motivation(false))
	}
	if target < 3 {
		return nil
	}
	if err := w.move(ctx, w.admin, beheer.PhaseExecution, ""); err != nil {
		return err
	}
	if target < 4 {
		return nil
	}
	if err := w.move(ctx, w.admin, beheer.PhaseOptimisation, ""); err != nil {
		return err
	}
	if target < 5 {
		return nil
	}
	note, rating := g.text.Evaluation()
	w.g.later(48)
	if _, err := g.at().Evaluate(ctx, w.requester.Actor(), w.r.ID, beheer.Evaluation{Rating: rating, Note: note}); err != nil {
		return err
	}
	return w.move(ctx, w.admin, beheer.PhaseClosed, "")
}

// waitOnRequester leaves some requests with a question to the requester.
func (w *walk) waitOnRequester(ctx context.Context) error {
	if w.g.rnd.IntN(2) == 0 {
		return nil
	}
	status := beheer.StatusAwaitingRequester
	r, err := w.g.at().UpdateRequest(ctx, w.admin.Actor(), w.r.ID, w.r.Version, beheer.Patch{Status: &status})
	if err == nil {
		w.r = r
	}
	return err
}

// investigate adds what Onderzoek holds: an internal note, a question to the
// requester and the answer, a technical task, an escalation.
func (w *walk) investigate(ctx context.Context) error {
	g := w.g
	if err := w.comment(ctx, w.admin, "internal", true); err != nil {
		return err
	}
	if g.rnd.IntN(3) == 0 {
		if err := w.comment(ctx, w.requester, "requester", false); err != nil {
			return err
		}
	}
	if (w.r.Type == beheer.TypeTechnical || w.area.Integration) && len(g.org.technical) > 0 {
		tech := g.org.technical[g.rnd.IntN(len(g.org.technical))]
		g.later(4)
		task, err := g.at().CreateTask(ctx, w.admin.Actor(), w.r.ID, beheer.NewTask{Title: g.text.TaskTitle(w.area.Code), AssigneeID: tech.ID})
		if err != nil {
			return err
		}
		g.later(40)
		if _, err := g.at().CompleteTask(ctx, tech.Actor(), task.ID, g.text.Comment("admin")); err != nil {
			return err
		}
	}
	if g.rnd.IntN(4) == 0 {
		channel := beheer.SuggestChannel(w.r.Type, w.area.Integration)
		if w.r.Type == beheer.TypeIncident {
			channel = beheer.ChannelSupport
		}
		g.later(4)
		e, err := g.at().Escalate(ctx, w.admin.Actor(), w.r.ID, beheer.NewEscalation{Channel: channel,
			Reference: g.text.EscalationReference(string(channel), g.clock.Year())})
		if err != nil {
			return err
		}
		g.later(72)
		if _, err := g.at().CloseEscalation(ctx, w.admin.Actor(), e.ID, g.text.Comment("admin")); err != nil {
			return err
		}
	}
	r, _, err := g.st.Request(ctx, w.admin.Actor(), w.r.ID)
	if err == nil {
		w.r = r
	}
	return err
}

// decide puts a change request before its process owner; done reports that
// the request ended (rejected).
func (w *walk) decide(ctx context.Context) (done bool, err error) {
	g := w.g
	owners := g.org.keyUsers[w.area.ID]
	if len(owners) == 0 {
		return false, nil
	}
	status := beheer.StatusAwaitingDecision
	g.later(4)
	if w.r, err = g.at().UpdateRequest(ctx, w.admin.Actor(), w.r.ID, w.r.Version, beheer.Patch{Status: &status}); err != nil {
		return false, err
	}
	approved := g.rnd.IntN(5) != 0
	outcome := beheer.DecisionApproved
	if !approved {
		outcome = beheer.DecisionRejected
	}
	g.later(48)
	if _, err := g.at().Decide(ctx, owners[0].Actor(), w.r.ID, outcome, g.text.Motivation(approved)); err != nil {
		return false, err
	}
	return !approved, nil
}
