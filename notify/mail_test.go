package notify

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// mailsTo returns the received messages for one address.
func mailsTo(t *testing.T, sink *smtpSink, addr string) []parsedMail {
	t.Helper()
	var out []parsedMail
	for _, m := range sink.messages() {
		if to(m) == addr {
			out = append(out, parseMail(t, m.Data))
		}
	}
	return out
}

func TestMailEndToEnd(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		w := workersFor(t, st, sink)

		nl := o.file(t, "requester", "Declaratie reiskosten", beheer.TypeQuestion)
		en := o.file(t, "english", "Payslip missing", beheer.TypeQuestion)
		for _, r := range []*beheer.Request{nl, en} {
			if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
				t.Fatal(err)
			}
		}
		drain(t, w)

		got := mailsTo(t, sink, "requester@voorbeeld.nl")
		if len(got) != 1 {
			t.Fatalf("requester got %d mails, want 1", len(got))
		}
		m := got[0]
		if want := "Aanvraag " + nl.Number + " is nu in de fase Onderzoek: Declaratie reiskosten"; m.Subject != want {
			t.Errorf("subject = %q, want %q", m.Subject, want)
		}
		if !strings.Contains(m.Header.Get("To"), "requester@voorbeeld.nl") || !strings.Contains(m.Header.Get("From"), "beheer@voorbeeld.nl") {
			t.Errorf("To = %q, From = %q", m.Header.Get("To"), m.Header.Get("From"))
		}
		if m.Header.Get("Content-Language") != "nl" {
			t.Errorf("Content-Language = %q", m.Header.Get("Content-Language"))
		}
		link := fmt.Sprintf("https://beheer.voorbeeld.nl/requests/%d", nl.ID)
		for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
			if !strings.Contains(body, link) {
				t.Errorf("%s part lacks the link %s:\n%s", part, link, body)
			}
			if !strings.Contains(body, "Beste Persoon requester,") || !strings.Contains(body, "verplaatst naar de fase Onderzoek") {
				t.Errorf("%s part is not the Dutch text:\n%s", part, body)
			}
		}
		if !strings.Contains(m.HTML, "<a href=\""+link+"\"") {
			t.Errorf("html part has no link element")
		}
		if id := m.Header.Get("Message-Id"); !strings.HasPrefix(id, "<beheer.outbox.") || !strings.HasSuffix(id, "@voorbeeld.nl>") {
			t.Errorf("Message-ID = %q", id)
		}

		eng := mailsTo(t, sink, "english@voorbeeld.nl")
		if len(eng) != 1 {
			t.Fatalf("English requester got %d mails, want 1", len(eng))
		}
		if want := "Request " + en.Number + " is now in the Investigation phase: Payslip missing"; eng[0].Subject != want {
			t.Errorf("subject = %q, want %q", eng[0].Subject, want)
		}
		if !strings.Contains(eng[0].Text, "Dear Persoon english,") || eng[0].Header.Get("Content-Language") != "en" {
			t.Errorf("English mail is not in English:\n%s", eng[0].Text)
		}

		// Nothing is sent twice.
		drain(t, w)
		if n := len(sink.messages()); n != 2 {
			t.Errorf("%d messages after a second run, want 2", n)
		}
		// The bell shows the same.
		n, err := st.UnreadNotifications(ctx, o.ids["requester"])
		if err != nil || n != 1 {
			t.Errorf("unread = %d, %v; want 1", n, err)
		}
	})
}

func TestInternalNoteNeverReachesRequester(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		r := o.file(t, "requester", "Toegang tot salarismodule", beheer.TypeAccess)
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		w := workersFor(t, st, sink)
		drain(t, w)
		before := len(mailsTo(t, sink, "requester@voorbeeld.nl"))
		unreadBefore, _ := st.UnreadNotifications(ctx, o.ids["requester"])

		// functional2 writes an internal note: the assignee (functional) hears
		// of it, the requester neither by mail nor in the portal.
		if _, err := st.AddComment(ctx, o.actor("functional2"), r.ID, beheer.NewComment{Body: "Let op: manager nog niet akkoord", Internal: true}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		if got := len(mailsTo(t, sink, "requester@voorbeeld.nl")); got != before {
			t.Errorf("requester got %d new mails for an internal note", got-before)
		}
		if n, _ := st.UnreadNotifications(ctx, o.ids["requester"]); n != unreadBefore {
			t.Errorf("requester got %d new notifications for an internal note", n-unreadBefore)
		}
		for _, m := range sink.messages() {
			if strings.Contains(string(m.Data), "manager nog niet akkoord") {
				t.Errorf("note text left the building in a mail to %s", to(m))
			}
		}
		assignee := mailsTo(t, sink, "functional@voorbeeld.nl")
		if len(assignee) != 1 || !strings.Contains(assignee[0].Text, "interne notitie") {
			t.Fatalf("assignee mails = %d, want 1 about the internal note", len(assignee))
		}
		list, err := st.Notifications(ctx, o.actor("functional"), 0, 10)
		if err != nil || len(list) != 1 || list[0].Data["internal"] != "true" {
			t.Errorf("assignee notifications = %+v, %v", list, err)
		}

		// A public message does reach the requester.
		if _, err := st.AddComment(ctx, o.actor("functional2"), r.ID, beheer.NewComment{Body: "Wij kijken ernaar"}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		if got := len(mailsTo(t, sink, "requester@voorbeeld.nl")); got != before+1 {
			t.Errorf("requester got %d new mails for a public message, want 1", got-before)
		}
	})
}

