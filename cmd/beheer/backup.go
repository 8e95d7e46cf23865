package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"beheer/store"
)

func cmdBackup(ctx context.Context, e env, args []string) error {
	fs := newFlags("backup")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: beheer backup FILE")
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Engine() == store.Postgres {
		return errors.New("for PostgreSQL use pg_dump: pg_dump --format=custom --file=FILE \"$BEHEER_DATABASE\" (restore with pg_restore)")
	}
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", fs.Arg(0))
	return nil
}

func cmdRestore(ctx context.Context, e env, args []string) error {
	fs := newFlags("restore")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: beheer restore FILE")
	}
	if cfg.Database != "" {
		return errors.New("for PostgreSQL use pg_restore: pg_restore --clean --dbname \"$BEHEER_DATABASE\" FILE")
	}
	target := filepath.Join(cfg.Data, "beheer.db")
	if err := store.Restore(ctx, fs.Arg(0), target); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s into %s\n", fs.Arg(0), target)
	return nil
}
