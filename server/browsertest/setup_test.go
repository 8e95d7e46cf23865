package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// serveProcess is a real `beheer serve` on an empty data folder, as a new
// customer starts it: its printed lines and its log are kept.
type serveProcess struct {
	url  string
	link string // the one-time setup link it printed
	bin  string // the binary, for the commands an administrator runs beside it
	data string // its data folder

	mu  sync.Mutex
	log bytes.Buffer
}

// logged returns what the server logged so far.
func (p *serveProcess) logged() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

func (p *serveProcess) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.Write(b)
}

var (
	servingAt = regexp.MustCompile(`Beheer draait op (http://\S+)`)
	setupLink = regexp.MustCompile(`(http://\S+/welcome\?token=\S+)`)
	resetLink = regexp.MustCompile(`/password/reset\?token=`)
)

// startServe builds the binary and starts `beheer serve` on an empty data
// folder and a free port; it returns once the server printed its address
// and its setup link.
func startServe(t *testing.T) *serveProcess {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "beheer")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/beheer")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "BEHEER_SLA_SWEEP_INTERVAL=0", "BEHEER_REVIEW_SWEEP_INTERVAL=0", "BEHEER_API_WRITE_RATE=0")
	p := &serveProcess{bin: bin, data: data}
	cmd.Stderr = p
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	timeout := time.After(60 * time.Second)
	for p.url == "" || p.link == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped:\n%s", p.logged())
			}
			if m := servingAt.FindStringSubmatch(l); m != nil {
				p.url = m[1]
			}
			if m := setupLink.FindStringSubmatch(l); m != nil {
				p.link = m[1]
			}
		case <-timeout:
			t.Fatalf("no address and setup link printed:\n%s", p.logged())
		}
	}
	go func() {
		for range lines {
		}
	}()
	return p
}

// loginAs signs a person in with the login form.
func loginAs(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	open(t, ctx, base+"/login")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), password))
	submit(t, ctx, "#password")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

// choose picks the option of a select by its visible text, as a person
// does, and tells the page it changed.
func choose(t *testing.T, ctx context.Context, sel, label string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q);
		const o = Array.from(s.options).find(o => o.text.trim().startsWith(%q));
		if (!o) return false; s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, label)
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil || !ok {
		fail(t, ctx, fmt.Errorf("no option %q in %s (%v)", label, sel, err))
	}
}

// both takes a screenshot at 1366 and at 390 pixels wide, runs axe at
// both, and fails when the narrow page scrolls sideways.
func both(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{1366, 390} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		if w == 390 {
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
			if err != nil || width > w+1 {
				t.Errorf("%s: %d px wide at a 390 px screen (%v)", name, width, err)
			}
		}
		checkA11y(t, ctx, fmt.Sprintf("%s at %d px", name, w))
		shot(t, ctx, fmt.Sprintf("%s-%d", name, w))
	}
	do(t, ctx, chromedp.EmulateViewport(1366, 900))
}

// has fails unless the page's main text holds every one of want.
func has(t *testing.T, ctx context.Context, what string, want ...string) {
	t.Helper()
	page := text(t, ctx, "main")
	for _, w := range want {
		if !strings.Contains(page, w) {
			fail(t, ctx, fmt.Errorf("%s: %q not on the page", what, w))
		}
	}
}

