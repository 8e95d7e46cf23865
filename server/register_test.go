package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"beheer/i18n"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// registerBody is a valid new integration owned by the technical admin.
func registerBody(f *fixture, name string) map[string]any {
	return map[string]any{"kind": "integration", "name": name, "status": "active", "owner_id": f.ids[technical],
		"direction": "outbound", "other_system": "Visma Raet", "technique": "AFAS GetConnector", "maintainer": "Koppelwerk BV"}
}

// noRegisterKeys fails on an untranslated key of the register on a page.
func noRegisterKeys(t *testing.T, r response) {
	t.Helper()
	for _, prefix := range []string{">register.", "[register.", `"register.`} {
		if i := strings.Index(r.raw, prefix); i >= 0 {
			t.Errorf("untranslated key near %q", r.raw[i:min(len(r.raw), i+60)])
		}
	}
}

// TestRegisterAccess is the register's truth table: who may call which
// path. Requesters and key users get 403 everywhere; management reads;
// technical admins and functional admins for every area keep it.
func TestRegisterAccess(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.want(f.call(technical, "POST", "/api/v1/register", registerBody(f, "AFAS → Topdesk")), http.StatusCreated).num("id")
		entry := fmt.Sprintf("/api/v1/register/%d", id)
		type call struct{ method, path string }
		calls := []call{{"GET", "/api/v1/register"}, {"GET", entry}, {"POST", "/api/v1/register"}, {"PATCH", entry},
			{"POST", entry + "/review"}}
		// want per call: r (read only) or w (read and write) or - (403).
		table := map[string]string{requester: "-", otherUser: "-", keyUserHR: "-", keyUserFin: "-", management: "r",
			functionalFin: "r", functional: "w", technical: "w"}
		for who, want := range table {
			for i, c := range calls {
				var body any
				switch c.method {
				case "POST":
					if strings.HasSuffix(c.path, "/review") {
						body = map[string]any{"note": "Gecontroleerd door " + who}
					} else {
						body = registerBody(f, "Nieuw van "+who)
					}
				case "PATCH":
					body = map[string]any{"technique": "REST door " + who}
				}
				res := f.call(who, c.method, c.path, body, "If-Match", "*")
				allowed := want == "w" || (want == "r" && i < 2)
				switch {
				case allowed && res.status >= 300:
					t.Errorf("%s %s %s: %d %s", who, c.method, c.path, res.status, res.raw)
				case !allowed && res.status != http.StatusForbidden:
					t.Errorf("%s %s %s: %d, want 403", who, c.method, c.path, res.status)
				}
			}
		}
		// The portal pages answer the same.
		for who, want := range map[string]int{requester: 403, keyUserHR: 403, management: 200, technical: 200} {
			b := planLogin(f, who)
			for _, p := range []string{"/register", fmt.Sprintf("/register/%d", id)} {
				if res := b.get(p); res.status != want {
					t.Errorf("%s GET %s: %d, want %d", who, p, res.status, want)
				}
			}
			home := b.get("/")
			if has := strings.Contains(home.raw, `href="/register"`); has != (want == 200) {
				t.Errorf("%s: nav link to the register shown %v", who, has)
			}
		}
		for _, who := range []string{requester, keyUserHR, management} {
			b := planLogin(f, who)
			for _, p := range []string{"/register/new?kind=integration", fmt.Sprintf("/register/%d/edit", id)} {
				if res := b.get(p); res.status != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", who, p, res.status)
				}
			}
			for _, p := range []string{"/register", fmt.Sprintf("/register/%d", id), fmt.Sprintf("/register/%d/review", id)} {
				if res := b.post(p, url.Values{"name": {"x"}, "note": {"x"}, "version": {"1"}}); res.status != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", who, p, res.status)
				}
			}
		}
	})
}

func TestRegisterAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)

		// Bad input names every invalid field and saves nothing.
		res := f.want(f.call(technical, "POST", "/api/v1/register", map[string]any{"kind": "integration", "status": "weg",
			"owner_id": f.ids[functional], "direction": "omhoog", "maintainer_contact_id": 999}), http.StatusUnprocessableEntity)
		for _, field := range []string{"name", "status", "owner_id", "direction", "other_system", "maintainer_contact_id"} {
			if !slices.Contains(res.fieldErrors(), field) {
				t.Errorf("no error for %s: %v", field, res.fieldErrors())
			}
		}
		res = f.want(f.call(technical, "POST", "/api/v1/register", map[string]any{"kind": "identity_provider", "name": "Entra ID",
			"status": "active", "owner_id": f.ids[technical], "protocol": "oidc", "issuer_url": "https://login.microsoftonline.com/x/v2.0",
			"client_ids": []string{"6f1c2d3e", "client_secret=geheim"}}), http.StatusUnprocessableEntity)
		if !slices.Contains(res.fieldErrors(), "client_ids") || !strings.Contains(res.raw, "secret") {
			t.Errorf("a secret in client_ids: %s", res.raw)
		}
		if list := f.want(f.call(technical, "GET", "/api/v1/register", nil), http.StatusOK).items(); len(list) != 0 {
			t.Fatalf("refused entries saved: %d", len(list))
		}

		// A technical admin adds an identity provider and a mail server.
		res = f.want(f.call(technical, "POST", "/api/v1/register", map[string]any{"kind": "identity_provider", "name": "Entra ID",
			"status": "active", "owner_id": f.ids[technical], "protocol": "oidc", "issuer_url": "https://login.microsoftonline.com/x/v2.0",
			"client_ids": []string{"6f1c2d3e-4b5a", "beheer-portal"}, "host": "genegeerd"}), http.StatusCreated)
		if res.header.Get("ETag") != `"v1"` || !strings.HasPrefix(res.header.Get("Location"), "/api/v1/register/") ||
			res.body["host"] != nil || len(res.body["client_ids"].([]any)) != 2 || res.num("review_due_in_days") < 360 {
			t.Fatalf("created: %v %s", res.header, res.raw)
		}
		mail := f.want(f.call(functional, "POST", "/api/v1/register", map[string]any{"kind": "mail_server", "name": "SMTP-relay",
			"status": "active", "owner_id": f.ids[technical], "host": "mail.voorbeeld.nl", "port": 587, "tls_mode": "starttls",
			"area": "integraties"}), http.StatusCreated)
		path := fmt.Sprintf("/api/v1/register/%d", mail.num("id"))

		// PATCH needs If-Match, refuses a stale one and changes only what is sent.
		f.want(f.call(technical, "PATCH", path, map[string]any{"port": 465}), http.StatusPreconditionRequired)
		f.want(f.call(technical, "PATCH", path, map[string]any{"port": 465, "tls_mode": "tls"}, "If-Match", `"v1"`), http.StatusOK)
		f.want(f.call(functional, "PATCH", path, map[string]any{"port": 25}, "If-Match", `"v1"`), http.StatusPreconditionFailed)
		f.want(f.call(technical, "PATCH", path, map[string]any{"port": 0, "owner_id": f.ids[management]}, "If-Match", `"v2"`),
			http.StatusUnprocessableEntity)
		got := f.want(f.call(management, "GET", path, nil), http.StatusOK)
		if got.num("port") != 465 || got.str("tls_mode") != "tls" || got.str("area") != "integraties" || got.num("version") != 2 {
			t.Fatalf("after patches: %s", got.raw)
		}
		f.want(f.call(technical, "GET", "/api/v1/register?kind=printer", nil), http.StatusUnprocessableEntity)
		if list := f.want(f.call(technical, "GET", "/api/v1/register?kind=mail_server", nil), http.StatusOK).items(); len(list) != 1 {
			t.Errorf("filtered list: %d", len(list))
		}
	})
}

