package store

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"beheer"
)

// TestListPlans reads SQLite's plan for list pages over a skewed data set
// (a few people filed and handle nearly everything, as in the demo and in
// a service desk's first years) after ANALYZE, the statistics production
// runs on. It guards two mistakes that cost seconds at 1,000,000 requests
// and nothing at test size, so no timing would show them:
//   - a page for someone who reads everything must walk an index in the
//     page's order, never sort all requests (an inner join on users made the
//     planner start from the users table) nor all of an area's or an
//     assignee's (there was no index in their order);
//   - a page for someone who sees only their own requests must reach them
//     through the person's indexes, never by walking all (open) requests.
func TestListPlans(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	var areas []*beheer.Area
	for _, code := range []string{"fin", "hr", "crm", "inkoop", "salaris", "site", "koppelingen"} {
		a, err := s.CreateArea(ctx, System, beheer.Area{Code: code, Name: code})
		if err != nil {
			t.Fatal(err)
		}
		areas = append(areas, a)
	}
	mk := func(email string, roles ...beheer.Assignment) *beheer.User {
		u, err := s.CreateUser(ctx, System, beheer.NewUser{Email: email, Name: email, Roles: roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin := mk("fleur@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleFunctionalAdmin})
	var busy []*beheer.User
	for i := range 3 {
		busy = append(busy, mk(fmt.Sprintf("druk%d@voorbeeld.nl", i)))
	}
	quiet := mk("nieuw@voorbeeld.nl")

	const n = 6000
	phases := []beheer.Phase{beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseClosed}
	start := time.Now().Add(-n * time.Minute)
	i := 0
	if _, err := s.BulkLoad(ctx, func() (*BulkRequest, bool) {
		if i == n {
			return nil, false
		}
		i++
		at := start.Add(time.Duration(i) * time.Minute)
		r := beheer.Request{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: areas[i%len(areas)].ID, Priority: beheer.PriorityNormal,
			RequesterID: busy[i%len(busy)].ID, Phase: phases[i%len(phases)], Status: beheer.StatusAwaitingTriage,
			Version: 1, CreatedAt: at, UpdatedAt: at}
		if i%3 != 0 {
			r.AssigneeID = admin.ID
		}
		if r.Phase == beheer.PhaseClosed {
			r.Status, r.ClosedAt = beheer.StatusDone, at
		}
		return &BulkRequest{Request: r}, true
	}, nil); err != nil {
		t.Fatal(err)
	}

	// Two sets of statistics production plans with at 1,000,000 requests:
	// the exact ones of a full ANALYZE (demo and bulk loads run one), scaled
	// up from this data set, and those of the sampled ANALYZE after
	// migrations (analysis_limit 2000, see migrate.go), where every index
	// prefix that is not unique counts about 2,001 rows per value.
	statistics := map[string]func(ctx context.Context) error{
		"full": func(ctx context.Context) error {
			if _, err := s.db.ExecContext(ctx, `PRAGMA analysis_limit = 0; ANALYZE`); err != nil {
				return err
			}
			return scaleStats(ctx, s, "requests", func(v int) int { return v * (1_000_000 / n) })
		},
		"sampled": func(ctx context.Context) error {
			if _, err := s.db.ExecContext(ctx, `PRAGMA analysis_limit = 2000; ANALYZE`); err != nil {
				return err
			}
			return scaleStats(ctx, s, "requests", func(v int) int {
				if v >= n {
					return 1_000_000
				}
				return 2001
			})
		},
	}

	plan := func(a *beheer.Actor, f Filter) []string {
		t.Helper()
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
		return listPlan(t, s, s.listQuery(a, f))
	}
	filters := map[string]Filter{
		"newest": {}, "oldest": {Sort: "oldest"}, "updated": {Sort: "updated"}, "priority": {Sort: "priority"},
		"open": {OpenOnly: true}, "phase": {Phases: []beheer.Phase{beheer.PhaseInvestigation}},
		"open, updated": {OpenOnly: true, Sort: "updated"},
		"area":          {AreaIDs: []int64{areas[2].ID}}, "assigned to the admin": {AssigneeID: admin.ID},
		"assigned to the admin, priority": {AssigneeID: admin.ID, Sort: "priority"},
	}
	for stats, load := range statistics {
		if err := load(ctx); err != nil {
			t.Fatal(err)
		}
		for name, f := range filters {
			name = stats + " statistics, " + name
			checkPlans(t, name, plan(admin.Actor(), f), plan(quiet.Actor(), f), plan(busy[0].Actor(), f))
		}
	}
}

// checkPlans: a page of everything walks an index; a page of one person's
// own requests reaches them through that person's indexes only.
func checkPlans(t *testing.T, name string, everything []string, own ...[]string) {
	t.Helper()
	if strings.Contains(strings.Join(everything, "\n"), "USE TEMP B-TREE FOR ORDER BY") {
		t.Errorf("everything, %s: sorts instead of walking an index:\n%s", name, strings.Join(everything, "\n"))
	}
	for _, p := range own {
		for _, line := range p {
			m := indexUse.FindStringSubmatch(line)
			if m == nil || strings.Contains(line, "INTEGER PRIMARY KEY") || pointLookup.MatchString(line) {
				continue
			}
			if !strings.Contains(m[2], "requester") && !strings.Contains(m[2], "assignee") {
				t.Errorf("own requests, %s: %q walks requests beyond the person's:\n%s", name, line, strings.Join(p, "\n"))
			}
		}
	}
}

// pointLookup is an index search with the request's id among its equalities:
// one row, not a walk.
var pointLookup = regexp.MustCompile(`[( ]id=\?`)

var indexUse = regexp.MustCompile(`^(SCAN|SEARCH) r\b(?: USING (?:COVERING )?INDEX (\w+))?`)

// scaleStats rewrites the row counts in a table's sqlite_stat1 rows with
// scale (unique prefixes, 1 row per value, stay) and makes the planner read
// them again.
func scaleStats(ctx context.Context, s *Store, table string, scale func(int) int) error {
	type stat struct{ idx, stat string }
	var stats []stat
	rs, err := s.db.QueryContext(ctx, `SELECT idx, stat FROM sqlite_stat1 WHERE tbl = $1 AND idx IS NOT NULL`, table)
	if err != nil {
		return err
	}
	for rs.Next() {
		var st stat
		if err := rs.Scan(&st.idx, &st.stat); err != nil {
			rs.Close()
			return err
		}
		stats = append(stats, st)
	}
	rs.Close()
	for _, st := range stats {
		f := strings.Fields(st.stat)
		for i, v := range f {
			if k, err := strconv.Atoi(v); err == nil && (i == 0 || k > 1) { // "1": unique
				f[i] = strconv.Itoa(scale(k))
			}
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE sqlite_stat1 SET stat = $1 WHERE tbl = $2 AND idx = $3`,
			strings.Join(f, " "), table, st.idx); err != nil {
			return err
		}
	}
	_, err = s.db.ExecContext(ctx, `ANALYZE sqlite_schema`)
	return err
}

// listPlan is SQLite's plan for list page l, one line per step.
func listPlan(t *testing.T, s *Store, l listQuery) []string {
	t.Helper()
	rows, err := s.rdb.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+l.sql, l.q.args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	return out
}
