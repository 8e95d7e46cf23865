package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestStandardAnswerPages: a functional admin keeps standard answers on a
// page; bad input is refused beside its field and saves nothing; in the
// comment box an answer is filled in from the request before it is sent,
// and one that also moves the request does so by the page's own rules.
func TestStandardAnswerPages(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := wpLogin(t, f, functional)
		form := func(title, body, phase string) url.Values {
			return url.Values{"title": {title}, "area": {itoa(f.areas["hr"])}, "body": {body}, "set_phase": {phase}}
		}
		bad := wpWant(t, admin.post("/answers", form("Typfout", "Beste {aanvrgaer},", "")), http.StatusUnprocessableEntity)
		if got, want := wpField(bad, "answer-body"), rpText("answer.unknown_placeholder", "names", "{aanvrgaer}",
			"known", "{aanvrager}, {nummer}, {titel}, {streefdatum}, {behandelaar}"); got != want {
			t.Errorf("beside the text: %q, want %q", got, want)
		}
		empty := wpWant(t, admin.post("/answers", form("Leeg", "   ", "")), http.StatusUnprocessableEntity)
		if wpField(empty, "answer-body") != rpText("field.required") {
			t.Errorf("empty text: %q", wpField(empty, "answer-body"))
		}
		if list, _ := st.StandardAnswers(context.Background(), store.System, 0); len(list) != 0 {
			t.Fatalf("bad input saved %d answers", len(list))
		}
		wpWant(t, admin.post("/answers", form("Opgelost", "Beste {aanvrager}, {nummer} is opgelost. Groet, {behandelaar}", "optimisation")), http.StatusSeeOther)
		list, _ := st.StandardAnswers(context.Background(), store.System, 0)
		if len(list) != 1 {
			t.Fatalf("answers %v", list)
		}
		wpContains(t, wpWant(t, admin.get("/answers"), http.StatusOK), "Opgelost")
		wpWant(t, wpLogin(t, f, keyUserHR).get("/answers"), http.StatusForbidden)

		id := f.file("incident", "Loonstrook onleesbaar", "hr")
		for _, to := range []string{"investigation", "execution"} {
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": to}), http.StatusOK)
		}
		page := wpWant(t, admin.get("/requests/"+itoa(id)+"?answer="+itoa(list[0].ID)), http.StatusOK)
		wpContains(t, page, "Beste Persoon requester, ", "is opgelost. Groet, Persoon functional", `name="answer" value="`+itoa(list[0].ID)+`"`)
		req, _, _ := st.Request(context.Background(), store.System, id)
		res := admin.post("/requests/"+itoa(id)+"/comments", url.Values{"answer": {itoa(list[0].ID)}, "version": {itoa(req.Version)},
			"body": {"Beste Persoon requester, " + req.Number + " is opgelost in de update van vrijdag."}})
		wpWant(t, res, http.StatusSeeOther)
		req, _, _ = st.Request(context.Background(), store.System, id)
		if req.Phase != beheer.PhaseOptimisation {
			t.Errorf("phase %s, want optimisation", req.Phase)
		}

		// Again now: Optimalisatie → Optimalisatie is no move; the rule's
		// message comes back and the reply is not saved.
		before := len(f.want(f.call(requester, "GET", path(id, "/comments"), nil), http.StatusOK).items())
		again := admin.post("/requests/"+itoa(id)+"/comments", url.Values{"answer": {itoa(list[0].ID)}, "version": {itoa(req.Version)},
			"body": {"Nog een keer"}})
		wpWant(t, again, http.StatusConflict)
		wpContains(t, again, rpNL("transition.same_phase", "phase", "Optimalisatie"))
		if after := len(f.want(f.call(requester, "GET", path(id, "/comments"), nil), http.StatusOK).items()); after != before {
			t.Errorf("a refused answer saved its reply")
		}
	})
}

