package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// TestLifecycle walks a change request end to end through the API: the user
// files it, the functional admin triages and investigates, the key user
// approves, then execution, optimisation with the requester's rating, closed.
func TestLifecycle(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		created := f.want(f.call(requester, "POST", "/api/v1/requests", map[string]any{
			"type": "change", "title": "Verlofaanvraag laten goedkeuren door tweede leidinggevende",
			"description": "Graag een **tweede** akkoord bij verlof langer dan twee weken.", "area": "hr"}), http.StatusCreated)
		id := created.num("id")
		if created.header.Get("Location") != path(id, "") || created.header.Get("ETag") != `"v1"` {
			t.Fatalf("Location %q ETag %q", created.header.Get("Location"), created.header.Get("ETag"))
		}
		if !strings.HasPrefix(created.str("number"), "20") || created.str("phase") != "intake" ||
			created.str("status") != "awaiting_triage" || created.num("version") != 1 {
			t.Fatalf("created %s", created.raw)
		}

		// Triage: priority and assignee, based on version 1.
		triaged := f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{
			"priority": "high", "assignee": f.ids[functional]}, "If-Match", `"v1"`), http.StatusOK)
		if triaged.str("priority") != "high" || triaged.num("version") != 2 {
			t.Fatalf("triaged %s", triaged.raw)
		}
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		note := f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{
			"body": "Intern: eerst met salarisadministratie afstemmen.", "internal": true}), http.StatusCreated)
		if note.num("id") == 0 {
			t.Fatalf("comment without id: %s", note.raw)
		}

		// Without a decision the change request cannot be executed.
		blocked := f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "execution"}), http.StatusConflict)
		if blocked.str("detail") == "" {
			t.Fatalf("conflict without a reason: %s", blocked.raw)
		}
		f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"status": "awaiting_decision"},
			"If-Match", "*"), http.StatusOK)
		f.want(f.call(keyUserFin, "POST", path(id, "/decision"), map[string]any{
			"outcome": "approved", "motivation": "Akkoord"}), http.StatusNotFound)
		f.want(f.call(keyUserHR, "POST", path(id, "/decision"), map[string]any{
			"outcome": "approved", "motivation": "Akkoord, past bij het verlofbeleid."}), http.StatusCreated)

		for _, to := range []string{"execution", "optimisation"} {
			if to == "optimisation" {
				// A change leaves Uitvoering only with a passed test on AFAS Accept.
				f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": to}), http.StatusConflict)
				f.want(f.call(functional, "POST", path(id, "/change-tests"), map[string]any{"tested_on": "2026-01-05",
					"result": "passed", "notes": "Getest met twee verlofaanvragen."}), http.StatusCreated)
			}
			got := f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": to}), http.StatusOK)
			if got.str("phase") != to {
				t.Fatalf("phase %q, want %q", got.str("phase"), to)
			}
		}
		f.want(f.call(requester, "POST", path(id, "/evaluation"), map[string]any{
			"rating": 5, "note": "Werkt prima, dank!"}), http.StatusOK)
		closed := f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{
			"to": "closed", "note": "Opgeleverd en geëvalueerd."}), http.StatusOK)
		if closed.str("phase") != "closed" || closed.str("status") != "done" || closed.body["closed_at"] == nil {
			t.Fatalf("closed %s", closed.raw)
		}

		// The requester sees the outcome, never the internal note.
		for _, c := range f.want(f.call(requester, "GET", path(id, "/comments"), nil), http.StatusOK).items() {
			if c["internal"] == true || strings.Contains(c["body"].(string), "Intern:") {
				t.Fatalf("requester sees internal note %v", c)
			}
		}
		if n := len(f.want(f.call(functional, "GET", path(id, "/comments"), nil), http.StatusOK).items()); n != 2 {
			t.Fatalf("functional admin sees %d comments, want 2", n)
		}
		audit := f.want(f.call(functional, "GET", path(id, "/audit"), nil), http.StatusOK).items()
		var phases []string
		for _, e := range audit {
			if e["action"] == "request.transition" {
				phases = append(phases, e["after"].(string))
			}
		}
		want := []string{"investigation", "execution", "optimisation", "closed"}
		if !slices.Equal(phases, want) {
			t.Fatalf("audit phases %v, want %v", phases, want)
		}
	})
}

