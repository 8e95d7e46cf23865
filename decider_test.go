package beheer

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// The people of the decider tables beyond helpers_test.go's.
const (
	idOwner  int64 = 30 // owns the request's process, holds no role for its area
	idDeputy int64 = 31 // stands in for the key user
	idBoardA int64 = 32 // named in an approval rule
	idBoardB int64 = 33
	idBoardC int64 = 34
)

func isoDay(s string) time.Time {
	t, ok := ParseDay(s)
	if !ok {
		panic(s)
	}
	return t
}

// TestNewPanel: the area's rule where it can be met, else the key users,
// else the process owner, else the functional admins of all areas; without
// an area nobody.
func TestNewPanel(t *testing.T) {
	quorum := &ApprovalRule{Mode: ApprovalQuorum, Required: 2, Deciders: []int64{idBoardA, idBoardB, idBoardC}}
	all := &ApprovalRule{Mode: ApprovalAll, Deciders: []int64{idBoardA, idBoardB}}
	unmet := &ApprovalRule{Mode: ApprovalQuorum, Required: 3, Deciders: []int64{idBoardA, idBoardB}} // one left the organisation
	oneDefault := &ApprovalRule{Mode: ApprovalOne}
	tests := []struct {
		name     string
		c        DeciderCandidates
		source   DeciderSource
		members  []int64
		required int
	}{
		{"key_user/owner/admin", DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser}, ProcessOwner: idOwner, FunctionalAdmins: []int64{idFunc}}, DeciderKeyUser, []int64{idKeyUser}, 1},
		{"two_key_users", DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser, idKeyUserElse}}, DeciderKeyUser, []int64{idKeyUser, idKeyUserElse}, 1},
		{"no_key_user/owner/admin", DeciderCandidates{AreaID: areaOwn, ProcessOwner: idOwner, FunctionalAdmins: []int64{idFunc}}, DeciderProcessOwner, []int64{idOwner}, 1},
		{"no_key_user/no_owner/admin", DeciderCandidates{AreaID: areaOwn, FunctionalAdmins: []int64{idFunc, idFuncElse}}, DeciderAdmin, []int64{idFunc, idFuncElse}, 1},
		{"nobody", DeciderCandidates{AreaID: areaOwn}, DeciderNobody, nil, 1},
		{"no_area", DeciderCandidates{KeyUsers: []int64{idKeyUser}, ProcessOwner: idOwner}, DeciderNobody, nil, 1},
		{"rule/quorum", DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser}, Rule: quorum}, DeciderRule, []int64{idBoardA, idBoardB, idBoardC}, 2},
		{"rule/all", DeciderCandidates{AreaID: areaOwn, ProcessOwner: idOwner, Rule: all}, DeciderRule, []int64{idBoardA, idBoardB}, 2},
		{"rule/unmet/falls_back_to_key_user", DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser}, Rule: unmet}, DeciderKeyUser, []int64{idKeyUser}, 1},
		{"rule/one_unnamed/keeps_default", DeciderCandidates{AreaID: areaOwn, ProcessOwner: idOwner, Rule: oneDefault}, DeciderProcessOwner, []int64{idOwner}, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, tt.source), func(t *testing.T) {
			p := NewPanel(tt.c)
			if p.Source != tt.source || !slices.Equal(p.Members, tt.members) || p.Required != tt.required {
				t.Errorf("got %s %v need %d", p.Source, p.Members, p.Required)
			}
		})
	}
}

