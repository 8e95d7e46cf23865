package server_test

import (
	"archive/zip"
	"cmp"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"beheer"
	"beheer/internal/imagetest"
	"beheer/store"
	"beheer/store/storetest"
)

// The people of the path table besides the cast of fixture_test.go.
const (
	functionalHR = "functional_hr" // functional admin for HR only: scoped, in the secret's area
	technicalFin = "technical_fin" // technical admin for Financieel only: scoped, outside it
	deactivated  = "deactivated"   // a functional admin for every area, deactivated since
	anonymous    = "anonymous"     // no token, no session
)

// pathPeople is the order of every want string of the path table.
var pathPeople = []string{requester, otherUser, keyUserHR, keyUserFin, functional, functionalFin, technical, management,
	functionalHR, technicalFin, deactivated, anonymous}

// The markers of the secret request. secretMark is in its title,
// description, public comment, attachment and task title; noteMark only in
// what staff alone read: the internal note, the task's description and
// outcome, the escalation's note. searchWord is another word of the title,
// to search with: a search echoes its words, never the marker. movedMark is
// the title of a change that waited for HR's decision and then moved to
// Financieel: HR's key user was told of it, and may no longer read it.
const (
	secretMark = "Qx7Salarisgeheim"
	noteMark   = "Zw9Internebevinding"
	searchWord = "Loonbeslag"
	movedMark  = "Kp4Verhuisd"
)

// secretWorld is one organisation with a secret request and everything that
// can carry it out of the system.
type secretWorld struct {
	f          *fixture
	id         int64  // the secret request, in HR, filed by the requester
	number     string // its readable number
	other      int64  // the foreign requester's own request, linked to the secret
	moved      int64  // a change of the foreign requester, moved from HR to Financieel
	attachment int64
	picture    int64 // a PNG attachment: shown in place
	task       int64 // open, for the technical team
	escalation int64
	news       int64 // linked to the secret
	article    int64 // linked to the secret
	objective  int64 // of planYear, linked to the secret
	day        int64 // the consultancy day of planYear
	hook       int64
	outage     int64  // open, with the secret request filed under it
	answer     int64  // a standard answer for every area that names the request's title
	feed       string // planYear's current feed token
	oldFeed    string // a token rotated away
	sessions   map[string]string
}

// pathClock lets the setup file the secret request a month ago, so that the
// service-level sweep puts it on the at-risk list.
type pathClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *pathClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *pathClock) set(d time.Duration) {
	c.mu.Lock()
	c.offset = d
	c.mu.Unlock()
}

