package notify

import (
	"testing"
	"time"

	"beheer"
)

// TestMessageIDRoundTrip keeps notify's Message-ID and the root's reader
// of it (which matches replies to their request) in step.
func TestMessageIDRoundTrip(t *testing.T) {
	created := time.Date(2026, 3, 4, 9, 12, 0, 0, time.UTC)
	for _, from := range []string{"Beheer <beheer@voorbeeld.nl>", "onzin"} {
		id := MessageID(42, created, from)
		row, ms, ok := beheer.ParseOutboxMessageID(id)
		if !ok || row != 42 || ms != created.UnixMilli() {
			t.Errorf("ParseOutboxMessageID(%q) = %d, %d, %v", id, row, ms, ok)
		}
	}
}