// TestHeaderInjection: a name and a title with line breaks are refused
// when they are written; stored before that (put there by SQL), they
// still cannot add a header to the mail.
func TestHeaderInjection(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		const evilName, evilTitle = "Jan\r\nBcc: evil@x\r\nX-Injected: yes", "Hallo\r\nBcc: evil@x\r\nX-Injected: yes"
		if _, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "evil-name@voorbeeld.nl", Name: evilName}, ""); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a name with line breaks: %v", err)
		}
		evil, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "evil-name@voorbeeld.nl", Name: "Jan"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateRequest(ctx, evil.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: evilTitle, AreaID: o.area}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("a title with line breaks: %v", err)
		}
		r, err := st.CreateRequest(ctx, evil.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Hallo", AreaID: o.area})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE users SET name = $1 WHERE id = $2`, evilName, evil.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE requests SET title = $1 WHERE id = $2`, evilTitle, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		drain(t, workersFor(t, st, sink))
		msgs := sink.messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages, want 1", len(msgs))
		}
		if to(msgs[0]) != "evil-name@voorbeeld.nl" {
			t.Errorf("RCPT TO = %v, want only the requester", msgs[0].Rcpts)
		}
		m := parseMail(t, msgs[0].Data)
		for _, h := range []string{"Bcc", "X-Injected"} {
			if v := m.Header.Get(h); v != "" {
				t.Errorf("header %s was injected: %q", h, v)
			}
		}
		if !strings.Contains(m.Subject, "Hallo Bcc: evil@x X-Injected: yes") {
			t.Errorf("subject = %q, want the title as plain text", m.Subject)
		}
	})
}

// TestOutboxCrashAndRestart: a worker claims a row and dies before sending
// or marking it; once the lease runs out another worker sends it, exactly
// once. The dead worker coming back cannot mark it again.
func TestOutboxCrashAndRestart(t *testing.T) {
	clk := newClock()
	storetest.Engines(t, storetest.Options{Now: clk.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		o := newOrg(t, st)
		r := o.file(t, "requester", "Crashtest", beheer.TypeQuestion)
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		w := workersFor(t, st, sink)
		if _, err := w.Notifier.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		// Worker A claims and "crashes": it never sends nor marks.
		claimed, err := st.ClaimMail(ctx, "worker-a", time.Minute, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim = %d, %v; want 1", len(claimed), err)
		}
		// While A's lease holds, nobody else takes the row.
		if n, err := w.Mailer.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("second worker claimed %d during the lease (%v)", n, err)
		}
		clk.Add(61 * time.Second)
		if n, err := w.Mailer.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("after the lease: claimed %d, %v; want 1", n, err)
		}
		clk.Add(time.Hour)
		for range 3 {
			if n, _ := w.Mailer.RunOnce(ctx); n != 0 {
				t.Fatalf("sent row claimed again")
			}
		}
		if n := len(sink.messages()); n != 1 {
			t.Fatalf("%d messages, want exactly 1", n)
		}
		if ok, err := st.MailSent(ctx, claimed[0].ID, "worker-a"); err != nil || ok {
			t.Errorf("the dead worker could still mark the row (%v, %v)", ok, err)
		}
		m := parseMail(t, sink.messages()[0].Data)
		if want := "<" + MessageID(claimed[0].ID, claimed[0].CreatedAt, "beheer@voorbeeld.nl") + ">"; m.Header.Get("Message-Id") != want {
			t.Errorf("Message-ID = %q, want the stable %q", m.Header.Get("Message-Id"), want)
		}
	})
}

