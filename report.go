package beheer

import (
	"slices"
	"strings"
	"time"
)

// ReportFilter selects the figures of the reports: a period of whole months
// (in the organisation's time zone) and optionally areas and types.
type ReportFilter struct {
	From    time.Time // first month (any moment in it)
	To      time.Time // last month (any moment in it), inclusive
	AreaIDs []int64
	Types   []Type
}

// MaxReportMonths bounds the period of a report: a longer period costs the
// database more than a dashboard is worth.
const MaxReportMonths = 36

// Validate checks the period and the types: both ends given, the last month
// not before the first, at most MaxReportMonths months of zone, and known
// types only. The areas are checked by ReportScope, which knows the actor.
func (f ReportFilter) Validate(zone *time.Location) error {
	var v Validation
	switch {
	case f.From.IsZero() || f.To.IsZero():
		v.Add("from", "field.required")
	case MonthStart(f.To, zone).Before(MonthStart(f.From, zone)):
		v.Add("to", "report.field.to_before_from")
	case len(MonthBounds(f.From, f.To, zone)) > MaxReportMonths+1:
		v.Add("to", "report.field.too_long", "max", MaxReportMonths)
	}
	for _, t := range f.Types {
		if !t.Valid() {
			v.Add("type", "field.invalid")
			break
		}
	}
	return v.Err()
}

// ReportScope is where the actor may read figures, narrowed to the areas
// asked for: all is true for everything. A person without report rights,
// or asking for an area outside their own, is refused.
func ReportScope(actor *Actor, asked []int64) (all bool, areas []int64, err error) {
	if !actor.CanAnywhere(PermReportRead) {
		return false, nil, Refusal(PermReportRead)
	}
	every, own := actor.Scope(PermReportRead)
	if every {
		if len(asked) == 0 {
			return true, nil, nil
		}
		return false, asked, nil
	}
	if len(own) == 0 {
		return false, nil, Refusal(PermReportRead)
	}
	if len(asked) == 0 {
		return false, own, nil
	}
	for _, a := range asked {
		if !slices.Contains(own, a) {
			return false, nil, ErrForbidden("report.forbidden_area")
		}
	}
	return false, asked, nil
}

// MonthStart is the first moment of t's month in zone: reports count whole
// months as the organisation lives them, not as UTC does.
func MonthStart(t time.Time, zone *time.Location) time.Time {
	y, m, _ := t.In(zone).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, zone)
}

// MonthBounds are the starts of the months from..to in zone and the start of
// the month after: one boundary more than there are months, so every month
// is the half-open range between two neighbours.
func MonthBounds(from, to time.Time, zone *time.Location) []time.Time {
	var out []time.Time
	last := MonthStart(to, zone)
	for m := MonthStart(from, zone); !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return append(out, last.AddDate(0, 1, 0))
}

// Report holds every figure of the dashboards. Durations are in hours of
// calendar time. Percentiles use the nearest-rank method (the median of an
// even count is the lower middle value), identically on both engines.
type Report struct {
	From       time.Time      `json:"from"`
	To         time.Time      `json:"to"`          // exclusive: the start of the month after the period
	ComputedAt time.Time      `json:"computed_at"` // figures may be up to a minute old
	AreaIDs    []int64        `json:"-"`           // the areas the figures cover; nil is all
	Open       []OpenCount    `json:"open"`
	Throughput []MonthCount   `json:"throughput"`
	LeadTimes  []Spread       `json:"lead_times"`
	SLA        []SLAPerf      `json:"service_levels"`
	Overdue    int            `json:"overdue_open"`
	Channels   []ChannelStats `json:"escalations"`
	Decisions  DecisionStats  `json:"decisions"`
	Ratings    RatingStats    `json:"ratings"`
	Aging      []AgeCount     `json:"aging"`
	Load       []LoadCount    `json:"load"`
}

