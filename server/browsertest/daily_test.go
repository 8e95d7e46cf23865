package browsertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"beheer"
	"beheer/notify"
	"beheer/store"
)

// noOverflow fails when the page scrolls sideways: wider than the window.
func noOverflow(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	settled(t, ctx)
	over, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const d = document.documentElement;
		if (d.scrollWidth <= window.innerWidth) return "";
		const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
			if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
		const wide = Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
			.slice(0, 5).map(e => e.tagName + "." + e.className + " in #" + ((e.closest("[id]") || {}).id || "") + " " + Math.round(e.getBoundingClientRect().right));
		return d.scrollWidth + " > " + window.innerWidth + ": " + wide.join(", ");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if over != "" {
		shot(t, ctx, "overflow-"+name)
		t.Errorf("%s scrolls sideways: %s", name, over)
	}
}

// watchCSP records every Content-Security-Policy violation of the pages the
// browser opens from now on, in window.__csp.
func watchCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
		window.__csp = [];
		document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
		window.alert = () => { window.__alerted = true; };`})
	if err != nil {
		t.Fatal(err)
	}
}

// cspViolations returns what the current page's CSP refused.
func cspViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// eval runs JavaScript and returns its value (a promise's, awaited).
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		fail(t, ctx, fmt.Errorf("%s: %w", js, err))
	}
	return v
}

// location is the current address without the site.
func location(t *testing.T, ctx context.Context, s *site) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(loc, s.url)
}

// dayOfWork fills the site with the work of an ordinary day: Anna's own
// requests in every phase, a question asked of her and an outcome to rate,
// a change request before Kees, work assigned to Fleur (some late), Tom's
// tasks, and requests late by different amounts. The deadlines are measured
// as the sweep does, on a calendar that runs around the clock so the test
// does not depend on the hour it runs.
func dayOfWork(t *testing.T, s *site) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	week := map[string]string{}
	for _, d := range beheer.SLAWeekdays {
		week[d] = "00:00-23:59"
	}
	if err := s.st.SetSLACalendar(ctx, store.System, beheer.SLACalendar{Zone: "Europe/Amsterdam", Hours: week,
		Liberation: "never", ClosedDays: []string{}}); err != nil {
		t.Fatal(err)
	}
	anna, fleur, tom := actorOf(t, s, "anna"), actorOf(t, s, "fleur"), actorOf(t, s, "tom")
	ids := map[string]int64{}
	at := func(ago time.Duration) *store.Store {
		when := time.Now().Add(-ago)
		return s.st.WithClock(func() time.Time { return when })
	}
	file := func(key string, ago time.Duration, typ beheer.Type, prio beheer.Priority, title string) int64 {
		r, err := at(ago).CreateRequest(ctx, anna, beheer.NewRequest{Type: typ, Title: title,
			Description: "Eerste regel van de omschrijving.\nTweede regel.\n\nEen alinea verder.", AreaID: s.areas["hr"]})
		if err != nil {
			t.Fatal(err)
		}
		if prio != beheer.PriorityNormal {
			if _, err := at(ago).UpdateRequest(ctx, fleur, r.ID, 0, beheer.Patch{Priority: &prio}); err != nil {
				t.Fatal(err)
			}
		}
		ids[key] = r.ID
		return r.ID
	}
	move := func(id int64, ago time.Duration, to ...beheer.Phase) {
		for _, ph := range to {
			if _, err := at(ago).Transition(ctx, fleur, id, 0, beheer.Transition{To: ph}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 14 { // withdrawn long ago: her history
		id := file(fmt.Sprint("old", i), time.Duration(30+i)*24*time.Hour, beheer.TypeQuestion, beheer.PriorityLow, fmt.Sprintf("Oude vraag over verlof %02d", i))
		if _, err := at(time.Duration(29+i)*24*time.Hour).Transition(ctx, anna, id, 0, beheer.Transition{To: beheer.PhaseWithdrawn}); err != nil {
			t.Fatal(err)
		}
	}
	move(file("executing", 60*24*time.Hour, beheer.TypeWish, beheer.PriorityLow, "Wens in uitvoering: rooster in InSite"), 59*24*time.Hour,
		beheer.PhaseInvestigation, beheer.PhaseExecution)
	late5 := file("late5", 5*24*time.Hour, beheer.TypeIncident, beheer.PriorityUrgent, "Salarisstrook ontbreekt (5 dagen)")
	late2 := file("late2", 2*24*time.Hour, beheer.TypeIncident, beheer.PriorityUrgent, "Declaratie vast (2 dagen)")
	risky := file("risky", 7*time.Hour+15*time.Minute, beheer.TypeIncident, beheer.PriorityUrgent, "Bijna te laat (nog kwartier)")
	move(late5, 5*24*time.Hour, beheer.PhaseInvestigation)
	move(late2, 2*24*time.Hour, beheer.PhaseInvestigation)
	move(risky, 7*time.Hour, beheer.PhaseInvestigation)
	question := file("question", 3*24*time.Hour, beheer.TypeQuestion, beheer.PriorityNormal, "Hoe werkt het verlofsaldo?")
	move(question, 3*24*time.Hour, beheer.PhaseInvestigation)
	if _, err := at(47*time.Hour).AskRequester(ctx, fleur, question, 0, "Over welk jaar gaat het?"); err != nil {
		t.Fatal(err)
	}
	rate := file("rate", 10*24*time.Hour, beheer.TypeWish, beheer.PriorityNormal, "Nieuw overzicht van de ziekmeldingen")
	move(rate, 9*24*time.Hour, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation)
	poor := file("poor", 10*24*time.Hour, beheer.TypeWish, beheer.PriorityNormal, "Export van de uren naar Excel")
	move(poor, 9*24*time.Hour, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation)
	change := file("change", 4*24*time.Hour, beheer.TypeChange, beheer.PriorityNormal, "Tweede akkoord bij lang verlof")
	move(change, 4*24*time.Hour, beheer.PhaseInvestigation)
	decision := beheer.StatusAwaitingDecision
	if _, err := at(3*24*time.Hour).UpdateRequest(ctx, fleur, change, 0, beheer.Patch{Status: &decision}); err != nil {
		t.Fatal(err)
	}
	tech := file("tech", 2*24*time.Hour, beheer.TypeTechnical, beheer.PriorityHigh, "Koppeling met het zaaksysteem hapert")
	move(tech, 2*24*time.Hour, beheer.PhaseInvestigation)
	for i, title := range []string{"Logbestanden van de connector nakijken", "Certificaat vernieuwen"} {
		n := beheer.NewTask{Title: title}
		if i == 0 {
			n.AssigneeID = tom.UserID
		}
		if _, err := at(time.Duration(40-i)*time.Hour).CreateTask(ctx, fleur, tech, n); err != nil {
			t.Fatal(err)
		}
	}
	unassigned := file("unassigned", time.Hour, beheer.TypeQuestion, beheer.PriorityNormal, "Nieuwe vraag zonder behandelaar")
	_ = unassigned
	if _, err := s.st.SLASweep(ctx); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestEveryRolesHome signs in as each of the five roles and checks the
// home page is that role's worklist, at a laptop's width and a phone's,
// with screenshots, the accessibility check and no sideways scrolling.
func TestEveryRolesHome(t *testing.T) {
	s := newSite(t)
	dayOfWork(t, s)
	if err := s.st.SetClosure(context.Background(), store.System, beheer.Closure{CloseAtRating: 4, PoorRating: 2, CloseAfterDays: 10}); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"anna":  {"Actie van u nodig", "Hoe werkt het verlofsaldo?", "beoordeel het resultaat", "Mijn aanvragen", "Volgende pagina"},
		"kees":  {"Besluiten die op u wachten", "Tweede akkoord bij lang verlof", "Mijn besluiten"},
		"fleur": {"Mijn werk vandaag", "Aan mij toegewezen", "Wacht op mij", "Verloopt vandaag of te laat", "Nog niet toegewezen in mijn gebieden", "Nieuwe vraag zonder behandelaar", "Te laat sinds", "Openstaand werk per fase"},
		"tom":   {"Mijn technische taken", "Logbestanden van de connector nakijken", "Certificaat vernieuwen", "Uiterlijk"},
		"dirk":  {"Kerncijfers deze maand", "Open aanvragen", "Te laat", "Afgerond deze maand", "Tevredenheid", "Openstaand werk per fase"},
	}
	for _, who := range []string{"anna", "kees", "fleur", "tom", "dirk"} {
		t.Run(who, func(t *testing.T) {
			ctx := browser(t)
			s.login(t, ctx, who)
			for _, px := range screenWidths {
				viewport(t, ctx, px)
				name := fmt.Sprint(px)
				open(t, ctx, s.url+"/")
				main := text(t, ctx, "main")
				for _, w := range want[who] {
					if !strings.Contains(main, w) {
						t.Errorf("home of %s at %s px lacks %q:\n%s", who, name, w, main)
					}
				}
				shot(t, ctx, "daily-home-"+who+"-"+name)
				checkA11y(t, ctx, "home of "+who+" at "+name)
				if name == "390" {
					noOverflow(t, ctx, "home of "+who)
				}
			}
		})
	}
	// Each worklist's count links to the queue filtered the same way.
	ctx := browser(t)
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/")
	follow(t, ctx, `#work-due-h a`)
	if loc := location(t, ctx, s); !strings.Contains(loc, "due=today") || !strings.Contains(loc, "assignee=me") {
		t.Errorf("due today links to %s", loc)
	}
	if page := text(t, ctx, "main"); !strings.Contains(page, "Salarisstrook ontbreekt") || strings.Contains(page, "Oude vraag") {
		t.Errorf("queue of what is due today:\n%s", page)
	}
}

