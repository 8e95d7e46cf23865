// Package totp computes and checks time-based one-time passwords (RFC 6238:
// HMAC-SHA-1, 30-second steps, 6 digits), the codes of authenticator apps.
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The parameters every authenticator app understands.
const (
	Period    = 30 * time.Second
	Digits    = 6
	SecretLen = 20 // bytes: 160 bits, as RFC 4226 recommends
	// Skew is how many steps before and after now a code is still taken,
	// for clocks that drift and people who type slowly.
	Skew = 1
)

// encoding is the base32 of authenticator apps: no padding.
var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a fresh random secret, base32-encoded as apps take it.
func NewSecret() string {
	b := make([]byte, SecretLen)
	rand.Read(b)
	return encoding.EncodeToString(b)
}

// Decode reads a base32 secret, ignoring case, spaces and padding.
func Decode(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	return encoding.DecodeString(s)
}

// Step is the number of the 30-second step that t falls in.
func Step(t time.Time) int64 { return t.Unix() / int64(Period/time.Second) }

// CodeAt is the code of key for step (RFC 4226's HOTP with the step as
// counter), as digits decimal digits.
func CodeAt(key []byte, step int64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// Code is the 6-digit code of key at t.
func Code(key []byte, t time.Time) string { return CodeAt(key, Step(t), Digits) }

// Verify checks a typed code against key at now, within Skew steps. It
// takes only a step after last, the step of the code used before, so a
// code cannot be used twice; it returns the step that matched, for the
// caller to keep as the new last. reused is true when the code matched a
// step that was already used.
func Verify(key []byte, code string, now time.Time, last int64) (step int64, ok, reused bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != Digits {
		return 0, false, false
	}
	cur := Step(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		if subtle.ConstantTimeCompare([]byte(CodeAt(key, s, Digits)), []byte(code)) == 1 {
			if s <= last {
				return s, false, true
			}
			return s, true, false
		}
	}
	return 0, false, false
}

// URI is the otpauth:// address an authenticator app reads from a QR code.
func URI(issuer, account, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}
