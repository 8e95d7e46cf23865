package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"beheer/store"
	"beheer/store/storetest"
)

// slaBrowser is a signed-in browser session for portal pages.
type slaBrowser struct {
	f      *fixture
	cookie string
	csrf   string
	client *http.Client
}

func slaLogin(f *fixture, who string) *slaBrowser {
	f.t.Helper()
	sess, err := f.st.CreateSession(context.Background(), f.ids[who])
	if err != nil {
		f.t.Fatal(err)
	}
	return &slaBrowser{f: f, cookie: sess.ID, csrf: sess.CSRF, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *slaBrowser) send(req *http.Request) (response, []byte) {
	b.f.t.Helper()
	req.AddCookie(&http.Cookie{Name: "beheer_session", Value: b.cookie})
	res, err := b.client.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, raw: string(data)}, data
}

func (b *slaBrowser) get(p string) (response, []byte) {
	b.f.t.Helper()
	req, _ := http.NewRequest("GET", b.f.srv.URL+p, nil)
	return b.send(req)
}

func (b *slaBrowser) post(p string, form url.Values) response {
	b.f.t.Helper()
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest("POST", b.f.srv.URL+p, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.f.srv.URL)
	res, _ := b.send(req)
	return res
}

func TestSLAAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("incident", "Salarisstrook leeg", "hr")

		list := f.want(f.call(requester, "GET", "/api/v1/sla/targets", nil), http.StatusOK)
		if len(list.items()) != 4 || list.items()[0]["priority"] != "urgent" {
			t.Fatalf("targets %s", list.raw)
		}
		targets := map[string]any{"targets": []map[string]any{
			{"priority": "urgent", "response_minutes": 30, "resolution_minutes": 240},
			{"priority": "high", "response_minutes": 240, "resolution_minutes": 1020},
			{"priority": "normal", "response_minutes": 510, "resolution_minutes": 2550},
			{"priority": "normal", "area": "hr", "type": "incident", "response_minutes": 60, "resolution_minutes": 600},
			{"priority": "low", "response_minutes": 1020, "resolution_minutes": 5100},
		}}
		f.want(f.call(keyUserHR, "PUT", "/api/v1/sla/targets", targets), http.StatusForbidden)
		f.want(f.call(functionalFin, "PUT", "/api/v1/sla/targets", targets), http.StatusForbidden)
		bad := f.want(f.call(functional, "PUT", "/api/v1/sla/targets", map[string]any{"targets": []map[string]any{
			{"priority": "urgent", "response_minutes": 300, "resolution_minutes": 240}}}), http.StatusUnprocessableEntity)
		if fe := bad.fieldErrors(); len(fe) < 2 {
			t.Fatalf("field errors %v", fe)
		}
		f.want(f.call(functional, "PUT", "/api/v1/sla/targets", map[string]any{"targets": []map[string]any{
			{"priority": "urgent", "response_minutes": 30, "resolution_minutes": 240, "colour": "red"}}}), http.StatusUnprocessableEntity)
		f.want(f.call(functional, "PUT", "/api/v1/sla/targets", targets), http.StatusOK)

		// The narrower target holds for the HR incident.
		s := f.want(f.call(requester, "GET", path(id, "/sla"), nil), http.StatusOK)
		resolution, _ := s.body["resolution"].(map[string]any)
		if resolution["target_minutes"] != float64(600) {
			t.Fatalf("sla %s", s.raw)
		}
		f.want(f.call(otherUser, "GET", path(id, "/sla"), nil), http.StatusNotFound)

		// Parking: managers only, in the future.
		f.want(f.call(requester, "POST", path(id, "/park"), map[string]any{"until": "2099-01-01"}), http.StatusForbidden)
		f.want(f.call(functional, "POST", path(id, "/park"), map[string]any{"until": "2000-01-01"}), http.StatusUnprocessableEntity)
		f.want(f.call(functional, "POST", path(id, "/park"), map[string]any{"until": "gisteren"}), http.StatusUnprocessableEntity)
		until := time.Now().AddDate(0, 2, 0).UTC().Truncate(time.Second)
		parked := f.want(f.call(functional, "POST", path(id, "/park"), map[string]any{"until": until.Format(time.RFC3339)}), http.StatusOK)
		if parked.body["parked_until"] != until.Format(time.RFC3339) || parked.body["paused"] != true {
			t.Fatalf("parked %s", parked.raw)
		}
		un := f.want(f.call(functional, "DELETE", path(id, "/park"), nil), http.StatusOK)
		if _, ok := un.body["parked_until"]; ok {
			t.Fatalf("still parked: %s", un.raw)
		}
		f.want(f.call(functional, "DELETE", path(id, "/park"), nil), http.StatusConflict)

		cal := f.want(f.call(requester, "GET", "/api/v1/sla/calendar", nil), http.StatusOK)
		if cal.body["zone"] != "Europe/Amsterdam" || cal.body["liberation"] != "lustrum" {
			t.Fatalf("calendar %s", cal.raw)
		}
		f.want(f.call(functional, "PUT", "/api/v1/sla/calendar", map[string]any{"zone": "Europe/Amsterdam",
			"hours": map[string]string{"monday": "17:00-08:00"}}), http.StatusUnprocessableEntity)
		saved := f.want(f.call(functional, "PUT", "/api/v1/sla/calendar", map[string]any{"zone": "Europe/Amsterdam",
			"hours":       map[string]string{"monday": "08:00-16:00", "friday": "08:00-12:00"},
			"good_friday": true, "closed_days": []string{"2026-12-24"}}), http.StatusOK)
		if h, _ := saved.body["hours"].(map[string]any); h["tuesday"] != "" || h["monday"] != "08:00-16:00" {
			t.Fatalf("calendar %s", saved.raw)
		}
		f.want(f.call(requester, "PUT", "/api/v1/sla/calendar", map[string]any{"zone": "UTC"}), http.StatusForbidden)
	})
}