// TestDefectsFoundInUse walks the defects found in use, each as the person
// who met it.
func TestDefectsFoundInUse(t *testing.T) {
	s := newSite(t)
	ids := dayOfWork(t, s)
	ctx := browser(t)
	watchCSP(t, ctx)

	t.Run("1 an older request in Uitvoering is found without typing its address", func(t *testing.T) {
		s.login(t, ctx, "anna")
		open(t, ctx, s.url+"/")
		if strings.Contains(text(t, ctx, "main"), "Wens in uitvoering") {
			t.Fatal("the request is among the ten most recent; the test proves nothing")
		}
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#mine-phase"), "execution"))
		submit(t, ctx, `form[action="/requests"]`)
		if page := text(t, ctx, "main"); !strings.Contains(page, "Wens in uitvoering") {
			t.Fatalf("filtered on Uitvoering:\n%s", page)
		}
		// And by paging through all of them.
		open(t, ctx, s.url+"/requests")
		found := false
		for range 5 {
			if strings.Contains(text(t, ctx, "main"), "Oude vraag over verlof 13") {
				found = true
				break
			}
			if n := eval[int](t, ctx, `document.querySelectorAll('a[rel="next"]').length`); n == 0 {
				break
			}
			follow(t, ctx, `a[rel="next"]`)
		}
		if !found {
			t.Error("the oldest request is not reached by paging")
		}
		shot(t, ctx, "daily-my-requests")
		checkA11y(t, ctx, "my requests")
		logout(t, ctx)
	})

	t.Run("2 saving the triage form unchanged logs nothing", func(t *testing.T) {
		s.login(t, ctx, "fleur")
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["late2"]))
		openActions(t, ctx)
		submit(t, ctx, `form[action$="/edit"]`)
		if loc := location(t, ctx, s); !strings.Contains(loc, "ok=saved") {
			t.Fatalf("after saving: %s", loc)
		}
		logout(t, ctx)
		s.login(t, ctx, "anna")
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["late2"]))
		if page := text(t, ctx, "main"); strings.Contains(page, "wijzigde de omschrijving") {
			t.Errorf("phantom edit in the requester's timeline:\n%s", page)
		}
		logout(t, ctx)
	})

	t.Run("3 at risk is ordered by time left, the longest overdue first", func(t *testing.T) {
		s.login(t, ctx, "dirk")
		open(t, ctx, s.url+"/dashboard")
		rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('section[aria-labelledby="risk-h"] tbody tr td:nth-child(2)')).map(td => td.textContent)`)
		want := []string{"Wens in uitvoering: rooster in InSite", "Salarisstrook ontbreekt (5 dagen)", "Declaratie vast (2 dagen)",
			"Bijna te laat (nog kwartier)"} // two months, five days and two days late; three quarters of an hour left
		at := func(title string) int { return slices.Index(rows, title) }
		if len(rows) < 4 || at(want[0]) != 0 || at(want[1]) > at(want[2]) || at(want[3]) != len(rows)-1 {
			t.Errorf("at risk in order %q, want the longest overdue first and the one still in time last", rows)
		}
		shot(t, ctx, "daily-dashboard-at-risk")
		logout(t, ctx)
	})

	t.Run("5 a rating moves the request on and says what happens next", func(t *testing.T) {
		if err := s.st.SetClosure(context.Background(), store.System, beheer.Closure{CloseAtRating: 4, PoorRating: 2}); err != nil {
			t.Fatal(err)
		}
		s.login(t, ctx, "anna")
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["rate"]))
		if page := text(t, ctx, "#form-evaluate"); !strings.Contains(page, "4 of hoger") || !strings.Contains(page, "2 of lager") {
			t.Errorf("the rating form does not say what a rating does:\n%s", page)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`a.button.primary[href="#form-evaluate"]`)),
			chromedp.Click(chromedp.CSS("#evaluate-rating-4")))
		submit(t, ctx, `form[action$="/evaluation"]`)
		if page := text(t, ctx, "main"); !strings.Contains(page, "Uw aanvraag is hiermee afgerond") || !strings.Contains(page, "Afgerond na een beoordeling van 4 van 5") {
			t.Errorf("after rating 4:\n%s", page)
		}
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["poor"]))
		do(t, ctx, chromedp.Click(chromedp.CSS(`a.button.primary[href="#form-evaluate"]`)),
			chromedp.Click(chromedp.CSS("#evaluate-rating-2")))
		submit(t, ctx, `form[action$="/evaluation"]`)
		if page := text(t, ctx, "main"); !strings.Contains(page, "neemt contact met u op") || !strings.Contains(page, "Opvolging na beoordeling") {
			t.Errorf("after rating 2:\n%s", page)
		}
		shot(t, ctx, "daily-rated-poorly")
		logout(t, ctx)
	})

	t.Run("6 the CSP lets htmx's indicator work and the favicon exists", func(t *testing.T) {
		s.login(t, ctx, "fleur")
		open(t, ctx, s.url+"/queue")
		if v := cspViolations(t, ctx); len(v) > 0 {
			t.Errorf("CSP violations on the queue: %q", v)
		}
		hidden := eval[string](t, ctx, `getComputedStyle(document.getElementById("queue-loading")).visibility`)
		shown := eval[string](t, ctx, `(() => { const f = document.getElementById("queue-filters"); f.classList.add("htmx-request");
			const v = getComputedStyle(document.getElementById("queue-loading")).visibility; f.classList.remove("htmx-request"); return v })()`)
		if hidden != "hidden" || shown != "visible" {
			t.Errorf("loading indicator: %q at rest, %q while loading", hidden, shown)
		}
		// A filter change through htmx shows no violation either.
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#f-due"), "late"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("f-due").dispatchEvent(new Event("change", {bubbles: true}))`),
			chromedp.WaitVisible(chromedp.CSS(`#queue-counts`)), chromedp.Sleep(500*time.Millisecond))
		if v := cspViolations(t, ctx); len(v) > 0 {
			t.Errorf("CSP violations after filtering: %q", v)
		}
		if status := eval[int](t, ctx, `fetch("/favicon.ico").then(r => r.status)`); status != 200 {
			t.Errorf("/favicon.ico: %d", status)
		}
		logout(t, ctx)
	})

	t.Run("7 a pasted script shows as text", func(t *testing.T) {
		s.login(t, ctx, "anna")
		open(t, ctx, s.url+"/requests/new")
		do(t, ctx,
			chromedp.Click(chromedp.CSS("#type-question")),
			chromedp.SendKeys(chromedp.CSS("#title"), "Foutmelding met script"),
			chromedp.SetValue(chromedp.CSS("#description"), "Ik zag dit in de bron:\n\n<script>alert('hallo')</script>\n\nEn verder niets."),
		)
		submit(t, ctx, "#new-request")
		desc := text(t, ctx, `section[aria-labelledby="desc-h"]`)
		if !strings.Contains(desc, "<script>alert('hallo')</script>") || !strings.Contains(desc, "En verder niets.") {
			t.Errorf("description:\n%s", desc)
		}
		if eval[bool](t, ctx, `window.__alerted === true`) {
			t.Error("the script ran")
		}
		logout(t, ctx)
	})

	t.Run("8 after a post the address is the page, so a reload posts nothing", func(t *testing.T) {
		s.login(t, ctx, "kees")
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["change"]))
		do(t, ctx, chromedp.Click(chromedp.CSS(`a.button.primary[href="#form-decide"]`)),
			chromedp.Click(chromedp.CSS("#decide-approved")),
			chromedp.SendKeys(chromedp.CSS("#decide-motivation"), "Akkoord: past bij het verlofbeleid."))
		submit(t, ctx, `form[action$="/decision"]`)
		if loc := location(t, ctx, s); loc != fmt.Sprintf("/requests/%d?ok=decided#top", ids["change"]) {
			t.Errorf("after deciding at %s", loc)
		}
		logout(t, ctx)
		s.login(t, ctx, "fleur")
		open(t, ctx, s.url+"/queue?sort=due")
		do(t, ctx, chromedp.Click(chromedp.CSS(`input[data-select-all]`)),
			chromedp.SetValue(chromedp.CSS("#bulk-assignee"), fmt.Sprint(s.ids["tom"])))
		ticked := eval[int](t, ctx, `document.querySelectorAll('#queue-results input[name="id"]:checked').length`)
		rows := eval[int](t, ctx, `document.querySelectorAll('#queue-results tbody tr').length`)
		if ticked != rows || rows == 0 {
			t.Fatalf("select all ticked %d of %d", ticked, rows)
		}
		submit(t, ctx, "#bulk")
		if loc := location(t, ctx, s); !strings.HasPrefix(loc, "/queue?") || !strings.Contains(loc, "sort=due") {
			t.Errorf("after assigning at %s", loc)
		}
		if page := text(t, ctx, "main"); !strings.Contains(page, "aanvragen toegewezen") {
			t.Errorf("no confirmation after assigning:\n%s", page)
		}
		logout(t, ctx)
	})

	t.Run("9 opening a request reads its notifications", func(t *testing.T) {
		w, err := notify.New(s.st, notify.Config{BaseURL: s.url}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		for {
			n, err := w.Notifier.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		s.login(t, ctx, "anna")
		before := eval[string](t, ctx, `(document.querySelector(".bell-count") || {}).textContent || ""`)
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["late5"]))
		open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["question"]))
		after := eval[string](t, ctx, `(document.querySelector(".bell-count") || {}).textContent || ""`)
		if before == "" || before == after {
			t.Errorf("bell %q before opening, %q after", before, after)
		}
		logout(t, ctx)
	})
}

