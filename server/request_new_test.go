package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// TestNewRequestWithFilesAtOnce: the new-request form files the request
// and its attachments in one write transaction; when a file is refused,
// the form says which and why beside the files and nothing is saved.
func TestNewRequestWithFilesAtOnce(t *testing.T) {
	var writes storetest.WriteCounter
	storetest.Engines(t, storetest.Options{OnTx: writes.OnTx}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		anna := wpLogin(t, f, requester)
		form := url.Values{"type": {"incident"}, "title": {"Loonstrook toont fout"}, "area": {"hr"}}
		text := []byte("Foutmelding: regel 12\n")

		before := writes.Count()
		r := wpWant(t, anna.postFiles("/requests/new", form, wpFile{"scherm.png", pngBytes}, wpFile{"melding.txt", text}),
			http.StatusSeeOther)
		if n := writes.Count() - before; n != 1 {
			t.Errorf("filed in %d write transactions, want 1", n)
		}
		m := regexp.MustCompile(`^/requests/(\d+)\?ok=created$`).FindStringSubmatch(r.header.Get("Location"))
		if m == nil {
			t.Fatalf("redirect %q", r.header.Get("Location"))
		}
		all := wpAll(t, st)
		if len(all) != 1 {
			t.Fatalf("%d requests", len(all))
		}
		atts, err := st.Attachments(context.Background(), store.System, all[0].ID)
		if err != nil || len(atts) != 2 || atts[0].Name != "scherm.png" || atts[1].Name != "melding.txt" {
			t.Fatalf("attachments %+v %v", atts, err)
		}

		before = writes.Count()
		r = wpWant(t, anna.postFiles("/requests/new", form, wpFile{"scherm.png", pngBytes}, wpFile{"leeg.txt", nil}),
			http.StatusUnprocessableEntity)
		if msg := wpField(r, "files"); msg != "leeg.txt: "+rpText("upload.empty") {
			t.Errorf("files error %q", msg)
		}
		if writes.Count() != before || len(wpAll(t, st)) != 1 {
			t.Fatal("a refused request wrote something")
		}
	})
}
