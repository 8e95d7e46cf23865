package server

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
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
	f := loginForm{Email: email, Next: safeNext(next), LocalLogin: s.cfg.LocalLogin, SSO: s.sso != nil}
	if s.sso != nil {
		f.SSOName = s.sso.DisplayName()
	}
	return f
}

// clientIP is the address throttling keys on.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginKeys are the throttling keys of an attempt, with how many failures
// each may have before attempts must wait.
func loginKeys(r *http.Request, email string) map[string]int {
	email = strings.ToLower(strings.TrimSpace(email))
	return map[string]int{
		"ip|" + clientIP(r) + "|" + email: beheer.FreeFailures,
		"email|" + email:                  beheer.FreeFailures * 4,
	}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, p *page) error {
	if !s.cfg.LocalLogin {
		return beheer.ErrNotFound()
	}
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.title")
	p.Data = s.loginData(email, r.PostFormValue("next"))
	keys := loginKeys(r, email)
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	if until, err := s.store.LoginBlocked(r.Context(), names...); err != nil {
		return err
	} else if !until.IsZero() {
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
	ok := password.Verify(hash, pw) && u != nil && u.Active
	if !ok {
		if err := s.store.LoginFailed(r.Context(), keys); err != nil {
			return err
		}
		p.Flash = p.T("login.failed")
		s.render(w, http.StatusUnauthorized, "login", "", p)
		return nil
	}
	if err := s.store.LoginSucceeded(r.Context(), names...); err != nil {
		return err
	}
	return s.startSession(w, r, u.ID, r.PostFormValue("next"))
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
	if r.URL.Query().Get("sent") == "1" {
		p.Flash = p.T("login.reset_sent")
	}
	s.render(w, http.StatusOK, "forgot", "", p)
	return nil
}

// forgot sends a reset link when the address belongs to an active person;
// the answer is the same either way.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request, p *page) error {
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	email := r.PostFormValue("email")
	keys := map[string]int{"reset|" + strings.ToLower(strings.TrimSpace(email)): 3}
	blocked, err := s.store.LoginBlocked(r.Context(), "reset|"+strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return err
	}
	if u, _, err := s.store.UserByEmail(r.Context(), email); err == nil && u.Active && blocked.IsZero() {
		token, err := s.store.CreatePasswordReset(r.Context(), u.ID)
		if err != nil {
			return err
		}
		if err := s.resets.SendReset(context.WithoutCancel(r.Context()), u, s.cfg.BaseURL+"/password/reset?token="+token); err != nil {
			s.log.Error("send reset", "err", err)
		}
		s.store.LoginFailed(r.Context(), keys) // counts requests, to slow down mail bombing
	}
	// The same answer whether or not the address is known.
	redirect(w, r, "/password/forgot?sent=1")
	return nil
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
	if err := password.Check(pw); err != nil {
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
	}
	return "password.too_common"
}
