package notify

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"beheer"
	"beheer/sla"
	"beheer/store"
	"beheer/store/storetest"
)

// monthlyWorld is an organisation with two months of history: December
// 2025 and January 2026, on a clock the test moves.
type monthlyWorld struct {
	*org
	clock *clock
	fin   int64
}

func (m *monthlyWorld) set(y int, mo time.Month, d, h, min int) time.Time {
	at := time.Date(y, mo, d, h, min, 0, 0, sla.Amsterdam)
	m.clock.ms.Store(at.UnixMilli())
	return at
}

// close takes a request through the phases to Afgerond on the current
// day; rating, when not 0, is the requester's rating in Optimalisatie.
func (m *monthlyWorld) close(t *testing.T, r *beheer.Request, rating int) {
	t.Helper()
	ctx := context.Background()
	admin := m.actor("functional")
	toOptimisation(t, m.st, admin, r.ID)
	if rating != 0 {
		if _, err := m.st.Evaluate(ctx, m.actor("requester"), r.ID, beheer.Evaluation{Rating: rating}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: beheer.PhaseClosed}); err != nil {
		t.Fatal(err)
	}
}

// newMonthlyWorld files, in December, three requests in HR (one done the
// same day, rated 5); in January four in HR and one in Financieel, of
// which one is done the same day (rated 3) and one, filed on 5 January,
// only on the 28th: past its target of five working days. Three people
// hold the management role; one of them switched the report off.
func newMonthlyWorld(t *testing.T, st *store.Store, c *clock) *monthlyWorld {
	t.Helper()
	ctx := context.Background()
	m := &monthlyWorld{org: newOrg(t, st), clock: c}
	fin, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "fin", Name: "Financieel"})
	if err != nil {
		t.Fatal(err)
	}
	m.fin = fin.ID
	for _, p := range []struct{ name, lang string }{{"dirk", "nl"}, {"erik", "en"}, {"stil", "nl"}} {
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: p.name + "@voorbeeld.nl", Name: "Directeur " + p.name,
			Lang: p.lang, Roles: []beheer.Assignment{{Role: beheer.RoleManagement}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		m.ids[p.name], m.users[p.name] = u.ID, u
	}
	if err := st.SetNotifyPrefs(ctx, m.actor("stil"), map[string]string{store.NotifyMonthly: store.ModeOff}); err != nil {
		t.Fatal(err)
	}

	m.set(2025, time.December, 3, 10, 0)
	for i := range 3 {
		r := m.file(t, "requester", fmt.Sprintf("Vraag in december %d", i), beheer.TypeQuestion)
		if i == 0 {
			m.close(t, r, 5)
		}
	}
	m.set(2025, time.December, 31, 16, 0)
	if _, err := st.SLASweep(ctx); err != nil {
		t.Fatal(err)
	}

	m.set(2026, time.January, 5, 10, 0)
	var late *beheer.Request
	for i := range 4 {
		r := m.file(t, "requester", fmt.Sprintf("Vraag in januari %d", i), beheer.TypeQuestion)
		switch i {
		case 0:
			m.close(t, r, 3)
		case 1:
			late = r
		}
	}
	if _, err := st.CreateRequest(ctx, m.actor("requester"), beheer.NewRequest{Type: beheer.TypeQuestion,
		Title: "Vraag over de grootboekrekening", AreaID: m.fin}); err != nil {
		t.Fatal(err)
	}
	m.set(2026, time.January, 28, 15, 0)
	m.close(t, late, 0)
	m.set(2026, time.January, 30, 16, 0)
	if _, err := st.SLASweep(ctx); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMonthlyReport: on the first working day of the month the directors
// who did not switch it off get the figures of the month before, with the
// month before that beside them, through a real SMTP server: on 2 January
// (New Year's Day is a holiday) about December, on Monday 2 February (the
// first is a Sunday) about January. It goes out once: two processes on one
// database at the same moment queue it once between them, and later runs
// that day, from either, send nothing more.
func TestMonthlyReport(t *testing.T) {
	c := newClock()
	storetest.EnginesWithDB(t, storetest.Options{Now: c.Now}, func(t *testing.T, st *store.Store, _ *sql.DB, dsn string) {
		ctx := context.Background()
		sink := newSMTPSink(t)
		m := newMonthlyWorld(t, st, c)
		w := workersFor(t, st, sink)
		run := func(w *Workers, want int, y int, mo time.Month, d, h, min int) {
			t.Helper()
			now := m.set(y, mo, d, h, min)
			n, err := w.MonthlyReport(ctx, now)
			if err != nil || n != want {
				t.Fatalf("monthly report at %v: %d queued, %v; want %d", now, n, err, want)
			}
			drain(t, w)
		}

		run(w, 0, 2026, time.January, 1, 10, 0) // New Year's Day
		run(w, 2, 2026, time.January, 2, 9, 0)
		if got := len(reports(t, sink, "")); got != 2 {
			t.Fatalf("%d reports about December, want 2", got)
		}
		run(w, 0, 2026, time.January, 2, 15, 0) // the same day again

		run(w, 0, 2026, time.February, 1, 12, 0) // a Sunday
		run(w, 0, 2026, time.February, 2, 8, 15) // before opening
		// Two server processes on one database, both at it at opening time.
		other := workersFor(t, storetest.Open(t, dsn, storetest.Options{Now: c.Now}), sink)
		now := m.set(2026, time.February, 2, 9, 0)
		var wg sync.WaitGroup
		var queued [2]int
		for i, wk := range []*Workers{w, other} {
			wg.Go(func() {
				n, err := wk.MonthlyReport(ctx, now)
				if err != nil {
					t.Error(err)
				}
				queued[i] = n
			})
		}
		wg.Wait()
		if queued[0]+queued[1] != 2 {
			t.Fatalf("the two processes queued %v reports, want 2 in all", queued)
		}
		drain(t, w)
		run(w, 0, 2026, time.February, 2, 9, 5)
		run(other, 0, 2026, time.February, 2, 11, 0) // later that day
		run(w, 0, 2026, time.February, 3, 9, 0)      // and the days after

		if got := len(reports(t, sink, "")); got != 4 {
			t.Fatalf("%d reports in all, want 4", got)
		}
		for _, who := range []string{"stil", "requester", "functional", "keyuser", "technical"} {
			if got := reports(t, sink, who+"@voorbeeld.nl"); len(got) != 0 {
				t.Errorf("%s got the monthly report %d times", who, len(got))
			}
		}

		dirk := reports(t, sink, "dirk@voorbeeld.nl")
		if len(dirk) != 2 || dirk[0].Subject != "Maandrapport beheer december 2025" || dirk[1].Subject != "Maandrapport beheer januari 2026" {
			t.Fatalf("dirk's subjects: %v", subjects(dirk))
		}
		jan := dirk[1]
		// January beside December, as the dashboard counts them: filed 5
		// and 3; closed 2 and 1; open at the end 5 and 2; one of January's
		// two resolved late; ratings 3 and 5.
		for _, row := range []string{
			`Cijfer\s+januari 2026\s+december 2025`,
			`Nieuw gemeld\s+5\s+3`,
			`Afgesloten\s+2\s+1`,
			`Open aan het eind van de maand\s+5\s+2`,
			`Te laat opgelost\s+1 van 2\s+0 van 1`,
			`Oplostermijn gehaald\s+50%\s+100%`,
			`Tevredenheid \(1 tot 5\)\s+3,0\s+5,0`,
			`Beoordelingen\s+1\s+1`,
			`HR\s+4 \(3\)\s+2 \(1\)\s+4 \(2\)\s+50% \(100%\)`,
			`Financieel\s+1 \(0\)\s+0 \(0\)\s+1 \(0\)\s+– \(–\)`,
		} {
			if !regexp.MustCompile(row).MatchString(jan.Text) {
				t.Errorf("text part lacks %q:\n%s", row, jan.Text)
			}
		}
		link := "https://beheer.voorbeeld.nl/dashboard?from=2025-12&to=2026-01"
		for part, body := range map[string]string{"text": jan.Text, "html": jan.HTML} {
			if !strings.Contains(body, link) && !strings.Contains(body, strings.ReplaceAll(link, "&", "&amp;")) {
				t.Errorf("%s part lacks the dashboard link", part)
			}
			if !strings.Contains(body, "Beste Directeur dirk,") || !strings.Contains(body, "/settings/notifications") {
				t.Errorf("%s part lacks the greeting or the settings link", part)
			}
		}
		for _, want := range []string{`<th scope="row"`, "Nieuw gemeld", "Per aandachtsgebied", "Financieel"} {
			if !strings.Contains(jan.HTML, want) {
				t.Errorf("html part lacks %q", want)
			}
		}
		erik := reports(t, sink, "erik@voorbeeld.nl")
		if len(erik) != 2 || erik[1].Subject != "Monthly management report January 2026" ||
			!regexp.MustCompile(`Newly filed\s+5\s+3`).MatchString(erik[1].Text) || erik[1].Header.Get("Content-Language") != "en" {
			t.Errorf("English report: %v\n%s", subjects(erik), erik[len(erik)-1].Text)
		}
	})
}

// reports returns the monthly reports received, for one address or ("")
// all: the other mail of the month (phase changes) does not count.
func reports(t *testing.T, sink *smtpSink, addr string) []parsedMail {
	t.Helper()
	var out []parsedMail
	for _, m := range sink.messages() {
		if addr != "" && to(m) != addr {
			continue
		}
		if p := parseMail(t, m.Data); strings.HasPrefix(p.Subject, "Maandrapport") || strings.HasPrefix(p.Subject, "Monthly") {
			out = append(out, p)
		}
	}
	return out
}

func subjects(ms []parsedMail) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Subject)
	}
	return out
}
