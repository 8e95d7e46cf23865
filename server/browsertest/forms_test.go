package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"beheer"
)

// TestFormFiledAndFiltered: a gebruiker files an authorisation request
// through its form — the form appears when the type is chosen, a date that
// is not a date is refused beside its field, the conditional field appears
// when "tijdelijk" is yes — and the functional admin sees the answers on
// the request and filters the queue on one of them.
func TestFormFiledAndFiltered(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	fleur := actorOf(t, s, "fleur")
	if _, err := s.st.SaveForm(context.Background(), fleur, beheer.FormTemplates()[0].Form, 0); err != nil {
		t.Fatal(err)
	}
	// Another authorisation request, for the test environment: the filter
	// must leave it out.
	if _, err := s.st.CreateRequest(context.Background(), actorOf(t, s, "bram"), beheer.NewRequest{Type: beheer.TypeAccess,
		Title: "Testrechten voor Bram", Answers: map[string][]string{"voor_wie": {fmt.Sprint(s.ids["bram"])},
			"autorisatiegroep": {"medewerker"}, "omgeving": {"test"}, "vanaf": {"2026-01-05"}}}); err != nil {
		t.Fatal(err)
	}

	s.login(t, ctx, "anna")
	open(t, ctx, s.url+"/requests/new")
	do(t, ctx, chromedp.Click(chromedp.CSS("#type-access")), chromedp.WaitVisible(chromedp.CSS("#answer-voor_wie")))
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("answer-tot_en_met").closest("[data-show-if]").hidden`)); !hidden {
		t.Fatal("'tot en met' is shown before 'tijdelijk' is yes")
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#title"), "Rechten HR-adviseur voor Bram"),
		chromedp.SetValue(chromedp.CSS("#answer-voor_wie"), fmt.Sprint(s.ids["bram"])),
		chromedp.Click(chromedp.CSS(`input[name="answers.autorisatiegroep"][value="hr_adviseur"]`)),
		chromedp.Click(chromedp.CSS("#answer-tijdelijk-yes")),
		chromedp.WaitVisible(chromedp.CSS("#answer-tot_en_met")),
		// A date that is not a date: the browser's date field would not
		// take it, so it is set as a script (or an old browser) would.
		chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-vanaf").type = "text"; document.getElementById("answer-vanaf").value = "31-02-2026"`),
		chromedp.SetValue(chromedp.CSS("#answer-tot_en_met"), "2026-06-30"),
	)
	both(t, ctx, "form-new-request")
	if status := submit(t, ctx, "#new-request"); status != 422 {
		t.Fatalf("a date that is not a date: status %d", status)
	}
	if msg := text(t, ctx, "#answer-vanaf-error"); !strings.Contains(msg, "datum") {
		t.Fatalf("message beside the date: %q", msg)
	}
	both(t, ctx, "form-refused")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#answer-vanaf"), "2026-03-01"))
	if status := submit(t, ctx, "#new-request"); status != 200 {
		t.Fatalf("filing: status %d", status)
	}
	has(t, ctx, "request page", "Rechten HR-adviseur voor Bram", "Bram Jansen", "HR-adviseur", "Productieomgeving", "30 juni 2026")
	logout(t, ctx)

	s.login(t, ctx, "fleur")
	// The filter form as sent without script (with script htmx sends the
	// same query and swaps the results).
	open(t, ctx, s.url+"/queue?answer_field=omgeving&answer_value=productie")
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-answer"))); v != "omgeving" {
		t.Fatalf("the answer filter's field is not kept: %q", v)
	}
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#queue-results tbody tr").length`))
	page := text(t, ctx, "#queue-results")
	if rows != 1 || !strings.Contains(page, "Rechten HR-adviseur voor Bram") {
		t.Fatalf("queue on omgeving=productie: %d rows\n%s", rows, page)
	}
	both(t, ctx, "form-queue-filter")
}
