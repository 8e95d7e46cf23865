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

// ReportFilter selects the figures of the reports: a period of whole months
// (Amsterdam time) and optionally areas and types.
type ReportFilter struct {
	From    time.Time // first month (any moment in it)
	To      time.Time // last month (any moment in it), inclusive
	AreaIDs []int64
	Types   []beheer.Type
}

// MaxReportMonths bounds the period of a report.
const MaxReportMonths = 36

// Report holds every figure of the dashboards. Durations are in hours of
// calendar time. Percentiles use the nearest-rank method (the median of an
// even count is the lower middle value), identically on both engines.
type Report struct {
	From       time.Time      `json:"from"`
	To         time.Time      `json:"to"`          // exclusive: the start of the month after the period
	ComputedAt time.Time      `json:"computed_at"` // figures may be up to a minute old
	AreaIDs    []int64        `json:"-"`           // the areas the figures cover; nil is all
	Open       []OpenCount    `json:"open"`
	Throughput []MonthCount   `json:"throughput"`
	LeadTimes  []Spread       `json:"lead_times"`
	SLA        []SLAPerf      `json:"service_levels"`
	Overdue    int            `json:"overdue_open"`
	Channels   []ChannelStats `json:"escalations"`
	Decisions  DecisionStats  `json:"decisions"`
	Ratings    RatingStats    `json:"ratings"`
	Aging      []AgeCount     `json:"aging"`
	Load       []LoadCount    `json:"load"`
}

// OpenCount is the number of open requests in one phase and area.
type OpenCount struct {
	Phase  beheer.Phase `json:"phase"`
	AreaID int64        `json:"-"`
	Area   string       `json:"area,omitempty"` // the area's code; "" is not yet known
	Count  int          `json:"count"`
}

// MonthCount is the number of requests filed and closed in one month.
type MonthCount struct {
	Month  time.Time `json:"month"` // the first moment of the month, Amsterdam time
	Filed  int       `json:"filed"`
	Closed int       `json:"closed"`
}

// Spread is the count, median and 90th percentile of a set of durations.
type Spread struct {
	Group  string  `json:"group"` // a phase, "total", a channel
	Count  int     `json:"count"`
	Median float64 `json:"median_hours"`
	P90    float64 `json:"p90_hours"`
}

// SLAPerf is how many requests that ended in the period met their targets,
// per priority.
type SLAPerf struct {
	Priority      beheer.Priority `json:"priority"`
	Ended         int             `json:"ended"`
	ResponseMet   int             `json:"response_met"`
	ResolutionMet int             `json:"resolution_met"`
}

// ChannelStats are the escalations opened in the period to one channel,
// with the outside party's lead time of the closed ones.
type ChannelStats struct {
	Channel beheer.Channel `json:"channel"`
	Opened  int            `json:"opened"`
	Open    int            `json:"still_open"`
	Closed  int            `json:"closed"`
	Median  float64        `json:"median_hours"`
	P90     float64        `json:"p90_hours"`
}

// DecisionStats are the decisions taken in the period and how long they
// took from the moment a decision was asked (or the request was filed).
type DecisionStats struct {
	Approved int     `json:"approved"`
	Rejected int     `json:"rejected"`
	Median   float64 `json:"median_hours"`
	P90      float64 `json:"p90_hours"`
}

// RatingStats are the requesters' ratings given in the period.
type RatingStats struct {
	Counts  [5]int  `json:"counts"` // ratings 1 to 5
	Count   int     `json:"count"`
	Average float64 `json:"average"`
}

// AgeCount is the number of open requests of an age.
type AgeCount struct {
	Bucket string `json:"bucket"` // lt7d, 7to14d, 14to30d, 30to90d, gt90d
	Count  int    `json:"count"`
}

// AgeBuckets are the age classes of open requests, youngest first, with
// their lower bound in days.
var AgeBuckets = []struct {
	Name string
	Days int
}{{"lt7d", 0}, {"7to14d", 7}, {"14to30d", 14}, {"30to90d", 30}, {"gt90d", 90}}

// LoadCount is the number of open requests of one assignee (0: nobody).
type LoadCount struct {
	AssigneeID int64  `json:"assignee_id"`
	Name       string `json:"name"`
	Count      int    `json:"count"`
}