// TestLoginSpeaksTheOrganisationsLanguage: an English browser sees a Dutch
// organisation's login page in Dutch; choosing English there still works.
func TestLoginSpeaksTheOrganisationsLanguage(t *testing.T) {
	s := newSite(t)
	ctx := browserIn(t, "en-GB")
	open(t, ctx, s.url+"/login")
	if got := text(t, ctx, "h1"); got != "Inloggen" {
		t.Errorf("login page for an English browser: %q", got)
	}
	submit(t, ctx, `form[action="/settings/lang"] button`)
	if got := text(t, ctx, "h1"); got != "Log in" {
		t.Errorf("after choosing English: %q", got)
	}
}

// TestPhoneWidth: the queue, the dashboard and the request page fit a
// phone of 390 px without sideways scrolling, and the menu opens from its
// button.
func TestPhoneWidth(t *testing.T) {
	s := newSite(t)
	ids := dayOfWork(t, s)
	ctx := browser(t)
	s.login(t, ctx, "fleur")
	viewport(t, ctx, 390)
	pages := map[string]string{
		"queue":        "/queue?sort=due",
		"dashboard":    "/dashboard",
		"request":      fmt.Sprintf("/requests/%d", ids["late5"]),
		"tasks":        "/tasks",
		"my-requests":  "/requests",
		"closure":      "/settings/closure",
		"queue-late":   "/queue?due=late&sort=due",
		"request-tech": fmt.Sprintf("/requests/%d", ids["tech"]),
	}
	for name, p := range pages {
		open(t, ctx, s.url+p)
		noOverflow(t, ctx, name)
		shot(t, ctx, "daily-phone-"+name)
		checkA11y(t, ctx, name+" at 390 px")
	}
	open(t, ctx, s.url+"/queue")
	if eval[bool](t, ctx, `getComputedStyle(document.getElementById("menu")).display !== "none"`) {
		t.Error("the menu is open on a phone before it is asked for")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(".menu-toggle")))
	if !eval[bool](t, ctx, `getComputedStyle(document.getElementById("menu")).display !== "none" && document.querySelector(".menu-toggle").getAttribute("aria-expanded") === "true"`) {
		t.Error("the menu does not open")
	}
	shot(t, ctx, "daily-phone-menu")
	follow(t, ctx, `#menu a[href="/requests"]`)
	if loc := location(t, ctx, s); loc != "/requests" {
		t.Errorf("menu link went to %s", loc)
	}
}

