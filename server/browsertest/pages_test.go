package browsertest

import (
	"context"
	"strings"
	"testing"

	"beheer"
)

// TestRoleHomePages signs in as each role, checks the home page shows what
// that role needs first, saves a screenshot and runs the accessibility check.
func TestRoleHomePages(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	// Some work so the pages have content.
	r, err := s.st.CreateRequest(context.Background(), actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeChange,
		Title: "Tweede akkoord op verlof", Description: "Graag een tweede akkoord.", AreaID: s.areas["hr"]})
	if err != nil {
		t.Fatal(err)
	}
	_ = r
	open(t, ctx, s.url+"/login")
	shot(t, ctx, "login")
	checkA11y(t, ctx, "login")
	if got := text(t, ctx, "h1"); got != "Inloggen" {
		t.Fatalf("login page in %q, want Dutch", got)
	}
	// Before login a person can choose English, and back.
	submit(t, ctx, `form[action="/settings/lang"] button`)
	if got := text(t, ctx, "h1"); got != "Log in" {
		t.Fatalf("after choosing English: %q", got)
	}
	submit(t, ctx, `form[action="/settings/lang"] button`)
	want := map[string]string{
		"anna":  "Mijn aanvragen",
		"kees":  "Besluiten die op u wachten",
		"fleur": "Openstaand werk per fase",
		"tom":   "Mijn technische taken",
		"dirk":  "Openstaand werk per fase",
	}
	for _, who := range []string{"anna", "kees", "fleur", "tom", "dirk"} {
		t.Run(who, func(t *testing.T) {
			s.login(t, ctx, who)
			if got := text(t, ctx, "main"); !strings.Contains(got, want[who]) {
				t.Errorf("home of %s lacks %q:\n%s", who, want[who], got)
			}
			shot(t, ctx, "home-"+who)
			checkA11y(t, ctx, "home of "+who)
			logout(t, ctx)
		})
	}
}

func actorOf(t *testing.T, s *site, who string) *beheer.Actor {
	t.Helper()
	u, err := s.st.User(context.Background(), s.ids[who])
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}
