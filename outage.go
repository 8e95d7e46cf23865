package beheer

import (
	"slices"
	"strings"
	"time"
)

// Outages (storingen): the seed gives functional and technical admins
// together the care for the system being available. When something is
// not, they post a notice — what is affected, since when, the expected
// end, how severe — that everyone sees as a banner and on the new-request
// form, where a person files their report as part of the outage. The
// requests about it are collected under it; it is closed with a summary.
// The availability record counts outages and their duration per month.

// OutageSeverity says how much of the system an outage takes away.
type OutageSeverity string

// The severities, lightest first.
const (
	SeverityMinor    OutageSeverity = "minor"    // slow, or a part works partly
	SeverityMajor    OutageSeverity = "major"    // a part does not work
	SeverityCritical OutageSeverity = "critical" // the system cannot be used
)

// OutageSeverities lists the severities, lightest first.
var OutageSeverities = []OutageSeverity{SeverityMinor, SeverityMajor, SeverityCritical}

// Valid reports whether s is one of the severities.
func (s OutageSeverity) Valid() bool { return slices.Contains(OutageSeverities, s) }

// Outage is a notice that something is unavailable.
type Outage struct {
	ID            int64          `json:"id"`
	Title         string         `json:"title"` // what is affected
	Description   string         `json:"description,omitempty"`
	Severity      OutageSeverity `json:"severity"`
	StartedAt     time.Time      `json:"started_at"`
	ExpectedEndAt time.Time      `json:"expected_end_at,omitzero"`
	EndedAt       time.Time      `json:"ended_at,omitzero"`
	Summary       string         `json:"summary,omitempty"`
	CreatedBy     int64          `json:"created_by"`
	CreatedByName string         `json:"created_by_name,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	Version       int64          `json:"version"`
	Requests      int            `json:"requests"` // linked requests
}

// Open reports whether the outage is still going on.
func (o *Outage) Open() bool { return o.EndedAt.IsZero() }

// Duration is how long the outage lasted, or has lasted until now.
func (o *Outage) Duration(now time.Time) time.Duration {
	end := o.EndedAt
	if end.IsZero() {
		end = now
	}
	if end.Before(o.StartedAt) {
		return 0
	}
	return end.Sub(o.StartedAt)
}

// Limits of an outage's texts.
const (
	MaxOutageText = 5000
	// outageClockSkew is how far in the future a start may lie: a clock
	// that runs a little ahead is no reason to refuse a notice.
	outageClockSkew = 5 * time.Minute
)

// OutageInput is what an admin fills in to post or change a notice.
type OutageInput struct {
	Title         string
	Description   string
	Severity      OutageSeverity
	StartedAt     time.Time
	ExpectedEndAt time.Time // zero: not known
}

// Validate checks a notice against now: what is affected, a severity,
// since when (not in the future) and an expected end after the start.
// It trims the texts.
func (in *OutageInput) Validate(now time.Time) error {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	var v Validation
	validateLine(&v, "title", in.Title, MaxTitle, true)
	validateText(&v, "description", in.Description, MaxOutageText, false)
	switch {
	case in.Severity == "":
		v.Add("severity", "field.required")
	case !in.Severity.Valid():
		v.Add("severity", "field.invalid_choice", "choices", joinCodes(OutageSeverities))
	}
	switch {
	case in.StartedAt.IsZero():
		v.Add("started_at", "field.required")
	case in.StartedAt.After(now.Add(outageClockSkew)):
		v.Add("started_at", "outage.field.start_future")
	}
	if !in.ExpectedEndAt.IsZero() && !in.StartedAt.IsZero() && !in.ExpectedEndAt.After(in.StartedAt) {
		v.Add("expected_end_at", "outage.field.end_before_start")
	}
	return v.Err()
}

// CanManageOutages reports whether the actor posts, changes and closes
// outage notices: functional and technical admins.
func CanManageOutages(a *Actor) bool { return a.CanAnywhere(PermOutageManage) }

// CheckCloseOutage says whether the outage can be closed at end with the
// (trimmed) summary: once, with a summary, not before it started.
func (o *Outage) CheckCloseOutage(end time.Time, summary string) error {
	if !o.Open() {
		return Errorf(CodeConflict, "outage.already_closed")
	}
	var v Validation
	validateText(&v, "summary", summary, MaxOutageText, true)
	if end.Before(o.StartedAt) {
		v.Add("ended_at", "outage.field.end_before_start")
	}
	return v.Err()
}

// CheckReportOutage says whether a request can be filed as part of the
// outage: while it is open.
func (o *Outage) CheckReportOutage() error {
	if !o.Open() {
		return Errorf(CodeConflict, "outage.closed_report")
	}
	return nil
}

// MonthAvailability is one month of the availability record.
type MonthAvailability struct {
	Month    time.Time // the first day of the month, in the zone asked for
	Outages  int       // outages that overlapped the month
	Duration time.Duration
	Longest  time.Duration // the longest part of one outage in the month
}

// Availability is the availability record of months months from first (the
// first day of a month, in the zone the months are counted in), oldest
// first: per month the outages that fell in it and how long, an outage
// that spans a month's end counted in both months with the part that fell
// in each, one still going on until now.
func Availability(outages []*Outage, first time.Time, months int, now time.Time) []MonthAvailability {
	out := make([]MonthAvailability, max(months, 0))
	for i := range out {
		start := first.AddDate(0, i, 0)
		end := start.AddDate(0, 1, 0)
		out[i].Month = start
		for _, o := range outages {
			part := overlap(o.StartedAt, o.effectiveEnd(now), start, end)
			if part <= 0 {
				continue
			}
			out[i].Outages++
			out[i].Duration += part
			out[i].Longest = max(out[i].Longest, part)
		}
	}
	return out
}

// effectiveEnd is the end of the outage, or now while it lasts.
func (o *Outage) effectiveEnd(now time.Time) time.Time {
	if o.EndedAt.IsZero() {
		return now
	}
	return o.EndedAt
}

// overlap is how much of [s1, e1) falls in [s2, e2).
func overlap(s1, e1, s2, e2 time.Time) time.Duration {
	if s2.After(s1) {
		s1 = s2
	}
	if e2.Before(e1) {
		e1 = e2
	}
	return e1.Sub(s1)
}
