package notify

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestParentResolutionReachesEachRequesterOnce: twenty requests joined to
// a parent incident; one resolution (closing the parent with a note) tells
// every one of the twenty requesters once — one notification and one mail
// each, over real SMTP — and closes their requests with it.
func TestParentResolutionReachesEachRequesterOnce(t *testing.T) {
	clock := newClock()
	storetest.Engines(t, storetest.Options{Now: clock.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		admin := o.actor("functional")
		parent := o.file(t, "functional2", "Verlof na de AFAS-update", beheer.TypeIncident)
		if err := st.MakeParent(ctx, admin, parent.ID, "Sinds de update van 12 maart lukt verlof aanvragen niet."); err != nil {
			t.Fatal(err)
		}
		var requesters []string
		var children []int64
		for i := range 20 {
			email := fmt.Sprintf("collega%02d@voorbeeld.nl", i)
			u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: fmt.Sprintf("Collega %02d", i)}, "")
			if err != nil {
				t.Fatal(err)
			}
			r, err := st.CreateRequest(ctx, u.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Verlof lukt niet", AreaID: o.area})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.JoinParent(ctx, admin, r.ID, parent.ID); err != nil {
				t.Fatal(err)
			}
			requesters, children = append(requesters, email), append(children, r.ID)
		}
		toOptimisation(t, st, admin, parent.ID)
		drain(t, w)
		clock.Add(time.Hour) // the resolution comes later: no earlier move absorbs it
		before := map[string]int{}
		for _, e := range requesters {
			before[e] = len(mailsTo(t, sink, e))
		}
		unread := map[int64]int{}
		for _, id := range children {
			r, _, _ := st.Request(ctx, store.System, id)
			unread[r.RequesterID], _ = st.UnreadNotifications(ctx, r.RequesterID)
		}

		if _, err := st.Transition(ctx, admin, parent.ID, 0, beheer.Transition{To: beheer.PhaseClosed,
			Note: "Opgelost met de hotfix van vanochtend; verlof aanvragen werkt weer."}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		for _, e := range requesters {
			got := mailsTo(t, sink, e)
			if len(got)-before[e] != 1 {
				t.Fatalf("%s got %d mails for the resolution, want 1", e, len(got)-before[e])
			}
			m := got[len(got)-1]
			if !strings.Contains(m.Subject, parent.Number) || !strings.Contains(m.Text, fmt.Sprintf("/requests/%d", parent.ID)) {
				t.Errorf("%s: the mail is not about the parent incident: %q", e, m.Subject)
			}
		}
		for _, id := range children {
			r, _, _ := st.Request(ctx, store.System, id)
			if r.Phase != beheer.PhaseClosed {
				t.Errorf("joined request %s is %s, want closed", r.Number, r.Phase)
			}
			if n, _ := st.UnreadNotifications(ctx, r.RequesterID); n-unread[r.RequesterID] != 1 {
				t.Errorf("requester of %s got %d notifications, want 1", r.Number, n-unread[r.RequesterID])
			}
		}
		// Nothing goes out twice.
		total := len(sink.messages())
		drain(t, w)
		if len(sink.messages()) != total {
			t.Error("mail sent twice")
		}
	})
}

// TestMentionOfOutsiderNotifiesNobody: a mention in an internal note of
// someone who may not read it tells them nothing, by mail or in the bell;
// a colleague who may read it is told, without the note's text.
func TestMentionOfOutsiderNotifiesNobody(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		r := o.file(t, "requester", "Salarisstrook", beheer.TypeQuestion)
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		mailsBefore := len(sink.messages())
		unread, _ := st.UnreadNotifications(ctx, o.ids["english"])

		c, err := st.AddComment(ctx, o.actor("functional"), r.ID, beheer.NewComment{
			Body: "@english en @technical: het loonbeslag Kx5 speelt hier mee", Internal: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.MentionsWithoutEffect) != 1 || c.MentionsWithoutEffect[0] != "@english" {
			t.Errorf("without effect: %v", c.MentionsWithoutEffect)
		}
		drain(t, w)
		if n, _ := st.UnreadNotifications(ctx, o.ids["english"]); n != unread {
			t.Errorf("the outsider got %d notifications", n-unread)
		}
		if got := mailsTo(t, sink, "english@voorbeeld.nl"); len(got) != 0 {
			t.Errorf("the outsider got %d mails", len(got))
		}
		for _, m := range sink.messages()[mailsBefore:] {
			if strings.Contains(string(m.Data), "Kx5") || strings.Contains(string(m.Data), "Salarisstrook") && to(m) == "english@voorbeeld.nl" {
				t.Errorf("the note left the building in a mail to %s", to(m))
			}
		}
		tech := mailsTo(t, sink, "technical@voorbeeld.nl")
		if len(tech) != 1 || !strings.Contains(tech[0].Subject, r.Number) {
			t.Fatalf("the colleague who may read it got %d mails", len(tech))
		}
	})
}

