package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot). The copy is checked
// before Backup returns. PostgreSQL is backed up with pg_dump.
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
	// A connection of its own: the read pool is query-only, and the writer
	// must stay free. VACUUM INTO reads one snapshot while writers go on.
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO `+quoteLiteral(abs)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return IntegrityCheck(ctx, abs)
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
