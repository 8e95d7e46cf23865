package browsertest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestAnnualPlan: management starts this year's plan from the template and
// sets an objective; the functional admin links a request to it, and the
// objective's progress changes when the request is closed.
func TestAnnualPlan(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	year := time.Now().In(mustAmsterdam()).Format("2006")

	s.login(t, ctx, "dirk")
	open(t, ctx, s.url+"/plan")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#plan-year"), year))
	submit(t, ctx, "#plan-new-form")
	page := text(t, ctx, "main")
	if !strings.Contains(page, "onsultancydag") {
		t.Fatalf("the template's activities are missing:\n%s", page)
	}
	checkA11y(t, ctx, "annual plan")
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`),
		chromedp.SendKeys(chromedp.CSS("#objective-title"), "Minder handwerk bij declaraties"),
		chromedp.SendKeys(chromedp.CSS("#objective-target"), "80% van de declaraties digitaal verwerkt"))
	submit(t, ctx, "#objective-form")
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("#objectives")))
	m := regexp.MustCompile(`id="objective-(\d+)"`).FindStringSubmatch(html)
	if m == nil {
		fail(t, ctx, errorf("no objective row"))
	}
	shot(t, ctx, "plan-year")
	logout(t, ctx)

	// A request to link: filed by Anna and carried out up to Optimalisatie.
	anna, fleur := actorOf(t, s, "anna"), actorOf(t, s, "fleur")
	r, err := s.st.CreateRequest(context.Background(), anna, beheer.NewRequest{Type: beheer.TypeWish,
		Title: "Declaraties digitaal laten goedkeuren", AreaID: s.areas["financieel"]})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation} {
		if _, err := s.st.Transition(context.Background(), fleur, r.ID, 0, beheer.Transition{To: to}); err != nil {
			t.Fatal(err)
		}
	}

	s.login(t, ctx, "fleur")
	objective := s.url + "/plan/" + year + "/objectives/" + m[1]
	open(t, ctx, objective)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#link-request"), r.Number))
	submit(t, ctx, "#link-form")
	before := text(t, ctx, "#progress-"+m[1])
	if _, err := s.st.Transition(context.Background(), fleur, r.ID, 0, beheer.Transition{To: beheer.PhaseClosed}); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, objective)
	after := text(t, ctx, "#progress-"+m[1])
	if before == after {
		t.Fatalf("progress did not change when the request closed: %q", after)
	}
	shot(t, ctx, "plan-objective")
	checkA11y(t, ctx, "objective")
	t.Logf("progress before %q, after %q", before, after)
}
