package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// releaseMatrix is who may do what with releases (PRODUCT.md: "Releases
// (updates) and acceptance tests"): staff read them; functional admins keep
// them and test the functional side; technical admins test the technical
// side; who tests a side files findings.
const releaseMatrix = `
rule             user  key_user  functional_admin  technical_admin  management
read_releases    .     x         x                 x                x
manage_releases  .     .         x                 .                .
test_functional  .     .         x                 .                .
test_technical   .     .         .                 x                .
file_finding     .     .         x                 x                .
`

func TestReleasePermissions(t *testing.T) {
	checkRuleMatrix(t, releaseMatrix, map[string]func(*Actor) bool{
		"read_releases":   CanReadReleases,
		"manage_releases": CanManageReleases,
		"test_functional": func(a *Actor) bool { return CanTestSide(a, CheckFunctional) },
		"test_technical":  func(a *Actor) bool { return CanTestSide(a, CheckTechnical) },
		"file_finding":    func(a *Actor) bool { return CheckFinding(a, &NewRequest{}) == nil },
	})
}

func TestCheckFinding(t *testing.T) {
	for _, tt := range []struct {
		name      string
		given     Type
		wantType  Type
		wantError result
	}{
		{"no_type_is_an_incident", "", TypeIncident, allowed},
		{"a_type_stays", TypeQuestion, TypeQuestion, allowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := NewRequest{Type: tt.given, Title: "Declaratie blijft hangen"}
			expect(t, "", CheckFinding(actor(idTech, role(RoleTechnicalAdmin, areaOwn)), &n), tt.wantError)
			if n.Type != tt.wantType {
				t.Errorf("type %q, want %q", n.Type, tt.wantType)
			}
		})
	}
	t.Run("key_user=forbidden", func(t *testing.T) {
		expect(t, "", CheckFinding(actor(idKeyUser, role(RoleKeyUser, 0)), &NewRequest{}), forbidden("release.forbidden_manage"))
	})
}

func TestReleaseInputValidate(t *testing.T) {
	ok := func(f func(*ReleaseInput)) ReleaseInput {
		in := ReleaseInput{Name: "Profit 7", VersionLabel: "7.0", AcceptanceOn: day(2026, 5, 4), ProductionOn: day(2026, 5, 18),
			NotesURL: "https://help.afas.nl/releasenotes"}
		if f != nil {
			f(&in)
		}
		return in
	}
	tests := []struct {
		name string
		in   ReleaseInput
		want result
	}{
		{"complete", ok(nil), allowed},
		{"name_only", ReleaseInput{Name: "Profit 7"}, allowed},
		{"same_day", ok(func(in *ReleaseInput) { in.ProductionOn = in.AcceptanceOn }), allowed},
		{"acceptance_only", ok(func(in *ReleaseInput) { in.ProductionOn = time.Time{} }), allowed},
		{"http_notes", ok(func(in *ReleaseInput) { in.NotesURL = "http://intranet/notes" }), allowed},
		{"longest_name_and_label", ok(func(in *ReleaseInput) {
			in.Name, in.VersionLabel = strings.Repeat("n", MaxTitle), strings.Repeat("v", MaxVersionLabel)
		}), allowed},
		{"no_name", ok(func(in *ReleaseInput) { in.Name = "  " }), invalid("name")},
		{"name_too_long", ok(func(in *ReleaseInput) { in.Name = strings.Repeat("n", MaxTitle+1) }), invalid("name")},
		{"label_too_long", ok(func(in *ReleaseInput) { in.VersionLabel = strings.Repeat("v", MaxVersionLabel+1) }), invalid("version_label")},
		{"production_before_acceptance", ok(func(in *ReleaseInput) { in.ProductionOn = day(2026, 5, 3) }), invalid("production_on")},
		{"script_link", ok(func(in *ReleaseInput) { in.NotesURL = "javascript:alert(1)" }), invalid("notes_url")},
		{"ftp_link", ok(func(in *ReleaseInput) { in.NotesURL = "ftp://help.afas.nl/notes" }), invalid("notes_url")},
		{"link_without_host", ok(func(in *ReleaseInput) { in.NotesURL = "https:///notes" }), invalid("notes_url")},
		{"link_with_credentials", ok(func(in *ReleaseInput) { in.NotesURL = "https://user:secret@help.afas.nl/" }), invalid("notes_url")},
		{"relative_link", ok(func(in *ReleaseInput) { in.NotesURL = "/news/12" }), invalid("notes_url")},
		{"link_too_long", ok(func(in *ReleaseInput) { in.NotesURL = "https://help.afas.nl/" + strings.Repeat("x", 2000) }), invalid("notes_url")},
		{"dates_and_link", ok(func(in *ReleaseInput) { in.ProductionOn, in.NotesURL = day(2026, 4, 20), "javascript:alert(1)" }),
			invalid("production_on", "notes_url")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(), tt.want)
		})
	}
	t.Run("trims", func(t *testing.T) {
		in := ReleaseInput{Name: " Profit 7 ", VersionLabel: " 7.0 ", NotesURL: " https://help.afas.nl/ "}
		if err := in.Validate(); err != nil || in.Name != "Profit 7" || in.VersionLabel != "7.0" || in.NotesURL != "https://help.afas.nl/" {
			t.Errorf("after Validate: %+v %v", in, err)
		}
	})
}

