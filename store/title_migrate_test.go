package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"beheer/store/storetest"
)

// TestTitleOneLineMigration fills requests and a task whose titles hold
// every kind of line break into the schema from before titles were one
// line, migrates it and reads them back on one line, on both engines; a
// title without a break and a description with one are left as they are.
func TestTitleOneLineMigration(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn, driver, p := oldSchema(t, engine, 210)
			ids := oldRequests(t, driver, dsn, p.user.UserID, p.hr,
				"Declaratie\r\nreiskosten\nmaart\rapril\vmei\fjuni\u0085juli\u2028augustus\u2029september", "Verlof aanvragen")
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`UPDATE requests SET description = $1 WHERE id = $2`, "regel 1\nregel 2", ids[0]); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`INSERT INTO tasks (request_id, title, status, created_by, created_at) VALUES ($1, $2, 'open', $3, $4)`,
				ids[0], "Controleer\r\nde loonstrook", p.admin.UserID, time.Now().UnixMilli()); err != nil {
				t.Fatal(err)
			}

			st := storetest.Open(t, dsn, storetest.Options{})
			for id, want := range map[int64]string{
				ids[0]: "Declaratie reiskosten maart april mei juni juli augustus september",
				ids[1]: "Verlof aanvragen",
			} {
				r, _, err := st.Request(ctx, p.admin, id)
				if err != nil || r.Title != want {
					t.Fatalf("request %d after the migration: %+v %v, want the title %q", id, r, err, want)
				}
				if id == ids[0] && r.Description != "regel 1\nregel 2" {
					t.Errorf("the description changed: %q", r.Description)
				}
			}
			tasks, err := st.Tasks(ctx, p.admin, ids[0])
			if err != nil || len(tasks) != 1 || tasks[0].Title != "Controleer de loonstrook" {
				t.Fatalf("tasks after the migration: %+v %v", tasks, err)
			}
		})
	}
}
