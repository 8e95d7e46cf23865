package beheer

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Integrations: outside systems that subscribe to events (webhooks), and
// the mail that comes in and goes out. Webhook payloads and mail carry
// requests of every area, so only admins for every area manage them.

// WebhookEvents are the event kinds an integration can subscribe to: the
// kinds of the event log that may leave the organisation.
var WebhookEvents = []string{"request.filed", "request.phase_changed", "decision.taken",
	"escalation.opened", "escalation.closed", "release.signed_off"}

// maxWebhookURL bounds a webhook's address.
const maxWebhookURL = 2000

// Webhook is a subscription of an outside system to events.
type Webhook struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	// Disabled is when an administrator paused the subscription: no
	// deliveries are queued or sent until it is enabled again.
	Disabled time.Time `json:"disabled_at,omitzero"`
	// Secret is shown once, when the webhook is created.
	Secret string `json:"secret,omitempty"`
}

// Active reports whether the subscription is receiving events.
func (w Webhook) Active() bool { return w.Disabled.IsZero() }

// NewWebhook is what an administrator fills in.
type NewWebhook struct {
	URL         string
	Events      []string
	Description string
}

// Validate checks the subscription and tidies it: the address and the
// description trimmed, each event once and in order. The address itself
// (which IP it resolves to) is checked again on every delivery, when it is
// dialled.
func (n *NewWebhook) Validate() error {
	var v Validation
	n.URL = strings.TrimSpace(n.URL)
	u, err := url.Parse(n.URL)
	switch {
	case n.URL == "":
		v.Add("url", "field.required")
	case len(n.URL) > maxWebhookURL || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || u.Fragment != "" || u.Hostname() == "":
		v.Add("url", "webhook.bad_url")
	}
	if len(n.Events) == 0 {
		v.Add("events", "field.required")
	}
	for _, e := range n.Events {
		if !slices.Contains(WebhookEvents, e) {
			v.Add("events", "field.invalid_choice", "choices", WebhookEvents)
			break
		}
	}
	validateLine(&v, "description", n.Description, MaxName, false)
	if err := v.Err(); err != nil {
		return err
	}
	n.Events = slices.Compact(slices.Sorted(slices.Values(n.Events)))
	n.Description = strings.TrimSpace(n.Description)
	return nil
}

// WebhookDelivery is one entry of a webhook's delivery log.
type WebhookDelivery struct {
	ID          int64     `json:"id"`
	WebhookID   int64     `json:"webhook_id"`
	EventID     int64     `json:"event_id,omitempty"`
	Event       string    `json:"event"`
	ReplayOf    int64     `json:"replay_of,omitempty"`
	Payload     string    `json:"payload"`
	CreatedAt   time.Time `json:"created_at"`
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt_at,omitzero"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	FailedAt    time.Time `json:"failed_at,omitzero"`
	LastStatus  int       `json:"last_status,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
}

// DueDelivery is a delivery claimed for sending.
type DueDelivery struct {
	ID       int64
	Event    string
	URL      string
	Secret   string
	Payload  []byte
	Attempts int
}

// CanManageWebhooks reports whether the actor may subscribe outside
// systems to events, read their delivery logs and replay deliveries: a
// technical or functional admin of every area, since the payloads carry
// requests of every area.
func CanManageWebhooks(a *Actor) bool { return a.Can(PermWebhookManage, 0) }

// CanManageIntegrations reports whether the actor may post incoming mail
// and read its log and the outbox: a technical or functional admin of
// every area, since a posted message acts in its sender's name and the
// logs name requests and people of every area.
func CanManageIntegrations(a *Actor) bool { return a.Can(PermIntegrationManage, 0) }

// blockedNetworks are the networks a webhook may not reach unless an
// operator allows them (BEHEER_WEBHOOK_ALLOW): this host, the local
// network, link-local addresses (cloud metadata services), carrier-grade
// NAT, multicast and reserved ranges, and the translation prefixes that
// could wrap any of them.
var blockedNetworks = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		"::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32",
		"2002::/16", "fc00::/7", "fe80::/10", "ff00::/8",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// WebhookAddressAllowed reports whether a webhook call may go to ip: not
// to a blocked network, unless allow names it.
func WebhookAddressAllowed(ip netip.Addr, allow []netip.Prefix) bool {
	ip = ip.Unmap()
	for _, p := range allow {
		if p.Contains(ip) {
			return true
		}
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range blockedNetworks {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// CheckWebhookAddresses refuses a webhook whose host resolved to any
// address a call may not reach, naming the first such address; the same
// policy refuses it again at every delivery, when the name may resolve
// differently. A host that resolved to nothing cannot be reached.
func CheckWebhookAddresses(host string, ips []netip.Addr, allow []netip.Prefix) error {
	if len(ips) == 0 {
		return Invalid("url", "webhook.unresolvable", "host", host)
	}
	for _, ip := range ips {
		if !WebhookAddressAllowed(ip, allow) {
			return Invalid("url", "webhook.blocked_address", "host", host, "address", ip.Unmap().String())
		}
	}
	return nil
}
