package beheer

import (
	"fmt"
	"testing"
)

// TestLinkKinds: the kinds are a fixed list; each reads one way from the
// request that holds the link and the other way from the other side.
func TestLinkKinds(t *testing.T) {
	for _, k := range []LinkKind{"whatever-i-type", "related", "", "Follows_From"} {
		if k.Valid() {
			t.Errorf("%q is a kind", k)
		}
	}
	seen := map[string]bool{}
	for _, k := range LinkKinds {
		if !k.Valid() {
			t.Errorf("%q is not a kind", k)
		}
		for _, out := range []bool{true, false} {
			l := k.Label(out)
			if seen[l] {
				t.Errorf("label %s twice", l)
			}
			seen[l] = true
		}
	}
	if len(LinkKinds) != 5 {
		t.Errorf("%d kinds, the issue names five", len(LinkKinds))
	}
}

// TestCheckLink is the truth table of linking: who manages the request or
// filed it links it, to another request, with one of the kinds.
func TestCheckLink(t *testing.T) {
	want := map[string]result{
		"requester": allowed, "other_user": notFound(), "key_user/own_area": forbidden("link.forbidden"),
		"key_user/other_area": notFound(), "functional_admin/unscoped": allowed, "functional_admin/own_area": allowed,
		"functional_admin/other_area": notFound(), "technical_admin/own_area": forbidden("link.forbidden"),
		"technical_admin/other_area": notFound(), "technical_admin/other_area+task": forbidden("link.forbidden"),
		"management": forbidden("link.forbidden"), "assignee": forbidden("link.forbidden"),
	}
	for _, p := range people() {
		t.Run(fmt.Sprintf("%s=%s", p.name, outcomeName(want[p.name])), func(t *testing.T) {
			expect(t, "", CheckLink(p.actor, request(), p.facts, 200, LinkFollowsFrom), want[p.name])
		})
	}
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	inputs := []struct {
		name  string
		other int64
		kind  LinkKind
		want  result
	}{
		{"every_kind", 200, LinkCausedBy, allowed},
		{"free_text_kind", 200, "whatever-i-type", invalid("kind")},
		{"no_kind", 200, "", invalid("kind")},
		{"itself", 100, LinkRelatesTo, invalid("other")},
		{"no_other", 0, LinkRelatesTo, invalid("other")},
		{"nothing", 0, "", invalid("kind", "other")},
	}
	for _, tt := range inputs {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckLink(fa, request(), Facts{}, tt.other, tt.kind), tt.want)
		})
	}
}
