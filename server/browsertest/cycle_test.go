package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// shots saves a screenshot of the page at 1366 and at 390 pixels wide,
// as name-1366 and name-390, fails when the page scrolls sideways, and
// goes back to 1366 pixels.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{1366, 390} {
		viewport(t, ctx, w)
		shot(t, ctx, fmt.Sprintf("%s-%d", name, w))
		noOverflow(t, ctx, name)
	}
	viewport(t, ctx, 1366) // as the browser starts: the menu open in the bar
}

// TestReleaseGateBrowser: the functional admin's sign-off of a release
// with a failed check is refused with the reason; an exception without a
// motivation is refused beside the field; with a motivation the side is
// signed off and the exception shows on the release.
func TestReleaseGateBrowser(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	fleur := actorOf(t, s, "fleur")
	bg := context.Background()
	rel, err := s.st.CreateRelease(bg, fleur, beheer.ReleaseInput{Name: "Profit-update najaar"}, true)
	if err != nil {
		t.Fatal(err)
	}
	functional := rel.ChecksOf(beheer.CheckFunctional)
	if len(functional) != 5 {
		t.Fatalf("the default checklist has %d functional items", len(functional))
	}
	for i, c := range functional {
		res, note := beheer.CheckPassed, ""
		if i == 3 {
			res, note = beheer.CheckFailed, "Vacature verschijnt niet in OutSite"
		}
		if _, err := s.st.RecordCheck(bg, fleur, c.ID, res, note, nil); err != nil {
			t.Fatal(err)
		}
	}
	page := s.url + "/releases/" + strconv.FormatInt(rel.ID, 10)

	s.login(t, ctx, "fleur")
	open(t, ctx, page)
	if got := text(t, ctx, "#gate-functional"); !strings.Contains(got, "1 mislukt") {
		t.Fatalf("the gate does not say what is wrong: %q", got)
	}
	if status := submit(t, ctx, "#signoff-functional-form"); status != http.StatusConflict {
		t.Fatalf("sign-off with a failed check: %d", status)
	}
	if got := text(t, ctx, "main .flash"); !strings.Contains(got, "Aftekenen kan nog niet") {
		t.Fatalf("refusal: %q", got)
	}
	shots(t, ctx, "release-gate-refused")
	checkA11y(t, ctx, "release refused")

	do(t, ctx, chromedp.Click(chromedp.CSS("#signoff-functional-exception")))
	if status := submit(t, ctx, "#signoff-functional-form"); status != http.StatusUnprocessableEntity {
		t.Fatalf("an exception without motivation: %d", status)
	}
	if got := text(t, ctx, "#signoff-functional-motivation-error"); !strings.Contains(got, "Schrijf waarom u toch aftekent") {
		t.Fatalf("message beside the motivation: %q", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#signoff-functional-motivation"),
		"Alleen de vacaturelijst in OutSite; AFAS lost het op in de volgende update."))
	if status := submit(t, ctx, "#signoff-functional-form"); status != http.StatusOK {
		t.Fatalf("sign-off with an exception: %d", status)
	}
	if got := text(t, ctx, "#exception-functional"); !strings.Contains(got, "Afgetekend met een uitzondering") ||
		!strings.Contains(got, "volgende update") {
		t.Fatalf("the exception on the release: %q", got)
	}
	shots(t, ctx, "release-gate-exception")
	checkA11y(t, ctx, "release signed with an exception")
}

