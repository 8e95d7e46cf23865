package server

import (
	"net/http"

	"beheer"
)

// adminLink is one part of the settings hub.
type adminLink struct {
	Href, Key string
}

// adminLinks are the settings pages the actor may open, in the order
// the hub lists them: what the organisation sets up (the checklist and its
// pages), then its connections, webhooks and audit log.
func adminLinks(a *beheer.Actor) []adminLink {
	var out []adminLink
	add := func(ok bool, href, key string) {
		if ok {
			out = append(out, adminLink{href, key})
		}
	}
	add(beheer.CanManageSettings(a), "/setup", "setup")
	add(a.CanAnywhere(beheer.PermAreaManage), "/areas", "areas")
	add(a.CanAnywhere(beheer.PermProfileKeep), "/channels", "channels")
	add(beheer.CanManageSettings(a), "/request-types", "types")
	add(beheer.CanManageSettings(a), "/forms", "forms")
	add(beheer.CanManageConnections(a), "/settings/signon", "admin.signon")
	add(beheer.CanManageConnections(a), "/settings/mailserver", "admin.mail")
	add(beheer.CanManageIntegrations(a), "/settings/mail", "admin.mailin")
	add(beheer.CanManageWebhooks(a), "/settings/webhooks", "admin.webhooks")
	add(beheer.CanManageAllTokens(a), "/settings/tokens/all", "tokens.all")
	add(beheer.CanReadOrgAudit(a), "/audit", "admin.audit")
	add(beheer.CanManageClosure(a), "/settings/closure", "admin.closure")
	return out
}

// Administers reports whether the viewer may open any settings page: the
// navigation shows the hub only to them.
func (p *page) Administers() bool { return len(adminLinks(p.Actor)) > 0 }

// adminPage is the hub of the organisation's settings.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, p *page) error {
	links := adminLinks(p.Actor)
	if len(links) == 0 {
		return beheer.Refusal(beheer.PermIntegrationManage)
	}
	p.Title, p.Data = p.T("admin.title"), links
	s.render(w, http.StatusOK, "admin", "", p)
	return nil
}
