package beheer

import "strings"

// A person field names a colleague. With a few dozen people a plain list
// of everyone serves; with thousands it does not, so the field offers at
// most PersonChoices people at a time and a search narrows them. Everyone
// with an account may see colleagues' names (they pick them in forms and
// read them on requests); e-mail addresses only those who keep the people.

// PersonChoices is how many people a person field lists at once. An
// organisation with no more active people than this gets the plain list,
// without a search box.
const PersonChoices = 50

// MaxPersonQuery bounds what a person search reads of what was typed.
const MaxPersonQuery = 100

// PersonQuery is the text a person search looks for: trimmed, lower case,
// at most MaxPersonQuery characters. "" lists people from the start.
func PersonQuery(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if r := []rune(s); len(r) > MaxPersonQuery {
		s = string(r[:MaxPersonQuery])
	}
	return s
}

// CanSearchByEmail reports whether the actor's person searches also match
// e-mail addresses. Only those who keep the people (user:manage) see
// addresses; for anyone else a search on part of an address would tell
// them, letter by letter, what it is.
func CanSearchByEmail(a *Actor) bool { return a != nil && a.CanAnywhere(PermUserManage) }
