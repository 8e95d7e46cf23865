package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"beheer"
)

// The organisation and its setting up: the one-time first-start link, the
// organisation with its first functional admin created in one transaction,
// and the setup checklist. Its rules are the root package's (setup.go).

// Organisation returns the organisation, or nil before one is set up (and
// in databases from before setting up existed).
func (s *Store) Organisation(ctx context.Context) (*beheer.Organisation, error) {
	var o *beheer.Organisation
	err := s.read(ctx, func(q querier) (err error) { o, err = readOrganisation(ctx, q); return err })
	return o, err
}

func readOrganisation(ctx context.Context, q querier) (*beheer.Organisation, error) {
	var o beheer.Organisation
	var created int64
	err := q.QueryRowContext(ctx, `SELECT name, lang, logo IS NOT NULL, created_at, version FROM organisation WHERE id = 1`).
		Scan(&o.Name, &o.Lang, &o.HasLogo, &created, &o.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o.CreatedAt = time.UnixMilli(created)
	cal, err := readCalendar(ctx, q)
	o.Zone = cal.Zone
	return &o, err
}

// OrganisationNames are the organisation's names a new password must not
// be made of: the name it keeps (Organisation) and the one its account
// settings give (beheer.AccountSettings.OrganisationName), where set.
func (s *Store) OrganisationNames(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT name FROM organisation WHERE id = 1
			UNION ALL SELECT value FROM settings WHERE key = $1`, settingOrganisationName)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			if name != "" {
				out = append(out, name)
			}
		}
		return rows.Err()
	})
	return out, err
}

// OrganisationLogo returns the organisation's logo and its content type;
// not found when there is none.
func (s *Store) OrganisationLogo(ctx context.Context) ([]byte, string, error) {
	var data []byte
	var typ string
	err := s.read(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT logo, logo_type FROM organisation WHERE id = 1 AND logo IS NOT NULL`).Scan(&data, &typ)
		return errNoRows(err)
	})
	return data, typ, err
}

// SetupOpen reports whether the organisation still has to be set up: there
// is no organisation and nobody is a functional admin (a database filled by
// the demo or by `beheer user add` counts as set up; people synced from
// the HR administration alone do not, as none of them can manage Beheer).
func (s *Store) SetupOpen(ctx context.Context) (bool, error) {
	var open bool
	err := s.read(ctx, func(q querier) (err error) { open, err = setupOpen(ctx, q); return err })
	return open, err
}

func setupOpen(ctx context.Context, q querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM organisation) +
		(SELECT COUNT(*) FROM user_roles WHERE role = $1)`, beheer.RoleFunctionalAdmin).Scan(&n)
	return n == 0, err
}

// CreateSetupLink makes a new first-start link token, valid once for
// beheer.SetupLinkLifetime; links made before that were not used stop
// working, so only the link printed last opens the setup. It is refused
// once the organisation is set up.
func (s *Store) CreateSetupLink(ctx context.Context) (string, time.Time, error) {
	token := randomToken()
	var expires time.Time
	err := s.write(ctx, func(t *tx) error {
		open, err := setupOpen(ctx, t)
		if err != nil {
			return err
		}
		if !open {
			return beheer.Errorf(beheer.CodeConflict, "setup.already_done")
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM setup_tokens WHERE used_at IS NULL`); err != nil {
			return err
		}
		expires = t.now.Add(beheer.SetupLinkLifetime)
		_, err = t.ExecContext(ctx, `INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)`,
			hashToken(token), ms(t.now), ms(expires))
		return err
	})
	return token, expires, err
}

// CheckSetupLink says whether a first-start link may be used now.
func (s *Store) CheckSetupLink(ctx context.Context, token string) error {
	return s.read(ctx, func(q querier) error { return checkSetupLink(ctx, q, token, s.now()) })
}

