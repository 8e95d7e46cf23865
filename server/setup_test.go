package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// wantMessage fails unless the answer has status and a Dutch message
// beside field that contains want.
func (f *fixture) wantMessage(r response, status int, field, want string) {
	f.t.Helper()
	f.want(r, status)
	if msg := r.fieldMessage(field); !strings.Contains(msg, want) {
		f.t.Fatalf("message beside %s: %q, want %q; body %s", field, msg, want, r.raw)
	}
}

// TestSetupAPI keeps areas, processes, key users, channels, request types
// and the organisation through the API as the portal does, on both
// engines: bad input refused beside the field with a Dutch message and
// nothing half saved, stale edits refused, archived areas out of the
// new-request path.
func TestSetupAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		nl := []string{"Accept-Language", "nl"}

		// Areas.
		f.wantMessage(f.call(functional, "POST", "/api/v1/areas", map[string]any{"name": "hr"}, nl...), 422, "name", "al een aandachtsgebied met de naam HR")
		f.want(f.call(requester, "POST", "/api/v1/areas", map[string]any{"name": "Inkoop"}), 403)
		sal := f.want(f.call(functional, "POST", "/api/v1/areas", map[string]any{"name": "Salaris"}), 201)
		if sal.str("code") != "salaris" || sal.header.Get("ETag") != `"v1"` {
			t.Fatalf("new area %s %v", sal.raw, sal.header)
		}
		salPath := "/api/v1/areas/" + itoa(sal.num("id"))
		f.want(f.call(functional, "PATCH", salPath, map[string]any{"name": "Salarisadministratie"}, "If-Match", `"v1"`), 200)
		f.want(f.call(functional, "PATCH", salPath, map[string]any{"name": "Loon"}, "If-Match", `"v1"`), 412)
		if got := f.want(f.call(requester, "GET", salPath, nil), 200); got.str("name") != "Salarisadministratie" {
			t.Fatalf("after the rename %s", got.raw)
		}

		// Processes with owners; an owner without an account refused.
		f.wantMessage(f.call(functional, "POST", "/api/v1/processes", map[string]any{"area_id": f.areas["hr"], "name": "Verlof",
			"owner_id": 99999}, nl...), 422, "owner_id", "persoon met een account")
		verlof := f.want(f.call(functional, "POST", "/api/v1/processes", map[string]any{"area_id": f.areas["hr"], "name": "Verlof",
			"owner_id": f.ids[keyUserHR]}), 201)
		if verlof.num("owner_id") != f.ids[keyUserHR] || verlof.str("owner") == "" {
			t.Fatalf("process %s", verlof.raw)
		}
		f.wantMessage(f.call(functional, "POST", "/api/v1/processes", map[string]any{"area_id": f.areas["hr"], "name": "VERLOF"}, nl...),
			422, "name", "al een proces met de naam Verlof")
		if n := len(f.want(f.call(requester, "GET", "/api/v1/processes", nil), 200).items()); n != 1 {
			t.Fatalf("%d processes after refusals", n)
		}

		// A request in Verlof; archiving HR asks where it goes.
		id := f.want(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question", "title": "Verlofsaldo",
			"process": verlof.num("id")}), 201).num("id")
		hrPath := "/api/v1/areas/" + itoa(f.areas["hr"])
		f.wantMessage(f.call(functional, "POST", hrPath+"/archive", map[string]any{}, nl...), 409, "move_to", "open aanvragen overneemt")
		arch := f.want(f.call(functional, "POST", hrPath+"/archive", map[string]any{"move_to": "financieel"}), 200)
		if arch.num("moved_requests") != 1 || arch.str("archived_at") == "" {
			t.Fatalf("archive %s", arch.raw)
		}
		if got := f.want(f.call(functional, "GET", path(id, ""), nil), 200); got.str("area") != "financieel" {
			t.Fatalf("moved request %s", got.raw)
		}
		for _, a := range f.want(f.call(requester, "GET", "/api/v1/areas", nil), 200).items() {
			if a["code"] == "hr" {
				t.Fatal("an archived area is listed for new requests")
			}
		}
		if n := len(f.want(f.call(requester, "GET", "/api/v1/areas?archived=true", nil), 200).items()); n != 4 {
			t.Fatalf("%d areas with the archived ones", n)
		}
		f.wantMessage(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question", "title": "x", "area": "hr"}, nl...),
			422, "area", "gearchiveerd")
		f.want(f.call(functional, "POST", hrPath+"/restore", nil), 200)

		// Key users through the roles.
		f.want(f.call(functional, "PUT", salPath+"/key-users", map[string]any{"user_ids": []int64{f.ids[otherUser]}}), 204)
		if u := f.want(f.call(functional, "GET", "/api/v1/users", nil), 200); !strings.Contains(u.raw, `"role":"key_user","area_id":`+itoa(sal.num("id"))) {
			t.Fatalf("key user role not given: %s", u.raw)
		}

		// Channels.
		f.wantMessage(f.call(functional, "PUT", "/api/v1/channels/support", map[string]any{"portal_url": "ftp://x"}, nl...),
			422, "portal_url", "https://")
		ch := f.want(f.call(functional, "PUT", "/api/v1/channels/support", map[string]any{"vendor": "AFAS Software"}), 200)
		f.want(f.call(functional, "PUT", "/api/v1/channels/support", map[string]any{"vendor": "X"}, "If-Match", `"v9"`), 412)
		if ch.str("vendor") != "AFAS Software" || len(f.want(f.call(requester, "GET", "/api/v1/channels", nil), 200).items()) != 4 {
			t.Fatalf("channel %s", ch.raw)
		}

		// Request types and priorities.
		types := f.want(f.call(requester, "GET", "/api/v1/request-types", nil), 200).body["items"].([]any)
		types[1].(map[string]any)["enabled"] = false
		f.want(f.call(functional, "PUT", "/api/v1/request-types", map[string]any{"items": types}), 200)
		f.wantMessage(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "wish", "title": "x"}, nl...), 422, "type", "niet aangeboden")
		prios := f.want(f.call(requester, "GET", "/api/v1/priorities", nil), 200).body["items"].([]any)
		prios[3].(map[string]any)["label"] = map[string]any{"nl": "Spoed", "en": "Rush"}
		f.want(f.call(functional, "PUT", "/api/v1/priorities", map[string]any{"items": prios}), 200)
		f.want(f.call(requester, "PUT", "/api/v1/priorities", map[string]any{"items": prios}), 403)

		// The organisation (none yet in this database: the fixture was
		// filled by hand) and the checklist.
		f.want(f.call(requester, "GET", "/api/v1/organisation", nil), 404)
		org := f.want(f.call(functional, "PUT", "/api/v1/organisation", map[string]any{"name": "Gemeente Voorbeeld", "time_zone": "Europe/Brussels"}), 200)
		if org.str("time_zone") != "Europe/Brussels" {
			t.Fatalf("organisation %s", org.raw)
		}
		f.wantMessage(f.call(functional, "PUT", "/api/v1/organisation", map[string]any{"name": ""}, nl...), 422, "name", "verplicht")
		steps := f.want(f.call(functional, "GET", "/api/v1/setup", nil), 200)
		if !strings.Contains(steps.raw, `"item":"areas","done":true`) {
			t.Fatalf("checklist %s", steps.raw)
		}
		f.want(f.call(functional, "PUT", "/api/v1/setup/items/mail", map[string]any{"not_applicable": true}), 200)
		f.want(f.call(requester, "GET", "/api/v1/setup", nil), 403)
	})
}

