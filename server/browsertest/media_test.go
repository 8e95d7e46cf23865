package browsertest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"beheer"
	"beheer/internal/imagetest"
	"beheer/store"
)

// screenWidths are the widths pages are driven at: a laptop and a phone.
var screenWidths = []int64{1366, 390}

// viewport sets the window's width (and a matching height).
func viewport(t *testing.T, ctx context.Context, width int64) {
	t.Helper()
	height := int64(900)
	if width < 500 {
		height = 844
	}
	do(t, ctx, chromedp.EmulateViewport(width, height))
}

// shotView saves a screenshot of what the window shows, as a person sees
// a dialog over the page.
func shotView(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	img, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(screensDir(t), name+".png"), img, 0o644); err != nil {
		t.Log(err)
	}
}

// waitFor polls a script until it is true. The poll runs in the page's
// script context as chromedp last saw it; just after a navigation that
// can still be the old page's, which the browser no longer knows, so the
// poll starts again in the new one.
func waitFor(t *testing.T, ctx context.Context, script string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		_, err := chromedp.Run(tctx, chromedp.Poll[bool](script))
		if err == nil {
			return
		}
		var gone *cdproto.Error
		if !errors.As(err, &gone) || gone.Message != "Cannot find context with specified id" || tctx.Err() != nil {
			fail(t, ctx, fmt.Errorf("waiting for %s: %w", script, err))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// thumbsLoaded is true once every visible thumbnail has been decoded.
const thumbsLoaded = `Array.from(document.querySelectorAll(".tl-thumb:not([hidden]) img")).every(i => i.complete && i.naturalWidth > 0)`

// TestPicturesInPlace: screenshots attached to a request show as
// thumbnails in the timeline and open in the viewer, by mouse and by
// keyboard, at 1366 and at 390 pixels; the viewer closes with Escape and
// gives focus back.
func TestPicturesInPlace(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	ctxb := context.Background()
	r, err := s.st.CreateRequest(ctxb, actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeIncident,
		Title: "Foutmelding bij het indienen van een declaratie", Description: "Zie de schermafdrukken: de knop Indienen geeft een fout.",
		AreaID: s.areas["hr"], Attachments: []beheer.Upload{
			{Name: "foutmelding-declaratie.png", Data: imagetest.PNG(1366, 768, false)},
			{Name: "telefoon.jpg", Data: imagetest.JPEG(390, 844)},
			{Name: "logboek.txt", Data: []byte("12:03 fout 500 bij indienen\n")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	pageURL := fmt.Sprintf("%s/requests/%d", s.url, r.ID)
	s.login(t, ctx, "anna")

	for _, width := range screenWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			viewport(t, ctx, width)
			open(t, ctx, pageURL)
			waitFor(t, ctx, thumbsLoaded)
			if n := eval[bool](t, ctx, `document.querySelectorAll(".tl-thumb img").length === 2`); !n {
				fail(t, ctx, errorf("want two thumbnails (the text file stays a link)"))
			}
			noOverflow(t, ctx, fmt.Sprintf("the request page with pictures at %d px", width))
			do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("tl-h").scrollIntoView()`))
			shot(t, ctx, fmt.Sprintf("request-pictures-%d", width))
			checkA11y(t, ctx, fmt.Sprintf("request page with pictures at %d px", width))

			// Open the first picture: by mouse at 1366, by keyboard at 390.
			if width > 500 {
				do(t, ctx, chromedp.Click(chromedp.CSS(".tl-thumb a")))
			} else {
				do(t, ctx, chromedp.Focus(chromedp.CSS(".tl-thumb a")), chromedp.KeyEvent(kb.Enter))
			}
			waitFor(t, ctx, `document.getElementById("viewer").open && document.querySelector("[data-viewer-img]").naturalWidth === 1366`)
			if got := text(t, ctx, "#viewer-name"); got != "foutmelding-declaratie.png" {
				t.Errorf("viewer title %q", got)
			}
			if !eval[bool](t, ctx, `Array.from(document.querySelectorAll("#viewer button, #viewer a")).every(e => {
				const b = e.getBoundingClientRect(); return b.left >= 0 && b.right <= window.innerWidth })`) {
				fail(t, ctx, errorf("a viewer button is off-screen at %d px", width))
			}
			shotView(t, ctx, fmt.Sprintf("viewer-%d", width))
			checkA11y(t, ctx, fmt.Sprintf("viewer at %d px", width))

			// The arrow keys go to the next picture and back round.
			do(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
			waitFor(t, ctx, `document.querySelector("[data-viewer-img]").naturalWidth === 390`)
			if got := text(t, ctx, "#viewer-name"); got != "telefoon.jpg" {
				t.Errorf("after the right arrow: %q", got)
			}
			do(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
			waitFor(t, ctx, `document.getElementById("viewer-name").textContent === "foutmelding-declaratie.png"`)

			// Escape closes it and focus returns to the thumbnail.
			do(t, ctx, chromedp.KeyEvent(kb.Escape))
			waitFor(t, ctx, `!document.getElementById("viewer").open`)
			if !eval[bool](t, ctx, `document.activeElement === document.querySelector(".tl-thumb a")`) {
				t.Error("focus did not return to the thumbnail")
			}
			// The close button closes it too.
			do(t, ctx, chromedp.Click(chromedp.CSS(".tl-thumb a")))
			waitFor(t, ctx, `document.getElementById("viewer").open`)
			do(t, ctx, chromedp.Click(chromedp.CSS("[data-viewer-close]")))
			waitFor(t, ctx, `!document.getElementById("viewer").open`)
		})
	}

	// Without script the thumbnail's link shows the picture itself, in its
	// sandbox.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".tl-thumb a").href`))
	if err != nil {
		fail(t, ctx, err)
	}
	open(t, ctx, href)
	waitFor(t, ctx, `document.images.length === 1 && document.images[0].naturalWidth === 1366`)
	shot(t, ctx, "picture-on-its-own")

	// With one picture there is nothing to go to.
	one, err := s.st.CreateRequest(ctxb, actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeQuestion,
		Title: "Loonstrook zonder reiskosten", AreaID: s.areas["hr"],
		Attachments: []beheer.Upload{{Name: "loonstrook.png", Data: imagetest.PNG(1024, 520, false)}}})
	if err != nil {
		t.Fatal(err)
	}
	open(t, ctx, fmt.Sprintf("%s/requests/%d", s.url, one.ID))
	do(t, ctx, chromedp.Click(chromedp.CSS(".tl-thumb a")))
	waitFor(t, ctx, `document.getElementById("viewer").open`)
	if !eval[bool](t, ctx, `[...document.querySelectorAll("[data-viewer-prev], [data-viewer-next]")].every(b => b.offsetParent === null)
		&& document.querySelector("[data-viewer-count]").textContent === ""`) {
		fail(t, ctx, errorf("one picture, yet the viewer offers a previous or next one"))
	}
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, `!document.getElementById("viewer").open`)
}

// beacon counts the calls a script in a file would make if it ran: the
// files' scripts call /ran?from=file, the control page's /ran?from=control.
type beacon struct {
	srv           *httptest.Server
	file, control atomic.Int64
}

func newBeacon(t *testing.T) *beacon {
	b := &beacon{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/payload" { // the same script, served plainly: proves the beacon works
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, b.script("control"))
			return
		}
		switch r.URL.Query().Get("from") { // anything else is the browser's own, such as its favicon
		case "control":
			b.control.Add(1)
		case "file":
			b.file.Add(1)
			t.Logf("a file's script called %s %s (Referer %q)", r.Method, r.URL, r.Header.Get("Referer"))
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *beacon) script(from string) string {
	u := b.srv.URL + "/ran?from=" + from
	return `<script>fetch("` + u + `", {mode: "no-cors"}); navigator.sendBeacon("` + u + `")</script>`
}

// TestFilesNeverInline: an SVG and an HTML file called .png (stored from
// before the upload checks) and a PDF are never shown in place: their
// thumbnails are refused, opening them is a sandboxed download, and the
// script in them never runs. A decompression bomb is never decoded.
func TestFilesNeverInline(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	bc := newBeacon(t)
	db, err := sql.Open("sqlite", s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, files := fileNoPictures(t, s, db, bc)
	late, _ := fileNoPictures(t, s, db, bc)

	// The beacon does notice a script that runs.
	open(t, ctx, bc.srv.URL+"/payload")
	waitForHits(t, &bc.control)

	s.login(t, ctx, "anna")
	// Each page offers thumbnails for the two stored as PNG; neither can be
	// made, so both disappear and only the links stay: also when they fail
	// before the page's script has run, and when they fail after it.
	const failed = `Array.from(document.querySelectorAll(".tl-thumb img")).filter(i => i.complete && i.naturalWidth === 0).length === 2`
	const bothHidden = `document.querySelectorAll(".tl-thumb").length === 2 && document.querySelectorAll(".tl-thumb[hidden]").length === 2`
	pageURL := fmt.Sprintf("%s/requests/%d", s.url, r.ID)
	openHolding(t, ctx, pageURL, "*/app.js*", 1, failed)
	waitFor(t, ctx, bothHidden)
	openHolding(t, ctx, fmt.Sprintf("%s/requests/%d", s.url, late.ID), "*/thumb", 2, scriptsRan)
	waitFor(t, ctx, bothHidden)
	open(t, ctx, pageURL)
	if !eval[bool](t, ctx, `document.querySelectorAll(".tl-thumb").length === 0 && !document.getElementById("viewer")`) {
		fail(t, ctx, errorf("files without a thumbnail are still offered as pictures"))
	}
	shot(t, ctx, "request-no-pictures")
	checkA11y(t, ctx, "request page without pictures")

	// Every answer, fetched as the page would: a download, sandboxed,
	// never sniffed.
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior,
		cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		for _, suffix := range []string{"", "/view"} {
			u := fmt.Sprintf("/attachments/%d%s", f.ID, suffix)
			h, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`fetch(`+"`"+u+"`"+`).then(r => ({
				status: String(r.status), disposition: r.headers.get("content-disposition") || "",
				csp: r.headers.get("content-security-policy") || "", nosniff: r.headers.get("x-content-type-options") || ""}))`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				fail(t, ctx, err)
			}
			if h["status"] != "200" || !strings.HasPrefix(h["disposition"], "attachment") || h["nosniff"] != "nosniff" ||
				!strings.Contains(h["csp"], "sandbox") || !strings.Contains(h["csp"], "default-src 'none'") {
				t.Errorf("%s (%s): %v", u, f.Name, h)
			}
			// Opening it is a download: the page stays, nothing runs.
			chromedp.Run(ctx, chromedp.Navigate(s.url+u))
			if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != pageURL {
				t.Errorf("opening %s (%s) left the page for %s", u, f.Name, loc)
			}
		}
	}
	// The bomb is refused from its header: recorded as having no thumbnail.
	var none int
	if err := db.QueryRow(`SELECT COUNT(*) FROM attachments WHERE thumb_type = 'none'`).Scan(&none); err != nil || none != 4 {
		t.Errorf("%d files recorded without a thumbnail, want 4 (%v)", none, err)
	}
	time.Sleep(500 * time.Millisecond)
	if n := bc.file.Load(); n != 0 {
		t.Errorf("a script in a file ran: %d calls", n)
	}
}

