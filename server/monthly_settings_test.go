package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestMonthlyReportSetting: a director switches the monthly report off and
// on, in the portal and through the API; it has no digest; nobody else is
// offered it.
func TestMonthlyReportSetting(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	f := newFixture(t, st)
	prefs := func(who string) map[string]string {
		t.Helper()
		p, err := st.NotifyPrefs(context.Background(), &beheer.Actor{UserID: f.ids[who]})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	b := notifyLogin(t, f, management)
	status, body, _ := b.do(t, "GET", "/settings/notifications", nil)
	if status != http.StatusOK || !strings.Contains(body, "Maandrapport voor de directie") ||
		!strings.Contains(body, `name="monthly_report" value="immediate" checked`) || !strings.Contains(body, "Niet ontvangen") ||
		strings.Contains(body, `name="monthly_report" value="digest"`) {
		t.Fatalf("settings page of management = %d:\n%s", status, body)
	}
	if status, _, _ := b.do(t, "POST", "/settings/notifications", url.Values{store.NotifyMonthly: {store.ModeOff}}); status != http.StatusSeeOther {
		t.Fatalf("switching it off = %d", status)
	}
	if p := prefs(management); p[store.NotifyMonthly] != store.ModeOff {
		t.Errorf("prefs after switching off: %v", p)
	}
	status, body, _ = b.do(t, "POST", "/settings/notifications", url.Values{store.NotifyMonthly: {store.ModeDigest}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="monthly_report-error"`) || prefs(management)[store.NotifyMonthly] != store.ModeOff {
		t.Errorf("a digest of the monthly report = %d, prefs %v", status, prefs(management))
	}

	// The API says and changes the same.
	got := f.want(f.call(management, "GET", "/api/v1/me/notification-settings", nil), http.StatusOK)
	if got.str(store.NotifyMonthly) != store.ModeOff || got.str(store.NotifyPhase) != store.ModeImmediate {
		t.Errorf("API settings %v", got.body)
	}
	got = f.want(f.call(management, "PUT", "/api/v1/me/notification-settings", map[string]any{store.NotifyMonthly: store.ModeImmediate}), http.StatusOK)
	if got.str(store.NotifyMonthly) != store.ModeImmediate || prefs(management)[store.NotifyMonthly] != store.ModeImmediate {
		t.Errorf("API switched it on: %v, prefs %v", got.body, prefs(management))
	}
	bad := f.want(f.call(management, "PUT", "/api/v1/me/notification-settings", map[string]any{store.NotifyMonthly: store.ModeDigest}), http.StatusUnprocessableEntity)
	if fe := bad.fieldErrors(); len(fe) != 1 || fe[0] != store.NotifyMonthly {
		t.Errorf("a digest through the API: %v", bad.raw)
	}

	// Nobody else is offered it.
	status, body, _ = notifyLogin(t, f, requester).do(t, "GET", "/settings/notifications", nil)
	if status != http.StatusOK || strings.Contains(body, "monthly_report") {
		t.Errorf("the requester is offered the monthly report")
	}
	if got := f.want(f.call(requester, "GET", "/api/v1/me/notification-settings", nil), http.StatusOK); got.body[store.NotifyMonthly] != nil {
		t.Errorf("the requester's API settings name the monthly report: %v", got.body)
	}
	f.want(f.call(requester, "PUT", "/api/v1/me/notification-settings", map[string]any{store.NotifyMonthly: store.ModeOff}), http.StatusBadRequest)
}
