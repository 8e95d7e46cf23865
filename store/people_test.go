package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// person finds someone by e-mail with their roles; nil when there is none.
func person(t *testing.T, st *store.Store, email string) *beheer.User {
	t.Helper()
	u, _, err := st.UserByEmail(context.Background(), email)
	if beheer.ErrorCode(err) == beheer.CodeNotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func countUsers(t *testing.T, st *store.Store) int {
	t.Helper()
	users, err := st.Users(context.Background(), store.System)
	if err != nil {
		t.Fatal(err)
	}
	return len(users)
}

// TestSyncPeople drives the people sync through a working life: people
// join, change name and department, leave (deactivated, sessions ended,
// never deleted) and come back (reactivated); a mapped department makes its
// people key users of the area, roles given by hand are never taken away.
func TestSyncPeople(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		salaris, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "salaris", Name: "Salaris"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetDepartmentArea(ctx, admin.Actor(), "Personeelszaken", hr.ID); err != nil {
			t.Fatal(err)
		}
		staff := []beheer.Employee{
			{Number: "1001", Name: "Pieter Jansen", Email: "Pieter.Jansen@Voorbeeld.nl", Department: "Personeelszaken"},
			{Number: "1002", Name: "Sanne de Boer", Email: "sanne@voorbeeld.nl", Department: "Verkoop", Manager: "1001"},
			// Anna was added by hand; the e-mail address (any case) matches her.
			{Number: "1003", Name: "Anna", Email: "ANNA@voorbeeld.nl", Department: "Verkoop", Manager: "1001"},
		}

		// Only a functional admin for all areas (or the system) may sync.
		if _, err := st.SyncPeople(ctx, requester.Actor(), beheer.SourceAFAS, staff, beheer.SyncOptions{}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester synced: %v", err)
		}
		rep, err := st.SyncPeople(ctx, admin.Actor(), beheer.SourceAFAS, staff, beheer.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 2 || rep.Updated != 1 || rep.Deactivated != 0 || rep.Skipped != 0 || !rep.OK || rep.ID == 0 {
			t.Fatalf("first sync: %+v", rep)
		}
		pieter := person(t, st, "pieter.jansen@voorbeeld.nl")
		if pieter == nil || !pieter.Active || pieter.Name != "Pieter Jansen" {
			t.Fatalf("Pieter: %+v", pieter)
		}
		// A mapped department: key user of its area, nothing more.
		if !slices.Equal(pieter.Roles, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: hr.ID}}) {
			t.Fatalf("Pieter's roles: %v", pieter.Roles)
		}
		// An unmapped department: a plain requester (no role rows).
		if sanne := person(t, st, "sanne@voorbeeld.nl"); sanne == nil || len(sanne.Roles) != 0 {
			t.Fatalf("Sanne: %+v", sanne)
		}
		emp, err := st.Employments(ctx, admin.Actor())
		if err != nil {
			t.Fatal(err)
		}
		if e := emp[requester.ID]; e.Number != "1003" || e.Source != beheer.SourceAFAS || e.Manager != "1001" || e.Department != "Verkoop" {
			t.Fatalf("Anna's employment: %+v", e)
		}

		// The same list again changes nothing.
		rep, err = st.SyncPeople(ctx, store.System, beheer.SourceAFAS, staff, beheer.SyncOptions{})
		if err != nil || rep.Unchanged != 3 || rep.Added+rep.Updated+rep.Deactivated != 0 {
			t.Fatalf("second sync: %+v %v", rep, err)
		}

		// A role given by hand survives every sync; Sanne's session is live.
		sanne := person(t, st, "sanne@voorbeeld.nl")
		if err := st.SetRoles(ctx, admin.Actor(), sanne.ID, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: salaris.ID}}); err != nil {
			t.Fatal(err)
		}
		sess, err := st.CreateSession(ctx, sanne.ID)
		if err != nil {
			t.Fatal(err)
		}
		token, err := st.CreateToken(ctx, sanne.ID, "test")
		if err != nil {
			t.Fatal(err)
		}

		// Pieter changes name and moves out of the mapped department; Sanne
		// leaves; matched by employee number even with a new address.
		moved := []beheer.Employee{
			{Number: "1001", Name: "Pieter Jansen-de Vries", Email: "pieter@voorbeeld.nl", Department: "Verkoop"},
			staff[2],
		}
		rep, err = st.SyncPeople(ctx, store.System, beheer.SourceAFAS, moved, beheer.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Updated != 1 || rep.Deactivated != 1 || rep.Unchanged != 1 {
			t.Fatalf("third sync: %+v", rep)
		}
		pieter = person(t, st, "pieter@voorbeeld.nl")
		if pieter == nil || pieter.Name != "Pieter Jansen-de Vries" || len(pieter.Roles) != 0 {
			t.Fatalf("Pieter after the move: %+v", pieter)
		}
		sanne = person(t, st, "sanne@voorbeeld.nl")
		if sanne == nil || sanne.Active {
			t.Fatalf("Sanne left but is %+v", sanne)
		}
		if _, err := st.Session(ctx, sess.ID); beheer.ErrorCode(err) != beheer.CodeUnauthorized {
			t.Fatalf("Sanne's session outlived her leaving: %v", err)
		}
		if _, err := st.Authenticate(ctx, token); beheer.ErrorCode(err) != beheer.CodeUnauthorized {
			t.Fatalf("Sanne's token outlived her leaving: %v", err)
		}
		if !slices.Equal(sanne.Roles, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: salaris.ID}}) {
			t.Fatalf("the hand-given role went: %v", sanne.Roles)
		}
		// People added by hand and not in the source are left alone.
		if a := person(t, st, "fleur@voorbeeld.nl"); a == nil || !a.Active {
			t.Fatalf("the admin added by hand was touched: %+v", a)
		}
		if n := countUsers(t, st); n != 4 {
			t.Fatalf("%d people; nobody is ever deleted", n)
		}

		// Sanne comes back: reactivated, roles as they were.
		rep, err = st.SyncPeople(ctx, store.System, beheer.SourceAFAS, append(moved, staff[1]), beheer.SyncOptions{})
		if err != nil || rep.Reactivated != 1 || rep.Added != 0 {
			t.Fatalf("fourth sync: %+v %v", rep, err)
		}
		if sanne = person(t, st, "sanne@voorbeeld.nl"); !sanne.Active || len(sanne.Roles) != 1 {
			t.Fatalf("Sanne back: %+v", sanne)
		}

		// Someone an admin deactivated by hand stays deactivated.
		if err := st.SetActive(ctx, admin.Actor(), sanne.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SyncPeople(ctx, store.System, beheer.SourceAFAS, append(moved, staff[1]), beheer.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		if sanne = person(t, st, "sanne@voorbeeld.nl"); sanne.Active {
			t.Fatal("the sync undid a deactivation by hand")
		}

		// Mapping a department later gives the role at once; removing the
		// mapping takes only the synced role away.
		if err := st.SetDepartmentArea(ctx, admin.Actor(), "verkoop ", salaris.ID); err != nil {
			t.Fatal(err)
		}
		if p := person(t, st, "pieter@voorbeeld.nl"); !slices.Equal(p.Roles, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: salaris.ID}}) {
			t.Fatalf("Pieter after mapping Verkoop: %v", p.Roles)
		}
		if err := st.SetDepartmentArea(ctx, admin.Actor(), "Verkoop", 0); err != nil {
			t.Fatal(err)
		}
		if p := person(t, st, "pieter@voorbeeld.nl"); len(p.Roles) != 0 {
			t.Fatalf("Pieter after unmapping: %v", p.Roles)
		}
		if s := person(t, st, "sanne@voorbeeld.nl"); len(s.Roles) != 1 {
			t.Fatalf("unmapping took a hand-given role: %v", s.Roles)
		}
		if err := st.SetDepartmentArea(ctx, requester.Actor(), "Verkoop", hr.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester mapped a department: %v", err)
		}
		deps, err := st.DepartmentAreas(ctx, admin.Actor())
		if err != nil || len(deps) != 2 || deps[0].Department != "Personeelszaken" || deps[0].AreaID != hr.ID || deps[1].People != 2 {
			t.Fatalf("departments: %+v %v", deps, err)
		}

		// Reports are kept, newest first.
		reps, err := st.SyncReports(ctx, admin.Actor(), 10)
		if err != nil || len(reps) != 5 || reps[0].Source != beheer.SourceAFAS {
			t.Fatalf("reports: %d %v", len(reps), err)
		}
		if _, err := st.SyncReports(ctx, requester.Actor(), 10); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester read the reports: %v", err)
		}

		// Anonymising someone removes their employment data too, so a later
		// sync cannot bring their name back.
		if err := st.Anonymise(ctx, admin.Actor(), sanne.ID); err != nil {
			t.Fatal(err)
		}
		if emp, _ := st.Employments(ctx, admin.Actor()); emp[sanne.ID] != (beheer.Employment{}) {
			t.Fatalf("employment kept after anonymising: %+v", emp[sanne.ID])
		}
	})
}

