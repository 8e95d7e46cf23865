package beheer

import "time"

// TaskStatus is where a technical task stands.
type TaskStatus string

// The task statuses.
const (
	TaskOpen TaskStatus = "open"
	TaskDone TaskStatus = "done"
)

// Task is work a functional admin hands to technical management.
type Task struct {
	ID           int64      `json:"id"`
	RequestID    int64      `json:"request_id"`
	Title        string     `json:"title"`
	Description  string     `json:"description,omitempty"`
	AssigneeID   int64      `json:"assignee_id,omitempty"`
	AssigneeName string     `json:"assignee,omitempty"`
	Status       TaskStatus `json:"status"`
	Outcome      string     `json:"outcome,omitempty"`
	CreatedBy    int64      `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	DoneAt       time.Time  `json:"done_at,omitzero"`
}

// NewTask is what a functional admin fills in.
type NewTask struct {
	Title       string
	Description string
	AssigneeID  int64 // a technical admin, or 0 for the team
}

// CheckTask says whether the actor may hand a task on the request to
// technical management.
func CheckTask(a *Actor, r *Request, f Facts, t NewTask) error {
	if !CanRead(a, r, f) {
		return ErrNotFound()
	}
	var v Validation
	validateLine(&v, "title", t.Title, MaxTitle, true)
	validateText(&v, "description", t.Description, MaxDescription, false)
	if err := v.Err(); err != nil {
		return err
	}
	if !a.Can(PermTaskCreate, r.AreaID) {
		return ErrForbidden("task.forbidden")
	}
	if r.Phase != PhaseInvestigation && r.Phase != PhaseExecution {
		return Errorf(CodeConflict, "task.wrong_phase")
	}
	return nil
}

// CheckCompleteTask says whether the actor may finish the task: its
// assignee, or a technical admin of the request's area.
func CheckCompleteTask(a *Actor, r *Request, t *Task, outcome string) error {
	if a == nil {
		return ErrNotFound()
	}
	var v Validation
	validateText(&v, "outcome", outcome, MaxNote, true)
	if err := v.Err(); err != nil {
		return err
	}
	if t.AssigneeID != a.UserID && !a.Can(PermTaskWork, r.AreaID) {
		return ErrForbidden("task.forbidden")
	}
	if t.Status == TaskDone {
		return Errorf(CodeConflict, "task.already_done")
	}
	return nil
}