// TestStandardAnswerAPI: the same through the API.
func TestStandardAnswerAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		bad := f.want(f.call(functional, "POST", "/api/v1/answers", map[string]any{"title": "X", "body": "{naam}"}, "Accept-Language", "nl"),
			http.StatusUnprocessableEntity)
		if fields := bad.fieldErrors(); len(fields) != 1 || fields[0] != "body" || !strings.Contains(bad.raw, "Onbekende invulplek") {
			t.Errorf("problem %s", bad.raw)
		}
		f.want(f.call(keyUserHR, "POST", "/api/v1/answers", map[string]any{"title": "X", "body": "Y"}), http.StatusForbidden)
		a := f.want(f.call(functional, "POST", "/api/v1/answers", map[string]any{"title": "Vraag", "area_id": f.areas["hr"],
			"body": "Beste {aanvrager}, kunt u een schermafdruk van {nummer} sturen?", "set_status": "awaiting_requester"}), http.StatusCreated)
		aid := a.num("id")
		id := f.file("question", "Rooster", "hr")
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		filled := f.want(f.call(keyUserHR, "GET", path(id, "/answers/"+itoa(aid)), nil), http.StatusOK)
		if !strings.HasPrefix(filled.str("body"), "Beste Persoon requester, kunt u een schermafdruk van 20") {
			t.Errorf("filled %q", filled.str("body"))
		}
		f.want(f.call(requester, "GET", path(id, "/answers/"+itoa(aid)), nil), http.StatusNotFound)
		f.want(f.call(functional, "POST", path(id, "/answers/"+itoa(aid)), map[string]any{"body": filled.str("body")}), http.StatusCreated)
		if got := f.want(f.call(requester, "GET", path(id, ""), nil), http.StatusOK).str("status"); got != "awaiting_requester" {
			t.Errorf("status %s", got)
		}
		put := f.call(functional, "PUT", "/api/v1/answers/"+itoa(aid), map[string]any{"title": "Vraag", "body": "Tekst"})
		f.want(put, http.StatusPreconditionRequired)
	})
}

// TestFollowerPublicSideOnly: a follower reads a request's public side on
// the page and through the API, never its internal notes; bad followers are
// refused beside the field.
func TestFollowerPublicSideOnly(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("question", "Verlofsaldo klopt niet", "hr")
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{"body": "Openbaar antwoord Ab3"}), http.StatusCreated)
		f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{"body": "Geheime notitie Zq8", "internal": true}), http.StatusCreated)
		f.want(f.call(otherUser, "GET", path(id, ""), nil), http.StatusNotFound)

		owner := wpLogin(t, f, requester)
		gone, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: "oud@voorbeeld.nl", Name: "Oud"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetActive(context.Background(), store.System, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		refused := wpWant(t, owner.post("/requests/"+itoa(id)+"/follow", url.Values{"form": {"follower"}, "email": {"oud@voorbeeld.nl"}}),
			http.StatusUnprocessableEntity)
		if got := wpField(refused, "follower-email"); got != rpText("follow.inactive") {
			t.Errorf("beside the field: %q", got)
		}
		nobody := wpWant(t, owner.post("/requests/"+itoa(id)+"/follow", url.Values{"form": {"follower"}, "email": {"niemand@voorbeeld.nl"}}),
			http.StatusUnprocessableEntity)
		if got := wpField(nobody, "follower-email"); got != rpText("follow.unknown_person") {
			t.Errorf("beside the field: %q", got)
		}
		if len(f.want(f.call(requester, "GET", path(id, "/followers"), nil), http.StatusOK).items()) != 0 {
			t.Fatal("a refused follower was saved")
		}
		wpWant(t, owner.post("/requests/"+itoa(id)+"/follow", url.Values{"form": {"follower"}, "email": {other(otherUser)}}), http.StatusSeeOther)

		api := f.want(f.call(otherUser, "GET", path(id, "/comments"), nil), http.StatusOK)
		page := wpWant(t, wpLogin(t, f, otherUser).get("/requests/"+itoa(id)), http.StatusOK)
		for name, raw := range map[string]string{"api": api.raw, "page": page.raw} {
			if !strings.Contains(raw, "Openbaar antwoord Ab3") || strings.Contains(raw, "Zq8") {
				t.Errorf("%s: the follower must see the public reply and not the internal note", name)
			}
		}
		f.want(f.call(otherUser, "POST", path(id, "/comments"), map[string]any{"body": "Ik ook"}), http.StatusForbidden)
		f.want(f.call(otherUser, "GET", path(id, "/audit"), nil), http.StatusOK)
		following := f.want(f.call(otherUser, "GET", "/api/v1/me/following", nil), http.StatusOK).items()
		if len(following) != 1 || int64(following[0]["id"].(float64)) != id {
			t.Errorf("following %v", following)
		}
	})
}

