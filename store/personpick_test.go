package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestPeopleMatching: the person field's search finds active people by
// part of their name in any case of any alphabet, by name and at most the limit; % and _
// are letters, not wildcards; e-mail addresses are searched only for
// those who may see them; a person who left is never offered but keeps
// their name in PeopleNamed.
func TestPeopleMatching(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		add := func(email, name string) *beheer.User {
			t.Helper()
			u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: name}, "")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		jan := add("j.devries@voorbeeld.nl", "Jan de Vries")
		add("jvd@voorbeeld.nl", "Janneke van Dam")
		percent := add("korting@voorbeeld.nl", "Actie 50% korting")
		under := add("onder@voorbeeld.nl", "Piet_Pietersen")
		add("zzz@voorbeeld.nl", "Zoë Verlaan")
		add("o.ozdemir@voorbeeld.nl", "Özlem Özdemir")
		gone := add("vertrokken@voorbeeld.nl", "Jan Vertrokken")
		if err := st.SetActive(ctx, store.System, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		for i := range 60 {
			add(fmt.Sprintf("mw%02d@voorbeeld.nl", i), fmt.Sprintf("Medewerker %02d", i))
		}
		names := func(a *beheer.Actor, q string, limit int) []string {
			t.Helper()
			people, err := st.PeopleMatching(ctx, a, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range people {
				if u.Email != "" {
					t.Errorf("%q: the e-mail address of %s came along", q, u.Name)
				}
				out = append(out, u.Name)
			}
			return out
		}
		user := requester.Actor()
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"jan", []string{"Jan de Vries", "Janneke van Dam"}},
			{"  DE VRIES ", []string{"Jan de Vries"}},
			{"50%", []string{"Actie 50% korting"}},
			{"%", []string{"Actie 50% korting"}},
			{"_", []string{"Piet_Pietersen"}},
			{"e_e", nil}, // as a wildcard it would find every Medewerker
			{"vertrokken", nil},
			{"voorbeeld.nl", nil}, // a gebruiker does not search addresses
			{"zoë", []string{"Zoë Verlaan"}},
			{"özdemir", []string{"Özlem Özdemir"}}, // capitals of any alphabet, on both engines
			{"ÖZLEM", []string{"Özlem Özdemir"}},
		} {
			if got := names(user, c.q, beheer.PersonChoices); !slices.Equal(got, c.want) {
				t.Errorf("search %q: %q, want %q", c.q, got, c.want)
			}
		}
		if got := names(admin.Actor(), "j.devries@", 50); !slices.Equal(got, []string{"Jan de Vries"}) {
			t.Errorf("the admin's search on an address: %q", got)
		}
		all := names(user, "", beheer.PersonChoices+1)
		if len(all) != beheer.PersonChoices+1 || all[0] != "Actie 50% korting" || !slices.IsSorted(all) {
			t.Errorf("without a search: %d people, from %q", len(all), all)
		}
		if got := names(user, "medewerker", 10); len(got) != 10 || got[9] != "Medewerker 09" {
			t.Errorf("the limit: %q", got)
		}
		if _, err := st.PeopleMatching(ctx, nil, "jan", 5); err == nil {
			t.Error("nobody signed in searched people")
		}

		ids := []int64{jan.ID, gone.ID, percent.ID, under.ID + 1000}
		named := func(activeOnly bool) map[int64]string {
			t.Helper()
			people, err := st.PeopleNamed(ctx, ids, activeOnly)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]string{}
			for _, u := range people {
				out[u.ID] = u.Name
				if u.Active != (u.ID != gone.ID) {
					t.Errorf("%s active: %v", u.Name, u.Active)
				}
			}
			return out
		}
		if all := named(false); len(all) != 3 || all[gone.ID] != "Jan Vertrokken" || all[jan.ID] != "Jan de Vries" {
			t.Errorf("PeopleNamed = %v", all)
		}
		if active := named(true); len(active) != 2 || active[gone.ID] != "" {
			t.Errorf("PeopleNamed, active only = %v", active)
		}
	})
}
