package store

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"beheer"
)

// TestFiledThenEdited: a transaction that files a request and then changes
// its title leaves the full-text index matching the requests. The request
// reaches the index only at commit, and the update trigger takes the old
// title out of it, so saveChanges must index it first.
func TestFiledThenEdited(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "beheer.db"), Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests_fts WHERE requests_fts MATCH 'reiskosten'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d requests match the new title (%v), want 1", n, err)
	}
}
