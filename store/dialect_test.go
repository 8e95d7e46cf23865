package store_test

import (
	"strings"
	"testing"
	"unicode"

	"beheer"
	"beheer/store"
)

func TestSearchQuery(t *testing.T) {
	tests := []struct {
		text       string
		sqlite, pg string
		ok         bool
	}{
		// The analyser's stems (beheer.ParseSearch); SQLite shortens them
		// to a prefix length its index keeps (10, 8, 6 or 4 characters).
		{"declaraties", `"declaratie"*`, "declaratie:*", true},
		{"Verlof aanvragen!", `"verlof"* AND "aanvra"*`, "verlof:* & aanvrag:*", true},
		{"salarisadministratie", `"salarisadm"*`, "salarisadministratie:*", true},
		{`"; DROP TABLE requests; --`, `"drop"* AND "tabl"* AND "reques"*`, "drop:* & tabl:* & request:*", true},
		{"a:b OR c*", "", "", false},
		{"  !!!  ", "", "", false},
		{"de het een", "", "", false},
	}
	for _, tt := range tests {
		got, ok := store.SearchQuery(store.SQLite, tt.text)
		if ok != tt.ok || got != tt.sqlite {
			t.Errorf("sqlite %q: %q %v, want %q", tt.text, got, ok, tt.sqlite)
		}
		got, _ = store.SearchQuery(store.Postgres, tt.text)
		if got != tt.pg {
			t.Errorf("postgres %q: %q, want %q", tt.text, got, tt.pg)
		}
	}
}

// FuzzSearchQuery: whatever a person types, the engine query holds only
// letters, digits and the operators we put there, at most
// beheer.MaxSearchWords words.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"declaraties", `"`, `*`, "a OR b", "x:y", "(((", "NEAR(a b)", "\x00", "ÉÉN verlof", "日本語", "-a +b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
			q, ok := store.SearchQuery(engine, text)
			if !ok {
				continue
			}
			words := beheer.ParseSearch(text).Terms
			if len(words) == 0 || len(words) > beheer.MaxSearchWords {
				t.Fatalf("%d words", len(words))
			}
			rest := q
			for _, op := range []string{`"`, "*", " AND ", " & ", ":", " | ", "(", ")"} {
				rest = strings.ReplaceAll(rest, op, " ")
			}
			for _, r := range rest {
				if r != ' ' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("%s query %q for %q holds %q", engine, q, text, r)
				}
			}
		}
	})
}
