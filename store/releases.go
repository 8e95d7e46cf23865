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
	(SELECT COUNT(*) FROM release_signoffs g WHERE g.release_id = x.id)`

func scanRelease(row interface{ Scan(...any) error }) (*beheer.Release, error) {
	var r beheer.Release
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
	rows, err := db.QueryContext(ctx, `SELECT g.kind, g.user_id, u.name, g.note, g.signed_at FROM release_signoffs g
		JOIN users u ON u.id = g.user_id WHERE g.release_id = $1 ORDER BY g.kind`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g beheer.SignOff
		var at sql.NullInt64
		if err := rows.Scan(&g.Kind, &g.UserID, &g.UserName, &g.Note, &at); err != nil {
			return err
		}
		g.SignedAt = fromMS(at)
		r.SignOffs = append(r.SignOffs, g)
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
// functional admin, the technical side by a technical admin, once each, and
// only when no item of that side is still open or blocked.
func (s *Store) SignOffRelease(ctx context.Context, actor *beheer.Actor, releaseID int64, kind beheer.CheckKind, note string) (*beheer.Release, error) {
	note = strings.TrimSpace(note)
	if err := beheer.CheckSignOff(actor, kind, note); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		r, err := t.lockChecklist(ctx, releaseID)
		if err != nil {
			return err
		}
		if err := r.CheckSignOffReady(kind); err != nil {
			return err
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
