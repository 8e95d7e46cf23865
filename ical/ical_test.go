package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`a,b;c\d`, `a\,b\;c\\d`},
		{"regel 1\r\nregel 2\nregel 3", `regel 1\nregel 2\nregel 3`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []string{
		"short",
		strings.Repeat("a", 75),
		strings.Repeat("a", 76),
		strings.Repeat("é", 100), // two octets each: never split
		"SUMMARY:" + strings.Repeat("€uro ", 40),
	}
	for _, in := range tests {
		out := Fold(in)
		lines := strings.Split(out, "\r\n")
		var joined strings.Builder
		for i, l := range lines {
			if len(l) > 75 {
				t.Errorf("line %d of %q has %d octets", i, in[:10], len(l))
			}
			if !utf8.ValidString(l) {
				t.Errorf("line %d splits a character", i)
			}
			if i > 0 {
				if !strings.HasPrefix(l, " ") {
					t.Errorf("continuation %d lacks the space", i)
				}
				l = l[1:]
			}
			joined.WriteString(l)
		}
		if joined.String() != in {
			t.Errorf("unfolding gives %q, want %q", joined.String(), in)
		}
	}
}

func TestRecurrence(t *testing.T) {
	r := Recurrence{Interval: 3, Nth: 2, Weekday: time.Tuesday, Until: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
	if got, want := r.String(), "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;UNTIL=20261231"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	r = Recurrence{Interval: 1, Nth: -1, Weekday: time.Friday}
	if got, want := r.String(), "FREQ=MONTHLY;BYDAY=-1FR"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestWrite(t *testing.T) {
	day := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)
	c := Calendar{ProdID: "-//Beheer//Test//NL", Name: "Jaarplanner 2026", Events: []Event{
		{UID: "a-1@beheer", Stamp: day, Start: day, Summary: "Consultancydag, maandelijks; met \\ teken",
			Repeat: &Recurrence{Interval: 1, Nth: 2, Weekday: time.Tuesday, Until: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}},
		{UID: "a-2@beheer", Stamp: day, Start: day, End: day.AddDate(0, 0, 4), Summary: "Testvenster", Cancelled: true,
			Description: strings.Repeat("Lange omschrijving met één accent. ", 10), Categories: []string{"release_test"}},
	}}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Fatalf("lines do not all end in CRLF:\n%s", out)
	}
	for _, want := range []string{
		"DTSTART;VALUE=DATE:20260113\r\n", "DTEND;VALUE=DATE:20260114\r\n",
		"DTEND;VALUE=DATE:20260118\r\n", "RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231\r\n",
		`SUMMARY:Consultancydag\, maandelijks\; met \\ teken`, "STATUS:CANCELLED\r\n", "DTSTAMP:20260113T000000Z\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
	}
}
