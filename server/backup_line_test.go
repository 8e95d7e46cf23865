package server_test

import (
	"context"
	"html/template"
	"net/http"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestHomeShowsLastBackup: technical admins see on the home page how the
// last backup went (file, size, or the error); nobody else does.
func TestHomeShowsLastBackup(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		tech, fleur := wpLogin(t, f, technical), wpLogin(t, f, functional)
		home := func(b *wpBrowser) response { return wpWant(t, b.get("/"), http.StatusOK) }
		if st.Engine() == store.Postgres {
			wpContains(t, home(tech), `id="backup-status"`, rpNL("home.backup_postgres"))
			return
		}
		wpContains(t, home(tech), rpNL("home.backup_none"))
		at := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
		if err := st.RecordBackup(context.Background(), beheer.BackupRun{At: at,
			File: "/data/backups/beheer-20261203T020000Z.db", Size: 3 << 20}); err != nil {
			t.Fatal(err)
		}
		wpContains(t, home(tech), "beheer-20261203T020000Z.db (3 MB)", "3 dec. 2026 03:00")
		if err := st.RecordBackup(context.Background(), beheer.BackupRun{At: at.Add(24 * time.Hour),
			Err: "backup folder /data/backups: permission denied"}); err != nil {
			t.Fatal(err)
		}
		wpContains(t, home(tech), `class="flash error"`, template.HTMLEscapeString("backup folder /data/backups: permission denied"))
		wpLacks(t, home(fleur), `id="backup-status"`)
	})
}
