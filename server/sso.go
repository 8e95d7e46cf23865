package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"beheer"
	"beheer/store"
)

// SSOConfig configures single sign-on through an OpenID Connect provider
// (authorization code flow with PKCE).
type SSOConfig struct {
	// Issuer is the provider's issuer URL; discovery reads
	// Issuer/.well-known/openid-configuration.
	Issuer string
	// ClientID and ClientSecret identify Beheer at the provider.
	ClientID     string
	ClientSecret string
	// RedirectURL is Beheer's callback as registered at the provider:
	// the public address followed by /sso/callback.
	RedirectURL string
	// DisplayName names the provider on the login button; "" means "SSO".
	DisplayName string
	// Scopes are asked for besides openid, email and profile (some
	// providers only send group claims for an extra scope).
	Scopes []string
	// GroupsClaim is the claim holding the person's groups; "" means
	// "groups". A dotted path (realm_access.roles) reaches a nested claim.
	GroupsClaim string
	// RoleMap gives the roles that membership of a group grants. Groups
	// that are not in the map grant nothing.
	RoleMap map[string][]beheer.Assignment
	// CreateUsers adds a person on their first sign-in, with the roles of
	// their groups, when they have at least one mapped group.
	CreateUsers bool
	// SyncRoles replaces a person's roles at every sign-in with the roles
	// of their groups, so the provider is where roles are managed.
	SyncRoles bool
}

// SSO is single sign-on through an OpenID Connect provider.
type SSO struct {
	name     string
	cfg      SSOConfig
	issuer   string
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
	client   *http.Client
	store    *store.Store
}

// DisplayName is the provider's name on the login button.
func (s *SSO) DisplayName() string { return s.name }

// NewSSO checks the configuration and reads the provider's discovery
// document and keys location. ctx bounds the discovery request only.
func NewSSO(ctx context.Context, cfg SSOConfig, st *store.Store) (*SSO, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("sso: issuer, client id and redirect URL are required")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("sso: redirect URL %q is not an absolute URL", cfg.RedirectURL)
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	name := cfg.DisplayName
	if name == "" {
		name = "SSO"
	}
	// The client is kept by the provider for fetching its signing keys,
	// so it must not carry ctx's deadline: give it its own timeout.
	client := &http.Client{Timeout: 15 * time.Second}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, client), 30*time.Second)
	defer cancel()
	provider, err := oidc.NewProvider(dctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("sso: discovery at %s: %w", cfg.Issuer, err)
	}
	scopes := []string{oidc.ScopeOpenID, "email", "profile"}
	for _, sc := range cfg.Scopes {
		if sc != "" && !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	return &SSO{
		name:     name,
		cfg:      cfg,
		issuer:   cfg.Issuer,
		provider: provider,
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       scopes,
		},
		client: client,
		store:  st,
	}, nil
}

// ssoRefusals shows a refused sign-in as the error page under the title
// "Inloggen is niet gelukt" rather than a generic one; other errors go to
// the usual error page.
func (s *Server) ssoRefusals(h pageHandler) pageHandler {
	return s.titledRefusals("sso.", "sso.title", h)
}

// titledRefusals shows the refusals of h whose message key starts with
// prefix as the error page under its own title, with the message; other
// errors go to the usual error page.
func (s *Server) titledRefusals(prefix, title string, h pageHandler) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		err := h(w, r, p)
		var be *beheer.Error
		if err == nil || !errors.As(err, &be) || !strings.HasPrefix(be.Key, prefix) {
			return err
		}
		status := statusOf[be.Code]
		p.Title = p.T(title)
		p.Data = struct {
			Status  int
			Message string
		}{status, p.T(be.Key, be.Args...)}
		s.render(w, status, "error", "", p)
		return nil
	}
}

