// Package password hashes and checks passwords for local login with
// argon2id, and refuses passwords that are too short or too common.
package password

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Length limits. Long passphrases are welcome.
const (
	MinLength = 8
	MaxLength = 256
)

// The argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes).
const (
	memory  = 19 * 1024
	passes  = 2
	threads = 1
	keyLen  = 32
	saltLen = 16
)

//go:embed common.txt
var commonList string

// common is the set of refused passwords, built once; never modified.
var common = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// Reasons a password is refused; the caller maps them to catalogue keys.
var (
	ErrTooShort = errors.New("password too short")
	ErrTooLong  = errors.New("password too long")
	ErrCommon   = errors.New("password too common")
)

// Check says whether a new password is acceptable.
func Check(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n > MaxLength:
		return ErrTooLong
	case common[strings.ToLower(pw)]:
		return ErrCommon
	}
	return nil
}

// Hash returns an encoded argon2id hash of pw with a fresh salt.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memory, threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memory, passes, threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash. An empty or malformed
// hash never matches.
func Verify(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// Dummy is a valid hash of a random password. Logins for unknown e-mail
// addresses verify against it, so the answer takes as long as for a real one.
var Dummy = func() string {
	h, _ := Hash(base64.RawStdEncoding.EncodeToString([]byte(fmt.Sprint(rand.Text()))))
	return h
}()
