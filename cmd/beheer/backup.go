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
	fs := newFlags("backup", e)
	var db dbFlags
	db.register(fs, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: beheer backup FILE")
	}
	st, err := db.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
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
	fs := newFlags("restore", e)
	var db dbFlags
	db.register(fs, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: beheer restore FILE")
	}
	if db.database != "" {
		return errors.New("for PostgreSQL use pg_restore: pg_restore --clean --dbname \"$BEHEER_DATABASE\" FILE")
	}
	target := filepath.Join(db.data, "beheer.db")
	if err := store.Restore(ctx, fs.Arg(0), target); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s into %s\n", fs.Arg(0), target)
	return nil
}
