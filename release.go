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
	// ActivityID is the annual plan's test window (an activity of kind
	// release_test) the release is tested in; 0 for none.
	ActivityID    int64
	ActivityTitle string
	ActivityYear  int

	// Filled when one release is loaded, not by the list.
	Checks   []*ReleaseCheck
	SignOffs []SignOff
	Findings []*Request
	// FindingStates are every finding of the test round, also those the
	// reader may not see: the sign-off gate counts them all.
	FindingStates []FindingState
}

// FindingState is what the sign-off gate knows of a finding: the side of
// the item it was filed from ("" for none: it holds both sides) and
// whether it was triaged (left Aanvraag).
type FindingState struct {
	RequestID int64
	Kind      CheckKind
	Triaged   bool
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

// SignOff is one side's approval of the test. A side signed off despite
// failed or blocked items or untriaged findings carries the exception: the
// signer's motivation and what it covered.
type SignOff struct {
	Kind      CheckKind
	UserID    int64
	UserName  string
	Note      string
	SignedAt  time.Time
	Exception string // the motivation; "" when signed without one
	Excepted  ReleaseBlockers
}

// ReleaseBlockers are what stands in the way of signing a side off: items
// failed or blocked, findings not yet triaged.
type ReleaseBlockers struct {
	Failed, Blocked, Untriaged int
}

// Any reports whether something stands in the way.
func (b ReleaseBlockers) Any() bool { return b.Failed+b.Blocked+b.Untriaged > 0 }

// Exceptions lists the sign-offs given with an exception.
func (r *Release) Exceptions() []SignOff {
	var out []SignOff
	for _, g := range r.SignOffs {
		if g.Exception != "" {
			out = append(out, g)
		}
	}
	return out
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

// Untested counts a side's items without any result yet.
func (r *Release) Untested(kind CheckKind) int {
	n := 0
	for _, c := range r.ChecksOf(kind) {
		if c.Result == CheckOpen || c.Result == "" {
			n++
		}
	}
	return n
}

// Blockers counts what stands in the way of signing a side off: its
// failed and blocked items, and the untriaged findings filed from its
// items or from none.
func (r *Release) Blockers(kind CheckKind) ReleaseBlockers {
	var b ReleaseBlockers
	for _, c := range r.ChecksOf(kind) {
		switch c.Result {
		case CheckFailed:
			b.Failed++
		case CheckBlocked:
			b.Blocked++
		}
	}
	for _, f := range r.FindingStates {
		if !f.Triaged && (f.Kind == "" || f.Kind == kind) {
			b.Untriaged++
		}
	}
	return b
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
	// ActivityID is the plan's test window to tie the release to; 0 ties
	// it to the window its acceptance date falls in, if any (TestWindow).
	ActivityID int64
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

// SignOffInput is a side's sign-off as the signer gives it: a note, and —
// when items failed or are blocked or findings wait for triage — the
// explicit exception with its motivation.
type SignOffInput struct {
	Kind       CheckKind
	Note       string
	Exception  bool
	Motivation string
}

// CheckSignOffReady is the release gate: whether a side of the release can
// be signed off now. Once; never with an item not tested at all; and not
// while an item failed or is blocked or a finding is untriaged, unless the
// signer records an exception with a motivation. It trims the motivation
// and returns what the exception covers (nothing when none is needed).
func (r *Release) CheckSignOffReady(in *SignOffInput) (ReleaseBlockers, error) {
	in.Motivation = strings.TrimSpace(in.Motivation)
	if r.SignOff(in.Kind) != nil {
		return ReleaseBlockers{}, Errorf(CodeConflict, "release.already_signed")
	}
	if in.Exception {
		var v Validation
		validateText(&v, "motivation", in.Motivation, MaxNote, false)
		if in.Motivation == "" {
			v.Add("motivation", "release.field.motivation_required")
		}
		if err := v.Err(); err != nil {
			return ReleaseBlockers{}, err
		}
	}
	if n := r.Untested(in.Kind); n > 0 {
		return ReleaseBlockers{}, Errorf(CodeConflict, "release.open_items", "count", n)
	}
	b := r.Blockers(in.Kind)
	if !b.Any() {
		return b, nil
	}
	if !in.Exception {
		return b, Errorf(CodeConflict, "release.gate", "failed", b.Failed, "blocked", b.Blocked, "untriaged", b.Untriaged)
	}
	return b, nil
}

// CanSignOff reports whether the actor may sign off a side of the release
// now, perhaps with an exception, for the pages: who tests the side, once
// every item has a result.
func (r *Release) CanSignOff(a *Actor, kind CheckKind) bool {
	_, err := r.CheckSignOffReady(&SignOffInput{Kind: kind, Exception: true, Motivation: "x"})
	return CanTestSide(a, kind) && err == nil
}

// CheckTestWindow says whether the release can be tied to the activity: a
// test window of the annual plan (kind release_test) in which its
// acceptance date falls, so the plan's window and the release agree.
func CheckTestWindow(a *Activity, acceptanceOn time.Time) error {
	switch {
	case a.Kind != KindReleaseTest:
		return Invalid("activity", "release.field.activity_kind")
	case a.Status == ActivityCancelled:
		return Invalid("activity", "release.field.activity_cancelled")
	case acceptanceOn.IsZero():
		return Invalid("acceptance_on", "release.field.acceptance_for_window")
	case !a.inWindow(acceptanceOn):
		return Invalid("activity", "release.field.outside_window")
	}
	return nil
}

// inWindow reports whether day falls in one of the activity's windows.
func (a *Activity) inWindow(day time.Time) bool {
	for _, o := range a.Occurrences() {
		if !day.Before(o.Start) && !day.After(o.End) {
			return true
		}
	}
	return false
}

// TestWindow returns the plan's test window the acceptance date falls in,
// among activities (any kinds, any years), or nil: a new release is tied
// to it without being asked.
func TestWindow(activities []*Activity, acceptanceOn time.Time) *Activity {
	if acceptanceOn.IsZero() {
		return nil
	}
	for _, a := range activities {
		if CheckTestWindow(a, acceptanceOn) == nil {
			return a
		}
	}
	return nil
}

// FollowsRelease reports whether a test window's status follows its
// release: a once-only window is done when the release is signed off on
// both sides; a repeating one has a window per release and stays planned.
func (a *Activity) FollowsRelease() bool { return a.Recurrence == RepeatOnce }
