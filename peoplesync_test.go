package beheer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestMassLeave: more than five leavers and more than a fifth of the
// active people need a confirmation.
func TestMassLeave(t *testing.T) {
	tests := []struct {
		leavers, active int
		want            bool
	}{
		{0, 0, false},
		{5, 5, false},    // five is never too many
		{6, 30, false},   // a fifth exactly
		{6, 29, true},    // more than a fifth
		{7, 100, false},  // a few of many
		{21, 100, true},  // more than a fifth of many
		{100, 100, true}, // everyone
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_of_%d/%v", tt.leavers, tt.active, tt.want), func(t *testing.T) {
			if got := MassLeave(tt.leavers, tt.active); got != tt.want {
				t.Errorf("MassLeave(%d, %d) = %v", tt.leavers, tt.active, got)
			}
		})
	}
}

func TestCheckSource(t *testing.T) {
	for _, tt := range []struct {
		source string
		want   result
	}{
		{SourceAFAS, allowed},
		{SourceCSV, allowed},
		{"", invalid("source")},
		{"ldap", invalid("source")},
	} {
		t.Run(tt.source+"/"+outcomeName(tt.want), func(t *testing.T) {
			expect(t, "", CheckSource(tt.source), tt.want)
		})
	}
}

// TestCheckEmployees: every row is checked; a number or address used twice
// is refused on its second line, naming the first; the rest may be applied.
func TestCheckEmployees(t *testing.T) {
	rows := []Employee{
		{Number: "1", Name: "Pieter", Email: "Pieter@Voorbeeld.nl"},
		{Number: "2", Name: "", Email: "sanne@voorbeeld.nl"},           // no name
		{Number: "1", Name: "Kees", Email: "kees@voorbeeld.nl"},        // number used on line 1
		{Number: "4", Name: "Piet", Email: "pieter@voorbeeld.nl "},     // address used on line 1
		{Number: "", Name: "Anna", Email: "anna@voorbeeld.nl"},         // no number is fine
		{Number: "", Name: "Jan", Email: "jan@voorbeeld.nl", Line: 40}, // its own line
		{Number: "7", Name: "Fout", Email: "geen adres", Manager: "7"}, // two problems
	}
	valid, problems := CheckEmployees(rows)
	if want := []int{0, 4, 5}; !slices.Equal(valid, want) {
		t.Errorf("valid %v, want %v", valid, want)
	}
	var got []string
	for _, p := range problems {
		got = append(got, fmt.Sprintf("%d %s %s %s %v", p.Line, p.Number, p.Field, p.Key, p.Args))
	}
	want := []string{
		"2 2 name field.required []",
		"3 1 employee_number people_import.duplicate [line 1]",
		"4 4 email people_import.duplicate [line 1]",
		"7 7 email field.invalid_email []",
		"7 7 manager people_import.own_manager []",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[0].Email != "pieter@voorbeeld.nl" || rows[4].Line != 5 || rows[5].Line != 40 {
		t.Errorf("rows not normalised and numbered: %+v", rows)
	}
}

func TestSyncProblemsError(t *testing.T) {
	err := SyncProblemsError([]SyncProblem{
		{Line: 3, Field: "email", Key: "field.invalid_email"},
		{Field: "email", Key: "people.not_yourself"},
	})
	expect(t, "", err, invalid("line 3: email", "email"))
	if SyncProblemsError(nil) != nil {
		t.Error("no problems is no error")
	}
}

// syncPeople is the roster of the matching tests: Pieter (number 1001),
// Anna added by hand without a number, and Kees of the other source.
func syncPeople() []*SyncPerson {
	return []*SyncPerson{
		{ID: 1, Email: "pieter@voorbeeld.nl", Name: "Pieter", Number: "1001", Source: SourceAFAS, Active: true},
		{ID: 2, Email: "anna@voorbeeld.nl", Name: "Anna", Active: true},
		{ID: 3, Email: "kees@voorbeeld.nl", Name: "Kees", Number: "3003", Source: SourceCSV, Active: true},
	}
}

// TestRosterMatch: by employee number first, then by address; an address
// of someone with another number is a problem, not a match.
func TestRosterMatch(t *testing.T) {
	tests := []struct {
		name    string
		row     Employee
		want    int64 // the matched person; 0 is someone new
		problem bool
	}{
		{"by_number", Employee{Number: "1001", Email: "p.jansen@voorbeeld.nl"}, 1, false},
		{"by_number_and_own_address", Employee{Number: "1001", Email: "pieter@voorbeeld.nl"}, 1, false},
		{"by_address_without_number", Employee{Email: "anna@voorbeeld.nl"}, 2, false},
		{"by_address_gives_a_number", Employee{Number: "2002", Email: "anna@voorbeeld.nl"}, 2, false},
		{"by_address_row_without_number", Employee{Email: "pieter@voorbeeld.nl"}, 1, false},
		{"someone_new", Employee{Number: "4004", Email: "jan@voorbeeld.nl"}, 0, false},
		{"number_with_someone_elses_address", Employee{Number: "1001", Email: "anna@voorbeeld.nl"}, 0, true},
		{"address_of_another_number", Employee{Number: "9009", Email: "kees@voorbeeld.nl"}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRoster(syncPeople())
			tt.row.Line = 7
			p, problem := r.Match(tt.row)
			var got int64
			if p != nil {
				got = p.ID
			}
			if got != tt.want || (problem != nil) != tt.problem {
				t.Fatalf("Match = %d, %+v; want %d, problem %v", got, problem, tt.want, tt.problem)
			}
			if problem != nil && (problem.Line != 7 || problem.Number != tt.row.Number || problem.Field != "email" ||
				problem.Key != "people_import.email_taken") {
				t.Errorf("problem %+v", problem)
			}
		})
	}
}

