package password

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		pw   string
		want error
	}{
		{"kort", ErrTooShort},
		{"1234567", ErrTooShort},
		{"wachtwoord", ErrCommon},
		{"Welkom01", ErrCommon},
		{"correct paard batterij nietje", nil},
		{strings.Repeat("x", 64) + "Yz!", nil},
		{strings.Repeat("ab", MaxLength), ErrTooLong},
	}
	for _, tt := range tests {
		if got := Check(tt.pw); !errors.Is(got, tt.want) {
			t.Errorf("Check(%q) = %v, want %v", tt.pw, got, tt.want)
		}
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
