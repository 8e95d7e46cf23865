package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"beheer"
	"beheer/store"
)

// event keeps and logs a security event of this request: its id and the
// client's address come from the request's origin (see middleware).
func (s *Server) event(r *http.Request, e beheer.SecurityEvent) {
	if err := s.store.RecordSecurityEvent(r.Context(), e); err != nil {
		s.log.Error("security event not kept", "event", string(e.Kind), "request_id", requestID(r.Context()), "err", err)
	}
}

// refusalEvent records a refused request: a form without its CSRF token as
// such, any other 403 as a refused access.
func (s *Server) refusalEvent(r *http.Request, be *beheer.Error) {
	if be.Code != beheer.CodeForbidden {
		return
	}
	e := beheer.SecurityEvent{Kind: beheer.EventForbidden, Detail: r.Method + " " + r.URL.Path + " " + be.Key}
	if be.Key == "error.csrf" {
		e.Kind = beheer.EventCSRFRefused
	}
	if u := userFrom(r.Context()); u != nil {
		e.UserID, e.Account = u.ID, u.Email
	}
	s.event(r, e)
}

// crossOrigin refuses a cross-origin state change (http.CrossOriginProtection)
// the way every other refused form is: recorded, and answered as a problem
// document or an error page.
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	err := beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.problem(w, r, err)
		return
	}
	sess, _ := s.currentSession(r)
	s.errorPage(w, r, s.newPage(r, sess), err)
}

// AccountMail tells a person of their account by e-mail: a reset link they
// asked for, a burst of failed logins they did not.
type AccountMail interface {
	SendReset(ctx context.Context, u *beheer.User, link string) error
	SendLoginAlert(ctx context.Context, u *beheer.User, failures int) error
}

// noMail stands in for e-mail until it is set up: it says in the log what
// could not be sent — never the link, which would let whoever reads the
// log take over the account — and how an administrator helps instead.
type noMail struct {
	log *slog.Logger
	st  *store.Store
}

func (n noMail) SendReset(ctx context.Context, u *beheer.User, link string) error {
	if err := n.st.RecordSecurityEvent(ctx, beheer.SecurityEvent{Kind: beheer.EventResetNotSent, UserID: u.ID,
		Detail: "e-mail is not set up"}); err != nil {
		return err
	}
	n.log.Warn("password reset requested, but e-mail is not set up (the mail page or BEHEER_SMTP_HOST): no link was sent; "+
		"an administrator can set a new password with: beheer user password --email ADDRESS --password-stdin",
		"account", u.Email, "user_id", u.ID)
	return nil
}

func (n noMail) SendLoginAlert(ctx context.Context, u *beheer.User, failures int) error {
	n.log.Warn("a burst of failed logins, but e-mail is not set up (the mail page or BEHEER_SMTP_HOST): the owner was not told",
		"account", u.Email, "user_id", u.ID, "failures", failures)
	return nil
}

// mailOrNot sends by e-mail when mail goes out — set in the environment
// or saved on the mail page — and else says in the log what was not sent,
// deciding at each message so a saved mail page takes effect at once.
type mailOrNot struct {
	mail, none AccountMail
	conns      *Connections
}

// pick is the way out for a message now.
func (m mailOrNot) pick(ctx context.Context) AccountMail {
	if c, err := m.conns.Mail(ctx); err == nil && c.Host != "" {
		return m.mail
	}
	return m.none
}

func (m mailOrNot) SendReset(ctx context.Context, u *beheer.User, link string) error {
	return m.pick(ctx).SendReset(ctx, u, link)
}

func (m mailOrNot) SendLoginAlert(ctx context.Context, u *beheer.User, failures int) error {
	return m.pick(ctx).SendLoginAlert(ctx, u, failures)
}

// SetAccountMail replaces how reset links and login alerts are delivered.
func (s *Server) SetAccountMail(m AccountMail) { s.mail = m }
