package sla

import (
	"slices"
	"time"
)

// Liberation says when Bevrijdingsdag (5 May) is a day off.
type Liberation string

// The choices for Bevrijdingsdag. Most collective agreements give it off
// once every five years (2025, 2030, …), so Lustrum is the default.
const (
	LiberationLustrum Liberation = "lustrum" // in years divisible by five (default)
	LiberationAlways  Liberation = "always"
	LiberationNever   Liberation = "never"
)

// Valid reports whether l is a known choice ("" counts as the default).
func (l Liberation) Valid() bool {
	return l == "" || l == LiberationLustrum || l == LiberationAlways || l == LiberationNever
}

// HolidayOptions choose the days that differ between organisations.
type HolidayOptions struct {
	// GoodFriday closes on Goede Vrijdag; it is not a general day off in
	// the Netherlands, so it is off by default.
	GoodFriday bool `json:"good_friday"`
	// Liberation is when Bevrijdingsdag is a day off; "" is Lustrum.
	Liberation Liberation `json:"liberation"`
	// Extra are further closed days (a bridge day, a company day).
	Extra []Date `json:"-"`
}

// Holiday is a named closed day.
type Holiday struct {
	Date Date
	Name string // Dutch name, e.g. "Koningsdag"
}

// Easter is Easter Sunday of a year in the Gregorian calendar (the
// anonymous Gregorian algorithm of Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// DutchHolidays lists the Dutch public holidays of a year, in date order:
// Nieuwjaarsdag, (Goede Vrijdag), Eerste en Tweede Paasdag, Koningsdag (27
// April, or 26 April when the 27th is a Sunday), (Bevrijdingsdag),
// Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag,
// plus the options' extra days of that year.
func DutchHolidays(year int, o HolidayOptions) []Holiday {
	easter := Easter(year)
	out := []Holiday{
		{Date{year, time.January, 1}, "Nieuwjaarsdag"},
		{easter, "Eerste Paasdag"},
		{easter.AddDays(1), "Tweede Paasdag"},
		{easter.AddDays(39), "Hemelvaartsdag"},
		{easter.AddDays(49), "Eerste Pinksterdag"},
		{easter.AddDays(50), "Tweede Pinksterdag"},
		{Date{year, time.December, 25}, "Eerste Kerstdag"},
		{Date{year, time.December, 26}, "Tweede Kerstdag"},
	}
	kings := Date{year, time.April, 27}
	if kings.Weekday() == time.Sunday {
		kings = Date{year, time.April, 26}
	}
	out = append(out, Holiday{kings, "Koningsdag"})
	if o.GoodFriday {
		out = append(out, Holiday{easter.AddDays(-2), "Goede Vrijdag"})
	}
	switch o.Liberation {
	case LiberationAlways:
		out = append(out, Holiday{Date{year, time.May, 5}, "Bevrijdingsdag"})
	case LiberationNever:
	default:
		if year%5 == 0 {
			out = append(out, Holiday{Date{year, time.May, 5}, "Bevrijdingsdag"})
		}
	}
	for _, d := range o.Extra {
		if d.Year == year {
			out = append(out, Holiday{d, "Extra"})
		}
	}
	slices.SortStableFunc(out, func(a, b Holiday) int {
		switch {
		case a.Date.Before(b.Date):
			return -1
		case b.Date.Before(a.Date):
			return 1
		}
		return 0
	})
	return out
}

// HolidayDates keeps the dates of a list of holidays.
func HolidayDates(hs []Holiday) []Date {
	out := make([]Date, len(hs))
	for i, h := range hs {
		out[i] = h.Date
	}
	return out
}
