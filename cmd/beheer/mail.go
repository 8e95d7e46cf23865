package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"beheer/i18n"
	"beheer/mailin"
	"beheer/server"
	"beheer/store"
)

// cmdMail is "beheer mail receive": one raw message on standard input,
// for example from the mail server's pipe (Postfix: a transport with
// pipe(8) running "beheer mail receive --data /var/lib/beheer"). It exits
// 0 when the message was accepted or deliberately ignored — an auto-reply,
// an unknown sender — so the mail server sends no bounce that could start
// a loop; it fails on input that is no e-mail and on database errors, so
// the mail server keeps the message and tries again.
func cmdMail(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "receive" {
		return errors.New("usage: beheer mail receive [--data DIR] [--database URL] [--intake ADDRESS]")
	}
	fs := newFlags("mail receive")
	cfg, err := loadConfig(e, fs, args[1:])
	if err != nil {
		return err
	}
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(io.LimitReader(e.stdin, mailin.MaxSize+1))
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	r := &mailin.Receiver{Store: st, Intake: cfg.MailIntake}
	res, err := r.Receive(ctx, raw)
	if err != nil {
		return message(cat, err)
	}
	fmt.Fprintln(e.stdout, mailin.Describe(cat, i18n.EN, res))
	return nil
}

// startMailPoller polls the IMAP mailbox while serving, every
// BEHEER_IMAP_INTERVAL. The mailbox is read from conns before each poll,
// so one set or changed on the mail page is polled without a restart;
// without one it waits. The returned function stops it and waits until
// it has.
func startMailPoller(ctx context.Context, cfg *Config, st *store.Store, conns *server.Connections, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	r := &mailin.Receiver{Store: st, Intake: cfg.MailIntake}
	go func() {
		defer close(done)
		for {
			if p, err := conns.Poller(ctx, r, log); err != nil {
				log.Warn("imap mailbox", "err", err)
			} else if p != nil {
				p.Step(ctx)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(cfg.IMAPInterval):
			}
		}
	}()
	return func() { cancel(); <-done }
}
