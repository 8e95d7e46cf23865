package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"beheer"
	"beheer/store"
)

// SignatureHeader carries the HMAC-SHA256 signature of a webhook call:
// "t=<unix seconds>,v1=<hex of HMAC-SHA256(secret, "<t>.<body>")>". The
// receiver recomputes it and refuses calls whose t is too old (replay).
const SignatureHeader = "Beheer-Signature"

// Sign computes the signature header value for body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// ErrBlockedAddress is returned when a webhook address resolves to a
// network that outbound calls may not reach.
var ErrBlockedAddress = errors.New("webhook address not allowed")

// Guard is the outbound address policy for webhooks.
type Guard struct {
	Allow []netip.Prefix // explicitly allowed, even if otherwise blocked
}

// Allowed reports whether a call may go to ip: the root package's
// policy with this guard's exceptions.
func (g *Guard) Allowed(ip netip.Addr) bool { return beheer.WebhookAddressAllowed(ip, g.Allow) }

// control runs at dial time, after name resolution, for every address the
// dialer tries: a name that resolves to a blocked address is refused here,
// whatever the URL said.
func (g *Guard) control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !g.Allowed(ip) {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, host)
	}
	return nil
}

// Client is the HTTP client for webhook calls: every dialled address is
// checked, no proxy from the environment is used, and redirects are never
// followed (a 3xx is a failed delivery).
func (g *Guard) Client(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: g.control}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConns:          10,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// HookSender delivers webhook calls.
type HookSender struct {
	st     *store.Store
	cfg    Config
	log    *slog.Logger
	owner  string
	guard  *Guard
	client *http.Client
	Now    func() time.Time // the signing clock; nil means time.Now
}

// RunOnce claims due deliveries and sends them; it returns how many.
func (h *HookSender) RunOnce(ctx context.Context) (int, error) {
	ds, err := h.st.ClaimWebhookDeliveries(ctx, h.owner, h.cfg.Lease, 20)
	if err != nil || len(ds) == 0 {
		return 0, err
	}
	for _, d := range ds {
		if ctx.Err() != nil {
			return len(ds), ctx.Err()
		}
		status, err := h.send(ctx, d)
		if err == nil {
			if err := h.st.WebhookDelivered(ctx, d.ID, h.owner, status); err != nil {
				return len(ds), err
			}
			continue
		}
		retry := Backoff(d.Attempts)
		if d.Attempts >= h.cfg.MaxAttempts {
			retry = 0
		}
		h.log.Warn("webhook not delivered", "delivery", d.ID, "attempt", d.Attempts, "err", err, "gave_up", retry == 0)
		if err := h.st.WebhookFailed(ctx, d.ID, h.owner, status, err.Error(), retry); err != nil {
			return len(ds), err
		}
	}
	return len(ds), nil
}

func (h *HookSender) send(ctx context.Context, d beheer.DueDelivery) (int, error) {
	if h.client == nil {
		h.client = h.guard.Client(15 * time.Second)
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Beheer-Webhooks/1")
	req.Header.Set("Beheer-Event", d.Event)
	req.Header.Set("Beheer-Delivery", strconv.FormatInt(d.ID, 10))
	req.Header.Set(SignatureHeader, Sign(d.Secret, now(), d.Payload))
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, fmt.Errorf("HTTP %d: redirects are not followed", resp.StatusCode)
	}
	return resp.StatusCode, fmt.Errorf("HTTP %d", resp.StatusCode)
}
