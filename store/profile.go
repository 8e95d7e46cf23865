package store

import (
	"context"
	"database/sql"
	"errors"

	"beheer"
)

// The organisation profile's storage: the role holders, the outside
// contacts and the rule settings read together. Its nouns and rules are the
// root package's (profile.go).

// Profile returns the organisation profile; everyone signed in reads it.
func (s *Store) Profile(ctx context.Context, actor *beheer.Actor) (*beheer.Profile, error) {
	p := &beheer.Profile{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email, ur.role, ur.area_id, COALESCE(a.name, '')
			FROM user_roles ur JOIN users u ON u.id = ur.user_id LEFT JOIN areas a ON a.id = ur.area_id
			WHERE u.active AND ur.role <> 'user' ORDER BY ur.role, COALESCE(a.name, ''), u.name, u.id LIMIT 5000`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h beheer.RoleHolder
			if err := rows.Scan(&h.UserID, &h.Name, &h.Email, &h.Role, &h.AreaID, &h.AreaName); err != nil {
				return err
			}
			p.Holders = append(p.Holders, h)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE active`).Scan(&p.Users); err != nil {
			return err
		}
		if p.Contacts, err = queryContacts(ctx, q, ""); err != nil {
			return err
		}
		p.Policy, err = readPolicy(ctx, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

const contactColumns = `id, channel, name, organisation, email, phone, may_submit_support_incidents, created_at, updated_at`

func queryContacts(ctx context.Context, q querier, cond string, args ...any) ([]beheer.ChannelContact, error) {
	if cond != "" {
		cond = " WHERE " + cond
	}
	rows, err := q.QueryContext(ctx, `SELECT `+contactColumns+` FROM channel_contacts`+cond+` ORDER BY channel, name, id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.ChannelContact
	for rows.Next() {
		var c beheer.ChannelContact
		var created, updated sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Channel, &c.Name, &c.Organisation, &c.Email, &c.Phone, &c.MaySubmitSupportIncidents,
			&created, &updated); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = fromMS(created), fromMS(updated)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) contact(ctx context.Context, id int64) (*beheer.ChannelContact, error) {
	var c *beheer.ChannelContact
	err := s.read(ctx, func(q querier) error {
		list, err := queryContacts(ctx, q, "id = $1", id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return beheer.ErrNotFound()
		}
		c = &list[0]
		return nil
	})
	return c, err
}

// AddContact adds an outside contact.
func (s *Store) AddContact(ctx context.Context, actor *beheer.Actor, in beheer.ContactInput) (*beheer.ChannelContact, error) {
	if err := beheer.CheckKeepProfile(actor); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `INSERT INTO channel_contacts (channel, name, organisation, email, phone,
			may_submit_support_incidents, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			in.Channel, in.Name, in.Organisation, in.Email, in.Phone, in.MaySubmitSupportIncidents, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "profile.contact_added", string(in.Channel), "", in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.contact(ctx, id)
}

// UpdateContact changes an outside contact.
func (s *Store) UpdateContact(ctx context.Context, actor *beheer.Actor, id int64, in beheer.ContactInput) (*beheer.ChannelContact, error) {
	if err := beheer.CheckKeepProfile(actor); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		var before string
		err := t.QueryRowContext(ctx, `SELECT name FROM channel_contacts WHERE id = $1`+t.s.dialect.lock(""), id).Scan(&before)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE channel_contacts SET channel = $1, name = $2, organisation = $3, email = $4,
			phone = $5, may_submit_support_incidents = $6, updated_at = $7 WHERE id = $8`, in.Channel, in.Name, in.Organisation,
			in.Email, in.Phone, in.MaySubmitSupportIncidents, ms(t.now), id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "profile.contact_updated", string(in.Channel), before, in.Name, false)
	})
	if err != nil {
		return nil, err
	}
	return s.contact(ctx, id)
}

// DeleteContact removes an outside contact.
func (s *Store) DeleteContact(ctx context.Context, actor *beheer.Actor, id int64) error {
	if err := beheer.CheckKeepProfile(actor); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var name string
		err := t.QueryRowContext(ctx, `DELETE FROM channel_contacts WHERE id = $1 RETURNING name`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "profile.contact_removed", "", name, "", false)
	})
}
