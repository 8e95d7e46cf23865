package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestAreaByCodeSeesNewAreas: AreaByCode remembers the areas it found, but
// a code it did not find is looked up again, so an area another process
// (here a second store on the same database) creates is found at once; and
// a request filed in a remembered area lands there.
func TestAreaByCodeSeesNewAreas(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, one *store.Store, _ *sql.DB, dsn string) {
		ctx := context.Background()
		other := storetest.Open(t, dsn, storetest.Options{})
		_, requester, _ := org(t, one)

		var be *beheer.Error
		if _, err := one.AreaByCode(ctx, "salaris"); !errors.As(err, &be) || be.Code != beheer.CodeNotFound {
			t.Fatalf("unknown area: %v, want not found", err)
		}
		made, err := other.CreateArea(ctx, store.System, beheer.Area{Code: "salaris", Name: "Salaris"})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // found in the database, then remembered
			a, err := one.AreaByCode(ctx, "Salaris")
			if err != nil || a.ID != made.ID || a.Name != "Salaris" {
				t.Fatalf("area %+v %v, want %+v", a, err, made)
			}
		}
		r, err := one.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Loonstrook", AreaID: made.ID})
		if err != nil || r.AreaID != made.ID || r.AreaCode != "salaris" {
			t.Fatalf("request %+v %v", r, err)
		}
		if _, err := one.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Elders", AreaID: made.ID + 100}); err == nil {
			t.Fatal("a request in an area that does not exist was filed")
		}
	})
}
