package store

import (
	"context"
	"encoding/json"
)

// On SQLite the full-text index of requests is filled for all the requests
// a commit files at once, just before the commit, not by a trigger per row.
// FTS5 writes what it holds as a new segment at the start of every
// statement that may have to be undone halfway, and a trigger makes the
// filing INSERT such a statement: every create became a segment of its own,
// merged again and again — a fifth of a create's time at 1,000,000
// requests. Edits still go through the trigger of 0002, which takes the old
// text out of the index; saveChanges therefore indexes what its transaction
// filed before it changes a request.

// file notes that this transaction inserted request id.
func (t *tx) file(id int64) {
	if t.s.engine == SQLite {
		t.filed = append(t.filed, id)
	}
}

// indexFiled adds the requests ids to the full-text index.
func (t *tx) indexFiled(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `INSERT INTO requests_fts (rowid, title, description)
		SELECT id, title, description FROM requests WHERE id IN (SELECT value FROM json_each($1))`, string(list))
	return err
}
