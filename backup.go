package beheer

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// BackupRun is the outcome of one backup: when it was made, the file, its
// size, and what went wrong if it did. The last one is kept so technical
// admins and the metrics see whether backups are being made at all.
type BackupRun struct {
	At   time.Time `json:"at"`
	File string    `json:"file"`
	Size int64     `json:"size"`
	// Err is empty when the backup was written and passed its check.
	Err string `json:"error,omitempty"`
}

// OK reports whether the backup was written and checked.
func (r BackupRun) OK() bool { return r.Err == "" }

// backupLayout names a backup by its time in UTC: the names sort by time,
// and one differs from the next while backups are at least a second apart.
const backupLayout = "20060102T150405Z"

// BackupName is the file name of a backup made at t, with the file
// extension ext (".db").
func BackupName(t time.Time, ext string) string {
	return "beheer-" + t.UTC().Format(backupLayout) + ext
}

// ParseBackupName reads the time back from a name BackupName made; other
// files in the folder are not backups and are never removed.
func ParseBackupName(name, ext string) (time.Time, bool) {
	s, ok := strings.CutPrefix(name, "beheer-")
	if !ok {
		return time.Time{}, false
	}
	if s, ok = strings.CutSuffix(s, ext); !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(backupLayout, s)
	return t, err == nil
}

// BackupRetention is how many backups to keep: the newest of each of the
// last Daily days and of the last Weekly ISO weeks that have one (7 and 4
// keep a week of days and a month of weeks).
type BackupRetention struct {
	Daily, Weekly int
}

// Keep says which of the backups taken at the given times stay, day and
// week counted in zone. The newest backup always stays, so a retention
// of nothing cannot remove the only good copy.
func (r BackupRetention) Keep(taken []time.Time, zone *time.Location) []bool {
	keep := make([]bool, len(taken))
	r.newestPer(taken, zone, r.Daily, keep, func(t time.Time) string { return t.Format(DayLayout) })
	r.newestPer(taken, zone, r.Weekly, keep, func(t time.Time) string {
		y, w := t.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	})
	r.newestPer(taken, zone, 1, keep, func(time.Time) string { return "" })
	return keep
}

// newestPer marks in keep the newest backup of each of the last n periods
// (as period names them) that have one.
func (BackupRetention) newestPer(taken []time.Time, zone *time.Location, n int, keep []bool, period func(time.Time) string) {
	newest := map[string]int{} // period → index of its newest backup
	var order []string
	for i, t := range taken {
		p := period(t.In(zone))
		j, seen := newest[p]
		if !seen {
			order = append(order, p)
		}
		if !seen || t.After(taken[j]) {
			newest[p] = i
		}
	}
	// Periods sort by name as they sort by time; keep the last n.
	slices.Sort(order)
	for k := len(order) - 1; k >= 0 && k >= len(order)-n; k-- {
		keep[newest[order[k]]] = true
	}
}

// BackupSchedule is when backups are made: every day at a time of day
// (minutes after midnight, in the organisation's zone), or every Every.
// The zero value makes none.
type BackupSchedule struct {
	Daily bool
	// Minute is the time of day of a daily backup, in minutes after midnight.
	Minute int
	Every  time.Duration
}

// ParseBackupSchedule reads "03:00" (daily at that time), a duration such
// as "6h" (that often), or "off".
func ParseBackupSchedule(s string) (BackupSchedule, bool) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return BackupSchedule{}, true
	}
	if t, err := time.Parse("15:04", s); err == nil {
		return BackupSchedule{Daily: true, Minute: t.Hour()*60 + t.Minute()}, true
	}
	if d, err := time.ParseDuration(s); err == nil && d >= time.Second {
		return BackupSchedule{Every: d}, true
	}
	return BackupSchedule{}, false
}

// On reports whether the schedule makes backups.
func (s BackupSchedule) On() bool { return s.Daily || s.Every > 0 }

// Next is the first moment after now at which a backup is due, with the
// time of day read in zone (so 03:00 stays 03:00 across summer time).
func (s BackupSchedule) Next(now time.Time, zone *time.Location) time.Time {
	if !s.Daily {
		return now.Add(s.Every)
	}
	local := now.In(zone)
	at := time.Date(local.Year(), local.Month(), local.Day(), s.Minute/60, s.Minute%60, 0, 0, zone)
	if !at.After(now) {
		at = time.Date(local.Year(), local.Month(), local.Day()+1, s.Minute/60, s.Minute%60, 0, 0, zone)
	}
	return at
}

// RowCount is the number of rows in one table, for comparing a restored
// backup with the live database.
type RowCount struct {
	Table string
	Rows  int64
}

// DrillProblems compares the row counts of a restored backup with those of
// the live database. Live data moves on after a backup, so differences are
// expected; a table that is empty in the backup while the live one has
// rows is not, and is a problem (a backup of the wrong or an empty
// database).
func DrillProblems(backup, live []RowCount) []string {
	had := map[string]int64{}
	for _, c := range backup {
		had[c.Table] = c.Rows
	}
	var problems []string
	for _, c := range live {
		if c.Rows > 0 && had[c.Table] == 0 {
			problems = append(problems, fmt.Sprintf("%s: %d rows live, none in the backup", c.Table, c.Rows))
		}
	}
	return problems
}
