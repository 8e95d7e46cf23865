package beheer

import "testing"

// TestLines: every kind of line break becomes \n, and texts that differ only
// in their breaks are the same text.
func TestLines(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "een regel", "een regel"},
		{"lf_kept", "een\ntwee", "een\ntwee"},
		{"crlf_from_a_form", "een\r\ntwee\r\n\r\ndrie", "een\ntwee\n\ndrie"},
		{"lone_cr_from_old_mail", "een\rtwee", "een\ntwee"},
		{"mixed", "a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lines(tt.in); got != tt.want {
				t.Errorf("Lines(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !SameText(tt.in, tt.want) {
				t.Errorf("SameText(%q, %q) = false", tt.in, tt.want)
			}
		})
	}
	if SameText("een\r\ntwee", "een\r\ndrie") {
		t.Error("different texts are the same")
	}
}

// TestPatchClean: a patch's title and description get one kind of line
// break; fields not in the patch stay nil.
func TestPatchClean(t *testing.T) {
	d := "regel 1\r\nregel 2"
	p := Patch{Description: &d}
	p.Clean()
	if *p.Description != "regel 1\nregel 2" || p.Title != nil {
		t.Errorf("cleaned patch: %q, title %v", *p.Description, p.Title)
	}
	n := NewRequest{Title: "titel", Description: "a\r\nb"}
	n.Clean()
	if n.Description != "a\nb" {
		t.Errorf("cleaned request: %q", n.Description)
	}
}
