package store

import (
	"context"
	"encoding/json"
	"strings"
)

// A change to a request appends rows beside itself: the audit entry, the
// event the workers read, the status period. Each such row is described
// once — its statement by auditRow, eventRow and statusRow, what a change
// records by the change's own function (filedRows, commentRows) — and
// written either one statement each (tx.record) or as steps of the one
// statement that makes the change (chain, for PostgreSQL, where each
// statement is a round trip), where a value may be SQL over the row that
// statement inserts.

// val is one value of a recorded row: known in Go, or SQL over the row the
// statement that records it inserts (in a one-statement write).
type val struct {
	v   any
	sql string
}

// known is a value known in Go.
func known(v any) val { return val{v: v} }

// column is the SQL for a value of the row a one-statement write inserts,
// such as "r.id".
func column(sql string) val { return val{sql: sql} }

// idText is an id as text, as the audit trail keeps it.
func (x val) idText() val {
	if x.sql != "" {
		return column(x.sql + "::text")
	}
	return known(itoa(x.v.(int64)))
}

// idJSON is the event data {"key":"id"}, as emit would write it.
func idJSON(key string, id val) val {
	if id.sql != "" {
		return column(`'{"` + key + `":"' || ` + id.sql + ` || '"}'`)
	}
	raw, _ := json.Marshal(map[string]string{key: itoa(id.v.(int64))})
	return known(string(raw))
}

// logRow is one row that a change appends beside itself.
type logRow struct {
	into   string // INSERT INTO table (columns)
	insert string // into with its VALUES ($1, …), for tx.record
	vals   []val  // in the order of the columns
}

// args are the row's values for its insert; every value must be known.
func (r logRow) args() []any {
	out := make([]any, len(r.vals))
	for i, v := range r.vals {
		out[i] = v.v
	}
	return out
}

// record writes rows in the transaction, one statement each.
func (t *tx) record(ctx context.Context, rows ...logRow) error {
	for _, r := range rows {
		if _, err := t.ExecContext(ctx, r.insert, r.args()...); err != nil {
			return err
		}
	}
	return nil
}

// chain builds one statement of several steps, each a WITH query that the
// later ones may read; every data-modifying step runs, read or not.
type chain struct {
	with []string
	q    query // the arguments
}

// arg adds an argument and returns its placeholder.
func (c *chain) arg(v any) string { return c.q.arg(v) }

// list adds arguments and returns their placeholders, comma-separated.
func (c *chain) list(vs ...any) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = c.arg(v)
	}
	return strings.Join(ph, ", ")
}

// step adds the WITH query name.
func (c *chain) step(name, sql string) { c.with = append(c.with, name+` AS (`+sql+`)`) }

// log adds a step for each row, inserted once for each row of the step
// from, whose columns the rows' values may read.
func (c *chain) log(from string, rows []logRow) {
	for _, r := range rows {
		exprs := make([]string, len(r.vals))
		for i, v := range r.vals {
			exprs[i] = v.sql
			if v.sql == "" {
				exprs[i] = c.arg(v.v)
			}
		}
		c.step("l"+itoa(int64(len(c.with))), r.into+` SELECT `+strings.Join(exprs, ", ")+` FROM `+from)
	}
}

// sql is the statement: the steps, then final.
func (c *chain) sql(final string) string { return `WITH ` + strings.Join(c.with, ",\n") + "\n" + final }
