package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"runtime/debug"

	"beheer"
	"beheer/i18n"
	"beheer/metrics"
	"beheer/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// env holds what every command gets from the outside world.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// acmeHTTP reaches the ACME directory; nil is Go's default client.
	// Tests point it at a local ACME server that has its own CA.
	acmeHTTP *http.Client
}

// command is one subcommand.
type command struct {
	name, usage string
	run         func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--data DIR] [--database URL] [--demo]", cmdServe},
		{"user", "user add|roles|list|password|reset-second-factor …", cmdUser},
		{"token", "token create --email E [--name LABEL] [--days N] | list [--email E] | revoke --id N", cmdToken},
		{"demo", "demo [--requests N] [--seed S]", cmdDemo},
		{"backup", "backup [FILE] | backup drill [FILE]", cmdBackup},
		{"restore", "restore FILE", cmdRestore},
		{"migrate", "migrate", cmdMigrate},
		{"mail", "mail receive [--intake ADDRESS] < MESSAGE", cmdMail},
		{"people", "people import --csv FILE | sync-afas | departments [--department D --area CODE]", cmdPeople},
		{"health", "health", cmdHealth},
		{"version", "version", cmdVersion},
	}
}

// run is main without the process: testable with its own arguments,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, e, args[1:]); !errors.Is(err, flag.ErrHelp) {
				return err
			}
			return nil
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Beheer — the portal for the management of your business application.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  beheer", c.usage)
	}
	fmt.Fprintln(w, "\nEvery command takes --data DIR (default ./beheer-data) and --database URL (or BEHEER_DATABASE) for PostgreSQL.")
	fmt.Fprintln(w, "\"beheer COMMAND --help\" lists a command's flags and settings; \"beheer serve --help\" lists them all.")
}

// dsn is what store.Open takes: the PostgreSQL URL, or the SQLite file in
// the data directory.
func (c *Config) dsn() string {
	if c.Database != "" {
		return c.Database
	}
	return filepath.Join(c.Data, "beheer.db")
}

// open opens the store for a command, logging to log.
func (c *Config) open(ctx context.Context, log *slog.Logger) (*store.Store, error) {
	return store.Open(ctx, c.dsn(), store.Options{Logger: log})
}

// openObserved opens the store with its transactions timed into m and
// the key that seals the connection pages' secrets.
func (c *Config) openObserved(ctx context.Context, log *slog.Logger, m *metrics.Metrics) (*store.Store, error) {
	box, err := c.secretBox()
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, c.dsn(), store.Options{Logger: log, OnTx: m.ObserveTx, Secrets: box})
}

// newFlags makes a flag set that returns errors instead of printing them
// and exiting; loadConfig parses it and writes the help.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// message renders an error for the terminal in English, with field names.
func message(cat *i18n.Catalog, err error) error {
	var be *beheer.Error
	if !errors.As(err, &be) {
		return err
	}
	msg := cat.T(i18n.EN, be.Key, be.Args...)
	for _, f := range be.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, cat.T(i18n.EN, f.Key, f.Args...))
	}
	return errors.New(msg)
}

func cmdVersion(ctx context.Context, e env, args []string) error {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	fmt.Fprintln(e.stdout, "beheer", v)
	return nil
}

func cmdMigrate(ctx context.Context, e env, args []string) error {
	cfg, err := loadConfig(e, newFlags("migrate"), args)
	if err != nil {
		return err
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema at version %d\n", v)
	return nil
}
