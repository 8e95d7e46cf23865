package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// report is the whole run, as written to JSON.
type report struct {
	Machine     machine   `json:"machine"`
	Target      string    `json:"target"`
	StartedAt   time.Time `json:"started_at"`
	Clients     int       `json:"clients"`
	DurationS   float64   `json:"duration_s"`
	MaxRequests int       `json:"max_requests"`
	Ceilings    ceilings  `json:"ceilings"`
	Ops         []*result `json:"ops"`
	// RSSMB and RSSPeakMB are the server's resident and peak resident
	// memory after the run (VmRSS, VmHWM), with --rss-pid.
	RSSMB     *float64 `json:"rss_mb,omitempty"`
	RSSPeakMB *float64 `json:"rss_peak_mb,omitempty"`
	// ReadyMS is how long after this tool started /readyz first answered
	// 200, with --wait-ready.
	ReadyMS     *float64 `json:"ready_ms,omitempty"`
	Goals       []goal   `json:"goals"`
	Interrupted bool     `json:"interrupted,omitempty"`
}

// machine says where the figures come from; the load average tells how
// busy the machine was with other work.
type machine struct {
	Cores        int    `json:"cores"`
	Go           string `json:"go"`
	OS           string `json:"os"`
	Arch         string `json:"arch"`
	LoadAvgStart string `json:"load_avg_start,omitempty"`
	LoadAvgEnd   string `json:"load_avg_end,omitempty"`
}

// ceilings are what this machine could do at most.
type ceilings struct {
	HTTP   *result `json:"http"`
	Insert *result `json:"insert,omitempty"`
}

// goal is one target of the issue, checked against this run.
type goal struct {
	Op     string  `json:"op"`
	Metric string  `json:"metric"`
	Goal   string  `json:"goal"`
	Value  float64 `json:"value"`
	Met    bool    `json:"met"`
}

func newReport(cfg *config, started time.Time) *report {
	return &report{
		Machine: machine{Cores: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
			LoadAvgStart: loadAvg()},
		Target: cfg.url, StartedAt: started.UTC().Truncate(time.Second), Clients: cfg.clients,
		DurationS: cfg.duration.Seconds(), MaxRequests: cfg.requests,
	}
}

// writes are the operations that are one durable commit each, compared with
// the insert ceiling too.
var writes = map[string]bool{"create": true, "comment": true, "transition": true}

// add records an operation's result with its share of the ceilings.
func (rep *report) add(r *result) {
	for _, x := range append([]*result{r}, r.Breakdown...) {
		if x.Unavailable != "" {
			continue
		}
		x.PctHTTP = pct(x.PerSecond, rep.Ceilings.HTTP)
		if writes[x.Op] {
			x.PctInsert = pct(x.PerSecond, rep.Ceilings.Insert)
		}
	}
	rep.Ops = append(rep.Ops, r)
}

func (rep *report) op(name string) *result {
	for _, r := range rep.Ops {
		if r.Op == name && r.Unavailable == "" {
			return r
		}
	}
	return nil
}

// finish adds what is known after the run: memory, load, goals.
func (rep *report) finish(cfg *config) {
	rep.Machine.LoadAvgEnd = loadAvg()
	if cfg.rssPID > 0 {
		if rss, hwm, err := residentMB(cfg.rssPID); err == nil {
			rep.RSSMB, rep.RSSPeakMB = &rss, &hwm
		}
	}
	rep.Goals = rep.goals()
}

// goals checks the targets (set for 1,000,000 requests on SQLite,
// 16 clients, 2 cores) against what this run measured.
func (rep *report) goals() []goal {
	var out []goal
	check := func(op, metric, cmp string, limit, value float64) {
		met := value >= limit
		if cmp == "≤" {
			met = value <= limit
		}
		out = append(out, goal{Op: op, Metric: metric, Goal: cmp + " " + strconv.FormatFloat(limit, 'f', -1, 64),
			Value: value, Met: met})
	}
	if r := rep.op("create"); r != nil {
		check("create", "req/s", "≥", 2000, r.PerSecond)
		check("create", "errors", "≤", 0, float64(r.Errors))
		check("create", "p99 ms", "≤", 50, r.P99MS)
		if r.PctInsert != nil {
			check("create", "% of insert ceiling", "≥", 50, *r.PctInsert)
		}
	}
	if r := rep.op("read"); r != nil {
		check("read", "req/s", "≥", 8000, r.PerSecond)
	}
	if r := rep.op("list"); r != nil {
		check("list", "req/s", "≥", 3000, r.PerSecond)
		check("list", "p95 ms", "≤", 10, r.P95MS)
	}
	if r := rep.op("search"); r != nil {
		check("search", "p95 ms", "≤", 30, r.P95MS)
	}
	if r := rep.op("queue_html"); r != nil {
		check("queue_html", "p95 ms", "≤", 30, r.P95MS)
	}
	if rep.RSSMB != nil {
		check("server", "RSS MB after the run", "≤", 150, *rep.RSSMB)
	}
	if rep.ReadyMS != nil {
		check("server", "ready ms", "≤", 1000, *rep.ReadyMS)
	}
	return out
}

