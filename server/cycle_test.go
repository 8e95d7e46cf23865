package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// cyclePage fails unless the answer has the status and every text, and
// shows no untranslated key of the cycle.
func cyclePage(f *fixture, r response, status int, texts ...string) response {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("status %d, want %d; body %.3000s", r.status, status, r.raw)
	}
	for _, s := range texts {
		if !strings.Contains(r.raw, s) {
			f.t.Errorf("page lacks %q", s)
		}
	}
	for _, prefix := range []string{">cycle.", ">outage.", ">changetest.", ">link.", ">time.", ">evaluation.", "[cycle.", "[time."} {
		if i := strings.Index(r.raw, prefix); i >= 0 {
			f.t.Errorf("page shows an untranslated key near %q", r.raw[i:min(len(r.raw), i+60)])
		}
	}
	return r
}

// changeInExecution files a change request in HR, has HR's key user
// approve it and moves it to Uitvoering; it returns its id and number.
func changeInExecution(f *fixture) (int64, string) {
	f.t.Helper()
	id := f.file("change", "Declaratieworkflow: tweede goedkeuring boven 500 euro", "hr")
	f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
	f.want(f.call(keyUserHR, "POST", path(id, "/decision"), map[string]any{"outcome": "approved", "motivation": "Akkoord."}), http.StatusCreated)
	f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "execution"}), http.StatusOK)
	return id, f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK).str("number")
}

// TestCycleBadInput: each bad input of the cycle's forms is refused with
// a clear Dutch message beside its field, and nothing changes: a test
// record without result, hours of zero, negative or beyond 24 a day,
// vendor hours on a closed escalation, an unknown link kind, an
// evaluation without notes, an outage without severity.
func TestCycleBadInput(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := portalLogin(f, functional)
		id, _ := changeInExecution(f)
		req := "/requests/" + itoa(id)
		today := f.want(f.call(functional, "GET", "/api/v1/requests/"+itoa(id), nil), http.StatusOK).str("updated_at")[:10]

		cyclePage(f, admin.post(req+"/change-tests", url.Values{"tested_on": {today}}), http.StatusUnprocessableEntity,
			`id="changetest-result-error"`, "Kies of de test op AFAS Accept geslaagd of mislukt is")
		if n := len(f.want(f.call(functional, "GET", path(id, "/change-tests"), nil), http.StatusOK).items()); n != 0 {
			t.Fatalf("a refused test was stored: %d", n)
		}
		version := itoa(f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK).num("version"))
		cyclePage(f, admin.post(req+"/transition", url.Values{"to": {"optimisation"}, "version": {version}, "form": {"move"}}),
			http.StatusConflict, "Leg eerst de test op AFAS Accept vast")

		for hours, msg := range map[string]string{"0": "groter dan 0", "-2": "groter dan 0", "25": "Meer dan 24 uur op één dag", "anderhalf": "1,5 of 1:30"} {
			cyclePage(f, admin.post(req+"/time", url.Values{"worked_on": {today}, "hours": {hours}}), http.StatusUnprocessableEntity,
				`id="time-hours-error"`, msg)
		}
		res := admin.post(req+"/time", url.Values{"worked_on": {today}, "hours": {"20"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("20 hours: %d %.500s", res.status, res.raw)
		}
		cyclePage(f, admin.post(req+"/time", url.Values{"worked_on": {today}, "hours": {"4,5"}}), http.StatusUnprocessableEntity,
			`id="time-hours-error"`, "al 20:00 uur geregistreerd")
		if n := len(f.want(f.call(functional, "GET", path(id, "/time-entries"), nil), http.StatusOK).items()); n != 1 {
			t.Fatalf("entries after refusals: %d", n)
		}

		esc := f.want(f.call(functional, "POST", path(id, "/escalations"), map[string]any{"channel": "consultancy", "reference": "C-9"}),
			http.StatusCreated).num("id")
		f.want(f.call(functional, "POST", "/api/v1/escalations/"+itoa(esc)+"/close", map[string]any{"outcome": "Advies ontvangen"}), http.StatusOK)
		cyclePage(f, admin.post(req+"/time", url.Values{"worked_on": {today}, "hours": {"2"}, "escalation": {itoa(esc)}}),
			http.StatusUnprocessableEntity, `id="time-escalation-error"`, "Deze escalatie is afgesloten")

		other := f.file("question", "Reiskosten woon-werk", "hr")
		number := f.want(f.call(functional, "GET", path(other, ""), nil), http.StatusOK).str("number")
		cyclePage(f, admin.post(req+"/links", url.Values{"kind": {"whatever-i-type"}, "other": {number}}), http.StatusUnprocessableEntity,
			`id="link-kind-error"`, "Kies een soort koppeling uit de lijst")
		if n := len(f.want(f.call(functional, "GET", path(id, "/links"), nil), http.StatusOK).items()); n != 0 {
			t.Fatalf("a refused link was stored: %d", n)
		}
		res = admin.post(req+"/links", url.Values{"kind": {"caused_by"}, "other": {number}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("link: %d %.500s", res.status, res.raw)
		}
		cyclePage(f, admin.get(req), http.StatusOK, "veroorzaakt door", number)

		cyclePage(f, admin.post("/outages", url.Values{"title": {"InSite traag"}, "started_at": {"2026-01-05T09:00"}}),
			http.StatusUnprocessableEntity, `id="outage-severity-error"`)
		if n := len(f.want(f.call(functional, "GET", "/api/v1/outages", nil), http.StatusOK).items()); n != 0 {
			t.Fatalf("a refused outage was stored: %d", n)
		}
	})
}

