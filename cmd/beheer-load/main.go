// Command beheer-load measures a running Beheer under load: N concurrent
// clients drive one operation at a time — create a request, read one, list a
// queue page, search, comment, move a phase, the HTML queue page, a report
// figure and a realistic mix — each bounded in time and requests, and it
// reports per operation the throughput, p50/p95/p99 latency and errors, as a
// table and as JSON.
//
// In the same run it measures what this machine could do at most: a minimal
// Go HTTP handler on loopback driven by the same client, and raw durable
// single-row inserts into the same database engine. Every figure is also
// given as a percentage of those ceilings, so results compare across
// machines.
//
// It loads loopback addresses only, unless told otherwise with
// --allow-remote: a load test is not something to point at a colleague's
// server by accident.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "beheer-load:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	url            string
	allowRemote    bool
	token          string
	requesterToken string
	email          string
	password       string
	clients        int
	duration       time.Duration
	requests       int
	ops            []string
	jsonPath       string
	db             string
	rssPID         int
	waitReady      time.Duration
	form           bool
}

const usageText = `Usage: beheer-load --token bhr_… [flags]

Drives a running Beheer with concurrent clients, one operation at a time,
and reports per operation the requests per second, p50/p95/p99/max latency
and errors — also as a percentage of this machine's ceilings, measured in the
same run: a minimal Go HTTP handler on loopback (same client, same
concurrency) and, with --db, raw durable single-row inserts into the same
database engine.

Operations (--ops, in this order; mix last, the headline number):
  create      POST /api/v1/requests (as --requester-token)
  read        GET /api/v1/requests/{id}
  list        GET /api/v1/requests?phase=investigation&area=…&sort=updated&limit=25
  search      GET /api/v1/requests?q=<Dutch word>&limit=25
  comment     POST /api/v1/requests/{id}/comments (as --requester-token)
  transition  POST /api/v1/requests/{id}/transitions intake → investigation,
              on requests created in this run (as --token, a functional admin)
  queue_html  GET /queue?phase=investigation, the portal page (needs --email/--password)
  report      GET /api/v1/reports/dashboard
  mix         60% read, 15% list, 10% search, 8% queue_html (or list),
              5% comment, 2% create
An operation the server does not have (404) is reported as unavailable.

It writes: requests, comments and phase changes end up in the server's
database. Use a demo or test instance, never production.

Writes are limited per token by the server (BEHEER_API_WRITE_RATE, default
100/s): start the server with BEHEER_API_WRITE_RATE=0 to measure writes.

Flags:
`

// parseFlags reads the command line and checks it.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("beheer-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8080", "Beheer's address; loopback only unless --allow-remote")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow a --url that is not a loopback address")
	fs.StringVar(&cfg.token, "token", "", "API token of a functional admin (beheer token create --email E); required")
	fs.StringVar(&cfg.requesterToken, "requester-token", "", "API token of a plain user for creates and comments (default: --token)")
	fs.StringVar(&cfg.email, "email", "", "portal login of the functional admin, for queue_html")
	fs.StringVar(&cfg.password, "password", "", "portal password for --email")
	fs.IntVar(&cfg.clients, "clients", 16, "concurrent clients")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "time per operation (and per ceiling)")
	fs.IntVar(&cfg.requests, "requests", 1_000_000, "at most this many requests per operation")
	ops := fs.String("ops", strings.Join(opNames, ","), "operations to run, comma-separated")
	fs.StringVar(&cfg.jsonPath, "json", "", "also write the results as JSON to this file; - for stdout (the table then goes to stderr)")
	fs.StringVar(&cfg.db, "db", "", "Beheer's SQLite file or postgres:// URL, for the insert ceiling (SQLite: a separate temporary file next to it)")
	fs.IntVar(&cfg.rssPID, "rss-pid", 0, "process id of the server, to report its resident memory after the run")
	fs.BoolVar(&cfg.form, "form", false, "file every created request through a form of ten fields: saves one for each request type creates use that has none (changes the target's set-up)")
	fs.DurationVar(&cfg.waitReady, "wait-ready", 0, "first wait up to this long for /readyz and report how long it took since this tool started")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, op := range strings.Split(*ops, ",") {
		if op = strings.TrimSpace(op); op == "" {
			continue
		} else if !slices.Contains(opNames, op) {
			return nil, fmt.Errorf("--ops: unknown operation %q (known: %s)", op, strings.Join(opNames, ", "))
		} else if !slices.Contains(cfg.ops, op) {
			cfg.ops = append(cfg.ops, op)
		}
	}
	cfg.ops = sortedKinds(cfg.ops)
	switch {
	case cfg.token == "":
		return nil, errors.New("--token is required (beheer token create --email E)")
	case cfg.clients < 1 || cfg.requests < 1 || cfg.duration <= 0:
		return nil, errors.New("--clients, --requests and --duration must be positive")
	case (cfg.email == "") != (cfg.password == ""):
		return nil, errors.New("--email and --password go together")
	}
	return cfg, checkURL(cfg.url, cfg.allowRemote)
}

