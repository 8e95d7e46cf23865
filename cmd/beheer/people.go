package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"text/tabwriter"

	"beheer"
	"beheer/afas"
	"beheer/i18n"
	"beheer/peoplesync"
	"beheer/store"
)

// cmdPeople imports people from a CSV file or AFAS Profit, and maps
// departments to areas.
func cmdPeople(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: beheer people import --csv FILE | sync-afas | departments [--department D --area CODE]")
	}
	switch args[0] {
	case "import":
		return peopleImport(ctx, e, args[1:])
	case "sync-afas":
		return peopleSyncAFAS(ctx, e, args[1:])
	case "departments":
		return peopleDepartments(ctx, e, args[1:])
	}
	return fmt.Errorf("unknown people command %q", args[0])
}

func peopleImport(ctx context.Context, e env, args []string) error {
	fs := newFlags("people import")
	file := fs.String("csv", "", "CSV file with every employee (- for standard input)")
	confirm := fs.Bool("confirm-leavers", false, "deactivate the people missing from the file even when they are many")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *file == "" {
		return errors.New("people import: --csv FILE is required")
	}
	var in io.Reader = e.stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	cat := i18n.MustLoad()
	employees, err := peoplesync.ParseCSV(in)
	if err != nil {
		return message(cat, err)
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.SyncPeople(ctx, store.System, beheer.SourceCSV, employees, beheer.SyncOptions{ConfirmLeavers: *confirm})
	if err != nil {
		return message(cat, err)
	}
	printReport(e.stdout, cat, rep)
	return nil
}

func peopleSyncAFAS(ctx context.Context, e env, args []string) error {
	fs := newFlags("people sync-afas")
	confirm := fs.Bool("confirm-leavers", false, "deactivate the people missing from AFAS even when they are many")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	client, err := afasClient(cfg)
	if err != nil {
		return err
	}
	if client == nil {
		return errors.New("people sync-afas: set BEHEER_AFAS_URL, BEHEER_AFAS_CONNECTOR and BEHEER_AFAS_TOKEN (or BEHEER_AFAS_CLIENT_ID and BEHEER_AFAS_CLIENT_SECRET)")
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	cat := i18n.MustLoad()
	rep, err := peoplesync.SyncAFAS(ctx, st, store.System, client, beheer.SyncOptions{ConfirmLeavers: *confirm})
	var fe *peoplesync.FetchError
	if errors.As(err, &fe) {
		return fmt.Errorf("%s\n  (%v)", cat.T(i18n.EN, fe.Key), fe.Err)
	}
	if err != nil {
		return message(cat, err)
	}
	printReport(e.stdout, cat, rep)
	return nil
}

func peopleDepartments(ctx context.Context, e env, args []string) error {
	fs := newFlags("people departments")
	dept := fs.String("department", "", "department to map (with --area; an empty --area removes the mapping)")
	area := fs.String("area", "", "area code whose key users the department's people become")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	cat := i18n.MustLoad()
	if *dept != "" {
		var areaID int64
		if *area != "" {
			a, err := st.AreaByCode(ctx, *area)
			if err != nil {
				return fmt.Errorf("unknown area %q", *area)
			}
			areaID = a.ID
		}
		if err := st.SetDepartmentArea(ctx, store.System, *dept, areaID); err != nil {
			return message(cat, err)
		}
	}
	deps, err := st.DepartmentAreas(ctx, store.System)
	if err != nil {
		return err
	}
	areas, err := st.Areas(ctx)
	if err != nil {
		return err
	}
	code := map[int64]string{}
	for _, a := range areas {
		code[a.ID] = a.Code
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPARTMENT\tAREA\tPEOPLE")
	for _, d := range deps {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", d.Department, code[d.AreaID], d.People)
	}
	return tw.Flush()
}

// printReport writes a sync's outcome in English.
func printReport(w io.Writer, cat *i18n.Catalog, rep *beheer.SyncReport) {
	fmt.Fprintf(w, "people from %s: %d in the list, %d added, %d updated, %d deactivated, %d reactivated, %d unchanged, %d skipped\n",
		rep.Source, rep.Total, rep.Added, rep.Updated, rep.Deactivated, rep.Reactivated, rep.Unchanged, rep.Skipped)
	for _, p := range rep.Rows {
		fmt.Fprintf(w, "  line %d (%s) %s: %s\n", p.Line, p.Number, p.Field, cat.T(i18n.EN, p.Key, p.Args...))
	}
}

// afasClient builds the AFAS Profit client from cfg; nil without an AFAS
// address. The token is never printed.
func afasClient(cfg *Config) (*afas.Client, error) {
	if cfg.AFASURL == "" {
		return nil, nil
	}
	return afas.New(afas.Config{BaseURL: cfg.AFASURL, Connector: cfg.AFASConnector, Token: cfg.AFASToken,
		ClientID: cfg.AFASClientID, ClientSecret: cfg.AFASClientSecret, TokenURL: cfg.AFASTokenURL,
		Fields: cfg.AFASFields, Take: cfg.AFASTake, Timeout: cfg.AFASTimeout})
}

// startPeopleSync starts the scheduled AFAS sync when cfg has AFAS and a
// sync interval (Config.check refuses the interval without AFAS); the
// returned stop waits for a sync in progress, so it runs before the store
// closes.
func startPeopleSync(ctx context.Context, cfg *Config, st *store.Store, log *slog.Logger) (stop func(), err error) {
	client, err := afasClient(cfg)
	if err != nil {
		return nil, err
	}
	every := cfg.AFASSyncInterval
	if every == 0 {
		if client != nil {
			log.Info("AFAS Profit configured without a schedule; set BEHEER_AFAS_SYNC_INTERVAL or run 'beheer people sync-afas'")
		}
		return func() {}, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { peoplesync.Loop(ctx, st, client, every, log) })
	log.Info("people sync from AFAS Profit scheduled", "every", every.String())
	return func() { cancel(); wg.Wait() }, nil
}
