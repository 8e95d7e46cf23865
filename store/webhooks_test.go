package store_test

import (
	"slices"
	"testing"

	"beheer"
	"beheer/store"
)

// TestWebhookEventsAreWritten: the kinds a webhook subscribes to are the
// kinds the store writes to the event log, so a subscription is never to
// a kind nothing sends.
func TestWebhookEventsAreWritten(t *testing.T) {
	written := []string{store.EventRequestFiled, store.EventPhaseChanged, store.EventDecisionTaken,
		store.EventEscalationOpened, store.EventEscalationClosed, "release.signed_off"}
	got := slices.Sorted(slices.Values(beheer.WebhookEvents))
	if want := slices.Sorted(slices.Values(written)); !slices.Equal(got, want) {
		t.Errorf("WebhookEvents = %v, want %v", got, want)
	}
}
