package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestPersonalData exports everything about a person, anonymises them after
// they left (their requests keep their history; name and e-mail are gone),
// and removes old attachments after the retention period.
func TestPersonalData(t *testing.T) {
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	storetest.Engines(t, storetest.Options{Now: clock}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag over verlof", AreaID: area.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddComment(ctx, requester.Actor(), r.ID, beheer.NewComment{Body: "Met vriendelijke groet, Anna"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddAttachment(ctx, requester.Actor(), r.ID, "loonstrook.txt", []byte("gegevens")); err != nil {
			t.Fatal(err)
		}
		// Anna's mail: a reply that became a comment, a refused message, and
		// an auto-reply from her address that is linked to nobody. Bram's
		// auto-reply is not hers.
		for _, in := range []beheer.InboundMail{
			{MessageID: "privacy-1@voorbeeld.nl", From: "Anna@Voorbeeld.nl", Subject: "Re: verlof " + r.Number, Reply: "Dank je wel"},
			{MessageID: "privacy-2@voorbeeld.nl", From: "anna@voorbeeld.nl", Subject: "Losse vraag"},
			{MessageID: "privacy-3@voorbeeld.nl", From: "ANNA@voorbeeld.nl", Subject: "Afwezig", Auto: "auto-submitted"},
			{MessageID: "privacy-4@voorbeeld.nl", From: "bram@voorbeeld.nl", Subject: "Afwezig", Auto: "auto-submitted"},
		} {
			if _, err := st.ReceiveMail(ctx, in); err != nil {
				t.Fatal(err)
			}
		}

		// Export: the person themselves or an admin for all areas; nobody else.
		d, err := st.ExportPerson(ctx, requester.Actor(), requester.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Requests) != 1 || len(d.Comments) != 2 || len(d.Audit) == 0 || d.User.Email != "anna@voorbeeld.nl" {
			t.Fatalf("export: %+v", d)
		}
		wantMail := []beheer.PersonMail{
			{MessageID: "privacy-1@voorbeeld.nl", ReceivedAt: now, Subject: "Re: verlof " + r.Number, Outcome: beheer.MailComment, Number: r.Number},
			{MessageID: "privacy-2@voorbeeld.nl", ReceivedAt: now, Subject: "Losse vraag", Outcome: beheer.MailRefusedUnmatched},
			{MessageID: "privacy-3@voorbeeld.nl", ReceivedAt: now, Subject: "Afwezig", Outcome: beheer.MailIgnoredAuto},
		}
		if !slices.Equal(d.Mail, wantMail) {
			t.Fatalf("exported mail %+v, want %+v", d.Mail, wantMail)
		}
		other, _ := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "bram@voorbeeld.nl", Name: "Bram"}, "")
		if _, err := st.ExportPerson(ctx, other.Actor(), requester.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("another person exported Anna: %v", err)
		}

		// Anonymise.
		if err := st.Anonymise(ctx, requester.Actor(), requester.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a user anonymised: %v", err)
		}
		if err := st.Anonymise(ctx, admin.Actor(), requester.ID); err != nil {
			t.Fatal(err)
		}
		users, _ := st.Users(ctx, admin.Actor())
		raw, _ := json.Marshal(users)
		if strings.Contains(string(raw), "anna@voorbeeld.nl") || strings.Contains(string(raw), `"Anna"`) {
			t.Fatalf("name or e-mail still held: %s", raw)
		}
		got, _, err := st.Request(ctx, admin.Actor(), r.ID)
		if err != nil || got.Title != "Vraag over verlof" || strings.Contains(got.RequesterName, "Anna") {
			t.Fatalf("request after anonymising: %+v %v", got, err)
		}
		audit, _ := st.Audit(ctx, admin.Actor(), r.ID)
		if len(audit) == 0 {
			t.Fatal("the request lost its history")
		}
		if _, _, err := st.UserByEmail(ctx, "anna@voorbeeld.nl"); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Fatalf("the old address still finds someone: %v", err)
		}
		// Her mail keeps its subjects (free text, as comment bodies are
		// kept) but loses her address; Bram's keeps his.
		log, err := st.MailLog(ctx, admin.Actor(), beheer.MailLogFilter{})
		if err != nil || len(log.Items) != 4 {
			t.Fatalf("mail log after anonymising: %+v %v", log, err)
		}
		for _, m := range log.Items {
			wantSender := ""
			if m.MessageID == "privacy-4@voorbeeld.nl" {
				wantSender = "bram@voorbeeld.nl"
			}
			if m.Sender != wantSender || m.Subject == "" {
				t.Errorf("mail %s after anonymising: sender %q, subject %q", m.MessageID, m.Sender, m.Subject)
			}
		}
		after, err := st.ExportPerson(ctx, admin.Actor(), requester.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ = json.Marshal(after)
		if strings.Contains(strings.ToLower(string(raw)), "anna@voorbeeld.nl") || len(after.Mail) != 2 {
			t.Fatalf("export after anonymising: %s", raw)
		}

		// Retention: closed more than six months ago → contents removed.
		for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation, beheer.PhaseClosed} {
			if _, err := st.Transition(ctx, admin.Actor(), r.ID, 0, beheer.Transition{To: to}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := st.PurgeAttachments(ctx, 6); err != nil || n != 0 {
			t.Fatalf("purged a fresh one: %d %v", n, err)
		}
		later := st.WithClock(func() time.Time { return now.AddDate(0, 7, 0) })
		if n, err := later.PurgeAttachments(ctx, 6); err != nil || n != 1 {
			t.Fatalf("purge after 7 months: %d %v", n, err)
		}
		files, _ := st.Attachments(ctx, admin.Actor(), r.ID)
		if len(files) != 0 {
			t.Fatalf("purged attachment still listed: %v", files)
		}
	})
}