func checkSetupLink(ctx context.Context, q querier, token string, now time.Time) error {
	var l beheer.SetupLink
	var expires int64
	var used sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = $1`, hashToken(token)).
		Scan(&expires, &used)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	l.Found, l.ExpiresAt, l.UsedAt = err == nil, time.UnixMilli(expires), fromMS(used)
	open, err := setupOpen(ctx, q)
	if err != nil {
		return err
	}
	return beheer.CheckSetupLink(l, !open, now)
}

// SetUp creates the organisation and its first functional admin, with the
// password hash given, in one transaction. With a token it is the
// first-start link's form: the link is spent in the same transaction. With
// an empty token it is the command line's `beheer setup`. Either way it is
// refused once an organisation exists, so two people racing through two
// links end with one organisation.
func (s *Store) SetUp(ctx context.Context, token string, in beheer.OrganisationInput, admin beheer.FirstAdmin, passwordHash string) (*beheer.User, error) {
	logoType, nu, err := beheer.ValidateSetup(&in, admin)
	if err != nil {
		return nil, err
	}
	var u *beheer.User
	err = s.writePeople(ctx, func(t *tx) error {
		if token != "" {
			if err := checkSetupLink(ctx, t, token, t.now); err != nil {
				return err
			}
			res, err := t.ExecContext(ctx, `UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL`,
				ms(t.now), hashToken(token))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return beheer.Errorf(beheer.CodeConflict, "setup.link_used")
			}
		} else if open, err := setupOpen(ctx, t); err != nil || !open {
			if err == nil {
				err = beheer.Errorf(beheer.CodeConflict, "setup.already_done")
			}
			return err
		}
		var logo any
		if in.Logo != nil {
			logo = in.Logo.Data
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO organisation (id, name, lang, logo, logo_type, checklist, created_at, updated_at)
			VALUES (1, $1, $2, $3, $4, TRUE, $5, $5)`, in.Name, in.Lang, logo, logoType, ms(t.now)); err != nil {
			return err
		}
		if err := t.setZone(ctx, in.Zone); err != nil {
			return err
		}
		id, err := t.firstAdmin(ctx, nu, passwordHash)
		if err != nil {
			return err
		}
		u = &beheer.User{ID: id, Email: nu.Email, Name: nu.Name, Lang: nu.Lang, Active: true, Roles: nu.Roles, CreatedAt: t.now}
		actor := u.Actor()
		if err := t.audit(ctx, actor, 0, "organisation.created", "name", "", in.Name, false); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "user.created", "email", "", nu.Email, false)
	})
	return u, err
}

