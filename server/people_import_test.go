package server_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// csvCall posts a CSV file to the import endpoint as a person.
func (f *fixture) csvCall(who, body string) response {
	f.t.Helper()
	req, err := http.NewRequest("POST", f.srv.URL+"/api/v1/people/import", strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	req.Header.Set("Accept-Language", "nl")
	return f.do(req)
}

func (f *fixture) people() (all, active int) {
	f.t.Helper()
	users, err := f.st.Users(context.Background(), store.System)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, u := range users {
		if u.Active {
			active++
		}
	}
	return len(users), active
}

const staffCSV = "\ufeffmedewerkernummer;naam;e-mail;afdeling;manager\r\n" +
	"1001;Pieter Jansen;pieter@voorbeeld.nl;Personeelszaken;\r\n" +
	"1002;Sanne de Boer;sanne@voorbeeld.nl;Verkoop;1001\r\n"

// TestPeopleImportAPI: a functional admin imports a CSV file; a requester,
// a key user and an area-scoped functional admin get 403 and change
// nothing; a bad file names every bad line and changes nothing.
func TestPeopleImportAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		before, _ := f.people()
		for _, who := range []string{requester, keyUserHR, functionalFin, technical, management} {
			r := f.want(f.csvCall(who, staffCSV), http.StatusForbidden)
			if strings.Contains(r.raw, "line") {
				t.Errorf("%s learned about the file: %s", who, r.raw)
			}
			f.want(f.call(who, "GET", "/api/v1/people/sync", nil), http.StatusForbidden)
			f.want(f.call(who, "PUT", "/api/v1/people/departments", map[string]any{"department": "Verkoop", "area": "hr"}), http.StatusForbidden)
		}
		if n, _ := f.people(); n != before {
			t.Fatalf("a refused import added people: %d → %d", before, n)
		}

		// A bad file: every bad line named, nothing changed.
		bad := "medewerkernummer;naam;e-mail\n1;Een;een@voorbeeld.nl\n2;;twee@voorbeeld.nl\n3;Drie;geen-adres\n"
		r := f.want(f.csvCall(functional, bad), http.StatusUnprocessableEntity)
		if got := strings.Join(r.fieldErrors(), ","); got != "line 3: naam,line 4: e-mail" {
			t.Fatalf("fields %q; %s", got, r.raw)
		}
		if !strings.Contains(r.raw, "Dit veld is verplicht") {
			t.Errorf("no Dutch message: %s", r.raw)
		}
		if n, _ := f.people(); n != before {
			t.Fatal("a bad file changed people")
		}
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/people/import", strings.NewReader(staffCSV))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.tokens[functional])
		f.want(f.do(req), http.StatusUnsupportedMediaType)

		// Map Personeelszaken to HR, then import.
		f.want(f.call(functional, "PUT", "/api/v1/people/departments", map[string]any{"department": "Personeelszaken", "area": "hr"}),
			http.StatusNoContent)
		f.want(f.call(functional, "PUT", "/api/v1/people/departments", map[string]any{"department": "X", "area": "bestaat-niet"}),
			http.StatusUnprocessableEntity)
		r = f.want(f.csvCall(functional, staffCSV), http.StatusOK)
		if r.num("added") != 2 || r.num("deactivated") != 0 || r.str("source") != "csv" || r.body["ok"] != true {
			t.Fatalf("import: %s", r.raw)
		}
		if all, active := f.people(); all != before+2 || active != before+2 {
			t.Fatalf("%d people, %d active", all, active)
		}
		u, _, err := st.UserByEmail(context.Background(), "pieter@voorbeeld.nl")
		if err != nil || len(u.Roles) != 1 || u.Roles[0].Role != beheer.RoleKeyUser || u.Roles[0].AreaID != f.areas["hr"] {
			t.Fatalf("Pieter: %+v %v", u, err)
		}

		// Sanne left: the next file deactivates her and nobody else.
		r = f.want(f.csvCall(functional, "medewerkernummer;naam;e-mail;afdeling\n1001;Pieter Jansen;pieter@voorbeeld.nl;Personeelszaken\n"),
			http.StatusOK)
		if r.num("deactivated") != 1 || r.num("unchanged") != 1 {
			t.Fatalf("second import: %s", r.raw)
		}
		if all, active := f.people(); all != before+2 || active != before+1 {
			t.Fatalf("%d people, %d active; the cast must be untouched", all, active)
		}

		list := f.want(f.call(functional, "GET", "/api/v1/people/sync", nil), http.StatusOK).items()
		if len(list) != 2 || list[0]["deactivated"] != float64(1) {
			t.Fatalf("reports: %v", list)
		}
		deps := f.want(f.call(functional, "GET", "/api/v1/people/departments", nil), http.StatusOK).items()
		if len(deps) != 1 || deps[0]["department"] != "Personeelszaken" || deps[0]["area"] != "hr" || deps[0]["people"] != float64(1) {
			t.Fatalf("departments: %v", deps)
		}
	})
}