// write prints the table (to stderr when the JSON goes to stdout) and the
// JSON when asked.
func (rep *report) write(cfg *config, stdout, stderr io.Writer, interrupted bool) error {
	rep.Interrupted = interrupted
	table := stdout
	if cfg.jsonPath == "-" {
		table = stderr
	}
	rep.table(table)
	if cfg.jsonPath != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		data = append(data, '\n')
		if cfg.jsonPath == "-" {
			_, err = stdout.Write(data)
		} else {
			err = os.WriteFile(cfg.jsonPath, data, 0o644)
		}
		if err != nil {
			return err
		}
	}
	if interrupted {
		return errors.New("interrupted: the figures cover only what ran")
	}
	return nil
}

const (
	rowFormat    = "%-16s %7s %9s %7s %10s %8s %8s %8s %8s %7s %8s\n"
	headlineRule = "================================================================================================="
)

// table prints the fixed-width report: the ceilings, the operations, the
// mix last and highlighted, then errors, notes, memory and goals.
func (rep *report) table(w io.Writer) {
	m := rep.Machine
	fmt.Fprintf(w, "\nbeheer-load → %s: %d clients, %gs or %d requests per operation\n", rep.Target, rep.Clients,
		rep.DurationS, rep.MaxRequests)
	fmt.Fprintf(w, "machine: %d cores, %s %s/%s, load average %s (start) / %s (end)\n\n", m.Cores, m.Go, m.OS, m.Arch,
		orDash(m.LoadAvgStart), orDash(m.LoadAvgEnd))
	fmt.Fprintf(w, rowFormat, "op", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
		"%http", "%insert")
	row(w, rep.Ceilings.HTTP, "")
	if rep.Ceilings.Insert != nil {
		row(w, rep.Ceilings.Insert, "")
	}
	var mix *result
	for _, r := range rep.Ops {
		if r.Op == "mix" {
			mix = r
			continue
		}
		row(w, r, "")
	}
	if mix != nil {
		fmt.Fprintln(w, headlineRule)
		row(w, mix, "mix (HEADLINE)")
		for _, b := range mix.Breakdown {
			row(w, b, "  · "+b.Op)
		}
		fmt.Fprintln(w, headlineRule)
	}
	rep.details(w)
}

func row(w io.Writer, r *result, name string) {
	if name == "" {
		name = r.Op
	}
	if r.Unavailable != "" {
		fmt.Fprintf(w, "%-16s unavailable: %s\n", name, r.Unavailable)
		return
	}
	fmt.Fprintf(w, rowFormat, name, strconv.Itoa(r.Clients), strconv.Itoa(r.Requests), strconv.Itoa(r.Errors),
		fmt.Sprintf("%.0f", r.PerSecond), f2(r.P50MS), f2(r.P95MS), f2(r.P99MS), f2(r.MaxMS), pctText(r.PctHTTP),
		pctText(r.PctInsert))
}

// details prints what does not fit the table.
func (rep *report) details(w io.Writer) {
	all := []*result{rep.Ceilings.HTTP, rep.Ceilings.Insert}
	all = append(all, rep.Ops...)
	for _, r := range all {
		if r == nil {
			continue
		}
		if r.Note != "" {
			fmt.Fprintf(w, "note %s: %s\n", r.Op, r.Note)
		}
		if r.Conflicts > 0 {
			fmt.Fprintf(w, "note %s: %d expected conflicts (not errors)\n", r.Op, r.Conflicts)
		}
		for _, s := range r.Samples {
			fmt.Fprintf(w, "error %s: %s\n", r.Op, s)
		}
	}
	if rep.RSSMB != nil {
		fmt.Fprintf(w, "server memory after the run: RSS %.1f MB (peak %.1f MB)\n", *rep.RSSMB, *rep.RSSPeakMB)
	}
	if rep.ReadyMS != nil {
		fmt.Fprintf(w, "server ready: /readyz answered 200 %.0f ms after this tool started\n", *rep.ReadyMS)
	}
	if len(rep.Goals) > 0 {
		fmt.Fprintln(w, "\ngoals (set for 1,000,000 requests on SQLite, 16 clients, 2 cores):")
		for _, g := range rep.Goals {
			verdict := "met"
			if !g.Met {
				verdict = "MISSED"
			}
			fmt.Fprintf(w, "  %-11s %-22s %-8s %10.2f  %s\n", g.Op, g.Metric, g.Goal, g.Value, verdict)
		}
	}
}

func f2(v float64) string { return fmt.Sprintf("%.2f", v) }

func pctText(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// loadAvg is the machine's 1, 5 and 15 minute load average, "" where
// /proc/loadavg does not exist.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// residentMB reads a process's resident and peak resident memory in MB
// from /proc/PID/status.
func residentMB(pid int) (rss, peak float64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", name, err)
		}
		if name == "VmRSS" {
			rss = kb / 1024
		} else {
			peak = kb / 1024
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
	}
	return rss, peak, sc.Err()
}
