package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"beheer/store"
)

const afasToken = "<token><version>1</version><data>00FF00FF</data></token>"

// fakeAFAS answers the employees GetConnector in the documented shape.
func fakeAFAS(t *testing.T, n int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "AfasToken "+base64.StdEncoding.EncodeToString([]byte(afasToken)) ||
			r.URL.Path != "/ProfitRestServices/connectors/Medewerkers" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
		take, _ := strconv.Atoi(r.URL.Query().Get("take"))
		rows := []map[string]any{}
		for i := skip; i < min(skip+take, n); i++ {
			rows = append(rows, map[string]any{"Nr": strconv.Itoa(1000 + i), "Naam": "Collega " + strconv.Itoa(i),
				"Mail": "collega" + strconv.Itoa(i) + "@voorbeeld.nl", "OE": "Verkoop"})
		}
		json.NewEncoder(w).Encode(map[string]any{"skip": skip, "take": take, "rows": rows})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// afasEnv is the environment for the fake AFAS.
func afasEnv(srv *httptest.Server, extra ...string) func(string) string {
	env := map[string]string{
		"BEHEER_AFAS_URL": srv.URL + "/ProfitRestServices", "BEHEER_AFAS_CONNECTOR": "Medewerkers",
		"BEHEER_AFAS_TOKEN": afasToken, "BEHEER_AFAS_FIELDS": "number=Nr,name=Naam,email=Mail,department=OE,manager=",
		"BEHEER_AFAS_TAKE": "7",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return func(k string) string { return env[k] }
}

func cliEnv(t *testing.T, getenv func(string) string, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestPeopleCommands imports people from a CSV file (a bad file changes
// nothing), maps a department, and syncs from a local AFAS Profit.
func TestPeopleCommands(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	good := filepath.Join(dir, "medewerkers.csv")
	os.WriteFile(good, []byte("\ufeffmedewerkernummer;naam;e-mail;afdeling;manager\n1;Pieter;pieter@voorbeeld.nl;HR;\n2;Sanne;sanne@voorbeeld.nl;Verkoop;1\n"), 0o600)
	bad := filepath.Join(dir, "fout.csv")
	os.WriteFile(bad, []byte("naam,e-mail\nPieter,pieter@voorbeeld.nl\n,leeg@voorbeeld.nl\nJan,geen-adres\n"), 0o600)

	if out, err := cli(t, "", "people", "import", data, "--csv", bad); err == nil ||
		!strings.Contains(err.Error(), "line 3: naam: This field is required.") || !strings.Contains(err.Error(), "line 4: e-mail") {
		t.Fatalf("bad file: %v %s", err, out)
	}
	if out, err := cli(t, "", "user", "list", data); err != nil || strings.Contains(out, "pieter@") {
		t.Fatalf("a bad file added people: %v %s", err, out)
	}
	out, err := cli(t, "", "people", "import", data, "--csv", good)
	if err != nil || !strings.Contains(out, "2 added") {
		t.Fatalf("import: %v %s", err, out)
	}
	if out, err := cli(t, "", "people", "import", data); err == nil {
		t.Fatalf("import without --csv: %s", out)
	}
	if out, err := cli(t, "", "people", "departments", data, "--department", "HR", "--area", "hr"); err == nil {
		t.Fatalf("unknown area accepted: %s", out)
	}
	out, err = cli(t, "", "people", "departments", data)
	if err != nil || !strings.Contains(out, "Verkoop") || !strings.Contains(out, "HR") {
		t.Fatalf("departments: %v %s", err, out)
	}

	// AFAS: without configuration a clear message; with a wrong token a
	// clear message and nothing changed; then 20 people in pages of 7.
	if out, err := cli(t, "", "people", "sync-afas", data); err == nil || !strings.Contains(err.Error(), "BEHEER_AFAS_URL") {
		t.Fatalf("unconfigured: %v %s", err, out)
	}
	srv := fakeAFAS(t, 20)
	wrong := afasEnv(srv, "BEHEER_AFAS_TOKEN", "<token><version>1</version><data>FOUT</data></token>")
	if out, err := cliEnv(t, wrong, "people", "sync-afas", data); err == nil || !strings.Contains(err.Error(), "refuses the key") ||
		strings.Contains(err.Error()+out, "FOUT") {
		t.Fatalf("wrong token: %v %s", err, out)
	}
	out, err = cliEnv(t, afasEnv(srv), "people", "sync-afas", data)
	if err != nil || !strings.Contains(out, "20 in the list, 20 added") {
		t.Fatalf("sync-afas: %v %s", err, out)
	}
	// CSV people are another source: the AFAS sync left them alone.
	out, _ = cli(t, "", "user", "list", data)
	if !strings.Contains(out, "pieter@voorbeeld.nl") || strings.Count(out, "true") != 22 {
		t.Fatalf("after the AFAS sync: %s", out)
	}
}

// TestServeSyncsPeople: with BEHEER_AFAS_SYNC_INTERVAL, serve syncs people
// from AFAS Profit on its own and stops cleanly.
func TestServeSyncsPeople(t *testing.T) {
	dir := t.TempDir()
	srv := fakeAFAS(t, 5)
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir},
			afasEnv(srv, "BEHEER_AFAS_SYNC_INTERVAL", "1h", "BEHEER_SLA_SWEEP_INTERVAL", "0"), strings.NewReader(""), &out, &logs)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(logs.String(), "people sync from AFAS") || !strings.Contains(logs.String(), "added=5") {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no sync in the log:\n%s", logs.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reps, err := st.SyncReports(context.Background(), store.System, 5)
	if err != nil || len(reps) != 1 || reps[0].Added != 5 {
		t.Fatalf("reports: %+v %v", reps, err)
	}
	// A schedule without AFAS is a configuration error.
	bad := func(k string) string {
		if k == "BEHEER_AFAS_SYNC_INTERVAL" {
			return "1h"
		}
		return ""
	}
	if _, err := cliEnv(t, bad, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()); err == nil ||
		!strings.Contains(err.Error(), "BEHEER_AFAS_URL") {
		t.Fatalf("schedule without AFAS: %v", err)
	}
}