// TestPanelOutcome: enough approvals approve, one rejection rejects,
// votes of non-members do not count.
func TestPanelOutcome(t *testing.T) {
	yes := func(id int64) Vote { return Vote{For: id, By: id, Outcome: DecisionApproved} }
	no := func(id int64) Vote { return Vote{For: id, By: id, Outcome: DecisionRejected} }
	board := []int64{idBoardA, idBoardB, idBoardC}
	tests := []struct {
		name     string
		required int
		votes    []Vote
		want     DecisionOutcome
	}{
		{"one/none", 1, nil, ""},
		{"one/yes", 1, []Vote{yes(idBoardA)}, DecisionApproved},
		{"one/no", 1, []Vote{no(idBoardA)}, DecisionRejected},
		{"2of3/one_yes", 2, []Vote{yes(idBoardA)}, ""},
		{"2of3/two_yes", 2, []Vote{yes(idBoardA), yes(idBoardC)}, DecisionApproved},
		{"2of3/yes_no", 2, []Vote{yes(idBoardA), no(idBoardB)}, DecisionRejected},
		{"all/two_of_three", 3, []Vote{yes(idBoardA), yes(idBoardB)}, ""},
		{"all/three", 3, []Vote{yes(idBoardA), yes(idBoardB), yes(idBoardC)}, DecisionApproved},
		{"all/last_says_no", 3, []Vote{yes(idBoardA), yes(idBoardB), no(idBoardC)}, DecisionRejected},
		{"outsider_yes_does_not_count", 1, []Vote{yes(idKeyUser)}, ""},
		{"outsider_no_does_not_count", 1, []Vote{no(idKeyUser)}, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%q", tt.name, tt.want), func(t *testing.T) {
			p := Panel{Members: board, Required: tt.required, Votes: tt.votes}
			if got := p.Outcome(); got != tt.want {
				t.Errorf("Outcome() = %q", got)
			}
		})
	}
}

// TestCheckDecisionDeciders: the deadlock of an area without key user is
// gone (its process owner decides, else a functional admin of all areas),
// deputies decide for who they stand in for during the period only, and a
// rule's deciders vote once each.
func TestCheckDecisionDeciders(t *testing.T) {
	change := request(ofType(TypeChange))
	const why = "Akkoord na overleg"
	noKeyUser := NewPanel(DeciderCandidates{AreaID: areaOwn, ProcessOwner: idOwner, FunctionalAdmins: []int64{idFunc}})
	nobodyButAdmin := NewPanel(DeciderCandidates{AreaID: areaOwn, FunctionalAdmins: []int64{idFunc}})
	withDeputy := NewPanel(DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser}})
	withDeputy.Deputies = []Deputy{{UserID: idKeyUser, DeputyID: idDeputy, From: isoDay("2026-03-09"), Until: isoDay("2026-03-10")}}
	pastDeputy := withDeputy
	pastDeputy.Deputies = []Deputy{{UserID: idKeyUser, DeputyID: idDeputy, From: isoDay("2026-03-01"), Until: isoDay("2026-03-09")}}
	futureDeputy := withDeputy
	futureDeputy.Deputies = []Deputy{{UserID: idKeyUser, DeputyID: idDeputy, From: isoDay("2026-03-11"), Until: isoDay("2026-03-20")}}
	keyUserVoted := withDeputy
	keyUserVoted.Votes = []Vote{{For: idKeyUser, By: idKeyUser, Outcome: DecisionApproved}}
	board := NewPanel(DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser},
		Rule: &ApprovalRule{Mode: ApprovalQuorum, Required: 2, Deciders: []int64{idBoardA, idBoardB, idBoardC}}})
	boardAVoted := board
	boardAVoted.Votes = []Vote{{For: idBoardA, By: idBoardA, Outcome: DecisionApproved}}

	owner := actor(idOwner) // no role at all: the store marks them a decider
	tests := []struct {
		name string
		a    *Actor
		f    Facts
		p    Panel
		want result
	}{
		{"no_key_user/process_owner", owner, Facts{Decider: true}, noKeyUser, allowed},
		{"no_key_user/admin_of_all_areas/not_while_owner", actor(idFunc, role(RoleFunctionalAdmin, 0)), Facts{}, noKeyUser, forbidden("decision.only_key_user")},
		{"no_key_user/no_owner/admin_of_all_areas", actor(idFunc, role(RoleFunctionalAdmin, 0)), Facts{}, nobodyButAdmin, allowed},
		{"no_key_user/no_owner/admin_of_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), Facts{}, nobodyButAdmin, forbidden("decision.only_key_user")},
		{"process_owner/not_when_key_user", owner, Facts{Decider: false}, withDeputy, notFound()},
		{"deputy/in_period", actor(idDeputy, role(RoleKeyUser, areaOther)), Facts{Decider: true}, withDeputy, allowed},
		{"deputy/after_period", actor(idDeputy, role(RoleKeyUser, areaOther)), Facts{}, pastDeputy, notFound()},
		{"deputy/before_period", actor(idDeputy, role(RoleKeyUser, areaOther)), Facts{}, futureDeputy, notFound()},
		{"deputy/after_principal_voted", actor(idDeputy, role(RoleKeyUser, areaOther)), Facts{Decider: true}, keyUserVoted, conflict("decision.already_voted")},
		{"key_user/with_deputy_away", actor(idKeyUser, role(RoleKeyUser, areaOwn)), Facts{}, withDeputy, allowed},
		{"board/member", actor(idBoardA, role(RoleKeyUser, areaOwn)), Facts{}, board, allowed},
		{"board/key_user_not_member", actor(idKeyUser, role(RoleKeyUser, areaOwn)), Facts{}, board, forbidden("decision.only_key_user")},
		{"board/second_vote", actor(idBoardA, role(RoleKeyUser, areaOwn)), Facts{}, boardAVoted, conflict("decision.already_voted")},
		{"board/other_member_after_first", actor(idBoardB, role(RoleKeyUser, areaOwn)), Facts{}, boardAVoted, allowed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckDecision(tt.a, change, tt.f, &tt.p, testNow, DecisionApproved, why), tt.want)
		})
	}
}