// fileNoPictures files a request with a PDF and a decompression bomb called
// .png, and plants beside them what the upload checks now refuse: an SVG
// and an HTML page called .png, each with the beacon's script.
func fileNoPictures(t *testing.T, s *site, db *sql.DB, bc *beacon) (*beheer.Request, []beheer.Attachment) {
	t.Helper()
	ctxb := context.Background()
	r, err := s.st.CreateRequest(ctxb, actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeIncident,
		Title: "Bijlagen die geen plaatje zijn", AreaID: s.areas["hr"], Attachments: []beheer.Upload{
			{Name: "handleiding.pdf", Data: []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")},
			{Name: "enorm.png", Data: imagetest.BombPNG(50000, 50000)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	plant := func(name, ctype, body string) {
		if _, err := db.Exec(`INSERT INTO attachments (request_id, name, content_type, size, sha256, data, uploader_id, created_at)
			VALUES ($1, $2, $3, $4, 'x', $5, $6, $7)`, r.ID, name, ctype, len(body), []byte(body), s.ids["anna"], time.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	plant("logo.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg">`+strings.ReplaceAll(bc.script("file"), "<script>", `<script type="text/javascript">`)+`</svg>`)
	plant("scherm.png", "image/png", "<!DOCTYPE html><html><body>"+bc.script("file")+"</body></html>")
	files, err := s.st.Attachments(ctxb, store.System, r.ID)
	if err != nil || len(files) != 4 {
		t.Fatalf("attachments %v %v", files, err)
	}
	return r, files
}

// scriptsRan is true once the page's own scripts have run: they are
// deferred, so they run before DOMContentLoaded.
const scriptsRan = `window.__ready === true`

// openHolding opens url while the browser holds back the n requests that
// match pattern, until the release script is true in the page; then it
// lets them go and waits for the page to load. A test thus fixes the order
// of a race that the network otherwise decides.
func openHolding(t *testing.T, ctx context.Context, url, pattern string, n int, release string) {
	t.Helper()
	hctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	paused := chromedp.Events(hctx, fetch.RequestPaused)
	must := func(_ any, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}))
	must(chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `document.addEventListener("DOMContentLoaded", () => { window.__ready = true; });`}))
	must(chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}}))
	must(chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url}))
	var held []fetch.RequestID
	for ev, err := range paused {
		if err != nil {
			fail(t, ctx, fmt.Errorf("%d of %d requests for %s held: %w", len(held), n, pattern, err))
		}
		held = append(held, ev.RequestID)
		if len(held) == n {
			break
		}
	}
	waitFor(t, ctx, release)
	for _, id := range held {
		must(chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}))
	}
	must(chromedp.Call(ctx, fetch.Disable, cdp.Empty{}))
	waitFor(t, ctx, `document.readyState === "complete"`)
}

func waitForHits(t *testing.T, hits *atomic.Int64) {
	t.Helper()
	for range 100 {
		if hits.Load() > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the beacon never heard the payload: the check cannot see a script run")
}

// TestMonthlyReportSetting: a director finds the monthly report among the
// e-mail settings and switches it off, at 1366 and at 390 pixels.
func TestMonthlyReportSetting(t *testing.T) {
	s := newSite(t)
	ctx := browser(t)
	s.login(t, ctx, "dirk")
	for _, width := range screenWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			viewport(t, ctx, width)
			open(t, ctx, s.url+"/settings/notifications")
			if shown := text(t, ctx, "main"); !strings.Contains(shown, "Maandrapport voor de directie") {
				fail(t, ctx, errorf("no monthly report among the settings"))
			}
			noOverflow(t, ctx, fmt.Sprintf("the e-mail settings at %d px", width))
			shot(t, ctx, fmt.Sprintf("settings-monthly-%d", width))
			checkA11y(t, ctx, fmt.Sprintf("e-mail settings at %d px", width))
		})
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="monthly_report"][value="off"]`)))
	submit(t, ctx, `form.notify-prefs`)
	if got := text(t, ctx, "main"); !strings.Contains(got, "opgeslagen") {
		fail(t, ctx, errorf("not saved"))
	}
	if !eval[bool](t, ctx, `document.querySelector('input[name="monthly_report"][value="off"]').checked`) {
		t.Error("the choice is not kept")
	}
	recipients, err := s.st.MonthlyRecipients(context.Background())
	if err != nil || len(recipients) != 0 {
		t.Errorf("recipients after switching off: %v %v", recipients, err)
	}
}
