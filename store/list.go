package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"beheer"
)

// Filter selects and orders a list of requests. Empty fields select all.
type Filter struct {
	Phases      []beheer.Phase
	Statuses    []beheer.Status
	Types       []beheer.Type
	Priorities  []beheer.Priority
	AreaIDs     []int64
	AssigneeID  int64 // -1: unassigned
	RequesterID int64
	OpenOnly    bool
	Filed       Period // filed (created) in this period, when set
	Closed      Period // closed (Afgerond) in this period, when set
	// Due keeps open requests that are late or at risk, as the service-level
	// sweep last measured them (beheer.Due); "" keeps all.
	Due     beheer.DueStanding
	Query   string // full text (beheer.ParseSearch), or a request number
	Answers []AnswerFilter
	Sort    string // one of Sorts; "" is newest
	Limit   int    // 1..MaxLimit; 0 is DefaultLimit
	Cursor  string // from a previous Page

	// fewAnswers: fewer than answerDriveLimit requests hold the answers
	// the dialect's index of them has (planAnswers), so the page is read
	// from that index whatever its order.
	fewAnswers bool
}

// AnswerFilter selects requests whose answer to the form field named Field
// is Value (for a multiple choice: among its answers): answer.<field>=<value>
// in the queue's and the API's query string.
type AnswerFilter struct{ Field, Value string }

// Period is a span of time, From inclusive and To exclusive; the zero
// Period filters nothing.
type Period struct{ From, To time.Time }

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p.From.IsZero() && p.To.IsZero() }

// between adds the condition that column lies in p.
func (q *query) between(column string, p Period) {
	if !p.From.IsZero() {
		q.where = append(q.where, column+" >= "+q.arg(ms(p.From)))
	}
	if !p.To.IsZero() {
		q.where = append(q.where, column+" < "+q.arg(ms(p.To)))
	}
}

// Page is one page of a list with the cursor for the next.
type Page struct {
	Items      []*beheer.Request `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

// Page sizes.
const (
	DefaultLimit = 25
	MaxLimit     = 100
)

// sortSpec is an ordering with the columns its keyset cursor holds; the last
// column is always the unique id.
type sortSpec struct {
	cols []string
	desc []bool
}

// Sorts are the orderings a list offers.
var Sorts = map[string]sortSpec{
	"newest":   {[]string{"r.id"}, []bool{true}},
	"oldest":   {[]string{"r.id"}, []bool{false}},
	"updated":  {[]string{"r.updated_at", "r.id"}, []bool{true, true}},
	"priority": {[]string{"r.priority_rank", "r.id"}, []bool{true, false}},
	// due: the least time left first, as the service-level sweep keeps it
	// (beheer.Due): late, running, stopped, not measured, delivered.
	"due": {[]string{"r.sla_due", "r.id"}, []bool{false, false}},
}

// cursor is the keyset position after the last row of a page.
type cursor struct {
	Sort string  `json:"s"`
	Keys []int64 `json:"k"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string, n int) (cursor, bool) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Sort != sort || len(c.Keys) != n {
		return cursor{}, false
	}
	return c, true
}

