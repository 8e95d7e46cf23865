package beheer

import (
	"slices"
	"strings"
	"time"
)

// The organisation profile (beheerorganisatie): who fills each role, per
// area where scoped, and the outside contacts per channel. Everyone signed
// in reads it; the contacts are organisation settings, kept by whoever
// manages users for every area.

// maxPhone bounds a contact's telephone number.
const maxPhone = 40

// ChannelContact is a person the team deals with at a channel, or one of
// the organisation's own people registered with it.
type ChannelContact struct {
	ID           int64
	Channel      Channel
	Name         string
	Organisation string
	Email        string
	Phone        string
	// MaySubmitSupportIncidents marks an authorised contact for the
	// vendor's Support, which accepts incidents only from named people.
	MaySubmitSupportIncidents bool
	// UserID links the contact to one of the organisation's own people
	// with an account (0: an outside contact). Only a linked contact can
	// be checked when someone escalates to Support.
	UserID    int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ContactInput is what is filled in for a contact.
type ContactInput struct {
	Channel                   Channel
	Name                      string
	Organisation              string
	Email                     string
	Phone                     string
	MaySubmitSupportIncidents bool
	// UserID links the contact to a person account; the store fills in an
	// empty name and e-mail address from that account.
	UserID int64
}

// Validate trims a contact (the e-mail address lowercased) and checks it:
// a known channel, a name, a bare e-mail address when one is given, and a
// telephone number of digits, spaces and + - ( ).
func (in *ContactInput) Validate() error {
	in.Name, in.Organisation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Organisation)
	in.Email, in.Phone = strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.Phone)
	var v Validation
	if !in.Channel.Valid() {
		v.Add("channel", "field.invalid_choice", "choices", joinCodes(Channels))
	}
	validateLine(&v, "name", in.Name, MaxName, true)
	validateLine(&v, "organisation", in.Organisation, MaxName, false)
	if in.Email != "" && !plainAddress(in.Email) {
		v.Add("email", "field.invalid_email")
	}
	checkPhone(&v, "phone", in.Phone)
	return v.Err()
}

// CanKeepProfile reports whether the actor keeps the organisation's
// contacts: user management for every area.
func CanKeepProfile(a *Actor) bool { return a.Can(PermProfileKeep, 0) }

// CheckKeepProfile refuses whoever may not keep the contacts, with the
// message that says who may.
func CheckKeepProfile(a *Actor) error {
	if !CanKeepProfile(a) {
		return ErrForbidden("profile.forbidden")
	}
	return nil
}

// RoleHolder is one person holding a role, for one area or all.
type RoleHolder struct {
	UserID   int64
	Name     string
	Email    string
	Role     Role
	AreaID   int64
	AreaName string // "" for every area
}

// Profile is the organisation profile as it stands.
type Profile struct {
	Holders  []RoleHolder // by role, area, name; the user role is left out
	Users    int          // active people (everyone holds the user role)
	Contacts []ChannelContact
	Policy   Policy
}

// HoldersOf returns the holders of one role.
func (p *Profile) HoldersOf(r Role) []RoleHolder {
	return slices.DeleteFunc(slices.Clone(p.Holders), func(h RoleHolder) bool { return h.Role != r })
}

// ContactsOf returns the contacts of one channel.
func (p *Profile) ContactsOf(c Channel) []ChannelContact {
	return slices.DeleteFunc(slices.Clone(p.Contacts), func(x ChannelContact) bool { return x.Channel != c })
}
