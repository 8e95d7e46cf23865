package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"beheer"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// adminKey seals the secrets of these tests.
const adminKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func sealBox(t *testing.T) *beheer.SecretBox {
	t.Helper()
	b, err := beheer.ParseSecretKey(adminKey)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smtpServer is a real SMTP server on 127.0.0.1 with STARTTLS that signs
// in one user with PLAIN and keeps every message; trust is the TLS
// configuration that trusts its certificate.
type smtpServer struct {
	port           int
	trust          *tls.Config
	user, password string
	mu             sync.Mutex
	got            []string // "to: data"
}

func newSMTPServer(t *testing.T, user, password string) *smtpServer {
	t.Helper()
	s := &smtpServer{user: user, password: password}
	web := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate for 127.0.0.1
	t.Cleanup(web.Close)
	s.trust = web.Client().Transport.(*http.Transport).TLSClientConfig
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: web.TLS.Certificates}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpServer) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

type smtpSession struct {
	s      *smtpServer
	authed bool
	to     string
}

func (x *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (x *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != x.s.user || password != x.s.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		x.authed = true
		return nil
	}), nil
}
func (x *smtpSession) Mail(string, *smtp.MailOptions) error {
	if !x.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { x.to = to; return nil }
func (x *smtpSession) Data(r io.Reader) error {
	b, _ := io.ReadAll(r)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.got = append(x.s.got, x.to+": "+string(b))
	return nil
}
func (x *smtpSession) Reset()        {}
func (x *smtpSession) Logout() error { return nil }

// logBuffer collects a server's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// adminFixture is the fixture with its server logging into a buffer and
// reading connections from the store, sealed with adminKey.
func adminFixture(t *testing.T, st *store.Store, conns *server.Connections) (*fixture, *logBuffer) {
	t.Helper()
	f := newFixture(t, st)
	logs := &logBuffer{}
	if conns == nil {
		conns = &server.Connections{Store: st}
	}
	f.srv.Close()
	f.srv = httptest.NewServer(server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		server.Config{WriteRate: -1, LookupIP: lookupIP, Connections: conns, LocalLogin: true}))
	t.Cleanup(f.srv.Close)
	return f, logs
}

// setting finds one setting in a Connections answer.
func setting(r response, key string) map[string]any {
	list, _ := r.body["settings"].([]any)
	for _, it := range list {
		if m, _ := it.(map[string]any); m["key"] == key {
			return m
		}
	}
	return nil
}

