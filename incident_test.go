package beheer

import "testing"

func TestCheckDuplicate(t *testing.T) {
	manager := actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn))
	dup := request()
	orig := request(func(r *Request) { r.ID, r.Number = 200, "2026-0200" })
	for _, c := range []struct {
		name      string
		a         *Actor
		dup, orig *Request
		dj, oj    Joins
		df        Facts
		want      result
	}{
		{"a duplicate", manager, dup, orig, Joins{}, Joins{}, Facts{}, allowed},
		{"of itself", manager, dup, dup, Joins{}, Joins{}, Facts{}, invalid("original")},
		{"of its own duplicate", manager, dup, orig, Joins{}, Joins{DuplicateOf: dup.ID}, Facts{}, invalid("original")},
		{"of a duplicate", manager, dup, orig, Joins{}, Joins{DuplicateOf: 300}, Facts{}, invalid("original")},
		{"of a closed request", manager, dup, request(func(r *Request) { r.ID = 200; r.Phase = PhaseClosed }), Joins{}, Joins{}, Facts{}, invalid("original")},
		{"of one the manager cannot read", manager, dup, request(func(r *Request) { r.ID = 200; r.AreaID = areaOther }), Joins{}, Joins{}, Facts{}, invalid("original")},
		{"of nothing", manager, dup, nil, Joins{}, Joins{}, Facts{}, invalid("original")},
		{"by the requester", actor(idRequester), dup, orig, Joins{}, Joins{}, Facts{}, forbidden("duplicate.forbidden")},
		{"by a stranger", actor(idPlainUser), dup, orig, Joins{}, Joins{}, Facts{}, notFound()},
		{"a closed request", manager, request(inPhase(PhaseClosed)), orig, Joins{}, Joins{}, Facts{}, conflict("request.not_open")},
		{"a parent incident", manager, dup, orig, Joins{IsParent: true}, Joins{}, Facts{}, conflict("duplicate.is_parent")},
		{"with an open task", manager, dup, orig, Joins{}, Joins{}, Facts{OpenTasks: 1}, conflict("transition.open_tasks")},
	} {
		t.Run(c.name, func(t *testing.T) {
			expect(t, "", CheckDuplicate(c.a, c.dup, c.df, c.dj, c.orig, Facts{}, c.oj), c.want)
		})
	}
	t.Run("the cycle's message names it", func(t *testing.T) {
		err := CheckDuplicate(manager, dup, Facts{}, Joins{}, orig, Facts{}, Joins{DuplicateOf: dup.ID}).(*Error)
		if err.Fields[0].Key != "duplicate.cycle" {
			t.Errorf("key %s", err.Fields[0].Key)
		}
	})
}

func TestParentIncidentRules(t *testing.T) {
	manager := actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn))
	parent := request(func(r *Request) { r.ID, r.Number = 200, "2026-0200" })
	child := request()
	t.Run("make parent", func(t *testing.T) {
		expect(t, "", CheckMakeParent(manager, parent, Facts{}, Joins{}, "AFAS-update 12 maart: verlof"), allowed)
		expect(t, "", CheckMakeParent(manager, parent, Facts{}, Joins{}, " "), invalid("summary"))
		expect(t, "", CheckMakeParent(actor(idRequester), parent, Facts{}, Joins{}, "x"), forbidden("parent.forbidden"))
		expect(t, "", CheckMakeParent(manager, parent, Facts{}, Joins{ParentID: 1}, "x"), conflict("parent.is_child"))
		expect(t, "", CheckMakeParent(manager, request(inPhase(PhaseClosed)), Facts{}, Joins{}, "x"), conflict("request.not_open"))
	})
	for _, c := range []struct {
		name          string
		child, parent *Request
		cj, pj        Joins
		want          result
	}{
		{"join", child, parent, Joins{}, Joins{IsParent: true}, allowed},
		{"to itself", child, child, Joins{}, Joins{IsParent: true}, invalid("parent")},
		{"to no parent", child, parent, Joins{}, Joins{}, invalid("parent")},
		{"to a closed parent", child, request(func(r *Request) { r.ID = 200; r.Phase = PhaseClosed }), Joins{}, Joins{IsParent: true}, invalid("parent")},
		{"a parent to a parent", child, parent, Joins{IsParent: true}, Joins{IsParent: true}, conflict("parent.child_is_parent")},
		{"twice", child, parent, Joins{ParentID: 200}, Joins{IsParent: true}, conflict("parent.already_joined")},
	} {
		t.Run(c.name, func(t *testing.T) {
			expect(t, "", CheckJoinParent(manager, c.child, Facts{}, c.cj, c.parent, Facts{}, c.pj), c.want)
		})
	}
	t.Run("join as a person", func(t *testing.T) {
		expect(t, "", CheckJoinAsPerson(actor(idPlainUser), parent, Joins{IsParent: true}), allowed)
		expect(t, "", CheckJoinAsPerson(actor(idPlainUser), parent, Joins{}), notFound())
		expect(t, "", CheckJoinAsPerson(actor(idPlainUser), request(inPhase(PhaseClosed)), Joins{IsParent: true}), conflict("parent.closed"))
	})
	t.Run("ends with the parent", func(t *testing.T) {
		for _, c := range []struct {
			to    Phase
			child *Request
			f     Facts
			want  bool
		}{
			{PhaseClosed, request(inPhase(PhaseIntake)), Facts{}, true},
			{PhaseRejected, request(), Facts{}, true},
			{PhaseWithdrawn, request(), Facts{}, false},
			{PhaseOptimisation, request(), Facts{}, false},
			{PhaseClosed, request(inPhase(PhaseClosed)), Facts{}, false},
			{PhaseClosed, request(), Facts{OpenEscalations: 1}, false},
		} {
			if got := EndsWithParent(c.to, c.child, c.f); got != c.want {
				t.Errorf("to %s from %s %+v: %v", c.to, c.child.Phase, c.f, got)
			}
		}
	})
}
