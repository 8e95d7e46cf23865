// Package i18n is the message catalogue of Beheer: every text a person sees,
// in Dutch (the default) and English.
//
// Messages live in embedded JSON files, locales/<lang>/<feature>.json, each a
// flat object of key → text, sorted by key and indented with two spaces.
// Different features own different files; loading merges the files of a
// language. Placeholders are written as {name} and filled by [Catalog.T].
//
// The package also formats dates and numbers the Dutch (or English) way. It
// holds no mutable package-level state: a [Catalog] is built once by [Load]
// and never changes.
package i18n

// Lang is a language of the portal.
type Lang string

// The supported languages. NL is the default.
const (
	NL Lang = "nl"
	EN Lang = "en"
)

// Langs returns the supported languages, the default first.
func Langs() []Lang { return []Lang{NL, EN} }