// TestSetUpFromEmpty starts Beheer as a new customer does: `beheer serve`
// on an empty data folder, and the setup link it prints. Through the
// portal only, the first person creates the organisation and their own
// account, then two areas with processes and process owners, a key user,
// the channels with a Support submitter and a service level; a colleague
// files a change request in one of the processes, and it reaches the key
// user of that area for the decision. On the way: the link refused a
// second time, a duplicate area, a zero service level, and archiving an
// area with open requests, each refused beside the field.
func TestSetUpFromEmpty(t *testing.T) {
	ctx := browser(t)
	srv := startServe(t)
	const adminPw = "Ons beheer begint vandaag 2026"

	// The first start: a password mistake is refused beside the field,
	// then the organisation and the first admin are made.
	if status := open(t, ctx, srv.link); status != 200 {
		fail(t, ctx, fmt.Errorf("setup link answered %d", status))
	}
	has(t, ctx, "welcome page", "Organisatie inrichten", "Uw eigen account")
	both(t, ctx, "setup-welcome")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#welcome-org_name"), "Zorggroep De Linde"),
		chromedp.SendKeys(chromedp.CSS("#welcome-admin_name"), "Fleur Visser"),
		chromedp.SendKeys(chromedp.CSS("#welcome-admin_email"), "fleur@delinde.nl"),
		chromedp.SendKeys(chromedp.CSS("#welcome-password"), adminPw),
		chromedp.SendKeys(chromedp.CSS("#welcome-password_again"), "iets anders"),
	)
	if status := submit(t, ctx, "#welcome-form"); status != 422 {
		fail(t, ctx, fmt.Errorf("different passwords answered %d", status))
	}
	if msg := text(t, ctx, "#welcome-password_again-error"); !strings.Contains(msg, "niet gelijk") {
		fail(t, ctx, fmt.Errorf("password message %q", msg))
	}
	both(t, ctx, "setup-welcome-refused")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#welcome-password"), adminPw),
		chromedp.SendKeys(chromedp.CSS("#welcome-password_again"), adminPw),
		chromedp.SetUploadFiles(chromedp.CSS("#welcome-logo"), []string{logoFile(t)}),
	)
	submit(t, ctx, "#welcome-form")
	has(t, ctx, "checklist", "Welkom! Zorggroep De Linde is aangemaakt", "Stappen: 0 van 7 klaar", "Aandachtsgebieden")
	both(t, ctx, "setup-checklist")

	// The link works once; a second browser is told so in Dutch.
	other := browser(t)
	if status := open(t, other, srv.link); status != 410 {
		fail(t, other, fmt.Errorf("second use answered %d", status))
	}
	has(t, other, "second use", "Deze link is al gebruikt")
	shot(t, other, "setup-link-used")

	// The home page shows the checklist until it is done.
	open(t, ctx, srv.url+"/")
	has(t, ctx, "home", "Inrichting", "Te doen")
	both(t, ctx, "setup-home")

	// People: the colleagues who will own processes, be key user, file.
	for _, p := range [][2]string{{"Kees Bakker", "kees@delinde.nl"}, {"Piet de Groot", "piet@delinde.nl"}, {"Anna de Vries", "anna@delinde.nl"}} {
		open(t, ctx, srv.url+"/people/new")
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#p-name"), p[0]), chromedp.SendKeys(chromedp.CSS("#p-email"), p[1]))
		submit(t, ctx, "#add-person")
		has(t, ctx, "person added", p[0])
	}

	// Areas: HR and Financieel; a second "hr" is refused beside the name.
	open(t, ctx, srv.url+"/setup")
	follow(t, ctx, `#step-areas a[href="/areas"]`)
	for _, name := range []string{"HR", "Financieel"} {
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#area-new-name"), name))
		submit(t, ctx, "#area-new-form")
		has(t, ctx, "area added", "Het aandachtsgebied is toegevoegd", name)
		open(t, ctx, srv.url+"/areas")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#area-new-name"), "hr"))
	if status := submit(t, ctx, "#area-new-form"); status != 422 {
		fail(t, ctx, fmt.Errorf("a duplicate area answered %d", status))
	}
	if msg := text(t, ctx, "#area-new-name-error"); !strings.Contains(msg, "al een aandachtsgebied met de naam HR") {
		fail(t, ctx, fmt.Errorf("duplicate message %q", msg))
	}
	both(t, ctx, "setup-areas")

	// HR: Verlof (owner Kees) and Verzuim; Kees key user. Financieel:
	// Declaraties, owned by Piet.
	addProcess := func(area, name, owner string) {
		open(t, ctx, areaURL(t, ctx, srv.url, area))
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#process-new-name"), name))
		if owner != "" {
			choose(t, ctx, "#process-new-owner_id", owner)
		}
		submit(t, ctx, "#process-new")
		has(t, ctx, "process added", "Het proces is toegevoegd", name)
	}
	addProcess("HR", "Verlof", "Kees Bakker")
	addProcess("HR", "Verzuim", "")
	addProcess("Financieel", "Declaraties", "Piet de Groot")
	open(t, ctx, areaURL(t, ctx, srv.url, "HR"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#process-new-name"), "verlof"))
	if status := submit(t, ctx, "#process-new"); status != 422 {
		fail(t, ctx, fmt.Errorf("a duplicate process answered %d", status))
	}
	has(t, ctx, "duplicate process", "heeft al een proces met de naam Verlof")
	choose(t, ctx, "#key-users-user_id", "Kees Bakker")
	submit(t, ctx, `#key-users form.stack`)
	has(t, ctx, "key user", "De sleutelgebruikers zijn bijgewerkt", "proceseigenaar Kees Bakker")
	both(t, ctx, "setup-area")

	// Channels: the vendor behind Support, and Fleur named as the one who
	// may submit incidents there.
	open(t, ctx, srv.url+"/channels")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#channel-support-vendor"), "AFAS Software"),
		chromedp.SendKeys(chromedp.CSS("#channel-support-portal_url"), "https://klant.afas.nl"),
	)
	submit(t, ctx, "#channel-support-form")
	has(t, ctx, "channel saved", "Het kanaal is opgeslagen")
	openActions(t, ctx)
	choose(t, ctx, "#contact-support-user_id", "Fleur Visser")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#contact-support input[name="may_submit"]`)))
	submit(t, ctx, "#contact-support")
	has(t, ctx, "submitter", "De contactpersoon is toegevoegd", "mag incidenten melden")
	both(t, ctx, "setup-channels")

	// A service level: zero hours refused beside the field, then 40 hours
	// for normal requests, with the preview of a due date.
	open(t, ctx, srv.url+"/sla")
	row := normalRow(t, ctx)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#resolution_"+row), "0"))
	if status := submit(t, ctx, `form[action="/sla/targets"]`); status != 422 {
		fail(t, ctx, fmt.Errorf("a zero target answered %d", status))
	}
	if msg := text(t, ctx, "#resolution_"+row+"-error"); !strings.Contains(msg, "meer dan 0 uur") {
		fail(t, ctx, fmt.Errorf("zero target message %q", msg))
	}
	row = normalRow(t, ctx)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#resolution_"+row), "40"))
	submit(t, ctx, `form[action="/sla/targets"]`)
	has(t, ctx, "targets saved", "De normen zijn opgeslagen", "moet uiterlijk", "binnen 40 werkuren")
	both(t, ctx, "setup-sla")

	// The checklist ticks itself; sign-on and mail do not apply here.
	open(t, ctx, srv.url+"/setup")
	for _, item := range []string{"sign_on", "mail"} {
		submit(t, ctx, fmt.Sprintf(`form[action="/setup/items/%s"]`, item))
	}
	has(t, ctx, "checklist", "Stappen: 7 van 7 klaar")
	both(t, ctx, "setup-checklist-done")
	// The same page in English, and back.
	submit(t, ctx, `form[action="/settings/lang"] button`)
	has(t, ctx, "checklist in English", "Setup", "Steps: 7 of 7 done", "Areas", "Not applicable")
	both(t, ctx, "setup-checklist-en")
	submit(t, ctx, `form[action="/settings/lang"] button`)
	has(t, ctx, "checklist in Dutch again", "Stappen: 7 van 7 klaar")
	open(t, ctx, srv.url+"/request-types")
	both(t, ctx, "setup-request-types")
	open(t, ctx, srv.url+"/profile")
	has(t, ctx, "profile", "Beheerorganisatie Zorggroep De Linde", "Verlof", "proceseigenaar Kees Bakker", "AFAS Software")
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("h1 img.org-logo").naturalWidth`)); w != 40 {
		fail(t, ctx, fmt.Errorf("the logo is not shown (width %d)", w))
	}
	both(t, ctx, "setup-profile")
	logout(t, ctx)

	// Anna asks for a reset link; without mail none is sent (nor logged),
	// so an administrator sets her password with beheer user password.
	// She files a change request in HR → Verlof.
	annaPw := "Verlof aanvragen is makkelijk"
	setPassword(t, ctx, srv, "anna@delinde.nl", annaPw)
	loginAs(t, ctx, srv.url, "anna@delinde.nl", annaPw)
	open(t, ctx, srv.url+"/requests/new")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#type-change")),
		chromedp.SendKeys(chromedp.CSS("#title"), "Verlof in halve dagen kunnen aanvragen"),
	)
	choose(t, ctx, "#area", "HR")
	// The processes of every area are there before an area is chosen; wait
	// for HR's own, or the choice lands in a list about to be replaced.
	waitFor(t, ctx, `Array.from(document.querySelectorAll("#process optgroup"), g => g.label).join() === "HR"`)
	choose(t, ctx, "#process", "Verlof")
	both(t, ctx, "setup-new-request")
	submit(t, ctx, "#new-request")
	path := filedRequest(t, ctx)
	logout(t, ctx)

	// Fleur moves it to Onderzoek and asks for the decision; archiving HR
	// now asks where its open request goes.
	loginAs(t, ctx, srv.url, "fleur@delinde.nl", adminPw)
	open(t, ctx, srv.url+path)
	// The request shows the process Anna chose; the triage form offers the
	// chosen area's processes, and another area's when the area changes.
	if got := eval[string](t, ctx, `Array.from(document.querySelectorAll("#facts-h + .facts dt")).find(d => d.textContent === "Proces").nextElementSibling.textContent`); got != "Verlof" {
		fail(t, ctx, fmt.Errorf("the request's process shows as %q, want Verlof", got))
	}
	openActions(t, ctx)
	const offered = `(s => Array.from(s.querySelectorAll("optgroup")).filter(g => !g.hidden).map(g => g.label).join() + ": " + s.selectedOptions[0].text)(document.getElementById("edit-process"))`
	if got := eval[string](t, ctx, offered); got != "HR: Verlof" {
		fail(t, ctx, fmt.Errorf("the triage form offers %q, want HR's processes with Verlof chosen", got))
	}
	choose(t, ctx, "#edit-area", "Financieel")
	if got := eval[string](t, ctx, offered); got != "Financieel: Geen proces" {
		fail(t, ctx, fmt.Errorf("after choosing Financieel the triage form offers %q", got))
	}
	both(t, ctx, "setup-triage-process")
	open(t, ctx, srv.url+path)
	openActions(t, ctx)
	do(t, ctx, chromedp.Click(chromedp.CSS("#move-to-investigation")))
	submit(t, ctx, `form[action$="/transition"]`)
	openActions(t, ctx)
	submit(t, ctx, `form[action$="/to-decision"]`)
	has(t, ctx, "to decision", "Wacht op besluit")
	open(t, ctx, areaURL(t, ctx, srv.url, "HR"))
	has(t, ctx, "archive question", "Open aanvragen in dit aandachtsgebied: 1")
	if status := submit(t, ctx, `#area-archive form`); status != 409 {
		fail(t, ctx, fmt.Errorf("archiving with an open request answered %d", status))
	}
	if msg := text(t, ctx, "#area-archive-move_to-error"); !strings.Contains(msg, "open aanvragen overneemt") {
		fail(t, ctx, fmt.Errorf("archive message %q", msg))
	}
	both(t, ctx, "setup-area-archive-refused")
	logout(t, ctx)

	// Kees, key user of HR, finds it among his decisions.
	keesPw := "Sleutelgebruiker van HR"
	setPassword(t, ctx, srv, "kees@delinde.nl", keesPw)
	loginAs(t, ctx, srv.url, "kees@delinde.nl", keesPw)
	open(t, ctx, srv.url+"/")
	has(t, ctx, "Kees's decisions", "Besluiten", "Verlof in halve dagen kunnen aanvragen")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('#decisions-h ~ * a[href=%q]').length`, path))); n == 0 {
		fail(t, ctx, fmt.Errorf("the request is not among Kees's decisions"))
	}
	open(t, ctx, srv.url+"/queue")
	has(t, ctx, "Kees's queue", "Verlof in halve dagen kunnen aanvragen")
	open(t, ctx, srv.url+"/notifications") // Kees reads what the bell says
	submit(t, ctx, `form[action="/notifications/read"]`)
	open(t, ctx, srv.url+"/sla")
	has(t, ctx, "service levels for a key user", "Normaal", "Oplossen")
	if page := text(t, ctx, "main"); strings.Contains(page, "Wijzigt u een norm") || strings.Contains(page, "normal") || strings.Contains(page, "urgent ") {
		fail(t, ctx, fmt.Errorf("the key user's service-levels page shows codes or editing text:\n%s", page))
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main [disabled]').length`)); n > 0 {
		fail(t, ctx, fmt.Errorf("%d disabled fields on the key user's service-levels page", n))
	}
	both(t, ctx, "setup-sla-reader")
	links, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('main a[href^="/"]')).map(a => a.getAttribute("href"))`))
	for _, l := range links {
		if status := open(t, ctx, srv.url+l); status != 200 {
			fail(t, ctx, fmt.Errorf("the service-levels page links Kees to %s, which answers %d", l, status))
		}
	}
}

// areaURL is the address of the area page of the area named name, as the
// list of areas links to it.
func areaURL(t *testing.T, ctx context.Context, base, name string) string {
	t.Helper()
	open(t, ctx, base+"/areas")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const a = Array.from(document.querySelectorAll('.area-card h3 a')).find(a => a.textContent.trim() === %q); return a ? a.getAttribute("href") : "" })()`, name)))
	if err != nil || href == "" {
		fail(t, ctx, fmt.Errorf("no area %q in the list (%v)", name, err))
	}
	return base + href
}

