package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestQueue fills the queue with work, filters it, pages through it,
// assigns in bulk and saves a view, as the functional admin would.
func TestQueue(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	anna := actorOf(t, s, "anna")
	for i := range 30 {
		area := s.areas["hr"]
		if i%3 == 0 {
			area = s.areas["financieel"]
		}
		if _, err := s.st.CreateRequest(context.Background(), anna, beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: fmt.Sprintf("Vraag over declaratie %02d", i), AreaID: area}); err != nil {
			t.Fatal(err)
		}
	}
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/queue?sort=oldest")
	page := text(t, ctx, "main")
	if !strings.Contains(page, "Vraag over declaratie 00") || strings.Contains(page, "Vraag over declaratie 29") {
		t.Fatalf("first page:\n%s", page)
	}
	shot(t, ctx, "queue")
	checkA11y(t, ctx, "queue")
	follow(t, ctx, `a[rel="next"]`)
	if page := text(t, ctx, "main"); !strings.Contains(page, "Vraag over declaratie 29") {
		t.Fatalf("second page:\n%s", page)
	}
	// Filter on Financieel: 10 requests.
	open(t, ctx, s.url+"/queue?area=financieel")
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#queue-results tbody tr").length`))
	if rows != 10 {
		t.Fatalf("%d rows for Financieel, want 10", rows)
	}
	// Select two and assign them to Tom.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#queue-results input[name="id"]').forEach((c, i) => { if (i < 2) c.checked = true })`),
		chromedp.SetValue(chromedp.CSS("#bulk-assignee"), fmt.Sprint(s.ids["tom"])))
	submit(t, ctx, "#bulk")
	if page := text(t, ctx, "main"); !strings.Contains(page, "2 aanvragen toegewezen") {
		t.Fatalf("after bulk assign:\n%s", page)
	}
	// Save the view and find it again.
	open(t, ctx, s.url+"/queue?area=financieel&sort=priority")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#view-name"), "Financieel op prioriteit"))
	submit(t, ctx, `form[action="/queue/views"]`)
	if page := text(t, ctx, "main"); !strings.Contains(page, "Financieel op prioriteit") {
		t.Fatalf("saved view missing:\n%s", page)
	}
	logout(t, ctx)
	// A plain user has no queue.
	s.login(t, ctx, "anna")
	if status := open(t, ctx, s.url+"/queue"); status != 403 {
		t.Fatalf("queue for a plain user: %d", status)
	}
}