// Validate checks the filter's fields and fills defaults.
func (f *Filter) Validate() error {
	var v beheer.Validation
	if f.Sort == "" {
		f.Sort = "newest"
	}
	if _, ok := Sorts[f.Sort]; !ok {
		v.Add("sort", "field.invalid_choice", "choices", "newest, oldest, updated, priority, due")
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit < 1 || f.Limit > MaxLimit {
		v.Add("limit", "field.range", "min", 1, "max", MaxLimit)
	}
	for _, p := range []struct {
		field  string
		period Period
	}{{"filed", f.Filed}, {"closed", f.Closed}} {
		if !p.period.From.IsZero() && !p.period.To.IsZero() && !p.period.From.Before(p.period.To) {
			v.Add(p.field, "field.invalid")
		}
	}
	if f.Due != "" && !beheer.ValidDueFilter(f.Due) {
		v.Add("due", "field.invalid_choice", "choices", beheer.DueFilters)
	}
	for _, a := range f.Answers {
		if !beheer.ValidFieldName(a.Field) {
			v.Add("answer."+a.Field, "form.bad_field_name")
		} else if strings.TrimSpace(a.Value) == "" {
			v.Add("answer."+a.Field, "field.required")
		} else if len(a.Value) > 200 {
			v.Add("answer."+a.Field, "field.too_long", "max", 200)
		}
	}
	if f.Cursor != "" && !v.Has("sort") {
		if _, ok := decodeCursor(f.Cursor, f.Sort, len(Sorts[f.Sort].cols)); !ok {
			v.Add("cursor", "field.invalid")
		}
	}
	return v.Err()
}

// query builds a WHERE clause with numbered arguments.
type query struct {
	where []string
	args  []any
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + itoa(int64(len(q.args)))
}

func (q *query) in(column string, values []string) {
	if len(values) == 0 {
		return
	}
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = q.arg(v)
	}
	q.where = append(q.where, column+" IN ("+strings.Join(ph, ", ")+")")
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// visibility restricts a list to what the actor may see, mirroring
// beheer.CanRead.
func (q *query) visibility(actor *beheer.Actor) {
	all, areas := actor.Scope(beheer.PermRequestRead)
	if all {
		return
	}
	me := q.arg(actor.UserID)
	// OFFSET 0 keeps PostgreSQL from reading all of the person's tasks into
	// a hash first, which for a technical admin holding 116,000 tasks took
	// every page 45-130 ms; it looks for a task as it meets each request.
	cond := []string{"r.requester_id = " + me, "r.assignee_id = " + me,
		"EXISTS (SELECT 1 FROM tasks t WHERE t.request_id = r.id AND t.assignee_id = " + me + " LIMIT 1 OFFSET 0)"}
	if len(areas) > 0 {
		ph := make([]string, len(areas))
		for i, a := range areas {
			ph[i] = q.arg(a)
		}
		cond = append(cond, "r.area_id IN ("+strings.Join(ph, ", ")+")")
	}
	q.where = append(q.where, "("+strings.Join(cond, " OR ")+")")
}

var numberPattern = regexp.MustCompile(`^\d{4}-\d{1,9}$`)

// Requests lists the requests the actor may see that match the filter, one
// page at a time with a keyset cursor.
func (s *Store) Requests(ctx context.Context, actor *beheer.Actor, f Filter) (*Page, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := s.normaliseAnswers(ctx, &f); err != nil {
		return nil, err
	}
	if err := s.planAnswers(ctx, &f); err != nil {
		return nil, err
	}
	l := s.listQuery(actor, f)
	if l.nothing {
		return &Page{Items: []*beheer.Request{}}, nil
	}
	if l.match != "" {
		return s.searchWalk(ctx, l.q, l.match, f, l.after)
	}
	items, err := s.requestRows(ctx, l.sql, l.q.args)
	if err == nil {
		err = s.dialect.namePage(ctx, s, items)
	}
	if err != nil {
		return nil, err
	}
	page := &Page{Items: items}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = encodeCursor(cursor{Sort: f.Sort, Keys: sortKeys(f.Sort, last)})
	}
	return page, nil
}

// listQuery is the statement behind one page of Requests, or for a
// full-text search that the dialect walks in id order the match to walk
// with the rest of the filter. f is validated and has its defaults.
type listQuery struct {
	sql     string
	q       query
	match   string // full-text query for searchWalk
	after   int64  // the id searchWalk continues after
	nothing bool   // the search has no words to look for: nothing matches
}

