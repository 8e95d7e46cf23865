package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

	"beheer"
)

// Reading the answers of many requests at once, for a list's export, and
// the names of the people and places answers refer to, for showing them
// (beheer.ShowValue). A list of requests filed without forms costs nothing
// here: no request with a form version, no query.

// AnswerNames are the names of the people and places answers refer to, by
// their stored value: what beheer.AnswerWords.Name looks up.
type AnswerNames struct {
	people map[int64]string
	places map[string]string
}

// Name is the name of the person or place stored as v; "" when unknown.
func (n AnswerNames) Name(k beheer.FieldKind, v string) string {
	switch k {
	case beheer.FieldPerson:
		return n.people[beheer.PersonAnswerID(v)]
	case beheer.FieldPlace:
		return n.places[v]
	}
	return ""
}

// ListAnswers are the answers of a page of requests with what showing them
// needs.
type ListAnswers struct {
	// Versions are the form versions the requests were filed with, each a
	// Form at that version (VersionID, Version, Fields), in no order.
	Versions []beheer.Form
	// ByRequest holds each request's answers in its version's field order;
	// a request without answers is absent.
	ByRequest map[int64][]beheer.Answer
	Names     AnswerNames
}

// Version returns the form version with id versionID, or nil.
func (l *ListAnswers) Version(versionID int64) *beheer.Form {
	i := slices.IndexFunc(l.Versions, func(f beheer.Form) bool { return f.VersionID == versionID })
	if i < 0 {
		return nil
	}
	return &l.Versions[i]
}

// ListAnswers reads the answers of reqs — a page that Requests returned
// for the actor, so only requests the actor may read — in one query, with
// the form versions they were filed with and the names their people and
// places go by: at most three queries a page, whatever its size, and none
// when no request on it was filed with a form.
func (s *Store) ListAnswers(ctx context.Context, reqs []*beheer.Request) (*ListAnswers, error) {
	out := &ListAnswers{ByRequest: map[int64][]beheer.Answer{}}
	var ids, versionIDs []int64
	for _, r := range reqs {
		if r.FormVersionID != 0 {
			ids = append(ids, r.ID)
			if !slices.Contains(versionIDs, r.FormVersionID) {
				versionIDs = append(versionIDs, r.FormVersionID)
			}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	err = s.read(ctx, func(q querier) error {
		if out.Versions, err = queryVersions(ctx, q, versionIDs); err != nil {
			return err
		}
		gathered, err := queryListAnswers(ctx, q, ids)
		if err != nil {
			return err
		}
		var all []beheer.Answer
		for _, r := range reqs {
			v := out.Version(r.FormVersionID)
			if g := gathered[r.ID]; v != nil && g != nil {
				out.ByRequest[r.ID] = g.inOrder(v.Fields)
				all = append(all, out.ByRequest[r.ID]...)
			}
		}
		var people []int64
		out.Names, people = namesFrom(o, all)
		return out.Names.lookPeople(ctx, q, people)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AnswerNames returns the names of the people and places answers refer
// to: one query when a person is among them, none otherwise.
func (s *Store) AnswerNames(ctx context.Context, answers []beheer.Answer) (AnswerNames, error) {
	o, err := s.org(ctx)
	if err != nil {
		return AnswerNames{}, err
	}
	n, people := namesFrom(o, answers)
	if len(people) == 0 {
		return n, nil
	}
	return n, s.read(ctx, func(q querier) error { return n.lookPeople(ctx, q, people) })
}

// namesFrom names the places answers refer to from the organisation
// snapshot, and lists the people they name, each once.
func namesFrom(o *orgSnapshot, answers []beheer.Answer) (AnswerNames, []int64) {
	n := AnswerNames{people: map[int64]string{}, places: map[string]string{}}
	var people []int64
	for _, a := range answers {
		for _, v := range a.Values {
			switch a.Kind {
			case beheer.FieldPerson:
				if id := beheer.PersonAnswerID(v); id > 0 && !slices.Contains(people, id) {
					people = append(people, id)
				}
			case beheer.FieldPlace:
				n.places[v] = o.placeName(v)
			}
		}
	}
	return n, people
}

// lookPeople reads the names of people ids in one query, inactive people
// too: an answer keeps naming whom it named.
func (n AnswerNames) lookPeople(ctx context.Context, q querier, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM users WHERE id IN (`+list+`)`, args...)
	if err != nil {
		return err
	}
	return scanAll(rows, func() error {
		var id int64
		var name string
		err := rows.Scan(&id, &name)
		n.people[id] = name
		return err
	})
}

// placeName is a place answer as a person reads it: the area, or the area
// and the process ("Salarisadministratie – Loonrun"); "" when unknown.
func (o *orgSnapshot) placeName(v string) string {
	areaID, processID, ok := beheer.ParsePlace(v)
	if !ok {
		return ""
	}
	a, ok := o.area(areaID)
	if !ok {
		return ""
	}
	if processID == 0 {
		return a.Name
	}
	if p, ok := o.process(processID); ok {
		return beheer.ProcessName(a, p)
	}
	return a.Name
}

// queryVersions reads form versions by id, each as its form at that
// version.
func queryVersions(ctx context.Context, q querier, ids []int64) ([]beheer.Form, error) {
	list, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.type, COALESCE(f.process_id, 0), f.name_nl, f.name_en, v.number, v.id, v.fields
		FROM form_versions v JOIN forms f ON f.id = v.form_id WHERE v.id IN (`+list+`)`, args...)
	if err != nil {
		return nil, err
	}
	var out []beheer.Form
	return out, scanAll(rows, func() error {
		var f beheer.Form
		var fields string
		if err := rows.Scan(&f.ID, &f.Type, &f.ProcessID, &f.Name.NL, &f.Name.EN, &f.Version, &f.VersionID, &fields); err != nil {
			return err
		}
		out = append(out, f)
		return json.Unmarshal([]byte(fields), &out[len(out)-1].Fields)
	})
}

// queryListAnswers reads the answer rows of the requests ids in one query.
func queryListAnswers(ctx context.Context, q querier, ids []int64) (map[int64]answerRows, error) {
	list, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT request_id, field, value, num FROM request_answers
		WHERE request_id IN (`+list+`) ORDER BY request_id, field, position`, args...)
	if err != nil {
		return nil, err
	}
	out := map[int64]answerRows{}
	return out, scanAll(rows, func() error {
		var id int64
		var field, value string
		var num sql.NullFloat64
		if err := rows.Scan(&id, &field, &value, &num); err != nil {
			return err
		}
		if out[id] == nil {
			out[id] = answerRows{}
		}
		out[id].add(field, value, num)
		return nil
	})
}

// answerRows gathers a request's answer rows (one per value) into its
// answers by field.
type answerRows map[string]*beheer.Answer

// add adds one stored value.
func (g answerRows) add(field, value string, num sql.NullFloat64) {
	a := g[field]
	if a == nil {
		a = &beheer.Answer{Field: field}
		g[field] = a
	}
	a.Values = append(a.Values, value)
	if num.Valid {
		a.Number = &num.Float64
	}
}

// inOrder is the answers in the order of the fields they answer, each
// with its field's kind; answers to fields the version lacks are left out.
func (g answerRows) inOrder(fields []beheer.FormField) []beheer.Answer {
	var out []beheer.Answer
	for _, fd := range fields {
		if a := g[fd.Name]; a != nil {
			a.Kind = fd.Kind
			out = append(out, *a)
		}
	}
	return out
}
