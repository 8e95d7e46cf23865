package mailin

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
)

// encodingOf finds a character set by its label, as browsers do (WHATWG):
// iso-8859-1 and us-ascii are read as windows-1252, its superset, which is
// what mail that says iso-8859-1 usually means.
func encodingOf(label string) (encoding.Encoding, bool) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "", "utf-8", "utf8":
		return nil, false
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, false
	}
	return e, true
}

// toUTF8 decodes text in the named charset. Text without a (known) charset
// is taken as UTF-8 when it is valid UTF-8 and as windows-1252 otherwise,
// the commonest unlabelled 8-bit mail here.
func toUTF8(charset string, b []byte) string {
	e, ok := encodingOf(charset)
	if !ok {
		if utf8.Valid(b) {
			return string(b)
		}
		if strings.TrimSpace(charset) == "" {
			e, ok = encodingOf("windows-1252")
		}
	}
	if ok {
		if out, err := e.NewDecoder().Bytes(b); err == nil {
			return strings.ToValidUTF8(string(out), "\uFFFD")
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// charsetReader serves mime.WordDecoder for encoded header words.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	e, ok := encodingOf(charset)
	if !ok {
		if l := strings.ToLower(strings.TrimSpace(charset)); l == "utf-8" || l == "utf8" {
			return input, nil
		}
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	b, err := io.ReadAll(io.LimitReader(input, maxText))
	if err != nil {
		return nil, err
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(out), nil
}
