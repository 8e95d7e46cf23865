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

// fieldKey is the message key of field in a validation error, or "".
func fieldKey(err error, field string) string {
	var be *beheer.Error
	if errors.As(err, &be) {
		for _, f := range be.Fields {
			if f.Field == field {
				return f.Key
			}
		}
	}
	return ""
}

// TestProcessPlacesRequest: a process names its area. A request filed or
// changed with only a process goes into the process's area; a process with
// another area, or one that does not exist, is refused on the field process
// and nothing is written; a move by process is judged by the same scope
// rule as a move by area.
func TestProcessPlacesRequest(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		fin, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "financieel", Name: "Financieel"})
		if err != nil {
			t.Fatal(err)
		}
		claims, err := st.CreateProcess(ctx, store.System, beheer.Process{AreaID: fin.ID, Name: "Declaraties"})
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM requests`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		t.Run("create with only a process", func(t *testing.T) {
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Km-vergoeding", ProcessID: claims.ID})
			if err != nil {
				t.Fatal(err)
			}
			if r.AreaID != fin.ID || r.ProcessID != claims.ID || r.AreaCode != "financieel" {
				t.Fatalf("created in area %d (%q), process %d; want %d, %d", r.AreaID, r.AreaCode, r.ProcessID, fin.ID, claims.ID)
			}
			read, _, err := st.Request(ctx, requester.Actor(), r.ID)
			if err != nil || read.AreaID != fin.ID || read.ProcessID != claims.ID {
				t.Fatalf("stored %+v %v", read, err)
			}
		})

		for _, tc := range []struct {
			name    string
			n       beheer.NewRequest
			wantKey string
		}{
			{"create with a process of another area", beheer.NewRequest{AreaID: hr.ID, ProcessID: claims.ID}, "field.unknown_process"},
			{"create with an unknown process", beheer.NewRequest{ProcessID: claims.ID + 1000}, "field.process_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := count()
				tc.n.Type, tc.n.Title = beheer.TypeQuestion, "Geweigerd"
				_, err := st.CreateRequest(ctx, requester.Actor(), tc.n)
				if beheer.ErrorCode(err) != beheer.CodeInvalid || fieldKey(err, "process") != tc.wantKey {
					t.Fatalf("%v, want %s on process", err, tc.wantKey)
				}
				if count() != before {
					t.Fatal("a refused request was written")
				}
			})
		}

		t.Run("patch with only a process moves the request to its area", func(t *testing.T) {
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verkeerd gebied", AreaID: hr.ID})
			if err != nil {
				t.Fatal(err)
			}
			// A process with an area it does not belong to changes nothing.
			_, err = st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{AreaID: &hr.ID, ProcessID: &claims.ID})
			if fieldKey(err, "process") != "field.unknown_process" {
				t.Fatalf("%v, want field.unknown_process on process", err)
			}
			// A functional admin of HR alone may not move it to Financieel
			// by naming a process there, as by naming the area.
			hrAdmin, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "henk@voorbeeld.nl", Name: "Henk",
				Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin, AreaID: hr.ID}}}, "")
			if err != nil {
				t.Fatal(err)
			}
			_, err = st.UpdateRequest(ctx, hrAdmin.Actor(), r.ID, r.Version, beheer.Patch{ProcessID: &claims.ID})
			var be *beheer.Error
			if !errors.As(err, &be) || be.Key != "request.area_out_of_scope" {
				t.Fatalf("%v, want request.area_out_of_scope", err)
			}
			if got, _, _ := st.Request(ctx, admin.Actor(), r.ID); got.AreaID != hr.ID || got.ProcessID != 0 || got.Version != r.Version {
				t.Fatalf("refused patches changed %+v", got)
			}
			moved, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, r.Version, beheer.Patch{ProcessID: &claims.ID})
			if err != nil {
				t.Fatal(err)
			}
			if moved.AreaID != fin.ID || moved.ProcessID != claims.ID {
				t.Fatalf("patched to area %d, process %d; want %d, %d", moved.AreaID, moved.ProcessID, fin.ID, claims.ID)
			}
			audit, err := st.Audit(ctx, admin.Actor(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			changed := map[string]bool{}
			for _, a := range audit {
				changed[a.Field] = true
			}
			if !changed["area"] || !changed["process"] {
				t.Fatalf("audit %+v lacks the area or the process", audit)
			}
		})
	})
}