// TestMailSettingsRealSMTP: saving the mail settings signs in at a real
// SMTP server first — a wrong password is refused beside its field in
// Dutch with the server's answer, and nothing is saved; the right one is
// saved sealed and never shown; "send test mail" reaches the signed-in
// admin, and reports a wrong password in Dutch.
func TestMailSettingsRealSMTP(t *testing.T) {
	const password, wrong = "Juist-Wachtwoord-7731", "fout-wachtwoord"
	storetest.Engines(t, storetest.Options{Secrets: sealBox(t)}, func(t *testing.T, st *store.Store) {
		mail := newSMTPServer(t, "beheer", password)
		f, logs := adminFixture(t, st, &server.Connections{Store: st, TLS: mail.trust})
		in := map[string]any{"smtp_host": "127.0.0.1", "smtp_port": mail.port, "smtp_tls": "starttls", "smtp_user": "beheer",
			"smtp_password": wrong, "mail_from": "Beheer <beheer@voorbeeld.nl>"}

		bad := f.want(f.call(functional, "PUT", "/api/v1/settings/mail", in), http.StatusUnprocessableEntity)
		if fe := bad.fieldErrors(); len(fe) != 1 || fe[0] != "smtp_password" ||
			!strings.Contains(bad.raw, "accepteert de gebruikersnaam of het wachtwoord niet") || !strings.Contains(bad.raw, "535") {
			t.Fatalf("a wrong password: %s", bad.raw)
		}
		got := f.want(f.call(functional, "GET", "/api/v1/settings/mail", nil), http.StatusOK)
		if setting(got, "smtp_host")["value"] != "" || setting(got, "smtp_password")["set"] != false {
			t.Fatalf("a refused change was saved: %s", got.raw)
		}

		in["smtp_password"] = password
		for _, who := range []string{requester, keyUserHR, functionalFin, management} {
			f.want(f.call(who, "PUT", "/api/v1/settings/mail", in), http.StatusForbidden)
		}
		saved := f.want(f.call(technical, "PUT", "/api/v1/settings/mail", in), http.StatusOK)
		if setting(saved, "smtp_password")["set"] != true || setting(saved, "smtp_port")["value"] != itoa(int64(mail.port)) {
			t.Fatalf("saved: %s", saved.raw)
		}

		test := f.want(f.call(functional, "POST", "/api/v1/settings/mail/test-mail", nil), http.StatusOK)
		if test.body["ok"] != true {
			t.Fatalf("test mail: %s", test.raw)
		}
		msgs := mail.messages()
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "functional@voorbeeld.nl: ") || !strings.Contains(msgs[0], "Testbericht van Beheer") {
			t.Fatalf("the SMTP server got %q", msgs)
		}
		failed := f.want(f.call(functional, "POST", "/api/v1/settings/mail/test-mail", map[string]any{"smtp_password": wrong}), http.StatusOK)
		if failed.body["ok"] != false || !strings.Contains(failed.str("message"), "wachtwoord") || !strings.Contains(failed.str("answer"), "535") {
			t.Fatalf("test mail with a wrong password: %s", failed.raw)
		}

		// The page: the wrong password beside its field, in Dutch.
		page := slaLogin(f, functional).post("/settings/mailserver/test-mail", url.Values{"smtp_host": {"127.0.0.1"},
			"smtp_port": {itoa(int64(mail.port))}, "smtp_tls": {"starttls"}, "smtp_user": {"beheer"}, "smtp_password": {wrong},
			"mail_from": {"Beheer <beheer@voorbeeld.nl>"}})
		if page.status != http.StatusOK || !strings.Contains(page.raw, `id="smtp_password-error"`) ||
			!strings.Contains(page.raw, "De SMTP-server accepteert de gebruikersnaam of het wachtwoord niet") {
			t.Fatalf("the page's test mail: %d\n%s", page.status, page.raw)
		}

		// The secret is nowhere to be read: page, API, log, audit export.
		admin := slaLogin(f, functional)
		html, _ := admin.get("/settings/mailserver")
		csv, _ := admin.get("/audit/export.csv")
		xlsx, _ := admin.get("/audit/export.xlsx")
		api := f.call(functional, "GET", "/api/v1/settings/mail", nil)
		auditAPI := f.call(functional, "GET", "/api/v1/audit?limit=500", nil)
		for name, text := range map[string]string{"page": html.raw, "api": api.raw, "log": logs.String(), "audit csv": csv.raw,
			"audit xlsx": text(xlsx), "audit api": auditAPI.raw, "refusal": bad.raw, "test answer": failed.raw} {
			for _, secret := range []string{password, wrong} {
				if strings.Contains(text, secret) {
					t.Errorf("the %s shows the password %q", name, secret)
				}
			}
		}
		if !strings.Contains(html.raw, ">ingesteld<") || !strings.Contains(csv.raw, "Geheim vervangen") {
			t.Errorf("the page or the audit log does not say the password was set")
		}
	})
}

