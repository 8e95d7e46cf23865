package server

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"

	"beheer"
	"beheer/totp"
)

// challengeCookie carries a login that passed its password and waits for
// the second factor; enrolPath is the page where a person enrols one.
const (
	challengeCookie = "beheer_login_code"
	enrolPath       = "/settings/second-factor"
)

// loginCodePage asks for the second factor of a login that passed its
// password.
func (s *Server) loginCodePage(w http.ResponseWriter, r *http.Request, p *page) error {
	if _, err := s.challenge(r); err != nil {
		return err
	}
	p.Title = p.T("login.code_title")
	s.render(w, http.StatusOK, "logincode", "", p)
	return nil
}

// challenge is the person of the waiting login, and where they go next.
type waiting struct {
	user *beheer.User
	next string
	id   string
}

func (s *Server) challenge(r *http.Request) (*waiting, error) {
	c, err := r.Cookie(challengeCookie)
	if err != nil {
		return nil, beheer.Errorf(beheer.CodeUnauthorized, "login.code_expired")
	}
	u, next, err := s.store.LoginChallenge(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &waiting{user: u, next: next, id: c.Value}, nil
}

// loginCode checks the second factor: a code of the authenticator, taken
// once, or a recovery code. Wrong codes count like wrong passwords, per
// person, so the six digits cannot be guessed.
func (s *Server) loginCode(w http.ResponseWriter, r *http.Request, p *page) error {
	if !validPreCSRF(r) {
		return beheer.Errorf(beheer.CodeForbidden, "error.csrf")
	}
	wt, err := s.challenge(r)
	if err != nil {
		return err
	}
	p.CSRF = s.preCSRF(w, r)
	p.Title = p.T("login.code_title")
	keys := []beheer.ThrottleKey{{Name: "code|" + strconv.FormatInt(wt.user.ID, 10), Free: beheer.FreeFailures}}
	if until, err := s.store.LoginBlocked(r.Context(), keys); err != nil {
		return err
	} else if !until.IsZero() {
		s.event(r, beheer.SecurityEvent{Kind: beheer.EventLoginThrottled, UserID: wt.user.ID, Detail: "second factor"})
		p.Flash = p.T("login.throttled", "seconds", int(until.Sub(s.now()).Seconds())+1)
		s.render(w, http.StatusTooManyRequests, "logincode", "", p)
		return nil
	}
	if err := s.store.VerifySecondFactor(r.Context(), wt.user.ID, r.PostFormValue("code")); err != nil {
		if !p.formErrors(err) {
			return err
		}
		if _, err := s.store.LoginFailed(r.Context(), keys); err != nil {
			return err
		}
		s.render(w, http.StatusUnprocessableEntity, "logincode", "", p)
		return nil
	}
	if err := s.store.LoginSucceeded(r.Context(), keys[0].Name); err != nil {
		return err
	}
	if err := s.store.EndLoginChallenge(r.Context(), wt.id); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: "", Path: "/login", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	s.event(r, beheer.SecurityEvent{Kind: beheer.EventLoginSucceeded, UserID: wt.user.ID, Detail: "with second factor"})
	return s.startSession(w, r, wt.user.ID, wt.next)
}

// enrolment is what the enrolment page shows.
type enrolment struct {
	Enrolled bool
	Required bool
	Secret   string       // grouped by four, to type
	QR       template.URL // a PNG data URL of the otpauth address
	Codes    []string     // the recovery codes, right after enrolment only
}

// enrolPage shows the state of the person's second factor, or starts its
// enrolment: the secret as text and QR code, and a field for the first
// code.
func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.showEnrolment(w, r, p, http.StatusOK)
}

func (s *Server) showEnrolment(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	state, err := s.store.SecondFactorState(r.Context(), p.User.ID)
	if err != nil {
		return err
	}
	e := enrolment{Enrolled: state.Enrolled, Required: r.URL.Query().Get("required") != ""}
	if !state.Enrolled {
		secret, err := s.store.BeginSecondFactor(r.Context(), p.User.ID)
		if err != nil {
			return err
		}
		png, err := qrcode.Encode(totp.URI("Beheer", p.User.Email, secret), qrcode.Medium, 256)
		if err != nil {
			return err
		}
		e.Secret, e.QR = groupBy4(secret), template.URL("data:image/png;base64,"+base64.StdEncoding.EncodeToString(png))
	}
	p.Title = p.T("second_factor.title")
	p.Data = e
	s.render(w, status, "secondfactor", "", p)
	return nil
}

// enrol confirms the enrolment with the first code and shows the recovery
// codes, once.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request, p *page) error {
	codes, err := s.store.ConfirmSecondFactor(r.Context(), p.User.ID, r.PostFormValue("code"))
	if err != nil {
		if !p.formErrors(err) {
			return err
		}
		return s.showEnrolment(w, r, p, http.StatusUnprocessableEntity)
	}
	p.Title = p.T("second_factor.title")
	p.Data = enrolment{Enrolled: true, Codes: codes}
	s.render(w, http.StatusOK, "secondfactor", "", p)
	return nil
}

// groupBy4 writes a secret in groups of four characters, to type it over.
func groupBy4(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// mustEnrol reports whether the signed-in person has to enrol a second
// factor before anything else: only admins are asked, so nobody else pays
// the two queries.
func (s *Server) mustEnrol(r *http.Request, p *page) (bool, error) {
	if !p.Actor.HasRole(beheer.RoleFunctionalAdmin) && !p.Actor.HasRole(beheer.RoleTechnicalAdmin) {
		return false, nil
	}
	pol, err := s.store.Policy(r.Context())
	if err != nil || !pol.RequireSecondFactor {
		return false, err
	}
	state, err := s.store.SecondFactorState(r.Context(), p.User.ID)
	if err != nil {
		return false, err
	}
	return beheer.MustEnrol(pol, p.Actor, state), nil
}
