package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"beheer"
)

// reportWhere adds the area and type conditions on requests r.
func (q *query) reportWhere(all bool, areas []int64, types []beheer.Type) {
	if !all {
		ph := make([]string, len(areas))
		for i, a := range areas {
			ph[i] = q.arg(a)
		}
		q.where = append(q.where, "r.area_id IN ("+strings.Join(ph, ", ")+")")
	}
	q.in("r.type", strs(types))
}

func (q *query) and(cond string) { q.where = append(q.where, cond) }

func (q *query) clause() string {
	if len(q.where) == 0 {
		return "TRUE"
	}
	return strings.Join(q.where, " AND ")
}

// bucket is the engine-neutral month bucketing: a CASE over the month
// boundaries computed in Go, numbering the months from 0.
func (q *query) bucket(col string, bounds []time.Time) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := 1; i < len(bounds); i++ {
		b.WriteString(" WHEN " + col + " < " + q.arg(ms(bounds[i])) + " THEN " + itoa(int64(i-1)))
	}
	b.WriteString(" END")
	return b.String()
}

// spreadSQL wraps a query of (grp, dur) rows into count, median and 90th
// percentile per group, by the nearest-rank method with window functions.
func spreadSQL(durations string) string {
	return `WITH d AS (` + durations + `),
	ranked AS (SELECT grp, dur, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY dur) AS rn,
		COUNT(*) OVER (PARTITION BY grp) AS n FROM d)
	SELECT grp, MAX(n), MAX(CASE WHEN rn = (n + 1) / 2 THEN dur END), MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN dur END)
	FROM ranked GROUP BY grp`
}

func hours(msecs sql.NullInt64) float64 {
	if !msecs.Valid {
		return 0
	}
	return float64(msecs.Int64) / float64(time.Hour/time.Millisecond)
}

// Report computes the dashboards' figures for the actor's areas, each in
// one aggregate query.
func (s *Store) Report(ctx context.Context, actor *beheer.Actor, f beheer.ReportFilter) (*beheer.Report, error) {
	all, areas, err := beheer.ReportScope(actor, f.AreaIDs)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(amsterdam); err != nil {
		return nil, err
	}
	bounds := beheer.MonthBounds(f.From, f.To, amsterdam)
	key := fmt.Sprintf("%v|%v|%d|%d|%v", all, areas, bounds[0].Unix(), bounds[len(bounds)-1].Unix(), f.Types)
	return s.reports.get(ctx, key, func(ctx context.Context) (*beheer.Report, error) {
		return s.report(ctx, all, areas, f.Types, bounds)
	})
}

