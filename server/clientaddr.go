package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the reverse proxies whose forwarded headers tell the
// client's address (X-Forwarded-For, Forwarded). Anyone else's headers are
// ignored, since a client can send whatever it likes.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads the setting: networks in CIDR notation or
// single addresses. It names the first entry it cannot read.
func ParseTrustedProxies(entries []string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, e := range entries {
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("%q is no address or network: want networks such as 10.0.0.0/8 or addresses such as 10.1.2.3", e)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trusts reports whether a is one of the proxies.
func (tp TrustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range tp {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// client is the address of the client a request came from: the peer,
// unless the peer is a trusted proxy; then the nearest address in the
// forwarded chain that is not a trusted proxy. ignored reports forwarded
// headers that were not believed: sent by someone who is no trusted proxy,
// or unreadable.
func (tp TrustedProxies) client(r *http.Request) (addr netip.Addr, ignored bool) {
	peer := parseHost(r.RemoteAddr)
	chain, sent := forwardedChain(r.Header)
	if !peer.IsValid() || !tp.trusts(peer) {
		return peer, sent
	}
	addr = peer
	for i := len(chain) - 1; i >= 0; i-- {
		hop := parseHost(chain[i])
		if !hop.IsValid() {
			return addr, true
		}
		addr = hop
		if !tp.trusts(hop) {
			break
		}
	}
	return addr, false
}

// forwardedChain lists the addresses of the Forwarded header's for=
// parameters (RFC 7239), or else of X-Forwarded-For, nearest last; sent
// reports whether either header was there.
func forwardedChain(h http.Header) (chain []string, sent bool) {
	if fwd := h.Values("Forwarded"); len(fwd) > 0 {
		for _, elem := range strings.Split(strings.Join(fwd, ","), ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(pair), "=")
				if strings.EqualFold(k, "for") {
					chain = append(chain, strings.Trim(v, `"`))
				}
			}
		}
		return chain, true
	}
	xff := h.Values("X-Forwarded-For")
	for _, part := range strings.Split(strings.Join(xff, ","), ",") {
		if part = strings.TrimSpace(part); part != "" {
			chain = append(chain, part)
		}
	}
	return chain, len(xff) > 0
}

// parseHost reads an address with or without a port ("192.0.2.1",
// "192.0.2.1:80", "[2001:db8::1]:80", "2001:db8::1"); invalid when it is
// none.
func parseHost(s string) netip.Addr {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap()
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		if a, err := netip.ParseAddr(host); err == nil {
			return a.Unmap()
		}
	}
	return netip.Addr{}
}
