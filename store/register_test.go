package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// registerOrg is the kbOrg people plus an integrations area, a technical
// admin for that area only and a functional admin for HR only.
type registerOrg struct {
	kbPeople
	integrations int64
	techInt      *beheer.Actor
	adminHR      *beheer.Actor
}

func newRegisterOrg(t *testing.T, st *store.Store) registerOrg {
	t.Helper()
	ctx := context.Background()
	o := registerOrg{kbPeople: kbOrg(t, st)}
	a, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "integraties", Name: "Integraties", Integration: true})
	if err != nil {
		t.Fatal(err)
	}
	o.integrations = a.ID
	person := func(email string, roles ...beheer.Assignment) *beheer.Actor {
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: email, Roles: roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	o.techInt = person("ivo@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleTechnicalAdmin, AreaID: a.ID})
	o.adminHR = person("hilde@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleFunctionalAdmin, AreaID: o.hr})
	return o
}

func reviewTexts(e *beheer.RegisterEntry) beheer.RegisterReviewTexts {
	return beheer.RegisterReviewTexts{Title: "Periodieke review " + e.Name, Description: "Controleer de gegevens.", Task: "Review vastleggen"}
}

// regClock is a test clock that tests move by hand, safe for the
// concurrent sweeps.
type regClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *regClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *regClock) set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *regClock) add(d time.Duration) { c.set(c.now().Add(d)) }

func integration(owner int64, name string) beheer.RegisterInput {
	return beheer.RegisterInput{Kind: beheer.RegisterKindIntegration, Name: name, Status: beheer.RegisterActive, OwnerID: owner,
		Direction: beheer.DirectionOutbound, OtherSystem: "Visma Raet", Technique: "AFAS GetConnector via REST",
		Maintainer: "Koppelpartner BV", Description: "Salarismutaties **dagelijks** om 06:00."}
}

func countRequests(t *testing.T, st *store.Store, a *beheer.Actor) []*beheer.Request {
	t.Helper()
	page, err := st.Requests(context.Background(), a, store.Filter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func TestRegisterValidation(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newRegisterOrg(t, st)
		cases := []struct {
			name   string
			in     beheer.RegisterInput
			fields []string
		}{
			{"integration", beheer.RegisterInput{Kind: beheer.RegisterKindIntegration, Status: "unknown", Direction: "sideways",
				ReviewMonths: 99, LastReviewedOn: time.Now().AddDate(0, 0, 3)},
				[]string{"name", "status", "owner", "direction", "other_system", "review_months", "last_reviewed_on"}},
			{"identity provider", beheer.RegisterInput{Kind: beheer.RegisterKindIdentityProvider, Name: "Entra ID", Status: beheer.RegisterActive,
				OwnerID: o.tech.UserID, Protocol: "kerberos", IssuerURL: "ftp://login.example", ClientIDs: "abc client_secret=xyz"},
				[]string{"protocol", "issuer_url", "client_ids"}},
			{"bad client ids", beheer.RegisterInput{Kind: beheer.RegisterKindIdentityProvider, Name: "Entra ID", Status: beheer.RegisterActive,
				OwnerID: o.tech.UserID, Protocol: beheer.ProtocolOIDC, IssuerURL: "https://login.microsoftonline.com/x/v2.0", ClientIDs: "a<b>"},
				[]string{"client_ids"}},
			{"mail server", beheer.RegisterInput{Kind: beheer.RegisterKindMailServer, Name: "SMTP", Status: beheer.RegisterActive,
				OwnerID: o.tech.UserID, Host: "mail..voorbeeld.nl", Port: 70000, TLSMode: "ssl3", Sender: "geen adres"},
				[]string{"host", "port", "tls_mode", "sender"}},
			{"unknown kind", beheer.RegisterInput{Kind: "printer", Name: "x", Status: beheer.RegisterActive, OwnerID: o.tech.UserID},
				[]string{"kind"}},
		}
		for _, c := range cases {
			_, err := st.CreateRegisterEntry(ctx, o.tech, c.in)
			for _, f := range c.fields {
				if !hasField(err, f) {
					t.Errorf("%s: no message for %s in %v", c.name, f, err)
				}
			}
		}
		// References are checked in the transaction: the owner must be a
		// technical admin, the contact and area must exist.
		in := integration(o.admin.UserID, "Koppeling")
		in.MaintainerContactID, in.AreaID = 999, 999
		_, err := st.CreateRegisterEntry(ctx, o.tech, in)
		for _, f := range []string{"owner", "maintainer_contact", "area"} {
			if !hasField(err, f) {
				t.Errorf("references: no message for %s in %v", f, err)
			}
		}
		if list, err := st.RegisterEntries(ctx, o.tech); err != nil || len(list) != 0 {
			t.Fatalf("refused entries were saved: %d %v", len(list), err)
		}
	})
}

