package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema step for the store's engine.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the steps for this engine in order: NNNN_name.sql for
// both engines, NNNN_name.sqlite.sql or NNNN_name.postgres.sql where they
// truly differ.
func (s *Store) migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name, ours := s.migrationName(e.Name())
		if !ours {
			continue
		}
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad number", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: s.expand(string(body))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migration %d defined twice", out[i].version)
		}
	}
	return out, nil
}

// migrationName is the name of the migration in file without its engine;
// ours is false when it is for the other engine.
func (s *Store) migrationName(file string) (name string, ours bool) {
	name = strings.TrimSuffix(file, ".sql")
	for _, e := range []Engine{SQLite, Postgres} {
		if base, ok := strings.CutSuffix(name, "."+string(e)); ok {
			return base, e == s.dialect.engine()
		}
	}
	return name, true
}

// expand fills the engine's types into a shared migration.
func (s *Store) expand(sql string) string {
	id, bytes := s.dialect.columnTypes()
	return strings.NewReplacer("{{id}}", id, "{{bytes}}", bytes).Replace(sql)
}

// migrate applies pending migrations, each in its own transaction and
// recorded, up to the one numbered before (0: all). Processes that start at
// once take turns (migrationTurn).
func (s *Store) migrate(ctx context.Context, before int) error {
	steps, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := 0
	for _, m := range steps {
		if before > 0 && m.version >= before {
			break
		}
		ok, err := s.apply(ctx, m)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if ok {
			applied++
		}
	}
	return s.dialect.afterMigrate(ctx, s, applied)
}

// migrationTurn is the key on which processes that start at once take
// turns to migrate.
const migrationTurn = 4242001

// apply runs one migration unless it ran before; it reports whether it ran.
func (s *Store) apply(ctx context.Context, m migration) (bool, error) {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer t.Rollback()
	if err := s.dialect.takeTurn(ctx, t, migrationTurn); err != nil {
		return false, err
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := t.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, ms(s.now())); err != nil {
		return false, err
	}
	return true, t.Commit()
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.rdb.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
