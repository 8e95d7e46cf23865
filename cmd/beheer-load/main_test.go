package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"beheer/demo"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
)

// TestRunAgainstBeheer runs the tool end to end against a real Beheer on a
// temporary SQLite file, briefly, and checks that every operation the server
// has ran without errors and that both ceilings were measured. The write
// rate limit is off, as the usage text asks of a server under load.
func TestRunAgainstBeheer(t *testing.T) {
	ctx := context.Background()
	b := startBeheer(t, nil)
	dir, dbPath, st, admin := b.dir, b.dbPath, b.st, b.admin

	var stdout, stderr bytes.Buffer
	args := append(b.args("--db", dbPath, "--rss-pid", itoa(int64(os.Getpid())), "--json", "-"), "--form")
	if err := run(ctx, args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout.String())
	}
	for name, c := range map[string]*result{"http": rep.Ceilings.HTTP, "insert": rep.Ceilings.Insert} {
		if c == nil || c.PerSecond <= 0 || c.Errors != 0 {
			t.Errorf("%s ceiling: %+v", name, c)
		}
	}
	if len(rep.Ops) != len(opNames) {
		t.Errorf("%d operations reported, want %d", len(rep.Ops), len(opNames))
	}
	for _, r := range rep.Ops {
		if r.Op == "answer_html" && r.Unavailable != "" {
			t.Errorf("answer_html unavailable with --form: %s", r.Unavailable)
		}
		if r.Unavailable != "" {
			t.Logf("%s unavailable: %s", r.Op, r.Unavailable)
			continue
		}
		if r.Requests == 0 || r.Errors != 0 || r.PerSecond <= 0 {
			t.Errorf("%s: %d requests, %d errors, %.0f/s: %q", r.Op, r.Requests, r.Errors, r.PerSecond, r.Samples)
		}
	}
	checkFiledThroughForm(t, st, admin.Email)
	if rep.RSSMB == nil || *rep.RSSMB <= 0 {
		t.Error("no resident memory reported for --rss-pid")
	}
	if !strings.Contains(stderr.String(), "mix (HEADLINE)") {
		t.Errorf("the table on stderr has no headline row:\n%s", stderr.String())
	}
	if leftover, _ := filepath.Glob(filepath.Join(dir, "beheer-load-ceiling-*")); len(leftover) > 0 {
		t.Errorf("insert ceiling left %v behind", leftover)
	}
}

// TestRunAgainstBeheerWithoutForms runs the tool against a server that has
// no forms, as a build from before them answers: no /api/v1/forms, and a
// new request with answers refused. Comparing such a build with this one on
// the same database is how a change is shown to be no slower.
func TestRunAgainstBeheerWithoutForms(t *testing.T) {
	b := startBeheer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/forms" {
				http.NotFound(w, r)
				return
			}
			if r.Method == http.MethodPost && r.URL.Path == "/api/v1/requests" {
				body, _ := io.ReadAll(r.Body)
				if bytes.Contains(body, []byte(`"answers"`)) {
					http.Error(w, "unknown member answers", http.StatusBadRequest)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			h.ServeHTTP(w, r)
		})
	})
	ctx := context.Background()
	forms, err := b.st.Forms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := b.st.UserByEmail(ctx, b.admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forms { // an older build files every request as a title and a text
		if _, err := b.st.ArchiveForm(ctx, u.Actor(), f.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	if err := run(ctx, b.args("--ops", "create,answer_html", "--json", "-"), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout.String())
	}
	created := false
	for _, r := range rep.Ops {
		switch {
		case r.Op == "create" && (r.Requests == 0 || r.Errors != 0):
			t.Errorf("create: %d requests, %d errors: %q", r.Requests, r.Errors, r.Samples)
		case r.Op == "create":
			created = true
		case r.Op == "answer_html" && r.Unavailable == "":
			t.Error("answer_html ran against a server without forms")
		}
	}
	if !created {
		t.Errorf("no create reported: %+v", rep.Ops)
	}
}

// beheer is a real Beheer on a temporary SQLite file with the demo data,
// served over HTTP with the write rate limit off, as the usage text asks of
// a server under load.
type beheer struct {
	dir, dbPath string
	st          *store.Store
	url         string
	admin       demo.Login
	tokens      [2]string // of the functional admin and a user
}

// startBeheer starts one; wrap, if not nil, stands in front of the server.
func startBeheer(t *testing.T, wrap func(http.Handler) http.Handler) *beheer {
	t.Helper()
	ctx := context.Background()
	b := &beheer{dir: t.TempDir()}
	b.dbPath = filepath.Join(b.dir, "beheer.db")
	st, err := store.Open(ctx, b.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	logins, err := demo.Load(ctx, st, demo.Options{Requests: 200})
	if err != nil {
		t.Fatal(err)
	}
	b.st, b.admin = st, loginOf(t, logins, "Functioneel beheerder")
	b.tokens = [2]string{token(t, st, b.admin.Email), token(t, st, loginOf(t, logins, "Gebruiker").Email)}
	var h http.Handler = server.New(st, i18n.MustLoad(), nil, server.Config{LocalLogin: true, WriteRate: -1})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	b.url = srv.URL
	return b
}

// args is a short run's command line against b, with more flags.
func (b *beheer) args(more ...string) []string {
	return append([]string{"--url", b.url, "--token", b.tokens[0], "--requester-token", b.tokens[1],
		"--email", b.admin.Email, "--password", b.admin.Password, "--duration", "300ms", "--clients", "4"}, more...)
}

// checkFiledThroughForm checks that --form filed the created requests
// through the load form: the newest answers every one of its ten fields.
func checkFiledThroughForm(t *testing.T, st *store.Store, email string) {
	t.Helper()
	ctx := context.Background()
	u, _, err := st.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.Requests(ctx, u.Actor(), store.Filter{Sort: "newest", Limit: 1,
		Answers: []store.AnswerFilter{{Field: "omgeving", Value: "productie"}}})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no request filed through the load form: %v", err)
	}
	fields, answers, err := st.Answers(ctx, u.Actor(), page.Items[0].ID)
	if err != nil || len(fields) != 10 || len(answers) != 10 {
		t.Errorf("request %d: %d fields, %d answers (%v), want 10 and 10", page.Items[0].ID, len(fields), len(answers), err)
	}
}

func loginOf(t *testing.T, logins []demo.Login, role string) demo.Login {
	t.Helper()
	for _, l := range logins {
		if l.Role == role {
			return l
		}
	}
	t.Fatalf("no demo login %q in %v", role, logins)
	return demo.Login{}
}

func token(t *testing.T, st *store.Store, email string) string {
	t.Helper()
	u, _, err := st.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateToken(context.Background(), u.ID, "load")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRunRefusesBadCommandLinesAndUnreachableServers(t *testing.T) {
	for _, args := range [][]string{
		{"--url", "http://192.0.2.10:8080", "--token", "bhr_x"},
		{"--token", "bhr_x", "--ops", "read,fly"},
		{"--url", "http://127.0.0.1:8080"},                  // no token
		{"--url", "http://127.0.0.1:1", "--token", "bhr_x"}, // nothing listens there
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, &out, &errOut); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}
