package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"beheer"
)

// SyncPeople applies the complete list of employees of source ("afas" or
// "csv"). A CSV import is all or nothing: any invalid row makes it fail with
// every problem named by line and field, and nothing is written. An AFAS
// sync skips the rows it cannot apply (and reports them), so that one bad
// row in the HR administration does not hold up everyone else; a skipped
// person is never deactivated. Functional admins for all areas and the
// system may run it.
func (s *Store) SyncPeople(ctx context.Context, actor *beheer.Actor, source string, employees []beheer.Employee, opts beheer.SyncOptions) (*beheer.SyncReport, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	if err := beheer.CheckSource(source); err != nil {
		return nil, err
	}
	if len(employees) == 0 {
		return nil, beheer.Errorf(beheer.CodeInvalid, "people_import.empty")
	}
	employees = slices.Clone(employees)
	valid, problems := beheer.CheckEmployees(employees)
	if source == beheer.SourceCSV && len(problems) > 0 {
		return nil, beheer.SyncProblemsError(problems)
	}
	var rep *beheer.SyncReport
	err := s.writePeople(ctx, func(t *tx) error {
		rep = &beheer.SyncReport{Source: source, At: t.now, OK: true, Total: len(employees), Rows: slices.Clone(problems)}
		rep.Skipped = len(problems)
		if err := t.syncPeople(ctx, actor, source, employees, valid, rep, opts); err != nil {
			return err
		}
		if source == beheer.SourceCSV && len(rep.Rows) > 0 {
			return beheer.SyncProblemsError(rep.Rows) // rolls everything back
		}
		return t.saveReport(ctx, actor, rep)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// peopleSyncTurn is the key on which people syncs take turns.
const peopleSyncTurn = 4242050

func (t *tx) syncPeople(ctx context.Context, actor *beheer.Actor, source string, all []beheer.Employee, valid []int, rep *beheer.SyncReport, opts beheer.SyncOptions) error {
	// Two syncs at once (the schedule and the command line) take turns.
	if err := t.s.dialect.takeTurn(ctx, t, peopleSyncTurn); err != nil {
		return err
	}
	people, err := t.loadSyncPeople(ctx)
	if err != nil {
		return err
	}
	areas, err := t.departmentAreas(ctx)
	if err != nil {
		return err
	}
	roster := beheer.NewRoster(people)
	roster.MarkSeen(all)
	if err := beheer.CheckLeavers(people, source, actor.UserID, opts); err != nil {
		return err
	}
	for _, i := range valid {
		e := all[i]
		p, problem := roster.Match(e)
		if problem != nil {
			rep.Rows = append(rep.Rows, *problem)
			rep.Skipped++
			continue
		}
		want := beheer.DepartmentRoles(areas[beheer.DepartmentKey(e.Department)])
		if p == nil {
			p, err = t.addEmployee(ctx, actor, source, e)
			if err != nil {
				return err
			}
			roster.Add(p)
			if _, err := t.syncRoles(ctx, actor, p, want); err != nil {
				return err
			}
			rep.Added++
			continue
		}
		p.Seen = true
		changed, err := t.updateEmployee(ctx, actor, p, roster.Follow(p, e, source))
		if err != nil {
			return err
		}
		rolesChanged, err := t.syncRoles(ctx, actor, p, want)
		if err != nil {
			return err
		}
		reactivated := p.Returns()
		if reactivated {
			if err := t.setLeft(ctx, actor, p, false); err != nil {
				return err
			}
		}
		rep.Tally(reactivated, changed || rolesChanged)
	}
	for _, p := range people {
		if !p.Gone(source) {
			continue
		}
		if p.ID == actor.UserID {
			// Nobody locks themselves out through an import.
			rep.Rows = append(rep.Rows, beheer.SyncProblem{Number: p.Number, Field: "email", Key: "people.not_yourself"})
			continue
		}
		if err := t.setLeft(ctx, actor, p, true); err != nil {
			return err
		}
		rep.Deactivated++
	}
	return nil
}

func (t *tx) loadSyncPeople(ctx context.Context) ([]*beheer.SyncPerson, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, email, name, COALESCE(employee_number, ''), department, manager_number,
		source, active, left_at IS NOT NULL FROM users ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.SyncPerson
	byID := map[int64]*beheer.SyncPerson{}
	for rows.Next() {
		p := &beheer.SyncPerson{}
		if err := rows.Scan(&p.ID, &p.Email, &p.Name, &p.Number, &p.Department, &p.Manager, &p.Source, &p.Active, &p.Left); err != nil {
			return nil, err
		}
		out = append(out, p)
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rr, err := t.QueryContext(ctx, `SELECT user_id, role, area_id FROM user_roles WHERE synced ORDER BY user_id, role, area_id`)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	for rr.Next() {
		var id int64
		var a beheer.Assignment
		if err := rr.Scan(&id, &a.Role, &a.AreaID); err != nil {
			return nil, err
		}
		if p := byID[id]; p != nil {
			p.Synced = append(p.Synced, a)
		}
	}
	return out, rr.Err()
}

func (t *tx) addEmployee(ctx context.Context, actor *beheer.Actor, source string, e beheer.Employee) (*beheer.SyncPerson, error) {
	p := &beheer.SyncPerson{Email: e.Email, Name: e.Name, Number: e.Number, Department: e.Department, Manager: e.Manager,
		Source: source, Active: true, Seen: true}
	if err := t.QueryRowContext(ctx, `INSERT INTO users (email, name, lang, password_hash, employee_number, department,
		manager_number, source, created_at, updated_at) VALUES ($1, $2, 'nl', '', $3, $4, $5, $6, $7, $7) RETURNING id`,
		e.Email, e.Name, nullText(e.Number), e.Department, e.Manager, source, ms(t.now)).Scan(&p.ID); err != nil {
		return nil, err
	}
	if err := t.audit(ctx, actor, 0, "user.created", "email", "", e.Email, false); err != nil {
		return nil, err
	}
	return p, t.audit(ctx, actor, 0, "user.source", "user:"+itoa(p.ID), "", source, false)
}

// updateEmployee writes the changes a row made to a person's data, with an
// audit row per changed field; it reports whether anything changed.
func (t *tx) updateEmployee(ctx context.Context, actor *beheer.Actor, p *beheer.SyncPerson, changes []beheer.SyncChange) (bool, error) {
	for _, c := range changes {
		if err := t.audit(ctx, actor, 0, c.Action, "user:"+itoa(p.ID), c.Before, c.After, false); err != nil {
			return false, err
		}
	}
	if len(changes) == 0 {
		return false, nil
	}
	_, err := t.ExecContext(ctx, `UPDATE users SET name = $1, email = $2, employee_number = $3, department = $4,
		manager_number = $5, source = $6, updated_at = $7 WHERE id = $8`,
		p.Name, p.Email, nullText(p.Number), p.Department, p.Manager, p.Source, ms(t.now), p.ID)
	return true, err
}

// setLeft deactivates a person who left the source (ending their sessions)
// or reactivates one who came back.
func (t *tx) setLeft(ctx context.Context, actor *beheer.Actor, p *beheer.SyncPerson, left bool) error {
	var leftAt any
	if left {
		leftAt = ms(t.now)
	}
	if _, err := t.ExecContext(ctx, `UPDATE users SET active = $1, left_at = $2, updated_at = $3 WHERE id = $4`,
		!left, leftAt, ms(t.now), p.ID); err != nil {
		return err
	}
	if left {
		if err := t.endSessions(ctx, p.ID); err != nil {
			return err
		}
		if err := t.revokeTokens(ctx, nil, p.ID, actor); err != nil {
			return err
		}
	}
	p.Active, p.Left = !left, left
	return t.audit(ctx, actor, 0, "user.active", "user:"+itoa(p.ID), boolText(left), boolText(!left), false)
}

// syncRoles makes the roles the sync gave a person the wanted ones: it
// removes the synced roles no longer wanted and adds the missing ones as
// synced. A role the person already holds by hand stays a hand-given role.
func (t *tx) syncRoles(ctx context.Context, actor *beheer.Actor, p *beheer.SyncPerson, want []beheer.Assignment) (bool, error) {
	before := slices.Clone(p.Synced)
	changed := false
	for _, a := range p.Synced {
		if slices.Contains(want, a) {
			continue
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND area_id = $3 AND synced`,
			p.ID, a.Role, a.AreaID); err != nil {
			return false, err
		}
		changed = true
	}
	var now []beheer.Assignment
	for _, a := range want {
		res, err := t.ExecContext(ctx, `INSERT INTO user_roles (user_id, role, area_id, synced) VALUES ($1, $2, $3, TRUE)
			ON CONFLICT DO NOTHING`, p.ID, a.Role, a.AreaID)
		if err != nil {
			return false, err
		}
		n, _ := res.RowsAffected()
		if n > 0 {
			changed = true
		}
		if n > 0 || slices.Contains(p.Synced, a) {
			now = append(now, a)
		}
	}
	p.Synced = now
	if !changed {
		return false, nil
	}
	return true, t.audit(ctx, actor, 0, "user.synced_roles", "user:"+itoa(p.ID), formatRoles(before), formatRoles(now), false)
}

func (t *tx) saveReport(ctx context.Context, actor *beheer.Actor, rep *beheer.SyncReport) error {
	if rep.Rows == nil {
		rep.Rows = []beheer.SyncProblem{}
	}
	rows, err := json.Marshal(rep.Rows)
	if err != nil {
		return err
	}
	if err := t.QueryRowContext(ctx, `INSERT INTO people_syncs (source, at, actor_id, ok, error_key, total, added, updated,
		deactivated, reactivated, unchanged, skipped, rows) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		rep.Source, ms(rep.At), nullID(actor.UserID), rep.OK, rep.ErrorKey, rep.Total, rep.Added, rep.Updated,
		rep.Deactivated, rep.Reactivated, rep.Unchanged, rep.Skipped, string(rows)).Scan(&rep.ID); err != nil {
		return err
	}
	return t.audit(ctx, actor, 0, "people.synced", rep.Source, "", rep.Summary(), false)
}

// RecordSyncFailure keeps a sync that could not run — the source did not
// answer, refused the credentials, or answered something unreadable — so
// the portal shows it. key is the catalogue key of the reason. Nobody's
// account changes.
func (s *Store) RecordSyncFailure(ctx context.Context, actor *beheer.Actor, source, key string) (*beheer.SyncReport, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	var rep *beheer.SyncReport
	err := s.write(ctx, func(t *tx) error {
		rep = &beheer.SyncReport{Source: source, At: t.now, ErrorKey: key}
		return t.saveReport(ctx, actor, rep)
	})
	return rep, err
}

// SyncReports returns the last syncs, newest first, for functional admins.
func (s *Store) SyncReports(ctx context.Context, actor *beheer.Actor, limit int) ([]beheer.SyncReport, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	out := []beheer.SyncReport{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, source, at, ok, error_key, total, added, updated, deactivated, reactivated,
			unchanged, skipped, rows FROM people_syncs ORDER BY at DESC, id DESC LIMIT $1`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r beheer.SyncReport
			var at sql.NullInt64
			var problems string
			if err := rows.Scan(&r.ID, &r.Source, &at, &r.OK, &r.ErrorKey, &r.Total, &r.Added, &r.Updated, &r.Deactivated,
				&r.Reactivated, &r.Unchanged, &r.Skipped, &problems); err != nil {
				return err
			}
			r.At = fromMS(at)
			if err := json.Unmarshal([]byte(problems), &r.Rows); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// DepartmentAreas lists every department known from people or mapped, with
// its area, for functional admins for all areas.
func (s *Store) DepartmentAreas(ctx context.Context, actor *beheer.Actor) ([]beheer.DepartmentArea, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	byKey := map[string]*beheer.DepartmentArea{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT department, name, area_id FROM department_areas`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			d := &beheer.DepartmentArea{}
			if err := rows.Scan(&key, &d.Department, &d.AreaID); err != nil {
				return err
			}
			byKey[key] = d
		}
		if err := rows.Err(); err != nil {
			return err
		}
		pr, err := q.QueryContext(ctx, `SELECT department, COUNT(*) FROM users WHERE department <> '' AND active GROUP BY department`)
		if err != nil {
			return err
		}
		defer pr.Close()
		for pr.Next() {
			var name string
			var n int
			if err := pr.Scan(&name, &n); err != nil {
				return err
			}
			key := beheer.DepartmentKey(name)
			if byKey[key] == nil {
				byKey[key] = &beheer.DepartmentArea{Department: name}
			}
			byKey[key].People += n
		}
		return pr.Err()
	})
	out := make([]beheer.DepartmentArea, 0, len(byKey))
	for _, d := range byKey {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b beheer.DepartmentArea) int {
		return strings.Compare(beheer.DepartmentKey(a.Department), beheer.DepartmentKey(b.Department))
	})
	return out, err
}

// SetDepartmentArea maps a department to an area (0 removes the mapping)
// and at once gives or takes the key-user role the mapping implies to the
// department's people; roles given by hand are kept. Only functional admins
// for all areas may, as it hands out roles.
func (s *Store) SetDepartmentArea(ctx context.Context, actor *beheer.Actor, department string, areaID int64) error {
	if !actor.Can(beheer.PermUserManage, 0) {
		return beheer.Refusal(beheer.PermUserManage)
	}
	name, err := beheer.CheckDepartment(department)
	if err != nil {
		return err
	}
	key := beheer.DepartmentKey(name)
	return s.writePeople(ctx, func(t *tx) error {
		if areaID != 0 {
			if err := t.checkAreas(ctx, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: areaID}}); err != nil {
				return err
			}
		}
		areas, err := t.departmentAreas(ctx)
		if err != nil {
			return err
		}
		before := areas[key]
		if before == areaID {
			return nil
		}
		if areaID == 0 {
			_, err = t.ExecContext(ctx, `DELETE FROM department_areas WHERE department = $1`, key)
		} else {
			_, err = t.ExecContext(ctx, `INSERT INTO department_areas (department, name, area_id, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (department) DO UPDATE SET area_id = excluded.area_id, updated_at = excluded.updated_at`,
				key, name, areaID, ms(t.now))
		}
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "people.department_area", name, itoa(before), itoa(areaID), false); err != nil {
			return err
		}
		want := beheer.DepartmentRoles(areaID)
		people, err := t.loadSyncPeople(ctx)
		if err != nil {
			return err
		}
		for _, p := range people {
			if beheer.DepartmentKey(p.Department) == key {
				if _, err := t.syncRoles(ctx, actor, p, want); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// departmentAreas maps department keys to area ids.
func (t *tx) departmentAreas(ctx context.Context) (map[string]int64, error) {
	rows, err := t.QueryContext(ctx, `SELECT department, area_id FROM department_areas`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return nil, err
		}
		out[key] = id
	}
	return out, rows.Err()
}

// Employments returns the employment data of everyone who has some, by
// person id, for functional admins for all areas.
func (s *Store) Employments(ctx context.Context, actor *beheer.Actor) (map[int64]beheer.Employment, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	out := map[int64]beheer.Employment{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(employee_number, ''), department, manager_number, source FROM users
			WHERE employee_number IS NOT NULL OR department <> '' OR source <> ''`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var e beheer.Employment
			if err := rows.Scan(&id, &e.Number, &e.Department, &e.Manager, &e.Source); err != nil {
				return err
			}
			out[id] = e
		}
		return rows.Err()
	})
	return out, err
}

// nullText stores "" as NULL, for columns unique when set.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// PeopleMatching lists up to limit active people whose name contains q
// (beheer.PersonQuery), by name, with only their id and name: what a
// person field offers. Those who may see e-mail addresses
// (beheer.CanSearchByEmail) also find people by part of their address.
// An empty q lists the first people by name; letters of any alphabet match
// in either case.
func (s *Store) PeopleMatching(ctx context.Context, actor *beheer.Actor, q string, limit int) ([]beheer.User, error) {
	if actor == nil {
		return nil, beheer.ErrForbidden("")
	}
	where := s.dialect.lower("name") + ` LIKE $1 ESCAPE '\'`
	if beheer.CanSearchByEmail(actor) {
		where = `(` + where + ` OR ` + s.dialect.lower("email") + ` LIKE $1 ESCAPE '\')`
	}
	return s.queryPeople(ctx, `active AND `+where+` ORDER BY name, id LIMIT $2`, "%"+likeEscape(beheer.PersonQuery(q))+"%", limit)
}

// PeopleNamed returns the people of ids (only the active ones when
// activeOnly) with their id, name and whether they are active, by name: an
// answer keeps naming whom it named after that person left, while a
// person field offers only active people.
func (s *Store) PeopleNamed(ctx context.Context, ids []int64, activeOnly bool) ([]beheer.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks, args := inList(ids, 0)
	where := `id IN (` + marks + `)`
	if activeOnly {
		where += ` AND active`
	}
	return s.queryPeople(ctx, where+` ORDER BY name, id`, args...)
}

// queryPeople reads the id, name and active flag of the people that
// condition (a WHERE clause with its ordering) selects.
func (s *Store) queryPeople(ctx context.Context, condition string, args ...any) ([]beheer.User, error) {
	var out []beheer.User
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, name, active FROM users WHERE `+condition, args...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var u beheer.User
			err := rows.Scan(&u.ID, &u.Name, &u.Active)
			out = append(out, u)
			return err
		})
	})
	return out, err
}
