package beheer

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Lines gives text one kind of line break, \n: a browser sends \r\n from a
// text area and mail may carry a lone \r, and a text compared or stored
// with other breaks than it was shown with reads as changed when nothing
// was. Every request's title and description is kept this way.
func Lines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// SameText reports whether two texts are the same but for their line
// breaks: a field saved unchanged is no change, whatever the browser sent.
func SameText(a, b string) bool { return Lines(a) == Lines(b) }

// validateText checks one text field of any noun: required when asked, at
// most max characters, and no control characters but tab and line breaks.
func validateText(v *Validation, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "field.required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "field.too_long", "max", max)
	case hasControl(s):
		v.Add(field, "field.invalid")
	}
}

// validateLine is validateText for the fields that name something —
// titles, names, labels, references — which must stay on one line: a line
// break in them would end a mail header, split a row of an export or show
// as a broken heading, so it is refused like a control character.
func validateLine(v *Validation, field, s string, max int, required bool) {
	validateText(v, field, s, max, required)
	if !v.Has(field) && strings.IndexFunc(s, IsLineBreak) >= 0 {
		v.Add(field, "field.single_line")
	}
}

// IsLineBreak reports a character that ends a line anywhere a text goes:
// line feed, carriage return, vertical tab, form feed, next line (U+0085)
// and the Unicode line and paragraph separators (U+2028, U+2029).
func IsLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// OneLine puts a text on one line for output that must not break: each
// line break (a CR LF pair counting as one) becomes a space. Titles stored
// before they were refused with a line break reach mail, exports and
// headings through it.
func OneLine(s string) string {
	if strings.IndexFunc(s, IsLineBreak) < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.Map(func(r rune) rune {
		if IsLineBreak(r) {
			return ' '
		}
		return r
	}, s)
}

// hasControl reports control characters other than tab and newlines.
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return true
		}
	}
	return false
}

// joinCodes lists choices for a message ("a, b, c"), leaving out the empty
// code (which stands for "none" in some lists).
func joinCodes[T ~string](xs []T) string {
	parts := make([]string, 0, len(xs))
	for _, x := range xs {
		if x != "" {
			parts = append(parts, string(x))
		}
	}
	return strings.Join(parts, ", ")
}

// ValidWebURL reports an absolute http or https address with a host and
// without credentials: a link that is safe to show.
func ValidWebURL(s string) bool {
	if len(s) > 2000 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// plainAddress reports a bare e-mail address ("naam@voorbeeld.nl", no
// display name) of at most MaxName characters.
func plainAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= MaxName
}
