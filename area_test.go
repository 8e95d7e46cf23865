package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAreaInputValidate: a code of lower-case letters, digits and inner
// hyphens, a name, a short description.
func TestAreaInputValidate(t *testing.T) {
	tests := []struct {
		name string
		in   AreaInput
		want result
	}{
		{"plain", AreaInput{Code: "hr", Name: "HR"}, allowed},
		{"code_upper_trimmed", AreaInput{Code: " Sitebeheer-InSite ", Name: "Sitebeheer"}, allowed},
		{"no_code", AreaInput{Name: "HR"}, invalid("code")},
		{"code_space", AreaInput{Code: "site beheer", Name: "Sitebeheer"}, invalid("code")},
		{"code_edge_hyphen", AreaInput{Code: "-hr", Name: "HR"}, invalid("code")},
		{"code_double_hyphen", AreaInput{Code: "a--b", Name: "HR"}, invalid("code")},
		{"code_too_long", AreaInput{Code: strings.Repeat("a", MaxAreaCode+1), Name: "HR"}, invalid("code")},
		{"no_name", AreaInput{Code: "hr", Name: " "}, invalid("name")},
		{"description_too_long", AreaInput{Code: "hr", Name: "HR", Description: strings.Repeat("x", MaxNote+1)}, invalid("description")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(), tt.want)
		})
	}
}

// TestCodeFromName: a code suggested from a name is one Validate accepts.
func TestCodeFromName(t *testing.T) {
	for name, want := range map[string]string{
		"HR": "hr", "Sitebeheer (InSite/OutSite)": "sitebeheer-insite-outsite", "Salaris & Loon": "salaris-loon",
		"Financiën": "financien", "  ": "", strings.Repeat("lang ", 20): "lang-lang-lang-lang-lang-lang-lang-lang",
	} {
		if got := CodeFromName(name); got != want {
			t.Errorf("CodeFromName(%q) = %q, want %q", name, got, want)
		}
		if want != "" {
			in := AreaInput{Code: CodeFromName(name), Name: "x"}
			if err := in.Validate(); err != nil {
				t.Errorf("code %q refused: %v", in.Code, err)
			}
		}
	}
}

// TestAreaAndProcessUnique: names are unique ignoring case, per area for
// processes; an area's own name is not a clash.
func TestAreaAndProcessUnique(t *testing.T) {
	areas := []Area{{ID: 1, Code: "hr", Name: "HR"}, {ID: 2, Code: "fin", Name: "Financieel"}}
	tests := []struct {
		name string
		in   AreaInput
		id   int64
		want []string
	}{
		{"new", AreaInput{Code: "crm", Name: "CRM"}, 0, nil},
		{"same_name_other_case", AreaInput{Code: "hr2", Name: "hr"}, 0, []string{"name"}},
		{"same_code", AreaInput{Code: "fin", Name: "Geld"}, 0, []string{"code"}},
		{"itself", AreaInput{Code: "hr", Name: "HR"}, 1, nil},
		{"rename_onto_other", AreaInput{Code: "hr", Name: "FINANCIEEL"}, 1, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Validation
			CheckAreaUnique(&v, tt.in, tt.id, areas)
			want := allowed
			if tt.want != nil {
				want = invalid(tt.want...)
			}
			expect(t, "", v.Err(), want)
		})
	}
	processes := []Process{{ID: 1, AreaID: 1, Name: "Verlof"}, {ID: 2, AreaID: 2, Name: "Declaraties"}}
	for _, tt := range []struct {
		name       string
		pname      string
		area, id   int64
		wantRefuse bool
	}{
		{"other_area_same_name", "Declaraties", 1, 0, false},
		{"same_area_other_case", "VERLOF", 1, 0, true},
		{"itself", "Verlof", 1, 1, false},
		{"moved_onto_namesake", "Declaraties", 2, 1, true},
	} {
		t.Run("process_"+tt.name, func(t *testing.T) {
			var v Validation
			CheckProcessUnique(&v, tt.pname, tt.area, tt.id, processes)
			if (v.Err() != nil) != tt.wantRefuse {
				t.Errorf("refused %v, want %v", v.Err(), tt.wantRefuse)
			}
		})
	}
}

