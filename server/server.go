// Package server is Beheer's one HTTP package: the route table, the JSON API
// under /api/v1 and the portal. HTML and JSON handlers share authentication,
// authorisation (which lives in package store) and error mapping.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	// HTTPS says browsers reach Beheer over https only: Beheer serves TLS
	// itself, or a proxy does in front of it. New sets it too when BaseURL
	// starts with https://. It sends Strict-Transport-Security and implies
	// SecureCookies, so neither depends on a separate switch.
	HTTPS bool
	// SecureCookies marks cookies Secure with the __Host- prefix. HTTPS
	// implies it; on its own it is the explicit override.
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
	// MailIntake is the address at which incoming mail becomes a new
	// request (see package mailin); empty means none does.
	MailIntake string
	// Connections are the sign-on and mail settings: the environment's
	// and the pages'. nil means only what the pages save.
	Connections *Connections
	// WebhookAllow lists the networks webhooks may reach although the
	// address policy blocks them (BEHEER_WEBHOOK_ALLOW).
	WebhookAllow []netip.Prefix
	// LookupIP resolves a webhook's host when it is registered; nil
	// means the system's resolver.
	LookupIP func(ctx context.Context, host string) ([]netip.Addr, error)
	// TrustedProxies are the reverse proxies whose forwarded headers name
	// the client's address; nobody else's are believed.
	TrustedProxies TrustedProxies
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
	mail      AccountMail
	forgets   chan struct{} // bounds the password requests handled at once
	decodes   chan struct{} // bounds the thumbnails made at once
	bg        sync.WaitGroup
	sso       atomic.Pointer[SSO] // single sign-on in force; nil: none
	conns     *Connections
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
	cfg.HTTPS = cfg.HTTPS || strings.HasPrefix(cfg.BaseURL, "https://")
	cfg.SecureCookies = cfg.SecureCookies || cfg.HTTPS
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
	s.conns = cfg.Connections
	if s.conns == nil {
		s.conns = &Connections{Store: st}
	}
	s.mail = mailOrNot{mail: OutboxMail(st, catalog), none: noMail{log: log, st: st}, conns: s.conns}
	s.forgets = make(chan struct{}, maxForgets)
	s.decodes = make(chan struct{}, maxDecodes)
	if cfg.WriteRate == 0 {
		cfg.WriteRate = 100
	}
	s.limiter = newWriteLimiter(cfg.WriteRate, int(2*max(cfg.WriteRate, 1)))
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	s.handler = s.middleware(cop.Handler(mux))
	return s
}

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
