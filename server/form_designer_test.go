package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// designerWants fails unless the page answered status and holds every
// text of want.
func designerWants(t *testing.T, r response, status int, want ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %.600s", r.status, status, r.raw)
	}
	for _, w := range want {
		if !strings.Contains(r.raw, w) {
			t.Fatalf("page lacks %q: %.3000s", w, r.raw)
		}
	}
}

// TestFormDesigner builds a form in the portal as a functional admin:
// blank with a first question, fields added, changed, moved and removed,
// each save a version; every bad change is refused beside its field and
// changes nothing, a stale page is refused, and a form in use cannot be
// deleted.
func TestFormDesigner(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := portalLogin(f, functional)
		designerWants(t, admin.get("/forms"), http.StatusOK, "nog geen formulieren", "Formulier maken")
		designerWants(t, admin.get("/request-types"), http.StatusOK, `href="/forms"`)
		designerWants(t, admin.get("/admin"), http.StatusOK, `href="/forms"`)

		// A blank form needs its first question.
		r := admin.post("/forms", url.Values{"type": {"question"}, "process": {"0"}, "name_nl": {"Vraag over Profit"}, "first_kind": {"text"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="new-first_label-error"`, "Dit veld is verplicht")
		r = admin.post("/forms", url.Values{"type": {"question"}, "process": {"0"}, "name_nl": {""}, "first_kind": {"text"}, "first_label": {"Welk scherm?"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="new-name_nl-error"`)
		r = admin.post("/forms", url.Values{"type": {"question"}, "process": {"0"}, "name_nl": {"Vraag over Profit"}, "first_kind": {"text"}, "first_label": {"Welk scherm?"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r.raw[strings.Index(r.raw, "<main"):])
		}
		at := r.header.Get("Location")
		at = at[:strings.Index(at, "?")]
		designerWants(t, admin.get(at), http.StatusOK, "Welk scherm?", "welk_scherm", "versie 1", `id="answer-welk_scherm"`)
		// A second active form for the same type and process is refused.
		r = admin.post("/forms", url.Values{"type": {"question"}, "process": {"0"}, "template": {"report_change"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="new-type-error"`, "al een actief formulier")

		add := func(version string, v url.Values) response {
			v.Set("version", version)
			return admin.post(at+"/fields", v)
		}
		// Bad fields, each beside its input; nothing saved.
		r = add("1", url.Values{"field_kind": {"choice"}, "field_label_nl": {"Omgeving"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_choices-error"`, "minstens één keuzemogelijkheid")
		r = add("1", url.Values{"field_kind": {"text"}, "field_label_nl": {"Scherm"}, "field_name": {"welk_scherm"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_name-error"`, "komt al voor")
		r = add("1", url.Values{"field_kind": {"text"}, "field_label_nl": {"Scherm"}, "field_name": {"Scherm 2"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_name-error"`, "kleine letters")
		r = add("1", url.Values{"field_kind": {"number"}, "field_label_nl": {"Uren"}, "field_min": {"tien"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_min-error"`, "Vul een getal in")
		r = add("1", url.Values{"field_kind": {"number"}, "field_label_nl": {"Uren"}, "field_min": {"10"}, "field_max": {"2"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_max-error"`, "kleiner dan het minimum")
		r = add("1", url.Values{"field_kind": {"date"}, "field_label_nl": {"Vanaf"}, "field_default": {"morgen"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_default-error"`, "bestaande datum")
		r = add("1", url.Values{"field_kind": {"date"}, "field_label_nl": {"Vanaf"}, "field_show_if_field": {"welk_scherm"}, "field_show_if_value": {""}})
		designerWants(t, r, http.StatusSeeOther)
		// That one was fine (a text field accepts any value): version 2.
		r = add("1", url.Values{"field_kind": {"yes_no"}, "field_label_nl": {"Spoed"}})
		designerWants(t, r, http.StatusConflict, "Iemand anders heeft dit formulier intussen gewijzigd")
		r = add("2", url.Values{"field_kind": {"choice"}, "field_label_nl": {"Omgeving"}, "field_required": {"1"},
			"field_choices": {"productie | Productie | Production\ntest | Test"}})
		designerWants(t, r, http.StatusSeeOther)
		r = add("3", url.Values{"field_kind": {"date"}, "field_label_nl": {"Testen op"}, "field_show_if_field": {"omgeving"}, "field_show_if_value": {"acceptatie"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="field-field_show_if_value-error"`, "kan deze waarde niet hebben")
		r = add("3", url.Values{"field_kind": {"date"}, "field_label_nl": {"Testen op"}, "field_show_if_field": {"omgeving"}, "field_show_if_value": {"test"}})
		designerWants(t, r, http.StatusSeeOther)
		designerWants(t, admin.get(at), http.StatusOK, "versie 4", "alleen als Omgeving = Test", `data-show-if="answers.omgeving"`)

		// Moves and removals that would strand a condition are refused.
		r = admin.post(at+"/fields/testen_op/move", url.Values{"version": {"4"}, "dir": {"up"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="fields-error"`, "moet daarom onder dat veld blijven staan")
		r = admin.post(at+"/fields/omgeving/remove", url.Values{"version": {"4"}})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="fields-error"`, "Pas eerst die voorwaarde aan")
		designerWants(t, admin.post(at+"/fields/omgeving/move", url.Values{"version": {"4"}, "dir": {"up"}}), http.StatusSeeOther)
		// Changing a field: renamed, its condition follows.
		r = admin.post(at+"/fields", url.Values{"version": {"5"}, "at": {"omgeving"}, "field_kind": {"choice"}, "field_label_nl": {"Omgeving"},
			"field_name": {"profiel_omgeving"}, "field_required": {"1"}, "field_choices": {"productie\ntest"}})
		designerWants(t, r, http.StatusSeeOther)
		designerWants(t, admin.get(at), http.StatusOK, "versie 6", `data-show-if="answers.profiel_omgeving"`)

		// A form in use cannot be deleted; archived, it can be offered again.
		f.want(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question", "area": "hr", "title": "Scherm loopt vast",
			"description": "Bij opslaan.", "answers": map[string]any{"profiel_omgeving": "test", "testen_op": "2026-05-01"}}), http.StatusCreated)
		r = admin.post(at+"/delete", url.Values{})
		designerWants(t, r, http.StatusUnprocessableEntity, `id="state-error"`, "is gebruikt bij 1 aanvragen en kan niet worden verwijderd")
		designerWants(t, admin.post(at+"/archive", url.Values{"archived": {"1"}}), http.StatusSeeOther)
		designerWants(t, admin.get(at), http.StatusOK, "Dit formulier is gearchiveerd", "Weer aanbieden")

		// From a ready-made form, then deleted while unused.
		r = admin.post("/forms", url.Values{"type": {"change"}, "process": {"0"}, "template": {"report_change"}})
		designerWants(t, r, http.StatusSeeOther)
		other := r.header.Get("Location")
		other = other[:strings.Index(other, "?")]
		designerWants(t, admin.get(other), http.StatusOK, "Wijziging van een rapportage", "Naam van de rapportage")
		designerWants(t, admin.post(other+"/delete", url.Values{}), http.StatusSeeOther)
		designerWants(t, admin.get(other), http.StatusNotFound)

		// Others do not reach the designer.
		for _, who := range []string{requester, keyUserHR, functionalFin} {
			if r := portalLogin(f, who).post(at+"/fields", url.Values{"version": {"6"}, "field_kind": {"text"}, "field_label_nl": {"X"}}); r.status != http.StatusForbidden {
				t.Errorf("%s changed a form: %d", who, r.status)
			}
			if r := portalLogin(f, who).get("/forms"); r.status != http.StatusForbidden {
				t.Errorf("%s opened the designer: %d", who, r.status)
			}
		}
	})
}
