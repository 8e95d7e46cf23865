package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"

	"beheer"
	"beheer/store"
)

// pgDumpHint is how PostgreSQL is backed up: with its own tools.
const pgDumpHint = "for PostgreSQL use pg_dump: pg_dump --format=custom --file=FILE \"$BEHEER_DATABASE\" (restore with pg_restore)"

// cmdBackup writes a backup: to FILE, or into the backup folder as the
// schedule does (with its retention and its recorded outcome). "backup
// drill" tries a restore.
func cmdBackup(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "drill" {
		return cmdDrill(ctx, e, args[1:])
	}
	fs := newFlags("backup")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return errors.New("usage: beheer backup [FILE]")
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	st, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Engine() == store.Postgres {
		return errors.New(pgDumpHint)
	}
	if fs.NArg() == 1 {
		if err := st.Backup(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "backup written to %s\n", fs.Arg(0))
		return nil
	}
	b, err := cfg.newBackups(ctx, st, log)
	if err != nil {
		return err
	}
	run := b.make(ctx)
	if !run.OK() {
		return errors.New(run.Err)
	}
	fmt.Fprintf(e.stdout, "backup written to %s (%s), checked\n", run.File, beheer.FormatBytes(run.Size))
	return nil
}

// cmdDrill restores a backup (the newest in the backup folder, or FILE)
// into a temporary folder beside the backups, opens it as the server
// would, and compares its row counts with the live database's. It proves
// a backup can be restored before the day it must be.
func cmdDrill(ctx context.Context, e env, args []string) error {
	fs := newFlags("backup drill")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return errors.New("usage: beheer backup drill [FILE]")
	}
	if cfg.Database != "" {
		return errors.New("the restore drill is for SQLite; " + pgDumpHint + ", into a scratch database")
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	live, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer live.Close()
	b, err := cfg.newBackups(ctx, live, log)
	if err != nil {
		return err
	}
	file := fs.Arg(0)
	if file == "" {
		if file, err = b.latest(); err != nil {
			return err
		}
	}
	restored, cleanup, err := restoreScratch(ctx, file, b.dir, log)
	defer cleanup()
	if err != nil {
		return fmt.Errorf("restore drill of %s: %w", file, err)
	}
	defer restored.Close()
	return compareCounts(ctx, e.stdout, file, restored, live)
}

// restoreScratch restores file into a new temporary folder inside dir and
// opens it; cleanup removes the folder.
func restoreScratch(ctx context.Context, file, dir string, log *slog.Logger) (*store.Store, func(), error) {
	cleanup := func() {}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, cleanup, err
	}
	tmp, err := os.MkdirTemp(dir, ".drill-")
	if err != nil {
		return nil, cleanup, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	target := filepath.Join(tmp, "beheer.db")
	if err := store.Restore(ctx, file, target); err != nil {
		return nil, cleanup, err
	}
	st, err := store.Open(ctx, target, store.Options{Logger: log})
	return st, cleanup, err
}

// compareCounts prints the row counts of the restored backup beside the
// live ones and fails on a table the backup lacks.
func compareCounts(ctx context.Context, w io.Writer, file string, restored, live *store.Store) error {
	got, err := restored.RowCounts(ctx)
	if err != nil {
		return err
	}
	want, err := live.RowCounts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "restore drill of %s: restored into a temporary folder, integrity checked, opened\n\n", file)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tbackup\tlive\tdifference\t")
	for i, c := range want {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%+d\t\n", c.Table, got[i].Rows, c.Rows, c.Rows-got[i].Rows)
	}
	tw.Flush()
	if problems := beheer.DrillProblems(got, want); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(w, "PROBLEM:", p)
		}
		return fmt.Errorf("restore drill of %s: %d problems", file, len(problems))
	}
	fmt.Fprintln(w, "\nOK: the backup can be restored; differences are what changed since it was made")
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
