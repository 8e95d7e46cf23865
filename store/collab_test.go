package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// collabOrg is an organisation for working together: an area HR with a
// functional admin (Fleur), a key user (Kees), a technical admin of
// another area (Tom), a requester (Anna), a colleague (Bas) and a former
// colleague (Oud, inactive).
type collabOrg struct {
	area, other                      beheer.Area
	anna, bas, fleur, kees, tom, oud *beheer.User
}

func newCollabOrg(t *testing.T, st *store.Store) *collabOrg {
	t.Helper()
	ctx := context.Background()
	o := &collabOrg{}
	var err error
	a, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "hr", Name: "HR"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "sal", Name: "Salaris"})
	if err != nil {
		t.Fatal(err)
	}
	o.area, o.other = *a, *b
	mk := func(email, name string, roles ...beheer.Assignment) *beheer.User {
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: name, Roles: roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	o.anna = mk("anna@voorbeeld.nl", "Anna")
	o.bas = mk("bas@voorbeeld.nl", "Bas")
	o.fleur = mk("fleur@voorbeeld.nl", "Fleur", beheer.Assignment{Role: beheer.RoleFunctionalAdmin, AreaID: a.ID})
	o.kees = mk("kees@voorbeeld.nl", "Kees", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: a.ID})
	o.tom = mk("tom@voorbeeld.nl", "Tom", beheer.Assignment{Role: beheer.RoleTechnicalAdmin, AreaID: b.ID})
	o.oud = mk("oud@voorbeeld.nl", "Oud")
	if err := st.SetActive(ctx, store.System, o.oud.ID, false); err != nil {
		t.Fatal(err)
	}
	return o
}

