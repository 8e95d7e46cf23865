package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestDashboard opens the management dashboard and follows a figure to the
// list of requests behind it.
func TestDashboard(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	anna, fleur := actorOf(t, s, "anna"), actorOf(t, s, "fleur")
	for i := range 6 {
		r, err := s.st.CreateRequest(context.Background(), anna, beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: fmt.Sprintf("Vraag over de loonstrook %d", i), AreaID: s.areas["hr"]})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := s.st.Transition(context.Background(), fleur, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.login(t, ctx, "dirk")
	open(t, ctx, s.url+"/dashboard")
	page := text(t, ctx, "main")
	if !strings.Contains(page, "HR") {
		t.Fatalf("dashboard:\n%s", page)
	}
	shot(t, ctx, "dashboard")
	checkA11y(t, ctx, "dashboard")
	// Follow the first figure that links to the queue.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(Array.from(document.querySelectorAll('main a[href^="/queue?"]')).find(a => /\d/.test(a.textContent)) || {}).getAttribute?.("href") || ""`))
	if err != nil || href == "" {
		t.Fatalf("no figure links to the queue: %v", err)
	}
	follow(t, ctx, `main a[href="`+href+`"]`)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/queue?") {
		t.Fatalf("followed to %s", loc)
	}
	if list := text(t, ctx, "main"); !strings.Contains(list, "Vraag over de loonstrook") {
		t.Fatalf("the list behind the figure is empty:\n%s", list)
	}
	shot(t, ctx, "dashboard-followed")
}
