package server_test

import (
	"context"
	"crypto/sha256"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"beheer"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// ssoOPUser is a person at the test provider.
type ssoOPUser struct {
	storage.User
	Groups []string
}

// ssoOP is a real OpenID provider (zitadel/oidc's op package with its
// in-memory example storage) whose login step approves whoever the test
// says is at the keyboard, and which can be made to misbehave.
type ssoOP struct {
	*storage.Storage
	srv *httptest.Server

	mu       sync.Mutex
	users    map[string]*ssoOPUser // by subject
	current  string                // subject of the person signing in
	badNonce bool                  // put another nonce in the ID token
}

// GetUserByID, GetUserByUsername and ExampleClientID make ssoOP the
// example storage's user store.
func (o *ssoOP) GetUserByID(id string) *storage.User {
	o.mu.Lock()
	defer o.mu.Unlock()
	if u := o.users[id]; u != nil {
		return &u.User
	}
	return nil
}

func (o *ssoOP) GetUserByUsername(name string) *storage.User {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, u := range o.users {
		if u.Username == name {
			return &u.User
		}
	}
	return nil
}

func (o *ssoOP) ExampleClientID() string { return storage.ServiceUserID }

// CreateAuthRequest records the sign-in request; with badNonce the provider
// will sign an ID token with a nonce Beheer never sent.
func (o *ssoOP) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	o.mu.Lock()
	if o.badNonce {
		req.Nonce = "nonce-of-another-sign-in"
	}
	o.mu.Unlock()
	return o.Storage.CreateAuthRequest(ctx, req, userID)
}

// groups adds the person's groups (and an explicit email_verified false) to
// the ID token and the UserInfo answer.
// E-mail and name only reach Beheer through UserInfo, as with many real
// providers when an access token is issued.
func (o *ssoOP) groups(info *oidc.UserInfo, subject string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	u := o.users[subject]
	if u == nil {
		return
	}
	if u.Groups != nil {
		info.AppendClaims("groups", u.Groups)
	}
	if !u.EmailVerified {
		info.AppendClaims("email_verified", false) // the storage leaves false out
	}
}

func (o *ssoOP) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := o.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	o.groups(info, req.GetSubject())
	return nil
}

func (o *ssoOP) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := o.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	o.groups(info, subject)
	return nil
}

func (o *ssoOP) add(u ssoOPUser) {
	o.mu.Lock()
	defer o.mu.Unlock()
	u.Username, u.Password, u.PreferredLanguage = u.ID, "geheim", language.Dutch
	o.users[u.ID] = &u
}

func (o *ssoOP) signInAs(subject string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.current = subject
}

// startSSOOP starts a provider with one web client, Beheer.
func startSSOOP(t *testing.T, redirectURL string) *ssoOP {
	t.Helper()
	o := &ssoOP{users: map[string]*ssoOPUser{}}
	var handler http.Handler
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(o.srv.Close)
	client := storage.WebClient("beheer", "client-geheim", redirectURL)
	o.Storage = storage.NewStorageWithClients(o, map[string]*storage.Client{"beheer": client})
	provider, err := op.NewProvider(&op.Config{
		CryptoKey:      sha256.Sum256([]byte("sso test")),
		CodeMethodS256: true,
	}, o, op.StaticIssuer(o.srv.URL), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	callback := op.AuthCallbackURL(provider)
	mux := http.NewServeMux()
	// The login page approves the person the test named, at once.
	mux.Handle("/login/username", op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			id := r.URL.Query().Get("authRequestID")
			o.mu.Lock()
			who := o.current
			o.mu.Unlock()
			if err := o.CheckUsernamePassword(who, "geheim", id); err != nil {
				http.Error(w, err.Error(), http.StatusForbidden)
				return
			}
			http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
		}))
	mux.Handle("/", provider)
	handler = mux
	return o
}

// ssoEnv is Beheer with single sign-on against a test provider.
type ssoEnv struct {
	t       *testing.T
	f       *fixture
	st      *store.Store
	op      *ssoOP
	srv     *httptest.Server
	catalog *i18n.Catalog
}

