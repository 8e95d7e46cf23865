package password

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	personal := []string{"Anna Kloosterboer", "anna.kloosterboer@voorbeeld.nl", "Gemeente Zuidhaven"}
	tests := []struct {
		pw   string
		want error
	}{
		{"kort", ErrTooShort},
		{"1234567", ErrTooShort},
		{"wachtwoord", ErrCommon},
		{"Welkom01", ErrCommon},
		{"Welkom01!", ErrCommon},
		{"abcdefgh", ErrCommon},
		{"ABCDEFGH", ErrCommon},
		{"Zomer2026!", ErrCommon},
		{"!!Password123", ErrCommon},
		{"iloveyou", ErrCommon},
		{"qwertyuiop", ErrCommon},
		{"correct paard batterij nietje", nil},
		{strings.Repeat("x", 64) + "Yz!", nil},
		{strings.Repeat("ab", MaxLength), ErrTooLong},
		{"€€€€€€€€€€", nil},
		// Made of the person's own name, address or organisation.
		{"AnnaKloosterboer", ErrPersonal},
		{"kloosterboer2026!", ErrPersonal},
		{"Zuidhaven2026", ErrPersonal},
		{"voorbeeld.nl!", ErrPersonal},
		{"anna12345678", ErrCommon}, // a common name with digits is common anyway
		{"anna houdt van lange wandelingen", nil},
		{"kloosterboer-9374659283746", nil},
	}
	for _, tt := range tests {
		if got := Check(tt.pw, personal...); !errors.Is(got, tt.want) {
			t.Errorf("Check(%q) = %v, want %v", tt.pw, got, tt.want)
		}
	}
	if err := Check("AnnaKloosterboer"); err != nil {
		t.Errorf("without personal texts AnnaKloosterboer is refused: %v", err)
	}
}

// TestList: the list is real (at least 100,000 passwords from breaches and
// common-password lists), sorted for the binary search, and the check
// stays fast.
func TestList(t *testing.T) {
	l := common()
	if n := Len(); n < 100000 {
		t.Fatalf("%d passwords in the list, want at least 100,000", n)
	}
	for i := 1; i < len(l.starts); i++ {
		if l.line(i-1) >= l.line(i) {
			t.Fatalf("not sorted or not unique at %d: %q, %q", i, l.line(i-1), l.line(i))
		}
	}
	for _, w := range []string{"123456", "password", "welkom01", "feyenoord", "trustno1", "zzzzzzzz"} {
		if !l.has(w) {
			t.Errorf("%q is not in the list", w)
		}
	}
	start := time.Now()
	for range 1000 {
		Check("een lange maar gewone zin", "Anna de Vries", "anna@voorbeeld.nl")
	}
	if d := time.Since(start) / 1000; d > time.Millisecond {
		t.Errorf("one check takes %s", d)
	}
}

func TestHashVerify(t *testing.T) {
	h, err := Hash("lange zin als wachtwoord")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	if !Verify(h, "lange zin als wachtwoord") {
		t.Error("correct password refused")
	}
	for _, wrong := range []string{"", "lange zin als wachtwoorD", "lange zin als wachtwoord "} {
		if Verify(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := Hash("lange zin als wachtwoord")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$", "plain", "$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA"} {
		if Verify(bad, "x") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
	if Verify(Dummy, "") {
		t.Error("dummy hash matched an empty password")
	}
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		Hash("lange zin als wachtwoord")
	}
}