// checkURL refuses anything but a loopback http(s) address unless remote
// load is allowed.
func checkURL(raw string, allowRemote bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url %q is not an http(s) address", raw)
	}
	if allowRemote || isLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("--url %s is not a loopback address; pass --allow-remote to load another machine", raw)
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	addrs, err := net.LookupHost(host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			return false
		}
	}
	return true
}

// run is the command without the process: the ceilings first, then each
// operation in turn, then the report. On SIGINT (ctx ends) it reports what
// ran so far and returns an error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	started := time.Now()
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	client := newClient(cfg.clients)
	defer client.CloseIdleConnections()
	rep := newReport(cfg, started)
	if cfg.waitReady > 0 {
		if err := waitReady(ctx, client, cfg.url, started, cfg.waitReady, rep); err != nil {
			return err
		}
	}
	t, err := prepare(ctx, cfg, client)
	if err != nil {
		return fmt.Errorf("preparing: %w", err)
	}
	fmt.Fprintf(stderr, "prepared: %d requests to read, %d to comment on, areas %s\n",
		t.read.len(), t.comment.len(), strings.Join(t.areas, ","))
	if err := measureAll(ctx, cfg, t, rep, stderr); err != nil {
		return err
	}
	rep.finish(cfg)
	return rep.write(cfg, stdout, stderr, ctx.Err() != nil)
}

// measureAll runs the ceilings and the operations, telling stderr how far
// it is.
func measureAll(ctx context.Context, cfg *config, t *target, rep *report, stderr io.Writer) error {
	l := load{clients: cfg.clients, duration: cfg.duration, requests: cfg.requests}
	fmt.Fprintln(stderr, "measuring: http ceiling")
	var err error
	if rep.Ceilings.HTTP, err = httpCeiling(ctx, t.client, l); err != nil {
		return err
	}
	if cfg.db != "" && ctx.Err() == nil {
		fmt.Fprintln(stderr, "measuring: insert ceiling")
		if rep.Ceilings.Insert, err = insertCeiling(ctx, cfg.db, l); err != nil {
			return err
		}
	}
	for _, name := range cfg.ops {
		if ctx.Err() != nil {
			break
		}
		if why := t.ready(name); why != "" {
			rep.add(&result{Op: name, Clients: cfg.clients, Unavailable: why})
			continue
		}
		fmt.Fprintln(stderr, "measuring:", name)
		t.preCreated.Store(0)
		r := drive(ctx, name, l, t.step(name))
		if n := t.preCreated.Load(); n > 0 {
			r.Note = fmt.Sprintf("%d moves first created their request (outside the measured latency, inside the elapsed time)", n)
		}
		rep.add(r)
	}
	return nil
}

// waitReady polls /readyz until it answers 200 and records how long that
// took since the tool started.
func waitReady(ctx context.Context, client *http.Client, base string, started time.Time, limit time.Duration, rep *report) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	u := strings.TrimSuffix(base, "/") + "/readyz"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if resp, err := client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				v := ms(time.Since(started))
				rep.ReadyMS = &v
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer 200 within %s", u, limit)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
