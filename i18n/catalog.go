package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed locales
var locales embed.FS

// Catalog is an immutable set of messages per language. Its methods are safe
// for concurrent use; a nil *Catalog answers every key with "[key]".
type Catalog struct {
	msgs map[Lang]map[string]string
	keys []string
}

// Load parses the embedded catalogue. It fails on duplicate keys within a
// language (in one file or across files), invalid JSON, a value that is not a
// non-empty string, or a key present in one language but not the other.
func Load() (*Catalog, error) {
	return load(locales)
}

// MustLoad is Load for main and tests: it panics when the catalogue is broken.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// load builds a catalogue from fsys, which holds locales/<lang>/*.json.
func load(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{msgs: make(map[Lang]map[string]string)}
	for _, lang := range Langs() {
		m, err := loadLang(fsys, lang)
		if err != nil {
			return nil, err
		}
		c.msgs[lang] = m
	}
	if err := c.checkSameKeys(); err != nil {
		return nil, err
	}
	for k := range c.msgs[NL] {
		c.keys = append(c.keys, k)
	}
	slices.Sort(c.keys)
	return c, nil
}

// loadLang merges every JSON file of one language.
func loadLang(fsys fs.FS, lang Lang) (map[string]string, error) {
	files, err := fs.Glob(fsys, path.Join("locales", string(lang), "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("i18n: no message files for %q", lang)
	}
	msgs := make(map[string]string)
	origin := make(map[string]string) // key → file that defined it
	for _, name := range files {
		if err := loadFile(fsys, name, msgs, origin); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

// loadFile adds the messages of one file to msgs, refusing keys seen before.
func loadFile(fsys fs.FS, name string, msgs, origin map[string]string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	pairs, err := parseFlatObject(data)
	if err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	for _, p := range pairs {
		if prev, dup := origin[p[0]]; dup {
			return fmt.Errorf("i18n: %s: key %q already defined in %s", name, p[0], prev)
		}
		msgs[p[0]], origin[p[0]] = p[1], name
	}
	return nil
}

// parseFlatObject decodes {"key": "text", ...} as key, text pairs in file
// order. Unlike json.Unmarshal it does not silently drop a repeated key.
func parseFlatObject(data []byte) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var pairs [][2]string
	for dec.More() {
		p, err := nextPair(dec)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, p)
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: data after the closing brace")
	}
	return pairs, nil
}

// nextPair reads one "key": "text" member.
func nextPair(dec *json.Decoder) ([2]string, error) {
	kt, err := dec.Token()
	if err != nil {
		return [2]string{}, fmt.Errorf("invalid JSON: %w", err)
	}
	key, _ := kt.(string)
	vt, err := dec.Token()
	if err != nil {
		return [2]string{}, fmt.Errorf("invalid JSON: %w", err)
	}
	text, ok := vt.(string)
	switch {
	case key == "":
		return [2]string{}, errors.New("empty key")
	case !ok:
		return [2]string{}, fmt.Errorf("key %q: value must be a string", key)
	case strings.TrimSpace(text) == "":
		return [2]string{}, fmt.Errorf("key %q: empty message", key)
	}
	return [2]string{key, text}, nil
}

// expectDelim reads one token and checks that it is the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if t != d {
		return fmt.Errorf("invalid JSON: want %q, got %v", d, t)
	}
	return nil
}

// checkSameKeys reports every key that one language has and another lacks.
func (c *Catalog) checkSameKeys() error {
	var missing []string
	for _, lang := range Langs() {
		for _, other := range Langs() {
			for k := range c.msgs[lang] {
				if _, ok := c.msgs[other][k]; !ok {
					missing = append(missing, fmt.Sprintf("%s (in %s, not in %s)", k, lang, other))
				}
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return fmt.Errorf("i18n: keys missing in a language: %s", strings.Join(missing, ", "))
}

// T returns the message for key in lang with its {placeholders} replaced from
// args, given as alternating name, value pairs. Values are formatted with
// fmt's %v, except slices and arrays, whose elements are joined with ", ".
// A placeholder without a value stays as written; an unsupported lang falls
// back to Dutch. A missing key returns "[key]", so it shows up in tests and
// screens; T never panics.
func (c *Catalog) T(lang Lang, key string, args ...any) string {
	if c == nil {
		return "[" + key + "]"
	}
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[NL]
	}
	msg, ok := m[key]
	if !ok {
		return "[" + key + "]"
	}
	return interpolate(msg, args)
}

// Has reports whether key exists (in every language, as Load guarantees).
func (c *Catalog) Has(key string) bool {
	if c == nil {
		return false
	}
	_, ok := c.msgs[NL][key]
	return ok
}

// Keys returns all keys, sorted. The slice is a copy the caller may keep.
func (c *Catalog) Keys() []string {
	if c == nil {
		return nil
	}
	return slices.Clone(c.keys)
}
