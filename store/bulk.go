package store

import (
	"context"
	"strings"
	"time"

	"beheer"
)

// BulkRequest is one generated request with its history, for loading large
// demo and benchmark data sets in few transactions. Bulk loading bypasses
// the rules: the generator must produce consistent histories itself.
type BulkRequest struct {
	Request     beheer.Request
	Comments    []beheer.Comment
	Audit       []beheer.AuditEntry
	Decision    *beheer.Decision
	Escalations []beheer.Escalation
	Tasks       []beheer.Task
	Attachment  *BulkFile
}

// BulkFile is a generated attachment.
type BulkFile struct {
	Name, ContentType string
	Data              []byte
}

// bulkBatch is how many requests go into one transaction.
const bulkBatch = 500

// BulkLoad inserts generated requests until next reports no more, numbering
// them per year after the existing ones. It must not run beside other
// writers (it assigns ids itself); it returns how many it loaded.
func (s *Store) BulkLoad(ctx context.Context, next func() (*BulkRequest, bool), progress func(n int)) (int, error) {
	var nextID int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM requests`).Scan(&nextID); err != nil {
		return 0, s.internal(err)
	}
	endBulk, err := s.dialect.startBulk(ctx, s)
	if err != nil {
		return 0, s.internal(err)
	}
	defer endBulk()
	counters := map[int]int64{}
	total := 0
	for done := false; !done; {
		batch := make([]*BulkRequest, 0, bulkBatch)
		for len(batch) < bulkBatch {
			b, ok := next()
			if !ok {
				done = true
				break
			}
			b.Request.ID = nextID
			nextID++
			batch = append(batch, b)
		}
		if len(batch) == 0 {
			break
		}
		terms := make([]string, len(batch)) // found before the write, outside the one writer
		for i, b := range batch {
			terms[i] = requestTerms(b.Request.Title, b.Request.Description, nil, nil)
		}
		if err := s.write(ctx, func(t *tx) error { return t.bulk(ctx, batch, terms, counters) }); err != nil {
			return total, err
		}
		total += len(batch)
		if progress != nil {
			progress(total)
		}
	}
	if err := s.dialect.finishBulk(ctx, s); err != nil {
		return total, s.internal(err)
	}
	return total, nil
}

// rowsInsert collects the rows of one multi-row INSERT.
type rowsInsert struct {
	head string
	cols int
	args []any
	n    int
}

func (ri *rowsInsert) add(vals ...any) { ri.args = append(ri.args, vals...); ri.n++ }

func (ri *rowsInsert) exec(ctx context.Context, t *tx) error {
	const maxArgs = 30000
	for start := 0; start < ri.n; {
		per := maxArgs / ri.cols
		end := min(ri.n, start+per)
		var b strings.Builder
		b.WriteString(ri.head)
		b.WriteString(" VALUES ")
		p := 1
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := 0; c < ri.cols; c++ {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString(t.s.dialect.bulkParam(p))
				p++
			}
			b.WriteByte(')')
		}
		if _, err := t.ExecContext(ctx, b.String(), ri.args[start*ri.cols:end*ri.cols]...); err != nil {
			return err
		}
		start = end
	}
	return nil
}

func msOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// bulk writes one batch; terms are its requests' search terms.
func (t *tx) bulk(ctx context.Context, batch []*BulkRequest, terms []string, counters map[int]int64) error {
	reqs := &rowsInsert{head: `INSERT INTO requests (id, number, year, seq, type, title, description, area_id, process_id,
		priority, priority_rank, requester_id, assignee_id, phase, status, version, created_at, updated_at, closed_at, rating, evaluation,
		search_terms)`, cols: 22}
	comments := &rowsInsert{head: `INSERT INTO comments (request_id, author_id, body, internal, created_at)`, cols: 5}
	audit := &rowsInsert{head: `INSERT INTO audit (request_id, actor_id, at, action, field, before_value, after_value, internal)`, cols: 8}
	decisions := &rowsInsert{head: `INSERT INTO decisions (request_id, outcome, motivation, decider_id, decided_at)`, cols: 5}
	escalations := &rowsInsert{head: `INSERT INTO escalations (request_id, channel, reference, note, opened_by, opened_at, closed_by, closed_at, outcome)`, cols: 9}
	tasks := &rowsInsert{head: `INSERT INTO tasks (request_id, title, description, assignee_id, status, outcome, created_by, created_at, done_by, done_at)`, cols: 10}
	files := &rowsInsert{head: `INSERT INTO attachments (request_id, name, content_type, size, sha256, data, uploader_id, created_at)`, cols: 8}
	for i, b := range batch {
		r := &b.Request
		year := r.CreatedAt.In(amsterdam).Year()
		if _, ok := counters[year]; !ok {
			var last int64
			if err := t.QueryRowContext(ctx, `SELECT COALESCE((SELECT last FROM request_counters WHERE year = $1), 0)`, year).Scan(&last); err != nil {
				return err
			}
			counters[year] = last
		}
		counters[year]++
		seq := counters[year]
		var rating any
		if r.Rating > 0 {
			rating = r.Rating
		}
		reqs.add(r.ID, beheer.FormatNumber(year, seq), year, seq, r.Type, r.Title, r.Description, nullID(r.AreaID), nullID(r.ProcessID),
			r.Priority, r.Priority.Rank(), r.RequesterID, nullID(r.AssigneeID), r.Phase, r.Status, max(r.Version, 1),
			ms(r.CreatedAt), ms(r.UpdatedAt), msOrNil(r.ClosedAt), rating, r.Evaluation, terms[i])
		t.file(r.ID)
		for _, c := range b.Comments {
			comments.add(r.ID, c.AuthorID, c.Body, c.Internal, ms(c.CreatedAt))
		}
		for _, a := range b.Audit {
			audit.add(r.ID, nullID(a.ActorID), ms(a.At), a.Action, a.Field, a.Before, a.After, a.Internal)
		}
		if d := b.Decision; d != nil {
			decisions.add(r.ID, d.Outcome, d.Motivation, d.DeciderID, ms(d.DecidedAt))
		}
		for _, e := range b.Escalations {
			var closedBy any
			if !e.ClosedAt.IsZero() {
				closedBy = e.OpenedBy
			}
			escalations.add(r.ID, e.Channel, e.Reference, e.Note, e.OpenedBy, ms(e.OpenedAt), closedBy, msOrNil(e.ClosedAt), e.Outcome)
		}
		for _, k := range b.Tasks {
			var doneBy any
			if !k.DoneAt.IsZero() {
				doneBy = nullID(k.AssigneeID)
			}
			tasks.add(r.ID, k.Title, k.Description, nullID(k.AssigneeID), k.Status, k.Outcome, k.CreatedBy, ms(k.CreatedAt), doneBy, msOrNil(k.DoneAt))
		}
		if f := b.Attachment; f != nil {
			files.add(r.ID, f.Name, f.ContentType, len(f.Data), sha256Hex(f.Data), f.Data, r.RequesterID, ms(r.CreatedAt))
		}
	}
	for _, ri := range []*rowsInsert{reqs, comments, audit, decisions, escalations, tasks, files} {
		if err := ri.exec(ctx, t); err != nil {
			return err
		}
	}
	for year, last := range counters {
		if _, err := t.ExecContext(ctx, `INSERT INTO request_counters (year, last) VALUES ($1, $2)
			ON CONFLICT (year) DO UPDATE SET last = excluded.last`, year, last); err != nil {
			return err
		}
	}
	return nil
}