// TestSpeaksFor: who a vote is recorded for.
func TestSpeaksFor(t *testing.T) {
	p := NewPanel(DeciderCandidates{AreaID: areaOwn, KeyUsers: []int64{idKeyUser, idKeyUserElse}})
	p.Deputies = []Deputy{{UserID: idKeyUser, DeputyID: idDeputy, From: isoDay("2026-03-10"), Until: isoDay("2026-03-10")}}
	for _, tt := range []struct {
		user int64
		want int64
		ok   bool
	}{{idKeyUser, idKeyUser, true}, {idDeputy, idKeyUser, true}, {idKeyUserElse, idKeyUserElse, true}, {idFunc, 0, false}} {
		t.Run(fmt.Sprintf("%d→%d", tt.user, tt.want), func(t *testing.T) {
			got, ok := p.SpeaksFor(tt.user, testNow)
			if got != tt.want || ok != tt.ok {
				t.Errorf("SpeaksFor = %d, %v", got, ok)
			}
		})
	}
}

// TestApprovalRuleValidate: bad rules are refused by field.
func TestApprovalRuleValidate(t *testing.T) {
	tests := []struct {
		name string
		r    ApprovalRule
		want result
	}{
		{"one/default", ApprovalRule{Mode: ApprovalOne}, allowed},
		{"one/named", ApprovalRule{Mode: ApprovalOne, Deciders: []int64{idBoardA}}, allowed},
		{"all/two", ApprovalRule{Mode: ApprovalAll, Deciders: []int64{idBoardA, idBoardB}}, allowed},
		{"all/one", ApprovalRule{Mode: ApprovalAll, Deciders: []int64{idBoardA}}, invalid("deciders")},
		{"quorum/2of3", ApprovalRule{Mode: ApprovalQuorum, Required: 2, Deciders: []int64{idBoardA, idBoardB, idBoardC}}, allowed},
		{"quorum/4of3", ApprovalRule{Mode: ApprovalQuorum, Required: 4, Deciders: []int64{idBoardA, idBoardB, idBoardC}}, invalid("required")},
		{"quorum/0of3", ApprovalRule{Mode: ApprovalQuorum, Required: 0, Deciders: []int64{idBoardA, idBoardB, idBoardC}}, invalid("required")},
		{"quorum/one_decider", ApprovalRule{Mode: ApprovalQuorum, Required: 1, Deciders: []int64{idBoardA}}, invalid("deciders")},
		{"twice", ApprovalRule{Mode: ApprovalAll, Deciders: []int64{idBoardA, idBoardA}}, invalid("deciders")},
		{"unknown_mode", ApprovalRule{Mode: "most"}, invalid("mode")},
		{"empty_mode", ApprovalRule{}, invalid("mode")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", tt.r.Validate(), tt.want)
		})
	}
}

