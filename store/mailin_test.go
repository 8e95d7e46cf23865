package store_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// mailOrg is the organisation of the incoming-mail tests: a request by
// Anna, handled by Fleur, and a notification mail to Anna about it.
type mailOrg struct {
	st        *store.Store
	requester *beheer.User
	admin     *beheer.User
	request   *beheer.Request
}

func newMailOrg(t *testing.T, st *store.Store) *mailOrg {
	t.Helper()
	area, requester, admin := org(t, st)
	r, err := st.CreateRequest(context.Background(), requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion,
		Title: "Declaratie lukt niet", AreaID: area.ID})
	if err != nil {
		t.Fatal(err)
	}
	return &mailOrg{st: st, requester: requester, admin: admin, request: r}
}

// notification writes a notification mail to a person about the next
// event on the request and returns the Message-ID it goes out with.
func (o *mailOrg) notification(t *testing.T, to *beheer.User) string {
	t.Helper()
	ctx := context.Background()
	_, err := o.st.ProcessNotifications(ctx, 100, nil, func(f store.EventFacts) ([]store.Delivery, error) {
		if f.Request == nil || f.Request.ID != o.request.ID {
			return nil, nil
		}
		return []store.Delivery{{UserID: to.ID, Kind: store.NotifyReply, Mail: &store.OutMail{To: to.Email,
			Lang: "nl", Subject: "Bericht over " + f.Request.Number, Text: "x", HTML: "x"}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := o.st.ClaimMail(ctx, "test", 60e9, 100)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no outbox row: %v", err)
	}
	last := rows[len(rows)-1]
	// The format of notify.MessageID (notify has its own test of it).
	return "beheer.outbox." + strconv.FormatInt(last.ID, 10) + "." + strconv.FormatInt(last.CreatedAt.UnixMilli(), 10) + "@voorbeeld.nl"
}

func (o *mailOrg) comments(t *testing.T) []beheer.Comment {
	t.Helper()
	list, err := o.st.Comments(context.Background(), store.System, o.request.ID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func receive(t *testing.T, st *store.Store, in beheer.InboundMail) *beheer.MailResult {
	t.Helper()
	res, err := st.ReceiveMail(context.Background(), in)
	if err != nil {
		t.Fatalf("ReceiveMail: %v", err)
	}
	return res
}

func TestMailReplyBecomesComment(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		o := newMailOrg(t, st)
		id := o.notification(t, o.requester)
		in := beheer.InboundMail{MessageID: "reply-1@voorbeeld.nl", From: "ANNA@Voorbeeld.NL", Subject: "Re: iets",
			Text: "Het werkt.\n\n> oud", Reply: "Het werkt.", References: []string{"other@x.nl", id},
			Files: []beheer.InboundFile{{Name: "log.txt", Data: []byte("regel 1\n")}, {Name: "x.html", Data: []byte("<html><script>")}}}
		res := receive(t, st, in)
		if res.Outcome != beheer.MailComment || res.RequestID != o.request.ID || res.Number != o.request.Number || res.CommentID == 0 {
			t.Fatalf("result %+v", res)
		}
		if len(res.Skipped) != 1 || res.Skipped[0].Name != "x.html" || res.Skipped[0].Reason != "upload.active_content" {
			t.Errorf("skipped %+v, want x.html refused as active content", res.Skipped)
		}
		c := o.comments(t)
		if len(c) != 1 || c[0].Body != "Het werkt." || c[0].AuthorID != o.requester.ID || c[0].Internal {
			t.Fatalf("comments %+v", c)
		}
		files, err := st.Attachments(context.Background(), store.System, o.request.ID)
		if err != nil || len(files) != 1 || files[0].Name != "log.txt" || files[0].UploaderID != o.requester.ID {
			t.Fatalf("attachments %+v %v", files, err)
		}

		// The same message again (the MTA retried, or IMAP and the pipe
		// both delivered it): nothing new, the earlier outcome.
		again := receive(t, st, in)
		if !again.Duplicate || again.Outcome != beheer.MailComment || again.CommentID != res.CommentID || again.Number != o.request.Number {
			t.Fatalf("second delivery %+v", again)
		}
		if n := len(o.comments(t)); n != 1 {
			t.Fatalf("%d comments after the second delivery", n)
		}
	})
}

// TestMailConcurrentDuplicates delivers one message from many goroutines
// at once: exactly one comment, every caller told the same outcome.
func TestMailConcurrentDuplicates(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		o := newMailOrg(t, st)
		id := o.notification(t, o.requester)
		in := beheer.InboundMail{MessageID: "twice@voorbeeld.nl", From: "anna@voorbeeld.nl", Reply: "Dubbel bezorgd",
			References: []string{id}}
		const n = 8
		var wg sync.WaitGroup
		results := make([]*beheer.MailResult, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { results[i], errs[i] = st.ReceiveMail(context.Background(), in) })
		}
		wg.Wait()
		fresh := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("delivery %d: %v", i, errs[i])
			}
			if results[i].Outcome != beheer.MailComment {
				t.Errorf("delivery %d: %+v", i, results[i])
			}
			if !results[i].Duplicate {
				fresh++
			}
		}
		if fresh != 1 {
			t.Errorf("%d deliveries handled as new, want 1", fresh)
		}
		if c := o.comments(t); len(c) != 1 {
			t.Fatalf("%d comments, want 1", len(c))
		}
	})
}

