package beheer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// Secrets at rest: the passwords and client secrets an administrator
// enters on the sign-on and mail pages are kept in the database sealed
// with AES-256-GCM under a key that lives outside it (an environment
// variable or a key file), so a copy of the database or a backup does not
// give them away. Each value is sealed with its setting's name as
// additional data, so a sealed value cannot be moved to another setting.

// SecretKeySize is the length of the key: 32 random bytes (AES-256).
const SecretKeySize = 32

// sealedPrefix marks a sealed value and its format version.
const sealedPrefix = "v1:"

// ErrSecretKey says a key is not 32 random bytes in base64 or hex.
var ErrSecretKey = errors.New("want 32 random bytes, base64 or hex (e.g. the output of: openssl rand -base64 32)")

// ErrSealed says a sealed value cannot be opened with this key: another
// key sealed it, or it was changed.
var ErrSealed = errors.New("sealed value does not open with this key")

// SecretBox seals and opens secrets with one key. The zero value, or nil,
// has no key: it seals nothing and opens nothing.
type SecretBox struct {
	aead cipher.AEAD
}

// ParseSecretKey reads a key as written in the environment or a key file:
// 32 bytes in standard or URL-safe base64, or in hex; surrounding space is
// ignored.
func ParseSecretKey(text string) (*SecretBox, error) {
	text = strings.TrimSpace(text)
	var raw []byte
	for _, dec := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString, hex.DecodeString,
	} {
		if b, err := dec(text); err == nil && len(b) == SecretKeySize {
			raw = b
			break
		}
	}
	if raw == nil {
		return nil, ErrSecretKey
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead: aead}, nil
}

// HasKey reports whether the box can seal: without a key no secret can
// be saved from a page.
func (b *SecretBox) HasKey() bool { return b != nil && b.aead != nil }

// Seal encrypts plain for the setting name with a fresh random nonce.
func (b *SecretBox) Seal(name, plain string) (string, error) {
	if !b.HasKey() {
		return "", ErrSealed
	}
	nonce := make([]byte, b.aead.NonceSize())
	rand.Read(nonce)
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(name))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value sealed for the setting name.
func (b *SecretBox) Open(name, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !b.HasKey() || !ok {
		return "", ErrSealed
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", ErrSealed
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(name))
	if err != nil {
		return "", ErrSealed
	}
	return string(plain), nil
}