// TestAnnouncementLink: a release is announced with an http(s) address or
// a path in the portal; nothing a browser would run or leave the site by.
func TestAnnouncementLink(t *testing.T) {
	tests := []struct {
		link, want string
		err        result
	}{
		{"/news/12", "/news/12", allowed},
		{"  /news/12 ", "/news/12", allowed},
		{"/kb/how-to_use", "/kb/how-to_use", allowed},
		{"https://intranet.example.nl/nieuws/profit-7", "https://intranet.example.nl/nieuws/profit-7", allowed},
		{"", "", invalid("announcement_url")},
		{"   ", "", invalid("announcement_url")},
		{"/", "", invalid("announcement_url")},
		{"//evil.example/x", "", invalid("announcement_url")},
		{"/news/12?x=1", "", invalid("announcement_url")},
		{"/news/12#top", "", invalid("announcement_url")},
		{"news/12", "", invalid("announcement_url")},
		{"ftp://x", "", invalid("announcement_url")},
		{"javascript:alert(1)", "", invalid("announcement_url")},
		{"/" + strings.Repeat("n", 200), "", invalid("announcement_url")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q=%s", tt.link, outcomeName(tt.err)), func(t *testing.T) {
			got, err := AnnouncementLink(tt.link)
			expect(t, "", err, tt.err)
			if got != tt.want {
				t.Errorf("link %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("messages", func(t *testing.T) {
		_, empty := AnnouncementLink("")
		_, bad := AnnouncementLink("ftp://x")
		if fieldKey(empty, "announcement_url") != "field.required" || fieldKey(bad, "announcement_url") != "release.field.link" {
			t.Errorf("messages %v / %v", empty, bad)
		}
	})
}

// TestCheckAddCheck: who keeps releases adds items to either side, who
// tests a side to that side.
func TestCheckAddCheck(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, areaOwn))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	item := func(kind CheckKind, title string) ReleaseCheckInput {
		return ReleaseCheckInput{Kind: kind, Title: title}
	}
	tests := []struct {
		name string
		a    *Actor
		in   ReleaseCheckInput
		want result
	}{
		{"functional_admin/functional", fa, item(CheckFunctional, "Declaratie indienen"), allowed},
		{"functional_admin/technical", fa, item(CheckTechnical, "SSO-login"), allowed},
		{"technical_admin/technical", tech, item(CheckTechnical, "SSO-login"), allowed},
		{"technical_admin/functional", tech, item(CheckFunctional, "Declaratie indienen"), forbidden("release.forbidden_manage")},
		{"key_user", actor(idKeyUser, role(RoleKeyUser, 0)), item(CheckFunctional, "x"), forbidden("release.forbidden_manage")},
		{"management", actor(idManagement, role(RoleManagement, 0)), item(CheckTechnical, "x"), forbidden("release.forbidden_manage")},
		{"key_user/no_title", actor(idKeyUser, role(RoleKeyUser, 0)), item(CheckFunctional, " "), invalid("title")},
		{"functional_admin/title_too_long", fa, item(CheckFunctional, strings.Repeat("t", MaxTitle+1)), invalid("title")},
		{"functional_admin/unknown_side", fa, item("security", "Pentest"), invalid("kind")},
		{"functional_admin/nothing", fa, ReleaseCheckInput{}, invalid("title", "kind")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", CheckAddCheck(tt.a, &in), tt.want)
		})
	}
}

