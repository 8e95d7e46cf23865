package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/notify"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// notifyBrowser is a signed-in portal visitor that does not follow
// redirects.
type notifyBrowser struct {
	f      *fixture
	cookie string
	csrf   string
}

func notifyLogin(t *testing.T, f *fixture, who string) *notifyBrowser {
	t.Helper()
	sess, err := f.st.CreateSession(context.Background(), f.ids[who])
	if err != nil {
		t.Fatal(err)
	}
	return &notifyBrowser{f: f, cookie: sess.ID, csrf: sess.CSRF}
}

func (b *notifyBrowser) do(t *testing.T, method, path string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", b.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.f.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Origin", b.f.srv.URL)
	req.AddCookie(&http.Cookie{Name: "beheer_session", Value: b.cookie})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data), res.Header
}

// runNotify handles every waiting event (in-app only: no SMTP here).
func runNotify(t *testing.T, st *store.Store) *notify.Workers {
	t.Helper()
	w, err := notify.New(st, notify.Config{BaseURL: "https://beheer.test", WebhookAllow: []string{"127.0.0.1/32"}},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for {
		n, err := w.Notifier.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return w
		}
	}
}

func TestNotificationsPortal(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("question", "Declaratie reiskosten", "hr")
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{"body": "Intern: even checken", "internal": true}), http.StatusCreated)
		runNotify(t, st)

		b := notifyLogin(t, f, requester)
		status, body, _ := b.do(t, "GET", "/notifications", nil)
		if status != http.StatusOK {
			t.Fatalf("GET /notifications = %d", status)
		}
		for _, want := range []string{"Declaratie reiskosten", "verplaatst naar de fase Onderzoek", `href="/requests/` + itoa(id) + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, "interne notitie") || strings.Contains(body, "even checken") {
			t.Error("the requester sees the internal note")
		}
		n, _ := st.UnreadNotifications(context.Background(), f.ids[requester])
		if n != 1 {
			t.Errorf("unread = %d, want 1", n)
		}

		// Mark all read: a 303 back to the list, nothing unread.
		status, _, h := b.do(t, "POST", "/notifications/read", url.Values{})
		if status != http.StatusSeeOther || h.Get("Location") != "/notifications?done=1" {
			t.Errorf("POST read = %d %s", status, h.Get("Location"))
		}
		if n, _ := st.UnreadNotifications(context.Background(), f.ids[requester]); n != 0 {
			t.Errorf("unread after marking = %d", n)
		}
		// Someone else's notification cannot be marked.
		other := notifyLogin(t, f, otherUser)
		list, _ := st.Notifications(context.Background(), &beheer.Actor{UserID: f.ids[requester]}, 0, 1)
		if len(list) == 1 {
			if status, _, _ := other.do(t, "POST", "/notifications/read", url.Values{"id": {itoa(list[0].ID)}}); status != http.StatusNotFound {
				t.Errorf("marking another person's notification = %d, want 404", status)
			}
		}
		// Without the CSRF token nothing happens.
		req, _ := http.NewRequest("POST", f.srv.URL+"/notifications/read", nil)
		req.AddCookie(&http.Cookie{Name: "beheer_session", Value: b.cookie})
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST without CSRF = %d", res.StatusCode)
			}
		}
	})
}

