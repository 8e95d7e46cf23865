package beheer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"beheer/sla"
)

// Service levels: the business time allowed per priority (the targets),
// the business-hours calendar the clocks run on, and parking a request
// until a moment. The clock arithmetic itself is package sla's, which,
// like this package, imports only the standard library.

// Limits of service levels.
const (
	// MaxTargetMinutes bounds a target: a year of business minutes.
	MaxTargetMinutes = 366 * 24 * 60
	// MaxSLATargets bounds the rows of the targets table.
	MaxSLATargets = 200
	// maxClosedDays bounds the calendar's extra closed days.
	maxClosedDays = 200
	// maxPark bounds how far ahead a request can be parked.
	maxPark = 366 * 24 * time.Hour
)

// CanManageSLA reports whether the actor sets the targets and the
// calendar: functional admins for every area, since they hold for every
// area.
func CanManageSLA(a *Actor) bool { return a.Can(PermSLAManage, 0) }

// SLATarget is the business time allowed for one priority, optionally only
// for one type and/or one area ("" and 0 mean any). The most specific
// target that matches a request holds: area and type, then area, then type,
// then the priority alone.
type SLATarget struct {
	Priority          Priority `json:"priority"`
	Type              Type     `json:"type,omitempty"`
	AreaID            int64    `json:"-"`
	Area              string   `json:"area,omitempty"` // the area's code
	ResponseMinutes   int      `json:"response_minutes"`
	ResolutionMinutes int      `json:"resolution_minutes"`
}

// Targets converts to the clock's durations.
func (t SLATarget) Targets() sla.Targets {
	return sla.Targets{Response: time.Duration(t.ResponseMinutes) * time.Minute,
		Resolution: time.Duration(t.ResolutionMinutes) * time.Minute}
}

// ValidateSLATargets checks a new table of targets and resolves each
// target's area code among areas (setting AreaID and the code as the area
// has it). Every target needs a known priority and type, whole minutes
// from 1 to a year with the response no later than the resolution, and no
// twin; every priority needs its general target (no type, no area). The
// messages name the target as targets[i].field.
func ValidateSLATargets(ts []SLATarget, areas []Area) error {
	var v Validation
	if len(ts) > MaxSLATargets {
		v.Add("targets", "field.too_long", "max", MaxSLATargets)
		return v.Err()
	}
	seen := map[string]bool{}
	general := map[Priority]bool{}
	for i := range ts {
		t := &ts[i]
		f := fmt.Sprintf("targets[%d].", i)
		t.checkTarget(&v, f, areas)
		k := fmt.Sprintf("%s|%s|%d", t.Priority, t.Type, t.AreaID)
		if seen[k] {
			v.Add(f+"priority", "sla.field.duplicate")
		}
		seen[k] = true
		if t.Type == "" && t.AreaID == 0 {
			general[t.Priority] = true
		}
	}
	for _, p := range Priorities {
		if !general[p] {
			v.Add("targets", "sla.field.missing_priority", "priority", p)
		}
	}
	return v.Err()
}

// checkTarget checks one target, f naming it, and resolves its area.
func (t *SLATarget) checkTarget(v *Validation, f string, areas []Area) {
	if !t.Priority.Valid() {
		v.Add(f+"priority", "field.invalid_choice", "choices", Priorities)
	}
	if t.Type != "" && !t.Type.Valid() {
		v.Add(f+"type", "field.invalid_choice", "choices", Types)
	}
	t.AreaID = 0
	if t.Area != "" {
		for _, a := range areas {
			if a.Code == strings.ToLower(t.Area) {
				t.AreaID, t.Area = a.ID, a.Code
			}
		}
		if t.AreaID == 0 {
			v.Add(f+"area", "field.unknown_area")
		}
	}
	if t.ResponseMinutes < 1 || t.ResponseMinutes > MaxTargetMinutes {
		v.Add(f+"response_minutes", "field.range", "min", 1, "max", MaxTargetMinutes)
	}
	if t.ResolutionMinutes < 1 || t.ResolutionMinutes > MaxTargetMinutes {
		v.Add(f+"resolution_minutes", "field.range", "min", 1, "max", MaxTargetMinutes)
	} else if t.ResponseMinutes > t.ResolutionMinutes {
		v.Add(f+"resolution_minutes", "sla.field.resolution_before_response")
	}
}

