package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"

	"beheer"
)

// Filing a request names an area (by code, through the API) and a process,
// and the answer shows the area's name; the queue filters on areas by code.
// Those lookups are on the hot paths, and on PostgreSQL each is a round trip,
// so the store keeps the areas, the processes and the request types in
// memory — but only while it hears of every change that could make that
// wrong, as the token cache does (authcache.go):
//
//   - Every write to them updates the one row of org_changes first, inside
//     its transaction, and empties the cache once it has committed.
//   - On PostgreSQL, triggers (migration 0101) notify channel beheer_org when
//     such a transaction commits, whichever process made it; the token
//     cache's listening connection hears it and empties this cache too.
//     While that connection is not listening the cache is not kept: every
//     lookup reads the database.
//   - A snapshot remembers the org_changes count it was read at. A load that
//     started before a change and finishes after the cache was emptied for
//     it is not kept (generations, as in the token cache).
//   - Filing a request on SQLite trusts the snapshot for its checks only
//     after comparing that count inside its write transaction; a mismatch
//     checks the area and process in the transaction instead. PostgreSQL
//     checks them in its create statement anyway.
//
// Something not found in the snapshot is looked up in the database again
// (orgHaving), so an area another process created a moment ago is found.
// On SQLite the renames and archives of another process (a second server
// on the same file, which Beheer does not support; the command line does
// not change areas) are not heard; the create's count comparison still
// keeps the write itself correct.

// orgSnapshot is the areas, processes and request types as read at one
// org_changes count.
type orgSnapshot struct {
	n          int64 // org_changes.n when read
	areas      []beheer.Area
	processes  []beheer.Process // without owner names: those change with people
	types      []beheer.TypeSetting
	priorities []beheer.PriorityLabel
	forms      []beheer.Form // at their current versions, archived ones too
}

// area finds an area by id.
func (o *orgSnapshot) area(id int64) (beheer.Area, bool) {
	i := slices.IndexFunc(o.areas, func(a beheer.Area) bool { return a.ID == id })
	if i < 0 {
		return beheer.Area{}, false
	}
	return o.areas[i], true
}

// areaByCode finds an area by its code.
func (o *orgSnapshot) areaByCode(code string) (beheer.Area, bool) {
	i := slices.IndexFunc(o.areas, func(a beheer.Area) bool { return a.Code == code })
	if i < 0 {
		return beheer.Area{}, false
	}
	return o.areas[i], true
}

// process finds a process by id.
func (o *orgSnapshot) process(id int64) (beheer.Process, bool) {
	i := slices.IndexFunc(o.processes, func(p beheer.Process) bool { return p.ID == id })
	if i < 0 {
		return beheer.Process{}, false
	}
	return o.processes[i], true
}

// openPlace says whether a place answer may name area, or its process
// (0: none): both exist, belong together and are not archived.
func (o *orgSnapshot) openPlace(area, process int64) bool {
	a, ok := o.area(area)
	if !ok || !a.ArchivedAt.IsZero() {
		return false
	}
	p, ok := o.process(process)
	return process == 0 || ok && p.AreaID == area && p.ArchivedAt.IsZero()
}

// orgCache holds the latest snapshot while it can be trusted.
type orgCache struct {
	mu     sync.Mutex
	always bool // SQLite: no other process changes the data
	live   bool // PostgreSQL: listening for changes
	gen    uint64
	snap   *orgSnapshot
}

// get returns the snapshot if one is kept, and the generation a load
// starts in.
func (c *orgCache) get() (*orgSnapshot, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.always && !c.live {
		return nil, c.gen
	}
	return c.snap, c.gen
}

// put keeps what a load that started in generation gen read, unless the
// cache was emptied since or is not kept.
func (c *orgCache) put(gen uint64, o *orgSnapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen && (c.always || c.live) {
		c.snap = o
	}
}

// forget empties the cache and starts a new generation.
func (c *orgCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.snap = nil
}

// setListening turns the cache on or off (PostgreSQL); either way it starts
// empty.
func (c *orgCache) setListening(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = on
	c.gen++
	c.snap = nil
}

// org returns the areas, processes and request types: the kept snapshot,
// or read now (and kept when it may be).
func (s *Store) org(ctx context.Context) (*orgSnapshot, error) {
	snap, gen := s.orgc.get()
	if snap != nil {
		return snap, nil
	}
	o := &orgSnapshot{}
	err := s.read(ctx, func(q querier) error { return o.load(ctx, q) })
	if err != nil {
		return nil, err
	}
	s.orgc.put(gen, o)
	return o, nil
}

