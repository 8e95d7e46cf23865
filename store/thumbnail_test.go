package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestThumbnail: a thumbnail is kept once beside its file, shown only to
// whoever may see the request, and purged with the file.
func TestThumbnail(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	storetest.EnginesWithDB(t, storetest.Options{Now: func() time.Time { return now }}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		other, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "bram@voorbeeld.nl", Name: "Bram"}, "")
		if err != nil {
			t.Fatal(err)
		}
		r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Foutmelding bij declareren",
			AreaID: area.ID, Attachments: []beheer.Upload{{Name: "scherm.png", Data: pngBytes}}})
		if err != nil {
			t.Fatal(err)
		}
		files, err := st.Attachments(ctx, requester.Actor(), r.ID)
		if err != nil || len(files) != 1 || files[0].ThumbType != "" || !files[0].Previewable() {
			t.Fatalf("before the first view: %+v %v", files, err)
		}
		id := files[0].ID
		if a, thumb, err := st.Thumbnail(ctx, requester.Actor(), id); err != nil || a.ThumbType != "" || thumb != nil {
			t.Fatalf("no thumbnail yet: %+v %v %v", a, thumb, err)
		}
		made := []byte("\xff\xd8\xff made")
		if err := st.SaveThumbnail(ctx, id, "image/jpeg", made); err != nil {
			t.Fatal(err)
		}
		// Another process that made it as well does not replace it.
		if err := st.SaveThumbnail(ctx, id, beheer.ThumbNone, nil); err != nil {
			t.Fatal(err)
		}
		for _, who := range []*beheer.User{requester, admin} {
			a, thumb, err := st.Thumbnail(ctx, who.Actor(), id)
			if err != nil || a.ThumbType != "image/jpeg" || !bytes.Equal(thumb, made) {
				t.Errorf("%s: %+v %q %v", who.Name, a, thumb, err)
			}
		}
		if _, _, err := st.Thumbnail(ctx, other.Actor(), id); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("another user: %v, want not found", err)
		}
		if _, _, err := st.Thumbnail(ctx, requester.Actor(), id+100); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("a missing file: %v, want not found", err)
		}

		// The retention purge empties the thumbnail with the file.
		for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation, beheer.PhaseClosed} {
			if _, err := st.Transition(ctx, admin.Actor(), r.ID, 0, beheer.Transition{To: to}); err != nil {
				t.Fatal(err)
			}
		}
		later := st.WithClock(func() time.Time { return now.AddDate(0, 7, 0) })
		if n, err := later.PurgeAttachments(ctx, 6); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		var left int
		if err := db.QueryRow(`SELECT COUNT(*) FROM attachments WHERE thumb IS NOT NULL OR data IS NOT NULL`).Scan(&left); err != nil || left != 0 {
			t.Errorf("%d attachments keep bytes after the purge (%v)", left, err)
		}
		if _, _, err := st.Thumbnail(ctx, requester.Actor(), id); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("a purged file's thumbnail: %v, want not found", err)
		}
		if err := st.SaveThumbnail(ctx, id, "image/jpeg", made); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT COUNT(*) FROM attachments WHERE thumb IS NOT NULL`).Scan(&left); err != nil || left != 0 {
			t.Errorf("a purged file got a thumbnail again (%v)", err)
		}
	})
}
