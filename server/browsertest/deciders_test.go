package browsertest

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"

	"beheer"
	"beheer/notify"
)

// mailbox is a real SMTP server on loopback that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	raw  map[string][]string // recipient → messages
	port int
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	m := &mailbox{raw: map[string][]string{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: m}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return m
}

func (m *mailbox) to(addr string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.raw[addr]...)
}

type mailSession struct {
	box   *mailbox
	rcpts []string
}

func (x *mailSession) Reset()                               { x.rcpts = nil }
func (x *mailSession) Logout() error                        { return nil }
func (x *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.rcpts = append(x.rcpts, to)
	return nil
}
func (x *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.box.mu.Lock()
	defer x.box.mu.Unlock()
	for _, to := range x.rcpts {
		x.box.raw[to] = append(x.box.raw[to], string(b))
	}
	return nil
}

// TestDecideFromMail: a change request in Financieel, an area without key
// user, waits for the decision of the owner of its process, Bram, who
// holds no role. The notice reaches Bram over SMTP with a link; signed
// out, the link asks him to sign in and then opens the decision form; he
// approves, and the request can move to Uitvoering. The link a second time
// says it was used. On the way: the approval rule of HR set to two of
// three (a rule asking four refused beside the field), and Kees's deputy
// set from his settings (a period ending before it starts refused).
func TestDecideFromMail(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bg := context.Background()
	box := newMailbox(t)
	workers, err := notify.New(s.st, notify.Config{From: "Beheer <beheer@voorbeeld.nl>", BaseURL: s.url, TLS: "none",
		SMTPHost: "127.0.0.1", SMTPPort: box.port, Lease: time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fleur := actorOf(t, s, "fleur")
	proc, err := s.st.CreateProcess(bg, fleur, beheer.Process{AreaID: s.areas["financieel"], Name: "Budgetten", OwnerID: s.ids["bram"]})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.st.CreateRequest(bg, actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeChange,
		Title: "Extra kostenplaats voor projecten", Description: "Graag een kostenplaats per project.", AreaID: s.areas["financieel"], ProcessID: proc.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Transition(bg, fleur, r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
		t.Fatal(err)
	}
	waiting := beheer.StatusAwaitingDecision
	if _, err := s.st.UpdateRequest(bg, fleur, r.ID, 0, beheer.Patch{Status: &waiting}); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		n, err := workers.Notifier.RunOnce(bg)
		if err != nil {
			t.Fatal(err)
		}
		m, err := workers.Mailer.RunOnce(bg)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 && m == 0 {
			break
		}
	}
	link := ""
	for _, raw := range box.to("bram@voorbeeld.nl") {
		decoded, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
		m := string(decoded)
		if found := regexp.MustCompile(regexp.QuoteMeta(s.url) + `/decide/[A-Za-z0-9_-]{43}`).FindString(m); found != "" {
			link = found
		}
	}
	if link == "" {
		t.Fatalf("no decision link reached Bram: %q", box.to("bram@voorbeeld.nl"))
	}

	// Signed out, the link asks to sign in first and then opens the form.
	open(t, ctx, link)
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "bram@voorbeeld.nl"),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
	)
	submit(t, ctx, "#password")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#decide-motivation")))
	has(t, ctx, "the decision form", "Besluit door", "De proceseigenaar van Budgetten besluit: Bram Jansen", "Financieel heeft geen sleutelgebruiker")
	both(t, ctx, "deciders-link-form")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#decide-approved")),
		chromedp.SendKeys(chromedp.CSS("#decide-motivation"), "Akkoord: past binnen het budget van dit jaar."),
	)
	if status := submit(t, ctx, "#decide-motivation"); status != 200 {
		fail(t, ctx, errorf("decision answered %d", status))
	}
	has(t, ctx, "after the decision", "Uw besluit is vastgelegd.", "Besloten door Bram Jansen")
	both(t, ctx, "deciders-decided")
	if _, err := s.st.Transition(bg, fleur, r.ID, 0, beheer.Transition{To: beheer.PhaseExecution}); err != nil {
		t.Fatalf("to Uitvoering after the owner's decision: %v", err)
	}

	// The link a second time.
	if status := open(t, ctx, link); status != 409 {
		fail(t, ctx, errorf("used link answered %d", status))
	}
	has(t, ctx, "used link", "Deze link is al gebruikt")
	both(t, ctx, "deciders-link-used")
	logout(t, ctx)

	// The approval rule of HR: two of three.
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/areas/"+strconv.FormatInt(s.areas["hr"], 10))
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#approval-rule-mode-quorum")),
		chromedp.Click(chromedp.CSS("#approval-rule-decider-"+strconv.FormatInt(s.ids["kees"], 10))),
		chromedp.Click(chromedp.CSS("#approval-rule-decider-"+strconv.FormatInt(s.ids["fleur"], 10))),
		chromedp.Click(chromedp.CSS("#approval-rule-decider-"+strconv.FormatInt(s.ids["dirk"], 10))),
		chromedp.SetValue(chromedp.CSS("#approval-rule-required"), "4"),
	)
	if status := submit(t, ctx, "#approval-rule-required"); status != 422 {
		fail(t, ctx, errorf("a rule of 4 of 3 answered %d", status))
	}
	if got := text(t, ctx, "#approval-rule-required-error"); got == "" {
		fail(t, ctx, errorf("no message beside the number"))
	}
	both(t, ctx, "deciders-rule-refused")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#approval-rule-required"), "2"))
	submit(t, ctx, "#approval-rule-required")
	has(t, ctx, "rule saved", "De besluitregel is opgeslagen.")
	rule, err := s.st.ApprovalRule(bg, fleur, s.areas["hr"])
	if err != nil || rule.Mode != beheer.ApprovalQuorum || rule.Required != 2 || len(rule.Deciders) != 3 {
		t.Fatalf("rule %+v, %v", rule, err)
	}
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#approval-rule")))
	both(t, ctx, "deciders-rule")
	logout(t, ctx)

	// Under the rule Kees's approval is one of two needed.
	hr, err := s.st.CreateRequest(bg, actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeChange,
		Title: "Verlofsoort mantelzorg toevoegen", AreaID: s.areas["hr"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Transition(bg, fleur, hr.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.UpdateRequest(bg, fleur, hr.ID, 0, beheer.Patch{Status: &waiting}); err != nil {
		t.Fatal(err)
	}
	s.login(t, ctx, "kees")
	open(t, ctx, s.url+"/requests/"+strconv.FormatInt(hr.ID, 10))
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#decide-approved")),
		chromedp.SendKeys(chromedp.CSS("#decide-motivation"), "Akkoord vanuit HR."),
	)
	submit(t, ctx, "#decide-motivation")
	has(t, ctx, "one of two", "Uw stem is vastgelegd.", "1 van 2 goedkeuringen binnen.", "Wacht nog op: Dirk Mulder, Fleur Visser.",
		"Kees Bakker stemde: Goedgekeurd.")
	do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#deciders")))
	both(t, ctx, "deciders-one-of-two")

	// Kees sets his deputy from his settings.
	open(t, ctx, s.url+"/settings/notifications")
	follow(t, ctx, `a[href="/settings/deputy"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#deputy-deputy_id")))
	choose(t, ctx, "#deputy-deputy_id", "Fleur Visser")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#deputy-from"), "2026-07-20"),
		chromedp.SetValue(chromedp.CSS("#deputy-until"), "2026-07-01"),
	)
	if status := submit(t, ctx, "#deputy-until"); status != 422 {
		fail(t, ctx, errorf("a period ending before it starts answered %d", status))
	}
	has(t, ctx, "period refused", "De einddatum ligt vóór de begindatum.")
	if d, _ := s.st.Deputy(bg, actorOf(t, s, "kees"), s.ids["kees"]); d != nil {
		t.Fatalf("a refused deputy was kept: %+v", d)
	}
	both(t, ctx, "deciders-deputy-refused")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#deputy-until"), "2026-08-07"))
	submit(t, ctx, "#deputy-until")
	has(t, ctx, "deputy saved", "De vervanging is opgeslagen.", "Fleur Visser vervangt van")
	both(t, ctx, "deciders-deputy")

	// The same page in English, and the decided change's decision block
	// as Fleur reads it in English.
	submit(t, ctx, `form[action="/settings/lang"] button`)
	open(t, ctx, s.url+"/settings/deputy")
	has(t, ctx, "deputy in English", "Your deputy", "Fleur Visser stands in from")
	both(t, ctx, "deciders-deputy-en")
	submit(t, ctx, `form[action="/settings/lang"] button`)
	logout(t, ctx)
	s.login(t, ctx, "fleur")
	submit(t, ctx, `form[action="/settings/lang"] button`)
	open(t, ctx, s.url+"/requests/"+strconv.FormatInt(r.ID, 10))
	has(t, ctx, "decision in English", "Decided by", "The process owner of Budgetten decides: Bram Jansen")
	both(t, ctx, "deciders-decided-en")
	submit(t, ctx, `form[action="/settings/lang"] button`)
}
