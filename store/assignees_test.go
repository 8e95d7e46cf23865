package store_test

import (
	"context"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestAssignees: the triage and task forms list the active functional and
// technical admins, each once with all their roles; people who do not
// manage requests may not read the list.
func TestAssignees(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "hr", Name: "HR"})
		if err != nil {
			t.Fatal(err)
		}
		mk := func(email, name string, roles ...beheer.Assignment) *beheer.User {
			u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: name, Roles: roles}, "")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		fleur := mk("fleur@voorbeeld.nl", "Fleur", beheer.Assignment{Role: beheer.RoleFunctionalAdmin, AreaID: hr.ID},
			beheer.Assignment{Role: beheer.RoleTechnicalAdmin})
		tom := mk("tom@voorbeeld.nl", "Tom", beheer.Assignment{Role: beheer.RoleTechnicalAdmin})
		gone := mk("gone@voorbeeld.nl", "Gone", beheer.Assignment{Role: beheer.RoleFunctionalAdmin})
		kees := mk("kees@voorbeeld.nl", "Kees", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: hr.ID})
		anna := mk("anna@voorbeeld.nl", "Anna")
		dirk := mk("dirk@voorbeeld.nl", "Dirk", beheer.Assignment{Role: beheer.RoleManagement})
		if err := st.SetActive(ctx, store.System, gone.ID, false); err != nil {
			t.Fatal(err)
		}

		for _, who := range []*beheer.User{fleur, tom} {
			list, err := st.Assignees(ctx, who.Actor())
			if err != nil {
				t.Fatalf("%s: %v", who.Name, err)
			}
			if len(list) != 2 || list[0].ID != fleur.ID || list[1].ID != tom.ID || len(list[0].Roles) != 2 {
				t.Errorf("%s sees %+v", who.Name, list)
			}
		}
		for _, who := range []*beheer.User{kees, anna, dirk} {
			if _, err := st.Assignees(ctx, who.Actor()); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("%s: %v, want forbidden", who.Name, err)
			}
		}
	})
}
