package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"beheer/store"
)

// Mailer sends the outbox over SMTP.
type Mailer struct {
	st    *store.Store
	cfg   Config
	log   *slog.Logger
	owner string
}

// MessageID is the stable Message-ID of an outbox row: a resend of the same
// row carries the same id.
func MessageID(id int64, created time.Time, from string) string {
	domain := "beheer.invalid"
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return fmt.Sprintf("beheer.outbox.%d.%d@%s", id, created.UnixMilli(), domain)
}

// message builds the e-mail of an outbox row. Names and subject pass
// through HeaderSafe and go-mail's encoding, so they cannot add headers.
func (m *Mailer) message(o store.OutboxMail, sender string) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	from, err := netmail.ParseAddress(sender)
	if err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	from.Name = HeaderSafe(from.Name)
	msg.FromMailAddress(from)
	to, err := netmail.ParseAddress(o.To)
	if err != nil {
		return nil, permanent{fmt.Errorf("recipient address: %w", err)}
	}
	msg.ToMailAddress(&netmail.Address{Name: HeaderSafe(o.ToName), Address: to.Address})
	msg.Subject(HeaderSafe(o.Subject))
	msg.SetMessageIDWithValue(MessageID(o.ID, o.CreatedAt, sender))
	msg.SetDateWithValue(o.CreatedAt)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("Content-Language", o.Lang)
	msg.SetBodyString(mail.TypeTextPlain, o.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, o.HTML)
	return msg, nil
}

// permanent marks an error that no retry will fix.
type permanent struct{ error }

// RunOnce claims a batch of due outbox rows and sends them over one SMTP
// connection; it returns how many rows it claimed. The mail settings are
// read first: without an SMTP host nothing is claimed.
func (m *Mailer) RunOnce(ctx context.Context) (int, error) {
	server, err := m.cfg.smtp(ctx)
	if err != nil || server.Host == "" {
		return 0, err
	}
	rows, err := m.st.ClaimMail(ctx, m.owner, m.cfg.Lease, 20)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	c, err := server.client()
	var conn interface{ Close() error }
	var sc = func(*mail.Msg) error { return err }
	if err == nil {
		sendCtx, cancel := context.WithTimeout(ctx, m.cfg.Lease/2)
		defer cancel()
		smtpc, derr := c.DialToSMTPClientWithContext(sendCtx)
		if derr != nil {
			err = fmt.Errorf("dial %s: %w", server.Host, derr)
		} else {
			conn = closer(func() error { return c.CloseWithSMTPClient(smtpc) })
			sc = func(msg *mail.Msg) error { return c.SendWithSMTPClient(smtpc, msg) }
		}
	}
	if conn != nil {
		defer conn.Close()
	}
	for _, o := range rows {
		if ctx.Err() != nil {
			return len(rows), ctx.Err() // the leases run out; another run takes over
		}
		sendErr := err
		if sendErr == nil {
			msg, merr := m.message(o, server.From)
			if merr != nil {
				sendErr = merr
			} else {
				sendErr = sc(msg)
			}
		}
		if sendErr == nil {
			if _, err := m.st.MailSent(ctx, o.ID, m.owner); err != nil {
				return len(rows), err
			}
			continue
		}
		retry := Backoff(o.Attempts)
		var p permanent
		var se *mail.SendError
		if errors.As(sendErr, &p) || (errors.As(sendErr, &se) && !se.IsTemp() && se.ErrorCode() >= 500) || o.Attempts >= m.cfg.MaxAttempts {
			retry = 0
		}
		m.log.Warn("mail not sent", "outbox", o.ID, "attempt", o.Attempts, "err", sendErr, "gave_up", retry == 0)
		if err := m.st.MailFailed(ctx, o.ID, m.owner, sendErr.Error(), retry); err != nil {
			return len(rows), err
		}
	}
	return len(rows), nil
}

type closer func() error

func (c closer) Close() error { return c() }
