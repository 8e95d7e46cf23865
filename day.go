package beheer

import (
	"strings"
	"time"
)

// DayLayout is how a day (a date without a time) is written in forms, the
// API and the database: ISO 8601, yyyy-mm-dd.
const DayLayout = "2006-01-02"

// ParseDay reads an ISO date (yyyy-mm-dd) as midnight UTC. The plan,
// releases and the register keep days, not instants: a day is the same day
// in every time zone.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.Parse(DayLayout, strings.TrimSpace(s))
	return t, err == nil
}

// FormatDay writes a day as ISO (yyyy-mm-dd).
func FormatDay(t time.Time) string { return t.Format(DayLayout) }
