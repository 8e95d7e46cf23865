package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"beheer"
	"beheer/mailin"
	"beheer/notify"
	"beheer/store"
)

// The sign-on and mail pages: every connection setting of the page with
// what the environment fixes, secrets only as "ingesteld", and the
// buttons that try the settings (test login, send test mail, check the
// mailbox) before or without saving them.

// connField is one setting as its page shows it.
type connField struct {
	beheer.ConnSetting
	Value      string // what the field holds; never a secret
	Set        bool   // a secret is saved (or given by the environment)
	Unreadable bool   // a saved secret does not open with the current key
	FixedBy    string // the variable that fixes it, when one does
	Locked     bool   // the viewer may not change it: it hands out roles
	Error      string
}

// probe is what trying a setting found: a sentence, and the server's
// own answer when it gave one.
type probe struct {
	OK      bool
	Message string
	Answer  string
	Facts   [][2]string // what discovery found: label, value
}

// connView is a sign-on or mail page.
type connView struct {
	Group   beheer.ConnGroup
	Fields  []connField
	Version string
	HasKey  bool
	Saved   bool
	Probe   *probe
	Stale   bool
}

// HasSecrets reports whether the page has a secret that may be entered.
func (v *connView) HasSecrets() bool {
	for _, f := range v.Fields {
		if f.Kind == beheer.KindSecret && f.FixedBy == "" {
			return true
		}
	}
	return false
}

// connPaths are the pages' addresses.
var connPaths = map[beheer.ConnGroup]string{beheer.ConnSignOn: "/settings/signon", beheer.ConnMail: "/settings/mailserver"}

// connPage shows a sign-on or mail page.
func (s *Server) connPage(g beheer.ConnGroup) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		v, err := s.connView(r.Context(), p, g, nil)
		if err != nil {
			return err
		}
		v.Saved = r.URL.Query().Get("saved") == "1"
		s.renderConn(w, http.StatusOK, p, v)
		return nil
	}
}

