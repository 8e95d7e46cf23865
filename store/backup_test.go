package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"beheer"
	"beheer/store"
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
