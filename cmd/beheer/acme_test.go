package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"go/build"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pebbleVersion is the ACME test server .ci/run installs.
const pebbleVersion = "v2.10.3"

// goTool finds a program installed with go install: on the PATH, in GOBIN
// or in GOPATH/bin. Missing, the test is skipped, or fails with CI=true.
func goTool(t *testing.T, name, module string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(build.Default.GOPATH, "bin")} {
		if p := filepath.Join(dir, name); dir != "" && fileExists(p) {
			return p
		}
	}
	msg := fmt.Sprintf("%s is not installed (go install %s@%s)", name, module, pebbleVersion)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// freePort is a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startProgram runs a program until the test ends; its output is shown
// when the test fails.
func startProgram(t *testing.T, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s:\n%s", filepath.Base(name), out.String())
		}
	})
}

// pebble is a local ACME server (Let's Encrypt's test server) that
// validates by connecting to tlsPort on 127.0.0.1 for every name, as its
// DNS server (pebble-challtestsrv) answers 127.0.0.1 for all of them.
type pebble struct {
	directory string
	client    *http.Client // trusts pebble's own HTTPS certificate
	roots     *x509.CertPool
}

func startPebble(t *testing.T, tlsPort int) *pebble {
	t.Helper()
	const module = "github.com/letsencrypt/pebble/v2/cmd/"
	bin := goTool(t, "pebble", module+"pebble")
	dnsBin := goTool(t, "pebble-challtestsrv", module+"pebble-challtestsrv")
	dir := t.TempDir()
	certFile, keyFile, pool := certificate(t, dir, "pebble", "127.0.0.1", "localhost")
	dns := "127.0.0.1:" + strconv.Itoa(freePort(t))
	startProgram(t, nil, dnsBin, "-dnsserver", dns, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-management", "127.0.0.1:"+strconv.Itoa(freePort(t)), "-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "")
	listen, manage := "127.0.0.1:"+strconv.Itoa(freePort(t)), "127.0.0.1:"+strconv.Itoa(freePort(t))
	config, _ := json.Marshal(map[string]any{"pebble": map[string]any{
		"listenAddress": listen, "managementListenAddress": manage, "certificate": certFile, "privateKey": keyFile,
		"httpPort": freePort(t), "tlsPort": tlsPort, "ocspResponderURL": "", "externalAccountBindingRequired": false,
	}})
	configFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(configFile, config, 0o600); err != nil {
		t.Fatal(err)
	}
	startProgram(t, []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"}, bin, "-config", configFile, "-dnsserver", dns)

	p := &pebble{directory: "https://" + listen + "/dir",
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	var root []byte
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if res, err := p.client.Get("https://" + manage + "/roots/0"); err == nil {
			root, _ = io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("pebble did not start")
		}
	}
	p.roots = x509.NewCertPool()
	if !p.roots.AppendCertsFromPEM(root) {
		t.Fatalf("pebble's root is no certificate: %s", root)
	}
	return p
}

// TestServeACME: with --acme-domain Beheer gets its certificate from the
// ACME server on the first visit (the tls-alpn-01 challenge answered on its
// own listener), serves it with HSTS, and keeps the account and the
// certificate in the data folder, readable by Beheer alone.
func TestServeACME(t *testing.T) {
	port := freePort(t)
	ca := startPebble(t, port)
	data := filepath.Join(t.TempDir(), "data")
	const domain = "beheer.test"
	s := startServe(t, env{acmeHTTP: ca.client}, "--addr", "127.0.0.1:"+strconv.Itoa(port), "--data", data,
		"--acme-domain", domain, "--acme-email", "beheer@voorbeeld.nl", "--acme-directory", ca.directory)

	client := &http.Client{Timeout: 90 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: ca.roots, ServerName: domain}}}
	res, err := client.Get("https://" + s.addr + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz over TLS: %v\n%s", err, s.logs.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("GET /readyz: %s, Strict-Transport-Security %q", res.Status, res.Header.Get("Strict-Transport-Security"))
	}
	leaf := res.TLS.PeerCertificates[0]
	if !slices.Contains(leaf.DNSNames, domain) || !strings.Contains(leaf.Issuer.CommonName, "Pebble") {
		t.Errorf("served certificate for %v from %q", leaf.DNSNames, leaf.Issuer.CommonName)
	}
	// Another name is refused: no certificate is asked for it.
	other := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: ca.roots, ServerName: "ander.test"}}}
	if res, err := other.Get("https://" + s.addr + "/readyz"); err == nil {
		res.Body.Close()
		t.Error("a certificate was served for a name not in --acme-domain")
	}

	cache := filepath.Join(data, "acme")
	if info, err := os.Stat(cache); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("ACME folder: %v %v", info, err)
	}
	files, _ := os.ReadDir(cache)
	var names []string
	for _, f := range files {
		info, _ := f.Info()
		names = append(names, f.Name())
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is readable by others: %v", f.Name(), info.Mode())
		}
	}
	if !slices.Contains(names, domain) || !slices.Contains(names, "acme_account+key") {
		t.Errorf("ACME folder holds %v, want the certificate and the account key", names)
	}
	if out, err := cli(t, "", "health", "--addr", s.addr, "--acme-domain", domain); err != nil || out != "ok\n" {
		t.Errorf("health: %v %q", err, out)
	}
}
