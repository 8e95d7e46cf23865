package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beheer"
	"beheer/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// bothWidths looks at the current page at 1366 and at 390 pixels wide: a
// screenshot of each, axe-core, and at 390 no sideways scrolling.
func bothWidths(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	do(t, ctx, chromedp.EmulateViewport(1366, 900))
	checkA11y(t, ctx, name)
	shot(t, ctx, name+"-1366")
	do(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Sleep(100*time.Millisecond))
	shot(t, ctx, name+"-390")
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide > 390 {
		t.Errorf("%s is %d pixels wide at 390", name, wide)
	}
	do(t, ctx, chromedp.EmulateViewport(1366, 900))
}

// TestStandardAnswerInTheCommentBox: a functional admin keeps standard
// answers (a typo in a placeholder is refused beside the field), replies
// with one filled in from the request, then with one that also moves the
// request to Optimalisatie; mentions a colleague from the list the "@"
// offers; and keeps the team alerts of the areas.
func TestStandardAnswerInTheCommentBox(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	fleur, err := s.st.User(bg, s.ids["fleur"])
	if err != nil {
		t.Fatal(err)
	}
	anna, err := s.st.User(bg, s.ids["anna"])
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.st.CreateRequest(bg, anna.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Loonstrook maart onleesbaar",
		Description: "De pdf opent niet.", AreaID: s.areas["hr"]})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution} {
		if r, err = s.st.Transition(bg, fleur.Actor(), r.ID, 0, beheer.Transition{To: to}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.st.Follow(bg, anna.Actor(), r.ID, s.ids["bram"]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateStandardAnswer(bg, fleur.Actor(), beheer.StandardAnswer{AreaID: s.areas["hr"], Title: "Ontvangen",
		Body: "Beste {aanvrager},\n\nWij hebben uw melding {nummer} ontvangen. {behandelaar} pakt haar op."}); err != nil {
		t.Fatal(err)
	}

	s.login(t, ctx, "fleur")
	follow(t, ctx, `nav a[href="/answers"]`)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#answer-title"), "Opgelost in update"),
		chromedp.SendKeys(chromedp.CSS("#answer-body"), "Beste {aanvrager}, {nummer} is opgelost door {behandlaar}."),
		chromedp.SetValue(chromedp.CSS("#answer-phase"), "optimisation"),
	)
	if status := submit(t, ctx, "#answer-body"); status != 422 {
		t.Fatalf("a typo in a placeholder answered %d", status)
	}
	if msg := text(t, ctx, "#answer-body-error"); !strings.Contains(msg, "Onbekende invulplek: {behandlaar}") {
		t.Fatalf("beside the text: %q", msg)
	}
	bothWidths(t, ctx, "answers-refused")
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-body").value =
		"Beste {aanvrager}, {nummer} is opgelost in de update van deze week. Wilt u het resultaat beoordelen?\n\nGroet, {behandelaar}"`))
	submit(t, ctx, "#answer-body")
	if page := text(t, ctx, "main"); !strings.Contains(page, "toegevoegd") || !strings.Contains(page, "verplaatst naar Optimalisatie") {
		t.Fatalf("answers:\n%s", page)
	}
	bothWidths(t, ctx, "answers")

	open(t, ctx, s.url+"/requests/"+itoa(r.ID))
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#answer-choice"), "1"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-choice").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitFor(t, ctx, `document.getElementById("comment-body").value.startsWith("Beste Anna de Vries")`)
	body := text(t, ctx, "#form-comment")
	if !strings.Contains(body, "Controleer de ingevulde tekst") {
		t.Fatalf("comment box:\n%s", body)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#comment-body"))); !strings.Contains(v, r.Number) || !strings.Contains(v, "Fleur Visser pakt") {
		t.Fatalf("filled in: %q", v)
	}
	submit(t, ctx, "#comment-body")
	if page := text(t, ctx, "main"); !strings.Contains(page, "Uw reactie is geplaatst") || !strings.Contains(page, "Wij hebben uw melding") {
		t.Fatalf("after the reply:\n%s", page)
	}

	// Typing "/" and part of a name offers the answers.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#comment-body"), "/opge"),
		chromedp.WaitVisible(chromedp.CSS(`#comment-body-mentions [data-answer]`)),
		chromedp.Click(chromedp.CSS(`#comment-body-mentions [data-answer]`)))
	waitFor(t, ctx, `document.getElementById("comment-body").value.includes("opgelost in de update")`)
	if does := text(t, ctx, ".answer-does"); !strings.Contains(does, "verplaatst de aanvraag ook naar de fase Optimalisatie") {
		t.Fatalf("the box does not say the answer moves the request: %q", does)
	}
	bothWidths(t, ctx, "request-answer")
	submit(t, ctx, "#comment-body")
	if status := text(t, ctx, ".req-status"); !strings.Contains(status, "Wacht op aanvrager") && !strings.Contains(text(t, ctx, ".stepper"), "Optimalisatie") {
		t.Fatalf("status after the answer: %q", status)
	}
	if got, _, _ := s.st.Request(bg, store.System, r.ID); got.Phase != beheer.PhaseOptimisation {
		t.Fatalf("phase %s, want optimisation", got.Phase)
	}

	// "@" offers the colleagues who may read the note.
	do(t, ctx, chromedp.Click(chromedp.CSS("#comment-internal")),
		chromedp.SendKeys(chromedp.CSS("#comment-body"), "Kun jij meekijken @ke"),
		chromedp.WaitVisible(chromedp.CSS(`#comment-body-mentions [data-handle="kees"]`)))
	bothWidths(t, ctx, "request-mention")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#comment-body-mentions [data-handle="kees"]`)))
	waitFor(t, ctx, `document.getElementById("comment-body").value === "Kun jij meekijken @kees "`)
	submit(t, ctx, "#comment-body")
	if page := text(t, ctx, "main"); !strings.Contains(page, "Uw reactie is geplaatst") {
		t.Fatalf("after the mention:\n%s", page)
	}

	open(t, ctx, s.url+"/settings/alerts")
	bothWidths(t, ctx, "team-alerts")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#alert-`+itoa(s.areas["hr"])+`-task_overdue`)))
	submit(t, ctx, `#area-`+itoa(s.areas["hr"]))
	if on, _ := s.st.AreaAlerts(bg, s.areas["hr"]); on.On(beheer.AlertTaskOverdue) {
		t.Error("switching off an alert was not saved")
	}
}

