package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// tokenSecret is a token's secret as the page shows it once.
var tokenSecret = regexp.MustCompile(`id="token-secret">(bhr_[A-Za-z0-9_-]+)<`)

// TestTokenPages: a person makes a token on the page (the secret shown
// once opens the API), sees it listed without its secret, and cannot
// revoke someone else's; a name with a line break or an expiry past the
// organisation's maximum is refused beside its field. A functional admin
// lists everyone's tokens and revokes the person's, which stops working
// at once; the person may not open everyone's list.
func TestTokenPages(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		anna, admin := wpLogin(t, f, requester), wpLogin(t, f, functional)

		r := wpWant(t, anna.post("/settings/tokens", url.Values{"name": {"Twee\nregels"}, "expires_in_days": {"9999"}}),
			http.StatusUnprocessableEntity)
		if wpField(r, "name") != rpText("field.single_line") || !strings.Contains(wpField(r, "expires_in_days"), "365") {
			t.Fatalf("refused fields: name %q, expiry %q", wpField(r, "name"), wpField(r, "expires_in_days"))
		}

		r = wpWant(t, anna.post("/settings/tokens", url.Values{"name": {"Power Automate"}, "expires_in_days": {"30"}}), http.StatusCreated)
		m := tokenSecret.FindStringSubmatch(r.raw)
		if m == nil {
			t.Fatalf("no secret shown:\n%s", r.raw)
		}
		secret := m[1]
		me, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/me", nil)
		me.Header.Set("Authorization", "Bearer "+secret)
		if got := f.do(me); got.status != http.StatusOK {
			t.Fatalf("the new token answered %d", got.status)
		}
		st.WaitTokenUses()
		list := wpWant(t, anna.get("/settings/tokens"), http.StatusOK)
		if !strings.Contains(list.raw, "Power Automate") || strings.Contains(list.raw, secret) {
			t.Fatal("the list lacks the token or shows its secret again")
		}
		wpWant(t, anna.get("/settings/tokens/all"), http.StatusForbidden)

		var all []map[string]any
		if err := json.Unmarshal([]byte(f.want(f.call(functional, "GET", "/api/v1/tokens?user=all", nil), http.StatusOK).raw), &all); err != nil {
			t.Fatal(err)
		}
		var id, other int64
		for _, tok := range all {
			switch {
			case tok["name"] == "Power Automate":
				id = int64(tok["id"].(float64))
			case tok["user_id"].(float64) != float64(f.ids[requester]):
				other = int64(tok["id"].(float64))
			}
		}
		if id == 0 || other == 0 {
			t.Fatalf("tokens %v", all)
		}
		wpWant(t, anna.post("/settings/tokens/"+itoa(other)+"/revoke", url.Values{}), http.StatusNotFound)

		page := wpWant(t, admin.get("/settings/tokens/all"), http.StatusOK)
		if !strings.Contains(page.raw, "Power Automate") || !strings.Contains(page.raw, "/settings/tokens/"+itoa(id)+"/revoke") {
			t.Fatal("the admin's list lacks the person's token")
		}
		r = admin.post("/settings/tokens/"+itoa(id)+"/revoke", url.Values{"from": {"all"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings/tokens/all?done=revoked" {
			t.Fatalf("revoking: %d %s", r.status, r.header.Get("Location"))
		}
		if got := f.do(me); got.status != http.StatusUnauthorized {
			t.Errorf("the revoked token answered %d", got.status)
		}
	})
}
