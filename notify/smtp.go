package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"beheer"
)

// SMTP is how mail goes out: the server, its account and the sender.
// An empty Host means no mail goes out.
type SMTP struct {
	Host     string
	Port     int    // 0: 587 for starttls, 465 for tls, 25 for none
	User     string // empty: no authentication
	Password string
	TLS      string // "starttls" (default), "tls" or "none"
	From     string // e.g. "Beheer <beheer@example.nl>"
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate with it); nil verifies the server against the system.
	TLSConfig *tls.Config
}

// SMTPOf reads the mail settings from connection settings.
func SMTPOf(v beheer.ConnValues) SMTP {
	return SMTP{Host: v[beheer.ConnSMTPHost], Port: v.Port(beheer.ConnSMTPPort), User: v[beheer.ConnSMTPUser],
		Password: v[beheer.ConnSMTPPassword], TLS: v.Get(beheer.ConnSMTPTLS), From: v[beheer.ConnMailFrom]}
}

// client builds the SMTP client.
func (c SMTP) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithTimeout(30 * time.Second)}
	port := c.Port
	switch c.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
		if port == 0 {
			port = 465
		}
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		if port == 0 {
			port = 25
		}
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	}
	if c.TLSConfig != nil {
		tc := c.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = c.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	opts = append(opts, mail.WithPort(port))
	if c.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(c.User), mail.WithPassword(c.Password))
	}
	return mail.NewClient(c.Host, opts...)
}

// SendTest sends one plain message to "to" over a connection of its own,
// at once and not through the outbox, so whoever asked sees the server's
// answer.
func (c SMTP) SendTest(ctx context.Context, to, subject, text string) error {
	client, err := c.client()
	if err != nil {
		return err
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	from, err := netmail.ParseAddress(c.From)
	if err != nil {
		return fmt.Errorf("from address: %w", err)
	}
	from.Name = HeaderSafe(from.Name)
	msg.FromMailAddress(from)
	if err := msg.To(to); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(HeaderSafe(subject))
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, text)
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	return client.DialAndSendWithContext(ctx, msg)
}

// Check connects to the server and signs in, without sending anything:
// what saving the mail settings asks before it saves them.
func (c SMTP) Check(ctx context.Context) error {
	client, err := c.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return err
	}
	return client.CloseWithSMTPClient(sc)
}

// SMTPProblem says in the catalogue's words what went wrong talking to
// the SMTP server: the field that is most likely at fault, the message,
// and the server's own answer (or the network's error) to show beside it.
func SMTPProblem(err error) (field, key, answer string) {
	answer = smtpAnswer(err)
	text := strings.ToLower(err.Error())
	var se *mail.SendError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &se) && se.Reason == mail.ErrSMTPMailFrom:
		return beheer.ConnMailFrom, "admin.mail.sender_refused", answer
	case errors.As(err, &se) && se.Reason == mail.ErrSMTPRcptTo:
		return "", "admin.mail.recipient_refused", answer
	case strings.Contains(text, "535") || strings.Contains(text, "534") || strings.Contains(text, "authentication failed") ||
		strings.Contains(text, "auth") && strings.Contains(text, "fail") || strings.Contains(text, "credentials"):
		return beheer.ConnSMTPPassword, "admin.mail.auth_failed", answer
	case strings.Contains(text, "auth") && (strings.Contains(text, "not supported") || strings.Contains(text, "unsupported") ||
		strings.Contains(text, "not able to detect")):
		return beheer.ConnSMTPTLS, "admin.mail.auth_unsupported", answer
	case errors.As(err, &dnsErr):
		return beheer.ConnSMTPHost, "admin.mail.unknown_host", answer
	case errors.As(err, &certErr) || strings.Contains(text, "tls") || strings.Contains(text, "x509") ||
		strings.Contains(text, "starttls"):
		return beheer.ConnSMTPTLS, "admin.mail.tls_failed", answer
	case errors.As(err, &opErr) || errors.Is(err, context.DeadlineExceeded) || strings.Contains(text, "timeout") ||
		strings.Contains(text, "connection refused"):
		return beheer.ConnSMTPHost, "admin.mail.unreachable", answer
	}
	return beheer.ConnSMTPHost, "admin.mail.failed", answer
}

// smtpAnswer is the most telling part of an error: the server's reply
// when it gave one, without go-mail's wrapping.
func smtpAnswer(err error) string {
	msg := err.Error()
	for _, pre := range []string{"failed to authenticate: ", "dial failed: "} {
		if i := strings.LastIndex(msg, pre); i >= 0 {
			msg = msg[i+len(pre):]
		}
	}
	const max = 300
	if len(msg) > max {
		msg = msg[:max] + "…"
	}
	return msg
}
