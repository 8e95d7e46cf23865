package beheer

import (
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-12-03", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), true},
		{" 2026-02-28 ", time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), true},
		{"2026-02-29", time.Time{}, false}, // not a leap year
		{"03-12-2026", time.Time{}, false},
		{"2026-12-03T10:00:00Z", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDay(tt.in)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("ParseDay(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if ok && FormatDay(got) != tt.want.Format(DayLayout) {
				t.Errorf("FormatDay(%v) = %q", got, FormatDay(got))
			}
		})
	}
}
