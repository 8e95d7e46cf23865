package beheer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// The areas and people the rule tests use. Area 1 is the request's own area
// (say HR), area 2 another one (say Salaris).
const (
	areaOwn   int64 = 1
	areaOther int64 = 2

	idRequester   int64 = 10
	idAssignee    int64 = 11
	idPlainUser   int64 = 12
	idKeyUser     int64 = 20
	idKeyUserElse int64 = 21
	idFunc        int64 = 22
	idFuncOwn     int64 = 23
	idFuncElse    int64 = 24
	idTech        int64 = 25
	idTechElse    int64 = 26
	idManagement  int64 = 27
)

// testNow is the clock of every rule test.
var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// actor builds a person with the given roles.
func actor(id int64, roles ...Assignment) *Actor {
	return &Actor{UserID: id, Name: fmt.Sprintf("user %d", id), Roles: roles}
}

// role is an assignment; area 0 means every area.
func role(r Role, area int64) Assignment { return Assignment{Role: r, AreaID: area} }

// request builds a question in area 1 in Onderzoek, filed by idRequester and
// assigned to idAssignee, closed a day ago (only used when it is closed);
// opts change it.
func request(opts ...func(*Request)) *Request {
	r := &Request{
		ID: 100, Number: "2026-0100", Type: TypeQuestion, Title: "Verlof aanvragen lukt niet",
		AreaID: areaOwn, Priority: PriorityNormal, RequesterID: idRequester, AssigneeID: idAssignee,
		Phase: PhaseInvestigation, Status: StatusAwaitingAssignee, Version: 3,
		CreatedAt: testNow.Add(-30 * 24 * time.Hour), UpdatedAt: testNow.Add(-24 * time.Hour),
		ClosedAt: testNow.Add(-24 * time.Hour),
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// inPhase puts the request in phase p with the status it gets on entry.
func inPhase(p Phase) func(*Request) {
	return func(r *Request) { r.Phase = p; r.Status = StatusOnEntry(p, Facts{}) }
}

func ofType(t Type) func(*Request) {
	return func(r *Request) { r.Type = t }
}

func inArea(a int64) func(*Request) {
	return func(r *Request) { r.AreaID = a }
}

func withStatus(s Status) func(*Request) {
	return func(r *Request) { r.Status = s }
}

func closedAgo(d time.Duration) func(*Request) {
	return func(r *Request) { r.ClosedAt = testNow.Add(-d) }
}

func ptr[T any](v T) *T { return &v }

// result is what an error says, in the terms the tests assert on.
type result struct {
	Code   Code // "" for nil
	Key    string
	Fields []string
	Args   []any
}

// allowed is the expected result of a check that allows the action.
var allowed = result{}

func (r result) String() string {
	if r.Code == "" {
		return "ok"
	}
	s := string(r.Code)
	if r.Key != "" {
		s += " " + r.Key
	}
	if len(r.Fields) > 0 {
		s += " [" + strings.Join(r.Fields, ",") + "]"
	}
	return s
}

// resultOf reads an error returned by a rule.
func resultOf(err error) result {
	if err == nil {
		return allowed
	}
	var e *Error
	if !errors.As(err, &e) {
		return result{Code: CodeInternal, Key: err.Error()}
	}
	r := result{Code: e.Code, Key: e.Key, Args: e.Args}
	for _, f := range e.Fields {
		r.Fields = append(r.Fields, f.Field)
	}
	return r
}

// matches reports whether got is what want asks for: always the code; the
// key and the field names (in any order) only when want names them.
func (want result) matches(got result) bool {
	if got.Code != want.Code {
		return false
	}
	if want.Key != "" && got.Key != want.Key {
		return false
	}
	if want.Fields != nil && !slices.Equal(sorted(got.Fields), sorted(want.Fields)) {
		return false
	}
	return true
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// Shorthands for expected results.

func forbidden(key string) result {
	return result{Code: CodeForbidden, Key: key}
}

func conflict(key string) result {
	return result{Code: CodeConflict, Key: key}
}

func invalid(fields ...string) result {
	return result{Code: CodeInvalid, Key: "error.invalid", Fields: fields}
}

func notFound() result {
	return result{Code: CodeNotFound, Key: "error.not_found"}
}

func fieldsForbidden(fields ...string) result {
	return result{Code: CodeForbidden, Key: "error.fields_forbidden", Fields: fields}
}

// verdict reports a failed expectation, or skips it as a known bug when the
// row names one. A row whose bug is fixed simply passes.
func verdict(t *testing.T, bug string, good bool, format string, args ...any) {
	t.Helper()
	if good {
		return
	}
	if bug != "" {
		t.Skipf("BUG: %s; "+format, append([]any{bug}, args...)...)
	}
	t.Errorf(format, args...)
}

// expect checks a rule's error against the expected result.
func expect(t *testing.T, bug string, err error, want result) {
	t.Helper()
	got := resultOf(err)
	verdict(t, bug, want.matches(got), "got %v, want %v", got, want)
}

// outcomeName is the readable end of a subtest name.
func outcomeName(r result) string {
	switch r.Code {
	case "":
		return "ok"
	case CodeNotFound:
		return "not_found"
	}
	return string(r.Code)
}

// person is one kind of actor the request rules distinguish, with the facts
// that come with them.
type person struct {
	name  string
	actor *Actor
	facts Facts
}

// people returns the actor kinds of the lifecycle tables, for a request in
// area 1 filed by idRequester and assigned to idAssignee.
func people() []person {
	return []person{
		{"requester", actor(idRequester), Facts{}},
		{"other_user", actor(idPlainUser), Facts{}},
		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), Facts{}},
		{"key_user/other_area", actor(idKeyUserElse, role(RoleKeyUser, areaOther)), Facts{}},
		{"functional_admin/unscoped", actor(idFunc, role(RoleFunctionalAdmin, 0)), Facts{}},
		{"functional_admin/own_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), Facts{}},
		{"functional_admin/other_area", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), Facts{}},
		{"technical_admin/own_area", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), Facts{}},
		{"technical_admin/other_area", actor(idTechElse, role(RoleTechnicalAdmin, areaOther)), Facts{}},
		{"technical_admin/other_area+task", actor(idTechElse, role(RoleTechnicalAdmin, areaOther)), Facts{HasTask: true}},
		{"management", actor(idManagement, role(RoleManagement, 0)), Facts{}},
		{"assignee", actor(idAssignee), Facts{}},
	}
}

// personNamed returns one of people().
func personNamed(t *testing.T, name string) person {
	t.Helper()
	for _, p := range people() {
		if p.name == name {
			return p
		}
	}
	t.Fatalf("no person %q", name)
	return person{}
}
