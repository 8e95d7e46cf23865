package beheer

import (
	"strings"
	"time"
)

// ChannelDetails is what the organisation records about the outside party
// behind a channel: whom it deals with and how to reach them, beside the
// contact people (ChannelContact).
type ChannelDetails struct {
	Channel   Channel   `json:"channel"`
	Vendor    string    `json:"vendor"`
	Phone     string    `json:"phone"`
	Email     string    `json:"email"`
	PortalURL string    `json:"portal_url"`
	Contract  string    `json:"contract_notes"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	Version   int64     `json:"version"`
}

// Filled reports whether anything is recorded for the channel.
func (d ChannelDetails) Filled() bool {
	return d.Vendor != "" || d.Phone != "" || d.Email != "" || d.PortalURL != "" || d.Contract != ""
}

// Validate trims the details (the e-mail address lowercased) and checks
// them: a known channel, a bare e-mail address and a telephone number as
// for a contact, a web address that is safe to link to, and contract notes
// of at most MaxNote characters.
func (d *ChannelDetails) Validate() error {
	d.Vendor, d.Phone = strings.TrimSpace(d.Vendor), strings.TrimSpace(d.Phone)
	d.Email, d.PortalURL = strings.ToLower(strings.TrimSpace(d.Email)), strings.TrimSpace(d.PortalURL)
	d.Contract = strings.TrimSpace(d.Contract)
	var v Validation
	if !d.Channel.Valid() {
		v.Add("channel", "field.invalid_choice", "choices", joinCodes(Channels))
	}
	validateLine(&v, "vendor", d.Vendor, MaxName, false)
	if d.Email != "" && !plainAddress(d.Email) {
		v.Add("email", "field.invalid_email")
	}
	checkPhone(&v, "phone", d.Phone)
	if d.PortalURL != "" && !ValidWebURL(d.PortalURL) {
		v.Add("portal_url", "channel.field.portal_url")
	}
	validateText(&v, "contract_notes", d.Contract, MaxNote, false)
	return v.Err()
}

// checkPhone checks a telephone number: digits, spaces and + - ( ).
func checkPhone(v *Validation, field, phone string) {
	if len(phone) > maxPhone || strings.ContainsFunc(phone, func(r rune) bool {
		return !(r >= '0' && r <= '9') && !strings.ContainsRune(" +-()", r)
	}) {
		v.Add(field, "profile.field.phone")
	}
}

// CanKeepChannels reports whether the actor keeps the channels' details:
// whoever keeps the organisation profile's contacts.
func CanKeepChannels(a *Actor) bool { return CanKeepProfile(a) }

// SupportSubmitters is who may submit incidents to the vendor's Support,
// as the channel contacts linked to a person account say.
type SupportSubmitters struct {
	// Named is how many people are named; while nobody is, the rule is not
	// set up and does not hold.
	Named int
	// Actor reports whether the acting person is one of them.
	Actor bool
}

// CheckSupportSubmitter refuses an escalation to Support by someone who is
// not named as a submitter, once anyone is: vendor Support accepts
// incidents only from named, authorised contacts, so an escalation by
// anyone else would not be taken.
func CheckSupportSubmitter(ch Channel, s SupportSubmitters) error {
	if ch != ChannelSupport || s.Named == 0 || s.Actor {
		return nil
	}
	var v Validation
	v.Add("channel", "escalation.support_not_submitter")
	return &Error{Code: CodeForbidden, Key: "escalation.support_not_submitter", Fields: v.Fields}
}