// TestSupportSubmitterAPI: once someone is named who may submit incidents
// to Support, an escalation there by another functional admin is refused
// with the reason, in Dutch.
func TestSupportSubmitterAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.want(f.call(functional, "POST", "/api/v1/profile/contacts", map[string]any{"channel": "support",
			"user_id": f.ids[functional], "may_submit_support_incidents": true}), 201)
		id := f.file("incident", "Loonstrook toont verkeerde bedragen", "financieel")
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}, "If-Match", "*"), 200)
		r := f.call(functionalFin, "POST", path(id, "/escalations"), map[string]any{"channel": "support"}, "Accept-Language", "nl")
		f.wantMessage(r, 403, "channel", "Alleen aangewezen contactpersonen")
		f.want(f.call(functional, "POST", path(id, "/escalations"), map[string]any{"channel": "support"}), 201)
	})
}

// TestWelcomeLink follows the first-start link over HTTP: the form works
// once; the same link again, an expired link and an unknown one are
// refused with a Dutch page, and nothing can be set up once done.
func TestWelcomeLink(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	storetest.Engines(t, storetest.Options{Now: clock}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now = time.Now()
		srv := httptest.NewServer(server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)), server.Config{LocalLogin: true}))
		t.Cleanup(srv.Close)
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(path string) (int, string) {
			t.Helper()
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			req.Header.Set("Accept-Language", "nl")
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		expired, _, err := st.CreateSetupLink(ctx)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(25 * time.Hour)
		if status, page := get("/welcome?token=" + expired); status != 410 || !strings.Contains(page, "Deze link is verlopen") {
			t.Fatalf("expired link: %d", status)
		}
		token, _, err := st.CreateSetupLink(ctx)
		if err != nil {
			t.Fatal(err)
		}
		status, page := get("/welcome?token=" + token)
		if status != 200 {
			t.Fatalf("link: %d", status)
		}
		csrf := between(page, `name="csrf" value="`, `"`)
		form := url.Values{"csrf": {csrf}, "token": {token}, "org_name": {"Gemeente Voorbeeld"}, "lang": {"nl"},
			"time_zone": {"Europe/Amsterdam"}, "admin_name": {"Bea de Boer"}, "admin_email": {"bea@voorbeeld.nl"},
			"password": {"een lang wachtwoord voor Bea"}, "password_again": {"een lang wachtwoord voor Bea"}}
		res, err := c.PostForm(srv.URL+"/welcome", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/setup") {
			t.Fatalf("setup answered %d to %s", res.StatusCode, res.Header.Get("Location"))
		}
		if status, page := get("/setup"); status != 200 || !strings.Contains(page, "Inrichting") {
			t.Fatalf("signed in after setup: %d", status)
		}
		if status, page := get("/welcome?token=" + token); status != 410 || !strings.Contains(page, "Deze link is al gebruikt") {
			t.Fatalf("second use: %d", status)
		}
		if status, _ := get("/welcome?token=bedacht"); status != 404 {
			t.Fatalf("unknown link: %d", status)
		}
		if _, _, err := st.CreateSetupLink(ctx); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("a new link once set up: %v", err)
		}
	})
}

// between returns the text between the first start and the next end.
func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}
