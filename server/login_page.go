package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"beheer"
	"beheer/password"
)

// loginForm is the data of the login page.
type loginForm struct {
	Email      string
	Next       string
	LocalLogin bool
	SSO        bool
	SSOName    string
}

// preCSRF is a double-submit token for forms shown before login: a random
// cookie that the form must repeat.
const preCSRFCookie = "beheer_precsrf"

func (s *Server) preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := randomID()
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return tok
}

func validPreCSRF(r *http.Request) bool {
	c, err := r.Cookie(preCSRFCookie)
	return err == nil && c.Value != "" &&
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) == 1
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if p.User != nil {
		redirect(w, r, "/")
		return nil
	}
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.title")
	p.Data = s.loginData("", r.URL.Query().Get("next"))
	s.render(w, http.StatusOK, "login", "", p)
	return nil
}

func (s *Server) loginData(email, next string) loginForm {
	sso := s.signOn()
	f := loginForm{Email: email, Next: safeNext(next), LocalLogin: s.cfg.LocalLogin, SSO: sso != nil}
	if sso != nil {
		f.SSOName = sso.DisplayName()
	}
	return f
}

// clientAddress is the client's address as throttling counts it: the
// request's origin (see middleware), an IPv6 address by its /64.
func (s *Server) clientAddress(r *http.Request) string {
	a, _ := netip.ParseAddr(beheer.OriginFrom(r.Context()).Address)
	return beheer.AddressKey(a)
}

// forwardedIgnored records forwarded headers that were not believed — sent
// by a client that is no trusted proxy, or unreadable — on the requests
// where the address matters: logins and password requests.
func (s *Server) forwardedIgnored(r *http.Request, account string) {
	if _, ignored := s.cfg.TrustedProxies.client(r); ignored {
		s.event(r, beheer.SecurityEvent{Kind: beheer.EventForwardedIgnored, Account: account,
			Detail: "X-Forwarded-For: " + r.Header.Get("X-Forwarded-For") + "; Forwarded: " + r.Header.Get("Forwarded")})
	}
}

// login checks e-mail and password. Throttling slows down an address that
// guesses, for one account and for all, but never locks the account
// itself: its owner gets in from an address without failures, and hears
// of a burst of failures by mail. A person with a second factor is asked
// for its code next.
func (s *Server) login(w http.ResponseWriter, r *http.Request, p *page) error {
	if !s.cfg.LocalLogin {
		return beheer.ErrNotFound()
	}
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	email, pw := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.title")
	p.Data = s.loginData(email, r.PostFormValue("next"))
	s.forwardedIgnored(r, email)
	keys := beheer.LoginKeys(email, s.clientAddress(r))
	if until, err := s.store.LoginBlocked(r.Context(), keys); err != nil {
		return err
	} else if !until.IsZero() {
		s.event(r, beheer.SecurityEvent{Kind: beheer.EventLoginThrottled, Account: email, Detail: "until " + until.Format(time.RFC3339)})
		p.Flash = p.T("login.throttled", "seconds", int(time.Until(until).Seconds())+1)
		s.render(w, http.StatusTooManyRequests, "login", "", p)
		return nil
	}
	u, hash, err := s.store.UserByEmail(r.Context(), email)
	if err != nil && beheer.ErrorCode(err) != beheer.CodeNotFound {
		return err
	}
	if u == nil || hash == "" {
		hash = password.Dummy // same work for unknown addresses: no timing oracle
	}
	if ok := password.Verify(hash, pw) && u != nil && u.Active; !ok {
		if err := s.loginFailed(r, email, u, keys); err != nil {
			return err
		}
		p.Flash = p.T("login.failed")
		s.render(w, http.StatusUnauthorized, "login", "", p)
		return nil
	}
	if err := s.store.LoginSucceeded(r.Context(), keys[0].Name); err != nil {
		return err
	}
	return s.passwordAccepted(w, r, u, r.PostFormValue("next"))
}

// loginFailed counts a failed login and records it; at a burst of failures
// for an account, from wherever, its owner is told by mail.
func (s *Server) loginFailed(r *http.Request, email string, u *beheer.User, keys []beheer.ThrottleKey) error {
	counts, err := s.store.LoginFailed(r.Context(), keys)
	if err != nil {
		return err
	}
	e := beheer.SecurityEvent{Kind: beheer.EventLoginFailed, Account: email}
	if u != nil {
		e.UserID = u.ID
	}
	s.event(r, e)
	if n := counts[beheer.AccountKey(email)]; beheer.Burst(n) && u != nil && u.Active {
		e.Kind, e.Detail = beheer.EventLoginBurst, strconv.Itoa(n)+" failures within "+beheer.FailureWindow.String()
		s.event(r, e)
		if err := s.mail.SendLoginAlert(context.WithoutCancel(r.Context()), u, n); err != nil {
			s.log.Error("send login alert", "request_id", requestID(r.Context()), "err", err)
		}
	}
	return nil
}

