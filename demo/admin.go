package demo

import (
	"context"
	"time"

	"beheer"
	"beheer/store"
)

// loadAdmin gives the organisation's settings a history: two outside
// systems subscribed to events (one paused while its owner moves it) and
// a changed rule setting, so the webhooks page and the organisation's
// audit log show something real.
func loadAdmin(ctx context.Context, st *store.Store, o *org) error {
	admin := o.admins[0].Actor()
	if _, err := st.CreateWebhook(ctx, admin, beheer.NewWebhook{URL: "https://zaaksysteem.voorbeeld.nl/api/beheer",
		Events: []string{"request.filed", "request.phase_changed", "decision.taken"}, Description: "Zaaksysteem: zaken bij wijzigingsverzoeken"}); err != nil {
		return err
	}
	teams, err := st.CreateWebhook(ctx, admin, beheer.NewWebhook{URL: "https://hooks.voorbeeld.nl/teams/beheerkanaal",
		Events: []string{"escalation.opened", "escalation.closed"}, Description: "Teams-kanaal van functioneel beheer"})
	if err != nil {
		return err
	}
	if err := st.SetWebhookActive(ctx, admin, teams.ID, false); err != nil {
		return err
	}
	p, err := st.Policy(ctx)
	if err != nil {
		return err
	}
	p.ReopenWindow = 10 * 24 * time.Hour
	return st.SetPolicy(ctx, admin, p)
}
