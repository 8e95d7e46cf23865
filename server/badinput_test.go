package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// TestBadInput answers every kind of bad input with a clear problem naming
// the fields, and changes nothing.
func TestBadInput(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		count := func() int {
			return len(f.want(f.call(functional, "GET", "/api/v1/requests?limit=100", nil), http.StatusOK).items())
		}
		before := count()
		cases := []struct {
			name   string
			who    string
			body   any
			header []string
			status int
			fields []string
		}{
			{"missing fields", requester, map[string]any{}, nil, 422, []string{"title", "type"}},
			{"bad type and long title", requester, map[string]any{"type": "klacht", "title": strings.Repeat("x", 201)}, nil, 422, []string{"title", "type"}},
			{"wrong json types", requester, map[string]any{"type": 3, "title": true}, nil, 422, []string{"title", "type"}},
			{"unknown area", requester, map[string]any{"type": "question", "title": "Vraag", "area": "marketing"}, nil, 422, []string{"area"}},
			{"user sets assignee", requester, map[string]any{"type": "question", "title": "Vraag", "assignee": 1}, nil, 400, []string{"assignee"}},
			{"user sets phase", requester, map[string]any{"type": "question", "title": "Vraag", "phase": "closed"}, nil, 400, []string{"phase"}},
			{"user sets priority", requester, map[string]any{"type": "question", "title": "Vraag", "priority": "urgent"}, nil, 403, []string{"priority"}},
			{"not json", requester, "{niet: json", nil, 400, nil},
			{"two objects", requester, `{"type":"question","title":"a"}{}`, nil, 400, nil},
			{"an array", requester, `[]`, nil, 400, nil},
			{"wrong content type", requester, `{"type":"question","title":"a"}`, []string{"Content-Type", "text/plain"}, 415, nil},
			{"too large", requester, `{"type":"question","title":"a","description":"` + strings.Repeat("x", 2<<20) + `"}`, nil, 413, nil},
			{"control characters", requester, map[string]any{"type": "question", "title": "Vraag\x00\x07"}, nil, 422, []string{"title"}},
			{"no token", "", map[string]any{"type": "question", "title": "Vraag"}, nil, 401, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				f.t = t
				got := f.call(c.who, "POST", "/api/v1/requests", c.body, c.header...)
				if got.status != c.status {
					t.Fatalf("status %d, want %d: %s", got.status, c.status, got.raw)
				}
				if got.header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("content type %q", got.header.Get("Content-Type"))
				}
				fields := got.fieldErrors()
				slices.Sort(fields)
				if c.fields != nil && !slices.Equal(fields, c.fields) {
					t.Fatalf("fields %v, want %v: %s", fields, c.fields, got.raw)
				}
				if got.str("title") == "" || strings.Contains(got.raw, "sql") || strings.Contains(got.raw, "pq:") {
					t.Fatalf("unclear or leaking problem: %s", got.raw)
				}
			})
		}
		f.t = t
		if after := count(); after != before {
			t.Fatalf("bad input created requests: %d → %d", before, after)
		}

		// Query parameters and paths are checked too.
		for _, p := range []string{"/api/v1/requests?phase=klaar", "/api/v1/requests?limit=1000", "/api/v1/requests?cursor=xyz",
			"/api/v1/requests?sort=random", "/api/v1/requests?assignee=iemand"} {
			f.want(f.call(functional, "GET", p, nil), http.StatusUnprocessableEntity)
		}
		for _, p := range []string{"/api/v1/requests/abc", "/api/v1/requests/0", "/api/v1/requests/999999", "/api/v1/nope"} {
			f.want(f.call(functional, "GET", p, nil), http.StatusNotFound)
		}

		// A PATCH with one bad field changes none of the good ones.
		id := f.file("question", "Ongewijzigd", "hr")
		f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"title": "Nieuw", "priority": "enorm"}, "If-Match", `"v1"`),
			http.StatusUnprocessableEntity)
		got := f.want(f.call(functional, "GET", path(id, ""), nil), http.StatusOK)
		if got.str("title") != "Ongewijzigd" || got.num("version") != 1 {
			t.Fatalf("partial write: %s", got.raw)
		}
		// Dutch by default, English on request.
		nl := f.call(requester, "POST", "/api/v1/requests", map[string]any{})
		en := f.call(requester, "POST", "/api/v1/requests", map[string]any{}, "Accept-Language", "en-GB,en;q=0.9")
		if !strings.Contains(nl.raw, "verplicht") || !strings.Contains(en.raw, "required") {
			t.Fatalf("languages: %s / %s", nl.raw, en.raw)
		}
	})
}
