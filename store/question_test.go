package store_test

import (
	"context"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestAskRequester: asking the requester writes the question and the
// status awaiting_requester in one transaction, with the status change's
// audit row and event before the comment's; whoever may not ask, a stale
// version and an empty question write nothing.
func TestAskRequester(t *testing.T) {
	var writes storetest.WriteCounter
	storetest.Engines(t, storetest.Options{OnTx: writes.OnTx}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verlof", AreaID: area.ID})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = st.Transition(ctx, admin.Actor(), r.ID, r.Version, beheer.Transition{To: beheer.PhaseInvestigation}); err != nil {
			t.Fatal(err)
		}
		unchanged := func(t *testing.T) {
			t.Helper()
			got, _, err := st.Request(ctx, admin.Actor(), r.ID)
			if err != nil || got.Version != r.Version || got.Status != r.Status {
				t.Fatalf("request changed: %+v %v", got, err)
			}
			if comments, _ := st.Comments(ctx, admin.Actor(), r.ID); len(comments) != 0 {
				t.Fatalf("comments %+v", comments)
			}
		}

		for _, tc := range []struct {
			name     string
			who      *beheer.User
			version  int64
			question string
			want     beheer.Code
		}{
			{"the requester", requester, 0, "Mag ik zelf iets vragen?", beheer.CodeForbidden},
			{"a stale version", admin, r.Version - 1, "Om wie gaat het?", beheer.CodePreconditionFailed},
			{"an empty question", admin, r.Version, "   ", beheer.CodeInvalid},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := st.AskRequester(ctx, tc.who.Actor(), r.ID, tc.version, tc.question)
				if beheer.ErrorCode(err) != tc.want {
					t.Fatalf("%v, want %s", err, tc.want)
				}
				unchanged(t)
			})
		}

		t.Run("a manager asks", func(t *testing.T) {
			events, err := st.EventsAfter(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			last := events[len(events)-1].ID
			before := writes.Count()
			c, err := st.AskRequester(ctx, admin.Actor(), r.ID, r.Version, "  Om welke medewerker gaat het?  ")
			if err != nil {
				t.Fatal(err)
			}
			if n := writes.Count() - before; n != 1 {
				t.Errorf("%d write transactions, want 1", n)
			}
			if c.Body != "Om welke medewerker gaat het?" || c.Internal || c.AuthorID != admin.ID {
				t.Errorf("comment %+v", c)
			}
			got, _, err := st.Request(ctx, requester.Actor(), r.ID)
			if err != nil || got.Status != beheer.StatusAwaitingRequester || got.Version != r.Version+1 {
				t.Fatalf("request %+v %v", got, err)
			}
			comments, err := st.Comments(ctx, requester.Actor(), r.ID)
			if err != nil || len(comments) != 1 || comments[0].ID != c.ID {
				t.Fatalf("comments %+v %v", comments, err)
			}
			events, err = st.EventsAfter(ctx, last, 100)
			if err != nil || len(events) != 2 || events[0].Kind != store.EventStatusChanged || events[1].Kind != store.EventCommentAdded {
				t.Fatalf("events %+v %v", events, err)
			}
			// The requester's reply puts it back with the assignee.
			if _, err := st.AddComment(ctx, requester.Actor(), r.ID, beheer.NewComment{Body: "Om Jan."}); err != nil {
				t.Fatal(err)
			}
			if got, _, _ := st.Request(ctx, requester.Actor(), r.ID); got.Status != beheer.StatusAwaitingAssignee {
				t.Fatalf("status after the reply %s", got.Status)
			}
		})
	})
}