func TestMailRefusalsChangeNothing(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newMailOrg(t, st)
		_, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "kees@voorbeeld.nl", Name: "Kees"}, "")
		if err != nil {
			t.Fatal(err)
		}
		gone, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "oud@voorbeeld.nl", Name: "Oud"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetActive(ctx, store.System, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		toAnna := o.notification(t, o.requester)
		before, _ := st.EventsAfter(ctx, 0, 1000)
		cases := []struct {
			name    string
			in      beheer.InboundMail
			outcome beheer.MailOutcome
			reason  string
		}{
			{"auto-reply", beheer.InboundMail{From: "anna@voorbeeld.nl", Reply: "Afwezig", References: []string{toAnna},
				Auto: "auto-submitted", ToIntake: true}, beheer.MailIgnoredAuto, "auto-submitted"},
			{"bounce", beheer.InboundMail{From: "mailer-daemon@mx.voorbeeld.nl", Text: "failed", ToIntake: true,
				Auto: "null-sender"}, beheer.MailIgnoredAuto, "null-sender"},
			{"unknown sender", beheer.InboundMail{From: "vreemd@elders.nl", Reply: "Hallo", Text: "Hallo", Subject: "Vraag",
				References: []string{toAnna}, ToIntake: true}, beheer.MailRefusedUnknown, "mailin.unknown_sender"},
			{"inactive sender", beheer.InboundMail{From: "oud@voorbeeld.nl", Text: "Hallo", Subject: "Vraag", ToIntake: true},
				beheer.MailRefusedUnknown, "mailin.unknown_sender"},
			{"requester asks for an internal note", beheer.InboundMail{From: "anna@voorbeeld.nl", Subject: "[intern] " + o.request.Number,
				Reply: "Geheim"}, beheer.MailRefusedForbidden, "comment.internal_forbidden"},
			{"someone else's request", beheer.InboundMail{From: "kees@voorbeeld.nl", Subject: "Re: " + o.request.Number,
				Reply: "Ik ook"}, beheer.MailRefusedForbidden, "error.not_found"},
			{"not a reply, not to intake", beheer.InboundMail{From: "kees@voorbeeld.nl", Subject: "Vraag", Text: "Hallo"},
				beheer.MailRefusedUnmatched, "mailin.unmatched"},
			{"empty reply", beheer.InboundMail{From: "anna@voorbeeld.nl", References: []string{toAnna}, Reply: " \n"},
				beheer.MailRefusedEmpty, "mailin.empty"},
			{"control characters", beheer.InboundMail{From: "anna@voorbeeld.nl", References: []string{toAnna}, Reply: "a\x00b"},
				beheer.MailRefusedInvalid, "field.invalid"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.in.MessageID = "refused-" + strconv.Itoa(i) + "@x.nl"
				res := receive(t, st, c.in)
				if res.Outcome != c.outcome || res.Reason != c.reason || res.CommentID != 0 {
					t.Fatalf("result %+v, want %s (%s)", res, c.outcome, c.reason)
				}
				if c.outcome == beheer.MailRefusedForbidden && c.reason == "error.not_found" && res.Number != "" {
					t.Errorf("a refusal for a request the sender may not see names it: %+v", res)
				}
				if again := receive(t, st, c.in); !again.Duplicate || again.Outcome != c.outcome {
					t.Errorf("second delivery %+v", again)
				}
			})
		}
		if c := o.comments(t); len(c) != 0 {
			t.Errorf("refused mail left comments: %+v", c)
		}
		after, _ := st.EventsAfter(ctx, 0, 1000)
		if len(after) != len(before) {
			t.Errorf("refused mail wrote %d events", len(after)-len(before))
		}
		all, err := st.Requests(ctx, store.System, store.Filter{})
		if err != nil || len(all.Items) != 1 {
			t.Errorf("refused mail filed requests: %v %v", all, err)
		}
	})
}

