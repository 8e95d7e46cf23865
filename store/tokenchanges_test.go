package store_test

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestTokensFollowChanges: an API token answers for its person as they are
// now, whoever changed them — this store, another store on the same database
// (another server, a command) or a statement in the database's console — and
// on PostgreSQL also across a cut in the connection that hears of changes.
// Both engines cache tokens, and the cache keeps entries for an hour here,
// so only what tells it of changes can make it forget: on PostgreSQL its
// notifications, a moment after the commit; on SQLite the count of changes,
// at once. Writing a token's last use is no such change.
func TestTokensFollowChanges(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, dsn string) {
		ctx := context.Background()
		pg := st.Engine() == store.Postgres
		st.SetTokenCacheTTL(time.Hour)
		area, requester, admin := org(t, st)
		other := storetest.Open(t, dsn, storetest.Options{})
		token, err := st.CreateToken(ctx, requester.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		// eventually waits until the token's person passes ok (PostgreSQL);
		// on SQLite it must pass at once.
		eventually := func(what string, ok func(*beheer.User, error) bool) {
			t.Helper()
			var u *beheer.User
			var err error
			if !followed(pg, func() bool { u, err = st.Authenticate(ctx, token); return ok(u, err) }) {
				t.Fatalf("%s: the token still gives %+v, %v", what, u, err)
			}
		}
		named := func(name string) func(*beheer.User, error) bool {
			return func(u *beheer.User, err error) bool { return err == nil && u.Name == name }
		}
		works := func(_ *beheer.User, err error) bool { return err == nil }
		unauthorised := func(_ *beheer.User, err error) bool { return beheer.ErrorCode(err) == beheer.CodeUnauthorized }
		// cached waits until the token is in the cache again.
		cached := func() {
			t.Helper()
			cachedAgain(t, func() { st.Authenticate(ctx, token) }, func() bool { return st.TokenCached(token) })
		}
		eventually("at first", named("Anna"))
		cached()
		st.WaitTokenUses()
		if !st.TokenCached(token) {
			t.Fatal("writing the token's last use emptied the cache")
		}

		// This store's own change holds at once.
		keyUser := []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: area.ID}}
		if err := st.SetRoles(ctx, admin.Actor(), requester.ID, keyUser); err != nil {
			t.Fatal(err)
		}
		if u, err := st.Authenticate(ctx, token); err != nil || !slices.Equal(u.Roles, keyUser) {
			t.Fatalf("roles right after the change: %+v, %v", u, err)
		}
		cached()

		// Another store's change, and one made in the console.
		if err := other.SetLang(ctx, requester.ID, "en"); err != nil {
			t.Fatal(err)
		}
		eventually("language set elsewhere", func(u *beheer.User, err error) bool { return err == nil && u.Lang == "en" })
		cached()
		if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'Anna de Vries' WHERE id = $1`, requester.ID); err != nil {
			t.Fatal(err)
		}
		eventually("name changed in the console", named("Anna de Vries"))
		cached()

		if pg {
			// Cut the listening connections (this store's and the other's);
			// a change made while they are down is not lost, and once this
			// store listens again it hears the next.
			var cut int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE datname = current_database() AND query = 'LISTEN beheer_auth'`).Scan(&cut); err != nil || cut != 2 {
				t.Fatalf("cutting the listening connection: %d cut, %v", cut, err)
			}
			if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'Anna Smit' WHERE id = $1`, requester.ID); err != nil {
				t.Fatal(err)
			}
			eventually("name changed while not listening", named("Anna Smit"))
			if !waitFor(st.ListeningForTokenChanges) {
				t.Fatal("not listening again")
			}
			cached()
			if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'Anna' WHERE id = $1`, requester.ID); err != nil {
				t.Fatal(err)
			}
			eventually("name changed after listening again", named("Anna"))
			cached()
		}

		// Deactivated elsewhere: the token stops working.
		if err := other.SetActive(ctx, admin.Actor(), requester.ID, false); err != nil {
			t.Fatal(err)
		}
		eventually("deactivated elsewhere", unauthorised)
		if err := st.SetActive(ctx, admin.Actor(), requester.ID, true); err != nil {
			t.Fatal(err)
		}
		// Reactivation brings no old token back; a new one works.
		if _, err := st.Authenticate(ctx, token); beheer.ErrorCode(err) != beheer.CodeUnauthorized {
			t.Fatalf("the token of before the deactivation works again: %v", err)
		}
		if token, err = st.CreateToken(ctx, requester.ID, "new"); err != nil {
			t.Fatal(err)
		}
		eventually("active again", works)
		cached()
		// Roles changed elsewhere.
		if err := other.SetRoles(ctx, admin.Actor(), requester.ID, nil); err != nil {
			t.Fatal(err)
		}
		eventually("roles taken elsewhere", func(u *beheer.User, err error) bool { return err == nil && len(u.Roles) == 0 })
		cached()
		// Expired in the console, then revoked elsewhere.
		if _, err := db.ExecContext(ctx, `UPDATE api_tokens SET expires_at = 1 WHERE user_id = $1`, requester.ID); err != nil {
			t.Fatal(err)
		}
		eventually("expired in the console", unauthorised)
		if token, err = st.CreateToken(ctx, requester.ID, "third"); err != nil {
			t.Fatal(err)
		}
		eventually("a new token", works)
		cached()
		tokens, err := other.Tokens(ctx, admin.Actor(), requester.ID)
		if err != nil || tokens[0].Name != "third" {
			t.Fatalf("tokens: %+v, %v", tokens, err)
		}
		if err := other.RevokeToken(ctx, admin.Actor(), tokens[0].ID); err != nil {
			t.Fatal(err)
		}
		eventually("revoked elsewhere", unauthorised)
		if token, err = st.CreateToken(ctx, requester.ID, "fourth"); err != nil {
			t.Fatal(err)
		}
		eventually("another new token", works)
		cached()
		// Deactivated here: at once.
		if err := st.SetActive(ctx, admin.Actor(), requester.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Authenticate(ctx, token); beheer.ErrorCode(err) != beheer.CodeUnauthorized {
			t.Fatalf("right after deactivation here: %v", err)
		}
	})
}

