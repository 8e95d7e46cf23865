package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// aeRequest saves the ready-made authorisation form and files a request
// with it as the requester; it returns the request.
func aeRequest(t *testing.T, f *fixture) *beheer.Request {
	t.Helper()
	ctx := context.Background()
	if _, err := f.st.SaveForm(ctx, wpActor(t, f, functional), beheer.FormTemplates()[0].Form, 0); err != nil {
		t.Fatal(err)
	}
	r, err := f.st.CreateRequest(ctx, wpActor(t, f, requester), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten HR",
		AreaID: f.areas["hr"], Answers: map[string][]string{"voor_wie": {itoa(f.ids[requester])}, "autorisatiegroep": {"hr_adviseur"},
			"vanaf": {"01-03-2026"}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// aeForm is the edit form as the page sends it, with changes.
func aeForm(version int64, changes map[string]string) url.Values {
	form := url.Values{"version": {itoa(version)}}
	for k, v := range map[string]string{"voor_wie": "", "autorisatiegroep": "hr_adviseur", "omgeving": "productie",
		"vanaf": "2026-03-01", "tijdelijk": "false", "toelichting": ""} {
		form.Set("answers."+k, v)
	}
	for k, v := range changes {
		form.Set("answers."+k, v)
	}
	return form
}

// TestAnswersEditPage: the requester changes the answers of their request
// in Aanvraag on a page of its own, prefilled from its form version; bad
// input is refused beside each field with a summary and a stale form is
// refused with the conflict message, both saving nothing; a save returns
// to the request with a notice and the timeline tells the change by
// question and readable value. Once the request is in Onderzoek the
// requester no longer may, and the button is gone; a colleague who may
// not read the request does not find the page.
func TestAnswersEditPage(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		r := aeRequest(t, f)
		anna := wpLogin(t, f, requester)
		edit := rpPath(r.ID, "/answers")
		who := itoa(f.ids[requester])

		page := wpWant(t, anna.get(rpPath(r.ID, "")), http.StatusOK)
		wpContains(t, page, `href="`+edit+`"`, rpNL("answers_edit.open"))
		page = wpWant(t, anna.get(edit), http.StatusOK)
		wpContains(t, page, `name="version" value="`+itoa(r.Version)+`"`, `value="2026-03-01"`,
			`<option value="`+who+`" selected>Persoon requester</option>`, `value="hr_adviseur" checked`, `value="productie" checked`)
		wpWant(t, wpLogin(t, f, otherUser).get(edit), http.StatusNotFound)

		gone, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: "weg@voorbeeld.nl", Name: "Weg"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetActive(context.Background(), store.System, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		bad := wpWant(t, anna.post(edit, aeForm(r.Version, map[string]string{"vanaf": "31-02-2026", "omgeving": "maan",
			"voor_wie": itoa(gone.ID), "autorisatiegroep": ""})), http.StatusUnprocessableEntity)
		for field, key := range map[string]string{"answer-vanaf": "form.not_a_date", "answer-voor_wie": "form.not_a_person",
			"answer-autorisatiegroep": "field.required"} {
			if msg := wpField(bad, field); msg != rpText(key) {
				t.Errorf("beside %s: %q", field, msg)
			}
		}
		if msg := wpField(bad, "answer-omgeving"); !strings.HasPrefix(msg, "Kies") {
			t.Errorf("beside omgeving: %q", msg)
		}
		wpContains(t, bad, `id="error-summary"`, `href="#answer-vanaf"`, `href="#answer-autorisatiegroep-0"`, `value="31-02-2026"`)

		if after := rpRequest(t, st, r.ID); after.Version != r.Version {
			t.Fatalf("a refused edit changed the request: version %d, was %d", after.Version, r.Version)
		}

		// Someone else saves first: the form based on the older version is
		// refused, keeps what was typed and shows what was saved meanwhile.
		theirs, err := st.UpdateAnswers(context.Background(), wpActor(t, f, functional), r.ID, r.Version,
			map[string][]string{"voor_wie": {who}, "autorisatiegroep": {"medewerker"}, "vanaf": {"2026-03-01"}})
		if err != nil {
			t.Fatal(err)
		}
		stale := wpWant(t, anna.post(edit, aeForm(r.Version, map[string]string{"voor_wie": who, "toelichting": "Mijn uitleg"})),
			http.StatusConflict)
		wpContains(t, stale, rpNL("error.precondition_failed"), rpNL("answers_edit.saved_now", "value", "Medewerker (ESS)"),
			"Mijn uitleg", `name="version" value="`+itoa(theirs.Version)+`"`)
		if after := rpRequest(t, st, r.ID); after.Version != theirs.Version {
			t.Fatalf("a stale edit changed the request: version %d, was %d", after.Version, theirs.Version)
		}

		saved := wpWant(t, anna.post(edit, aeForm(theirs.Version, map[string]string{"voor_wie": who, "omgeving": "acceptatie",
			"vanaf": "01-04-2026"})), http.StatusSeeOther)
		if loc := saved.header.Get("Location"); loc != rpPath(r.ID, "?ok=answers_saved") {
			t.Fatalf("sent to %q", loc)
		}
		page = wpWant(t, anna.get(rpPath(r.ID, "?ok=answers_saved")), http.StatusOK)
		wpContains(t, page, rpNL("req.ok.answers_saved"), "Persoon requester wijzigde het antwoord op Omgeving: Productieomgeving → Acceptatieomgeving",
			"wijzigde het antwoord op Vanaf: 1 maart 2026 → 1 april 2026")

		// The person field is sent by id; the timeline names them.
		admin := wpLogin(t, f, functional)
		now := rpRequest(t, st, r.ID)
		wpWant(t, admin.post(edit, aeForm(now.Version, map[string]string{"voor_wie": itoa(f.ids[otherUser]), "vanaf": "2026-04-01",
			"omgeving": "acceptatie"})), http.StatusSeeOther)
		wpContains(t, wpWant(t, anna.get(rpPath(r.ID, "")), http.StatusOK),
			"wijzigde het antwoord op Voor wie: Persoon requester → Persoon other_user")

		now = rpRequest(t, st, r.ID)
		if _, err := st.Transition(context.Background(), wpActor(t, f, functional), r.ID, now.Version,
			beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		wpLacks(t, wpWant(t, anna.get(rpPath(r.ID, "")), http.StatusOK), `href="`+edit+`"`)
		wpWant(t, anna.get(edit), http.StatusForbidden)
		now = rpRequest(t, st, r.ID)
		wpContains(t, wpWant(t, anna.post(edit, aeForm(now.Version, nil)), http.StatusForbidden), rpNL("answers_edit.forbidden"))
	})
}

// TestPersonFieldSearch: with few people a person field is a plain list
// of everyone; with more than it lists, the first of them and a search
// box, whose answer narrows the options to the people matching by name,
// keeps the person chosen, never shows an e-mail address, and searches
// addresses only for who may see them.
func TestPersonFieldSearch(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		r := aeRequest(t, f)
		anna := wpLogin(t, f, requester)
		form := wpWant(t, anna.get("/requests/new?type=access"), http.StatusOK)
		wpContains(t, form, `<option value="`+itoa(f.ids[management])+`">Persoon management</option>`)
		wpLacks(t, form, "data-person-search")

		for i := range beheer.PersonChoices {
			if _, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: fmt.Sprintf("mw%02d@voorbeeld.nl", i),
				Name: fmt.Sprintf("Medewerker %02d", i)}, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, path := range []string{"/requests/new?type=access", rpPath(r.ID, "/answers")} {
			page := wpWant(t, anna.get(path), http.StatusOK)
			wpContains(t, page, "data-person-search", `hx-get="/people/options"`, rpNL("answers_edit.people_first", "count", beheer.PersonChoices))
			if n := aeOptions(page); n > beheer.PersonChoices+2 {
				t.Errorf("%s: %d options", path, n)
			}
		}
		// The requester chose themselves, whom the first 50 by name leave out.
		wpContains(t, wpWant(t, anna.get(rpPath(r.ID, "/answers")), http.StatusOK),
			`<option value="`+itoa(f.ids[requester])+`" selected>Persoon requester</option>`)

		options := func(b *wpBrowser, q, selected string) response {
			t.Helper()
			return wpWant(t, b.get("/people/options?"+url.Values{"q": {q}, "field": {"answer-voor_wie"}, "selected": {selected}}.Encode()),
				http.StatusOK)
		}
		found := options(anna, "MEDEWERKER 1", itoa(f.ids[requester]))
		if n := aeOptions(found); n != 12 { // none, the chosen, Medewerker 10–19
			t.Errorf("%d options for 'medewerker 1':\n%s", n, found.raw)
		}
		wpContains(t, found, `selected>Persoon requester</option>`, ">Medewerker 19</option>",
			`id="answer-voor_wie-found" hx-swap-oob="innerHTML">`+rpNL("answers_edit.people_count", "count", 10))
		wpLacks(t, found, "@voorbeeld.nl", "Medewerker 20")
		wpContains(t, options(anna, "e", ""), rpNL("answers_edit.people_more", "count", beheer.PersonChoices))
		wpContains(t, options(anna, "mw07@", ""), rpNL("answers_edit.people_none", "q", "mw07@"))
		wpContains(t, options(wpLogin(t, f, functional), "mw07@", ""), ">Medewerker 07</option>")
		wpLacks(t, options(wpLogin(t, f, functional), "mw07@", ""), "mw07@voorbeeld.nl")
		wpWant(t, anna.get("/people/options?field=%22%3E%3Cscript%3E&q=a"), http.StatusUnprocessableEntity)
	})
}

// aeOptions counts the options of the person field's select, or of a
// search's answer.
func aeOptions(r response) int {
	body := r.raw
	if i := strings.Index(body, `<select id="answer-voor_wie"`); i >= 0 {
		body = body[i:]
		body = body[:strings.Index(body, "</select>")]
	}
	return strings.Count(body, "<option value=")
}

// TestAnswersEditKeepsWhoLeft: a person field naming someone who left
// since shows them chosen and marked so, and saving another change keeps
// them; they are not offered to a new request. A place field naming a
// process archived since shows it chosen and marked so too.
func TestAnswersEditKeepsWhoLeft(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		r := aeRequest(t, f)
		weg, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "weg@voorbeeld.nl", Name: "Willem Weg"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if r, err = st.UpdateAnswers(ctx, wpActor(t, f, functional), r.ID, r.Version, map[string][]string{"voor_wie": {itoa(weg.ID)},
			"autorisatiegroep": {"hr_adviseur"}, "vanaf": {"2026-03-01"}}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetActive(ctx, store.System, weg.ID, false); err != nil {
			t.Fatal(err)
		}
		admin := wpLogin(t, f, functional)
		edit := rpPath(r.ID, "/answers")
		wpContains(t, wpWant(t, admin.get(edit), http.StatusOK),
			`<option value="`+itoa(weg.ID)+`" selected>`+rpNL("answers_edit.person_left", "name", "Willem Weg")+`</option>`)
		wpWant(t, admin.post(edit, aeForm(r.Version, map[string]string{"voor_wie": itoa(weg.ID), "omgeving": "acceptatie"})),
			http.StatusSeeOther)
		fields, answers, err := st.Answers(ctx, wpActor(t, f, functional), r.ID)
		if err != nil || len(fields) == 0 {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range answers {
			got[a.Field] = a.Value()
		}
		if got["voor_wie"] != itoa(weg.ID) || got["omgeving"] != "acceptatie" {
			t.Errorf("answers after the save: %v", got)
		}
		fresh := wpWant(t, admin.get("/requests/new?type=access"), http.StatusOK)
		wpContains(t, fresh, `name="answers.voor_wie"`)
		wpLacks(t, fresh, "Willem Weg")

		fa := wpActor(t, f, functional)
		if _, err := st.SaveForm(ctx, fa, beheer.Form{Type: beheer.TypeWish, Name: beheer.Texts{NL: "Wens"}, Fields: []beheer.FormField{
			{Name: "afdeling", Kind: beheer.FieldPlace, Label: beheer.Texts{NL: "Afdeling"}, Required: true}}}, 0); err != nil {
			t.Fatal(err)
		}
		p, err := st.CreateProcess(ctx, fa, beheer.Process{AreaID: f.areas["hr"], Name: "Loonrun"})
		if err != nil {
			t.Fatal(err)
		}
		place := itoa(f.areas["hr"]) + "/" + itoa(p.ID)
		wish, err := st.CreateRequest(ctx, fa, beheer.NewRequest{Type: beheer.TypeWish, Title: "Rapport",
			Answers: map[string][]string{"afdeling": {place}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetProcessArchived(ctx, fa, p.ID, true); err != nil {
			t.Fatal(err)
		}
		wpContains(t, wpWant(t, admin.get(rpPath(wish.ID, "/answers")), http.StatusOK),
			`<option value="`+place+`" selected>`+rpNL("answers_edit.place_archived", "name", "HR – Loonrun")+`</option>`)
	})
}
