package main

import (
	"context"
	"fmt"
	"log/slog"

	"beheer/i18n"
	"beheer/metrics"
	"beheer/server"
	"beheer/store"
)

// newServer builds the HTTP server from cfg: local login, single sign-on
// when an issuer is set, the public address for links in e-mails.
func newServer(ctx context.Context, cfg *Config, st *store.Store, cat *i18n.Catalog, log *slog.Logger, m *metrics.Metrics) (*server.Server, error) {
	srv := server.New(st, cat, log, cfg.serverConfig(m))
	if cfg.OIDCIssuer == "" {
		return srv, nil
	}
	areas, err := st.Areas(ctx)
	if err != nil {
		return nil, err
	}
	byCode := func(code string) (int64, bool) {
		for _, a := range areas {
			if a.Code == code {
				return a.ID, true
			}
		}
		return 0, false
	}
	roleMap, err := server.ParseRoleMap(cfg.OIDCRoles, byCode)
	if err != nil {
		return nil, fmt.Errorf("BEHEER_OIDC_ROLES: %w", err)
	}
	sso, err := server.NewSSO(ctx, server.SSOConfig{
		Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
		RedirectURL: cfg.OIDCRedirectURL, DisplayName: cfg.OIDCName, Scopes: cfg.OIDCScopes,
		GroupsClaim: cfg.OIDCGroupsClaim, RoleMap: roleMap, CreateUsers: cfg.OIDCCreateUsers, SyncRoles: cfg.OIDCSyncRoles,
	}, st)
	if err != nil {
		return nil, err
	}
	srv.EnableSSO(sso)
	return srv, nil
}

// serverConfig is the HTTP server's part of cfg.
func (c *Config) serverConfig(m *metrics.Metrics) server.Config {
	rate := c.APIWriteRate
	if rate == 0 {
		rate = -1 // no limit; the server reads 0 as its default
	}
	return server.Config{Version: version, LocalLogin: c.LocalLogin, WriteRate: rate, Metrics: m,
		BaseURL: c.BaseURL, SecureCookies: c.SecureCookies, MailIntake: c.MailIntake, MailOut: c.SMTPHost != ""}
}
