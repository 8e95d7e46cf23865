package demo_test

import (
	"context"
	"testing"

	"beheer"
	"beheer/demo"
	"beheer/store/storetest"
)

// TestDemoSettings: the demo has webhooks, one of them paused, and its
// organisation's audit log shows them and a changed rule setting.
func TestDemoSettings(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	logins, err := demo.Load(context.Background(), st, demo.Options{Requests: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	admin := adminOf(t, st, logins)
	hooks, err := st.Webhooks(context.Background(), admin)
	if err != nil || len(hooks) != 2 || hooks[0].Active() == hooks[1].Active() {
		t.Fatalf("webhooks %+v, %v", hooks, err)
	}
	for _, kind := range []beheer.AuditKind{beheer.AuditWebhooks, beheer.AuditSettings, beheer.AuditPeople, beheer.AuditAreas} {
		page, err := st.OrgAudit(context.Background(), admin, beheer.OrgAuditFilter{Kind: kind})
		if err != nil || len(page.Items) == 0 {
			t.Errorf("no %s in the audit log (%v)", kind, err)
		}
	}
}
