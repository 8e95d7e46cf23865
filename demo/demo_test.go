package demo_test

import (
	"context"
	"testing"
	"time"

	"beheer"
	"beheer/demo"
	"beheer/store"
	"beheer/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// census counts what a functional admin for all areas sees.
func census(t *testing.T, st *store.Store, admin *beheer.Actor) (phases map[beheer.Phase]int, types map[beheer.Type]int, total int) {
	t.Helper()
	phases, types = map[beheer.Phase]int{}, map[beheer.Type]int{}
	numbers := map[string]bool{}
	for cursor := ""; ; {
		page, err := st.Requests(context.Background(), admin, store.Filter{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			if numbers[r.Number] {
				t.Fatalf("number %s twice", r.Number)
			}
			numbers[r.Number] = true
			phases[r.Phase]++
			types[r.Type]++
			total++
		}
		if page.NextCursor == "" {
			return phases, types, total
		}
		cursor = page.NextCursor
	}
}

func adminOf(t *testing.T, st *store.Store, logins []demo.Login) *beheer.Actor {
	t.Helper()
	for _, l := range logins {
		if l.Role == "Functioneel beheerder" {
			u, _, err := st.UserByEmail(context.Background(), l.Email)
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor()
		}
	}
	t.Fatal("no functional admin login")
	return nil
}

// TestDemo loads the demo through the rules and checks it spans every
// phase and type, with one login per role.
func TestDemo(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		logins, err := demo.Load(context.Background(), st, demo.Options{Requests: 150, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(logins) != 5 {
			t.Fatalf("%d logins, want one per role", len(logins))
		}
		phases, types, total := census(t, st, adminOf(t, st, logins))
		if total != 150 {
			t.Fatalf("%d requests, want 150", total)
		}
		for _, p := range beheer.Phases {
			if phases[p] == 0 {
				t.Errorf("no request in phase %s (%v)", p, phases)
			}
		}
		for _, ty := range beheer.Types {
			if types[ty] == 0 {
				t.Errorf("no request of type %s", ty)
			}
		}
		users, _ := st.Users(context.Background(), store.System)
		if len(users) < 20 {
			t.Errorf("%d people, want about 25", len(users))
		}
		again, err := demo.LoadIfEmpty(context.Background(), st, demo.Options{})
		if err != nil || again != nil {
			t.Fatalf("second load on a used database: %v %v", again, err)
		}
		checkSetUp(t, st)
		checkAlive(t, st, logins, true)
	})
}

// checkSetUp checks the demo counts as set up: an organisation, process
// owners, the vendors behind the channels and Support submitters, and no
// first-start link or checklist.
func checkSetUp(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	if o, err := st.Organisation(ctx); err != nil || o == nil || o.Name == "" {
		t.Fatalf("organisation %+v %v", o, err)
	}
	if open, err := st.SetupOpen(ctx); err != nil || open {
		t.Fatalf("the demo is open for setup: %v", err)
	}
	if state, err := st.SetupChecklist(ctx, false, false); err != nil || state.Show {
		t.Fatalf("the demo shows the checklist: %+v %v", state, err)
	}
	processes, err := st.Processes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owned := 0
	for _, p := range processes {
		if p.OwnerID != 0 {
			owned++
		}
	}
	if owned == 0 || owned == len(processes) {
		t.Errorf("%d of %d processes with an owner, want most", owned, len(processes))
	}
	chs, err := st.Channels(ctx)
	if err != nil || !chs[3].Filled() {
		t.Fatalf("channels %+v %v", chs, err)
	}
	if subs, err := st.SupportSubmitters(ctx, 0); err != nil || subs.Named == 0 {
		t.Fatalf("Support submitters %+v %v", subs, err)
	}
}

// TestDemoBulk generates through the bulk loader and checks the same.
func TestDemoBulk(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		start := time.Now()
		logins, err := demo.Load(context.Background(), st, demo.Options{Requests: 3000, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("3000 requests in %s", time.Since(start))
		checkAlive(t, st, logins, false)
		admin := adminOf(t, st, logins)
		phases, types, total := census(t, st, admin)
		if total != 3000 {
			t.Fatalf("%d requests, want 3000", total)
		}
		for _, p := range beheer.Phases {
			if phases[p] == 0 {
				t.Errorf("no request in phase %s (%v)", p, phases)
			}
		}
		for _, ty := range beheer.Types {
			if types[ty] == 0 {
				t.Errorf("no request of type %s", ty)
			}
		}
		// Bulk data is searchable and a new request continues the numbering.
		page, err := st.Requests(context.Background(), admin, store.Filter{Query: "declaratie"})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("search in bulk data: %v, %d hits", err, len(page.Items))
		}
		// Dutch search finds a part of a compound in requests and articles.
		if page, err := st.Requests(context.Background(), admin, store.Filter{Query: "saldo"}); err != nil || len(page.Items) == 0 {
			t.Errorf("searching saldo in bulk data: %v, %d hits", err, len(page.Items))
		}
		found, err := st.SuggestPublications(context.Background(), admin, beheer.PublicationArticle, "Mijn saldo klopt niet", 5)
		if err != nil || len(found) == 0 || found[0].Title != "Verlofsaldo bekijken en begrijpen" {
			t.Errorf("articles suggested for a saldo question: %v", err)
			for _, a := range found {
				t.Log(a.Title)
			}
		}
		r, err := st.CreateRequest(context.Background(), admin, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Na de bulk"})
		if err != nil {
			t.Fatal(err)
		}
		_, _, total = census(t, st, admin)
		if total != 3001 || r.ID == 0 {
			t.Fatalf("after bulk: %d requests, new id %d", total, r.ID)
		}
	})
}

// loginActor is the demo login of role as an actor.
func loginActor(t *testing.T, st *store.Store, l demo.Login) *beheer.Actor {
	t.Helper()
	u, _, err := st.UserByEmail(context.Background(), l.Email)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// published counts the publications of a kind the actor sees.
func published(t *testing.T, st *store.Store, actor *beheer.Actor, kind beheer.PublicationKind) int {
	t.Helper()
	page, err := st.Publications(context.Background(), actor, store.PublicationFilter{Kind: kind, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range page.Items {
		if p.Status == beheer.PublicationPublished {
			n++
		}
	}
	return n
}

// checkAlive checks the demo looks lived in: a dozen published articles
// and news every person sees, contacts at all four channels, and — for the
// demo walked through the rules (planned) — the year's objectives with
// requests linked to each and, for every demo login, notifications of
// which some are read and some not, without a bell at "99+".
func checkAlive(t *testing.T, st *store.Store, logins []demo.Login, planned bool) {
	t.Helper()
	ctx := context.Background()
	admin := adminOf(t, st, logins)
	if n := published(t, st, admin, beheer.PublicationArticle); n < 12 {
		t.Errorf("%d published articles, want at least 12", n)
	}
	for _, l := range logins {
		if n := published(t, st, loginActor(t, st, l), beheer.PublicationNews); n < 3 || n > 5 {
			t.Errorf("%s sees %d news items, want 3 to 5", l.Role, n)
		}
	}
	profile, err := st.Profile(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	per := map[beheer.Channel]int{}
	for _, c := range profile.Contacts {
		per[c.Channel]++
	}
	for _, ch := range beheer.Channels {
		if per[ch] == 0 {
			t.Errorf("no contact at channel %s (%v)", ch, per)
		}
	}
	if !planned {
		return
	}
	plan, err := st.Plan(ctx, admin, time.Now().Year())
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Objectives) < 3 {
		t.Errorf("%d objectives in the plan, want 3 or 4", len(plan.Objectives))
	}
	for _, o := range plan.Objectives {
		if linked, err := st.ObjectiveRequests(ctx, admin, o.ID); err != nil || len(linked) == 0 {
			t.Errorf("objective %q: %d linked requests, %v", o.Title, len(linked), err)
		}
	}
	for _, l := range logins {
		actor := loginActor(t, st, l)
		list, err := st.Notifications(ctx, actor, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		read := 0
		for _, n := range list {
			if n.Read {
				read++
			}
		}
		unread, err := st.UnreadNotifications(ctx, actor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if read == 0 || unread == 0 || unread >= store.MaxUnread {
			t.Errorf("%s: %d notifications, %d read, %d unread; want some of each and fewer than %d unread",
				l.Role, len(list), read, unread, store.MaxUnread)
		}
	}
}
