package server

import (
	"reflect"
	"slices"
	"sort"
	"testing"

	"beheer/store"
)

// TestOpenAPISLASchemas checks the service-level and report schemas against
// what the handlers encode, like TestOpenAPISchemasMatchJSON does for the
// core types.
func TestOpenAPISLASchemas(t *testing.T) {
	doc := openAPIDoc(t)
	cases := map[string]any{
		"SLATarget":     store.SLATarget{},
		"SLACalendar":   store.SLACalendar{},
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
	for name, zero := range cases {
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
