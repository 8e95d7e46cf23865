package i18n

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// FormatDate formats t in loc as a long date: "2 januari 2026" (nl) or
// "2 January 2026" (en). The caller passes the time zone (for Beheer
// Europe/Amsterdam); a nil loc keeps t's own location. Any language other
// than EN is formatted as Dutch.
func FormatDate(lang Lang, t time.Time, loc *time.Location) string {
	t = inLocation(t, loc)
	return fmt.Sprintf("%d %s %d", t.Day(), monthName(lang, t.Month()), t.Year())
}

// FormatMonth formats the month of t in loc: "januari 2026" (nl) or
// "January 2026" (en). A nil loc keeps t's own location.
func FormatMonth(lang Lang, t time.Time, loc *time.Location) string {
	t = inLocation(t, loc)
	return monthName(lang, t.Month()) + " " + strconv.Itoa(t.Year())
}

// FormatDateTime formats t in loc as a compact date and 24-hour time.
//
// Dutch follows the CLDR "medium" notation: day, abbreviated month with a
// period (jan., feb., mrt., apr., mei, jun., jul., aug., sep., okt., nov.,
// dec.; "mei" is not abbreviated), year, then the time as HH:MM:
// "2 jan. 2026 14:05". English uses the British order without periods:
// "2 Jan 2026 14:05". A nil loc keeps t's own location.
func FormatDateTime(lang Lang, t time.Time, loc *time.Location) string {
	t = inLocation(t, loc)
	return fmt.Sprintf("%d %s %d %02d:%02d",
		t.Day(), monthAbbr(lang, t.Month()), t.Year(), t.Hour(), t.Minute())
}

// inLocation converts t to loc; nil leaves t as it is.
func inLocation(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t
	}
	return t.In(loc)
}

// monthName is the full, lower-case Dutch or capitalised English month name.
func monthName(lang Lang, m time.Month) string {
	if lang == EN {
		return m.String()
	}
	names := [12]string{"januari", "februari", "maart", "april", "mei", "juni",
		"juli", "augustus", "september", "oktober", "november", "december"}
	return names[m-1]
}

// monthAbbr is the abbreviated month name used by FormatDateTime.
func monthAbbr(lang Lang, m time.Month) string {
	if lang == EN {
		return m.String()[:3]
	}
	abbr := [12]string{"jan.", "feb.", "mrt.", "apr.", "mei", "jun.",
		"jul.", "aug.", "sep.", "okt.", "nov.", "dec."}
	return abbr[m-1]
}

// FormatNumber formats f with the given number of decimals (rounded), using
// the separators of lang: 1234567.5 with 1 decimal is "1.234.567,5" (nl) or
// "1,234,567.5" (en). A negative decimals uses as many as needed to represent
// f exactly. Groups of three are separated from 1000 on. NaN and infinities
// are returned as strconv writes them ("NaN", "+Inf", "-Inf").
func FormatNumber(lang Lang, f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return s
	}
	sign, s := splitSign(s)
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if strings.Trim(intPart+frac, "0") == "" {
		sign = "" // no "-0,0" for a negative number rounded to zero
	}
	thousands, decimal := separators(lang)
	out := sign + group(intPart, thousands)
	if hasFrac {
		out += decimal + frac
	}
	return out
}

// FormatInt formats n with the thousands separator of lang: 1234567 is
// "1.234.567" (nl) or "1,234,567" (en).
func FormatInt(lang Lang, n int64) string {
	sign, digits := splitSign(strconv.FormatInt(n, 10))
	thousands, _ := separators(lang)
	return sign + group(digits, thousands)
}

// separators returns the thousands and decimal separators of lang.
func separators(lang Lang) (thousands, decimal string) {
	if lang == EN {
		return ",", "."
	}
	return ".", ","
}

// splitSign splits a leading minus sign from a formatted number.
func splitSign(s string) (sign, rest string) {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "-", rest
	}
	return "", s
}

// group inserts sep between groups of three digits, counted from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