// connView builds a page's view from what is in force; typed, when
// given, shows what the person typed instead (after a refusal or a try).
func (s *Server) connView(ctx context.Context, p *page, g beheer.ConnGroup, typed url.Values) (*connView, error) {
	if !beheer.CanManageConnections(p.Actor) {
		return nil, beheer.Refusal(beheer.PermIntegrationManage)
	}
	eff, stored, err := s.conns.Values(ctx)
	if err != nil {
		return nil, err
	}
	v := &connView{Group: g, Version: stored.Version(g), HasKey: s.store.HasSecretKey()}
	mayRoles := p.Actor.Can(beheer.PermUserManage, 0)
	for _, set := range beheer.ConnSettingsOf(g) {
		f := connField{ConnSetting: set, FixedBy: s.conns.FixedBy[set.Key], Locked: set.GrantsRoles && !mayRoles}
		switch {
		case set.Kind == beheer.KindSecret:
			f.Set = eff[set.Key] != ""
			f.Unreadable = f.FixedBy == "" && stored.Kept[set.Key] && stored.Values[set.Key] == ""
		case typed != nil && f.FixedBy == "" && !f.Locked:
			f.Value = typed.Get(set.Key)
			if set.Kind == beheer.KindBool {
				f.Value = boolText(typed.Get(set.Key) != "")
			}
		default:
			f.Value = eff.Get(set.Key)
		}
		f.Error = p.Errors[set.Key]
		v.Fields = append(v.Fields, f)
	}
	if typed != nil {
		v.Version = typed.Get("version")
	}
	return v, nil
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (s *Server) renderConn(w http.ResponseWriter, status int, p *page, v *connView) {
	p.Title, p.Data = p.T("admin."+string(v.Group)+".title"), v
	s.render(w, status, "connections", "", p)
}

// connChange reads a page's form: the settings the viewer may change and
// the environment does not fix. A secret is only changed when something
// is typed or "clear" is ticked; a mailbox address typed with its
// password gives the password its own field.
func (s *Server) connChange(r *http.Request, a *beheer.Actor, g beheer.ConnGroup) store.ConnChange {
	change := store.ConnChange{}
	mayRoles := a.Can(beheer.PermUserManage, 0)
	for _, set := range beheer.ConnSettingsOf(g) {
		if s.conns.FixedBy[set.Key] != "" || (set.GrantsRoles && !mayRoles) {
			continue
		}
		val := r.PostFormValue(set.Key)
		switch set.Kind {
		case beheer.KindSecret:
			if r.PostFormValue(set.Key+"_clear") != "" {
				change[set.Key] = ""
			} else if val != "" {
				change[set.Key] = val
			}
			continue
		case beheer.KindBool:
			val = boolText(val != "")
		case beheer.KindMailbox:
			if addr, password, err := beheer.SplitMailbox(strings.TrimSpace(val)); err == nil {
				val = addr
				if password != "" && s.conns.FixedBy[beheer.ConnIMAPPassword] == "" {
					change[beheer.ConnIMAPPassword] = password
				}
			}
		}
		change[set.Key] = val
	}
	return change
}

// saveConnections checks a page's change against what is in force, tries
// the parts it touches (the provider's discovery, a sign-in at the mail
// and mailbox servers) and saves it; then sign-on is rebuilt. Whatever
// is refused leaves everything as it was.
func (s *Server) saveConnections(ctx context.Context, a *beheer.Actor, g beheer.ConnGroup, version string, change store.ConnChange) error {
	if !beheer.CanManageConnections(a) {
		return beheer.Refusal(beheer.PermIntegrationManage)
	}
	_, stored, err := s.conns.Values(ctx)
	if err != nil {
		return err
	}
	after := stored.Values.Over(beheer.ConnValues(change))
	if err := beheer.CheckConnChange(a, g, stored.Values, after); err != nil {
		return err
	}
	var v beheer.Validation
	after.Check(g, &v)
	if err := v.Err(); err != nil {
		return err
	}
	eff := after.Over(s.conns.Fixed)
	var sso *SSO
	switch g {
	case beheer.ConnSignOn:
		if sso, err = s.buildSSO(ctx, eff); err != nil {
			return err
		}
	case beheer.ConnMail:
		if err := s.tryMail(ctx, eff, stored.Values.Over(s.conns.Fixed)); err != nil {
			return err
		}
	}
	if err := s.store.SetConnections(ctx, a, g, version, change); err != nil {
		return err
	}
	if g == beheer.ConnSignOn {
		s.EnableSSO(sso)
	}
	return nil
}

// tryMail signs in at the mail server and the mailbox when their settings
// changed, and refuses the change beside the field at fault when that
// fails.
func (s *Server) tryMail(ctx context.Context, eff, before beheer.ConnValues) error {
	changed := func(keys ...string) bool {
		for _, k := range keys {
			if eff[k] != before[k] {
				return true
			}
		}
		return false
	}
	if eff[beheer.ConnSMTPHost] != "" && changed(beheer.ConnSMTPHost, beheer.ConnSMTPPort, beheer.ConnSMTPUser,
		beheer.ConnSMTPPassword, beheer.ConnSMTPTLS) {
		if err := s.conns.smtp(eff).Check(ctx); err != nil {
			return smtpRefusal(err)
		}
	}
	if eff[beheer.ConnIMAPURL] != "" && changed(beheer.ConnIMAPURL, beheer.ConnIMAPPassword) {
		if _, err := s.checkMailbox(ctx, eff); err != nil {
			return err
		}
	}
	return nil
}

// smtpRefusal is a failed talk with the mail server as a refusal beside
// the field most likely at fault, with the server's answer.
func smtpRefusal(err error) error {
	field, key, answer := notify.SMTPProblem(err)
	if field == "" {
		field = beheer.ConnSMTPHost
	}
	return beheer.Invalid(field, "admin.server_said", "problem", beheer.Message{Key: key}, "answer", answer)
}

// checkMailbox signs in at the mailbox and counts its unread messages;
// a failure is refused beside the field at fault, with the server's
// answer.
func (s *Server) checkMailbox(ctx context.Context, eff beheer.ConnValues) (int, error) {
	p, err := s.conns.poller(beheer.JoinMailbox(eff[beheer.ConnIMAPURL], eff[beheer.ConnIMAPPassword]), nil, s.log)
	if err != nil {
		return 0, beheer.Invalid(beheer.ConnIMAPURL, "admin.conn.bad_mailbox")
	}
	n, err := p.Check(ctx)
	var ce *mailin.CheckError
	if err == nil || !errors.As(err, &ce) {
		return n, err
	}
	said := func(field string, problem beheer.Message) error {
		return beheer.Invalid(field, "admin.server_said", "problem", problem, "answer", ce.Err.Error())
	}
	switch ce.Step {
	case "login":
		return 0, said(beheer.ConnIMAPPassword, beheer.Message{Key: "admin.imap.auth_failed"})
	case "select":
		return 0, said(beheer.ConnIMAPURL, beheer.Message{Key: "admin.imap.no_mailbox"})
	}
	return 0, said(beheer.ConnIMAPURL, beheer.Message{Key: "admin.imap.unreachable", Args: []any{"reason", networkReason(ce.Err)}})
}

// connSave saves a page's form.
func (s *Server) connSave(g beheer.ConnGroup) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		err := s.saveConnections(r.Context(), p.Actor, g, r.PostFormValue("version"), s.connChange(r, p.Actor, g))
		if err == nil {
			redirect(w, r, connPaths[g]+"?saved=1")
			return nil
		}
		return p.showRefused(r, string(g), err, func(f formRefusal) error {
			v, err := s.connView(r.Context(), p, g, r.PostForm)
			if err != nil {
				return err
			}
			v.Stale = f.Stale
			if f.Stale {
				v, err = s.connView(r.Context(), p, g, nil) // the saved state, to start again from
				if err != nil {
					return err
				}
				v.Stale = true
			}
			s.renderConn(w, f.Status, p, v)
			return nil
		})
	}
}

