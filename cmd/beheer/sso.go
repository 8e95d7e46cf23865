package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"beheer"
	"beheer/i18n"
	"beheer/metrics"
	"beheer/notify"
	"beheer/server"
	"beheer/store"
)

// newServer builds the HTTP server from cfg: local login, single sign-on
// from the environment or the sign-on page, the public address for links
// in e-mails. Sign-on fixed by the environment must work at start; one
// saved on the page that no longer does is logged and left off, so the
// page can still be reached to mend it.
func newServer(ctx context.Context, cfg *Config, st *store.Store, conns *server.Connections, cat *i18n.Catalog,
	log *slog.Logger, m *metrics.Metrics) (*server.Server, error) {
	sc, err := cfg.serverConfig(m, conns)
	if err != nil {
		return nil, err
	}
	srv := server.New(st, cat, log, sc)
	if err := srv.ReloadSignOn(ctx); err != nil {
		if cfg.FixedBy[beheer.ConnOIDCIssuer] != "" {
			return nil, fmt.Errorf("single sign-on (BEHEER_OIDC_*): %w", message(cat, err))
		}
		log.Error("single sign-on from the sign-on page does not work; it stays off until it is saved again",
			"err", message(cat, err))
	}
	return srv, nil
}

// serverConfig is the HTTP server's part of cfg.
func (c *Config) serverConfig(m *metrics.Metrics, conns *server.Connections) (server.Config, error) {
	rate := c.APIWriteRate
	if rate == 0 {
		rate = -1 // no limit; the server reads 0 as its default
	}
	allow, err := notify.ParseAllow(c.WebhookAllow)
	if err != nil {
		return server.Config{}, fmt.Errorf("BEHEER_WEBHOOK_ALLOW: %w", err)
	}
	return server.Config{Version: version, LocalLogin: c.LocalLogin, WriteRate: rate, Metrics: m,
		BaseURL: c.BaseURL, HTTPS: c.servesTLS(), SecureCookies: c.SecureCookies, MailIntake: c.MailIntake,
		TrustedProxies: c.TrustedProxies, Connections: conns, WebhookAllow: allow}, nil
}

// connections are the sign-on and mail settings for the parts: the
// environment's over what the pages saved in st.
func (c *Config) connections(st *store.Store) *server.Connections {
	return &server.Connections{Store: st, Fixed: c.Fixed, FixedBy: c.FixedBy}
}

// secretBox is the key that seals the pages' secrets: from
// BEHEER_SECRET_KEY or the file BEHEER_SECRET_KEY_FILE names; nil when
// neither is given.
func (c *Config) secretBox() (*beheer.SecretBox, error) {
	text := c.SecretKey
	if c.SecretKeyFile != "" {
		raw, err := os.ReadFile(c.SecretKeyFile)
		if err != nil {
			return nil, fmt.Errorf("BEHEER_SECRET_KEY_FILE: %w", err)
		}
		text = string(raw)
	}
	if text == "" {
		return nil, nil
	}
	box, err := beheer.ParseSecretKey(text)
	if err != nil {
		return nil, fmt.Errorf("BEHEER_SECRET_KEY_FILE %s: %w", c.SecretKeyFile, err)
	}
	return box, nil
}
