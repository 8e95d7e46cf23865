package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestMyRequests: a person finds every one of their requests, page by
// page, searched and filtered; nobody else's.
func TestMyRequests(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		anna := wpActor(t, f, requester)
		var ids []int64
		for i := range 30 {
			r, err := st.CreateRequest(ctx, anna, beheer.NewRequest{Type: beheer.TypeQuestion,
				Title: fmt.Sprintf("Declaratie nummer %02d", i), AreaID: f.areas["hr"]})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		f.want(f.call(functional, "POST", path(ids[0], "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		f.want(f.call(functional, "POST", path(ids[0], "/transitions"), map[string]any{"to": "execution"}), http.StatusOK)
		other := wpActor(t, f, otherUser)
		if _, err := st.CreateRequest(ctx, other, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Niet van Anna"}); err != nil {
			t.Fatal(err)
		}
		b := wpLogin(t, f, requester)

		// The home page shows the ten most recent, and a way to all of them.
		home := wpWant(t, b.get("/"), http.StatusOK)
		wpContains(t, home, rpNL("home.mine"), `action="/requests"`, `rel="next"`)
		wpLacks(t, home, "Niet van Anna")

		// /requests pages through all of hers.
		seen := map[string]bool{}
		next := "/requests"
		for pages := 0; next != "" && pages < 5; pages++ {
			r := wpWant(t, b.get(next), http.StatusOK)
			for _, id := range ids {
				if strings.Contains(r.raw, `href="/requests/`+itoa(id)+`"`) {
					seen[itoa(id)] = true
				}
			}
			wpLacks(t, r, "Niet van Anna")
			next = wpNext(r)
		}
		if len(seen) != 30 {
			t.Errorf("found %d of her 30 requests through the pages", len(seen))
		}

		// The one in Uitvoering is there by its phase, and by open/closed.
		r := wpWant(t, b.get("/requests?phase=execution"), http.StatusOK)
		wpContains(t, r, "Declaratie nummer 00")
		wpLacks(t, r, "Declaratie nummer 01")
		wpWant(t, b.get("/requests?state=closed"), http.StatusOK)
		wpContains(t, wpWant(t, b.get("/requests?state=open&q=nummer+07"), http.StatusOK), "Declaratie nummer 07")
		wpContains(t, wpWant(t, b.get("/requests?state=closed"), http.StatusOK), rpNL("mine.none_found"))
	})
}

// TestBadListInput: paging beyond the end, an unknown filter value, a
// search of only stop words or symbols, a 2,000-character search — on
// every list this work touches — answer calmly, never with an error page.
func TestBadListInput(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.file("question", "Declaratie blijft hangen", "hr")
		long := strings.Repeat("declaratie ", 182)[:2000]
		cut := rpNL("search.cut", "max", beheer.MaxSearchWords) // a long search is read up to its first words
		cases := []struct {
			who, path string
			says      string // what the page says, "" when the list is simply empty or whole
		}{
			{requester, "/requests?cursor=eyJzIjoidXBkYXRlZCIsImsiOlsxLDJdfQ", ""},
			{requester, "/requests?cursor=niet-base64!", rpNL("mine.page_gone")},
			{requester, "/requests?phase=bestaat-niet", rpNL("mine.unknown_phase")},
			{requester, "/requests?state=half", rpNL("mine.unknown_state")},
			{requester, "/requests?q=de+het+een", "geen woord om op te zoeken"},
			{requester, "/requests?q=%25%25%24%23%40%21", "geen woord om op te zoeken"},
			{requester, "/requests?q=" + url.QueryEscape(long), cut},
			{requester, "/?cursor=onzin&phase=x&q=" + url.QueryEscape(long), cut},
			{technical, "/tasks?offset=999999", rpNL("mine.page_gone")},
			{technical, "/tasks?offset=-5&sort=alfabet&who=iedereen", rpNL("tasks.unknown_sort")},
			{functional, "/queue?due=gisteren", `class="field-error"`},
			{functional, "/queue?phase=bestaat-niet&sort=x", ""},
			{functional, "/queue?q=" + url.QueryEscape(long), cut},
			{functional, "/queue?q=%25%24%23", ""},
			{functional, "/queue?cursor=onzin", ""},
		}
		for _, c := range cases {
			t.Run(c.who+c.path[:min(len(c.path), 40)], func(t *testing.T) {
				r := wpLogin(t, f, c.who).get(c.path)
				if r.status != http.StatusOK {
					t.Fatalf("status %d:\n%.2000s", r.status, r.raw)
				}
				if strings.Contains(r.raw, "goroutine") || strings.Contains(r.raw, "SQLSTATE") || strings.Contains(r.raw, "sql:") {
					t.Fatalf("internals on the page:\n%s", r.raw)
				}
				if c.says != "" && !strings.Contains(r.raw, c.says) {
					t.Errorf("page lacks %q:\n%.3000s", c.says, r.raw)
				}
			})
		}
	})
}