func TestRegisterAuthorisation(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newRegisterOrg(t, st)
		e, err := st.CreateRegisterEntry(ctx, o.tech, integration(o.tech.UserID, "AFAS → Visma Raet"))
		if err != nil {
			t.Fatal(err)
		}
		// The truth table: who reads, who keeps (edits, records reviews).
		table := []struct {
			who        string
			actor      *beheer.Actor
			read, keep bool
		}{
			{"user", o.user, false, false},
			{"key user", o.hrKey, false, false},
			{"functional admin, every area", o.admin, true, true},
			{"functional admin, HR only", o.adminHR, true, false},
			{"technical admin", o.tech, true, true},
			{"technical admin, integrations only", o.techInt, true, true},
			{"management", o.manager, true, false},
		}
		for _, row := range table {
			_, listErr := st.RegisterEntries(ctx, row.actor)
			_, getErr := st.RegisterEntry(ctx, row.actor, e.ID)
			if (listErr == nil) != row.read || (getErr == nil) != row.read {
				t.Errorf("%s: read list %v, entry %v; want read %v", row.who, listErr, getErr, row.read)
			}
			if !row.read && (beheer.ErrorCode(listErr) != beheer.CodeForbidden || beheer.ErrorCode(getErr) != beheer.CodeForbidden) {
				t.Errorf("%s: refused reads answer %v, %v; want forbidden", row.who, listErr, getErr)
			}
			if beheer.CanReadRegister(row.actor) != row.read || beheer.CanKeepRegister(row.actor) != row.keep {
				t.Errorf("%s: CanRead/CanKeep disagree with the table", row.who)
			}
			_, createErr := st.CreateRegisterEntry(ctx, row.actor, integration(o.tech.UserID, "Nieuw van "+row.who))
			_, updateErr := st.UpdateRegisterEntry(ctx, row.actor, e.ID, 0, integration(o.tech.UserID, "AFAS → Visma Raet"))
			_, reviewErr := st.RecordRegisterReview(ctx, row.actor, e.ID, 0, beheer.RegisterReviewInput{Note: "Gecontroleerd door " + row.who})
			for what, err := range map[string]error{"create": createErr, "update": updateErr, "review": reviewErr} {
				if (err == nil) != row.keep {
					t.Errorf("%s: %s gave %v; want allowed %v", row.who, what, err, row.keep)
				}
				if !row.keep && beheer.ErrorCode(err) != beheer.CodeForbidden {
					t.Errorf("%s: %s refused with %v; want forbidden", row.who, what, err)
				}
			}
		}
	})
}