// TestSignOnSettings: an issuer that answers no discovery is refused
// beside its field and nothing is saved; one that does is saved and
// switches single sign-on on at once; the environment wins where it is
// set; a technical admin keeps the provider but not the role map; an edit
// over someone else's is refused.
func TestSignOnSettings(t *testing.T) {
	storetest.Engines(t, storetest.Options{Secrets: sealBox(t)}, func(t *testing.T, st *store.Store) {
		idp := startSSOOP(t, "https://beheer.voorbeeld.nl/sso/callback").srv
		conns := &server.Connections{Store: st, Fixed: beheer.ConnValues{beheer.ConnOIDCName: "Entra"},
			FixedBy: map[string]string{beheer.ConnOIDCName: "BEHEER_OIDC_NAME"}}
		f, _ := adminFixture(t, st, conns)
		good := map[string]any{"oidc_issuer": idp.URL, "oidc_client_id": "beheer", "oidc_client_secret": "klant-geheim-123",
			"oidc_redirect_url": "https://beheer.voorbeeld.nl/sso/callback"}

		bad := map[string]any{"oidc_issuer": "http://127.0.0.1:1", "oidc_client_id": "beheer", "oidc_redirect_url": "https://beheer.voorbeeld.nl/sso/callback"}
		res := f.want(f.call(functional, "PUT", "/api/v1/settings/signon", bad), http.StatusUnprocessableEntity)
		if fe := res.fieldErrors(); len(fe) != 1 || fe[0] != "oidc_issuer" || !strings.Contains(res.raw, "is niet bruikbaar") {
			t.Fatalf("an issuer that does not answer: %s", res.raw)
		}
		page := slaLogin(f, functional).post("/settings/signon", url.Values{"oidc_issuer": {"geen adres"}, "version": {""}})
		if page.status != http.StatusUnprocessableEntity || !strings.Contains(page.raw, `id="oidc_issuer-error"`) {
			t.Fatalf("the page with a bad issuer: %d", page.status)
		}
		if got := f.want(f.call(functional, "GET", "/api/v1/settings/signon", nil), http.StatusOK); setting(got, "oidc_issuer")["value"] != "" {
			t.Fatalf("a refused issuer was saved: %s", got.raw)
		}
		if login := loginPage(t, f); strings.Contains(login, "/sso/start") {
			t.Fatal("single sign-on is on before it was saved")
		}

		fixed := f.want(f.call(functional, "PUT", "/api/v1/settings/signon", map[string]any{"oidc_name": "Anders"}), http.StatusUnprocessableEntity)
		if !strings.Contains(fixed.raw, "BEHEER_OIDC_NAME") {
			t.Errorf("a setting the environment fixes: %s", fixed.raw)
		}
		f.want(f.call(technical, "PUT", "/api/v1/settings/signon", map[string]any{"oidc_roles": "beheer=functional_admin"}), http.StatusForbidden)

		read := f.want(f.call(technical, "GET", "/api/v1/settings/signon", nil), http.StatusOK)
		if setting(read, "oidc_roles")["locked"] != true || setting(read, "oidc_name")["fixed_by"] != "BEHEER_OIDC_NAME" {
			t.Errorf("the technical admin's view: %s", read.raw)
		}
		f.want(f.call(technical, "PUT", "/api/v1/settings/signon", good, "If-Match", `"`+read.str("version")+`"`), http.StatusOK)
		f.want(f.call(functional, "PUT", "/api/v1/settings/signon", map[string]any{"oidc_scopes": "groups"},
			"If-Match", `"`+read.str("version")+`"`), http.StatusPreconditionFailed)

		if login := loginPage(t, f); !strings.Contains(login, "/sso/start") || !strings.Contains(login, "Entra") {
			t.Errorf("the login page offers no single sign-on after saving")
		}
		try := f.want(f.call(functional, "POST", "/api/v1/settings/signon/test", nil), http.StatusOK)
		if try.body["ok"] != true || !strings.Contains(try.raw, idp.URL+"/authorize") {
			t.Errorf("test login: %s", try.raw)
		}
		html, _ := slaLogin(f, functional).get("/settings/signon")
		if strings.Contains(html.raw, "klant-geheim-123") || strings.Contains(read.raw, "klant-geheim-123") {
			t.Error("the client secret is shown")
		}
	})
}

