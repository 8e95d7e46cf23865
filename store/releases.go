package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"beheer"
)

// The SQL of releases and their acceptance tests: the checklist, results
// and their files, findings, sign-offs and the announcement. The rules are
// beheer's (release.go); every write checks them here, in its transaction.

const releaseColumns = `x.id, x.name, x.version_label, x.acceptance_on, x.production_on, x.notes_url, x.announced_at,
	x.announcement_url, x.created_at, x.updated_at, x.version,
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id),
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id AND c.result = 'passed'),
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id AND c.result = 'failed'),
	(SELECT COUNT(*) FROM release_checks c WHERE c.release_id = x.id AND c.result = 'blocked'),
	(SELECT COUNT(*) FROM release_signoffs g WHERE g.release_id = x.id),
	COALESCE(x.activity_id, 0), COALESCE((SELECT a.title FROM plan_activities a WHERE a.id = x.activity_id), ''),
	COALESCE((SELECT p.year FROM plan_activities a JOIN plans p ON p.id = a.plan_id WHERE a.id = x.activity_id), 0)`

func scanRelease(row interface{ Scan(...any) error }) (*beheer.Release, error) {
	var r beheer.Release
	var acc, prod string
	var announced, created, updated sql.NullInt64
	if err := row.Scan(&r.ID, &r.Name, &r.VersionLabel, &acc, &prod, &r.NotesURL, &announced, &r.AnnouncementURL,
		&created, &updated, &r.Version, &r.Counts.Total, &r.Counts.Passed, &r.Counts.Failed, &r.Counts.Blocked,
		&r.Counts.SignOffs, &r.ActivityID, &r.ActivityTitle, &r.ActivityYear); err != nil {
		return nil, err
	}
	r.AcceptanceOn, r.ProductionOn = parseStoredDay(acc), parseStoredDay(prod)
	r.AnnouncedAt, r.CreatedAt, r.UpdatedAt = fromMS(announced), fromMS(created), fromMS(updated)
	return &r, nil
}

// optDay writes an optional day column: "" for no day.
func optDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return beheer.FormatDay(t)
}

