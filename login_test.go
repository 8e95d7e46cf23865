package beheer

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// TestLoginWait: free failures cost nothing; then one second, doubling,
// up to the maximum.
func TestLoginWait(t *testing.T) {
	tests := []struct {
		failures, free int
		want           time.Duration
	}{
		{0, FreeFailures, 0},
		{FreeFailures, FreeFailures, 0},
		{FreeFailures + 1, FreeFailures, time.Second},
		{FreeFailures + 2, FreeFailures, 2 * time.Second},
		{FreeFailures + 5, FreeFailures, 16 * time.Second},
		{FreeFailures + 10, FreeFailures, 512 * time.Second},
		{FreeFailures + 11, FreeFailures, MaxLoginWait},
		{FreeFailures + 1000, FreeFailures, MaxLoginWait},
		{21, 20, time.Second}, // a looser key
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_of_%d_free", tt.failures, tt.free), func(t *testing.T) {
			if got := LoginWait(tt.failures, tt.free); got != tt.want {
				t.Errorf("LoginWait = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLoginThrottle is the table of the keys: no key locks an account from
// every address; one address slows down for one account, and for all.
func TestLoginThrottle(t *testing.T) {
	keys := LoginKeys(" Anna@Voorbeeld.nl", "192.0.2.7")
	want := []ThrottleKey{{"ip|192.0.2.7|anna@voorbeeld.nl", FreeFailures}, {"addr|192.0.2.7", FreeAddressFailures},
		{"email|anna@voorbeeld.nl", -1}}
	if len(keys) != len(want) {
		t.Fatalf("keys %v", keys)
	}
	for i, k := range keys {
		if k != want[i] {
			t.Errorf("key %d: %v, want %v", i, k, want[i])
		}
	}
	if keys[2].Blocks() || !keys[0].Blocks() || !keys[1].Blocks() {
		t.Error("the account over every address must count, never block; the others block")
	}
	for failures, burst := range map[int]bool{AlertFailures - 1: false, AlertFailures: true, AlertFailures + 1: false} {
		if Burst(failures) != burst {
			t.Errorf("Burst(%d) = %v", failures, !burst)
		}
	}
}

// TestAddressKey: IPv6 addresses count by their /64, IPv4 by themselves.
func TestAddressKey(t *testing.T) {
	tests := map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"":                     "unknown",
	}
	for in, want := range tests {
		a, _ := netip.ParseAddr(in)
		if got := AddressKey(a); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}
