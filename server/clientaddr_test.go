package server

import (
	"net/http/httptest"
	"testing"
)

// TestClientAddress is the table of whose forwarded headers are believed:
// a trusted proxy's, never anyone else's, and then only as far as the
// chain runs through trusted proxies.
func TestClientAddress(t *testing.T) {
	tp, err := ParseTrustedProxies([]string{"10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		peer    string
		headers []string
		want    string
		ignored bool
	}{
		{"direct", "198.51.100.7:5000", nil, "198.51.100.7", false},
		{"untrusted peer forges X-Forwarded-For", "198.51.100.7:5000", []string{"X-Forwarded-For", "203.0.113.1"}, "198.51.100.7", true},
		{"untrusted peer forges Forwarded", "198.51.100.7:5000", []string{"Forwarded", "for=203.0.113.1"}, "198.51.100.7", true},
		{"trusted proxy", "10.1.2.3:443", []string{"X-Forwarded-For", "203.0.113.1"}, "203.0.113.1", false},
		{"trusted single address", "192.0.2.10:443", []string{"X-Forwarded-For", "203.0.113.1"}, "203.0.113.1", false},
		{"client prepends a forged hop", "10.1.2.3:443", []string{"X-Forwarded-For", "1.1.1.1, 203.0.113.1"}, "203.0.113.1", false},
		{"two trusted proxies", "10.1.2.3:443", []string{"X-Forwarded-For", "203.0.113.1, 10.9.9.9"}, "203.0.113.1", false},
		{"headers repeated", "10.1.2.3:443", []string{"X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "203.0.113.1"}, "203.0.113.1", false},
		{"Forwarded with port and IPv6", "10.1.2.3:443", []string{"Forwarded", `for="[2001:db8:1::7]:4711";proto=https`}, "2001:db8:1::7", false},
		{"Forwarded before X-Forwarded-For", "10.1.2.3:443", []string{"Forwarded", "for=203.0.113.9", "X-Forwarded-For", "203.0.113.1"}, "203.0.113.9", false},
		{"trusted proxy, no header", "10.1.2.3:443", nil, "10.1.2.3", false},
		{"trusted proxy, garbage", "10.1.2.3:443", []string{"X-Forwarded-For", "<script>"}, "10.1.2.3", true},
		{"trusted proxy, unknown hop", "10.1.2.3:443", []string{"Forwarded", "for=unknown"}, "10.1.2.3", true},
		{"all hops trusted", "10.1.2.3:443", []string{"X-Forwarded-For", "10.4.4.4"}, "10.4.4.4", false},
		{"IPv6 proxy", "[2001:db8:ffff::1]:443", []string{"X-Forwarded-For", "203.0.113.1"}, "203.0.113.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/login", nil)
			r.RemoteAddr = tt.peer
			for i := 0; i+1 < len(tt.headers); i += 2 {
				r.Header.Add(tt.headers[i], tt.headers[i+1])
			}
			got, ignored := tp.client(r)
			if got.String() != tt.want || ignored != tt.ignored {
				t.Errorf("got %s (ignored %v), want %s (ignored %v)", got, ignored, tt.want, tt.ignored)
			}
		})
	}
	var none TrustedProxies
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:443"
	r.Header.Set("X-Forwarded-For", "203.0.113.1")
	if got, ignored := none.client(r); got.String() != "10.1.2.3" || !ignored {
		t.Errorf("without trusted proxies: %s, %v", got, ignored)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1/8/8", ""} {
		if _, err := ParseTrustedProxies([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
