package beheer

import (
	"time"

	"beheer/sla"
)

// Closing the loop in Optimalisatie: what a rating does to a request, and
// when a request whose requester does not react closes by itself. The
// organisation sets it (Closure); the store applies it inside the rating's
// transaction and in the sweep.

// Limits of the closure settings.
const (
	// MaxCloseAfterDays bounds the quiet period: three months of working days.
	MaxCloseAfterDays = 65
	// MaxRating is the best rating; 1 is the worst.
	MaxRating = 5
)

// Closure is the organisation's choice of how Optimalisatie ends.
type Closure struct {
	// CloseAtRating closes the request at once on a rating this good or
	// better; 0 leaves closing to the assignee.
	CloseAtRating int `json:"close_at_rating"`
	// PoorRating is the highest rating that counts as poor: the request goes
	// back to the assignee as a follow-up; 0 treats no rating as poor.
	PoorRating int `json:"poor_rating"`
	// CloseAfterDays closes a request that waited this many working days in
	// Optimalisatie for the requester without any reaction; 0 never.
	CloseAfterDays int `json:"close_after_days"`
}

// DefaultClosure is what an organisation starts with: a poor rating (1 or
// 2) goes back to the assignee; closing stays with the assignee until the
// organisation chooses otherwise.
func DefaultClosure() Closure { return Closure{PoorRating: 2} }

// Validate checks the settings: ratings within 0–5 with the poor ones below
// the closing one, and a quiet period within bounds.
func (c Closure) Validate() error {
	var v Validation
	if c.CloseAtRating < 0 || c.CloseAtRating > MaxRating {
		v.Add("close_at_rating", "field.range", "min", 0, "max", MaxRating)
	}
	if c.PoorRating < 0 || c.PoorRating >= MaxRating {
		v.Add("poor_rating", "field.range", "min", 0, "max", MaxRating-1)
	} else if c.CloseAtRating > 0 && c.PoorRating >= c.CloseAtRating {
		v.Add("poor_rating", "closure.field.poor_below_close", "close", c.CloseAtRating)
	}
	if c.CloseAfterDays < 0 || c.CloseAfterDays > MaxCloseAfterDays {
		v.Add("close_after_days", "field.range", "min", 0, "max", MaxCloseAfterDays)
	}
	return v.Err()
}

// RatingOutcome is what a rating does to a request in Optimalisatie.
type RatingOutcome string

// The outcomes of a rating.
const (
	RatingCloses   RatingOutcome = "close"     // good: the request is closed (Afgerond)
	RatingFollowUp RatingOutcome = "follow_up" // poor: back to the assignee, to follow up
	RatingWaits    RatingOutcome = "wait"      // the assignee closes it
)

// AfterRating is what a rating does under the settings.
func (c Closure) AfterRating(rating int) RatingOutcome {
	switch {
	case c.PoorRating > 0 && rating <= c.PoorRating:
		return RatingFollowUp
	case c.CloseAtRating > 0 && rating >= c.CloseAtRating:
		return RatingCloses
	}
	return RatingWaits
}

// StatusAfterRating is the status a request in Optimalisatie gets from a
// rating that does not close it.
func StatusAfterRating(o RatingOutcome) Status {
	if o == RatingFollowUp {
		return StatusFollowUp
	}
	return StatusAwaitingAssignee
}

// Quiet reports whether a request has waited long enough for its requester
// to close by itself at now: in Optimalisatie, waiting for the requester,
// with CloseAfterDays working days of business time since the last change
// to it or the last comment on it, whichever came later (any reaction
// starts the wait again).
func (c Closure) Quiet(r *Request, lastComment time.Time, cal *sla.Calendar, now time.Time) bool {
	if c.CloseAfterDays <= 0 || r.Phase != PhaseOptimisation || r.Status != StatusAwaitingRequester {
		return false
	}
	since := r.UpdatedAt
	if lastComment.After(since) {
		since = lastComment
	}
	return cal.WorkingDuration(since, now) >= time.Duration(c.CloseAfterDays)*AverageWorkday(cal)
}

// CanManageClosure reports whether the actor sets how Optimalisatie ends:
// the organisation's settings, so functional admins for every area.
func CanManageClosure(a *Actor) bool { return CanManageSettings(a) }
