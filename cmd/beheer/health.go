package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"
)

// cmdHealth asks the server on this machine whether it is ready
// (/readyz) and fails when it is not. It is the container's health check:
// the image has no shell and no curl, only this binary. It reads the same
// address and TLS settings as serve.
func cmdHealth(ctx context.Context, e env, args []string) error {
	cfg, err := loadConfig(e, newFlags("health"), args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.localURL()+"/readyz", nil)
	if err != nil {
		return err
	}
	res, err := cfg.localClient().Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s", req.URL, res.Status)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// localURL is the server's address as seen from this machine: a listener
// on every interface is reached over loopback.
func (c *Config) localURL() string {
	host, port, _ := net.SplitHostPort(c.Addr)
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if c.servesTLS() {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// localClient reaches the local server. Over TLS it does not check the
// certificate: it asks whether the process answers, not who it is, and a
// certificate names the public host rather than loopback. With ACME it
// names the first domain, as the server hands out no certificate without.
func (c *Config) localClient() *http.Client {
	if !c.servesTLS() {
		return http.DefaultClient
	}
	conf := &tls.Config{InsecureSkipVerify: true} // loopback liveness check, see above
	if len(c.ACMEDomains) > 0 {
		conf.ServerName = c.ACMEDomains[0]
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: conf}}
}
