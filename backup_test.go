package beheer

import (
	"slices"
	"testing"
	"time"
)

func TestBackupName(t *testing.T) {
	at := time.Date(2026, 12, 3, 2, 0, 5, 0, time.UTC)
	name := BackupName(at.In(time.FixedZone("CET", 3600)), ".db")
	if name != "beheer-20261203T020005Z.db" {
		t.Fatalf("BackupName = %q", name)
	}
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{name, true},
		{"beheer-20261203T020005Z.db.partial", false},
		{"beheer-20261203T020005Z.dump", false},
		{"beheer.db", false},
		{"kopie-20261203T020005Z.db", false},
		{"beheer-2026-12-03.db", false},
	} {
		got, ok := ParseBackupName(tt.name, ".db")
		if ok != tt.ok || ok && !got.Equal(at) {
			t.Errorf("ParseBackupName(%q) = %v, %v; want ok %v", tt.name, got, ok, tt.ok)
		}
	}
}

func TestBackupRetentionKeep(t *testing.T) {
	zone := amsterdam(t)
	day := func(d, hour int) time.Time { return time.Date(2026, 12, d, hour, 0, 0, 0, zone) }
	nov := func(d, hour int) time.Time { return time.Date(2026, 11, d, hour, 0, 0, 0, zone) }
	// Two backups a day from Monday 2 November to Thursday 3 December.
	var taken []time.Time
	for d := time.Date(2026, 11, 2, 0, 0, 0, 0, zone); !d.After(day(3, 0)); d = d.AddDate(0, 0, 1) {
		taken = append(taken, d.Add(3*time.Hour), d.Add(15*time.Hour))
	}
	kept := func(r BackupRetention, taken []time.Time) []time.Time {
		var out []time.Time
		for i, k := range r.Keep(taken, zone) {
			if k {
				out = append(out, taken[i])
			}
		}
		slices.SortFunc(out, time.Time.Compare)
		return out
	}
	tests := []struct {
		name  string
		r     BackupRetention
		taken []time.Time
		want  []time.Time
	}{
		{"7 daily and 4 weekly", BackupRetention{Daily: 7, Weekly: 4}, taken, []time.Time{
			// the last of weeks 46 and 47 (their Sundays), and the last of each
			// of the seven days 27 November to 3 December (weeks 48 and 49)
			nov(15, 15), nov(22, 15), nov(27, 15), nov(28, 15), nov(29, 15), nov(30, 15),
			day(1, 15), day(2, 15), day(3, 15),
		}},
		{"daily only", BackupRetention{Daily: 2}, taken, []time.Time{day(2, 15), day(3, 15)}},
		{"weekly only", BackupRetention{Weekly: 2}, taken, []time.Time{nov(29, 15), day(3, 15)}},
		{"nothing still keeps the newest", BackupRetention{}, taken, []time.Time{day(3, 15)}},
		{"none taken", BackupRetention{Daily: 7}, nil, nil},
		{"days in the zone, not UTC", BackupRetention{Daily: 1, Weekly: 0},
			// 00:30 in Amsterdam is still the day before in UTC.
			[]time.Time{day(3, 0).Add(30 * time.Minute), day(2, 23)}, []time.Time{day(3, 0).Add(30 * time.Minute)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kept(tt.r, tt.taken)
			if !slices.EqualFunc(got, tt.want, time.Time.Equal) {
				t.Errorf("kept\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestBackupSchedule(t *testing.T) {
	zone := amsterdam(t)
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, zone) }
	tests := []struct {
		in   string
		ok   bool
		now  time.Time
		next time.Time
	}{
		{"03:00", true, at(12, 3, 2, 59), at(12, 3, 3, 0)},
		{"03:00", true, at(12, 3, 3, 0), at(12, 4, 3, 0)},
		{"23:30", true, at(12, 31, 23, 45), time.Date(2027, 1, 1, 23, 30, 0, 0, zone)},
		// The night summer time starts, 03:00 is still 03:00 local.
		{"03:00", true, at(3, 28, 12, 0), at(3, 29, 3, 0)},
		{"6h", true, at(12, 3, 10, 0), at(12, 3, 16, 0)},
		{"1s", true, at(12, 3, 10, 0), at(12, 3, 10, 0).Add(time.Second)},
		{"off", true, time.Time{}, time.Time{}},
		{"25:00", false, time.Time{}, time.Time{}},
		{"3 uur", false, time.Time{}, time.Time{}},
		{"0s", false, time.Time{}, time.Time{}},
		{"-1h", false, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, ok := ParseBackupSchedule(tt.in)
			if ok != tt.ok {
				t.Fatalf("ParseBackupSchedule(%q) ok = %v", tt.in, ok)
			}
			if !ok || !s.On() {
				if ok && tt.in != "off" {
					t.Errorf("%q is off", tt.in)
				}
				return
			}
			if got := s.Next(tt.now, zone); !got.Equal(tt.next) {
				t.Errorf("Next(%v) = %v, want %v", tt.now, got, tt.next)
			}
		})
	}
}

func TestDrillProblems(t *testing.T) {
	live := []RowCount{{"requests", 10}, {"users", 3}, {"webhooks", 0}}
	tests := []struct {
		name   string
		backup []RowCount
		want   int
	}{
		{"the same", []RowCount{{"requests", 10}, {"users", 3}, {"webhooks", 0}}, 0},
		{"older: fewer rows is expected", []RowCount{{"requests", 8}, {"users", 3}}, 0},
		{"more rows than live (deleted since)", []RowCount{{"requests", 12}, {"users", 4}}, 0},
		{"empty backup", []RowCount{{"requests", 0}, {"users", 0}}, 2},
		{"a table missing", []RowCount{{"requests", 10}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DrillProblems(tt.backup, live); len(got) != tt.want {
				t.Errorf("problems %q, want %d", got, tt.want)
			}
		})
	}
}