// TestSyncPeopleRefusals: an empty list, bad rows and conflicts. A CSV
// import with any bad row changes nothing; an AFAS sync skips bad rows and
// never deactivates the people they are about.
func TestSyncPeopleRefusals(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, _, admin := org(t, st)
		first := []beheer.Employee{
			{Number: "1", Name: "Een", Email: "een@voorbeeld.nl"},
			{Number: "2", Name: "Twee", Email: "twee@voorbeeld.nl"},
		}
		for _, src := range []string{beheer.SourceAFAS, beheer.SourceCSV} {
			if _, err := st.SyncPeople(ctx, admin.Actor(), src, nil, beheer.SyncOptions{}); beheer.ErrorCode(err) != beheer.CodeInvalid {
				t.Fatalf("%s: an empty list was accepted: %v", src, err)
			}
		}
		if _, err := st.SyncPeople(ctx, admin.Actor(), "ldap", first, beheer.SyncOptions{}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("unknown source: %v", err)
		}
		if _, err := st.SyncPeople(ctx, admin.Actor(), beheer.SourceAFAS, first, beheer.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		before := countUsers(t, st)

		// CSV: one bad row, one duplicate, one taken address → nothing at all.
		bad := []beheer.Employee{
			{Number: "10", Name: "Tien", Email: "tien@voorbeeld.nl", Line: 2},
			{Number: "11", Name: "", Email: "elf@voorbeeld.nl", Line: 3},
			{Number: "10", Name: "Tien bis", Email: "tien2@voorbeeld.nl", Line: 4},
		}
		_, err := st.SyncPeople(ctx, admin.Actor(), beheer.SourceCSV, bad, beheer.SyncOptions{})
		var be *beheer.Error
		if beheer.ErrorCode(err) != beheer.CodeInvalid || !errors.As(err, &be) || len(be.Fields) != 2 ||
			be.Fields[0].Field != "line 3: name" || be.Fields[1].Field != "line 4: employee_number" {
			t.Fatalf("bad CSV rows: %v", err)
		}
		taken := []beheer.Employee{{Number: "12", Name: "Twaalf", Email: "een@voorbeeld.nl", Line: 2}}
		if _, err := st.SyncPeople(ctx, admin.Actor(), beheer.SourceCSV, taken, beheer.SyncOptions{}); beheer.ErrorCode(err) != beheer.CodeInvalid ||
			!strings.Contains(err.Error(), "line 2: email") {
			t.Fatalf("CSV with a taken address: %v", err)
		}
		if n := countUsers(t, st); n != before {
			t.Fatalf("a refused import changed people: %d → %d", before, n)
		}

		// AFAS: the bad row for "2" is skipped and Twee stays active; the
		// good new row is added.
		rep, err := st.SyncPeople(ctx, admin.Actor(), beheer.SourceAFAS, []beheer.Employee{
			first[0],
			{Number: "2", Name: "Twee", Email: "geen adres"},
			{Number: "3", Name: "Drie", Email: "een@voorbeeld.nl"}, // Een's address, twice in the list
			{Number: "4", Name: "Vier", Email: "vier@voorbeeld.nl"},
		}, beheer.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 1 || rep.Skipped != 2 || rep.Deactivated != 0 || len(rep.Rows) != 2 ||
			rep.Rows[0].Line != 2 || rep.Rows[0].Field != "email" || rep.Rows[1].Key != "people_import.duplicate" {
			t.Fatalf("AFAS with bad rows: %+v", rep)
		}
		if p := person(t, st, "twee@voorbeeld.nl"); p == nil || !p.Active {
			t.Fatalf("a skipped person was deactivated: %+v", p)
		}

		// A failure is recorded and changes nobody.
		if _, err := st.RecordSyncFailure(ctx, store.System, beheer.SourceAFAS, "people_import.afas_auth"); err != nil {
			t.Fatal(err)
		}
		reps, _ := st.SyncReports(ctx, admin.Actor(), 1)
		if len(reps) != 1 || reps[0].OK || reps[0].ErrorKey != "people_import.afas_auth" {
			t.Fatalf("failure report: %+v", reps)
		}

		// The one who runs an import is never deactivated by it.
		mine := []beheer.Employee{{Number: "77", Name: "Fleur", Email: "fleur@voorbeeld.nl"}}
		if _, err := st.SyncPeople(ctx, admin.Actor(), beheer.SourceCSV, mine, beheer.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		other := []beheer.Employee{{Number: "78", Name: "Gijs", Email: "gijs@voorbeeld.nl"}}
		rep, err = st.SyncPeople(ctx, admin.Actor(), beheer.SourceCSV, other, beheer.SyncOptions{})
		if beheer.ErrorCode(err) != beheer.CodeInvalid || rep != nil {
			t.Fatalf("an import that would lock out its runner: %+v %v", rep, err)
		}
		if p := person(t, st, "fleur@voorbeeld.nl"); !p.Active {
			t.Fatal("the admin deactivated themselves")
		}
	})
}
