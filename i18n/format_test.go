package i18n

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam without relying on the host's zoneinfo
)

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestFormatDate(t *testing.T) {
	ams := amsterdam(t)
	tests := []struct {
		name string
		lang Lang
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"nl", NL, time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC), ams, "2 januari 2026"},
		{"en", EN, time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC), ams, "2 January 2026"},
		{"mei", NL, time.Date(2026, 5, 17, 12, 0, 0, 0, time.UTC), ams, "17 mei 2026"},
		{"december", NL, time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), ams, "31 december 2026"},
		{"new year in Amsterdam, not yet in UTC", NL, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), ams, "1 januari 2026"},
		{"nil location keeps t's zone", NL, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), nil, "31 december 2025"},
		{"unknown language is Dutch", Lang("de"), time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), ams, "1 maart 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.lang, tt.t, tt.loc); got != tt.want {
				t.Errorf("FormatDate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatMonth(t *testing.T) {
	ams := amsterdam(t)
	for _, tt := range []struct {
		lang Lang
		t    time.Time
		loc  *time.Location
		want string
	}{
		{NL, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), ams, "januari 2026"},
		{EN, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), ams, "January 2026"},
		{NL, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), ams, "januari 2026"},
		{NL, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), nil, "december 2025"},
	} {
		if got := FormatMonth(tt.lang, tt.t, tt.loc); got != tt.want {
			t.Errorf("FormatMonth(%s, %v) = %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	ams := amsterdam(t)
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, time.UTC) }
	tests := []struct {
		name string
		lang Lang
		t    time.Time
		want string
	}{
		{"winter nl", NL, utc(1, 2, 13, 5), "2 jan. 2026 14:05"},
		{"winter en", EN, utc(1, 2, 13, 5), "2 Jan 2026 14:05"},
		{"mrt.", NL, utc(3, 9, 8, 0), "9 mrt. 2026 09:00"},
		{"mei has no period", NL, utc(5, 1, 6, 30), "1 mei 2026 08:30"},
		{"okt.", NL, utc(10, 1, 0, 0), "1 okt. 2026 02:00"},
		// DST starts 29 March 2026 at 01:00 UTC: 02:00 CET becomes 03:00 CEST.
		{"just before summer time", NL, utc(3, 29, 0, 59), "29 mrt. 2026 01:59"},
		{"summer time starts", NL, utc(3, 29, 1, 0), "29 mrt. 2026 03:00"},
		{"summer", EN, utc(7, 15, 12, 0), "15 Jul 2026 14:00"},
		// DST ends 25 October 2026 at 01:00 UTC: 03:00 CEST becomes 02:00 CET,
		// so 02:30 local happens twice.
		{"02:30 the first time", NL, utc(10, 25, 0, 30), "25 okt. 2026 02:30"},
		{"02:30 the second time", NL, utc(10, 25, 1, 30), "25 okt. 2026 02:30"},
		{"midnight rolls the date", NL, utc(6, 30, 22, 0), "1 jul. 2026 00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDateTime(tt.lang, tt.t, ams); got != tt.want {
				t.Errorf("FormatDateTime = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		lang     Lang
		f        float64
		decimals int
		want     string
	}{
		{NL, 1234567.5, 1, "1.234.567,5"},
		{EN, 1234567.5, 1, "1,234,567.5"},
		{NL, 1234567.5, 0, "1.234.568"},
		{NL, 1234.5678, 2, "1.234,57"},
		{NL, 999.99, 1, "1.000,0"},
		{NL, 0.5, 2, "0,50"},
		{NL, 0, 0, "0"},
		{NL, -1234.5, 1, "-1.234,5"},
		{EN, -1234.5, 1, "-1,234.5"},
		{NL, -0.04, 1, "0,0"}, // no negative zero
		{NL, 123, 0, "123"},
		{NL, 1234.25, -1, "1.234,25"}, // as many decimals as needed
		{EN, 1e21, 0, "1,000,000,000,000,000,000,000"},
		{NL, math.NaN(), 2, "NaN"},
		{NL, math.Inf(-1), 2, "-Inf"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.lang, tt.f, tt.decimals); got != tt.want {
			t.Errorf("FormatNumber(%s, %v, %d) = %q, want %q", tt.lang, tt.f, tt.decimals, got, tt.want)
		}
	}
}

func TestFormatInt(t *testing.T) {
	tests := []struct {
		lang Lang
		n    int64
		want string
	}{
		{NL, 0, "0"},
		{NL, 999, "999"},
		{NL, 1000, "1.000"},
		{EN, 1000, "1,000"},
		{NL, 1234567, "1.234.567"},
		{EN, 1234567, "1,234,567"},
		{NL, 123456, "123.456"},
		{NL, -1234, "-1.234"},
		{NL, -123, "-123"},
		{NL, math.MaxInt64, "9.223.372.036.854.775.807"},
		{EN, math.MinInt64, "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := FormatInt(tt.lang, tt.n); got != tt.want {
			t.Errorf("FormatInt(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
