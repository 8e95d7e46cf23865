package demo

import (
	"context"
	"fmt"
	"time"

	"beheer"
	"beheer/store"
)

// collabRequests is how many requests loadCollab files; a demo of fewer
// than collabMin requests has none of them.
const (
	collabRequests = 11
	collabMin      = 100
)

// loadCollab shows working together in the demo: standard answers for
// every area and for HR; a parent incident after an AFAS update, with
// requests of eight employees joined to it and one more who joined from
// the form; a duplicate; a colleague following a request; a key user
// following her area; and HR's team alerts without the overdue tasks.
func loadCollab(ctx context.Context, st *store.Store, o *org, areas map[string]beheer.Area, now time.Time) error {
	if len(o.admins) == 0 || len(o.employees) < 10 {
		return nil
	}
	st = st.WithClock(func() time.Time { return now.Add(-2 * time.Hour) })
	admin := o.admins[0].Actor()
	hr := areas["hr"]
	for _, a := range []beheer.StandardAnswer{
		{Title: "Ontvangen en in behandeling", Body: "Beste {aanvrager},\n\nDank voor uw aanvraag {nummer}. " +
			"{behandelaar} pakt haar op; u hoort uiterlijk {streefdatum} van ons.\n\nMet vriendelijke groet,\n{behandelaar}"},
		{Title: "Schermafdruk gevraagd", SetStatus: beheer.StatusAwaitingRequester, Body: "Beste {aanvrager},\n\n" +
			"Wilt u een schermafdruk sturen van de foutmelding bij {nummer}? Dan kunnen wij verder zoeken."},
		{Title: "Opgelost — graag uw oordeel", SetPhase: beheer.PhaseOptimisation, Body: "Beste {aanvrager},\n\n" +
			"{nummer} ({titel}) is opgelost. Wilt u het resultaat beoordelen? Dan sluiten wij de aanvraag daarna af.\n\nGroet, {behandelaar}"},
		{AreaID: hr.ID, Title: "Verlof: saldo wordt 's nachts bijgewerkt", Body: "Beste {aanvrager},\n\n" +
			"Het verlofsaldo in InSite wordt elke nacht opnieuw berekend. Ziet u morgen nog een verschil, reageer dan op {nummer}."},
	} {
		if _, err := st.CreateStandardAnswer(ctx, admin, a); err != nil {
			return fmt.Errorf("standard answer: %w", err)
		}
	}
	// The parent incident, filed by a functional admin who is not the one
	// handling it, so internal notes remain possible.
	handler := o.admins[len(o.admins)-1].Actor()
	parent, err := st.CreateRequest(ctx, handler, beheer.NewRequest{Type: beheer.TypeIncident, AreaID: hr.ID,
		Title:       "Verlof aanvragen in InSite mislukt na de AFAS-update",
		Description: "Sinds de update van dit weekend geeft InSite bij *Verlof aanvragen* de melding „Er is een fout opgetreden”."})
	if err != nil {
		return err
	}
	if _, err := st.Transition(ctx, admin, parent.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
		return err
	}
	if err := st.MakeParent(ctx, admin, parent.ID, "Sinds de AFAS-update van dit weekend lukt verlof aanvragen in InSite niet. "+
		"AFAS Support onderzoekt het; wij houden u op de hoogte."); err != nil {
		return err
	}
	var first *beheer.Request
	for i, e := range o.employees[:8] {
		r, err := st.CreateRequest(ctx, e.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, AreaID: hr.ID,
			Title: []string{"Verlof aanvragen lukt niet", "Foutmelding bij verlof", "Kan geen vakantie aanvragen",
				"InSite verlof geeft fout"}[i%4]})
		if err != nil {
			return err
		}
		if err := st.JoinParent(ctx, admin, r.ID, parent.ID); err != nil {
			return err
		}
		if first == nil {
			first = r
		}
	}
	if err := st.JoinAsPerson(ctx, o.employees[8].Actor(), parent.ID); err != nil {
		return err
	}
	if _, err := st.AddComment(ctx, admin, parent.ID, beheer.NewComment{Body: "AFAS Support heeft het probleem bevestigd " +
		"en verwacht morgen een hotfix. Tot die tijd kunt u verlof via uw leidinggevende laten registreren."}); err != nil {
		return err
	}
	// A duplicate of a request in Onderzoek, and a colleague following it.
	orig, err := st.CreateRequest(ctx, o.employees[9].Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, AreaID: hr.ID,
		Title: "Declaratie reiskosten staat al twee weken op ingediend"})
	if err != nil {
		return err
	}
	if _, err := st.Transition(ctx, admin, orig.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
		return err
	}
	if err := st.Follow(ctx, o.employees[9].Actor(), orig.ID, o.employees[0].ID); err != nil {
		return err
	}
	dup, err := st.CreateRequest(ctx, o.employees[9].Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, AreaID: hr.ID,
		Title: "Reiskostendeclaratie niet uitbetaald"})
	if err != nil {
		return err
	}
	if _, err := st.MarkDuplicate(ctx, admin, dup.ID, 0, orig.ID, "Dit is dezelfde vraag als "+orig.Number+"; wij behandelen het daar."); err != nil {
		return err
	}
	if keys := o.keyUsers[hr.ID]; len(keys) > 0 {
		if err := st.FollowArea(ctx, keys[0].Actor(), hr.ID, true); err != nil {
			return err
		}
	}
	return st.SetAreaAlerts(ctx, admin, hr.ID, beheer.AlertSettings{beheer.AlertTaskOverdue: false})
}