// TestValidateRecording: a result is passed, failed or blocked; failed and
// blocked say why; a file is small enough and passes the upload checks.
func TestValidateRecording(t *testing.T) {
	const max = 64
	log := &ResultFile{Name: "log.txt", Data: []byte("ok\n")}
	tests := []struct {
		name   string
		result CheckResult
		note   string
		file   *ResultFile
		want   result
	}{
		{"passed", CheckPassed, "", nil, allowed},
		{"passed/note", CheckPassed, "Werkt", nil, allowed},
		{"failed/note", CheckFailed, "Declaratie blijft hangen", nil, allowed},
		{"blocked/note", CheckBlocked, "Accept niet bereikbaar", nil, allowed},
		{"passed/file", CheckPassed, "", log, allowed},
		{"passed/file_at_the_limit", CheckPassed, "", &ResultFile{Name: "log.txt", Data: []byte(strings.Repeat("a", max))}, allowed},
		{"failed/no_note", CheckFailed, "", nil, invalid("note")},
		{"blocked/no_note", CheckBlocked, "", nil, invalid("note")},
		{"passed/note_too_long", CheckPassed, strings.Repeat("n", MaxNote+1), nil, invalid("note")},
		{"open", CheckOpen, "", nil, invalid("result")},
		{"unknown", "skipped", "", nil, invalid("result")},
		{"no_result", "", "", nil, invalid("result")},
		{"passed/file_too_large", CheckPassed, "", &ResultFile{Name: "log.txt", Data: []byte(strings.Repeat("a", max+1))}, invalid("file")},
		{"passed/empty_file", CheckPassed, "", &ResultFile{Name: "log.txt"}, invalid("file")},
		{"passed/html_file", CheckPassed, "", &ResultFile{Name: "x.html", Data: []byte("<script>alert(1)</script>")}, invalid("file")},
		{"unknown/no_note/bad_file", "skipped", "", &ResultFile{Name: "x.html", Data: []byte("<html>")}, invalid("result", "file")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			name, ctype, err := ValidateRecording(tt.result, tt.note, tt.file, max)
			expect(t, "", err, tt.want)
			if err == nil && tt.file != nil && (name != tt.file.Name || ctype != "text/plain") {
				t.Errorf("file %q %q", name, ctype)
			}
		})
	}
}

