package beheer

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// StandardAnswer is a reusable reply (standaardantwoord) that functional
// admins keep per area, or for every area (AreaID 0). Its placeholders are
// filled in from the request when someone chooses it; the person sees the
// text before it is sent. It may also move the request on — to a status
// or a phase — when the rules allow that move at the moment it is used.
type StandardAnswer struct {
	ID     int64  `json:"id"`
	AreaID int64  `json:"area_id,omitempty"` // 0: every area
	Title  string `json:"title"`
	Body   string `json:"body"`
	// SetStatus and SetPhase are what sending the answer also does; at
	// most one of them, both empty for a reply only.
	SetStatus Status    `json:"set_status,omitempty"`
	SetPhase  Phase     `json:"set_phase,omitempty"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`

	AreaName string `json:"area_name,omitempty"` // filled by reads
}

// The placeholders a standard answer may hold, in the users' own words.
const (
	PlaceholderRequester = "aanvrager"
	PlaceholderNumber    = "nummer"
	PlaceholderTitle     = "titel"
	PlaceholderDue       = "streefdatum"
	PlaceholderAssignee  = "behandelaar"
)

// Placeholders lists the placeholders in the order the page explains them.
var Placeholders = []string{PlaceholderRequester, PlaceholderNumber, PlaceholderTitle, PlaceholderDue, PlaceholderAssignee}

// MaxAnswerTitle bounds the name of a standard answer in the list.
const MaxAnswerTitle = 120

// answerStatuses are the statuses an answer may set: those a manager sets
// by hand (settableStatuses).
var answerStatuses = settableStatuses

// answerPhases are the phases an answer may move to: onward, or closed as
// rejected — never withdrawn, which is the requester's.
var answerPhases = []Phase{PhaseInvestigation, PhaseExecution, PhaseOptimisation, PhaseClosed, PhaseRejected}

// AnswerStatuses returns the statuses a standard answer may set.
func AnswerStatuses() []Status { return slices.Clone(answerStatuses) }

// AnswerPhases returns the phases a standard answer may move to.
func AnswerPhases() []Phase { return slices.Clone(answerPhases) }

// Validate checks a standard answer as a functional admin writes it: a
// name and a text are required, every placeholder must be a known one (a
// typo would otherwise reach the requester as "{aanvrager}"), and at most
// one follow-up action from the lists above.
func (a *StandardAnswer) Validate() error {
	var v Validation
	validateLine(&v, "title", a.Title, MaxAnswerTitle, true)
	validateText(&v, "body", a.Body, MaxComment, true)
	if !v.Has("body") {
		if unknown := UnknownPlaceholders(a.Body); len(unknown) > 0 {
			v.Add("body", "answer.unknown_placeholder", "names", "{"+strings.Join(unknown, "}, {")+"}",
				"known", "{"+strings.Join(Placeholders, "}, {")+"}")
		}
	}
	if a.SetStatus != "" && !slices.Contains(answerStatuses, a.SetStatus) {
		v.Add("set_status", "field.invalid_choice", "choices", answerStatuses)
	}
	if a.SetPhase != "" && !slices.Contains(answerPhases, a.SetPhase) {
		v.Add("set_phase", "field.invalid_choice", "choices", answerPhases)
	}
	if a.SetStatus != "" && a.SetPhase != "" {
		v.Add("set_phase", "answer.one_action")
	}
	return v.Err()
}

// Applies reports whether the answer may be used on a request of area.
func (a *StandardAnswer) Applies(area int64) bool { return a.AreaID == 0 || a.AreaID == area }

// CanManageAnswers reports whether the actor may keep the standard answers
// of area (0: the answers for every area, which only an admin of every
// area keeps).
func CanManageAnswers(a *Actor, area int64) bool { return a.Can(PermAnswerManage, area) }

// CanUseAnswers reports whether the actor may reply to the request with a
// standard answer: whoever writes public replies on it as staff.
func CanUseAnswers(a *Actor, r *Request) bool {
	return a.Can(PermRequestComment, r.AreaID) || CanManage(a, r)
}

// AnswerValues are the values a request gives the placeholders.
type AnswerValues map[string]string

// ValuesFor gives the placeholders their values from a request: due is
// the service-level target as the person reads it ("" when none), none
// what to say when nobody handles the request yet.
func ValuesFor(r *Request, due, none string) AnswerValues {
	assignee := r.AssigneeName
	if assignee == "" {
		assignee = none
	}
	if due == "" {
		due = none
	}
	return AnswerValues{PlaceholderRequester: r.RequesterName, PlaceholderNumber: r.Number,
		PlaceholderTitle: r.Title, PlaceholderDue: due, PlaceholderAssignee: assignee}
}

// Fill replaces every known placeholder in body by its value; unknown ones
// stay as written (Validate keeps them out of saved answers).
func Fill(body string, v AnswerValues) string {
	var b strings.Builder
	for {
		name, before, after, ok := nextPlaceholder(body)
		if !ok {
			b.WriteString(body)
			return b.String()
		}
		b.WriteString(before)
		if val, known := v[name]; known && slices.Contains(Placeholders, name) {
			b.WriteString(val)
		} else {
			b.WriteString("{" + name + "}")
		}
		body = after
	}
}

// UnknownPlaceholders lists, once each and in order, the names between
// braces in body that are not placeholders.
func UnknownPlaceholders(body string) []string {
	var out []string
	for {
		name, _, after, ok := nextPlaceholder(body)
		if !ok {
			return out
		}
		if !slices.Contains(Placeholders, name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
		body = after
	}
}

// nextPlaceholder finds the next "{name}": a word of letters, digits and
// underscores between braces. Other braces (Markdown, code) are text.
func nextPlaceholder(s string) (name, before, after string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		end := strings.IndexByte(s[i+1:], '}')
		if end < 0 {
			return "", "", "", false
		}
		word := s[i+1 : i+1+end]
		if isPlaceholderWord(word) {
			return word, s[:i], s[i+2+end:], true
		}
	}
	return "", "", "", false
}

func isPlaceholderWord(w string) bool {
	if w == "" || utf8.RuneCountInString(w) > 40 {
		return false
	}
	for _, r := range w {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127 && r != '{') {
			return false
		}
	}
	return true
}

// AnswerAction is what sending a standard answer also does to the request:
// a phase change or a status, to be checked by the same rules as the
// page's own actions (CheckTransition, CheckPatch).
func (a *StandardAnswer) AnswerAction() (Transition, *Patch) {
	switch {
	case a.SetPhase != "":
		return Transition{To: a.SetPhase}, nil
	case a.SetStatus != "":
		s := a.SetStatus
		return Transition{}, &Patch{Status: &s}
	}
	return Transition{}, nil
}