// TestRosterMarkSeen: a row names its person by number, else by address
// (case and spacing do not matter), even a row that cannot be applied.
func TestRosterMarkSeen(t *testing.T) {
	people := syncPeople()
	r := NewRoster(people)
	r.MarkSeen([]Employee{{Number: "1001", Email: "nieuw@voorbeeld.nl"}, {Name: "", Email: " ANNA@voorbeeld.nl "}})
	var seen []int64
	for _, p := range people {
		if p.Seen {
			seen = append(seen, p.ID)
		}
	}
	if want := []int64{1, 2}; !slices.Equal(seen, want) {
		t.Errorf("seen %v, want %v", seen, want)
	}
}

// TestRosterFollow: the person's data follows the row, a change per field
// in audit order; a row without a number keeps the person's; the new
// address finds the person from then on.
func TestRosterFollow(t *testing.T) {
	people := syncPeople()
	r := NewRoster(people)
	anna := people[1]
	changes := r.Follow(anna, Employee{Name: "Anna de Vries", Email: "a.devries@voorbeeld.nl", Department: "Verkoop"}, SourceCSV)
	want := []SyncChange{
		{"user.name", "Anna", "Anna de Vries"},
		{"user.email", "anna@voorbeeld.nl", "a.devries@voorbeeld.nl"},
		{"user.department", "", "Verkoop"},
		{"user.source", "", SourceCSV},
	}
	if !slices.Equal(changes, want) {
		t.Errorf("changes %+v, want %+v", changes, want)
	}
	if anna.Name != "Anna de Vries" || anna.Email != "a.devries@voorbeeld.nl" || anna.Source != SourceCSV {
		t.Errorf("anna %+v", anna)
	}
	if p, _ := r.Match(Employee{Email: "a.devries@voorbeeld.nl"}); p != anna {
		t.Errorf("new address finds %+v", p)
	}
	if p, _ := r.Match(Employee{Email: "anna@voorbeeld.nl"}); p != nil {
		t.Errorf("old address finds %+v", p)
	}
	if again := r.Follow(anna, Employee{Name: "Anna de Vries", Email: "a.devries@voorbeeld.nl", Department: "Verkoop"}, SourceCSV); len(again) != 0 {
		t.Errorf("the same row again changes %+v", again)
	}
	if number := r.Follow(people[0], Employee{Number: "1010", Name: "Pieter", Email: "pieter@voorbeeld.nl"}, SourceAFAS); !slices.Equal(number,
		[]SyncChange{{"user.employee_number", "1001", "1010"}}) {
		t.Errorf("number change %+v", number)
	}
}