// MonthStart is the first moment of t's month in Amsterdam.
func MonthStart(t time.Time) time.Time {
	y, m, _ := t.In(amsterdam).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, amsterdam)
}

// monthBounds are the starts of the months from..to and the start of the
// month after: len(months)+1 boundaries.
func monthBounds(from, to time.Time) []time.Time {
	var out []time.Time
	for m := MonthStart(from); !m.After(MonthStart(to)); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return append(out, MonthStart(to).AddDate(0, 1, 0))
}

// ReportScope is where the actor may read figures, narrowed to the areas
// asked for: all is true for everything. A person without report rights,
// or asking for an area outside their own, is refused.
func ReportScope(actor *beheer.Actor, asked []int64) (all bool, areas []int64, err error) {
	if !actor.CanAnywhere(beheer.PermReportRead) {
		return false, nil, beheer.ErrForbidden("")
	}
	every, own := actor.Scope(beheer.PermReportRead)
	if every {
		if len(asked) == 0 {
			return true, nil, nil
		}
		return false, asked, nil
	}
	if len(own) == 0 {
		return false, nil, beheer.ErrForbidden("")
	}
	if len(asked) == 0 {
		return false, own, nil
	}
	for _, a := range asked {
		if !slices.Contains(own, a) {
			return false, nil, beheer.ErrForbidden("report.forbidden_area")
		}
	}
	return false, asked, nil
}

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
func (s *Store) Report(ctx context.Context, actor *beheer.Actor, f ReportFilter) (*Report, error) {
	all, areas, err := ReportScope(actor, f.AreaIDs)
	if err != nil {
		return nil, err
	}
	var v beheer.Validation
	if f.From.IsZero() || f.To.IsZero() {
		v.Add("from", "field.required")
	} else if MonthStart(f.To).Before(MonthStart(f.From)) {
		v.Add("to", "report.field.to_before_from")
	} else if len(monthBounds(f.From, f.To)) > MaxReportMonths+1 {
		v.Add("to", "report.field.too_long", "max", MaxReportMonths)
	}
	for _, t := range f.Types {
		if !t.Valid() {
			v.Add("type", "field.invalid")
			break
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	bounds := monthBounds(f.From, f.To)
	key := fmt.Sprintf("%v|%v|%d|%d|%v", all, areas, bounds[0].Unix(), bounds[len(bounds)-1].Unix(), f.Types)
	return s.reports.get(ctx, key, func(ctx context.Context) (*Report, error) {
		return s.report(ctx, all, areas, f.Types, bounds)
	})
}

// report computes the figures of one scope and period.
func (s *Store) report(ctx context.Context, all bool, areas []int64, types []beheer.Type, bounds []time.Time) (*Report, error) {
	f := ReportFilter{Types: types}
	from, to := ms(bounds[0]), ms(bounds[len(bounds)-1])
	rep := &Report{ComputedAt: s.now().UTC(), From: bounds[0], To: bounds[len(bounds)-1], AreaIDs: areas, Open: []OpenCount{}, Load: []LoadCount{}}
	scope := func() *query {
		q := &query{}
		q.reportWhere(all, areas, f.Types)
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
			var c OpenCount
			if err := rows.Scan(&c.Phase, &c.AreaID, &c.Area, &c.Count); err != nil {
				return err
			}
			rep.Open = append(rep.Open, c)
			return nil
		}); err != nil {
			return err
		}
		slices.SortFunc(rep.Open, func(a, b OpenCount) int {
			if d := slices.Index(beheer.Phases, a.Phase) - slices.Index(beheer.Phases, b.Phase); d != 0 {
				return d
			}
			return strings.Compare(a.Area, b.Area)
		})

		// Throughput per month: filed and closed.
		rep.Throughput = make([]MonthCount, len(bounds)-1)
		for i := range rep.Throughput {
			rep.Throughput[i].Month = bounds[i]
		}
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
		spreads := map[string]Spread{}
		if err := scanSpreads(rows, spreads); err != nil {
			return err
		}
		for _, g := range []string{"intake", "investigation", "execution", "optimisation", "total"} {
			sp := spreads[g]
			sp.Group = g
			rep.LeadTimes = append(rep.LeadTimes, sp)
		}

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
		perf := map[beheer.Priority]SLAPerf{}
		if err := scanAll(rows, func() error {
			var p SLAPerf
			if err := rows.Scan(&p.Priority, &p.Ended, &p.ResponseMet, &p.ResolutionMet); err != nil {
				return err
			}
			perf[p.Priority] = p
			return nil
		}); err != nil {
			return err
		}
		for i := len(beheer.Priorities) - 1; i >= 0; i-- {
			pr := beheer.Priorities[i]
			p := perf[pr]
			p.Priority = pr
			rep.SLA = append(rep.SLA, p)
		}
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
		channels := map[beheer.Channel]ChannelStats{}
		if err := scanAll(rows, func() error {
			var c ChannelStats
			if err := rows.Scan(&c.Channel, &c.Opened, &c.Open); err != nil {
				return err
			}
			c.Closed = c.Opened - c.Open
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
		spreads = map[string]Spread{}
		if err := scanSpreads(rows, spreads); err != nil {
			return err
		}
		for _, ch := range beheer.Channels {
			c := channels[ch]
			c.Channel = ch
			c.Median, c.P90 = spreads[string(ch)].Median, spreads[string(ch)].P90
			rep.Channels = append(rep.Channels, c)
		}

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
			switch o {
			case beheer.DecisionApproved:
				rep.Decisions.Approved = n
			case beheer.DecisionRejected:
				rep.Decisions.Rejected = n
			}
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
		spreads = map[string]Spread{}
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
		sum := 0
		if err := scanAll(rows, func() error {
			var rating, n int
			if err := rows.Scan(&rating, &n); err != nil {
				return err
			}
			if rating >= 1 && rating <= 5 {
				rep.Ratings.Counts[rating-1] = n
				rep.Ratings.Count += n
				sum += rating * n
			}
			return nil
		}); err != nil {
			return err
		}
		if rep.Ratings.Count > 0 {
			rep.Ratings.Average = float64(sum) / float64(rep.Ratings.Count)
		}

		// Aging of open requests, now.
		q = scope()
		q.and("r.open = " + q.arg(true))
		now := s.now()
		var c strings.Builder
		c.WriteString("CASE")
		for i := len(AgeBuckets) - 1; i > 0; i-- {
			c.WriteString(" WHEN r.created_at <= " + q.arg(ms(now.AddDate(0, 0, -AgeBuckets[i].Days))) + " THEN " + itoa(int64(i)))
		}
		c.WriteString(" ELSE 0 END")
		rows, err = db.QueryContext(ctx, `SELECT b, COUNT(*) FROM (SELECT `+c.String()+` AS b FROM requests r WHERE `+q.clause()+`) x GROUP BY b`, q.args...)
		if err != nil {
			return err
		}
		rep.Aging = make([]AgeCount, len(AgeBuckets))
		for i, b := range AgeBuckets {
			rep.Aging[i].Bucket = b.Name
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
			var l LoadCount
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

// newReportCache keeps reports per scope and filter for ttl (0: a minute).
// A year's figures over a million requests take seconds to compute;
// figures up to a minute old (the report says when it was computed) are
// what a dashboard needs, and many people opening it at once then cost the
// database one computation.
func newReportCache(ttl time.Duration) *shared[*Report] {
	if ttl == 0 {
		ttl = time.Minute
	}
	return newShared[*Report](ttl, 0)
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

func scanSpreads(rows *sql.Rows, into map[string]Spread) error {
	return scanAll(rows, func() error {
		var sp Spread
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
func (s *Store) AtRisk(ctx context.Context, actor *beheer.Actor, f ReportFilter, limit int) ([]*beheer.Request, map[int64]beheer.SLAState, error) {
	all, areas, err := ReportScope(actor, f.AreaIDs)
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
	// About to breach first, least time left first; then the overdue ones,
	// the most recently overdue first.
	slices.SortStableFunc(reqs, func(a, b *beheer.Request) int {
		la, lb := states[a.ID].Resolution.Left(), states[b.ID].Resolution.Left()
		if (la < 0) != (lb < 0) {
			if la < 0 {
				return 1
			}
			return -1
		}
		if la < 0 {
			la, lb = -la, -lb
		}
		switch {
		case la < lb:
			return -1
		case la > lb:
			return 1
		}
		return 0
	})
	if len(reqs) > limit {
		reqs = reqs[:limit]
	}
	return reqs, states, nil
}
