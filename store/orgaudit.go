package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"beheer"
)

// OrgAudit is a page of the organisation's audit log: the rows that
// belong to no request, newest first, narrowed by f. Functional admins
// of every area and management only (beheer.CanReadOrgAudit).
func (s *Store) OrgAudit(ctx context.Context, actor *beheer.Actor, f beheer.OrgAuditFilter) (*beheer.OrgAuditPage, error) {
	if !beheer.CanReadOrgAudit(actor) {
		return nil, beheer.Refusal(beheer.PermOrgAuditRead)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	query, args := orgAuditQuery(f, s.dialect.lower)
	page := &beheer.OrgAuditPage{Items: []beheer.OrgAuditEntry{}}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e beheer.OrgAuditEntry
			var actorID, at sql.NullInt64
			if err := rows.Scan(&e.ID, &actorID, &e.ActorName, &at, &e.Action, &e.Field, &e.Before, &e.After); err != nil {
				return err
			}
			e.ActorID, e.At = actorID.Int64, fromMS(at)
			e.Kind, e.SubjectID = beheer.KindOfAction(e.Action), beheer.PersonSubject(e.Field)
			page.Items = append(page.Items, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return subjectNames(ctx, q, page.Items)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextBefore = page.Items[f.Limit-1].ID
	}
	return page, nil
}

// orgAuditQuery builds the log's query for f, one row more than the limit
// to know whether a next page exists; lower is the dialect's.
func orgAuditQuery(f beheer.OrgAuditFilter, lower func(string) string) (string, []any) {
	var b strings.Builder
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	b.WriteString(`SELECT a.id, a.actor_id, COALESCE(u.name, ''), a.at, a.action, a.field, a.before_value, a.after_value
		FROM audit a LEFT JOIN users u ON u.id = a.actor_id WHERE a.request_id IS NULL`)
	if f.Before > 0 {
		b.WriteString(" AND a.id < " + arg(f.Before))
	}
	if f.PersonID > 0 {
		b.WriteString(" AND (a.actor_id = " + arg(f.PersonID) + " OR a.field = " + arg("user:"+strconv.FormatInt(f.PersonID, 10)) + ")")
	}
	if !f.From.IsZero() {
		b.WriteString(" AND a.at >= " + arg(ms(f.From)))
	}
	if !f.To.IsZero() {
		b.WriteString(" AND a.at < " + arg(ms(f.To)))
	}
	if f.Kind != "" {
		prefixes, not := f.Kind.Prefixes(), ""
		if f.Kind == beheer.AuditOther {
			prefixes, not = beheer.AllAuditPrefixes(), "NOT "
		}
		var ors []string
		for _, p := range prefixes {
			ors = append(ors, "a.action LIKE "+arg(likeEscape(p)+"%")+` ESCAPE '\'`)
		}
		b.WriteString(" AND " + not + "(" + strings.Join(ors, " OR ") + ")")
	}
	if f.Text != "" {
		like := arg("%" + likeEscape(strings.ToLower(f.Text)) + "%")
		var ors []string
		for _, col := range []string{"a.action", "a.field", "a.before_value", "a.after_value", "u.name"} {
			ors = append(ors, lower(col)+" LIKE "+like+` ESCAPE '\'`)
		}
		b.WriteString(" AND (" + strings.Join(ors, " OR ") + ")")
	}
	b.WriteString(" ORDER BY a.id DESC LIMIT " + arg(f.Limit+1))
	return b.String(), args
}

// likeEscape escapes the wildcards of a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// subjectNames fills in the names of the people the entries are about.
func subjectNames(ctx context.Context, q querier, items []beheer.OrgAuditEntry) error {
	var ids []any
	var marks []string
	for _, e := range items {
		if e.SubjectID != 0 {
			ids = append(ids, e.SubjectID)
			marks = append(marks, "$"+strconv.Itoa(len(ids)))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names := map[int64]string{}
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM users WHERE id IN (`+strings.Join(marks, ", ")+`)`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		names[id] = name
	}
	for i := range items {
		items[i].SubjectName = names[items[i].SubjectID]
	}
	return rows.Err()
}
