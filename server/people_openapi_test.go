package server

import (
	"reflect"
	"slices"
	"sort"
	"testing"
)

// TestOpenAPIPeopleSchemas checks the people sync schemas against what the
// handlers encode, like TestOpenAPISchemasMatchJSON does for the core types.
func TestOpenAPIPeopleSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	for name, zero := range map[string]any{"SyncReport": apiSyncReport{}, "SyncProblem": apiSyncProblem{}, "Department": apiDepartment{}} {
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
}
