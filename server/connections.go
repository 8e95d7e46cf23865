package server

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"strings"

	"beheer"
	"beheer/mailin"
	"beheer/notify"
	"beheer/store"
)

// Connections are the sign-on and mail settings as the parts use them:
// what the pages saved, with what the environment fixes put over it. The
// parts ask for them when they need them (the mailer before each batch,
// the mailbox poller before each poll), so a change on a page takes
// effect without a restart.
type Connections struct {
	Store *store.Store
	// Fixed are the values the environment gives; FixedBy names the
	// variable that fixes each key.
	Fixed   beheer.ConnValues
	FixedBy map[string]string
	// TLS overrides how the mail and mailbox servers are trusted (tests
	// trust their own certificate with it); nil verifies against the
	// system.
	TLS *tls.Config
}

// Values are the settings in force now, and what the pages saved.
func (c *Connections) Values(ctx context.Context) (beheer.ConnValues, *store.StoredConnections, error) {
	stored := &store.StoredConnections{Values: beheer.ConnValues{}, Kept: map[string]bool{}}
	if c == nil {
		return beheer.ConnValues{}, stored, nil
	}
	if c.Store != nil {
		var err error
		if stored, err = c.Store.Connections(ctx); err != nil {
			return nil, nil, err
		}
	}
	return stored.Values.Over(c.Fixed), stored, nil
}

// Mail is the SMTP server in force now; its Host is empty when no mail
// goes out. It is what the notification workers read before each batch.
func (c *Connections) Mail(ctx context.Context) (notify.SMTP, error) {
	v, _, err := c.Values(ctx)
	if err != nil {
		return notify.SMTP{}, err
	}
	return c.smtp(v), nil
}

func (c *Connections) smtp(v beheer.ConnValues) notify.SMTP {
	m := notify.SMTPOf(v)
	if c != nil {
		m.TLSConfig = c.TLS
	}
	return m
}

// Mailbox is the IMAP mailbox in force now, as the poller reads it with
// its password; "" when none.
func (c *Connections) Mailbox(ctx context.Context) (string, error) {
	v, _, err := c.Values(ctx)
	if err != nil || v[beheer.ConnIMAPURL] == "" {
		return "", err
	}
	return beheer.JoinMailbox(v[beheer.ConnIMAPURL], v[beheer.ConnIMAPPassword]), nil
}

// poller builds the mailbox poller for a mailbox address with password.
func (c *Connections) poller(mailbox string, r *mailin.Receiver, log *slog.Logger) (*mailin.Poller, error) {
	p, err := mailin.NewPoller(mailbox, r, log)
	if err != nil {
		return nil, err
	}
	if c != nil {
		p.TLSConfig = c.TLS
	}
	return p, nil
}

// Poller is the mailbox poller for the mailbox in force now; nil when
// there is none.
func (c *Connections) Poller(ctx context.Context, r *mailin.Receiver, log *slog.Logger) (*mailin.Poller, error) {
	mailbox, err := c.Mailbox(ctx)
	if err != nil || mailbox == "" {
		return nil, err
	}
	return c.poller(mailbox, r, log)
}

// signOn is the single sign-on in force, nil when there is none.
func (s *Server) signOn() *SSO { return s.sso.Load() }

// EnableSSO turns single sign-on on with sso, or off with nil.
func (s *Server) EnableSSO(sso *SSO) { s.sso.Store(sso) }

// ReloadSignOn builds single sign-on from the settings in force and puts
// it in place of the one before: none when no issuer is set. The
// provider's discovery document is read now; when that fails the one
// before stays.
func (s *Server) ReloadSignOn(ctx context.Context) error {
	v, _, err := s.conns.Values(ctx)
	if err != nil {
		return err
	}
	sso, err := s.buildSSO(ctx, v)
	if err != nil {
		return err
	}
	s.EnableSSO(sso)
	return nil
}

// buildSSO builds single sign-on from settings, nil without an issuer.
// A role map that names an unknown area, or a provider whose discovery
// fails, is refused beside its field.
func (s *Server) buildSSO(ctx context.Context, v beheer.ConnValues) (*SSO, error) {
	if v[beheer.ConnOIDCIssuer] == "" {
		return nil, nil
	}
	areas, err := s.store.Areas(ctx)
	if err != nil {
		return nil, err
	}
	roleMap, err := beheer.ParseRoleMap(v[beheer.ConnOIDCRoles], func(code string) (int64, bool) {
		for _, a := range areas {
			if a.Code == code {
				return a.ID, true
			}
		}
		return 0, false
	})
	if err != nil {
		return nil, err
	}
	sso, err := NewSSO(ctx, SSOConfig{
		Issuer: v[beheer.ConnOIDCIssuer], ClientID: v[beheer.ConnOIDCClientID], ClientSecret: v[beheer.ConnOIDCClientSecret],
		RedirectURL: v[beheer.ConnOIDCRedirectURL], DisplayName: v.Get(beheer.ConnOIDCName),
		Scopes: strings.Fields(v[beheer.ConnOIDCScopes]), GroupsClaim: v.Get(beheer.ConnOIDCGroupsClaim), RoleMap: roleMap,
		CreateUsers: v.On(beheer.ConnOIDCCreateUsers), SyncRoles: v.On(beheer.ConnOIDCSyncRoles),
	}, s.store)
	if err != nil {
		return nil, beheer.Invalid(beheer.ConnOIDCIssuer, "admin.signon.discovery_failed",
			"issuer", v[beheer.ConnOIDCIssuer], "reason", networkReason(err))
	}
	return sso, nil
}

// networkReason says in the catalogue's words why a server could not be
// reached or understood, for a message's {reason}.
func networkReason(err error) beheer.Message {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	text := strings.ToLower(err.Error())
	switch {
	case errors.As(err, &dnsErr):
		return beheer.Message{Key: "admin.reason.unknown_host"}
	case strings.Contains(text, "connection refused"):
		return beheer.Message{Key: "admin.reason.refused"}
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(text, "timeout"):
		return beheer.Message{Key: "admin.reason.timeout"}
	case strings.Contains(text, "x509") || strings.Contains(text, "tls"):
		return beheer.Message{Key: "admin.reason.tls"}
	case strings.Contains(text, "did not match the issuer") || strings.Contains(text, "issuer did not match"):
		return beheer.Message{Key: "admin.reason.issuer_mismatch"}
	case strings.Contains(text, "404") || strings.Contains(text, "unexpected content type") ||
		strings.Contains(text, "failed to decode"):
		return beheer.Message{Key: "admin.reason.no_discovery"}
	case errors.As(err, &opErr):
		return beheer.Message{Key: "admin.reason.refused"}
	}
	return beheer.Message{Key: "admin.reason.other"}
}