func TestReportsAuthorisation(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.file("question", "Verlof", "hr")
		f.file("question", "Kostenplaats", "financieel")

		for _, who := range []string{requester, otherUser, technical} {
			f.want(f.call(who, "GET", "/api/v1/reports/dashboard", nil), http.StatusForbidden)
			f.want(f.call(who, "GET", "/api/v1/reports/at-risk", nil), http.StatusForbidden)
			res, _ := slaLogin(f, who).get("/dashboard")
			if res.status != http.StatusForbidden {
				t.Errorf("%s: dashboard %d, want 403", who, res.status)
			}
		}
		open := func(r response) map[string]float64 {
			out := map[string]float64{}
			list, _ := r.body["open"].([]any)
			for _, it := range list {
				m := it.(map[string]any)
				area, _ := m["area"].(string)
				out[area] += m["count"].(float64)
			}
			return out
		}
		all := f.want(f.call(management, "GET", "/api/v1/reports/dashboard", nil), http.StatusOK)
		if got := open(all); got["hr"] != 1 || got["financieel"] != 1 {
			t.Errorf("management sees %v", got)
		}
		hr := f.want(f.call(keyUserHR, "GET", "/api/v1/reports/dashboard", nil), http.StatusOK)
		if got := open(hr); got["hr"] != 1 || len(got) != 1 {
			t.Errorf("key user HR sees %v", got)
		}
		f.want(f.call(keyUserHR, "GET", "/api/v1/reports/dashboard?area=financieel", nil), http.StatusForbidden)
		f.want(f.call(management, "GET", "/api/v1/reports/dashboard?from=2026-13", nil), http.StatusUnprocessableEntity)
		f.want(f.call(management, "GET", "/api/v1/reports/dashboard?from=2026-05&to=2026-01", nil), http.StatusUnprocessableEntity)
		f.want(f.call(functionalFin, "GET", "/api/v1/reports/at-risk", nil), http.StatusOK)

		// The portal page: charts with text alternatives, links into the queue.
		page, _ := slaLogin(f, keyUserHR).get("/dashboard")
		if page.status != http.StatusOK {
			t.Fatalf("dashboard %d: %s", page.status, page.raw)
		}
		for _, want := range []string{`role="img"`, `<title id="ch-open-t">`, `<desc id="ch-open-d">`, `/queue?area=hr`, "alleen uw aandachtsgebieden"} {
			if !strings.Contains(page.raw, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(page.raw, "Financieel</option>") || strings.Contains(page.raw, "style=") {
			t.Error("key user's dashboard offers another area, or uses a style attribute")
		}
		xl, data := slaLogin(f, management).get("/dashboard/export.xlsx")
		if xl.status != http.StatusOK {
			t.Fatalf("dashboard export %d", xl.status)
		}
		book, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(book.GetSheetList()) < 8 {
			t.Errorf("sheets %v", book.GetSheetList())
		}
		csvRes, _ := slaLogin(f, management).get("/dashboard/export.csv?figure=open")
		if csvRes.status != http.StatusOK || !strings.Contains(csvRes.raw, "Aandachtsgebied;Aanvraag;Onderzoek") {
			t.Errorf("figure csv %d: %s", csvRes.status, csvRes.raw)
		}
	})
}