// TestCycleFollowUp: the Accept test lets the change leave Uitvoering;
// HR's key user evaluates it (the functional admin may not); a
// vervolgaanvraag opens the new-request form prefilled and is linked.
func TestCycleFollowUp(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, key := portalLogin(f, functional), portalLogin(f, keyUserHR)
		id, number := changeInExecution(f)
		req := "/requests/" + itoa(id)
		today := f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK).str("updated_at")[:10]
		res := admin.post(req+"/change-tests", url.Values{"tested_on": {today}, "result": {"passed"}, "notes": {"Drie declaraties getest."}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("record the test: %d %.500s", res.status, res.raw)
		}
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "optimisation"}), http.StatusOK)

		cyclePage(f, key.get(req), http.StatusOK, `id="form-owner-evaluation"`, "Is het doel van deze aanvraag bereikt?")
		cyclePage(f, key.post(req+"/owner-evaluation", url.Values{"goal_met": {"partly"}}), http.StatusUnprocessableEntity,
			`id="review-notes-error"`, "wat er nog ontbreekt")
		cyclePage(f, admin.post(req+"/owner-evaluation", url.Values{"goal_met": {"yes"}}), http.StatusForbidden,
			"Alleen de proceseigenaar of een sleutelgebruiker")
		res = key.post(req+"/owner-evaluation", url.Values{"goal_met": {"partly"}, "notes": {"Het overzicht per afdeling ontbreekt."}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("evaluate: %d %.500s", res.status, res.raw)
		}
		cyclePage(f, key.get(req), http.StatusOK, `id="review-result"`, "Deels", "Het overzicht per afdeling ontbreekt.")

		form := cyclePage(f, key.get("/requests/new?follows="+itoa(id)), http.StatusOK, `name="follows" value="`+itoa(id)+`"`,
			"Vervolg: Declaratieworkflow", "Dit wordt een vervolgaanvraag")
		if strings.Contains(form.raw, `id="outage-ask"`) {
			t.Error("a follow-up asks about outages")
		}
		res = key.post("/requests/new", url.Values{"type": {"wish"}, "title": {"Overzicht declaraties per afdeling"}, "area": {"hr"},
			"follows": {itoa(id)}, "follows_number": {number}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("file the follow-up: %d %.500s", res.status, res.raw)
		}
		links := f.want(f.call(functional, "GET", path(id, "/links"), nil), http.StatusOK).items()
		if len(links) != 1 || links[0]["kind"] != "follows_from" || links[0]["outward"] != false {
			t.Fatalf("the original's links: %v", links)
		}
		cyclePage(f, admin.get(req), http.StatusOK, "heeft als vervolg")
	})
}

