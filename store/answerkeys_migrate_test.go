package store_test

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestAnswerKeysMigration: requests filed through a form before answers had
// keys in SQLite's search index (migration 0260) are found by a queue
// filtered on an answer after the upgrade, in every order; the search
// index stays whole and their words are still found. PostgreSQL, which
// finds answers through their value index, finds them the same.
func TestAnswerKeysMigration(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn, driver := emptyDatabase(t, engine)
			old, err := store.OpenBefore(ctx, dsn, 260)
			if err != nil {
				t.Fatal(err)
			}
			_, requester, admin := org(t, old)
			authForm(t, old, admin.Actor())
			who := strconv.FormatInt(requester.ID, 10)
			var prod []int64
			for i, env := range []string{"productie", "test", "productie"} {
				r, err := old.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeAccess,
					Title: "Loonstrook inzien " + strconv.Itoa(i), Answers: map[string][]string{"voor_wie": {who},
						"autorisatiegroep": {"salarisadministratie"}, "omgeving": {env}, "vanaf": {"2026-03-01"}}})
				if err != nil {
					t.Fatal(err)
				}
				if env == "productie" {
					prod = append(prod, r.ID)
				}
			}
			old.Close()
			// Before 0260 the terms held no keys, and every request's terms
			// had been filled in (a store opened before 0260 in a test
			// leaves that to the next one).
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`DELETE FROM search_reindex`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`UPDATE requests SET search_terms = $1 WHERE form_version_id IS NOT NULL`,
				beheer.IndexTerms("Loonstrook inzien")); err != nil {
				t.Fatal(err)
			}

			st := storetest.Open(t, dsn, storetest.Options{})
			for sort := range store.Sorts {
				f := store.Filter{Sort: sort, Answers: []store.AnswerFilter{{Field: "omgeving", Value: "productie"}}}
				got := pageAll(t, st, admin.Actor(), f)
				slices.Sort(got)
				if !slices.Equal(got, prod) {
					t.Errorf("%s after the upgrade: %v, want %v", sort, got, prod)
				}
			}
			if got := pageAll(t, st, admin.Actor(), store.Filter{Query: "loonstroken"}); len(got) != 3 {
				t.Errorf("a search after the upgrade finds %v, want the three requests", got)
			}
			if engine == "sqlite" {
				if _, err := db.Exec(`INSERT INTO requests_fts (requests_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
					t.Errorf("the search index after the upgrade: %v", err)
				}
			}
			var left int
			if err := db.QueryRow(`SELECT COUNT(*) FROM search_reindex`).Scan(&left); err != nil || left != 0 {
				t.Errorf("search_reindex after the upgrade: %d rows, %v", left, err)
			}
		})
	}
}
