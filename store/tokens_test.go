package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestTokenLifecycle: a token lives within the organisation's bounds, is
// refused once expired, revoked by its owner or a functional admin for
// every area (for anyone else it does not exist), refused at once by
// another store on the same database after revocation, and its last use is
// written at most once a minute, after the answer.
func TestTokenLifecycle(t *testing.T) {
	c := &regClock{t: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	storetest.EnginesWithDB(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store, db *sql.DB, dsn string) {
		ctx := context.Background()
		_, anna, fleur := org(t, st)
		other := storetest.Open(t, dsn, storetest.Options{Now: c.now})
		refused := func(s *store.Store, token string) bool {
			_, err := s.Authenticate(ctx, token)
			return beheer.ErrorCode(err) == beheer.CodeUnauthorized
		}

		t.Run("expiry within bounds", func(t *testing.T) {
			_, _, err := st.IssueToken(ctx, anna.Actor(), anna.ID, beheer.NewToken{Name: "AFAS", ExpiresInDays: 366})
			if beheer.ErrorCode(err) != beheer.CodeInvalid {
				t.Fatalf("a token beyond the maximum: %v", err)
			}
			secret, tok, err := st.IssueToken(ctx, anna.Actor(), anna.ID, beheer.NewToken{Name: "AFAS", ExpiresInDays: 2})
			if err != nil || !tok.ExpiresAt.Equal(c.now().Add(48*time.Hour)) {
				t.Fatalf("issue: %+v %v", tok, err)
			}
			if refused(st, secret) || refused(other, secret) {
				t.Fatal("a fresh token refused")
			}
			c.add(48*time.Hour + time.Second)
			if !refused(st, secret) || !refused(other, secret) {
				t.Fatal("an expired token works")
			}
		})

		t.Run("who revokes", func(t *testing.T) {
			_, tok, err := st.IssueToken(ctx, anna.Actor(), anna.ID, beheer.NewToken{Name: "script"})
			if err != nil {
				t.Fatal(err)
			}
			stranger, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "piet@voorbeeld.nl", Name: "Piet"}, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := st.RevokeToken(ctx, stranger.Actor(), tok.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
				t.Fatalf("a stranger revoked: %v", err)
			}
			if _, err := st.Tokens(ctx, stranger.Actor(), anna.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a stranger listed: %v", err)
			}
			if _, _, err := st.IssueToken(ctx, stranger.Actor(), anna.ID, beheer.NewToken{Name: "x"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a stranger made a token for someone else: %v", err)
			}
			if err := st.RevokeToken(ctx, fleur.Actor(), tok.ID); err != nil {
				t.Fatalf("the functional admin: %v", err)
			}
			if err := st.RevokeToken(ctx, anna.Actor(), tok.ID); err != nil {
				t.Fatalf("revoking twice: %v", err)
			}
			all, err := st.Tokens(ctx, fleur.Actor(), 0)
			if err != nil || len(all) < 2 || all[0].ID != tok.ID || all[0].RevokedAt == nil {
				t.Fatalf("every token: %+v %v", all, err)
			}
		})

		t.Run("revoked at once everywhere", func(t *testing.T) {
			secret, tok, err := st.IssueToken(ctx, anna.Actor(), anna.ID, beheer.NewToken{Name: "koppeling"})
			if err != nil {
				t.Fatal(err)
			}
			for range 3 { // into the other store's cache
				if refused(other, secret) {
					t.Fatal("refused before revocation")
				}
			}
			if err := st.RevokeToken(ctx, anna.Actor(), tok.ID); err != nil {
				t.Fatal(err)
			}
			if !refused(st, secret) {
				t.Fatal("this store still takes the revoked token")
			}
			deadline := time.Now().Add(time.Second)
			for !refused(other, secret) {
				if time.Now().After(deadline) {
					t.Fatal("the other store still takes the revoked token after a second")
				}
				time.Sleep(2 * time.Millisecond)
			}
		})

		t.Run("last use at most once a minute", func(t *testing.T) {
			secret, tok, err := st.IssueToken(ctx, anna.Actor(), anna.ID, beheer.NewToken{Name: "gebruik"})
			if err != nil {
				t.Fatal(err)
			}
			lastUse := func() *time.Time {
				t.Helper()
				st.WaitTokenUses()
				list, err := st.Tokens(ctx, anna.Actor(), anna.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range list {
					if x.ID == tok.ID {
						return x.LastUsedAt
					}
				}
				t.Fatal("the token is not listed")
				return nil
			}
			if lastUse() != nil {
				t.Fatal("used before its first use")
			}
			first := c.now()
			st.Authenticate(ctx, secret)
			if u := lastUse(); u == nil || !u.Equal(first.Truncate(time.Millisecond)) {
				t.Fatalf("first use: %v, want %v", u, first)
			}
			c.add(30 * time.Second)
			for range 20 {
				st.Authenticate(ctx, secret)
			}
			if u := lastUse(); !u.Equal(first.Truncate(time.Millisecond)) {
				t.Fatalf("written again within the minute: %v", u)
			}
			c.add(31 * time.Second)
			st.Authenticate(ctx, secret)
			if u := lastUse(); !u.Equal(c.now().Truncate(time.Millisecond)) {
				t.Fatalf("after a minute: %v, want %v", u, c.now())
			}
		})

		t.Run("deactivation revokes for good", func(t *testing.T) {
			secret, err := st.CreateToken(ctx, anna.ID, "voor altijd")
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetActive(ctx, fleur.Actor(), anna.ID, false); err != nil {
				t.Fatal(err)
			}
			if err := st.SetActive(ctx, fleur.Actor(), anna.ID, true); err != nil {
				t.Fatal(err)
			}
			if !refused(st, secret) || !refused(other, secret) {
				t.Fatal("reactivation brought the token back")
			}
			list, _ := st.Tokens(ctx, anna.Actor(), anna.ID)
			for _, x := range list {
				if x.RevokedAt == nil {
					t.Errorf("token %d of before the deactivation is not revoked", x.ID)
				}
			}
		})

		t.Run("kept as security events", func(t *testing.T) {
			created, err := st.SecurityEvents(ctx, fleur.Actor(), beheer.SecurityEventFilter{Kind: beheer.EventTokenCreated})
			if err != nil || len(created) < 4 {
				t.Fatalf("token.created: %d, %v", len(created), err)
			}
			revoked, err := st.SecurityEvents(ctx, fleur.Actor(), beheer.SecurityEventFilter{Kind: beheer.EventTokenRevoked, UserID: anna.ID})
			if err != nil || len(revoked) != 3 || revoked[0].Account != "anna@voorbeeld.nl" ||
				!strings.Contains(revoked[0].Detail, "deactivated") {
				t.Fatalf("token.revoked: %+v, %v", revoked, err)
			}
			if _, err := st.SecurityEvents(ctx, anna.Actor(), beheer.SecurityEventFilter{}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a requester read the security events: %v", err)
			}
		})
	})
}

// BenchmarkAuthenticate is the API's hot path: one token looked up again
// and again, from every core, its last use written once a minute.
func BenchmarkAuthenticate(b *testing.B) {
	st := storetest.SQLite(b, storetest.Options{})
	ctx := context.Background()
	u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "anna@voorbeeld.nl", Name: "Anna"}, "")
	if err != nil {
		b.Fatal(err)
	}
	token, err := st.CreateToken(ctx, u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.Authenticate(ctx, token); err != nil {
				b.Error(err)
			}
		}
	})
}
