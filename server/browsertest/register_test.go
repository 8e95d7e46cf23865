package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
	"beheer/store"
)

// TestTechnicalRegister: a technical admin finds an overdue review in the
// register, adds an integration through the form (a mistake first, which
// keeps what was typed) and records a review; a user is refused.
func TestTechnicalRegister(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	today := s.st.Today()
	if _, err := s.st.CreateRegisterEntry(bg, store.System, beheer.RegisterInput{Kind: beheer.RegisterKindMailServer,
		Name: "SMTP-relay mail.voorbeeld.nl", Status: beheer.RegisterActive, OwnerID: s.ids["tom"], Host: "mail.voorbeeld.nl",
		Port: 587, TLSMode: beheer.TLSStartTLS, ReviewMonths: 12, LastReviewedOn: today.AddDate(-1, -2, 0),
		DNSNotes: "- SPF: `include:afas.online`"}); err != nil {
		t.Fatal(err)
	}

	s.login(t, ctx, "tom")
	follow(t, ctx, `nav a[href="/register"]`)
	if page := text(t, ctx, "main"); !strings.Contains(page, "Technisch register") || !strings.Contains(page, "dagen te laat") {
		t.Fatalf("register:\n%s", page)
	}
	checkA11y(t, ctx, "register")
	shot(t, ctx, "register")

	follow(t, ctx, "#new-integration")
	checkA11y(t, ctx, "register-new")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#reg-name"), "AFAS → Topdesk"))
	// Without direction and other system: messages beside the fields. The
	// browser's own checks are switched off to reach the server's.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("register-form").noValidate = true`))
	if status := submit(t, ctx, "#register-form"); status != 422 {
		t.Fatalf("incomplete form answered %d", status)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#reg-name"))); v != "AFAS → Topdesk" {
		t.Fatalf("name not kept: %q", v)
	}
	if page := text(t, ctx, "main"); !strings.Contains(page, "Dit veld is verplicht") {
		t.Fatalf("no field messages:\n%s", page)
	}
	checkA11y(t, ctx, "register-new-errors")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#reg-direction"), "outbound"),
		chromedp.SendKeys(chromedp.CSS("#reg-other_system"), "Topdesk"),
		chromedp.SendKeys(chromedp.CSS("#reg-technique"), "Topdesk-API"),
	)
	submit(t, ctx, "#register-form")
	if page := text(t, ctx, "main"); !strings.Contains(page, "toegevoegd") || !strings.Contains(page, "Review over 36") {
		t.Fatalf("new entry:\n%s", page)
	}
	checkA11y(t, ctx, "register-entry")
	shot(t, ctx, "register-entry")

	// The overdue mail server: record its review.
	open(t, ctx, s.url+"/register")
	follow(t, ctx, `a[href="/register/1"]`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#review-note"), "SPF en DKIM gecontroleerd, certificaat geldig"))
	submit(t, ctx, "#review-form")
	if page := text(t, ctx, "main"); !strings.Contains(page, "De review is vastgelegd") || !strings.Contains(page, "certificaat geldig") ||
		strings.Contains(page, "te laat") {
		t.Fatalf("after the review:\n%s", page)
	}
	logout(t, ctx)

	s.login(t, ctx, "anna")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('nav a[href="/register"]').length`)); n != 0 {
		t.Errorf("a user sees the register in the menu")
	}
	if status := open(t, ctx, s.url+"/register"); status != 403 {
		t.Errorf("a user opens the register: %d", status)
	}
}
