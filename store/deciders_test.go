package store_test

import (
	"context"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// decidersOrg is an area without key user whose process has an owner
// without any role, an area with a key user, and the people around them.
type decidersOrg struct {
	noKey, withKey, other                beheer.Area
	owned, unowned                       *beheer.Process
	requester, admin, owner, key, deputy *beheer.User
	keyElse, plain, b1, b2, b3           *beheer.User
}

func newDecidersOrg(t *testing.T, st *store.Store) decidersOrg {
	t.Helper()
	ctx := context.Background()
	var o decidersOrg
	o.noKey = *must(st.CreateArea(ctx, store.System, beheer.Area{Code: "inkoop", Name: "Inkoop"}))
	o.withKey = *must(st.CreateArea(ctx, store.System, beheer.Area{Code: "hr", Name: "HR"}))
	o.other = *must(st.CreateArea(ctx, store.System, beheer.Area{Code: "salaris", Name: "Salaris"}))
	mk := func(email string, roles ...beheer.Assignment) *beheer.User {
		return must(st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: email, Roles: roles}, ""))
	}
	o.requester = mk("anna@voorbeeld.nl")
	o.admin = mk("fleur@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleFunctionalAdmin})
	o.owner = mk("otto@voorbeeld.nl")
	o.key = mk("henk@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: o.withKey.ID})
	o.deputy = mk("vera@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: o.other.ID})
	o.keyElse = mk("karel@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: o.other.ID})
	o.plain = mk("piet@voorbeeld.nl")
	o.b1 = mk("b1@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: o.withKey.ID})
	o.b2 = mk("b2@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: o.withKey.ID})
	o.b3 = mk("b3@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: o.withKey.ID})
	o.owned = must(st.CreateProcess(ctx, o.admin.Actor(), beheer.Process{AreaID: o.noKey.ID, Name: "Bestellingen", OwnerID: o.owner.ID}))
	o.unowned = must(st.CreateProcess(ctx, o.admin.Actor(), beheer.Process{AreaID: o.noKey.ID, Name: "Facturen"}))
	return o
}

// waitingChange files a change request and puts it before its deciders.
func (o decidersOrg) waitingChange(t *testing.T, st *store.Store, area, process int64) *beheer.Request {
	t.Helper()
	ctx := context.Background()
	r := must(st.CreateRequest(ctx, o.requester.Actor(), beheer.NewRequest{Type: beheer.TypeChange,
		Title: "Nieuw veld op de bestelling", AreaID: area, ProcessID: process}))
	must(st.Transition(ctx, o.admin.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
	waiting := beheer.StatusAwaitingDecision
	return must(st.UpdateRequest(ctx, o.admin.Actor(), r.ID, 0, beheer.Patch{Status: &waiting}))
}

func wantCode(t *testing.T, what string, err error, code beheer.Code, key string) {
	t.Helper()
	var be *beheer.Error
	if err == nil || beheer.ErrorCode(err) != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
	if key != "" && (!asError(err, &be) || be.Key != key) {
		t.Fatalf("%s: got %v, want key %s", what, err, key)
	}
}

func asError(err error, be **beheer.Error) bool {
	e, ok := err.(*beheer.Error)
	*be = e
	return ok
}

// TestDecidersNoKeyUser is the deadlock of issue 19 found 1: in an area
// without key user the process owner (who holds no role) reads and decides
// the change, and it moves to Uitvoering; without an owner a functional
// admin of all areas decides.
func TestDecidersNoKeyUser(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDecidersOrg(t, st)
		r := o.waitingChange(t, st, o.noKey.ID, o.owned.ID)

		p := must(st.DecisionPanel(ctx, o.owner.Actor(), r.ID))
		if p.Source != beheer.DeciderProcessOwner || len(p.Members) != 1 || p.Members[0] != o.owner.ID {
			t.Fatalf("panel %+v", p)
		}
		for who, want := range map[*beheer.User]int{o.owner: 1, o.admin: 0, o.plain: 0, o.key: 0} {
			if got := must(st.DecisionsWaiting(ctx, who.Actor(), 20)); len(got) != want || (want == 1 && got[0].ID != r.ID) {
				t.Errorf("%s waits for %d decisions, want %d", who.Email, len(got), want)
			}
		}
		_, err := st.Decide(ctx, o.admin.Actor(), r.ID, beheer.DecisionApproved, "Ik beslis")
		wantCode(t, "admin while an owner decides", err, beheer.CodeForbidden, "decision.only_key_user")
		_, err = st.Decide(ctx, o.plain.Actor(), r.ID, beheer.DecisionApproved, "Ik beslis")
		wantCode(t, "someone else", err, beheer.CodeNotFound, "")
		_, err = st.Decide(ctx, o.owner.Actor(), r.ID, beheer.DecisionApproved, "")
		wantCode(t, "no motivation", err, beheer.CodeInvalid, "")

		d := must(st.Decide(ctx, o.owner.Actor(), r.ID, beheer.DecisionApproved, "Akkoord, past in het budget"))
		if got := must(st.DecisionsWaiting(ctx, o.owner.Actor(), 20)); len(got) != 0 {
			t.Errorf("still waiting after the decision: %d", len(got))
		}
		if d == nil || d.Outcome != beheer.DecisionApproved || d.DeciderID != o.owner.ID {
			t.Fatalf("decision %+v", d)
		}
		moved := must(st.Transition(ctx, o.admin.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseExecution}))
		if moved.Phase != beheer.PhaseExecution {
			t.Fatalf("phase %s", moved.Phase)
		}

		// No owner either: a functional admin of all areas decides.
		r2 := o.waitingChange(t, st, o.noKey.ID, o.unowned.ID)
		if d := must(st.Decide(ctx, o.admin.Actor(), r2.ID, beheer.DecisionRejected, "Niet nodig")); d.Outcome != beheer.DecisionRejected {
			t.Fatalf("decision %+v", d)
		}
		if got, _, _ := st.Request(ctx, o.admin.Actor(), r2.ID); got.Phase != beheer.PhaseRejected {
			t.Fatalf("phase %s", got.Phase)
		}
	})
}

// TestDecidersQuorum: two of three named deciders must approve; each votes
// once; a rejection by one ends it.
func TestDecidersQuorum(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDecidersOrg(t, st)
		rule := beheer.ApprovalRule{AreaID: o.withKey.ID, Mode: beheer.ApprovalQuorum, Required: 4,
			Deciders: []int64{o.b1.ID, o.b2.ID, o.b3.ID}}
		_, err := st.SetApprovalRule(ctx, o.admin.Actor(), rule, 0)
		wantCode(t, "4 of 3", err, beheer.CodeInvalid, "")
		if got := must(st.ApprovalRule(ctx, o.admin.Actor(), o.withKey.ID)); got.Mode != beheer.ApprovalOne || got.Version != 0 {
			t.Fatalf("a refused rule changed the area: %+v", got)
		}
		_, err = st.SetApprovalRule(ctx, o.key.Actor(), rule, 0)
		wantCode(t, "key user sets a rule", err, beheer.CodeForbidden, "")
		rule.Required = 2
		saved := must(st.SetApprovalRule(ctx, o.admin.Actor(), rule, 0))
		_, err = st.SetApprovalRule(ctx, o.admin.Actor(), rule, saved.Version+1)
		wantCode(t, "stale", err, beheer.CodePreconditionFailed, "")

		r := o.waitingChange(t, st, o.withKey.ID, 0)
		_, err = st.Decide(ctx, o.key.Actor(), r.ID, beheer.DecisionApproved, "Ja")
		wantCode(t, "key user outside the rule", err, beheer.CodeForbidden, "decision.only_key_user")
		if d := must(st.Decide(ctx, o.b1.Actor(), r.ID, beheer.DecisionApproved, "Ja")); d != nil {
			t.Fatalf("one of two decided: %+v", d)
		}
		_, err = st.Decide(ctx, o.b1.Actor(), r.ID, beheer.DecisionApproved, "Nog eens ja")
		wantCode(t, "second vote", err, beheer.CodeConflict, "decision.already_voted")
		_, err = st.Transition(ctx, o.admin.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseExecution})
		wantCode(t, "moved on with one of two", err, beheer.CodeConflict, "transition.needs_decision")
		d := must(st.Decide(ctx, o.b3.Actor(), r.ID, beheer.DecisionApproved, "Ook ja"))
		if d == nil || d.Outcome != beheer.DecisionApproved {
			t.Fatalf("two of three: %+v", d)
		}
		p := must(st.DecisionPanel(ctx, o.admin.Actor(), r.ID))
		if len(p.Votes) != 2 || p.Votes[0].By != o.b1.ID || p.Votes[1].By != o.b3.ID || p.Votes[0].At.IsZero() {
			t.Fatalf("votes %+v", p.Votes)
		}

		r2 := o.waitingChange(t, st, o.withKey.ID, 0)
		must(st.Decide(ctx, o.b1.Actor(), r2.ID, beheer.DecisionApproved, "Ja"))
		if d := must(st.Decide(ctx, o.b2.Actor(), r2.ID, beheer.DecisionRejected, "Te duur")); d == nil || d.Outcome != beheer.DecisionRejected {
			t.Fatalf("rejection: %+v", d)
		}
		_, err = st.Decide(ctx, o.b3.Actor(), r2.ID, beheer.DecisionApproved, "Te laat")
		wantCode(t, "after the rejection", err, beheer.CodeConflict, "")
	})
}

// TestDeputies: a key user's deputy decides during the period, recorded on
// behalf of the key user; bad periods and deputies are refused and change
// nothing.
func TestDeputies(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDecidersOrg(t, st)
		today := time.Now().UTC().Truncate(24 * time.Hour)
		bad := []struct {
			name string
			a    *beheer.Actor
			d    beheer.Deputy
			code beheer.Code
		}{
			{"ends before start", o.key.Actor(), beheer.Deputy{UserID: o.key.ID, DeputyID: o.deputy.ID, From: today, Until: today.AddDate(0, 0, -1)}, beheer.CodeInvalid},
			{"deputy without the role", o.key.Actor(), beheer.Deputy{UserID: o.key.ID, DeputyID: o.plain.ID, From: today, Until: today}, beheer.CodeInvalid},
			{"someone else's", o.keyElse.Actor(), beheer.Deputy{UserID: o.key.ID, DeputyID: o.deputy.ID, From: today, Until: today}, beheer.CodeForbidden},
		}
		for _, b := range bad {
			_, err := st.SetDeputy(ctx, b.a, b.d, 0)
			wantCode(t, b.name, err, b.code, "")
		}
		if d := must(st.Deputy(ctx, o.key.Actor(), o.key.ID)); d != nil {
			t.Fatalf("a refused deputy was kept: %+v", d)
		}

		r := o.waitingChange(t, st, o.withKey.ID, 0)
		_, err := st.Decide(ctx, o.deputy.Actor(), r.ID, beheer.DecisionApproved, "Namens Henk")
		wantCode(t, "deputy before being set", err, beheer.CodeNotFound, "")
		set := must(st.SetDeputy(ctx, o.key.Actor(), beheer.Deputy{UserID: o.key.ID, DeputyID: o.deputy.ID,
			From: today.AddDate(0, 0, -1), Until: today.AddDate(0, 0, 7)}, 0))
		if got := must(st.DecisionsWaiting(ctx, o.deputy.Actor(), 20)); len(got) != 1 {
			t.Errorf("the deputy waits for %d decisions, want 1", len(got))
		}
		// b1..b3 are key users of the area as well: the deputy stands in
		// for Henk, and one vote decides.
		d := must(st.Decide(ctx, o.deputy.Actor(), r.ID, beheer.DecisionApproved, "Namens Henk akkoord"))
		if d == nil || d.DeciderID != o.deputy.ID || d.OnBehalfOf != o.key.ID {
			t.Fatalf("decision %+v", d)
		}
		got := must(st.Decision(ctx, o.requester.Actor(), r.ID))
		if got.OnBehalfOf != o.key.ID || got.OnBehalfOfName != o.key.Name {
			t.Fatalf("stored decision %+v", got)
		}
		// An admin of all areas may end it; a stale version is refused.
		err = st.ClearDeputy(ctx, o.admin.Actor(), o.key.ID, set.Version+1)
		wantCode(t, "stale clear", err, beheer.CodePreconditionFailed, "")
		if err := st.ClearDeputy(ctx, o.admin.Actor(), o.key.ID, set.Version); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDecisionLink: the decision e-mail's link decides once, for its
// addressee only; a refused vote leaves it usable.
func TestDecisionLink(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDecidersOrg(t, st)
		r := o.waitingChange(t, st, o.noKey.ID, o.owned.ID)
		token := ""
		_, err := st.ProcessNotifications(ctx, 100, nil, func(f store.EventFacts) ([]store.Delivery, error) {
			if f.Event.Kind != store.EventStatusChanged || f.Request == nil || f.Request.ID != r.ID {
				return nil, nil
			}
			if len(f.KeyUsers) != 1 || f.KeyUsers[0] != o.owner.ID {
				t.Errorf("told of the decision: %v, want the owner %d", f.KeyUsers, o.owner.ID)
			}
			token = store.NewDecisionToken()
			return []store.Delivery{{UserID: o.owner.ID, Kind: store.NotifyDecision, DecisionToken: token,
				Mail: &store.OutMail{To: o.owner.Email, Subject: "Besluit", Text: "/decide/" + token}}}, nil
		})
		if err != nil || token == "" {
			t.Fatalf("no link made: %v", err)
		}
		_, err = st.DecisionLink(ctx, o.admin.Actor(), token)
		wantCode(t, "someone else's link", err, beheer.CodeForbidden, "decision_link.other_person")
		if id := must(st.DecisionLink(ctx, o.owner.Actor(), token)); id != r.ID {
			t.Fatalf("link opens %d", id)
		}
		_, _, err = st.DecideByLink(ctx, o.owner.Actor(), token, beheer.DecisionApproved, " ")
		wantCode(t, "no motivation", err, beheer.CodeInvalid, "")
		_, d, err := st.DecideByLink(ctx, o.owner.Actor(), token, beheer.DecisionApproved, "Akkoord vanuit de mail")
		if err != nil || d == nil || d.Outcome != beheer.DecisionApproved {
			t.Fatalf("decide by link: %v %+v", err, d)
		}
		_, _, err = st.DecideByLink(ctx, o.owner.Actor(), token, beheer.DecisionRejected, "Toch niet")
		wantCode(t, "second use", err, beheer.CodeConflict, "decision_link.used")
		if got := must(st.Decision(ctx, o.owner.Actor(), r.ID)); got.Outcome != beheer.DecisionApproved {
			t.Fatalf("second use changed the decision: %+v", got)
		}
		_, err = st.DecisionLink(ctx, o.owner.Actor(), "onbekend")
		wantCode(t, "unknown link", err, beheer.CodeNotFound, "decision_link.unknown")
	})
}