// NewReport is an empty report of the months between bounds (from
// MonthBounds): a row per month and per age class with zero counts, so a
// month or class without requests still shows, and empty lists where there
// may be no rows at all.
func NewReport(bounds []time.Time, areas []int64, computedAt time.Time) *Report {
	rep := &Report{ComputedAt: computedAt, From: bounds[0], To: bounds[len(bounds)-1], AreaIDs: areas,
		Open: []OpenCount{}, Load: []LoadCount{}}
	rep.Throughput = make([]MonthCount, len(bounds)-1)
	for i := range rep.Throughput {
		rep.Throughput[i].Month = bounds[i]
	}
	rep.Aging = make([]AgeCount, len(AgeBuckets))
	for i, b := range AgeBuckets {
		rep.Aging[i].Bucket = b.Name
	}
	return rep
}

// OpenCount is the number of open requests in one phase and area.
type OpenCount struct {
	Phase  Phase  `json:"phase"`
	AreaID int64  `json:"-"`
	Area   string `json:"area,omitempty"` // the area's code; "" is not yet known
	Count  int    `json:"count"`
}

// SortOpen orders the open work in lifecycle order of the phases, then by
// area code, so the table reads the way a request travels.
func (r *Report) SortOpen() {
	slices.SortFunc(r.Open, func(a, b OpenCount) int {
		if d := slices.Index(Phases, a.Phase) - slices.Index(Phases, b.Phase); d != 0 {
			return d
		}
		return strings.Compare(a.Area, b.Area)
	})
}

// MonthCount is the number of requests filed and closed in one month, and
// of those open at its end.
type MonthCount struct {
	Month     time.Time `json:"month"` // the first moment of the month, in the organisation's zone
	Filed     int       `json:"filed"`
	Closed    int       `json:"closed"`
	OpenAtEnd int       `json:"open_at_end"`
}

// SetOpenAtEnd works out, month by month from the last, the requests open
// at the end of each month: those open now, less those filed since, plus
// those closed since. filedAfter and closedAfter are the requests filed
// and closed after the period, up to now. A request counts as open from
// its filing to its closing; one reopened later counts as open throughout.
func (r *Report) SetOpenAtEnd(openNow, filedAfter, closedAfter int) {
	open := openNow - filedAfter + closedAfter
	for i := len(r.Throughput) - 1; i >= 0; i-- {
		r.Throughput[i].OpenAtEnd = max(open, 0)
		open += r.Throughput[i].Closed - r.Throughput[i].Filed
	}
}

// Spread is the count, median and 90th percentile of a set of durations.
type Spread struct {
	Group  string  `json:"group"` // a phase, "total", a channel
	Count  int     `json:"count"`
	Median float64 `json:"median_hours"`
	P90    float64 `json:"p90_hours"`
}

// LeadTimeGroups are the groups of the lead times, in the order shown: the
// four phases of the lifecycle, then the whole request.
var LeadTimeGroups = []string{string(PhaseIntake), string(PhaseInvestigation), string(PhaseExecution),
	string(PhaseOptimisation), "total"}

// SetLeadTimes lists a spread per lead-time group, in LeadTimeGroups order;
// a group without durations shows with zero counts.
func (r *Report) SetLeadTimes(spreads map[string]Spread) {
	r.LeadTimes = nil
	for _, g := range LeadTimeGroups {
		sp := spreads[g]
		sp.Group = g
		r.LeadTimes = append(r.LeadTimes, sp)
	}
}

// SLAPerf is how many requests that ended in the period met their targets,
// per priority.
type SLAPerf struct {
	Priority      Priority `json:"priority"`
	Ended         int      `json:"ended"`
	ResponseMet   int      `json:"response_met"`
	ResolutionMet int      `json:"resolution_met"`
}

// SetSLA lists the service levels per priority, the most urgent first; a
// priority without ended requests shows with zero counts.
func (r *Report) SetSLA(perf map[Priority]SLAPerf) {
	r.SLA = nil
	for i := len(Priorities) - 1; i >= 0; i-- {
		p := perf[Priorities[i]]
		p.Priority = Priorities[i]
		r.SLA = append(r.SLA, p)
	}
}

