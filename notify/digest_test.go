package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestDailyDigest: a person who chose the digest gets no mail at once but
// one summary after 07:00, once per day, also when asked twice.
func TestDailyDigest(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		if err := st.SetNotifyPrefs(ctx, o.actor("requester"), map[string]string{store.NotifyPhase: store.ModeDigest}); err != nil {
			t.Fatal(err)
		}
		w := workersFor(t, st, sink)
		for _, title := range []string{"Eerste", "Tweede"} {
			r := o.file(t, "requester", title, beheer.TypeQuestion)
			if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
				t.Fatal(err)
			}
		}
		drain(t, w)
		if n := len(sink.messages()); n != 0 {
			t.Fatalf("%d mails before the digest", n)
		}
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		early := time.Date(2026, 3, 3, 6, 30, 0, 0, ams)
		if n, err := w.Digest(ctx, early); err != nil || n != 0 {
			t.Fatalf("digest before 07:00 = %d, %v", n, err)
		}
		for range 2 {
			if _, err := w.Digest(ctx, early.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		drain(t, w)
		got := mailsTo(t, sink, "requester@voorbeeld.nl")
		if len(got) != 1 || len(sink.messages()) != 1 {
			t.Fatalf("%d digests (%d mails), want 1", len(got), len(sink.messages()))
		}
		if got[0].Subject != "Uw dagelijkse overzicht: 2 meldingen" || !strings.Contains(got[0].Text, "Eerste") || !strings.Contains(got[0].Text, "Tweede") {
			t.Errorf("digest = %q\n%s", got[0].Subject, got[0].Text)
		}
		// The next day there is nothing left to send.
		if n, err := w.Digest(ctx, early.Add(25*time.Hour)); err != nil || n != 0 {
			t.Errorf("next day's digest = %d, %v", n, err)
		}
	})
}

// TestDigestHidesUnreadable: a request that moved out of a key user's area
// between the notification and the digest is not named in the digest.
func TestDigestHidesUnreadable(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		fin, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "fin", Name: "Financieel"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetNotifyPrefs(ctx, o.actor("keyuser"), map[string]string{store.NotifyDecision: store.ModeDigest}); err != nil {
			t.Fatal(err)
		}
		w := workersFor(t, st, sink)
		r := o.file(t, "requester", "Verhuisde wijziging", beheer.TypeChange)
		admin := o.actor("functional")
		if _, err := st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		waiting := beheer.StatusAwaitingDecision
		if _, err := st.UpdateRequest(ctx, admin, r.ID, 0, beheer.Patch{Status: &waiting}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		if _, err := st.UpdateRequest(ctx, admin, r.ID, 0, beheer.Patch{AreaID: &fin.ID}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		if _, err := w.Digest(ctx, time.Date(2026, 3, 3, 7, 30, 0, 0, ams)); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		got := mailsTo(t, sink, "keyuser@voorbeeld.nl")
		if len(got) != 1 {
			t.Fatalf("%d digests for the key user, want 1", len(got))
		}
		if strings.Contains(got[0].Text, "Verhuisde wijziging") || strings.Contains(got[0].HTML, "Verhuisde wijziging") {
			t.Errorf("the digest names a request the key user can no longer read:\n%s", got[0].Text)
		}
	})
}
