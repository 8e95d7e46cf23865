package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestSavedViewValidate: a view needs a name of at most 80 characters
// (counted as characters, not bytes) and a query that fits.
func TestSavedViewValidate(t *testing.T) {
	tests := []struct {
		name     string
		view     SavedView
		want     result
		wantName string
	}{
		{"ok", SavedView{Name: "Mijn HR-vragen", Query: "area=hr&phase=investigation"}, allowed, "Mijn HR-vragen"},
		{"trimmed", SavedView{Name: "  Urgent  "}, allowed, "Urgent"},
		{"name_80_accents", SavedView{Name: strings.Repeat("é", MaxViewName)}, allowed, strings.Repeat("é", MaxViewName)},
		{"query_2000", SavedView{Name: "Lang", Query: strings.Repeat("q", MaxViewQuery)}, allowed, "Lang"},
		{"no_name", SavedView{Name: "   "}, invalid("name"), ""},
		{"name_too_long", SavedView{Name: strings.Repeat("n", MaxViewName+1)}, invalid("name"), strings.Repeat("n", MaxViewName+1)},
		{"query_too_long", SavedView{Name: "Lang", Query: strings.Repeat("q", MaxViewQuery+1)}, invalid("query"), "Lang"},
		{"both", SavedView{Query: strings.Repeat("q", MaxViewQuery+1)}, invalid("name", "query"), ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			v := tt.view
			expect(t, "", v.Validate(), tt.want)
			if v.Name != tt.wantName {
				t.Errorf("name after Validate %q, want %q", v.Name, tt.wantName)
			}
		})
	}
}

// TestCheckViewCount: a person keeps at most 50 views.
func TestCheckViewCount(t *testing.T) {
	for _, tt := range []struct {
		kept int
		want result
	}{
		{0, allowed},
		{MaxSavedViews - 1, allowed},
		{MaxSavedViews, result{Code: CodeInvalid, Fields: []string{"name"}}},
		{MaxSavedViews + 5, result{Code: CodeInvalid, Fields: []string{"name"}}},
	} {
		t.Run(fmt.Sprintf("kept=%d=%s", tt.kept, outcomeName(tt.want)), func(t *testing.T) {
			err := CheckViewCount(tt.kept)
			expect(t, "", err, tt.want)
			if err != nil && err.(*Error).Fields[0].Key != "view.too_many" {
				t.Errorf("message %v, want view.too_many", err)
			}
		})
	}
}