// TestCheckArchiveArea: open requests need an area in use to go to; the
// refusal says how many and names the field.
func TestCheckArchiveArea(t *testing.T) {
	hr := Area{ID: 1, Name: "HR"}
	fin := Area{ID: 2, Name: "Financieel"}
	old := Area{ID: 3, Name: "Oud", ArchivedAt: time.Unix(1, 0)}
	tests := []struct {
		name string
		a    Area
		open int
		in   ArchiveArea
		to   *Area
		want result
	}{
		{"no_open_requests", hr, 0, ArchiveArea{}, nil, allowed},
		{"open_moved", hr, 3, ArchiveArea{MoveTo: 2}, &fin, allowed},
		{"open_nowhere", hr, 3, ArchiveArea{}, nil, result{Code: CodeConflict, Key: "area.archive_has_open", Fields: []string{"move_to"}}},
		{"to_itself", hr, 3, ArchiveArea{MoveTo: 1}, &hr, invalid("move_to")},
		{"to_unknown", hr, 3, ArchiveArea{MoveTo: 9}, nil, invalid("move_to")},
		{"to_archived", hr, 3, ArchiveArea{MoveTo: 3}, &old, invalid("move_to")},
		{"already_archived", old, 0, ArchiveArea{}, nil, conflict("area.already_archived")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckArchiveArea(tt.a, tt.open, tt.in, tt.to), tt.want)
		})
	}
}

// TestProcessRules: a process owner has an active account; a process goes
// into an area in use; no new request in an archived area or process.
func TestProcessRules(t *testing.T) {
	check := func(f func(*Validation)) error { var v Validation; f(&v); return v.Err() }
	expect(t, "", check(func(v *Validation) { CheckProcessOwner(v, &User{Name: "Kees", Active: true}) }), allowed)
	expect(t, "", check(func(v *Validation) { CheckProcessOwner(v, &User{Name: "Kees"}) }), invalid("owner_id"))
	expect(t, "", check(func(v *Validation) { CheckProcessOwner(v, nil) }), invalid("owner_id"))
	expect(t, "", check(func(v *Validation) { CheckProcessPlace(v, &Area{Name: "HR"}) }), allowed)
	expect(t, "", check(func(v *Validation) { CheckProcessPlace(v, nil) }), invalid("area_id"))
	expect(t, "", check(func(v *Validation) { CheckProcessPlace(v, &Area{ArchivedAt: time.Unix(1, 0)}) }), invalid("area_id"))
	archived := time.Unix(1, 0)
	expect(t, "", CheckPlaceOpen(&Area{}, &Process{}), allowed)
	expect(t, "", CheckPlaceOpen(nil, nil), allowed)
	expect(t, "", CheckPlaceOpen(&Area{ArchivedAt: archived}, nil), invalid("area"))
	expect(t, "", CheckPlaceOpen(&Area{}, &Process{ArchivedAt: archived}), invalid("process"))
	in := ProcessInput{AreaID: 0, Name: " "}
	expect(t, "", in.Validate(), invalid("area_id", "name"))
}

// TestReorder: a new order names every existing id exactly once.
func TestReorder(t *testing.T) {
	for _, tt := range []struct {
		wanted []int64
		ok     bool
	}{
		{[]int64{3, 1, 2}, true}, {[]int64{1, 2}, false}, {[]int64{1, 2, 2}, false}, {[]int64{1, 2, 4}, false}, {[]int64{1, 2, 3, 4}, false},
	} {
		if got := Reorder([]int64{1, 2, 3}, tt.wanted); got != tt.ok {
			t.Errorf("Reorder(%v) = %v", tt.wanted, got)
		}
	}
}