// TestCheckDeputy: the period, the deputy's role and who may set it.
func TestCheckDeputy(t *testing.T) {
	me := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	deputyUser := &User{ID: idDeputy, Name: "Vera", Active: true, Roles: []Assignment{role(RoleKeyUser, areaOther)}}
	plain := &User{ID: idPlainUser, Name: "Piet", Active: true}
	gone := &User{ID: idDeputy, Name: "Vera", Active: false, Roles: deputyUser.Roles}
	d := func(user, deputy int64, from, until string) Deputy {
		out := Deputy{UserID: user, DeputyID: deputy}
		if from != "" {
			out.From = isoDay(from)
		}
		if until != "" {
			out.Until = isoDay(until)
		}
		return out
	}
	tests := []struct {
		name string
		a    *Actor
		d    Deputy
		u    *User
		want result
	}{
		{"own/ok", me, d(idKeyUser, idDeputy, "2026-07-01", "2026-07-21"), deputyUser, allowed},
		{"own/one_day", me, d(idKeyUser, idDeputy, "2026-07-01", "2026-07-01"), deputyUser, allowed},
		{"own/ends_before_start", me, d(idKeyUser, idDeputy, "2026-07-21", "2026-07-01"), deputyUser, invalid("until")},
		{"own/no_dates", me, d(idKeyUser, idDeputy, "", ""), deputyUser, invalid("from")},
		{"own/longer_than_a_year", me, d(idKeyUser, idDeputy, "2026-01-01", "2027-06-01"), deputyUser, invalid("until")},
		{"own/deputy_without_role", me, d(idKeyUser, idPlainUser, "2026-07-01", "2026-07-21"), plain, invalid("deputy_id")},
		{"own/deputy_inactive", me, d(idKeyUser, idDeputy, "2026-07-01", "2026-07-21"), gone, invalid("deputy_id")},
		{"own/deputy_unknown", me, d(idKeyUser, 999, "2026-07-01", "2026-07-21"), nil, invalid("deputy_id")},
		{"own/self", me, d(idKeyUser, idKeyUser, "2026-07-01", "2026-07-21"), &User{ID: idKeyUser, Active: true, Roles: me.Roles}, invalid("deputy_id")},
		{"someone_else/key_user", me, d(idKeyUserElse, idDeputy, "2026-07-01", "2026-07-21"), deputyUser, forbidden("deputy.forbidden")},
		{"someone_else/admin_of_all_areas", actor(idFunc, role(RoleFunctionalAdmin, 0)), d(idKeyUser, idDeputy, "2026-07-01", "2026-07-21"), deputyUser, allowed},
		{"someone_else/admin_of_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), d(idKeyUser, idDeputy, "2026-07-01", "2026-07-21"), deputyUser, forbidden("deputy.forbidden")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckDeputy(tt.a, tt.d, tt.u), tt.want)
		})
	}
}

// TestCheckDecisionLink: a link is the addressee's, once, until it expires.
func TestCheckDecisionLink(t *testing.T) {
	me := actor(idKeyUser, role(RoleKeyUser, areaOwn))
	live := DecisionLink{Found: true, RequestID: 100, UserID: idKeyUser, ExpiresAt: testNow.Add(time.Hour)}
	used := live
	used.UsedAt = testNow.Add(-time.Minute)
	expired := live
	expired.ExpiresAt = testNow
	tests := []struct {
		name string
		a    *Actor
		l    DecisionLink
		want result
	}{
		{"live", me, live, allowed},
		{"unknown", me, DecisionLink{}, result{Code: CodeNotFound, Key: "decision_link.unknown"}},
		{"someone_else", actor(idKeyUserElse, role(RoleKeyUser, areaOwn)), live, forbidden("decision_link.other_person")},
		{"signed_out", nil, live, forbidden("decision_link.other_person")},
		{"used", me, used, conflict("decision_link.used")},
		{"expired", me, expired, conflict("decision_link.expired")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckDecisionLink(tt.a, tt.l, testNow), tt.want)
		})
	}
}