// TestSyncPersonGoneAndReturns: only active people of the source the list
// does not name leave; only people a sync deactivated come back.
func TestSyncPersonGoneAndReturns(t *testing.T) {
	tests := []struct {
		name          string
		p             SyncPerson
		gone, returns bool
	}{
		{"named_in_the_list", SyncPerson{Source: SourceAFAS, Active: true, Seen: true}, false, false},
		{"not_named", SyncPerson{Source: SourceAFAS, Active: true}, true, false},
		{"added_by_hand", SyncPerson{Source: "", Active: true}, false, false},
		{"other_source", SyncPerson{Source: SourceCSV, Active: true}, false, false},
		{"already_left", SyncPerson{Source: SourceAFAS, Left: true}, false, true},
		{"deactivated_by_hand", SyncPerson{Source: SourceAFAS}, false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/gone=%v,returns=%v", tt.name, tt.gone, tt.returns), func(t *testing.T) {
			if got := tt.p.Gone(SourceAFAS); got != tt.gone {
				t.Errorf("Gone = %v", got)
			}
			if got := tt.p.Returns(); got != tt.returns {
				t.Errorf("Returns = %v", got)
			}
		})
	}
}

// TestCheckLeavers: many leavers of the source need a confirmation; people
// of another source, people added by hand and the actor never count.
func TestCheckLeavers(t *testing.T) {
	staff := func(n, seen int, extra ...*SyncPerson) []*SyncPerson {
		var out []*SyncPerson
		for i := range n {
			out = append(out, &SyncPerson{ID: int64(100 + i), Source: SourceAFAS, Active: true, Seen: i < seen})
		}
		return append(out, extra...)
	}
	tests := []struct {
		name    string
		people  []*SyncPerson
		actor   int64
		confirm bool
		want    result
	}{
		{"few_leave", staff(10, 8), 0, false, allowed},
		{"many_leave", staff(10, 2), 0, false, conflict("people_import.too_many_leave")},
		{"many_leave_confirmed", staff(10, 2), 0, true, allowed},
		{"the_actor_does_not_count", staff(8, 2), 107, false, allowed},
		{"other_sources_do_not_count", staff(30, 24, &SyncPerson{Source: SourceCSV, Active: true},
			&SyncPerson{Source: "", Active: true}), 0, false, allowed},
		{"inactive_do_not_count", staff(6, 0, &SyncPerson{Source: SourceAFAS}), 0, false, conflict("people_import.too_many_leave")},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+outcomeName(tt.want), func(t *testing.T) {
			expect(t, "", CheckLeavers(tt.people, SourceAFAS, tt.actor, SyncOptions{ConfirmLeavers: tt.confirm}), tt.want)
		})
	}
	err := CheckLeavers(staff(10, 2), SourceAFAS, 0, SyncOptions{})
	if got := resultOf(err).Args; !slices.Equal(got, []any{"count", 8, "total", 10}) {
		t.Errorf("args %v", got)
	}
}

func TestCheckDepartment(t *testing.T) {
	tests := []struct {
		in, name string
		want     result
	}{
		{"Verkoop", "Verkoop", allowed},
		{"  Salaris   administratie ", "Salaris administratie", allowed},
		{"", "", invalid("department")},
		{" \t ", "", invalid("department")},
		{strings.Repeat("é", MaxName), strings.Repeat("é", MaxName), allowed},
		{strings.Repeat("é", MaxName+1), "", invalid("department")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%.20q/%s", tt.in, outcomeName(tt.want)), func(t *testing.T) {
			name, err := CheckDepartment(tt.in)
			expect(t, "", err, tt.want)
			if name != tt.name {
				t.Errorf("name %q, want %q", name, tt.name)
			}
		})
	}
}

func TestDepartmentRoles(t *testing.T) {
	if got := DepartmentRoles(0); got != nil {
		t.Errorf("unmapped gives %v", got)
	}
	if got := DepartmentRoles(areaOwn); !slices.Equal(got, []Assignment{{Role: RoleKeyUser, AreaID: areaOwn}}) {
		t.Errorf("mapped gives %v", got)
	}
}

// TestSyncReportTally: each person counts once, reactivated over updated
// over unchanged; the summary says the counts, or why the sync did not run.
func TestSyncReportTally(t *testing.T) {
	var r SyncReport
	r.Tally(true, true)
	r.Tally(false, true)
	r.Tally(false, true)
	r.Tally(false, false)
	if r.Reactivated != 1 || r.Updated != 2 || r.Unchanged != 1 {
		t.Errorf("tally %+v", r)
	}
	r.OK = true
	if got := r.Summary(); got != "added=0 updated=2 deactivated=0 reactivated=1 unchanged=1 skipped=0" {
		t.Errorf("summary %q", got)
	}
	failed := SyncReport{ErrorKey: "people_import.afas_network"}
	if got := failed.Summary(); got != "people_import.afas_network" {
		t.Errorf("failed summary %q", got)
	}
}