// normalRow is the row number of the general target for normal requests
// on the service-levels form.
func normalRow(t *testing.T, ctx context.Context) string {
	t.Helper()
	row, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { for (const s of document.querySelectorAll('select[id^="priority_"]')) {
		const i = s.id.slice(9); if (s.value === "normal" && document.querySelector("#type_" + i).value === "" && document.querySelector("#area_" + i).value === "") return i }
		return "" })()`))
	if err != nil || row == "" {
		fail(t, ctx, fmt.Errorf("no general target for normal (%v)", err))
	}
	return row
}

// setPassword asks for a reset link as a person who has no password yet:
// no mail is set up, so the server logs that none was sent — never the
// link — and names the command with which an administrator sets password.
func setPassword(t *testing.T, ctx context.Context, srv *serveProcess, email, password string) {
	t.Helper()
	unsent := regexp.MustCompile(`password reset requested, but e-mail is not set up.* account=` + regexp.QuoteMeta(email) + `\s`)
	before := len(unsent.FindAllString(srv.logged(), -1))
	open(t, ctx, srv.url+"/password/forgot")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#email"), email))
	submit(t, ctx, `form[action="/password/forgot"]`)
	for deadline := time.Now().Add(10 * time.Second); len(unsent.FindAllString(srv.logged(), -1)) == before; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no unsent reset logged for %s:\n%s", email, srv.logged())
		}
	}
	if log := srv.logged(); resetLink.MatchString(log) || !strings.Contains(log, "beheer user password --email ADDRESS --password-stdin") {
		t.Fatalf("the log shows a reset link, or not how to set a password:\n%s", log)
	}
	cmd := exec.Command(srv.bin, "user", "password", "--data", srv.data, "--email", email, "--password-stdin")
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user password: %v\n%s", err, out)
	}
}

// logoFile writes a small PNG logo, as an organisation would upload.
func logoFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{R: 11, G: 92, B: 173, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "de-linde.png")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}
