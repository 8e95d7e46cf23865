package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

var requestURL = regexp.MustCompile(`/requests/(\d+)`)

// openActions unfolds every action form on a request page.
func openActions(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
}

// filedRequest is the path of the request page the browser is on after
// filing a request.
func filedRequest(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	m := requestURL.FindStringSubmatch(loc)
	if m == nil {
		fail(t, ctx, fmt.Errorf("not on a request page after filing: %s", loc))
	}
	return "/requests/" + m[1]
}

// TestRequestJourney walks a change request through the portal as the
// people who handle it: the user files it with an attachment, the
// functional admin triages it and moves it on with an internal note, the
// key user approves, and the requester sees the outcome but never the
// internal note. Another user cannot open it by URL.
func TestRequestJourney(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)

	// Anna files a change request with a screenshot of the problem.
	file := filepath.Join(t.TempDir(), "verlofoverzicht.txt")
	if err := os.WriteFile(file, []byte("Overzicht verlofaanvragen december\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.login(t, ctx, "anna")
	open(t, ctx, s.url+"/requests/new")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#type-change")),
		chromedp.SendKeys(chromedp.CSS("#title"), "Tweede akkoord bij verlof langer dan twee weken"),
		chromedp.SendKeys(chromedp.CSS("#description"), "Graag een **tweede** akkoord door HR bij lang verlof."),
		chromedp.SetValue(chromedp.CSS("#area"), "hr"),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{file}),
	)
	shot(t, ctx, "request-new")
	checkA11y(t, ctx, "new request form")
	submit(t, ctx, "#new-request")
	path := filedRequest(t, ctx)
	if page := text(t, ctx, "main"); !strings.Contains(page, "verlofoverzicht.txt") || !strings.Contains(page, "Aanvraag") {
		t.Fatalf("filed request page:\n%s", page)
	}
	shot(t, ctx, "request-filed")
	logout(t, ctx)

	// Fleur triages: high priority, herself as assignee; on to Onderzoek,
	// an internal note, and before the process owner.
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+path)
	openActions(t, ctx)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#edit-priority"), "high"))
	submit(t, ctx, `form[action$="/edit"]`)
	openActions(t, ctx)
	do(t, ctx, chromedp.Click(chromedp.CSS("#move-to-investigation")))
	submit(t, ctx, `form[action$="/transition"]`)
	openActions(t, ctx)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "Intern: eerst afstemmen met de salarisadministratie."),
		chromedp.Click(chromedp.CSS("#comment-internal")),
	)
	submit(t, ctx, `form[action$="/comments"]`)
	openActions(t, ctx)
	submit(t, ctx, `form[action$="/to-decision"]`)
	page := text(t, ctx, "main")
	if !strings.Contains(page, "Interne notitie") || !strings.Contains(page, "Wacht op besluit") {
		t.Fatalf("after triage:\n%s", page)
	}
	shot(t, ctx, "request-triaged")
	checkA11y(t, ctx, "request page (functional admin)")
	logout(t, ctx)

	// Kees, process owner of HR, approves.
	s.login(t, ctx, "kees")
	open(t, ctx, s.url+path)
	openActions(t, ctx)
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#decide-approved")),
		chromedp.SendKeys(chromedp.CSS("#decide-motivation"), "Akkoord: past bij het verlofbeleid."),
	)
	shot(t, ctx, "request-decide")
	submit(t, ctx, `form[action$="/decision"]`)
	logout(t, ctx)

	// Fleur carries it out, records its test on AFAS Accept and hands it
	// over for evaluation.
	s.login(t, ctx, "fleur")
	for _, to := range []string{"execution", "optimisation"} {
		open(t, ctx, s.url+path)
		openActions(t, ctx)
		if to == "optimisation" {
			do(t, ctx, chromedp.Click(chromedp.CSS("#changetest-passed")))
			submit(t, ctx, `form[action$="/change-tests"]`)
			openActions(t, ctx)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#move-to-"+to)))
		submit(t, ctx, `form[action$="/transition"]`)
	}
	logout(t, ctx)

	// Anna sees the outcome and the decision, never the internal note.
	s.login(t, ctx, "anna")
	open(t, ctx, s.url+path)
	page = text(t, ctx, "main")
	if !strings.Contains(page, "Optimalisatie") || !strings.Contains(page, "past bij het verlofbeleid") {
		t.Fatalf("requester's view:\n%s", page)
	}
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if strings.Contains(html, "salarisadministratie") || strings.Contains(page, "Interne notitie") {
		t.Fatal("the requester sees the internal note")
	}
	shot(t, ctx, "request-requester")
	checkA11y(t, ctx, "request page (requester)")
	logout(t, ctx)

	// Bram may not open Anna's request by URL.
	s.login(t, ctx, "bram")
	if status := open(t, ctx, s.url+path); status != http.StatusNotFound {
		t.Fatalf("another user opened the request: %d", status)
	}
	if page := text(t, ctx, "main"); strings.Contains(page, "verlof langer dan twee weken") {
		t.Fatal("the 404 page shows the title")
	}
	shot(t, ctx, "request-forbidden")
}
