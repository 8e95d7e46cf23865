package store

import (
	"context"
	"database/sql"
	"strings"

	"beheer"
)

// The small reads of the home pages: the organisation's language before
// anyone signs in, notifications a person has seen by opening their
// request, and counts of a worklist that stop early.

// settingOrgLang is the organisation's language, set up with the
// organisation ("nl" or "en").
const settingOrgLang = "org.lang"

// OrganisationLang is the organisation's language: what the pages speak
// before anyone signs in (a person's own choice wins after). Dutch unless
// the organisation chose otherwise.
func (s *Store) OrganisationLang(ctx context.Context) string {
	lang := "nl"
	_ = s.read(ctx, func(q querier) error {
		v, ok, err := setting(ctx, q, settingOrgLang)
		if ok && err == nil && strings.TrimSpace(v) != "" {
			lang = strings.TrimSpace(v)
		}
		return err
	})
	return lang
}

// MarkRequestRead marks the actor's unread notifications about one request
// as read: they opened it, so the bell no longer needs to say so. An index
// read first, so opening a request without news writes nothing.
func (s *Store) MarkRequestRead(ctx context.Context, actor *beheer.Actor, requestID int64) error {
	if actor == nil || actor.UserID == 0 {
		return nil
	}
	var unread bool
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notifications
			WHERE request_id = $1 AND user_id = $2 AND read_at IS NULL)`, requestID, actor.UserID).Scan(&unread)
	})
	if err != nil || !unread {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `UPDATE notifications SET read_at = $1
			WHERE request_id = $2 AND user_id = $3 AND read_at IS NULL`, ms(t.now), requestID, actor.UserID)
		return err
	})
}

// MaxWorklistCount is where the home pages' counts stop ("99+").
const MaxWorklistCount = 100

// CountRequests counts the requests of a list (the filter's conditions
// and the actor's visibility, without sort or cursor), stopping at
// MaxWorklistCount: a home page's number beside a link to the list.
func (s *Store) CountRequests(ctx context.Context, actor *beheer.Actor, f Filter) (int, error) {
	f.Sort, f.Cursor, f.Limit = "newest", "", MaxWorklistCount
	if err := f.Validate(); err != nil {
		return 0, err
	}
	f.Query = "" // counts are of lists without a search
	l := s.listQuery(actor, f)
	inner := strings.Replace(l.sql, `SELECT `+requestColumns+requestFrom, `SELECT r.id FROM requests r`, 1)
	inner = strings.Replace(inner, `SELECT `+requestColumnsUnnamed+` FROM requests r`, `SELECT r.id FROM requests r`, 1)
	// A count needs no order: without it the database reads whichever
	// index the filters narrow best (the deadline's for "late"), not all
	// of them in id order.
	if i := strings.LastIndex(inner, " ORDER BY "); i >= 0 {
		if j := strings.Index(inner[i:], " LIMIT "); j >= 0 {
			inner = inner[:i] + inner[i+j:]
		}
	}
	var n int
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+inner+`) AS c`, l.q.args...).Scan(&n)
	})
	return min(n, MaxWorklistCount), err
}

// DecisionItem is a decision with the request it was taken on.
type DecisionItem struct {
	Decision beheer.Decision
	Request  *beheer.Request
}

// MyDecisions lists the decisions the actor took (or took on behalf of
// someone), newest first, at most limit: a key user's history.
func (s *Store) MyDecisions(ctx context.Context, actor *beheer.Actor, limit int) ([]DecisionItem, error) {
	var out []DecisionItem
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+requestColumns+`, d.id, d.outcome, d.motivation, d.decided_at
			FROM decisions d JOIN requests r ON r.id = d.request_id LEFT JOIN areas a ON a.id = r.area_id
			LEFT JOIN users q ON q.id = r.requester_id LEFT JOIN users s ON s.id = r.assignee_id
			WHERE d.decider_id = $1 ORDER BY d.decided_at DESC, d.id DESC LIMIT $2`, actor.UserID, limit)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var d beheer.Decision
			var at sql.NullInt64
			r, err := scanRequest(rows, &d.ID, &d.Outcome, &d.Motivation, &at)
			if err == nil {
				d.RequestID, d.DeciderID, d.DeciderName, d.DecidedAt = r.ID, actor.UserID, actor.Name, fromMS(at)
				out = append(out, DecisionItem{Decision: d, Request: r})
			}
			return err
		})
	})
	return out, err
}

// Searchable reports whether a list's search text has anything to search
// for: a request number, or a word the Dutch analyser looks for
// (beheer.ParseSearch). A search of only stop words or symbols would
// otherwise quietly list nothing without saying why.
func Searchable(text string) bool {
	text = strings.TrimSpace(text)
	return numberPattern.MatchString(text) || !beheer.ParseSearch(text).Empty()
}