func other(who string) string { return who + "@voorbeeld.nl" }

// TestDuplicateRefusals: a request made a duplicate of itself or of its
// own duplicate is refused beside the field, and nothing changes.
func TestDuplicateRefusals(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		orig := f.file("incident", "AFAS traag", "hr")
		dup := f.file("incident", "AFAS erg traag", "hr")
		admin := wpLogin(t, f, functional)
		number := func(id int64) string {
			return f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK).str("number")
		}
		version := func(id int64) string {
			return itoa(f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK).num("version"))
		}
		self := wpWant(t, admin.post("/requests/"+itoa(dup)+"/duplicate", url.Values{"original": {number(dup)}, "version": {version(dup)}}),
			http.StatusUnprocessableEntity)
		if got := wpField(self, "duplicate-original"); got != rpText("duplicate.self") {
			t.Errorf("itself: %q", got)
		}
		wpWant(t, admin.post("/requests/"+itoa(dup)+"/duplicate", url.Values{"original": {number(orig)}, "version": {version(dup)},
			"note": {"Zelfde melding als " + number(orig)}}), http.StatusSeeOther)
		cycle := wpWant(t, admin.post("/requests/"+itoa(orig)+"/duplicate", url.Values{"original": {number(dup)}, "version": {version(orig)}}),
			http.StatusUnprocessableEntity)
		if got := wpField(cycle, "duplicate-original"); got != rpText("duplicate.cycle", "number", number(dup)) {
			t.Errorf("cycle: %q", got)
		}
		if got := f.want(f.call(functional, "GET", path(orig, ""), nil), http.StatusOK).str("phase"); got != "intake" {
			t.Errorf("the original is %s", got)
		}
		joins := f.want(f.call(requester, "GET", path(dup, "/joins"), nil), http.StatusOK)
		if ref, _ := joins.body["duplicate_of"].(map[string]any); ref == nil || ref["number"] != number(orig) {
			t.Errorf("joins %s", joins.raw)
		}
		f.want(f.call(functional, "POST", path(orig, "/duplicate"), map[string]any{"original": orig}), http.StatusUnprocessableEntity)
	})
}

// TestAlertSettingForTeamsOnly: follow and mention can concern anyone, so
// everyone may set them; team alerts only reach people who read an area's
// requests, so a requester is not offered them.
func TestAlertSettingForTeamsOnly(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	f := newFixture(t, st)
	got := f.want(f.call(requester, "GET", "/api/v1/me/notification-settings", nil), http.StatusOK)
	if got.body[store.NotifyAlert] != nil || got.str(store.NotifyFollow) != store.ModeImmediate || got.str(store.NotifyMention) != store.ModeImmediate {
		t.Errorf("the requester's settings: %v", got.body)
	}
	f.want(f.call(requester, "PUT", "/api/v1/me/notification-settings", map[string]any{store.NotifyAlert: store.ModeOff}), http.StatusBadRequest)
	status, body, _ := notifyLogin(t, f, requester).do(t, "GET", "/settings/notifications", nil)
	if status != http.StatusOK || strings.Contains(body, `name="alert"`) || !strings.Contains(body, `name="follow"`) {
		t.Errorf("the requester's settings page = %d, offers alert or lacks follow", status)
	}
	if got := f.want(f.call(keyUserHR, "GET", "/api/v1/me/notification-settings", nil), http.StatusOK); got.str(store.NotifyAlert) != store.ModeImmediate {
		t.Errorf("the key user's settings lack team alerts: %v", got.body)
	}
}
