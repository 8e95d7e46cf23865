package server

import (
	"testing"

	"beheer"
	"beheer/store"
)

// TestOpenAPISLASchemas checks the service-level and report schemas against
// what the handlers encode, like TestOpenAPISchemasMatchJSON does for the
// core types.
func TestOpenAPISLASchemas(t *testing.T) {
	doc := openAPIDoc(t)
	cases := map[string]any{
		"SLATarget":     beheer.SLATarget{},
		"SLACalendar":   beheer.SLACalendar{},
		"SLAMeasure":    apiMeasure{},
		"SLAState":      apiSLA{},
		"Report":        store.Report{},
		"OpenCount":     store.OpenCount{},
		"MonthCount":    store.MonthCount{},
		"Spread":        store.Spread{},
		"SLAPerf":       store.SLAPerf{},
		"ChannelStats":  store.ChannelStats{},
		"DecisionStats": store.DecisionStats{},
		"RatingStats":   store.RatingStats{},
		"AgeCount":      store.AgeCount{},
		"LoadCount":     store.LoadCount{},
		"AtRiskItem":    apiAtRiskItem{},
	}
	checkSchemas(t, doc, cases)
}
