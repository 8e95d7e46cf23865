package beheer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestNewWebhookValidate: an http(s) address without credentials or
// fragment, at least one known event, a short description.
func TestNewWebhookValidate(t *testing.T) {
	ok := NewWebhook{URL: "https://zaak.voorbeeld.nl/hook", Events: []string{"request.filed"}, Description: "Zaaksysteem"}
	with := func(f func(*NewWebhook)) NewWebhook { n := ok; f(&n); return n }
	tests := []struct {
		name string
		n    NewWebhook
		want result
	}{
		{"https", ok, allowed},
		{"http_with_port_and_query", with(func(n *NewWebhook) { n.URL = "http://10.0.0.5:8080/hook?x=1" }), allowed},
		{"every_event", with(func(n *NewWebhook) { n.Events = WebhookEvents }), allowed},
		{"description_200_accents", with(func(n *NewWebhook) { n.Description = strings.Repeat("é", MaxName) }), allowed},
		{"no_url", with(func(n *NewWebhook) { n.URL = "  " }), invalid("url")},
		{"ftp", with(func(n *NewWebhook) { n.URL = "ftp://zaak.voorbeeld.nl" }), invalid("url")},
		{"no_host", with(func(n *NewWebhook) { n.URL = "https:///hook" }), invalid("url")},
		{"credentials", with(func(n *NewWebhook) { n.URL = "https://u:p@zaak.voorbeeld.nl/hook" }), invalid("url")},
		{"fragment", with(func(n *NewWebhook) { n.URL = "https://zaak.voorbeeld.nl/hook#x" }), invalid("url")},
		{"relative", with(func(n *NewWebhook) { n.URL = "/hook" }), invalid("url")},
		{"too_long", with(func(n *NewWebhook) { n.URL = "https://zaak.voorbeeld.nl/" + strings.Repeat("a", maxWebhookURL) }), invalid("url")},
		{"no_events", with(func(n *NewWebhook) { n.Events = nil }), invalid("events")},
		{"unknown_event", with(func(n *NewWebhook) { n.Events = []string{"request.filed", "nope"} }), invalid("events")},
		{"internal_event", with(func(n *NewWebhook) { n.Events = []string{"comment.added"} }), invalid("events")},
		{"description_too_long", with(func(n *NewWebhook) { n.Description = strings.Repeat("d", MaxName+1) }), invalid("description")},
		{"everything_wrong", NewWebhook{URL: "ftp://x", Events: []string{"nope", "nope"}, Description: strings.Repeat("d", MaxName+1)},
			invalid("url", "events", "description")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			n := tt.n
			expect(t, "", n.Validate(), tt.want)
		})
	}
	t.Run("tidied", func(t *testing.T) {
		events := []string{"request.phase_changed", "request.filed", "request.phase_changed"}
		n := NewWebhook{URL: " https://zaak.voorbeeld.nl/hook ", Events: events, Description: " Zaaksysteem "}
		if err := n.Validate(); err != nil {
			t.Fatal(err)
		}
		if n.URL != "https://zaak.voorbeeld.nl/hook" || n.Description != "Zaaksysteem" ||
			!slices.Equal(n.Events, []string{"request.filed", "request.phase_changed"}) {
			t.Errorf("after Validate: %+v", n)
		}
		if events[0] != "request.phase_changed" {
			t.Errorf("Validate changed the caller's events: %v", events)
		}
	})
}
