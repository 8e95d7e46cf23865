// Package deploy holds no Go code: it tests the files that put Beheer in
// production, the container image and the systemd unit, with the real
// tools (podman, systemd-analyze). Missing tools skip the tests, or fail
// them with CI=true, like the PostgreSQL and browser suites.
package deploy

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// need finds a program; missing, the test is skipped, or fails with
// CI=true (.ci/run installs it).
func need(t *testing.T, program, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed (apt-get install %s)", program, pkg)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// binary is a static beheer binary (CGO_ENABLED=0), built once per run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "beheer-deploy-")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "beheer")
		cmd := exec.Command("go", "build", "-trimpath", "-o", built, "../cmd/beheer")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

// TestBinaryIsStatic: the image has no C library, so the binary must need
// none.
func TestBinaryIsStatic(t *testing.T) {
	out, err := exec.Command("go", "version", "-m", binary(t)).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s+build\s+CGO_ENABLED=0$`).Match(out) {
		t.Errorf("not built with CGO_ENABLED=0:\n%s", out)
	}
}

// TestSystemdUnit: the unit passes systemd-analyze verify, and its
// hardening scores "OK" (exposure below 2.0 of 10) in systemd-analyze
// security.
func TestSystemdUnit(t *testing.T) {
	analyze := need(t, "systemd-analyze", "systemd")
	unit, err := os.ReadFile("beheer.service")
	if err != nil {
		t.Fatal(err)
	}
	// verify checks that ExecStart names an executable: point it at a real
	// build of the binary the unit is for.
	unit = bytes.ReplaceAll(unit, []byte("/usr/local/bin/beheer"), []byte(binary(t)))
	dir := t.TempDir()
	path := filepath.Join(dir, "beheer.service")
	if err := os.WriteFile(path, unit, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err := exec.Command(analyze, "security", "--offline=true", "--no-pager", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for beheer.service: (\d+\.\d+) (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level >= 2.0 {
		t.Errorf("exposure %s %s, want below 2.0:\n%s", m[1], m[2], out)
	}
	for _, want := range []string{"DynamicUser=yes", "StateDirectory=beheer", "ProtectSystem=strict", "NoNewPrivileges=yes",
		"PrivateTmp=yes", "CapabilityBoundingSet=\n"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("the unit lacks %q", strings.TrimSpace(want))
		}
	}
}

// podman runs the container engine. This kind of machine runs containers
// with runc (crun refuses its mixed cgroup v1/v2 hierarchy), so runc is
// used when installed.
func podman(t *testing.T, engine string, args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("runc"); err == nil {
		args = append([]string{"--runtime", "runc"}, args...)
	}
	out, err := exec.Command(engine, args...).CombinedOutput()
	return string(out), err
}

// TestContainerImage builds the image with deploy/build-image.sh, starts
// it the way the README says (read-only root, data on a volume) and sees
// /readyz answer, the health check pass and the process run as a user
// other than root.
func TestContainerImage(t *testing.T) {
	engine := need(t, "podman", "podman runc")
	var b [4]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	tag, name, volume := "localhost/beheer-test:"+id, "beheer-test-"+id, "beheer-test-"+id

	build := exec.Command("bash", "build-image.sh", tag, binary(t))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the image: %v\n%s", err, out)
	}
	t.Cleanup(func() { podman(t, engine, "rmi", "-f", tag) })
	if out, err := podman(t, engine, "image", "inspect", "--format",
		"{{.Config.User}} {{json .Config.Volumes}} {{json .Config.Healthcheck.Test}}", tag); err != nil ||
		!strings.Contains(out, `65532:65532 {"/data":{}} ["CMD","/beheer","health"]`) {
		t.Errorf("image config: %v %s", err, out)
	}

	// The sandbox of this kind of machine may not raise resource limits
	// (podman's default for open files is above its hard limit): give
	// ones it allows.
	out, err := podman(t, engine, "run", "-d", "--name", name, "--read-only", "-v", volume+":/data",
		"--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
		"-p", "127.0.0.1::8080", tag) // a free port, asked for below
	t.Cleanup(func() {
		podman(t, engine, "rm", "-f", name)
		podman(t, engine, "volume", "rm", "-f", volume)
	})
	if err != nil {
		t.Fatalf("%s cannot start a container on this machine: %v\n%s", engine, err, out)
	}
	addr, err := podman(t, engine, "port", name, "8080")
	if err != nil {
		t.Fatalf("published port: %v %s", err, addr)
	}
	url := "http://" + strings.TrimSpace(addr) + "/readyz"
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			logs, _ := podman(t, engine, "logs", name)
			t.Fatalf("GET %s did not answer 200: %v\n%s", url, err, logs)
		}
	}
	if out, err := podman(t, engine, "healthcheck", "run", name); err != nil {
		t.Errorf("health check: %v %s", err, out)
	}
	if out, err := podman(t, engine, "top", name, "user", "args"); err != nil || !strings.Contains(out, "beheer") ||
		regexp.MustCompile(`(?m)^root\s`).MatchString(out) {
		t.Errorf("process list: %v\n%s", err, out)
	}
	// The root is read-only: the database is on the volume.
	mount, err := podman(t, engine, "volume", "inspect", "--format", "{{.Mountpoint}}", volume)
	if err != nil {
		t.Fatalf("volume: %v %s", err, mount)
	}
	if info, err := os.Stat(filepath.Join(strings.TrimSpace(mount), "beheer.db")); err != nil || info.Size() == 0 {
		t.Errorf("no database on the volume: %v", err)
	}
}
