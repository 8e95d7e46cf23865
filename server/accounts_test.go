package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
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
	"beheer/totp"
)

// syncBuffer is a log both the server and the store write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// attack guesses wrong passwords for Anna from addresses addresses, tries
// times each; addr makes the browser of address i.
func attack(s *loginSite, addresses, tries int, addr func(i int) *tbrowser) {
	for i := range addresses {
		b := addr(i)
		for range tries {
			if rec := b.login(s, "anna@voorbeeld.nl", fmt.Sprintf("gok-%d", i)); rec.Code != http.StatusUnauthorized &&
				rec.Code != http.StatusTooManyRequests {
				s.t.Fatalf("guess answered %d", rec.Code)
			}
		}
	}
}

// underAttack guesses from 50 addresses (prefix 1 to 50), each from the
// browser from makes for it; the owner gets in from a fresh address during
// the attack, and an attacking address that goes on is throttled, even
// with the right password.
func underAttack(t *testing.T, s *loginSite, from func(client string) *tbrowser, prefix string) {
	t.Helper()
	attack(s, 50, 2, func(i int) *tbrowser { return from(fmt.Sprintf("%s%d", prefix, i+1)) })
	if rec := from("203.0.113.7").login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusSeeOther {
		t.Fatalf("the owner from a fresh address during the attack: %d", rec.Code)
	}
	a := from(prefix + "1")
	attack(s, 1, beheer.FreeFailures, func(int) *tbrowser { return a })
	if rec := a.login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("a throttled attacker with the right password: %d", rec.Code)
	}
	if rec := from("203.0.113.8").login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusSeeOther {
		t.Fatalf("the owner from another fresh address: %d", rec.Code)
	}
}

// TestLoginUnderAttack: wrong passwords for one account from 50 addresses
// slow those addresses down, never the owner, who logs in from a fresh
// address during the attack and is told of it by mail — directly, through
// a trusted proxy that names the addresses, and with a client that forges
// X-Forwarded-For, which counts against its own address.
func TestLoginUnderAttack(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		c := &clock{now: time.Now()}
		st = st.WithClock(c.Now)
		cfg := server.Config{LocalLogin: true}
		cfg.TrustedProxies, _ = server.ParseTrustedProxies([]string{"10.0.0.0/8"})
		s := newLoginSiteWith(t, st, c, cfg, &syncBuffer{})

		t.Run("direct", func(t *testing.T) {
			underAttack(t, s, func(client string) *tbrowser { return newBrowser(client) }, "198.51.100.")
			if got := s.resets.alertsFor("anna@voorbeeld.nl"); got != beheer.AlertFailures {
				t.Fatalf("the owner was told of %d failures, want one mail at %d", got, beheer.AlertFailures)
			}
		})

		t.Run("through a trusted proxy", func(t *testing.T) {
			underAttack(t, s, func(client string) *tbrowser {
				b := newBrowser("10.0.0.1")
				b.headers = []string{"X-Forwarded-For", client}
				return b
			}, "192.0.2.")
		})

		t.Run("forged X-Forwarded-For is ignored", func(t *testing.T) {
			forger := func(i int) *tbrowser {
				b := newBrowser("198.51.100.200")
				b.headers = []string{"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", 100+i)}
				return b
			}
			attack(s, beheer.FreeFailures+1, 1, forger)
			if rec := forger(99).login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusTooManyRequests {
				t.Fatalf("a forger with a fresh forged address: %d", rec.Code)
			}
			events, err := st.SecurityEvents(context.Background(), store.System, beheer.SecurityEventFilter{Kind: beheer.EventForwardedIgnored})
			if err != nil || len(events) == 0 || events[0].Address != "198.51.100.200" || !strings.Contains(events[0].Detail, "203.0.113.") {
				t.Fatalf("the forged header is not recorded: %+v %v", events, err)
			}
			if rec := newBrowser("203.0.113.10").login(s, "anna@voorbeeld.nl", goodPassword); rec.Code != http.StatusSeeOther {
				t.Fatalf("the owner after the forger: %d", rec.Code)
			}
		})
	})
}

