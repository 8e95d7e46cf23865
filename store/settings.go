package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"beheer"
)

// Setting keys.
const (
	settingSupportIncidentsOnly = "support_incidents_only"
	settingReopenDays           = "reopen_days"
	settingRetentionMonths      = "attachment_retention_months"
	settingChangeTestTypes      = "change_test_types"
	settingTokenDefaultDays     = "token_default_days"
	settingTokenMaxDays         = "token_max_days"
	settingRequireSecondFactor  = "require_second_factor"
	settingOrganisationName     = "organisation_name"
	settingUploadQuotaMB        = "upload_quota_mb"
)

// policy reads the organisation's rule settings, with defaults.
func (t *tx) policy(ctx context.Context) (beheer.Policy, error) { return readPolicy(ctx, t) }

// Policy returns the organisation's rule settings.
func (s *Store) Policy(ctx context.Context) (beheer.Policy, error) {
	var p beheer.Policy
	err := s.read(ctx, func(q querier) error {
		var err error
		p, err = readPolicy(ctx, q)
		return err
	})
	return p, err
}

// readPolicy reads the organisation's rule settings, with defaults, in one
// query: every phase change reads them, and on PostgreSQL each query is a
// round trip.
func readPolicy(ctx context.Context, q querier) (beheer.Policy, error) {
	set := beheer.SettingsOf(beheer.DefaultPolicy())
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		settingSupportIncidentsOnly, settingRetentionMonths, settingReopenDays, settingChangeTestTypes, settingTokenDefaultDays,
		settingTokenMaxDays, settingRequireSecondFactor, settingOrganisationName, settingUploadQuotaMB)
	if err != nil {
		return set.Policy(), err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return set.Policy(), err
		}
		switch k {
		case settingSupportIncidentsOnly:
			set.SupportIncidentsOnly = v == "true"
		case settingRetentionMonths:
			set.AttachmentRetentionMonths, _ = strconv.Atoi(v)
		case settingReopenDays:
			if d, err := strconv.Atoi(v); err == nil {
				set.ReopenDays = d
			}
		case settingChangeTestTypes:
			set.ChangeTestTypes = splitTypes(v)
		case settingUploadQuotaMB:
			if q, err := strconv.Atoi(v); err == nil {
				set.UploadQuotaMB = q
			}
		default:
			readAccountSetting(&set.AccountSettings, k, v)
		}
	}
	return set.Policy(), rows.Err()
}

func setting(ctx context.Context, q querier, key string) (string, bool, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// SetPolicy changes the organisation's rule settings (functional admins for
// every area), within their bounds.
func (s *Store) SetPolicy(ctx context.Context, actor *beheer.Actor, p beheer.Policy) error {
	if !beheer.CanManageSettings(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	set := beheer.SettingsOf(p)
	return s.write(ctx, func(t *tx) error {
		before, err := t.policy(ctx)
		if err != nil {
			return err
		}
		was := beheer.SettingsOf(before)
		return t.putSettings(ctx, actor, "settings.policy", []settingChange{
			{settingSupportIncidentsOnly, strconv.FormatBool(was.SupportIncidentsOnly), strconv.FormatBool(set.SupportIncidentsOnly)},
			{settingReopenDays, strconv.Itoa(was.ReopenDays), strconv.Itoa(set.ReopenDays)},
			{settingRetentionMonths, strconv.Itoa(was.AttachmentRetentionMonths), strconv.Itoa(set.AttachmentRetentionMonths)},
			{settingChangeTestTypes, joinTypes(was.ChangeTestTypes), joinTypes(set.ChangeTestTypes)},
			{settingUploadQuotaMB, strconv.Itoa(was.UploadQuotaMB), strconv.Itoa(set.UploadQuotaMB)},
		})
	})
}

// settingChange is one setting's value before and after a change.
type settingChange struct{ key, before, after string }

// putSettings stores the settings' new values and audits, under action,
// each one that changed: one row per field, old → new.
func (t *tx) putSettings(ctx context.Context, actor *beheer.Actor, action string, changes []settingChange) error {
	for _, c := range changes {
		if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, c.key, c.after); err != nil {
			return err
		}
		if c.before == c.after {
			continue
		}
		if err := t.audit(ctx, actor, 0, action, c.key, c.before, c.after, false); err != nil {
			return err
		}
	}
	return nil
}

// readAccountSetting reads one of the account settings into p.
func readAccountSetting(p *beheer.AccountSettings, k, v string) {
	switch k {
	case settingTokenDefaultDays:
		p.TokenDefaultDays, _ = strconv.Atoi(v)
	case settingTokenMaxDays:
		p.TokenMaxDays, _ = strconv.Atoi(v)
	case settingRequireSecondFactor:
		p.RequireSecondFactor = v == "true"
	case settingOrganisationName:
		p.OrganisationName = v
	}
}

// SetAccountSettings changes the organisation's account settings — token
// lifetimes, the second factor for admins, the organisation's name — within
// their bounds (functional admins for every area). The rule settings stay
// as they are.
func (s *Store) SetAccountSettings(ctx context.Context, actor *beheer.Actor, a beheer.AccountSettings) error {
	if !beheer.CanManageSettings(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	var v beheer.Validation
	a.Check(&v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		before, err := t.policy(ctx)
		if err != nil {
			return err
		}
		was := before.AccountSettings
		return t.putSettings(ctx, actor, "settings.accounts", []settingChange{
			{settingTokenDefaultDays, strconv.Itoa(was.TokenDefaultDays), strconv.Itoa(a.TokenDefaultDays)},
			{settingTokenMaxDays, strconv.Itoa(was.TokenMaxDays), strconv.Itoa(a.TokenMaxDays)},
			{settingRequireSecondFactor, strconv.FormatBool(was.RequireSecondFactor), strconv.FormatBool(a.RequireSecondFactor)},
			{settingOrganisationName, was.OrganisationName, a.OrganisationName},
		})
	})
}

// joinTypes and splitTypes keep a list of request types in one setting:
// "change,wish"; "" is none.
func joinTypes(ts []beheer.Type) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = string(t)
	}
	return strings.Join(parts, ",")
}

func splitTypes(v string) []beheer.Type {
	var out []beheer.Type
	for part := range strings.SplitSeq(v, ",") {
		if t := beheer.Type(strings.TrimSpace(part)); t.Valid() {
			out = append(out, t)
		}
	}
	return out
}