// TestPostRedirects: every successful form post answers 303, so a reload
// never posts again — the bulk assignment, a decision, a password reset.
func TestPostRedirects(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("question", "Toewijzen", "financieel")
		fleur := wpLogin(t, f, functional)
		r := wpWant(t, fleur.post("/queue/assign", url.Values{"assignee": {itoa(f.ids[technical])}, "id": {itoa(id)},
			"query": {"area=financieel&sort=due"}}), http.StatusSeeOther)
		loc := r.header.Get("Location")
		if !strings.HasPrefix(loc, "/queue?") || !strings.Contains(loc, "area=financieel") || !strings.Contains(loc, "assigned=1") {
			t.Fatalf("bulk assignment redirects to %q", loc)
		}
		wpContains(t, wpWant(t, fleur.get(loc), http.StatusOK), rpNL("queue.assigned", "count", 1))

		change := f.file("change", "Besluit", "hr")
		f.want(f.call(functional, "POST", path(change, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		f.want(f.call(functional, "PATCH", path(change, ""), map[string]any{"status": "awaiting_decision"}, "If-Match", "*"), http.StatusOK)
		kees := wpLogin(t, f, keyUserHR)
		r = wpWant(t, kees.post("/requests/"+itoa(change)+"/decision", url.Values{"outcome": {"approved"}, "motivation": {"Akkoord."}}),
			http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/requests/"+itoa(change)+"?ok=decided#top" {
			t.Errorf("decision redirects to %q", loc)
		}
		// A refused decision is shown again in place, with its summary.
		other := f.file("change", "Nog een besluit", "hr")
		f.want(f.call(functional, "POST", path(other, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		f.want(f.call(functional, "PATCH", path(other, ""), map[string]any{"status": "awaiting_decision"}, "If-Match", "*"), http.StatusOK)
		r = wpWant(t, kees.post("/requests/"+itoa(other)+"/decision", url.Values{"outcome": {"approved"}}), http.StatusUnprocessableEntity)
		wpContains(t, r, `class="flash error error-summary"`, `href="#decide-motivation"`)
	})
}

// TestRequestPageFlow: the next step in the page's head, the return to
// where the person acted, notifications read by opening, and what a
// rating does said before and after.
func TestRequestPageFlow(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.file("question", "De volgende stap", "hr")
		fleur := wpLogin(t, f, functional)
		wpContains(t, wpWant(t, fleur.get("/requests/"+itoa(id)), http.StatusOK),
			`<a class="button primary" href="#form-edit">`+rpNL("next.triage")+`</a>`)
		f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		wpContains(t, wpWant(t, fleur.get("/requests/"+itoa(id)), http.StatusOK), `href="#form-move">`+rpNL("next.move", "phase", "Uitvoering"))

		// A comment brings the person back to the comment form, confirmed there.
		r := wpWant(t, fleur.post("/requests/"+itoa(id)+"/comments", url.Values{"body": {"Ik kijk ernaar."}}), http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.HasSuffix(loc, "?ok=commented#form-comment") {
			t.Fatalf("comment redirects to %q", loc)
		}
		page := wpWant(t, fleur.get("/requests/"+itoa(id)+"?ok=commented"), http.StatusOK)
		wpContains(t, page, `<p class="done-note" role="status">`+rpNL("req.ok.commented"))

		// The requester's bell: opening the request reads its notifications.
		for _, to := range []string{"execution", "optimisation"} {
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": to}), http.StatusOK)
		}
		runNotify(t, st)
		unread := func() int {
			n, err := st.UnreadNotifications(context.Background(), f.ids[requester])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if unread() == 0 {
			t.Fatal("the requester has nothing unread")
		}
		anna := wpLogin(t, f, requester)
		page = wpWant(t, anna.get("/requests/"+itoa(id)), http.StatusOK)
		if unread() != 0 {
			t.Errorf("%d unread after opening the request", unread())
		}
		wpContains(t, page, `href="#form-evaluate">`+rpNL("next.evaluate"), rpNL("closure.help_poor", "rating", 2))

		// With closing at 4, a 4 closes the request and says so.
		f.want(f.call(functional, "PUT", "/api/v1/settings/closure", map[string]any{"close_at_rating": 4, "poor_rating": 2,
			"close_after_days": 10}), http.StatusOK)
		wpContains(t, wpWant(t, anna.get("/requests/"+itoa(id)), http.StatusOK), rpNL("closure.help_close", "rating", 4))
		r = wpWant(t, anna.post("/requests/"+itoa(id)+"/evaluation", url.Values{"rating": {"4"}}), http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.Contains(loc, "ok=rated_closed") {
			t.Fatalf("rating redirects to %q", loc)
		}
		if got := rpRequest(t, st, id); got.Phase != beheer.PhaseClosed {
			t.Errorf("rated 4: %s", got.Phase)
		}
		wpContains(t, wpWant(t, anna.get("/requests/"+itoa(id)+"?ok=rated_closed"), http.StatusOK), rpNL("req.ok.rated_closed"),
			rpNL("closure.tl.rating", "value", "4"))
	})
}

// TestClosureSettings: the page and the API set the same rule; bad input
// is said beside its field and in a summary linking to it; only a
// functional admin for every area may change it.
func TestClosureSettings(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		got := f.want(f.call(requester, "GET", "/api/v1/settings/closure", nil), http.StatusOK)
		if got.num("poor_rating") != 2 || got.num("close_at_rating") != 0 {
			t.Errorf("default closure %s", got.raw)
		}
		f.want(f.call(requester, "PUT", "/api/v1/settings/closure", map[string]any{"close_at_rating": 4, "poor_rating": 2,
			"close_after_days": 10}), http.StatusForbidden)
		f.want(f.call(functionalFin, "PUT", "/api/v1/settings/closure", map[string]any{"close_at_rating": 4, "poor_rating": 2,
			"close_after_days": 10}), http.StatusForbidden)
		bad := f.want(f.call(functional, "PUT", "/api/v1/settings/closure", map[string]any{"close_at_rating": 9, "poor_rating": 2}),
			http.StatusUnprocessableEntity)
		if fields := strings.Join(bad.fieldErrors(), " "); !strings.Contains(fields, "close_after_days") {
			t.Errorf("missing member not named: %s", bad.raw)
		}

		fleur := wpLogin(t, f, functional)
		wpContains(t, wpWant(t, fleur.get("/settings/closure"), http.StatusOK), `name="close_at_rating"`)
		r := wpWant(t, fleur.post("/settings/closure", url.Values{"close_at_rating": {"3"}, "poor_rating": {"3"},
			"close_after_days": {"veel"}}), http.StatusUnprocessableEntity)
		wpContains(t, r, `id="error-summary"`, `href="#closure-poor_rating"`, `href="#closure-close_after_days"`,
			`id="closure-close_after_days-error"`, `value="veel"`)
		if strings.Index(r.raw, `href="#closure-poor_rating"`) > strings.Index(r.raw, `href="#closure-close_after_days"`) {
			t.Error("the summary is not in the form's order")
		}
		r = wpWant(t, fleur.post("/settings/closure", url.Values{"close_at_rating": {"4"}, "poor_rating": {"1"},
			"close_after_days": {"15"}}), http.StatusSeeOther)
		wpContains(t, wpWant(t, fleur.get(r.header.Get("Location")), http.StatusOK), rpNL("closure.saved"), `value="15"`)
		if got := f.want(f.call(requester, "GET", "/api/v1/settings/closure", nil), http.StatusOK); got.num("close_after_days") != 15 {
			t.Errorf("the page's setting is not the API's: %s", got.raw)
		}
		wpWant(t, wpLogin(t, f, requester).get("/settings/closure"), http.StatusForbidden)
	})
}

// TestBeforeSignIn: the login page speaks the organisation's language, not
// the browser's; the person's own choice wins; /favicon.ico exists; the
// pages ask htmx not to write an inline style the CSP forbids.
func TestBeforeSignIn(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t, storetest.Options{}))
	get := func(p string, headers ...string) response {
		req, _ := http.NewRequest("GET", f.srv.URL+p, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return f.do(req)
	}
	login := get("/login", "Accept-Language", "en-GB,en;q=0.9")
	if !strings.Contains(login.raw, `<html lang="nl">`) || !strings.Contains(login.raw, "Inloggen") {
		t.Errorf("login page for an English browser of a Dutch organisation:\n%.600s", login.raw)
	}
	if !strings.Contains(login.raw, `<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>`) {
		t.Error("htmx would write its indicator style inline")
	}
	chosen := get("/login", "Accept-Language", "nl", "Cookie", "beheer_lang=en")
	if !strings.Contains(chosen.raw, `<html lang="en">`) {
		t.Error("the person's own choice does not win")
	}
	icon := get("/favicon.ico")
	if icon.status != http.StatusOK || icon.header.Get("Content-Type") != "image/x-icon" || len(icon.raw) < 100 {
		t.Errorf("favicon: %d %s %d bytes", icon.status, icon.header.Get("Content-Type"), len(icon.raw))
	}
}

// TestQueueTilesFollowFilters: with a filter beyond phase and area the
// page asks for its tiles' counts afterwards, and those count under every
// filter, each linking to the same filter in its phase.
func TestQueueTilesFollowFilters(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for i := range 3 {
			f.file("incident", fmt.Sprint("Storing ", i), "hr")
		}
		moved := f.file("incident", "Storing in onderzoek", "hr")
		f.want(f.call(functional, "POST", path(moved, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
		for i := range 5 {
			f.file("question", fmt.Sprint("Vraag ", i), "hr")
		}
		fleur := wpLogin(t, f, functional)
		page := wpWant(t, fleur.get("/queue?type=incident"), http.StatusOK)
		wpContains(t, page, `hx-get="/queue/counts?type=incident"`, rpNL("queue.counts_unfiltered"))
		counts := wpWant(t, fleur.get("/queue/counts?type=incident", "HX-Request", "true"), http.StatusOK)
		wpContains(t, counts, `<a href="/queue?phase=intake&amp;type=incident"><strong>3</strong>`,
			`<a href="/queue?phase=investigation&amp;type=incident"><strong>1</strong>`)
		wpLacks(t, counts, "<html")
		// Without such a filter the page counts itself and asks nothing more.
		wpLacks(t, wpWant(t, fleur.get("/queue?area=hr"), http.StatusOK), `hx-get="/queue/counts`)
	})
}

// TestNewRequestErrorSummary: a refused new request names every failing
// field at the top, in the form's order, each a link to its field.
func TestNewRequestErrorSummary(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t, storetest.Options{}))
	anna := wpLogin(t, f, requester)
	r := wpWant(t, anna.postFiles("/requests/new", url.Values{"title": {"  "}, "area": {"bestaat-niet"}}), http.StatusUnprocessableEntity)
	wpContains(t, r, `id="error-summary"`, `href="#type-question"`, `href="#title"`)
	if strings.Index(r.raw, `href="#type-question"`) > strings.Index(r.raw, `href="#title"`) {
		t.Error("the summary is not in the form's order")
	}
}
