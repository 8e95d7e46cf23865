package crashtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBeheer builds cmd/beheer into a fresh temporary directory and
// returns the path of the binary. TestMain ends with os.Exit, so the
// directory cannot be removed afterwards; instead each run removes the
// directories of earlier test binaries that are no longer alive.
func buildBeheer() (string, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", fmt.Errorf("module root not found above the test directory: %w", err)
	}
	reapBuilds()
	dir, err := os.MkdirTemp("", buildPrefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "beheer")
	cmd := exec.Command("go", "build", "-o", bin, "beheer/cmd/beheer")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build beheer/cmd/beheer: %w\n%s", err, out)
	}
	return bin, nil
}

const (
	buildPrefix = "beheer-crashtest-"
	ownerFile   = "owner.pid"
)

// reapBuilds removes the build directories whose test binary has exited.
func reapBuilds() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), buildPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(string(b))
		if err == nil && pid > 0 && syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(dir)
		}
	}
}

// process is one running `beheer serve`.
type process struct {
	cmd  *exec.Cmd
	addr string        // host:port it listens on
	done chan struct{} // closed when the process has exited
	err  error         // the result of Wait, valid once done is closed
}

func (p *process) url(path string) string { return "http://" + p.addr + path }

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// harness runs one engine's crash test: it starts and kills the server and
// keeps the ledger of what the clients wrote.
type harness struct {
	t      *testing.T
	engine string
	dbArgs []string // --data DIR or --database URL
	dir    string   // working directory of the child processes
	log    string   // every child's output, appended
	starts int
	ledger *ledger
}

func newHarness(t *testing.T, engine string, dbArgs []string) *harness {
	dir := t.TempDir()
	h := &harness{t: t, engine: engine, dbArgs: dbArgs, dir: dir,
		log: filepath.Join(dir, "beheer.log"), ledger: newLedger()}
	return h
}

// childEnv is the child's environment: ours without BEHEER_* settings that could
// change its behaviour, with the API write rate limit off so the clients
// are never turned away with 429.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BEHEER_") {
			env = append(env, kv)
		}
	}
	return append(env, "BEHEER_API_WRITE_RATE=0")
}

