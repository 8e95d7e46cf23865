package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"beheer"
)

// CreateArea adds a focus area.
func (s *Store) CreateArea(ctx context.Context, actor *beheer.Actor, a beheer.Area) (*beheer.Area, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if !actor.Can(beheer.PermAreaManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	err := s.write(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM areas WHERE code = $1`, a.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return beheer.Invalid("code", "area.code_taken")
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO areas (code, name, description, integrations) VALUES ($1, $2, $3, $4) RETURNING id`,
			a.Code, a.Name, a.Description, a.Integration).Scan(&a.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "area.created", "code", "", a.Code, false)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateProcess adds a business process to an area.
func (s *Store) CreateProcess(ctx context.Context, actor *beheer.Actor, p beheer.Process) (*beheer.Process, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !actor.Can(beheer.PermAreaManage, p.AreaID) {
		return nil, beheer.ErrForbidden("")
	}
	err := s.write(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `INSERT INTO processes (area_id, name) VALUES ($1, $2) RETURNING id`,
			p.AreaID, p.Name).Scan(&p.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "process.created", "area:"+itoa(p.AreaID), "", p.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Areas lists every area; everyone may see them (the request form needs them).
func (s *Store) Areas(ctx context.Context) ([]beheer.Area, error) {
	var out []beheer.Area
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, code, name, description, integrations FROM areas ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a beheer.Area
			if err := rows.Scan(&a.ID, &a.Code, &a.Name, &a.Description, &a.Integration); err != nil {
				return err
			}
			s.areas.add(a)
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// knownAreas remembers the areas AreaByCode, Areas and area found. An area
// never changes or goes away once created (no statement updates or deletes
// one), so what was found stays true, also for another process on the same
// database; codes not found are looked up every time, as another process may
// have created the area since. Every API call that names an area by code — a
// create, a queue page filtered on an area — saves a database round trip.
// Should areas ever become editable, this must go.
type knownAreas struct {
	byCode sync.Map // code → beheer.Area
	byID   sync.Map // id → beheer.Area
}

func (k *knownAreas) add(a beheer.Area) {
	k.byCode.Store(a.Code, a)
	k.byID.Store(a.ID, a)
}

// has reports whether area id is known to exist.
func (k *knownAreas) has(id int64) bool {
	_, ok := k.byID.Load(id)
	return ok
}

// area finds an area by its id.
func (s *Store) area(ctx context.Context, id int64) (beheer.Area, error) {
	if a, ok := s.areas.byID.Load(id); ok {
		return a.(beheer.Area), nil
	}
	var a beheer.Area
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT id, code, name, description, integrations FROM areas WHERE id = $1`,
			id).Scan(&a.ID, &a.Code, &a.Name, &a.Description, &a.Integration)
	})
	if err != nil {
		return a, err
	}
	s.areas.add(a)
	return a, nil
}

// AreaByCode finds an area by its code.
func (s *Store) AreaByCode(ctx context.Context, code string) (*beheer.Area, error) {
	code = strings.ToLower(code)
	if a, ok := s.areas.byCode.Load(code); ok {
		a := a.(beheer.Area)
		return &a, nil
	}
	var a beheer.Area
	err := s.read(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT id, code, name, description, integrations FROM areas WHERE code = $1`,
			code).Scan(&a.ID, &a.Code, &a.Name, &a.Description, &a.Integration)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.areas.add(a)
	return &a, nil
}

// Processes lists the processes of every area.
func (s *Store) Processes(ctx context.Context) ([]beheer.Process, error) {
	var out []beheer.Process
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, area_id, name FROM processes ORDER BY area_id, name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p beheer.Process
			if err := rows.Scan(&p.ID, &p.AreaID, &p.Name); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}
