package beheer

import (
	"testing"
	"time"

	"beheer/sla"
)

// TestClosureValidate: ratings within 0–5, poor below closing, the quiet
// period within bounds.
func TestClosureValidate(t *testing.T) {
	tests := []struct {
		name  string
		c     Closure
		field string // "" is valid
	}{
		{"default", DefaultClosure(), ""},
		{"all_off", Closure{}, ""},
		{"close_at_four_poor_two_ten_days", Closure{CloseAtRating: 4, PoorRating: 2, CloseAfterDays: 10}, ""},
		{"close_at_five", Closure{CloseAtRating: 5}, ""},
		{"close_at_six", Closure{CloseAtRating: 6}, "close_at_rating"},
		{"close_negative", Closure{CloseAtRating: -1}, "close_at_rating"},
		{"poor_five", Closure{PoorRating: 5}, "poor_rating"},
		{"poor_not_below_close", Closure{CloseAtRating: 3, PoorRating: 3}, "poor_rating"},
		{"days_negative", Closure{CloseAfterDays: -1}, "close_after_days"},
		{"days_too_many", Closure{CloseAfterDays: MaxCloseAfterDays + 1}, "close_after_days"},
		{"days_max", Closure{CloseAfterDays: MaxCloseAfterDays}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if got := resultOf(err); !invalid(tt.field).matches(got) {
				t.Fatalf("Validate() = %v, want the field %s", got, tt.field)
			}
		})
	}
}

// TestAfterRating: what each rating does under each choice.
func TestAfterRating(t *testing.T) {
	tests := []struct {
		name   string
		c      Closure
		rating int
		want   RatingOutcome
		status Status
	}{
		{"default_good_waits", DefaultClosure(), 5, RatingWaits, StatusAwaitingAssignee},
		{"default_middle_waits", DefaultClosure(), 3, RatingWaits, StatusAwaitingAssignee},
		{"default_poor_follows_up", DefaultClosure(), 2, RatingFollowUp, StatusFollowUp},
		{"default_worst_follows_up", DefaultClosure(), 1, RatingFollowUp, StatusFollowUp},
		{"four_closes_at_four", Closure{CloseAtRating: 4, PoorRating: 2}, 4, RatingCloses, ""},
		{"four_closes_at_five", Closure{CloseAtRating: 4, PoorRating: 2}, 5, RatingCloses, ""},
		{"four_waits_at_three", Closure{CloseAtRating: 4, PoorRating: 2}, 3, RatingWaits, StatusAwaitingAssignee},
		{"nothing_poor", Closure{CloseAtRating: 4}, 1, RatingWaits, StatusAwaitingAssignee},
		{"all_off", Closure{}, 5, RatingWaits, StatusAwaitingAssignee},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.AfterRating(tt.rating)
			if got != tt.want {
				t.Fatalf("AfterRating(%d) = %s, want %s", tt.rating, got, tt.want)
			}
			if tt.status != "" && StatusAfterRating(got) != tt.status {
				t.Errorf("StatusAfterRating(%s) = %s, want %s", got, StatusAfterRating(got), tt.status)
			}
		})
	}
}

// TestQuiet: a request closes by itself only in Optimalisatie, waiting for
// its requester, after the working days without any change; weekends and
// holidays do not count.
func TestQuiet(t *testing.T) {
	cal := sla.Default()
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, sla.Amsterdam) }
	waiting := func(since time.Time) *Request {
		return &Request{Phase: PhaseOptimisation, Status: StatusAwaitingRequester, UpdatedAt: since}
	}
	five := Closure{CloseAfterDays: 5}
	tests := []struct {
		name    string
		c       Closure
		r       *Request
		comment time.Time // the last comment, if any
		now     time.Time
		want    bool
	}{
		// Monday 2 March 10:00; five working days later is Monday 9 March 10:00.
		{"before_five_working_days", five, waiting(at(2, 10)), time.Time{}, at(9, 9), false},
		{"at_five_working_days", five, waiting(at(2, 10)), time.Time{}, at(9, 10), true},
		{"weekend_does_not_count", five, waiting(at(5, 10)), time.Time{}, at(10, 9), false},
		{"weekend_then_enough", five, waiting(at(5, 10)), time.Time{}, at(12, 10), true},
		{"off", Closure{}, waiting(at(2, 10)), time.Time{}, at(31, 10), false},
		{"a_comment_starts_again", five, waiting(at(2, 10)), at(5, 10), at(9, 10), false},
		{"an_old_comment_does_not", five, waiting(at(5, 10)), at(2, 10), at(12, 10), true},
		{"rated_waits_for_assignee", five, &Request{Phase: PhaseOptimisation, Status: StatusAwaitingAssignee, UpdatedAt: at(2, 10)}, time.Time{}, at(31, 10), false},
		{"follow_up", five, &Request{Phase: PhaseOptimisation, Status: StatusFollowUp, UpdatedAt: at(2, 10)}, time.Time{}, at(31, 10), false},
		{"other_phase", five, &Request{Phase: PhaseExecution, Status: StatusAwaitingRequester, UpdatedAt: at(2, 10)}, time.Time{}, at(31, 10), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Quiet(tt.r, tt.comment, cal, tt.now); got != tt.want {
				t.Errorf("Quiet = %v, want %v", got, tt.want)
			}
		})
	}
}
