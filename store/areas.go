package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"beheer"
)

// Areas and processes as the organisation keeps them: created, renamed,
// described, ordered, archived (never deleted: requests point at them),
// processes moved between areas with their requests. Every write goes
// through writeOrg, so the cache of them (orgcache.go) never serves what
// was changed.

// CreateArea adds a focus area at the end of the list.
func (s *Store) CreateArea(ctx context.Context, actor *beheer.Actor, a beheer.Area) (*beheer.Area, error) {
	in := beheer.AreaInput{Code: a.Code, Name: a.Name, Description: a.Description, Integration: a.Integration}
	if in.Code == "" {
		in.Code = beheer.CodeFromName(in.Name)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out beheer.Area
	err := s.writeAreas(ctx, actor, func(t *tx, existing []beheer.Area) error {
		if err := uniqueArea(in, 0, existing); err != nil {
			return err
		}
		out = beheer.Area{Code: in.Code, Name: in.Name, Description: in.Description, Integration: in.Integration,
			Position: len(existing), Version: 1}
		if err := t.QueryRowContext(ctx, `INSERT INTO areas (code, name, description, integrations, position)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, out.Code, out.Name, out.Description, out.Integration, out.Position).Scan(&out.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "area.created", "area:"+itoa(out.ID), "", out.Name+" ("+out.Code+")", false)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateArea renames and describes an area; version is the one the edit
// was based on (0: not checked, for callers without If-Match). The code is
// the area's address in links and filters, so it can change too, but stays
// unique.
func (s *Store) UpdateArea(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.AreaInput) (*beheer.Area, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out beheer.Area
	err := s.writeAreas(ctx, actor, func(t *tx, existing []beheer.Area) error {
		before, err := findArea(existing, id, version)
		if err != nil {
			return err
		}
		if err := uniqueArea(in, id, existing); err != nil {
			return err
		}
		out = before
		out.Code, out.Name, out.Description, out.Integration, out.Version = in.Code, in.Name, in.Description, in.Integration, before.Version+1
		if _, err := t.ExecContext(ctx, `UPDATE areas SET code = $1, name = $2, description = $3, integrations = $4,
			version = version + 1 WHERE id = $5`, out.Code, out.Name, out.Description, out.Integration, id); err != nil {
			return err
		}
		return t.auditChanges(ctx, actor, "area.updated", "area:"+itoa(id), [][3]string{
			{"code", before.Code, out.Code}, {"name", before.Name, out.Name},
			{"description", before.Description, out.Description},
			{"integrations", boolText(before.Integration), boolText(out.Integration)}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// writeAreas is writeOrg for a change to the areas by an actor who must
// keep them: fn gets every area as the transaction sees it.
func (s *Store) writeAreas(ctx context.Context, actor *beheer.Actor, fn func(t *tx, existing []beheer.Area) error) error {
	if !beheer.CanManageAreas(actor) {
		return beheer.ErrForbidden("area.forbidden")
	}
	return s.writeOrg(ctx, func(t *tx) error {
		existing, err := queryAreas(ctx, t)
		if err != nil {
			return err
		}
		return fn(t, existing)
	})
}

// uniqueArea refuses a name or code another area than id has.
func uniqueArea(in beheer.AreaInput, id int64, existing []beheer.Area) error {
	var v beheer.Validation
	beheer.CheckAreaUnique(&v, in, id, existing)
	return v.Err()
}

// findArea picks area id from existing, refusing a stale version.
func findArea(existing []beheer.Area, id, version int64) (beheer.Area, error) {
	i := slices.IndexFunc(existing, func(a beheer.Area) bool { return a.ID == id })
	if i < 0 {
		return beheer.Area{}, beheer.ErrNotFound()
	}
	if version != 0 && existing[i].Version != version {
		return beheer.Area{}, beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
	}
	return existing[i], nil
}

// auditChanges writes one audit row per field that changed, as
// "field:before → after" of the thing named by subject.
func (t *tx) auditChanges(ctx context.Context, actor *beheer.Actor, action, subject string, changes [][3]string) error {
	for _, c := range changes {
		if c[1] == c[2] {
			continue
		}
		if err := t.audit(ctx, actor, 0, action, subject+"."+c[0], c[1], c[2], false); err != nil {
			return err
		}
	}
	return nil
}

// OpenRequestsIn counts the open requests of an area, for the question
// where they go when it is archived.
func (s *Store) OpenRequestsIn(ctx context.Context, areaID int64) (int, error) {
	var n int
	err := s.read(ctx, func(q querier) error { return countOpen(ctx, q, areaID).Scan(&n) })
	return n, err
}

func countOpen(ctx context.Context, q querier, areaID int64) *sql.Row {
	return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests WHERE area_id = $1 AND phase IN ($2, $3, $4, $5)`,
		areaID, beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation)
}

// ArchiveArea archives an area: it is no longer offered for new requests,
// and its open requests move to the area in.MoveTo, each keeping its
// process where that area has one of the same name. With open requests and
// nowhere to move them the archive is refused, saying how many there are.
// The area's processes stay as they are, archived with it in effect.
func (s *Store) ArchiveArea(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.ArchiveArea) (int, error) {
	moved := 0
	err := s.writeAreas(ctx, actor, func(t *tx, existing []beheer.Area) error {
		a, err := findArea(existing, id, version)
		if err != nil {
			return err
		}
		var open int
		if err := countOpen(ctx, t, id).Scan(&open); err != nil {
			return err
		}
		var to *beheer.Area
		if i := slices.IndexFunc(existing, func(x beheer.Area) bool { return x.ID == in.MoveTo }); i >= 0 {
			to = &existing[i]
		}
		if err := beheer.CheckArchiveArea(a, open, in, to); err != nil {
			return err
		}
		if open > 0 {
			if moved, err = t.moveOpenRequests(ctx, actor, a, *to); err != nil {
				return err
			}
		}
		if _, err := t.ExecContext(ctx, `UPDATE areas SET archived_at = $1, version = version + 1 WHERE id = $2`, ms(t.now), id); err != nil {
			return err
		}
		after := "archived"
		if to != nil {
			after += "; open requests to " + to.Name
		}
		return t.audit(ctx, actor, 0, "area.archived", "area:"+itoa(id), a.Name, after, false)
	})
	return moved, err
}

// moveOpenRequests moves the open requests of area from to area to, each
// keeping its process where to has one of the same name (else none), with
// a row in each request's audit trail and a new version.
func (t *tx) moveOpenRequests(ctx context.Context, actor *beheer.Actor, from, to beheer.Area) (int, error) {
	open := []any{beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation}
	args := append([]any{from.ID, nullID(actor.UserID), ms(t.now), from.Code, to.Code}, open...)
	if _, err := t.ExecContext(ctx, `INSERT INTO audit (request_id, actor_id, at, action, field, before_value, after_value, internal)
		SELECT id, $2, $3, 'request.updated', 'area', $4, $5, FALSE FROM requests
		WHERE area_id = $1 AND phase IN ($6, $7, $8, $9)`, args...); err != nil {
		return 0, err
	}
	res, err := t.ExecContext(ctx, `UPDATE requests SET area_id = $1,
		process_id = (SELECT np.id FROM processes op JOIN processes np ON np.area_id = $1 AND np.name = op.name AND np.archived_at IS NULL
			WHERE op.id = requests.process_id),
		version = version + 1, updated_at = $3
		WHERE area_id = $2 AND phase IN ($4, $5, $6, $7)`, append([]any{to.ID, from.ID, ms(t.now)}, open...)...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RestoreArea takes an area back into use.
func (s *Store) RestoreArea(ctx context.Context, actor *beheer.Actor, id int64) error {
	return s.writeAreas(ctx, actor, func(t *tx, existing []beheer.Area) error {
		a, err := findArea(existing, id, 0)
		if err != nil {
			return err
		}
		if !a.Archived() {
			return nil
		}
		if _, err := t.ExecContext(ctx, `UPDATE areas SET archived_at = NULL, version = version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "area.restored", "area:"+itoa(id), "archived", a.Name, false)
	})
}

// ReorderAreas puts the areas in the order of ids, which must name every
// area once (archived ones too): a list made before someone added an area
// is refused rather than half applied.
func (s *Store) ReorderAreas(ctx context.Context, actor *beheer.Actor, ids []int64) error {
	return s.writeAreas(ctx, actor, func(t *tx, existing []beheer.Area) error {
		before := make([]int64, len(existing))
		for i, a := range existing {
			before[i] = a.ID
		}
		if !beheer.Reorder(before, ids) {
			return beheer.Errorf(beheer.CodeConflict, "area.order_stale")
		}
		for i, id := range ids {
			if _, err := t.ExecContext(ctx, `UPDATE areas SET position = $1 WHERE id = $2`, i, id); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, 0, "area.reordered", "areas", idList(before), idList(ids), false)
	})
}

// idList writes ids as "3,1,2" for the audit trail.
func idList(ids []int64) string {
	b := make([]byte, 0, 4*len(ids))
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, itoa(id)...)
	}
	return string(b)
}

// Areas lists every area, archived ones too, in the organisation's order;
// everyone may see them (the request form needs them).
func (s *Store) Areas(ctx context.Context) ([]beheer.Area, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(o.areas), nil
}

// Area finds an area by its id.
func (s *Store) Area(ctx context.Context, id int64) (*beheer.Area, error) {
	a, err := s.area(ctx, id)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// area finds an area by its id.
func (s *Store) area(ctx context.Context, id int64) (beheer.Area, error) {
	o, err := s.orgHaving(ctx, func(o *orgSnapshot) bool { _, ok := o.area(id); return ok })
	if err != nil {
		return beheer.Area{}, err
	}
	a, ok := o.area(id)
	if !ok {
		return a, beheer.ErrNotFound()
	}
	return a, nil
}

// AreaByCode finds an area by its code, archived or not.
func (s *Store) AreaByCode(ctx context.Context, code string) (*beheer.Area, error) {
	code = normaliseCode(code)
	o, err := s.orgHaving(ctx, func(o *orgSnapshot) bool { _, ok := o.areaByCode(code); return ok })
	if err != nil {
		return nil, err
	}
	a, ok := o.areaByCode(code)
	if !ok {
		return nil, beheer.ErrNotFound()
	}
	return &a, nil
}

// errNoRows turns "no rows" into not found.
func errNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return beheer.ErrNotFound()
	}
	return err
}