// TestCheckRecord: who tests an item's side, or its assignee, records its
// result; passed and failed are final, blocked is recorded again.
func TestCheckRecord(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, areaOwn))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOwn))
	keyUser := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	check := func(kind CheckKind, assignee int64, r CheckResult) *ReleaseCheck {
		return &ReleaseCheck{ID: 7, Kind: kind, AssigneeID: assignee, Result: r, CheckedByName: "Fleur"}
	}
	tests := []struct {
		name string
		a    *Actor
		c    *ReleaseCheck
		want result
	}{
		{"functional_admin/functional/open", fa, check(CheckFunctional, 0, CheckOpen), allowed},
		{"functional_admin/functional/blocked", fa, check(CheckFunctional, 0, CheckBlocked), allowed},
		{"technical_admin/technical/open", tech, check(CheckTechnical, 0, CheckOpen), allowed},
		{"assignee/functional", keyUser, check(CheckFunctional, idKeyUser, CheckOpen), allowed},
		{"assignee/technical", keyUser, check(CheckTechnical, idKeyUser, CheckBlocked), allowed},
		{"functional_admin/technical", fa, check(CheckTechnical, 0, CheckOpen), forbidden("release.forbidden_side")},
		{"technical_admin/functional", tech, check(CheckFunctional, 0, CheckOpen), forbidden("release.forbidden_side")},
		{"key_user/not_assigned", keyUser, check(CheckFunctional, idFunc, CheckOpen), forbidden("release.forbidden_side")},
		{"key_user/nobody_assigned", actor(0, role(RoleKeyUser, 0)), check(CheckFunctional, 0, CheckOpen), forbidden("release.forbidden_side")},
		{"functional_admin/functional/passed", fa, check(CheckFunctional, 0, CheckPassed), conflict("release.check_already_recorded")},
		{"functional_admin/functional/failed", fa, check(CheckFunctional, 0, CheckFailed), conflict("release.check_already_recorded")},
		{"assignee/passed", keyUser, check(CheckTechnical, idKeyUser, CheckPassed), conflict("release.check_already_recorded")},
		{"functional_admin/technical/passed", fa, check(CheckTechnical, 0, CheckPassed), forbidden("release.forbidden_side")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			err := tt.c.CheckRecord(tt.a)
			expect(t, "", err, tt.want)
			if got := tt.c.CanRecord(tt.a); got != (err == nil) {
				t.Errorf("CanRecord = %v, CheckRecord = %v", got, err)
			}
		})
	}
	t.Run("conflict_names_who_and_what", func(t *testing.T) {
		got := resultOf(check(CheckFunctional, 0, CheckFailed).CheckRecord(fa))
		if fmt.Sprint(got.Args) != "[name Fleur result failed]" {
			t.Errorf("args %v", got.Args)
		}
	})
}

// TestCheckSignOff: who tests a side signs it off, with a note of at most
// MaxNote characters.
func TestCheckSignOff(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, areaOwn))
	tech := actor(idTech, role(RoleTechnicalAdmin, areaOther))
	tests := []struct {
		name string
		a    *Actor
		kind CheckKind
		note string
		want result
	}{
		{"functional_admin/functional", fa, CheckFunctional, "Akkoord", allowed},
		{"technical_admin/technical", tech, CheckTechnical, "", allowed},
		{"functional_admin/technical", fa, CheckTechnical, "", forbidden("release.forbidden_side")},
		{"technical_admin/functional", tech, CheckFunctional, "", forbidden("release.forbidden_side")},
		{"management/functional", actor(idManagement, role(RoleManagement, 0)), CheckFunctional, "", forbidden("release.forbidden_side")},
		{"functional_admin/unknown_side", fa, "security", "", invalid("kind")},
		{"key_user/unknown_side", actor(idKeyUser, role(RoleKeyUser, 0)), "", "", invalid("kind")},
		{"functional_admin/note_too_long", fa, CheckFunctional, strings.Repeat("n", MaxNote+1), invalid("note")},
		{"technical_admin/functional/note_too_long", tech, CheckFunctional, strings.Repeat("n", MaxNote+1), forbidden("release.forbidden_side")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckSignOff(tt.a, tt.kind, tt.note), tt.want)
		})
	}
}

// testRelease builds a release with one item per given result on the
// functional side, and the sign-offs of the given sides.
func testRelease(results []CheckResult, signed ...CheckKind) *Release {
	r := &Release{ID: 3, Name: "Profit 7"}
	for i, res := range results {
		r.Checks = append(r.Checks, &ReleaseCheck{ID: int64(i + 1), Kind: CheckFunctional, Result: res})
	}
	r.Checks = append(r.Checks, &ReleaseCheck{ID: 99, Kind: CheckTechnical, Result: CheckOpen})
	for _, k := range signed {
		r.SignOffs = append(r.SignOffs, SignOff{Kind: k, UserID: idFunc})
	}
	return r
}