// TestQueueServiceLevel: due badges per row, least time left first, the
// late filter through htmx with the tiles following it, and the export of
// exactly the filtered view.
func TestQueueServiceLevel(t *testing.T) {
	s := newSite(t)
	dayOfWork(t, s)
	ctx := browser(t)
	s.login(t, ctx, "fleur")
	viewport(t, ctx, 1366)
	open(t, ctx, s.url+"/queue?sort=due")
	first := text(t, ctx, "#queue-results tbody tr:first-child")
	if !strings.Contains(first, "Wens in uitvoering") || !strings.Contains(first, "Te laat sinds") {
		t.Errorf("first row by time left: %q", first)
	}
	// The tiles are counted after the results are shown: mark the old ones
	// to know when their replacement has arrived.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("queue-counts").dataset.before = "1"`))
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#f-due"), "at_risk"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-due").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitFor(t, ctx, `location.search.includes("due=at_risk") && document.querySelectorAll("#queue-results tbody tr").length === 1`)
	waitFor(t, ctx, `!document.body.textContent.includes("worden nog geteld")`)
	waitFor(t, ctx, `!document.getElementById("queue-counts").dataset.before`)
	if rows := text(t, ctx, "#queue-results tbody"); !strings.Contains(rows, "Bijna te laat") {
		t.Errorf("at risk: %q", rows)
	}
	// The tiles are read as htmx leaves them: read mid-swap they are empty.
	waitFor(t, ctx, `/(^|\D)1\s*Onderzoek/.test(document.getElementById("queue-counts").innerText)`)
	href := eval[string](t, ctx, `document.querySelector('a[href^="/queue/export.csv"]').getAttribute("href")`)
	if !strings.Contains(href, "due=at_risk") || !strings.Contains(href, "sort=due") {
		t.Errorf("export link %q is not the filtered view", href)
	}
	csv := eval[string](t, ctx, `fetch(`+"`"+`${document.querySelector('a[href^="/queue/export.csv"]').getAttribute("href")}`+"`"+`).then(r => r.text())`)
	if !strings.Contains(csv, "Bijna te laat") || strings.Contains(csv, "Salarisstrook ontbreekt") {
		t.Errorf("export of the at-risk view:\n%s", csv)
	}
	shot(t, ctx, "daily-queue-at-risk")
	checkA11y(t, ctx, "queue at risk")
}

