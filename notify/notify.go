// Package notify runs the background workers that tell people what happened:
// in-app notifications and e-mail (through an outbox, over SMTP) derived from
// the event log, a daily digest, management's monthly report, and signed
// webhook calls to integrations.
//
// Delivery guarantees. Every change writes its event in its own transaction
// (package store). The event worker turns events into notifications and
// outbox rows in ONE transaction with advancing its cursor, under a row lock
// on that cursor: each event is handled exactly once, also with several
// processes on one database, and a crash before the commit simply repeats
// the batch. The mail worker claims outbox rows with a lease (PostgreSQL:
// FOR UPDATE SKIP LOCKED), sends them and marks them sent; a worker that dies
// leaves its lease to expire and another takes the row over. SMTP itself
// allows at-least-once only in one narrow window: when the server accepted a
// message and the process died before marking it sent, the message goes out
// again. It then carries the same Message-ID (derived from the outbox row),
// so mail clients and servers recognise it as the same message.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"time"

	"beheer/i18n"
	"beheer/store"
)

// Config configures the workers. An empty SMTPHost switches e-mail off:
// notifications then only appear in the portal.
type Config struct {
	SMTPHost     string
	SMTPPort     int    // 0: 587 for starttls, 465 for tls, 25 for none
	SMTPUser     string // empty: no authentication
	SMTPPassword string
	TLS          string // "starttls" (default), "tls" or "none"
	From         string // e.g. "Beheer <beheer@example.nl>"
	BaseURL      string // the portal's public address, for links
	// Mail, when set, gives the mail settings each time mail is about to
	// go out, in place of the fields above: settings changed on the mail
	// page take effect without a restart.
	Mail func(ctx context.Context) (SMTP, error)

	// WebhookAllow lists networks (CIDR, e.g. "10.1.2.0/24") that webhooks
	// may reach although they are loopback, link-local or private.
	WebhookAllow []string

	// Catalog is the message catalogue; nil loads the embedded one.
	Catalog *i18n.Catalog
	// Poll is how often idle workers look for work; 0 means 2 seconds.
	Poll time.Duration
	// MaxAttempts bounds deliveries of one e-mail or webhook call; 0 means 8.
	MaxAttempts int
	// Lease is how long a claimed row stays with its worker; 0 means 5 minutes.
	Lease time.Duration
	// DigestHour is the hour (Amsterdam time) of the daily digest; 0 means 7.
	DigestHour int
}