func (o *collabOrg) file(t *testing.T, st *store.Store, who *beheer.User, title string) *beheer.Request {
	t.Helper()
	r, err := st.CreateRequest(context.Background(), who.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: title, AreaID: o.area.ID})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (o *collabOrg) move(t *testing.T, st *store.Store, r *beheer.Request, to ...beheer.Phase) *beheer.Request {
	t.Helper()
	for _, p := range to {
		var err error
		if r, err = st.Transition(context.Background(), o.fleur.Actor(), r.ID, 0, beheer.Transition{To: p}); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestStandardAnswers(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		fleur := o.fleur.Actor()
		t.Run("bad input saves nothing", func(t *testing.T) {
			for _, c := range []struct {
				a          beheer.StandardAnswer
				field, key string
			}{
				{beheer.StandardAnswer{AreaID: o.area.ID, Title: "Leeg", Body: " "}, "body", "field.required"},
				{beheer.StandardAnswer{AreaID: o.area.ID, Title: "Typo", Body: "Beste {aanvrgaer}"}, "body", "answer.unknown_placeholder"},
			} {
				_, err := st.CreateStandardAnswer(ctx, fleur, c.a)
				if got := fieldKey(err, c.field); got != c.key {
					t.Errorf("%q: %v, want %s on %s", c.a.Body, err, c.key, c.field)
				}
			}
			if list, _ := st.StandardAnswers(ctx, fleur, 0); len(list) != 0 {
				t.Errorf("saved %v", list)
			}
		})
		t.Run("only functional admins of the area keep them", func(t *testing.T) {
			for _, a := range []*beheer.Actor{o.kees.Actor(), o.anna.Actor()} {
				if _, err := st.CreateStandardAnswer(ctx, a, beheer.StandardAnswer{AreaID: o.area.ID, Title: "X", Body: "Y"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
					t.Errorf("%s: %v", a.Name, err)
				}
			}
			if _, err := st.CreateStandardAnswer(ctx, fleur, beheer.StandardAnswer{AreaID: o.other.ID, Title: "X", Body: "Y"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("another area: %v", err)
			}
			if _, err := st.CreateStandardAnswer(ctx, fleur, beheer.StandardAnswer{Title: "X", Body: "Y"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("every area by an admin of one: %v", err)
			}
		})
		a, err := st.CreateStandardAnswer(ctx, fleur, beheer.StandardAnswer{AreaID: o.area.ID, Title: "Ontvangen",
			Body: "Beste {aanvrager}, uw melding {nummer} is in behandeling bij {behandelaar}."})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("stale edit", func(t *testing.T) {
			if _, err := st.UpdateStandardAnswer(ctx, fleur, a.ID, a.Version+1, *a); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
				t.Errorf("stale: %v", err)
			}
			b := *a
			b.Title = "Ontvangen (HR)"
			got, err := st.UpdateStandardAnswer(ctx, fleur, a.ID, a.Version, b)
			if err != nil || got.Title != "Ontvangen (HR)" || got.Version != a.Version+1 {
				t.Fatalf("%v %+v", err, got)
			}
			a = got
		})
		t.Run("key users use them, not on other areas", func(t *testing.T) {
			r := o.file(t, st, o.anna, "Verlof")
			if _, _, err := st.AnswerFor(ctx, o.kees.Actor(), r.ID, a.ID); err != nil {
				t.Errorf("key user: %v", err)
			}
			if _, _, err := st.AnswerFor(ctx, o.anna.Actor(), r.ID, a.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Errorf("requester: %v", err)
			}
			elsewhere, err := st.CreateRequest(ctx, o.anna.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Loon", AreaID: o.other.ID})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.AnswerFor(ctx, store.System, elsewhere.ID, a.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Errorf("another area's request: %v", err)
			}
		})
		t.Run("delete", func(t *testing.T) {
			b, err := st.CreateStandardAnswer(ctx, fleur, beheer.StandardAnswer{AreaID: o.area.ID, Title: "Weg", Body: "Weg"})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.DeleteStandardAnswer(ctx, fleur, b.ID, b.Version); err != nil {
				t.Fatal(err)
			}
			list, _ := st.StandardAnswers(ctx, fleur, o.area.ID)
			if len(list) != 1 || list[0].ID != a.ID {
				t.Errorf("list %v", list)
			}
		})
	})
}

// TestReplyWithAnswer: a standard answer that also moves the request does
// so through the page's own rules, in one transaction with the reply.
func TestReplyWithAnswer(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		fleur := o.fleur.Actor()
		ask, err := st.CreateStandardAnswer(ctx, fleur, beheer.StandardAnswer{AreaID: o.area.ID, Title: "Schermafdruk",
			Body: "Kunt u een schermafdruk sturen?", SetStatus: beheer.StatusAwaitingRequester})
		if err != nil {
			t.Fatal(err)
		}
		solved, err := st.CreateStandardAnswer(ctx, store.System, beheer.StandardAnswer{Title: "Opgelost",
			Body: "Opgelost.", SetPhase: beheer.PhaseOptimisation})
		if err != nil {
			t.Fatal(err)
		}
		r := o.move(t, st, o.file(t, st, o.anna, "Loonstrook"), beheer.PhaseInvestigation)

		c, err := st.ReplyWithAnswer(ctx, fleur, r.ID, r.Version, ask.ID, "Beste Anna, kunt u een schermafdruk sturen?")
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ := st.Request(ctx, fleur, r.ID)
		if got.Status != beheer.StatusAwaitingRequester || c.Body != "Beste Anna, kunt u een schermafdruk sturen?" {
			t.Errorf("status %s, comment %q", got.Status, c.Body)
		}

		// Optimalisatie from Onderzoek is no move of the lifecycle: the
		// rule's message comes back and neither the reply nor a move is saved.
		before, _ := st.Comments(ctx, fleur, r.ID)
		_, err = st.ReplyWithAnswer(ctx, fleur, r.ID, 0, solved.ID, "Opgelost.")
		if e, ok := err.(*beheer.Error); !ok || e.Key != "transition.not_allowed" {
			t.Fatalf("refused move: %v", err)
		}
		after, _ := st.Comments(ctx, fleur, r.ID)
		if len(after) != len(before) {
			t.Errorf("a refused answer saved its reply")
		}
		if now, _, _ := st.Request(ctx, fleur, r.ID); now.Phase != beheer.PhaseInvestigation || now.Version != got.Version {
			t.Errorf("a refused answer moved the request: %s v%d", now.Phase, now.Version)
		}

		r = o.move(t, st, got, beheer.PhaseExecution)
		if _, err := st.ReplyWithAnswer(ctx, fleur, r.ID, r.Version, solved.ID, "Opgelost in de update van maart."); err != nil {
			t.Fatal(err)
		}
		now, _, _ := st.Request(ctx, o.anna.Actor(), r.ID)
		comments, _ := st.Comments(ctx, o.anna.Actor(), r.ID)
		if now.Phase != beheer.PhaseOptimisation || comments[len(comments)-1].Body != "Opgelost in de update van maart." {
			t.Errorf("phase %s, last comment %q", now.Phase, comments[len(comments)-1].Body)
		}
		t.Run("a stale form saves nothing", func(t *testing.T) {
			if _, err := st.ReplyWithAnswer(ctx, fleur, r.ID, r.Version, ask.ID, "x"); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
				t.Errorf("%v", err)
			}
		})
		t.Run("an empty reply", func(t *testing.T) {
			if _, err := st.ReplyWithAnswer(ctx, fleur, r.ID, 0, ask.ID, "  "); fieldKey(err, "body") != "field.required" {
				t.Errorf("%v", err)
			}
		})
	})
}

