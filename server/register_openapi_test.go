package server

import (
	"reflect"
	"slices"
	"sort"
	"testing"
)

// TestOpenAPIRegisterSchemas checks the technical register's schemas
// against what the handlers encode, like TestOpenAPISchemasMatchJSON.
func TestOpenAPIRegisterSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	for name, zero := range map[string]any{"RegisterEntry": apiRegisterEntry{}, "RegisterReview": apiRegisterReview{}} {
		schema, ok := pointer(doc, "#/components/schemas/"+name)
		if !ok {
			t.Errorf("components/schemas/%s is missing", name)
			continue
		}
		s, _ := schema.(map[string]any)
		props, _ := s["properties"].(map[string]any)
		full := reflect.New(reflect.TypeOf(zero)).Elem()
		fill(full)
		if got, want := jsonKeys(t, full.Interface()), sortedKeys(props); !slices.Equal(got, want) {
			t.Errorf("%s: JSON members %v, schema properties %v", name, got, want)
		}
		var req []string
		for _, r := range s["required"].([]any) {
			req = append(req, r.(string))
		}
		sort.Strings(req)
		if got := jsonKeys(t, zero); !slices.Equal(got, req) {
			t.Errorf("%s: JSON members of a zero value %v, schema required %v", name, got, req)
		}
	}
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
