// Package browsertest drives the portal in headless Chromium: the main
// journeys of every role, screenshots of the main pages (under
// test-output/screens at the repository root) and an axe-core accessibility
// check. Without Chromium the tests skip; with CI=true they fail instead.
package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beheer"
	"beheer/i18n"
	"beheer/password"
	"beheer/server"
	"beheer/store"
)

//go:embed testdata/axe.min.js
var axeSource string

// pw is the password of every test person.
const pw = "browser-test-wachtwoord"

// site is a running portal on a fresh SQLite database with a known cast.
type site struct {
	url   string
	st    *store.Store
	dsn   string // the database file, for tests that look into it
	ids   map[string]int64
	areas map[string]int64
}

// people of the browser tests: e-mail local part → roles.
var people = []struct {
	key, name string
	roles     []string
}{
	{"anna", "Anna de Vries", nil},
	{"bram", "Bram Jansen", nil},
	{"kees", "Kees Bakker", []string{"key_user:hr"}},
	{"fleur", "Fleur Visser", []string{"functional_admin"}},
	{"tom", "Tom Smit", []string{"technical_admin"}},
	{"dirk", "Dirk Mulder", []string{"management"}},
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, store.Options{}, server.Config{LocalLogin: true})
}

// newSiteWith is newSite with the store's and the server's options.
func newSiteWith(t *testing.T, opts store.Options, cfg server.Config) *site {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "beheer.db")
	st, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &site{st: st, dsn: dsn, ids: map[string]int64{}, areas: map[string]int64{}}
	for _, a := range []beheer.Area{{Code: "hr", Name: "HR"}, {Code: "financieel", Name: "Financieel"}} {
		area, err := st.CreateArea(ctx, store.System, a)
		if err != nil {
			t.Fatal(err)
		}
		s.areas[a.Code] = area.ID
	}
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		var roles []beheer.Assignment
		for _, r := range p.roles {
			role, area, _ := beheer.ParseAssignment(r)
			roles = append(roles, beheer.Assignment{Role: role, AreaID: s.areas[area]})
		}
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: p.key + "@voorbeeld.nl", Name: p.name, Roles: roles}, hash)
		if err != nil {
			t.Fatal(err)
		}
		s.ids[p.key] = u.ID
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(st, i18n.MustLoad(), log, cfg))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// browser starts a fresh headless Chromium with Dutch as its language.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserIn(t, "nl-NL")
}

// browserIn starts a fresh headless Chromium speaking lang ("nl-NL").
func browserIn(t *testing.T, lang string) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("browser suite could not run: chromium not found")
		}
		t.Skip("chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", lang),
		chromedp.Flag("accept-lang", lang+","+strings.Split(lang, "-")[0]),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// fail stops the test with a screenshot and the page's text.
func fail(t *testing.T, ctx context.Context, err error) {
	t.Helper()
	shot(t, ctx, "failure-"+strings.ReplaceAll(t.Name(), "/", "-"))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	t.Fatalf("%v\nat %s\n%s", err, loc, body)
}

// do runs browser steps with a time limit and fails the test on error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		fail(t, ctx, err)
	}
}

// submit submits a form and waits for the next page; it returns the status.
func submit(t *testing.T, ctx context.Context, sel string) int64 {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(tctx, chromedp.Submit(chromedp.CSS(sel)))
	if err != nil {
		fail(t, ctx, err)
	}
	return res.Status
}

// follow clicks a link and waits for the next page; it returns the status.
func follow(t *testing.T, ctx context.Context, sel string) int64 {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(tctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		fail(t, ctx, err)
	}
	return res.Status
}

// open navigates and returns the HTTP status of the page.
func open(t *testing.T, ctx context.Context, url string) int64 {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := chromedp.Run(tctx, chromedp.NavigateResponse(url))
	if err != nil {
		fail(t, ctx, err)
	}
	return res.Status
}

// text returns the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		fail(t, ctx, err)
	}
	return s
}

// login signs a person in through the login form.
func (s *site) login(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	open(t, ctx, s.url+"/login")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), who+"@voorbeeld.nl"),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
	)
	submit(t, ctx, "#password")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

// logout signs out.
func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	submit(t, ctx, `form[action="/logout"] button`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#email")))
}

// screensDir is where screenshots go: test-output/screens at the repository root.
func screensDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "test-output", "screens"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	return dir
}

// shot saves a full-page screenshot.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(screensDir(t), name+".png"), img, 0o644); err != nil {
		t.Log(err)
	}
}

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// settled waits until no part of the page says it is still being
// filled in (aria-busy, as the queue's tiles do until their counts
// under the filter arrive), so a check sees the page a person reads.
func settled(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, `!document.querySelector('[aria-busy="true"]')`)
}

// checkA11y runs axe-core on the current page and fails on serious or
// critical violations.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	settled(t, ctx)
	script := axeSource + `;
		axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		t.Fatalf("axe result: %v", err)
	}
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
			}
			t.Errorf("%s: axe %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
		}
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// mustAmsterdam is the organisation's time zone.
func mustAmsterdam() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}
