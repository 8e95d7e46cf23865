package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPeople adds a person with a scoped role, changes roles and switches
// an account off, which ends that person's session at once.
func TestPeople(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)

	// Bram is signed in elsewhere.
	bram := browser(t)
	s.login(t, bram, "bram")

	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/people")
	checkA11y(t, ctx, "people")
	follow(t, ctx, `a[href="/people/new"]`)
	checkA11y(t, ctx, "person-new")
	// A form error keeps what was typed.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#p-name"), "Nina Hendriks"),
		chromedp.SetValue(chromedp.CSS("#p-email"), "geen-adres"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#role-key_user-%d", s.areas["hr"]))),
	)
	if status := submit(t, ctx, "#add-person"); status != 422 {
		t.Fatalf("invalid e-mail answered %d", status)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#p-name"))); v != "Nina Hendriks" {
		t.Fatalf("name not kept: %q", v)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#p-email"), "nina@voorbeeld.nl"))
	submit(t, ctx, "#add-person")
	if page := text(t, ctx, "main"); !strings.Contains(page, "Nina Hendriks") || !strings.Contains(page, "toegevoegd") {
		t.Fatalf("after adding:\n%s", page)
	}
	u, _, err := s.st.UserByEmail(context.Background(), "nina@voorbeeld.nl")
	if err != nil || len(u.Roles) != 1 || u.Roles[0].AreaID != s.areas["hr"] {
		t.Fatalf("stored: %+v %v", u, err)
	}
	shot(t, ctx, "people")

	// Nina's page: the grid of roles × areas. Make her key user of
	// Financieel as well.
	follow(t, ctx, fmt.Sprintf(`a[href="/people/%d"]`, u.ID))
	checkA11y(t, ctx, "person")
	do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#role-key_user-%d", s.areas["financieel"]))))
	shot(t, ctx, "person")
	submit(t, ctx, fmt.Sprintf(`form[action="/people/%d/roles"]`, u.ID))
	if u, _, _ = s.st.UserByEmail(context.Background(), "nina@voorbeeld.nl"); len(u.Roles) != 2 {
		t.Fatalf("roles after the grid: %+v", u.Roles)
	}

	// Switch Bram off: his open session ends at once.
	submit(t, ctx, fmt.Sprintf(`form[action="/people/%d/deactivate"] button`, s.ids["bram"]))
	if status := open(t, bram, s.url+"/"); status != 200 {
		t.Fatalf("bram: %d", status)
	}
	if loc, _ := chromedp.Run(bram, chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Fatalf("deactivated person still in: %s", loc)
	}
}
