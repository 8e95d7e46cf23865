package store

import (
	"context"

	"beheer"
)

// The monthly report for management: on the first working day of a month
// the directie gets last month's figures by e-mail. Package notify decides
// when and renders the e-mails; the store keeps who gets them and that
// they went out once, with the cursor "monthly_report" (0190), as the
// daily digest does with its own.

// cursorMonthly holds the MonthKey of the last month reported on.
const cursorMonthly = "monthly_report"

// MonthlyRecipient is someone the monthly report goes to: the person to
// mail and the actor whose report scope their figures follow.
type MonthlyRecipient struct {
	Person
	Actor *beheer.Actor
}

// MonthlyReportSent returns the MonthKey of the last month reported on; 0
// when none has been.
func (s *Store) MonthlyReportSent(ctx context.Context) (int64, error) {
	var pos int64
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT position FROM worker_cursors WHERE name = $1`, cursorMonthly).Scan(&pos)
	})
	return pos, err
}

// MonthlyRecipients lists who gets the monthly report: the active people
// with the management role who have an e-mail address and did not switch
// it off, with their roles.
func (s *Store) MonthlyRecipients(ctx context.Context) ([]MonthlyRecipient, error) {
	var out []MonthlyRecipient
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = monthlyRecipients(ctx, q)
		return err
	})
	return out, err
}

func monthlyRecipients(ctx context.Context, q querier) ([]MonthlyRecipient, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email, u.lang FROM users u
		WHERE u.active AND u.email <> '' AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = $1)
		AND NOT EXISTS (SELECT 1 FROM notify_prefs p WHERE p.user_id = u.id AND p.kind = $2 AND p.mode = $3)
		ORDER BY u.id`, beheer.RoleManagement, NotifyMonthly, ModeOff)
	if err != nil {
		return nil, err
	}
	var out []MonthlyRecipient
	if err := scanAll(rows, func() error {
		var m MonthlyRecipient
		if err := rows.Scan(&m.ID, &m.Name, &m.Email, &m.Lang); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range out {
		p := &out[i]
		roles, err := loadRoles(ctx, q, p.ID)
		if err != nil {
			return nil, err
		}
		p.Prefs = map[string]string{}
		p.Actor = &beheer.Actor{UserID: p.ID, Name: p.Name, Email: p.Email, Roles: roles}
	}
	return out, nil
}

// QueueMonthlyReports puts the monthly report on month (a MonthKey) in the
// outbox, once: the cursor row is locked (PostgreSQL: FOR UPDATE; SQLite:
// the single writer) and a month already reported on, by this process or
// another, queues nothing. mails holds the rendered e-mail per person; it
// goes to those who are still recipients now. It returns how many e-mails
// were queued.
func (s *Store) QueueMonthlyReports(ctx context.Context, month int64, mails map[int64]*OutMail) (int, error) {
	queued := 0
	err := s.write(ctx, func(t *tx) error {
		var last int64
		if err := t.QueryRowContext(ctx, `SELECT position FROM worker_cursors WHERE name = $1`+s.dialect.lock(""),
			cursorMonthly).Scan(&last); err != nil {
			return err
		}
		if last >= month {
			return nil
		}
		now, err := monthlyRecipients(ctx, t)
		if err != nil {
			return err
		}
		for _, p := range now {
			if m := mails[p.ID]; m != nil {
				if err := t.enqueueMail(ctx, p.ID, 0, m); err != nil {
					return err
				}
				queued++
			}
		}
		_, err = t.ExecContext(ctx, `UPDATE worker_cursors SET position = $1 WHERE name = $2`, month, cursorMonthly)
		return err
	})
	return queued, err
}
