package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// fieldMessage is the message of field in an API problem, or "".
func (r response) fieldMessage(field string) string {
	list, _ := r.body["errors"].([]any)
	for _, it := range list {
		m, _ := it.(map[string]any)
		if m["field"] == field {
			s, _ := m["message"].(string)
			return s
		}
	}
	return ""
}

// TestProcessPlacesAlike: the API and the portal's form answer the same to
// a new request that names a process. Only a process: filed in the
// process's area. A process with another area, or an unknown process:
// refused on the field process with the same message, nothing saved. A
// PATCH with only a process moves the request to the process's area.
func TestProcessPlacesAlike(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		anna := wpLogin(t, f, requester)
		proc, err := st.CreateProcess(context.Background(), store.System, beheer.Process{AreaID: f.areas["financieel"], Name: "Declaraties"})
		if err != nil {
			t.Fatal(err)
		}
		areaOf := func(title string) int64 {
			t.Helper()
			for _, r := range wpAll(t, st) {
				if r.Title == title {
					return r.AreaID
				}
			}
			return -1
		}

		t.Run("only a process", func(t *testing.T) {
			api := f.want(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question", "title": "Via de API",
				"process": proc.ID}), http.StatusCreated)
			if api.str("area") != "financieel" || api.num("process") != proc.ID {
				t.Fatalf("API filed %s", api.raw)
			}
			wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"question"}, "title": {"Via het portaal"},
				"process": {itoa(proc.ID)}}), http.StatusSeeOther)
			if areaOf("Via de API") != f.areas["financieel"] || areaOf("Via het portaal") != f.areas["financieel"] {
				t.Fatalf("areas %d and %d, want %d", areaOf("Via de API"), areaOf("Via het portaal"), f.areas["financieel"])
			}
		})

		for _, tc := range []struct {
			name, area string
			process    int64
			key        string
		}{
			{"a process of another area", "hr", proc.ID, "field.unknown_process"},
			{"an unknown process", "", proc.ID + 1000, "field.process_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := len(wpAll(t, st))
				body := map[string]any{"type": "question", "title": "Geweigerd", "process": tc.process}
				form := url.Values{"type": {"question"}, "title": {"Geweigerd"}, "process": {itoa(tc.process)}}
				if tc.area != "" {
					body["area"], form["area"] = tc.area, []string{tc.area}
				}
				api := f.want(f.call(requester, "POST", "/api/v1/requests", body), http.StatusUnprocessableEntity)
				page := wpWant(t, anna.postFiles("/requests/new", form), http.StatusUnprocessableEntity)
				want := rpText(tc.key)
				if got := api.fieldMessage("process"); got != want {
					t.Errorf("API says %q on process, want %q", got, want)
				}
				if got := wpField(page, "process"); got != want {
					t.Errorf("portal says %q beside process, want %q", got, want)
				}
				if len(wpAll(t, st)) != before {
					t.Fatal("a refused request was saved")
				}
			})
		}

		t.Run("a patch with only a process", func(t *testing.T) {
			id := f.file("question", "Verkeerd ingedeeld", "hr")
			got := f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"process": proc.ID}, "If-Match", `"v1"`), http.StatusOK)
			if got.str("area") != "financieel" || got.num("process") != proc.ID {
				t.Fatalf("patched %s", got.raw)
			}
		})
	})
}

// TestTriageSetsProcess: the triage form shows and changes a request's
// process. A process of the request's area is saved and told in the
// timeline; a process of another area than the one chosen is refused
// beside the process field, nothing saved; moving the request to another
// area without a process lets go of the old one.
func TestTriageSetsProcess(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		verlof, err := st.CreateProcess(ctx, store.System, beheer.Process{AreaID: f.areas["hr"], Name: "Verlof"})
		if err != nil {
			t.Fatal(err)
		}
		declaraties, err := st.CreateProcess(ctx, store.System, beheer.Process{AreaID: f.areas["financieel"], Name: "Declaraties"})
		if err != nil {
			t.Fatal(err)
		}
		fleur := wpLogin(t, f, functional)
		id := f.file("change", "Halve verlofdagen", "hr")
		page := rpPath(id, "")
		edit := func(version int64, area, process int64) response {
			return fleur.post(page+"/edit", url.Values{"version": {itoa(version)}, "type": {"change"}, "title": {"Halve verlofdagen"},
				"description": {"Omschrijving van Halve verlofdagen"}, "priority": {"normal"}, "assignee": {"0"}, "area": {itoa(area)}, "process": {itoa(process)}})
		}
		saved := func() *beheer.Request {
			t.Helper()
			r, _, err := st.Request(ctx, store.System, id)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}

		shown := wpWant(t, fleur.get(page), http.StatusOK)
		wpContains(t, shown, "<dt>"+rpNL("request.process")+"</dt>", rpNL("request.process_none"),
			`<select id="edit-process" name="process" data-area-from="edit-area"`, `<optgroup label="Financieel" data-area="`+itoa(f.areas["financieel"])+`"`)

		wpWant(t, edit(1, f.areas["hr"], verlof.ID), http.StatusSeeOther)
		if r := saved(); r.ProcessID != verlof.ID || r.AreaID != f.areas["hr"] || r.Version != 2 {
			t.Fatalf("saved area %d process %d version %d, want HR, Verlof, 2", r.AreaID, r.ProcessID, r.Version)
		}
		shown = wpWant(t, fleur.get(page), http.StatusOK)
		wpContains(t, shown, "<dd>Verlof</dd>", rpNL("req.tl.process", "actor", "Persoon "+functional, "before", rpNL("req.none"), "after", "Verlof"))

		refused := wpWant(t, edit(2, f.areas["hr"], declaraties.ID), http.StatusUnprocessableEntity)
		if got, want := wpField(refused, "edit-process"), rpText("field.unknown_process"); got != want {
			t.Errorf("beside the process field %q, want %q", got, want)
		}
		if r := saved(); r.ProcessID != verlof.ID || r.Version != 2 {
			t.Fatalf("a refused process was saved: process %d version %d", r.ProcessID, r.Version)
		}

		wpWant(t, edit(2, f.areas["financieel"], 0), http.StatusSeeOther)
		if r := saved(); r.ProcessID != 0 || r.AreaID != f.areas["financieel"] {
			t.Fatalf("moved to area %d with process %d, want Financieel without a process", r.AreaID, r.ProcessID)
		}
	})
}
