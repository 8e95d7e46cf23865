package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"beheer/store"
)

// TestSetupCommand sets an organisation up from the command line: the
// first admin can log in with the password from standard input; running it
// again with the same organisation and admin does nothing and succeeds;
// another organisation, or a database the demo filled, is refused.
func TestSetupCommand(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	args := []string{"setup", data, "--organisation", "Gemeente Voorbeeld", "--admin-name", "Bea de Boer",
		"--admin-email", "bea@voorbeeld.nl", "--time-zone", "Europe/Brussels"}
	if out, err := cli(t, "", "setup", data, "--organisation", "", "--admin-email", "geen-adres"); err == nil ||
		!strings.Contains(err.Error(), "admin_email") || !strings.Contains(err.Error(), "org_name") {
		t.Fatalf("bad setup: %v %s", err, out)
	}
	if out, err := cli(t, "lange geheime zin voor Bea\n", append(args, "--password-stdin")...); err != nil || !strings.Contains(out, "set up") {
		t.Fatalf("setup: %v %s", err, out)
	}
	if out, err := cli(t, "", args...); err != nil || !strings.Contains(out, "nothing to do") {
		t.Fatalf("setup again: %v %s", err, out)
	}
	if out, err := cli(t, "", "setup", data, "--organisation", "Andere Gemeente", "--admin-name", "X", "--admin-email", "x@voorbeeld.nl"); err == nil ||
		!strings.Contains(err.Error(), "Gemeente Voorbeeld") {
		t.Fatalf("another organisation: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "data", "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o, err := st.Organisation(context.Background())
	if err != nil || o.Name != "Gemeente Voorbeeld" || o.Zone != "Europe/Brussels" {
		t.Fatalf("organisation %+v %v", o, err)
	}
	if _, hash, err := st.UserByEmail(context.Background(), "bea@voorbeeld.nl"); err != nil || hash == "" {
		t.Fatalf("first admin without a password: %v", err)
	}
}
