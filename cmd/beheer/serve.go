package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"time"

	"beheer/demo"
	"beheer/i18n"
	"beheer/metrics"
	"beheer/notify"
	"beheer/server"
	"beheer/store"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	fs := newFlags("serve", e)
	var db dbFlags
	db.register(fs, e)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := fs.Bool("demo", false, "load the demo organisation into an empty database first")
	jsonLogs := fs.Bool("log-json", e.getenv("BEHEER_LOG_JSON") == "true", "write logs as JSON")
	metricsAddr := fs.String("metrics-addr", e.getenv("BEHEER_METRICS_ADDR"), "serve Prometheus metrics on this address (off when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(e, *jsonLogs)
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	m := metrics.New()
	st, err := db.openObserved(ctx, log, m)
	if err != nil {
		return err
	}
	defer st.Close()
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		ms := &http.Server{Handler: operatorMux(m.Handler()), ReadHeaderTimeout: 10 * time.Second}
		go ms.Serve(mln)
		defer ms.Close()
		log.Info("metrics listening", "addr", mln.Addr().String())
	}
	if *withDemo {
		logins, err := demo.LoadIfEmpty(ctx, st, demo.Options{})
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		printLogins(e, logins)
	}
	srv, err := newServer(ctx, e, st, cat, log, m)
	if err != nil {
		return err
	}
	smtpPort, _ := strconv.Atoi(e.getenv("BEHEER_SMTP_PORT"))
	stopNotify, err := notify.Start(ctx, st, notify.Config{
		SMTPHost: e.getenv("BEHEER_SMTP_HOST"), SMTPPort: smtpPort,
		SMTPUser: e.getenv("BEHEER_SMTP_USER"), SMTPPassword: e.getenv("BEHEER_SMTP_PASSWORD"),
		TLS:          e.getenv("BEHEER_SMTP_TLS"),  // starttls (default) | tls | none
		From:         e.getenv("BEHEER_MAIL_FROM"), // e.g. "Beheer <beheer@example.nl>"
		BaseURL:      strings.TrimSuffix(e.getenv("BEHEER_BASE_URL"), "/"),
		WebhookAllow: strings.FieldsFunc(e.getenv("BEHEER_WEBHOOK_ALLOW"), func(r rune) bool { return r == ',' || r == ' ' }),
		Catalog:      cat,
	}, log)
	if err != nil {
		return err
	}
	defer stopNotify()
	stopMail, err := startMailPoller(ctx, e, st, log)
	if err != nil {
		return err
	}
	defer stopMail()
	if e.getenv("BEHEER_SMTP_HOST") != "" {
		srv.SetResetSender(server.OutboxResets(st, cat))
	}
	// People from AFAS Profit on a schedule (BEHEER_AFAS_SYNC_INTERVAL).
	stopPeople, err := startPeopleSync(ctx, e, st, log)
	if err != nil {
		return err
	}
	defer stopPeople()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := srv.HTTPServer(*addr)
	log.Info("beheer listening", "addr", "http://"+ln.Addr().String(), "engine", st.Engine(), "version", version)
	fmt.Fprintf(e.stdout, "Beheer draait op http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go retention(ctx, st, log)
	// The service-level sweep (warnings, breaches, outcomes) every five
	// minutes; BEHEER_SLA_SWEEP_INTERVAL changes it, 0 switches it off.
	sweep := 5 * time.Minute
	if v := e.getenv("BEHEER_SLA_SWEEP_INTERVAL"); v != "" {
		if sweep, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("BEHEER_SLA_SWEEP_INTERVAL: %w", err)
		}
	}
	if sweep > 0 {
		go st.SLASweepLoop(ctx, sweep)
	}
	// The technical register's review sweep (a request with a task for the
	// owner of every entry whose review is due) every hour;
	// BEHEER_REVIEW_SWEEP_INTERVAL changes it, 0 switches it off.
	reviews := time.Hour
	if v := e.getenv("BEHEER_REVIEW_SWEEP_INTERVAL"); v != "" {
		if reviews, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("BEHEER_REVIEW_SWEEP_INTERVAL: %w", err)
		}
	}
	if reviews > 0 {
		go st.RegisterSweepLoop(ctx, reviews, server.ReviewText(cat, e.getenv("BEHEER_BASE_URL")))
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// operatorMux is the opt-in operator listener: Prometheus metrics, and Go's
// profiler under /debug/pprof/ for measuring under real load. It is never
// on the public listener.
func operatorMux(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", metrics)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// newLogger logs as text or JSON at the level of BEHEER_LOG_LEVEL (debug,
// info, warn, error; info by default — debug adds a line per request).
func newLogger(e env, json bool) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(e.getenv("BEHEER_LOG_LEVEL")))
	opts := &slog.HandlerOptions{Level: level}
	if json {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

func printLogins(e env, logins []demo.Login) {
	if len(logins) == 0 {
		return
	}
	fmt.Fprintln(e.stdout, "Demo-organisatie geladen. Inloggen als:")
	for _, l := range logins {
		fmt.Fprintf(e.stdout, "  %-36s %-40s wachtwoord: %s\n", l.Role, l.Email, l.Password)
	}
}

// retention removes attachments past the organisation's retention period,
// at start and then every hour.
func retention(ctx context.Context, st *store.Store, log *slog.Logger) {
	for {
		if p, err := st.Policy(ctx); err == nil && p.AttachmentRetentionMonths > 0 {
			if n, err := st.PurgeAttachments(ctx, p.AttachmentRetentionMonths); err != nil {
				log.Error("retention", "err", err)
			} else if n > 0 {
				log.Info("retention: attachments removed", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}