// followed reports whether pass holds as soon as a cache must follow a
// change made elsewhere: on SQLite at once, as the cache checks the count of
// changes; on PostgreSQL once the change's notification has come.
func followed(pg bool, pass func() bool) bool {
	if pg {
		return waitFor(pass)
	}
	return pass()
}

// cachedAgain waits until use has put back in the cache what cached looks
// for, so that only what tells the cache of a change can make it forget.
func cachedAgain(t *testing.T, use func(), cached func() bool) {
	t.Helper()
	if !waitFor(func() bool { use(); return cached() }) {
		t.Fatal("not in the cache again")
	}
}

// waitFor waits until ok holds, and reports whether it did: a change made
// elsewhere reaches a cache a moment after its commit.
func waitFor(ok func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// TestPersonFieldFollowsChanges: a form's person field accepts and names
// the person as they are now, whoever changed them, although the cache that
// remembers people keeps entries for an hour here: a name changed in the
// console is what a new request is found by, and someone deactivated by
// another store is refused — on SQLite at once, on PostgreSQL a moment
// after the commit.
func TestPersonFieldFollowsChanges(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, dsn string) {
		ctx := context.Background()
		pg := st.Engine() == store.Postgres
		st.SetTokenCacheTTL(time.Hour)
		_, requester, admin := org(t, st)
		other := storetest.Open(t, dsn, storetest.Options{})
		if _, err := st.SaveForm(ctx, admin.Actor(), beheer.Form{Type: beheer.TypeWish, Name: beheer.Texts{NL: "Wens"},
			Fields: []beheer.FormField{{Name: "voor_wie", Kind: beheer.FieldPerson, Label: beheer.Texts{NL: "Voor wie"}, Required: true}}}, 0); err != nil {
			t.Fatal(err)
		}
		jan, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "jan@voorbeeld.nl", Name: "Jan Jansen"}, "")
		if err != nil {
			t.Fatal(err)
		}
		file := func() (*beheer.Request, error) {
			return st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeWish, Title: "Rapport",
				Answers: map[string][]string{"voor_wie": {strconv.FormatInt(jan.ID, 10)}}})
		}
		// eventually files until ok holds of the outcome (PostgreSQL); on
		// SQLite it must hold at once.
		eventually := func(what string, ok func(*beheer.Request, error) bool) {
			t.Helper()
			var r *beheer.Request
			var err error
			if !followed(pg, func() bool { r, err = file(); return ok(r, err) }) {
				t.Fatalf("%s: filing gives %+v, %v", what, r, err)
			}
		}
		foundBy := func(word string) func(*beheer.Request, error) bool {
			return func(r *beheer.Request, err error) bool {
				if err != nil {
					return false
				}
				return slices.Contains(pageAll(t, st, admin.Actor(), store.Filter{Query: word}), r.ID)
			}
		}
		// cached waits until the person is in the cache again.
		cached := func() {
			t.Helper()
			cachedAgain(t, func() { file() }, func() bool { return st.PersonCached(jan.ID) })
		}
		eventually("at first", foundBy("Jansen"))
		cached()
		if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'Jan de Boer' WHERE id = $1`, jan.ID); err != nil {
			t.Fatal(err)
		}
		eventually("renamed in the console", foundBy("Boer"))
		cached()
		if err := other.SetActive(ctx, admin.Actor(), jan.ID, false); err != nil {
			t.Fatal(err)
		}
		eventually("deactivated elsewhere", func(_ *beheer.Request, err error) bool {
			return beheer.ErrorCode(err) == beheer.CodeInvalid && strings.Contains(err.Error(), "answers.voor_wie")
		})
	})
}
