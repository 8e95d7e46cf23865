package beheer

import (
	"slices"
	"testing"
)

// TestFollowerReads: a follower reads the request's public side — never
// its internal notes — and may not comment, move or change it.
func TestFollowerReads(t *testing.T) {
	r := request()
	follower := actor(idPlainUser)
	f := Facts{Follows: true}
	if !CanRead(follower, r, f) {
		t.Fatal("a follower reads the request")
	}
	if CanRead(follower, r, Facts{}) {
		t.Fatal("without following, a plain user does not")
	}
	if CanSeeInternal(follower, r, f) {
		t.Error("a follower sees internal notes")
	}
	expect(t, "", CheckComment(follower, r, f, false), forbidden("comment.forbidden"))
	expect(t, "", CheckComment(follower, r, f, true), forbidden("comment.internal_forbidden"))
	expect(t, "", CheckTransition(follower, r, f, Transition{To: PhaseExecution}, testNow, DefaultPolicy()), forbidden("transition.only_manager"))
	t.Run("staff of another area", func(t *testing.T) {
		key := actor(idKeyUserElse, role(RoleKeyUser, areaOther))
		if !CanRead(key, r, f) || CanSeeInternal(key, r, f) {
			t.Error("following gives the public side only, whatever roles elsewhere")
		}
	})
}

func TestCheckFollow(t *testing.T) {
	colleague := &User{ID: 40, Name: "Collega", Active: true}
	gone := &User{ID: 41, Name: "Uit dienst", Active: false}
	requester := &User{ID: idRequester, Active: true}
	for _, c := range []struct {
		name   string
		who    string
		facts  Facts
		person *User
		want   result
	}{
		{"requester adds a colleague", "requester", Facts{}, colleague, allowed},
		{"manager adds a colleague", "functional_admin/own_area", Facts{}, colleague, allowed},
		{"key user follows themselves", "key_user/own_area", Facts{}, &User{ID: idKeyUser, Active: true}, allowed},
		{"key user adds someone else", "key_user/own_area", Facts{}, colleague, forbidden("follow.forbidden")},
		{"management follows themselves", "management", Facts{}, &User{ID: idManagement, Active: true}, forbidden("follow.forbidden")},
		{"a plain user follows themselves", "other_user", Facts{Follows: true}, &User{ID: idPlainUser, Active: true}, forbidden("follow.forbidden")},
		{"a follower adds someone else", "other_user", Facts{Follows: true}, colleague, forbidden("follow.forbidden")},
		{"a stranger", "other_user", Facts{}, colleague, notFound()},
		{"not an active person", "requester", Facts{}, gone, invalid("user")},
		{"nobody", "requester", Facts{}, nil, invalid("user")},
		{"the requester themselves", "functional_admin/own_area", Facts{}, requester, invalid("user")},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := personNamed(t, c.who).actor
			expect(t, "", CheckFollow(a, request(), c.facts, c.person), c.want)
		})
	}
	t.Run("unfollow", func(t *testing.T) {
		expect(t, "", CheckUnfollow(actor(idPlainUser), request(), Facts{Follows: true}, idPlainUser), allowed)
		expect(t, "", CheckUnfollow(actor(idPlainUser), request(), Facts{Follows: true}, 40), forbidden("follow.forbidden"))
		expect(t, "", CheckUnfollow(actor(idRequester), request(), Facts{}, 40), allowed)
	})
}

func TestCanFollowArea(t *testing.T) {
	for _, c := range []struct {
		who  string
		area int64
		want bool
	}{
		{"key_user/own_area", areaOwn, true},
		{"key_user/own_area", areaOther, false},
		{"key_user/other_area", areaOwn, false},
		{"functional_admin/unscoped", areaOther, true},
		{"requester", areaOwn, false},
		{"functional_admin/unscoped", 0, false},
	} {
		if got := CanFollowArea(personNamed(t, c.who).actor, c.area); got != c.want {
			t.Errorf("%s area %d: %v, want %v", c.who, c.area, got, c.want)
		}
	}
}

func TestMentions(t *testing.T) {
	for _, c := range []struct {
		body string
		want []string
	}{
		{"@mark kun jij kijken?", []string{"mark"}},
		{"Vraag aan @Mark.Jansen en @sanne.", []string{"mark.jansen", "sanne"}},
		{"Mail naar jan@voorbeeld.nl", nil},
		{"(@piet) en @piet en @PIET", []string{"piet"}},
		{"@ los", nil},
		{"", nil},
	} {
		if got := Mentions(c.body); !slices.Equal(got, c.want) {
			t.Errorf("Mentions(%q) = %v, want %v", c.body, got, c.want)
		}
	}
	if Handle("Mark.Jansen@Voorbeeld.nl") != "mark.jansen" {
		t.Error("Handle")
	}
}

// TestMentionReaches: a mention reaches only a person who may read the
// comment it is in.
func TestMentionReaches(t *testing.T) {
	for _, c := range []struct {
		who              string
		facts            Facts
		public, internal bool
	}{
		{"functional_admin/own_area", Facts{}, true, true},
		{"key_user/own_area", Facts{}, true, true},
		{"key_user/other_area", Facts{}, false, false},
		{"technical_admin/other_area+task", Facts{HasTask: true}, true, true},
		{"other_user", Facts{}, false, false},
		{"other_user", Facts{Follows: true}, true, false},
		{"requester", Facts{}, true, false},
	} {
		p := personNamed(t, c.who)
		if got := MentionReaches(p.actor, request(), c.facts, false); got != c.public {
			t.Errorf("%s %+v public: %v", c.who, c.facts, got)
		}
		if got := MentionReaches(p.actor, request(), c.facts, true); got != c.internal {
			t.Errorf("%s %+v internal: %v", c.who, c.facts, got)
		}
	}
}