// TestFollowers: a follower reads the public side of a request — its
// comments without internal notes — and nothing else of it; only active
// people follow.
func TestFollowers(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		r := o.move(t, st, o.file(t, st, o.anna, "Declaraties"), beheer.PhaseInvestigation)
		bas := o.bas.Actor()
		if _, _, err := st.Request(ctx, bas, r.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Fatalf("before following: %v", err)
		}
		t.Run("refused", func(t *testing.T) {
			if err := st.Follow(ctx, o.anna.Actor(), r.ID, o.oud.ID); fieldKey(err, "user") != "follow.inactive" {
				t.Errorf("inactive: %v", err)
			}
			if err := st.Follow(ctx, o.anna.Actor(), r.ID, 999999); fieldKey(err, "user") != "follow.unknown_person" {
				t.Errorf("nobody: %v", err)
			}
			if err := st.Follow(ctx, bas, r.ID, o.bas.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Errorf("a stranger follows: %v", err)
			}
			if list, _ := st.Followers(ctx, o.anna.Actor(), r.ID); len(list) != 0 {
				t.Errorf("saved %v", list)
			}
		})
		if err := st.Follow(ctx, o.anna.Actor(), r.ID, o.bas.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.Follow(ctx, o.anna.Actor(), r.ID, o.bas.ID); err != nil {
			t.Fatalf("twice: %v", err)
		}
		if _, err := st.AddComment(ctx, o.fleur.Actor(), r.ID, beheer.NewComment{Body: "Publiek antwoord"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddComment(ctx, o.fleur.Actor(), r.ID, beheer.NewComment{Body: "Geheime notitie", Internal: true}); err != nil {
			t.Fatal(err)
		}
		got, f, err := st.Request(ctx, bas, r.ID)
		if err != nil || !f.Follows || got.ID != r.ID {
			t.Fatalf("follower reads: %v %+v", err, f)
		}
		comments, err := st.Comments(ctx, bas, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range comments {
			if c.Internal || c.Body == "Geheime notitie" {
				t.Errorf("a follower sees an internal note")
			}
		}
		if len(comments) != 1 {
			t.Errorf("follower sees %d comments, want the public one", len(comments))
		}
		if _, err := st.AddComment(ctx, bas, r.ID, beheer.NewComment{Body: "Ik ook"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a follower comments: %v", err)
		}
		if err := st.Follow(ctx, o.anna.Actor(), r.ID, o.kees.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := st.Followers(ctx, bas, r.ID); len(list) != 1 || list[0].UserID != o.bas.ID {
			t.Errorf("a follower sees other followers: %v", list)
		}
		if list, _ := st.Followers(ctx, o.anna.Actor(), r.ID); len(list) != 2 {
			t.Errorf("the requester sees %d followers, want 2", len(list))
		}
		followed, err := st.FollowedRequests(ctx, bas, 10)
		if err != nil || len(followed) != 1 || followed[0].ID != r.ID {
			t.Errorf("followed: %v %v", followed, err)
		}
		if err := st.Unfollow(ctx, bas, r.ID, o.bas.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Request(ctx, bas, r.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("after unfollowing: %v", err)
		}
	})
}

// TestMentionWithoutEffect: a mention of someone who may not read the note
// is saved as text, notifies nobody and says nothing about the person.
func TestMentionWithoutEffect(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		r := o.move(t, st, o.file(t, st, o.anna, "Rooster"), beheer.PhaseInvestigation)
		c, err := st.AddComment(ctx, o.fleur.Actor(), r.ID, beheer.NewComment{Body: "@kees en @tom en @niemand, kijken jullie?", Internal: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.MentionsWithoutEffect, []string{"@tom", "@niemand"}) {
			t.Errorf("without effect: %v", c.MentionsWithoutEffect)
		}
		evs, err := st.EventsAfter(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var mentioned []string
		for _, e := range evs {
			if e.Kind == store.EventMentioned {
				mentioned = append(mentioned, e.Data["users"])
			}
		}
		if !slices.Equal(mentioned, []string{itoa(o.kees.ID)}) {
			t.Errorf("mention events name %v, want Kees only", mentioned)
		}
		t.Run("a requester's @ is text", func(t *testing.T) {
			c, err := st.AddComment(ctx, o.anna.Actor(), r.ID, beheer.NewComment{Body: "@fleur dank!"})
			if err != nil || len(c.MentionsWithoutEffect) != 0 {
				t.Errorf("%v %v", c, err)
			}
		})
		t.Run("candidates", func(t *testing.T) {
			list, err := st.MentionCandidates(ctx, o.fleur.Actor(), r.ID, "", true, 10)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range list {
				names = append(names, u.Name)
			}
			if !slices.Equal(names, []string{"Kees"}) {
				t.Errorf("candidates %v, want Kees (Tom may not read it, Fleur is the writer)", names)
			}
			if list, _ := st.MentionCandidates(ctx, o.anna.Actor(), r.ID, "", false, 10); len(list) != 0 {
				t.Errorf("a requester gets candidates: %v", list)
			}
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDuplicates(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		fleur := o.fleur.Actor()
		orig := o.move(t, st, o.file(t, st, o.anna, "AFAS traag"), beheer.PhaseInvestigation)
		dup := o.file(t, st, o.bas, "AFAS erg traag")
		third := o.file(t, st, o.bas, "Weer traag")
		for _, c := range []struct {
			name     string
			id, orig int64
			key      string
		}{
			{"itself", dup.ID, dup.ID, "duplicate.self"},
			{"nothing", dup.ID, 999999, "duplicate.unknown"},
		} {
			_, err := st.MarkDuplicate(ctx, fleur, c.id, 0, c.orig, "")
			if got := fieldKey(err, "original"); got != c.key {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}
		closed, err := st.MarkDuplicate(ctx, fleur, dup.ID, dup.Version, orig.ID, "Dit is dezelfde melding.")
		if err != nil {
			t.Fatal(err)
		}
		if closed.Phase != beheer.PhaseClosed {
			t.Errorf("phase %s", closed.Phase)
		}
		// The cycle: the original may not become a duplicate of its own
		// duplicate, and nothing may become a duplicate of a duplicate.
		if _, err := st.MarkDuplicate(ctx, fleur, orig.ID, 0, dup.ID, ""); fieldKey(err, "original") != "duplicate.cycle" {
			t.Errorf("cycle: %v", err)
		}
		if _, err := st.MarkDuplicate(ctx, fleur, third.ID, 0, dup.ID, ""); fieldKey(err, "original") != "duplicate.of_duplicate" {
			t.Errorf("of a duplicate: %v", err)
		}
		if now, _, _ := st.Request(ctx, fleur, orig.ID); now.Phase != beheer.PhaseInvestigation {
			t.Errorf("a refused duplicate moved the original: %s", now.Phase)
		}
		// Bas follows the original now and reads its public side.
		if _, f, err := st.Request(ctx, o.bas.Actor(), orig.ID); err != nil || !f.Follows {
			t.Errorf("the duplicate's requester does not follow the original: %v %+v", err, f)
		}
		c, err := st.Circle(ctx, fleur, orig.ID)
		if err != nil || len(c.Duplicates) != 1 || c.Duplicates[0].ID != dup.ID {
			t.Errorf("circle %+v %v", c, err)
		}
		c, err = st.Circle(ctx, o.bas.Actor(), dup.ID)
		if err != nil || c.Original == nil || c.Original.Number != orig.Number {
			t.Errorf("circle of the duplicate %+v %v", c, err)
		}
	})
}

// TestParentIncident: requests joined to a parent incident end with it;
// their requesters follow it; people join it from the form.
func TestParentIncident(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		fleur := o.fleur.Actor()
		parent := o.move(t, st, o.file(t, st, o.fleur, "Verlof na AFAS-update"), beheer.PhaseInvestigation)
		child := o.file(t, st, o.anna, "Verlof lukt niet")
		if err := st.JoinParent(ctx, fleur, child.ID, parent.ID); fieldKey(err, "parent") != "parent.not_parent" {
			t.Errorf("not yet a parent: %v", err)
		}
		if err := st.MakeParent(ctx, fleur, parent.ID, "Na de AFAS-update van 12 maart lukt verlof aanvragen niet."); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinParent(ctx, fleur, child.ID, child.ID); fieldKey(err, "parent") != "parent.self" {
			t.Errorf("itself: %v", err)
		}
		if err := st.JoinParent(ctx, fleur, child.ID, parent.ID); err != nil {
			t.Fatal(err)
		}
		busy := o.move(t, st, o.file(t, st, o.bas, "Verlof weg"), beheer.PhaseInvestigation)
		if _, err := st.CreateTask(ctx, fleur, busy.ID, beheer.NewTask{Title: "Logboek"}); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinParent(ctx, fleur, busy.ID, parent.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinAsPerson(ctx, o.kees.Actor(), parent.ID); err != nil {
			t.Fatal(err)
		}
		list, err := st.ParentIncidents(ctx, o.bas.Actor())
		if err != nil || len(list) != 1 || list[0].Linked != 2 || list[0].Followers != 3 {
			t.Fatalf("parents %+v %v", list, err)
		}
		if _, _, err := st.Request(ctx, o.anna.Actor(), parent.ID); err != nil {
			t.Errorf("a joined requester reads the parent: %v", err)
		}
		o.move(t, st, parent, beheer.PhaseExecution, beheer.PhaseOptimisation, beheer.PhaseClosed)
		if now, _, _ := st.Request(ctx, fleur, child.ID); now.Phase != beheer.PhaseClosed {
			t.Errorf("the joined request is %s, want closed with its parent", now.Phase)
		}
		if now, _, _ := st.Request(ctx, fleur, busy.ID); now.Phase != beheer.PhaseInvestigation {
			t.Errorf("a joined request with an open task is %s, want left open", now.Phase)
		}
		if list, _ := st.ParentIncidents(ctx, o.bas.Actor()); len(list) != 0 {
			t.Errorf("a closed parent is offered: %v", list)
		}
		if err := st.LeaveParent(ctx, fleur, busy.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Request(ctx, o.bas.Actor(), parent.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("after leaving, Bas still reads the parent: %v", err)
		}
	})
}

func TestAreaAlertsAndOverdueTasks(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newCollabOrg(t, st)
		if err := st.SetAreaAlerts(ctx, o.kees.Actor(), o.area.ID, beheer.AlertSettings{beheer.AlertNewRequest: false}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("key user sets alerts: %v", err)
		}
		if err := st.SetAreaAlerts(ctx, o.fleur.Actor(), o.area.ID, beheer.AlertSettings{beheer.AlertTaskOverdue: false}); err != nil {
			t.Fatal(err)
		}
		got, err := st.AreaAlerts(ctx, o.area.ID)
		if err != nil || got.On(beheer.AlertTaskOverdue) || !got.On(beheer.AlertNewRequest) {
			t.Errorf("alerts %v %v", got, err)
		}
		if err := st.FollowArea(ctx, o.anna.Actor(), o.area.ID, true); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a user follows an area: %v", err)
		}
		if err := st.FollowArea(ctx, o.kees.Actor(), o.area.ID, true); err != nil {
			t.Fatal(err)
		}
		if areas, _ := st.FollowedAreas(ctx, o.kees.Actor()); !slices.Equal(areas, []int64{o.area.ID}) {
			t.Errorf("followed areas %v", areas)
		}

		r := o.move(t, st, o.file(t, st, o.anna, "Koppeling"), beheer.PhaseInvestigation)
		if _, err := st.CreateTask(ctx, o.fleur.Actor(), r.ID, beheer.NewTask{Title: "Logboek bekijken"}); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if n, err := st.SweepOverdueTasks(ctx, now, 100); err != nil || n != 0 {
			t.Errorf("fresh task: %d %v", n, err)
		}
		later := now.Add(beheer.TaskOverdueAfter + time.Hour)
		if n, err := st.SweepOverdueTasks(ctx, later, 100); err != nil || n != 1 {
			t.Errorf("overdue: %d %v", n, err)
		}
		if n, _ := st.SweepOverdueTasks(ctx, later, 100); n != 0 {
			t.Errorf("a task is overdue once, got %d again", n)
		}
	})
}
