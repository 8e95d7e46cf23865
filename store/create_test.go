package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestCreateRequestWritesItsHistory: filing a request writes its number,
// its first status period, the event and the audit row — on PostgreSQL in
// one statement, on SQLite in several; both must write the same — and
// numbers past 9999 are not cut to four digits.
func TestCreateRequestWritesItsHistory(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn, driver := filepath.Join(t.TempDir(), "beheer.db"), "sqlite"
			if engine == "postgres" {
				dsn, driver = storetest.PostgresURL(t), "pgx"
			}
			st, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			area, requester, admin := org(t, st)
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verlof", AreaID: area.ID})
			if err != nil {
				t.Fatal(err)
			}
			year := time.Now().In(amsterdam(t)).Year()
			if want := fmt.Sprintf("%d-0001", year); r.Number != want || r.Phase != beheer.PhaseIntake || r.Status != beheer.StatusAwaitingTriage {
				t.Fatalf("request %s %s %s, want %s in intake awaiting triage", r.Number, r.Phase, r.Status, want)
			}
			audit, err := st.Audit(ctx, admin.Actor(), r.ID)
			if err != nil || len(audit) != 1 || audit[0].Action != "request.created" || audit[0].After != r.Number || audit[0].ActorID != requester.ID {
				t.Fatalf("audit %+v %v", audit, err)
			}
			events, err := st.EventsAfter(ctx, 0, 10)
			if err != nil || len(events) != 1 || events[0].Kind != store.EventRequestFiled || events[0].RequestID != r.ID || events[0].ActorID != requester.ID || events[0].Internal {
				t.Fatalf("events %+v %v", events, err)
			}

			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`UPDATE request_counters SET last = 9999 WHERE year = $1`, year); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"10000", "10001"} {
				r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Nog een"})
				if err != nil || r.Number != fmt.Sprintf("%d-%s", year, want) {
					t.Fatalf("number %q %v, want %d-%s", r.Number, err, year, want)
				}
			}
		})
	}
}

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
