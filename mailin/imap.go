package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"beheer"
)

// Poller fetches unseen messages from an IMAP mailbox and receives them.
// A message is marked \Seen only after the store committed what it became;
// a crash in between fetches it again, and the store recognises it by its
// Message-ID. Messages that are no e-mail at all are marked \Seen too, so
// they are not fetched forever.
type Poller struct {
	r        *Receiver
	log      *slog.Logger
	addr     string
	tls      string // "imaps" or "starttls"
	user     string
	password string
	mailbox  string
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate with it); nil verifies the server against the system.
	TLSConfig *tls.Config
}

// batch bounds the messages one poll takes.
const batch = 50

// NewPoller reads the mailbox from an URL: imaps://user:password@host:993/INBOX
// (TLS from the start) or imap://user:password@host:143/INBOX (STARTTLS,
// which is then required). The user and password are URL-encoded; the
// mailbox defaults to INBOX.
func NewPoller(rawURL string, r *Receiver, log *slog.Logger) (*Poller, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("BEHEER_IMAP_URL is not a URL")
	}
	p := &Poller{r: r, log: log, mailbox: strings.TrimPrefix(u.Path, "/")}
	switch u.Scheme {
	case "imaps":
		p.tls = "imaps"
	case "imap":
		p.tls = "starttls"
	default:
		return nil, fmt.Errorf("BEHEER_IMAP_URL: scheme %q, want imaps or imap", u.Scheme)
	}
	if u.Hostname() == "" || u.User == nil || u.User.Username() == "" {
		return nil, errors.New("BEHEER_IMAP_URL needs a host, a user and a password")
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"imaps": "993", "starttls": "143"}[p.tls]
	}
	p.addr = net.JoinHostPort(u.Hostname(), port)
	p.user = u.User.Username()
	p.password, _ = u.User.Password()
	if p.mailbox == "" {
		p.mailbox = "INBOX"
	}
	return p, nil
}

// Run polls every interval until ctx ends. Errors are logged; the next
// poll tries again.
func (p *Poller) Run(ctx context.Context, interval time.Duration) {
	for {
		p.Step(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// Step polls once and logs what came of it.
func (p *Poller) Step(ctx context.Context) {
	if n, err := p.Poll(ctx); err != nil {
		if ctx.Err() == nil {
			p.log.Warn("imap poll", "mailbox", p.mailbox, "addr", p.addr, "err", err)
		}
	} else if n > 0 {
		p.log.Info("imap: messages received", "count", n)
	}
}

// Poll handles the unseen messages of the mailbox once and returns how
// many it handled.
func (p *Poller) Poll(ctx context.Context) (int, error) {
	c, err := p.dial()
	if err != nil {
		return 0, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(p.user, p.password).Wait(); err != nil {
		return 0, fmt.Errorf("login: %w", err)
	}
	if _, err := c.Select(p.mailbox, nil).Wait(); err != nil {
		return 0, fmt.Errorf("select %s: %w", p.mailbox, err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	uids := found.AllUIDs()
	if len(uids) > batch {
		uids = uids[:batch]
	}
	done := 0
	for _, uid := range uids {
		if err := p.one(ctx, c, uid); err != nil {
			return done, err
		}
		done++
	}
	return done, c.Logout().Wait()
}

// one fetches, receives and marks one message.
func (p *Poller) one(ctx context.Context, c *imapclient.Client, uid imap.UID) error {
	section := &imap.FetchItemBodySection{Peek: true}
	set := imap.UIDSetNum(uid)
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return fmt.Errorf("fetch %d: %w", uid, err)
	}
	if len(msgs) == 0 {
		return nil // expunged meanwhile
	}
	raw := msgs[0].FindBodySection(section)
	res, err := p.r.Receive(ctx, raw)
	var be *beheer.Error
	switch {
	case errors.As(err, &be) && (be.Code == beheer.CodeInvalid || be.Code == beheer.CodeTooLarge):
		p.log.Warn("imap: message refused", "uid", uid, "err", err)
	case err != nil:
		return err // not marked: the next poll tries again
	default:
		p.log.Info("mail received", "uid", uid, "outcome", res.Outcome, "request", res.Number, "duplicate", res.Duplicate)
	}
	return c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
}

func (p *Poller) dial() (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: p.TLSConfig, Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	var c *imapclient.Client
	var err error
	if p.tls == "imaps" {
		c, err = imapclient.DialTLS(p.addr, opts)
	} else {
		c, err = imapclient.DialStartTLS(p.addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", p.addr, err)
	}
	return c, nil
}

// CheckError is a failed mailbox check: which step failed, and the
// server's or the network's own words.
type CheckError struct {
	Step string // "dial", "login" or "select"
	Err  error
}

// Error implements error.
func (e *CheckError) Error() string { return e.Step + ": " + e.Err.Error() }

// Unwrap gives the cause.
func (e *CheckError) Unwrap() error { return e.Err }

// Check connects, signs in and opens the mailbox without fetching or
// marking anything, and returns how many messages wait unread: what
// "check now" on the mail page shows.
func (p *Poller) Check(ctx context.Context) (unseen int, err error) {
	c, err := p.dial()
	if err != nil {
		return 0, &CheckError{Step: "dial", Err: err}
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(p.user, p.password).Wait(); err != nil {
		return 0, &CheckError{Step: "login", Err: err}
	}
	if _, err := c.Select(p.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return 0, &CheckError{Step: "select", Err: err}
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return 0, &CheckError{Step: "select", Err: err}
	}
	c.Logout().Wait()
	return len(found.AllUIDs()), nil
}