func (s *Store) listQuery(actor *beheer.Actor, f Filter) listQuery {
	var q query
	q.in("r.phase", strs(f.Phases))
	q.in("r.status", strs(f.Statuses))
	q.in("r.type", strs(f.Types))
	q.in("r.priority", strs(f.Priorities))
	if len(f.AreaIDs) > 0 {
		ph := make([]string, len(f.AreaIDs))
		for i, a := range f.AreaIDs {
			ph[i] = q.arg(a)
		}
		q.where = append(q.where, "r.area_id IN ("+strings.Join(ph, ", ")+")")
	}
	switch {
	case f.AssigneeID == -1:
		q.where = append(q.where, "r.assignee_id IS NULL")
	case f.AssigneeID > 0:
		q.where = append(q.where, "r.assignee_id = "+q.arg(f.AssigneeID))
	}
	if f.RequesterID > 0 {
		q.where = append(q.where, "r.requester_id = "+q.arg(f.RequesterID))
	}
	if f.OpenOnly && len(f.Phases) == 0 || f.Due != "" || f.Sort == "due" && allOpen(f.Phases) {
		q.where = append(q.where, "r.open = "+q.arg(true)) // with due: read from (open, sla_due)
	}
	q.due(f.Due, s.now())
	q.between("r.created_at", f.Filed)
	q.between("r.closed_at", f.Closed)
	if !f.Closed.IsZero() {
		q.where = append(q.where, "r.phase = "+q.arg(beheer.PhaseClosed))
	}
	var match string // a full-text query to walk in id order
	drive := len(f.Answers) > 0
	if text := strings.TrimSpace(f.Query); text != "" {
		if numberPattern.MatchString(text) {
			q.where = append(q.where, "r.number = "+q.arg(text))
		} else if terms := beheer.ParseSearch(text).Terms; len(terms) > 0 {
			arg, _ := matchQuery(s.dialect, terms, false, ftsPrefix)
			if keys := s.dialect.answerSearch(f.Answers); keys != "" {
				arg += keys
				drive = false // the answers are looked for with the words
			}
			s.dialect.termCondition(&q, terms, ftsPrefix)
			if s.dialect.walksSearch(f.Sort) {
				match = arg
			} else {
				q.where = append(q.where, s.dialect.searchCondition(q.arg(arg)))
			}
		} else {
			return listQuery{nothing: true}
		}
	}
	spec := Sorts[f.Sort]
	all, areas := actor.Scope(beheer.PermRequestRead)
	// The dialect's index of the answers gives the requests that may hold
	// them in id order: for a page in that order, or one of few requests
	// in any order. Each answer itself is then checked.
	driveFrom := ""
	if drive && (all || len(areas) > 0) && (spec.cols[0] == "r.id" || f.fewAnswers) {
		var idCol string
		if driveFrom, idCol = s.dialect.answerDrive(&q, f.Answers); driveFrom != "" && spec.cols[0] == "r.id" {
			spec = sortSpec{cols: []string{idCol}, desc: spec.desc}
		}
	}
	for i, a := range f.Answers {
		x := "x" + itoa(int64(i))
		q.where = append(q.where, "EXISTS (SELECT 1 FROM request_answers "+x+" WHERE "+x+".request_id = r.id AND "+
			x+".field = "+q.arg(a.Field)+" AND "+x+".value = "+q.arg(a.Value)+")")
	}
	filters := len(q.where) // the conditions before the keyset
	var after int64         // the id the page continues after, for the search walk
	if f.Cursor != "" {
		c, _ := decodeCursor(f.Cursor, f.Sort, len(spec.cols))
		q.where = append(q.where, q.keyset(spec, c.Keys))
		after = c.Keys[len(c.Keys)-1]
	}
	if match != "" {
		q.visibility(actor)
		return listQuery{q: q, match: match, after: after}
	}
	order := make([]string, len(spec.cols))
	for i, col := range spec.cols {
		order[i] = col + map[bool]string{true: " DESC", false: " ASC"}[spec.desc[i]]
	}
	orderBy := ` ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ` + q.arg(f.Limit+1)
	where := q.where
	if !all {
		if len(areas) > 0 {
			q.visibility(actor)
			where = q.where
		} else {
			branch, tasks := s.dialect.ownBranches(where, filters)
			where = append(slices.Clone(where), q.ownIDs(actor.UserID, branch, orderBy, tasks))
		}
	}
	sql := s.dialect.pageSelect()
	if driveFrom != "" {
		// The page is the first rows of the walk of that index; or, when
		// they are few, all of them, sorted.
		sql = strings.Replace(sql, " FROM requests r", " FROM "+driveFrom, 1)
	}
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, " AND ")
	}
	return listQuery{sql: sql + orderBy, q: q}
}

// normaliseAnswers writes the answer filters' values as the fields' kinds
// store them (answerFilter).
func (s *Store) normaliseAnswers(ctx context.Context, f *Filter) error {
	if len(f.Answers) == 0 {
		return nil
	}
	o, err := s.org(ctx)
	if err != nil {
		return err
	}
	answers := slices.Clone(f.Answers)
	for i := range answers {
		answers[i].Value = answerFilter(o.forms, answers[i].Field, answers[i].Value)
	}
	f.Answers = answers
	return nil
}

// answerDriveLimit is how many requests with the filtered answers are few
// enough to read them all and sort them (a few milliseconds) rather than
// walk the page's order and check each request's answers: that walk finds
// a rare answer only after every open request, seconds at 1,000,000
// requests.
const answerDriveLimit = 4000

