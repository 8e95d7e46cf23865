package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// benchOp is one operation the load test measures.
type benchOp struct {
	name string
	// do performs one call; client is the goroutine's number.
	do func(ctx context.Context, client int) error
}

// benchResult is the measurement of one operation.
type benchResult struct {
	Op        string  `json:"op"`
	Clients   int     `json:"clients"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	PerSecond float64 `json:"per_second"`
	P50ms     float64 `json:"p50_ms"`
	P95ms     float64 `json:"p95_ms"`
	P99ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	OfHTTP    float64 `json:"fraction_of_http_ceiling,omitempty"`
	OfInsert  float64 `json:"fraction_of_insert_ceiling,omitempty"`
	FirstErr  string  `json:"first_error,omitempty"`
}

// benchReport is the whole run, as printed and as JSON.
type benchReport struct {
	Machine  map[string]any `json:"machine"`
	Target   string         `json:"target"`
	Ceilings []benchResult  `json:"ceilings"`
	Ops      []benchResult  `json:"ops"`
	RSSMB    float64        `json:"rss_mb,omitempty"`
}

// bench is the load tool: it drives a running Beheer with concurrent
// clients and reports throughput and latency per operation, beside this
// machine's own ceilings measured in the same run.
type bench struct {
	base     string
	token    string
	reqToken string
	client   *http.Client
	portal   *http.Client // with a session, for the HTML queue
	clients  int
	duration time.Duration
	maxCount int
	ids      []int64
	fresh    chan int64 // requests filed during the run, for transitions
	words    []string
}

func cmdBench(ctx context.Context, e env, args []string) error {
	fs := newFlags("bench", e)
	target := fs.String("url", "http://127.0.0.1:8080", "the Beheer to drive (loopback only unless --allow-remote)")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback target")
	token := fs.String("token", "", "API token of a functional admin for all areas")
	reqToken := fs.String("requester-token", "", "API token of a plain user for creates and comments (default: --token)")
	email := fs.String("email", "", "e-mail of the functional admin, for the HTML queue page")
	password := fs.String("password", "", "their password")
	clients := fs.Int("clients", 16, "concurrent clients")
	duration := fs.Duration("duration", 5*time.Second, "time per operation")
	maxCount := fs.Int("requests", 1_000_000, "at most this many calls per operation")
	opsFlag := fs.String("ops", "create,read,list,search,comment,transition,queue_html,mix", "operations to run")
	db := fs.String("db", "", "the same engine for the insert ceiling: a SQLite file of Beheer (a temporary file beside it is used) or a postgres:// URL")
	rssPID := fs.Int("rss-pid", 0, "report the resident memory of this process after the run")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file (- for standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*target)
	if err != nil {
		return err
	}
	if !*allowRemote && !isLoopback(u.Hostname()) {
		return fmt.Errorf("refusing to load %s: only loopback targets without --allow-remote", u.Host)
	}
	if *token == "" {
		return errors.New("--token is required")
	}
	b := &bench{base: strings.TrimSuffix(*target, "/"), token: *token, reqToken: *reqToken, clients: *clients,
		duration: *duration, maxCount: *maxCount, fresh: make(chan int64, 100000),
		words: []string{"declaratie", "verlof", "loonstrook", "factuur", "connector", "autorisatie", "werving", "rooster", "budget", "inlog"}}
	if b.reqToken == "" {
		b.reqToken = b.token
	}
	b.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2, MaxIdleConns: *clients * 2}}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	if *email != "" {
		if b.portal, err = b.login(ctx, *email, *password); err != nil {
			return fmt.Errorf("portal login: %w", err)
		}
	}
	report := benchReport{Target: b.base, Machine: map[string]any{"cores": runtime.NumCPU(), "go": runtime.Version(), "os": runtime.GOOS}}
	httpCeiling, err := b.httpCeiling(ctx)
	if err != nil {
		return err
	}
	report.Ceilings = append(report.Ceilings, httpCeiling)
	var insertCeiling *benchResult
	if *db != "" {
		r, err := b.insertCeiling(ctx, *db)
		if err != nil {
			return fmt.Errorf("insert ceiling: %w", err)
		}
		insertCeiling = &r
		report.Ceilings = append(report.Ceilings, r)
	}
	for _, name := range strings.Split(*opsFlag, ",") {
		op, ok := b.op(strings.TrimSpace(name))
		if !ok {
			fmt.Fprintf(e.stderr, "skipping %s: not available\n", name)
			continue
		}
		r := b.run(ctx, op)
		r.OfHTTP = r.PerSecond / httpCeiling.PerSecond
		if op.name == "create" && insertCeiling != nil {
			r.OfInsert = r.PerSecond / insertCeiling.PerSecond
		}
		report.Ops = append(report.Ops, r)
		if ctx.Err() != nil {
			break
		}
	}
	if *rssPID > 0 {
		report.RSSMB = rssMB(*rssPID)
	}
	printReport(e.stdout, report)
	if *jsonOut != "" {
		data, _ := json.MarshalIndent(report, "", "  ")
		if *jsonOut == "-" {
			fmt.Fprintln(e.stdout, string(data))
		} else if err := os.WriteFile(*jsonOut, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// call makes one API call and fails on any status of 400 or more.
func (b *bench) call(ctx context.Context, method, path, token string, body any, want int) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, truncate(string(data), 200))
	}
	var out map[string]any
	json.Unmarshal(data, &out)
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// prepare collects existing request ids to read and comment on.
func (b *bench) prepare(ctx context.Context) error {
	cursor := ""
	for len(b.ids) < 2000 {
		path := "/api/v1/requests?limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		page, err := b.call(ctx, "GET", path, b.token, nil, 200)
		if err != nil {
			return err
		}
		items, _ := page["items"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if id, ok := m["id"].(float64); ok {
				b.ids = append(b.ids, int64(id))
			}
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(b.ids) == 0 {
		return errors.New("no requests to read: load the demo first (beheer demo --requests N)")
	}
	return nil
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login signs in through the portal's form, for the HTML queue page.
func (b *bench) login(ctx context.Context, email, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: b.client.Transport, Timeout: 30 * time.Second}
	res, err := c.Get(b.base + "/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(page)
	if m == nil {
		return nil, errors.New("no login form")
	}
	res, err = c.PostForm(b.base+"/login", url.Values{"email": {email}, "password": {password}, "csrf": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.Request.URL.Path == "/login" {
		return nil, errors.New("login refused")
	}
	return c, nil
}

// op builds an operation by name.
func (b *bench) op(name string) (benchOp, bool) {
	rnd := func(client int) *rand.Rand {
		return rand.New(rand.NewPCG(uint64(client), uint64(time.Now().UnixNano())))
	}
	pick := func(r *rand.Rand) int64 { return b.ids[r.IntN(len(b.ids))] }
	areas := []string{"hr", "salaris", "financieel", "crm", "sitebeheer", "autorisaties", "integraties"}
	phases := []string{"intake", "investigation", "execution", "optimisation"}
	ops := map[string]func(ctx context.Context, r *rand.Rand) error{
		"create": func(ctx context.Context, r *rand.Rand) error {
			out, err := b.call(ctx, "POST", "/api/v1/requests", b.reqToken, map[string]any{"type": "question",
				"title": "Vraag over " + b.words[r.IntN(len(b.words))], "description": "Belasting van het systeem.", "area": areas[r.IntN(len(areas))]}, 201)
			if err == nil {
				if id, ok := out["id"].(float64); ok {
					select {
					case b.fresh <- int64(id):
					default:
					}
				}
			}
			return err
		},
		"read": func(ctx context.Context, r *rand.Rand) error {
			_, err := b.call(ctx, "GET", fmt.Sprintf("/api/v1/requests/%d", pick(r)), b.token, nil, 200)
			return err
		},
		"list": func(ctx context.Context, r *rand.Rand) error {
			_, err := b.call(ctx, "GET", fmt.Sprintf("/api/v1/requests?phase=%s&area=%s&sort=updated&limit=25",
				phases[r.IntN(len(phases))], areas[r.IntN(len(areas))]), b.token, nil, 200)
			return err
		},
		"search": func(ctx context.Context, r *rand.Rand) error {
			_, err := b.call(ctx, "GET", "/api/v1/requests?limit=25&q="+b.words[r.IntN(len(b.words))], b.token, nil, 200)
			return err
		},
		"comment": func(ctx context.Context, r *rand.Rand) error {
			_, err := b.call(ctx, "POST", fmt.Sprintf("/api/v1/requests/%d/comments", pick(r)), b.token,
				map[string]any{"body": "Aanvulling tijdens de belastingtest.", "internal": true}, 201)
			return err
		},
		"transition": func(ctx context.Context, r *rand.Rand) error {
			var id int64
			select {
			case id = <-b.fresh:
			default:
				out, err := b.call(ctx, "POST", "/api/v1/requests", b.reqToken, map[string]any{"type": "question",
					"title": "Te verplaatsen vraag", "area": areas[r.IntN(len(areas))]}, 201)
				if err != nil {
					return err
				}
				id = int64(out["id"].(float64))
			}
			_, err := b.call(ctx, "POST", fmt.Sprintf("/api/v1/requests/%d/transitions", id), b.token, map[string]any{"to": "investigation"}, 200)
			return err
		},
	}
	if b.portal != nil {
		ops["queue_html"] = func(ctx context.Context, r *rand.Rand) error {
			req, _ := http.NewRequestWithContext(ctx, "GET", b.base+"/queue?phase="+phases[r.IntN(len(phases))]+"&sort=priority", nil)
			res, err := b.portal.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || res.Request.URL.Path != "/queue" {
				return fmt.Errorf("queue page: %d at %s", res.StatusCode, res.Request.URL.Path)
			}
			return nil
		}
	}
	if name == "mix" {
		// Mostly reads, as people use it: 60% read, 15% list, 10% search,
		// 8% the HTML queue (or a list), 5% comment, 2% create.
		return benchOp{name: "mix", do: b.mixer(ops, rnd)}, true
	}
	f, ok := ops[name]
	if !ok {
		return benchOp{}, false
	}
	gens := make([]*rand.Rand, b.clients)
	for i := range gens {
		gens[i] = rnd(i)
	}
	return benchOp{name: name, do: func(ctx context.Context, client int) error { return f(ctx, gens[client]) }}, true
}

func (b *bench) mixer(ops map[string]func(context.Context, *rand.Rand) error, rnd func(int) *rand.Rand) func(context.Context, int) error {
	queue := ops["queue_html"]
	if queue == nil {
		queue = ops["list"]
	}
	table := []struct {
		share int
		f     func(context.Context, *rand.Rand) error
	}{{60, ops["read"]}, {15, ops["list"]}, {10, ops["search"]}, {8, queue}, {5, ops["comment"]}, {2, ops["create"]}}
	gens := make([]*rand.Rand, b.clients)
	for i := range gens {
		gens[i] = rnd(100 + i)
	}
	return func(ctx context.Context, client int) error {
		r := gens[client]
		x := r.IntN(100)
		for _, t := range table {
			if x < t.share {
				return t.f(ctx, r)
			}
			x -= t.share
		}
		return table[0].f(ctx, r)
	}
}

// run drives one operation with all clients for the duration (or count).
func (b *bench) run(ctx context.Context, op benchOp) benchResult {
	ctx, cancel := context.WithTimeout(ctx, b.duration)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var errs int
	var first string
	var count int
	var wg sync.WaitGroup
	start := time.Now()
	for c := range b.clients {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 4096)
			var local int
			var firstLocal string
			for ctx.Err() == nil {
				mu.Lock()
				if count >= b.maxCount {
					mu.Unlock()
					break
				}
				count++
				mu.Unlock()
				t0 := time.Now()
				err := op.do(ctx, c)
				if ctx.Err() != nil {
					break // a call cut off by the end of the run is not counted
				}
				lat = append(lat, time.Since(t0))
				if err != nil {
					local++
					if firstLocal == "" {
						firstLocal = err.Error()
					}
				}
			}
			mu.Lock()
			all = append(all, lat...)
			errs += local
			if first == "" {
				first = firstLocal
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return summarise(op.name, b.clients, all, errs, first, time.Since(start))
}

// summarise turns latencies into the report's figures.
func summarise(name string, clients int, lat []time.Duration, errs int, first string, elapsed time.Duration) benchResult {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(float64(len(lat)-1) * p)
		return float64(lat[i].Microseconds()) / 1000
	}
	r := benchResult{Op: name, Clients: clients, Requests: len(lat), Errors: errs, FirstErr: first,
		P50ms: pct(.50), P95ms: pct(.95), P99ms: pct(.99), MaxMs: pct(1)}
	if elapsed > 0 {
		r.PerSecond = float64(len(lat)) / elapsed.Seconds()
	}
	return r
}

// httpCeiling measures a minimal Go handler on loopback with the same
// client and concurrency: what this machine can answer at most.
func (b *bench) httpCeiling(ctx context.Context) (benchResult, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return benchResult{}, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/"
	r := b.run(ctx, benchOp{name: "ceiling: minimal HTTP handler", do: func(ctx context.Context, _ int) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		res, err := b.client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		return res.Body.Close()
	}})
	return r, nil
}

// insertCeiling measures raw durable single-row inserts (~500 bytes, one
// per transaction) into the same engine, with the same concurrency.
func (b *bench) insertCeiling(ctx context.Context, target string) (benchResult, error) {
	var db *sql.DB
	var err error
	row := strings.Repeat("x", 500)
	insert := `INSERT INTO bench_ceiling (body) VALUES ($1)`
	if strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://") {
		if db, err = sql.Open("pgx", target); err != nil {
			return benchResult{}, err
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGSERIAL PRIMARY KEY, body TEXT)`); err != nil {
			return benchResult{}, err
		}
		defer db.ExecContext(context.Background(), `DROP TABLE bench_ceiling`)
	} else {
		file := filepath.Join(filepath.Dir(target), fmt.Sprintf("bench-ceiling-%d.db", os.Getpid()))
		defer os.Remove(file)
		defer os.Remove(file + "-wal")
		defer os.Remove(file + "-shm")
		dsn := "file:" + file + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
		if db, err = sql.Open("sqlite", dsn); err != nil {
			return benchResult{}, err
		}
		db.SetMaxOpenConns(1)
		if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_ceiling (id INTEGER PRIMARY KEY, body TEXT)`); err != nil {
			return benchResult{}, err
		}
	}
	defer db.Close()
	return b.run(ctx, benchOp{name: "ceiling: durable single-row insert", do: func(ctx context.Context, _ int) error {
		_, err := db.ExecContext(ctx, insert, row)
		return err
	}}), nil
}

// rssMB reads a process's resident memory from /proc.
func rssMB(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}

func printReport(w io.Writer, r benchReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tclients\tcalls\terrors\tper s\tp50 ms\tp95 ms\tp99 ms\tmax ms\tof HTTP ceiling\tof insert ceiling\t")
	line := func(x benchResult) {
		ofInsert := ""
		if x.OfInsert > 0 {
			ofInsert = fmt.Sprintf("%.0f%%", 100*x.OfInsert)
		}
		ofHTTP := ""
		if x.OfHTTP > 0 {
			ofHTTP = fmt.Sprintf("%.1f%%", 100*x.OfHTTP)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s\t\n", x.Op, x.Clients, x.Requests, x.Errors,
			x.PerSecond, x.P50ms, x.P95ms, x.P99ms, x.MaxMs, ofHTTP, ofInsert)
	}
	for _, c := range r.Ceilings {
		line(c)
	}
	for _, o := range r.Ops {
		line(o)
	}
	tw.Flush()
	for _, o := range r.Ops {
		if o.FirstErr != "" {
			fmt.Fprintf(w, "first error in %s: %s\n", o.Op, o.FirstErr)
		}
	}
	if r.RSSMB > 0 {
		fmt.Fprintf(w, "resident memory after the run: %.0f MB\n", r.RSSMB)
	}
}
