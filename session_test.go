package beheer

import (
	"fmt"
	"testing"
	"time"
)

// TestSessionExpiry: a session ends after IdleTimeout without use, in any
// case AbsoluteTimeout after login, and at once when its person is
// deactivated; its last use is written at most once a SeenResolution.
func TestSessionExpiry(t *testing.T) {
	login := testNow
	tests := []struct {
		name      string
		seen      time.Duration // after login
		now       time.Duration // after login
		inactive  bool
		expired   bool
		needsSeen bool
	}{
		{"just_signed_in", 0, 0, false, false, false},
		{"used_within_a_minute", 0, 59 * time.Second, false, false, false},
		{"used_after_a_minute", 0, 2 * time.Minute, false, false, true},
		{"idle_just_under_the_timeout", 0, IdleTimeout, false, false, true},
		{"idle_past_the_timeout", 0, IdleTimeout + time.Second, false, true, true},
		{"busy_until_the_end", AbsoluteTimeout - time.Minute, AbsoluteTimeout, false, false, false},
		{"busy_past_the_end", AbsoluteTimeout - time.Minute, AbsoluteTimeout + time.Second, false, true, true},
		{"person_deactivated", 0, time.Second, true, true, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/expired=%v", tt.name, tt.expired), func(t *testing.T) {
			s := NewSession("id", "csrf", login)
			s.User = &User{ID: idRequester, Active: !tt.inactive}
			s.SeenAt = login.Add(tt.seen)
			now := login.Add(tt.now)
			if got := s.Expired(now); got != tt.expired {
				t.Errorf("Expired = %v", got)
			}
			if got := s.NeedsSeen(now); got != tt.needsSeen {
				t.Errorf("NeedsSeen = %v", got)
			}
		})
	}
}

func TestNewSession(t *testing.T) {
	s := NewSession("id", "csrf", testNow)
	if s.ID != "id" || s.CSRF != "csrf" || !s.CreatedAt.Equal(testNow) || !s.SeenAt.Equal(testNow) ||
		!s.ExpiresAt.Equal(testNow.Add(AbsoluteTimeout)) {
		t.Errorf("session %+v", s)
	}
	if !s.Expired(testNow) {
		t.Error("a session without a person is live")
	}
}