// Releases lists releases, newest first, keyset-paginated on id.
func (s *Store) Releases(ctx context.Context, actor *beheer.Actor, limit int, cur string) (*beheer.ReleasePage, error) {
	if !beheer.CanReadReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseRead)
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
	out := &beheer.ReleasePage{}
	var err error
	out.Items, err = s.queryReleases(ctx, kbWhere(q.where)+` ORDER BY x.id DESC LIMIT `+q.arg(limit+1), q.args...)
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
func (s *Store) Release(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Release, error) {
	if !beheer.CanReadReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseRead)
	}
	var r *beheer.Release
	err := s.read(ctx, func(db querier) error {
		var err error
		r, err = scanRelease(db.QueryRowContext(ctx, `SELECT `+releaseColumns+` FROM releases x WHERE x.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		return loadChecklist(ctx, db, r)
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

// loadChecklist fills in a release's checklist items and sign-offs.
func loadChecklist(ctx context.Context, db querier, r *beheer.Release) error {
	var err error
	if r.Checks, err = queryChecks(ctx, db, `c.release_id = $1`, r.ID); err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, `SELECT g.kind, g.user_id, u.name, g.note, g.signed_at, g.exception, g.failed_items,
		g.blocked_items, g.untriaged_findings FROM release_signoffs g JOIN users u ON u.id = g.user_id WHERE g.release_id = $1
		ORDER BY g.kind`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g beheer.SignOff
		var at sql.NullInt64
		if err := rows.Scan(&g.Kind, &g.UserID, &g.UserName, &g.Note, &at, &g.Exception, &g.Excepted.Failed,
			&g.Excepted.Blocked, &g.Excepted.Untriaged); err != nil {
			return err
		}
		g.SignedAt = fromMS(at)
		r.SignOffs = append(r.SignOffs, g)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return loadFindingStates(ctx, db, r)
}

// loadFindingStates fills in what the sign-off gate knows of every
// finding: the side of its item and whether it left Aanvraag.
func loadFindingStates(ctx context.Context, db querier, r *beheer.Release) error {
	rows, err := db.QueryContext(ctx, `SELECT f.request_id, COALESCE(c.kind, ''), q.phase FROM release_findings f
		JOIN requests q ON q.id = f.request_id LEFT JOIN release_checks c ON c.id = f.check_id
		WHERE f.release_id = $1 ORDER BY f.request_id LIMIT 1000`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var fs beheer.FindingState
		var phase beheer.Phase
		if err := rows.Scan(&fs.RequestID, &fs.Kind, &phase); err != nil {
			return err
		}
		fs.Triaged = phase != beheer.PhaseIntake
		r.FindingStates = append(r.FindingStates, fs)
	}
	return rows.Err()
}

const checkColumns = `c.id, c.release_id, c.kind, c.title, COALESCE(c.assignee_id, 0), COALESCE(a.name, ''), c.result, c.note,
	c.file_name, c.file_type, COALESCE(c.checked_by, 0), COALESCE(b.name, ''), c.checked_at`

func queryChecks(ctx context.Context, db querier, cond string, args ...any) ([]*beheer.ReleaseCheck, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+checkColumns+` FROM release_checks c LEFT JOIN users a ON a.id = c.assignee_id
		LEFT JOIN users b ON b.id = c.checked_by WHERE `+cond+` ORDER BY c.kind, c.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*beheer.ReleaseCheck
	for rows.Next() {
		var c beheer.ReleaseCheck
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
func (s *Store) CreateRelease(ctx context.Context, actor *beheer.Actor, in beheer.ReleaseInput, withTemplate bool) (*beheer.Release, error) {
	if !beheer.CanManageReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseManage)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		window, err := t.testWindow(ctx, in)
		if err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO releases (name, version_label, acceptance_on, production_on, notes_url,
			activity_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			in.Name, in.VersionLabel, optDay(in.AcceptanceOn), optDay(in.ProductionOn), in.NotesURL, nullID(window),
			nullID(actor.UserID), ms(t.now)).Scan(&id); err != nil {
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
func (s *Store) UpdateRelease(ctx context.Context, actor *beheer.Actor, id, version int64, in beheer.ReleaseInput) (*beheer.Release, error) {
	if !beheer.CanManageReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseManage)
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
		window, err := t.testWindow(ctx, in)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE releases SET name = $1, version_label = $2, acceptance_on = $3, production_on = $4,
			notes_url = $5, activity_id = $6, updated_at = $7, version = version + 1 WHERE id = $8`, in.Name, in.VersionLabel,
			optDay(in.AcceptanceOn), optDay(in.ProductionOn), in.NotesURL, nullID(window), ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "release.updated", "release", cur.Name, in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.Release(ctx, actor, id)
}

// testWindow is the plan's test window the release is tied to: the one
// asked for, which must be a release_test activity its acceptance date
// falls in, or else the one the date falls in (0 when none).
func (t *tx) testWindow(ctx context.Context, in beheer.ReleaseInput) (int64, error) {
	if in.ActivityID != 0 {
		list, err := queryActivities(ctx, t, `a.id = $1`, in.ActivityID)
		if err != nil {
			return 0, err
		}
		if len(list) == 0 {
			return 0, beheer.Invalid("activity", "field.invalid")
		}
		return in.ActivityID, beheer.CheckTestWindow(list[0], in.AcceptanceOn)
	}
	if in.AcceptanceOn.IsZero() {
		return 0, nil
	}
	list, err := queryActivities(ctx, t, `a.kind = $1 AND p.year = $2`, beheer.KindReleaseTest, in.AcceptanceOn.Year())
	if err != nil {
		return 0, err
	}
	if w := beheer.TestWindow(list, in.AcceptanceOn); w != nil {
		return w.ID, nil
	}
	return 0, nil
}

// lockRelease loads a release in a write transaction, locking its row.
func (t *tx) lockRelease(ctx context.Context, id int64) (*beheer.Release, error) {
	r, err := scanRelease(t.QueryRowContext(ctx, `SELECT `+releaseColumns+` FROM releases x WHERE x.id = $1`+t.s.dialect.lock(""), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, beheer.ErrNotFound()
	}
	return r, err
}

// lockChecklist locks a release in a write transaction and loads its
// checklist and sign-offs, which say whether a side can be signed off.
func (t *tx) lockChecklist(ctx context.Context, id int64) (*beheer.Release, error) {
	r, err := t.lockRelease(ctx, id)
	if err != nil {
		return nil, err
	}
	return r, loadChecklist(ctx, t, r)
}

// AddCheck adds an item to a release's checklist (functional admins, or a
// technical admin for the technical side).
func (s *Store) AddCheck(ctx context.Context, actor *beheer.Actor, releaseID int64, in beheer.ReleaseCheckInput) (*beheer.ReleaseCheck, error) {
	if err := beheer.CheckAddCheck(actor, &in); err != nil {
		return nil, err
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

func (s *Store) releaseCheck(ctx context.Context, id int64) (*beheer.ReleaseCheck, error) {
	var c *beheer.ReleaseCheck
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

// RecordCheck records the result of a checklist item with a note and an
// optional file. Whoever tests that side, or the item's assignee, records;
// an item passed or failed already is refused and left as it was.
func (s *Store) RecordCheck(ctx context.Context, actor *beheer.Actor, checkID int64, result beheer.CheckResult, note string, file *beheer.ResultFile) (*beheer.ReleaseCheck, error) {
	note = strings.TrimSpace(note)
	name, ctype, err := beheer.ValidateRecording(result, note, file, s.maxFile)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		var c beheer.ReleaseCheck
		var checkedAt sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT c.kind, COALESCE(c.assignee_id, 0), c.result, COALESCE(u.name, ''), c.checked_at
			FROM release_checks c LEFT JOIN users u ON u.id = c.checked_by WHERE c.id = $1`+t.s.dialect.lock("c"), checkID).
			Scan(&c.Kind, &c.AssigneeID, &c.Result, &c.CheckedByName, &checkedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if err := c.CheckRecord(actor); err != nil {
			return err
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

// ReleaseCheckFile returns the file recorded with a checklist item.
func (s *Store) ReleaseCheckFile(ctx context.Context, actor *beheer.Actor, checkID int64) (name, contentType string, data []byte, err error) {
	if !beheer.CanReadReleases(actor) {
		return "", "", nil, beheer.Refusal(beheer.PermReleaseRead)
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
	if err := beheer.CheckFinding(actor, &n); err != nil {
		return nil, err
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
// functional admin, the technical side by a technical admin, once each,
// never with an item not tested, and — while an item failed or is blocked
// or a finding is untriaged — only with an exception and its motivation
// (the release gate, beheer.Release.CheckSignOffReady). When both sides
// are signed off, a once-only test window of the plan is done.
func (s *Store) SignOffRelease(ctx context.Context, actor *beheer.Actor, releaseID int64, in beheer.SignOffInput) (*beheer.Release, error) {
	in.Note = strings.TrimSpace(in.Note)
	if err := beheer.CheckSignOff(actor, in.Kind, in.Note); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		r, err := t.lockChecklist(ctx, releaseID)
		if err != nil {
			return err
		}
		covered, err := r.CheckSignOffReady(&in)
		if err != nil {
			return err
		}
		exception := ""
		if covered.Any() {
			exception = in.Motivation
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO release_signoffs (release_id, kind, user_id, note, signed_at, exception,
			failed_items, blocked_items, untriaged_findings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			releaseID, in.Kind, actor.UserID, in.Note, ms(t.now), exception, covered.Failed, covered.Blocked, covered.Untriaged); err != nil {
			return err
		}
		if err := t.emit(ctx, actor, "release.signed_off", 0, false, map[string]string{"release": itoa(releaseID), "kind": string(in.Kind)}); err != nil {
			return err
		}
		if exception != "" {
			if err := t.audit(ctx, actor, 0, "release.signed_off_exception", string(in.Kind), "", exception, false); err != nil {
				return err
			}
		}
		if err := t.audit(ctx, actor, 0, "release.signed_off", string(in.Kind), "", itoa(releaseID), false); err != nil {
			return err
		}
		r.SignOffs = append(r.SignOffs, beheer.SignOff{Kind: in.Kind})
		return t.followRelease(ctx, actor, r)
	})
	if err != nil {
		return nil, err
	}
	return s.Release(ctx, actor, releaseID)
}

// followRelease marks the release's test window done once both sides
// signed the release off, where the window follows its release.
func (t *tx) followRelease(ctx context.Context, actor *beheer.Actor, r *beheer.Release) error {
	if r.ActivityID == 0 || !r.SignedOff() {
		return nil
	}
	list, err := queryActivities(ctx, t, `a.id = $1`, r.ActivityID)
	if err != nil || len(list) == 0 {
		return err
	}
	a := list[0]
	if !a.FollowsRelease() || a.Status == beheer.ActivityDone {
		return nil
	}
	if _, err := t.ExecContext(ctx, `UPDATE plan_activities SET status = $1, updated_at = $2 WHERE id = $3`,
		beheer.ActivityDone, ms(t.now), a.ID); err != nil {
		return err
	}
	return t.audit(ctx, actor, 0, "plan.activity_updated", "status", string(a.Status), string(beheer.ActivityDone), false)
}

// AnnounceRelease records that the release was announced to the
// organisation, with the link to the news item (an http(s) address or a
// path in the portal such as /news/12).
func (s *Store) AnnounceRelease(ctx context.Context, actor *beheer.Actor, releaseID int64, link string) (*beheer.Release, error) {
	if !beheer.CanManageReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseManage)
	}
	link, err := beheer.AnnouncementLink(link)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
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
	if !beheer.CanManageReleases(actor) {
		return 0, beheer.Refusal(beheer.PermReleaseManage)
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		r, err := t.lockChecklist(ctx, releaseID)
		if err != nil {
			return err
		}
		if err := r.CheckNews(); err != nil {
			return err
		}
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

// CheckTemplates lists the reusable checklist.
func (s *Store) CheckTemplates(ctx context.Context, actor *beheer.Actor) ([]beheer.ReleaseCheckTemplate, error) {
	if !beheer.CanReadReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseRead)
	}
	var out []beheer.ReleaseCheckTemplate
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT id, kind, title FROM release_check_templates ORDER BY kind, id LIMIT 500`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c beheer.ReleaseCheckTemplate
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
func (s *Store) AddCheckTemplate(ctx context.Context, actor *beheer.Actor, kind beheer.CheckKind, title string) (*beheer.ReleaseCheckTemplate, error) {
	if !beheer.CanManageReleases(actor) {
		return nil, beheer.Refusal(beheer.PermReleaseManage)
	}
	in := beheer.ReleaseCheckInput{Kind: kind, Title: title}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c := &beheer.ReleaseCheckTemplate{Kind: kind, Title: in.Title}
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
	if !beheer.CanManageReleases(actor) {
		return beheer.Refusal(beheer.PermReleaseManage)
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

// TestWindows lists the annual plans' test windows a release can be tied
// to: activities of kind release_test that were not cancelled, of this
// year and later, in order.
func (s *Store) TestWindows(ctx context.Context) ([]*beheer.Activity, error) {
	var out []*beheer.Activity
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryActivities(ctx, q, `a.kind = $1 AND a.status <> $2 AND p.year >= $3`,
			beheer.KindReleaseTest, beheer.ActivityCancelled, s.now().In(amsterdam).Year()-1)
		return err
	})
	return out, err
}

// ReleasesInWindow lists the releases tied to a test window of the plan,
// newest first, with their sign-offs: the window's progress.
func (s *Store) ReleasesInWindow(ctx context.Context, actor *beheer.Actor, activityID int64) ([]*beheer.Release, error) {
	if !beheer.CanReadReleases(actor) {
		return nil, nil
	}
	return s.queryReleases(ctx, ` WHERE x.activity_id = $1 ORDER BY x.id DESC LIMIT 50`, activityID)
}

// queryReleases reads the releases of a query's WHERE, ORDER and LIMIT.
func (s *Store) queryReleases(ctx context.Context, rest string, args ...any) ([]*beheer.Release, error) {
	var out []*beheer.Release
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT `+releaseColumns+` FROM releases x`+rest, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRelease(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
