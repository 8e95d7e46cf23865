package server

import (
	"testing"
)

// TestOpenAPIPeopleSchemas checks the people sync schemas against what the
// handlers encode, like TestOpenAPISchemasMatchJSON does for the core types.
func TestOpenAPIPeopleSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	checkSchemas(t, doc, map[string]any{"SyncReport": apiSyncReport{}, "SyncProblem": apiSyncProblem{}, "Department": apiDepartment{}})
}