// passwordAccepted goes on after a right password: to the second factor
// when the person has one, else into a session — and for an admin the
// organisation requires a second factor of, to its enrolment first.
func (s *Server) passwordAccepted(w http.ResponseWriter, r *http.Request, u *beheer.User, next string) error {
	state, err := s.store.SecondFactorState(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if state.Enrolled {
		id, err := s.store.CreateLoginChallenge(r.Context(), u.ID, safeNext(next))
		if err != nil {
			return err
		}
		http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: id, Path: "/login", HttpOnly: true,
			Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(beheer.ChallengeLifetime.Seconds())})
		http.Redirect(w, r, "/login/code", http.StatusSeeOther)
		return nil
	}
	s.event(r, beheer.SecurityEvent{Kind: beheer.EventLoginSucceeded, UserID: u.ID, Account: u.Email})
	pol, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	if beheer.MustEnrol(pol, u.Actor(), state) {
		next = enrolPath
	}
	return s.startSession(w, r, u.ID, next)
}

// startSession signs a person in with a fresh session id.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64, next string) error {
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		s.store.EndSession(r.Context(), c.Value)
	}
	sess, err := s.store.CreateSession(r.Context(), userID)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: sess.ID, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(beheer.AbsoluteTimeout.Seconds())})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *page) error {
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		if err := s.store.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request, p *page) error {
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.forgot_title")
	s.render(w, http.StatusOK, "forgot", "", p)
	return nil
}

// maxForgets bounds the password requests handled at once; more are
// dropped (and logged), as a flood of them is no person asking.
const maxForgets = 16

// forgot sends a reset link when the address belongs to an active person.
// The answer is the same either way and leaves before any of that work is
// done — looking the address up, making the link, sending it — so that
// its timing cannot tell who has an account.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request, p *page) error {
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	s.forwardedIgnored(r, email)
	select {
	case s.forgets <- struct{}{}:
		ctx := context.WithoutCancel(r.Context())
		s.bg.Go(func() {
			defer func() { <-s.forgets }()
			if err := s.sendReset(ctx, email); err != nil {
				s.log.Error("password reset", "request_id", requestID(ctx), "err", err)
			}
		})
	default:
		s.log.Warn("password reset dropped: too many at once", "request_id", requestID(r.Context()), "account", email)
	}
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.forgot_title")
	p.Flash = p.T("login.reset_sent")
	s.render(w, http.StatusOK, "forgot", "", p)
	return nil
}

// sendReset makes and sends a reset link for an active person, at most
// three per address in the failure window, to slow down mail bombing.
func (s *Server) sendReset(ctx context.Context, email string) error {
	keys := []beheer.ThrottleKey{{Name: "reset|" + strings.ToLower(email), Free: 3}}
	blocked, err := s.store.LoginBlocked(ctx, keys)
	if err != nil || !blocked.IsZero() {
		return err
	}
	u, _, err := s.store.UserByEmail(ctx, email)
	if beheer.ErrorCode(err) == beheer.CodeNotFound || (err == nil && !u.Active) {
		return nil
	} else if err != nil {
		return err
	}
	token, err := s.store.CreatePasswordReset(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := s.mail.SendReset(ctx, u, s.cfg.BaseURL+"/password/reset?token="+token); err != nil {
		return err
	}
	_, err = s.store.LoginFailed(ctx, keys)
	return err
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request, p *page) error {
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.reset_title")
	p.Data = r.URL.Query().Get("token")
	s.render(w, http.StatusOK, "reset", "", p)
	return nil
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request, p *page) error {
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	token, pw := r.PostFormValue("token"), r.PostFormValue("password")
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.reset_title")
	p.Data = token
	u, err := s.store.PasswordResetUser(r.Context(), token)
	if beheer.ErrorCode(err) == beheer.CodeInvalid {
		p.Flash = p.T("login.reset_invalid")
		s.render(w, http.StatusUnprocessableEntity, "reset", "", p)
		return nil
	} else if err != nil {
		return err
	}
	pol, err := s.store.Policy(r.Context())
	if err != nil {
		return err
	}
	if err := password.Check(pw, u.Name, u.Email, pol.OrganisationName); err != nil {
		p.Errors["password"] = p.T(passwordKey(err), "min", password.MinLength, "max", password.MaxLength)
		s.render(w, http.StatusUnprocessableEntity, "reset", "", p)
		return nil
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	if err := s.store.ResetPassword(r.Context(), token, hash); err != nil {
		if beheer.ErrorCode(err) == beheer.CodeInvalid {
			p.Flash = p.T("login.reset_invalid")
			s.render(w, http.StatusUnprocessableEntity, "reset", "", p)
			return nil
		}
		return err
	}
	http.Redirect(w, r, "/login?reset=1", http.StatusSeeOther)
	return nil
}

func passwordKey(err error) string {
	switch err {
	case password.ErrTooShort:
		return "password.too_short"
	case password.ErrTooLong:
		return "password.too_long"
	case password.ErrPersonal:
		return "password.too_personal"
	}
	return "password.too_common"
}