// TestSupportRule refuses a configuration question to Support, naming the
// channel to use, and lets an incident through.
func TestSupportRule(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		question := f.file("question", "Hoe richt ik een nieuwe verlofsoort in?", "hr")
		f.want(f.call(functional, "POST", path(question, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		refused := f.want(f.call(functional, "POST", path(question, "/escalations"), map[string]any{
			"channel": "support", "reference": "INC-1"}, "Accept-Language", "nl"), http.StatusUnprocessableEntity)
		if !slices.Equal(refused.fieldErrors(), []string{"channel"}) || !strings.Contains(refused.raw, "Service management") {
			t.Fatalf("support refusal %s", refused.raw)
		}
		esc := f.call(functional, "GET", path(question, "/escalations"), nil)
		if len(esc.items()) != 0 {
			t.Fatalf("refused escalation was stored: %s", esc.raw)
		}
		f.want(f.call(functional, "POST", path(question, "/escalations"), map[string]any{
			"channel": "service_management", "reference": "SM-12"}), http.StatusCreated)
		got := f.want(f.call(functional, "GET", path(question, ""), nil), http.StatusOK)
		if got.str("status") != "awaiting_channel" {
			t.Fatalf("status %q after escalation", got.str("status"))
		}

		incident := f.file("incident", "Foutmelding bij openen loonstrook", "hr")
		f.want(f.call(functional, "POST", path(incident, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		f.want(f.call(functional, "POST", path(incident, "/escalations"), map[string]any{
			"channel": "support", "reference": "INC-2026-1"}), http.StatusCreated)

		// The rule is the organisation's: switched off, Support takes the question.
		settings := map[string]any{"support_incidents_only": false, "reopen_days": 14}
		f.want(f.call(keyUserHR, "PUT", "/api/v1/settings", settings), http.StatusForbidden)
		f.want(f.call(functional, "PUT", "/api/v1/settings", settings), http.StatusOK)
		if got := f.want(f.call(requester, "GET", "/api/v1/settings", nil), http.StatusOK); got.body["support_incidents_only"] != false {
			t.Fatalf("settings %s", got.raw)
		}
		f.want(f.call(functional, "POST", path(question, "/escalations"), map[string]any{
			"channel": "support", "reference": "INC-3"}), http.StatusCreated)
	})
}

// TestLinks links a follow-up to its request; a person sees only the linked
// requests they may see.
func TestLinks(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		first := f.file("wish", "Verlofsaldo tonen in InSite", "hr")
		second := f.file("wish", "Verlofsaldo ook in de app", "hr")
		number := f.want(f.call(requester, "GET", path(second, ""), nil), http.StatusOK).str("number")
		f.want(f.call(functional, "POST", path(first, "/links"), map[string]any{"other": number, "kind": "whatever-i-type"}), http.StatusUnprocessableEntity)
		f.want(f.call(functional, "POST", path(first, "/links"), map[string]any{"other": number, "kind": "follows_from"}), http.StatusNoContent)
		f.want(f.call(functional, "POST", path(first, "/links"), map[string]any{"other": "2020-9999"}), http.StatusUnprocessableEntity)
		links := f.want(f.call(requester, "GET", path(second, "/links"), nil), http.StatusOK).items()
		if len(links) != 1 || links[0]["id"] != float64(first) {
			t.Fatalf("links of the follow-up: %v", links)
		}
		f.want(f.call(otherUser, "GET", path(first, "/links"), nil), http.StatusNotFound)
	})
}

// TestConcurrentEdit refuses a stale or missing If-Match and changes nothing.
func TestConcurrentEdit(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("question", "Oorspronkelijke titel", "hr")
		f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"title": "Eerste wijziging"}, "If-Match", `"v1"`), http.StatusOK)
		auditBefore := len(f.call(functional, "GET", path(id, "/audit"), nil).items())
		stale := f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"title": "Tweede wijziging"}, "If-Match", `"v1"`),
			http.StatusPreconditionFailed)
		if stale.header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("content type %q", stale.header.Get("Content-Type"))
		}
		f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"title": "Derde wijziging"}), http.StatusPreconditionRequired)
		got := f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK)
		if got.str("title") != "Eerste wijziging" || got.num("version") != 2 || got.header.Get("ETag") != `"v2"` {
			t.Fatalf("after refused edits: %s", got.raw)
		}
		if n := len(f.call(functional, "GET", path(id, "/audit"), nil).items()); n != auditBefore {
			t.Fatalf("audit grew from %d to %d on refused edits", auditBefore, n)
		}
	})
}