// ChannelStats are the escalations opened in the period to one channel,
// with the outside party's lead time of the closed ones.
type ChannelStats struct {
	Channel Channel `json:"channel"`
	Opened  int     `json:"opened"`
	Open    int     `json:"still_open"`
	Closed  int     `json:"closed"`
	Median  float64 `json:"median_hours"`
	P90     float64 `json:"p90_hours"`
}

// SetChannels lists the escalations per channel in display order: opened
// and still open from counts, closed as the difference, and the lead time
// of the closed ones from spreads (grouped by channel).
func (r *Report) SetChannels(counts map[Channel]ChannelStats, spreads map[string]Spread) {
	r.Channels = nil
	for _, ch := range Channels {
		c := counts[ch]
		c.Channel = ch
		c.Closed = c.Opened - c.Open
		c.Median, c.P90 = spreads[string(ch)].Median, spreads[string(ch)].P90
		r.Channels = append(r.Channels, c)
	}
}

// DecisionStats are the decisions taken in the period and how long they
// took from the moment a decision was asked (or the request was filed).
type DecisionStats struct {
	Approved int     `json:"approved"`
	Rejected int     `json:"rejected"`
	Median   float64 `json:"median_hours"`
	P90      float64 `json:"p90_hours"`
}

// Add counts n decisions with outcome; other outcomes do not count.
func (d *DecisionStats) Add(outcome DecisionOutcome, n int) {
	switch outcome {
	case DecisionApproved:
		d.Approved += n
	case DecisionRejected:
		d.Rejected += n
	}
}

// RatingStats are the requesters' ratings given in the period.
type RatingStats struct {
	Counts  [5]int  `json:"counts"` // ratings 1 to 5
	Count   int     `json:"count"`
	Average float64 `json:"average"`
}

// Add counts n ratings of rating (1 to 5; anything else is left out) and
// keeps the average up to date.
func (r *RatingStats) Add(rating, n int) {
	if rating < 1 || rating > len(r.Counts) || n <= 0 {
		return
	}
	r.Counts[rating-1] += n
	r.Count += n
	sum := 0
	for i, c := range r.Counts {
		sum += (i + 1) * c
	}
	r.Average = float64(sum) / float64(r.Count)
}

// AgeCount is the number of open requests of an age.
type AgeCount struct {
	Bucket string `json:"bucket"` // lt7d, 7to14d, 14to30d, 30to90d, gt90d
	Count  int    `json:"count"`
}

// AgeBucket is an age class of open requests: its name and its lower
// bound in days.
type AgeBucket struct {
	Name string
	Days int
}

// AgeBuckets are the age classes of open requests, youngest first.
var AgeBuckets = []AgeBucket{{"lt7d", 0}, {"7to14d", 7}, {"14to30d", 14}, {"30to90d", 30}, {"gt90d", 90}}

// LoadCount is the number of open requests of one assignee (0: nobody).
type LoadCount struct {
	AssigneeID int64  `json:"assignee_id"`
	Name       string `json:"name"`
	Count      int    `json:"count"`
}

// Percentage is n as a share of of, in percent; ok is false when of is
// zero, where a percentage means nothing (the dashboard shows a dash).
func Percentage(n, of int) (pct float64, ok bool) {
	if of == 0 {
		return 0, false
	}
	return float64(n) / float64(of) * 100, true
}

// CompareTimeLeft orders requests at risk by the time left before their
// resolution target: those about to breach first, the least time left
// first; then those already overdue, the most recently overdue first.
func CompareTimeLeft(a, b time.Duration) int {
	if (a < 0) != (b < 0) {
		if a < 0 {
			return 1
		}
		return -1
	}
	if a < 0 {
		a, b = -a, -b
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