// ssoFlow is what the browser keeps between /sso/start and /sso/callback,
// in a short-lived HttpOnly cookie: only the browser that started a sign-in
// can finish it.
type ssoFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"next"`
}

// ssoFlowTimeout is how long a person has at the provider to sign in.
const ssoFlowTimeout = 10 * time.Minute

func (s *Server) ssoCookie() string {
	if s.cfg.SecureCookies {
		return "__Host-beheer_sso"
	}
	return "beheer_sso"
}

func (s *Server) setSSOCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookie(), Value: value, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

func (s *Server) readSSOFlow(r *http.Request) (ssoFlow, bool) {
	var f ssoFlow
	c, err := r.Cookie(s.ssoCookie())
	if err != nil || len(c.Value) > 4096 {
		return f, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(raw, &f) != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return f, false
	}
	return f, true
}

// randomToken returns 32 random bytes, hex-encoded, for state and nonce.
func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ssoStart sends the browser to the provider with a fresh state, nonce and
// PKCE verifier.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request, p *page) error {
	sso := s.signOn()
	if sso == nil {
		return beheer.ErrNotFound()
	}
	next := safeNext(r.URL.Query().Get("next"))
	if p.User != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	f := ssoFlow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Next: next}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	s.setSSOCookie(w, base64.RawURLEncoding.EncodeToString(raw), int(ssoFlowTimeout.Seconds()))
	target := sso.oauth.AuthCodeURL(f.State, oauth2.S256ChallengeOption(f.Verifier), oidc.Nonce(f.Nonce))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// ssoCallback finishes a sign-in: it checks state, exchanges the code with
// the PKCE verifier, verifies the ID token and its nonce, finds (or creates)
// the person and starts a session. Every failure is a friendly page; the
// details go to the log only.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request, p *page) error {
	sso := s.signOn()
	if sso == nil {
		return beheer.ErrNotFound()
	}
	f, ok := s.readSSOFlow(r)
	s.setSSOCookie(w, "", -1) // one attempt per flow
	q := r.URL.Query()
	state := q.Get("state")
	if !ok || state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		s.log.Warn("sso: state does not match", "request_id", requestID(r.Context()), "has_flow", ok)
		return beheer.Errorf(codeBadRequest, "sso.expired")
	}
	if e := q.Get("error"); e != "" {
		s.log.Warn("sso: provider refused", "request_id", requestID(r.Context()), "error", e,
			"description", q.Get("error_description"))
		return beheer.Errorf(beheer.CodeForbidden, "sso.refused", "name", sso.name)
	}
	id, err := sso.authenticate(r.Context(), q.Get("code"), f)
	if err != nil {
		s.log.Warn("sso: sign-in failed", "request_id", requestID(r.Context()), "err", err)
		return beheer.Errorf(codeBadRequest, "sso.failed", "name", sso.name)
	}
	userID, err := sso.resolve(r.Context(), id, string(p.Lang))
	if err != nil {
		var be *beheer.Error
		if errors.As(err, &be) {
			s.log.Info("sso: refused", "request_id", requestID(r.Context()), "reason", be.Key,
				"subject", id.Subject, "groups", id.Groups)
		}
		return err
	}
	return s.startSession(w, r, userID, f.Next)
}

// ssoIdentity is what Beheer takes from the provider about a person.
type ssoIdentity struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string
}

// authenticate redeems the code and returns the verified identity.
func (s *SSO) authenticate(ctx context.Context, code string, f ssoFlow) (*ssoIdentity, error) {
	if code == "" {
		return nil, errors.New("no code in callback")
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.client), 30*time.Second)
	defer cancel()
	tok, err := s.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange code: %w", err)
	}
	rawID, ok := tok.Extra("id_token").(string)
	if !ok || rawID == "" {
		return nil, errors.New("token response has no id_token")
	}
	idt, err := s.verifier.Verify(ctx, rawID)
	if err != nil {
		return nil, fmt.Errorf("verify id token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, errors.New("id token nonce does not match")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, fmt.Errorf("verify access token hash: %w", err)
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("read id token claims: %w", err)
	}
	// Many providers keep e-mail, name and groups out of the ID token when
	// an access token is issued: ask the UserInfo endpoint for what is missing.
	_, hasGroups := claimAt(claims, s.cfg.GroupsClaim)
	if (claimString(claims, "email") == "" || !hasGroups) && s.provider.UserInfoEndpoint() != "" {
		ui, err := s.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return nil, fmt.Errorf("userinfo: %w", err)
		}
		if ui.Subject != idt.Subject {
			return nil, errors.New("userinfo subject differs from id token subject")
		}
		extra := map[string]any{}
		if err := ui.Claims(&extra); err != nil {
			return nil, fmt.Errorf("read userinfo claims: %w", err)
		}
		for k, v := range extra {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	id := &ssoIdentity{Subject: idt.Subject, Email: strings.ToLower(strings.TrimSpace(claimString(claims, "email")))}
	id.EmailVerified = true
	if v, ok := claims["email_verified"]; ok {
		id.EmailVerified = v == true || v == "true"
	}
	id.Name = ssoName(claims, id.Email)
	if v, ok := claimAt(claims, s.cfg.GroupsClaim); ok {
		id.Groups = claimStrings(v)
	}
	if id.Subject == "" {
		return nil, errors.New("id token has no subject")
	}
	return id, nil
}

// ssoName is the person's name from the claims, for a new account.
func ssoName(claims map[string]any, email string) string {
	name := strings.TrimSpace(claimString(claims, "name"))
	if name == "" {
		name = strings.TrimSpace(claimString(claims, "given_name") + " " + claimString(claims, "family_name"))
	}
	if name == "" {
		name = strings.TrimSpace(claimString(claims, "preferred_username"))
	}
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	name = strings.Join(strings.Fields(beheer.OneLine(name)), " ")
	for utf8.RuneCountInString(name) > beheer.MaxName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

func claimString(claims map[string]any, key string) string {
	s, _ := claims[key].(string)
	return s
}

// claimAt finds a claim by name, or by a dotted path into nested objects
// when no claim has the full name.
func claimAt(claims map[string]any, path string) (any, bool) {
	if v, ok := claims[path]; ok {
		return v, true
	}
	var cur any = claims
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// claimStrings reads a list of strings, or one string, from a claim.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		if x != "" {
			return []string{x}
		}
	case []any:
		var out []string
		for _, it := range x {
			if s, ok := it.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// roles are the roles a person's groups grant, sorted and without
// duplicates. Groups that are not mapped grant nothing.
func (s *SSO) roles(groups []string) []beheer.Assignment {
	var out []beheer.Assignment
	for _, g := range groups {
		for _, a := range s.cfg.RoleMap[g] {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	sortAssignments(out)
	return out
}

func sortAssignments(as []beheer.Assignment) {
	slices.SortFunc(as, func(a, b beheer.Assignment) int {
		if c := strings.Compare(string(a.Role), string(b.Role)); c != 0 {
			return c
		}
		return int(a.AreaID - b.AreaID)
	})
}

// resolve finds the person an identity belongs to, or creates them. A
// person is only ever found by (issuer, subject): an account with the same
// e-mail address that was never linked is refused, since anyone who controls
// a provider account with that address would otherwise take it over.
func (s *SSO) resolve(ctx context.Context, id *ssoIdentity, lang string) (int64, error) {
	roles := s.roles(id.Groups)
	userID, err := s.store.IdentityUser(ctx, s.issuer, id.Subject)
	if beheer.ErrorCode(err) == beheer.CodeNotFound {
		return s.create(ctx, id, roles, lang)
	}
	if err != nil {
		return 0, err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return 0, err
	}
	if !u.Active {
		return 0, beheer.ErrForbidden("sso.inactive")
	}
	if s.cfg.SyncRoles {
		have := slices.Clone(u.Roles)
		sortAssignments(have)
		if !slices.Equal(have, roles) {
			if err := s.store.SetRoles(ctx, store.System, userID, roles); err != nil {
				return 0, err
			}
		}
	}
	return userID, nil
}

// create adds a person on their first sign-in, when that is allowed.
func (s *SSO) create(ctx context.Context, id *ssoIdentity, roles []beheer.Assignment, lang string) (int64, error) {
	if id.Email != "" {
		if _, _, err := s.store.UserByEmail(ctx, id.Email); err == nil {
			return 0, beheer.ErrForbidden("sso.not_linked", "name", s.name)
		} else if beheer.ErrorCode(err) != beheer.CodeNotFound {
			return 0, err
		}
	}
	if !s.cfg.CreateUsers || len(roles) == 0 {
		return 0, beheer.ErrForbidden("sso.no_access")
	}
	if id.Email == "" || !id.EmailVerified {
		return 0, beheer.ErrForbidden("sso.no_email", "name", s.name)
	}
	u, err := s.store.CreateUserWithIdentity(ctx, store.System,
		beheer.NewUser{Email: id.Email, Name: id.Name, Lang: lang, Roles: roles}, s.issuer, id.Subject)
	if err != nil {
		if beheer.ErrorCode(err) == beheer.CodeInvalid {
			// The claims did not make a valid person (e.g. an odd e-mail
			// address), or someone took the address a moment ago.
			return 0, beheer.ErrForbidden("sso.no_email", "name", s.name)
		}
		return 0, err
	}
	return u.ID, nil
}

// discovered is what a provider's discovery document says, for the
// sign-on page's "test login".
type discovered struct {
	AuthURL, TokenURL, UserInfoURL string
	Scopes, Claims                 []string
}

// discovery reads what the provider published about itself.
func (s *SSO) discovery() discovered {
	var doc struct {
		Scopes []string `json:"scopes_supported"`
		Claims []string `json:"claims_supported"`
	}
	s.provider.Claims(&doc)
	ep := s.provider.Endpoint()
	return discovered{AuthURL: ep.AuthURL, TokenURL: ep.TokenURL, UserInfoURL: s.provider.UserInfoEndpoint(),
		Scopes: doc.Scopes, Claims: doc.Claims}
}
