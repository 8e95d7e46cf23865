package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/password"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// loginSite is a portal with one local account, driven through its
// handler directly so each request can come from a chosen address.
type loginSite struct {
	t      *testing.T
	st     *store.Store
	h      http.Handler
	srv    *server.Server
	clock  *clock
	resets *resetCatcher
	user   *beheer.User
}

type resetCatcher struct {
	mu     sync.Mutex
	links  []string
	alerts map[string]int // failures told, by address
}

func (r *resetCatcher) SendReset(ctx context.Context, u *beheer.User, link string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.links = append(r.links, link)
	return nil
}

func (r *resetCatcher) SendLoginAlert(ctx context.Context, u *beheer.User, failures int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.alerts == nil {
		r.alerts = map[string]int{}
	}
	r.alerts[u.Email] = failures
	return nil
}

// alertsFor is the failures the owner of email was told of; 0: none.
func (r *resetCatcher) alertsFor(email string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.alerts[email]
}

const goodPassword = "een lange goede zin"

func newLoginSite(t *testing.T, st *store.Store, c *clock) *loginSite {
	t.Helper()
	return newLoginSiteWith(t, st, c, server.Config{LocalLogin: true}, io.Discard)
}

// newLoginSiteWith is newLoginSite with a configuration of its own and the
// server's log written to logw.
func newLoginSiteWith(t *testing.T, st *store.Store, c *clock, cfg server.Config, logw io.Writer) *loginSite {
	t.Helper()
	hash, _ := password.Hash(goodPassword)
	u, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, hash)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(logw, nil)), cfg)
	rc := &resetCatcher{}
	srv.SetAccountMail(rc)
	return &loginSite{t: t, st: st, h: srv, srv: srv, clock: c, resets: rc, user: u}
}

// browser is a cookie jar and an address.
type tbrowser struct {
	ip      string
	cookies map[string]string
	headers []string // sent with every request, in pairs
}

