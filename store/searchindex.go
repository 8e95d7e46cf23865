package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"beheer"
)

// On SQLite the full-text index of requests is filled for all the requests
// a commit files at once, just before the commit, not by a trigger per row.
// FTS5 writes what it holds as a new segment at the start of every
// statement that may have to be undone halfway, and a trigger makes the
// filing INSERT such a statement: every create became a segment of its own,
// merged again and again — a fifth of a create's time at 1,000,000
// requests. Edits still go through the trigger of 0200, which takes the old
// terms out of the index; saveChanges therefore indexes what its
// transaction filed before it changes a request.

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
	_, err = q.ExecContext(ctx, `INSERT INTO requests_fts (rowid, search_terms)
		SELECT id, search_terms FROM requests WHERE id IN (SELECT value FROM json_each($1))`, string(list))
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

// The search terms of rows written before the analyser wrote them (or
// before it changed) are filled in when the store opens: a migration names
// the tables in search_reindex, and reindexSearch works through them in
// batches, each a transaction that also records how far it got, so an
// interrupted start goes on where it stopped. Several processes starting
// at once take the batches in turns.

// reindexBatch is how many requests one transaction fills in.
const reindexBatch = 5000

// reindexSearch fills in the search terms search_reindex asks for.
func (s *Store) reindexSearch(ctx context.Context) error {
	// Asked on the writer: a reader opened now would keep the statistics
	// of before finishReindex.
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM search_reindex ORDER BY name`)
	if err != nil {
		return err
	}
	names, err := scanColumn[string](rows)
	if err != nil {
		return err
	}
	filled := 0
	for _, name := range names {
		n, err := s.reindexTable(ctx, name)
		if err != nil {
			return fmt.Errorf("search index of %s: %w", name, err)
		}
		filled += n
	}
	if filled == 0 {
		return nil
	}
	return s.dialect.finishReindex(ctx, s)
}

// reindexTable fills in the terms of one table batch by batch and says how
// many rows it filled. After the first batch with rows the database is
// prepared as for a bulk load.
func (s *Store) reindexTable(ctx context.Context, name string) (int, error) {
	fill, ok := reindexers[name]
	if !ok {
		return 0, fmt.Errorf("nothing fills %q", name)
	}
	total := 0
	for {
		var n int
		err := s.write(ctx, func(t *tx) (err error) {
			n, err = t.reindexNext(ctx, name, fill)
			return err
		})
		if err != nil || n == 0 {
			return total, err
		}
		if total == 0 {
			done, err := s.dialect.startBulk(ctx, s)
			if err != nil {
				return total, err
			}
			defer done()
		}
		total += n
		s.log.Info("search index: terms filled in", "table", name, "rows", total)
	}
}

// reindexNext fills in the next batch of the named table and records how
// far it got, or that it is done; it says how many rows it filled.
func (t *tx) reindexNext(ctx context.Context, name string, fill reindexer) (int, error) {
	var after int64
	err := t.QueryRowContext(ctx, `SELECT after FROM search_reindex WHERE name = $1`+t.s.dialect.lock(""), name).Scan(&after)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil // another process finished it
	}
	if err != nil {
		return 0, err
	}
	last, n, err := fill(ctx, t, after)
	switch {
	case err != nil:
		return 0, err
	case n == 0:
		_, err = t.ExecContext(ctx, `DELETE FROM search_reindex WHERE name = $1`, name)
	default:
		_, err = t.ExecContext(ctx, `UPDATE search_reindex SET after = $1 WHERE name = $2`, last, name)
	}
	return n, err
}

// reindexer fills in the terms of one table's rows after the key after: it
// returns the last key filled and how many rows (0: all done).
type reindexer func(ctx context.Context, t *tx, after int64) (int64, int, error)

// reindexers are the tables search_reindex may name: "answered" are the
// requests filed through a form (migration 0260 gave their answers keys).
var reindexers = map[string]reindexer{
	"requests":     reindexRequests(""),
	"answered":     reindexRequests(" AND form_version_id IS NOT NULL"),
	"publications": reindexPublications,
}

// reindexRequests fills in the terms of the next batch of the requests
// that meet the condition cond. The full-text index takes in those that
// had none before the commit (t.file); for the others the trigger of 0200
// replaces their terms there.
func reindexRequests(cond string) reindexer {
	return func(ctx context.Context, t *tx, after int64) (int64, int, error) {
		return reindexRequestsWhere(ctx, t, after, cond)
	}
}

func reindexRequestsWhere(ctx context.Context, t *tx, after int64, cond string) (int64, int, error) {
	type row struct {
		id                 int64
		title, description string
		version            int64
		unindexed          bool
	}
	var batch []row
	rows, err := t.QueryContext(ctx, `SELECT id, title, description, COALESCE(form_version_id, 0), search_terms IS NULL
		FROM requests WHERE id > $1`+cond+` ORDER BY id LIMIT $2`, after, reindexBatch)
	if err != nil {
		return 0, 0, err
	}
	if err := scanAll(rows, func() error {
		var r row
		err := rows.Scan(&r.id, &r.title, &r.description, &r.version, &r.unindexed)
		batch = append(batch, r)
		return err
	}); err != nil || len(batch) == 0 {
		return 0, 0, err
	}
	ids, terms := make([]int64, len(batch)), make([]string, len(batch))
	for i, r := range batch {
		answers, texts, err := storedAnswerTerms(ctx, t, r.id, r.version)
		if err != nil {
			return 0, 0, err
		}
		ids[i], terms[i] = r.id, requestTerms(r.title, r.description, texts, t.s.dialect.answerKeys(answers))
	}
	if err := t.setTerms(ctx, ids, terms); err != nil {
		return 0, 0, err
	}
	for _, r := range batch {
		if r.unindexed {
			t.file(r.id)
		}
	}
	return ids[len(ids)-1], len(ids), nil
}

// setTerms writes the search terms of the requests ids, a few hundred to a
// statement.
func (t *tx) setTerms(ctx context.Context, ids []int64, terms []string) error {
	const per = 500
	for start := 0; start < len(ids); start += per {
		end := min(start+per, len(ids))
		var values []string
		var args []any
		for i := start; i < end; i++ {
			args = append(args, ids[i], terms[i])
			values = append(values, "(CAST($"+itoa(int64(len(args)-1))+" AS BIGINT), $"+itoa(int64(len(args)))+")")
		}
		if _, err := t.ExecContext(ctx, `WITH v (id, terms) AS (VALUES `+strings.Join(values, ", ")+`)
			UPDATE requests SET search_terms = v.terms FROM v WHERE requests.id = v.id`, args...); err != nil {
			return err
		}
	}
	return nil
}

// reindexPublications fills in the terms of every publication at once:
// there are few.
func reindexPublications(ctx context.Context, t *tx, after int64) (int64, int, error) {
	if after > 0 {
		return 0, 0, nil
	}
	type row struct {
		kind              beheer.PublicationKind
		id                int64
		title, tags, body string
	}
	var all []row
	rows, err := t.QueryContext(ctx, `SELECT kind, id, title, tags, body FROM publications`)
	if err != nil {
		return 0, 0, err
	}
	if err := scanAll(rows, func() error {
		var r row
		err := rows.Scan(&r.kind, &r.id, &r.title, &r.tags, &r.body)
		all = append(all, r)
		return err
	}); err != nil {
		return 0, 0, err
	}
	for _, r := range all {
		title, tags, body := publicationTerms(r.kind, r.title, r.tags, r.body)
		if _, err := t.ExecContext(ctx, `UPDATE publications SET title_terms = $1, tags_terms = $2, body_terms = $3
			WHERE kind = $4 AND id = $5`, title, tags, body, string(r.kind), r.id); err != nil {
			return 0, 0, err
		}
	}
	return 1, len(all), nil
}
