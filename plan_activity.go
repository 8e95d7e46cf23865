package beheer

import (
	"slices"
	"strings"
	"time"
)

// ActivityKind is what sort of activity is planned.
type ActivityKind string

// The activity kinds, after the seed's year.
const (
	KindConsultancyDay  ActivityKind = "consultancy_day"
	KindReview          ActivityKind = "review"
	KindReleaseTest     ActivityKind = "release_test"
	KindOptimisationDay ActivityKind = "optimisation_day"
	KindKnowledgeEvent  ActivityKind = "knowledge_event"
	KindTraining        ActivityKind = "training"
	KindOther           ActivityKind = "other"
)

// ActivityKinds lists the kinds in display order.
var ActivityKinds = []ActivityKind{KindConsultancyDay, KindReview, KindReleaseTest, KindOptimisationDay,
	KindKnowledgeEvent, KindTraining, KindOther}

// Recurrence says how an activity repeats: once, or every month or quarter
// on the same weekday of the month as its first day.
type Recurrence string

// The recurrences.
const (
	RepeatOnce      Recurrence = ""
	RepeatMonthly   Recurrence = "monthly"
	RepeatQuarterly Recurrence = "quarterly"
)

// Recurrences lists the recurrences in display order.
var Recurrences = []Recurrence{RepeatOnce, RepeatMonthly, RepeatQuarterly}

// Months is the number of months between two occurrences (0: once).
func (r Recurrence) Months() int {
	switch r {
	case RepeatMonthly:
		return 1
	case RepeatQuarterly:
		return 3
	}
	return 0
}

// maxRepeatedWindow is the longest window of a repeating activity: a week,
// so that one occurrence ends before the next can start.
const maxRepeatedWindow = 6 * 24 * time.Hour

// ActivityStatus is where a planned activity stands.
type ActivityStatus string

// The activity statuses.
const (
	ActivityPlanned   ActivityStatus = "planned"
	ActivityDone      ActivityStatus = "done"
	ActivityCancelled ActivityStatus = "cancelled"
)

// ActivityStatuses lists the activity statuses.
var ActivityStatuses = []ActivityStatus{ActivityPlanned, ActivityDone, ActivityCancelled}

// Activity is a planned piece of work in the year. StartsOn and EndsOn are
// days (midnight UTC); a recurring activity's window repeats.
type Activity struct {
	ID              int64
	PlanID          int64
	Year            int
	ObjectiveID     int64
	ObjectiveTitle  string
	Kind            ActivityKind
	Title           string
	Description     string
	StartsOn        time.Time
	EndsOn          time.Time
	Recurrence      Recurrence
	Role            Role // the responsible role; "" for none
	ResponsibleID   int64
	ResponsibleName string
	Status          ActivityStatus
	Outcome         string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Occurrence is one day (or window) an activity takes place.
type Occurrence struct {
	Activity *Activity
	Start    time.Time
	End      time.Time
}

// NthWeekday says which weekday of its month day is: the 1st..4th, or -1
// for a fifth one, which is always the last.
func NthWeekday(day time.Time) int {
	n := (day.Day()-1)/7 + 1
	if n == 5 {
		return -1
	}
	return n
}

// nthWeekdayOf returns the nth weekday wd of a month (-1: the last).
func nthWeekdayOf(year int, month time.Month, nth int, wd time.Weekday) time.Time {
	if nth < 0 {
		last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7))
	}
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(nth-1))
}

// Occurrences lists the days the activity takes place within its year, in
// order. A once-only activity has one.
func (a *Activity) Occurrences() []Occurrence {
	length := a.EndsOn.Sub(a.StartsOn)
	step := a.Recurrence.Months()
	if step == 0 {
		return []Occurrence{{a, a.StartsOn, a.EndsOn}}
	}
	nth, wd := NthWeekday(a.StartsOn), a.StartsOn.Weekday()
	var out []Occurrence
	for m := a.StartsOn.Month(); m <= time.December; m += time.Month(step) {
		d := nthWeekdayOf(a.StartsOn.Year(), m, nth, wd)
		out = append(out, Occurrence{a, d, d.Add(length)})
	}
	return out
}

