package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestAskRequesterAlike: asking the requester through the API and through
// the request page's form is one store operation with one answer. A
// manager's question is a comment and the request then awaits the
// requester; the requester may not ask, and a stale version saves nothing —
// on both paths, with the same message.
func TestAskRequesterAlike(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		investigated := func(title string) int64 {
			id := f.file("question", title, "hr")
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
			return id
		}
		unchanged := func(t *testing.T, id int64) {
			t.Helper()
			if r := rpRequest(t, st, id); r.Status != beheer.StatusAwaitingAssignee || r.Version != 2 {
				t.Fatalf("request changed: %s, version %d", r.Status, r.Version)
			}
			if list := f.want(f.call(functional, "GET", path(id, "/comments"), nil), http.StatusOK).items(); len(list) != 0 {
				t.Fatalf("comments saved: %v", list)
			}
		}
		viaAPI, viaPage := investigated("Vraag via de API"), investigated("Vraag via het portaal")
		question := "Om welke medewerker gaat het?"

		t.Run("the requester may not ask", func(t *testing.T) {
			api := f.want(f.call(requester, "POST", path(viaAPI, "/questions"), map[string]any{"body": question}), http.StatusForbidden)
			page := rpWant(t, rpLogin(f, requester).post(rpPath(viaPage, "/ask"), url.Values{"version": {"2"}, "body": {question}}),
				http.StatusForbidden)
			want := rpText("question.forbidden")
			if api.str("detail") != want || !strings.Contains(page.raw, rpNL("question.forbidden")) {
				t.Fatalf("API says %q, page lacks %q", api.str("detail"), want)
			}
			unchanged(t, viaAPI)
			unchanged(t, viaPage)
		})

		t.Run("a stale version saves nothing", func(t *testing.T) {
			f.want(f.call(functional, "POST", path(viaAPI, "/questions"), map[string]any{"body": question}, "If-Match", `"v1"`),
				http.StatusPreconditionFailed)
			rpWant(t, rpLogin(f, functional).post(rpPath(viaPage, "/ask"), url.Values{"version": {"1"}, "body": {question}}),
				http.StatusConflict)
			unchanged(t, viaAPI)
			unchanged(t, viaPage)
		})

		t.Run("a manager asks", func(t *testing.T) {
			c := f.want(f.call(functional, "POST", path(viaAPI, "/questions"), map[string]any{"body": question}, "If-Match", `"v2"`),
				http.StatusCreated)
			if c.str("body") != question || c.num("request_id") != viaAPI {
				t.Fatalf("comment %s", c.raw)
			}
			rpWant(t, rpLogin(f, functional).post(rpPath(viaPage, "/ask"), url.Values{"version": {"2"}, "body": {question}}),
				http.StatusSeeOther)
			for _, id := range []int64{viaAPI, viaPage} {
				if r := rpRequest(t, st, id); r.Status != beheer.StatusAwaitingRequester {
					t.Errorf("request %d: status %s", id, r.Status)
				}
				list := f.want(f.call(requester, "GET", path(id, "/comments"), nil), http.StatusOK).items()
				if len(list) != 1 || list[0]["body"] != question {
					t.Errorf("request %d: comments %v", id, list)
				}
			}
		})
	})
}
