package server_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"beheer"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// intakeMail is a new request by the requester, sent to the intake address.
const intakeMail = "From: Persoon <requester@voorbeeld.nl>\r\nTo: beheer@voorbeeld.nl\r\n" +
	"Subject: Export naar Excel werkt niet\r\nMessage-ID: <api-1@voorbeeld.nl>\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n\r\nDe export geeft een lege lijst.\r\n"

func TestMailInboundAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, server.Config{WriteRate: -1, MailIntake: "Beheer@Voorbeeld.nl"})
		post := func(who, body string, headers ...string) response {
			return f.call(who, "POST", "/api/v1/mail/inbound", body, append([]string{"Content-Type", "message/rfc822"}, headers...)...)
		}
		t.Run("authorisation", func(t *testing.T) {
			for _, who := range []string{requester, keyUserHR, management, functionalFin} {
				f.want(post(who, intakeMail), http.StatusForbidden)
			}
			f.want(post("", intakeMail), http.StatusUnauthorized)
		})
		t.Run("new request", func(t *testing.T) {
			res := f.want(post(technical, intakeMail), http.StatusOK)
			if res.str("outcome") != string(beheer.MailRequest) || res.str("number") == "" || res.num("request_id") == 0 {
				t.Fatalf("answer %s", res.raw)
			}
			if !strings.Contains(res.str("message"), res.str("number")) {
				t.Errorf("message %q does not name the request", res.str("message"))
			}
			got := f.want(f.call(requester, "GET", path(res.num("request_id"), ""), nil), http.StatusOK)
			if got.str("title") != "Export naar Excel werkt niet" || got.str("description") != "De export geeft een lege lijst." {
				t.Errorf("request %s", got.raw)
			}
			again := f.want(post(functional, intakeMail, "Accept-Language", "en"), http.StatusOK)
			if again.body["duplicate"] != true || again.num("request_id") != res.num("request_id") ||
				!strings.HasPrefix(again.str("message"), "This message had been handled already.") {
				t.Errorf("second post %s", again.raw)
			}
		})
		t.Run("auto-reply ignored", func(t *testing.T) {
			auto := strings.Replace(intakeMail, "Message-ID: <api-1@", "Auto-Submitted: auto-replied\r\nMessage-ID: <api-2@", 1)
			res := f.want(post(technical, auto), http.StatusOK)
			if res.str("outcome") != string(beheer.MailIgnoredAuto) || res.num("request_id") != 0 {
				t.Errorf("answer %s", res.raw)
			}
		})
		t.Run("bad input", func(t *testing.T) {
			f.want(post(technical, "geen e-mail"), http.StatusUnprocessableEntity)
			f.want(f.call(technical, "POST", "/api/v1/mail/inbound", intakeMail, "Content-Type", "text/plain"), http.StatusUnsupportedMediaType)
		})
	})
}

// postMails posts the intake mail and an auto-reply as the technical admin.
func postMails(f *fixture) {
	f.t.Helper()
	auto := strings.Replace(intakeMail, "Message-ID: <api-1@", "Auto-Submitted: auto-replied\r\nMessage-ID: <api-2@", 1)
	for _, m := range []string{intakeMail, auto} {
		f.want(f.call(technical, "POST", "/api/v1/mail/inbound", m, "Content-Type", "message/rfc822"), http.StatusOK)
	}
}

func TestMailLogAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, server.Config{WriteRate: -1, MailIntake: "beheer@voorbeeld.nl"})
		postMails(f)
		t.Run("authorisation", func(t *testing.T) {
			for _, who := range []string{requester, otherUser, keyUserHR, management, functionalFin} {
				f.want(f.call(who, "GET", "/api/v1/mail", nil), http.StatusForbidden)
			}
			f.want(f.call("", "GET", "/api/v1/mail", nil), http.StatusUnauthorized)
		})
		t.Run("newest first, a page at a time", func(t *testing.T) {
			for _, who := range []string{technical, functional} {
				first := f.want(f.call(who, "GET", "/api/v1/mail?limit=1", nil), http.StatusOK)
				items := first.items()
				if len(items) != 1 || items[0]["message_id"] != "api-2@voorbeeld.nl" || items[0]["outcome"] != string(beheer.MailIgnoredAuto) ||
					items[0]["sender"] != "requester@voorbeeld.nl" || first.str("next_cursor") == "" {
					t.Fatalf("%s: first page %s", who, first.raw)
				}
				next := f.want(f.call(who, "GET", "/api/v1/mail?limit=1&cursor="+first.str("next_cursor"), nil), http.StatusOK)
				items = next.items()
				if len(items) != 1 || items[0]["message_id"] != "api-1@voorbeeld.nl" || items[0]["outcome"] != string(beheer.MailRequest) ||
					items[0]["number"] == "" || items[0]["subject"] != "Export naar Excel werkt niet" || next.body["next_cursor"] != nil {
					t.Fatalf("%s: second page %s", who, next.raw)
				}
			}
		})
		t.Run("filter", func(t *testing.T) {
			res := f.want(f.call(technical, "GET", "/api/v1/mail?outcome=request", nil), http.StatusOK)
			if items := res.items(); len(items) != 1 || items[0]["outcome"] != string(beheer.MailRequest) {
				t.Errorf("filtered %s", res.raw)
			}
			for _, q := range []string{"outcome=pending", "cursor=rommel", "limit=0", "limit=101"} {
				f.want(f.call(technical, "GET", "/api/v1/mail?"+q, nil), http.StatusUnprocessableEntity)
			}
		})
		t.Run("personal data", func(t *testing.T) {
			// The requester's export lists both messages; after anonymising,
			// the log keeps the subjects but no longer their address.
			me := "/api/v1/users/" + itoa(f.ids[requester])
			export := f.want(f.call(requester, "GET", me+"/export", nil), http.StatusOK)
			mails, _ := export.body["incoming_mail"].([]any)
			if len(mails) != 2 || !strings.Contains(export.raw, `"message_id":"api-1@voorbeeld.nl"`) {
				t.Fatalf("export %s", export.raw)
			}
			f.want(f.call(functional, "POST", me+"/anonymise", nil), http.StatusNoContent)
			res := f.want(f.call(technical, "GET", "/api/v1/mail", nil), http.StatusOK)
			if strings.Contains(res.raw, "requester@voorbeeld.nl") || !strings.Contains(res.raw, "Export naar Excel werkt niet") {
				t.Errorf("log after anonymising %s", res.raw)
			}
		})
	})
}

func TestMailLogPage(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	f := newFixture(t, st, server.Config{WriteRate: -1, MailIntake: "beheer@voorbeeld.nl"})
	postMails(f)
	// Only the admins of every area, who may read every request; a
	// functional admin of one area is refused like anyone else.
	for _, who := range []string{requester, keyUserHR, management, functionalFin} {
		b := notifyLogin(t, f, who)
		if status, body, _ := b.do(t, "GET", "/settings/mail", nil); status != http.StatusForbidden || strings.Contains(body, "api-1@voorbeeld.nl") {
			t.Errorf("%s: log page %d", who, status)
		}
		if _, body, _ := b.do(t, "GET", "/settings/notifications", nil); strings.Contains(body, `href="/settings/mail"`) {
			t.Errorf("%s is shown the link to the log", who)
		}
	}
	for _, who := range []string{technical, functional} {
		b := notifyLogin(t, f, who)
		if _, body, _ := b.do(t, "GET", "/settings/notifications", nil); !strings.Contains(body, `href="/settings/mail"`) {
			t.Errorf("%s is not shown the link to the log", who)
		}
		status, body, _ := b.do(t, "GET", "/settings/mail", nil)
		if status != http.StatusOK {
			t.Fatalf("%s: log page %d:\n%s", who, status, body)
		}
		for _, want := range []string{"Binnengekomen e-mail", "api-1@voorbeeld.nl", "api-2@voorbeeld.nl", "requester@voorbeeld.nl",
			"Export naar Excel werkt niet", "Nieuwe aanvraag", "Automatisch, genegeerd"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: log page lacks %q", who, want)
			}
		}
	}
	b := notifyLogin(t, f, technical)
	_, body, _ := b.do(t, "GET", "/settings/mail?outcome=ignored_auto", nil)
	if !strings.Contains(body, "api-2@voorbeeld.nl") || strings.Contains(body, "api-1@voorbeeld.nl") {
		t.Errorf("filtered page:\n%s", body)
	}
	status, body, _ := b.do(t, "GET", "/settings/mail?limit=1", nil)
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body)
	if status != http.StatusOK || next == nil || strings.Contains(body, "api-1@voorbeeld.nl") {
		t.Fatalf("first page %d:\n%s", status, body)
	}
	if _, body, _ = b.do(t, "GET", html.UnescapeString(next[1]), nil); !strings.Contains(body, "api-1@voorbeeld.nl") ||
		strings.Contains(body, "api-2@voorbeeld.nl") {
		t.Errorf("second page:\n%s", body)
	}
	if status, _, _ := b.do(t, "GET", "/settings/mail?outcome=pending", nil); status != http.StatusUnprocessableEntity {
		t.Errorf("unknown outcome: %d", status)
	}
}