// NextOccurrence is the first occurrence on or after day, or the last one
// when all lie before it.
func (a *Activity) NextOccurrence(day time.Time) Occurrence {
	occ := a.Occurrences()
	for _, o := range occ {
		if !o.End.Before(day) {
			return o
		}
	}
	return occ[len(occ)-1]
}

// occursOn reports whether one of the activity's occurrences starts on day.
func (a *Activity) occursOn(day time.Time) bool {
	for _, o := range a.Occurrences() {
		if o.Start.Equal(day) {
			return true
		}
	}
	return false
}

// ActivityInput is what a functional admin fills in for an activity.
type ActivityInput struct {
	ObjectiveID   int64
	Kind          ActivityKind
	Title         string
	Description   string
	StartsOn      time.Time
	EndsOn        time.Time // zero: the same day
	Recurrence    Recurrence
	Role          Role
	ResponsibleID int64
	Status        ActivityStatus // "" is planned
	Outcome       string
}

// Validate checks an activity for a plan of year: its days lie within the
// year, the end not before the start, and a repeating window is at most a
// week. It trims the texts and fills in the defaults (kind other, status
// planned, the end on the start day).
func (in *ActivityInput) Validate(year int) error {
	in.Title, in.Description, in.Outcome = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Outcome)
	var v Validation
	validateLine(&v, "title", in.Title, MaxPlanTitle, true)
	validateText(&v, "description", in.Description, MaxPlanText, false)
	validateText(&v, "outcome", in.Outcome, MaxPlanText, false)
	in.validateChoices(&v)
	in.validateDays(&v, year)
	return v.Err()
}

// validateChoices checks the kind, recurrence, role and status.
func (in *ActivityInput) validateChoices(v *Validation) {
	if in.Kind == "" {
		in.Kind = KindOther
	}
	if !slices.Contains(ActivityKinds, in.Kind) {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(ActivityKinds))
	}
	if !slices.Contains(Recurrences, in.Recurrence) {
		v.Add("recurrence", "field.invalid_choice", "choices", joinCodes(Recurrences))
	}
	if in.Role != "" && !in.Role.Valid() {
		v.Add("role", "field.invalid_choice", "choices", joinCodes(Roles))
	}
	if in.Status == "" {
		in.Status = ActivityPlanned
	}
	if !slices.Contains(ActivityStatuses, in.Status) {
		v.Add("status", "field.invalid_choice", "choices", joinCodes(ActivityStatuses))
	}
}

// validateDays checks the start and end against the plan's year.
func (in *ActivityInput) validateDays(v *Validation, year int) {
	if in.StartsOn.IsZero() {
		v.Add("starts_on", "field.required")
	} else if in.StartsOn.Year() != year {
		v.Add("starts_on", "plan.field.outside_year", "year", year)
	}
	if in.EndsOn.IsZero() {
		in.EndsOn = in.StartsOn
	}
	switch {
	case in.StartsOn.IsZero(), v.Has("starts_on") && in.EndsOn.Equal(in.StartsOn):
	case in.EndsOn.Before(in.StartsOn):
		v.Add("ends_on", "plan.field.end_before_start")
	case in.EndsOn.Year() != year:
		v.Add("ends_on", "plan.field.outside_year", "year", year)
	case in.Recurrence != RepeatOnce && in.EndsOn.Sub(in.StartsOn) > maxRepeatedWindow:
		v.Add("ends_on", "plan.field.window_too_long")
	}
}

// TemplateActivity is one of the seed's recurring activities a new year
// starts from; title and description come from the caller's catalogue.
type TemplateActivity struct {
	Kind       ActivityKind
	Month      time.Month
	Nth        int // nth weekday of the month, -1 the last
	Weekday    time.Weekday
	Days       int // extra days of a window
	Recurrence Recurrence
	Role       Role
}

