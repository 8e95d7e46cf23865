package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"beheer"
)

// Forms per request type. The forms and their current versions are part of
// the organisation snapshot (orgcache.go): filing a request looks its form
// up in memory, so a type without a form costs nothing extra. Every save is
// a new row in form_versions; requests refer to a version, never to the
// form, and answers live one row per value in request_answers. A queue
// filter on an answer finds the requests that may hold it through an index
// — on SQLite the answer's key in the full-text index (beheer.AnswerKey),
// on PostgreSQL the answers' value index (the dialect's answerDrive) — and
// checks the answer in request_answers.

// formColumns are a form with its current version's fields.
const formColumns = `f.id, f.type, COALESCE(f.process_id, 0), f.name_nl, f.name_en, f.version, COALESCE(f.version_id, 0),
	f.archived_at, f.updated_at, v.fields`

// queryForms reads every form at its current version, in type and process
// order; the counts of requests filed with them only when inUse is set
// (the snapshot does not need them, the designer does).
func queryForms(ctx context.Context, q querier, where string, inUse bool, args ...any) ([]beheer.Form, error) {
	cols := formColumns + `, 0`
	if inUse {
		cols = formColumns + `, (SELECT COUNT(*) FROM form_versions w JOIN requests r ON r.form_version_id = w.id WHERE w.form_id = f.id)`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM forms f JOIN form_versions v ON v.id = f.version_id`+where+
		` ORDER BY f.type, f.process_id, f.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []beheer.Form
	return out, scanAll(rows, func() error {
		var f beheer.Form
		var archived, updated sql.NullInt64
		var fields string
		if err := rows.Scan(&f.ID, &f.Type, &f.ProcessID, &f.Name.NL, &f.Name.EN, &f.Version, &f.VersionID,
			&archived, &updated, &fields, &f.InUse); err != nil {
			return err
		}
		f.ArchivedAt, f.UpdatedAt = fromMS(archived), fromMS(updated)
		if err := json.Unmarshal([]byte(fields), &f.Fields); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
}

// Forms returns every form with the number of requests filed with it.
func (s *Store) Forms(ctx context.Context) ([]beheer.Form, error) {
	var out []beheer.Form
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryForms(ctx, q, "", true)
		return err
	})
	return out, err
}

// Form returns one form at its current version.
func (s *Store) Form(ctx context.Context, id int64) (*beheer.Form, error) {
	var out []beheer.Form
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryForms(ctx, q, ` WHERE f.id = $1`, true, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, beheer.ErrNotFound()
	}
	return &out[0], nil
}

// FormFor returns the form a new request of type t in process is filed
// with, or nil when there is none.
func (s *Store) FormFor(ctx context.Context, t beheer.Type, process int64) (*beheer.Form, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	return beheer.PickForm(o.forms, t, process), nil
}

// CurrentForms returns the active forms at their current versions, from
// the snapshot (no count of their requests).
func (s *Store) CurrentForms(ctx context.Context) ([]beheer.Form, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	var out []beheer.Form
	for _, f := range o.forms {
		if f.Active() {
			out = append(out, f)
		}
	}
	return out, nil
}

// SaveForm creates a form (f.ID 0) or saves a new version of one. version
// is the version the change is based on (0: any); a stale one is refused.
// Requests filed earlier keep the version they were filed with.
func (s *Store) SaveForm(ctx context.Context, actor *beheer.Actor, f beheer.Form, version int64) (*beheer.Form, error) {
	if !beheer.CanManageSettings(actor) {
		return nil, beheer.Refusal(beheer.PermSettingsManage)
	}
	if err := beheer.ValidateForm(&f); err != nil {
		return nil, err
	}
	fields, err := json.Marshal(f.Fields)
	if err != nil {
		return nil, err
	}
	err = s.writeOrg(ctx, func(t *tx) error {
		forms, err := queryForms(ctx, t, "", false)
		if err != nil {
			return err
		}
		if err := t.checkFormProcess(ctx, f.ProcessID); err != nil {
			return err
		}
		if err := beheer.CheckFormScope(forms, &f); err != nil {
			return err
		}
		now := ms(t.now)
		before := ""
		if f.ID == 0 {
			f.Version = 1
			if err := t.QueryRowContext(ctx, `INSERT INTO forms (type, process_id, name_nl, name_en, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, f.Type, nullID(f.ProcessID), f.Name.NL, f.Name.EN, now).Scan(&f.ID); err != nil {
				return err
			}
		} else {
			i := slices.IndexFunc(forms, func(o beheer.Form) bool { return o.ID == f.ID })
			if i < 0 {
				return beheer.ErrNotFound()
			}
			old := forms[i]
			if version != 0 && version != old.Version {
				return beheer.Errorf(beheer.CodePreconditionFailed, "error.precondition_failed")
			}
			f.Version, f.ArchivedAt = old.Version+1, old.ArchivedAt
			before = strconv.FormatInt(old.Version, 10)
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO form_versions (form_id, number, fields, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, f.ID, f.Version, string(fields), nullID(actor.UserID), now).Scan(&f.VersionID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE forms SET type = $1, process_id = $2, name_nl = $3, name_en = $4, version = $5,
			version_id = $6, updated_at = $7 WHERE id = $8`, f.Type, nullID(f.ProcessID), f.Name.NL, f.Name.EN, f.Version,
			f.VersionID, now, f.ID); err != nil {
			return err
		}
		f.UpdatedAt = asStored(t.now)
		return t.auditOrg(ctx, actor, "form.saved", "form:"+itoa(f.ID), "version", before, itoa(f.Version))
	})
	if err != nil {
		return nil, err
	}
	return s.Form(ctx, f.ID)
}

// checkFormProcess refuses a form for a process that does not exist.
func (t *tx) checkFormProcess(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM processes WHERE id = $1`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return beheer.Invalid("process", "field.process_not_found")
	}
	return nil
}

// ArchiveForm stops (archived) or resumes offering a form for new
// requests; requests filed with it keep it.
func (s *Store) ArchiveForm(ctx context.Context, actor *beheer.Actor, id int64, archived bool) (*beheer.Form, error) {
	if !beheer.CanManageSettings(actor) {
		return nil, beheer.Refusal(beheer.PermSettingsManage)
	}
	err := s.writeOrg(ctx, func(t *tx) error {
		forms, err := queryForms(ctx, t, "", false)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(forms, func(o beheer.Form) bool { return o.ID == id })
		if i < 0 {
			return beheer.ErrNotFound()
		}
		f := forms[i]
		var at any
		if archived {
			at = ms(t.now)
		} else if err := beheer.CheckFormScope(forms, &f); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE forms SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, ms(t.now), id); err != nil {
			return err
		}
		return t.auditOrg(ctx, actor, "form.archived", "form:"+itoa(id), "archived", boolText(!f.Active()), boolText(archived))
	})
	if err != nil {
		return nil, err
	}
	return s.Form(ctx, id)
}

// DeleteForm removes a form nobody filed a request with; a form in use is
// refused (archive it instead).
func (s *Store) DeleteForm(ctx context.Context, actor *beheer.Actor, id int64) error {
	if !beheer.CanManageSettings(actor) {
		return beheer.Refusal(beheer.PermSettingsManage)
	}
	return s.writeOrg(ctx, func(t *tx) error {
		forms, err := queryForms(ctx, t, ` WHERE f.id = $1`, true, id)
		if err != nil {
			return err
		}
		if len(forms) == 0 {
			return beheer.ErrNotFound()
		}
		if err := beheer.CheckFormDelete(&forms[0]); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE forms SET version_id = NULL WHERE id = $1`, id); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM form_versions WHERE form_id = $1`, `DELETE FROM forms WHERE id = $1`} {
			if _, err := t.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return t.auditOrg(ctx, actor, "form.deleted", "form:"+itoa(id), "name", forms[0].Name.NL, "")
	})
}

// auditOrg writes one audit row about the organisation's set-up.
func (t *tx) auditOrg(ctx context.Context, actor *beheer.Actor, action, subject, field, before, after string) error {
	return t.auditChanges(ctx, actor, action, subject, [][3]string{{field, before, after}})
}

// formAnswers checks the answers of a new request against the form picked
// from the snapshot o, before the write: people are looked up now, places
// in the snapshot. It returns the form (nil: none), the typed answers and
// the texts they add to the request's search terms, so that filing through
// a form reads each named person once and nothing else.
func (s *Store) formAnswers(ctx context.Context, o *orgSnapshot, n *beheer.NewRequest) (*beheer.Form, []beheer.Answer, []string, error) {
	f := beheer.PickForm(o.forms, n.Type, n.ProcessID)
	if f == nil {
		if len(n.Answers) > 0 {
			return nil, nil, nil, beheer.Invalid("answers", "form.no_form")
		}
		return nil, nil, nil, nil
	}
	people := map[int64]string{} // the active people named, by id
	look := beheer.AnswerLookup{
		Person: func(id int64) bool {
			name, ok := s.activePerson(ctx, id)
			if ok {
				people[id] = name
			}
			return ok
		},
		Place: o.openPlace,
	}
	for _, u := range n.Attachments {
		look.Files = append(look.Files, u.Name)
	}
	answers, err := beheer.CheckAnswers(f.Fields, n.Answers, look)
	if err != nil {
		return nil, nil, nil, err
	}
	texts := beheer.AnswerTexts(f.Fields, answers, func(k beheer.FieldKind, v string) string {
		if k == beheer.FieldPerson {
			id, _ := strconv.ParseInt(v, 10, 64)
			return people[id]
		}
		return o.placeName(v)
	})
	return f, answers, texts, nil
}

// activePerson returns the name of the active person id; false when there
// is none. The token cache remembers it (authcache.go).
func (s *Store) activePerson(ctx context.Context, id int64) (string, bool) {
	e, fresh, gen, _ := s.cached(ctx, personKey(id)) // on an error, read
	if fresh {
		return e.name, true
	}
	var name string
	var changes int64
	err := s.read(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT `+s.changesColumn()+`, name FROM users WHERE id = $1 AND active`, id).Scan(&changes, &name)
	})
	if err != nil {
		return "", false
	}
	s.auth.put(personKey(id), gen, authEntry{name: name, changes: changes}, time.Now())
	return name, true
}

