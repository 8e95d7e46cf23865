// Package pgtest starts a throwaway PostgreSQL cluster for tests.
//
// The cluster listens only on 127.0.0.1 on a free port, trusts every local
// connection and lives in a fresh directory under the temporary directory.
// PostgreSQL refuses to run as root, so when the tests run as root the
// cluster is created and run as the OS user postgres.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// ErrUnavailable is returned by Start when no initdb/pg_ctl binaries are found.
var ErrUnavailable = errors.New("pgtest: PostgreSQL binaries (initdb, pg_ctl) not found")

// settings are appended to postgresql.conf after initdb. The port is given on
// the command line so a failed start can retry on another one.
const settings = `
# pgtest
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = on
max_connections = 200
shared_buffers = 32MB
log_checkpoints = off
`

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	bin  string // directory holding initdb, pg_ctl and postgres
	base string // directory owned by the server user; removed by Stop
	data string // data directory, base/data
	log  string // server log, data/server.log
	port int
	cred *syscall.Credential // nil when not running as root

	mu      sync.Mutex
	db      *sql.DB // connection to the postgres database, opened lazily
	running bool
	removed bool
	seq     atomic.Int64
}

// Start finds the binaries, runs initdb (as user postgres when running as
// root; the data dir under os.TempDir() in a fresh dir chowned to postgres),
// starts the server listening only on 127.0.0.1 on a free port (unix sockets
// disabled), with fsync=on and settings suitable for tests, and waits until
// it accepts connections. It returns ErrUnavailable when the binaries are
// missing.
func Start(ctx context.Context) (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	c := &Cluster{bin: bin}
	parent := os.TempDir()
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root needs the OS user postgres: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if !traversable(parent) {
			parent = "/tmp"
		}
	}
	c.reapStale(parent)
	c.base, err = os.MkdirTemp(parent, "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(c.base, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(c.base)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if c.cred != nil {
		if err := os.Chown(c.base, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			os.RemoveAll(c.base)
			return nil, fmt.Errorf("pgtest: %w", err)
		}
	}
	c.data = filepath.Join(c.base, "data")
	c.log = filepath.Join(c.data, "server.log")

	if out, err := c.run(ctx, "initdb", "-D", c.data, "-U", "postgres", "--auth=trust",
		"--no-sync", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		os.RemoveAll(c.base)
		return nil, fmt.Errorf("pgtest: initdb: %w\n%s", err, tail(out))
	}
	if err := appendFile(filepath.Join(c.data, "postgresql.conf"), settings); err != nil {
		os.RemoveAll(c.base)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	// Another process may take the free port before the server binds it;
	// try a few ports before giving up.
	for attempt := 1; ; attempt++ {
		if c.port, err = freePort(); err == nil {
			err = c.start(ctx)
		}
		if err == nil {
			return c, nil
		}
		if attempt == 3 || ctx.Err() != nil {
			c.Stop()
			return nil, err
		}
	}
}

// NewDatabase creates a fresh, empty database with a unique name and returns
// a pgx-compatible URL like postgres://postgres@127.0.0.1:PORT/NAME?sslmode=disable.
func (c *Cluster) NewDatabase(ctx context.Context) (string, error) {
	db, err := c.conn()
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("test_%d", c.seq.Add(1))
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("pgtest: create database %s: %w", name, err)
	}
	return c.url(name), nil
}

// URL returns the URL of the default postgres database.
func (c *Cluster) URL() string { return c.url("postgres") }

