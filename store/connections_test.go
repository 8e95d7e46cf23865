package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// testKey is a secret key for tests: 32 bytes, base64.
const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func secretBox(t *testing.T, key string) *beheer.SecretBox {
	t.Helper()
	b, err := beheer.ParseSecretKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// admins adds a technical admin to org's cast.
func technicalAdmin(t *testing.T, st *store.Store) *beheer.User {
	t.Helper()
	u, err := st.CreateUser(context.Background(), store.System, beheer.NewUser{Email: "tom@voorbeeld.nl", Name: "Tom",
		Roles: []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// rawSettings reads the settings table as it is on disk.
func rawSettings(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT key, value FROM settings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

// TestConnectionSecretsSealed: a secret saved from a page is sealed on
// disk, opens again with the key, is never in the audit trail, and does
// not open with another key; without a key none can be saved.
func TestConnectionSecretsSealed(t *testing.T) {
	const password = "Zomer2026!geheim"
	storetest.EnginesWithDB(t, storetest.Options{Secrets: secretBox(t, testKey)}, func(t *testing.T, st *store.Store, db *sql.DB, dsn string) {
		ctx := context.Background()
		_, requester, admin := org(t, st)
		change := store.ConnChange{beheer.ConnSMTPHost: "smtp.voorbeeld.nl", beheer.ConnSMTPPort: "587",
			beheer.ConnSMTPUser: "beheer", beheer.ConnSMTPPassword: password, beheer.ConnMailFrom: "Beheer <beheer@voorbeeld.nl>"}
		if err := st.SetConnections(ctx, requester.Actor(), beheer.ConnMail, "", change); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester changed the mail settings: %v", err)
		}
		if err := st.SetConnections(ctx, admin.Actor(), beheer.ConnMail, "", change); err != nil {
			t.Fatal(err)
		}
		raw := rawSettings(t, db)
		if sealed := raw["conn.smtp_password"]; !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, password) {
			t.Fatalf("the password is not sealed on disk: %q", sealed)
		}
		if raw["conn.smtp_host"] != "smtp.voorbeeld.nl" {
			t.Errorf("host on disk = %q", raw["conn.smtp_host"])
		}
		got, err := st.Connections(ctx)
		if err != nil || got.Values[beheer.ConnSMTPPassword] != password || got.Values.Port(beheer.ConnSMTPPort) != 587 {
			t.Fatalf("read back %v, %v", got, err)
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM audit WHERE before_value LIKE '%geheim%' OR after_value LIKE '%geheim%' OR field LIKE '%geheim%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the password is in %d audit rows (%v)", n, err)
		}
		var action string
		if err := db.QueryRow(`SELECT action FROM audit WHERE field = 'smtp_password'`).Scan(&action); err != nil || action != "settings.secret_replaced" {
			t.Fatalf("audit of the password: %q, %v", action, err)
		}

		// Saving the same again changes nothing and writes no audit row.
		before := countAudit(t, db)
		if err := st.SetConnections(ctx, admin.Actor(), beheer.ConnMail, "", change); err != nil {
			t.Fatal(err)
		}
		if after := countAudit(t, db); after != before {
			t.Errorf("an unchanged save wrote %d audit rows", after-before)
		}

		// Another key: the secret counts as not set, and says so.
		other := storetest.Open(t, dsn, storetest.Options{Secrets: secretBox(t, strings.Repeat("ab", 32))})
		got, err = other.Connections(ctx)
		if err != nil || got.Values[beheer.ConnSMTPPassword] != "" || len(got.Unreadable) != 1 || !got.Kept[beheer.ConnSMTPPassword] {
			t.Fatalf("with another key: %+v, %v", got, err)
		}

		// Without a key: a new secret is refused beside its field, and
		// nothing of the change is saved.
		keyless := storetest.Open(t, dsn, storetest.Options{})
		err = keyless.SetConnections(ctx, admin.Actor(), beheer.ConnMail, "", store.ConnChange{beheer.ConnSMTPHost: "smtp2.voorbeeld.nl",
			beheer.ConnSMTPPassword: "nieuw"})
		if !hasFieldKey(err, beheer.ConnSMTPPassword, "admin.conn.no_key") {
			t.Fatalf("a secret saved without a key: %v", err)
		}
		if raw := rawSettings(t, db); raw["conn.smtp_host"] != "smtp.voorbeeld.nl" {
			t.Errorf("the host changed although the change was refused: %q", raw["conn.smtp_host"])
		}
		// Clearing needs no key.
		if err := keyless.SetConnections(ctx, admin.Actor(), beheer.ConnMail, "", store.ConnChange{beheer.ConnSMTPPassword: ""}); err != nil {
			t.Fatal(err)
		}
		if _, ok := rawSettings(t, db)["conn.smtp_password"]; ok {
			t.Error("the cleared password is still on disk")
		}
	})
}

func countAudit(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// hasFieldKey reports whether err is invalid with key beside field.
func hasFieldKey(err error, field, key string) bool {
	be, ok := err.(*beheer.Error)
	if !ok {
		return false
	}
	for _, f := range be.Fields {
		if f.Field == field && f.Key == key {
			return true
		}
	}
	return false
}

// TestConnectionRules: bad values are refused beside their fields and
// nothing is half-saved; a technical admin keeps the provider but not
// what hands out roles.
func TestConnectionRules(t *testing.T) {
	storetest.Engines(t, storetest.Options{Secrets: secretBox(t, testKey)}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, _, admin := org(t, st)
		tech := technicalAdmin(t, st)
		err := st.SetConnections(ctx, admin.Actor(), beheer.ConnSignOn, "", store.ConnChange{
			beheer.ConnOIDCIssuer: "niet-een-adres", beheer.ConnOIDCName: "Microsoft Entra"})
		if !hasFieldKey(err, beheer.ConnOIDCIssuer, "admin.conn.bad_url") || !hasFieldKey(err, beheer.ConnOIDCClientID, "admin.conn.needed_by") {
			t.Fatalf("a bad issuer: %v", err)
		}
		if got, _ := st.Connections(ctx); len(got.Values) != 0 {
			t.Fatalf("half-saved: %v", got.Values)
		}
		signOn := store.ConnChange{beheer.ConnOIDCIssuer: "https://login.voorbeeld.nl", beheer.ConnOIDCClientID: "beheer",
			beheer.ConnOIDCRedirectURL: "https://beheer.voorbeeld.nl/sso/callback", beheer.ConnOIDCClientSecret: "s3cr3t"}
		if err := st.SetConnections(ctx, tech.Actor(), beheer.ConnSignOn, "", signOn); err != nil {
			t.Fatalf("a technical admin set up the provider: %v", err)
		}
		for _, c := range []store.ConnChange{
			{beheer.ConnOIDCRoles: "beheer=functional_admin"},
			{beheer.ConnOIDCCreateUsers: "true"},
		} {
			if err := st.SetConnections(ctx, tech.Actor(), beheer.ConnSignOn, "", c); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("a technical admin changed %v: %v", c, err)
			}
		}
		if err := st.SetConnections(ctx, admin.Actor(), beheer.ConnSignOn, "", store.ConnChange{
			beheer.ConnOIDCRoles: "beheer=functional_admin", beheer.ConnOIDCCreateUsers: "true"}); err != nil {
			t.Fatal(err)
		}
		// Now accounts come from the provider: moving it hands out roles.
		if err := st.SetConnections(ctx, tech.Actor(), beheer.ConnSignOn, "", store.ConnChange{
			beheer.ConnOIDCIssuer: "https://andere.voorbeeld.nl"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a technical admin moved the provider that creates accounts: %v", err)
		}
		if err := st.SetConnections(ctx, admin.Actor(), beheer.ConnMail, "", store.ConnChange{beheer.ConnOIDCIssuer: "x"}); !hasFieldKey(err, beheer.ConnOIDCIssuer, "field.unknown") {
			t.Errorf("a sign-on key on the mail page: %v", err)
		}
		got, err := st.Connections(ctx)
		if err != nil || got.Values.Get(beheer.ConnOIDCIssuer) != "https://login.voorbeeld.nl" || !got.Values.On(beheer.ConnOIDCCreateUsers) ||
			got.Values.Get(beheer.ConnOIDCName) != "SSO" {
			t.Fatalf("read back %v, %v", got.Values, err)
		}
	})
}
