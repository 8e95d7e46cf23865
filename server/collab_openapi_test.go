package server

import (
	"testing"

	"beheer"
	"beheer/store"
)

// TestOpenAPICollabSchemas checks the schemas of working together against
// what the handlers encode, like TestOpenAPISchemasMatchJSON.
func TestOpenAPICollabSchemas(t *testing.T) {
	checkSchemas(t, openAPIDoc(t), map[string]any{
		"StandardAnswer": beheer.StandardAnswer{},
		"Follower":       beheer.Follower{},
		"ParentIncident": beheer.ParentIncident{},
		"RequestRef":     store.Ref{},
	})
}
