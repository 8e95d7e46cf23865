package main

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// letsEncrypt is the ACME directory used unless another is set.
const letsEncrypt = "https://acme-v02.api.letsencrypt.org/directory"

// servesTLS reports whether Beheer itself answers over TLS, with a
// certificate from files or from an ACME certificate authority.
func (c *Config) servesTLS() bool { return c.TLSCert != "" || len(c.ACMEDomains) > 0 }

// tlsConfig is the listener's TLS configuration, or nil without TLS. The
// certificate files are read here, so a wrong path or a key that does not
// belong to the certificate stops the start with one line. acmeHTTP is the
// client for the ACME directory; nil is the default one.
func (c *Config) tlsConfig(log *slog.Logger, acmeHTTP *http.Client) (*tls.Config, error) {
	switch {
	case c.TLSCert != "":
		kp := &keyPair{certFile: c.TLSCert, keyFile: c.TLSKey, log: log}
		if err := kp.load(); err != nil {
			return nil, err
		}
		return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: kp.get}, nil
	case len(c.ACMEDomains) > 0:
		cache := filepath.Join(c.Data, "acme")
		if err := os.MkdirAll(cache, 0o700); err != nil {
			return nil, fmt.Errorf("ACME certificate folder: %w", err)
		}
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			Cache:      autocert.DirCache(cache),
			HostPolicy: autocert.HostWhitelist(c.ACMEDomains...),
			Email:      c.ACMEEmail,
			Client:     &acme.Client{DirectoryURL: c.ACMEDirectory, HTTPClient: acmeHTTP},
		}
		cfg := m.TLSConfig() // answers the tls-alpn-01 challenge on this listener
		cfg.MinVersion = tls.VersionTLS12
		return cfg, nil
	}
	return nil, nil
}

// keyPair is a certificate and key from files, read again when the
// certificate file changes, so a renewed certificate (certbot, an
// internal CA) is served without a restart.
type keyPair struct {
	certFile, keyFile string
	log               *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	modTime time.Time
}

// load reads both files; the error names them.
func (k *keyPair) load() error {
	changed, err := k.changed()
	if err != nil {
		return err
	}
	cert, err := tls.LoadX509KeyPair(k.certFile, k.keyFile)
	if err != nil {
		return fmt.Errorf("TLS certificate --tls-cert %s with key --tls-key %s: %w", k.certFile, k.keyFile, err)
	}
	k.cert, k.modTime = &cert, changed
	return nil
}

// changed is when the certificate or the key last changed.
func (k *keyPair) changed() (time.Time, error) {
	var last time.Time
	for flag, name := range map[string]string{"--tls-cert": k.certFile, "--tls-key": k.keyFile} {
		info, err := os.Stat(name)
		if err != nil {
			return last, fmt.Errorf("TLS %s: %w", flag, err)
		}
		if info.ModTime().After(last) {
			last = info.ModTime()
		}
	}
	return last, nil
}

// get serves the certificate (tls.Config.GetCertificate), reading the
// files again first when either changed. A renewal that cannot be read
// (yet: the key may follow the certificate) is logged and the previous
// certificate kept.
func (k *keyPair) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	changed, err := k.changed()
	if err != nil || changed.Equal(k.modTime) {
		return k.cert, nil
	}
	previous := k.cert
	if err := k.load(); err != nil {
		k.log.Error("TLS certificate not renewed; the previous one is served", "err", err)
		k.cert, k.modTime = previous, changed
	}
	return k.cert, nil
}
