package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
)

// TestMailReceive pipes messages into "beheer mail receive" as a mail
// server would: a new request, its duplicate, a loop mail and junk.
func TestMailReceive(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "joel@voorbeeld.nl", Name: "Joël Smit"}, ""); err != nil {
		t.Fatal(err)
	}
	st.Close()
	corpus := func(name string) string {
		raw, err := os.ReadFile(filepath.Join("..", "..", "mailin", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	receive := func(stdin string) (string, error) {
		return cli(t, stdin, "mail", "receive", "--data", dir, "--intake", "beheer@voorbeeld.nl")
	}

	out, err := receive(corpus("attachment.eml"))
	if err != nil || !strings.Contains(out, "Request ") || !strings.Contains(out, " created.") {
		t.Fatalf("new request: %v\n%s", err, out)
	}
	out, err = receive(corpus("attachment.eml"))
	if err != nil || !strings.Contains(out, "This message had been handled already.") {
		t.Fatalf("second delivery: %v\n%s", err, out)
	}
	out, err = receive(corpus("bounce.eml"))
	if err != nil || !strings.Contains(out, "Automatic message ignored") {
		t.Fatalf("bounce: %v\n%s", err, out)
	}
	out, err = receive(corpus("iso-8859-1.eml")) // Renée is no user
	if err != nil || !strings.Contains(out, "Refused: the sender is not an active user.") {
		t.Fatalf("unknown sender: %v\n%s", err, out)
	}
	if _, err := receive("dit is geen e-mail"); err == nil || !strings.Contains(err.Error(), "not a valid e-mail message") {
		t.Fatalf("junk accepted: %v", err)
	}
	if _, err := cli(t, "", "mail", "send"); err == nil {
		t.Fatal("mail send accepted")
	}

	st, err = store.Open(ctx, filepath.Join(dir, "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.Requests(ctx, store.System, store.Filter{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("requests %v %v", page, err)
	}
	r := page.Items[0]
	if r.Title != "Verlofaanvraag geeft foutmelding – urgent" || r.RequesterName != "Joël Smit" {
		t.Errorf("request %+v", r)
	}
	files, err := st.Attachments(ctx, store.System, r.ID)
	if err != nil || len(files) != 2 {
		t.Errorf("attachments %+v %v", files, err)
	}
}