func TestNotificationSettingsPortal(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	f := newFixture(t, st)
	b := notifyLogin(t, f, keyUserHR)
	status, body, _ := b.do(t, "GET", "/settings/notifications", nil)
	if status != http.StatusOK || !strings.Contains(body, "Een wijziging wacht op uw besluit") || strings.Contains(body, "technische taak") {
		t.Fatalf("settings page = %d:\n%s", status, body)
	}
	status, _, h := b.do(t, "POST", "/settings/notifications", url.Values{"decision": {"digest"}, "phase": {"off"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/settings/notifications?saved=1" {
		t.Fatalf("save = %d %s", status, h.Get("Location"))
	}
	prefs, _ := st.NotifyPrefs(context.Background(), &beheer.Actor{UserID: f.ids[keyUserHR]})
	if prefs["decision"] != "digest" || prefs["phase"] != "off" || prefs["question"] != "immediate" {
		t.Errorf("prefs = %v", prefs)
	}
	_, body, _ = b.do(t, "GET", "/settings/notifications?saved=1", nil)
	if !strings.Contains(body, "opgeslagen") || !strings.Contains(body, `value="digest" checked`) {
		t.Errorf("saved page does not show the choice")
	}
	status, body, _ = b.do(t, "POST", "/settings/notifications", url.Values{"decision": {"sometimes"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="decision-error"`) {
		t.Errorf("bad mode = %d", status)
	}
}

func TestWebhooksAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, server.Config{WriteRate: -1, WebhookAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		var got []*http.Request
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = append(got, r)
			w.WriteHeader(http.StatusOK)
		}))
		t.Cleanup(recv.Close)
		in := map[string]any{"url": recv.URL + "/in", "events": []string{"request.filed"}, "description": "Zaaksysteem"}

		for _, who := range []string{requester, keyUserHR, functionalFin, management} {
			f.want(f.call(who, "POST", "/api/v1/webhooks", in), http.StatusForbidden)
			f.want(f.call(who, "GET", "/api/v1/webhooks", nil), http.StatusForbidden)
		}
		bad := f.want(f.call(technical, "POST", "/api/v1/webhooks", map[string]any{"url": "file:///etc/passwd", "events": []string{"x"}}), http.StatusUnprocessableEntity)
		if fe := bad.fieldErrors(); len(fe) != 2 {
			t.Errorf("field errors = %v", fe)
		}
		created := f.want(f.call(technical, "POST", "/api/v1/webhooks", in), http.StatusCreated)
		hookID := created.num("id")
		if !strings.HasPrefix(created.str("secret"), "whsec_") {
			t.Errorf("no secret in %s", created.raw)
		}
		list := f.want(f.call(functional, "GET", "/api/v1/webhooks", nil), http.StatusOK)
		if len(list.items()) != 1 || list.items()[0]["secret"] != nil {
			t.Errorf("list = %s", list.raw)
		}

		f.file("question", "Nieuwe aanvraag", "hr")
		w := runNotify(t, st)
		for {
			q, err := st.QueueWebhooks(context.Background(), 100)
			if err != nil {
				t.Fatal(err)
			}
			s, err := w.Hooks.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if q == 0 && s == 0 {
				break
			}
		}
		if len(got) != 1 || !strings.HasPrefix(got[0].Header.Get("Beheer-Signature"), "t=") {
			t.Fatalf("calls = %d", len(got))
		}
		log := f.want(f.call(technical, "GET", "/api/v1/webhooks/"+itoa(hookID)+"/deliveries", nil), http.StatusOK)
		if len(log.items()) != 1 || log.items()[0]["last_status"] != float64(200) {
			t.Fatalf("log = %s", log.raw)
		}
		delivery := int64(log.items()[0]["id"].(float64))
		f.want(f.call(keyUserHR, "POST", "/api/v1/webhooks/deliveries/"+itoa(delivery)+"/replay", nil), http.StatusForbidden)
		rep := f.want(f.call(technical, "POST", "/api/v1/webhooks/deliveries/"+itoa(delivery)+"/replay", nil), http.StatusAccepted)
		if rep.num("replay_of") != delivery {
			t.Errorf("replay = %s", rep.raw)
		}
		f.want(f.call(technical, "POST", "/api/v1/webhooks/deliveries/999999/replay", nil), http.StatusNotFound)
		f.want(f.call(technical, "GET", "/api/v1/webhooks/999999/deliveries", nil), http.StatusNotFound)
		f.want(f.call(technical, "DELETE", "/api/v1/webhooks/"+itoa(hookID), nil), http.StatusNoContent)
		f.want(f.call(technical, "DELETE", "/api/v1/webhooks/"+itoa(hookID), nil), http.StatusNotFound)
		f.want(f.call(technical, "POST", "/api/v1/webhooks/deliveries/"+itoa(delivery)+"/replay", nil), http.StatusConflict)
	})
}
