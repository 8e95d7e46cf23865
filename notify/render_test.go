package notify

import (
	"testing"

	"beheer/i18n"
	"beheer/store"
)

// TestSummaryOfClosing: what the bell and the e-mail say when a rating or a
// quiet period ends Optimalisatie, and when a service level was already
// missed when first seen (not "about to be exceeded").
func TestSummaryOfClosing(t *testing.T) {
	r := NewRenderer(i18n.MustLoad(), "https://beheer.test")
	tests := []struct {
		name, kind string
		data       map[string]string
		want       string
	}{
		{"rating closes", store.EventEvaluated, map[string]string{"rating": "5", "outcome": "close"},
			"Anna beoordeelde het resultaat met 5 van 5; daarmee is de aanvraag afgerond."},
		{"rating asks to follow up", store.EventEvaluated, map[string]string{"rating": "1", "outcome": "follow_up"},
			"Anna is niet tevreden over het resultaat (1 van 5): neem contact op."},
		{"rating leaves closing to the assignee", store.EventEvaluated, map[string]string{"rating": "3", "outcome": "wait"},
			"Anna beoordeelde het resultaat met 3 van 5: u kunt de aanvraag afronden."},
		{"quiet period closes", store.EventPhaseChanged, map[string]string{"to": "closed", "reason": store.ClosedAfterQuiet, "detail": "10"},
			"De aanvraag is afgerond: er kwam 10 werkdagen geen reactie op het resultaat."},
		{"warning before the target", EventSLAWarning, map[string]string{"left": "30/480"},
			"De afgesproken behandeltijd dreigt te worden overschreden."},
		{"already missed", EventSLAWarning, map[string]string{"left": "-60/480", "breached": "true"},
			"De afgesproken behandeltijd is overschreden."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Summary(i18n.NL, tt.kind, "", tt.data, "Anna"); got != tt.want {
				t.Errorf("Summary = %q, want %q", got, tt.want)
			}
		})
	}
}
