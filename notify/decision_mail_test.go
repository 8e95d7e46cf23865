package notify

import (
	"context"
	"regexp"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// decideLink finds the decision link in a mail's text.
var decideLink = regexp.MustCompile(`https://beheer\.voorbeeld\.nl/decide/([A-Za-z0-9_-]{43})`)

// TestDecisionMailLink: the mail that puts a change request before its
// decider, sent over SMTP, carries a link that decides it once; the
// requester's mails carry none. The key user's deputy of today is told as
// well, with a link of their own.
func TestDecisionMailLink(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		today := time.Now().UTC().Truncate(24 * time.Hour)
		if _, err := st.SetDeputy(ctx, o.actor("keyuser"), beheer.Deputy{UserID: o.ids["keyuser"],
			DeputyID: o.ids["functional2"], From: today, Until: today}, 0); err != nil {
			t.Fatal(err)
		}
		r := o.file(t, "requester", "Nieuw verlofsoort", beheer.TypeChange)
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		waiting := beheer.StatusAwaitingDecision
		if _, err := st.UpdateRequest(ctx, o.actor("functional"), r.ID, 0, beheer.Patch{Status: &waiting}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)

		tokens := map[string]string{}
		for _, who := range []string{"keyuser", "functional2"} {
			got := mailsTo(t, sink, who+"@voorbeeld.nl")
			if len(got) != 1 {
				t.Fatalf("%s got %d mails, want 1", who, len(got))
			}
			mt, ht := decideLink.FindStringSubmatch(got[0].Text), decideLink.FindStringSubmatch(got[0].HTML)
			if mt == nil || ht == nil || mt[1] != ht[1] {
				t.Fatalf("%s: no decision link in both parts:\n%s", who, got[0].Text)
			}
			tokens[who] = mt[1]
		}
		for _, m := range mailsTo(t, sink, "requester@voorbeeld.nl") {
			if decideLink.MatchString(m.Text) {
				t.Errorf("the requester got a decision link")
			}
		}
		if tokens["keyuser"] == tokens["functional2"] {
			t.Fatal("one link for two people")
		}
		// The deputy decides with their link, on behalf of the key user.
		_, d, err := st.DecideByLink(ctx, o.actor("functional2"), tokens["functional2"], beheer.DecisionApproved, "Namens de key user")
		if err != nil || d == nil || d.OnBehalfOf != o.ids["keyuser"] {
			t.Fatalf("decide by link: %v %+v", err, d)
		}
		if _, _, err := st.DecideByLink(ctx, o.actor("functional2"), tokens["functional2"], beheer.DecisionRejected, "Nog eens"); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Errorf("second use: %v", err)
		}
		// The key user's own link now opens nothing to decide.
		if _, _, err := st.DecideByLink(ctx, o.actor("keyuser"), tokens["keyuser"], beheer.DecisionApproved, "Ook ja"); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Errorf("link after the decision: %v", err)
		}
	})
}