// TestOutageBanner: a notice posted by a technical admin shows as a banner
// to a user on every page but the login page, can be dismissed for the
// browser session, takes a one-click report, and is gone once closed; the
// report's requester hears the summary.
func TestOutageBanner(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		tech, user := portalLogin(f, technical), portalLogin(f, requester)
		res := tech.post("/outages", url.Values{"title": {"InSite niet bereikbaar"}, "severity": {"critical"},
			"started_at": {"2026-01-05T09:00"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("post: %d %.500s", res.status, res.raw)
		}
		oid := strings.TrimPrefix(strings.SplitN(res.header.Get("Location"), "?", 2)[0], "/outages/")
		home := cyclePage(f, user.get("/"), http.StatusOK, `id="banner-outage-`+oid+`"`, "InSite niet bereikbaar", "Storing (Volledig)")
		if !strings.Contains(home.raw, `action="/outages/`+oid+`/dismiss"`) {
			t.Error("the banner cannot be dismissed")
		}
		if login := user.get("/login"); strings.Contains(login.raw, "banner-outage") {
			t.Error("the login page shows the banner")
		}
		cyclePage(f, user.get("/requests/new"), http.StatusOK, `id="outage-ask"`, "Mijn melding hoort bij deze storing")

		dismissed := user.post("/outages/"+oid+"/dismiss", url.Values{"back": {"/kb"}})
		if dismissed.status != http.StatusSeeOther || dismissed.header.Get("Location") != "/kb" {
			t.Fatalf("dismiss: %d %s", dismissed.status, dismissed.header.Get("Location"))
		}
		seen := dismissed.header.Get("Set-Cookie")
		req, _ := http.NewRequest("GET", f.srv.URL+"/", nil)
		req.Header.Set("Cookie", strings.SplitN(seen, ";", 2)[0])
		if got := user.send(req); strings.Contains(got.raw, "banner-outage-"+oid) {
			t.Error("a dismissed outage is still in the banner")
		}

		report := user.post("/outages/"+oid+"/report", url.Values{})
		if report.status != http.StatusSeeOther || !strings.Contains(report.header.Get("Location"), "?ok=outage") {
			t.Fatalf("report: %d %s %.500s", report.status, report.header.Get("Location"), report.raw)
		}
		reportPage := report.header.Get("Location")
		cyclePage(f, user.get(reportPage), http.StatusOK, "Deze aanvraag hoort bij de storing", "InSite niet bereikbaar")
		cyclePage(f, tech.get("/outages/"+oid), http.StatusOK, "Melding bij storing: InSite niet bereikbaar")

		cyclePage(f, tech.post("/outages/"+oid+"/close", url.Values{"summary": {" "}}), http.StatusUnprocessableEntity,
			`id="outage-summary-error"`)
		if res := tech.post("/outages/"+oid+"/close", url.Values{"summary": {"De proxy van AFAS Online is herstart."}}); res.status != http.StatusSeeOther {
			t.Fatalf("close: %d %.500s", res.status, res.raw)
		}
		if got := user.get("/"); strings.Contains(got.raw, "banner-outage-"+oid) {
			t.Error("a closed outage is still in the banner")
		}
		cyclePage(f, user.get(reportPage), http.StatusOK, "De proxy van AFAS Online is herstart.")
		f.want(f.call(requester, "POST", "/api/v1/outages", map[string]any{"title": "x", "severity": "minor",
			"started_at": "2026-01-05T09:00:00Z"}), http.StatusForbidden)
	})
}