func (c *Cluster) url(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

// Stop shuts the server down and removes its data directory. Calling it
// again does nothing. It uses pg_ctl stop -m immediate: the data is thrown
// away, so the shutdown checkpoint of -m fast would only cost time (seconds
// once a few dozen databases exist).
func (c *Cluster) Stop() error {
	err := c.stop("immediate")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.removed {
		return err
	}
	c.removed = true
	return errors.Join(err, os.RemoveAll(c.base))
}

// Kill stops the postmaster abruptly (pg_ctl stop -m immediate), leaving the
// data directory, for crash tests. Restart starts it again on the same port.
func (c *Cluster) Kill() error { return c.stop("immediate") }

// Restart starts a stopped or killed server again on the same port and waits
// until it accepts connections.
func (c *Cluster) Restart(ctx context.Context) error {
	c.mu.Lock()
	running, removed := c.running, c.removed
	c.mu.Unlock()
	switch {
	case removed:
		return errors.New("pgtest: restart of a removed cluster")
	case running:
		return errors.New("pgtest: restart of a running cluster")
	}
	return c.start(ctx)
}

// ownerFile, in a cluster's base directory, holds the process id of the test
// binary that started the cluster.
const ownerFile = "owner.pid"

// reapStale stops and removes the clusters under parent whose test binary
// died without stopping them, for example on a go test -timeout panic.
func (c *Cluster) reapStale(parent string) {
	dirs, _ := filepath.Glob(filepath.Join(parent, "pgtest-*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(string(b))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // still alive, or not ours to judge
		}
		stale := &Cluster{bin: c.bin, base: dir, data: filepath.Join(dir, "data"), cred: c.cred}
		stale.log = filepath.Join(stale.data, "server.log")
		if _, err := os.Stat(filepath.Join(stale.data, "postmaster.pid")); err == nil {
			stale.running = true
		}
		stale.Stop()
	}
}

// start runs pg_ctl start and waits until the server accepts connections.
func (c *Cluster) start(ctx context.Context) error {
	out, err := c.run(ctx, "pg_ctl", "start", "-D", c.data, "-l", c.log, "-w", "-t", "120",
		"-o", fmt.Sprintf("-p %d", c.port))
	c.mu.Lock()
	c.running = true // pg_ctl may have started it even when waiting failed
	c.mu.Unlock()
	if err != nil {
		c.stop("immediate")
		return fmt.Errorf("pgtest: pg_ctl start on port %d: %w\n%s%s", c.port, err, out, c.logTail())
	}
	// pg_ctl -w has seen the server ready; allow a moment for it to accept.
	db, err := c.conn()
	deadline := time.Now().Add(10 * time.Second)
	for err == nil {
		if err = db.PingContext(ctx); err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		c.stop("immediate")
		return fmt.Errorf("pgtest: connect on port %d: %w\n%s", c.port, err, c.logTail())
	}
	return nil
}

// stop runs pg_ctl stop in the given mode if the server is running.
func (c *Cluster) stop(mode string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db != nil {
		c.db.Close()
		c.db = nil
	}
	if !c.running {
		return nil
	}
	out, err := c.run(context.Background(), "pg_ctl", "stop", "-D", c.data, "-m", mode, "-w", "-t", "120")
	if err != nil {
		// pg_ctl status exits with 3 when no server is running.
		var exit *exec.ExitError
		if _, serr := c.run(context.Background(), "pg_ctl", "status", "-D", c.data); errors.As(serr, &exit) && exit.ExitCode() == 3 {
			c.running = false
			return nil
		}
		return fmt.Errorf("pgtest: pg_ctl stop -m %s: %w\n%s%s", mode, err, out, c.logTail())
	}
	c.running = false
	return nil
}

// conn returns the pool of connections to the postgres database.
func (c *Cluster) conn() (*sql.DB, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.running {
		return nil, errors.New("pgtest: cluster is not running")
	}
	if c.db == nil {
		db, err := sql.Open("pgx", c.URL())
		if err != nil {
			return nil, fmt.Errorf("pgtest: %w", err)
		}
		c.db = db
	}
	return c.db, nil
}

// run runs one of the PostgreSQL binaries, as the server user, and returns
// its combined output.
func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = c.base
	cmd.Env = env()
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// logTail returns the end of the server log.
func (c *Cluster) logTail() string {
	b, err := os.ReadFile(c.log)
	if err != nil {
		return ""
	}
	return "server log:\n" + tail(b)
}

// env is the environment for the PostgreSQL binaries: the current one without
// the PG* variables that could point them elsewhere, with English messages.
func env() []string {
	var e []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG") {
			e = append(e, kv)
		}
	}
	return append(e, "LC_ALL=C.UTF-8")
}

// libGlob matches the binary directories of Debian's PostgreSQL packages.
var libGlob = "/usr/lib/postgresql/*/bin"

// findBin returns the directory holding initdb and pg_ctl: from PATH first,
// then the highest version under /usr/lib/postgresql.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err := filepath.EvalSymlinks(p); err == nil && hasBins(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob(libGlob)
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if hasBins(d) {
			return d, nil
		}
	}
	return "", ErrUnavailable
}

// version returns the major version in /usr/lib/postgresql/VERSION/bin.
func version(dir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
	return v
}

func hasBins(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// traversable reports whether every directory from / to dir can be entered
// by other users, such as postgres.
func traversable(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func appendFile(name, s string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	return errors.Join(err, f.Close())
}

// tail returns the last lines of b, at most about 4 KB.
func tail(b []byte) string {
	const max = 4096
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// Shared lazily starts one cluster for a whole test binary and stops it from
// Main. The zero value is ready to use:
//
//	var cluster pgtest.Shared
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		cluster.Close()
//		os.Exit(code)
//	}
type Shared struct {
	once    sync.Once
	cluster *Cluster
	err     error
}

// Database returns the URL of a fresh, empty database, starting the cluster
// on first use. When the PostgreSQL binaries are missing it skips the test,
// unless the environment variable CI is true, in which case the test fails;
// any other failure to start fails the test.
func (s *Shared) Database(t testing.TB) string {
	t.Helper()
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		s.cluster, s.err = Start(ctx)
	})
	if s.err != nil {
		fail(t, s.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, err := s.cluster.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// Close stops the cluster if it was started.
func (s *Shared) Close() {
	// A later Database must not start a cluster nobody stops.
	s.once.Do(func() { s.err = errors.New("pgtest: Shared used after Close") })
	if s.cluster != nil {
		if err := s.cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
}

// fail reports that the cluster could not start: a skip when the binaries
// are missing outside CI, a failure otherwise.
func fail(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skipf("PostgreSQL suite skipped: %v", err)
	}
	t.Fatalf("PostgreSQL suite could not run: %v", err)
}
