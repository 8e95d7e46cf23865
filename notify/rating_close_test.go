package notify

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestGoodRatingClosureTellsFollowers: a parent incident in Optimalisatie
// is closed by its requester's good rating. Over real SMTP, every follower
// — one added by hand, the requester of a request joined to it, the
// requester of its duplicate — gets exactly one mail saying so; the
// requester who rated gets none; the assignee only the rating's own. The
// joined request ends with its parent and tells nobody by itself.
func TestGoodRatingClosureTellsFollowers(t *testing.T) {
	clock := newClock()
	storetest.Engines(t, storetest.Options{Now: clock.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		admin := o.actor("functional")
		if err := st.SetClosure(ctx, admin, beheer.Closure{CloseAtRating: 4, PoorRating: 2}); err != nil {
			t.Fatal(err)
		}
		parent := o.file(t, "requester", "Verlof na de AFAS-update", beheer.TypeIncident)
		if err := st.MakeParent(ctx, admin, parent.ID, "Verlof aanvragen lukt niet sinds de update."); err != nil {
			t.Fatal(err)
		}
		if err := st.Follow(ctx, o.actor("requester"), parent.ID, o.ids["english"]); err != nil {
			t.Fatal(err)
		}
		colleague := func(name string) *beheer.User {
			u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: name + "@voorbeeld.nl", Name: "Collega " + name}, "")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		joinedBy, duplicateBy := colleague("joined"), colleague("duplicate")
		joined, err := st.CreateRequest(ctx, joinedBy.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Verlof lukt niet", AreaID: o.area})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.JoinParent(ctx, admin, joined.ID, parent.ID); err != nil {
			t.Fatal(err)
		}
		dup, err := st.CreateRequest(ctx, duplicateBy.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Verlof kapot", AreaID: o.area})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.MarkDuplicate(ctx, admin, dup.ID, 0, parent.ID, ""); err != nil {
			t.Fatal(err)
		}
		toOptimisation(t, st, admin, parent.ID)
		drain(t, w)
		clock.Add(time.Hour) // the rating comes later: no earlier update absorbs it
		people := map[string]int{"requester@voorbeeld.nl": 0, "functional@voorbeeld.nl": 1, "english@voorbeeld.nl": 1,
			"joined@voorbeeld.nl": 1, "duplicate@voorbeeld.nl": 1}
		before := map[string]int{}
		for addr := range people {
			before[addr] = len(mailsTo(t, sink, addr))
		}

		r, err := st.Evaluate(ctx, o.actor("requester"), parent.ID, beheer.Evaluation{Rating: 5})
		if err != nil || r.Phase != beheer.PhaseClosed {
			t.Fatalf("after a good rating: %+v %v", r, err)
		}
		drain(t, w)
		for addr, want := range people {
			got := mailsTo(t, sink, addr)[before[addr]:]
			if len(got) != want {
				t.Errorf("%s got %d mails, want %d", addr, len(got), want)
				continue
			}
			if want == 1 && (!strings.Contains(got[0].Subject, parent.Number) || !strings.Contains(got[0].Text, "/requests/"+itoa(parent.ID))) {
				t.Errorf("%s: the mail is not about %s: %q", addr, parent.Number, got[0].Subject)
			}
		}
		for addr, words := range map[string]string{"joined@voorbeeld.nl": "goed beoordeeld", "english@voorbeeld.nl": "rated the result as good"} {
			if got := mailsTo(t, sink, addr); !strings.Contains(got[len(got)-1].Text, words) {
				t.Errorf("%s: the mail does not say why it closed: %s", addr, got[len(got)-1].Text)
			}
		}
		child, _, err := st.Request(ctx, store.System, joined.ID)
		if err != nil || child.Phase != beheer.PhaseClosed {
			t.Errorf("the joined request is %s after its parent closed, want closed (%v)", child.Phase, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