func TestSLAPortal(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("incident", "Salarisstrook leeg", "hr")
		admin := slaLogin(f, functional)
		page, _ := admin.get("/sla")
		if page.status != http.StatusOK || !strings.Contains(page.raw, `name="response_0"`) || !strings.Contains(page.raw, "Tweede Paasdag") {
			t.Fatalf("sla page %d", page.status)
		}
		readOnly, _ := slaLogin(f, requester).get("/sla")
		if readOnly.status != http.StatusOK || strings.Contains(readOnly.raw, `action="/sla/targets"`) {
			t.Fatalf("requester's sla page %d offers the form", readOnly.status)
		}
		form := url.Values{"rows": {"4"}}
		for i, row := range [][3]string{{"urgent", "1", "8"}, {"high", "4", "17"}, {"normal", "8,5", "42,5"}, {"low", "abc", "85"}} {
			n := string(rune('0' + i))
			form.Set("priority_"+n, row[0])
			form.Set("response_"+n, row[1])
			form.Set("resolution_"+n, row[2])
		}
		res := admin.post("/sla/targets", form)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.raw, `id="response_3-error"`) || !strings.Contains(res.raw, `value="abc"`) {
			t.Fatalf("invalid form %d", res.status)
		}
		form.Set("response_3", "17")
		if res := admin.post("/sla/targets", form); res.status != http.StatusSeeOther {
			t.Fatalf("valid form %d: %s", res.status, res.raw)
		}
		if res := slaLogin(f, keyUserHR).post("/sla/targets", form); res.status != http.StatusForbidden {
			t.Fatalf("key user saved targets: %d", res.status)
		}
		cal := url.Values{"zone": {"Europe/Amsterdam"}, "liberation": {"always"}, "open_monday": {"09:00"}, "close_monday": {""}}
		if res := admin.post("/sla/calendar", cal); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.raw, `id="hours_monday-error"`) {
			t.Fatalf("invalid calendar %d", res.status)
		}
		cal.Set("close_monday", "17:00")
		if res := admin.post("/sla/calendar", cal); res.status != http.StatusSeeOther {
			t.Fatalf("calendar %d", res.status)
		}
		// Parking from the request page's form.
		if res := admin.post(path(id, "/park")[len("/api/v1"):], url.Values{"until": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}}); res.status != http.StatusSeeOther {
			t.Fatalf("park %d", res.status)
		}
		s := f.want(f.call(functional, "GET", path(id, "/sla"), nil), http.StatusOK)
		if s.body["paused"] != true {
			t.Fatalf("not parked: %s", s.raw)
		}
		if res := slaLogin(f, requester).post(path(id, "/unpark")[len("/api/v1"):], url.Values{}); res.status != http.StatusForbidden {
			t.Fatalf("requester unparked: %d", res.status)
		}
	})
}

func TestQueueExport(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for i := range 3 {
			f.file("question", "Vraag "+string(rune('A'+i)), "hr")
		}
		f.file("incident", "=SOM(A1)", "financieel")
		admin := slaLogin(f, functional)

		res, data := admin.get("/queue/export.xlsx?area=hr&sort=oldest")
		if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("xlsx %d %v", res.status, res.header)
		}
		book, sheet, rows := readXLSX(t, data)
		if len(rows) != 4 || rows[0][0] != "Nummer" || rows[0][9] != "Ingediend op" || rows[1][1] != "Vraag A" || rows[1][3] != "Aanvraag" {
			t.Fatalf("rows %v", rows)
		}
		// Dates are date cells: a number with a date format.
		typ, err := book.GetCellType(sheet, "J2")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := book.GetCellValue(sheet, "J2", excelize.Options{RawCellValue: true})
		style, _ := book.GetCellStyle(sheet, "J2")
		st2, _ := book.GetStyle(style)
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || !strings.Contains(raw, ".") || st2 == nil ||
			st2.CustomNumFmt == nil || !strings.Contains(*st2.CustomNumFmt, "yyyy") {
			t.Errorf("date cell: type %v raw %q style %+v", typ, raw, st2)
		}
		shown, _ := book.GetCellValue(sheet, "J2")
		if len(shown) != len("02-01-2006 15:04") || shown[2] != '-' {
			t.Errorf("date shown as %q", shown)
		}

		// CSV: semicolons for Dutch, every visible request, formulas defused.
		res, _ = admin.get("/queue/export.csv")
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(res.raw, "\ufeff")), "\n")
		if res.status != http.StatusOK || len(lines) != 5 || !strings.HasPrefix(lines[0], "Nummer;Titel;Soort") {
			t.Fatalf("csv %d: %q", res.status, res.raw)
		}
		if !strings.Contains(res.raw, "'=SOM(A1)") {
			t.Error("formula not defused")
		}
		// A key user exports only what they may see; a plain user nothing.
		res, _ = slaLogin(f, keyUserFin).get("/queue/export.csv")
		if n := len(strings.Split(strings.TrimSpace(res.raw), "\n")); n != 2 {
			t.Errorf("key user's export has %d lines", n)
		}
		if res, _ := slaLogin(f, requester).get("/queue/export.csv"); res.status != http.StatusForbidden {
			t.Errorf("requester's export %d", res.status)
		}
		if res, _ := admin.get("/queue/export.csv?phase=nonsense"); res.status != http.StatusUnprocessableEntity {
			t.Errorf("bad filter %d", res.status)
		}
	})
}