// TestRegisterReviewFlow raises a due review with the sweep, finds the
// request and the owner's task through the API, and completes it with a
// review from the portal.
func TestRegisterReviewFlow(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		body := registerBody(f, "AFAS → Visma Raet")
		body["last_reviewed_on"] = time.Now().AddDate(-1, -1, 0).Format("2006-01-02")
		id := f.want(f.call(technical, "POST", "/api/v1/register", body), http.StatusCreated).num("id")
		n, err := st.RegisterReviewSweep(context.Background(), server.ReviewText(i18n.MustLoad(), "https://beheer.voorbeeld.nl"))
		if err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		e := f.want(f.call(technical, "GET", fmt.Sprintf("/api/v1/register/%d", id), nil), http.StatusOK)
		req := e.num("open_review_request_id")
		if req == 0 || e.num("review_due_in_days") >= 0 {
			t.Fatalf("entry after the sweep: %s", e.raw)
		}
		r := f.want(f.call(technical, "GET", path(req, ""), nil), http.StatusOK)
		if r.str("title") != "Periodieke review koppeling AFAS → Visma Raet" || r.str("area") != "integraties" ||
			!strings.Contains(r.str("description"), fmt.Sprintf("https://beheer.voorbeeld.nl/register/%d", id)) {
			t.Fatalf("review request: %s", r.raw)
		}
		tasks := f.want(f.call(technical, "GET", "/api/v1/tasks", nil), http.StatusOK)
		if !strings.Contains(tasks.raw, "Review vastleggen: AFAS → Visma Raet") {
			t.Fatalf("the owner's tasks: %s", tasks.raw)
		}
		f.want(f.call(requester, "GET", path(req, ""), nil), http.StatusNotFound)

		// The entry page shows the overdue badge and the running review.
		b := planLogin(f, technical)
		page := b.get(fmt.Sprintf("/register/%d", id))
		if page.status != http.StatusOK || !strings.Contains(page.raw, "dagen te laat") || !strings.Contains(page.raw, "sla-late") ||
			!strings.Contains(page.raw, fmt.Sprintf(`href="/requests/%d"`, req)) || !strings.Contains(page.raw, `id="review-form"`) {
			t.Fatalf("entry page: %d %.3000s", page.status, page.raw)
		}
		noRegisterKeys(t, page)
		list := b.get("/register")
		if !strings.Contains(list.raw, "dagen te laat") || !strings.Contains(list.raw, "Koppelingen") {
			t.Errorf("list lacks the badge: %.2000s", list.raw)
		}
		noRegisterKeys(t, list)

		// A review without a note comes back with the message beside the field.
		version := fmt.Sprint(e.num("version"))
		res := b.post(fmt.Sprintf("/register/%d/review", id), url.Values{"version": {version}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.raw, `id="review-note-error"`) {
			t.Fatalf("review without note: %d %.2000s", res.status, res.raw)
		}
		res = b.post(fmt.Sprintf("/register/%d/review", id), url.Values{"version": {version}, "note": {"Mapping en velden gecontroleerd"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("review: %d %.2000s", res.status, res.raw)
		}
		page = b.get(res.header.Get("Location"))
		if !strings.Contains(page.raw, "De review is vastgelegd.") || !strings.Contains(page.raw, "Mapping en velden gecontroleerd") ||
			!strings.Contains(page.raw, "Review over 36") || strings.Contains(page.raw, `id="open-review"`) {
			t.Errorf("after the review: %.3000s", page.raw)
		}
		done := f.want(f.call(technical, "GET", path(req, "/tasks"), nil), http.StatusOK)
		if !strings.Contains(done.raw, `"status":"done"`) || !strings.Contains(done.raw, "Mapping en velden gecontroleerd") {
			t.Errorf("task after the review: %s", done.raw)
		}
		if n, _ := st.RegisterReviewSweep(context.Background(), server.ReviewText(i18n.MustLoad(), "")); n != 0 {
			t.Errorf("the sweep raised %d after the review", n)
		}
	})
}

// TestRegisterForms drives the forms without JavaScript: a new entry with
// errors beside the fields, a stale change that keeps what was typed, and
// the identity provider's warning about secrets.
func TestRegisterForms(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		tech, admin := planLogin(f, technical), planLogin(f, functional)
		form := tech.get("/register/new?kind=integration")
		if form.status != http.StatusOK || !strings.Contains(form.raw, `id="register-form"`) || !strings.Contains(form.raw, `id="integration-fields"`) {
			t.Fatalf("new form: %d %.2000s", form.status, form.raw)
		}
		noRegisterKeys(t, form)
		idp := tech.get("/register/new?kind=identity_provider")
		if !strings.Contains(idp.raw, "Leg hier nooit secrets") || strings.Contains(idp.raw, `id="integration-fields"`) {
			t.Errorf("identity provider form: %.2000s", idp.raw)
		}
		if res := tech.get("/register/new?kind=printer"); res.status != http.StatusNotFound {
			t.Errorf("unknown kind: %d", res.status)
		}

		res := tech.post("/register", url.Values{"kind": {"integration"}, "name": {"AFAS → Topdesk"}, "status": {"active"},
			"review_months": {"0"}, "port": {"abc"}})
		for _, want := range []string{`id="reg-other_system-error"`, `id="reg-direction-error"`, `id="reg-owner-error"`,
			`id="reg-review_months-error"`, `value="AFAS → Topdesk"`} {
			if !strings.Contains(res.raw, want) {
				t.Errorf("bad form lacks %s", want)
			}
		}
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad form: %d", res.status)
		}
		values := url.Values{"kind": {"integration"}, "name": {"AFAS → Topdesk"}, "status": {"active"}, "review_months": {"12"},
			"owner": {fmt.Sprint(f.ids[technical])}, "direction": {"outbound"}, "other_system": {"Topdesk"}, "area": {"hr"}}
		res = tech.post("/register", values)
		if res.status != http.StatusSeeOther {
			t.Fatalf("create: %d %.2000s", res.status, res.raw)
		}
		loc := res.header.Get("Location")
		entry := strings.TrimSuffix(loc, "?done=created")
		page := tech.get(loc)
		if !strings.Contains(page.raw, "Het onderdeel is aan het register toegevoegd.") || !strings.Contains(page.raw, "Review over 36") ||
			!strings.Contains(page.raw, "sla-ok") {
			t.Errorf("new entry page: %.2000s", page.raw)
		}
		edit := admin.get(entry + "/edit")
		if !strings.Contains(edit.raw, `name="version" value="1"`) {
			t.Fatalf("edit form: %.2000s", edit.raw)
		}
		values.Set("version", "1")
		values.Set("technique", "Topdesk-API")
		if res := admin.post(entry, values); res.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %.2000s", res.status, res.raw)
		}
		values.Set("technique", "SFTP")
		res = tech.post(entry, values)
		if res.status != http.StatusConflict || !strings.Contains(res.raw, `id="stale"`) || !strings.Contains(res.raw, `value="SFTP"`) ||
			!strings.Contains(res.raw, `name="version" value="2"`) {
			t.Fatalf("stale edit: %d %.3000s", res.status, res.raw)
		}
		if page := tech.get(entry); !strings.Contains(page.raw, "Topdesk-API") || strings.Contains(page.raw, "SFTP") {
			t.Errorf("the stale edit changed the entry")
		}
	})
}