func TestRegisterEditAndReview(t *testing.T) {
	c := &regClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		c.set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		o := newRegisterOrg(t, st)
		contact, err := st.AddContact(ctx, o.admin, beheer.ContactInput{Channel: beheer.ChannelSystemIntegrator, Name: "Sanne",
			Organisation: "Koppelpartner BV"})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("the next review follows from the last one and the interval", func(t *testing.T) {
			in := integration(o.tech.UserID, "AFAS → Topdesk")
			in.ReviewMonths, in.MaintainerContactID = 6, contact.ID
			e, err := st.CreateRegisterEntry(ctx, o.tech, in)
			if err != nil {
				t.Fatal(err)
			}
			if !e.NextReviewOn.Equal(day(2026, 9, 10)) || e.MaintainerName() != "Sanne (Koppelpartner BV)" || e.Version != 1 {
				t.Fatalf("new entry: next %v, maintainer %q, version %d", e.NextReviewOn, e.MaintainerName(), e.Version)
			}
			in.LastReviewedOn = day(2025, 8, 31)
			e, err = st.UpdateRegisterEntry(ctx, o.tech, e.ID, e.Version, in)
			if err != nil || !e.NextReviewOn.Equal(day(2026, 2, 28)) || e.Version != 2 {
				t.Fatalf("after a last review: %v %v", e.NextReviewOn, err)
			}
			if days, ok := e.DaysUntilReview(st.Today()); !ok || days != -10 {
				t.Errorf("days until review %d %v, want -10", days, ok)
			}
			in.Status = beheer.RegisterRetired
			e, err = st.UpdateRegisterEntry(ctx, o.tech, e.ID, 0, in)
			if err != nil || !e.NextReviewOn.IsZero() {
				t.Fatalf("a retired entry has a review: %v %v", e.NextReviewOn, err)
			}
		})

		t.Run("a stale edit is refused and changes nothing", func(t *testing.T) {
			e, err := st.CreateRegisterEntry(ctx, o.tech, beheer.RegisterInput{Kind: beheer.RegisterKindMailServer, Name: "SMTP relay",
				Status: beheer.RegisterActive, OwnerID: o.tech.UserID, Host: "Mail.Voorbeeld.nl", Port: 587, TLSMode: beheer.TLSStartTLS,
				Sender: "noreply@voorbeeld.nl", DNSNotes: "SPF: include:spf.afas.online", Direction: beheer.DirectionInbound})
			if err != nil || e.Host != "mail.voorbeeld.nl" || e.Direction != "" {
				t.Fatalf("mail server %+v %v", e, err)
			}
			in := e.Input()
			in.Port = 465
			in.TLSMode = beheer.TLSImplicit
			if _, err := st.UpdateRegisterEntry(ctx, o.admin, e.ID, e.Version, in); err != nil {
				t.Fatal(err)
			}
			in.Port = 25
			if _, err := st.UpdateRegisterEntry(ctx, o.tech, e.ID, e.Version, in); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
				t.Fatalf("stale edit: %v", err)
			}
			if _, err := st.RecordRegisterReview(ctx, o.tech, e.ID, e.Version, beheer.RegisterReviewInput{Note: "ok"}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
				t.Fatalf("stale review: %v", err)
			}
			got, _ := st.RegisterEntry(ctx, o.manager, e.ID)
			if got.Port != 465 || got.Version != 2 || len(got.Reviews) != 0 {
				t.Errorf("after stale writes: port %d, version %d, %d reviews", got.Port, got.Version, len(got.Reviews))
			}
		})

		t.Run("a review needs a note and no future day", func(t *testing.T) {
			e, _ := st.CreateRegisterEntry(ctx, o.tech, integration(o.tech.UserID, "AFAS → Power BI"))
			_, err := st.RecordRegisterReview(ctx, o.tech, e.ID, 0, beheer.RegisterReviewInput{ReviewedOn: day(2026, 4, 1)})
			if !hasField(err, "note") || !hasField(err, "reviewed_on") {
				t.Fatalf("bad review: %v", err)
			}
			e, err = st.RecordRegisterReview(ctx, o.tech, e.ID, e.Version, beheer.RegisterReviewInput{Note: "Mapping gecontroleerd"})
			if err != nil || !e.LastReviewedOn.Equal(day(2026, 3, 10)) || !e.NextReviewOn.Equal(day(2027, 3, 10)) ||
				len(e.Reviews) != 1 || e.Reviews[0].ReviewedByName != "tom@voorbeeld.nl" {
				t.Fatalf("review: %+v %v", e, err)
			}
		})
	})
}

