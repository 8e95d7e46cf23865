package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"beheer"
	"beheer/i18n"
	"beheer/password"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// TestHTTPSImpliesHSTSAndSecureCookies: served over https (by Beheer or a
// proxy, as BEHEER_BASE_URL says) every answer carries HSTS and the
// session cookie is __Host- and Secure; plain http has neither, unless
// SecureCookies asks for the cookies alone.
func TestHTTPSImpliesHSTSAndSecureCookies(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		hash, _ := password.Hash(goodPassword)
		u, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, hash)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name          string
			cfg           server.Config
			hsts, secured bool
		}{
			{"plain http", server.Config{BaseURL: "http://beheer.voorbeeld.nl"}, false, false},
			{"an https base URL", server.Config{BaseURL: "https://beheer.voorbeeld.nl"}, true, true},
			{"served over TLS", server.Config{HTTPS: true}, true, true},
			{"secure cookies alone", server.Config{SecureCookies: true}, false, true},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.cfg.LocalLogin = true
				site := &loginSite{t: t, st: st, user: u,
					h: server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)), tt.cfg)}
				b := &tbrowser{ip: "192.0.2.7", cookies: map[string]string{}}
				res := b.login(site, "anna@voorbeeld.nl", goodPassword)
				if res.Code != http.StatusSeeOther {
					t.Fatalf("login: %d", res.Code)
				}
				if got := res.Header().Get("Strict-Transport-Security"); (got != "") != tt.hsts {
					t.Errorf("Strict-Transport-Security %q", got)
				}
				var session *http.Cookie
				for _, c := range res.Result().Cookies() {
					if strings.HasSuffix(c.Name, "beheer_session") {
						session = c
					}
				}
				if session == nil {
					t.Fatalf("no session cookie: %v", res.Header()["Set-Cookie"])
				}
				if session.Secure != tt.secured || strings.HasPrefix(session.Name, "__Host-") != tt.secured ||
					session.Path != "/" || !session.HttpOnly {
					t.Errorf("session cookie %s", session)
				}
				// The new name is the one the portal reads back.
				if page := b.do(site, "GET", "/", nil); page.Code != http.StatusOK {
					t.Errorf("GET / after login: %d", page.Code)
				}
			})
		}
	})
}