// connTry runs one of a page's tries on what the form holds, without
// saving, and shows the page again with what it found.
func (s *Server) connTry(g beheer.ConnGroup, try func(ctx context.Context, p *page, eff beheer.ConnValues) (*probe, error)) pageHandler {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		if !beheer.CanManageConnections(p.Actor) {
			return beheer.Refusal(beheer.PermIntegrationManage)
		}
		_, stored, err := s.conns.Values(r.Context())
		if err != nil {
			return err
		}
		eff := stored.Values.Over(beheer.ConnValues(s.connChange(r, p.Actor, g))).Over(s.conns.Fixed)
		var val beheer.Validation
		eff.Check(g, &val)
		res, err := (*probe)(nil), val.Err()
		if err == nil {
			res, err = try(r.Context(), p, eff)
		}
		if err != nil {
			f, ok := p.refused(r, string(g), err)
			if !ok {
				return err
			}
			res = &probe{Message: f.Said}
		}
		v, err := s.connView(r.Context(), p, g, r.PostForm)
		if err != nil {
			return err
		}
		v.Probe = res
		s.renderConn(w, http.StatusOK, p, v)
		return nil
	}
}

// answerOf is the server's own answer a refusal carries, "" for none.
func answerOf(err error, p *page) string {
	var be *beheer.Error
	if !errors.As(err, &be) {
		return ""
	}
	for _, f := range be.Fields {
		for i := 0; i+1 < len(f.Args); i += 2 {
			if f.Args[i] == "answer" {
				s, _ := f.Args[i+1].(string)
				return s
			}
		}
	}
	return ""
}

// trySignOn reads the provider's discovery document and says what it
// found.
func (s *Server) trySignOn(ctx context.Context, p *page, eff beheer.ConnValues) (*probe, error) {
	if eff[beheer.ConnOIDCIssuer] == "" {
		return nil, beheer.Invalid(beheer.ConnOIDCIssuer, "field.required")
	}
	sso, err := s.buildSSO(ctx, eff)
	if err != nil {
		return nil, err
	}
	d := sso.discovery()
	res := &probe{OK: true, Message: p.T("admin.signon.found", "issuer", eff[beheer.ConnOIDCIssuer])}
	add := func(label, value string) {
		if value != "" {
			res.Facts = append(res.Facts, [2]string{p.T(label), value})
		}
	}
	add("admin.signon.fact.authorization", d.AuthURL)
	add("admin.signon.fact.token", d.TokenURL)
	add("admin.signon.fact.userinfo", d.UserInfoURL)
	add("admin.signon.fact.scopes", strings.Join(d.Scopes, " "))
	add("admin.signon.fact.claims", strings.Join(d.Claims, " "))
	groups := p.T("admin.signon.groups_unknown")
	if len(d.Claims) > 0 {
		groups = p.T("admin.signon.groups_missing", "claim", eff.Get(beheer.ConnOIDCGroupsClaim))
		for _, c := range d.Claims {
			if c == strings.Split(eff.Get(beheer.ConnOIDCGroupsClaim), ".")[0] {
				groups = p.T("admin.signon.groups_found", "claim", c)
			}
		}
	}
	add("admin.signon.fact.groups", groups)
	add("admin.signon.fact.redirect", eff[beheer.ConnOIDCRedirectURL])
	return res, nil
}

// tryTestMail sends a test message to the signed-in person, at once.
func (s *Server) tryTestMail(ctx context.Context, p *page, eff beheer.ConnValues) (*probe, error) {
	if eff[beheer.ConnSMTPHost] == "" {
		return nil, beheer.Invalid(beheer.ConnSMTPHost, "field.required")
	}
	err := s.conns.smtp(eff).SendTest(ctx, p.User.Email, p.T("admin.mail.test_subject"),
		p.T("admin.mail.test_body", "name", p.User.Name, "host", eff[beheer.ConnSMTPHost]))
	if err != nil {
		return nil, smtpRefusal(err)
	}
	return &probe{OK: true, Message: p.T("admin.mail.test_sent", "to", p.User.Email)}, nil
}

// tryMailbox signs in at the mailbox and counts its unread messages.
func (s *Server) tryMailbox(ctx context.Context, p *page, eff beheer.ConnValues) (*probe, error) {
	if eff[beheer.ConnIMAPURL] == "" {
		return nil, beheer.Invalid(beheer.ConnIMAPURL, "field.required")
	}
	n, err := s.checkMailbox(ctx, eff)
	if err != nil {
		return nil, err
	}
	return &probe{OK: true, Message: p.T("admin.imap.checked", "count", n)}, nil
}
