// Package password hashes and checks passwords for local login with
// argon2id, and refuses passwords that are too short, too common or made
// of the person's own name, address or organisation.
package password

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode"
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

// commonGz is the list of refused passwords (SOURCES.md): lower case,
// sorted by bytes, one a line.
//
//go:embed common.txt.gz
var commonGz []byte

// list is the refused passwords as one text and where each line starts:
// a binary search over it costs a few microseconds and about 5 MB.
type list struct {
	text   string
	starts []uint32
}

// common loads the list once, on first use; it is never modified.
var common = sync.OnceValue(func() *list {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic("password: the embedded list is broken: " + err.Error())
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		panic("password: the embedded list is broken: " + err.Error())
	}
	l := &list{text: string(raw), starts: make([]uint32, 0, bytes.Count(raw, []byte{'\n'}))}
	for i := 0; i < len(raw); {
		l.starts = append(l.starts, uint32(i))
		n := bytes.IndexByte(raw[i:], '\n')
		if n < 0 {
			break
		}
		i += n + 1
	}
	return l
})

// line returns the i-th password of the list.
func (l *list) line(i int) string {
	s := l.text[l.starts[i]:]
	if n := strings.IndexByte(s, '\n'); n >= 0 {
		s = s[:n]
	}
	return s
}

// has reports whether w (in lower case) is in the list.
func (l *list) has(w string) bool {
	i := sort.Search(len(l.starts), func(i int) bool { return l.line(i) >= w })
	return i < len(l.starts) && l.line(i) == w
}

// Len is the number of passwords in the list.
func Len() int { return len(common().starts) }

// Reasons a password is refused; the caller maps them to catalogue keys.
var (
	ErrTooShort = errors.New("password too short")
	ErrTooLong  = errors.New("password too long")
	ErrCommon   = errors.New("password too common")
	ErrPersonal = errors.New("password made of the person's own name, address or organisation")
)

// Check says whether a new password is acceptable. personal are texts a
// guesser knows of the person — their name, e-mail address, the
// organisation's name — whose parts must not make up the password.
func Check(pw string, personal ...string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n > MaxLength:
		return ErrTooLong
	}
	lower := strings.ToLower(pw)
	if isCommon(lower) {
		return ErrCommon
	}
	// What is left without the personal parts must hold on its own.
	if rest := withoutParts(lower, personal); rest != lower &&
		(utf8.RuneCountInString(rest) < MinLength || isCommon(rest)) {
		return ErrPersonal
	}
	return nil
}

// isCommon reports whether pw (lower case) or its core is in the list.
func isCommon(pw string) bool {
	l := common()
	return l.has(pw) || l.has(core(pw))
}

// core is a password without the digits, signs and spaces at its ends:
// "welkom01!" is "welkom", still a common password with a number and a
// sign added as rules demand.
func core(pw string) string {
	return strings.TrimFunc(pw, func(r rune) bool { return !unicode.IsLetter(r) })
}

// withoutParts removes from pw (lower case) every part of the personal
// texts of at least four characters: the words of a name, the pieces of an
// e-mail address.
func withoutParts(pw string, personal []string) string {
	for _, text := range personal {
		for _, part := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if utf8.RuneCountInString(part) >= 4 {
				pw = strings.ReplaceAll(pw, part, "")
			}
		}
	}
	return pw
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
