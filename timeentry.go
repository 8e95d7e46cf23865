package beheer

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Time registration (tijdregistratie): the management team's own hours on
// a request or one of its technical tasks, and the hours an outside party
// spends on an escalation, with the vendor's reference. Consultancy hours
// count against the yearly budget the annual plan sets.

// MinutesPerDay is what one person can work in a day, and the most one
// registration may hold.
const MinutesPerDay = 24 * 60

// TimeEntry is one registration of hours on a request.
type TimeEntry struct {
	ID              int64     `json:"id"`
	RequestID       int64     `json:"request_id"`
	RequestNumber   string    `json:"request_number,omitempty"`
	TaskID          int64     `json:"task_id,omitempty"`
	EscalationID    int64     `json:"escalation_id,omitempty"` // vendor hours
	Channel         Channel   `json:"channel,omitempty"`       // the escalation's
	UserID          int64     `json:"user_id"`                 // who worked (own hours) or recorded (vendor hours)
	UserName        string    `json:"user,omitempty"`
	WorkedOn        time.Time `json:"worked_on"`
	Minutes         int       `json:"minutes"`
	Note            string    `json:"note,omitempty"`
	VendorReference string    `json:"vendor_reference,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
}

// Vendor reports whether the entry holds an outside party's hours.
func (e *TimeEntry) Vendor() bool { return e.EscalationID != 0 }

// Hours is the entry's time in hours.
func (e *TimeEntry) Hours() float64 { return float64(e.Minutes) / 60 }

// TimeEntryInput is what a person fills in: the day, the hours (as typed:
// "1,5", "1.5" or "1:30") and a note; for vendor hours the escalation and
// the vendor's reference, for own hours optionally one of the request's
// tasks.
type TimeEntryInput struct {
	TaskID          int64
	EscalationID    int64
	WorkedOn        time.Time
	Hours           string
	Note            string
	VendorReference string
}

// ParseHours reads hours as people type them — "2", "1,5", "1.25",
// "1:30" — into minutes, rounded to the minute. ok is false for anything
// else, including a negative number.
func ParseHours(s string) (minutes int, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return 0, false
	}
	if h, m, colon := strings.Cut(s, ":"); colon {
		hours, err1 := strconv.Atoi(h)
		mins, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || hours < 0 || mins < 0 || mins > 59 || len(m) != 2 {
			return 0, false
		}
		return hours*60 + mins, true
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || f < 0 || f != f || f > 1e6 {
		return 0, false
	}
	return int(f*60 + 0.5), true
}

// Validate checks an entry against today and returns its minutes: a day
// not in the future, more than zero and at most 24 hours, a short note and
// reference. The texts are trimmed.
func (in *TimeEntryInput) Validate(today time.Time) (int, error) {
	in.Note, in.VendorReference = strings.TrimSpace(in.Note), strings.TrimSpace(in.VendorReference)
	var v Validation
	minutes, ok := ParseHours(in.Hours)
	switch {
	case strings.TrimSpace(in.Hours) == "":
		v.Add("hours", "field.required")
	case strings.HasPrefix(strings.TrimSpace(in.Hours), "-"):
		v.Add("hours", "time.field.positive")
	case !ok:
		v.Add("hours", "time.field.hours_format")
	case minutes == 0:
		v.Add("hours", "time.field.positive")
	case minutes > MinutesPerDay:
		v.Add("hours", "time.field.day_max")
	}
	switch {
	case in.WorkedOn.IsZero():
		v.Add("worked_on", "field.required")
	case in.WorkedOn.After(today):
		v.Add("worked_on", "time.field.future")
	}
	validateText(&v, "note", in.Note, MaxNote, false)
	validateText(&v, "vendor_reference", in.VendorReference, MaxReference, false)
	return minutes, v.Err()
}

// CheckDayTotal refuses own hours that would bring one person above 24
// hours on one day, given the minutes already registered for that day.
func CheckDayTotal(registered, minutes int) error {
	if registered+minutes > MinutesPerDay {
		return Invalid("hours", "time.field.day_total", "registered", FormatMinutes(registered))
	}
	return nil
}

// FormatMinutes shows minutes as hours and minutes: "1:30".
func FormatMinutes(m int) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return sign + strconv.Itoa(m/60) + ":" + strconv.Itoa(m%60/10) + strconv.Itoa(m%10)
}

// CheckOwnTime says whether the actor may register their own hours on the
// request: who manages it, a technical admin of its area, or who holds a
// task on it.
func CheckOwnTime(a *Actor, r *Request, f Facts) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if !CanManage(a, r) && !f.HasTask && !a.Can(PermTaskWork, r.AreaID) {
		return ErrForbidden("time.forbidden")
	}
	return nil
}

// billedChannels are the channels whose hours are registered: Support
// solves the software's errors without charging hours.
var billedChannels = []Channel{ChannelConsultancy, ChannelServiceManagement, ChannelSystemIntegrator}

// Billed reports whether the channel's hours are registered.
func (c Channel) Billed() bool { return slices.Contains(billedChannels, c) }

// CheckVendorTime says whether the actor may register an outside party's
// hours on the escalation: who may close it, while it is open, for a
// channel that charges hours.
func CheckVendorTime(a *Actor, r *Request, f Facts, e *Escalation) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	if !a.Can(PermRequestEscalate, r.AreaID) && !(e.Channel == ChannelSystemIntegrator && (a.Can(PermRequestTechnical, r.AreaID) || f.HasTask)) {
		return ErrForbidden("escalation.forbidden")
	}
	switch {
	case !e.Open():
		return Invalid("escalation", "time.field.escalation_closed")
	case !e.Channel.Billed():
		return Invalid("escalation", "time.field.not_billed", "channel", e.Channel)
	}
	return nil
}

// BudgetUse is the hours used of a yearly budget.
type BudgetUse struct {
	BudgetHours int // 0: no budget set
	UsedMinutes int
}

// Percent is the share of the budget used, rounded down; 0 without a
// budget.
func (b BudgetUse) Percent() int {
	if b.BudgetHours <= 0 {
		return 0
	}
	return b.UsedMinutes * 100 / (b.BudgetHours * 60)
}

// Over reports whether more hours were used than budgeted.
func (b BudgetUse) Over() bool { return b.BudgetHours > 0 && b.UsedMinutes > b.BudgetHours*60 }

// LeftMinutes is what is left of the budget (negative when over).
func (b BudgetUse) LeftMinutes() int { return b.BudgetHours*60 - b.UsedMinutes }

// OverMinutes is how much more than the budget was used (0 within it).
func (b BudgetUse) OverMinutes() int { return max(0, -b.LeftMinutes()) }

// BudgetMinutes is the budget in minutes.
func (b BudgetUse) BudgetMinutes() int { return b.BudgetHours * 60 }

// MaxBudgetHours bounds a yearly budget of hours.
const MaxBudgetHours = 100000

// CheckBudget says whether a yearly budget in hours may be set by the
// actor: who keeps the plan or approves it, within bounds.
func CheckBudget(a *Actor, hours int) error {
	if !CanCreatePlan(a) {
		return Refusal(PermPlanKeep)
	}
	if hours < 0 || hours > MaxBudgetHours {
		return Invalid("consultancy_budget_hours", "field.range", "min", 0, "max", MaxBudgetHours)
	}
	return nil
}

// TimeFilter chooses the hours of a time report: days from From up to
// (not including) To, in the areas named (none: all the reader may see).
type TimeFilter struct {
	From, To time.Time
	AreaIDs  []int64
}

// TimeReportRow is one line of the time report: the hours of one month,
// area and channel ("" for the team's own hours).
type TimeReportRow struct {
	Month    time.Time `json:"month"` // the first day of the month (UTC)
	AreaID   int64     `json:"area_id,omitempty"`
	AreaName string    `json:"area,omitempty"`
	Channel  Channel   `json:"channel,omitempty"`
	Minutes  int       `json:"minutes"`
	Entries  int       `json:"entries"`
}
