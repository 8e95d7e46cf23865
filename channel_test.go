package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestChannelDetailsValidate: a known channel, a bare e-mail address, a
// telephone number, a web address safe to link to, short notes.
func TestChannelDetailsValidate(t *testing.T) {
	tests := []struct {
		name string
		d    ChannelDetails
		want result
	}{
		{"empty", ChannelDetails{Channel: ChannelSupport}, allowed},
		{"complete", ChannelDetails{Channel: ChannelConsultancy, Vendor: "AFAS Software", Phone: "+31 (35) 123 4567",
			Email: "consultancy@afas.example", PortalURL: "https://klant.afas.nl", Contract: "12 dagen per jaar"}, allowed},
		{"unknown_channel", ChannelDetails{Channel: "fax"}, invalid("channel")},
		{"script_url", ChannelDetails{Channel: ChannelSupport, PortalURL: "javascript:alert(1)"}, invalid("portal_url")},
		{"bad_email_phone", ChannelDetails{Channel: ChannelSupport, Email: "x", Phone: "bel ons"}, invalid("email", "phone")},
		{"notes_too_long", ChannelDetails{Channel: ChannelSupport, Contract: strings.Repeat("x", MaxNote+1)}, invalid("contract_notes")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			d := tt.d
			expect(t, "", d.Validate(), tt.want)
		})
	}
}

// TestCheckSupportSubmitter: once someone is named, only they escalate to
// Support; other channels and an unset rule are not affected.
func TestCheckSupportSubmitter(t *testing.T) {
	tests := []struct {
		name string
		ch   Channel
		s    SupportSubmitters
		want result
	}{
		{"nobody_named", ChannelSupport, SupportSubmitters{}, allowed},
		{"named_submitter", ChannelSupport, SupportSubmitters{Named: 2, Actor: true}, allowed},
		{"someone_else", ChannelSupport, SupportSubmitters{Named: 2}, result{Code: CodeForbidden, Key: "escalation.support_not_submitter", Fields: []string{"channel"}}},
		{"other_channel", ChannelConsultancy, SupportSubmitters{Named: 2}, allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckSupportSubmitter(tt.ch, tt.s), tt.want)
		})
	}
}
