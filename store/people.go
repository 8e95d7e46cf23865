package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"beheer"
)

// A people sync turns the complete list of employees of one source (AFAS
// Profit or a CSV file) into accounts, in ONE transaction:
//
//   - a row is matched to a person by employee number first, then by e-mail
//     address (case-insensitively); a person added by hand who matches is
//     taken over by the source;
//   - new people are added as plain users (requesters): no role rows;
//   - name, e-mail, department and manager follow the source;
//   - people of the same source who are not in the list have left: they are
//     deactivated (their sessions end, their tokens stop working), never
//     deleted; people added by hand or by another source are never touched;
//   - someone the sync deactivated who appears again is reactivated; someone
//     a functional admin deactivated by hand stays deactivated;
//   - a department mapped to an area makes its people key users of that
//     area; the sync adds and removes only the roles it gave itself, never a
//     role given by hand. An unmapped department gives no role: the person
//     is a plain requester unless an admin gives them more.
//
// Only a complete list may be synced: the callers (package peoplesync) pass
// nothing when a fetch failed or was cut short, so a partial answer never
// deactivates anyone. An empty list is refused for the same reason.

// SyncReport is the outcome of one people sync, kept for the portal and
// the API.
type SyncReport struct {
	ID     int64     `json:"id"`
	Source string    `json:"source"`
	At     time.Time `json:"at"`
	// OK is false when the sync could not run (the source did not answer,
	// or answered wrongly); ErrorKey then says why and nothing changed.
	OK          bool          `json:"ok"`
	ErrorKey    string        `json:"error,omitempty"`
	Total       int           `json:"total"`
	Added       int           `json:"added"`
	Updated     int           `json:"updated"`
	Deactivated int           `json:"deactivated"`
	Reactivated int           `json:"reactivated"`
	Unchanged   int           `json:"unchanged"`
	Skipped     int           `json:"skipped"`
	Rows        []SyncProblem `json:"rows"`
}

// SyncProblem is a row the sync could not apply, and why.
type SyncProblem struct {
	Line   int    `json:"line"`
	Number string `json:"employee_number,omitempty"`
	Field  string `json:"field"`
	Key    string `json:"key"`
	Args   []any  `json:"args,omitempty"`
}

// syncPerson is a person as the sync compares them.
type syncPerson struct {
	id                                 int64
	email, name, number, dept, manager string
	source                             string
	active, left, seen                 bool
	synced                             []beheer.Assignment // roles the sync gave
}

// SyncOptions adjust a people sync.
type SyncOptions struct {
	// ConfirmLeavers lets a sync deactivate more people than a sync does
	// unasked (see MassLeave): a reorganisation, confirmed by a person.
	ConfirmLeavers bool
}

// MassLeave reports whether deactivating leavers of the active people of a
// source is too many to do unasked: more than five and more than a fifth.
// A list that suddenly lacks many people is far more often a changed
// connector or a wrong file than a wave of departures, and deactivating
// ends everyone's sessions at once.
func MassLeave(leavers, active int) bool { return leavers > 5 && leavers*5 > active }

