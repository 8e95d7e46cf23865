package beheer

import (
	"slices"
	"strings"
	"time"
)

// The annual plan (jaarplanner beheer): per year, management's objectives,
// key users' inputs and the activities functional admins plan. Everyone
// signed in reads it; management sets objectives and approves; functional
// admins keep activities, turn inputs into work and link requests. The
// activities, their occurrences and the consultancy day's agenda are in
// plan_activity.go.

// Limits of the plan's texts, and the years a plan can be made for.
const (
	MaxPlanTitle  = MaxTitle         // an objective's, activity's or input's title
	MaxPlanText   = 5000             // a description, an outcome
	MaxPlanTarget = 2 * MaxPlanTitle // how an objective is measured
	MinPlanYear   = 2000
	MaxPlanYear   = 2100
)

// ValidPlanYear reports whether a plan can be made for year; a year outside
// the bounds is no plan's, so its pages are not found.
func ValidPlanYear(year int) bool { return year >= MinPlanYear && year <= MaxPlanYear }

// PlanStatus says whether management approved a year's plan.
type PlanStatus string

// The plan statuses.
const (
	PlanDraft    PlanStatus = "draft"
	PlanApproved PlanStatus = "approved"
)

// Plan is one year's plan.
type Plan struct {
	ID             int64
	Year           int
	Status         PlanStatus
	ApprovedBy     int64
	ApprovedByName string
	ApprovedAt     time.Time
	FeedActive     bool
	FeedCreatedAt  time.Time
	CreatedAt      time.Time
	Version        int64
	// ConsultancyBudgetHours is the year's budget of consultancy hours
	// (0: none set); the consultancy days show what is used of it.
	ConsultancyBudgetHours int
}

// PlanView is a whole year's plan as the pages show it.
type PlanView struct {
	Plan       *Plan
	Objectives []*Objective
	Activities []*Activity
	Inputs     []*KeyUserInput
}

// PersonName is a person's id and name, for choosing an owner, a
// responsible person or an assignee without loading whole accounts.
type PersonName struct {
	ID   int64
	Name string
}

// Who may do what with the plan. Reading it needs nothing but an account.

// CanKeepPlan reports whether the actor keeps activities, inputs and links:
// a functional admin of any area.
func CanKeepPlan(a *Actor) bool { return a.CanAnywhere(PermPlanKeep) }

// CanSetObjectives reports whether the actor sets objectives and approves
// the plan: management.
func CanSetObjectives(a *Actor) bool { return a.CanAnywhere(PermPlanApprove) }

// CanAddPlanInput reports whether the actor gives input for the plan: key
// users, and functional admins who collect it.
func CanAddPlanInput(a *Actor) bool { return a.CanAnywhere(PermPlanInput) }

// CanCreatePlan reports whether the actor starts a new year's plan: both
// who keep it and who approve it.
func CanCreatePlan(a *Actor) bool { return CanKeepPlan(a) || CanSetObjectives(a) }

// CheckNewPlan says whether the actor may start the plan of year with the
// template's activities; each activity is validated (and completed) in place.
func CheckNewPlan(a *Actor, year int, template []ActivityInput) error {
	if !CanCreatePlan(a) {
		return ErrForbidden("plan.forbidden_create")
	}
	if !ValidPlanYear(year) {
		return Invalid("year", "plan.field.year_range", "min", MinPlanYear, "max", MaxPlanYear)
	}
	for i := range template {
		if err := template[i].Validate(year); err != nil {
			return err
		}
	}
	return nil
}

// CheckApprove says whether the plan may be approved: once.
func (p *Plan) CheckApprove() error {
	if p.Status == PlanApproved {
		return Errorf(CodeConflict, "plan.already_approved", "year", p.Year)
	}
	return nil
}

// ObjectiveStatus is where an objective stands.
type ObjectiveStatus string

// The objective statuses.
const (
	ObjectivePlanned     ObjectiveStatus = "planned"
	ObjectiveInProgress  ObjectiveStatus = "in_progress"
	ObjectiveAchieved    ObjectiveStatus = "achieved"
	ObjectiveNotAchieved ObjectiveStatus = "not_achieved"
)

// ObjectiveStatuses lists the objective statuses in display order.
var ObjectiveStatuses = []ObjectiveStatus{ObjectivePlanned, ObjectiveInProgress, ObjectiveAchieved, ObjectiveNotAchieved}

