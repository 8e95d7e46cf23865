package beheer

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
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
// deactivates anyone. An empty list is refused for the same reason. The
// rules of this file decide; the store loads the people, writes and audits.

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

// Tally counts a person the list named who was there before: reactivated
// counts over changed, changed over unchanged, so each person counts once.
func (r *SyncReport) Tally(reactivated, changed bool) {
	switch {
	case reactivated:
		r.Reactivated++
	case changed:
		r.Updated++
	default:
		r.Unchanged++
	}
}

// Summary is the sync's outcome in one line for the audit trail: the
// counts of a sync that ran, or why it could not.
func (r *SyncReport) Summary() string {
	if !r.OK {
		return r.ErrorKey
	}
	return fmt.Sprintf("added=%d updated=%d deactivated=%d reactivated=%d unchanged=%d skipped=%d",
		r.Added, r.Updated, r.Deactivated, r.Reactivated, r.Unchanged, r.Skipped)
}

// SyncProblem is a row the sync could not apply, and why.
type SyncProblem struct {
	Line   int    `json:"line"`
	Number string `json:"employee_number,omitempty"`
	Field  string `json:"field"`
	Key    string `json:"key"`
	Args   []any  `json:"args,omitempty"`
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

// CheckSource refuses a sync for anything but a known people source.
func CheckSource(source string) error {
	if !ValidSource(source) {
		return Invalid("source", "field.invalid_choice", "choices", SourceAFAS+", "+SourceCSV)
	}
	return nil
}

// CheckEmployees validates (and normalises) every row of a list and finds
// employee numbers and addresses used twice; it returns the indexes of the
// rows that may be applied and a problem per row that may not. A row
// without a line gets its position in the list (from 1).
func CheckEmployees(employees []Employee) (valid []int, problems []SyncProblem) {
	numbers, emails := map[string]int{}, map[string]int{}
	for i := range employees {
		e := &employees[i]
		if e.Line == 0 {
			e.Line = i + 1
		}
		if err := e.Validate(); err != nil {
			for _, f := range err.(*Error).Fields {
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

// SyncProblemsError is a validation error naming every problem by line and
// field: how a CSV import with any bad row is refused as a whole.
func SyncProblemsError(problems []SyncProblem) error {
	v := Validation{}
	for _, p := range problems {
		field := p.Field
		if p.Line > 0 {
			field = fmt.Sprintf("line %d: %s", p.Line, p.Field)
		}
		v.Add(field, p.Key, p.Args...)
	}
	return v.Err()
}

// SyncPerson is an account as the sync compares it with a row: its data,
// where it came from, and what the sync did with it so far.
type SyncPerson struct {
	ID                                       int64
	Email, Name, Number, Department, Manager string
	Source                                   string // afas, csv, or "" for someone added by hand
	Active                                   bool
	Left                                     bool         // deactivated by a sync because they left the source
	Seen                                     bool         // the list names them
	Synced                                   []Assignment // the roles the sync gave them
}

// Gone reports whether the person has left source: an active person of
// that source whom the list does not name. Only they are deactivated;
// people added by hand or by another source are never touched.
func (p *SyncPerson) Gone(source string) bool {
	return p.Source == source && p.Active && !p.Seen
}

// Returns reports whether a person the list names again is reactivated:
// only when a sync deactivated them. Someone deactivated by hand stays so.
func (p *SyncPerson) Returns() bool { return !p.Active && p.Left }

// SyncChange is one field of a person that follows the source, for the
// audit trail.
type SyncChange struct {
	Action        string // user.name, user.email, …
	Before, After string
}

// Roster finds the people a sync compares a list with: by employee number
// and by e-mail address.
type Roster struct {
	byNumber, byEmail map[string]*SyncPerson
}

// NewRoster indexes people.
func NewRoster(people []*SyncPerson) *Roster {
	r := &Roster{byNumber: map[string]*SyncPerson{}, byEmail: map[string]*SyncPerson{}}
	for _, p := range people {
		r.Add(p)
	}
	return r
}

// Add indexes one more person (one the sync just added).
func (r *Roster) Add(p *SyncPerson) {
	if p.Number != "" {
		r.byNumber[p.Number] = p
	}
	r.byEmail[p.Email] = p
}

// MarkSeen marks everyone the list names, also by rows that cannot be
// applied: such a person is in the source, only their data is wrong, so
// they are not deactivated.
func (r *Roster) MarkSeen(rows []Employee) {
	for _, e := range rows {
		if p := r.byNumber[e.Number]; p != nil && e.Number != "" {
			p.Seen = true
		} else if p := r.byEmail[strings.ToLower(strings.TrimSpace(e.Email))]; p != nil {
			p.Seen = true
		}
	}
}

// Match finds the person a valid row is about: by employee number, else by
// e-mail address; nil is someone new. A row whose address belongs to
// someone with another employee number is a problem, not a match.
func (r *Roster) Match(e Employee) (*SyncPerson, *SyncProblem) {
	taken := &SyncProblem{Line: e.Line, Number: e.Number, Field: "email", Key: "people_import.email_taken"}
	if e.Number != "" {
		if p := r.byNumber[e.Number]; p != nil {
			if other := r.byEmail[e.Email]; other != nil && other != p {
				return nil, taken
			}
			return p, nil
		}
	}
	p := r.byEmail[e.Email]
	if p != nil && p.Number != "" && e.Number != "" && p.Number != e.Number {
		return nil, taken
	}
	return p, nil
}

// Follow makes the person's data follow the row of source and returns what
// changed, in the order the audit trail lists it. A row without an
// employee number keeps the person's. The roster finds the person by their
// new address from then on.
func (r *Roster) Follow(p *SyncPerson, e Employee, source string) []SyncChange {
	number := p.Number
	if e.Number != "" {
		number = e.Number
	}
	fields := []struct {
		action string
		cur    *string
		value  string
	}{
		{"user.name", &p.Name, e.Name},
		{"user.email", &p.Email, e.Email},
		{"user.employee_number", &p.Number, number},
		{"user.department", &p.Department, e.Department},
		{"user.manager", &p.Manager, e.Manager},
		{"user.source", &p.Source, source},
	}
	var changes []SyncChange
	for _, f := range fields {
		if *f.cur == f.value {
			continue
		}
		changes = append(changes, SyncChange{Action: f.action, Before: *f.cur, After: f.value})
		if f.cur == &p.Email {
			delete(r.byEmail, p.Email)
			r.byEmail[f.value] = p
		}
		*f.cur = f.value
	}
	return changes
}

// CheckLeavers refuses a sync that would deactivate too many of the active
// people of source at once (MassLeave) unless opts confirm it. The actor
// never counts: nobody locks themselves out through an import.
func CheckLeavers(people []*SyncPerson, source string, actorID int64, opts SyncOptions) error {
	active, leavers := 0, 0
	for _, p := range people {
		if p.Source == source && p.Active {
			active++
			if !p.Seen && p.ID != actorID {
				leavers++
			}
		}
	}
	if MassLeave(leavers, active) && !opts.ConfirmLeavers {
		return Errorf(CodeConflict, "people_import.too_many_leave", "count", leavers, "total", active)
	}
	return nil
}

// DepartmentArea is a department the people of Beheer belong to, and the
// area whose key users they are (0: none).
type DepartmentArea struct {
	Department string `json:"department"`
	AreaID     int64  `json:"area_id"`
	People     int    `json:"people"` // active people in it
}

// CheckDepartment normalises a department's name for a mapping (spacing
// collapsed, case kept for display) and checks it; compare it by
// DepartmentKey.
func CheckDepartment(department string) (string, error) {
	name := strings.Join(strings.Fields(department), " ")
	switch {
	case name == "":
		return "", Invalid("department", "field.required")
	case utf8.RuneCountInString(name) > MaxName:
		return "", Invalid("department", "field.too_long", "max", MaxName)
	}
	return name, nil
}

// DepartmentRoles are the roles a department mapped to areaID gives its
// people: key user of that area; none when it is mapped to no area.
func DepartmentRoles(areaID int64) []Assignment {
	if areaID == 0 {
		return nil
	}
	return []Assignment{{Role: RoleKeyUser, AreaID: areaID}}
}

// Employment is what the HR administration says about a person.
type Employment struct {
	Number     string `json:"employee_number,omitempty"`
	Department string `json:"department,omitempty"`
	Manager    string `json:"manager,omitempty"` // the manager's employee number
	Source     string `json:"source,omitempty"`  // afas, csv, or empty for someone added by hand
}
