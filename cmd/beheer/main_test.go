package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"beheer/store"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func noEnv(string) string { return "" }

// beheer runs one command and returns its output.
func cli(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	err := run(context.Background(), args, noEnv, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

var listening = regexp.MustCompile(`https?://(127\.0\.0\.1:\d+)`)

// served is a running "beheer serve".
type served struct {
	addr      string // host:port
	out, logs *syncBuffer
	done      chan error
	cancel    context.CancelFunc
}

// startServe runs "beheer serve" with args in e (its streams replaced) and
// waits until it listens; the test stops it at its end if it has not.
func startServe(t *testing.T, e env, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{out: &syncBuffer{}, logs: &syncBuffer{}, done: make(chan error, 1), cancel: cancel}
	e.stdin, e.stdout, e.stderr = strings.NewReader(""), s.out, s.logs
	if e.getenv == nil {
		e.getenv = noEnv
	}
	go func() { s.done <- cmdServe(ctx, e, args) }()
	t.Cleanup(func() { s.stop(t) })
	for deadline := time.Now().Add(60 * time.Second); ; {
		if m := listening.FindStringSubmatch(s.out.String()); m != nil {
			s.addr = m[1]
			return s
		}
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("serve stopped: %v\n%s\n%s", err, s.out.String(), s.logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", s.out.String())
		}
	}
}

// stop shuts the server down as SIGTERM would and fails the test when
// that does not go cleanly.
func (s *served) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // a second stop sees the same
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeStoppedWhileStarting: serve stopped before it serves (SIGTERM
// while it opens the database or loads the demo) stops cleanly and says
// what it gave up; a step that fails while nobody stops it is an error.
func TestServeStoppedWhileStarting(t *testing.T) {
	var out, logs syncBuffer
	e := env{getenv: noEnv, stdin: strings.NewReader(""), stdout: &out, stderr: &logs}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cmdServe(stopped, e, []string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--demo"}); err != nil {
		t.Fatalf("stopped while starting: %v", err)
	}
	if !strings.Contains(logs.String(), "stopped while starting: ") {
		t.Errorf("nothing said of the stop:\n%s", logs.String())
	}
	if err := cmdServe(context.Background(), e, []string{"--addr", "127.0.0.1:-1", "--data", t.TempDir()}); err == nil {
		t.Error("an address that cannot be listened on is no error")
	}
}

// TestServe starts the server with the demo, checks it answers, and shuts
// it down cleanly as SIGTERM would.
func TestServe(t *testing.T) {
	s := startServe(t, env{}, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--demo", "--metrics-addr", "127.0.0.1:0")
	addr, out, logs := s.addr, s.out, s.logs
	for _, role := range []string{"Functioneel beheerder", "Technisch beheerder", "Sleutelgebruiker", "Directie", "Gebruiker"} {
		if !strings.Contains(out.String(), role) {
			t.Errorf("no demo login printed for %s:\n%s", role, out.String())
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/login"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
		if path == "/login" && !strings.Contains(string(body), `name="password"`) {
			t.Errorf("the login page has no password form:\n%s", body)
		}
	}
	// Metrics on their own listener.
	m := regexp.MustCompile(`metrics listening" addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics listener in the log:\n%s", logs.String())
	}
	res, err := http.Get("http://" + m[1] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`beheer_http_request_duration_seconds_count{code="2xx",route="GET /healthz"}`, "beheer_db_transaction_duration_seconds"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// The profiler is on the operator listener only.
	for base, want := range map[string]bool{m[1]: true, addr: false} {
		res, err := http.Get("http://" + base + "/debug/pprof/goroutine?debug=1")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := res.StatusCode == http.StatusOK && strings.Contains(string(body), "goroutine profile"); got != want {
			t.Errorf("GET %s/debug/pprof/goroutine: %d, profile served %v, want %v", base, res.StatusCode, got, want)
		}
	}
	// The review sweep of the technical register raises the demo's one
	// overdue review at start.
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(logs.String(), `msg="register sweep" reviews=1`); {
		if time.Now().After(deadline) {
			t.Fatalf("no review raised by the register sweep:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop(t)
}

// TestUsersTokensBackup drives the management commands: add people with
// roles, list them, make a token, back up and restore.
func TestUsersTokensBackup(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	if out, err := cli(t, "", "migrate", data); err != nil || !strings.Contains(out, "schema at version") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if out, err := cli(t, "lange geheime zin\n", "user", "add", data, "--email", "Fleur@Voorbeeld.nl", "--name", "Fleur de Vries",
		"--role", "functional_admin", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	if out, err := cli(t, "", "user", "add", data, "--email", "kees@voorbeeld.nl", "--name", "Kees", "--role", "key_user:hr"); err == nil {
		t.Fatalf("unknown area accepted: %s", out)
	}
	if out, err := cli(t, "wachtwoord\n", "user", "add", data, "--email", "x@voorbeeld.nl", "--name", "X", "--password-stdin"); err == nil {
		t.Fatalf("common password accepted: %s", out)
	}
	if out, err := cli(t, "", "user", "add", data, "--email", "geen-adres", "--name", "X"); err == nil || !strings.Contains(out+err.Error(), "email") {
		t.Fatalf("bad e-mail: %v %s", err, out)
	}
	if out, err := cli(t, "", "user", "roles", data, "--email", "fleur@voorbeeld.nl", "--role", "functional_admin", "--role", "management"); err != nil {
		t.Fatalf("user roles: %v %s", err, out)
	}
	out, err := cli(t, "", "user", "list", data)
	if err != nil || !strings.Contains(out, "fleur@voorbeeld.nl") || !strings.Contains(out, "management") {
		t.Fatalf("user list: %v %s", err, out)
	}
	out, err = cli(t, "", "token", "create", data, "--email", "fleur@voorbeeld.nl", "--name", "ci")
	if err != nil {
		t.Fatalf("token: %v %s", err, out)
	}
	token := tokenIn(out)
	backup := filepath.Join(dir, "backup.db")
	if out, err := cli(t, "", "backup", data, backup); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	if out, err := cli(t, "", "restore", data, backup); err == nil {
		t.Fatalf("restore over a live database: %s", out)
	}
	restored := "--data=" + filepath.Join(dir, "restored")
	if out, err := cli(t, "", "restore", restored, backup); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "restored", "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.Authenticate(context.Background(), token)
	if err != nil || u.Email != "fleur@voorbeeld.nl" {
		t.Fatalf("token after restore: %v %v", u, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "restored", "beheer.db")); err != nil {
		t.Fatal(err)
	}
}

func TestVersionAndUnknown(t *testing.T) {
	if out, err := cli(t, "", "version"); err != nil || !strings.HasPrefix(out, "beheer ") {
		t.Fatalf("version: %v %q", err, out)
	}
	if _, err := cli(t, "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
}

// TestTokenAndPasswordCommands: tokens are listed and revoked on the
// command line, at once; an administrator sets a password when no reset
// mail can be sent, refusing one made of the person's own name; a second
// factor is removed for a person who lost it.
func TestTokenAndPasswordCommands(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + filepath.Join(dir, "data")
	if out, err := cli(t, "", "user", "add", data, "--email", "sanne@voorbeeld.nl", "--name", "Sanne Kloosterboer"); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	if out, err := cli(t, "", "token", "create", data, "--email", "sanne@voorbeeld.nl", "--days", "9999"); err == nil ||
		!strings.Contains(err.Error(), "expires_in_days") {
		t.Fatalf("a token beyond the maximum: %v %s", err, out)
	}
	out, err := cli(t, "", "token", "create", data, "--email", "sanne@voorbeeld.nl", "--name", "afas", "--days", "30")
	if err != nil {
		t.Fatalf("token create: %v %s", err, out)
	}
	token := tokenIn(out)
	if out, err = cli(t, "", "token", "list", data); err != nil || !strings.Contains(out, "afas") {
		t.Fatalf("token list: %v %s", err, out)
	}
	id := regexp.MustCompile(`(?m)^(\d+)\s+\d+\s+afas`).FindStringSubmatch(out)[1]
	// A running server's store, which has just taken the token.
	st, err := store.Open(context.Background(), filepath.Join(dir, "data", "beheer.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for range 2 {
		if _, err := st.Authenticate(context.Background(), token); err != nil {
			t.Fatalf("the token before revoking: %v", err)
		}
	}
	if out, err := cli(t, "", "token", "revoke", data, "--id", id); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("token revoke: %v %s", err, out)
	}
	if _, err := st.Authenticate(context.Background(), token); err == nil {
		t.Fatal("a revoked token works")
	}
	if out, err := cli(t, "", "token", "revoke", data, "--id", "999"); err == nil {
		t.Fatalf("an unknown token revoked: %s", out)
	}

	if out, err := cli(t, "Kloosterboer2026!\n", "user", "password", data, "--email", "sanne@voorbeeld.nl"); err == nil ||
		!strings.Contains(err.Error(), "own name") {
		t.Fatalf("a password of the person's name: %v %s", err, out)
	}
	if out, err := cli(t, "een lange eigen zin\n", "user", "password", data, "--email", "sanne@voorbeeld.nl"); err != nil {
		t.Fatalf("user password: %v %s", err, out)
	}
	if out, err := cli(t, "", "user", "reset-second-factor", data, "--email", "sanne@voorbeeld.nl"); err != nil {
		t.Fatalf("reset second factor: %v %s", err, out)
	}
}

// tokenIn finds the token a command printed among its log lines.
func tokenIn(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, store.TokenPrefix) {
			return line
		}
	}
	return ""
}
