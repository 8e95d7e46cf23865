package store

import (
	"context"
	"time"

	"beheer"
)

// This file holds the team alerts of an area (teammeldingen): which an
// area sends, who follows an area, and the sweep that notices technical
// tasks left open too long.

// EventTaskOverdue: a technical task is open longer than
// beheer.TaskOverdueAfter; data "task" names it. Written once per task.
const EventTaskOverdue = "task.overdue"

// AreaAlerts returns which team alerts an area sends.
func (s *Store) AreaAlerts(ctx context.Context, area int64) (beheer.AlertSettings, error) {
	out := beheer.AlertSettings{}
	err := s.read(ctx, func(q querier) error { return readAlerts(ctx, q, area, out) })
	return out, err
}

func readAlerts(ctx context.Context, q querier, area int64, into beheer.AlertSettings) error {
	rows, err := q.QueryContext(ctx, `SELECT alert, enabled FROM area_alerts WHERE area_id = $1`, area)
	if err != nil {
		return err
	}
	return scanAll(rows, func() error {
		var al beheer.Alert
		var on bool
		err := rows.Scan(&al, &on)
		into[al] = on
		return err
	})
}

// SetAreaAlerts chooses which team alerts an area sends; alerts left out
// keep their setting. A functional admin of the area only.
func (s *Store) SetAreaAlerts(ctx context.Context, actor *beheer.Actor, area int64, set beheer.AlertSettings) error {
	if err := beheer.CheckAlertSettings(actor, area, set); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old := beheer.AlertSettings{}
		if err := readAlerts(ctx, t, area, old); err != nil {
			return err
		}
		for _, al := range beheer.Alerts {
			on, ok := set[al]
			if !ok || old.On(al) == on {
				continue
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO area_alerts (area_id, alert, enabled) VALUES ($1, $2, $3)
				ON CONFLICT (area_id, alert) DO UPDATE SET enabled = excluded.enabled`, area, al, on); err != nil {
				return err
			}
			if err := t.audit(ctx, actor, 0, "area.alert", "area:"+itoa(area)+" "+string(al), onOff(!on), onOff(on), false); err != nil {
				return err
			}
		}
		return nil
	})
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// FollowArea makes the actor hear of every new request in an area, or
// with follow false, no longer.
func (s *Store) FollowArea(ctx context.Context, actor *beheer.Actor, area int64, follow bool) error {
	if !beheer.CanFollowArea(actor, area) {
		return beheer.ErrForbidden("area.follow_forbidden")
	}
	return s.write(ctx, func(t *tx) error {
		if !follow {
			_, err := t.ExecContext(ctx, `DELETE FROM area_followers WHERE area_id = $1 AND user_id = $2`, area, actor.UserID)
			return err
		}
		_, err := t.ExecContext(ctx, `INSERT INTO area_followers (area_id, user_id, added_at) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, area, actor.UserID, ms(t.now))
		return err
	})
}

// FollowedAreas lists the areas the actor follows.
func (s *Store) FollowedAreas(ctx context.Context, actor *beheer.Actor) ([]int64, error) {
	var out []int64
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT area_id FROM area_followers WHERE user_id = $1 ORDER BY area_id`, actor.UserID)
		if err != nil {
			return err
		}
		out, err = scanColumn[int64](rows)
		return err
	})
	return out, err
}

// SweepOverdueTasks writes "task.overdue" once for each technical task
// open longer than beheer.TaskOverdueAfter at now, at most limit per call;
// it returns how many. The worker runs it every few minutes.
func (s *Store) SweepOverdueTasks(ctx context.Context, now time.Time, limit int) (int, error) {
	n := 0
	err := s.write(ctx, func(t *tx) error {
		rows, err := t.QueryContext(ctx, `SELECT id, request_id FROM tasks WHERE status = 'open' AND overdue_at IS NULL
			AND created_at < $1 ORDER BY created_at, id LIMIT $2`, ms(now.Add(-beheer.TaskOverdueAfter)), limit)
		if err != nil {
			return err
		}
		var due [][2]int64
		if err := scanAll(rows, func() error {
			var task, req int64
			err := rows.Scan(&task, &req)
			due = append(due, [2]int64{task, req})
			return err
		}); err != nil {
			return err
		}
		for _, d := range due {
			if _, err := t.ExecContext(ctx, `UPDATE tasks SET overdue_at = $1 WHERE id = $2`, ms(t.now), d[0]); err != nil {
				return err
			}
			if err := t.emit(ctx, System, EventTaskOverdue, d[1], false, map[string]string{"task": itoa(d[0])}); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}
