package beheer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSettingsCheck: the reopen window lies between 0 and 365 days, the
// retention between 0 and 120 months, the upload quota between 0 (no
// limit) and MaxUploadQuotaMB.
func TestSettingsCheck(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
		want result
	}{
		{"default", SettingsOf(DefaultPolicy()), allowed},
		{"zero", Settings{}, allowed},
		{"most", Settings{ReopenDays: MaxReopenDays, AttachmentRetentionMonths: MaxRetentionMonths}, allowed},
		{"reopen_negative", Settings{ReopenDays: -1}, invalid("reopen_days")},
		{"reopen_too_long", Settings{ReopenDays: MaxReopenDays + 1}, invalid("reopen_days")},
		{"retention_negative", Settings{AttachmentRetentionMonths: -1}, invalid("attachment_retention_months")},
		{"retention_too_long", Settings{AttachmentRetentionMonths: MaxRetentionMonths + 1}, invalid("attachment_retention_months")},
		{"both", Settings{ReopenDays: 400, AttachmentRetentionMonths: 121}, invalid("reopen_days", "attachment_retention_months")},
		{"change_tests", Settings{ChangeTestTypes: []Type{TypeChange, TypeWish, TypeAccess}}, allowed},
		{"change_tests_unknown", Settings{ChangeTestTypes: []Type{"release"}}, invalid("change_test_types")},
		{"change_tests_twice", Settings{ChangeTestTypes: []Type{TypeChange, TypeChange}}, invalid("change_test_types")},
		{"quota_most", Settings{UploadQuotaMB: MaxUploadQuotaMB}, allowed},
		{"quota_negative", Settings{UploadQuotaMB: -1}, invalid("upload_quota_mb")},
		{"quota_too_large", Settings{UploadQuotaMB: MaxUploadQuotaMB + 1}, invalid("upload_quota_mb")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			var v Validation
			tt.s.Check(&v)
			expect(t, "", v.Err(), tt.want)
			expect(t, "", tt.s.Policy().Validate(), tt.want)
		})
	}
}

// TestSettingsPolicy: settings and policy say the same; a window that is
// not a whole number of days counts its whole days.
func TestSettingsPolicy(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		s    Settings
	}{
		{"default", DefaultPolicy(), Settings{SupportIncidentsOnly: true, ReopenDays: 14, ChangeTestTypes: []Type{TypeChange}, UploadQuotaMB: DefaultUploadQuotaMB,
			AccountSettings: DefaultPolicy().AccountSettings}},
		{"change_tests", Policy{ChangeTestTypes: []Type{TypeChange, TypeWish}}, Settings{ChangeTestTypes: []Type{TypeChange, TypeWish}}},
		{"all_set", Policy{ReopenWindow: 3 * 24 * time.Hour, AttachmentRetentionMonths: 18, UploadQuotaMB: 40},
			Settings{ReopenDays: 3, AttachmentRetentionMonths: 18, UploadQuotaMB: 40}},
		{"never", Policy{SupportIncidentsOnly: true}, Settings{SupportIncidentsOnly: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SettingsOf(tt.p); !reflect.DeepEqual(got, tt.s) {
				t.Errorf("SettingsOf = %+v, want %+v", got, tt.s)
			}
			if got := tt.s.Policy(); !reflect.DeepEqual(got, tt.p) {
				t.Errorf("Policy = %+v, want %+v", got, tt.p)
			}
		})
	}
	if got := SettingsOf(Policy{ReopenWindow: 36 * time.Hour}).ReopenDays; got != 1 {
		t.Errorf("36 hours = %d days, want 1", got)
	}
}

// TestWhoKeepsOrganisationSettings is the truth table of the rules for
// what holds across all areas: the rule settings, service levels, the
// profile's contacts, webhooks, and incoming mail with the outbox. Only
// admins for every area keep them, since they hold for (or carry
// requests of) every area.
func TestWhoKeepsOrganisationSettings(t *testing.T) {
	rules := []struct {
		name string
		can  func(*Actor) bool
	}{
		{"settings", CanManageSettings}, {"sla", CanManageSLA}, {"profile", CanKeepProfile},
		{"webhooks", CanManageWebhooks}, {"integrations", CanManageIntegrations},
	}
	tests := []struct {
		name string
		a    *Actor
		want string // the rules allowed, in the order of rules
	}{
		{"functional_admin/unscoped", actor(idFunc, role(RoleFunctionalAdmin, 0)), "settings sla profile webhooks integrations"},
		{"functional_admin/own_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), ""},
		{"technical_admin/unscoped", actor(idTech, role(RoleTechnicalAdmin, 0)), "webhooks integrations"},
		{"technical_admin/own_area", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), ""},
		{"management", actor(idManagement, role(RoleManagement, 0)), ""},
		{"key_user", actor(idKeyUser, role(RoleKeyUser, areaOwn)), ""},
		{"user", actor(idPlainUser), ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=[%s]", tt.name, tt.want), func(t *testing.T) {
			var got []string
			for _, r := range rules {
				if r.can(tt.a) {
					got = append(got, r.name)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("allowed [%s], want [%s]", strings.Join(got, " "), tt.want)
			}
		})
	}
}
