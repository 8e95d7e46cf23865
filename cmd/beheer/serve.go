package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"beheer"
	"beheer/demo"
	"beheer/i18n"
	"beheer/metrics"
	"beheer/notify"
	"beheer/server"
	"beheer/store"
)

func cmdServe(ctx context.Context, e env, args []string) (err error) {
	// Stopped while still starting (ctx ended, as by SIGTERM): the step
	// that gave up on that is no error. The deferred stops undo the steps
	// already taken, and what the step reported goes to stderr.
	serving := false
	defer func() {
		if err != nil && !serving && ctx.Err() != nil {
			fmt.Fprintf(e.stderr, "beheer serve: stopped while starting: %v\n", err)
			err = nil
		}
	}()
	cfg, err := loadConfig(e, newFlags("serve"), args)
	if err != nil {
		return err
	}
	log := newLogger(e, cfg)
	tlsCfg, err := cfg.tlsConfig(log, e.acmeHTTP)
	if err != nil {
		return err
	}
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	m := metrics.New()
	st, err := cfg.openObserved(ctx, log, m)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		ms := &http.Server{Handler: operatorMux(m.Handler()), ReadHeaderTimeout: 10 * time.Second}
		go ms.Serve(mln)
		defer ms.Close()
		log.Info("metrics listening", "addr", mln.Addr().String())
	}
	if cfg.Demo {
		logins, err := demo.LoadIfEmpty(ctx, st, demo.Options{})
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		printLogins(e, logins)
	}
	conns := cfg.connections(st)
	srv, err := newServer(ctx, cfg, st, conns, cat, log, m)
	if err != nil {
		return err
	}
	stopNotify, err := notify.Start(ctx, st, cfg.notifyConfig(cat, conns), log)
	if err != nil {
		return err
	}
	defer stopNotify()
	stopMail := startMailPoller(ctx, cfg, st, conns, log)
	defer stopMail()
	// People from AFAS Profit on a schedule (BEHEER_AFAS_SYNC_INTERVAL).
	stopPeople, err := startPeopleSync(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	defer stopPeople()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close() // a step after this one that fails leaves it unserved
	hs := srv.HTTPServer(cfg.Addr)
	hs.TLSConfig = tlsCfg
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	log.Info("beheer listening", "addr", scheme+"://"+ln.Addr().String(), "engine", st.Engine(), "version", version)
	fmt.Fprintf(e.stdout, "Beheer draait op %s://%s\n", scheme, ln.Addr())
	if err := printSetupLink(ctx, e, cfg, st, scheme+"://"+ln.Addr().String()); err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			errc <- hs.ServeTLS(ln, "", "") // the certificate comes from TLSConfig
			return
		}
		errc <- hs.Serve(ln)
	}()
	go retention(ctx, st, log)
	if err := startBackups(ctx, cfg, st, log, m); err != nil {
		return err
	}
	// The service-level sweep (warnings, breaches, outcomes), and the
	// technical register's review sweep (a request with a task for the
	// owner of every entry whose review is due); 0 switches either off.
	if cfg.SLASweep > 0 {
		go st.SLASweepLoop(ctx, cfg.SLASweep)
	}
	if cfg.ReviewSweep > 0 {
		go st.RegisterSweepLoop(ctx, cfg.ReviewSweep, server.ReviewText(cat, cfg.BaseURL))
	}
	serving = true
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

// newLogger logs as text or JSON at cfg's level (debug adds a line per
// request).
func newLogger(e env, cfg *Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
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

// notifyConfig is the notification and webhook workers' part of cfg:
// the mail settings are read from conns before each batch.
func (c *Config) notifyConfig(cat *i18n.Catalog, conns *server.Connections) notify.Config {
	return notify.Config{Mail: conns.Mail, BaseURL: c.BaseURL, WebhookAllow: c.WebhookAllow, Catalog: cat}
}

// retention removes attachments past the organisation's retention period,
// and security events older than beheer.SecurityEventRetention, at start
// and then every hour.
func retention(ctx context.Context, st *store.Store, log *slog.Logger) {
	for {
		if n, err := st.PurgeSecurityEvents(ctx, time.Now().Add(-beheer.SecurityEventRetention)); err != nil {
			log.Error("retention: security events", "err", err)
		} else if n > 0 {
			log.Info("retention: security events removed", "count", n)
		}
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

// printSetupLink prints, on a database without an organisation, the
// one-time link that sets it up: valid once, for beheer.SetupLinkLifetime,
// its random token the key. Each start prints a new link; the older one
// stops working.
func printSetupLink(ctx context.Context, e env, cfg *Config, st *store.Store, local string) error {
	open, err := st.SetupOpen(ctx)
	if err != nil || !open {
		return err
	}
	token, expires, err := st.CreateSetupLink(ctx)
	if beheer.ErrorCode(err) == beheer.CodeConflict {
		return nil // set up meanwhile (the demo, the command line)
	}
	if err != nil {
		return err
	}
	base := cfg.BaseURL
	if base == "" {
		base = local
	}
	fmt.Fprintf(e.stdout, "Nog geen organisatie. Richt haar in via deze eenmalige link (geldig tot %s):\n  %s/welcome?token=%s\n",
		expires.Local().Format("02-01-2006 15:04"), strings.TrimRight(base, "/"), token)
	return nil
}