// cli runs one beheer management command and returns its standard output.
func (h *harness) cli(args ...string) string {
	h.t.Helper()
	cmd := exec.Command(binary, append(args, h.dbArgs...)...)
	cmd.Dir, cmd.Env = h.dir, childEnv()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("beheer %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// start starts `beheer serve` on a free loopback port and waits until it is
// ready. Another process may take the port between our probe and the
// child's listen; then it tries another.
func (h *harness) start() *process {
	h.t.Helper()
	for attempt := 1; ; attempt++ {
		p, portTaken, err := h.startOnce()
		if err == nil {
			return p
		}
		if !portTaken || attempt == 3 {
			h.t.Fatalf("%s: start %d: %v\n%s", h.engine, h.starts, err, h.logTail())
		}
	}
}

// startOnce makes one attempt; the bool reports that it failed because
// the port was no longer free.
func (h *harness) startOnce() (*process, bool, error) {
	port, err := freePort()
	if err != nil {
		return nil, false, err
	}
	h.starts++
	f, err := os.OpenFile(h.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	offset, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, false, err
	}
	fmt.Fprintf(f, "=== start %d at %s\n", h.starts, time.Now().Format(time.RFC3339Nano))
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(binary, append([]string{"serve", "--addr", addr}, h.dbArgs...)...)
	cmd.Dir, cmd.Env = h.dir, childEnv()
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return nil, false, err
	}
	proc := &process{cmd: cmd, addr: addr, done: make(chan struct{})}
	go func() { proc.err = cmd.Wait(); close(proc.done) }()
	h.t.Cleanup(proc.kill)
	if err := waitReady(proc, 60*time.Second); err != nil {
		proc.kill()
		out, _ := os.ReadFile(h.log)
		taken := int64(len(out)) > offset && bytes.Contains(out[offset:], []byte("address already in use"))
		return nil, taken, err
	}
	return proc, false, nil
}

// waitReady polls /readyz until it answers 200, the process exits or the
// time is up.
func waitReady(p *process, limit time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	defer client.CloseIdleConnections()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); {
		res, err := client.Get(p.url("/readyz"))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("beheer serve exited before it was ready: %v", p.err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("beheer serve not ready after %s", limit)
}

// kill sends SIGKILL to the process (by its PID) if it is still running
// and waits until it is gone.
func (p *process) kill() {
	if p.exited() {
		return
	}
	p.cmd.Process.Kill()
	<-p.done
}

// stop asks the server to shut down with SIGTERM and expects it to exit 0
// within 30 seconds.
func (h *harness) stop(p *process) {
	h.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		h.t.Fatalf("%s: SIGTERM: %v", h.engine, err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill()
		h.t.Fatalf("%s: beheer serve did not stop within 30 s of SIGTERM\n%s", h.engine, h.logTail())
	}
	if p.err != nil {
		h.t.Fatalf("%s: beheer serve after SIGTERM: %v (want exit status 0)\n%s", h.engine, p.err, h.logTail())
	}
}

// logTail returns the end of the children's output, for failure messages.
func (h *harness) logTail() string {
	b, err := os.ReadFile(h.log)
	if err != nil {
		return ""
	}
	const max = 6000
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return "beheer output (" + h.log + "):\n" + string(b)
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// setup adds the two people with the command line before the first start
// and returns their API tokens: a functional admin for every area and a
// plain user who files requests.
func (h *harness) setup() (admin, requester string) {
	h.cli("user", "add", "--email", "beheerder@voorbeeld.nl", "--name", "Fleur Beheerder", "--role", "functional_admin")
	h.cli("user", "add", "--email", "aanvrager@voorbeeld.nl", "--name", "Kees Aanvrager", "--role", "user")
	admin = strings.TrimSpace(h.cli("token", "create", "--email", "beheerder@voorbeeld.nl", "--name", "crashtest"))
	requester = strings.TrimSpace(h.cli("token", "create", "--email", "aanvrager@voorbeeld.nl", "--name", "crashtest"))
	if admin == "" || requester == "" {
		h.t.Fatal("token create printed no token")
	}
	return admin, requester
}

// createArea adds the area hr that every request is filed in, so the admin
// may move them to investigation, and the form every request is filed
// through, so that a request's answers are written with it.
func (h *harness) createArea(p *process, admin string) {
	h.t.Helper()
	c := newClient(p)
	defer c.close()
	var area struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}
	if err := c.do(context.Background(), admin, "POST", "/api/v1/areas", map[string]any{"code": "hr", "name": "HR"}, http.StatusCreated, &area); err != nil {
		h.t.Fatalf("%s: create area: %v", h.engine, err)
	}
	if area.Code != "hr" {
		h.t.Fatalf("%s: created area %+v", h.engine, area)
	}
	form := map[string]any{"type": "question", "name": map[string]string{"nl": "Vraag", "en": "Question"}, "fields": []map[string]any{
		{"name": "omgeving", "kind": "choice", "label": map[string]string{"nl": "Omgeving", "en": "Environment"}, "required": true,
			"choices": []map[string]any{{"value": "productie", "label": map[string]string{"nl": "Productie", "en": "Production"}},
				{"value": "test", "label": map[string]string{"nl": "Test", "en": "Test"}}}},
		{"name": "kenmerk", "kind": "text", "label": map[string]string{"nl": "Kenmerk", "en": "Reference"}, "required": true},
	}}
	if err := c.do(context.Background(), admin, "POST", "/api/v1/forms", form, http.StatusCreated, nil); err != nil {
		h.t.Fatalf("%s: create form: %v", h.engine, err)
	}
}

// errUnreachable marks a transport error: the server went away.
var errUnreachable = errors.New("server unreachable")
