package store

import (
	"testing"
	"time"

	"beheer"
)

// TestAuthCacheGenerations: what a lookup read before the cache was told to
// forget is not kept, nor anything while nobody listens for changes, and the
// cache hands out copies.
func TestAuthCacheGenerations(t *testing.T) {
	c := newAuthCache()
	now := time.Now()
	sum := [32]byte{1}
	anna := &beheer.User{ID: 7, Name: "Anna", Roles: []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: 3}}}

	_, _, gen := c.get(tokenKey(sum), now)
	c.put(tokenKey(sum), gen, authEntry{u: anna, token: 5}, now)
	if e, _, _ := c.get(tokenKey(sum), now); e.u != nil {
		t.Fatal("kept while not listening for changes")
	}

	c.setListening(true)
	_, _, gen = c.get(tokenKey(sum), now)
	c.forget() // a change committed while the lookup ran
	c.put(tokenKey(sum), gen, authEntry{u: anna, token: 5}, now)
	if e, _, _ := c.get(tokenKey(sum), now); e.u != nil {
		t.Fatal("kept what a lookup read before a change")
	}

	_, _, gen = c.get(tokenKey(sum), now)
	c.put(tokenKey(sum), gen, authEntry{u: anna, token: 5}, now)
	e, _, _ := c.get(tokenKey(sum), now)
	u := e.u
	if u == nil || u.Name != "Anna" {
		t.Fatalf("not kept: %+v", u)
	}
	u.Name, u.Roles[0].AreaID = "changed", 99
	if e, _, _ := c.get(tokenKey(sum), now); e.u.Name != "Anna" || e.u.Roles[0].AreaID != 3 {
		t.Fatalf("a caller's change reached the cache: %+v", u)
	}
	if e, _, _ := c.get(tokenKey(sum), now.Add(authTTL)); e.u != nil {
		t.Fatal("used after it expired")
	}
	c.setListening(false)
	if e, _, _ := c.get(tokenKey(sum), now); e.u != nil {
		t.Fatal("used after listening stopped")
	}
	c.setListening(true)
	if e, _, _ := c.get(tokenKey(sum), now); e.u != nil {
		t.Fatal("kept across a gap in listening")
	}
}
