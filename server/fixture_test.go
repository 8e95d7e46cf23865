package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"beheer"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m, func() { runCleanups() }) }

// cleanups run after all tests and benchmarks, such as removing the
// benchmarks' data set.
var cleanups []func()

func runCleanups() {
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

// The people of the test organisation, by the part they play.
const (
	requester     = "requester"      // a plain user who files requests
	otherUser     = "other_user"     // a plain user who did not
	keyUserHR     = "key_user_hr"    // process owner of HR
	keyUserFin    = "key_user_fin"   // process owner of Financieel
	functional    = "functional"     // functional admin for every area
	functionalFin = "functional_fin" // functional admin for Financieel only
	technical     = "technical"      // technical admin for every area
	management    = "management"     // directie
)

var cast = []struct {
	name  string
	roles []string // role or role:area
}{
	{requester, nil},
	{otherUser, nil},
	{keyUserHR, []string{"key_user:hr"}},
	{keyUserFin, []string{"key_user:financieel"}},
	{functional, []string{"functional_admin"}},
	{functionalFin, []string{"functional_admin:financieel"}},
	{technical, []string{"technical_admin"}},
	{management, []string{"management"}},
}

// fixture is a running server on a real database with one token per person.
type fixture struct {
	t      *testing.T
	st     *store.Store
	srv    *httptest.Server
	tokens map[string]string
	ids    map[string]int64
	areas  map[string]int64
}

func newFixture(t *testing.T, st *store.Store, cfg ...server.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, st: st, tokens: map[string]string{}, ids: map[string]int64{}, areas: map[string]int64{}}
	for _, a := range []beheer.Area{{Code: "hr", Name: "HR"}, {Code: "financieel", Name: "Financieel"},
		{Code: "integraties", Name: "Integraties", Integration: true}} {
		area, err := st.CreateArea(ctx, store.System, a)
		if err != nil {
			t.Fatal(err)
		}
		f.areas[a.Code] = area.ID
	}
	for _, c := range cast {
		var roles []beheer.Assignment
		for _, r := range c.roles {
			role, area, _ := beheer.ParseAssignment(r)
			roles = append(roles, beheer.Assignment{Role: role, AreaID: f.areas[area]})
		}
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: c.name + "@voorbeeld.nl",
			Name: "Persoon " + c.name, Roles: roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		f.ids[c.name] = u.ID
		if f.tokens[c.name], err = st.CreateToken(ctx, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	config := server.Config{WriteRate: -1}
	if len(cfg) > 0 {
		config = cfg[0]
	}
	if config.LookupIP == nil {
		config.LookupIP = lookupIP
	}
	f.srv = httptest.NewServer(server.New(st, i18n.MustLoad(), log, config))
	t.Cleanup(f.srv.Close)
	return f
}

// lookupIP is the tests' name resolver for webhook hosts: the machine
// has no DNS. Names at voorbeeld.nl are on the internet, but those of
// intern.voorbeeld.nl, which is on the local network; other names are
// unknown.
func lookupIP(_ context.Context, host string) ([]netip.Addr, error) {
	switch {
	case host == "intern.voorbeeld.nl":
		return []netip.Addr{netip.MustParseAddr("10.20.30.40")}, nil
	case strings.HasSuffix(host, "voorbeeld.nl"):
		return []netip.Addr{netip.MustParseAddr("145.2.3.4")}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// response is an answer with its body decoded as JSON when it is JSON.
type response struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// str returns a top-level string member.
func (r response) str(key string) string { s, _ := r.body[key].(string); return s }

// num returns a top-level number member.
func (r response) num(key string) int64 { n, _ := r.body[key].(float64); return int64(n) }

// items returns the "items" of a list answer.
func (r response) items() []map[string]any {
	var out []map[string]any
	list, _ := r.body["items"].([]any)
	for _, it := range list {
		m, _ := it.(map[string]any)
		out = append(out, m)
	}
	return out
}

// fieldErrors returns the names of the invalid fields of a problem answer.
func (r response) fieldErrors() []string {
	var out []string
	list, _ := r.body["errors"].([]any)
	for _, it := range list {
		m, _ := it.(map[string]any)
		s, _ := m["field"].(string)
		out = append(out, s)
	}
	return out
}

// call makes an API call as a person ("" for anonymous). body may be nil, a
// string (sent as is) or a value (sent as JSON). Extra headers come in pairs.
func (f *fixture) call(who, method, path string, body any, headers ...string) response {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return f.do(req)
}

func (f *fixture) do(req *http.Request) response {
	f.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(data)}
	if strings.Contains(res.Header.Get("Content-Type"), "json") {
		json.Unmarshal(data, &out.body)
	}
	return out
}

// want fails the test when the status is not the expected one.
func (f *fixture) want(r response, status int) response {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("status %d, want %d; body %s", r.status, status, r.raw)
	}
	return r
}

// file creates a request as the requester and returns its id.
func (f *fixture) file(typ, title, area string) int64 {
	f.t.Helper()
	body := map[string]any{"type": typ, "title": title, "description": "Omschrijving van " + title}
	if area != "" {
		body["area"] = area
	}
	return f.want(f.call(requester, "POST", "/api/v1/requests", body), http.StatusCreated).num("id")
}

// path formats a request sub-path.
func path(id int64, rest string) string {
	return "/api/v1/requests/" + itoa(id) + rest
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
