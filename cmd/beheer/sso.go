package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"beheer/i18n"
	"beheer/metrics"
	"beheer/server"
	"beheer/store"
)

// newServer builds the HTTP server from the environment: local login (on
// unless BEHEER_LOCAL_LOGIN=false), single sign-on when BEHEER_OIDC_ISSUER
// is set, the public address for links in e-mails.
func newServer(ctx context.Context, e env, st *store.Store, cat *i18n.Catalog, log *slog.Logger, m *metrics.Metrics) (*server.Server, error) {
	localLogin := e.getenv("BEHEER_LOCAL_LOGIN") != "false"
	var writeRate float64
	if v := e.getenv("BEHEER_API_WRITE_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("BEHEER_API_WRITE_RATE: %w", err)
		}
		writeRate = r
		if r == 0 {
			writeRate = -1 // 0 in the environment means off
		}
	}
	srv := server.New(st, cat, log, server.Config{Version: version, LocalLogin: localLogin, WriteRate: writeRate, Metrics: m,
		BaseURL: strings.TrimSuffix(e.getenv("BEHEER_BASE_URL"), "/"), SecureCookies: e.getenv("BEHEER_SECURE_COOKIES") == "true",
		MailIntake: e.getenv("BEHEER_MAIL_INTAKE")})
	issuer := e.getenv("BEHEER_OIDC_ISSUER")
	if issuer == "" {
		if !localLogin {
			return nil, errors.New("BEHEER_LOCAL_LOGIN=false needs single sign-on (BEHEER_OIDC_ISSUER)")
		}
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
	roleMap, err := server.ParseRoleMap(e.getenv("BEHEER_OIDC_ROLES"), byCode)
	if err != nil {
		return nil, fmt.Errorf("BEHEER_OIDC_ROLES: %w", err)
	}
	sso, err := server.NewSSO(ctx, server.SSOConfig{
		Issuer: issuer, ClientID: e.getenv("BEHEER_OIDC_CLIENT_ID"), ClientSecret: e.getenv("BEHEER_OIDC_CLIENT_SECRET"),
		RedirectURL: e.getenv("BEHEER_OIDC_REDIRECT_URL"), DisplayName: e.getenv("BEHEER_OIDC_NAME"),
		Scopes: strings.Fields(e.getenv("BEHEER_OIDC_SCOPES")), GroupsClaim: e.getenv("BEHEER_OIDC_GROUPS_CLAIM"),
		RoleMap: roleMap, CreateUsers: e.getenv("BEHEER_OIDC_CREATE_USERS") == "true",
		SyncRoles: e.getenv("BEHEER_OIDC_SYNC_ROLES") == "true",
	}, st)
	if err != nil {
		return nil, err
	}
	srv.EnableSSO(sso)
	return srv, nil
}