// TestPeopleImportPortal: the people page has the import form and shows
// the outcome; a bad file is refused with its lines named.
func TestPeopleImportPortal(t *testing.T) {
	st := storetest.SQLite(t, storetest.Options{})
	f := newFixture(t, st)
	b := kbLogin(f, functional)
	upload := func(b *kbBrowser, content string, fields ...string) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", b.csrf)
		for _, name := range fields {
			mw.WriteField(name, "1")
		}
		fw, _ := mw.CreateFormFile("file", "medewerkers.csv")
		fw.Write([]byte(content))
		mw.Close()
		req, _ := http.NewRequest("POST", f.srv.URL+"/people/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res := b.send(req)
		if res.status == http.StatusSeeOther { // a sync that ran: redirect after post, to its report
			if loc := res.header.Get("Location"); loc != "/people?ok=imported" {
				f.t.Fatalf("import redirects to %q", loc)
			}
			return b.get("/people?ok=imported")
		}
		return res
	}
	b.page(b.get("/people"), http.StatusOK, `action="/people/import"`, "Medewerkers inlezen")
	b.page(upload(b, "naam;e-mail\nEen;een@voorbeeld.nl\n;twee@voorbeeld.nl\n"), http.StatusUnprocessableEntity,
		"line 3: naam", "er is niets gewijzigd")
	if _, _, err := st.UserByEmail(context.Background(), "een@voorbeeld.nl"); beheer.ErrorCode(err) != beheer.CodeNotFound {
		t.Fatalf("a refused file added someone: %v", err)
	}
	b.page(upload(b, staffCSV), http.StatusOK, "2 medewerkers: 2 toegevoegd")
	b.page(b.get("/people"), http.StatusOK, "Laatste synchronisatie (CSV-bestand)", "Personeelszaken · nr. 1001", `name="confirm_leavers"`)

	// A file without most of the people: refused with why, then confirmed.
	var many strings.Builder
	many.WriteString("medewerkernummer;naam;e-mail;afdeling;manager\n")
	for i := range 8 {
		fmt.Fprintf(&many, "%d;Collega %d;collega%d@voorbeeld.nl;Verkoop;\n", 3000+i, i, i)
	}
	b.page(upload(b, many.String()), http.StatusOK)
	b.page(upload(b, staffCSV), http.StatusConflict, "mist 8 van de 8", "Ook als veel mensen vertrekken")
	b.page(upload(b, staffCSV, "confirm_leavers"), http.StatusOK, "8 uitgezet, 2 weer aangezet")

	// Departments map to areas from the same page, a row at a time.
	b.page(b.get("/people"), http.StatusOK, `id="departments"`, "Personeelszaken", `aria-label="Aandachtsgebied van Verkoop"`)
	res := b.post("/people/departments", url.Values{"department": {"Verkoop"}, "area": {"hr"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("department mapping: %d %.500s", res.status, res.raw)
	}
	b.page(b.get("/people?ok=department"), http.StatusOK, "De afdeling is gekoppeld")
	if u, _, _ := st.UserByEmail(context.Background(), "sanne@voorbeeld.nl"); u == nil || len(u.Roles) != 1 || u.Roles[0].Role != beheer.RoleKeyUser {
		t.Fatalf("Verkoop's employee after mapping: %+v", u)
	}
	b.page(b.post("/people/departments", url.Values{"department": {"Verkoop"}, "area": {"onbekend"}}), http.StatusUnprocessableEntity)
	if r := kbLogin(f, functionalFin).post("/people/departments", url.Values{"department": {"Verkoop"}, "area": {""}}); r.status != http.StatusForbidden {
		t.Errorf("an area-scoped admin changed a mapping: %d", r.status)
	}

	// A requester cannot import.
	r := upload(kbLogin(f, requester), staffCSV)
	if r.status != http.StatusForbidden {
		t.Fatalf("a requester imported: %d", r.status)
	}
}

// TestPeopleImportMassLeave: a file that lacks many of the people of the
// previous one changes nothing unasked, says why, and applies when the
// leavers are confirmed.
func TestPeopleImportMassLeave(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		var all strings.Builder
		all.WriteString("medewerkernummer;naam;e-mail;afdeling;manager\r\n")
		for i := range 10 {
			fmt.Fprintf(&all, "%d;Collega %d;collega%d@voorbeeld.nl;Verkoop;\r\n", 2000+i, i, i)
		}
		f.want(f.csvCall(functional, all.String()), http.StatusOK)
		_, before := f.people()
		few := "medewerkernummer;naam;e-mail;afdeling;manager\r\n2000;Collega 0;collega0@voorbeeld.nl;Verkoop;\r\n"
		r := f.want(f.csvCall(functional, few), http.StatusConflict)
		if !strings.Contains(r.raw, "mist 9 van de 10") {
			t.Errorf("the refusal does not say how many: %s", r.raw)
		}
		if _, after := f.people(); after != before {
			t.Fatalf("%d active before, %d after a refused import", before, after)
		}
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/people/import?confirm_leavers=true", strings.NewReader(few))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+f.tokens[functional])
		if got := f.want(f.do(req), http.StatusOK); got.num("deactivated") != 9 {
			t.Errorf("confirmed import: %s", got.raw)
		}
	})
}