func (c *Config) defaults() {
	if c.Poll <= 0 {
		c.Poll = 2 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Lease <= 0 {
		c.Lease = 5 * time.Minute
	}
	if c.DigestHour <= 0 {
		c.DigestHour = 7
	}
	if c.TLS == "" {
		c.TLS = "starttls"
	}
	if c.Catalog == nil {
		c.Catalog = i18n.MustLoad()
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost:8080"
	}
}

// MailEnabled reports whether e-mail may be configured: a fixed SMTP
// host, or settings read when used.
func (c *Config) MailEnabled() bool { return c.SMTPHost != "" || c.Mail != nil }

// smtp returns the mail settings now; an empty Host means no mail.
func (c *Config) smtp(ctx context.Context) (SMTP, error) {
	if c.Mail != nil {
		return c.Mail(ctx)
	}
	return SMTP{Host: c.SMTPHost, Port: c.SMTPPort, User: c.SMTPUser, Password: c.SMTPPassword, TLS: c.TLS, From: c.From}, nil
}

// Backoff is the wait before attempt n+1 after n failed attempts: 30
// seconds, doubling, at most 6 hours.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// ParseAllow reads the networks webhooks may reach although they are
// blocked: each entry a network in CIDR notation ("10.1.2.0/24") or one
// address ("10.1.2.3"); blank entries are skipped. It is exported so that
// configuration can refuse a wrong entry before anything starts.
func ParseAllow(entries []string) ([]netip.Prefix, error) {
	var allow []netip.Prefix
	for _, a := range entries {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		p, err := netip.ParsePrefix(a)
		if err != nil {
			addr, err2 := netip.ParseAddr(a)
			if err2 != nil {
				return nil, err
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		allow = append(allow, p)
	}
	return allow, nil
}

// Workers are the background jobs of one process.
type Workers struct {
	st       *store.Store
	cfg      Config
	log      *slog.Logger
	render   *Renderer
	Notifier *Notifier
	Mailer   *Mailer
	Hooks    *HookSender
}

// New builds the workers without starting them (tests drive them by hand).
func New(st *store.Store, cfg Config, log *slog.Logger) (*Workers, error) {
	cfg.defaults()
	if log == nil {
		log = slog.Default()
	}
	allow, err := ParseAllow(cfg.WebhookAllow)
	if err != nil {
		return nil, err
	}
	r := NewRenderer(cfg.Catalog, cfg.BaseURL)
	owner := workerID()
	w := &Workers{st: st, cfg: cfg, log: log, render: r}
	w.Notifier = &Notifier{st: st, render: r, mail: func(ctx context.Context) bool {
		c, err := cfg.smtp(ctx)
		return err == nil && c.Host != ""
	}}
	w.Mailer = &Mailer{st: st, cfg: cfg, log: log, owner: owner}
	w.Hooks = &HookSender{st: st, cfg: cfg, log: log, owner: owner, guard: &Guard{Allow: allow}}
	return w, nil
}

// Start runs the workers until ctx ends or stop is called; stop waits for
// them to finish their current step.
func Start(ctx context.Context, st *store.Store, cfg Config, log *slog.Logger) (stop func(), err error) {
	w, err := New(st, cfg, log)
	if err != nil {
		return nil, err
	}
	return w.Run(ctx), nil
}

// eventBatch is how many events one step of an event worker handles.
const eventBatch = 100

// Run starts the loops of w.
//
// A loop steps again at once while its step finds work — for the event
// workers only while it finds a whole batch. On PostgreSQL each of their steps
// first waits until every transaction writing an event has ended, and writes
// queue behind that wait (see store.eventWatermark): stepping as often as
// events came in cost 7–10% of the comments a server could take under load.
// Events that come in one by one wait for the next poll instead.
func (w *Workers) Run(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	loop := func(name string, every time.Duration, more int, step func(context.Context) (int, error)) {
		wg.Go(func() {
			repeat(ctx, every, more, step, func(err error) { w.log.Error("notify worker", "worker", name, "err", err) })
		})
	}
	loop("events", w.cfg.Poll, eventBatch, w.Notifier.RunOnce)
	loop("webhook-queue", w.cfg.Poll, eventBatch, func(ctx context.Context) (int, error) { return w.st.QueueWebhooks(ctx, eventBatch) })
	loop("webhooks", w.cfg.Poll, 1, w.Hooks.RunOnce)
	loop("overdue-tasks", 5*time.Minute, eventBatch, func(ctx context.Context) (int, error) {
		return w.st.SweepOverdueTasks(ctx, time.Now(), eventBatch)
	})
	if w.cfg.MailEnabled() {
		loop("mail", w.cfg.Poll, 1, w.Mailer.RunOnce)
		loop("digest", 5*time.Minute, 1, func(ctx context.Context) (int, error) {
			if !w.Notifier.mail(ctx) {
				return 0, nil
			}
			_, err := w.Digest(ctx, time.Now())
			return 0, err
		})
		loop("monthly-report", 5*time.Minute, 1, func(ctx context.Context) (int, error) {
			_, err := w.MonthlyReport(ctx, time.Now())
			return 0, err
		})
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// repeat runs step until ctx ends: at once again when it handled at least
// more items, otherwise after every. Its errors go to fail.
func repeat(ctx context.Context, every time.Duration, more int, step func(context.Context) (int, error), fail func(error)) {
	for {
		n, err := step(ctx)
		if err != nil && ctx.Err() == nil {
			fail(err)
		}
		if n >= more && err == nil {
			continue // more work may be waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// Digest queues the daily digest e-mails once the digest hour of the day
// has passed; later calls that day do nothing.
func (w *Workers) Digest(ctx context.Context, now time.Time) (int, error) {
	local := now.In(w.render.Zone)
	if local.Hour() < w.cfg.DigestHour {
		return 0, nil
	}
	day := int64(local.Year()*10000 + int(local.Month())*100 + local.Day())
	return w.st.BuildDigests(ctx, day, w.render.Digest)
}

// Notifier turns events into notifications and outbox rows.
type Notifier struct {
	st     *store.Store
	render *Renderer
	mail   func(ctx context.Context) bool // whether mail goes out now
}

// RunOnce handles the next batch of events; it returns how many. Whether
// mail goes out is asked once per batch.
func (n *Notifier) RunOnce(ctx context.Context) (int, error) {
	mail := n.mail(ctx)
	return n.st.ProcessNotifications(ctx, eventBatch, Notifies, func(f store.EventFacts) ([]store.Delivery, error) {
		return n.plan(f, mail)
	})
}

// Plan decides, for one event, who gets a notification and who an e-mail
// now or in the digest, following each person's preferences.
func (n *Notifier) Plan(f store.EventFacts) ([]store.Delivery, error) {
	return n.plan(f, n.mail(context.Background()))
}

// plan is Plan with whether mail goes out decided.
func (n *Notifier) plan(f store.EventFacts, mail bool) ([]store.Delivery, error) {
	var out []store.Delivery
	for _, rc := range Recipients(f) {
		p := f.People[rc.UserID]
		if p == nil {
			continue // inactive or gone
		}
		d := store.Delivery{UserID: rc.UserID, Kind: rc.Kind}
		if mail && p.Email != "" {
			switch p.Mode(rc.Kind) {
			case store.ModeImmediate:
				if rc.Kind == store.NotifyDecision && f.Request != nil {
					d.DecisionToken = store.NewDecisionToken()
				}
				m, err := n.render.Mail(p, f, rc.Kind, d.DecisionToken)
				if err != nil {
					return nil, err
				}
				d.Mail = m
			case store.ModeDigest:
				d.Digest = true
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func workerID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