// SyncPeople applies the complete list of employees of source ("afas" or
// "csv"). A CSV import is all or nothing: any invalid row makes it fail with
// every problem named by line and field, and nothing is written. An AFAS
// sync skips the rows it cannot apply (and reports them), so that one bad
// row in the HR administration does not hold up everyone else; a skipped
// person is never deactivated. Functional admins for all areas and the
// system may run it.
func (s *Store) SyncPeople(ctx context.Context, actor *beheer.Actor, source string, employees []beheer.Employee, opts SyncOptions) (*SyncReport, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	if !beheer.ValidSource(source) {
		v := beheer.Validation{}
		v.Add("source", "field.invalid_choice", "choices", beheer.SourceAFAS+", "+beheer.SourceCSV)
		return nil, v.Err()
	}
	if len(employees) == 0 {
		return nil, beheer.Errorf(beheer.CodeInvalid, "people_import.empty")
	}
	employees = slices.Clone(employees)
	valid, problems := checkEmployees(employees)
	if source == beheer.SourceCSV && len(problems) > 0 {
		return nil, problemsError(problems)
	}
	var rep *SyncReport
	err := s.writePeople(ctx, func(t *tx) error {
		rep = &SyncReport{Source: source, At: t.now, OK: true, Total: len(employees), Rows: slices.Clone(problems)}
		rep.Skipped = len(problems)
		if err := t.syncPeople(ctx, actor, source, employees, valid, rep, opts); err != nil {
			return err
		}
		if source == beheer.SourceCSV && len(rep.Rows) > 0 {
			return problemsError(rep.Rows) // rolls everything back
		}
		return t.saveReport(ctx, actor, rep)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// checkEmployees validates every row and finds numbers and addresses used
// twice; it returns the indexes of the rows that may be applied.
func checkEmployees(employees []beheer.Employee) ([]int, []SyncProblem) {
	var valid []int
	var problems []SyncProblem
	numbers, emails := map[string]int{}, map[string]int{}
	for i := range employees {
		e := &employees[i]
		if e.Line == 0 {
			e.Line = i + 1
		}
		if err := e.Validate(); err != nil {
			for _, f := range err.(*beheer.Error).Fields {
				problems = append(problems, SyncProblem{Line: e.Line, Number: e.Number, Field: f.Field, Key: f.Key, Args: f.Args})
			}
			continue
		}
		if first, dup := numbers[e.Number]; dup && e.Number != "" {
			problems = append(problems, SyncProblem{Line: e.Line, Number: e.Number, Field: "employee_number",
				Key: "people_import.duplicate", Args: []any{"line", first}})
			continue
		}
		if first, dup := emails[e.Email]; dup {
			problems = append(problems, SyncProblem{Line: e.Line, Number: e.Number, Field: "email",
				Key: "people_import.duplicate", Args: []any{"line", first}})
			continue
		}
		if e.Number != "" {
			numbers[e.Number] = e.Line
		}
		emails[e.Email] = e.Line
		valid = append(valid, i)
	}
	return valid, problems
}

// problemsError is a validation error naming every problem by line and field.
func problemsError(problems []SyncProblem) error {
	v := beheer.Validation{}
	for _, p := range problems {
		field := p.Field
		if p.Line > 0 {
			field = fmt.Sprintf("line %d: %s", p.Line, p.Field)
		}
		v.Add(field, p.Key, p.Args...)
	}
	return v.Err()
}

func (t *tx) syncPeople(ctx context.Context, actor *beheer.Actor, source string, all []beheer.Employee, valid []int, rep *SyncReport, opts SyncOptions) error {
	if t.s.engine == Postgres {
		// Two syncs at once (the schedule and the command line) take turns;
		// SQLite's single writer does this already.
		if _, err := t.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4242050)`); err != nil {
			return err
		}
	}
	people, err := t.loadSyncPeople(ctx)
	if err != nil {
		return err
	}
	areas, err := t.departmentAreas(ctx)
	if err != nil {
		return err
	}
	byNumber, byEmail := map[string]*syncPerson{}, map[string]*syncPerson{}
	for _, p := range people {
		if p.number != "" {
			byNumber[p.number] = p
		}
		byEmail[p.email] = p
	}
	// A row that cannot be applied still protects its person from being
	// deactivated: they are in the source, only their data is wrong.
	for i := range all {
		if p := byNumber[all[i].Number]; p != nil && all[i].Number != "" {
			p.seen = true
		} else if p := byEmail[strings.ToLower(strings.TrimSpace(all[i].Email))]; p != nil {
			p.seen = true
		}
	}
	active, leavers := 0, 0
	for _, p := range people {
		if p.source == source && p.active {
			active++
			if !p.seen && p.id != actor.UserID {
				leavers++
			}
		}
	}
	if MassLeave(leavers, active) && !opts.ConfirmLeavers {
		return beheer.Errorf(beheer.CodeConflict, "people_import.too_many_leave", "count", leavers, "total", active)
	}
	for _, i := range valid {
		e := all[i]
		p, problem := match(e, byNumber, byEmail)
		if problem != nil {
			rep.Rows = append(rep.Rows, *problem)
			rep.Skipped++
			continue
		}
		var want []beheer.Assignment
		if area := areas[beheer.DepartmentKey(e.Department)]; area != 0 {
			want = []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: area}}
		}
		if p == nil {
			p, err = t.addEmployee(ctx, actor, source, e)
			if err != nil {
				return err
			}
			if p.number != "" {
				byNumber[p.number] = p
			}
			byEmail[p.email] = p
			if _, err := t.syncRoles(ctx, actor, p, want); err != nil {
				return err
			}
			rep.Added++
			continue
		}
		p.seen = true
		changed, err := t.updateEmployee(ctx, actor, source, p, e, byEmail)
		if err != nil {
			return err
		}
		rolesChanged, err := t.syncRoles(ctx, actor, p, want)
		if err != nil {
			return err
		}
		reactivated := false
		if !p.active && p.left {
			if err := t.setLeft(ctx, actor, p, false); err != nil {
				return err
			}
			reactivated = true
		}
		switch {
		case reactivated:
			rep.Reactivated++
		case changed || rolesChanged:
			rep.Updated++
		default:
			rep.Unchanged++
		}
	}
	for _, p := range people {
		if p.source != source || !p.active || p.seen {
			continue
		}
		if p.id == actor.UserID {
			// Nobody locks themselves out through an import.
			rep.Rows = append(rep.Rows, SyncProblem{Number: p.number, Field: "email", Key: "people.not_yourself"})
			continue
		}
		if err := t.setLeft(ctx, actor, p, true); err != nil {
			return err
		}
		rep.Deactivated++
	}
	return nil
}

// match finds the person a row is about: by employee number, else by
// e-mail address. A row whose address belongs to someone with another
// employee number is a problem, not a match.
func match(e beheer.Employee, byNumber, byEmail map[string]*syncPerson) (*syncPerson, *SyncProblem) {
	problem := func(field, key string) *SyncProblem {
		return &SyncProblem{Line: e.Line, Number: e.Number, Field: field, Key: key}
	}
	if e.Number != "" {
		if p := byNumber[e.Number]; p != nil {
			if other := byEmail[e.Email]; other != nil && other != p {
				return nil, problem("email", "people_import.email_taken")
			}
			return p, nil
		}
	}
	p := byEmail[e.Email]
	if p != nil && p.number != "" && e.Number != "" && p.number != e.Number {
		return nil, problem("email", "people_import.email_taken")
	}
	return p, nil
}

func (t *tx) loadSyncPeople(ctx context.Context) ([]*syncPerson, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, email, name, COALESCE(employee_number, ''), department, manager_number,
		source, active, left_at IS NOT NULL FROM users ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*syncPerson
	byID := map[int64]*syncPerson{}
	for rows.Next() {
		p := &syncPerson{}
		if err := rows.Scan(&p.id, &p.email, &p.name, &p.number, &p.dept, &p.manager, &p.source, &p.active, &p.left); err != nil {
			return nil, err
		}
		out = append(out, p)
		byID[p.id] = p
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
			p.synced = append(p.synced, a)
		}
	}
	return out, rr.Err()
}

func (t *tx) addEmployee(ctx context.Context, actor *beheer.Actor, source string, e beheer.Employee) (*syncPerson, error) {
	p := &syncPerson{email: e.Email, name: e.Name, number: e.Number, dept: e.Department, manager: e.Manager,
		source: source, active: true, seen: true}
	if err := t.QueryRowContext(ctx, `INSERT INTO users (email, name, lang, password_hash, employee_number, department,
		manager_number, source, created_at, updated_at) VALUES ($1, $2, 'nl', '', $3, $4, $5, $6, $7, $7) RETURNING id`,
		e.Email, e.Name, nullText(e.Number), e.Department, e.Manager, source, ms(t.now)).Scan(&p.id); err != nil {
		return nil, err
	}
	if err := t.audit(ctx, actor, 0, "user.created", "email", "", e.Email, false); err != nil {
		return nil, err
	}
	return p, t.audit(ctx, actor, 0, "user.source", "user:"+itoa(p.id), "", source, false)
}

// updateEmployee makes a person's data follow the source, with an audit
// row per changed field; it reports whether anything changed.
func (t *tx) updateEmployee(ctx context.Context, actor *beheer.Actor, source string, p *syncPerson, e beheer.Employee, byEmail map[string]*syncPerson) (bool, error) {
	number := p.number
	if e.Number != "" {
		number = e.Number
	}
	changes := []struct {
		action string
		cur    *string
		value  string
	}{
		{"user.name", &p.name, e.Name},
		{"user.email", &p.email, e.Email},
		{"user.employee_number", &p.number, number},
		{"user.department", &p.dept, e.Department},
		{"user.manager", &p.manager, e.Manager},
		{"user.source", &p.source, source},
	}
	changed := false
	for _, c := range changes {
		if *c.cur == c.value {
			continue
		}
		if err := t.audit(ctx, actor, 0, c.action, "user:"+itoa(p.id), *c.cur, c.value, false); err != nil {
			return false, err
		}
		if c.action == "user.email" {
			delete(byEmail, p.email)
			byEmail[c.value] = p
		}
		*c.cur = c.value
		changed = true
	}
	if !changed {
		return false, nil
	}
	_, err := t.ExecContext(ctx, `UPDATE users SET name = $1, email = $2, employee_number = $3, department = $4,
		manager_number = $5, source = $6, updated_at = $7 WHERE id = $8`,
		p.name, p.email, nullText(p.number), p.dept, p.manager, p.source, ms(t.now), p.id)
	return true, err
}

// setLeft deactivates a person who left the source (ending their sessions)
// or reactivates one who came back.
func (t *tx) setLeft(ctx context.Context, actor *beheer.Actor, p *syncPerson, left bool) error {
	var leftAt any
	if left {
		leftAt = ms(t.now)
	}
	if _, err := t.ExecContext(ctx, `UPDATE users SET active = $1, left_at = $2, updated_at = $3 WHERE id = $4`,
		!left, leftAt, ms(t.now), p.id); err != nil {
		return err
	}
	if left {
		if err := t.endSessions(ctx, p.id); err != nil {
			return err
		}
		if err := t.revokeTokens(ctx, nil, p.id, actor); err != nil {
			return err
		}
	}
	p.active, p.left = !left, left
	return t.audit(ctx, actor, 0, "user.active", "user:"+itoa(p.id), boolText(left), boolText(!left), false)
}

// syncRoles makes the roles the sync gave a person the wanted ones: it
// removes the synced roles no longer wanted and adds the missing ones as
// synced. A role the person already holds by hand stays a hand-given role.
func (t *tx) syncRoles(ctx context.Context, actor *beheer.Actor, p *syncPerson, want []beheer.Assignment) (bool, error) {
	before := slices.Clone(p.synced)
	changed := false
	for _, a := range p.synced {
		if slices.Contains(want, a) {
			continue
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND area_id = $3 AND synced`,
			p.id, a.Role, a.AreaID); err != nil {
			return false, err
		}
		changed = true
	}
	var now []beheer.Assignment
	for _, a := range want {
		res, err := t.ExecContext(ctx, `INSERT INTO user_roles (user_id, role, area_id, synced) VALUES ($1, $2, $3, TRUE)
			ON CONFLICT DO NOTHING`, p.id, a.Role, a.AreaID)
		if err != nil {
			return false, err
		}
		n, _ := res.RowsAffected()
		if n > 0 {
			changed = true
		}
		if n > 0 || slices.Contains(p.synced, a) {
			now = append(now, a)
		}
	}
	p.synced = now
	if !changed {
		return false, nil
	}
	return true, t.audit(ctx, actor, 0, "user.synced_roles", "user:"+itoa(p.id), formatRoles(before), formatRoles(now), false)
}

func (t *tx) saveReport(ctx context.Context, actor *beheer.Actor, rep *SyncReport) error {
	if rep.Rows == nil {
		rep.Rows = []SyncProblem{}
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
	after := fmt.Sprintf("added=%d updated=%d deactivated=%d reactivated=%d unchanged=%d skipped=%d",
		rep.Added, rep.Updated, rep.Deactivated, rep.Reactivated, rep.Unchanged, rep.Skipped)
	if !rep.OK {
		after = rep.ErrorKey
	}
	return t.audit(ctx, actor, 0, "people.synced", rep.Source, "", after, false)
}

// RecordSyncFailure keeps a sync that could not run — the source did not
// answer, refused the credentials, or answered something unreadable — so
// the portal shows it. key is the catalogue key of the reason. Nobody's
// account changes.
func (s *Store) RecordSyncFailure(ctx context.Context, actor *beheer.Actor, source, key string) (*SyncReport, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	var rep *SyncReport
	err := s.write(ctx, func(t *tx) error {
		rep = &SyncReport{Source: source, At: t.now, ErrorKey: key}
		return t.saveReport(ctx, actor, rep)
	})
	return rep, err
}

// SyncReports returns the last syncs, newest first, for functional admins.
func (s *Store) SyncReports(ctx context.Context, actor *beheer.Actor, limit int) ([]SyncReport, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	out := []SyncReport{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, source, at, ok, error_key, total, added, updated, deactivated, reactivated,
			unchanged, skipped, rows FROM people_syncs ORDER BY at DESC, id DESC LIMIT $1`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r SyncReport
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

// DepartmentArea is a department the people of Beheer belong to, and the
// area whose key users they are (0: none).
type DepartmentArea struct {
	Department string `json:"department"`
	AreaID     int64  `json:"area_id"`
	People     int    `json:"people"` // active people in it
}

// DepartmentAreas lists every department known from people or mapped, with
// its area, for functional admins for all areas.
func (s *Store) DepartmentAreas(ctx context.Context, actor *beheer.Actor) ([]DepartmentArea, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	byKey := map[string]*DepartmentArea{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT department, name, area_id FROM department_areas`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			d := &DepartmentArea{}
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
				byKey[key] = &DepartmentArea{Department: name}
			}
			byKey[key].People += n
		}
		return pr.Err()
	})
	out := make([]DepartmentArea, 0, len(byKey))
	for _, d := range byKey {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b DepartmentArea) int {
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
		return beheer.ErrForbidden("")
	}
	name := strings.Join(strings.Fields(department), " ")
	key := beheer.DepartmentKey(name)
	var v beheer.Validation
	if key == "" {
		v.Add("department", "field.required")
	} else if len([]rune(name)) > beheer.MaxName {
		v.Add("department", "field.too_long", "max", beheer.MaxName)
	}
	if err := v.Err(); err != nil {
		return err
	}
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
		var want []beheer.Assignment
		if areaID != 0 {
			want = []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: areaID}}
		}
		people, err := t.loadSyncPeople(ctx)
		if err != nil {
			return err
		}
		for _, p := range people {
			if beheer.DepartmentKey(p.dept) == key {
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

// Employment is what the HR administration says about a person.
type Employment struct {
	Number     string `json:"employee_number,omitempty"`
	Department string `json:"department,omitempty"`
	Manager    string `json:"manager,omitempty"` // the manager's employee number
	Source     string `json:"source,omitempty"`  // afas, csv, or empty for someone added by hand
}

// Employments returns the employment data of everyone who has some, by
// person id, for functional admins for all areas.
func (s *Store) Employments(ctx context.Context, actor *beheer.Actor) (map[int64]Employment, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	out := map[int64]Employment{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(employee_number, ''), department, manager_number, source FROM users
			WHERE employee_number IS NOT NULL OR department <> '' OR source <> ''`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var e Employment
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
