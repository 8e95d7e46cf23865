package notify

import (
	"context"
	"slices"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

func TestRecipients(t *testing.T) {
	const (
		requester = 1
		assignee  = 2
		keyA      = 3
		keyB      = 4
		tech      = 5
		techB     = 6
		other     = 7
	)
	req := &beheer.Request{ID: 10, RequesterID: requester, AssigneeID: assignee}
	unassigned := &beheer.Request{ID: 11, RequesterID: requester}
	keys, techs := []int64{keyA, keyB}, []int64{tech, techB}
	ev := func(kind string, actor int64, internal bool, data map[string]string) store.Event {
		return store.Event{ID: 1, Kind: kind, RequestID: 10, ActorID: actor, Internal: internal, Data: data}
	}
	tests := []struct {
		name string
		e    store.Event
		r    *beheer.Request
		want []Recipient
	}{
		{"filed: nobody by mail", ev(store.EventRequestFiled, requester, false, nil), req, nil},
		{"phase change tells the requester", ev(store.EventPhaseChanged, assignee, false, map[string]string{"to": "investigation"}), req,
			[]Recipient{{requester, store.NotifyPhase}}},
		{"closing is an outcome", ev(store.EventPhaseChanged, assignee, false, map[string]string{"to": "closed"}), req,
			[]Recipient{{requester, store.NotifyOutcome}}},
		{"rejection is an outcome", ev(store.EventPhaseChanged, other, false, map[string]string{"to": "rejected"}), req,
			[]Recipient{{requester, store.NotifyOutcome}, {assignee, store.NotifyPhase}}[:1]},
		{"requester reopens: the assignee hears", ev(store.EventPhaseChanged, requester, false, map[string]string{"to": "investigation"}), req,
			[]Recipient{{assignee, store.NotifyReply}}},
		{"question to the requester", ev(store.EventStatusChanged, assignee, false, map[string]string{"to": "awaiting_requester"}), req,
			[]Recipient{{requester, store.NotifyQuestion}}},
		{"decision waits: key users", ev(store.EventStatusChanged, assignee, false, map[string]string{"to": "awaiting_decision"}), req,
			[]Recipient{{keyA, store.NotifyDecision}, {keyB, store.NotifyDecision}}},
		{"decision waits, actor is a key user", ev(store.EventStatusChanged, keyA, false, map[string]string{"to": "awaiting_decision"}), req,
			[]Recipient{{keyB, store.NotifyDecision}}},
		{"other status: nobody", ev(store.EventStatusChanged, assignee, false, map[string]string{"to": "awaiting_technical"}), req, nil},
		{"assignment", ev(store.EventAssigned, other, false, map[string]string{"assignee": "2"}), req,
			[]Recipient{{assignee, store.NotifyAssigned}}},
		{"self-assignment: nobody", ev(store.EventAssigned, assignee, false, map[string]string{"assignee": "2"}), req, nil},
		{"public comment by staff", ev(store.EventCommentAdded, assignee, false, nil), req,
			[]Recipient{{requester, store.NotifyQuestion}}},
		{"public comment by the requester", ev(store.EventCommentAdded, requester, false, nil), req,
			[]Recipient{{assignee, store.NotifyReply}}},
		{"public comment by someone else", ev(store.EventCommentAdded, other, false, nil), req,
			[]Recipient{{requester, store.NotifyQuestion}, {assignee, store.NotifyReply}}},
		{"internal note never reaches the requester", ev(store.EventCommentAdded, other, true, nil), req,
			[]Recipient{{assignee, store.NotifyReply}}},
		{"internal note when the requester is also assignee", ev(store.EventCommentAdded, other, true, nil),
			&beheer.Request{ID: 10, RequesterID: requester, AssigneeID: requester}, nil},
		{"internal phase change never reaches the requester", ev(store.EventPhaseChanged, other, true, map[string]string{"to": "execution"}), req, nil},
		{"decision", ev(store.EventDecisionTaken, keyA, false, map[string]string{"outcome": "approved"}), req,
			[]Recipient{{requester, store.NotifyOutcome}, {assignee, store.NotifyReply}}},
		{"task for someone", ev(store.EventTaskCreated, assignee, false, map[string]string{"assignee": "5"}), req,
			[]Recipient{{tech, store.NotifyTask}}},
		{"task for the team", ev(store.EventTaskCreated, assignee, false, map[string]string{"assignee": "0"}), req,
			[]Recipient{{tech, store.NotifyTask}, {techB, store.NotifyTask}}},
		{"task completed", ev(store.EventTaskCompleted, tech, false, nil), req,
			[]Recipient{{assignee, store.NotifyReply}}},
		{"task completed, nobody assigned", ev(store.EventTaskCompleted, tech, false, nil), unassigned, nil},
		{"escalation: nobody by mail", ev(store.EventEscalationOpened, assignee, false, nil), req, nil},
		{"sla warning to the named people", ev(EventSLAWarning, 0, false, map[string]string{"users": "2, 7"}), req,
			[]Recipient{{assignee, store.NotifySLA}, {other, store.NotifySLA}}},
		{"sla warning defaults to the assignee", ev(EventSLAWarning, 0, false, nil), req,
			[]Recipient{{assignee, store.NotifySLA}}},
		{"sla warning, nobody assigned", ev(EventSLAWarning, 0, false, nil), unassigned, nil},
		{"a rating tells the assignee", ev(store.EventEvaluated, requester, false, map[string]string{"rating": "3", "outcome": "wait"}), req,
			[]Recipient{{assignee, store.NotifyReply}}},
		{"closed by a good rating: the rating told the assignee, the requester rated", ev(store.EventPhaseChanged, 0, false,
			map[string]string{"to": "closed", "reason": store.ClosedAfterRating}), req, nil},
		{"closed after working days without a reaction: both hear", ev(store.EventPhaseChanged, 0, false,
			map[string]string{"to": "closed", "reason": store.ClosedAfterQuiet, "detail": "10"}), req,
			[]Recipient{{requester, store.NotifyOutcome}, {assignee, store.NotifyReply}}},
		{"unknown event: nobody", ev("something.else", other, false, nil), req, nil},
		{"no request: nobody", store.Event{Kind: store.EventCommentAdded, ActorID: other}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Recipients(store.EventFacts{Event: tc.e, Request: tc.r, KeyUsers: keys, TechAdmins: techs})
			if !slices.Equal(got, tc.want) {
				t.Errorf("Recipients = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRatingClosureRecipients: when the requester's good rating closes a
// request, its followers hear it closed — the requesters of duplicates and
// joined requests follow it — but not the requester who rated nor the
// assignee the rating itself told, even when they follow it too; an
// internal closing would tell no follower.
func TestRatingClosureRecipients(t *testing.T) {
	const requester, assignee, follower, joined = 1, 2, 3, 4
	req := &beheer.Request{ID: 10, RequesterID: requester, AssigneeID: assignee}
	closed := map[string]string{"from": "optimisation", "to": "closed", "reason": store.ClosedAfterRating, "detail": "5"}
	tests := []struct {
		name      string
		e         store.Event
		followers []int64
		want      []Recipient
	}{
		{"followers hear, once each", store.Event{Kind: store.EventPhaseChanged, RequestID: 10, Data: closed},
			[]int64{follower, joined, follower}, []Recipient{{follower, store.NotifyFollow}, {joined, store.NotifyFollow}}},
		{"the requester and the assignee among the followers do not", store.Event{Kind: store.EventPhaseChanged, RequestID: 10, Data: closed},
			[]int64{requester, assignee, joined}, []Recipient{{joined, store.NotifyFollow}}},
		{"no followers: nobody", store.Event{Kind: store.EventPhaseChanged, RequestID: 10, Data: closed}, nil, nil},
		{"a joined request closed with it tells nobody by itself", store.Event{Kind: store.EventPhaseChanged, RequestID: 10,
			Data: map[string]string{"to": "closed", "parent": "W-2026-0001"}}, []int64{follower}, nil},
		{"internal: no follower", store.Event{Kind: store.EventPhaseChanged, RequestID: 10, Internal: true, Data: closed},
			[]int64{follower}, nil},
	}
	for _, tt := range tests {
		got := Recipients(store.EventFacts{Event: tt.e, Request: req, Followers: tt.followers})
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHeaderSafe(t *testing.T) {
	for in, want := range map[string]string{
		"Gewoon":                     "Gewoon",
		"Titel\r\nBcc: evil@x":       "Titel Bcc: evil@x",
		"a\nb\rc\td\x00e\u2028f":     "a b c d e f",
		"  veel   ruimte  ":          "veel ruimte",
		"Subject\r\n\r\nbody inject": "Subject body inject",
	} {
		if got := HeaderSafe(in); got != want {
			t.Errorf("HeaderSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []string{"30s", "1m0s", "2m0s", "4m0s"}
	for i, w := range want {
		if got := Backoff(i + 1).String(); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if Backoff(40).Hours() != 6 {
		t.Errorf("Backoff(40) = %s, want 6h", Backoff(40))
	}
}

func TestParseAllow(t *testing.T) {
	tests := []struct {
		entries []string
		want    []string // nil: refused
	}{
		{nil, []string{}},
		{[]string{"10.1.2.0/24", " 10.9.9.9 ", "", "::1"}, []string{"10.1.2.0/24", "10.9.9.9/32", "::1/128"}},
		{[]string{"10.1.2.0/33"}, nil},
		{[]string{"intern"}, nil},
	}
	for _, tt := range tests {
		got, err := ParseAllow(tt.entries)
		if tt.want == nil {
			if err == nil {
				t.Errorf("ParseAllow(%q) accepted: %v", tt.entries, got)
			}
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if err != nil || !slices.Equal(s, tt.want) && len(s)+len(tt.want) > 0 {
			t.Errorf("ParseAllow(%q) = %v, %v; want %v", tt.entries, s, err, tt.want)
		}
	}
}

// TestNotifiesSkipsQuietEvents: the worker does not even load what a
// quiet event is about, and still moves past it. A new request and an
// escalation answered are team alerts, so only opening an escalation is
// quiet.
func TestNotifiesSkipsQuietEvents(t *testing.T) {
	for kind, want := range map[string]bool{store.EventRequestFiled: true, store.EventEscalationOpened: false,
		store.EventEscalationClosed: true, store.EventPhaseChanged: true, store.EventCommentAdded: true, "some.new_kind": true} {
		if got := Notifies(kind); got != want {
			t.Errorf("Notifies(%q) = %v, want %v", kind, got, want)
		}
	}
	st := storetest.SQLite(t, storetest.Options{})
	o := newOrg(t, st)
	r := o.file(t, "requester", "Stil", beheer.TypeQuestion)
	if _, err := st.Transition(context.Background(), o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Escalate(context.Background(), o.actor("functional"), r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy}); err != nil {
		t.Fatal(err)
	}
	var planned []string
	n, err := st.ProcessNotifications(context.Background(), 100, Notifies, func(f store.EventFacts) ([]store.Delivery, error) {
		planned = append(planned, f.Event.Kind)
		return nil, nil
	})
	if err != nil || n < 3 || slices.Contains(planned, store.EventEscalationOpened) || !slices.Contains(planned, store.EventPhaseChanged) {
		t.Fatalf("handled %d events, planned %v, %v", n, planned, err)
	}
	if again, _ := st.ProcessNotifications(context.Background(), 100, Notifies, nil); again != 0 {
		t.Errorf("%d events handled twice", again)
	}
}
