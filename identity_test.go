package beheer

import (
	"strings"
	"testing"
)

func TestCheckIdentity(t *testing.T) {
	long := strings.Repeat("x", MaxIdentityPart+1)
	tests := []struct {
		name            string
		issuer, subject string
		want            result
	}{
		{"both", "https://login.voorbeeld.nl", "248289761001", allowed},
		{"longest", strings.Repeat("x", MaxIdentityPart), strings.Repeat("x", MaxIdentityPart), allowed},
		{"no_issuer", "", "248289761001", invalid("issuer")},
		{"no_subject", "https://login.voorbeeld.nl", "", invalid("subject")},
		{"neither", "", "", invalid("issuer", "subject")},
		{"issuer_too_long", long, "248289761001", invalid("issuer")},
		{"subject_too_long", "https://login.voorbeeld.nl", long, invalid("subject")},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+outcomeName(tt.want), func(t *testing.T) {
			expect(t, "", CheckIdentity(tt.issuer, tt.subject), tt.want)
		})
	}
}