func (b *tbrowser) do(s *loginSite, method, path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = b.ip + ":40000"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	headers = append(slices.Clip(b.headers), headers...)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return rec
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login posts the login form the way a browser would.
func (b *tbrowser) login(s *loginSite, email, pw string) *httptest.ResponseRecorder {
	page := b.do(s, "GET", "/login", nil)
	m := csrfField.FindStringSubmatch(page.Body.String())
	if m == nil {
		s.t.Fatalf("no csrf field on the login page")
	}
	return b.do(s, "POST", "/login", url.Values{"email": {email}, "password": {pw}, "csrf": {m[1]}})
}

func newBrowser(ip string) *tbrowser { return &tbrowser{ip: ip, cookies: map[string]string{}} }

func TestLoginAndSessions(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		st = st.WithClock(c.Now)
		s := newLoginSite(t, st, c)

		t.Run("security headers on every response", func(t *testing.T) {
			for _, path := range []string{"/login", "/nope", "/api/v1/me", "/healthz"} {
				rec := newBrowser("10.0.0.1").do(s, "GET", path, nil)
				h := rec.Header()
				if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
					strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") ||
					h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
					t.Errorf("%s: headers %v", path, h)
				}
			}
		})

		t.Run("friendly pages for unknown and forbidden URLs", func(t *testing.T) {
			rec := newBrowser("10.0.0.1").do(s, "GET", "/bestaat-niet", nil, "Accept-Language", "nl")
			if rec.Code != 404 || !strings.Contains(rec.Body.String(), "bestaat niet") || strings.Contains(rec.Body.String(), "goroutine") {
				t.Fatalf("404 page: %d %s", rec.Code, rec.Body.String())
			}
		})

		t.Run("no enumeration, new session id, logout ends it", func(t *testing.T) {
			b := newBrowser("10.0.0.2")
			wrong := b.login(s, "anna@voorbeeld.nl", "verkeerd wachtwoord")
			unknown := b.login(s, "niemand@voorbeeld.nl", "verkeerd wachtwoord")
			if wrong.Code != unknown.Code || !strings.Contains(unknown.Body.String(), "klopt niet") {
				t.Fatalf("answers differ: %d vs %d", wrong.Code, unknown.Code)
			}
			b.cookies["beheer_session"] = "vooraf-geplant"
			ok := b.login(s, "Anna@Voorbeeld.nl ", goodPassword)
			if ok.Code != http.StatusSeeOther || b.cookies["beheer_session"] == "vooraf-geplant" || b.cookies["beheer_session"] == "" {
				t.Fatalf("login: %d cookie %q", ok.Code, b.cookies["beheer_session"])
			}
			cookie := ok.Result().Cookies()
			for _, ck := range cookie {
				if ck.Name == "beheer_session" && (!ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode) {
					t.Fatalf("cookie flags %+v", ck)
				}
			}
			if rec := b.do(s, "GET", "/", nil); rec.Code != 200 {
				t.Fatalf("home after login: %d", rec.Code)
			}
			session := b.cookies["beheer_session"]
			home := b.do(s, "GET", "/", nil).Body.String()
			token := csrfField.FindStringSubmatch(home)[1]
			if rec := b.do(s, "POST", "/logout", url.Values{}); rec.Code != http.StatusForbidden {
				t.Fatalf("logout without csrf: %d", rec.Code)
			}
			b.do(s, "POST", "/logout", url.Values{"csrf": {token}})
			replay := newBrowser("10.0.0.2")
			replay.cookies["beheer_session"] = session
			if rec := replay.do(s, "GET", "/", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("old session after logout: %d", rec.Code)
			}
		})

		t.Run("cross-origin posts refused", func(t *testing.T) {
			b := newBrowser("10.0.0.3")
			b.login(s, "anna@voorbeeld.nl", goodPassword)
			rec := b.do(s, "POST", "/logout", url.Values{}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
			if rec.Code != http.StatusForbidden {
				t.Fatalf("cross-site post: %d", rec.Code)
			}
		})

		t.Run("idle and absolute timeouts", func(t *testing.T) {
			b := newBrowser("10.0.0.4")
			b.login(s, "anna@voorbeeld.nl", goodPassword)
			c.Add(beheer.IdleTimeout - time.Minute)
			if rec := b.do(s, "GET", "/", nil); rec.Code != 200 {
				t.Fatalf("active session refused: %d", rec.Code)
			}
			c.Add(beheer.IdleTimeout + time.Minute)
			if rec := b.do(s, "GET", "/", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("idle session accepted: %d", rec.Code)
			}
			b.login(s, "anna@voorbeeld.nl", goodPassword)
			for elapsed := time.Duration(0); elapsed < beheer.AbsoluteTimeout; elapsed += 20 * time.Minute {
				c.Add(20 * time.Minute)
				if rec := b.do(s, "GET", "/", nil); rec.Code != 200 {
					t.Fatalf("session in use refused after %s: %d", elapsed, rec.Code)
				}
			}
			c.Add(time.Minute)
			if rec := b.do(s, "GET", "/", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("session beyond the absolute timeout accepted: %d", rec.Code)
			}
		})

		t.Run("deactivation ends sessions at once", func(t *testing.T) {
			b := newBrowser("10.0.0.5")
			b.login(s, "anna@voorbeeld.nl", goodPassword)
			if err := st.SetActive(context.Background(), store.System, s.user.ID, false); err != nil {
				t.Fatal(err)
			}
			if rec := b.do(s, "GET", "/", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("deactivated person still in: %d", rec.Code)
			}
			if rec := b.login(s, "anna@voorbeeld.nl", goodPassword); rec.Code == http.StatusSeeOther {
				t.Fatal("deactivated person logged in")
			}
			st.SetActive(context.Background(), store.System, s.user.ID, true)
		})

		t.Run("throttling slows the attacker, not the owner", func(t *testing.T) {
			attacker := newBrowser("10.6.6.6")
			for range beheer.FreeFailures {
				if rec := attacker.login(s, "anna@voorbeeld.nl", "gok"); rec.Code != http.StatusUnauthorized {
					t.Fatalf("failure answered %d", rec.Code)
				}
			}
			attacker.login(s, "anna@voorbeeld.nl", "gok")
			if rec := attacker.login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusTooManyRequests {
				t.Fatalf("throttled attacker with the right password: %d", rec.Code)
			}
			owner := newBrowser("10.0.0.7")
			if rec := owner.login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusSeeOther {
				t.Fatalf("owner locked out: %d %s", rec.Code, rec.Body.String())
			}
			c.Add(16 * time.Minute)
			if rec := attacker.login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusSeeOther {
				t.Fatalf("after the wait: %d", rec.Code)
			}
		})

		t.Run("password reset link works once and expires", func(t *testing.T) {
			b := newBrowser("10.0.0.8")
			page := b.do(s, "GET", "/password/forgot", nil).Body.String()
			token := csrfField.FindStringSubmatch(page)[1]
			known := b.do(s, "POST", "/password/forgot", url.Values{"email": {"anna@voorbeeld.nl"}, "csrf": {token}})
			unknown := b.do(s, "POST", "/password/forgot", url.Values{"email": {"niemand@voorbeeld.nl"}, "csrf": {token}})
			s.srv.WaitBackground()
			if known.Code != unknown.Code || len(s.resets.links) != 1 {
				t.Fatalf("reset answers %d/%d, %d links", known.Code, unknown.Code, len(s.resets.links))
			}
			link, _ := url.Parse(s.resets.links[0])
			resetToken := link.Query().Get("token")
			post := func(pw string) int {
				return b.do(s, "POST", "/password/reset", url.Values{"token": {resetToken}, "password": {pw}, "csrf": {token}}).Code
			}
			if code := post("kort"); code != http.StatusUnprocessableEntity {
				t.Fatalf("short password: %d", code)
			}
			if code := post("wachtwoord"); code != http.StatusUnprocessableEntity {
				t.Fatalf("common password: %d", code)
			}
			if code := post("een nieuwe lange zin"); code != http.StatusSeeOther {
				t.Fatalf("reset: %d", code)
			}
			if code := post("nog een andere zin"); code != http.StatusUnprocessableEntity {
				t.Fatalf("second use of the link: %d", code)
			}
			if rec := newBrowser("10.0.0.9").login(s, "anna@voorbeeld.nl", "een nieuwe lange zin"); rec.Code != http.StatusSeeOther {
				t.Fatalf("login with the new password: %d", rec.Code)
			}
			b.do(s, "POST", "/password/forgot", url.Values{"email": {"anna@voorbeeld.nl"}, "csrf": {token}})
			s.srv.WaitBackground()
			link, _ = url.Parse(s.resets.links[len(s.resets.links)-1])
			resetToken = link.Query().Get("token")
			c.Add(beheer.ResetLifetime + time.Minute)
			if code := post("weer een andere zin"); code != http.StatusUnprocessableEntity {
				t.Fatalf("expired link: %d", code)
			}
		})
	})
}

// TestResetByMail queues the reset link as an e-mail in the person's
// language when mail is set up.
func TestResetByMail(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		hash, _ := password.Hash(goodPassword)
		u, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna", Lang: "en"}, hash)
		if err != nil {
			t.Fatal(err)
		}
		sender := server.OutboxMail(st, i18n.MustLoad())
		if err := sender.SendReset(context.Background(), u, "https://beheer.example/password/reset?token=abc"); err != nil {
			t.Fatal(err)
		}
		mails, err := st.MailOutbox(context.Background(), store.System, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) != 1 || mails[0].Subject != "New password for Beheer" || mails[0].To != "anna@voorbeeld.nl" {
			t.Fatalf("outbox: %+v", mails)
		}
	})
}