// formStill refuses, inside the write, filing with a form version that is
// no longer its form's current one or whose form was archived meanwhile.
func (t *tx) formStill(ctx context.Context, versionID int64) error {
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM forms WHERE version_id = $1 AND archived_at IS NULL`, versionID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return beheer.Errorf(beheer.CodeConflict, "form.changed")
	}
	return nil
}

// writeAnswers stores a request's answers, one row per value, in one
// statement.
func (t *tx) writeAnswers(ctx context.Context, id int64, answers []beheer.Answer) error {
	var q query
	insert := t.s.dialect.answersInto(&q, q.arg(id), "", answers)
	if insert == "" {
		return nil
	}
	_, err := t.ExecContext(ctx, insert, q.args...)
	return err
}

// queryAnswers reads a request's answers in the order of its form's
// fields, with those fields.
func queryAnswers(ctx context.Context, q querier, id, versionID int64) ([]beheer.FormField, []beheer.Answer, error) {
	var raw string
	if err := q.QueryRowContext(ctx, `SELECT fields FROM form_versions WHERE id = $1`, versionID).Scan(&raw); err != nil {
		return nil, nil, err
	}
	var fields []beheer.FormField
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return nil, nil, err
	}
	answers, err := queryAnswersOf(ctx, q, id, fields)
	return fields, answers, err
}

// queryAnswersOf reads a request's answers to fields, in their order.
func queryAnswersOf(ctx context.Context, q querier, id int64, fields []beheer.FormField) ([]beheer.Answer, error) {
	rows, err := q.QueryContext(ctx, `SELECT field, value, num FROM request_answers WHERE request_id = $1 ORDER BY field, position`, id)
	if err != nil {
		return nil, err
	}
	byField := answerRows{}
	err = scanAll(rows, func() error {
		var field, value string
		var num sql.NullFloat64
		if err := rows.Scan(&field, &value, &num); err != nil {
			return err
		}
		byField.add(field, value, num)
		return nil
	})
	return byField.inOrder(fields), err
}

// Answers returns the fields of the form version a request was filed with
// and its answers; nothing for a request filed without a form.
func (s *Store) Answers(ctx context.Context, actor *beheer.Actor, id int64) ([]beheer.FormField, []beheer.Answer, error) {
	r, _, err := s.visible(ctx, actor, id)
	if err != nil || r.FormVersionID == 0 {
		return nil, nil, err
	}
	return s.AnswersOf(ctx, r)
}

// AnswersOf is Answers for a request Request or Requests returned to the
// person asking, so the read of the request and the check who may read
// it are not done twice.
func (s *Store) AnswersOf(ctx context.Context, r *beheer.Request) ([]beheer.FormField, []beheer.Answer, error) {
	if r.FormVersionID == 0 {
		return nil, nil, nil
	}
	var a Answered
	err := s.read(ctx, func(q querier) error { return s.readAnswers(ctx, q, r, &a) })
	return a.Fields, a.Answers, err
}

// Answered is a request's answers with the fields of the form version it
// was filed with; empty for a request filed without a form.
type Answered struct {
	Fields  []beheer.FormField
	Answers []beheer.Answer
}

// RequestAnswered is Request with the request's answers, in one read.
func (s *Store) RequestAnswered(ctx context.Context, actor *beheer.Actor, id int64) (*beheer.Request, beheer.Facts, Answered, error) {
	var a Answered
	r, f, err := s.visibleThen(ctx, actor, id, func(q querier, r *beheer.Request) error {
		if r.FormVersionID == 0 {
			return nil
		}
		return s.readAnswers(ctx, q, r, &a)
	})
	return r, f, a, err
}

// readAnswers reads r's answers into a: remembered by r's version
// (answercache.go), or read, a request filed with its form's current
// version (nearly every one) taking that version's fields from the cached
// organisation (versions never change).
func (s *Store) readAnswers(ctx context.Context, q querier, r *beheer.Request, a *Answered) error {
	if cached, ok := s.answers.get(r.ID, r.Version); ok {
		*a = cached
		return nil
	}
	o, err := s.org(ctx)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(o.forms, func(f beheer.Form) bool { return f.VersionID == r.FormVersionID }); i >= 0 {
		a.Fields = o.forms[i].Fields
		a.Answers, err = queryAnswersOf(ctx, q, r.ID, a.Fields)
	} else {
		a.Fields, a.Answers, err = queryAnswers(ctx, q, r.ID, r.FormVersionID)
	}
	if err == nil {
		s.answers.put(r.ID, r.Version, *a)
	}
	return err
}

// UpdateAnswers changes a request's answers, checked against the form
// version it was filed with: by those who manage the request, or by its
// requester while it is in Aanvraag. Every changed answer is audited and
// shows in the timeline. version is the request's version the change is
// based on (0: any).
func (s *Store) UpdateAnswers(ctx context.Context, actor *beheer.Actor, id, version int64, in map[string][]string) (*beheer.Request, error) {
	err := s.write(ctx, func(t *tx) error {
		r, _, err := t.lockVersion(ctx, actor, id, version)
		if err != nil {
			return err
		}
		if !beheer.CanEditAnswers(actor, r) {
			return beheer.ErrForbidden("")
		}
		if r.FormVersionID == 0 {
			return beheer.Invalid("answers", "form.no_form")
		}
		fields, before, err := queryAnswers(ctx, t, id, r.FormVersionID)
		if err != nil {
			return err
		}
		o := &orgSnapshot{}
		if err := o.load(ctx, t); err != nil {
			return err
		}
		files, err := t.attachmentNames(ctx, id)
		if err != nil {
			return err
		}
		// What an answer named stays valid after its person left or its
		// area or process was archived; only naming them anew is refused.
		held := beheer.HeldAnswers(before)
		after, err := beheer.CheckAnswers(fields, in, beheer.AnswerLookup{
			Person: func(pid int64) bool {
				var n int
				return held.Person(pid) || t.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND active`, pid).Scan(&n) == nil && n > 0
			},
			Place: func(area, process int64) bool { return held.Place(area, process) || o.openPlace(area, process) },
			Files: files,
		})
		if err != nil {
			return err
		}
		changes := beheer.DiffAnswers(fields, before, after)
		if len(changes) == 0 {
			return nil
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM request_answers WHERE request_id = $1`, id); err != nil {
			return err
		}
		if err := t.writeAnswers(ctx, id, after); err != nil {
			return err
		}
		for _, c := range changes {
			if err := t.audit(ctx, actor, id, "request.updated", "answer."+c.Field, c.Before, c.After, false); err != nil {
				return err
			}
		}
		texts, err := answerTerms(ctx, t, fields, after)
		if err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `UPDATE requests SET version = version + 1, updated_at = $1, search_terms = $2 WHERE id = $3`,
			ms(t.now), requestTerms(r.Title, r.Description, texts, t.s.dialect.answerKeys(after)), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	r, _, err := s.visible(ctx, actor, id)
	return r, err
}

// attachmentNames lists the names of a request's attachments.
func (t *tx) attachmentNames(ctx context.Context, id int64) ([]string, error) {
	rows, err := t.QueryContext(ctx, `SELECT name FROM attachments WHERE request_id = $1`, id)
	if err != nil {
		return nil, err
	}
	var out []string
	return out, scanAll(rows, func() error {
		var n string
		err := rows.Scan(&n)
		out = append(out, n)
		return err
	})
}

// answerFilter is the condition for answer.<field>=<value> in a list: the
// value normalised as the field's kind stores it (found in any form
// sharing the name), so ja matches true and 01-03-2026 matches 2026-03-01.
func answerFilter(forms []beheer.Form, field, value string) string {
	for i := range forms {
		if fd := forms[i].Field(field); fd != nil {
			return beheer.NormaliseAnswer(fd, value)
		}
	}
	return strings.TrimSpace(value)
}

// answerTerms are the texts a request's answers add to its search terms
// (beheer.AnswerTexts), people and places by their names.
func answerTerms(ctx context.Context, q querier, fields []beheer.FormField, answers []beheer.Answer) ([]string, error) {
	var err error
	texts := beheer.AnswerTexts(fields, answers, func(k beheer.FieldKind, v string) string {
		var name string
		var e error
		switch k {
		case beheer.FieldPerson:
			id, _ := strconv.ParseInt(v, 10, 64)
			e = q.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&name)
		case beheer.FieldPlace:
			area, process, _ := beheer.ParsePlace(v)
			e = q.QueryRowContext(ctx, `SELECT a.name || ' ' || COALESCE((SELECT p.name FROM processes p WHERE p.id = $2), '')
				FROM areas a WHERE a.id = $1`, area, process).Scan(&name)
		}
		if e != nil && !errors.Is(e, sql.ErrNoRows) && err == nil {
			err = e
		}
		return name
	})
	return texts, err
}

// storedAnswerTerms are request id's stored answers, filed with form
// version versionID (0: none), and their answerTerms.
func storedAnswerTerms(ctx context.Context, q querier, id, versionID int64) ([]beheer.Answer, []string, error) {
	if versionID == 0 {
		return nil, nil, nil
	}
	fields, answers, err := queryAnswers(ctx, q, id, versionID)
	if err != nil {
		return nil, nil, err
	}
	texts, err := answerTerms(ctx, q, fields, answers)
	return answers, texts, err
}