// planAnswers counts, up to answerDriveLimit, the requests that hold each
// of a list's answers in the dialect's index of them (answerCount), puts
// the rarest first, which a dialect that reads one answer from its index
// reads, and says whether it is few (Filter.fewAnswers). Sorted by id, a
// single answer's index is walked anyway.
func (s *Store) planAnswers(ctx context.Context, f *Filter) error {
	if len(f.Answers) == 0 || Sorts[f.Sort].cols[0] == "r.id" && len(f.Answers) == 1 {
		return nil
	}
	fewest, at := answerDriveLimit+1, -1
	err := s.read(ctx, func(q querier) error {
		for i, a := range f.Answers {
			count, args := s.dialect.answerCount(a)
			if count == "" {
				continue
			}
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+count+` LIMIT `+itoa(answerDriveLimit)+`) m`,
				args...).Scan(&n); err != nil {
				return err
			}
			if n < fewest {
				fewest, at = n, i
			}
		}
		return nil
	})
	if err != nil || at < 0 {
		return err
	}
	if at != 0 {
		answers := slices.Clone(f.Answers)
		answers[0], answers[at] = answers[at], answers[0]
		f.Answers = answers
	}
	f.fewAnswers = fewest < answerDriveLimit
	return nil
}

// ownIDs is the visibility rule of a list page for a person who sees only
// their own requests (no areas): the first ids of the page (same filters,
// order and limit) among the requests they filed, are assigned, or hold a
// task on; the page is the first of those. Each part walks its own index.
// As one OR, the database walks all requests in the page's order and tests
// each: seconds for someone with a handful of requests among a million.
// The filters and the join of the task part are the dialect's
// (ownBranches).
func (q *query) ownIDs(me int64, filters []string, orderBy, tasks string) string {
	who := q.arg(me)
	parts := []struct{ from, cond string }{
		{"requests r", "r.requester_id = " + who},
		{"requests r", "r.assignee_id = " + who},
		{tasks, "t.assignee_id = " + who},
	}
	branches := make([]string, len(parts))
	for i, p := range parts {
		w := append([]string{p.cond}, filters...)
		branches[i] = `SELECT id FROM (SELECT r.id FROM ` + p.from + ` WHERE ` + strings.Join(w, " AND ") + orderBy +
			`) v` + itoa(int64(i))
	}
	return "r.id IN (" + strings.Join(branches, " UNION ALL ") + ")"
}

// allOpen reports whether phases names only open phases (and at least one).
func allOpen(phases []beheer.Phase) bool {
	for _, p := range phases {
		if !p.Open() {
			return false
		}
	}
	return len(phases) > 0
}

// due adds the service-level filter: late is a running clock past its
// deadline, at risk one not yet past it but in its last fifth, today one
// due by the end of the day (late included). All read
// the deadline the sweep keeps, so a page needs no clock.
func (q *query) due(d beheer.DueStanding, now time.Time) {
	at := now.UnixMilli()
	switch d {
	case beheer.DueLate:
		q.where = append(q.where, "r.sla_due <= "+q.arg(at))
	case beheer.DueToday:
		q.where = append(q.where, "r.sla_due <= "+q.arg(beheer.EndOfDay(now, amsterdam).UnixMilli()))
	case beheer.DueAtRisk:
		q.where = append(q.where, "r.sla_due > "+q.arg(at), "r.sla_due < "+q.arg(beheer.DueRunningMax),
			"r.sla_warn <= "+q.arg(at))
	}
}

func sortKeys(sort string, r *beheer.Request) []int64 {
	switch sort {
	case "due":
		return []int64{r.Due.Rank, r.ID}
	case "updated":
		return []int64{ms(r.UpdatedAt), r.ID}
	case "priority":
		return []int64{int64(r.Priority.Rank()), r.ID}
	}
	return []int64{r.ID}
}

// keyset builds "after this row" for an ordering with mixed directions:
// (a < x) OR (a = x AND b > y) ...
func (q *query) keyset(spec sortSpec, keys []int64) string {
	var ors []string
	for i := range spec.cols {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, spec.cols[j]+" = "+q.arg(keys[j]))
		}
		op := " > "
		if spec.desc[i] {
			op = " < "
		}
		ands = append(ands, spec.cols[i]+op+q.arg(keys[i]))
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// PhaseCount is the number of visible requests in one phase and area.
type PhaseCount struct {
	Phase  beheer.Phase
	AreaID int64
	Count  int
}

// Open counts are fresh for countsTTL: counts on a home page or above the
// queue may be a few seconds old, and every person opening the queue would
// otherwise count a large table again. Until countsStale they are still
// shown while one background count refreshes them, so nobody waits for a
// count over a million rows.
const (
	countsTTL   = 5 * time.Second
	countsStale = time.Minute
)

// scopeKey names what an actor sees: everything, some areas, or (for people
// who see their own requests only) themselves.
func scopeKey(actor *beheer.Actor) string {
	all, areas := actor.Scope(beheer.PermRequestRead)
	if all {
		return "all"
	}
	return fmt.Sprintf("u%d:%v", actor.UserID, areas)
}

