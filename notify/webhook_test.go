package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// verifySignature is an independent check of the Beheer-Signature header,
// as a receiving integration would write it.
func verifySignature(header, secret string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("no timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("timestamp too old: replay?")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, ts+"."+string(body))
	want := mac.Sum(nil)
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, want) {
		return errors.New("bad signature")
	}
	return nil
}

type hookCall struct {
	header http.Header
	body   []byte
}

type hookSink struct {
	mu     sync.Mutex
	calls  []hookCall
	status int
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.calls = append(h.calls, hookCall{r.Header.Clone(), b})
	status := h.status
	h.mu.Unlock()
	if status == 0 {
		status = http.StatusNoContent
	}
	w.WriteHeader(status)
}

func (h *hookSink) got() []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookCall(nil), h.calls...)
}

func drainHooks(t *testing.T, w *Workers) {
	t.Helper()
	ctx := context.Background()
	for range 50 {
		q, err := w.st.QueueWebhooks(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		s, err := w.Hooks.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if q == 0 && s == 0 {
			return
		}
	}
	t.Fatal("webhook workers did not settle")
}

func TestWebhookSignedDeliveryLogAndReplay(t *testing.T) {
	clk := newClock()
	storetest.Engines(t, storetest.Options{Now: clk.Now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sink := &hookSink{}
		srv := httptest.NewServer(sink)
		t.Cleanup(srv.Close)
		o := newOrg(t, st)
		tech := o.actor("technical")

		// Only technical admins and functional admins of every area.
		if _, err := st.CreateWebhook(ctx, o.actor("keyuser"), beheer.NewWebhook{URL: srv.URL, Events: []string{store.EventRequestFiled}}); err == nil {
			t.Fatal("a key user created a webhook")
		}
		if _, err := st.CreateWebhook(ctx, tech, beheer.NewWebhook{URL: "ftp://x", Events: []string{"nope"}}); err == nil {
			t.Fatal("bad webhook accepted")
		}
		hook, err := st.CreateWebhook(ctx, tech, beheer.NewWebhook{URL: srv.URL + "/hook",
			Events: []string{store.EventRequestFiled, store.EventPhaseChanged}, Description: "Zaaksysteem"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hook.Secret, "whsec_") {
			t.Fatalf("secret = %q", hook.Secret)
		}
		if list, _ := st.Webhooks(ctx, tech); len(list) != 1 || list[0].Secret != "" {
			t.Fatalf("list = %+v (the secret must not be listed)", list)
		}

		w := workersFor(t, st, nil)
		w.Hooks.Now = clk.Now
		r := o.file(t, "requester", "Koppeling salaris", beheer.TypeQuestion)
		if _, err := st.AddComment(ctx, o.actor("functional"), r.ID, beheer.NewComment{Body: "geheim", Internal: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		drainHooks(t, w)
		calls := sink.got()
		if len(calls) != 2 {
			t.Fatalf("%d calls, want 2 (filed, phase changed; no comment events)", len(calls))
		}
		for i, c := range calls {
			if err := verifySignature(c.header.Get("Beheer-Signature"), hook.Secret, c.body, clk.Now(), 5*time.Minute); err != nil {
				t.Errorf("call %d: %v", i, err)
			}
			if err := verifySignature(c.header.Get("Beheer-Signature"), "whsec_wrong", c.body, clk.Now(), 5*time.Minute); err == nil {
				t.Errorf("call %d verifies with a wrong secret", i)
			}
			if err := verifySignature(c.header.Get("Beheer-Signature"), hook.Secret, c.body, clk.Now().Add(time.Hour), 5*time.Minute); err == nil {
				t.Errorf("call %d replayed an hour later still verifies", i)
			}
			if strings.Contains(string(c.body), "geheim") {
				t.Errorf("internal note in a payload")
			}
		}
		var p struct {
			Type    string `json:"type"`
			Request struct {
				Number string `json:"number"`
				Phase  string `json:"phase"`
			} `json:"request"`
			Data map[string]string `json:"data"`
		}
		if err := json.Unmarshal(calls[1].body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Type != store.EventPhaseChanged || p.Request.Number != r.Number || p.Data["to"] != "investigation" {
			t.Errorf("payload = %s", calls[1].body)
		}
		if calls[1].header.Get("Beheer-Event") != store.EventPhaseChanged {
			t.Errorf("Beheer-Event = %q", calls[1].header.Get("Beheer-Event"))
		}

		// A failing receiver: retried with backoff, logged.
		sink.mu.Lock()
		sink.status = http.StatusInternalServerError
		sink.mu.Unlock()
		if _, err := st.Transition(ctx, o.actor("functional"), r.ID, 0, beheer.Transition{To: beheer.PhaseRejected, Note: "Niet nodig"}); err != nil {
			t.Fatal(err)
		}
		drainHooks(t, w)
		log, err := st.WebhookDeliveries(ctx, tech, hook.ID, 0, 10)
		if err != nil || len(log) != 3 {
			t.Fatalf("log = %d entries, %v", len(log), err)
		}
		failed := log[0]
		if failed.LastStatus != 500 || failed.Attempts != 1 || failed.DeliveredAt.IsZero() == false || failed.NextAttempt.IsZero() {
			t.Errorf("failed delivery = %+v", failed)
		}
		clk.Add(31 * time.Second)
		sink.mu.Lock()
		sink.status = 0
		sink.mu.Unlock()
		drainHooks(t, w)
		log, _ = st.WebhookDeliveries(ctx, tech, hook.ID, 0, 10)
		if log[0].DeliveredAt.IsZero() || log[0].Attempts != 2 || log[0].LastStatus != 204 {
			t.Errorf("after retry = %+v", log[0])
		}

		// Replay: a new delivery of the same payload, signed anew.
		before := len(sink.got())
		if _, err := st.ReplayDelivery(ctx, o.actor("keyuser"), log[2].ID); err == nil {
			t.Error("a key user replayed a delivery")
		}
		rep, err := st.ReplayDelivery(ctx, tech, log[2].ID)
		if err != nil || rep.ReplayOf != log[2].ID || rep.Payload != log[2].Payload {
			t.Fatalf("replay = %+v, %v", rep, err)
		}
		clk.Add(time.Second)
		drainHooks(t, w)
		calls = sink.got()
		if len(calls) != before+1 || string(calls[len(calls)-1].body) != log[2].Payload {
			t.Fatalf("replay not sent once with the same payload")
		}
		if err := verifySignature(calls[len(calls)-1].header.Get("Beheer-Signature"), hook.Secret, calls[len(calls)-1].body, clk.Now(), time.Minute); err != nil {
			t.Error(err)
		}

		// Deleted: nothing more goes out, the log stays.
		if err := st.DeleteWebhook(ctx, tech, hook.ID); err != nil {
			t.Fatal(err)
		}
		o.file(t, "requester", "Na verwijderen", beheer.TypeQuestion)
		drainHooks(t, w)
		if len(sink.got()) != before+1 {
			t.Error("a deleted webhook was called")
		}
		if _, err := st.WebhookDeliveries(ctx, tech, hook.ID, 0, 10); err != nil {
			t.Errorf("log of a deleted webhook: %v", err)
		}
	})
}

func TestGuardRefusesInternalAddresses(t *testing.T) {
	g := &Guard{}
	for _, s := range []string{"127.0.0.1", "127.1.2.3", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1",
		"169.254.169.254", "fe80::1", "fc00::1", "0.0.0.0", "::", "100.64.0.1", "::ffff:127.0.0.1",
		"::ffff:169.254.169.254", "224.0.0.1", "64:ff9b::a9fe:a9fe"} {
		if g.Allowed(netip.MustParseAddr(s)) {
			t.Errorf("%s allowed", s)
		}
	}
	for _, s := range []string{"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"} {
		if !g.Allowed(netip.MustParseAddr(s)) {
			t.Errorf("%s refused", s)
		}
	}
	allow := &Guard{Allow: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}
	if !allow.Allowed(netip.MustParseAddr("10.1.2.3")) || allow.Allowed(netip.MustParseAddr("10.2.0.1")) {
		t.Error("allowlist not applied exactly")
	}
}

// TestGuardAtDialTime: the check runs on the resolved address when the
// connection is made, so a name that resolves to loopback is refused too,
// and redirects are not followed.
func TestGuardAtDialTime(t *testing.T) {
	hit := false
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			hit = true
		}
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(target.Close)
	port := target.URL[strings.LastIndex(target.URL, ":")+1:]

	c := (&Guard{}).Client(5 * time.Second)
	for _, u := range []string{target.URL, "http://localhost:" + port + "/", "http://[::1]:" + port + "/",
		"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:" + port + "/"} {
		resp, err := c.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: reached (status %d)", u, resp.StatusCode)
			continue
		}
		if !errors.Is(err, ErrBlockedAddress) && !strings.Contains(err.Error(), "not allowed") {
			t.Errorf("%s: refused for another reason: %v", u, err)
		}
	}

	// Allowed explicitly: loopback reachable, but a redirect is not followed.
	allowed := (&Guard{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}).Client(5 * time.Second)
	resp, err := allowed.Get("http://localhost:" + port + "/redirect")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || hit {
		t.Errorf("redirect followed (status %d, target hit %v)", resp.StatusCode, hit)
	}
}

// TestWebhookRedirectIsAFailedDelivery: a receiver that redirects gets a
// failed delivery with the status in the log.
func TestWebhookRedirectIsAFailedDelivery(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	ctx := context.Background()
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			hit = true
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	o := newOrg(t, st)
	hook, err := st.CreateWebhook(ctx, store.System, beheer.NewWebhook{URL: srv.URL + "/hook", Events: []string{store.EventRequestFiled}})
	if err != nil {
		t.Fatal(err)
	}
	o.file(t, "requester", "Omleiding", beheer.TypeQuestion)
	drainHooks(t, workersFor(t, st, nil))
	log, _ := st.WebhookDeliveries(ctx, store.System, hook.ID, 0, 10)
	if len(log) != 1 || log[0].LastStatus != 307 || !strings.Contains(log[0].LastError, "redirect") || hit {
		t.Errorf("log = %+v, target hit %v", log, hit)
	}

	// Without the allowlist the same address is refused at dial time.
	w, _ := New(st, Config{}, quietLog())
	clkless := w.Hooks
	if _, err := clkless.send(ctx, beheer.DueDelivery{URL: srv.URL, Secret: "s", Payload: []byte("{}")}); !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("loopback without allowlist: %v", err)
	}
}
