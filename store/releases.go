package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"beheer"
)

// Releases (updates) of the application and their acceptance test: a test
// round with a functional and a technical checklist, findings filed as
// requests, a sign-off per side, and the announcement at the end. Staff
// (everyone who reads requests) read releases; functional admins keep them;
// technical admins test and sign off the technical side.

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
	Counts          CheckCounts

	// Filled by Release (one release), not by the list.
	Checks   []*ReleaseCheck
	SignOffs []SignOff
	Findings []*beheer.Request
}

// CheckCounts counts a release's checklist items by result.
type CheckCounts struct {
	Total, Passed, Failed, Blocked, SignOffs int
}

// Open is the number of items without a result.
func (c CheckCounts) Open() int { return c.Total - c.Passed - c.Failed - c.Blocked }

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

// CheckTemplate is a reusable checklist item.
type CheckTemplate struct {
	ID    int64
	Kind  CheckKind
	Title string
}

// CanReadReleases reports whether the actor reads releases: staff.
func CanReadReleases(a *beheer.Actor) bool {
	return a.CanAnywhere(beheer.PermReleaseRead)
}

// CanManageReleases reports whether the actor keeps releases: functional admins.
func CanManageReleases(a *beheer.Actor) bool { return a.CanAnywhere(beheer.PermReleaseManage) }