// TestMailInternalNote: staff answering a notification about an internal
// note, or writing "[intern]", write an internal note.
func TestMailInternalNote(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newMailOrg(t, st)
		o.notification(t, o.admin) // the filing event
		if _, err := st.AddComment(ctx, o.admin.Actor(), o.request.ID, beheer.NewComment{Body: "Intern overleg", Internal: true}); err != nil {
			t.Fatal(err)
		}
		toFleur := o.notification(t, o.admin)
		res := receive(t, st, beheer.InboundMail{MessageID: "note-1@x.nl", From: "fleur@voorbeeld.nl",
			Reply: "Eens, intern afhandelen.", References: []string{toFleur}})
		if res.Outcome != beheer.MailComment {
			t.Fatalf("result %+v", res)
		}
		res = receive(t, st, beheer.InboundMail{MessageID: "note-2@x.nl", From: "fleur@voorbeeld.nl",
			Subject: "[intern] Re: " + o.request.Number, Reply: "Nog een notitie."})
		if res.Outcome != beheer.MailComment {
			t.Fatalf("result %+v", res)
		}
		for _, c := range o.comments(t) {
			if !c.Internal {
				t.Errorf("comment %q is public", c.Body)
			}
		}
		public, err := st.Comments(ctx, o.requester.Actor(), o.request.ID)
		if err != nil || len(public) != 0 {
			t.Errorf("the requester sees %+v (%v)", public, err)
		}
	})
}

