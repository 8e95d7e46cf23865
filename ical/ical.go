// Package ical writes iCalendar documents (RFC 5545) with the standard
// library only: a calendar of all-day events, one-off or recurring, as
// calendar programs such as Outlook subscribe to them.
package ical

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one VCALENDAR.
type Calendar struct {
	ProdID string // e.g. "-//Beheer//Jaarplanner//NL"
	Name   string // X-WR-CALNAME, the name calendar programs show
	Events []Event
}

// Event is an all-day VEVENT from Start to End (both inclusive days).
type Event struct {
	UID         string    // globally unique and stable across feeds
	Stamp       time.Time // DTSTAMP: when this version was made
	Start       time.Time // the first day (its date part counts)
	End         time.Time // the last day; zero means Start
	Summary     string
	Description string
	Categories  []string
	Cancelled   bool
	Repeat      *Recurrence // nil: once
}

// Recurrence repeats an event every Interval months on the Nth weekday of
// the month (Nth -1 is the last), until and including Until.
type Recurrence struct {
	Interval int // months: 1 monthly, 3 quarterly
	Nth      int // 1..4, or -1 for the last
	Weekday  time.Weekday
	Until    time.Time
}

var dayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// String is the RRULE value, e.g. FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;UNTIL=20261231.
func (r Recurrence) String() string {
	s := "FREQ=MONTHLY"
	if r.Interval > 1 {
		s += fmt.Sprintf(";INTERVAL=%d", r.Interval)
	}
	s += fmt.Sprintf(";BYDAY=%d%s", r.Nth, dayCodes[r.Weekday])
	if !r.Until.IsZero() {
		s += ";UNTIL=" + date(r.Until)
	}
	return s
}

func date(t time.Time) string { return t.Format("20060102") }

// Escape escapes a TEXT value: backslash, semicolon, comma and newlines.
func Escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// Fold splits a content line into lines of at most 75 octets, each
// continuation starting with a space, never inside a UTF-8 sequence. The
// lines are joined with CRLF; the result has no trailing CRLF.
func Fold(line string) string {
	if len(line) <= 75 {
		return line
	}
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	return b.String()
}

// Write writes the calendar with CRLF line ends and folded lines.
func (c *Calendar) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	put := func(name, value string) { bw.WriteString(Fold(name+":"+value) + "\r\n") }
	put("BEGIN", "VCALENDAR")
	put("VERSION", "2.0")
	put("PRODID", c.ProdID)
	put("CALSCALE", "GREGORIAN")
	put("METHOD", "PUBLISH")
	if c.Name != "" {
		put("X-WR-CALNAME", Escape(c.Name))
	}
	for _, e := range c.Events {
		end := e.End
		if end.IsZero() || end.Before(e.Start) {
			end = e.Start
		}
		put("BEGIN", "VEVENT")
		put("UID", e.UID)
		put("DTSTAMP", e.Stamp.UTC().Format("20060102T150405Z"))
		put("DTSTART;VALUE=DATE", date(e.Start))
		put("DTEND;VALUE=DATE", date(end.AddDate(0, 0, 1))) // exclusive
		if e.Repeat != nil {
			put("RRULE", e.Repeat.String())
		}
		put("SUMMARY", Escape(e.Summary))
		if e.Description != "" {
			put("DESCRIPTION", Escape(e.Description))
		}
		if len(e.Categories) > 0 {
			cats := make([]string, len(e.Categories))
			for i, c := range e.Categories {
				cats[i] = Escape(c)
			}
			put("CATEGORIES", strings.Join(cats, ","))
		}
		if e.Cancelled {
			put("STATUS", "CANCELLED")
		} else {
			put("STATUS", "CONFIRMED")
		}
		put("TRANSP", "TRANSPARENT")
		put("END", "VEVENT")
	}
	put("END", "VCALENDAR")
	return bw.Flush()
}
