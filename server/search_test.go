package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// TestSearchBadInput: a search of only stop words or symbols answers a
// calm empty list that says why, and a search of 2,000 characters searches
// on its first words — in the API, the queue, the knowledge base and the
// suggestions of the new-request form, never an error.
func TestSearchBadInput(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.file("question", "Verlofsaldo klopt niet", "hr")
		f.want(f.call(functional, "POST", "/api/v1/articles", map[string]any{"title": "Verlofsaldo bekijken",
			"body": "Uw saldo staat in InSite.", "status": "published"}), http.StatusCreated)
		admin := kbLogin(f, functional)

		long := "verlofsaldo " + strings.Repeat("en de ", 340) // 2,000 characters and more
		noWords := []string{"de het een", "!!! ??? ***", `"*" OR () -- ;`}

		t.Run("api", func(t *testing.T) {
			for _, q := range noWords {
				for _, list := range []string{"/api/v1/requests", "/api/v1/articles"} {
					r := f.want(f.call(functional, "GET", list+"?q="+url.QueryEscape(q), nil), http.StatusOK)
					if len(r.items()) != 0 {
						t.Errorf("%s for %q: %s", list, q, r.raw)
					}
				}
			}
			for _, list := range []string{"/api/v1/requests", "/api/v1/articles"} {
				r := f.want(f.call(functional, "GET", list+"?q="+url.QueryEscape(long), nil), http.StatusOK)
				if len(r.items()) != 1 {
					t.Errorf("%s for a long search: %s", list, r.raw)
				}
			}
		})

		t.Run("queue", func(t *testing.T) {
			for _, q := range noWords {
				r := admin.page(admin.get("/queue?q="+url.QueryEscape(q)), http.StatusOK, "geen zoekwoorden over")
				if strings.Contains(r.raw, "Verlofsaldo klopt niet") || strings.Contains(r.raw, "Geen aanvragen die aan deze selectie") {
					t.Errorf("the queue for %q lists requests or says nothing matched", q)
				}
			}
			admin.page(admin.get("/queue?q="+url.QueryEscape(long)), http.StatusOK, "Verlofsaldo klopt niet", "Uw zoekopdracht is ingekort")
			part := admin.page(admin.get("/queue?q=de+het", "HX-Request", "true", "HX-Target", "queue-results"), http.StatusOK,
				"geen zoekwoorden over")
			if strings.Contains(part.raw, "<html") {
				t.Error("the live queue answered a whole page")
			}
			admin.page(admin.get("/queue?q=verlofsaldo"), http.StatusOK, "Verlofsaldo klopt niet")
		})

		t.Run("knowledge base", func(t *testing.T) {
			for _, q := range noWords {
				r := admin.page(admin.get("/kb?q="+url.QueryEscape(q)), http.StatusOK, "geen zoekwoorden over")
				if strings.Contains(r.raw, "Verlofsaldo bekijken") {
					t.Errorf("the knowledge base for %q lists articles", q)
				}
			}
			admin.page(admin.get("/kb?q="+url.QueryEscape(long)), http.StatusOK, "Verlofsaldo bekijken", "Uw zoekopdracht is ingekort")
			admin.page(admin.get("/kb?q=saldo", "HX-Request", "true", "HX-Target", "kb-results"), http.StatusOK, "Verlofsaldo bekijken")
		})

		t.Run("suggestions", func(t *testing.T) {
			user := kbLogin(f, requester)
			user.page(user.get("/kb/suggest?title="+url.QueryEscape("Mijn saldo klopt niet")), http.StatusOK, "Verlofsaldo bekijken")
			user.page(user.get("/requests/suggest?title="+url.QueryEscape(long)), http.StatusOK, "Verlofsaldo klopt niet")
			for _, q := range append(noWords, long) {
				user.page(user.get("/kb/suggest?title="+url.QueryEscape(q)), http.StatusOK)
				user.page(user.get("/requests/suggest?title="+url.QueryEscape(q)), http.StatusOK)
			}
		})
	})
}
