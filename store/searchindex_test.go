package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"beheer"
)

// TestFiledThenEdited: a transaction that files a request and then changes
// its title leaves the full-text index matching the requests. The request
// reaches the index only at commit, and the update trigger takes the old
// title out of it, so saveChanges must index it first.
func TestFiledThenEdited(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t, "")
	u, err := s.CreateUser(ctx, System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(t *tx) error {
		id, _, err := t.createRequest(ctx, u.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verlofsaldo"})
		if err != nil {
			return err
		}
		return t.saveChanges(ctx, u.Actor(), id, []change{{field: "title", column: "title", value: "Reiskosten",
			before: "Verlofsaldo", after: "Reiskosten"}})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO requests_fts (requests_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("full-text index: %v", err)
	}
	var n int
	term := beheer.ParseSearch("reiskosten").Terms[0] // the index holds the analyser's terms
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests_fts WHERE requests_fts MATCH $1`, term).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d requests match the new title (%v), want 1", n, err)
	}
}

// TestBulkLoadMergeSetting: a bulk load turns the full-text index's
// merging off while it loads and sets it back however it ends; a load
// interrupted for good (the process killed) is set back by the next Open.
func TestBulkLoadMergeSetting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beheer.db")
	s := openSQLite(t, path)
	automerge := func(when string) {
		t.Helper()
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT v FROM requests_fts_config WHERE k = 'automerge'`).Scan(&n); err != nil || n != searchAutomerge {
			t.Errorf("%s: automerge %d (%v), want %d", when, n, err, searchAutomerge)
		}
	}
	automerge("new database")
	u, err := s.CreateUser(ctx, System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, "")
	if err != nil {
		t.Fatal(err)
	}
	request := func(i int, requester int64) *BulkRequest {
		now := time.Now()
		return &BulkRequest{Request: beheer.Request{Type: beheer.TypeQuestion, Title: fmt.Sprintf("Geladen vraag %d", i),
			Priority: beheer.PriorityNormal, RequesterID: requester, Phase: beheer.PhaseIntake,
			Status: beheer.StatusAwaitingTriage, CreatedAt: now, UpdatedAt: now}}
	}
	var during []int
	i := 0
	if _, err := s.BulkLoad(ctx, func() (*BulkRequest, bool) {
		i++
		if i == 700 {
			var n int
			if err := s.db.QueryRowContext(ctx, `SELECT v FROM requests_fts_config WHERE k = 'automerge'`).Scan(&n); err == nil {
				during = append(during, n)
			}
		}
		return request(i, u.ID), i <= 1200
	}, nil); err != nil {
		t.Fatal(err)
	}
	if len(during) != 1 || during[0] != 0 {
		t.Errorf("automerge during the load = %v, want [0]", during)
	}
	automerge("after a load")

	// A load that fails halfway (a requester who does not exist) sets it
	// back as well.
	i = 0
	if _, err := s.BulkLoad(ctx, func() (*BulkRequest, bool) {
		i++
		if i == 600 {
			return request(i, 999999), true
		}
		return request(i, u.ID), i <= 1000
	}, nil); err == nil {
		t.Fatal("bulk load with an unknown requester succeeded")
	}
	automerge("after a failed load")

	// A load killed while merging is off (its store never closed): the
	// next Open sets it back.
	if err := s.setSearchMerge(ctx, 0); err != nil {
		t.Fatal(err)
	}
	s = openSQLite(t, path)
	automerge("after opening a database a load left unmerged")
	if _, err := s.db.ExecContext(ctx, `INSERT INTO requests_fts (requests_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("full-text index: %v", err)
	}
}
