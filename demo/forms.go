package demo

import (
	"context"
	"strconv"

	"beheer"
	"beheer/store"
)

// loadForms saves the ready-made forms (the authorisation request, a new
// employee, a report, workflow and InSite page change), each for the
// process it suits, and files a few requests through them. It runs after
// the generated requests, which are filed without forms; file says whether
// the requests of formRequests are filed.
func loadForms(ctx context.Context, st *store.Store, o *org, file bool) error {
	if len(o.admins) == 0 || len(o.employees) < 2 {
		return nil
	}
	admin := o.admins[0].Actor()
	processes, err := st.Processes(ctx)
	if err != nil {
		return err
	}
	for _, tpl := range beheer.FormTemplates() {
		f := tpl.Form
		for _, p := range processes {
			if tpl.Process != "" && p.Name == tpl.Process {
				f.ProcessID = p.ID
			}
		}
		if _, err := st.SaveForm(ctx, admin, f, 0); err != nil {
			return err
		}
	}
	if !file {
		return nil
	}
	a, b := o.employees[0], o.employees[1]
	for _, r := range formRequests {
		by, whom := a, b
		if r.bySecond {
			by = b
		}
		if r.forSelf {
			whom = by
		}
		answers := map[string][]string{"voor_wie": {strconv.FormatInt(whom.ID, 10)}}
		for k, v := range r.answers {
			answers[k] = v
		}
		filed, err := st.CreateRequest(ctx, by.Actor(), beheer.NewRequest{Type: beheer.TypeAccess, Title: r.title + whom.Name,
			Answers: answers})
		if err != nil {
			return err
		}
		if r.changed != nil {
			// The requester corrects an answer while the request is in
			// Aanvraag: the timeline tells what changed.
			for k, v := range r.changed {
				answers[k] = v
			}
			if _, err := st.UpdateAnswers(ctx, by.Actor(), filed.ID, filed.Version, answers); err != nil {
				return err
			}
		}
	}
	// Report changes through their own form: the queue's export shows the
	// answers of both forms side by side.
	for i, r := range reportChanges {
		if _, err := st.CreateRequest(ctx, o.employees[i%2].Actor(), beheer.NewRequest{Type: beheer.TypeChange, Title: r.title,
			Answers: r.answers}); err != nil {
			return err
		}
	}
	return nil
}

// reportChanges are the demo's report changes filed through the form.
var reportChanges = []struct {
	title   string
	answers map[string][]string
}{
	{"Verzuimoverzicht per afdeling uitbreiden", map[string][]string{"rapportage": {"Verzuim per afdeling"}, "soort": {"excel"},
		"wijziging":   {"Graag een kolom met het verzuimpercentage van het vorige kwartaal.\nEn de totalen per cluster."},
		"gewenst_per": {"2026-04-01"}}},
	{"Loonstrook: vakantiegeld apart tonen", map[string][]string{"rapportage": {"Loonstrook"}, "soort": {"word"},
		"wijziging": {"Het opgebouwde vakantiegeld als eigen regel onder de reserveringen."}}},
}

// formRequests are the demo's authorisation requests filed through the
// form: who files, for whom, and the other answers.
var formRequests = []struct {
	bySecond, forSelf bool
	title             string
	answers           map[string][]string
	changed           map[string][]string // answers the requester corrects after filing
}{
	{false, false, "Rechten HR-adviseur voor ", map[string][]string{"autorisatiegroep": {"hr_adviseur"}, "omgeving": {"productie"},
		"vanaf": {"2026-02-01"}, "toelichting": {"Neemt het verzuimdossier over tijdens zwangerschapsverlof."},
		"tijdelijk": {"true"}, "tot_en_met": {"2026-07-31"}}, map[string][]string{"tot_en_met": {"2026-08-28"},
		"toelichting": {"Neemt het verzuimdossier over tijdens zwangerschapsverlof; het verlof is met vier weken verlengd."}}},
	{true, true, "Toegang salarisadministratie in de testomgeving voor ", map[string][]string{"autorisatiegroep": {"salarisadministratie"},
		"omgeving": {"test"}, "vanaf": {"2026-01-15"}}, nil},
	{false, true, "Leidinggevende-rechten voor ", map[string][]string{"autorisatiegroep": {"leidinggevende"},
		"omgeving": {"productie"}, "vanaf": {"2026-03-01"}}, nil},
}