// TestTokenAPI: tokens made, listed and revoked through the API; expired,
// revoked and deactivated people's tokens refused with a clean 401; a
// lifetime beyond the organisation's maximum refused in Dutch, changing
// nothing.
func TestTokenAPI(t *testing.T) {
	c := &clock{now: time.Now()}
	storetest.Engines(t, storetest.Options{Now: c.Now}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, server.Config{WriteRate: -1})
		unauthorized := func(r response) {
			t.Helper()
			if r.status != http.StatusUnauthorized || r.str("code") != "unauthorized" || r.header.Get("WWW-Authenticate") == "" {
				t.Fatalf("want a clean 401, got %d %s", r.status, r.raw)
			}
		}

		r := f.want(f.call(requester, "POST", "/api/v1/tokens", map[string]any{"name": "Script", "expires_in_days": 400},
			"Accept-Language", "nl"), http.StatusUnprocessableEntity)
		if fe := r.fieldErrors(); len(fe) != 1 || fe[0] != "expires_in_days" || !strings.Contains(r.raw, "1 tot en met 365 dagen") {
			t.Fatalf("a lifetime beyond the maximum: %s", r.raw)
		}
		created := f.want(f.call(requester, "POST", "/api/v1/tokens", map[string]any{"name": "Script", "expires_in_days": 7}), http.StatusCreated)
		secret, id := created.str("token"), created.num("id")
		if !strings.HasPrefix(secret, "bhr_") || created.str("expires_at") == "" {
			t.Fatalf("created: %s", created.raw)
		}
		f.tokens["script"] = secret
		f.want(f.call("script", "GET", "/api/v1/me", nil), http.StatusOK)
		list := f.want(f.call(requester, "GET", "/api/v1/tokens", nil), http.StatusOK)
		if strings.Contains(list.raw, secret) || !strings.Contains(list.raw, `"name":"Script"`) {
			t.Fatalf("own list: %s", list.raw)
		}

		// Whose tokens: one's own; anyone's for a functional admin for every area.
		f.want(f.call(otherUser, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", id), nil), http.StatusNotFound)
		f.want(f.call(functionalFin, "GET", "/api/v1/tokens?user=all", nil), http.StatusForbidden)
		all := f.want(f.call(functional, "GET", "/api/v1/tokens?user=all", nil), http.StatusOK)
		if !strings.Contains(all.raw, `"name":"Script"`) {
			t.Fatalf("every token: %s", all.raw)
		}
		f.want(f.call("script", "GET", "/api/v1/me", nil), http.StatusOK)
		f.want(f.call(functional, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", id), nil), http.StatusNoContent)
		unauthorized(f.call("script", "GET", "/api/v1/me", nil))

		// Expired.
		short := f.want(f.call(requester, "POST", "/api/v1/tokens", map[string]any{"name": "Kort", "expires_in_days": 1}), http.StatusCreated)
		f.tokens["short"] = short.str("token")
		f.want(f.call("short", "GET", "/api/v1/me", nil), http.StatusOK)
		c.Add(25 * time.Hour)
		unauthorized(f.call("short", "GET", "/api/v1/me", nil))

		// A deactivated person's token, also after reactivation.
		f.want(f.call(functional, "POST", fmt.Sprintf("/api/v1/users/%d/deactivate", f.ids[otherUser]), nil), http.StatusNoContent)
		unauthorized(f.call(otherUser, "GET", "/api/v1/me", nil))
		f.want(f.call(functional, "POST", fmt.Sprintf("/api/v1/users/%d/activate", f.ids[otherUser]), nil), http.StatusNoContent)
		unauthorized(f.call(otherUser, "GET", "/api/v1/me", nil))

		// Everything above is in the security events, for those who read them.
		f.want(f.call(requester, "GET", "/api/v1/security-events", nil), http.StatusForbidden)
		f.want(f.call(management, "GET", "/api/v1/security-events", nil), http.StatusOK)
		ev := f.want(f.call(functional, "GET", "/api/v1/security-events?kind=token.revoked", nil), http.StatusOK)
		if !strings.Contains(ev.raw, "requester@voorbeeld.nl") || !strings.Contains(ev.raw, "other_user@voorbeeld.nl") ||
			strings.Contains(ev.raw, "bhr_") {
			t.Fatalf("revocations: %s", ev.raw)
		}
		csv := f.want(f.call(functional, "GET", "/api/v1/security-events?format=csv&kind=access.forbidden", nil, "Accept-Language", "nl"), http.StatusOK)
		if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.raw, "Gebeurtenis;") ||
			!strings.Contains(csv.raw, "access.forbidden") {
			t.Fatalf("csv: %s", csv.raw)
		}
		bad := f.want(f.call(functional, "GET", "/api/v1/security-events?from=gisteren&kind=nope", nil, "Accept-Language", "nl"),
			http.StatusUnprocessableEntity)
		if fe := bad.fieldErrors(); len(fe) != 2 {
			t.Fatalf("a bad filter: %s", bad.raw)
		}
	})
}

// TestSecurityLog: failed logins, throttling, CSRF refusals and 403s reach
// the log at the default level with request id, account and address, and
// no password, token or reset link ever does.
func TestSecurityLog(t *testing.T) {
	logs := &syncBuffer{}
	st := storetest.SQLite(t, storetest.Options{Log: logs})
	c := &clock{now: time.Now()}
	s := newLoginSiteWith(t, st, c, server.Config{LocalLogin: true}, logs)
	b := newBrowser("192.0.2.44")
	for range beheer.FreeFailures + 1 {
		b.login(s, "anna@voorbeeld.nl", "GeheimWachtwoord1")
	}
	b.login(s, "anna@voorbeeld.nl", goodPassword)
	owner := newBrowser("192.0.2.45")
	owner.login(s, "anna@voorbeeld.nl", goodPassword)
	if rec := owner.do(s, "POST", "/logout", url.Values{}); rec.Code != http.StatusForbidden {
		t.Fatalf("logout without csrf: %d", rec.Code)
	}
	token, err := st.CreateToken(context.Background(), s.user.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if rec := owner.do(s, "GET", "/api/v1/users", nil, "Authorization", "Bearer "+token); rec.Code != http.StatusForbidden {
		t.Fatalf("people without user:manage: %d", rec.Code)
	}

	// Without mail set up, a reset request says so in the log, without the
	// link, and says how an administrator helps instead.
	plain := server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(logs, nil)), server.Config{LocalLogin: true})
	site := &loginSite{t: t, st: st, h: plain, srv: plain}
	page := owner.do(site, "GET", "/password/forgot", nil).Body.String()
	owner.do(site, "POST", "/password/forgot", url.Values{"email": {"anna@voorbeeld.nl"}, "csrf": {csrfField.FindStringSubmatch(page)[1]}})
	plain.WaitBackground()

	out := logs.String()
	for _, want := range []string{
		`level=WARN msg="security: login.failed"`, `level=WARN msg="security: login.throttled"`,
		`level=WARN msg="security: csrf.refused"`, `level=INFO msg="security: login.succeeded"`,
		`level=WARN msg="security: access.forbidden"`, `level=INFO msg="security: password_reset.requested"`,
		`account=anna@voorbeeld.nl`, `address=192.0.2.44`, `address=192.0.2.45`,
		"e-mail is not set up", "beheer user password --email", `msg="security: password_reset.not_sent"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
	if !regexp.MustCompile(`security: login.failed.*request_id=[0-9a-f]{16}`).MatchString(out) {
		t.Error("a failed login is logged without its request id")
	}
	for _, secret := range []string{"GeheimWachtwoord1", goodPassword, "token=", "bhr_", "/password/reset"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

// blockingMail holds every mail until released, to show that the answer
// to "forgot password" does not wait for it.
type blockingMail struct {
	release chan struct{}
	sent    chan string
}

func (m *blockingMail) SendReset(ctx context.Context, u *beheer.User, link string) error {
	<-m.release
	m.sent <- u.Email
	return nil
}

func (m *blockingMail) SendLoginAlert(ctx context.Context, u *beheer.User, failures int) error {
	return nil
}

// TestForgotAnswersFirst: the answer to "forgot password" is the same for
// known and unknown addresses and leaves before the link is made and sent,
// so its timing tells nothing.
func TestForgotAnswersFirst(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	c := &clock{now: time.Now()}
	s := newLoginSite(t, st, c)
	m := &blockingMail{release: make(chan struct{}), sent: make(chan string, 1)}
	s.srv.SetAccountMail(m)
	b := newBrowser("192.0.2.50")
	token := csrfField.FindStringSubmatch(b.do(s, "GET", "/password/forgot", nil).Body.String())[1]
	known := b.do(s, "POST", "/password/forgot", url.Values{"email": {"anna@voorbeeld.nl"}, "csrf": {token}})
	unknown := b.do(s, "POST", "/password/forgot", url.Values{"email": {"niemand@voorbeeld.nl"}, "csrf": {token}})
	// The answer sends the browser back to the form (redirect after post),
	// to the same place whether or not the address is known.
	if known.Code != http.StatusSeeOther || unknown.Code != known.Code || known.Body.Len() != unknown.Body.Len() ||
		known.Header().Get("Location") != unknown.Header().Get("Location") {
		t.Fatalf("answers differ: %d/%d, %d/%d bytes, to %q/%q", known.Code, unknown.Code, known.Body.Len(), unknown.Body.Len(),
			known.Header().Get("Location"), unknown.Header().Get("Location"))
	}
	select {
	case <-m.sent:
		t.Fatal("the link went out before the answer")
	default:
	}
	close(m.release)
	if got := <-m.sent; got != "anna@voorbeeld.nl" {
		t.Fatalf("sent to %s", got)
	}
	s.srv.WaitBackground()
}

// TestSecondFactorLogin: an admin the organisation requires a second factor
// of is sent to enrol after the password, everywhere; enrolment shows the
// secret as text and QR code and takes a first code; from then on a login
// asks for a code after the password, takes each code once and takes a
// recovery code once.
func TestSecondFactorLogin(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := &clock{now: time.Now()}
		st = st.WithClock(c.Now)
		s := newLoginSite(t, st, c)
		hash, _ := password.Hash(goodPassword)
		fleur, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "fleur@voorbeeld.nl", Name: "Fleur",
			Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}}, hash)
		if err != nil {
			t.Fatal(err)
		}
		acc := beheer.DefaultPolicy().AccountSettings
		acc.RequireSecondFactor = true
		if err := st.SetAccountSettings(ctx, fleur.Actor(), acc); err != nil {
			t.Fatal(err)
		}

		b := newBrowser("192.0.2.60")
		if rec := b.login(s, "fleur@voorbeeld.nl", goodPassword); rec.Header().Get("Location") != "/settings/second-factor" {
			t.Fatalf("after the password: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if rec := b.do(s, "GET", "/people", nil); rec.Code != http.StatusSeeOther ||
			rec.Header().Get("Location") != "/settings/second-factor?required=1" {
			t.Fatalf("another page before enrolling: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		// Anna, no admin, is not asked.
		if rec := newBrowser("192.0.2.61").login(s, "anna@voorbeeld.nl", goodPassword); rec.Header().Get("Location") != "/" {
			t.Fatalf("a requester was sent to %q", rec.Header().Get("Location"))
		}

		page := b.do(s, "GET", "/settings/second-factor?required=1", nil).Body.String()
		m := regexp.MustCompile(`<code id="secret">([A-Z2-7 ]+)</code>`).FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, `src="data:image/png;base64,`) {
			t.Fatalf("the enrolment page shows no secret or QR code:\n%s", page)
		}
		key, err := totp.Decode(m[1])
		if err != nil {
			t.Fatal(err)
		}
		csrf := csrfField.FindStringSubmatch(page)[1]
		if rec := b.do(s, "POST", "/settings/second-factor", url.Values{"csrf": {csrf}, "code": {"000000"}},
			"Accept-Language", "nl"); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Deze code klopt niet") {
			t.Fatalf("a wrong first code: %d", rec.Code)
		}
		enrolled := b.do(s, "POST", "/settings/second-factor", url.Values{"csrf": {csrf}, "code": {totp.Code(key, c.Now())}})
		codes := regexp.MustCompile(`<code>([a-z2-7]{5}-[a-z2-7]{5})</code>`).FindAllStringSubmatch(enrolled.Body.String(), -1)
		if enrolled.Code != http.StatusOK || len(codes) != beheer.RecoveryCodes {
			t.Fatalf("enrolled: %d, %d recovery codes", enrolled.Code, len(codes))
		}
		if rec := b.do(s, "GET", "/people", nil); rec.Code != http.StatusOK {
			t.Fatalf("after enrolling: %d", rec.Code)
		}

		// The next login asks for the code; the enrolment's code is spent.
		next := newBrowser("192.0.2.62")
		if rec := next.login(s, "fleur@voorbeeld.nl", goodPassword); rec.Header().Get("Location") != "/login/code" || next.cookies["beheer_session"] != "" {
			t.Fatalf("a login with a second factor: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		codePage := next.do(s, "GET", "/login/code", nil).Body.String()
		csrf = csrfField.FindStringSubmatch(codePage)[1]
		post := func(code string) *httptest.ResponseRecorder {
			return next.do(s, "POST", "/login/code", url.Values{"csrf": {csrf}, "code": {code}}, "Accept-Language", "nl")
		}
		if rec := post(totp.Code(key, c.Now())); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "al gebruikt") {
			t.Fatalf("a code used before: %d", rec.Code)
		}
		c.Add(totp.Period)
		if rec := post(totp.Code(key, c.Now())); rec.Code != http.StatusSeeOther || next.cookies["beheer_session"] == "" {
			t.Fatalf("a fresh code: %d", rec.Code)
		}

		// A recovery code, once.
		third := newBrowser("192.0.2.63")
		third.login(s, "fleur@voorbeeld.nl", goodPassword)
		csrf = csrfField.FindStringSubmatch(third.do(s, "GET", "/login/code", nil).Body.String())[1]
		if rec := third.do(s, "POST", "/login/code", url.Values{"csrf": {csrf}, "code": {codes[0][1]}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("a recovery code: %d", rec.Code)
		}
		fourth := newBrowser("192.0.2.64")
		fourth.login(s, "fleur@voorbeeld.nl", goodPassword)
		csrf = csrfField.FindStringSubmatch(fourth.do(s, "GET", "/login/code", nil).Body.String())[1]
		if rec := fourth.do(s, "POST", "/login/code", url.Values{"csrf": {csrf}, "code": {codes[0][1]}}); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a recovery code twice: %d", rec.Code)
		}
		// Without the password first there is no second step.
		if rec := newBrowser("192.0.2.65").do(s, "GET", "/login/code", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("the code page without a password: %d", rec.Code)
		}
	})
}
