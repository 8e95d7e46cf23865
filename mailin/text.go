package mailin

import (
	"regexp"
	"strings"
)

// tidy normalises line ends, drops trailing spaces and control characters,
// and collapses runs of blank lines.
func tidy(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u00a0':
			return ' '
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || r == '\ufeff' || r == '\u200b':
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}

// The lines where a quoted message or a signature begins.
var (
	// "On Mon, 2 Mar 2026 at 10:15, Fleur <fleur@…> wrote:", "Op ma 2 mrt
	// 2026 om 10:15 schreef Fleur <fleur@…>:", Apple Mail's "Op 2 mrt 2026,
	// om 10:15 heeft Fleur het volgende geschreven:"; clients wrap it over
	// two or three lines.
	attribution = regexp.MustCompile(`(?i)^(on|op|am|le|el)\s.*\b(wrote|schreef|geschreven|schrieb|a\s+écrit|escribió)\b.*:$`)
	// "-----Oorspronkelijk bericht-----", "---------- Forwarded message ---------"
	separator = regexp.MustCompile(`(?i)^-{2,}\s*(oorspronkelijk bericht|original message|forwarded message|doorgestuurd bericht|ursprüngliche nachricht|message d'origine)\s*-{2,}$`)
	// Outlook's header block: "Van: …" followed by "Verzonden: …" or "Sent: …".
	headerFrom = regexp.MustCompile(`(?i)^\*?(van|from|von|de)\s*:\*?\s*\S`)
	headerNext = regexp.MustCompile(`(?i)^\*?(verzonden|sent|datum|date|gesendet|envoyé|aan|to|onderwerp|subject|cc)\s*:`)
	underscore = regexp.MustCompile(`^_{8,}$`)
	// Signatures that mobile clients add without "-- ".
	mobile = regexp.MustCompile(`(?i)^(verzonden|verstuurd|sent|gesendet) (vanaf|van|from|von) (mijn|my|meinem) (iphone|ipad|android|samsung|mobiel|mobile|smartphone)|^(get outlook for|outlook voor) (ios|android)`)
)

// trimReply returns the part of a reply its writer wrote: everything above
// the quoted message, without the lines quoted with ">" and without the
// signature. Text written between quoted lines (an inline answer) stays.
func trimReply(text string) string {
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := range lines {
		if replyStarts(lines, i) {
			cut = i
			break
		}
	}
	var kept []string
	for _, l := range lines[:cut] {
		if strings.HasPrefix(strings.TrimLeft(l, " "), ">") {
			continue
		}
		kept = append(kept, l)
	}
	return tidy(strings.Join(kept, "\n"))
}

// replyStarts reports whether the quoted message or the signature starts
// at line i.
func replyStarts(lines []string, i int) bool {
	l := strings.TrimSpace(lines[i])
	switch {
	case lines[i] == "-- " || l == "--":
		return true
	case separator.MatchString(l), mobile.MatchString(l):
		return true
	case underscore.MatchString(l):
		return i+1 < len(lines) && headerFrom.MatchString(strings.TrimSpace(lines[i+1]))
	case headerFrom.MatchString(l):
		for j := i + 1; j < len(lines) && j <= i+4; j++ {
			if headerNext.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
		return false
	}
	joined := l
	for j := i; j < len(lines) && j <= i+2; j++ {
		if j > i {
			joined += " " + strings.TrimSpace(lines[j])
		}
		if attribution.MatchString(joined) {
			return strings.ContainsAny(joined, "0123456789@")
		}
	}
	return false
}
