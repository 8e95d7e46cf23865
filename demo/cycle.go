package demo

import (
	"context"
	"time"

	"beheer"
	"beheer/store"
)

// The seed's cycle in the demo: changes tested on AFAS Accept, outcomes
// evaluated with the key user, hours on requests and escalations, the
// year's plan with its consultancy budget, releases in the plan's test
// windows (one signed off with an exception), and outages with their
// reports. It files no requests of its own: the demo's requests are what
// Options.Requests says.

// work registers the admin's hours on a request in Uitvoering.
func (w *walk) work(ctx context.Context) error {
	g := w.g
	if g.rnd.IntN(2) == 0 {
		return nil
	}
	hours := []string{"0,5", "1", "1,5", "2", "3", "4"}[g.rnd.IntN(6)]
	_, err := g.at().RecordTime(ctx, w.admin.Actor(), w.r.ID, beheer.TimeEntryInput{WorkedOn: g.at().Today(), Hours: hours,
		Note: "Inrichting aangepast en gecontroleerd."})
	return err
}

// acceptTest records the test on AFAS Accept of a change or wish; now and
// then a first test fails and a second passes.
func (w *walk) acceptTest(ctx context.Context) error {
	g := w.g
	if w.r.Type != beheer.TypeChange && w.r.Type != beheer.TypeWish {
		return nil
	}
	st := g.at()
	if g.rnd.IntN(4) == 0 {
		if _, err := st.RecordChangeTest(ctx, w.admin.Actor(), w.r.ID, beheer.ChangeTestInput{TestedOn: st.Today(),
			Result: beheer.ChangeTestFailed, Notes: "Op Accept komt de taak bij de verkeerde leidinggevende terecht; workflowstap aangepast."}); err != nil {
			return err
		}
		g.later(24)
		st = g.at()
	}
	production := st.Today().AddDate(0, 0, 1+g.rnd.IntN(3))
	_, err := st.RecordChangeTest(ctx, w.admin.Actor(), w.r.ID, beheer.ChangeTestInput{TestedOn: st.Today(),
		Result: beheer.ChangeTestPassed, Notes: "Getest op AFAS Accept met twee testmedewerkers; werkt zoals afgesproken.",
		ProductionOn: production})
	return err
}

// review has the key user of the area evaluate the outcome in
// Optimalisatie, for most requests that have one.
func (w *walk) review(ctx context.Context) error {
	g := w.g
	owners := g.org.keyUsers[w.area.ID]
	if len(owners) == 0 || g.rnd.IntN(3) == 0 {
		return nil
	}
	g.later(48)
	in := beheer.OwnerEvaluationInput{GoalMet: beheer.GoalMetYes, Notes: "Doet wat we wilden; de afdeling werkt er sinds vorige week mee."}
	if g.rnd.IntN(4) == 0 {
		in = beheer.OwnerEvaluationInput{GoalMet: beheer.GoalMetPartly, Notes: "Werkt, maar het overzicht per afdeling ontbreekt nog."}
	}
	_, err := g.at().EvaluateOutcome(ctx, owners[0].Actor(), w.r.ID, in)
	return err
}

// planTitles are the demo plan's activity titles per kind.
var planTitles = map[beheer.ActivityKind][2]string{
	beheer.KindConsultancyDay:  {"Consultancydag AFAS", "Sparren met de consultant en functioneel ontwerp voor beheerwerkzaamheden."},
	beheer.KindReview:          {"Kwartaalgesprek met de directie", "Voortgang van de doelstellingen en de jaarplanner."},
	beheer.KindReleaseTest:     {"Testvenster Profit-update", "Functionele en technische test van de update op AFAS Accept."},
	beheer.KindOptimisationDay: {"Optimalisatiedag", "Een dag met AFAS Consultancy aan een grotere verbetering."},
	beheer.KindKnowledgeEvent:  {"Succestival", "Het jaarlijkse kennisevent van AFAS."},
	beheer.KindTraining:        {"Training sleutelgebruikers", "Nieuwe functies en werkwijzen voor de sleutelgebruikers."},
}

// loadCycle adds the year's plan, releases, outages and an open
// consultancy escalation with the vendor's hours.
func loadCycle(ctx context.Context, st *store.Store, o *org, now time.Time) error {
	if len(o.admins) == 0 || len(o.technical) == 0 {
		return nil
	}
	st = st.WithClock(func() time.Time { return now })
	admin := o.admins[0].Actor()
	year := now.Year()
	template := beheer.TemplateActivities(year, func(k beheer.ActivityKind) (string, string) { return planTitles[k][0], planTitles[k][1] })
	if _, err := st.CreatePlan(ctx, admin, year, template); err != nil {
		return err
	}
	if _, err := st.SetConsultancyBudget(ctx, admin, year, 96); err != nil {
		return err
	}
	if err := loadReleases(ctx, st, o, now); err != nil {
		return err
	}
	if err := loadOutages(ctx, st, o, now); err != nil {
		return err
	}
	return loadVendorHours(ctx, st, admin, now)
}

