package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// TestNewRequestWithFilesAtOnce: the new-request form files the request
// and its attachments in one write transaction; when a file is refused,
// the form says which and why beside the files and nothing is saved.
func TestNewRequestWithFilesAtOnce(t *testing.T) {
	var writes storetest.WriteCounter
	storetest.Engines(t, storetest.Options{OnTx: writes.OnTx}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		anna := wpLogin(t, f, requester)
		form := url.Values{"type": {"incident"}, "title": {"Loonstrook toont fout"}, "area": {"hr"}}
		text := []byte("Foutmelding: regel 12\n")

		before := writes.Count()
		r := wpWant(t, anna.postFiles("/requests/new", form, wpFile{"scherm.png", pngBytes}, wpFile{"melding.txt", text}),
			http.StatusSeeOther)
		if n := writes.Count() - before; n != 1 {
			t.Errorf("filed in %d write transactions, want 1", n)
		}
		all := wpAll(t, st)
		if len(all) != 1 || r.header.Get("Location") != rpPath(all[0].ID, "?ok=created") {
			t.Fatalf("%d requests, sent to %q", len(all), r.header.Get("Location"))
		}
		atts, err := st.Attachments(context.Background(), store.System, all[0].ID)
		if err != nil || len(atts) != 2 || atts[0].Name != "scherm.png" || atts[1].Name != "melding.txt" {
			t.Fatalf("attachments %+v %v", atts, err)
		}

		before = writes.Count()
		r = wpWant(t, anna.postFiles("/requests/new", form, wpFile{"scherm.png", pngBytes}, wpFile{"leeg.txt", nil}),
			http.StatusUnprocessableEntity)
		if msg := wpField(r, "files"); msg != "leeg.txt: "+rpText("upload.empty") {
			t.Errorf("files error %q", msg)
		}
		if writes.Count() != before || len(wpAll(t, st)) != 1 {
			t.Fatal("a refused request wrote something")
		}
	})
}

// createWithFiles files a request through the API as multipart/form-data:
// the JSON object in the part "request" (left out when nil), any extra
// parts, each file in a part "files".
func (f *fixture) createWithFiles(who string, request map[string]any, extra url.Values, files ...wpFile) response {
	f.t.Helper()
	parts := url.Values{}
	if request != nil {
		data, _ := json.Marshal(request)
		parts.Set("request", string(data))
	}
	body, contentType := multipartBody(files, parts, extra)
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/requests", body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	return f.do(req)
}

// TestAPICreateWithFiles: the API files a request with its attachments as
// the portal's form does — in one write transaction, and a refused file
// refuses the request with the portal's message on "files", saving
// nothing. A multipart body without the request, or with an unknown part,
// is refused by name.
func TestAPICreateWithFiles(t *testing.T) {
	var writes storetest.WriteCounter
	storetest.Engines(t, storetest.Options{OnTx: writes.OnTx}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		// The token's first use is written once, after the answer: not part
		// of the count.
		f.want(f.call(requester, "GET", "/api/v1/me", nil), http.StatusOK)
		st.WaitTokenUses()
		request := map[string]any{"type": "incident", "title": "Loonstrook toont fout", "area": "hr"}
		text := []byte("Foutmelding: regel 12\n")

		before := writes.Count()
		created := f.want(f.createWithFiles(requester, request, nil, wpFile{"scherm.png", pngBytes}, wpFile{"melding.txt", text}),
			http.StatusCreated)
		if n := writes.Count() - before; n != 1 {
			t.Errorf("filed in %d write transactions, want 1", n)
		}
		if created.str("title") != "Loonstrook toont fout" || created.str("area") != "hr" {
			t.Fatalf("created %s", created.raw)
		}
		list := f.want(f.call(requester, "GET", path(created.num("id"), "/attachments"), nil), http.StatusOK).items()
		if len(list) != 2 || list[0]["name"] != "scherm.png" || list[1]["name"] != "melding.txt" {
			t.Fatalf("attachments %v", list)
		}

		anna := wpLogin(t, f, requester)
		count := len(wpAll(t, st))
		before = writes.Count()
		api := f.want(f.createWithFiles(requester, request, nil, wpFile{"scherm.png", pngBytes}, wpFile{"leeg.txt", nil}),
			http.StatusUnprocessableEntity)
		page := wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"incident"},
			"title": {"Loonstrook toont fout"}, "area": {"hr"}}, wpFile{"scherm.png", pngBytes}, wpFile{"leeg.txt", nil}),
			http.StatusUnprocessableEntity)
		if got, want := api.fieldMessage("files"), wpField(page, "files"); got != want || !strings.HasPrefix(got, "leeg.txt: ") {
			t.Errorf("API says %q on files, the portal %q", got, want)
		}
		if writes.Count() != before || len(wpAll(t, st)) != count {
			t.Fatal("a refused request wrote something")
		}

		for _, tc := range []struct {
			name    string
			request map[string]any
			extra   string
			field   string
		}{
			{"no request part", nil, "", "request"},
			{"an unknown part", request, "bijlage", "bijlage"},
			{"an invalid request", map[string]any{"type": "question"}, "", "title"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.t = t
				var extra url.Values
				if tc.extra != "" {
					extra = url.Values{tc.extra: {"x"}}
				}
				got := f.want(f.createWithFiles(requester, tc.request, extra), http.StatusUnprocessableEntity)
				if fields := got.fieldErrors(); len(fields) != 1 || fields[0] != tc.field {
					t.Errorf("fields %v, want %s: %s", fields, tc.field, got.raw)
				}
			})
		}
		f.t = t
		if len(wpAll(t, st)) != count {
			t.Fatal("a refused request was saved")
		}
	})
}
