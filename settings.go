package beheer

import (
	"slices"
	"time"
)

// The organisation's rule settings: the Policy the rules read
// (lifecycle.go), as an administrator sets them.

// Limits of the rule settings.
const (
	// MaxReopenDays bounds the reopen window: a year.
	MaxReopenDays = 365
	// MaxRetentionMonths bounds how long attachments of closed requests
	// are kept: ten years.
	MaxRetentionMonths = 120
)

// Settings are the rule settings as an administrator sets them and the
// database keeps them: whole days and months.
type Settings struct {
	SupportIncidentsOnly      bool `json:"support_incidents_only"`
	ReopenDays                int  `json:"reopen_days"`
	AttachmentRetentionMonths int  `json:"attachment_retention_months"`
	// ChangeTestTypes are the types that need a passed Accept test to
	// leave Uitvoering (Policy.ChangeTestTypes).
	ChangeTestTypes []Type `json:"change_test_types"`
	UploadQuotaMB   int    `json:"upload_quota_mb"`
	AccountSettings
}

// SettingsOf is the policy as settings; a reopen window counts in whole
// days.
func SettingsOf(p Policy) Settings {
	return Settings{SupportIncidentsOnly: p.SupportIncidentsOnly, ReopenDays: int(p.ReopenWindow.Hours() / 24),
		AttachmentRetentionMonths: p.AttachmentRetentionMonths, ChangeTestTypes: slices.Clone(p.ChangeTestTypes), UploadQuotaMB: p.UploadQuotaMB,
		AccountSettings: p.AccountSettings}
}

// Policy is the policy the settings make.
func (s Settings) Policy() Policy {
	return Policy{SupportIncidentsOnly: s.SupportIncidentsOnly, ReopenWindow: time.Duration(s.ReopenDays) * 24 * time.Hour,
		AttachmentRetentionMonths: s.AttachmentRetentionMonths, ChangeTestTypes: slices.Clone(s.ChangeTestTypes), UploadQuotaMB: s.UploadQuotaMB,
		AccountSettings: s.AccountSettings}
}

// Check adds a message to v for every setting out of its bounds, so that
// a form or the API names them together with its own messages.
func (s Settings) Check(v *Validation) {
	if s.ReopenDays < 0 || s.ReopenDays > MaxReopenDays {
		v.Add("reopen_days", "field.range", "min", 0, "max", MaxReopenDays)
	}
	if s.AttachmentRetentionMonths < 0 || s.AttachmentRetentionMonths > MaxRetentionMonths {
		v.Add("attachment_retention_months", "field.range", "min", 0, "max", MaxRetentionMonths)
	}
	for i, t := range s.ChangeTestTypes {
		if !t.Valid() || slices.Contains(s.ChangeTestTypes[:i], t) {
			v.Add("change_test_types", "field.invalid_choice", "choices", Types)
			break
		}
	}
	if s.UploadQuotaMB < 0 || s.UploadQuotaMB > MaxUploadQuotaMB {
		v.Add("upload_quota_mb", "field.range", "min", 0, "max", MaxUploadQuotaMB)
	}
}

// Validate checks that the policy's settings lie within their bounds.
func (p Policy) Validate() error {
	var v Validation
	SettingsOf(p).Check(&v)
	return v.Err()
}

// CanManageSettings reports whether the actor changes the rule settings:
// functional admins for every area, since the settings hold for every
// area.
func CanManageSettings(a *Actor) bool { return a.Can(PermSettingsManage, 0) }
