package browsertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beheer"
	"beheer/notify"
	"beheer/server"
	"beheer/store"
)

// receiver is a local webhook receiver that counts the calls it got.
type receiver struct {
	mu     sync.Mutex
	bodies []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, string(b))
	r.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (r *receiver) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.bodies) }

// adminSite is the portal with the settings pages: its own server that
// allows webhooks to this machine (BEHEER_WEBHOOK_ALLOW), and the webhook
// workers running against it.
func adminSite(t *testing.T) (*site, *notify.Workers) {
	t.Helper()
	box, err := beheer.ParseSecretKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		t.Fatal(err)
	}
	s := newSiteWith(t, store.Options{Secrets: box}, server.Config{LocalLogin: true,
		WebhookAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w, err := notify.New(s.st, notify.Config{WebhookAllow: []string{"127.0.0.1/32"}, Lease: time.Minute}, log)
	if err != nil {
		t.Fatal(err)
	}
	return s, w
}

// widths screenshots the current page at 1366 and 390 pixels wide.
func widths(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{1366, 390} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		shot(t, ctx, fmt.Sprintf("%s-%d", name, w))
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
}

// deliverAll queues and sends every waiting webhook call.
func deliverAll(t *testing.T, st *store.Store, w *notify.Workers) {
	t.Helper()
	ctx := context.Background()
	for range 10 {
		if _, err := st.QueueWebhooks(ctx, 100); err != nil {
			t.Fatal(err)
		}
		n, err := w.Hooks.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// TestWebhookReplayFromThePage: Fleur adds a webhook to a local receiver,
// sees its secret once, a filed request reaches the receiver, the
// delivery is in the log with its status code, and "send again" makes a
// second delivery arrive. A loopback address the operator did not allow
// is refused beside the field in Dutch.
func TestWebhookReplayFromThePage(t *testing.T) {
	s, workers := adminSite(t)
	recv := &receiver{}
	hook := httptest.NewServer(recv)
	t.Cleanup(hook.Close)
	ctx := browser(t)
	s.login(t, ctx, "fleur")

	open(t, ctx, s.url+"/admin")
	checkA11y(t, ctx, "admin")
	widths(t, ctx, "admin")
	follow(t, ctx, `a[href="/settings/webhooks"]`)
	checkA11y(t, ctx, "webhooks")

	// Not allowed: a metadata address.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#url"), "http://169.254.169.254/latest"),
		chromedp.Click(chromedp.CSS(`input[value="request.filed"]`)))
	if status := submit(t, ctx, "#url"); status != http.StatusUnprocessableEntity {
		t.Fatalf("a metadata address answered %d", status)
	}
	if msg := text(t, ctx, "#url-error"); !strings.Contains(msg, "niet toegestaan") || !strings.Contains(msg, "cloud-metadata") {
		t.Fatalf("the refusal says %q", msg)
	}
	checkA11y(t, ctx, "webhooks-refused")
	widths(t, ctx, "webhooks-refused")

	do(t, ctx, chromedp.SetValue(chromedp.CSS("#url"), hook.URL+"/beheer"),
		chromedp.SendKeys(chromedp.CSS("#description"), "Zaaksysteem"))
	if status := submit(t, ctx, "#url"); status != http.StatusCreated {
		t.Fatalf("adding answered %d", status)
	}
	if secret := text(t, ctx, "#webhook-secret"); !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("the secret shown: %q", secret)
	}
	widths(t, ctx, "webhook-created")

	// An event: Anna files a request.
	if _, err := s.st.CreateRequest(context.Background(), actorOf(t, s, "anna"), beheer.NewRequest{Type: beheer.TypeQuestion,
		Title: "Reiskosten declareren", AreaID: s.areas["hr"]}); err != nil {
		t.Fatal(err)
	}
	deliverAll(t, s.st, workers)
	if recv.count() != 1 {
		t.Fatalf("the receiver got %d calls, want 1", recv.count())
	}
	follow(t, ctx, `a[href^="/settings/webhooks/"]`)
	checkA11y(t, ctx, "webhook")
	if row := text(t, ctx, "table.deliveries tbody tr"); !strings.Contains(row, "afgeleverd") || !strings.Contains(row, "202") {
		t.Fatalf("the delivery log says %q", row)
	}
	submit(t, ctx, `table.deliveries tbody tr form`)
	if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "opnieuw klaar") {
		t.Fatalf("after replay: %q", msg)
	}
	deliverAll(t, s.st, workers)
	if recv.count() != 2 {
		t.Fatalf("the receiver got %d calls after the replay, want 2", recv.count())
	}
	open(t, ctx, s.url+"/settings/webhooks/1")
	rows := text(t, ctx, "table.deliveries tbody")
	if strings.Count(rows, "afgeleverd") != 2 || !strings.Contains(rows, "opnieuw verstuurd van") {
		t.Fatalf("the log after the replay: %q", rows)
	}
	widths(t, ctx, "webhook")

	// Pause, and the audit log shows it all.
	submit(t, ctx, `form[action$="/disable"]`)
	open(t, ctx, s.url+"/audit?kind=webhooks")
	checkA11y(t, ctx, "audit")
	if log := text(t, ctx, "table.audit"); !strings.Contains(log, "Webhook gepauzeerd") || !strings.Contains(log, "Webhookbericht opnieuw verstuurd") {
		t.Fatalf("the audit log says %q", log)
	}
	open(t, ctx, s.url+"/audit")
	widths(t, ctx, "audit")
}

// TestSettingsPages: the sign-on and mail pages show what the environment
// fixes and what is set, refuse a bad issuer beside its field, and the
// privacy page says what anonymising does; each page passes axe and is
// screenshot at both widths.
func TestSettingsPages(t *testing.T) {
	s, _ := adminSite(t)
	ctx := browser(t)
	s.login(t, ctx, "fleur")
	open(t, ctx, s.url+"/settings/signon")
	checkA11y(t, ctx, "signon")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#oidc_issuer"), "http://127.0.0.1:1/realms/beheer"),
		chromedp.SendKeys(chromedp.CSS("#oidc_client_id"), "beheer"),
		chromedp.SendKeys(chromedp.CSS("#oidc_redirect_url"), "https://beheer.voorbeeld.nl/sso/callback"))
	if status := submit(t, ctx, "#oidc_issuer"); status != http.StatusUnprocessableEntity {
		t.Fatalf("an issuer that does not answer: %d", status)
	}
	if msg := text(t, ctx, "#oidc_issuer-error"); !strings.Contains(msg, "niet bruikbaar") {
		t.Fatalf("the issuer's message: %q", msg)
	}
	checkA11y(t, ctx, "signon-refused")
	widths(t, ctx, "signon-refused")

	open(t, ctx, s.url+"/settings/mailserver")
	checkA11y(t, ctx, "mailserver")
	widths(t, ctx, "mailserver")

	open(t, ctx, fmt.Sprintf("%s/people/%d/privacy", s.url, s.ids["bram"]))
	checkA11y(t, ctx, "privacy")
	if page := text(t, ctx, "main"); !strings.Contains(page, "Wat verdwijnt") || !strings.Contains(page, "Wat blijft") {
		t.Fatalf("the privacy page:\n%s", page)
	}
	widths(t, ctx, "privacy")
}
