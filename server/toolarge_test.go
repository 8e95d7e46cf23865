package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// placeholder is a catalogue placeholder left in a rendered message.
var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// TestTooLargeNamesTheLimit: a body over the limit answers 413 and says
// the limit, in the API's problem title and on the portal's page, never a
// literal "{max}".
func TestTooLargeNamesTheLimit(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		big := `{"type":"question","title":"a","description":"` + strings.Repeat("x", 2<<20) + `"}`

		t.Run("API, Dutch and English", func(t *testing.T) {
			for lang, want := range map[string]string{"nl": "maximaal 1 MB", "en": "maximum 1 MB"} {
				r := f.want(f.call(requester, "POST", "/api/v1/requests", big, "Accept-Language", lang), http.StatusRequestEntityTooLarge)
				if title := r.str("title"); !strings.Contains(title, want) || placeholder.MatchString(title) {
					t.Errorf("%s: title %q, want it to say %q", lang, title, want)
				}
			}
		})

		t.Run("portal form", func(t *testing.T) {
			anna := wpLogin(t, f, requester)
			r := wpWant(t, anna.post("/requests/new", url.Values{"title": {strings.Repeat("x", 2<<20)}}),
				http.StatusRequestEntityTooLarge)
			wpContains(t, r, "maximaal 1 MB")
			if m := placeholder.FindString(r.raw); m != "" {
				t.Errorf("the page shows %s", m)
			}
			if n := len(wpAll(t, st)); n != 0 {
				t.Fatalf("%d requests saved", n)
			}
		})
	})
}