// TestOutageBannerBrowser: a technical admin posts an outage; a user sees
// the banner, files their report in one click from the new-request form,
// and the banner is gone once the outage is closed.
func TestOutageBannerBrowser(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)

	s.login(t, ctx, "tom")
	open(t, ctx, s.url+"/outages")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#outage-title"), "Inloggen via single sign-on lukt niet"),
		chromedp.Click(chromedp.CSS("#outage-severity-major")),
		chromedp.SendKeys(chromedp.CSS("#outage-description"), "Buiten kantoor krijgt u een foutmelding."))
	submit(t, ctx, "#outage-form")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	outage := loc[:strings.Index(loc, "?")]
	shots(t, ctx, "outage-page")
	checkA11y(t, ctx, "outage page")
	logout(t, ctx)

	s.login(t, ctx, "anna")
	if got := text(t, ctx, ".outage-banner"); !strings.Contains(got, "Inloggen via single sign-on lukt niet") {
		t.Fatalf("banner: %q", got)
	}
	shots(t, ctx, "outage-banner-home")
	checkA11y(t, ctx, "home with the outage banner")
	open(t, ctx, s.url+"/requests/new")
	shots(t, ctx, "outage-new-request")
	follow(t, ctx, "#outage-ask button")
	if got := text(t, ctx, "main"); !strings.Contains(got, "Deze aanvraag hoort bij de storing") {
		t.Fatalf("the report does not say it belongs to the outage:\n%s", got)
	}
	logout(t, ctx)

	s.login(t, ctx, "tom")
	open(t, ctx, outage)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#outage-summary-field"), "Het certificaat van de identity provider is vernieuwd."))
	submit(t, ctx, "#outage-close-form")
	logout(t, ctx)

	s.login(t, ctx, "anna")
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if strings.Contains(html, "outage-banner") {
		t.Fatal("the banner stays after the outage was closed")
	}
	shots(t, ctx, "outage-closed-home")
}

// TestRequestCycleBrowser: the functional admin records the Accept test
// in the Uitvoering section — first without a result, which is refused
// beside the field — and moves the change on; HR's key user evaluates the
// outcome with the process owner's form.
func TestRequestCycleBrowser(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	anna, fleur, kees := actorOf(t, s, "anna"), actorOf(t, s, "fleur"), actorOf(t, s, "kees")
	r, err := s.st.CreateRequest(bg, anna, beheer.NewRequest{Type: beheer.TypeChange, Title: "Verlofaanvragen boven twee weken door de HR-adviseur laten goedkeuren",
		AreaID: s.areas["hr"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Transition(bg, fleur, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Decide(bg, kees, r.ID, beheer.DecisionApproved, "Akkoord, past in het verlofbeleid."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Transition(bg, fleur, r.ID, 0, beheer.Transition{To: beheer.PhaseExecution}); err != nil {
		t.Fatal(err)
	}
	page := s.url + "/requests/" + strconv.FormatInt(r.ID, 10)

	s.login(t, ctx, "fleur")
	open(t, ctx, page)
	openActions(t, ctx)
	if got := text(t, ctx, "#move-why-optimisation"); !strings.Contains(got, "AFAS Accept") {
		t.Fatalf("the blocked move does not name the test: %q", got)
	}
	if status := submit(t, ctx, `form[action$="/change-tests"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("a test without result: %d", status)
	}
	if got := text(t, ctx, "#changetest-result-error"); !strings.Contains(got, "geslaagd of mislukt") {
		t.Fatalf("message beside the result: %q", got)
	}
	shots(t, ctx, "request-accept-test-refused")
	do(t, ctx, chromedp.Click(chromedp.CSS("#changetest-passed")),
		chromedp.SendKeys(chromedp.CSS("#changetest-notes"), "Getest met drie verlofaanvragen op AFAS Accept."))
	submit(t, ctx, `form[action$="/change-tests"]`)
	openActions(t, ctx)
	do(t, ctx, chromedp.Click(chromedp.CSS("#move-to-optimisation")))
	submit(t, ctx, `form[action$="/transition"]`)
	logout(t, ctx)

	s.login(t, ctx, "kees")
	open(t, ctx, page)
	do(t, ctx, chromedp.Click(chromedp.CSS("#review-goal-partly")))
	if status := submit(t, ctx, `form[action$="/owner-evaluation"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("partly without notes: %d", status)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#review-notes"), "Werkt; het overzicht per afdeling ontbreekt nog."))
	submit(t, ctx, `form[action$="/owner-evaluation"]`)
	if got := text(t, ctx, "#review-result"); !strings.Contains(got, "Deels") {
		t.Fatalf("the evaluation: %q", got)
	}
	shots(t, ctx, "request-cycle-evaluated")
	checkA11y(t, ctx, "request page with the cycle")
}