// SortSLATargets orders targets by priority (urgent first), then the
// general ones before the narrower ones.
func SortSLATargets(ts []SLATarget) {
	key := func(t SLATarget) string {
		return fmt.Sprintf("%d|%s|%s", 9-t.Priority.Rank(), t.Area, t.Type)
	}
	slices.SortStableFunc(ts, func(a, b SLATarget) int { return cmp.Compare(key(a), key(b)) })
}

// DefaultSLATargets are the targets a new organisation starts with.
func DefaultSLATargets() []SLATarget {
	return []SLATarget{
		{Priority: PriorityUrgent, ResponseMinutes: 60, ResolutionMinutes: 480},
		{Priority: PriorityHigh, ResponseMinutes: 240, ResolutionMinutes: 1020},
		{Priority: PriorityNormal, ResponseMinutes: 510, ResolutionMinutes: 2550},
		{Priority: PriorityLow, ResponseMinutes: 1020, ResolutionMinutes: 5100},
	}
}

// SLATargetFor is the target that holds for a request: the most specific
// of ts, else the default for its priority.
func SLATargetFor(ts []SLATarget, r *Request) SLATarget {
	best, score := SLATarget{}, -1
	for _, t := range ts {
		if t.Priority != r.Priority || (t.Type != "" && t.Type != r.Type) || (t.AreaID != 0 && t.AreaID != r.AreaID) {
			continue
		}
		sc := 0
		if t.AreaID != 0 {
			sc += 2
		}
		if t.Type != "" {
			sc++
		}
		if sc > score {
			best, score = t, sc
		}
	}
	if score < 0 {
		for _, t := range DefaultSLATargets() {
			if t.Priority == r.Priority {
				return t
			}
		}
		return DefaultSLATargets()[2]
	}
	return best
}

// DueBy is when a request like r, filed at from, must have had its first
// reaction and must be resolved under the targets ts on calendar cal, with
// the target that holds for it: what the service-levels page previews.
func DueBy(ts []SLATarget, cal *sla.Calendar, r *Request, from time.Time) (respond, resolve time.Time, t SLATarget) {
	t = SLATargetFor(ts, r)
	d := t.Targets()
	return cal.Add(from, d.Response), cal.Add(from, d.Resolution), t
}

// SLACalendar is the organisation's business-hours calendar as settings.
type SLACalendar struct {
	Zone string `json:"zone"`
	// Hours per weekday (monday … sunday): "08:30-17:00", or "" for closed.
	Hours      map[string]string `json:"hours"`
	GoodFriday bool              `json:"good_friday"`
	Liberation sla.Liberation    `json:"liberation"`
	// ClosedDays are extra closed days, "2026-12-24".
	ClosedDays []string `json:"closed_days"`
}

// SLAWeekdays names the days of SLACalendar.Hours, Monday first.
var SLAWeekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func weekdayIndex(name string) time.Weekday {
	for i, n := range SLAWeekdays {
		if n == name {
			return time.Weekday((i + 1) % 7)
		}
	}
	return -1
}

// DefaultSLACalendar is Monday to Friday 08:30–17:00 in Europe/Amsterdam,
// with the Dutch public holidays, Good Friday open and Liberation Day off
// in lustrum years.
func DefaultSLACalendar() SLACalendar {
	c := SLACalendar{Zone: "Europe/Amsterdam", Hours: map[string]string{}, Liberation: sla.LiberationLustrum, ClosedDays: []string{}}
	for _, d := range SLAWeekdays {
		c.Hours[d] = ""
	}
	for _, d := range SLAWeekdays[:5] {
		c.Hours[d] = "08:30-17:00"
	}
	return c
}

