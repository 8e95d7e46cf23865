package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"beheer"
)

// Channels returns the details of every channel in display order, blank
// for a channel nothing was recorded for; everyone signed in reads them.
func (s *Store) Channels(ctx context.Context) ([]beheer.ChannelDetails, error) {
	var out []beheer.ChannelDetails
	err := s.read(ctx, func(q querier) (err error) { out, err = queryChannels(ctx, q); return err })
	return out, err
}

func queryChannels(ctx context.Context, q querier) ([]beheer.ChannelDetails, error) {
	out := make([]beheer.ChannelDetails, len(beheer.Channels))
	for i, c := range beheer.Channels {
		out[i].Channel = c
	}
	rows, err := q.QueryContext(ctx, `SELECT channel, vendor, phone, email, portal_url, contract, updated_at, version FROM channels`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d beheer.ChannelDetails
		var at sql.NullInt64
		if err := rows.Scan(&d.Channel, &d.Vendor, &d.Phone, &d.Email, &d.PortalURL, &d.Contract, &at, &d.Version); err != nil {
			return nil, err
		}
		d.UpdatedAt = fromMS(at)
		if i := slices.Index(beheer.Channels, d.Channel); i >= 0 {
			out[i] = d
		}
	}
	return out, rows.Err()
}

// SetChannel records the details of one channel; version is the one the
// edit was based on (0: not checked; a channel never saved has version 0).
func (s *Store) SetChannel(ctx context.Context, actor *beheer.Actor, version int64, d beheer.ChannelDetails) (*beheer.ChannelDetails, error) {
	if !beheer.CanKeepChannels(actor) {
		return nil, beheer.ErrForbidden("profile.forbidden")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		var before beheer.ChannelDetails
		var at sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT vendor, phone, email, portal_url, contract, updated_at, version FROM channels
			WHERE channel = $1`+t.s.dialect.lock(""), d.Channel).Scan(&before.Vendor, &before.Phone, &before.Email, &before.PortalURL,
			&before.Contract, &at, &before.Version)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if version != 0 && version != before.Version {
			return beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
		}
		d.Version, d.UpdatedAt = before.Version+1, t.now
		if _, err := t.ExecContext(ctx, `INSERT INTO channels (channel, vendor, phone, email, portal_url, contract, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (channel) DO UPDATE SET vendor = excluded.vendor,
			phone = excluded.phone, email = excluded.email, portal_url = excluded.portal_url, contract = excluded.contract,
			updated_at = excluded.updated_at, version = excluded.version`,
			d.Channel, d.Vendor, d.Phone, d.Email, d.PortalURL, d.Contract, ms(t.now), d.Version); err != nil {
			return err
		}
		return t.auditChanges(ctx, actor, "channel.updated", "channel:"+string(d.Channel), [][3]string{
			{"vendor", before.Vendor, d.Vendor}, {"phone", before.Phone, d.Phone}, {"email", before.Email, d.Email},
			{"portal_url", before.PortalURL, d.PortalURL}, {"contract_notes", before.Contract, d.Contract}})
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// SetKeyUsers makes exactly the people of userIDs the key users of an area,
// through the roles they hold: the key_user role scoped to the area is
// given to those who lack it and taken from the others. Each person whose
// roles change gets an audit row, as for any change of roles.
func (s *Store) SetKeyUsers(ctx context.Context, actor *beheer.Actor, areaID int64, userIDs []int64) error {
	if !actor.Can(beheer.PermUserManage, 0) {
		return beheer.ErrForbidden("")
	}
	return s.writePeople(ctx, func(t *tx) error {
		a, err := scanArea(t.QueryRowContext(ctx, `SELECT `+areaColumns+` FROM areas WHERE id = $1`, areaID))
		if err := errNoRows(err); err != nil {
			return err
		}
		if a.Archived() && len(userIDs) > 0 {
			var v beheer.Validation
			v.Add("key_users", "area.move_to_archived", "name", a.Name)
			return v.Err()
		}
		current, err := t.keyUsers(ctx, areaID)
		if err != nil {
			return err
		}
		for _, id := range userIDs {
			if slices.Contains(current, id) {
				continue
			}
			u, err := t.person(ctx, id)
			if err != nil {
				return err
			}
			if u == nil || !u.Active {
				var v beheer.Validation
				v.Add("key_users", "process.owner_unknown")
				return v.Err()
			}
			if err := t.changeRole(ctx, actor, id, beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: areaID}, true); err != nil {
				return err
			}
		}
		for _, id := range current {
			if !slices.Contains(userIDs, id) {
				if err := t.changeRole(ctx, actor, id, beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: areaID}, false); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// keyUsers lists who holds the key user role for an area.
func (t *tx) keyUsers(ctx context.Context, areaID int64) ([]int64, error) {
	return queryIDs(ctx, t, `SELECT user_id FROM user_roles WHERE role = $1 AND area_id = $2 ORDER BY user_id`,
		beheer.RoleKeyUser, areaID)
}

// changeRole gives or takes one role of a person, with the audit row a
// change of roles writes.
func (t *tx) changeRole(ctx context.Context, actor *beheer.Actor, userID int64, as beheer.Assignment, give bool) error {
	before, err := loadRoles(ctx, t, userID)
	if err != nil {
		return err
	}
	after := slices.DeleteFunc(slices.Clone(before), func(x beheer.Assignment) bool { return x == as })
	if give {
		after = append(after, as)
		err = t.setRoles(ctx, userID, []beheer.Assignment{as})
	} else {
		_, err = t.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND area_id = $3`, userID, as.Role, as.AreaID)
	}
	if err != nil {
		return err
	}
	return t.audit(ctx, actor, 0, "user.roles", "user:"+itoa(userID), formatRoles(before), formatRoles(after), false)
}
