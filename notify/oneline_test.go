package notify

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestLegacyTitleOnOneLineInMail: a request title with line breaks,
// stored before they were refused (put there by SQL), reaches a real SMTP
// server with the mail's subject, the HTML mail's heading and its title on
// one line, the breaks become spaces.
func TestLegacyTitleOnOneLineInMail(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		r := o.file(t, "requester", "Declaratie reiskosten", beheer.TypeQuestion)
		if _, err := db.Exec(`UPDATE requests SET title = $1 WHERE id = $2`,
			"Declaratie\r\nreiskosten\nmaart\u2028april", r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		got := mailsTo(t, sink, "requester@voorbeeld.nl")
		if len(got) != 1 {
			t.Fatalf("requester got %d mails, want 1", len(got))
		}
		const title = "Declaratie reiskosten maart april"
		if want := "Aanvraag " + r.Number + " is nu in de fase Onderzoek: " + title; got[0].Subject != want {
			t.Errorf("subject = %q, want %q", got[0].Subject, want)
		}
		for _, want := range []string{"<title>" + title + "</title>", ">" + title + "</h1>"} {
			if !strings.Contains(got[0].HTML, want) {
				t.Errorf("the HTML part lacks %q:\n%s", want, got[0].HTML)
			}
		}
		for part, body := range map[string]string{"text": got[0].Text, "html": got[0].HTML} {
			if strings.Contains(body, "Declaratie\r\n") || strings.Contains(body, "reiskosten\nmaart") || strings.Contains(body, "\u2028") {
				t.Errorf("the %s part breaks the title:\n%q", part, body)
			}
		}
	})
}
