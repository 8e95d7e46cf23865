package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"beheer"
)

// The storage of webhooks: subscriptions, the deliveries queued from the
// event log, and their leases for the sender. The nouns and their rules
// are the root package's (webhook.go).

// CreateWebhook adds a subscription with a fresh signing secret, which is
// returned this once.
func (s *Store) CreateWebhook(ctx context.Context, actor *beheer.Actor, n beheer.NewWebhook) (*beheer.Webhook, error) {
	if !beheer.CanManageWebhooks(actor) {
		return nil, beheer.Refusal(beheer.PermWebhookManage)
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	w := &beheer.Webhook{URL: n.URL, Events: n.Events, Description: n.Description,
		Secret: "whsec_" + base64.RawURLEncoding.EncodeToString(raw)}
	err := s.write(ctx, func(t *tx) error {
		w.CreatedAt = t.now
		if err := t.QueryRowContext(ctx, `INSERT INTO webhooks (url, secret, events, description, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, w.URL, w.Secret, strings.Join(w.Events, ","), w.Description,
			nullID(actor.UserID), ms(t.now)).Scan(&w.ID); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "webhook.created", "webhook:"+itoa(w.ID), "", w.URL, false)
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Webhooks lists the subscriptions that were not deleted, paused ones
// too, without their secrets.
func (s *Store) Webhooks(ctx context.Context, actor *beheer.Actor) ([]beheer.Webhook, error) {
	return s.webhooks(ctx, actor, 0)
}

// Webhook returns one subscription that was not deleted, without its
// secret.
func (s *Store) Webhook(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Webhook, error) {
	list, err := s.webhooks(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, beheer.ErrNotFound()
	}
	return &list[0], nil
}

// webhooks lists the live subscriptions, or the one of id (0: all).
func (s *Store) webhooks(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.Webhook, error) {
	if !beheer.CanManageWebhooks(actor) {
		return nil, beheer.Refusal(beheer.PermWebhookManage)
	}
	var out []beheer.Webhook
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, url, events, description, created_at, disabled_at FROM webhooks
			WHERE deleted_at IS NULL AND (CAST($1 AS BIGINT) = 0 OR id = $1) ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w beheer.Webhook
			var events string
			var created, disabled sql.NullInt64
			if err := rows.Scan(&w.ID, &w.URL, &events, &w.Description, &created, &disabled); err != nil {
				return err
			}
			w.Events, w.CreatedAt, w.Disabled = strings.Split(events, ","), fromMS(created), fromMS(disabled)
			out = append(out, w)
		}
		return rows.Err()
	})
	return out, err
}

// SetWebhookActive pauses a subscription or resumes it. While paused no
// deliveries are queued for its events and waiting ones are not sent;
// resumed, the waiting ones go out.
func (s *Store) SetWebhookActive(ctx context.Context, actor *beheer.Actor, id int64, active bool) error {
	if !beheer.CanManageWebhooks(actor) {
		return beheer.Refusal(beheer.PermWebhookManage)
	}
	return s.write(ctx, func(t *tx) error {
		var disabled sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT disabled_at FROM webhooks WHERE id = $1 AND deleted_at IS NULL`+t.s.dialect.lock(""), id).
			Scan(&disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil || disabled.Valid == !active {
			return err
		}
		var at any
		action := "webhook.enabled"
		if !active {
			at, action = ms(t.now), "webhook.disabled"
		}
		if _, err := t.ExecContext(ctx, `UPDATE webhooks SET disabled_at = $1 WHERE id = $2`, at, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, action, "webhook:"+itoa(id), boolText(!active), boolText(active), false)
	})
}

// DeleteWebhook ends a subscription. Its delivery log stays readable;
// deliveries still waiting are not sent.
func (s *Store) DeleteWebhook(ctx context.Context, actor *beheer.Actor, id int64) error {
	if !beheer.CanManageWebhooks(actor) {
		return beheer.Refusal(beheer.PermWebhookManage)
	}
	return s.write(ctx, func(t *tx) error {
		res, err := t.ExecContext(ctx, `UPDATE webhooks SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL`, ms(t.now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return beheer.ErrNotFound()
		}
		return t.audit(ctx, actor, 0, "webhook.deleted", "webhook:"+itoa(id), "", "", false)
	})
}

const deliveryColumns = `id, webhook_id, COALESCE(event_id, 0), event_kind, COALESCE(replay_of, 0), payload, created_at,
	attempts, next_attempt_at, delivered_at, failed_at, last_status, last_error`

func scanDelivery(row interface{ Scan(...any) error }) (*beheer.WebhookDelivery, error) {
	var d beheer.WebhookDelivery
	var created, next, delivered, failed sql.NullInt64
	if err := row.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.Event, &d.ReplayOf, &d.Payload, &created, &d.Attempts,
		&next, &delivered, &failed, &d.LastStatus, &d.LastError); err != nil {
		return nil, err
	}
	d.CreatedAt, d.DeliveredAt, d.FailedAt = fromMS(created), fromMS(delivered), fromMS(failed)
	if d.DeliveredAt.IsZero() && d.FailedAt.IsZero() {
		d.NextAttempt = fromMS(next)
	}
	return &d, nil
}

// WebhookDeliveries is a webhook's delivery log, newest first, with ids
// below before (0: from the newest).
func (s *Store) WebhookDeliveries(ctx context.Context, actor *beheer.Actor, webhookID, before int64, limit int) ([]beheer.WebhookDelivery, error) {
	if !beheer.CanManageWebhooks(actor) {
		return nil, beheer.Refusal(beheer.PermWebhookManage)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	var out []beheer.WebhookDelivery
	err := s.read(ctx, func(q querier) error {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhooks WHERE id = $1`, webhookID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return beheer.ErrNotFound()
		}
		rows, err := q.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
			WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, webhookID, before, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				return err
			}
			out = append(out, *d)
		}
		return rows.Err()
	})
	return out, err
}

// ReplayDelivery sends a delivery's payload again, as a new delivery that
// points at the old one. The webhook must still exist.
func (s *Store) ReplayDelivery(ctx context.Context, actor *beheer.Actor, deliveryID int64) (*beheer.WebhookDelivery, error) {
	if !beheer.CanManageWebhooks(actor) {
		return nil, beheer.Refusal(beheer.PermWebhookManage)
	}
	var d *beheer.WebhookDelivery
	err := s.write(ctx, func(t *tx) error {
		old, err := scanDelivery(t.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = $1`, deliveryID))
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		var disabled sql.NullInt64
		err = t.QueryRowContext(ctx, `SELECT disabled_at FROM webhooks WHERE id = $1 AND deleted_at IS NULL`, old.WebhookID).
			Scan(&disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.Errorf(beheer.CodeConflict, "webhook.deleted")
		}
		if err != nil {
			return err
		}
		if disabled.Valid {
			return beheer.Errorf(beheer.CodeConflict, "webhook.paused")
		}
		var id int64
		if err := t.QueryRowContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_id, event_kind, payload, replay_of,
			created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			old.WebhookID, nullID(old.EventID), old.Event, old.Payload, old.ID, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "webhook.replayed", "delivery:"+itoa(old.ID), "", itoa(id), false); err != nil {
			return err
		}
		d, err = scanDelivery(t.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = $1`, id))
		return err
	})
	return d, err
}

// webhookPayload is the JSON body sent for an event.
type webhookPayload struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	CreatedAt time.Time         `json:"created_at"`
	Request   *webhookRequest   `json:"request,omitempty"`
	Data      map[string]string `json:"data,omitempty"`
}

type webhookRequest struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`
	Title    string `json:"title"`
	Type     string `json:"type"`
	Phase    string `json:"phase"`
	Status   string `json:"status"`
	Area     string `json:"area,omitempty"`
	Priority string `json:"priority"`
}

// QueueWebhooks handles the next events for webhooks: every subscription
// to an event's kind gets a delivery, written with advancing the cursor.
// Internal events are never sent out. It returns how many events were
// handled.
func (s *Store) QueueWebhooks(ctx context.Context, limit int) (int, error) {
	return s.consumeEvents(ctx, cursorWebhooks, limit, func(t *tx, evs []Event) error {
		type sub struct {
			id     int64
			events []string
		}
		var subs []sub
		rows, err := t.QueryContext(ctx, `SELECT id, events FROM webhooks WHERE deleted_at IS NULL AND disabled_at IS NULL ORDER BY id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var w sub
			var events string
			if err := rows.Scan(&w.id, &events); err != nil {
				rows.Close()
				return err
			}
			w.events = strings.Split(events, ",")
			subs = append(subs, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(subs) == 0 {
			return err
		}
		for _, e := range evs {
			if e.Internal {
				continue
			}
			var payload []byte
			for _, w := range subs {
				if !slices.Contains(w.events, e.Kind) {
					continue
				}
				if payload == nil {
					if payload, err = t.webhookPayload(ctx, e); err != nil {
						return err
					}
				}
				if _, err := t.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_id, event_kind, payload,
					created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING`,
					w.id, e.ID, e.Kind, string(payload), ms(t.now)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (t *tx) webhookPayload(ctx context.Context, e Event) ([]byte, error) {
	p := webhookPayload{ID: "evt_" + itoa(e.ID), Type: e.Kind, CreatedAt: time.UnixMilli(e.At).UTC(), Data: e.Data}
	if e.RequestID != 0 {
		r, err := t.s.loadRequest(ctx, t, e.RequestID, false)
		if err != nil {
			return nil, err
		}
		p.Request = &webhookRequest{ID: r.ID, Number: r.Number, Title: r.Title, Type: string(r.Type),
			Phase: string(r.Phase), Status: string(r.Status), Area: r.AreaCode, Priority: string(r.Priority)}
	}
	return json.Marshal(p)
}

// ClaimWebhookDeliveries leases up to limit due deliveries of live webhooks
// to owner, as ClaimMail does for e-mail.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, owner string, lease time.Duration, limit int) ([]beheer.DueDelivery, error) {
	var out []beheer.DueDelivery
	err := s.write(ctx, func(t *tx) error {
		now := ms(t.now)
		rows, err := t.QueryContext(ctx, `UPDATE webhook_deliveries SET lease_until = $1, lease_owner = $2, attempts = attempts + 1
			WHERE id IN (SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL
				AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
				AND webhook_id IN (SELECT id FROM webhooks WHERE deleted_at IS NULL AND disabled_at IS NULL)
				ORDER BY next_attempt_at, id LIMIT $4`+s.dialect.skipLocked()+`)
			RETURNING id, webhook_id, event_kind, payload, attempts`, now+lease.Milliseconds(), owner, now, limit)
		if err != nil {
			return err
		}
		hooks := map[int64]*beheer.DueDelivery{}
		for rows.Next() {
			var d beheer.DueDelivery
			var hook int64
			var payload string
			if err := rows.Scan(&d.ID, &hook, &d.Event, &payload, &d.Attempts); err != nil {
				rows.Close()
				return err
			}
			d.Payload = []byte(payload)
			d.URL = itoa(hook) // resolved below
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			hook := atoi(out[i].URL)
			if h, ok := hooks[hook]; ok {
				out[i].URL, out[i].Secret = h.URL, h.Secret
				continue
			}
			if err := t.QueryRowContext(ctx, `SELECT url, secret FROM webhooks WHERE id = $1`, hook).
				Scan(&out[i].URL, &out[i].Secret); err != nil {
				return err
			}
			hooks[hook] = &out[i]
		}
		return nil
	})
	slices.SortFunc(out, func(a, b beheer.DueDelivery) int { return int(a.ID - b.ID) })
	return out, err
}

// WebhookDelivered records a successful delivery.
func (s *Store) WebhookDelivered(ctx context.Context, id int64, owner string, status int) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `UPDATE webhook_deliveries SET delivered_at = $1, lease_until = NULL, last_status = $2,
			last_error = '' WHERE id = $3 AND lease_owner = $4 AND delivered_at IS NULL`, ms(t.now), status, id, owner)
		return err
	})
}

// WebhookFailed records a failed attempt: retry after retryIn, or with
// retryIn 0 give up for good.
func (s *Store) WebhookFailed(ctx context.Context, id int64, owner string, status int, reason string, retryIn time.Duration) error {
	return s.write(ctx, func(t *tx) error {
		var failed any
		if retryIn <= 0 {
			failed = ms(t.now)
		}
		_, err := t.ExecContext(ctx, `UPDATE webhook_deliveries SET lease_until = NULL, last_status = $1, last_error = $2,
			next_attempt_at = $3, failed_at = $4 WHERE id = $5 AND lease_owner = $6 AND delivered_at IS NULL`,
			status, clip(reason, 1000), ms(t.now.Add(retryIn)), failed, id, owner)
		return err
	})
}