// CanTestSide reports whether the actor tests and signs off one side:
// functional admins the functional side, technical admins the technical one.
func CanTestSide(a *beheer.Actor, kind CheckKind) bool {
	if kind == CheckTechnical {
		return a.CanAnywhere(beheer.PermReleaseTestTechnical)
	}
	return a.CanAnywhere(beheer.PermReleaseTestFunctional)
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
// production), and a release notes link on http or https.
func (in *ReleaseInput) Validate() error {
	in.Name, in.VersionLabel, in.NotesURL = strings.TrimSpace(in.Name), strings.TrimSpace(in.VersionLabel), strings.TrimSpace(in.NotesURL)
	var v beheer.Validation
	checkText(&v, "name", in.Name, maxPlanTitle, true)
	checkText(&v, "version_label", in.VersionLabel, 100, false)
	if !in.AcceptanceOn.IsZero() && !in.ProductionOn.IsZero() && in.ProductionOn.Before(in.AcceptanceOn) {
		v.Add("production_on", "release.field.production_before_acceptance")
	}
	if in.NotesURL != "" && !webURL(in.NotesURL) {
		v.Add("notes_url", "release.field.url")
	}
	return v.Err()
}

// webURL reports an absolute http or https address with a host.
func webURL(s string) bool {
	if len(s) > 2000 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

const releaseColumns = `x.id, x.name, x.version_label, x.acceptance_on, x.production_on, x.notes_url, x.announced_at,
	x.announcement_url, x.created_at, x.updated_at, x.version,
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id),
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id AND c.result = 'passed'),
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id AND c.result = 'failed'),
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id AND c.result = 'blocked'),
	(SELECT COUNT(*) FROM release_signoffs g WHERE g.release_id = x.id)`

func scanRelease(row interface{ Scan(...any) error }) (*Release, error) {
	var r Release
	var acc, prod string
	var announced, created, updated sql.NullInt64
	if err := row.Scan(&r.ID, &r.Name, &r.VersionLabel, &acc, &prod, &r.NotesURL, &announced, &r.AnnouncementURL,
		&created, &updated, &r.Version, &r.Counts.Total, &r.Counts.Passed, &r.Counts.Failed, &r.Counts.Blocked,
		&r.Counts.SignOffs); err != nil {
		return nil, err
	}
	r.AcceptanceOn, r.ProductionOn = parseStoredDay(acc), parseStoredDay(prod)
	r.AnnouncedAt, r.CreatedAt, r.UpdatedAt = fromMS(announced), fromMS(created), fromMS(updated)
	return &r, nil
}

func optDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return beheer.FormatDay(t)
}

// ReleasePage is one page of releases, newest first.
type ReleasePage struct {
	Items      []*Release
	NextCursor string
}

// Releases lists releases, newest first, keyset-paginated on id.
func (s *Store) Releases(ctx context.Context, actor *beheer.Actor, limit int, cur string) (*ReleasePage, error) {
	if !CanReadReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_read")
	}
	limit = kbLimit(limit)
	var q query
	if cur != "" {
		c, ok := decodeCursor(cur, "releases", 1)
		if !ok {
			return nil, beheer.Invalid("cursor", "field.invalid")
		}
		q.where = append(q.where, "x.id < "+q.arg(c.Keys[0]))
	}
	out := &ReleasePage{}
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT `+releaseColumns+` FROM releases x`+kbWhere(q.where)+
			` ORDER BY x.id DESC LIMIT `+q.arg(limit+1), q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRelease(rows)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.NextCursor = encodeCursor(cursor{Sort: "releases", Keys: []int64{out.Items[limit-1].ID}})
	}
	return out, nil
}

// Release returns one release with its checklist, sign-offs and findings
// (those the actor may see).
func (s *Store) Release(ctx context.Context, actor *beheer.Actor, id int64) (*Release, error) {
	if !CanReadReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_read")
	}
	var r *Release
	err := s.read(ctx, func(db querier) error {
		var err error
		r, err = scanRelease(db.QueryRowContext(ctx, `SELECT `+releaseColumns+` FROM releases x WHERE x.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if r.Checks, err = queryChecks(ctx, db, `c.release_id = $1`, id); err != nil {
			return err
		}
		rows, err := db.QueryContext(ctx, `SELECT g.kind, g.user_id, u.name, g.note, g.signed_at FROM release_signoffs g
			JOIN users u ON u.id = g.user_id WHERE g.release_id = $1 ORDER BY g.kind`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var g SignOff
			var at sql.NullInt64
			if err := rows.Scan(&g.Kind, &g.UserID, &g.UserName, &g.Note, &at); err != nil {
				return err
			}
			g.SignedAt = fromMS(at)
			r.SignOffs = append(r.SignOffs, g)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	var q query
	q.visibility(actor)
	q.where = append(q.where, "r.id IN (SELECT request_id FROM release_findings WHERE release_id = "+q.arg(id)+")")
	if r.Findings, err = s.planRequests(ctx, q, "r.id", 100); err != nil {
		return nil, err
	}
	return r, nil
}

const checkColumns = `c.id, c.release_id, c.kind, c.title, COALESCE(c.assignee_id, 0), COALESCE(a.name, ''), c.result, c.note,
	c.file_name, c.file_type, COALESCE(c.checked_by, 0), COALESCE(b.name, ''), c.checked_at`

func queryChecks(ctx context.Context, db querier, cond string, args ...any) ([]*ReleaseCheck, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+checkColumns+` FROM release_checks c LEFT JOIN users a ON a.id = c.assignee_id
		LEFT JOIN users b ON b.id = c.checked_by WHERE `+cond+` ORDER BY c.kind, c.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ReleaseCheck
	for rows.Next() {
		var c ReleaseCheck
		var at sql.NullInt64
		if err := rows.Scan(&c.ID, &c.ReleaseID, &c.Kind, &c.Title, &c.AssigneeID, &c.AssigneeName, &c.Result, &c.Note,
			&c.FileName, &c.FileType, &c.CheckedBy, &c.CheckedByName, &at); err != nil {
			return nil, err
		}
		c.CheckedAt = fromMS(at)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// CreateRelease adds a release (functional admins); withTemplate copies the
// reusable checklist into its test round.
func (s *Store) CreateRelease(ctx context.Context, actor *beheer.Actor, in ReleaseInput, withTemplate bool) (*Release, error) {
	if !CanManageReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_manage")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `INSERT INTO releases (name, version_label, acceptance_on, production_on, notes_url,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			in.Name, in.VersionLabel, optDay(in.AcceptanceOn), optDay(in.ProductionOn), in.NotesURL, nullID(actor.UserID),
			ms(t.now)).Scan(&id); err != nil {
			return err
		}
		if withTemplate {
			if _, err := t.ExecContext(ctx, `INSERT INTO release_checks (release_id, kind, title, created_at)
				SELECT $1, kind, title, $2 FROM release_check_templates ORDER BY id`, id, ms(t.now)); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, 0, "release.created", "release", "", in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.Release(ctx, actor, id)
}

// UpdateRelease changes a release's name, dates and link; version is the
// one the change was based on (0: any).
func (s *Store) UpdateRelease(ctx context.Context, actor *beheer.Actor, id, version int64, in ReleaseInput) (*Release, error) {
	if !CanManageReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_manage")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		cur, err := t.lockRelease(ctx, id)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "release.stale")
		}
		if _, err := t.ExecContext(ctx, `UPDATE releases SET name = $1, version_label = $2, acceptance_on = $3, production_on = $4,
			notes_url = $5, updated_at = $6, version = version + 1 WHERE id = $7`, in.Name, in.VersionLabel, optDay(in.AcceptanceOn),
			optDay(in.ProductionOn), in.NotesURL, ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.updated", "release", cur.Name, in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.Release(ctx, actor, id)
}

func (t *tx) lockRelease(ctx context.Context, id int64) (*Release, error) {
	r, err := scanRelease(t.QueryRowContext(ctx, `SELECT `+releaseColumns+` FROM releases x WHERE x.id = $1`+t.s.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return r, err
}

// CheckInput is a new checklist item.
type CheckInput struct {
	Kind       CheckKind
	Title      string
	AssigneeID int64
}

func (in *CheckInput) validate() error {
	in.Title = strings.TrimSpace(in.Title)
	var v beheer.Validation
	checkText(&v, "title", in.Title, maxPlanTitle, true)
	if !slices.Contains(CheckKinds, in.Kind) {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(CheckKinds))
	}
	return v.Err()
}

// AddCheck adds an item to a release's checklist (functional admins, or a
// technical admin for the technical side).
func (s *Store) AddCheck(ctx context.Context, actor *beheer.Actor, releaseID int64, in CheckInput) (*ReleaseCheck, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if !CanManageReleases(actor) && !CanTestSide(actor, in.Kind) {
		return nil, beheer.ErrForbidden("release.forbidden_manage")
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.lockRelease(ctx, releaseID); err != nil {
			return err
		}
		if err := t.checkPerson(ctx, "assignee", in.AssigneeID); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO release_checks (release_id, kind, title, assignee_id, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, releaseID, in.Kind, in.Title, nullID(in.AssigneeID), ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.check_added", string(in.Kind), "", in.Title, false)
	})
	if err != nil {
		return nil, err
	}
	return s.releaseCheck(ctx, id)
}

func (s *Store) releaseCheck(ctx context.Context, id int64) (*ReleaseCheck, error) {
	var c *ReleaseCheck
	err := s.read(ctx, func(db querier) error {
		list, err := queryChecks(ctx, db, `c.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		c = list[0]
		return nil
	})
	return c, err
}

// CheckFile is a file a tester adds to a result (a screenshot, a log).
type CheckFile struct {
	Name string
	Data []byte
}

// RecordCheck records the result of a checklist item with a note and an
// optional file. Whoever tests that side, or the item's assignee, records;
// an item passed or failed already is refused and left as it was.
func (s *Store) RecordCheck(ctx context.Context, actor *beheer.Actor, checkID int64, result CheckResult, note string, file *CheckFile) (*ReleaseCheck, error) {
	note = strings.TrimSpace(note)
	var v beheer.Validation
	if !slices.Contains(CheckResults, result) {
		v.Add("result", "field.invalid_choice", "choices", joinCodes(CheckResults))
	}
	checkText(&v, "note", note, maxPlanText, result == CheckFailed || result == CheckBlocked)
	var name, ctype string
	if file != nil {
		if int64(len(file.Data)) > s.maxFile {
			v.Add("file", "release.field.file_too_large", "max", beheer.FormatBytes(s.maxFile))
		} else {
			var err error
			if name, ctype, err = beheer.CheckUpload(file.Name, file.Data); err != nil {
				v.Fields = append(v.Fields, err.(*beheer.Error).Fields...)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		var c ReleaseCheck
		var checkedAt sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT c.kind, COALESCE(c.assignee_id, 0), c.result, COALESCE(u.name, ''), c.checked_at
			FROM release_checks c LEFT JOIN users u ON u.id = c.checked_by WHERE c.id = $1`+t.s.forUpdateOf("c"), checkID).
			Scan(&c.Kind, &c.AssigneeID, &c.Result, &c.CheckedByName, &checkedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if !CanTestSide(actor, c.Kind) && (c.AssigneeID == 0 || c.AssigneeID != actor.UserID) {
			return beheer.ErrForbidden("release.forbidden_side")
		}
		if c.Result.Final() {
			return beheer.Errorf(beheer.CodeConflict, "release.check_already_recorded", "name", c.CheckedByName,
				"result", string(c.Result))
		}
		if file != nil {
			_, err = t.ExecContext(ctx, `UPDATE release_checks SET result = $1, note = $2, checked_by = $3, checked_at = $4,
				file_name = $5, file_type = $6, file_data = $7 WHERE id = $8`, result, note, actor.UserID, ms(t.now), name, ctype, file.Data, checkID)
		} else {
			_, err = t.ExecContext(ctx, `UPDATE release_checks SET result = $1, note = $2, checked_by = $3, checked_at = $4
				WHERE id = $5`, result, note, actor.UserID, ms(t.now), checkID)
		}
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.check_recorded", "result", string(c.Result), string(result), false)
	})
	if err != nil {
		return nil, err
	}
	return s.releaseCheck(ctx, checkID)
}

// forUpdateOf locks the rows of one table of a join on PostgreSQL.
func (s *Store) forUpdateOf(alias string) string {
	if s.engine == Postgres {
		return " FOR UPDATE OF " + alias
	}
	return ""
}

// ReleaseCheckFile returns the file recorded with a checklist item.
func (s *Store) ReleaseCheckFile(ctx context.Context, actor *beheer.Actor, checkID int64) (name, contentType string, data []byte, err error) {
	if !CanReadReleases(actor) {
		return "", "", nil, beheer.ErrForbidden("release.forbidden_read")
	}
	err = s.read(ctx, func(db querier) error {
		err := db.QueryRowContext(ctx, `SELECT file_name, file_type, file_data FROM release_checks WHERE id = $1 AND file_name <> ''`,
			checkID).Scan(&name, &contentType, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		return err
	})
	return name, contentType, data, err
}

// AddFinding files a finding of the test round as a request (an incident
// by default) and links it to the release; an incident can then be
// escalated to Support from the request.
func (s *Store) AddFinding(ctx context.Context, actor *beheer.Actor, releaseID, checkID int64, n beheer.NewRequest) (*beheer.Request, error) {
	if !CanReadReleases(actor) || !(CanTestSide(actor, CheckFunctional) || CanTestSide(actor, CheckTechnical)) {
		return nil, beheer.ErrForbidden("release.forbidden_manage")
	}
	if n.Type == "" {
		n.Type = beheer.TypeIncident
	}
	if _, err := s.Release(ctx, actor, releaseID); err != nil {
		return nil, err
	}
	if checkID != 0 {
		c, err := s.releaseCheck(ctx, checkID)
		if err != nil || c.ReleaseID != releaseID {
			return nil, beheer.Invalid("check", "field.invalid")
		}
	}
	r, err := s.CreateRequest(ctx, actor, n)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		if _, err := t.ExecContext(ctx, `INSERT INTO release_findings (release_id, request_id, check_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, releaseID, r.ID, nullID(checkID), nullID(actor.UserID), ms(t.now)); err != nil {
			return err
		}
		return t.audit(ctx, actor, r.ID, "release.finding", "release", "", itoa(releaseID), false)
	})
	return r, err
}

// SignOffRelease records one side's sign-off: the functional side by a
// functional admin, the technical side by a technical admin, once each, and
// only when no item of that side is still open or blocked.
func (s *Store) SignOffRelease(ctx context.Context, actor *beheer.Actor, releaseID int64, kind CheckKind, note string) (*Release, error) {
	note = strings.TrimSpace(note)
	if !slices.Contains(CheckKinds, kind) {
		return nil, beheer.Invalid("kind", "field.invalid_choice", "choices", joinCodes(CheckKinds))
	}
	if !CanTestSide(actor, kind) {
		return nil, beheer.ErrForbidden("release.forbidden_side")
	}
	var v beheer.Validation
	checkText(&v, "note", note, maxPlanText, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.lockRelease(ctx, releaseID); err != nil {
			return err
		}
		var signed, open int
		if err := t.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM release_signoffs WHERE release_id = $1 AND kind = $2),
			(SELECT COUNT(*) FROM release_checks WHERE release_id = $1 AND kind = $2 AND result IN ('open', 'blocked'))`,
			releaseID, kind).Scan(&signed, &open); err != nil {
			return err
		}
		if signed > 0 {
			return beheer.Errorf(beheer.CodeConflict, "release.already_signed")
		}
		if open > 0 {
			return beheer.Errorf(beheer.CodeConflict, "release.open_items", "count", open)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO release_signoffs (release_id, kind, user_id, note, signed_at) VALUES ($1, $2, $3, $4, $5)`,
			releaseID, kind, actor.UserID, note, ms(t.now)); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, "release.signed_off", 0, false, map[string]string{"release": itoa(releaseID), "kind": string(kind)}); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.signed_off", string(kind), "", itoa(releaseID), false)
	})
	if err != nil {
		return nil, err
	}
	return s.Release(ctx, actor, releaseID)
}

// AnnounceRelease records that the release was announced to the
// organisation, with the link to the news item (an http(s) address or a
// path in the portal such as /news/12).
func (s *Store) AnnounceRelease(ctx context.Context, actor *beheer.Actor, releaseID int64, link string) (*Release, error) {
	if !CanManageReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_manage")
	}
	link = strings.TrimSpace(link)
	if link == "" {
		return nil, beheer.Invalid("announcement_url", "field.required")
	}
	if !webURL(link) && !portalPath(link) {
		return nil, beheer.Invalid("announcement_url", "release.field.link")
	}
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.lockRelease(ctx, releaseID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE releases SET announced_at = $1, announcement_url = $2, updated_at = $1, version = version + 1
			WHERE id = $3`, ms(t.now), link, releaseID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.announced", "announcement_url", "", link, false)
	})
	if err != nil {
		return nil, err
	}
	return s.Release(ctx, actor, releaseID)
}

// AnnounceReleaseNews ends a release the way the year's work ends one: once
// both sides signed it off, a functional admin writes the news item, and the
// release records it as its announcement — in one transaction. It returns
// the news item's id. in is written as a news item whatever its kind.
func (s *Store) AnnounceReleaseNews(ctx context.Context, actor *beheer.Actor, releaseID int64, in beheer.PublicationInput) (int64, error) {
	if !CanManageReleases(actor) {
		return 0, beheer.ErrForbidden("release.forbidden_manage")
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.lockRelease(ctx, releaseID); err != nil {
			return err
		}
		var sides int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(DISTINCT kind) FROM release_signoffs WHERE release_id = $1`, releaseID).Scan(&sides); err != nil {
			return err
		}
		if sides < len(CheckKinds) {
			return beheer.Errorf(beheer.CodeConflict, "release.news_before_signoff")
		}
		var err error
		in.Kind = beheer.PublicationNews
		if id, err = t.createPublication(ctx, actor, in); err != nil {
			return err
		}
		link := "/news/" + itoa(id)
		if _, err := t.ExecContext(ctx, `UPDATE releases SET announced_at = $1, announcement_url = $2, updated_at = $1, version = version + 1
			WHERE id = $3`, ms(t.now), link, releaseID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.announced", "announcement_url", "", link, false)
	})
	return id, err
}

// portalPath reports a path inside the portal: "/" then letters, digits,
// slashes and dashes only.
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

// CheckTemplates lists the reusable checklist.
func (s *Store) CheckTemplates(ctx context.Context, actor *beheer.Actor) ([]CheckTemplate, error) {
	if !CanReadReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_read")
	}
	var out []CheckTemplate
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT id, kind, title FROM release_check_templates ORDER BY kind, id LIMIT 500`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c CheckTemplate
			if err := rows.Scan(&c.ID, &c.Kind, &c.Title); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// AddCheckTemplate adds an item to the reusable checklist (functional admins).
func (s *Store) AddCheckTemplate(ctx context.Context, actor *beheer.Actor, kind CheckKind, title string) (*CheckTemplate, error) {
	if !CanManageReleases(actor) {
		return nil, beheer.ErrForbidden("release.forbidden_manage")
	}
	in := CheckInput{Kind: kind, Title: title}
	if err := in.validate(); err != nil {
		return nil, err
	}
	c := &CheckTemplate{Kind: kind, Title: in.Title}
	err := s.write(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `INSERT INTO release_check_templates (kind, title, created_at) VALUES ($1, $2, $3) RETURNING id`,
			kind, in.Title, ms(t.now)).Scan(&c.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.template_added", string(kind), "", in.Title, false)
	})
	return c, err
}

// DeleteCheckTemplate removes an item from the reusable checklist; items
// already copied into releases stay.
func (s *Store) DeleteCheckTemplate(ctx context.Context, actor *beheer.Actor, id int64) error {
	if !CanManageReleases(actor) {
		return beheer.ErrForbidden("release.forbidden_manage")
	}
	return s.write(ctx, func(t *tx) error {
		var title string
		err := t.QueryRowContext(ctx, `DELETE FROM release_check_templates WHERE id = $1 RETURNING title`, id).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.template_removed", "", title, "", false)
	})
}