// TestFormsThatHelp: an error summary that links to each field, a counter
// under a field with a maximum, files checked before upload, and dropping
// a file still works.
func TestFormsThatHelp(t *testing.T) {
	s := newSite(t)
	ids := dayOfWork(t, s)
	ctx := browser(t)
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/settings/closure")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#closure-close_at_rating"), "3"),
		chromedp.SetValue(chromedp.CSS("#closure-poor_rating"), "3"),
		chromedp.SetValue(chromedp.CSS("#closure-close_after_days"), "99"))
	submit(t, ctx, ".closure-form")
	links := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#error-summary a")).map(a => a.getAttribute("href"))`)
	if len(links) != 2 || links[0] != "#closure-poor_rating" || links[1] != "#closure-close_after_days" {
		t.Fatalf("error summary links %q", links)
	}
	shot(t, ctx, "daily-closure-refused")
	checkA11y(t, ctx, "refused closure settings")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#error-summary a[href="#closure-close_after_days"]`)))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "closure-close_after_days" {
		t.Errorf("the summary's link leads to %q", id)
	}

	// The comment box counts, and a comment brings the person back to it.
	open(t, ctx, s.url+fmt.Sprintf("/requests/%d", ids["late2"]))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#comment-body"), "Twaalf tekens"))
	if c := text(t, ctx, "#comment-body-counter"); !strings.Contains(c, "13 van 20.000 tekens") {
		t.Errorf("counter %q", c)
	}
	submit(t, ctx, `form[action$="/comments"]`)
	if loc := location(t, ctx, s); !strings.HasSuffix(loc, "#form-comment") {
		t.Errorf("after commenting at %s", loc)
	}
	if done := text(t, ctx, "#form-comment .done-note"); done == "" {
		t.Error("no confirmation at the comment form")
	}

	// Files: refused kinds and sizes are said before anything is sent.
	dir := t.TempDir()
	page := filepath.Join(dir, "pagina.html")
	big := filepath.Join(dir, "groot.pdf")
	os.WriteFile(page, []byte("<p>hallo</p>"), 0o644)
	f, _ := os.Create(big)
	f.Truncate(26 << 20)
	f.Close()
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#attach-file"), []string{page}))
	if msg := text(t, ctx, "#attach-file-check"); !strings.Contains(msg, "pagina.html") || !strings.Contains(msg, "HTML") {
		t.Errorf("refused kind: %q", msg)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#attach-file"), []string{big}))
	if msg := text(t, ctx, "#attach-file-check"); !strings.Contains(msg, "te groot") || !strings.Contains(msg, "25 MB") {
		t.Errorf("too large: %q", msg)
	}
	before := location(t, ctx, s)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action$="/attachments"] button[type=submit]').click()`),
		chromedp.Sleep(300*time.Millisecond))
	if after := location(t, ctx, s); after != before {
		t.Errorf("a refused file was sent: %s → %s", before, after)
	}
	shot(t, ctx, "daily-file-refused")
	// Dropping a good file fills the input and clears the message.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const dt = new DataTransfer(); dt.items.add(new File(["Overzicht"], "overzicht.txt", {type: "text/plain"}));
		const zone = document.querySelector('[data-dropzone="attach-file"]');
		zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`))
	if name := eval[string](t, ctx, `document.getElementById("attach-file").files[0].name + "|" + (document.getElementById("attach-file-check") ? "check" : "")`); name != "overzicht.txt|" {
		t.Errorf("after dropping: %q", name)
	}
	submit(t, ctx, `form[action$="/attachments"]`)
	if files := text(t, ctx, "main"); !strings.Contains(files, "overzicht.txt") {
		t.Errorf("the dropped file was not attached:\n%s", files)
	}
}
