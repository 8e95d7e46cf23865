package afas_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beheer/afas"
)

const xmlToken = "<token><version>1</version><data>0123456789ABCDEF0123456789ABCDEF</data></token>"

// fakeProfit is a local server that answers GetConnector calls in the
// documented shape, {"skip":…,"take":…,"rows":[…]}, from rows sorted on
// the field named in orderbyfieldids.
type fakeProfit struct {
	t     *testing.T
	rows  []map[string]any
	auth  string // the exact Authorization header it accepts
	calls atomic.Int32
	// fail, when set, answers a call instead (return true when it did).
	fail func(w http.ResponseWriter, r *http.Request, call int) bool
	mu   sync.Mutex
	seen []string // the query strings of the calls
}

func (f *fakeProfit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := int(f.calls.Add(1))
	f.mu.Lock()
	f.seen = append(f.seen, r.URL.RawQuery)
	f.mu.Unlock()
	if r.Method != http.MethodGet || r.URL.Path != "/ProfitRestServices/connectors/Beheer_Medewerkers" {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != f.auth || r.Header.Get("Accept") != "application/json" {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if f.fail != nil && f.fail(w, r, call) {
		return
	}
	q := r.URL.Query()
	skip, err1 := strconv.Atoi(q.Get("skip"))
	take, err2 := strconv.Atoi(q.Get("take"))
	if err1 != nil || err2 != nil || q.Get("orderbyfieldids") != "Medewerker" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	end := min(skip+take, len(f.rows))
	page := []map[string]any{}
	if skip < len(f.rows) {
		page = f.rows[skip:end]
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"skip": skip, "take": take, "rows": page})
}

func staff(n int) []map[string]any {
	rows := make([]map[string]any, n)
	for i := range rows {
		rows[i] = map[string]any{"Medewerker": fmt.Sprintf("%05d", i+1), "Naam": fmt.Sprintf("Medewerker %d", i+1),
			"Email": fmt.Sprintf("m%d@voorbeeld.nl", i+1), "Afdeling": "Afdeling " + strconv.Itoa(i%7), "Leidinggevende": nil}
	}
	return rows
}

func serve(t *testing.T, f *fakeProfit) string {
	t.Helper()
	f.t = t
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL + "/ProfitRestServices"
}

func client(t *testing.T, cfg afas.Config) *afas.Client {
	t.Helper()
	if cfg.Connector == "" {
		cfg.Connector = "Beheer_Medewerkers"
	}
	if cfg.Token == "" && cfg.ClientID == "" {
		cfg.Token = xmlToken
	}
	c, err := afas.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var wantAuth = "AfasToken " + base64.StdEncoding.EncodeToString([]byte(xmlToken))

// TestPaging reads 2,500 rows 1,000 at a time with the documented header
// and a stable sort, and stops after the short last page.
func TestPaging(t *testing.T) {
	f := &fakeProfit{rows: staff(2500), auth: wantAuth}
	base := serve(t, f)
	for _, token := range []string{xmlToken, base64.StdEncoding.EncodeToString([]byte(xmlToken))} {
		f.calls.Store(0)
		f.seen = nil
		got, err := client(t, afas.Config{BaseURL: base, Token: token, Take: 1000}).Employees(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2500 || got[0].Number != "00001" || got[2499].Email != "m2500@voorbeeld.nl" || got[6].Department != "Afdeling 6" {
			t.Fatalf("%d rows, first %+v", len(got), got[0])
		}
		if got[1500].Line != 1501 {
			t.Errorf("row line %d", got[1500].Line)
		}
		want := []string{"orderbyfieldids=Medewerker&skip=0&take=1000", "orderbyfieldids=Medewerker&skip=1000&take=1000",
			"orderbyfieldids=Medewerker&skip=2000&take=1000"}
		if strings.Join(f.seen, " ") != strings.Join(want, " ") {
			t.Errorf("calls %v, want %v", f.seen, want)
		}
	}
	// An exact multiple of take needs one more (empty) page to know it ended.
	f.rows, f.seen = staff(2000), nil
	got, err := client(t, afas.Config{BaseURL: base, Take: 1000}).Employees(context.Background())
	if err != nil || len(got) != 2000 || len(f.seen) != 3 {
		t.Fatalf("2,000 rows: %d %v calls %d", len(got), err, len(f.seen))
	}
}

// TestNumbersAndNulls: an employee number may come as a JSON number, a
// missing value as null; a column missing from the rows fails the read.
func TestNumbersAndNulls(t *testing.T) {
	f := &fakeProfit{auth: wantAuth, rows: []map[string]any{
		{"Medewerker": 4711, "Naam": "Jan", "Email": "jan@voorbeeld.nl", "Afdeling": nil, "Leidinggevende": "12"},
	}}
	base := serve(t, f)
	got, err := client(t, afas.Config{BaseURL: base}).Employees(context.Background())
	if err != nil || len(got) != 1 || got[0].Number != "4711" || got[0].Department != "" || got[0].Manager != "12" {
		t.Fatalf("%+v %v", got, err)
	}
	fields, err := afas.ParseFields("email=EmailWerk")
	if err != nil {
		t.Fatal(err)
	}
	_, err = client(t, afas.Config{BaseURL: base, Fields: fields}).Employees(context.Background())
	if afas.KindOf(err) != afas.KindMalformed || !strings.Contains(err.Error(), `"EmailWerk"`) {
		t.Fatalf("missing column: %v", err)
	}
}

// TestEndOfEmployment: a row whose end of employment lies in the past is
// someone who left; AFAS's "Z" times are Amsterdam time.
func TestEndOfEmployment(t *testing.T) {
	f := &fakeProfit{auth: wantAuth, rows: []map[string]any{
		{"Medewerker": "1", "Naam": "Weg", "Email": "weg@voorbeeld.nl", "Einde": "2026-03-01T00:00:00Z"},
		{"Medewerker": "2", "Naam": "Laatste dag", "Email": "laatst@voorbeeld.nl", "Einde": "2026-03-02T00:00:00Z"},
		{"Medewerker": "3", "Naam": "Blijft", "Email": "blijft@voorbeeld.nl", "Einde": nil},
		{"Medewerker": "4", "Naam": "Onleesbaar", "Email": "raar@voorbeeld.nl", "Einde": "ooit"},
	}}
	fields, _ := afas.ParseFields("department=,manager=,end=Einde")
	// 2 March 2026, 23:30 in Amsterdam is 22:30 UTC: still the last day.
	now := func() time.Time { return time.Date(2026, 3, 2, 22, 30, 0, 0, time.UTC) }
	got, err := client(t, afas.Config{BaseURL: serve(t, f), Fields: fields, Now: now}).Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range got {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != "Laatste dag,Blijft,Onleesbaar" {
		t.Fatalf("kept %v", names)
	}
}

// TestFailures: a refused token, a slow answer, broken JSON, a 500 in the
// middle of paging and unstable paging each give a clear error and no rows
// at all — never the pages read before.
func TestFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("401", func(t *testing.T) {
		f := &fakeProfit{rows: staff(10), auth: "AfasToken iets-anders"}
		got, err := client(t, afas.Config{BaseURL: serve(t, f)}).Employees(ctx)
		if afas.KindOf(err) != afas.KindAuth || got != nil || strings.Contains(err.Error(), "0123456789") {
			t.Fatalf("%v %d", err, len(got))
		}
		if f.calls.Load() != 1 {
			t.Errorf("a refused token was tried %d times", f.calls.Load())
		}
	})
	t.Run("slow", func(t *testing.T) {
		release := make(chan struct{})
		f := &fakeProfit{rows: staff(1500), auth: wantAuth, fail: func(w http.ResponseWriter, r *http.Request, call int) bool {
			if call == 2 {
				select {
				case <-release:
				case <-r.Context().Done():
				}
				return true
			}
			return false
		}}
		base := serve(t, f)
		defer close(release)
		start := time.Now()
		got, err := client(t, afas.Config{BaseURL: base, Take: 1000, Timeout: 200 * time.Millisecond, Retries: -1}).Employees(ctx)
		if afas.KindOf(err) != afas.KindTimeout || got != nil {
			t.Fatalf("%v %d", err, len(got))
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the timeout took %v", d)
		}
	})
	t.Run("broken json", func(t *testing.T) {
		f := &fakeProfit{rows: staff(1500), auth: wantAuth, fail: func(w http.ResponseWriter, r *http.Request, call int) bool {
			if call == 2 {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"skip":1000,"take":1000,"rows":[{"Medewerker":"01001",`))
				return true
			}
			return false
		}}
		got, err := client(t, afas.Config{BaseURL: serve(t, f), Take: 1000}).Employees(ctx)
		if afas.KindOf(err) != afas.KindMalformed || got != nil {
			t.Fatalf("%v %d", err, len(got))
		}
	})
	t.Run("500 mid-paging", func(t *testing.T) {
		f := &fakeProfit{rows: staff(2500), auth: wantAuth, fail: func(w http.ResponseWriter, r *http.Request, call int) bool {
			if call >= 2 {
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte(`{"externalMessage":"Er is een onverwachte fout opgetreden"}`))
				return true
			}
			return false
		}}
		got, err := client(t, afas.Config{BaseURL: serve(t, f), Take: 1000, RetryWait: time.Millisecond}).Employees(ctx)
		if afas.KindOf(err) != afas.KindServer || got != nil || !strings.Contains(err.Error(), "onverwachte fout") {
			t.Fatalf("%v %d", err, len(got))
		}
		if n := f.calls.Load(); n != 4 {
			t.Errorf("%d calls; want the first page and three tries of the second", n)
		}
	})
	t.Run("500 once", func(t *testing.T) {
		f := &fakeProfit{rows: staff(1500), auth: wantAuth, fail: func(w http.ResponseWriter, r *http.Request, call int) bool {
			if call == 2 {
				w.WriteHeader(http.StatusBadGateway)
				return true
			}
			return false
		}}
		got, err := client(t, afas.Config{BaseURL: serve(t, f), Take: 1000, RetryWait: time.Millisecond}).Employees(ctx)
		if err != nil || len(got) != 1500 {
			t.Fatalf("a retry did not recover: %v %d", err, len(got))
		}
	})
	t.Run("rows repeat", func(t *testing.T) {
		f := &fakeProfit{rows: staff(3), auth: wantAuth, fail: func(w http.ResponseWriter, r *http.Request, call int) bool {
			// A server that ignores skip: the same full page for ever.
			json.NewEncoder(w).Encode(map[string]any{"rows": staff(2)})
			return true
		}}
		got, err := client(t, afas.Config{BaseURL: serve(t, f), Take: 2}).Employees(ctx)
		if afas.KindOf(err) != afas.KindPaging || got != nil {
			t.Fatalf("%v %d", err, len(got))
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		f := &fakeProfit{rows: staff(10), auth: wantAuth}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := client(t, afas.Config{BaseURL: serve(t, f)}).Employees(cctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("%v", err)
		}
	})
}

// TestOAuth gets a token with client credentials (form-encoded, as AFAS
// documents), sends it as a Bearer token, and replaces an expired one once.
func TestOAuth(t *testing.T) {
	var tokens atomic.Int32
	f := &fakeProfit{rows: staff(30)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ProfitRestServices/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != "beheer" ||
			r.PostForm.Get("client_secret") != "geheim" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		n := tokens.Add(1)
		f.auth = fmt.Sprintf("Bearer token-%d", n)
		if n == 1 {
			f.auth = "Bearer token-is-already-expired"
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"token-%d","token_type":"Bearer","expires_in":3600}`, n)
	})
	mux.Handle("/", f)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base := srv.URL + "/ProfitRestServices"
	c := client(t, afas.Config{BaseURL: base, ClientID: "beheer", ClientSecret: "geheim", Take: 10})
	got, err := c.Employees(context.Background())
	if err != nil || len(got) != 30 {
		t.Fatalf("%v %d", err, len(got))
	}
	if tokens.Load() != 2 {
		t.Errorf("%d tokens fetched; want the expired one and one more", tokens.Load())
	}
	bad := client(t, afas.Config{BaseURL: base, ClientID: "beheer", ClientSecret: "fout"})
	if _, err := bad.Employees(context.Background()); afas.KindOf(err) != afas.KindAuth {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestConfig(t *testing.T) {
	for name, cfg := range map[string]afas.Config{
		"plain http":   {BaseURL: "http://12345.rest.afas.online/ProfitRestServices", Connector: "X", Token: xmlToken},
		"no connector": {BaseURL: "https://12345.rest.afas.online/ProfitRestServices", Token: xmlToken},
		"no secret":    {BaseURL: "https://12345.rest.afas.online/ProfitRestServices", Connector: "X"},
		"bad token":    {BaseURL: "https://12345.rest.afas.online/ProfitRestServices", Connector: "X", Token: "hallo"},
		"both":         {BaseURL: "https://x.rest.afas.online/P", Connector: "X", Token: xmlToken, ClientID: "a", ClientSecret: "b"},
	} {
		if _, err := afas.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "0123456789") {
			t.Errorf("%s: the error shows the token: %v", name, err)
		}
	}
	if _, err := afas.ParseFields("nummer=X"); err == nil {
		t.Error("unknown field accepted")
	}
	if _, err := afas.ParseFields("email="); err == nil {
		t.Error("email without a column accepted")
	}
}
