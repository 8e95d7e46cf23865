package store

import (
	"context"
	"database/sql"
	"slices"

	"beheer"
)

// The request types as the organisation offers them and the priorities'
// names. Rows exist only for what was changed; the rest is the default.

// queryTypeSettings reads the type settings, one per type in the order of
// beheer.Types.
func queryTypeSettings(ctx context.Context, q querier) ([]beheer.TypeSetting, error) {
	out := beheer.DefaultTypeSettings()
	rows, err := q.QueryContext(ctx, `SELECT type, enabled, label_nl, label_en, help_nl, help_en, updated_at FROM request_types`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t beheer.TypeSetting
		var at int64
		if err := rows.Scan(&t.Type, &t.Enabled, &t.Label.NL, &t.Label.EN, &t.Help.NL, &t.Help.EN, &at); err != nil {
			return nil, err
		}
		if i := slices.Index(beheer.Types, t.Type); i >= 0 {
			t.UpdatedAt = fromMS(sql.NullInt64{Int64: at, Valid: true})
			out[i] = t
		}
	}
	return out, rows.Err()
}

// queryPriorityLabels reads the priorities' labels, one per priority in the
// order of beheer.Priorities.
func queryPriorityLabels(ctx context.Context, q querier) ([]beheer.PriorityLabel, error) {
	out := make([]beheer.PriorityLabel, len(beheer.Priorities))
	for i, p := range beheer.Priorities {
		out[i].Priority = p
	}
	rows, err := q.QueryContext(ctx, `SELECT priority, label_nl, label_en FROM priority_labels`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l beheer.PriorityLabel
		if err := rows.Scan(&l.Priority, &l.Label.NL, &l.Label.EN); err != nil {
			return nil, err
		}
		if i := slices.Index(beheer.Priorities, l.Priority); i >= 0 {
			out[i] = l
		}
	}
	return out, rows.Err()
}

// TypeSettings returns how each request type is offered; everyone may read
// them (the request form needs them).
func (s *Store) TypeSettings(ctx context.Context) ([]beheer.TypeSetting, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(o.types), nil
}

// PriorityLabels returns the priorities' names in this organisation.
func (s *Store) PriorityLabels(ctx context.Context) ([]beheer.PriorityLabel, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(o.priorities), nil
}

// SetTypeSettings replaces how the request types are offered: the whole
// table, every type once (functional admins for every area).
func (s *Store) SetTypeSettings(ctx context.Context, actor *beheer.Actor, ts []beheer.TypeSetting) error {
	if !beheer.CanManageSettings(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	if err := beheer.ValidateTypeSettings(ts); err != nil {
		return err
	}
	return s.writeOrg(ctx, func(t *tx) error {
		before, err := queryTypeSettings(ctx, t)
		if err != nil {
			return err
		}
		for _, x := range ts {
			old := before[slices.Index(beheer.Types, x.Type)]
			if old.Enabled == x.Enabled && old.Label == x.Label && old.Help == x.Help {
				continue
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO request_types (type, enabled, label_nl, label_en, help_nl, help_en, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (type) DO UPDATE SET enabled = excluded.enabled,
				label_nl = excluded.label_nl, label_en = excluded.label_en, help_nl = excluded.help_nl, help_en = excluded.help_en,
				updated_at = excluded.updated_at`, x.Type, x.Enabled, x.Label.NL, x.Label.EN, x.Help.NL, x.Help.EN, ms(t.now)); err != nil {
				return err
			}
			if err := t.auditChanges(ctx, actor, "request_type.updated", "type:"+string(x.Type), [][3]string{
				{"enabled", boolText(old.Enabled), boolText(x.Enabled)},
				{"label.nl", old.Label.NL, x.Label.NL}, {"label.en", old.Label.EN, x.Label.EN},
				{"help.nl", old.Help.NL, x.Help.NL}, {"help.en", old.Help.EN, x.Help.EN}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetPriorityLabels replaces the priorities' names.
func (s *Store) SetPriorityLabels(ctx context.Context, actor *beheer.Actor, ls []beheer.PriorityLabel) error {
	if !beheer.CanManageSettings(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	if err := beheer.ValidatePriorityLabels(ls); err != nil {
		return err
	}
	return s.writeOrg(ctx, func(t *tx) error {
		before, err := queryPriorityLabels(ctx, t)
		if err != nil {
			return err
		}
		for _, l := range ls {
			old := before[slices.Index(beheer.Priorities, l.Priority)]
			if old.Label == l.Label {
				continue
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO priority_labels (priority, label_nl, label_en, updated_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT (priority) DO UPDATE SET label_nl = excluded.label_nl,
				label_en = excluded.label_en, updated_at = excluded.updated_at`, l.Priority, l.Label.NL, l.Label.EN, ms(t.now)); err != nil {
				return err
			}
			if err := t.auditChanges(ctx, actor, "request_type.priority_updated", "priority:"+string(l.Priority), [][3]string{
				{"label.nl", old.Label.NL, l.Label.NL}, {"label.en", old.Label.EN, l.Label.EN}}); err != nil {
				return err
			}
		}
		return nil
	})
}
