package server

import (
	"testing"

	"beheer"
	"beheer/store"
)

// TestOpenAPICycleSchemas checks the schemas of the seed's cycle — the
// Accept test, the evaluation with the process owner, hours, outages, the
// budget and the links — against what the handlers encode, like
// TestOpenAPISchemasMatchJSON.
func TestOpenAPICycleSchemas(t *testing.T) {
	checkSchemas(t, openAPIDoc(t), map[string]any{
		"ChangeTest": beheer.ChangeTest{}, "OwnerEvaluation": beheer.OwnerEvaluation{}, "Review": apiReview{},
		"TimeEntry": beheer.TimeEntry{}, "Outage": beheer.Outage{}, "Budget": apiBudget{},
		"LinkedRequest": store.LinkedRequest{}, "SignOffException": apiException{}, "TestWindow": apiWindow{},
		"Settings": beheer.Settings{},
	})
}