// TestFollowersAndParentIncident: the requester's colleague follows the
// request and reads its public side; another colleague joins an open
// parent incident from the new-request form instead of filing.
func TestFollowersAndParentIncident(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	fleur, _ := s.st.User(bg, s.ids["fleur"])
	anna, _ := s.st.User(bg, s.ids["anna"])
	kees, _ := s.st.User(bg, s.ids["kees"])
	parent, err := s.st.CreateRequest(bg, kees.Actor(), beheer.NewRequest{Type: beheer.TypeIncident,
		Title: "Verlof aanvragen na AFAS-update", AreaID: s.areas["hr"]})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.MakeParent(bg, fleur.Actor(), parent.ID, "Sinds de AFAS-update van 12 maart lukt verlof aanvragen in InSite niet. Wij werken aan een oplossing."); err != nil {
		t.Fatal(err)
	}
	child, err := s.st.CreateRequest(bg, anna.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Verlof lukt niet", AreaID: s.areas["hr"]})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.JoinParent(bg, fleur.Actor(), child.ID, parent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.AddComment(bg, fleur.Actor(), parent.ID, beheer.NewComment{Body: "Geheime analyse Zq8", Internal: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.AddComment(bg, fleur.Actor(), parent.ID, beheer.NewComment{Body: "De leverancier heeft het probleem bevestigd."}); err != nil {
		t.Fatal(err)
	}

	// Anna adds Bram, a mistake first.
	s.login(t, ctx, "anna")
	open(t, ctx, s.url+"/requests/"+itoa(child.ID))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#follower-email"), "niemand@voorbeeld.nl"))
	if status := submit(t, ctx, "#follower-email"); status != 422 {
		t.Fatalf("an unknown follower answered %d", status)
	}
	if msg := text(t, ctx, "#follower-email-error"); !strings.Contains(msg, "Er is niemand met dit e-mailadres") {
		t.Fatalf("beside the field: %q", msg)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#follower-email"), "bram@voorbeeld.nl"))
	submit(t, ctx, "#follower-email")
	if page := text(t, ctx, "main"); !strings.Contains(page, "Bram Jansen") || !strings.Contains(page, "gekoppeld aan hoofdmelding") {
		t.Fatalf("after adding:\n%s", page)
	}
	bothWidths(t, ctx, "request-followers")
	// As the requester of a joined request, Anna reads the parent's public side.
	open(t, ctx, s.url+"/requests/"+itoa(parent.ID))
	if page := text(t, ctx, "main"); !strings.Contains(page, "De leverancier heeft het probleem bevestigd") || strings.Contains(page, "Zq8") {
		t.Fatalf("the parent as Anna sees it:\n%s", page)
	}
	logout(t, ctx)

	// Bram has the same problem on another request: he joins from the form.
	s.login(t, ctx, "bram")
	open(t, ctx, s.url+"/requests/new")
	if page := text(t, ctx, "#incidents-h"); page != "Bestaat uw vraag al?" {
		t.Fatalf("no parent incidents on the form: %q", page)
	}
	bothWidths(t, ctx, "new-request-incidents")
	submit(t, ctx, `form[action="/incidents/`+itoa(parent.ID)+`/join"] button`)
	if page := text(t, ctx, "main"); !strings.Contains(page, "U volgt deze melding") || strings.Contains(page, "Zq8") ||
		!strings.Contains(page, "Verlof aanvragen na AFAS-update") {
		t.Fatalf("after joining:\n%s", page)
	}
	bothWidths(t, ctx, "parent-incident-follower")
	open(t, ctx, s.url+"/")
	if page := text(t, ctx, "#following-h"); page != "Aanvragen die u volgt" {
		t.Fatalf("home: %q", page)
	}
	logout(t, ctx)

	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/requests/"+itoa(parent.ID))
	if page := text(t, ctx, "main"); !strings.Contains(page, "Hoofdmelding") || !strings.Contains(page, "Verlof lukt niet") {
		t.Fatalf("the parent as Fleur sees it:\n%s", page)
	}
	bothWidths(t, ctx, "parent-incident")
}