// orgHaving returns the snapshot when has finds what is looked for in it,
// else one read now: something missing may have been created by another
// process a moment ago (on SQLite nothing else tells, on PostgreSQL the
// notification may still be on its way).
func (s *Store) orgHaving(ctx context.Context, has func(*orgSnapshot) bool) (*orgSnapshot, error) {
	o, err := s.org(ctx)
	if err != nil || has(o) {
		return o, err
	}
	_, gen := s.orgc.get()
	fresh := &orgSnapshot{}
	if err := s.read(ctx, func(q querier) error { return fresh.load(ctx, q) }); err != nil {
		return nil, err
	}
	s.orgc.put(gen, fresh)
	return fresh, nil
}

// load reads a snapshot; the count first, so a change made meanwhile makes
// the snapshot look older than it is, never newer.
func (o *orgSnapshot) load(ctx context.Context, q querier) error {
	if err := q.QueryRowContext(ctx, `SELECT n FROM org_changes WHERE id = 1`).Scan(&o.n); err != nil {
		return err
	}
	var err error
	if o.areas, err = queryAreas(ctx, q); err != nil {
		return err
	}
	if o.processes, err = queryProcesses(ctx, q, false); err != nil {
		return err
	}
	if o.types, err = queryTypeSettings(ctx, q); err != nil {
		return err
	}
	if o.priorities, err = queryPriorityLabels(ctx, q); err != nil {
		return err
	}
	o.forms, err = queryForms(ctx, q, "", false)
	return err
}

const areaColumns = `id, code, name, description, integrations, position, archived_at, version`

func scanArea(row interface{ Scan(...any) error }) (beheer.Area, error) {
	var a beheer.Area
	var archived sql.NullInt64
	err := row.Scan(&a.ID, &a.Code, &a.Name, &a.Description, &a.Integration, &a.Position, &archived, &a.Version)
	a.ArchivedAt = fromMS(archived)
	return a, err
}

// queryAreas reads every area in the organisation's order.
func queryAreas(ctx context.Context, q querier) ([]beheer.Area, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+areaColumns+` FROM areas ORDER BY position, name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.Area
	for rows.Next() {
		a, err := scanArea(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// queryProcesses reads every process by area and position, with the
// owners' names when owners is set.
func queryProcesses(ctx context.Context, q querier, owners bool) ([]beheer.Process, error) {
	cols, from := `'' AS owner_name`, `processes p`
	if owners {
		cols, from = `COALESCE(u.name, '')`, `processes p LEFT JOIN users u ON u.id = p.owner_id`
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.area_id, p.name, p.description, COALESCE(p.owner_id, 0), `+cols+`,
		p.position, p.archived_at, p.version FROM `+from+` ORDER BY p.area_id, p.position, p.name, p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.Process
	for rows.Next() {
		var p beheer.Process
		var archived sql.NullInt64
		if err := rows.Scan(&p.ID, &p.AreaID, &p.Name, &p.Description, &p.OwnerID, &p.OwnerName, &p.Position,
			&archived, &p.Version); err != nil {
			return nil, err
		}
		p.ArchivedAt = fromMS(archived)
		out = append(out, p)
	}
	return out, rows.Err()
}

// orgChanged is the first statement of every write to areas, processes and
// request types: the writes take turns on this row, and the cache knows its
// snapshot is stale. The cache is emptied when the write has committed
// (writeOrg) — and already now, so a load that reads the old data while
// this transaction runs is not kept.
func (t *tx) orgChanged(ctx context.Context) error {
	t.s.orgc.forget()
	_, err := t.ExecContext(ctx, `UPDATE org_changes SET n = n + 1 WHERE id = 1`)
	return err
}

// writeOrg is write for work that changes areas, processes or request
// types: fn starts with orgChanged, and once the write has committed the
// cache forgets what it knew.
func (s *Store) writeOrg(ctx context.Context, fn func(*tx) error) error {
	defer s.orgc.forget()
	return s.write(ctx, func(t *tx) error {
		if err := t.orgChanged(ctx); err != nil {
			return err
		}
		return fn(t)
	})
}

// orgUnchanged reports, inside a write, whether org_changes still has the
// count a snapshot was read at.
func (t *tx) orgUnchanged(ctx context.Context, n int64) (bool, error) {
	var now int64
	err := t.QueryRowContext(ctx, `SELECT n FROM org_changes WHERE id = 1`).Scan(&now)
	return now == n, err
}

// normaliseCode is how codes are compared.
func normaliseCode(code string) string { return strings.ToLower(strings.TrimSpace(code)) }