func TestRegisterReviewSweep(t *testing.T) {
	c := &regClock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		c.set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		o := newRegisterOrg(t, st)
		in := integration(o.tech.UserID, "AFAS → Visma Raet")
		in.LastReviewedOn = day(2025, 2, 1) // due 2026-02-01: overdue
		overdue, err := st.CreateRegisterEntry(ctx, o.tech, in)
		if err != nil {
			t.Fatal(err)
		}
		later, err := st.CreateRegisterEntry(ctx, o.tech, integration(o.tech.UserID, "AFAS → Topdesk")) // due 2027-03-10
		if err != nil {
			t.Fatal(err)
		}
		retired := integration(o.tech.UserID, "Oude koppeling")
		retired.Status, retired.LastReviewedOn = beheer.RegisterRetired, day(2020, 1, 1)
		if _, err := st.CreateRegisterEntry(ctx, o.tech, retired); err != nil {
			t.Fatal(err)
		}

		n, err := st.RegisterReviewSweep(ctx, reviewTexts)
		if err != nil || n != 1 {
			t.Fatalf("first sweep raised %d: %v", n, err)
		}
		if n, err := st.RegisterReviewSweep(ctx, reviewTexts); err != nil || n != 0 {
			t.Fatalf("second sweep raised %d: %v", n, err)
		}
		reqs := countRequests(t, st, o.admin)
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(reqs))
		}
		r := reqs[0]
		if r.Title != "Periodieke review AFAS → Visma Raet" || r.Type != beheer.TypeTechnical || r.AreaID != o.integrations ||
			r.Phase != beheer.PhaseInvestigation || r.Status != beheer.StatusAwaitingTechnical || r.AssigneeID != o.tech.UserID ||
			r.RequesterID != o.admin.UserID {
			t.Fatalf("review request %+v", r)
		}
		if found, err := st.Requests(ctx, o.admin, store.Filter{Query: "reviews Visma"}); err != nil || len(found.Items) != 1 {
			t.Errorf("the review request is not found by its words: %+v %v", found, err)
		}
		tasks, err := st.MyTasks(ctx, o.tech)
		if err != nil || len(tasks) != 1 || tasks[0].RequestID != r.ID || tasks[0].AssigneeID != o.tech.UserID {
			t.Fatalf("owner's tasks %+v %v", tasks, err)
		}
		e, _ := st.RegisterEntry(ctx, o.tech, overdue.ID)
		if e.OpenReviewTask != tasks[0].ID || e.OpenReviewRequest != r.ID {
			t.Errorf("entry does not show its open review: %d %d", e.OpenReviewTask, e.OpenReviewRequest)
		}
		audit, err := st.Audit(ctx, o.admin, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, a := range audit {
			actions[a.Action] = true
			if a.ActorID != 0 {
				t.Errorf("%s attributed to person %d, want the system", a.Action, a.ActorID)
			}
		}
		for _, want := range []string{"request.created", "task.created", "register.review_raised"} {
			if !actions[want] {
				t.Errorf("no %s in the request's audit trail", want)
			}
		}

		// Changing the interval moves the due day, but the open review
		// task is not doubled.
		in.ReviewMonths = 11
		if _, err := st.UpdateRegisterEntry(ctx, o.tech, overdue.ID, 0, in); err != nil {
			t.Fatal(err)
		}
		if n, err := st.RegisterReviewSweep(ctx, reviewTexts); err != nil || n != 0 {
			t.Fatalf("sweep after an interval change raised %d: %v", n, err)
		}

		// Recording the review completes the task and moves the due day.
		e, err = st.RecordRegisterReview(ctx, o.tech, overdue.ID, 0, beheer.RegisterReviewInput{Note: "Velden en mapping gecontroleerd"})
		if err != nil {
			t.Fatal(err)
		}
		if !e.NextReviewOn.Equal(day(2027, 2, 10)) || e.OpenReviewTask != 0 {
			t.Fatalf("after review: next %v, open task %d", e.NextReviewOn, e.OpenReviewTask)
		}
		done, _ := st.Tasks(ctx, o.tech, r.ID) // the owner sees the outcome: not the requester
		if len(done) != 1 || done[0].Status != beheer.TaskDone || done[0].Outcome != "Velden en mapping gecontroleerd" {
			t.Fatalf("task after review %+v", done)
		}
		got, _, _ := st.Request(ctx, o.admin, r.ID)
		if got.Status != beheer.StatusAwaitingAssignee {
			t.Errorf("request status after review %s", got.Status)
		}
		if n, _ := st.RegisterReviewSweep(ctx, reviewTexts); n != 0 {
			t.Fatalf("sweep after the review raised %d", n)
		}

		// A year on, both active entries are due; concurrent sweeps raise
		// each once.
		c.add(400 * 24 * time.Hour)
		var wg sync.WaitGroup
		counts := make([]int, 4)
		errs := make([]error, 4)
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = st.RegisterReviewSweep(ctx, reviewTexts)
			}()
		}
		wg.Wait()
		total := 0
		for i := range counts {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			total += counts[i]
		}
		if total != 2 || len(countRequests(t, st, o.admin)) != 3 {
			t.Fatalf("concurrent sweeps raised %d; %d requests in all", total, len(countRequests(t, st, o.admin)))
		}
		tasks, _ = st.MyTasks(ctx, o.tech)
		if len(tasks) != 2 {
			t.Errorf("%d open review tasks, want one per entry", len(tasks))
		}
		_ = later
	})
}
