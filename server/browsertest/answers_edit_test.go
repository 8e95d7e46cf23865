package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
	"beheer/store"
)

// TestAnswersEdited: a gebruiker changes the answers of their
// authorisation request while it is in Aanvraag. In an organisation with
// more people than a person field lists, typing in the search box narrows
// the select to who matches and keeps whom the request named; a date that
// is not a date is refused beside its field; the saved change shows in the
// timeline by question and readable value. After the person named leaves,
// the page shows them chosen and marked so, and a save keeps them.
func TestAnswersEdited(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	if _, err := s.st.SaveForm(bg, actorOf(t, s, "fleur"), beheer.FormTemplates()[0].Form, 0); err != nil {
		t.Fatal(err)
	}
	for i := range beheer.PersonChoices + 10 {
		if _, err := s.st.CreateUser(bg, store.System, beheer.NewUser{Email: fmt.Sprintf("mw%02d@voorbeeld.nl", i),
			Name: fmt.Sprintf("Medewerker %02d", i)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.st.CreateRequest(bg, actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten HR-adviseur voor Bram",
		AreaID: s.areas["hr"], Answers: map[string][]string{"voor_wie": {fmt.Sprint(s.ids["bram"])}, "autorisatiegroep": {"hr_adviseur"},
			"vanaf": {"2026-03-01"}}})
	if err != nil {
		t.Fatal(err)
	}

	s.login(t, ctx, "anna")
	open(t, ctx, fmt.Sprintf("%s/requests/%d", s.url, r.ID))
	if status := follow(t, ctx, "#edit-answers"); status != 200 {
		t.Fatalf("the edit page: status %d", status)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#answer-voor_wie-q")))
	if n := optionCount(t, ctx); n != beheer.PersonChoices+1 {
		t.Fatalf("before a search the select has %d options", n)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#answer-voor_wie-q"), "kees"))
	waitFor(t, ctx, `document.querySelectorAll("#answer-voor_wie option").length === 3`)
	if got := text(t, ctx, "#answer-voor_wie"); !strings.Contains(got, "Kees Bakker") || !strings.Contains(got, "Bram Jansen") {
		t.Fatalf("after searching 'kees' the select holds %q", got)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#answer-voor_wie"))); v != fmt.Sprint(s.ids["bram"]) {
		t.Fatalf("the search changed whom the request names: %q", v)
	}
	if found := text(t, ctx, "#answer-voor_wie-found"); !strings.Contains(found, "1 gevonden") {
		t.Fatalf("the live region says %q", found)
	}
	both(t, ctx, "answers-edit-search")

	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#answer-voor_wie"), fmt.Sprint(s.ids["kees"])),
		chromedp.Click(chromedp.CSS(`input[name="answers.omgeving"][value="acceptatie"]`)),
		// A date that is not a date, as a script or an old browser sends it.
		chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-vanaf").type = "text"; document.getElementById("answer-vanaf").value = "31-02-2026"`),
	)
	if status := submit(t, ctx, "#answers-form"); status != 422 {
		t.Fatalf("a date that is not a date: status %d", status)
	}
	if msg := text(t, ctx, "#answer-vanaf-error"); !strings.Contains(msg, "datum") {
		t.Fatalf("message beside the date: %q", msg)
	}
	if summary := text(t, ctx, "#error-summary"); !strings.Contains(summary, "datum") {
		t.Fatalf("error summary: %q", summary)
	}
	both(t, ctx, "answers-edit-refused")
	if _, answers, err := s.st.Answers(bg, actorOf(t, s, "anna"), r.ID); err != nil || answers[0].Values[0] != fmt.Sprint(s.ids["bram"]) {
		t.Fatalf("a refused edit saved an answer (%v)", err)
	}

	do(t, ctx, chromedp.SetValue(chromedp.CSS("#answer-vanaf"), "2026-04-01"))
	if status := submit(t, ctx, "#answers-form"); status != 200 {
		t.Fatalf("saving: status %d", status)
	}
	has(t, ctx, "request page after saving", "Antwoorden opgeslagen",
		"wijzigde het antwoord op Voor wie: Bram Jansen → Kees Bakker",
		"wijzigde het antwoord op Omgeving: Productieomgeving → Acceptatieomgeving",
		"wijzigde het antwoord op Vanaf: 1 maart 2026 → 1 april 2026")
	both(t, ctx, "answers-request-saved")

	// Kees leaves. The request keeps naming him: the edit page shows him
	// chosen and marked so, also when a search leaves him out, and saving
	// another change keeps him.
	if err := s.st.SetActive(bg, store.System, s.ids["kees"], false); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, fmt.Sprintf("%s/requests/%d/answers", s.url, r.ID))
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#answer-voor_wie-q")))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#answer-voor_wie-q"), "medewerker 0"))
	waitFor(t, ctx, `document.querySelectorAll("#answer-voor_wie option").length === 12`)
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("answer-voor_wie").selectedOptions[0].textContent`))
	if err != nil || chosen != "Kees Bakker (niet meer actief)" {
		t.Fatalf("the person who left shows as %q (%v)", chosen, err)
	}
	both(t, ctx, "answers-edit-left")
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="answers.omgeving"][value="productie"]`)))
	if status := submit(t, ctx, "#answers-form"); status != 200 {
		t.Fatalf("saving with the person who left: status %d", status)
	}
	has(t, ctx, "request page after saving again", "Antwoorden opgeslagen",
		"wijzigde het antwoord op Omgeving: Acceptatieomgeving → Productieomgeving")
	if _, answers, err := s.st.Answers(bg, actorOf(t, s, "anna"), r.ID); err != nil || answers[0].Values[0] != fmt.Sprint(s.ids["kees"]) {
		t.Fatalf("saving another change lost the person who left (%v)", err)
	}
}

// optionCount is the number of options of the person field's select.
func optionCount(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#answer-voor_wie option").length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