// TestMailToIntake files a new request; a later reply to that message (a
// colleague answering all) becomes a comment on it, not a second request.
func TestMailToIntake(t *testing.T) {
	storetest.Engines(t, storetest.Options{MaxAttachmentSize: 1024}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newMailOrg(t, st)
		big := make([]byte, 2048)
		res := receive(t, st, beheer.InboundMail{MessageID: "new-1@x.nl", From: "anna@voorbeeld.nl", ToIntake: true,
			Subject: "Fwd: Verlof   aanvragen lukt niet", Text: "Foutmelding bij verlof.\n\nGroet, Anna",
			Files: []beheer.InboundFile{{Name: "../scherm.png", Data: pngBytes}, {Name: "groot.log", Data: big}}})
		if res.Outcome != beheer.MailRequest || res.Number == "" || res.RequestID == 0 {
			t.Fatalf("result %+v", res)
		}
		r, _, err := st.Request(ctx, o.requester.Actor(), res.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Title != "Verlof   aanvragen lukt niet" || r.Description != "Foutmelding bij verlof.\n\nGroet, Anna" ||
			r.RequesterID != o.requester.ID || r.Type != beheer.TypeQuestion || r.Phase != beheer.PhaseIntake {
			t.Fatalf("request %+v", r)
		}
		files, _ := st.Attachments(ctx, o.requester.Actor(), r.ID)
		if len(files) != 1 || files[0].Name != "scherm.png" || files[0].ContentType != "image/png" {
			t.Errorf("attachments %+v", files)
		}
		if len(res.Skipped) != 1 || res.Skipped[0].Reason != "error.too_large" {
			t.Errorf("skipped %+v, want groot.log too large", res.Skipped)
		}
		events, _ := st.EventsAfter(ctx, 0, 1000)
		if last := events[len(events)-1]; last.Kind != store.EventRequestFiled || last.RequestID != r.ID || last.ActorID != o.requester.ID {
			t.Errorf("last event %+v", last)
		}

		reply := receive(t, st, beheer.InboundMail{MessageID: "new-1-reply@x.nl", From: "fleur@voorbeeld.nl", ToIntake: true,
			Subject: "Re: Fwd: Verlof aanvragen lukt niet", Reply: "Ik kijk ernaar.", References: []string{"new-1@x.nl"}})
		if reply.Outcome != beheer.MailComment || reply.RequestID != r.ID {
			t.Fatalf("reply %+v", reply)
		}

		empty := receive(t, st, beheer.InboundMail{MessageID: "new-2@x.nl", From: "anna@voorbeeld.nl", ToIntake: true})
		if empty.Outcome != beheer.MailRefusedEmpty {
			t.Errorf("empty mail %+v", empty)
		}
		noSubject := receive(t, st, beheer.InboundMail{MessageID: "new-3@x.nl", From: "anna@voorbeeld.nl", ToIntake: true,
			Text: "Eerste regel\ntweede regel"})
		r3, _, _ := st.Request(ctx, o.requester.Actor(), noSubject.RequestID)
		if noSubject.Outcome != beheer.MailRequest || r3 == nil || r3.Title != "Eerste regel" {
			t.Errorf("no subject %+v %+v", noSubject, r3)
		}
	})
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0P\x0f\x00\x04\x85\x01\x80\x84\xa9\x8c!\x00\x00\x00\x00IEND\xaeB`\x82")

// TestMailLog lists received messages newest first, a page at a time, for
// the admins of every area only, with an optional outcome filter.
func TestMailLog(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	storetest.Engines(t, storetest.Options{Now: clock}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newMailOrg(t, st)
		// Seven messages; the last two in the same millisecond.
		for i := range 7 {
			mu.Lock()
			if i < 6 {
				now = now.Add(time.Minute)
			}
			mu.Unlock()
			in := beheer.InboundMail{MessageID: "log-" + strconv.Itoa(i) + "@voorbeeld.nl", From: "anna@voorbeeld.nl",
				Subject: "Bericht " + strconv.Itoa(i)}
			if i%2 == 1 {
				in.Auto = "auto-submitted"
			}
			receive(t, st, in)
		}
		var got []string
		cursor := ""
		for pages := 0; ; pages++ {
			p, err := st.MailLog(ctx, o.admin.Actor(), beheer.MailLogFilter{Limit: 3, Cursor: cursor})
			if err != nil || pages > 3 {
				t.Fatalf("page %d: %v", pages, err)
			}
			for _, m := range p.Items {
				got = append(got, m.MessageID)
				if m.UserID == 0 && m.Outcome != beheer.MailIgnoredAuto || m.Sender != "anna@voorbeeld.nl" {
					t.Errorf("entry %+v", m)
				}
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		want := []string{"log-6@voorbeeld.nl", "log-5@voorbeeld.nl", "log-4@voorbeeld.nl", "log-3@voorbeeld.nl",
			"log-2@voorbeeld.nl", "log-1@voorbeeld.nl", "log-0@voorbeeld.nl"}
		if !slices.Equal(got, want) {
			t.Fatalf("log %v, want %v", got, want)
		}

		auto, err := st.MailLog(ctx, o.admin.Actor(), beheer.MailLogFilter{Outcome: beheer.MailIgnoredAuto})
		if err != nil || len(auto.Items) != 3 || auto.NextCursor != "" {
			t.Fatalf("filtered: %+v %v", auto, err)
		}
		for _, f := range []beheer.MailLogFilter{{Outcome: "pending"}, {Cursor: "rommel"}, {Limit: store.MaxLimit + 1}} {
			if _, err := st.MailLog(ctx, o.admin.Actor(), f); beheer.ErrorCode(err) != beheer.CodeInvalid {
				t.Errorf("filter %+v: %v", f, err)
			}
		}

		scoped, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "sven@voorbeeld.nl", Name: "Sven",
			Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin, AreaID: o.request.AreaID}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []*beheer.Actor{o.requester.Actor(), scoped.Actor(), nil} {
			if _, err := st.MailLog(ctx, a, beheer.MailLogFilter{}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("%v read the log: %v", a, err)
			}
		}
	})
}