// TestSignOnPageOverHTTPS: single sign-on saved on the sign-on page of a
// server that is reached over https is rebuilt with the server's cookie
// rules: the sign-in's flow cookie is __Host- and Secure, as the session
// cookie is.
func TestSignOnPageOverHTTPS(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{Secrets: sealBox(t)})
	idp := startSSOOP(t, "https://beheer.voorbeeld.nl/sso/callback").srv
	f := newFixture(t, st)
	f.srv.Close()
	f.srv = httptest.NewServer(server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)),
		server.Config{WriteRate: -1, HTTPS: true, LocalLogin: true, Connections: &server.Connections{Store: st}}))
	t.Cleanup(f.srv.Close)
	f.want(f.call(functional, "PUT", "/api/v1/settings/signon", map[string]any{"oidc_issuer": idp.URL,
		"oidc_client_id": "beheer", "oidc_redirect_url": "https://beheer.voorbeeld.nl/sso/callback"}), http.StatusOK)

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(f.srv.URL + "/sso/start")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), idp.URL) {
		t.Fatalf("start: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	var flow *http.Cookie
	for _, c := range res.Cookies() {
		if strings.HasSuffix(c.Name, "beheer_sso") {
			flow = c
		}
	}
	if flow == nil || flow.Name != "__Host-beheer_sso" || !flow.Secure || flow.Path != "/" {
		t.Errorf("the flow cookie over https: %v", res.Header["Set-Cookie"])
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS on the sign-in's start")
	}
}

// loginPage is the login page as someone not signed in sees it.
func loginPage(t *testing.T, f *fixture) string {
	t.Helper()
	res, err := http.Get(f.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestWebhookAddressAtRegistration: an address that resolves to this
// host, the local network or cloud metadata is refused when the webhook
// is registered, in Dutch, from the API and the page — unless the
// operator allowed that network — and an unknown name is refused too.
func TestWebhookAddressAtRegistration(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		hook := func(u string) map[string]any { return map[string]any{"url": u, "events": []string{"request.filed"}} }
		for _, u := range []string{"http://127.0.0.1:8080/in", "http://169.254.169.254/latest/meta-data", "https://[::1]/in",
			"https://intern.voorbeeld.nl/in", "http://10.1.2.3/hook"} {
			res := f.want(f.call(technical, "POST", "/api/v1/webhooks", hook(u)), http.StatusUnprocessableEntity)
			if fe := res.fieldErrors(); len(fe) != 1 || fe[0] != "url" || !strings.Contains(res.raw, "is niet toegestaan") {
				t.Errorf("%s: %s", u, res.raw)
			}
		}
		unknown := f.want(f.call(technical, "POST", "/api/v1/webhooks", hook("https://bestaat-niet.example/in")), http.StatusUnprocessableEntity)
		if !strings.Contains(unknown.raw, "is onbekend") {
			t.Errorf("an unknown name: %s", unknown.raw)
		}
		f.want(f.call(technical, "POST", "/api/v1/webhooks", hook("https://zaak.voorbeeld.nl/in")), http.StatusCreated)
		page := slaLogin(f, functional).post("/settings/webhooks", url.Values{"url": {"http://169.254.169.254/"}, "events": {"request.filed"}})
		if page.status != http.StatusUnprocessableEntity || !strings.Contains(page.raw, `id="url-error"`) ||
			!strings.Contains(page.raw, "cloud-metadata") {
			t.Errorf("the page: %d", page.status)
		}
		if list := f.want(f.call(technical, "GET", "/api/v1/webhooks", nil), http.StatusOK); len(list.items()) != 1 {
			t.Errorf("%d webhooks registered, want 1", len(list.items()))
		}

		allowed := newFixtureOn(t, st, server.Config{WriteRate: -1, LookupIP: lookupIP,
			WebhookAllow: []netip.Prefix{netip.MustParsePrefix("10.20.30.0/24")}}, f)
		allowed.want(allowed.call(technical, "POST", "/api/v1/webhooks", hook("https://intern.voorbeeld.nl/in")), http.StatusCreated)
		allowed.want(allowed.call(technical, "POST", "/api/v1/webhooks", hook("http://127.0.0.1/in")), http.StatusUnprocessableEntity)
	})
}

// newFixtureOn is another server, with cfg, over the people of f.
func newFixtureOn(t *testing.T, st *store.Store, cfg server.Config, f *fixture) *fixture {
	t.Helper()
	g := *f
	g.srv = httptest.NewServer(server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)), cfg))
	t.Cleanup(g.srv.Close)
	return &g
}

