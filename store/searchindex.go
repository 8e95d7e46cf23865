package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// file notes that this transaction inserted request id, for the index.
func (t *tx) file(id int64) { t.s.dialect.file(t, id) }

// indexRequests adds the requests ids to the full-text index: the step
// before every commit (txConfig), and saveChanges's before it edits.
func indexRequests(ctx context.Context, q querier, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO requests_fts (rowid, title, description)
		SELECT id, title, description FROM requests WHERE id IN (SELECT value FROM json_each($1))`, string(list))
	return err
}

// searchAutomerge is how many segments of a level FTS5 gathers before it
// merges them, step by step as new segments come in (migration 0012 sets
// it). A bulk load turns this off — each of its transactions adds a
// segment, and the merging in steps spent over half of a load's time
// trimming half-merged segments — and merges the index in one go at the
// end. FTS5 still merges a level at once when it reaches 16 segments.
// Should a load be interrupted, the next Open sets merging back.
const searchAutomerge = 8

// setSearchMerge sets the full-text index's automerge.
func (s *Store) setSearchMerge(ctx context.Context, n int) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO requests_fts (requests_fts, rank) VALUES ('automerge', $1)`, n)
	return err
}

// restoreSearchMerge sets the full-text index's automerge back to
// searchAutomerge if an interrupted bulk load left it off.
func (s *Store) restoreSearchMerge(ctx context.Context) error {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT v FROM requests_fts_config WHERE k = 'automerge'`).Scan(&n)
	if err == nil && n == searchAutomerge {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return s.setSearchMerge(ctx, searchAutomerge)
}
