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
	fs := newFlags("mail receive", e)
	var db dbFlags
	db.register(fs, e)
	intake := fs.String("intake", e.getenv("BEHEER_MAIL_INTAKE"), "the address at which mail becomes a new request")
	if err := fs.Parse(args[1:]); err != nil {
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
	st, err := db.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	r := &mailin.Receiver{Store: st, Intake: *intake}
	res, err := r.Receive(ctx, raw)
	if err != nil {
		return message(cat, err)
	}
	fmt.Fprintln(e.stdout, mailin.Describe(cat, i18n.EN, res))
	return nil
}

// startMailPoller polls BEHEER_IMAP_URL every BEHEER_IMAP_INTERVAL (one
// minute by default) while serving; without the URL it does nothing. The
// returned function stops it and waits until it has.
func startMailPoller(ctx context.Context, e env, st *store.Store, log *slog.Logger) (func(), error) {
	raw := e.getenv("BEHEER_IMAP_URL")
	if raw == "" {
		return func() {}, nil
	}
	interval := time.Minute
	if v := e.getenv("BEHEER_IMAP_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("BEHEER_IMAP_INTERVAL: %q is no positive duration", v)
		}
		interval = d
	}
	p, err := mailin.NewPoller(raw, &mailin.Receiver{Store: st, Intake: e.getenv("BEHEER_MAIL_INTAKE")}, log)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx, interval)
	}()
	return func() { cancel(); <-done }, nil
}
