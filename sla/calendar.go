// Package sla is the arithmetic of service levels: business hours with
// Dutch public holidays, and service-level clocks that stand still while a
// request waits for the requester or an outside party. It is pure: no
// database, no clock of its own, the standard library only.
package sla

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database
)

// Date is a calendar day without a time or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the day of t in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "2026-04-27".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, err
	}
	return DateOf(t), nil
}

// String formats the date as "2026-04-27".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// AddDays is the date n days later.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Hours are the opening hours of one weekday in minutes after midnight,
// local time. Open == Close (or Close before Open) means closed all day.
type Hours struct {
	Open  int `json:"open"`
	Close int `json:"close"`
}

// Closed reports whether the day has no working time.
func (h Hours) Closed() bool { return h.Close <= h.Open }

// Minutes is the length of the working day.
func (h Hours) Minutes() int {
	if h.Closed() {
		return 0
	}
	return h.Close - h.Open
}

// String formats the hours as "08:30-17:00", or "" when closed.
func (h Hours) String() string {
	if h.Closed() {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", h.Open/60, h.Open%60, h.Close/60, h.Close%60)
}

// ParseHours reads "08:30-17:00"; "" is closed.
func ParseHours(s string) (Hours, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Hours{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Hours{}, fmt.Errorf("hours %q: want HH:MM-HH:MM", s)
	}
	open, err1 := parseClock(a)
	closing, err2 := parseClock(b)
	if err1 != nil || err2 != nil || closing <= open {
		return Hours{}, fmt.Errorf("hours %q: want HH:MM-HH:MM with the end after the start", s)
	}
	return Hours{open, closing}, nil
}

func parseClock(s string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); err != nil {
		return 0, err
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return h*60 + m, nil
}

// Calendar says when the service desk works: opening hours per weekday in a
// time zone, minus holidays.
type Calendar struct {
	Zone *time.Location
	// Week holds the hours per weekday, indexed by time.Weekday (Sunday 0).
	Week [7]Hours
	// Holidays lists the closed days of a year; nil means none.
	Holidays func(year int) []Date
}

// Amsterdam is Europe/Amsterdam.
var Amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// DefaultHours are Monday to Friday, 08:30 to 17:00.
func DefaultHours() [7]Hours {
	var w [7]Hours
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = Hours{8*60 + 30, 17 * 60}
	}
	return w
}

// Default is the calendar of a Dutch organisation: Monday to Friday
// 08:30–17:00 in Europe/Amsterdam, closed on the Dutch public holidays with
// the default options.
func Default() *Calendar {
	return &Calendar{Zone: Amsterdam, Week: DefaultHours(), Holidays: func(y int) []Date {
		return HolidayDates(DutchHolidays(y, HolidayOptions{}))
	}}
}

// dayCache remembers the closed days per year during one computation.
type dayCache struct {
	c     *Calendar
	years map[int]map[Date]bool
}

func (c *Calendar) cache() *dayCache { return &dayCache{c: c, years: map[int]map[Date]bool{}} }

func (dc *dayCache) holiday(d Date) bool {
	if dc.c.Holidays == nil {
		return false
	}
	set, ok := dc.years[d.Year]
	if !ok {
		set = map[Date]bool{}
		for _, h := range dc.c.Holidays(d.Year) {
			set[h] = true
		}
		dc.years[d.Year] = set
	}
	return set[d]
}

// window is the working span of a day as moments, ok false when closed.
func (dc *dayCache) window(d Date) (open, closing time.Time, ok bool) {
	h := dc.c.Week[d.Weekday()]
	if h.Closed() || dc.holiday(d) {
		return time.Time{}, time.Time{}, false
	}
	zone := dc.c.zone()
	open = time.Date(d.Year, d.Month, d.Day, h.Open/60, h.Open%60, 0, 0, zone)
	closing = time.Date(d.Year, d.Month, d.Day, h.Close/60, h.Close%60, 0, 0, zone)
	return open, closing, true
}

func (c *Calendar) zone() *time.Location {
	if c.Zone == nil {
		return Amsterdam
	}
	return c.Zone
}

// works reports whether the calendar has any working time in a week.
func (c *Calendar) works() bool {
	for _, h := range c.Week {
		if !h.Closed() {
			return true
		}
	}
	return false
}

// WorkingDuration is the business time between from and to: the parts of
// the interval that fall inside opening hours on working days. It is zero
// when to is not after from.
func (c *Calendar) WorkingDuration(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	return c.cache().working(from, to)
}

func (dc *dayCache) working(from, to time.Time) time.Duration {
	zone := dc.c.zone()
	var total time.Duration
	last := DateOf(to.In(zone))
	for d := DateOf(from.In(zone)); !last.Before(d); d = d.AddDays(1) {
		open, closing, ok := dc.window(d)
		if !ok {
			continue
		}
		start, end := maxTime(open, from), minTime(closing, to)
		if end.After(start) {
			total += end.Sub(start)
		}
	}
	return total
}

// maxSearch bounds how far Add looks ahead: a calendar without working time
// never reaches its target.
const maxSearchDays = 366 * 30

// Add is the moment d of business time after from. A non-positive d gives
// from itself. A calendar without working days gives the zero time.
func (c *Calendar) Add(from time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return from
	}
	if !c.works() {
		return time.Time{}
	}
	dc := c.cache()
	day := DateOf(from.In(c.zone()))
	for range maxSearchDays {
		open, closing, ok := dc.window(day)
		if ok {
			start := maxTime(open, from)
			if closing.After(start) {
				if avail := closing.Sub(start); avail >= d {
					return start.Add(d)
				} else {
					d -= avail
				}
			}
		}
		day = day.AddDays(1)
	}
	return time.Time{}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// FirstWorkingDay is the opening moment of the first working day of a
// month: a month-start that falls on a weekend or a holiday moves on to
// the next day the desk is open. ok is false when the month has none.
func (c *Calendar) FirstWorkingDay(year int, month time.Month) (open time.Time, ok bool) {
	dc := c.cache()
	for d := (Date{year, month, 1}); d.Month == month; d = d.AddDays(1) {
		if open, _, ok := dc.window(d); ok {
			return open, true
		}
	}
	return time.Time{}, false
}