// TestWebhookPauseAndAudit: pausing stops deliveries being queued and
// sent, replay is refused while paused, and every change is in the
// organisation's audit log.
func TestWebhookPauseAndAudit(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		created := f.want(f.call(technical, "POST", "/api/v1/webhooks", map[string]any{"url": "https://zaak.voorbeeld.nl/in",
			"events": []string{"request.filed"}}), http.StatusCreated)
		id := itoa(created.num("id"))
		paused := f.want(f.call(technical, "PATCH", "/api/v1/webhooks/"+id, map[string]any{"active": false}), http.StatusOK)
		if paused.str("disabled_at") == "" || paused.str("secret") != "" {
			t.Fatalf("paused: %s", paused.raw)
		}
		f.file("question", "Vraag over verlof", "hr")
		if _, err := st.QueueWebhooks(ctx, 100); err != nil {
			t.Fatal(err)
		}
		if log := f.want(f.call(technical, "GET", "/api/v1/webhooks/"+id+"/deliveries", nil), http.StatusOK); len(log.items()) != 0 {
			t.Fatalf("a paused webhook got deliveries: %s", log.raw)
		}
		f.want(f.call(technical, "PATCH", "/api/v1/webhooks/"+id, map[string]any{"active": true}), http.StatusOK)
		f.file("question", "Tweede vraag", "hr")
		if _, err := st.QueueWebhooks(ctx, 100); err != nil {
			t.Fatal(err)
		}
		log := f.want(f.call(technical, "GET", "/api/v1/webhooks/"+id+"/deliveries", nil), http.StatusOK)
		if len(log.items()) != 1 {
			t.Fatalf("deliveries after resuming: %s", log.raw)
		}
		delivery := itoa(int64(log.items()[0]["id"].(float64)))
		f.want(f.call(technical, "PATCH", "/api/v1/webhooks/"+id, map[string]any{"active": false}), http.StatusOK)
		f.want(f.call(technical, "POST", "/api/v1/webhooks/deliveries/"+delivery+"/replay", nil), http.StatusConflict)
		f.want(f.call(technical, "DELETE", "/api/v1/webhooks/"+id, nil), http.StatusNoContent)

		audit := f.want(f.call(management, "GET", "/api/v1/audit?kind=webhooks", nil), http.StatusOK)
		var got []string
		for _, e := range audit.items() {
			got = append(got, e["action"].(string))
		}
		want := "webhook.deleted webhook.disabled webhook.enabled webhook.disabled webhook.created"
		if strings.Join(got, " ") != want {
			t.Errorf("audit %v, want %s", got, want)
		}
		f.want(f.call(technical, "GET", "/api/v1/audit", nil), http.StatusForbidden)
		f.want(f.call(functional, "GET", "/api/v1/audit?kind=iets", nil), http.StatusUnprocessableEntity)
		page := f.want(f.call(functional, "GET", "/api/v1/audit?limit=2", nil), http.StatusOK)
		next := page.str("next_cursor")
		if len(page.items()) != 2 || next == "" {
			t.Fatalf("first page: %s", page.raw)
		}
		older := f.want(f.call(functional, "GET", "/api/v1/audit?limit=2&cursor="+next, nil), http.StatusOK)
		if older.items()[0]["id"].(float64) >= page.items()[1]["id"].(float64) {
			t.Errorf("the next page does not follow: %s", older.raw)
		}
	})
}

// TestTokensInOrgAudit: a token made and revoked through the API by its
// owner, one revoked by a functional admin, and those a deactivation
// ends are in the organisation's audit log under the person who did it,
// about the token's owner, and never with the token's secret.
func TestTokensInOrgAudit(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, server.Config{WriteRate: -1})
		own := f.want(f.call(requester, "POST", "/api/v1/tokens", map[string]any{"name": "Eigen script"}), http.StatusCreated)
		f.want(f.call(requester, "DELETE", "/api/v1/tokens/"+itoa(own.num("id")), nil), http.StatusNoContent)
		other := f.want(f.call(requester, "POST", "/api/v1/tokens", map[string]any{"name": "Koppeling"}), http.StatusCreated)
		f.want(f.call(functional, "DELETE", "/api/v1/tokens/"+itoa(other.num("id")), nil), http.StatusNoContent)
		f.want(f.call(functional, "POST", "/api/v1/users/"+itoa(f.ids[otherUser])+"/deactivate", nil), http.StatusNoContent)

		audit := f.want(f.call(management, "GET", "/api/v1/audit?kind=tokens&limit=500", nil), http.StatusOK)
		if len(audit.items()) < 6 {
			t.Fatalf("the tokens in the audit log: %s", audit.raw)
		}
		var got []string
		for _, e := range audit.items()[:5] {
			actor, _ := e["actor_id"].(float64)
			subject, _ := e["subject_id"].(float64)
			got = append(got, fmt.Sprintf("%s by %d about %d: %v → %v", e["action"], int64(actor), int64(subject), e["before"], e["after"]))
		}
		ref := func(r response, name string) string { return itoa(r.num("id")) + " " + name }
		want := []string{
			fmt.Sprintf("token.revoked by %d about %d: %s → <nil>", f.ids[functional], f.ids[otherUser], "%s"),
			fmt.Sprintf("token.revoked by %d about %d: %s → <nil>", f.ids[functional], f.ids[requester], ref(other, "Koppeling")),
			fmt.Sprintf("token.created by %d about %d: <nil> → %s", f.ids[requester], f.ids[requester], ref(other, "Koppeling")),
			fmt.Sprintf("token.revoked by %d about %d: %s → <nil>", f.ids[requester], f.ids[requester], ref(own, "Eigen script")),
			fmt.Sprintf("token.created by %d about %d: <nil> → %s", f.ids[requester], f.ids[requester], ref(own, "Eigen script")),
		}
		// The deactivated person's token is the one the fixture made.
		toks, err := st.Tokens(context.Background(), store.System, f.ids[otherUser])
		if err != nil || len(toks) != 1 {
			t.Fatalf("the other person's tokens: %v, %v", toks, err)
		}
		want[0] = fmt.Sprintf(want[0], itoa(toks[0].ID)+" test")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the tokens in the audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if strings.Contains(audit.raw, "bhr_") {
			t.Errorf("a token's secret in the audit log: %s", audit.raw)
		}
		// The tokens the fixture made from the command line are the system's.
		last := audit.items()[len(audit.items())-1]
		if last["action"] != "token.created" || last["actor_id"] != nil {
			t.Errorf("a token made on the command line: %v", last)
		}
	})
}

