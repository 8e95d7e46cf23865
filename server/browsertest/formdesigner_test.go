package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFormDesignerBuildsAForm: the functional admin opens the forms from
// the request types, builds a small form for questions in the designer —
// a first question, a required choice and a date shown only on one of its
// answers, a bad field name refused beside the field — and tries it in
// the preview; a gebruiker files a question through it; a later version of
// the form leaves that request's answers as they were filed.
func TestFormDesignerBuildsAForm(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/request-types")
	if status := follow(t, ctx, `#type-forms a[href="/forms"]`); status != 200 {
		t.Fatalf("forms: status %d", status)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#new-type"), "question"),
		chromedp.SendKeys(chromedp.CSS("#new-name_nl"), "Vraag over een scherm"),
		chromedp.SendKeys(chromedp.CSS("#new-first_label"), "Welk scherm?"),
	)
	both(t, ctx, "formdesigner-new")
	if status := submit(t, ctx, "#form-new-form"); status != 200 {
		t.Fatalf("creating: status %d", status)
	}
	has(t, ctx, "new form", "Het formulier is gemaakt.", "Welk scherm?", "versie 1")

	addField := func(steps ...chromedp.Action[chromedp.Void]) int64 {
		t.Helper()
		do(t, ctx, steps...)
		return submit(t, ctx, "#field-form")
	}
	if status := addField(
		chromedp.SetValue(chromedp.CSS("#field-field_kind"), "choice"),
		chromedp.SendKeys(chromedp.CSS("#field-field_label_nl"), "Omgeving"),
		chromedp.SendKeys(chromedp.CSS("#field-field_label_en"), "Environment"),
		chromedp.Click(chromedp.CSS("#field-field_required")),
		chromedp.SendKeys(chromedp.CSS("#field-field_choices"), "productie | Productie | Production\ntest | Test"),
	); status != 200 {
		t.Fatalf("adding the choice: status %d", status)
	}
	// A field name with a capital and a space: refused beside the field.
	if status := addField(
		chromedp.SetValue(chromedp.CSS("#field-field_kind"), "date"),
		chromedp.SendKeys(chromedp.CSS("#field-field_label_nl"), "Testen op"),
		chromedp.SendKeys(chromedp.CSS("#field-field_name"), "Testen Op"),
		chromedp.SetValue(chromedp.CSS("#field-field_show_if_field"), "omgeving"),
		chromedp.SendKeys(chromedp.CSS("#field-field_show_if_value"), "test"),
	); status != 422 {
		t.Fatalf("a bad field name: status %d", status)
	}
	if msg := text(t, ctx, "#field-field_name-error"); !strings.Contains(msg, "kleine letters") {
		t.Fatalf("message beside the name: %q", msg)
	}
	both(t, ctx, "formdesigner-refused")
	if status := addField(chromedp.SetValue(chromedp.CSS("#field-field_name"), "testen_op")); status != 200 {
		t.Fatalf("adding the date: status %d", status)
	}
	has(t, ctx, "designer", "versie 3", "alleen als Omgeving = Test")

	// The preview is the requester's form: the date shows on "test" only.
	hidden := func() bool {
		h, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("answer-testen_op").closest("[data-show-if]").hidden`))
		return h
	}
	if !hidden() {
		t.Fatal("the preview shows the date before 'test' is chosen")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#preview input[name="answers.omgeving"][value="test"]`)), chromedp.WaitVisible(chromedp.CSS("#answer-testen_op")))
	both(t, ctx, "formdesigner")
	logout(t, ctx)

	s.login(t, ctx, "anna")
	open(t, ctx, s.url+"/requests/new")
	do(t, ctx, chromedp.Click(chromedp.CSS("#type-question")), chromedp.WaitVisible(chromedp.CSS("#answer-welk_scherm")),
		chromedp.SendKeys(chromedp.CSS("#title"), "Scherm Verlof loopt vast"),
		chromedp.SendKeys(chromedp.CSS("#answer-welk_scherm"), "Verlofaanvraag"),
		chromedp.Click(chromedp.CSS(`input[name="answers.omgeving"][value="test"]`)),
		chromedp.WaitVisible(chromedp.CSS("#answer-testen_op")),
		chromedp.SetValue(chromedp.CSS("#answer-testen_op"), "2026-05-04"),
	)
	if status := submit(t, ctx, "#new-request"); status != 200 {
		t.Fatalf("filing: status %d", status)
	}
	has(t, ctx, "request page", "Scherm Verlof loopt vast", "Verlofaanvraag", "Omgeving", "Test", "4 mei 2026")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	logout(t, ctx)

	// A new version: the choice renamed and relabelled.
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/forms")
	follow(t, ctx, `.form-list a`)
	follow(t, ctx, `#design-omgeving a.button`)
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#field-field_label_nl"), "Omgeving in Profit"),
		chromedp.SetValue(chromedp.CSS("#field-field_choices"), "productie | Productie\ntest | Testomgeving"),
	)
	if status := submit(t, ctx, "#field-form"); status != 200 {
		t.Fatalf("changing the choice: status %d", status)
	}
	has(t, ctx, "designer", "versie 4", "Omgeving in Profit", "Testomgeving")
	open(t, ctx, loc)
	has(t, ctx, "the earlier request", "Verlofaanvraag", "Omgeving", "Test", "4 mei 2026")
	if page := text(t, ctx, "main"); strings.Contains(page, "Omgeving in Profit") || strings.Contains(page, "Testomgeving") {
		t.Fatal("the earlier request shows the new version's labels")
	}
}
