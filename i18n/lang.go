package i18n

import (
	"strconv"
	"strings"
)

// ParseLang turns "nl" or "en" (case-insensitive, surrounding spaces
// ignored) into a Lang; ok is false for anything else.
func ParseLang(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nl":
		return NL, true
	case "en":
		return EN, true
	}
	return "", false
}

// Match picks the language from an Accept-Language header value. Quality
// values are honoured (q=0 means "not this one"); among equal qualities the
// first listed wins. nl, nl-NL, nl-BE and the like give NL; en and every en-*
// give EN; anything else, an empty or malformed header gives NL.
func Match(acceptLanguage string) Lang {
	best, bestQ := NL, 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		lang, q, ok := parseRange(part)
		if ok && q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

// parseRange parses one "tag;q=0.8" element of Accept-Language. ok is false
// for an unsupported language or a malformed quality value.
func parseRange(part string) (Lang, float64, bool) {
	tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
	primary, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
	primary, _, _ = strings.Cut(primary, "_")
	lang, ok := ParseLang(primary)
	if !ok {
		return "", 0, false
	}
	q, ok := parseQuality(params)
	return lang, q, ok
}

// parseQuality finds q=… among ";"-separated parameters; the default is 1.
func parseQuality(params string) (float64, bool) {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0, false
		}
		return q, true
	}
	return 1, true
}