// Calendar checks the settings and builds the calendar: a known zone,
// readable hours on known weekdays with at least one working day, a known
// Liberation Day choice and readable closed days, at most 200 of them.
func (c SLACalendar) Calendar() (*sla.Calendar, error) {
	var v Validation
	zone, err := time.LoadLocation(c.Zone)
	if c.Zone == "" || err != nil {
		v.Add("zone", "field.invalid")
	}
	cal := &sla.Calendar{Zone: zone}
	for name, h := range c.Hours {
		d := weekdayIndex(name)
		if d < 0 {
			v.Add("hours."+name, "field.unknown")
			continue
		}
		hours, err := sla.ParseHours(h)
		if err != nil {
			v.Add("hours."+name, "sla.field.hours")
		}
		cal.Week[d] = hours
	}
	working := false
	for _, h := range cal.Week {
		working = working || !h.Closed()
	}
	if !working && !v.Has("hours") {
		v.Add("hours", "sla.field.no_hours")
	}
	if !c.Liberation.Valid() {
		v.Add("liberation", "field.invalid_choice", "choices", "lustrum, always, never")
	}
	opts := sla.HolidayOptions{GoodFriday: c.GoodFriday, Liberation: c.Liberation}
	if len(c.ClosedDays) > maxClosedDays {
		v.Add("closed_days", "field.too_long", "max", maxClosedDays)
	}
	for _, s := range c.ClosedDays {
		d, err := sla.ParseDate(s)
		if err != nil {
			v.Add("closed_days", "sla.field.date", "value", s)
			break
		}
		opts.Extra = append(opts.Extra, d)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cal.Holidays = func(year int) []sla.Date { return sla.HolidayDates(sla.DutchHolidays(year, opts)) }
	return cal, nil
}

// Options are the holiday options of the settings (after Calendar checked them).
func (c SLACalendar) Options() sla.HolidayOptions {
	o := sla.HolidayOptions{GoodFriday: c.GoodFriday, Liberation: c.Liberation}
	for _, s := range c.ClosedDays {
		if d, err := sla.ParseDate(s); err == nil {
			o.Extra = append(o.Extra, d)
		}
	}
	return o
}

// Checked returns the calendar as it is kept, or what is wrong with it:
// every weekday present (a day left out is closed), texts trimmed, the
// default Liberation Day choice when none is given, and the closed days
// without blanks, written as yyyy-mm-dd.
func (c SLACalendar) Checked() (SLACalendar, error) {
	full := DefaultSLACalendar()
	for _, d := range SLAWeekdays {
		full.Hours[d] = ""
	}
	for k, h := range c.Hours {
		full.Hours[k] = strings.TrimSpace(h)
	}
	full.Zone, full.GoodFriday, full.Liberation = c.Zone, c.GoodFriday, c.Liberation
	if full.Liberation == "" {
		full.Liberation = sla.LiberationLustrum
	}
	full.ClosedDays = []string{}
	for _, d := range c.ClosedDays {
		if d = strings.TrimSpace(d); d != "" {
			full.ClosedDays = append(full.ClosedDays, d)
		}
	}
	if _, err := full.Calendar(); err != nil {
		return SLACalendar{}, err
	}
	for i, d := range full.ClosedDays {
		p, _ := sla.ParseDate(d)
		full.ClosedDays[i] = p.String()
	}
	return full, nil
}

// AverageWorkday is the average length of a working day in the calendar,
// for showing long business durations in working days; 8.5 hours for a
// calendar without working days.
func AverageWorkday(cal *sla.Calendar) time.Duration {
	var total time.Duration
	days := 0
	for _, h := range cal.Week {
		if !h.Closed() {
			total += time.Duration(h.Minutes()) * time.Minute
			days++
		}
	}
	if days == 0 {
		return 8*time.Hour + 30*time.Minute
	}
	return total / time.Duration(days)
}

// SLAState is the service level of one request with the target that holds.
type SLAState struct {
	sla.State
	Target SLATarget
	// Workday is the average length of a working day in the calendar, for
	// showing long business durations in working days.
	Workday time.Duration
}

// SLASweepResult says what one sweep of the service levels did.
type SLASweepResult struct {
	Unparked int // "request.unparked" written for parkings that ran out
	Warnings int // "sla.warning" written
	Breaches int // "sla.breached" written
	Outcomes int // ended requests measured
	Closed   int // closed after working days in Optimalisatie without a reaction (closure.go)
}

// CheckPark says whether the actor may park the request until a moment
// ("wacht tot"), at now: whoever may manage it, while it is open, until a
// moment in the future at most a year ahead.
func CheckPark(a *Actor, r *Request, until, now time.Time) error {
	if !CanManage(a, r) {
		return ErrForbidden("")
	}
	if !r.Phase.Open() {
		return Errorf(CodeConflict, "sla.park.closed")
	}
	switch {
	case !until.After(now):
		return Invalid("until", "sla.field.future")
	case until.Sub(now) > maxPark:
		return Invalid("until", "field.invalid")
	}
	return nil
}