// OpenCounts counts the open requests the actor may see, per phase and
// area, in one aggregate query, reused for a few seconds per scope.
func (s *Store) OpenCounts(ctx context.Context, actor *beheer.Actor) ([]PhaseCount, error) {
	return s.counts.get(ctx, scopeKey(actor), func(ctx context.Context) ([]PhaseCount, error) {
		return s.openCounts(ctx, actor)
	})
}

func (s *Store) openCounts(ctx context.Context, actor *beheer.Actor) ([]PhaseCount, error) {
	var q query
	q.visibility(actor)
	q.where = append(q.where, "r.open = "+q.arg(true))
	sql := `SELECT r.phase, COALESCE(r.area_id, 0), COUNT(*) FROM requests r WHERE ` + strings.Join(q.where, " AND ") +
		` GROUP BY r.phase, r.area_id`
	var out []PhaseCount
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, sql, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c PhaseCount
			if err := rows.Scan(&c.Phase, &c.AreaID, &c.Count); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// Search walk limits: full-text matches are taken newest (or oldest) first
// in chunks, and each chunk is filtered like any list, until a page is full.
const (
	searchFirstChunk = 100 // grows four times each round, up to searchMaxChunk
	searchMaxChunk   = 6400
	searchMaxScan    = 200000
)

// searchWalk pages through a full-text search in id order without sorting
// every match: for a common word that can be half the database. SQLite's
// FTS5 hands out matching ids in order cheaply (walksSearch); each chunk of
// ids is then checked against the visibility and the other filters.
func (s *Store) searchWalk(ctx context.Context, q query, match string, f Filter, after int64) (*Page, error) {
	desc := f.Sort != "oldest"
	page := &Page{Items: []*beheer.Request{}}
	cursor := after
	chunk := searchFirstChunk
	for scanned := 0; scanned < searchMaxScan && len(page.Items) <= f.Limit; chunk = min(4*chunk, searchMaxChunk) {
		ids, err := s.matchChunk(ctx, match, cursor, desc, chunk)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			break
		}
		scanned += len(ids)
		cursor = ids[len(ids)-1]
		items, err := s.filterIDs(ctx, q, ids, desc, f.Limit+1-len(page.Items))
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, items...)
		if len(ids) < chunk {
			break
		}
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = encodeCursor(cursor2(f.Sort, page.Items[f.Limit-1]))
	}
	return page, nil
}

func cursor2(sort string, r *beheer.Request) cursor {
	return cursor{Sort: sort, Keys: sortKeys(sort, r)}
}

// matchChunk returns the next ids matching the full-text query after
// cursor (0: from the start), in order.
func (s *Store) matchChunk(ctx context.Context, match string, cursor int64, desc bool, n int) ([]int64, error) {
	query := `SELECT rowid FROM requests_fts WHERE requests_fts MATCH ?`
	args := []any{match}
	if cursor > 0 {
		if desc {
			query += ` AND rowid < ?`
		} else {
			query += ` AND rowid > ?`
		}
		args = append(args, cursor)
	}
	if desc {
		query += ` ORDER BY rowid DESC`
	} else {
		query += ` ORDER BY rowid ASC`
	}
	query += ` LIMIT ` + itoa(int64(n))
	var ids []int64
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids, err
}

// filterIDs keeps the requests of ids that pass the list's conditions.
func (s *Store) filterIDs(ctx context.Context, q query, ids []int64, desc bool, limit int) ([]*beheer.Request, error) {
	list, _ := json.Marshal(ids)
	q.where = append(q.where, "r.id IN (SELECT value FROM json_each("+q.arg(string(list))+"))")
	order := " ORDER BY r.id ASC"
	if desc {
		order = " ORDER BY r.id DESC"
	}
	sql := `SELECT ` + requestColumns + requestFrom + ` WHERE ` + strings.Join(q.where, " AND ") + order + ` LIMIT ` + q.arg(limit)
	return s.requestRows(ctx, sql, q.args)
}

// requestRows reads the requests a query of requestColumns returns, never nil.
func (s *Store) requestRows(ctx context.Context, sql string, args []any) ([]*beheer.Request, error) {
	var out []*beheer.Request
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryRequests(ctx, db, sql, args...)
		return err
	})
	return out, err
}

// queryRequests runs a query of requestColumns and reads every row, never nil.
func queryRequests(ctx context.Context, q querier, sql string, args ...any) ([]*beheer.Request, error) {
	rows, err := q.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := []*beheer.Request{}
	return out, scanAll(rows, func() error {
		r, err := scanRequest(rows)
		if err == nil {
			out = append(out, r)
		}
		return err
	})
}
