package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"beheer"
)

// TaskFilter selects a technical admin's task list: whose tasks, only
// those whose request is late, in which order, one page at a time.
type TaskFilter struct {
	Who    string // TaskMine, TaskTeam, or "" for both
	Late   bool   // only tasks whose request is past its deadline
	Sort   string // one of TaskSorts; "" is "due"
	Limit  int    // 1..MaxLimit; 0 is DefaultLimit
	Offset int    // 0..MaxTaskOffset
}

// Whose tasks a task list shows.
const (
	TaskMine = "mine" // assigned to the person
	TaskTeam = "team" // assigned to nobody, in the person's areas
)

// TaskSorts are the orders of a task list: the request's deadline (least
// time left first), or when the task was handed over.
var TaskSorts = []string{"due", "oldest", "newest"}

// MaxTaskOffset bounds how deep a task list pages: beyond it a filter
// says more than another page.
const MaxTaskOffset = 1000

// taskDense is where a task list stops reading a person's tasks and
// sorting them itself: with more, it walks the open requests by deadline.
const taskDense = 300

// Validate checks the filter and fills its defaults.
func (f *TaskFilter) Validate() error {
	var v beheer.Validation
	if f.Sort == "" {
		f.Sort = "due"
	}
	if !slices.Contains(TaskSorts, f.Sort) {
		v.Add("sort", "field.invalid_choice", "choices", strings.Join(TaskSorts, ", "))
	}
	if f.Who != "" && f.Who != TaskMine && f.Who != TaskTeam {
		v.Add("who", "field.invalid_choice", "choices", TaskMine+", "+TaskTeam)
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit < 1 || f.Limit > MaxLimit {
		v.Add("limit", "field.range", "min", 1, "max", MaxLimit)
	}
	if f.Offset < 0 || f.Offset > MaxTaskOffset {
		v.Add("offset", "field.range", "min", 0, "max", MaxTaskOffset)
	}
	return v.Err()
}

// TaskItem is an open task with the request it belongs to.
type TaskItem struct {
	Task    beheer.Task
	Request *beheer.Request
}

// TaskList is one page of the open technical tasks the actor works on:
// their own and, for a technical admin, the team's in their areas, with the
// request of each (its deadline is the task's). More reports a next page.
func (s *Store) TaskList(ctx context.Context, actor *beheer.Actor, f TaskFilter) (items []TaskItem, more bool, err error) {
	if err := f.Validate(); err != nil {
		return nil, false, err
	}
	q := query{}
	q.where = append(q.where, "t.status = "+q.arg(beheer.TaskOpen))
	q.where = append(q.where, s.taskWho(&q, actor, f.Who))
	if f.Late {
		q.where = append(q.where, "r.open = "+q.arg(true), "r.sla_due <= "+q.arg(s.now().UnixMilli()))
	}
	dense := f.Sort != "due"
	if !dense {
		var n int
		if err := s.read(ctx, func(db querier) error {
			return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM tasks t JOIN requests r ON r.id = t.request_id WHERE `+
				q.clause()+` LIMIT `+itoa(taskDense)+`) x`, q.args...).Scan(&n)
		}); err != nil {
			return nil, false, err
		}
		dense = n >= taskDense
	}
	order, join := map[string]string{"due": " ORDER BY r.sla_due, r.id, t.id", "oldest": " ORDER BY t.id",
		"newest": " ORDER BY t.id DESC"}[f.Sort], "tasks t JOIN requests r ON r.id = t.request_id"
	limit := f.Limit + 1
	if walk := s.dialect.tasksByDeadline(); f.Sort == "due" && dense && walk != "" {
		join = walk
		q.where = append(q.where, "r.open = "+q.arg(true))
	}
	stmt := `SELECT ` + requestColumns + `, ` + taskColumns + ` FROM ` + join + `
		LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN areas a ON a.id = r.area_id
		LEFT JOIN users q ON q.id = r.requester_id LEFT JOIN users s ON s.id = r.assignee_id WHERE ` + q.clause()
	if dense {
		stmt += order + ` LIMIT ` + q.arg(limit) + ` OFFSET ` + q.arg(f.Offset)
	}
	err = s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, stmt, q.args...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var k beheer.Task
			var created, done sql.NullInt64
			r, err := scanRequest(rows, &k.ID, &k.RequestID, &k.Title, &k.Description, &k.AssigneeID, &k.AssigneeName,
				&k.Status, &k.Outcome, &k.CreatedBy, &created, &done)
			if err == nil {
				k.CreatedAt, k.DoneAt = fromMS(created), fromMS(done)
				items = append(items, TaskItem{Task: k, Request: r})
			}
			return err
		})
	})
	if err != nil {
		return nil, false, err
	}
	if !dense { // a few: sorted here by deadline, then paged
		slices.SortStableFunc(items, func(a, b TaskItem) int {
			if a.Request.Due.Rank != b.Request.Due.Rank {
				return cmp.Compare(a.Request.Due.Rank, b.Request.Due.Rank)
			}
			return cmp.Compare(a.Task.ID, b.Task.ID)
		})
		items = items[min(f.Offset, len(items)):]
	}
	if len(items) > f.Limit {
		return items[:f.Limit], true, nil
	}
	return items, false, nil
}

// taskWho is the condition on whose tasks: the person's own, the team's
// (nobody's, in the areas where the person works on tasks), or both. A
// person without the technical role has only their own.
func (s *Store) taskWho(q *query, actor *beheer.Actor, who string) string {
	if who == TaskMine || !actor.HasRole(beheer.RoleTechnicalAdmin) {
		return "t.assignee_id = " + q.arg(actor.UserID)
	}
	team := "t.assignee_id IS NULL"
	if all, areas := actor.Scope(beheer.PermTaskWork); !all {
		if len(areas) == 0 {
			return "t.assignee_id = " + q.arg(actor.UserID)
		}
		ph := make([]string, len(areas))
		for i, a := range areas {
			ph[i] = q.arg(a)
		}
		team += " AND r.area_id IN (" + strings.Join(ph, ", ") + ")"
	}
	if who == TaskTeam {
		return "(" + team + ")"
	}
	return "(t.assignee_id = " + q.arg(actor.UserID) + " OR (" + team + "))"
}
