package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// certificate makes a self-signed certificate for hosts (names or
// addresses), usable as its own CA, and writes it and its key as PEM into
// dir. It returns the two files and a pool that trusts the certificate.
func certificate(t *testing.T, dir, name string, hosts ...string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: hosts[0]},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "PRIVATE KEY", keyDER)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestServeTLS: with a certificate Beheer speaks https itself, sends HSTS
// and signs people in with a __Host- cookie marked Secure, without
// BEHEER_SECURE_COOKIES; "beheer health" reaches it.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	certFile, keyFile, pool := certificate(t, dir, "beheer", "127.0.0.1", "localhost")
	if out, err := cli(t, "lange geheime zin\n", "user", "add", "--data", data, "--email", "fleur@voorbeeld.nl",
		"--name", "Fleur", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	s := startServe(t, env{}, "--addr", "127.0.0.1:0", "--data", data, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.Contains(s.out.String(), "https://"+s.addr) {
		t.Errorf("serve does not say it speaks https: %s", s.out.String())
	}
	base := "https://" + s.addr
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	page, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if hsts := page.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("GET /login: Strict-Transport-Security %q", hsts)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if csrf == nil {
		t.Fatalf("no CSRF token on the login page:\n%s", body)
	}
	res, err := client.PostForm(base+"/login", url.Values{"email": {"fleur@voorbeeld.nl"},
		"password": {"lange geheime zin"}, "csrf": {string(csrf[1])}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("login: %s, Strict-Transport-Security %q", res.Status, res.Header.Get("Strict-Transport-Security"))
	}
	set := strings.Join(res.Header.Values("Set-Cookie"), "\n")
	if !regexp.MustCompile(`(?m)^__Host-beheer_session=[^;]+; Path=/;.*; HttpOnly; Secure`).MatchString(set) {
		t.Errorf("session cookie not __Host- and Secure:\n%s", set)
	}
	if home, err := client.Get(base + "/"); err != nil || home.StatusCode != http.StatusOK {
		t.Errorf("GET / after login: %v %v", home, err)
	} else {
		home.Body.Close()
	}

	if out, err := cli(t, "", "health", "--addr", s.addr, "--tls-cert", certFile, "--tls-key", keyFile); err != nil || out != "ok\n" {
		t.Errorf("health: %v %q", err, out)
	}
	if out, err := cli(t, "", "health", "--addr", s.addr); err == nil {
		t.Errorf("health over plain http to a TLS server: %q", out)
	}
}

// TestServeTLSRefusesBadFiles: a missing file or a key of another
// certificate stops the start with one line that names the setting, and
// serve returns an error (main exits with 1).
func TestServeTLSRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := certificate(t, dir, "beheer", "127.0.0.1")
	_, otherKey, _ := certificate(t, dir, "ander", "127.0.0.1")
	for _, tt := range []struct {
		name       string
		cert, key  string
		want, also string
	}{
		{"missing certificate", filepath.Join(dir, "geen.pem"), keyFile, "TLS --tls-cert: stat ", "no such file"},
		{"missing key", certFile, filepath.Join(dir, "geen-key.pem"), "TLS --tls-key: stat ", "no such file"},
		{"key of another certificate", certFile, otherKey, "TLS certificate --tls-cert " + certFile + " with key --tls-key " + otherKey,
			"private key does not match public key"},
		{"certificate without key", certFile, "", "--tls-cert and --tls-key go together", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			_, err := cli(t, "", "serve", "--addr", "127.0.0.1:0", "--data", data, "--tls-cert", tt.cert, "--tls-key", tt.key)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.also) ||
				strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q, want one line starting %q", err, tt.want)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("the data directory was made before the certificate was checked: %v", err)
			}
		})
	}
}
