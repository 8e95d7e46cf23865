package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"beheer"
)

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot). The copy holds
// password hashes and webhook secrets, so it is readable by its owner only
// (0600); it is written beside path first and renamed into place once it
// passed its integrity check, so path is never a half-written backup.
// PostgreSQL is backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error { return s.dialect.backup(ctx, path) }

// backupSQLite is Backup of the SQLite database in file.
func backupSQLite(ctx context.Context, file, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	partial := abs + ".partial"
	// VACUUM INTO writes into an existing file if it is empty, keeping its
	// mode: made here, the file is never readable by others.
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if err := vacuumInto(ctx, file, partial); err != nil {
		os.Remove(partial)
		return err
	}
	if err := IntegrityCheck(ctx, partial); err != nil {
		os.Remove(partial)
		return err
	}
	return os.Rename(partial, abs)
}

// vacuumInto writes the snapshot of the database in file to path, on a
// connection of its own: the read pool is query-only, and the writer must
// stay free. VACUUM INTO reads one snapshot while writers go on.
func vacuumInto(ctx context.Context, file, path string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO `+quoteLiteral(path)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// IntegrityCheck runs SQLite's integrity and foreign-key checks on a file.
func IntegrityCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("integrity check %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("integrity check %s: %s", path, result)
	}
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		return fmt.Errorf("integrity check %s: foreign key violations", path)
	}
	return rows.Err()
}

// Restore copies a backup file into place as the SQLite database at target,
// after checking it. It refuses to overwrite an existing database.
func Restore(ctx context.Context, backup, target string) error {
	for _, p := range []string{target, target + "-wal", target + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("restore: %s exists; restore only into an empty data directory", p)
		}
	}
	if err := IntegrityCheck(ctx, backup); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	src, err := os.Open(backup)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := target + ".restore"
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	return IntegrityCheck(ctx, target)
}

// settingLastBackup keeps the last BackupRun, as JSON.
const settingLastBackup = "backup_last"

// RecordBackup keeps the outcome of a backup as the last one.
func (s *Store) RecordBackup(ctx context.Context, run beheer.BackupRun) error {
	b, err := json.Marshal(run)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingLastBackup, string(b))
		return err
	})
}

// LastBackup is the last backup's outcome; ok is false before the first.
func (s *Store) LastBackup(ctx context.Context) (run beheer.BackupRun, ok bool, err error) {
	err = s.read(ctx, func(q querier) error {
		v, found, err := setting(ctx, q, settingLastBackup)
		if err != nil || !found {
			return err
		}
		ok = true
		return json.Unmarshal([]byte(v), &run)
	})
	return run, ok, err
}

// drillTables are the tables a restore drill counts: what an organisation
// would miss first. Sessions and throttling counters are left out; they
// come and go by the minute.
var drillTables = []string{"users", "user_roles", "areas", "requests", "comments", "attachments", "decisions",
	"escalations", "tasks", "audit", "events", "publications", "plans", "releases",
	"register_entries", "webhooks", "api_tokens", "sla_targets"}

// RowCounts counts the rows of the tables a restore drill compares.
func (s *Store) RowCounts(ctx context.Context) ([]beheer.RowCount, error) {
	var out []beheer.RowCount
	err := s.read(ctx, func(q querier) error {
		for _, table := range drillTables {
			c := beheer.RowCount{Table: table}
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&c.Rows); err != nil {
				return fmt.Errorf("count %s: %w", table, err)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}