// TestPrivacyPages: a functional admin of every area downloads a
// person's data and anonymises them from the person's page, after a page
// that says what goes and what stays; both are audited.
func TestPrivacyPages(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.file("question", "Declaratie reiskosten", "hr")
		admin := slaLogin(f, functional)
		page, _ := admin.get("/people/" + itoa(f.ids[requester]) + "/privacy")
		for _, want := range []string{"Persoon requester", "requester@voorbeeld.nl", "Oud-medewerker " + itoa(f.ids[requester]),
			"De 1 ingediende aanvragen blijven bestaan", "niet terug te draaien"} {
			if !strings.Contains(page.raw, want) {
				t.Errorf("the privacy page lacks %q", want)
			}
		}
		export, _ := admin.get("/people/" + itoa(f.ids[requester]) + "/export.json")
		if export.status != http.StatusOK || !strings.Contains(export.raw, "Declaratie reiskosten") ||
			!strings.Contains(export.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %s", export.status, export.raw)
		}
		if res, _ := slaLogin(f, functionalFin).get("/people/" + itoa(f.ids[requester]) + "/privacy"); res.status != http.StatusForbidden {
			t.Errorf("an admin of one area opened the privacy page: %d", res.status)
		}
		unconfirmed := admin.post("/people/"+itoa(f.ids[requester])+"/anonymise", url.Values{})
		if unconfirmed.status != http.StatusUnprocessableEntity || !strings.Contains(unconfirmed.raw, `id="confirm-error"`) {
			t.Fatalf("anonymise without confirming: %d", unconfirmed.status)
		}
		if u, _ := st.User(context.Background(), f.ids[requester]); u.Name != "Persoon requester" {
			t.Fatal("anonymised without confirmation")
		}
		done := admin.post("/people/"+itoa(f.ids[requester])+"/anonymise", url.Values{"confirm": {"1"}})
		if done.status != http.StatusSeeOther {
			t.Fatalf("anonymise: %d %s", done.status, done.raw)
		}
		if u, _ := st.User(context.Background(), f.ids[requester]); !strings.HasPrefix(u.Name, "Oud-medewerker") || u.Active {
			t.Errorf("after anonymising: %+v", u)
		}
		audit := f.want(f.call(functional, "GET", "/api/v1/audit?kind=people&person="+itoa(f.ids[requester]), nil), http.StatusOK)
		var got []string
		for _, e := range audit.items() {
			got = append(got, e["action"].(string))
		}
		if len(got) < 2 || got[0] != "user.anonymised" || got[1] != "user.exported" {
			t.Errorf("audit about the person: %v", got)
		}
		if self := admin.post("/people/"+itoa(f.ids[functional])+"/anonymise", url.Values{"confirm": {"1"}}); self.status != http.StatusConflict {
			t.Errorf("anonymising oneself: %d", self.status)
		}
	})
}
