package server

import (
	"testing"

	"beheer"
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
		"Report":        beheer.Report{},
		"OpenCount":     beheer.OpenCount{},
		"MonthCount":    beheer.MonthCount{},
		"Spread":        beheer.Spread{},
		"SLAPerf":       beheer.SLAPerf{},
		"ChannelStats":  beheer.ChannelStats{},
		"DecisionStats": beheer.DecisionStats{},
		"RatingStats":   beheer.RatingStats{},
		"AgeCount":      beheer.AgeCount{},
		"LoadCount":     beheer.LoadCount{},
		"AtRiskItem":    apiAtRiskItem{},
	}
	checkSchemas(t, doc, cases)
}