// TestFollowerHearsPublicUpdatesOnly: a follower is mailed about public
// replies and phase changes, never about internal notes.
func TestFollowerHearsPublicUpdatesOnly(t *testing.T) {
	clock := newClock()
	storetest.Engines(t, storetest.Options{Now: clock.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		r := o.file(t, "requester", "Reiskosten", beheer.TypeQuestion)
		if err := st.Follow(ctx, o.actor("requester"), r.ID, o.ids["english"]); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		clock.Add(time.Minute)
		base := len(mailsTo(t, sink, "english@voorbeeld.nl"))
		if base != 2 { // added as a follower, then the phase change
			t.Errorf("follower got %d mails, want 2 (added, phase)", base)
		}
		if _, err := st.AddComment(ctx, o.actor("functional2"), r.ID, beheer.NewComment{Body: "Intern Pq4", Internal: true}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		if got := len(mailsTo(t, sink, "english@voorbeeld.nl")); got != base {
			t.Errorf("follower got %d mails for an internal note", got-base)
		}
		clock.Add(time.Minute)
		if _, err := st.AddComment(ctx, o.actor("functional2"), r.ID, beheer.NewComment{Body: "Openbaar"}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		got := mailsTo(t, sink, "english@voorbeeld.nl")
		if len(got) != base+1 || !strings.Contains(got[len(got)-1].Subject, "which you follow") {
			t.Errorf("follower mails %d, want %d about the public reply", len(got), base+1)
		}
		for _, m := range sink.messages() {
			if strings.Contains(string(m.Data), "Pq4") {
				t.Errorf("internal note in a mail to %s", to(m))
			}
		}
	})
}

// TestDeactivatedFollowerHearsNothing: a follower who leaves after
// following is neither mailed nor notified of the request's updates; the
// store hands every follower on and only the active are told.
func TestDeactivatedFollowerHearsNothing(t *testing.T) {
	clock := newClock()
	storetest.Engines(t, storetest.Options{Now: clock.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		r := o.file(t, "requester", "Reiskosten", beheer.TypeQuestion)
		if err := st.Follow(ctx, o.actor("requester"), r.ID, o.ids["english"]); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		if err := st.SetActive(ctx, store.System, o.ids["english"], false); err != nil {
			t.Fatal(err)
		}
		base := len(mailsTo(t, sink, "english@voorbeeld.nl"))
		unread, _ := st.UnreadNotifications(ctx, o.ids["english"])
		clock.Add(time.Minute)
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Minute)
		if _, err := st.AddComment(ctx, o.actor("functional2"), r.ID, beheer.NewComment{Body: "Openbaar"}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		if got := len(mailsTo(t, sink, "english@voorbeeld.nl")); got != base {
			t.Errorf("deactivated follower got %d mails", got-base)
		}
		if n, _ := st.UnreadNotifications(ctx, o.ids["english"]); n != unread {
			t.Errorf("deactivated follower got %d notifications", n-unread)
		}
		if got := len(mailsTo(t, sink, "requester@voorbeeld.nl")); got == 0 {
			t.Error("the requester heard nothing: the updates were not sent at all")
		}
	})
}

// TestTeamAlerts: each team alert reaches whom it should, by the person's
// chosen channel, and only when the area sends it.
func TestTeamAlerts(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)
		on := beheer.AlertSettings{}
		for _, al := range beheer.Alerts {
			on[al] = true
		}
		if err := st.SetAreaAlerts(ctx, store.System, o.area, on); err != nil {
			t.Fatal(err)
		}
		if err := st.FollowArea(ctx, o.actor("keyuser"), o.area, true); err != nil {
			t.Fatal(err)
		}
		// functional2 reads the digest for alerts.
		if err := st.SetNotifyPrefs(ctx, o.actor("functional2"), map[string]string{store.NotifyAlert: store.ModeDigest}); err != nil {
			t.Fatal(err)
		}
		count := func() map[string]int {
			out := map[string]int{}
			for _, m := range sink.messages() {
				out[strings.TrimSuffix(to(m), "@voorbeeld.nl")]++
			}
			return out
		}
		r := o.file(t, "requester", "Nieuwe medewerker", beheer.TypeQuestion)
		drain(t, w)
		got := count()
		if got["functional"] != 1 || got["keyuser"] != 1 || got["functional2"] != 0 || got["requester"] != 0 {
			t.Errorf("new request mails %v; want functional and the area's follower, functional2 in the digest", got)
		}
		list, _ := st.Notifications(ctx, o.actor("functional2"), 0, 10)
		if len(list) != 1 || list[0].Kind != store.NotifyAlert {
			t.Errorf("functional2's bell %v", list)
		}

		// The escalation comes back: the assignee hears it, once.
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		esc, err := st.Escalate(ctx, o.actor("functional"), r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		before := count()
		if _, err := st.CloseEscalation(ctx, o.actor("functional2"), esc.ID, "Advies gegeven"); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		after := count()
		if after["functional"]-before["functional"] != 1 || after["keyuser"] != before["keyuser"] {
			t.Errorf("escalation answered: %v → %v; want one mail to the assignee", before, after)
		}

		// A task overdue, swept twice: the assignee hears it once.
		if _, err := st.CreateTask(ctx, o.actor("functional"), r.ID, beheer.NewTask{Title: "Koppeling nakijken"}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		before = count()
		for range 2 {
			if _, err := st.SweepOverdueTasks(ctx, time.Now().Add(beheer.TaskOverdueAfter+time.Hour), 100); err != nil {
				t.Fatal(err)
			}
		}
		drain(t, w)
		after = count()
		if after["functional"]-before["functional"] != 1 {
			t.Errorf("task overdue: %d mails to the assignee, want 1", after["functional"]-before["functional"])
		}

		// Switched off for the area: a new request tells nobody.
		if err := st.SetAreaAlerts(ctx, store.System, o.area, beheer.AlertSettings{beheer.AlertNewRequest: false}); err != nil {
			t.Fatal(err)
		}
		before = count()
		o.file(t, "requester", "Nog een", beheer.TypeQuestion)
		drain(t, w)
		if after := count(); after["functional"] != before["functional"] || after["keyuser"] != before["keyuser"] {
			t.Errorf("alerts off, still mailed: %v → %v", before, after)
		}
	})
}
