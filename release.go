package beheer

import (
	"slices"
	"strings"
	"time"
)

// Releases (updates) of the application and their acceptance test: a test
// round with a functional and a technical checklist, findings filed as
// requests, a sign-off per side, and the announcement at the end. Staff
// (everyone who reads requests) read releases; functional admins keep them;
// technical admins test and sign off the technical side.

// MaxVersionLabel is the longest version label of a release ("7.0.1").
const MaxVersionLabel = 100

// CheckKind is the side of a test a checklist item belongs to.
type CheckKind string

// The checklist sides.
const (
	CheckFunctional CheckKind = "functional"
	CheckTechnical  CheckKind = "technical"
)

// CheckKinds lists the sides.
var CheckKinds = []CheckKind{CheckFunctional, CheckTechnical}

// CheckResult is the outcome of a checklist item. Passed and failed are
// final; blocked (could not be tested yet) may be recorded again.
type CheckResult string

// The results.
const (
	CheckOpen    CheckResult = "open"
	CheckPassed  CheckResult = "passed"
	CheckFailed  CheckResult = "failed"
	CheckBlocked CheckResult = "blocked"
)

// CheckResults are the results a tester records.
var CheckResults = []CheckResult{CheckPassed, CheckFailed, CheckBlocked}

// Final reports whether the result closes the item.
func (r CheckResult) Final() bool { return r == CheckPassed || r == CheckFailed }

// Release is a new version of the application, tested on the acceptance
// environment before it reaches production. Dates are days (midnight UTC).
type Release struct {
	ID              int64
	Name            string
	VersionLabel    string
	AcceptanceOn    time.Time
	ProductionOn    time.Time
	NotesURL        string
	AnnouncedAt     time.Time
	AnnouncementURL string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int64
	Counts          ReleaseCounts

	// Filled when one release is loaded, not by the list.
	Checks   []*ReleaseCheck
	SignOffs []SignOff
	Findings []*Request
}

// ReleaseCounts counts a release's checklist items by result, and its
// sign-offs, for the list of releases.
type ReleaseCounts struct {
	Total, Passed, Failed, Blocked, SignOffs int
}

// Open is the number of items without a result.
func (c ReleaseCounts) Open() int { return c.Total - c.Passed - c.Failed - c.Blocked }

// ReleaseCheck is one checklist item.
type ReleaseCheck struct {
	ID            int64
	ReleaseID     int64
	Kind          CheckKind
	Title         string
	AssigneeID    int64
	AssigneeName  string
	Result        CheckResult
	Note          string
	FileName      string
	FileType      string
	CheckedBy     int64
	CheckedByName string
	CheckedAt     time.Time
}

// SignOff is one side's approval of the test.
type SignOff struct {
	Kind     CheckKind
	UserID   int64
	UserName string
	Note     string
	SignedAt time.Time
}

// ReleaseCheckTemplate is an item of the reusable checklist a new
// release's test round starts from.
type ReleaseCheckTemplate struct {
	ID    int64
	Kind  CheckKind
	Title string
}

// ReleasePage is one page of releases, newest first.
type ReleasePage struct {
	Items      []*Release
	NextCursor string
}

// SignOff returns the sign-off of one side, or nil.
func (r *Release) SignOff(kind CheckKind) *SignOff {
	for i := range r.SignOffs {
		if r.SignOffs[i].Kind == kind {
			return &r.SignOffs[i]
		}
	}
	return nil
}

