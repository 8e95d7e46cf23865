package i18n

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"", NL},
		{"nl", NL},
		{"nl-NL", NL},
		{"nl-BE", NL},
		{"NL-nl", NL},
		{"en", EN},
		{"en-US", EN},
		{"en-GB,en;q=0.9", EN},
		{"de", NL},
		{"de-DE,de;q=0.9", NL},
		{"*", NL},
		{"fr, en;q=0.5", EN},
		{"nl;q=0.4, en;q=0.8", EN},
		{"en;q=0.4, nl;q=0.8", NL},
		{"en-US,en;q=0.9,nl;q=0.8", EN},
		{"nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", NL},
		{"en, nl", EN},     // equal q: first wins
		{"en;q=0, nl", NL}, // q=0: not acceptable
		{"en;q=0", NL},
		{"en;q=abc", NL},     // malformed q: ignored
		{"en;q=2", NL},       // out of range: ignored
		{" en ; Q=0.5 ", EN}, // spaces and upper-case Q
		{"en_GB", EN},
		{"english", NL},
		{",,,", NL},
		{"en;level=1;q=0.3", EN},
	}
	for _, tt := range tests {
		if got := Match(tt.header); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"nl", NL, true},
		{"NL", NL, true},
		{"En", EN, true},
		{" en ", EN, true},
		{"de", "", false},
		{"nl-NL", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseLang(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
