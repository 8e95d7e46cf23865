package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"beheer"
	"beheer/metrics"
	"beheer/store"
)

// backupExt is the extension of a SQLite backup.
const backupExt = ".db"

// backupDir is the folder of the backups: the setting, or "backups" in the
// data folder.
func (c *Config) backupDir() string {
	if c.BackupDir != "" {
		return c.BackupDir
	}
	return filepath.Join(c.Data, "backups")
}

// backups makes backups into one folder, removes those retention no
// longer keeps, and remembers the outcome of the last one (in the
// database for the portal, here for the metrics).
type backups struct {
	st   *store.Store
	dir  string
	keep beheer.BackupRetention
	zone *time.Location
	log  *slog.Logger

	mu   sync.Mutex
	last beheer.BackupRun
}

// newBackups is the backups of cfg for st; the last outcome is read from
// the database.
func (c *Config) newBackups(ctx context.Context, st *store.Store, log *slog.Logger) (*backups, error) {
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return nil, err
	}
	b := &backups{st: st, dir: c.backupDir(), keep: c.BackupKeep, zone: zone, log: log}
	if b.last, _, err = st.LastBackup(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// make writes one backup now, checks it, prunes the folder and records
// the outcome. A failure (a folder that cannot be written, a full disk)
// is logged and recorded, never fatal: the server keeps running.
func (b *backups) make(ctx context.Context) beheer.BackupRun {
	run := beheer.BackupRun{At: time.Now()}
	var err error
	run.File, run.Size, err = b.write(ctx, run.At)
	if err != nil {
		run.Err = err.Error()
		b.log.Error("backup failed", "dir", b.dir, "err", err)
	} else {
		b.log.Info("backup written and checked", "file", run.File, "size", run.Size)
		b.prune()
	}
	if err := b.st.RecordBackup(ctx, run); err != nil {
		b.log.Error("backup outcome not recorded", "err", err)
	}
	b.mu.Lock()
	b.last = run
	b.mu.Unlock()
	return run
}

// write makes the backup file in the folder (0700, as it holds password
// hashes and secrets) and returns its path and size.
func (b *backups) write(ctx context.Context, at time.Time) (string, int64, error) {
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("backup folder %s: %w", b.dir, err)
	}
	path := filepath.Join(b.dir, beheer.BackupName(at, backupExt))
	if err := b.st.Backup(ctx, path); err != nil {
		return path, 0, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return path, 0, err
	}
	return path, info.Size(), nil
}

// prune removes the backups retention no longer keeps. Only files named as
// backups are touched.
func (b *backups) prune() {
	names, taken := b.list()
	for i, keep := range b.keep.Keep(taken, b.zone) {
		if keep {
			continue
		}
		if err := os.Remove(filepath.Join(b.dir, names[i])); err != nil {
			b.log.Error("old backup not removed", "file", names[i], "err", err)
		} else {
			b.log.Info("old backup removed", "file", names[i])
		}
	}
}

// list is the backups in the folder, by name and time, oldest first.
func (b *backups) list() (names []string, taken []time.Time) {
	entries, _ := os.ReadDir(b.dir) // sorted by name, so by time
	for _, e := range entries {
		if t, ok := beheer.ParseBackupName(e.Name(), backupExt); ok && e.Type().IsRegular() {
			names, taken = append(names, e.Name()), append(taken, t)
		}
	}
	return names, taken
}

// latest is the path of the newest backup in the folder.
func (b *backups) latest() (string, error) {
	names, _ := b.list()
	if len(names) == 0 {
		return "", fmt.Errorf("no backups in %s", b.dir)
	}
	return filepath.Join(b.dir, names[len(names)-1]), nil
}

// loop makes a backup whenever the schedule says, until ctx ends.
func (b *backups) loop(ctx context.Context, s beheer.BackupSchedule) {
	for {
		next := s.Next(time.Now(), b.zone)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		b.make(ctx)
	}
}

// observe adds the last backup's outcome to the metrics, so an alert can
// fire when backups stop or fail.
func (b *backups) observe(m *metrics.Metrics) {
	last := func(f func(beheer.BackupRun) float64) func() float64 {
		return func() float64 {
			b.mu.Lock()
			defer b.mu.Unlock()
			return f(b.last)
		}
	}
	m.Gauge("beheer_backup_last_timestamp_seconds", "When the last backup was attempted (Unix time; 0 before the first).",
		last(func(r beheer.BackupRun) float64 {
			if r.At.IsZero() {
				return 0
			}
			return float64(r.At.Unix())
		}))
	m.Gauge("beheer_backup_last_ok", "1 when the last backup was written and passed its integrity check, else 0.",
		last(func(r beheer.BackupRun) float64 {
			if r.At.IsZero() || !r.OK() {
				return 0
			}
			return 1
		}))
	m.Gauge("beheer_backup_last_size_bytes", "Size of the last backup file.",
		last(func(r beheer.BackupRun) float64 { return float64(r.Size) }))
}

// startBackups starts the scheduled backups of serve. On PostgreSQL they
// are off: pg_dump makes those, outside Beheer.
func startBackups(ctx context.Context, cfg *Config, st *store.Store, log *slog.Logger, m *metrics.Metrics) error {
	if !cfg.BackupSchedule.On() {
		return nil
	}
	if st.Engine() == store.Postgres {
		log.Info("scheduled backups are for SQLite; back up PostgreSQL with pg_dump (see the README)")
		return nil
	}
	b, err := cfg.newBackups(ctx, st, log)
	if err != nil {
		return err
	}
	b.observe(m)
	go b.loop(ctx, cfg.BackupSchedule)
	log.Info("scheduled backups", "dir", b.dir, "next", cfg.BackupSchedule.Next(time.Now(), b.zone).Format(time.RFC3339))
	return nil
}
