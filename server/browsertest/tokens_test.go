package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestTokensPage: a person finds the API tokens from their settings,
// makes one with a name and an expiry, sees it once with a copy button
// that works, is refused beside the field without a name, sees when an
// older token was last used and revokes it. A functional admin reaches
// everyone's tokens from the settings hub and revokes the new one; the
// person may not open that page. Every screen at 1366 and 390 pixels,
// without overflow and without serious axe violations.
func TestTokensPage(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	old, _, err := s.st.IssueToken(bg, actorOf(t, s, "anna"), s.ids["anna"], beheer.NewToken{Name: "Oude Excel-koppeling"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", s.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+old)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the old token: %v %v", res, err)
	}
	res.Body.Close()
	s.st.WaitTokenUses()

	check := func(t *testing.T, name string) {
		t.Helper()
		for _, width := range []int64{1366, 390} {
			viewport(t, ctx, width)
			shot(t, ctx, fmt.Sprintf("%s-%d", name, width))
			noOverflow(t, ctx, fmt.Sprintf("%s at %d", name, width))
			checkA11y(t, ctx, fmt.Sprintf("%s at %d", name, width))
		}
		viewport(t, ctx, 1366)
	}

	s.login(t, ctx, "anna")
	open(t, ctx, s.url+"/settings/notifications")
	if got := follow(t, ctx, `a[href="/settings/tokens"]`); got != http.StatusOK {
		t.Fatalf("the tokens page answered %d", got)
	}
	if row := text(t, ctx, "table.tokens tbody tr"); !strings.Contains(row, "Oude Excel-koppeling") || strings.Contains(row, "Nooit") {
		t.Fatalf("the old token's row, with its last use: %q", row)
	}
	check(t, "tokens")

	// Without a name: refused beside the field, nothing made.
	if got := submit(t, ctx, "#name"); got != http.StatusUnprocessableEntity {
		t.Fatalf("without a name: %d", got)
	}
	if msg := text(t, ctx, "#name-error"); msg == "" {
		t.Fatal("no message beside the name")
	}
	check(t, "tokens-refused")

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#name"), "Power Automate declaraties"),
		chromedp.SetValue(chromedp.CSS("#expires_in_days"), "30"))
	if got := submit(t, ctx, "#name"); got != http.StatusCreated {
		t.Fatalf("creating a token: %d", got)
	}
	secret := text(t, ctx, "#token-secret")
	if !strings.HasPrefix(secret, "bht_") && len(secret) < 30 {
		t.Fatalf("the secret shown: %q", secret)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("button[data-copy]")))
	waitFor(t, ctx, `document.querySelector("[data-copy-status]").textContent === "Gekopieerd."`)
	check(t, "tokens-created")

	// Revoke the old token; the new one keeps working.
	follow(t, ctx, `table.tokens tbody tr:last-child button.danger`)
	waitFor(t, ctx, `location.search === "?done=revoked"`)
	if row := text(t, ctx, "table.tokens tbody tr:last-child"); !strings.Contains(row, "Ingetrokken") {
		t.Fatalf("the revoked row: %q", row)
	}
	if got := open(t, ctx, s.url+"/settings/tokens/all"); got != http.StatusForbidden {
		t.Errorf("a requester opened everyone's tokens: %d", got)
	}
	logout(t, ctx)

	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/admin")
	if got := follow(t, ctx, `a[href="/settings/tokens/all"]`); got != http.StatusOK {
		t.Fatalf("everyone's tokens answered %d", got)
	}
	if row := text(t, ctx, "table.tokens tbody tr:first-child"); !strings.Contains(row, "Power Automate declaraties") || !strings.Contains(row, "Anna de Vries") {
		t.Fatalf("anna's new token for the admin: %q", row)
	}
	check(t, "tokens-all")
	follow(t, ctx, `table.tokens tbody tr:first-child button.danger`)
	waitFor(t, ctx, `location.pathname === "/settings/tokens/all" && location.search === "?done=revoked"`)
	if row := text(t, ctx, "table.tokens tbody tr:first-child"); !strings.Contains(row, "Ingetrokken") {
		t.Fatalf("the row after the admin revoked it: %q", row)
	}
	req, _ = http.NewRequest("GET", s.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the revoked token still opens the API: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}