// addPathPeople adds the extra people of the path table, with tokens.
func addPathPeople(t *testing.T, f *fixture) {
	ctx := context.Background()
	for _, p := range []struct {
		name string
		role beheer.Role
		area string
	}{{functionalHR, beheer.RoleFunctionalAdmin, "hr"}, {technicalFin, beheer.RoleTechnicalAdmin, "financieel"},
		{deactivated, beheer.RoleFunctionalAdmin, ""}} {
		u, err := f.st.CreateUser(ctx, store.System, beheer.NewUser{Email: p.name + "@voorbeeld.nl", Name: "Persoon " + p.name,
			Roles: []beheer.Assignment{{Role: p.role, AreaID: f.areas[p.area]}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		f.ids[p.name] = u.ID
		if f.tokens[p.name], err = f.st.CreateToken(ctx, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
}

// newSecretWorld builds the organisation. The clock runs a month behind
// until the secret request is filed, triaged, commented on and attached to.
func newSecretWorld(t *testing.T, st *store.Store, clock *pathClock) *secretWorld {
	ctx := context.Background()
	f := newFixture(t, st)
	addPathPeople(t, f)
	w := &secretWorld{f: f, sessions: map[string]string{}}

	// Questions have a form, and the secret request answers it with the
	// marker: its answers must leave by no other path than its readers'.
	f.want(f.call(functional, "POST", "/api/v1/forms", map[string]any{"type": "question", "name": map[string]string{"nl": "Vraag"},
		"fields": []map[string]any{{"name": "toelichting", "kind": "text", "label": map[string]string{"nl": "Toelichting"}}}}), http.StatusCreated)
	w.other = f.want(f.call(otherUser, "POST", "/api/v1/requests", map[string]any{"type": "question", "area": "hr",
		"title": "Vraag over verlofuren", "description": "Hoeveel verlof heb ik nog?"}), http.StatusCreated).num("id")
	w.id = f.want(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question", "area": "hr",
		"title": searchWord + " " + secretMark, "description": "Mijn loon wordt ingehouden: " + secretMark + ".",
		"answers": map[string]any{"toelichting": "Antwoord " + secretMark}}), http.StatusCreated).num("id")
	w.number = f.want(f.call(requester, "GET", path(w.id, ""), nil), http.StatusOK).str("number")
	f.want(f.call(functional, "POST", path(w.id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
	w.attachment = f.want(f.upload(requester, w.id, secretMark+".txt", "Loonstrook met "+secretMark), http.StatusCreated).num("id")
	w.picture = f.want(f.upload(requester, w.id, "loonstrook.png", string(imagetest.PNG(300, 200, false))), http.StatusCreated).num("id")
	f.want(f.call(functional, "POST", path(w.id, "/comments"), map[string]any{"body": "Wij kijken naar " + secretMark}), http.StatusCreated)
	f.want(f.call(functional, "POST", path(w.id, "/comments"), map[string]any{"body": "Intern: " + noteMark, "internal": true}), http.StatusCreated)

	clock.set(0)
	if _, err := st.SLASweep(ctx); err != nil {
		t.Fatal(err)
	}
	if r := f.want(f.call(functional, "GET", "/api/v1/reports/at-risk", nil), http.StatusOK); !strings.Contains(r.raw, secretMark) {
		t.Fatalf("the secret request is not at risk after a month: %s", r.raw)
	}
	w.escalation = f.want(f.call(functional, "POST", path(w.id, "/escalations"), map[string]any{"channel": "consultancy",
		"reference": "C-77", "note": "Voor de consultant: " + noteMark}), http.StatusCreated).num("id")
	w.task = f.want(f.call(functional, "POST", path(w.id, "/tasks"), map[string]any{"title": "Taak " + secretMark,
		"description": "Controleer " + noteMark}), http.StatusCreated).num("id")
	done := f.want(f.call(functional, "POST", path(w.id, "/tasks"), map[string]any{"title": "Koppeling nakijken",
		"assignee": f.ids[technical]}), http.StatusCreated).num("id")
	f.want(f.call(technical, "POST", "/api/v1/tasks/"+itoa(done)+"/complete", map[string]any{"outcome": "Gedaan: " + noteMark}), http.StatusOK)
	f.want(f.call(functional, "POST", path(w.other, "/links"), map[string]any{"other": w.number}), http.StatusNoContent)
	f.want(f.call(functional, "POST", path(w.id, "/time-entries"), map[string]any{"worked_on": "2020-01-06", "hours": "1,5",
		"note": "Uitgezocht: " + noteMark}), http.StatusCreated)
	w.outage = f.want(f.call(technical, "POST", "/api/v1/outages", map[string]any{"title": "InSite traag", "severity": "minor",
		"started_at": "2020-01-06T09:00:00Z"}), http.StatusCreated).num("id")
	f.want(f.call(functional, "POST", "/api/v1/outages/"+itoa(w.outage)+"/requests", map[string]any{"request": w.number}), http.StatusNoContent)

	w.answer = f.want(f.call(functional, "POST", "/api/v1/answers", map[string]any{"title": "Over de aanvraag",
		"body": "Over {titel}: wij zijn ermee bezig."}), http.StatusCreated).num("id")

	w.news = f.want(f.call(functional, "POST", "/api/v1/news", map[string]any{"title": "Nieuwe loonstrook", "body": "Vanaf nu digitaal."}),
		http.StatusCreated).num("id")
	f.want(f.call(functional, "POST", "/api/v1/news/"+itoa(w.news)+"/links", map[string]any{"request": w.id}), http.StatusNoContent)
	w.article = f.want(f.call(functional, "POST", "/api/v1/articles", map[string]any{"title": "Loonbeslag uitgelegd",
		"body": "Zo werkt het.", "status": "published"}), http.StatusCreated).num("id")
	f.want(f.call(functional, "POST", "/api/v1/articles/"+itoa(w.article)+"/links", map[string]any{"request": w.id}), http.StatusNoContent)

	f.want(f.call(functional, "POST", "/api/v1/plans", map[string]any{"year": planYear}), http.StatusCreated)
	w.objective = f.want(f.call(management, "POST", py("/objectives"), map[string]any{"title": "Minder loonvragen",
		"target": "Half zoveel"}), http.StatusCreated).num("id")
	f.want(f.call(functional, "POST", py("/objectives/"+itoa(w.objective)+"/requests"), map[string]any{"request": w.number}), http.StatusOK)
	for _, a := range f.want(f.call(functional, "GET", py(""), nil), http.StatusOK).body["activities"].([]any) {
		if m := a.(map[string]any); m["kind"] == "consultancy_day" {
			w.day = int64(m["id"].(float64))
		}
	}
	w.oldFeed = f.want(f.call(functional, "POST", py("/feed"), nil), http.StatusCreated).str("token")
	w.feed = f.want(f.call(functional, "POST", py("/feed"), nil), http.StatusCreated).str("token")

	w.moved = f.want(f.call(otherUser, "POST", "/api/v1/requests", map[string]any{"type": "change", "area": "hr",
		"title": "Wijziging " + movedMark}), http.StatusCreated).num("id")
	f.want(f.call(functional, "POST", path(w.moved, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
	f.want(f.call(functional, "PATCH", path(w.moved, ""), map[string]any{"status": "awaiting_decision"}, "If-Match", "*"), http.StatusOK)
	runNotify(t, st)
	f.want(f.call(functional, "PATCH", path(w.moved, ""), map[string]any{"area": "financieel"}, "If-Match", "*"), http.StatusOK)

	w.hook = f.want(f.call(technical, "POST", "/api/v1/webhooks", map[string]any{"url": "https://zaaksysteem.voorbeeld.nl/in",
		"events": []string{"request.filed", "request.phase_changed", "escalation.opened"}}), http.StatusCreated).num("id")
	runNotify(t, st)
	for {
		n, err := st.QueueWebhooks(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}

	for _, who := range pathPeople {
		if who == anonymous {
			continue
		}
		sess, err := st.CreateSession(ctx, f.ids[who])
		if err != nil {
			t.Fatal(err)
		}
		w.sessions[who] = sess.ID
	}
	f.want(f.call(functional, "POST", "/api/v1/users/"+itoa(f.ids[deactivated])+"/deactivate", nil), http.StatusNoContent)
	return w
}

// api makes an API call as a person; anonymous sends no token.
func (w *secretWorld) api(who, p string) response {
	if who == anonymous {
		who = ""
	}
	return w.f.call(who, "GET", p, nil)
}

// portal gets a portal page with the person's session cookie, without
// following redirects. Extra headers come in pairs.
func (w *secretWorld) portal(who, p string, headers ...string) response {
	w.f.t.Helper()
	req, err := http.NewRequest("GET", w.f.srv.URL+p, nil)
	if err != nil {
		w.f.t.Fatal(err)
	}
	if id, ok := w.sessions[who]; ok {
		req.AddCookie(&http.Cookie{Name: "beheer_session", Value: id})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		w.f.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, raw: string(data)}
}

// text is everything a person could read in an answer: the body, or for a
// spreadsheet the text of every part of the archive.
func text(r response) string {
	if !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		return r.raw
	}
	zr, err := zip.NewReader(strings.NewReader(r.raw), int64(len(r.raw)))
	if err != nil {
		return r.raw
	}
	var b strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			continue
		}
		io.Copy(&b, rc)
		rc.Close()
	}
	return b.String()
}

// leakPath is one way data leaves the system, with what every person must
// get: "+" is 200 with the marker in it, "-" is 200 without it, a number
// is that status, never with the marker.
type leakPath struct {
	name  string
	route string // the GET pattern it reads, for TestAccessPathsCoverRoutes
	get   func(w *secretWorld, who string) response
	mark  string // the marker to look for; "" is secretMark
	want  string // per person, in pathPeople order
}

// Expectations that recur: readers of the secret request see it (API and
// portal); staff among them see the internal marker, its requester not.
const (
	readersAPI    = "+ 404 + 404 + 404 + + + 404 401 401"
	staffAPI      = "- 404 + 404 + 404 + + + 404 401 401"
	readersPortal = "+ 404 + 404 + 404 + + + 404 303 303"
	// Pictures carry no marker: readers get them, nobody else.
	pictureAPI    = "- 404 - 404 - 404 - - - 404 401 401"
	picturePortal = "- 404 - 404 - 404 - - - 404 303 303"
	staffPortal   = "- 404 + 404 + 404 + + + 404 303 303"
	listAPI       = "+ - + - + - + + + - 401 401"
	queuePortal   = "403 403 + - + - + + + - 303 303"
	nobodyAPI     = "- - - - - - - - - - 401 401"
	nobodyPortal  = "- - - - - - - - - - 303 303"
	everyone404   = "404 404 404 404 404 404 404 404 404 404 404 404"
)

func apiPath(p func(w *secretWorld) string) func(w *secretWorld, who string) response {
	return func(w *secretWorld, who string) response { return w.api(who, p(w)) }
}

func portalPath(p func(w *secretWorld) string, headers ...string) func(w *secretWorld, who string) response {
	return func(w *secretWorld, who string) response { return w.portal(who, p(w), headers...) }
}

// fixed is a path that does not depend on the world.
func fixed(p string) func(w *secretWorld) string { return func(*secretWorld) string { return p } }

func onSecret(rest string) func(w *secretWorld) string {
	return func(w *secretWorld) string { return path(w.id, rest) }
}

func feedOf(token func(w *secretWorld) string) func(w *secretWorld, who string) response {
	return func(w *secretWorld, who string) response {
		return w.portal(anonymous, fmt.Sprintf("/plan/%d/feed.ics?token=%s", planYear, url.QueryEscape(token(w))))
	}
}

var leakPaths = []leakPath{
	// The JSON API: lists and search.
	{name: "api list", route: "GET /api/v1/requests", get: apiPath(fixed("/api/v1/requests")), want: listAPI},
	{name: "api list search (full text walk)", route: "GET /api/v1/requests", get: apiPath(fixed("/api/v1/requests?q=" + searchWord)), want: listAPI},
	{name: "api list search (sorted)", route: "GET /api/v1/requests", get: apiPath(fixed("/api/v1/requests?q=" + searchWord + "&sort=updated")), want: listAPI},
	{name: "api list search by number", route: "GET /api/v1/requests", want: listAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/requests?q=" + w.number })},
	{name: "api list by area", route: "GET /api/v1/requests", get: apiPath(fixed("/api/v1/requests?area=hr&open=true&sort=priority")), want: listAPI},
	{name: "api list by phase and type", route: "GET /api/v1/requests", get: apiPath(fixed("/api/v1/requests?phase=investigation&type=question")), want: listAPI},
	{name: "api list by requester", route: "GET /api/v1/requests", want: listAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/requests?requester=" + itoa(w.f.ids[requester]) })},
	{name: "api list by assignee", route: "GET /api/v1/requests", want: listAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/requests?assignee=" + itoa(w.f.ids[functional]) })},

	// The JSON API: one request and what hangs from it.
	{name: "api request", route: "GET /api/v1/requests/{id}", get: apiPath(onSecret("")), want: readersAPI},
	{name: "api answers", route: "GET /api/v1/requests/{id}/answers", get: apiPath(onSecret("/answers")), want: readersAPI},
	{name: "api deciders (the secret is no change)", route: "GET /api/v1/requests/{id}/deciders", get: apiPath(onSecret("/deciders")),
		want: "409 404 409 404 409 404 409 409 409 404 401 401"},
	{name: "decision link, unknown token", route: "GET /decide/{token}", get: portalPath(fixed("/decide/onbekend")),
		want: "404 404 404 404 404 404 404 404 404 404 303 303"},
	{name: "api comments", route: "GET /api/v1/requests/{id}/comments", get: apiPath(onSecret("/comments")), want: readersAPI},
	{name: "api comments, internal note", route: "GET /api/v1/requests/{id}/comments", get: apiPath(onSecret("/comments")), mark: noteMark, want: staffAPI},
	{name: "api attachments", route: "GET /api/v1/requests/{id}/attachments", get: apiPath(onSecret("/attachments")), want: readersAPI},
	{name: "api attachment download", route: "GET /api/v1/attachments/{id}", want: readersAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/attachments/" + itoa(w.attachment) })},
	{name: "api picture thumbnail", route: "GET /api/v1/attachments/{id}/thumbnail", want: pictureAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/attachments/" + itoa(w.picture) + "/thumbnail" })},
	{name: "api audit", route: "GET /api/v1/requests/{id}/audit", get: apiPath(onSecret("/audit")), want: readersAPI},
	{name: "api audit, internal work", route: "GET /api/v1/requests/{id}/audit", get: apiPath(onSecret("/audit")), mark: noteMark, want: staffAPI},
	{name: "api tasks", route: "GET /api/v1/requests/{id}/tasks", get: apiPath(onSecret("/tasks")), want: readersAPI},
	{name: "api tasks, internal work", route: "GET /api/v1/requests/{id}/tasks", get: apiPath(onSecret("/tasks")), mark: noteMark, want: staffAPI},
	{name: "api escalations, internal note", route: "GET /api/v1/requests/{id}/escalations", get: apiPath(onSecret("/escalations")), mark: noteMark, want: staffAPI},
	{name: "api links", route: "GET /api/v1/requests/{id}/links", get: apiPath(onSecret("/links")), want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api links of the foreign requester's request", route: "GET /api/v1/requests/{id}/links",
		get: apiPath(func(w *secretWorld) string { return path(w.other, "/links") }), want: "404 - + 404 + 404 + + + 404 401 401"},
	{name: "api decision", route: "GET /api/v1/requests/{id}/decision", get: apiPath(onSecret("/decision")),
		want: "404 404 404 404 404 404 404 404 404 404 401 401"},
	{name: "api service level", route: "GET /api/v1/requests/{id}/sla", get: apiPath(onSecret("/sla")), want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api knowledge", route: "GET /api/v1/requests/{id}/knowledge", get: apiPath(onSecret("/knowledge")), want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api time entries, internal work", route: "GET /api/v1/requests/{id}/time-entries", get: apiPath(onSecret("/time-entries")),
		mark: noteMark, want: staffAPI},
	{name: "api change tests", route: "GET /api/v1/requests/{id}/change-tests", get: apiPath(onSecret("/change-tests")),
		want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api owner evaluation", route: "GET /api/v1/requests/{id}/owner-evaluation", get: apiPath(onSecret("/owner-evaluation")),
		want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api outage's requests", route: "GET /api/v1/outages/{id}/requests", want: listAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/outages/" + itoa(w.outage) + "/requests" })},
	{name: "api followers", route: "GET /api/v1/requests/{id}/followers", get: apiPath(onSecret("/followers")), want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api joins", route: "GET /api/v1/requests/{id}/joins", get: apiPath(onSecret("/joins")), want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api mention candidates", route: "GET /api/v1/requests/{id}/mentions", get: apiPath(onSecret("/mentions?internal=true")),
		want: "- 404 - 404 - 404 - - - 404 401 401"},
	{name: "api standard answer filled in", route: "GET /api/v1/requests/{id}/answers/{answer}", want: "404 404 + 404 + 404 + 404 + 404 401 401",
		get: apiPath(func(w *secretWorld) string { return path(w.id, "/answers/"+itoa(w.answer)) })},
	{name: "api requests I follow", route: "GET /api/v1/me/following", get: apiPath(fixed("/api/v1/me/following")), want: nobodyAPI},
	{name: "api my tasks", route: "GET /api/v1/tasks", get: apiPath(fixed("/api/v1/tasks")), want: "- - - - - - + - - - 401 401"},

	// The JSON API: reports, exports, integrations, the plan.
	{name: "api dashboard", route: "GET /api/v1/reports/dashboard", get: apiPath(fixed("/api/v1/reports/dashboard")),
		want: "403 403 - - - - 403 - - 403 401 401"},
	{name: "api dashboard of HR", route: "GET /api/v1/reports/dashboard", get: apiPath(fixed("/api/v1/reports/dashboard?area=hr")),
		want: "403 403 - 403 - 403 403 - - 403 401 401"},
	{name: "api at risk", route: "GET /api/v1/reports/at-risk", get: apiPath(fixed("/api/v1/reports/at-risk")),
		want: "403 403 + - + - 403 + + 403 401 401"},
	{name: "api at risk of HR", route: "GET /api/v1/reports/at-risk", get: apiPath(fixed("/api/v1/reports/at-risk?area=hr")),
		want: "403 403 + 403 + 403 403 + + 403 401 401"},
	{name: "api person export of the requester", route: "GET /api/v1/users/{id}/export",
		get:  apiPath(func(w *secretWorld) string { return "/api/v1/users/" + itoa(w.f.ids[requester]) + "/export" }),
		want: "+ 403 403 403 + 403 403 403 403 403 401 401"},
	{name: "api person export of the note's author", route: "GET /api/v1/users/{id}/export", mark: noteMark,
		get:  apiPath(func(w *secretWorld) string { return "/api/v1/users/" + itoa(w.f.ids[functional]) + "/export" }),
		want: "403 403 403 403 + 403 403 403 403 403 401 401"},
	{name: "api one webhook", route: "GET /api/v1/webhooks/{id}",
		get:  apiPath(func(w *secretWorld) string { return "/api/v1/webhooks/" + itoa(w.hook) }),
		want: "403 403 403 403 - 403 - 403 403 403 401 401"},
	{name: "webhook page with its delivery log", route: "GET /settings/webhooks/{id}",
		get:  portalPath(func(w *secretWorld) string { return "/settings/webhooks/" + itoa(w.hook) }),
		want: "403 403 403 403 - 403 - 403 403 403 303 303"},
	{name: "webhooks page", route: "GET /settings/webhooks", get: portalPath(fixed("/settings/webhooks")),
		want: "403 403 403 403 - 403 - 403 403 403 303 303"},
	{name: "api organisation audit log", route: "GET /api/v1/audit", get: apiPath(fixed("/api/v1/audit?limit=500")),
		want: "403 403 403 403 - 403 403 - 403 403 401 401"},
	{name: "organisation audit log page", route: "GET /audit", get: portalPath(fixed("/audit")),
		want: "403 403 403 403 - 403 403 - 403 403 303 303"},
	{name: "organisation audit log as CSV", route: "GET /audit/export.csv", get: portalPath(fixed("/audit/export.csv")),
		want: "403 403 403 403 - 403 403 - 403 403 303 303"},
	{name: "organisation audit log as Excel", route: "GET /audit/export.xlsx", get: portalPath(fixed("/audit/export.xlsx")),
		want: "403 403 403 403 - 403 403 - 403 403 303 303"},
	{name: "portal person export of the requester", route: "GET /people/{id}/export.json",
		get:  portalPath(func(w *secretWorld) string { return "/people/" + itoa(w.f.ids[requester]) + "/export.json" }),
		want: "403 403 403 403 + 403 403 403 403 403 303 303"},
	{name: "portal person export of the note's author", route: "GET /people/{id}/export.json", mark: noteMark,
		get:  portalPath(func(w *secretWorld) string { return "/people/" + itoa(w.f.ids[functional]) + "/export.json" }),
		want: "403 403 403 403 + 403 403 403 403 403 303 303"},
	{name: "api webhooks", route: "GET /api/v1/webhooks", get: apiPath(fixed("/api/v1/webhooks")),
		want: "403 403 403 403 - 403 - 403 403 403 401 401"},
	{name: "api webhook deliveries", route: "GET /api/v1/webhooks/{id}/deliveries",
		get:  apiPath(func(w *secretWorld) string { return "/api/v1/webhooks/" + itoa(w.hook) + "/deliveries" }),
		want: "403 403 403 403 + 403 + 403 403 403 401 401"},
	{name: "api webhook deliveries, internal note", route: "GET /api/v1/webhooks/{id}/deliveries", mark: noteMark,
		get:  apiPath(func(w *secretWorld) string { return "/api/v1/webhooks/" + itoa(w.hook) + "/deliveries" }),
		want: "403 403 403 403 - 403 - 403 403 403 401 401"},
	{name: "api plan", route: "GET /api/v1/plans/{year}", get: apiPath(fixed(py(""))), want: nobodyAPI},
	{name: "api objective's requests", route: "GET /api/v1/plans/{year}/objectives/{id}/requests", want: listAPI,
		get: apiPath(func(w *secretWorld) string { return py("/objectives/" + itoa(w.objective) + "/requests") })},
	{name: "api consultancy agenda", route: "GET /api/v1/plans/{year}/activities/{id}/agenda",
		get:  apiPath(func(w *secretWorld) string { return py("/activities/" + itoa(w.day) + "/agenda") }),
		want: "403 403 403 403 + - 403 403 + 403 401 401"},
	{name: "api news item", route: "GET /api/v1/news/{id}", want: nobodyAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/news/" + itoa(w.news) })},
	{name: "api article", route: "GET /api/v1/articles/{id}", want: nobodyAPI,
		get: apiPath(func(w *secretWorld) string { return "/api/v1/articles/" + itoa(w.article) })},

	// The portal.
	{name: "home", route: "GET /{$}", get: portalPath(fixed("/")), want: "+ - + - + - + - - - 303 303"},
	{name: "my requests", route: "GET /requests", get: portalPath(fixed("/requests")), want: "+ - - - - - - - - - 303 303"},
	{name: "my requests, searched", route: "GET /requests", get: portalPath(fixed("/requests?q=" + searchWord)),
		want: "+ - - - - - - - - - 303 303"},
	{name: "task list", route: "GET /tasks", get: portalPath(fixed("/tasks")), want: "- - - - - - + - - - 303 303"},
	{name: "request page", route: "GET /requests/{id}", get: portalPath(func(w *secretWorld) string { return "/requests/" + itoa(w.id) }),
		want: readersPortal},
	{name: "request page, internal note", route: "GET /requests/{id}", mark: noteMark,
		get: portalPath(func(w *secretWorld) string { return "/requests/" + itoa(w.id) }), want: staffPortal},
	{name: "request page by number", route: "GET /requests/{id}", get: portalPath(func(w *secretWorld) string { return "/requests/" + w.number }),
		want: readersPortal},
	{name: "answers to change", route: "GET /requests/{id}/answers", want: "403 404 403 404 + 404 403 403 + 404 303 303",
		get: portalPath(func(w *secretWorld) string { return "/requests/" + itoa(w.id) + "/answers" })},
	{name: "mention candidates", route: "GET /requests/{id}/mentions", want: "- 404 - 404 - 404 - - - 404 303 303",
		get: portalPath(func(w *secretWorld) string { return "/requests/" + itoa(w.id) + "/mentions?q=" })},
	{name: "portal attachment download", route: "GET /attachments/{id}", want: readersPortal,
		get: portalPath(func(w *secretWorld) string { return "/attachments/" + itoa(w.attachment) })},
	{name: "portal attachment in the viewer (a download)", route: "GET /attachments/{id}/view", want: readersPortal,
		get: portalPath(func(w *secretWorld) string { return "/attachments/" + itoa(w.attachment) + "/view" })},
	{name: "portal picture in the viewer", route: "GET /attachments/{id}/view", want: picturePortal,
		get: portalPath(func(w *secretWorld) string { return "/attachments/" + itoa(w.picture) + "/view" })},
	{name: "portal picture thumbnail", route: "GET /attachments/{id}/thumb", want: picturePortal,
		get: portalPath(func(w *secretWorld) string { return "/attachments/" + itoa(w.picture) + "/thumb" })},
	{name: "does your question exist", route: "GET /requests/suggest", get: portalPath(fixed("/requests/suggest?title=" + searchWord)),
		want: "+ - + - + - + + + - 303 303"},
	{name: "queue", route: "GET /queue", get: portalPath(fixed("/queue")), want: queuePortal},
	{name: "queue search", route: "GET /queue", get: portalPath(fixed("/queue?q=" + searchWord)), want: queuePortal},
	{name: "queue behind a dashboard number", route: "GET /queue", get: portalPath(fixed("/queue?phase=investigation&area=hr")), want: queuePortal},
	{name: "queue partial", route: "GET /queue", get: portalPath(fixed("/queue?q="+searchWord), "HX-Request", "true", "HX-Target", "queue-results"),
		want: "403 403 + - + - + + + - 401 401"},
	{name: "queue export csv", route: "GET /queue/export.csv", get: portalPath(fixed("/queue/export.csv")), want: queuePortal},
	{name: "queue export xlsx", route: "GET /queue/export.xlsx", get: portalPath(fixed("/queue/export.xlsx")), want: queuePortal},
	{name: "queue export, internal note", route: "GET /queue/export.csv", get: portalPath(fixed("/queue/export.csv")), mark: noteMark,
		want: "403 403 - - - - - - - - 303 303"},
	{name: "dashboard", route: "GET /dashboard", get: portalPath(fixed("/dashboard")), want: "403 403 + - + - 403 + + 403 303 303"},
	{name: "dashboard export csv", route: "GET /dashboard/export.csv", get: portalPath(fixed("/dashboard/export.csv?figure=load")),
		want: "403 403 - - - - 403 - - 403 303 303"},
	{name: "dashboard export xlsx", route: "GET /dashboard/export.xlsx", get: portalPath(fixed("/dashboard/export.xlsx")),
		want: "403 403 - - - - 403 - - 403 303 303"},
	{name: "notifications", route: "GET /notifications", get: portalPath(fixed("/notifications")), want: "+ - - - + - + - + - 303 303"},
	{name: "notifications, internal note", route: "GET /notifications", get: portalPath(fixed("/notifications")), mark: noteMark,
		want: nobodyPortal},
	// Filed in HR, it alerted HR's functional admins; functional_hr no
	// longer reads it, functional (every area) still does.
	{name: "notifications, a request moved away", route: "GET /notifications", get: portalPath(fixed("/notifications")), mark: movedMark,
		want: "- + - - + - - - - - 303 303"},
	{name: "plan", route: "GET /plan/{year}", get: portalPath(fixed(fmt.Sprintf("/plan/%d", planYear))), want: nobodyPortal},
	{name: "objective page", route: "GET /plan/{year}/objectives/{id}", want: "+ - + - + - + + + - 303 303",
		get: portalPath(func(w *secretWorld) string { return fmt.Sprintf("/plan/%d/objectives/%d", planYear, w.objective) })},
	{name: "consultancy day page", route: "GET /plan/{year}/activities/{id}", want: "- - - - + - - - + - 303 303",
		get: portalPath(func(w *secretWorld) string { return fmt.Sprintf("/plan/%d/activities/%d", planYear, w.day) })},
	{name: "outage page", route: "GET /outages/{id}", want: "+ - + - + - + + + - 303 303",
		get: portalPath(func(w *secretWorld) string { return "/outages/" + itoa(w.outage) })},
	{name: "news item page", route: "GET /news/{id}", want: "- - - - + - - - + - 303 303",
		get: portalPath(func(w *secretWorld) string { return "/news/" + itoa(w.news) })},
	{name: "article page", route: "GET /kb/{id}", want: "- - - - + - - - + - 303 303",
		get: portalPath(func(w *secretWorld) string { return "/kb/" + itoa(w.article) })},
	{name: "plan feed", route: "GET /plan/{year}/feed.ics", get: feedOf(func(w *secretWorld) string { return w.feed }),
		want: "- - - - - - - - - - - -"},
	{name: "plan feed, rotated token", route: "GET /plan/{year}/feed.ics", get: feedOf(func(w *secretWorld) string { return w.oldFeed }),
		want: everyone404},
	{name: "plan feed, wrong token", route: "GET /plan/{year}/feed.ics", get: feedOf(func(*secretWorld) string { return "geraden" }),
		want: everyone404},
}

// TestAccessPaths checks, for a secret request, every way its data can
// leave the system — lists, search, downloads, audit, exports, reports,
// feeds, notifications, webhooks — as every role, scoped and unscoped, a
// foreign requester, a deactivated person and someone not signed in.
func TestAccessPaths(t *testing.T) {
	clock := &pathClock{offset: -31 * 24 * time.Hour}
	storetest.Engines(t, storetest.Options{Now: clock.now}, func(t *testing.T, st *store.Store) {
		clock.set(-31 * 24 * time.Hour)
		w := newSecretWorld(t, st, clock)
		cases := 0
		for _, lp := range leakPaths {
			want := strings.Fields(lp.want)
			if len(want) != len(pathPeople) {
				t.Fatalf("%s: %d expectations for %d people", lp.name, len(want), len(pathPeople))
			}
			mark := cmp.Or(lp.mark, secretMark)
			for i, who := range pathPeople {
				t.Run(lp.name+"/"+who, func(t *testing.T) {
					w.f.t = t
					got := lp.get(w, who)
					seen := strings.Contains(text(got), mark)
					outcome := strconv.Itoa(got.status)
					if got.status == http.StatusOK {
						outcome = map[bool]string{true: "+", false: "-"}[seen]
					} else if seen {
						t.Errorf("a %d answer carries the marker: %.300s", got.status, got.raw)
					}
					if outcome != want[i] {
						t.Errorf("got %s, want %s; body %.400s", outcome, want[i], got.raw)
					}
				})
				cases++
			}
		}
		t.Run("notifications reach only readers, an internal note never the requester", func(t *testing.T) {
			w.f.t = t
			for _, who := range pathPeople[:len(pathPeople)-1] {
				u, err := st.User(context.Background(), w.f.ids[who])
				if err != nil {
					t.Fatal(err)
				}
				list, err := st.Notifications(context.Background(), u.Actor(), 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				// deactivated was a functional admin for every area, and so
				// a reader, when the new request's team alert went out.
				reads := slices.Contains([]string{requester, keyUserHR, functional, technical, management, functionalHR, deactivated}, who)
				for _, n := range list {
					if n.RequestID != w.id {
						continue
					}
					if !reads {
						t.Errorf("%s, who may not read the request, got notification %+v", who, n)
					}
					if who == requester && n.Data["internal"] == "true" {
						t.Errorf("the requester got a notification of internal work: %+v", n)
					}
				}
			}
		})
		t.Run("a revoked feed answers not found", func(t *testing.T) {
			w.f.t = t
			w.f.want(w.f.call(functional, "DELETE", py("/feed"), nil), http.StatusNoContent)
			if got := feedOf(func(w *secretWorld) string { return w.feed })(w, anonymous); got.status != http.StatusNotFound {
				t.Errorf("revoked feed = %d", got.status)
			}
		})
		t.Logf("access paths: %d paths × %d people = %d cases", len(leakPaths), len(pathPeople), cases)
	})
}

// noRequestData are the GET routes that carry no data of a request, with
// why. Every GET route is either here or exercised by leakPaths.
var noRequestData = map[string]string{
	"GET /admin":                                    "the settings hub: links only",
	"GET /people/options":                           "a person field's search: ids and names of active people",
	"GET /settings/signon":                          "sign-on settings, no request data",
	"GET /settings/mailserver":                      "mail server settings, no request data",
	"GET /api/v1/settings/signon":                   "sign-on settings, no request data",
	"GET /api/v1/settings/mail":                     "mail server settings, no request data",
	"GET /people/{id}/privacy":                      "counts of a person's data and what anonymising does; no request text",
	"GET /api/v1/areas/{id}/approval-rule":          "an area's approval rule: people who decide, not requests",
	"GET /api/v1/users/{id}/deputy":                 "a person's deputy and period, not requests",
	"GET /settings/deputy":                          "the deputy page, as its API",
	"GET /healthz":                                  "liveness, no data",
	"GET /readyz":                                   "readiness, no data",
	"GET /api/v1/openapi.json":                      "the API description",
	"GET /static/":                                  "embedded files",
	"GET /login":                                    "login form",
	"GET /password/forgot":                          "password form",
	"GET /password/reset":                           "password form",
	"GET /sso/start":                                "redirect to the identity provider",
	"GET /sso/callback":                             "sign-in answer from the identity provider",
	"GET /api/v1/me":                                "the caller's own account",
	"GET /api/v1/areas":                             "area names",
	"GET /api/v1/areas/{id}":                        "one area's name and description",
	"GET /api/v1/processes":                         "process names and owners",
	"GET /api/v1/processes/{id}":                    "one process's name and owner",
	"GET /api/v1/organisation":                      "the organisation's name and language",
	"GET /api/v1/organisation/logo":                 "the organisation's logo",
	"GET /api/v1/setup":                             "the setup checklist: steps done, no request data",
	"GET /api/v1/request-types":                     "the request types' names and help texts",
	"GET /api/v1/forms":                             "the request types' forms: questions, no answers",
	"GET /api/v1/forms/{id}":                        "one form: questions, no answers",
	"GET /api/v1/form-templates":                    "the ready-made forms",
	"GET /api/v1/priorities":                        "the priorities' names",
	"GET /api/v1/channels":                          "the channels' vendors and addresses",
	"GET /areas":                                    "areas, processes and key users",
	"GET /areas/{id}":                               "one area: processes, key users, a count of open requests",
	"GET /channels":                                 "channels and their contacts",
	"GET /organisation/logo":                        "the organisation's logo",
	"GET /request-types":                            "the request types' names and help texts",
	"GET /forms":                                    "the forms' names and counts of requests, no answers",
	"GET /forms/{id}":                               "one form's questions and its preview, no answers",
	"GET /setup":                                    "the setup checklist and the organisation's details",
	"GET /welcome":                                  "the first-start form, before anyone has an account",
	"GET /api/v1/users":                             "people and roles, user managers only",
	"GET /api/v1/settings":                          "organisation policy",
	"GET /api/v1/me/notification-settings":          "the caller's own preferences",
	"GET /api/v1/tokens":                            "API tokens: names and dates, one's own or, for functional admins for every area, anyone's",
	"GET /api/v1/security-events":                   "logins, refusals and tokens: accounts and addresses, never request data",
	"GET /login/code":                               "the second step of a login: a form",
	"GET /settings/second-factor":                   "the caller's own second factor",
	"GET /api/v1/settings/closure":                  "organisation policy",
	"GET /settings/closure":                         "organisation policy",
	"GET /favicon.ico":                              "the icon",
	"GET /queue/counts":                             "numbers of requests per phase",
	"GET /settings/tokens":                          "the caller's own API tokens: names and dates",
	"GET /settings/tokens/all":                      "everyone's API tokens: names and dates, functional admins for every area only",
	"GET /requests/new":                             "an empty form",
	"GET /people":                                   "people and roles, user managers only",
	"GET /people/new":                               "an empty form",
	"GET /people/{id}":                              "one person's roles, user managers only",
	"GET /settings/notifications":                   "the caller's own preferences",
	"GET /sla":                                      "targets and calendar",
	"GET /api/v1/sla/targets":                       "targets",
	"GET /api/v1/sla/calendar":                      "business hours and holidays",
	"GET /news":                                     "news items, written by functional admins; links to requests are shown on the item page only",
	"GET /news/new":                                 "an empty form",
	"GET /news/{id}/edit":                           "the item's own text",
	"GET /api/v1/news":                              "news items without their links",
	"GET /kb":                                       "articles without their links",
	"GET /kb/suggest":                               "articles, not requests",
	"GET /kb/new":                                   "an empty form",
	"GET /kb/{id}/edit":                             "the article's own text",
	"GET /api/v1/articles":                          "articles without their links",
	"GET /api/v1/articles/{id}/revisions":           "the article's own text",
	"GET /plan":                                     "the list of plan years",
	"GET /api/v1/plans":                             "the list of plan years",
	"GET /releases":                                 "releases; findings are listed on a release's page",
	"GET /releases/checklist":                       "checklist template",
	"GET /outages":                                  "outage notices with their number of requests",
	"GET /api/v1/outages":                           "outage notices with their number of requests",
	"GET /api/v1/outages/{id}":                      "an outage notice with its number of requests",
	"GET /api/v1/reports/availability":              "outages and their duration per month",
	"GET /api/v1/reports/time":                      "hours per month, area and channel",
	"GET /settings/change-tests":                    "a rule setting",
	"GET /api/v1/plans/{year}/consultancy-budget":   "a year's consultancy budget and the hours used",
	"GET /releases/{id}":                            "a release; its findings are requests filed from the release, listed through the store's visibility filter",
	"GET /releases/{id}/checks/{check}/file":        "a test's evidence file, release readers only",
	"GET /api/v1/releases":                          "releases without findings",
	"GET /api/v1/releases/checklist-template":       "checklist template",
	"GET /api/v1/releases/{id}":                     "a release; its findings pass the store's visibility filter",
	"GET /api/v1/releases/{id}/checks/{check}/file": "a test's evidence file, release readers only",
	"GET /profile":                                  "organisation profile: people per role, outside contacts",
	"GET /profile/print":                            "organisation profile",
	"GET /profile/beheerorganisatie.docx":           "organisation profile",
	"GET /api/v1/profile":                           "organisation profile",
	"GET /answers":                                  "standard answers: texts with placeholders, for their keepers",
	"GET /answers/{id}":                             "one standard answer, for its keepers",
	"GET /api/v1/answers":                           "standard answers: texts with placeholders, no request filled in",
	"GET /api/v1/answers/{id}":                      "one standard answer, no request filled in",
	"GET /settings/alerts":                          "which team alerts areas send, and the areas one follows",
	"GET /api/v1/areas/{id}/alerts":                 "which team alerts an area sends",
	"GET /api/v1/parent-incidents":                  "the summaries of open parent incidents, written for everyone; their titles and joined requests stay behind the request's rules",
}

// othersRoutes are route families that carry no request data and are
// tested for access in their own suites (mail_test.go, register_test.go,
// people_import_test.go); each must earn its own rows here when it starts to
// carry request data.
var othersRoutes = []struct{ prefix, reason string }{
	{"GET /api/v1/mail", "incoming e-mail: its log and settings are for administrators; mail that reaches a request is read through the request paths above"},
	{"GET /settings/mail", "incoming-mail log page, as its API: request numbers only, never titles"},
	{"GET /api/v1/people", "people import (AFAS): people and roles, not requests"},
	{"GET /api/v1/register", "technical register: connectors and settings; review requests it raises are read through the request paths above"},
	{"GET /register", "technical register pages, as its API"},
}

// getPatterns finds every GET route pattern in the package's source: the
// route tables and any pattern registered on its own.
func getPatterns(t *testing.T) []string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && strings.HasPrefix(s, "GET /") && strings.Count(s, " ") == 1 && !strings.ContainsAny(s, "\t\n") {
				out = append(out, s)
			}
			return true
		})
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestAccessPathsCoverRoutes fails when a GET route is added without a row
// in the path table or a reason why it carries no request data.
func TestAccessPathsCoverRoutes(t *testing.T) {
	covered := map[string]bool{}
	for _, lp := range leakPaths {
		covered[lp.route] = true
	}
	patterns := getPatterns(t)
	if len(patterns) < 50 {
		t.Fatalf("found only %d GET patterns: %v", len(patterns), patterns)
	}
	exists := map[string]bool{}
	for _, p := range patterns {
		exists[p] = true
		if covered[p] || noRequestData[p] != "" {
			continue
		}
		if slices.ContainsFunc(othersRoutes, func(o struct{ prefix, reason string }) bool { return strings.HasPrefix(p, o.prefix) }) {
			continue
		}
		t.Errorf("GET route %q is neither in the access path table (authz_paths_test.go) nor listed as carrying no request data", p)
	}
	for p := range covered {
		if !exists[p] {
			t.Errorf("the access path table names %q, which is no route", p)
		}
	}
	for p := range noRequestData {
		if !exists[p] {
			t.Errorf("noRequestData names %q, which is no route", p)
		}
	}
	t.Logf("%d GET routes: %d in the path table, the rest without request data", len(patterns), len(covered))
}
