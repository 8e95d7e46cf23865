// Package server is Beheer's one HTTP package: the route table, the JSON API
// under /api/v1 and the portal. HTML and JSON handlers share authentication,
// authorisation (which lives in package store) and error mapping.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/markdown"
	"beheer/metrics"
	"beheer/store"
)

// Config holds what the server needs beyond its parts.
type Config struct {
	// MaxJSONBody bounds a JSON request body; 0 means 1 MiB.
	MaxJSONBody int64
	// Version is shown in the footer.
	Version string
	// SecureCookies marks cookies Secure with the __Host- prefix; set it
	// when Beheer is served over TLS.
	SecureCookies bool
	// LocalLogin allows e-mail and password login; false leaves only single
	// sign-on.
	LocalLogin bool
	// BaseURL is the public address, for links in e-mails.
	BaseURL string
	// WriteRate bounds API writes per token per second (burst: twice as
	// many); 0 means the default of 100, a negative rate switches it off.
	WriteRate float64
	// Metrics receives request latencies; nil records nothing.
	Metrics *metrics.Metrics
	// MailOut says outgoing mail is configured: the setup checklist ticks
	// its mail step by it.
	MailOut bool
	// MailIntake is the address at which incoming mail becomes a new
	// request (see package mailin); empty means none does.
	MailIntake string
}

// Server serves the API and the portal.
type Server struct {
	store     *store.Store
	catalog   *i18n.Catalog
	log       *slog.Logger
	cfg       Config
	now       func() time.Time
	handler   http.Handler
	templates templates
	assets    *assets
	md        *markdown.Renderer
	zone      *time.Location
	resets    ResetSender
	sso       *SSO
	limiter   *writeLimiter
}

// New builds a server around a store. It parses the templates and hashes
// the static files once; an error there is a programming error.
func New(st *store.Store, catalog *i18n.Catalog, log *slog.Logger, cfg Config) *Server {
	if cfg.MaxJSONBody <= 0 {
		cfg.MaxJSONBody = 1 << 20
	}
	if log == nil {
		log = slog.Default()
	}
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	s := &Server{store: st, catalog: catalog, log: log, cfg: cfg, now: time.Now, md: markdown.New(), zone: zone}
	if s.templates, err = parseTemplates(); err != nil {
		panic(err)
	}
	if s.assets, err = loadAssets(); err != nil {
		panic(err)
	}
	s.resets = logResetSender{log: log}
	if cfg.WriteRate == 0 {
		cfg.WriteRate = 100
	}
	s.limiter = newWriteLimiter(cfg.WriteRate, int(2*max(cfg.WriteRate, 1)))
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.middleware(http.NewCrossOriginProtection().Handler(mux))
	return s
}

// ResetSender delivers a password-reset link to a person.
type ResetSender interface {
	SendReset(ctx context.Context, u *beheer.User, link string) error
}

// logResetSender writes reset links to the log until mail is configured.
type logResetSender struct{ log *slog.Logger }

func (l logResetSender) SendReset(ctx context.Context, u *beheer.User, link string) error {
	l.log.Info("password reset link", "email", u.Email, "link", link)
	return nil
}

// SetResetSender replaces how reset links are delivered.
func (s *Server) SetResetSender(r ResetSender) { s.resets = r }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// HTTPServer returns an http.Server with timeouts that keep slow clients
// from holding connections.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