// PlanTemplate is the year the seed describes: a monthly consultancy day, a
// quarterly review with management and release test window, two
// optimisation days, the vendor's yearly knowledge event and a training.
var PlanTemplate = []TemplateActivity{
	{KindConsultancyDay, time.January, 2, time.Tuesday, 0, RepeatMonthly, RoleFunctionalAdmin},
	{KindReview, time.March, 3, time.Thursday, 0, RepeatQuarterly, RoleManagement},
	{KindReleaseTest, time.February, 1, time.Monday, 4, RepeatQuarterly, RoleFunctionalAdmin},
	{KindOptimisationDay, time.April, 2, time.Wednesday, 0, RepeatOnce, RoleFunctionalAdmin},
	{KindOptimisationDay, time.October, 2, time.Wednesday, 0, RepeatOnce, RoleFunctionalAdmin},
	{KindKnowledgeEvent, time.June, 1, time.Thursday, 0, RepeatOnce, RoleFunctionalAdmin},
	{KindTraining, time.September, 3, time.Tuesday, 0, RepeatOnce, RoleKeyUser},
}

// TemplateActivities builds the template's activities for a year, with
// titles and descriptions from text (called with the kind).
func TemplateActivities(year int, text func(kind ActivityKind) (title, description string)) []ActivityInput {
	out := make([]ActivityInput, 0, len(PlanTemplate))
	for _, ta := range PlanTemplate {
		start := nthWeekdayOf(year, ta.Month, ta.Nth, ta.Weekday)
		title, desc := text(ta.Kind)
		out = append(out, ActivityInput{Kind: ta.Kind, Title: title, Description: desc, StartsOn: start,
			EndsOn: start.AddDate(0, 0, ta.Days), Recurrence: ta.Recurrence, Role: ta.Role, Status: ActivityPlanned})
	}
	return out
}

// AgendaItem is a request on a consultancy day's agenda with the outcome
// recorded for that day ("" when none yet).
type AgendaItem struct {
	Request *Request
	Outcome string
}

// Agenda is what a consultancy day (one occurrence) deals with: the open
// requests escalated to Consultancy, and what was recorded for the day.
type Agenda struct {
	Activity *Activity
	HeldOn   time.Time
	Items    []AgendaItem
	// Recorded lists outcomes of this day for requests no longer open or
	// no longer escalated.
	Recorded []AgendaItem
}

// CheckHeldOn says whether the activity is a consultancy day held on day,
// so that an agenda and outcomes belong to it.
func (a *Activity) CheckHeldOn(day time.Time) error {
	if a.Kind != KindConsultancyDay {
		return Errorf(CodeConflict, "plan.not_consultancy")
	}
	if !a.occursOn(day) {
		return Invalid("held_on", "plan.field.not_an_occurrence")
	}
	return nil
}

// AgendaDay is the consultancy day whose agenda is asked for: day when the
// activity is held then, or for a zero day the next occurrence from the day
// of now (in UTC).
func (a *Activity) AgendaDay(day, now time.Time) (time.Time, error) {
	if !day.IsZero() {
		if err := a.CheckHeldOn(day); err != nil {
			return time.Time{}, err
		}
		return day, nil
	}
	if a.Kind != KindConsultancyDay {
		return time.Time{}, Errorf(CodeConflict, "plan.not_consultancy")
	}
	now = now.UTC()
	return a.NextOccurrence(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)).Start, nil
}

// CheckConsultancyOutcome says whether the actor may record the (trimmed)
// outcome of a consultancy day for a request: who keeps the plan, with an
// outcome.
func CheckConsultancyOutcome(a *Actor, outcome string) error {
	if !CanKeepPlan(a) {
		return Refusal(PermPlanKeep)
	}
	var v Validation
	validateText(&v, "outcome", outcome, MaxPlanText, true)
	return v.Err()
}
