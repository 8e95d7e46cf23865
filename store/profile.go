package store

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"

	"beheer"
)

// The organisation profile (beheerorganisatie): who fills each role, per
// area where scoped, and the outside contacts per channel. Everyone signed
// in reads it; the contacts are organisation settings, kept by whoever
// manages users for every area.

// ChannelContact is a person the team deals with at a channel, or one of
// the organisation's own people registered with it.
type ChannelContact struct {
	ID           int64
	Channel      beheer.Channel
	Name         string
	Organisation string
	Email        string
	Phone        string
	// MaySubmitSupportIncidents marks an authorised contact for the
	// vendor's Support, which accepts incidents only from named people.
	MaySubmitSupportIncidents bool
	CreatedAt                 time.Time
	UpdatedAt                 time.Time
}

// ContactInput is what is filled in for a contact.
type ContactInput struct {
	Channel                   beheer.Channel
	Name                      string
	Organisation              string
	Email                     string
	Phone                     string
	MaySubmitSupportIncidents bool
}

// Validate checks a contact.
func (in *ContactInput) Validate() error {
	in.Name, in.Organisation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Organisation)
	in.Email, in.Phone = strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.Phone)
	var v beheer.Validation
	if !in.Channel.Valid() {
		v.Add("channel", "field.invalid_choice", "choices", joinCodes(beheer.Channels))
	}
	checkText(&v, "name", in.Name, beheer.MaxName, true)
	checkText(&v, "organisation", in.Organisation, beheer.MaxName, false)
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > beheer.MaxName {
			v.Add("email", "field.invalid_email")
		}
	}
	if len(in.Phone) > 40 || strings.ContainsFunc(in.Phone, func(r rune) bool {
		return !(r >= '0' && r <= '9') && !strings.ContainsRune(" +-()", r)
	}) {
		v.Add("phone", "profile.field.phone")
	}
	return v.Err()
}

// CanKeepProfile reports whether the actor keeps the organisation's
// contacts: user management for every area.
func CanKeepProfile(a *beheer.Actor) bool { return a.Can(beheer.PermProfileKeep, 0) }

// RoleHolder is one person holding a role, for one area or all.
type RoleHolder struct {
	UserID   int64
	Name     string
	Email    string
	Role     beheer.Role
	AreaID   int64
	AreaName string // "" for every area
}

// Profile is the organisation profile as it stands.
type Profile struct {
	Holders  []RoleHolder // by role, area, name; the user role is left out
	Users    int          // active people (everyone holds the user role)
	Contacts []ChannelContact
	Policy   beheer.Policy
}

// HoldersOf returns the holders of one role.
func (p *Profile) HoldersOf(r beheer.Role) []RoleHolder {
	var out []RoleHolder
	for _, h := range p.Holders {
		if h.Role == r {
			out = append(out, h)
		}
	}
	return out
}

// ContactsOf returns the contacts of one channel.
func (p *Profile) ContactsOf(c beheer.Channel) []ChannelContact {
	var out []ChannelContact
	for _, x := range p.Contacts {
		if x.Channel == c {
			out = append(out, x)
		}
	}
	return out
}

// Profile returns the organisation profile; everyone signed in reads it.
func (s *Store) Profile(ctx context.Context, actor *beheer.Actor) (*Profile, error) {
	p := &Profile{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email, ur.role, ur.area_id, COALESCE(a.name, '')
			FROM user_roles ur JOIN users u ON u.id = ur.user_id LEFT JOIN areas a ON a.id = ur.area_id
			WHERE u.active AND ur.role <> 'user' ORDER BY ur.role, COALESCE(a.name, ''), u.name, u.id LIMIT 5000`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h RoleHolder
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

func queryContacts(ctx context.Context, q querier, cond string, args ...any) ([]ChannelContact, error) {
	if cond != "" {
		cond = " WHERE " + cond
	}
	rows, err := q.QueryContext(ctx, `SELECT `+contactColumns+` FROM channel_contacts`+cond+` ORDER BY channel, name, id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ChannelContact
	for rows.Next() {
		var c ChannelContact
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

func (s *Store) contact(ctx context.Context, id int64) (*ChannelContact, error) {
	var c *ChannelContact
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
func (s *Store) AddContact(ctx context.Context, actor *beheer.Actor, in ContactInput) (*ChannelContact, error) {
	if !CanKeepProfile(actor) {
		return nil, beheer.ErrForbidden("profile.forbidden")
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
func (s *Store) UpdateContact(ctx context.Context, actor *beheer.Actor, id int64, in ContactInput) (*ChannelContact, error) {
	if !CanKeepProfile(actor) {
		return nil, beheer.ErrForbidden("profile.forbidden")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(t *tx) error {
		var before string
		err := t.QueryRowContext(ctx, `SELECT name FROM channel_contacts WHERE id = $1`+t.s.forUpdate(), id).Scan(&before)
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
	if !CanKeepProfile(actor) {
		return beheer.ErrForbidden("profile.forbidden")
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