// report computes the figures of one scope and period.
func (s *Store) report(ctx context.Context, all bool, areas []int64, types []beheer.Type, bounds []time.Time) (*beheer.Report, error) {
	from, to := ms(bounds[0]), ms(bounds[len(bounds)-1])
	rep := beheer.NewReport(bounds, areas, s.now().UTC())
	scope := func() *query {
		q := &query{}
		q.reportWhere(all, areas, types)
		return q
	}
	err := s.read(ctx, func(db querier) error {
		// Open work per phase and area.
		q := scope()
		q.and("r.open = " + q.arg(true))
		rows, err := db.QueryContext(ctx, `SELECT r.phase, COALESCE(r.area_id, 0), COALESCE(a.code, ''), COUNT(*)
			FROM requests r LEFT JOIN areas a ON a.id = r.area_id WHERE `+q.clause()+`
			GROUP BY r.phase, r.area_id, a.code`, q.args...)
		if err != nil {
			return err
		}
		if err := scanAll(rows, func() error {
			var c beheer.OpenCount
			if err := rows.Scan(&c.Phase, &c.AreaID, &c.Area, &c.Count); err != nil {
				return err
			}
			rep.Open = append(rep.Open, c)
			return nil
		}); err != nil {
			return err
		}
		rep.SortOpen()

		// Throughput per month: filed and closed.
		for _, col := range []string{"created_at", "closed_at"} {
			q := scope()
			b := q.bucket("r."+col, bounds)
			q.and("r." + col + " >= " + q.arg(from))
			q.and("r." + col + " < " + q.arg(to))
			rows, err := db.QueryContext(ctx, `SELECT b, COUNT(*) FROM (SELECT `+b+` AS b FROM requests r WHERE `+q.clause()+`) x GROUP BY b`, q.args...)
			if err != nil {
				return err
			}
			if err := scanAll(rows, func() error {
				var i, n int
				if err := rows.Scan(&i, &n); err != nil {
					return err
				}
				if i >= 0 && i < len(rep.Throughput) {
					if col == "created_at" {
						rep.Throughput[i].Filed = n
					} else {
						rep.Throughput[i].Closed = n
					}
				}
				return nil
			}); err != nil {
				return err
			}
		}

		// Open at the end of each month: from those open now and what was
		// filed and closed after the period.
		after := map[string]int{}
		for _, col := range []string{"created_at", "closed_at"} {
			q := scope()
			q.and("r." + col + " >= " + q.arg(to))
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests r WHERE `+q.clause(), q.args...).Scan(&n); err != nil {
				return err
			}
			after[col] = n
		}
		openNow := 0
		for _, o := range rep.Open {
			openNow += o.Count
		}
		rep.SetOpenAtEnd(openNow, after["created_at"], after["closed_at"])

		// Lead time per phase (stays that ended in the period) and in total
		// (requests closed in the period).
		q = scope()
		pf, pt := q.arg(from), q.arg(to)
		stays := `SELECT s.id, s.request_id, s.at, s.phase, LAG(s.phase) OVER (PARTITION BY s.request_id ORDER BY s.id) AS prev
			FROM request_status_log s JOIN requests r ON r.id = s.request_id WHERE ` + q.clause() + `
			AND s.request_id IN (SELECT request_id FROM request_status_log WHERE at >= ` + pf + ` AND at < ` + pt + `)`
		starts := `SELECT request_id, at, phase, LEAD(at) OVER (PARTITION BY request_id ORDER BY id) AS until FROM (` + stays + `) l
			WHERE prev IS NULL OR prev <> phase`
		q2 := scope()
		q.args = append(q.args, q2.args...)
		// Renumber the second scope's placeholders after the first's.
		totalWhere := renumber(q2.clause(), len(q.args)-len(q2.args))
		durations := `SELECT phase AS grp, until - at AS dur FROM (` + starts + `) p
			WHERE until IS NOT NULL AND until >= ` + pf + ` AND until < ` + pt + ` AND phase IN ('intake', 'investigation', 'execution', 'optimisation')
			UNION ALL
			SELECT 'total' AS grp, r.closed_at - r.created_at AS dur FROM requests r
			WHERE ` + totalWhere + ` AND r.phase = 'closed' AND r.closed_at >= ` + pf + ` AND r.closed_at < ` + pt
		rows, err = db.QueryContext(ctx, spreadSQL(durations), q.args...)
		if err != nil {
			return err
		}
		spreads := map[string]beheer.Spread{}
		if err := scanSpreads(rows, spreads); err != nil {
			return err
		}
		rep.SetLeadTimes(spreads)

		// Service levels of the requests that ended in the period.
		q = scope()
		q.and("o.closed_at >= " + q.arg(from))
		q.and("o.closed_at < " + q.arg(to))
		rows, err = db.QueryContext(ctx, `SELECT r.priority, COUNT(*), SUM(CASE WHEN o.response_met THEN 1 ELSE 0 END),
			SUM(CASE WHEN o.resolution_met THEN 1 ELSE 0 END)
			FROM sla_outcomes o JOIN requests r ON r.id = o.request_id WHERE `+q.clause()+` GROUP BY r.priority`, q.args...)
		if err != nil {
			return err
		}
		perf := map[beheer.Priority]beheer.SLAPerf{}
		if err := scanAll(rows, func() error {
			var p beheer.SLAPerf
			if err := rows.Scan(&p.Priority, &p.Ended, &p.ResponseMet, &p.ResolutionMet); err != nil {
				return err
			}
			perf[p.Priority] = p
			return nil
		}); err != nil {
			return err
		}
		rep.SetSLA(perf)
		q = scope()
		q.and("r.open = " + q.arg(true))
		q.and("w.kind = " + q.arg(BreachResolution))
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sla_warnings w JOIN requests r ON r.id = w.request_id WHERE `+q.clause(),
			q.args...).Scan(&rep.Overdue); err != nil {
			return err
		}

		// Escalations per channel opened in the period.
		q = scope()
		q.and("e.opened_at >= " + q.arg(from))
		q.and("e.opened_at < " + q.arg(to))
		rows, err = db.QueryContext(ctx, `SELECT e.channel, COUNT(*), SUM(CASE WHEN e.closed_at IS NULL THEN 1 ELSE 0 END)
			FROM escalations e JOIN requests r ON r.id = e.request_id WHERE `+q.clause()+` GROUP BY e.channel`, q.args...)
		if err != nil {
			return err
		}
		channels := map[beheer.Channel]beheer.ChannelStats{}
		if err := scanAll(rows, func() error {
			var c beheer.ChannelStats
			if err := rows.Scan(&c.Channel, &c.Opened, &c.Open); err != nil {
				return err
			}
			channels[c.Channel] = c
			return nil
		}); err != nil {
			return err
		}
		rows, err = db.QueryContext(ctx, spreadSQL(`SELECT e.channel AS grp, e.closed_at - e.opened_at AS dur
			FROM escalations e JOIN requests r ON r.id = e.request_id WHERE `+q.clause()+` AND e.closed_at IS NOT NULL`), q.args...)
		if err != nil {
			return err
		}
		spreads = map[string]beheer.Spread{}
		if err := scanSpreads(rows, spreads); err != nil {
			return err
		}
		rep.SetChannels(channels, spreads)

		// Decisions taken in the period and the time they took.
		q = scope()
		q.and("d.decided_at >= " + q.arg(from))
		q.and("d.decided_at < " + q.arg(to))
		rows, err = db.QueryContext(ctx, `SELECT d.outcome, COUNT(*) FROM decisions d JOIN requests r ON r.id = d.request_id
			WHERE `+q.clause()+` GROUP BY d.outcome`, q.args...)
		if err != nil {
			return err
		}
		if err := scanAll(rows, func() error {
			var o beheer.DecisionOutcome
			var n int
			if err := rows.Scan(&o, &n); err != nil {
				return err
			}
			rep.Decisions.Add(o, n)
			return nil
		}); err != nil {
			return err
		}
		rows, err = db.QueryContext(ctx, spreadSQL(`SELECT 'all' AS grp, d.decided_at - COALESCE((SELECT MIN(s.at) FROM request_status_log s
			WHERE s.request_id = d.request_id AND s.status = 'awaiting_decision'), r.created_at) AS dur
			FROM decisions d JOIN requests r ON r.id = d.request_id WHERE `+q.clause()), q.args...)
		if err != nil {
			return err
		}
		spreads = map[string]beheer.Spread{}
		if err := scanSpreads(rows, spreads); err != nil {
			return err
		}
		rep.Decisions.Median, rep.Decisions.P90 = spreads["all"].Median, spreads["all"].P90

		// Ratings given in the period (Optimalisatie).
		q = scope()
		q.and("r.rating IS NOT NULL")
		q.and("r.id IN (SELECT a.request_id FROM audit a WHERE a.action = 'request.evaluated' AND a.at >= " +
			q.arg(from) + " AND a.at < " + q.arg(to) + ")")
		rows, err = db.QueryContext(ctx, `SELECT r.rating, COUNT(*) FROM requests r WHERE `+q.clause()+` GROUP BY r.rating`, q.args...)
		if err != nil {
			return err
		}
		if err := scanAll(rows, func() error {
			var rating, n int
			if err := rows.Scan(&rating, &n); err != nil {
				return err
			}
			rep.Ratings.Add(rating, n)
			return nil
		}); err != nil {
			return err
		}

		// Aging of open requests, now.
		q = scope()
		q.and("r.open = " + q.arg(true))
		now := s.now()
		var c strings.Builder
		c.WriteString("CASE")
		for i := len(beheer.AgeBuckets) - 1; i > 0; i-- {
			c.WriteString(" WHEN r.created_at <= " + q.arg(ms(now.AddDate(0, 0, -beheer.AgeBuckets[i].Days))) + " THEN " + itoa(int64(i)))
		}
		c.WriteString(" ELSE 0 END")
		rows, err = db.QueryContext(ctx, `SELECT b, COUNT(*) FROM (SELECT `+c.String()+` AS b FROM requests r WHERE `+q.clause()+`) x GROUP BY b`, q.args...)
		if err != nil {
			return err
		}
		if err := scanAll(rows, func() error {
			var i, n int
			if err := rows.Scan(&i, &n); err != nil {
				return err
			}
			if i >= 0 && i < len(rep.Aging) {
				rep.Aging[i].Count = n
			}
			return nil
		}); err != nil {
			return err
		}

		// Load per person: open requests per assignee.
		q = scope()
		q.and("r.open = " + q.arg(true))
		rows, err = db.QueryContext(ctx, `SELECT COALESCE(r.assignee_id, 0), COALESCE(u.name, ''), COUNT(*)
			FROM requests r LEFT JOIN users u ON u.id = r.assignee_id WHERE `+q.clause()+`
			GROUP BY r.assignee_id, u.name ORDER BY COUNT(*) DESC, COALESCE(u.name, '') LIMIT 50`, q.args...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var l beheer.LoadCount
			if err := rows.Scan(&l.AssigneeID, &l.Name, &l.Count); err != nil {
				return err
			}
			rep.Load = append(rep.Load, l)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// reportCache keeps the reports computed lately, per scope and filter.
type reportCache = shared[*beheer.Report]

// newReportCache keeps reports per scope and filter for ttl (0: a minute).
// A year's figures over a million requests take seconds to compute;
// figures up to a minute old (the report says when it was computed) are
// what a dashboard needs, and many people opening it at once then cost the
// database one computation.
func newReportCache(ttl time.Duration) *reportCache {
	if ttl == 0 {
		ttl = time.Minute
	}
	return newShared[*beheer.Report](ttl, 0)
}

// renumber shifts the $n placeholders of a clause by offset.
func renumber(clause string, offset int) string {
	if offset == 0 {
		return clause
	}
	var b strings.Builder
	for i := 0; i < len(clause); i++ {
		if clause[i] != '$' {
			b.WriteByte(clause[i])
			continue
		}
		j := i + 1
		n := 0
		for j < len(clause) && clause[j] >= '0' && clause[j] <= '9' {
			n = n*10 + int(clause[j]-'0')
			j++
		}
		b.WriteString("$" + itoa(int64(n+offset)))
		i = j - 1
	}
	return b.String()
}

// scanAll runs fn for every row and closes the rows.
func scanAll(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanColumn reads the one column of every row, the ids or names a query
// lists, and closes the rows.
func scanColumn[T any](rows *sql.Rows) ([]T, error) {
	var out []T
	err := scanAll(rows, func() error {
		var v T
		err := rows.Scan(&v)
		out = append(out, v)
		return err
	})
	return out, err
}

func scanSpreads(rows *sql.Rows, into map[string]beheer.Spread) error {
	return scanAll(rows, func() error {
		var sp beheer.Spread
		var med, p90 sql.NullInt64
		if err := rows.Scan(&sp.Group, &sp.Count, &med, &p90); err != nil {
			return err
		}
		sp.Median, sp.P90 = hours(med), hours(p90)
		into[sp.Group] = sp
		return nil
	})
}

// AtRisk lists open requests in the actor's report scope that had a
// service-level warning, with their current state, the least time left
// first: "what breaches soon".
func (s *Store) AtRisk(ctx context.Context, actor *beheer.Actor, f beheer.ReportFilter, limit int) ([]*beheer.Request, map[int64]beheer.SLAState, error) {
	all, areas, err := beheer.ReportScope(actor, f.AreaIDs)
	if err != nil {
		return nil, nil, err
	}
	q := &query{}
	q.reportWhere(all, areas, f.Types)
	q.and("r.open = " + q.arg(true))
	q.and("EXISTS (SELECT 1 FROM sla_warnings w WHERE w.request_id = r.id AND w.kind = " + q.arg(WarningResolution) + ")")
	reqs, err := s.requestRows(ctx, `SELECT `+requestColumns+requestFrom+` WHERE `+q.clause()+
		` ORDER BY r.priority_rank DESC, r.id LIMIT `+q.arg(200), q.args)
	if err != nil {
		return nil, nil, err
	}
	states, err := s.SLAStates(ctx, reqs)
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(reqs, func(a, b *beheer.Request) int {
		return beheer.CompareTimeLeft(states[a.ID].Resolution.Left(), states[b.ID].Resolution.Left())
	})
	if len(reqs) > limit {
		reqs = reqs[:limit]
	}
	return reqs, states, nil
}
