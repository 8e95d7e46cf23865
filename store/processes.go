package store

import (
	"context"
	"slices"

	"beheer"
)

// CreateProcess adds a business process at the end of its area's list.
func (s *Store) CreateProcess(ctx context.Context, actor *beheer.Actor, p beheer.Process) (*beheer.Process, error) {
	in := beheer.ProcessInput{AreaID: p.AreaID, Name: p.Name, Description: p.Description, OwnerID: p.OwnerID}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if !beheer.CanManageProcesses(actor, in.AreaID) {
		return nil, beheer.ErrForbidden("area.forbidden")
	}
	var out beheer.Process
	err := s.writeOrg(ctx, func(t *tx) error {
		existing, err := t.checkProcess(ctx, in, 0)
		if err != nil {
			return err
		}
		pos := 0
		for _, x := range existing {
			if x.AreaID == in.AreaID {
				pos++
			}
		}
		out = beheer.Process{AreaID: in.AreaID, Name: in.Name, Description: in.Description, OwnerID: in.OwnerID,
			Position: pos, Version: 1}
		if err := t.QueryRowContext(ctx, `INSERT INTO processes (area_id, name, description, owner_id, position)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, out.AreaID, out.Name, out.Description, nullID(out.OwnerID), pos).Scan(&out.ID); err != nil {
			return err
		}
		if out.OwnerName, err = t.userName(ctx, out.OwnerID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "process.created", "process:"+itoa(out.ID), "", out.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// checkProcess checks a process's place, name and owner inside a write,
// for process id (0: a new one), and returns every process.
func (t *tx) checkProcess(ctx context.Context, in beheer.ProcessInput, id int64) ([]beheer.Process, error) {
	areas, err := queryAreas(ctx, t)
	if err != nil {
		return nil, err
	}
	existing, err := queryProcesses(ctx, t, false)
	if err != nil {
		return nil, err
	}
	var v beheer.Validation
	var to *beheer.Area
	if i := slices.IndexFunc(areas, func(a beheer.Area) bool { return a.ID == in.AreaID }); i >= 0 {
		to = &areas[i]
	}
	if i := slices.IndexFunc(existing, func(p beheer.Process) bool { return p.ID == id }); id == 0 || i < 0 || existing[i].AreaID != in.AreaID {
		beheer.CheckProcessPlace(&v, to) // a new process, or one moving: an area in use
	}
	beheer.CheckProcessUnique(&v, in.Name, in.AreaID, id, existing)
	if in.OwnerID != 0 {
		owner, err := t.person(ctx, in.OwnerID)
		if err != nil {
			return nil, err
		}
		beheer.CheckProcessOwner(&v, owner)
	}
	return existing, v.Err()
}

// person reads a person's account, nil when no account has the id.
func (t *tx) person(ctx context.Context, id int64) (*beheer.User, error) {
	u, err := scanUser(t.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil && beheer.ErrorCode(errNoRows(err)) == beheer.CodeNotFound {
		return nil, nil
	}
	return u, err
}

// userName is a person's name, "" for id 0.
func (t *tx) userName(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var name string
	err := t.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&name)
	return name, err
}

// UpdateProcess renames, describes, gives an owner to or moves a process;
// version is the one the edit was based on (0: not checked). A process
// moved to another area takes all its requests with it, each with a row in
// its audit trail.
func (s *Store) UpdateProcess(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.ProcessInput) (*beheer.Process, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out beheer.Process
	err := s.writeOrg(ctx, func(t *tx) error {
		before, err := t.process(ctx, id, version)
		if err != nil {
			return err
		}
		if !beheer.CanManageProcesses(actor, before.AreaID) || !beheer.CanManageProcesses(actor, in.AreaID) {
			return beheer.ErrForbidden("area.forbidden")
		}
		if _, err := t.checkProcess(ctx, in, id); err != nil {
			return err
		}
		out = before
		out.AreaID, out.Name, out.Description, out.OwnerID, out.Version = in.AreaID, in.Name, in.Description, in.OwnerID, before.Version+1
		if before.AreaID != in.AreaID {
			if err := t.moveProcessRequests(ctx, actor, before, in.AreaID); err != nil {
				return err
			}
			out.Position = 1 << 20 // last in its new area until reordered
		}
		if _, err := t.ExecContext(ctx, `UPDATE processes SET area_id = $1, name = $2, description = $3, owner_id = $4,
			position = $5, version = version + 1 WHERE id = $6`, out.AreaID, out.Name, out.Description, nullID(out.OwnerID), out.Position, id); err != nil {
			return err
		}
		if out.OwnerName, err = t.userName(ctx, out.OwnerID); err != nil {
			return err
		}
		return t.auditChanges(ctx, actor, "process.updated", "process:"+itoa(id), [][3]string{
			{"area", itoa(before.AreaID), itoa(out.AreaID)}, {"name", before.Name, out.Name},
			{"description", before.Description, out.Description}, {"owner", idText(before.OwnerID), idText(out.OwnerID)}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// idText writes an id for the audit trail, "" for none.
func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return "user:" + itoa(id)
}

// process reads one process inside a write, refusing a stale version.
func (t *tx) process(ctx context.Context, id, version int64) (beheer.Process, error) {
	all, err := queryProcesses(ctx, t, false)
	if err != nil {
		return beheer.Process{}, err
	}
	i := slices.IndexFunc(all, func(p beheer.Process) bool { return p.ID == id })
	if i < 0 {
		return beheer.Process{}, beheer.ErrNotFound()
	}
	if version != 0 && all[i].Version != version {
		return beheer.Process{}, beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
	}
	return all[i], nil
}

// moveProcessRequests moves every request of a process to the process's
// new area, writing the change into each one's audit trail.
func (t *tx) moveProcessRequests(ctx context.Context, actor *beheer.Actor, p beheer.Process, to int64) error {
	if _, err := t.ExecContext(ctx, `INSERT INTO audit (request_id, actor_id, at, action, field, before_value, after_value, internal)
		SELECT r.id, $2, $3, 'request.updated', 'area', COALESCE(a.code, ''), (SELECT code FROM areas WHERE id = $4), FALSE
		FROM requests r LEFT JOIN areas a ON a.id = r.area_id WHERE r.process_id = $1`,
		p.ID, nullID(actor.UserID), ms(t.now), to); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, `UPDATE requests SET area_id = $1, version = version + 1, updated_at = $2 WHERE process_id = $3`,
		to, ms(t.now), p.ID)
	return err
}

// SetProcessArchived archives a process (no longer offered for new
// requests; its requests keep showing it) or takes it back into use.
func (s *Store) SetProcessArchived(ctx context.Context, actor *beheer.Actor, id int64, archived bool) error {
	return s.writeOrg(ctx, func(t *tx) error {
		p, err := t.process(ctx, id, 0)
		if err != nil {
			return err
		}
		if !beheer.CanManageProcesses(actor, p.AreaID) {
			return beheer.ErrForbidden("area.forbidden")
		}
		if p.Archived() == archived {
			return nil
		}
		var at any
		action := "process.restored"
		if archived {
			at, action = ms(t.now), "process.archived"
		} else {
			var v beheer.Validation
			existing, err := queryProcesses(ctx, t, false)
			if err != nil {
				return err
			}
			beheer.CheckProcessUnique(&v, p.Name, p.AreaID, id, beheer.ActiveProcesses(existing))
			if err := v.Err(); err != nil {
				return err
			}
		}
		if _, err := t.ExecContext(ctx, `UPDATE processes SET archived_at = $1, version = version + 1 WHERE id = $2`, at, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, action, "process:"+itoa(id), "", p.Name, false)
	})
}

// ReorderProcesses puts an area's processes in the order of ids, which
// must name each of them once.
func (s *Store) ReorderProcesses(ctx context.Context, actor *beheer.Actor, areaID int64, ids []int64) error {
	if !beheer.CanManageProcesses(actor, areaID) {
		return beheer.ErrForbidden("area.forbidden")
	}
	return s.writeOrg(ctx, func(t *tx) error {
		all, err := queryProcesses(ctx, t, false)
		if err != nil {
			return err
		}
		var before []int64
		for _, p := range all {
			if p.AreaID == areaID {
				before = append(before, p.ID)
			}
		}
		if !beheer.Reorder(before, ids) {
			return beheer.Errorf(beheer.CodeConflict, "area.order_stale")
		}
		for i, id := range ids {
			if _, err := t.ExecContext(ctx, `UPDATE processes SET position = $1 WHERE id = $2`, i, id); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, 0, "process.reordered", "area:"+itoa(areaID), idList(before), idList(ids), false)
	})
}

// Processes lists the processes of every area, archived ones too, with
// their owners' names.
func (s *Store) Processes(ctx context.Context) ([]beheer.Process, error) {
	var out []beheer.Process
	err := s.read(ctx, func(q querier) (err error) {
		out, err = queryProcesses(ctx, q, true)
		return err
	})
	return out, err
}

// Process finds one process, with its owner's name.
func (s *Store) Process(ctx context.Context, id int64) (*beheer.Process, error) {
	all, err := s.Processes(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(all, func(p beheer.Process) bool { return p.ID == id })
	if i < 0 {
		return nil, beheer.ErrNotFound()
	}
	return &all[i], nil
}
