package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"beheer"
)

// Setting keys.
const (
	settingSupportIncidentsOnly = "support_incidents_only"
	settingReopenDays           = "reopen_days"
	settingRetentionMonths      = "attachment_retention_months"
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
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings WHERE key IN ($1, $2, $3)`,
		settingSupportIncidentsOnly, settingRetentionMonths, settingReopenDays)
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
		values := map[string]string{
			settingSupportIncidentsOnly: strconv.FormatBool(set.SupportIncidentsOnly),
			settingReopenDays:           strconv.Itoa(set.ReopenDays),
			settingRetentionMonths:      strconv.Itoa(set.AttachmentRetentionMonths),
		}
		for k, v := range values {
			if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, 0, "settings.policy", settingSupportIncidentsOnly,
			strconv.FormatBool(before.SupportIncidentsOnly), strconv.FormatBool(p.SupportIncidentsOnly), false)
	})
}