// TestRetryWithBackoff: a temporary SMTP failure is retried after the
// backoff; a permanent one is given up.
func TestRetryWithBackoff(t *testing.T) {
	clk := newClock()
	storetest.Engines(t, storetest.Options{Now: clk.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		sink.reject = func(n int) error {
			if n == 0 {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
			}
			return nil
		}
		o := newOrg(t, st)
		r := o.file(t, "requester", "Herhaling", beheer.TypeQuestion)
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		w := workersFor(t, st, sink)
		drain(t, w)
		if len(sink.messages()) != 0 {
			t.Fatal("sent despite the refusal")
		}
		list, _ := st.MailOutbox(ctx, store.System, 0, 10)
		if len(list) != 1 || list[0].Attempts != 1 || !strings.Contains(list[0].LastError, "try again later") {
			t.Fatalf("outbox = %+v", list)
		}
		clk.Add(20 * time.Second) // before the 30 s backoff
		drain(t, w)
		if len(sink.messages()) != 0 {
			t.Fatal("retried before the backoff")
		}
		clk.Add(15 * time.Second)
		drain(t, w)
		if len(sink.messages()) != 1 {
			t.Fatalf("%d messages after the backoff, want 1", len(sink.messages()))
		}
		list, _ = st.MailOutbox(ctx, store.System, 0, 10)
		if list[0].SentAt.IsZero() || list[0].Attempts != 2 || list[0].LastError != "" {
			t.Errorf("outbox after success = %+v", list[0])
		}

		// A permanent refusal is not retried.
		sink.reject = func(int) error {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		if _, err := st.AddComment(ctx, o.actor("functional"), r.ID, beheer.NewComment{Body: "Nog een vraag"}); err != nil {
			t.Fatal(err)
		}
		drain(t, w)
		list, _ = st.MailOutbox(ctx, store.System, 0, 10)
		if list[0].FailedAt.IsZero() || list[0].Attempts != 1 {
			t.Errorf("permanent failure not given up: %+v", list[0])
		}
	})
}

// TestEventsHandledOnceByTwoWorkers: two processes (two store handles on one
// database) run the event worker at the same time; every event yields one
// set of notifications and outbox rows.
func TestEventsHandledOnceByTwoWorkers(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "beheer.db")
			if engine == "postgres" {
				dsn = storetest.PostgresURL(t)
			}
			stA, stB := openTwo(t, dsn)
			sink := newSMTPSink(t)
			o := newOrg(t, stA)
			ctx := context.Background()
			const n = 12
			for i := range n {
				r := o.file(t, "requester", fmt.Sprintf("Aanvraag %d", i), beheer.TypeQuestion)
				if _, err := stA.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
					t.Fatal(err)
				}
			}
			wA, wB := workersFor(t, stA, sink), workersFor(t, stB, sink)
			wA.Notifier.st, wB.Notifier.st = stA, stB
			runConcurrently(t, func(ctx context.Context) (int, error) {
				n, err := wA.Notifier.st.ProcessNotifications(ctx, 3, Notifies, wA.Notifier.Plan)
				return n, err
			}, func(ctx context.Context) (int, error) {
				return wB.Notifier.st.ProcessNotifications(ctx, 3, Notifies, wB.Notifier.Plan)
			})
			runConcurrently(t, wA.Mailer.RunOnce, wB.Mailer.RunOnce)
			if got := len(sink.messages()); got != n {
				t.Errorf("%d mails, want %d", got, n)
			}
			list, err := stA.Notifications(ctx, o.actor("requester"), 0, 100)
			if err != nil || len(list) != n {
				t.Errorf("%d notifications, want %d (%v)", len(list), n, err)
			}
			assertUniqueMessageIDs(t, sink)
		})
	}
}

// TestTwoMailersOnePostgres: two processes on one PostgreSQL database send
// from one outbox; each mail goes out once.
func TestTwoMailersOnePostgres(t *testing.T) {
	stA, stB := openTwo(t, storetest.PostgresURL(t))
	sink := newSMTPSink(t)
	o := newOrg(t, stA)
	ctx := context.Background()
	const n = 30
	for i := range n {
		r := o.file(t, "requester", fmt.Sprintf("Aanvraag %d", i), beheer.TypeQuestion)
		if _, err := stA.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
	}
	wA, wB := workersFor(t, stA, sink), workersFor(t, stB, sink)
	if _, err := wA.Notifier.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// Small batches, so both take part.
	claim := func(w *Workers) func(context.Context) (int, error) {
		return func(ctx context.Context) (int, error) { return w.Mailer.RunOnce(ctx) }
	}
	runConcurrently(t, claim(wA), claim(wB))
	if got := len(sink.messages()); got != n {
		t.Errorf("%d mails, want %d", got, n)
	}
	assertUniqueMessageIDs(t, sink)
}

func openTwo(t *testing.T, dsn string) (*store.Store, *store.Store) {
	t.Helper()
	var out [2]*store.Store
	for i := range out {
		st, err := store.Open(context.Background(), dsn, store.Options{Logger: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		out[i] = st
	}
	return out[0], out[1]
}

// runConcurrently runs each step in its own goroutine until both find no
// more work.
func runConcurrently(t *testing.T, steps ...func(context.Context) (int, error)) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(steps))
	for _, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idle := 0
			for idle < 3 {
				n, err := step(context.Background())
				if err != nil {
					errs <- err
					return
				}
				if n == 0 {
					idle++
					time.Sleep(5 * time.Millisecond)
				} else {
					idle = 0
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func assertUniqueMessageIDs(t *testing.T, sink *smtpSink) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range sink.messages() {
		id := parseMail(t, m.Data).Header.Get("Message-Id")
		if seen[id] {
			t.Errorf("message %s sent twice", id)
		}
		seen[id] = true
	}
}