// newSSOEnv starts a provider and a Beheer server for it on the fixture's
// database.
func newSSOEnv(t *testing.T, f *fixture, tweak func(*server.SSOConfig)) *ssoEnv {
	t.Helper()
	st := f.st
	e := &ssoEnv{t: t, f: f, st: st, catalog: i18n.MustLoad()}
	var handler http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	e.op = startSSOOP(t, e.srv.URL+"/sso/callback")
	cfg := server.SSOConfig{
		Issuer:       e.op.srv.URL,
		ClientID:     "beheer",
		ClientSecret: "client-geheim",
		RedirectURL:  e.srv.URL + "/sso/callback",
		DisplayName:  "Testprovider",
		RoleMap: map[string][]beheer.Assignment{
			"beheer-functioneel": {{Role: beheer.RoleFunctionalAdmin}},
			"beheer-hr":          {{Role: beheer.RoleKeyUser, AreaID: e.f.areas["hr"]}},
		},
		CreateUsers: true,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	sso, err := server.NewSSO(context.Background(), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(st, e.catalog, log, server.Config{LocalLogin: true})
	srv.EnableSSO(sso)
	handler = srv
	return e
}

// ssoBrowser is a person's ssoBrowser: it keeps cookies and follows redirects
// across Beheer and the provider, optionally stopping at Beheer's callback.
type ssoBrowser struct {
	e           *ssoEnv
	jar         *cookiejar.Jar
	client      *http.Client
	stopAtReply bool
}

func (e *ssoEnv) ssoBrowser() *ssoBrowser {
	jar, _ := cookiejar.New(nil)
	b := &ssoBrowser{e: e, jar: jar}
	b.client = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if b.stopAtReply && req.URL.Path == "/sso/callback" {
			return http.ErrUseLastResponse
		}
		if len(via) > 15 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

type ssoPage struct {
	status int
	url    *url.URL
	body   string
	header http.Header
}

func (b *ssoBrowser) get(rawURL string) ssoPage {
	b.e.t.Helper()
	res, err := b.client.Get(rawURL)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return ssoPage{status: res.StatusCode, url: res.Request.URL, body: string(data), header: res.Header}
}

// signIn runs the whole flow as subject and returns the last page.
func (b *ssoBrowser) signIn(subject, next string) ssoPage {
	b.e.op.signInAs(subject)
	u := b.e.srv.URL + "/sso/start"
	if next != "" {
		u += "?next=" + url.QueryEscape(next)
	}
	return b.get(u)
}

// reply runs the flow up to the provider's answer to Beheer and returns the
// callback URL without visiting it.
func (b *ssoBrowser) reply(subject string) *url.URL {
	b.e.t.Helper()
	b.stopAtReply = true
	defer func() { b.stopAtReply = false }()
	p := b.signIn(subject, "")
	loc, err := url.Parse(p.header.Get("Location"))
	if p.status != http.StatusFound || err != nil || loc.Path != "/sso/callback" {
		b.e.t.Fatalf("flow did not reach the callback: %d %s", p.status, p.header.Get("Location"))
	}
	return loc
}

// session returns the Beheer session cookie the ssoBrowser holds, or "".
func (b *ssoBrowser) session() string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "beheer_session" {
			return c.Value
		}
	}
	return ""
}

// message is a catalogue text as the error page shows it.
func (e *ssoEnv) message(key string) string {
	return html.EscapeString(e.catalog.T(i18n.NL, key, "name", "Testprovider"))
}

// wantRefused checks a refusal page: status, message and no session.
func (e *ssoEnv) wantRefused(b *ssoBrowser, p ssoPage, status int, key string) {
	e.t.Helper()
	if p.status != status {
		e.t.Fatalf("status %d, want %d; body %s", p.status, status, p.body)
	}
	if !strings.Contains(p.body, e.message(key)) || !strings.Contains(p.body, "<h1>"+e.message("sso.title")+"</h1>") {
		e.t.Fatalf("page lacks the title or the message %s; body %s", key, p.body)
	}
	if b.session() != "" {
		e.t.Fatal("refused sign-in left a session cookie")
	}
	if home := b.get(e.srv.URL + "/"); home.url.Path != "/login" {
		e.t.Fatalf("after a refused sign-in / went to %s, want the login page", home.url)
	}
}

func (e *ssoEnv) userCount() int {
	e.t.Helper()
	users, err := e.st.Users(context.Background(), store.System)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(users)
}

func TestSSO(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)

		t.Run("first sign-in creates the person, the second reuses the identity", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-anna", FirstName: "Anna", LastName: "de Vries",
				Email: "Anna.deVries@voorbeeld.nl", EmailVerified: true}, Groups: []string{"beheer-functioneel", "iedereen"}})
			before := e.userCount()

			b := e.ssoBrowser()
			p := b.signIn("sub-anna", "/?van=sso")
			if p.status != http.StatusOK || p.url.Host != strings.TrimPrefix(e.srv.URL, "http://") ||
				p.url.RequestURI() != "/?van=sso" {
				t.Fatalf("landed on %s with %d, want Beheer's /?van=sso; body %s", p.url, p.status, p.body)
			}
			if !strings.Contains(p.body, "Anna de Vries") {
				t.Fatalf("home page does not greet the new person: %s", p.body)
			}
			if b.session() == "" {
				t.Fatal("no session cookie")
			}
			u, hash, err := st.UserByEmail(ctx, "anna.devries@voorbeeld.nl")
			if err != nil {
				t.Fatal(err)
			}
			if hash != "" || u.Name != "Anna de Vries" || !u.Active {
				t.Fatalf("created person %+v with hash %q", u, hash)
			}
			if want := []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}; !reflect.DeepEqual(u.Roles, want) {
				t.Fatalf("roles %v, want %v", u.Roles, want)
			}
			if id, err := st.IdentityUser(ctx, e.op.srv.URL, "sub-anna"); err != nil || id != u.ID {
				t.Fatalf("identity → %d, %v; want %d", id, err, u.ID)
			}
			if n := e.userCount(); n != before+1 {
				t.Fatalf("%d people, want %d", n, before+1)
			}

			// Again, from another ssoBrowser: same person, no new account.
			b2 := e.ssoBrowser()
			p = b2.signIn("sub-anna", "")
			if p.status != http.StatusOK || p.url.Path != "/" || b2.session() == "" || b2.session() == b.session() {
				t.Fatalf("second sign-in: %d at %s", p.status, p.url)
			}
			if n := e.userCount(); n != before+1 {
				t.Fatalf("second sign-in made a new account: %d people", n)
			}
			sess, err := st.Session(ctx, b2.session())
			if err != nil || sess.User.ID != u.ID {
				t.Fatalf("second session belongs to %v (%v), want %d", sess, err, u.ID)
			}
		})

		t.Run("a wrong state is refused", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-bert", FirstName: "Bert", Email: "bert@voorbeeld.nl",
				EmailVerified: true}, Groups: []string{"beheer-functioneel"}})
			before := e.userCount()
			b := e.ssoBrowser()
			cb := b.reply("sub-bert")
			q := cb.Query()
			q.Set("state", strings.Repeat("0", len(q.Get("state"))))
			cb.RawQuery = q.Encode()
			e.wantRefused(b, b.get(e.srv.URL+cb.RequestURI()), http.StatusBadRequest, "sso.expired")
			if n := e.userCount(); n != before {
				t.Fatal("a refused sign-in created an account")
			}

			// A callback in a ssoBrowser that never started a sign-in.
			cb = b.reply("sub-bert")
			other := e.ssoBrowser()
			e.wantRefused(other, other.get(e.srv.URL+cb.RequestURI()), http.StatusBadRequest, "sso.expired")

			// The flow is single-use: the real answer after a failed one
			// finds no flow any more.
			cb = b.reply("sub-bert")
			good := cb.RequestURI()
			q = cb.Query()
			q.Set("state", "x")
			cb.RawQuery = q.Encode()
			b.get(e.srv.URL + cb.RequestURI())
			e.wantRefused(b, b.get(e.srv.URL+good), http.StatusBadRequest, "sso.expired")
		})

		t.Run("a wrong nonce is refused", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-cor", FirstName: "Cor", Email: "cor@voorbeeld.nl",
				EmailVerified: true}, Groups: []string{"beheer-functioneel"}})
			e.op.mu.Lock()
			e.op.badNonce = true
			e.op.mu.Unlock()
			before := e.userCount()
			b := e.ssoBrowser()
			e.wantRefused(b, b.signIn("sub-cor", ""), http.StatusBadRequest, "sso.failed")
			if n := e.userCount(); n != before {
				t.Fatal("a refused sign-in created an account")
			}
		})

		t.Run("a refusal by the provider is a friendly page", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-dirk", Email: "dirk@voorbeeld.nl", EmailVerified: true},
				Groups: []string{"beheer-functioneel"}})
			b := e.ssoBrowser()
			cb := b.reply("sub-dirk")
			q := url.Values{"state": {cb.Query().Get("state")}, "error": {"access_denied"},
				"error_description": {"<script>user cancelled</script>"}}
			p := b.get(e.srv.URL + "/sso/callback?" + q.Encode())
			e.wantRefused(b, p, http.StatusForbidden, "sso.refused")
			if strings.Contains(p.body, "user cancelled") {
				t.Fatal("the provider's message reached the page")
			}
		})

		t.Run("only unknown groups give no access", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-eva", FirstName: "Eva", Email: "eva@voorbeeld.nl",
				EmailVerified: true}, Groups: []string{"marketing", "iedereen"}})
			before := e.userCount()
			b := e.ssoBrowser()
			e.wantRefused(b, b.signIn("sub-eva", ""), http.StatusForbidden, "sso.no_access")
			if n := e.userCount(); n != before {
				t.Fatal("a person without mapped groups got an account")
			}
			if _, err := st.IdentityUser(ctx, e.op.srv.URL, "sub-eva"); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Fatalf("identity stored for a refused person: %v", err)
			}
		})

		t.Run("without account creation a new person is refused", func(t *testing.T) {
			e := newSSOEnv(t, f, func(c *server.SSOConfig) { c.CreateUsers = false })
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-fleur", Email: "fleur@voorbeeld.nl", EmailVerified: true},
				Groups: []string{"beheer-functioneel"}})
			before := e.userCount()
			b := e.ssoBrowser()
			e.wantRefused(b, b.signIn("sub-fleur", ""), http.StatusForbidden, "sso.no_access")
			if n := e.userCount(); n != before {
				t.Fatal("an account was created although creation is off")
			}
		})

		t.Run("an unverified e-mail address gets no account", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-gijs", Email: "gijs@voorbeeld.nl", EmailVerified: false},
				Groups: []string{"beheer-functioneel"}})
			b := e.ssoBrowser()
			e.wantRefused(b, b.signIn("sub-gijs", ""), http.StatusForbidden, "sso.no_email")
		})

		t.Run("a local account with the same e-mail address is not taken over", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			// requester@voorbeeld.nl is a local account of the fixture.
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-attacker", FirstName: "Iemand", Email: "requester@voorbeeld.nl",
				EmailVerified: true}, Groups: []string{"beheer-functioneel"}})
			before := e.userCount()
			b := e.ssoBrowser()
			e.wantRefused(b, b.signIn("sub-attacker", ""), http.StatusForbidden, "sso.not_linked")
			if n := e.userCount(); n != before {
				t.Fatal("a second account was created")
			}
			u, _ := st.User(ctx, e.f.ids[requester])
			if len(u.Roles) != 0 {
				t.Fatalf("the local account got roles: %v", u.Roles)
			}

			// Once a functional admin links the identity, it signs in as that
			// person, who keeps their own roles (no role sync configured).
			admin := &beheer.Actor{UserID: e.f.ids[functional], Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}}
			plain := &beheer.Actor{UserID: e.f.ids[otherUser]}
			if err := st.LinkIdentity(ctx, plain, e.f.ids[requester], e.op.srv.URL, "sub-attacker"); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a plain user linked an identity: %v", err)
			}
			if err := st.LinkIdentity(ctx, admin, e.f.ids[requester], e.op.srv.URL, "sub-attacker"); err != nil {
				t.Fatal(err)
			}
			if err := st.LinkIdentity(ctx, admin, e.f.ids[otherUser], e.op.srv.URL, "sub-attacker"); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("one identity linked twice: %v", err)
			}
			p := b.signIn("sub-attacker", "")
			if p.status != http.StatusOK || p.url.Path != "/" {
				t.Fatalf("linked sign-in: %d at %s; %s", p.status, p.url, p.body)
			}
			sess, err := st.Session(ctx, b.session())
			if err != nil || sess.User.ID != e.f.ids[requester] || len(sess.User.Roles) != 0 {
				t.Fatalf("session %+v, %v", sess, err)
			}
			ids, err := st.Identities(ctx, admin, e.f.ids[requester])
			if err != nil || len(ids) != 1 || ids[0].Subject != "sub-attacker" {
				t.Fatalf("identities %+v, %v", ids, err)
			}

			// A deactivated person is refused.
			if err := st.SetActive(ctx, admin, e.f.ids[requester], false); err != nil {
				t.Fatal(err)
			}
			b = e.ssoBrowser()
			e.wantRefused(b, b.signIn("sub-attacker", ""), http.StatusForbidden, "sso.inactive")

			// Unlinked, the identity is a stranger again.
			if err := st.UnlinkIdentity(ctx, admin, e.op.srv.URL, "sub-attacker"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.IdentityUser(ctx, e.op.srv.URL, "sub-attacker"); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Fatalf("unlinked identity still found: %v", err)
			}
		})

		t.Run("role sync follows the groups", func(t *testing.T) {
			e := newSSOEnv(t, f, func(c *server.SSOConfig) { c.SyncRoles = true })
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-hanna", FirstName: "Hanna", Email: "hanna@voorbeeld.nl",
				EmailVerified: true}, Groups: []string{"beheer-hr"}})
			b := e.ssoBrowser()
			if p := b.signIn("sub-hanna", ""); p.status != http.StatusOK || p.url.Path != "/" {
				t.Fatalf("sign-in: %d at %s", p.status, p.url)
			}
			u, _, err := st.UserByEmail(ctx, "hanna@voorbeeld.nl")
			if err != nil {
				t.Fatal(err)
			}
			if want := []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: e.f.areas["hr"]}}; !reflect.DeepEqual(u.Roles, want) {
				t.Fatalf("roles %v, want %v", u.Roles, want)
			}
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-hanna", FirstName: "Hanna", Email: "hanna@voorbeeld.nl",
				EmailVerified: true}, Groups: []string{"beheer-functioneel", "beheer-hr"}})
			if p := e.ssoBrowser().signIn("sub-hanna", ""); p.status != http.StatusOK {
				t.Fatalf("second sign-in: %d", p.status)
			}
			u, _ = st.User(ctx, u.ID)
			want := []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}, {Role: beheer.RoleKeyUser, AreaID: e.f.areas["hr"]}}
			if !reflect.DeepEqual(u.Roles, want) {
				t.Fatalf("synced roles %v, want %v", u.Roles, want)
			}
		})

		t.Run("a safe next only", func(t *testing.T) {
			e := newSSOEnv(t, f, nil)
			e.op.add(ssoOPUser{User: storage.User{ID: "sub-ivo", Email: "ivo@voorbeeld.nl", EmailVerified: true},
				Groups: []string{"beheer-functioneel"}})
			p := e.ssoBrowser().signIn("sub-ivo", "https://elders.example/phish")
			if p.status != http.StatusOK || p.url.Host != strings.TrimPrefix(e.srv.URL, "http://") || p.url.Path != "/" {
				t.Fatalf("landed on %s", p.url)
			}
		})
	})
}