// loadReleases adds two releases in the plan's test windows: the last
// one signed off and announced, the current one with a failed item, a
// finding and a functional sign-off with an exception.
func loadReleases(ctx context.Context, st *store.Store, o *org, now time.Time) error {
	admin, tech := o.admins[0].Actor(), o.technical[0].Actor()
	windows, err := st.TestWindows(ctx)
	if err != nil || len(windows) == 0 {
		return err
	}
	occ := windows[0].Occurrences()
	var past, current beheer.Occurrence
	for _, x := range occ {
		if !x.Start.After(now) {
			past, current = current, x
		}
	}
	if current.Start.IsZero() {
		current = occ[0]
	}
	release := func(name, label string, on time.Time) (*beheer.Release, error) {
		return st.CreateRelease(ctx, admin, beheer.ReleaseInput{Name: name, VersionLabel: label, AcceptanceOn: on,
			ProductionOn: on.AddDate(0, 0, 14), NotesURL: "https://help.afas.nl/releasenotes/profit"}, true)
	}
	record := func(r *beheer.Release, failed int64) error {
		for _, c := range r.Checks {
			who, res, note := admin, beheer.CheckPassed, ""
			if c.Kind == beheer.CheckTechnical {
				who = tech
			}
			if c.ID == failed {
				res, note = beheer.CheckFailed, "In OutSite verschijnt de vacature niet in de lijst; melding gedaan bij AFAS Support."
			}
			if _, err := st.RecordCheck(ctx, who, c.ID, res, note, nil); err != nil {
				return err
			}
		}
		return nil
	}
	if !past.Start.IsZero() {
		r, err := release("Profit-update voorjaar", "", past.Start.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		if err := record(r, 0); err != nil {
			return err
		}
		for _, side := range []struct {
			who  *beheer.Actor
			kind beheer.CheckKind
		}{{admin, beheer.CheckFunctional}, {tech, beheer.CheckTechnical}} {
			if _, err := st.SignOffRelease(ctx, side.who, r.ID, beheer.SignOffInput{Kind: side.kind, Note: "Alles getest op Accept."}); err != nil {
				return err
			}
		}
	}
	r, err := release("Profit-update najaar", "", current.Start)
	if err != nil {
		return err
	}
	failed := r.ChecksOf(beheer.CheckFunctional)[3].ID
	if err := record(r, failed); err != nil {
		return err
	}
	_, err = st.SignOffRelease(ctx, admin, r.ID, beheer.SignOffInput{Kind: beheer.CheckFunctional, Exception: true,
		Motivation: "Alleen de vacaturelijst in OutSite is geraakt; AFAS lost het op in de volgende update en tot dan plaatst HR vacatures handmatig."})
	return err
}

// loadOutages adds one outage going on now, with reports, and two of the
// past months, closed with a summary.
func loadOutages(ctx context.Context, st *store.Store, o *org, now time.Time) error {
	admin, tech := o.admins[0].Actor(), o.technical[0].Actor()
	past := []struct {
		title     string
		sev       beheer.OutageSeverity
		ago, span time.Duration
		summary   string
	}{
		{"Declaraties worden niet verwerkt", beheer.SeverityMajor, 47 * 24 * time.Hour, 5 * time.Hour,
			"De workflow voor declaraties stond na een inrichtingswijziging stil; de wijziging is teruggedraaid en de declaraties zijn verwerkt."},
		{"InSite traag", beheer.SeverityMinor, 18 * 24 * time.Hour, 90 * time.Minute,
			"Vertraging bij AFAS Online; opgelost door AFAS."},
	}
	for _, p := range past {
		start := now.Add(-p.ago)
		at := st.WithClock(func() time.Time { return start })
		x, err := at.CreateOutage(ctx, tech, beheer.OutageInput{Title: p.title, Severity: p.sev, StartedAt: start})
		if err != nil {
			return err
		}
		if _, err := at.CloseOutage(ctx, admin, x.ID, 0, start.Add(p.span), p.summary); err != nil {
			return err
		}
	}
	open, err := st.CreateOutage(ctx, tech, beheer.OutageInput{Title: "Inloggen via single sign-on lukt niet voor een deel van de medewerkers",
		Description: "Wie buiten kantoor werkt, krijgt een foutmelding van de identity provider. Op kantoor lukt het wel.",
		Severity:    beheer.SeverityMajor, StartedAt: now.Add(-2 * time.Hour), ExpectedEndAt: now.Add(2 * time.Hour)})
	if err != nil {
		return err
	}
	reports, err := st.Requests(ctx, admin, store.Filter{Phases: []beheer.Phase{beheer.PhaseIntake}, Types: []beheer.Type{beheer.TypeIncident}, Limit: 2})
	if err != nil {
		return err
	}
	for _, r := range reports.Items {
		if err := st.LinkOutageRequest(ctx, tech, open.ID, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// loadVendorHours escalates a wish in Onderzoek to Consultancy for the
// next consultancy day and records the consultant's hours so far.
func loadVendorHours(ctx context.Context, st *store.Store, admin *beheer.Actor, now time.Time) error {
	list, err := st.Requests(ctx, admin, store.Filter{Phases: []beheer.Phase{beheer.PhaseInvestigation},
		Types: []beheer.Type{beheer.TypeWish}, Limit: 1})
	if err != nil || len(list.Items) == 0 {
		return err
	}
	r := list.Items[0]
	e, err := st.Escalate(ctx, admin, r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy, Reference: "CON-" + now.Format("2006") + "-118",
		Note: "Voor de consultancydag: samen met de consultant de inrichting uitwerken."})
	if err != nil {
		return err
	}
	for _, h := range []string{"8", "4"} {
		if _, err := st.RecordTime(ctx, admin, r.ID, beheer.TimeEntryInput{EscalationID: e.ID, WorkedOn: st.Today(), Hours: h,
			VendorReference: "Urenstaat CON-118", Note: "Consultancydag"}); err != nil {
			return err
		}
	}
	_, err = st.RecordTime(ctx, admin, r.ID, beheer.TimeEntryInput{WorkedOn: st.Today(), Hours: "2", Note: "Voorbereiding consultancydag"})
	return err
}