// ChecksOf returns the release's checklist items of one side.
func (r *Release) ChecksOf(kind CheckKind) []*ReleaseCheck {
	var out []*ReleaseCheck
	for _, c := range r.Checks {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// Unfinished counts a side's items that are still open or blocked.
func (r *Release) Unfinished(kind CheckKind) int {
	n := 0
	for _, c := range r.ChecksOf(kind) {
		if !c.Result.Final() {
			n++
		}
	}
	return n
}

// SignedOff reports whether every side signed the release off: then its
// news item can be written.
func (r *Release) SignedOff() bool {
	for _, k := range CheckKinds {
		if r.SignOff(k) == nil {
			return false
		}
	}
	return true
}

// Who may do what with releases.

// CanReadReleases reports whether the actor reads releases: staff.
func CanReadReleases(a *Actor) bool { return a.CanAnywhere(PermReleaseRead) }

// CanManageReleases reports whether the actor keeps releases: functional admins.
func CanManageReleases(a *Actor) bool { return a.CanAnywhere(PermReleaseManage) }

// CanTestSide reports whether the actor tests and signs off one side:
// functional admins the functional side, technical admins the technical one.
func CanTestSide(a *Actor, kind CheckKind) bool { return a.CanAnywhere(sidePermission(kind)) }

// sidePermission is the permission to test one side.
func sidePermission(kind CheckKind) Permission {
	if kind == CheckTechnical {
		return PermReleaseTestTechnical
	}
	return PermReleaseTestFunctional
}

// ReleaseInput is what a functional admin fills in for a release.
type ReleaseInput struct {
	Name         string
	VersionLabel string
	AcceptanceOn time.Time
	ProductionOn time.Time
	NotesURL     string
}

// Validate checks a release: a name, dates in order (acceptance before
// production), and a release notes link on http or https. It trims the
// texts.
func (in *ReleaseInput) Validate() error {
	in.Name, in.VersionLabel, in.NotesURL = strings.TrimSpace(in.Name), strings.TrimSpace(in.VersionLabel), strings.TrimSpace(in.NotesURL)
	var v Validation
	validateLine(&v, "name", in.Name, MaxTitle, true)
	validateLine(&v, "version_label", in.VersionLabel, MaxVersionLabel, false)
	if !in.AcceptanceOn.IsZero() && !in.ProductionOn.IsZero() && in.ProductionOn.Before(in.AcceptanceOn) {
		v.Add("production_on", "release.field.production_before_acceptance")
	}
	if in.NotesURL != "" && !ValidWebURL(in.NotesURL) {
		v.Add("notes_url", "release.field.url")
	}
	return v.Err()
}

// portalPath reports a path inside the portal: "/" then letters, digits,
// slashes, dashes and underscores only.
func portalPath(s string) bool {
	if len(s) < 2 || len(s) > 200 || s[0] != '/' || s[1] == '/' {
		return false
	}
	for _, r := range s {
		if !(r == '/' || r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

// AnnouncementLink checks the link to a release's announcement: an http(s)
// address or a path in the portal such as /news/12. It returns the link
// trimmed.
func AnnouncementLink(link string) (string, error) {
	link = strings.TrimSpace(link)
	if link == "" {
		return "", Invalid("announcement_url", "field.required")
	}
	if !ValidWebURL(link) && !portalPath(link) {
		return "", Invalid("announcement_url", "release.field.link")
	}
	return link, nil
}

// CheckNews says whether the release's news item may be written, which
// announces it: once both sides signed it off.
func (r *Release) CheckNews() error {
	if !r.SignedOff() {
		return Errorf(CodeConflict, "release.news_before_signoff")
	}
	return nil
}

// ReleaseCheckInput is a new checklist item.
type ReleaseCheckInput struct {
	Kind       CheckKind
	Title      string
	AssigneeID int64
}

// Validate checks a checklist item: a title and a side. It trims the title.
func (in *ReleaseCheckInput) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	var v Validation
	validateLine(&v, "title", in.Title, MaxTitle, true)
	if !slices.Contains(CheckKinds, in.Kind) {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(CheckKinds))
	}
	return v.Err()
}

// CheckAddCheck says whether the actor may add the item to a release's
// checklist: who keeps releases, or who tests the item's side.
func CheckAddCheck(a *Actor, in *ReleaseCheckInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if !CanManageReleases(a) && !CanTestSide(a, in.Kind) {
		return Refusal(PermReleaseManage)
	}
	return nil
}

// ResultFile is a file a tester adds to a result (a screenshot, a log).
type ResultFile struct {
	Name string
	Data []byte
}

// ValidateRecording checks a tester's result: one of the results, a
// (trimmed) note that failed and blocked items must have, and a file of at
// most maxFile bytes that passes the upload checks. It returns the file's
// clean name and content type.
func ValidateRecording(result CheckResult, note string, file *ResultFile, maxFile int64) (name, contentType string, err error) {
	var v Validation
	if !slices.Contains(CheckResults, result) {
		v.Add("result", "field.invalid_choice", "choices", joinCodes(CheckResults))
	}
	validateText(&v, "note", note, MaxNote, result == CheckFailed || result == CheckBlocked)
	if file != nil {
		if int64(len(file.Data)) > maxFile {
			v.Add("file", "release.field.file_too_large", "max", FormatBytes(maxFile))
		} else if name, contentType, err = CheckUpload(file.Name, file.Data); err != nil {
			v.Fields = append(v.Fields, err.(*Error).Fields...)
		}
	}
	return name, contentType, v.Err()
}

// CheckRecord says whether the actor may record the item's result: who
// tests its side, or its assignee; an item passed or failed already keeps
// its result.
func (c *ReleaseCheck) CheckRecord(a *Actor) error {
	if !CanTestSide(a, c.Kind) && (c.AssigneeID == 0 || c.AssigneeID != a.UserID) {
		return Refusal(sidePermission(c.Kind))
	}
	if c.Result.Final() {
		return Errorf(CodeConflict, "release.check_already_recorded", "name", c.CheckedByName, "result", string(c.Result))
	}
	return nil
}

// CanRecord is CheckRecord for the pages: whether to show the form.
func (c *ReleaseCheck) CanRecord(a *Actor) bool { return c.CheckRecord(a) == nil }

// CheckFinding says whether the actor files a finding of a test round as a
// request: who reads releases and tests a side. A finding is an incident
// unless its type says otherwise.
func CheckFinding(a *Actor, n *NewRequest) error {
	if !CanReadReleases(a) || !(CanTestSide(a, CheckFunctional) || CanTestSide(a, CheckTechnical)) {
		return Refusal(PermReleaseManage)
	}
	if n.Type == "" {
		n.Type = TypeIncident
	}
	return nil
}

// CheckSignOff says whether the actor may sign off one side with the
// (trimmed) note: who tests that side. Whether the side is ready is
// CheckSignOffReady.
func CheckSignOff(a *Actor, kind CheckKind, note string) error {
	if !slices.Contains(CheckKinds, kind) {
		return Invalid("kind", "field.invalid_choice", "choices", joinCodes(CheckKinds))
	}
	if !CanTestSide(a, kind) {
		return Refusal(sidePermission(kind))
	}
	var v Validation
	validateText(&v, "note", note, MaxNote, false)
	return v.Err()
}

// CheckSignOffReady says whether a side of the release can be signed off
// now: once, and only when none of its items is still open or blocked.
func (r *Release) CheckSignOffReady(kind CheckKind) error {
	if r.SignOff(kind) != nil {
		return Errorf(CodeConflict, "release.already_signed")
	}
	if n := r.Unfinished(kind); n > 0 {
		return Errorf(CodeConflict, "release.open_items", "count", n)
	}
	return nil
}

// CanSignOff reports whether the actor may sign off a side of the release
// now, for the pages.
func (r *Release) CanSignOff(a *Actor, kind CheckKind) bool {
	return CanTestSide(a, kind) && r.CheckSignOffReady(kind) == nil
}