func TestSSOStartSetsAShortLivedHttpOnlyCookie(t *testing.T) {
	e := newSSOEnv(t, newFixture(t, storetest.SQLite(t, storetest.Options{})), nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(e.srv.URL + "/sso/start")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	q := loc.Query()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), e.op.srv.URL) ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" ||
		q.Get("state") == "" || q.Get("client_id") != "beheer" || !strings.Contains(q.Get("scope"), "openid") {
		t.Fatalf("start: %d → %s", res.StatusCode, loc)
	}
	var c *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "beheer_sso" {
			c = ck
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 || c.MaxAge > 900 {
		t.Fatalf("flow cookie %+v", c)
	}
	if strings.Contains(c.Value, q.Get("code_challenge")) {
		t.Fatal("cookie holds the challenge instead of the verifier")
	}
}

func TestSSONotConfigured(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	srv := server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)), server.Config{LocalLogin: true})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, path := range []string{"/sso/start", "/sso/callback?state=x&code=y"} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s without SSO: %d, want 404", path, res.StatusCode)
		}
	}
}

func TestNewSSOChecksItsConfiguration(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	for _, cfg := range []server.SSOConfig{
		{ClientID: "x", RedirectURL: "https://beheer.example/sso/callback"},
		{Issuer: "http://127.0.0.1:1", RedirectURL: "https://beheer.example/sso/callback"},
		{Issuer: "http://127.0.0.1:1", ClientID: "x", RedirectURL: "/sso/callback"},
		{Issuer: "http://127.0.0.1:1", ClientID: "x", RedirectURL: "https://beheer.example/sso/callback"}, // nothing listens
	} {
		if _, err := server.NewSSO(context.Background(), cfg, st); err == nil {
			t.Errorf("NewSSO(%+v) accepted", cfg)
		}
	}
}
