package server

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"beheer"
	"beheer/i18n"
	"beheer/store"
	"beheer/store/storetest"
)

// TestBellPartial renders the "bell" partial as the layout includes it:
// a link to /notifications whose aria-label carries the unread count.
func TestBellPartial(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	ctx := context.Background()
	u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "a@voorbeeld.nl", Name: "A"}, "")
	if err != nil {
		t.Fatal(err)
	}
	s := New(st, i18n.MustLoad(), nil, Config{})
	render := func() string {
		p := s.newPage(httptest.NewRequest("GET", "/", nil), nil)
		p.User, p.Actor = u, u.Actor()
		var buf bytes.Buffer
		if err := s.templates["notifications"].ExecuteTemplate(&buf, "bell", p); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if got := render(); !strings.Contains(got, `href="/notifications"`) || !strings.Contains(got, `aria-label="Meldingen: geen ongelezen"`) ||
		strings.Contains(got, "bell-count") {
		t.Errorf("bell without notifications = %s", got)
	}
	// Two requests filed by someone else and moved: u is assigned.
	admin, _ := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "b@voorbeeld.nl", Name: "B",
		Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}}, "")
	if err := st.SetRoles(ctx, store.System, u.ID, []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r, err := st.CreateRequest(ctx, admin.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag"})
		if err != nil {
			t.Fatal(err)
		}
		uid := u.ID
		if _, err := st.UpdateRequest(ctx, admin.Actor(), r.ID, 0, beheer.Patch{AssigneeID: &uid}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.ProcessNotifications(ctx, 100, nil, func(f store.EventFacts) ([]store.Delivery, error) {
		if f.Event.Kind == store.EventAssigned {
			return []store.Delivery{{UserID: u.ID, Kind: store.NotifyAssigned}}, nil
		}
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := render(); !strings.Contains(got, `aria-label="Meldingen: 2 ongelezen"`) || !strings.Contains(got, `<span class="bell-count">2</span>`) {
		t.Errorf("bell with two = %s", got)
	}
}
