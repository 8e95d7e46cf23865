package server

import (
	"slices"
	"testing"
)

// TestOpenAPIRegisterSchemas checks the technical register's schemas
// against what the handlers encode, like TestOpenAPISchemasMatchJSON.
func TestOpenAPIRegisterSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	checkSchemas(t, doc, map[string]any{"RegisterEntry": apiRegisterEntry{}, "RegisterReview": apiRegisterReview{}})
	// The input schemas name exactly what the handlers decode.
	for _, name := range []string{"RegisterInput", "RegisterPatch"} {
		schema, _ := pointer(doc, "#/components/schemas/"+name)
		props, _ := schema.(map[string]any)["properties"].(map[string]any)
		want := []string{"area", "client_ids", "description", "direction", "dns_notes", "host", "issuer_url", "kind",
			"last_reviewed_on", "maintainer", "maintainer_contact_id", "name", "other_system", "owner_id", "port", "protocol",
			"review_months", "sender", "status", "technique", "tls_mode"}
		if got := sortedKeys(props); !slices.Equal(got, want) {
			t.Errorf("%s properties %v, want %v", name, got, want)
		}
	}
}