// firstAdmin makes the first functional admin: a new person, or the person
// with that address when people came from the HR administration first,
// who then gets the password and the role.
func (t *tx) firstAdmin(ctx context.Context, nu beheer.NewUser, passwordHash string) (int64, error) {
	var id int64
	err := t.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, nu.Email).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = t.QueryRowContext(ctx, `INSERT INTO users (email, name, lang, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, nu.Email, nu.Name, nu.Lang, passwordHash, ms(t.now)).Scan(&id)
	case err == nil:
		_, err = t.ExecContext(ctx, `UPDATE users SET password_hash = $1, active = TRUE, updated_at = $2 WHERE id = $3`,
			passwordHash, ms(t.now), id)
	}
	if err != nil {
		return 0, err
	}
	return id, t.setRoles(ctx, id, nu.Roles)
}

// setZone makes zone the zone of the business-hours calendar: the
// organisation's time zone is where its working hours are.
func (t *tx) setZone(ctx context.Context, zone string) error {
	cal, err := readCalendar(ctx, t)
	if err != nil || cal.Zone == zone {
		return err
	}
	cal.Zone = zone
	full, err := cal.Checked()
	if err != nil {
		return err
	}
	_, _, err = t.setCalendar(ctx, full)
	return err
}

// SetOrganisation creates or changes the organisation's details (the demo,
// and a functional admin for every area later); version is the one the
// edit was based on (0: not checked).
func (s *Store) SetOrganisation(ctx context.Context, actor *beheer.Actor, version int64, in beheer.OrganisationInput) (*beheer.Organisation, error) {
	if !beheer.CanManageSettings(actor) {
		return nil, beheer.Refusal(beheer.PermSettingsManage)
	}
	logoType, err := in.Validate()
	if err != nil {
		return nil, err
	}
	var out *beheer.Organisation
	err = s.write(ctx, func(t *tx) error {
		before, err := readOrganisation(ctx, t)
		if err != nil {
			return err
		}
		if before == nil {
			before = &beheer.Organisation{}
			if _, err := t.ExecContext(ctx, `INSERT INTO organisation (id, name, lang, created_at, updated_at, version)
				VALUES (1, '', 'nl', $1, $1, 0)`, ms(t.now)); err != nil {
				return err
			}
			cal, err := readCalendar(ctx, t)
			if err != nil {
				return err
			}
			before.Zone = cal.Zone
		} else if version != 0 && version != before.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
		}
		if _, err := t.ExecContext(ctx, `UPDATE organisation SET name = $1, lang = $2, updated_at = $3, version = version + 1
			WHERE id = 1`, in.Name, in.Lang, ms(t.now)); err != nil {
			return err
		}
		logo := ""
		switch {
		case in.Logo != nil:
			_, err = t.ExecContext(ctx, `UPDATE organisation SET logo = $1, logo_type = $2 WHERE id = 1`, in.Logo.Data, logoType)
			logo = "new"
		case in.RemoveLogo:
			_, err = t.ExecContext(ctx, `UPDATE organisation SET logo = NULL, logo_type = '' WHERE id = 1`)
			logo = "removed"
		}
		if err != nil {
			return err
		}
		if err := t.setZone(ctx, in.Zone); err != nil {
			return err
		}
		if err := t.auditChanges(ctx, actor, "organisation.updated", "organisation", [][3]string{
			{"name", before.Name, in.Name}, {"lang", before.Lang, in.Lang}, {"time_zone", before.Zone, in.Zone},
			{"logo", "", logo}}); err != nil {
			return err
		}
		out, err = readOrganisation(ctx, t)
		return err
	})
	return out, err
}

// SetupState is the setup checklist as it stands, and whether it is still
// shown on the functional admins' home page.
type SetupState struct {
	Steps []beheer.SetupStep
	// Show is true while an organisation set up through the first-start
	// link or `beheer setup` has steps left.
	Show bool
}

// SetupChecklist counts what the checklist ticks itself from; signOn and
// mail say whether the server has single sign-on and outgoing mail.
func (s *Store) SetupChecklist(ctx context.Context, signOn, mail bool) (*SetupState, error) {
	f := beheer.SetupFacts{SignOn: signOn, Mail: mail}
	na := map[beheer.SetupItem]bool{}
	var checklist bool
	var slaSaved int
	err := s.read(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM areas WHERE archived_at IS NULL),
			(SELECT COUNT(*) FROM areas a WHERE a.archived_at IS NULL
				AND EXISTS (SELECT 1 FROM processes p WHERE p.area_id = a.id AND p.archived_at IS NULL)),
			(SELECT COUNT(*) FROM processes WHERE archived_at IS NULL AND owner_id IS NOT NULL),
			(SELECT COUNT(*) FROM users WHERE active) - 1,
			(SELECT COUNT(DISTINCT ur.user_id) FROM user_roles ur JOIN users u ON u.id = ur.user_id
				WHERE u.active AND ur.role = 'key_user'),
			(SELECT COUNT(*) FROM channels WHERE vendor <> '' OR phone <> '' OR email <> '' OR portal_url <> '' OR contract <> '')
				+ (SELECT COUNT(DISTINCT channel) FROM channel_contacts),
			CASE WHEN EXISTS (SELECT 1 FROM audit WHERE request_id IS NULL AND action IN ('sla.targets', 'sla.calendar'))
				THEN 1 ELSE 0 END,
			COALESCE((SELECT checklist FROM organisation WHERE id = 1), FALSE)`).
			Scan(&f.Areas, &f.AreasWithProcess, &f.ProcessesOwned, &f.People, &f.KeyUsers, &f.ChannelsFilled, &slaSaved, &checklist)
		if err != nil {
			return err
		}
		f.ServiceLevels = slaSaved > 0
		subs, err := supportSubmitters(ctx, q, 0)
		if err != nil {
			return err
		}
		f.SupportNamed = subs.Named > 0
		rows, err := q.QueryContext(ctx, `SELECT item FROM setup_items`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var item beheer.SetupItem
			if err := rows.Scan(&item); err != nil {
				return err
			}
			na[item] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	steps := beheer.SetupChecklist(f, na)
	return &SetupState{Steps: steps, Show: checklist && !beheer.SetupFinished(steps)}, nil
}

// MarkSetupItem marks a step of the checklist "not applicable", or takes
// the mark away (functional admins for every area).
func (s *Store) MarkSetupItem(ctx context.Context, actor *beheer.Actor, item beheer.SetupItem, notApplicable bool) error {
	if !beheer.CanManageSettings(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	if !item.Valid() {
		var v beheer.Validation
		v.Add("item", "field.invalid_choice", "choices", joinItems())
		return v.Err()
	}
	return s.write(ctx, func(t *tx) error {
		res, err := t.ExecContext(ctx, `DELETE FROM setup_items WHERE item = $1`, item)
		if err != nil {
			return err
		}
		had, _ := res.RowsAffected()
		if notApplicable {
			if _, err := t.ExecContext(ctx, `INSERT INTO setup_items (item, marked_by, marked_at) VALUES ($1, $2, $3)`,
				item, nullID(actor.UserID), ms(t.now)); err != nil {
				return err
			}
		}
		if (had > 0) == notApplicable {
			return nil
		}
		return t.audit(ctx, actor, 0, "setup.not_applicable", string(item), boolText(had > 0), boolText(notApplicable), false)
	})
}

func joinItems() string {
	out := ""
	for i, it := range beheer.SetupItems {
		if i > 0 {
			out += ", "
		}
		out += string(it)
	}
	return out
}
