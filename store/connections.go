package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"beheer"
)

// The connection settings the sign-on and mail pages save, in the
// settings table under "conn.<key>". Secrets are sealed with the store's
// key before they are written and opened when read; the rules are the
// root package's (connection.go).

const connPrefix = "conn."

// StoredConnections are the saved connection settings, secrets opened.
type StoredConnections struct {
	Values beheer.ConnValues
	// Kept are the secrets that are saved, whether or not they open.
	Kept map[string]bool
	// Unreadable are saved secrets that do not open with the current key
	// (another key sealed them): they count as not set.
	Unreadable []string
	raw        map[string]string // as on disk, for the version
}

// Version names the saved state of one page's settings: a form or an
// API client that read this version may only save over the same one.
func (c *StoredConnections) Version(g beheer.ConnGroup) string {
	h := sha256.New()
	for _, s := range beheer.ConnSettingsOf(g) {
		fmt.Fprintf(h, "%s=%q\n", s.Key, c.raw[s.Key])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// HasSecretKey reports whether secrets can be saved.
func (s *Store) HasSecretKey() bool { return s.secrets.HasKey() }

// Connections reads the saved connection settings. The parts that use
// them (sign-on, the mailer, the mailbox poller) read them when they
// need them, so a change takes effect without a restart.
func (s *Store) Connections(ctx context.Context) (*StoredConnections, error) {
	var out *StoredConnections
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = s.connections(ctx, q)
		return err
	})
	return out, err
}

func (s *Store) connections(ctx context.Context, q querier) (*StoredConnections, error) {
	out := &StoredConnections{Values: beheer.ConnValues{}, Kept: map[string]bool{}, raw: map[string]string{}}
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings WHERE key LIKE 'conn.%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		key := strings.TrimPrefix(k, connPrefix)
		out.raw[key] = v
		set, ok := beheer.ConnSettingOf(key)
		switch {
		case !ok:
			continue
		case set.Kind == beheer.KindSecret:
			out.Kept[key] = true
			plain, err := s.secrets.Open(key, v)
			if err != nil {
				out.Unreadable = append(out.Unreadable, key)
				continue
			}
			out.Values[key] = plain
		default:
			out.Values[key] = v
		}
	}
	return out, rows.Err()
}

// ConnChange is what a connection page or the API changes: a value per
// key, "" clearing it. Keys left out keep their values; a secret is only
// in it when it is replaced or cleared.
type ConnChange map[string]string

// SetConnections changes one page's connection settings in one
// transaction: the actor's right and the values are checked against what
// is saved (beheer.CheckConnChange, ConnValues.Check), secrets are sealed,
// and every changed setting writes an audit row — a secret's row says
// only that it was replaced or cleared. Nothing is written when anything
// is refused. A secret cannot be saved without a key. A version other
// than "" must be the page's saved version (StoredConnections.Version):
// someone else's save in between is refused, not overwritten.
func (s *Store) SetConnections(ctx context.Context, actor *beheer.Actor, g beheer.ConnGroup, version string, change ConnChange) error {
	if !g.Valid() {
		return beheer.Invalid("group", "field.invalid")
	}
	return s.write(ctx, func(t *tx) error {
		stored, err := s.connections(ctx, t)
		if err != nil {
			return err
		}
		if version != "" && version != stored.Version(g) {
			return beheer.Errorf(beheer.CodePreconditionFailed, "admin.conn.stale")
		}
		after := stored.Values.Over(nil)
		var v beheer.Validation
		for key, val := range change {
			set, ok := beheer.ConnSettingOf(key)
			if !ok || set.Group != g {
				v.Add(key, "field.unknown")
				continue
			}
			after[key] = strings.TrimSpace(val)
			if set.Kind == beheer.KindSecret {
				after[key] = val // a password may begin or end with a space
			}
		}
		if err := beheer.CheckConnChange(actor, g, stored.Values, after); err != nil {
			return err
		}
		after.Check(g, &v)
		for key, val := range change {
			if set, _ := beheer.ConnSettingOf(key); set.Kind == beheer.KindSecret && val != "" && !s.secrets.HasKey() {
				v.Add(key, "admin.conn.no_key")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, set := range beheer.ConnSettingsOf(g) {
			if err := t.setConnection(ctx, actor, set, stored, after[set.Key], change); err != nil {
				return err
			}
		}
		return nil
	})
}

// setConnection writes one setting when it changed, with its audit row.
func (t *tx) setConnection(ctx context.Context, actor *beheer.Actor, set beheer.ConnSetting, stored *StoredConnections,
	val string, change ConnChange) error {
	key := set.Key
	before := stored.Values[key]
	_, asked := change[key]
	secret := set.Kind == beheer.KindSecret
	switch {
	case secret && (!asked || (val != "" && val == before)):
		return nil
	case secret && val == "" && !stored.Kept[key]:
		return nil
	case !secret && val == before:
		return nil
	}
	if val == "" {
		if _, err := t.ExecContext(ctx, `DELETE FROM settings WHERE key = $1`, connPrefix+key); err != nil {
			return err
		}
	} else {
		raw := val
		if secret {
			var err error
			if raw, err = t.s.secrets.Seal(key, val); err != nil {
				return err
			}
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, connPrefix+key, raw); err != nil {
			return err
		}
	}
	switch {
	case secret && val == "":
		return t.audit(ctx, actor, 0, "settings.secret_cleared", key, "", "", false)
	case secret:
		return t.audit(ctx, actor, 0, "settings.secret_replaced", key, "", "", false)
	}
	return t.audit(ctx, actor, 0, "settings.connection", key, before, val, false)
}