// Objective is a goal management sets for the year (doelstelling).
type Objective struct {
	ID          int64
	PlanID      int64
	Year        int // the plan's
	Title       string
	Description string
	Target      string // how it is measured
	OwnerID     int64
	OwnerName   string
	Status      ObjectiveStatus
	Progress    ObjectiveProgress
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ObjectiveProgress is what an objective's linked work shows: requests
// closed (Afgerond) against those still open, activities done against those
// not cancelled. Rejected and withdrawn requests count on neither side.
type ObjectiveProgress struct {
	RequestsDone      int
	RequestsOpen      int
	ActivitiesDone    int
	ActivitiesPlanned int // not cancelled, done ones included
}

// Done is the number of finished pieces of work.
func (p ObjectiveProgress) Done() int { return p.RequestsDone + p.ActivitiesDone }

// Total is the number of pieces of work that count.
func (p ObjectiveProgress) Total() int { return p.RequestsDone + p.RequestsOpen + p.ActivitiesPlanned }

// Percent is Done of Total, rounded down; 0 without linked work.
func (p ObjectiveProgress) Percent() int {
	if p.Total() == 0 {
		return 0
	}
	return p.Done() * 100 / p.Total()
}

// ObjectiveInput is what management fills in for an objective.
type ObjectiveInput struct {
	Title       string
	Description string
	Target      string
	OwnerID     int64
	Status      ObjectiveStatus // "" is planned
}

// Validate checks an objective: a title and a measurable target. It trims
// the texts and fills in the default status.
func (in *ObjectiveInput) Validate() error {
	in.Title, in.Description, in.Target = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Target)
	var v Validation
	validateLine(&v, "title", in.Title, MaxPlanTitle, true)
	validateText(&v, "description", in.Description, MaxPlanText, false)
	if in.Target == "" {
		v.Add("target", "plan.field.target_required")
	} else {
		validateText(&v, "target", in.Target, MaxPlanTarget, true)
	}
	if in.Status == "" {
		in.Status = ObjectivePlanned
	}
	if !slices.Contains(ObjectiveStatuses, in.Status) {
		v.Add("status", "field.invalid_choice", "choices", joinCodes(ObjectiveStatuses))
	}
	return v.Err()
}

// InputStatus says what became of a key user's input.
type InputStatus string

// The input statuses. A new input becomes one of the others, once.
const (
	InputNew      InputStatus = "new"
	InputRequest  InputStatus = "request"
	InputActivity InputStatus = "activity"
	InputDeclined InputStatus = "declined"
)

// KeyUserInput is a key user's wish or priority for the year.
type KeyUserInput struct {
	ID            int64
	PlanID        int64
	AreaID        int64
	AreaCode      string
	AreaName      string
	Title         string
	Description   string
	Priority      Priority
	AuthorID      int64
	AuthorName    string
	Status        InputStatus
	RequestID     int64
	RequestNumber string
	ActivityID    int64
	CreatedAt     time.Time
	// SourceRequestID is the request whose evaluation gave the input (a
	// follow-up from Optimalisatie); 0 for none.
	SourceRequestID     int64
	SourceRequestNumber string
}

// CheckInputChange says whether an input may go from one status to
// another: a new input is filed as a request, planned as an activity or
// declined; a handled one stays what it became.
func CheckInputChange(from, to InputStatus) error {
	if from != InputNew || (to != InputRequest && to != InputActivity && to != InputDeclined) {
		return Errorf(CodeConflict, "plan.input_handled")
	}
	return nil
}

// InputInput is what a key user fills in for an input.
type InputInput struct {
	AreaID      int64
	Title       string
	Description string
	Priority    Priority // "" is normal
	// SourceRequestID is the request the input follows up, if any.
	SourceRequestID int64
}

// Validate checks an input: a title and a known priority. It trims the
// texts and fills in the default priority.
func (in *InputInput) Validate() error {
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	var v Validation
	validateLine(&v, "title", in.Title, MaxPlanTitle, true)
	validateText(&v, "description", in.Description, MaxPlanText, false)
	if in.Priority == "" {
		in.Priority = PriorityNormal
	}
	if !in.Priority.Valid() {
		v.Add("priority", "field.invalid_choice", "choices", joinCodes(Priorities))
	}
	return v.Err()
}

// CheckPlanInput says whether the actor may give the input: who gives
// input at all, for an area they decide on (or none in particular); a
// functional admin collects input for every area.
func CheckPlanInput(a *Actor, in *InputInput) error {
	if !CanAddPlanInput(a) {
		return Refusal(PermPlanInput)
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if in.AreaID != 0 && !CanKeepPlan(a) && !a.Can(PermRequestDecide, in.AreaID) {
		return Invalid("area", "plan.field.area_not_yours")
	}
	return nil
}
