package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestBackupUnderWriteLoad takes a backup while requests are being filed,
// restores it into an empty place and checks it: integrity passes and every
// request in the backup is whole.
func TestBackupUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "live", "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	area, requester, admin := org(t, st)
	var filed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var once sync.Once
	halt := func() { once.Do(func() { close(stop); wg.Wait() }) }
	defer halt()
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion,
					Title: fmt.Sprintf("Vraag %d-%d", w, i), Description: "Tekst", AreaID: area.ID})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := st.AddComment(ctx, requester.Actor(), r.ID, beheer.NewComment{Body: "Aanvulling"}); err != nil {
					t.Error(err)
					return
				}
				filed.Add(1)
			}
		})
	}
	for filed.Load() < 50 {
	}
	backup := filepath.Join(dir, "backup.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	halt()
	if err := st.Backup(ctx, backup); err == nil {
		t.Fatal("backup overwrote an existing file")
	}

	target := filepath.Join(dir, "restored", "beheer.db")
	if err := store.Restore(ctx, backup, target); err != nil {
		t.Fatal(err)
	}
	if err := store.Restore(ctx, backup, target); err == nil {
		t.Fatal("restore overwrote a live database")
	}
	restored, err := store.Open(ctx, target, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	page, err := restored.Requests(ctx, admin.Actor(), store.Filter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatal("backup holds no requests")
	}
	// Every restored request came with its comment: the backup is one snapshot.
	n := 0
	for cursor := ""; ; {
		page, err := restored.Requests(ctx, admin.Actor(), store.Filter{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			comments, err := restored.Comments(ctx, admin.Actor(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(comments) > 1 {
				t.Fatalf("request %s has %d comments", r.Number, len(comments))
			}
			n++
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	t.Logf("backup taken with %d requests filed; %d restored", filed.Load(), n)
}

// TestBackupFileIsPrivate: a backup holds password hashes and webhook
// secrets, so only its owner may read it, whatever the umask; and no
// half-written file is left beside it.
func TestBackupFileIsPrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(dir, "backup.db")
	if err := st.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode().Perm())
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.partial")); len(matches) != 0 {
		t.Errorf("left behind: %v", matches)
	}
	// A folder that cannot be written: an error, and nothing left.
	if err := st.Backup(ctx, filepath.Join(dir, "geen-map", "backup.db")); err == nil {
		t.Error("backup into a missing folder succeeded")
	}
}

// TestLastBackupAndRowCounts: the last backup's outcome is kept and read
// back, and the drill's counts cover every table it names, on both engines.
func TestLastBackupAndRowCounts(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, ok, err := st.LastBackup(ctx); err != nil || ok {
			t.Fatalf("before the first backup: %v %v", ok, err)
		}
		at := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
		for _, run := range []beheer.BackupRun{
			{At: at, File: "/data/backups/beheer-20261203T020000Z.db", Size: 4096},
			{At: at.Add(24 * time.Hour), Err: "backup folder /data/backups: permission denied"},
		} {
			if err := st.RecordBackup(ctx, run); err != nil {
				t.Fatal(err)
			}
			got, ok, err := st.LastBackup(ctx)
			if err != nil || !ok || !got.At.Equal(run.At) || got.File != run.File || got.Size != run.Size || got.Err != run.Err {
				t.Errorf("LastBackup = %+v %v %v, want %+v", got, ok, err, run)
			}
		}
		area, requester, _ := org(t, st)
		if _, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: "Vraag", Description: "Tekst", AreaID: area.ID}); err != nil {
			t.Fatal(err)
		}
		counts, err := st.RowCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]int64{}
		for _, c := range counts {
			rows[c.Table] = c.Rows
		}
		if rows["requests"] != 1 || rows["users"] < 2 || rows["areas"] < 1 {
			t.Errorf("counts %v", counts)
		}
	})
}
