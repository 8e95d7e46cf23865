package beheer

import (
	"net/netip"
	"strings"
	"time"
)

// Login throttling. Failures are counted per key within FailureWindow; a
// key that blocks makes the next attempt wait once it has had more than its
// free failures, twice as long with every further failure, up to
// MaxLoginWait.
//
// No key ever locks an account as such: an attacker who guesses from many
// addresses would otherwise lock its owner out of every address. The keys
// that block are the account from one address (the attacker's own
// address slows down, not the owner's) and one address for every account
// (one address spraying many accounts). The account over all addresses only
// counts: a burst of failures tells the owner by mail, and when the
// account has a second factor that still stands between the attacker and
// the account.
const (
	// FreeFailures is how many failures an account gets from one address
	// before attempts from there must wait.
	FreeFailures = 5
	// FreeAddressFailures is how many failures one address gets, over every
	// account, before its attempts must wait: enough for an office behind
	// one address where several people mistype.
	FreeAddressFailures = 30
	// AlertFailures failures of one account within FailureWindow, from
	// anywhere, are a burst its owner is told of, once per window.
	AlertFailures = 10
	// FailureWindow is how long failures are remembered.
	FailureWindow = 15 * time.Minute
	// MaxLoginWait bounds the wait of a blocking key.
	MaxLoginWait = 15 * time.Minute
)

// LoginWait is how long the next attempt for a key must wait after its
// failures, of which free were allowed: nothing up to free, then one
// second, doubling with every failure, up to MaxLoginWait.
func LoginWait(failures, free int) time.Duration {
	if failures <= free {
		return 0
	}
	return min(time.Second<<min(failures-free-1, 20), MaxLoginWait)
}

// ThrottleKey is one counter of failed logins. Free is the number of
// failures before attempts wait; a key with Free below zero never blocks
// and only counts.
type ThrottleKey struct {
	Name string
	Free int
}

// Blocks reports whether the key makes attempts wait.
func (k ThrottleKey) Blocks() bool { return k.Free >= 0 }

// LoginKeys are the counters of a login attempt for an account (the address
// typed, in any case) from an address (AddressKey).
func LoginKeys(account, address string) []ThrottleKey {
	account = strings.ToLower(strings.TrimSpace(account))
	return []ThrottleKey{
		{Name: "ip|" + address + "|" + account, Free: FreeFailures},
		{Name: "addr|" + address, Free: FreeAddressFailures},
		{Name: AccountKey(account), Free: -1},
	}
}

// AccountKey is the counter of an account over every address: it never
// blocks, its count tells of a burst.
func AccountKey(account string) string {
	return "email|" + strings.ToLower(strings.TrimSpace(account))
}

// Burst reports whether the failures of an account just reached a burst
// its owner must hear of: exactly when the count reaches AlertFailures, so
// one burst sends one mail per window.
func Burst(failures int) bool { return failures == AlertFailures }

// AddressKey is the address that throttling counts: an IPv4 address as it
// is, an IPv6 address by its /64 network, since one subscriber usually
// holds a whole /64 and would otherwise get a fresh count per address.
func AddressKey(a netip.Addr) string {
	a = a.Unmap()
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// ResetLifetime is how long a password reset link works (once, and only
// while it is the newest link of its person).
const ResetLifetime = 30 * time.Minute
