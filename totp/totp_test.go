package totp

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// rfcKey is the SHA-1 seed of RFC 6238's test vectors (appendix B).
var rfcKey = []byte("12345678901234567890")

// TestRFC6238Vectors checks the codes against the RFC's own table (8
// digits), and their last six digits against Code.
func TestRFC6238Vectors(t *testing.T) {
	tests := []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	for _, tt := range tests {
		at := time.Unix(tt.unix, 0)
		if got := CodeAt(rfcKey, Step(at), 8); got != tt.want {
			t.Errorf("at %d: %s, want %s", tt.unix, got, tt.want)
		}
		if got := Code(rfcKey, at); got != tt.want[2:] {
			t.Errorf("6 digits at %d: %s, want %s", tt.unix, got, tt.want[2:])
		}
	}
}

// TestAgainstOathtool compares with oathtool, an independent
// implementation, when it is installed (CI installs it).
func TestAgainstOathtool(t *testing.T) {
	path, err := exec.LookPath("oathtool")
	if err != nil && os.Getenv("CI") == "true" {
		t.Fatal("oathtool is not installed (.ci/run installs it)")
	} else if err != nil {
		t.Skip("oathtool is not installed")
	}
	secret := NewSecret()
	key, err := Decode(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Unix(0, 0), time.Unix(1111111109, 0), time.Date(2026, 12, 3, 9, 30, 15, 0, time.UTC)} {
		out, err := exec.Command(path, "--totp", "--base32", "--now", at.UTC().Format("2006-01-02 15:04:05 UTC"), secret).Output()
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSpace(string(out)); Code(key, at) != want {
			t.Errorf("at %s: %s, oathtool says %s", at, Code(key, at), want)
		}
	}
}

// TestVerify: a code is taken within one step either way, never twice,
// and nothing malformed passes.
func TestVerify(t *testing.T) {
	now := time.Unix(1234567890, 0)
	cur := Step(now)
	tests := []struct {
		name       string
		code       string
		last       int64
		ok, reused bool
	}{
		{"current step", Code(rfcKey, now), 0, true, false},
		{"previous step", Code(rfcKey, now.Add(-Period)), 0, true, false},
		{"next step", Code(rfcKey, now.Add(Period)), 0, true, false},
		{"two steps old", Code(rfcKey, now.Add(-2*Period)), 0, false, false},
		{"with spaces", Code(rfcKey, now)[:3] + " " + Code(rfcKey, now)[3:], 0, true, false},
		{"used already", Code(rfcKey, now), cur, false, true},
		{"older than the last used", Code(rfcKey, now.Add(-Period)), cur, false, true},
		{"newer than the last used", Code(rfcKey, now.Add(Period)), cur, true, false},
		{"too short", "12345", 0, false, false},
		{"letters", "abcdef", 0, false, false},
		{"empty", "", 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok, reused := Verify(rfcKey, tt.code, now, tt.last)
			if ok != tt.ok || reused != tt.reused {
				t.Errorf("ok=%v reused=%v, want ok=%v reused=%v", ok, reused, tt.ok, tt.reused)
			}
		})
	}
}

func TestSecretAndURI(t *testing.T) {
	s := NewSecret()
	key, err := Decode(strings.ToLower(s[:4]) + " " + s[4:])
	if err != nil || len(key) != SecretLen {
		t.Fatalf("decode %q: %d bytes, %v", s, len(key), err)
	}
	if NewSecret() == s {
		t.Fatal("two secrets are equal")
	}
	u := URI("Beheer", "anna@voorbeeld.nl", s)
	if !strings.HasPrefix(u, "otpauth://totp/Beheer:anna@voorbeeld.nl?") || !strings.Contains(u, "secret="+s) {
		t.Fatalf("uri %s", u)
	}
}