// TestCheckSignOffReady: a side is signed off once, when none of its items
// is open or blocked; the other side's items do not count.
func TestCheckSignOffReady(t *testing.T) {
	tests := []struct {
		name       string
		r          *Release
		unfinished int
		want       result
	}{
		{"no_items", testRelease(nil), 0, allowed},
		{"all_passed", testRelease([]CheckResult{CheckPassed, CheckPassed}), 0, allowed},
		{"passed_and_failed", testRelease([]CheckResult{CheckPassed, CheckFailed}), 0, allowed},
		{"one_open", testRelease([]CheckResult{CheckPassed, CheckOpen}), 1, conflict("release.open_items")},
		{"one_blocked", testRelease([]CheckResult{CheckBlocked, CheckFailed}), 1, conflict("release.open_items")},
		{"open_and_blocked", testRelease([]CheckResult{CheckBlocked, CheckOpen, CheckPassed}), 2, conflict("release.open_items")},
		{"signed_already", testRelease([]CheckResult{CheckPassed}, CheckFunctional), 0, conflict("release.already_signed")},
		{"signed_already_with_open", testRelease([]CheckResult{CheckOpen}, CheckFunctional), 1, conflict("release.already_signed")},
		{"other_side_signed", testRelease([]CheckResult{CheckPassed}, CheckTechnical), 0, allowed},
	}
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			err := tt.r.CheckSignOffReady(CheckFunctional)
			expect(t, "", err, tt.want)
			if n := tt.r.Unfinished(CheckFunctional); n != tt.unfinished {
				t.Errorf("Unfinished = %d, want %d", n, tt.unfinished)
			}
			if got := resultOf(err); got.Key == "release.open_items" && fmt.Sprint(got.Args) != fmt.Sprintf("[count %d]", tt.unfinished) {
				t.Errorf("args %v", got.Args)
			}
			if got := tt.r.CanSignOff(fa, CheckFunctional); got != (err == nil) {
				t.Errorf("CanSignOff = %v, CheckSignOffReady = %v", got, err)
			}
			if tt.r.CanSignOff(actor(idTech, role(RoleTechnicalAdmin, 0)), CheckFunctional) {
				t.Error("a technical admin may sign off the functional side")
			}
		})
	}
}

// TestCheckNews: the news item that announces a release is written once
// every side signed it off.
func TestCheckNews(t *testing.T) {
	tests := []struct {
		name   string
		signed []CheckKind
		want   result
	}{
		{"none", nil, conflict("release.news_before_signoff")},
		{"functional", []CheckKind{CheckFunctional}, conflict("release.news_before_signoff")},
		{"technical", []CheckKind{CheckTechnical}, conflict("release.news_before_signoff")},
		{"both", []CheckKind{CheckTechnical, CheckFunctional}, allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			r := testRelease(nil, tt.signed...)
			expect(t, "", r.CheckNews(), tt.want)
			if r.SignedOff() != (tt.want.Code == "") {
				t.Errorf("SignedOff = %v", r.SignedOff())
			}
		})
	}
}

func TestReleaseChecklist(t *testing.T) {
	r := testRelease([]CheckResult{CheckPassed, CheckBlocked}, CheckTechnical)
	if got := r.ChecksOf(CheckFunctional); len(got) != 2 || got[0].ID != 1 || got[1].ID != 2 {
		t.Errorf("functional items %v", got)
	}
	if got := r.ChecksOf(CheckTechnical); len(got) != 1 || got[0].ID != 99 {
		t.Errorf("technical items %v", got)
	}
	if g := r.SignOff(CheckTechnical); g == nil || g != &r.SignOffs[0] {
		t.Errorf("technical sign-off %v", g)
	}
	if g := r.SignOff(CheckFunctional); g != nil {
		t.Errorf("functional sign-off %v", g)
	}
	for res, final := range map[CheckResult]bool{CheckOpen: false, CheckBlocked: false, CheckPassed: true, CheckFailed: true} {
		if res.Final() != final {
			t.Errorf("%s.Final() = %v", res, !final)
		}
	}
	c := ReleaseCounts{Total: 10, Passed: 4, Failed: 1, Blocked: 2, SignOffs: 1}
	if c.Open() != 3 {
		t.Errorf("Open() = %d, want 3", c.Open())
	}
}
