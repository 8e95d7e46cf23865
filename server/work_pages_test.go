package server_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// wpBrowser is a signed-in browser for the work pages (new request, queue,
// people): a session cookie, its CSRF token, and no redirect following.
type wpBrowser struct {
	t      *testing.T
	base   string
	cookie string
	csrf   string
	client *http.Client
	// csrfHeader sends the token in the X-CSRF-Token header too, as htmx does.
	csrfHeader bool
}

func wpLogin(t *testing.T, f *fixture, who string) *wpBrowser {
	t.Helper()
	return wpSession(t, f, f.ids[who])
}

func wpSession(t *testing.T, f *fixture, userID int64) *wpBrowser {
	t.Helper()
	sess, err := f.st.CreateSession(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return &wpBrowser{t: t, base: f.srv.URL, cookie: sess.ID, csrf: sess.CSRF, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *wpBrowser) send(req *http.Request) response {
	b.t.Helper()
	req.AddCookie(&http.Cookie{Name: "beheer_session", Value: b.cookie})
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, raw: string(data)}
}

func (b *wpBrowser) get(path string, headers ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

// post sends a plain form with the session's CSRF token.
func (b *wpBrowser) post(path string, form url.Values) response {
	b.t.Helper()
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// wpFile is a file chosen in a form's file input.
type wpFile struct {
	name string
	data []byte
}

// postFiles sends a multipart form, as the new-request form does.
func (b *wpBrowser) postFiles(path string, form url.Values, files ...wpFile) response {
	b.t.Helper()
	body, contentType := multipartBody(files, url.Values{"csrf": {b.csrf}}, form)
	req, _ := http.NewRequest("POST", b.base+path, body)
	req.Header.Set("Content-Type", contentType)
	if b.csrfHeader {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	return b.send(req)
}

// multipartBody encodes fields, one set after another, and then each file
// in a part "files", as multipart/form-data; it returns the body and its
// content type.
func multipartBody(files []wpFile, fields ...url.Values) (*bytes.Buffer, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, set := range fields {
		for k, vs := range set {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile("files", f.name)
		fw.Write(f.data)
	}
	mw.Close()
	return &body, mw.FormDataContentType()
}

func wpWant(t *testing.T, r response, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.status, status, r.raw)
	}
	return r
}

// wpContains fails unless the page shows each text (HTML-escaped as shown).
func wpContains(t *testing.T, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.raw, s) {
			t.Fatalf("page lacks %q:\n%s", s, r.raw)
		}
	}
}

func wpLacks(t *testing.T, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.raw, s) {
			t.Fatalf("page shows %q:\n%s", s, r.raw)
		}
	}
}

// wpActor is a person's actor, for creating data through the store.
func wpActor(t *testing.T, f *fixture, who string) *beheer.Actor {
	t.Helper()
	u, err := f.st.User(context.Background(), f.ids[who])
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// wpAll lists every request, as the system sees them.
func wpAll(t *testing.T, st *store.Store) []*beheer.Request {
	t.Helper()
	page, err := st.Requests(context.Background(), store.System, store.Filter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// wpField is the error message shown beside a field, or "".
func wpField(r response, field string) string {
	m := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(field) + `-error">([^<]*)</p>`).FindStringSubmatch(r.raw)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func TestNewRequestForm(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		anna := wpLogin(t, f, requester)

		t.Run("the form explains each type and offers every area", func(t *testing.T) {
			r := wpWant(t, anna.get("/requests/new"), http.StatusOK)
			wpContains(t, r, `enctype="multipart/form-data"`, `name="csrf"`, `data-dropzone="files"`, `aria-live="polite"`,
				`hx-get="/requests/suggest"`, rpNL("new.type_help.change"), rpNL("new.area_unknown"), ">Financieel<",
				rpNL("type.incident"))
		})

		t.Run("an invalid field comes back with the values kept and nothing saved", func(t *testing.T) {
			r := wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"question"}, "title": {"  "},
				"description": {"Mijn *uitleg* <b>hier</b>"}, "area": {"hr"}}), http.StatusUnprocessableEntity)
			if got := wpField(r, "title"); got != rpText("field.required") {
				t.Fatalf("title error %q", got)
			}
			wpContains(t, r, `aria-invalid="true"`, `Mijn *uitleg* &lt;b&gt;hier&lt;/b&gt;</textarea>`,
				`value="question" required checked`, `<option value="hr" selected>`)
			if n := len(wpAll(t, st)); n != 0 {
				t.Fatalf("%d requests saved", n)
			}
		})

		t.Run("an HTML attachment is refused before anything is saved", func(t *testing.T) {
			r := wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"incident"}, "title": {"Loonstrook toont fout"},
				"description": {"Zie bijlage"}}, wpFile{"scherm.png", pngBytes}, wpFile{"pagina.html", []byte("<html><script>alert(1)</script></html>")}),
				http.StatusUnprocessableEntity)
			msg := wpField(r, "files")
			if !strings.Contains(msg, "pagina.html") || !strings.Contains(msg, rpText("upload.active_content")) {
				t.Fatalf("files error %q", msg)
			}
			wpContains(t, r, `value="Loonstrook toont fout"`, `value="incident" required checked`, rpNL("new.files_again"))
			if n := len(wpAll(t, st)); n != 0 {
				t.Fatalf("%d requests saved", n)
			}
		})

		t.Run("a valid request is filed with its attachment", func(t *testing.T) {
			r := wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"wish"}, "title": {"Verlof per uur aanvragen"},
				"description": {"Graag per uur."}, "area": {"hr"}}, wpFile{"voorbeeld.png", pngBytes}), http.StatusSeeOther)
			m := regexp.MustCompile(`^/requests/(\d+)\?ok=created$`).FindStringSubmatch(r.header.Get("Location"))
			if m == nil {
				t.Fatalf("redirect to %q", r.header.Get("Location"))
			}
			all := wpAll(t, st)
			if len(all) != 1 {
				t.Fatalf("%d requests", len(all))
			}
			req := all[0]
			if fmt.Sprint(req.ID) != m[1] || req.Title != "Verlof per uur aanvragen" || req.Type != beheer.TypeWish ||
				req.AreaID != f.areas["hr"] || req.RequesterID != f.ids[requester] {
				t.Fatalf("stored %+v", req)
			}
			atts, err := st.Attachments(context.Background(), store.System, req.ID)
			if err != nil || len(atts) != 1 || atts[0].Name != "voorbeeld.png" {
				t.Fatalf("attachments %+v %v", atts, err)
			}
		})

		t.Run("a process without an area places the request in the process's area", func(t *testing.T) {
			proc, err := st.CreateProcess(context.Background(), store.System, beheer.Process{AreaID: f.areas["financieel"], Name: "Declaraties"})
			if err != nil {
				t.Fatal(err)
			}
			r := wpWant(t, anna.get("/requests/new"), http.StatusOK)
			wpContains(t, r, `<optgroup label="Financieel">`, ">Declaraties<")
			// htmx asks for the process field of one area only.
			r = wpWant(t, anna.get("/requests/new?area=hr", "HX-Request", "true", "HX-Target", "process-field"), http.StatusOK)
			wpLacks(t, r, ">Declaraties<", "<html")
			wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"question"}, "title": {"Declaratie km-vergoeding"},
				"process": {itoa(proc.ID)}}), http.StatusSeeOther)
			// A process of another area than the one chosen is refused beside the field.
			r = wpWant(t, anna.postFiles("/requests/new", url.Values{"type": {"question"}, "title": {"Nog een vraag"},
				"area": {"hr"}, "process": {itoa(proc.ID)}}), http.StatusUnprocessableEntity)
			if got := wpField(r, "process"); got != rpText("field.unknown_process") {
				t.Fatalf("process error %q", got)
			}
			var found bool
			for _, req := range wpAll(t, st) {
				if req.Title == "Declaratie km-vergoeding" {
					found = req.AreaID == f.areas["financieel"] && req.ProcessID == proc.ID
				}
				if req.Title == "Nog een vraag" {
					t.Fatal("refused request was saved")
				}
			}
			if !found {
				t.Fatal("request with process not stored in the process's area")
			}
		})

		t.Run("without a CSRF token nothing is filed", func(t *testing.T) {
			before := len(wpAll(t, st))
			req, _ := http.NewRequest("POST", f.srv.URL+"/requests/new", strings.NewReader("type=question&title=Zonder+token"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			wpWant(t, anna.send(req), http.StatusForbidden)
			if len(wpAll(t, st)) != before {
				t.Fatal("request saved without CSRF token")
			}
		})
	})
}

// rpText is a message of the Dutch catalogue as plain text.
func rpText(key string, args ...any) string { return html.UnescapeString(rpNL(key, args...)) }

func TestSuggestions(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		mine, err := st.CreateRequest(ctx, wpActor(t, f, requester), beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: "Declaratie reiskosten wordt afgekeurd"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateRequest(ctx, wpActor(t, f, otherUser), beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: "Declaratie thuiswerkvergoeding geheim"}); err != nil {
			t.Fatal(err)
		}
		anna := wpLogin(t, f, requester)
		r := wpWant(t, anna.get("/requests/suggest?title=declaratie", "HX-Request", "true"), http.StatusOK)
		wpContains(t, r, "Declaratie reiskosten wordt afgekeurd", mine.Number, `href="/requests/`+itoa(mine.ID)+`"`, rpNL("new.exists"))
		wpLacks(t, r, "thuiswerkvergoeding", "<html")

		// The functional admin sees both.
		r = wpWant(t, wpLogin(t, f, functional).get("/requests/suggest?title=declaratie"), http.StatusOK)
		wpContains(t, r, "reiskosten", "thuiswerkvergoeding")

		// Too short a title suggests nothing.
		r = wpWant(t, anna.get("/requests/suggest?title=dec"), http.StatusOK)
		wpLacks(t, r, "reiskosten")
	})
}

// wpRows counts the rows of the queue's table.
func wpRows(r response) int { return strings.Count(r.raw, `<td class="nowrap"><a href="/requests/`) }

// wpNext is the queue's "next page" link, or "".
func wpNext(r response) string {
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(r.raw)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestQueuePage(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		anna := wpActor(t, f, requester)
		for i := range 30 {
			in := beheer.NewRequest{Type: beheer.TypeQuestion, Title: fmt.Sprintf("Vraag over verlof %02d", i), AreaID: f.areas["hr"]}
			if i%3 == 0 {
				in.AreaID, in.Type, in.Title = f.areas["financieel"], beheer.TypeIncident, fmt.Sprintf("Fout in declaratie %02d", i)
			}
			if _, err := st.CreateRequest(ctx, anna, in); err != nil {
				t.Fatal(err)
			}
		}
		fleur := wpLogin(t, f, functional)

		t.Run("a page of 25 and a keyset link to the next", func(t *testing.T) {
			r := wpWant(t, fleur.get("/queue?sort=oldest"), http.StatusOK)
			if n := wpRows(r); n != 25 {
				t.Fatalf("%d rows on the first page", n)
			}
			wpContains(t, r, "Fout in declaratie 00", `<option value="oldest" selected>`)
			wpLacks(t, r, "Vraag over verlof 29")
			next := wpNext(r)
			if !strings.Contains(next, "cursor=") || !strings.Contains(next, "sort=oldest") || strings.Contains(next, "offset") {
				t.Fatalf("next link %q", next)
			}
			r = wpWant(t, fleur.get(next), http.StatusOK)
			if n := wpRows(r); n != 5 {
				t.Fatalf("%d rows on the second page", n)
			}
			wpContains(t, r, "Vraag over verlof 29")
			wpLacks(t, r, "Fout in declaratie 00", `rel="next"`)
		})

		t.Run("the default order is shown as chosen", func(t *testing.T) {
			r := wpWant(t, fleur.get("/queue"), http.StatusOK)
			wpContains(t, r, `<option value="newest" selected>`)
		})

		t.Run("counts per phase link to the phase", func(t *testing.T) {
			r := wpWant(t, fleur.get("/queue"), http.StatusOK)
			wpContains(t, r, `href="/queue?phase=intake"><strong>30</strong>`)
			r = wpWant(t, fleur.get("/queue?area=financieel"), http.StatusOK)
			wpContains(t, r, `href="/queue?area=financieel&amp;phase=intake"><strong>10</strong>`)
		})

		t.Run("filters", func(t *testing.T) {
			for query, want := range map[string]int{
				"area=financieel":              10,
				"type=incident":                10,
				"type=question&area=hr":        20,
				"assignee=none&area=hr":        20,
				"assignee=me":                  0,
				"q=declaratie":                 10,
				"phase=intake&priority=normal": 25, // one page
				"phase=closed":                 0,
			} {
				r := wpWant(t, fleur.get("/queue?"+query), http.StatusOK)
				if n := wpRows(r); n != want {
					t.Errorf("%s: %d rows, want %d", query, n, want)
				}
			}
		})

		t.Run("htmx gets only the results", func(t *testing.T) {
			r := wpWant(t, fleur.get("/queue?area=financieel", "HX-Request", "true", "HX-Target", "queue-results"), http.StatusOK)
			wpContains(t, r, `id="queue-results"`)
			wpLacks(t, r, "<html", `id="queue-filters"`)
		})

		t.Run("who may see the queue", func(t *testing.T) {
			wpWant(t, wpLogin(t, f, requester).get("/queue"), http.StatusForbidden)
			wpWant(t, wpLogin(t, f, otherUser).get("/queue"), http.StatusForbidden)
			// A key user sees the queue of their own area only, without bulk assignment.
			r := wpWant(t, wpLogin(t, f, keyUserHR).get("/queue"), http.StatusOK)
			wpLacks(t, r, "Fout in declaratie", `id="bulk"`)
			// Management reads everything and assigns nothing.
			r = wpWant(t, wpLogin(t, f, management).get("/queue?area=financieel"), http.StatusOK)
			if n := wpRows(r); n != 10 {
				t.Fatalf("management sees %d", n)
			}
			wpLacks(t, r, `id="bulk"`)
			wpWant(t, wpLogin(t, f, technical).get("/queue"), http.StatusOK)
		})
	})
}

func TestQueueSavedViews(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		fleur := wpLogin(t, f, functional)
		tom := wpLogin(t, f, technical)

		r := wpWant(t, fleur.post("/queue/views", url.Values{"name": {"Financieel op prioriteit"},
			"query": {"area=financieel&sort=priority"}}), http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/queue?area=financieel&sort=priority" {
			t.Fatalf("redirect to %q", loc)
		}
		r = wpWant(t, fleur.get("/queue"), http.StatusOK)
		wpContains(t, r, `<a href="/queue?area=financieel&amp;sort=priority">Financieel op prioriteit</a>`)
		views, err := st.SavedViews(context.Background(), wpActor(t, f, functional))
		if err != nil || len(views) != 1 {
			t.Fatalf("views %+v %v", views, err)
		}
		// Another person neither sees nor deletes it.
		wpLacks(t, wpWant(t, tom.get("/queue"), http.StatusOK), "Financieel op prioriteit")
		wpWant(t, tom.post("/queue/views/"+itoa(views[0].ID)+"/delete", url.Values{}), http.StatusNotFound)
		// A view needs a name; the filter is kept.
		r = wpWant(t, fleur.post("/queue/views", url.Values{"name": {" "}, "query": {"type=incident"}}), http.StatusUnprocessableEntity)
		if got := wpField(r, "view-name"); got != rpText("field.required") {
			t.Fatalf("name error %q", got)
		}
		wpContains(t, r, `<option value="incident" selected>`)
		// Deleting it.
		wpWant(t, fleur.post("/queue/views/"+itoa(views[0].ID)+"/delete", url.Values{}), http.StatusSeeOther)
		wpLacks(t, wpWant(t, fleur.get("/queue"), http.StatusOK), "Financieel op prioriteit")
	})
}

func TestQueueBulkAssign(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		anna := wpActor(t, f, requester)
		var ids []int64
		for i := range 3 {
			r, err := st.CreateRequest(ctx, anna, beheer.NewRequest{Type: beheer.TypeQuestion,
				Title: fmt.Sprintf("Vraag %d", i), AreaID: f.areas["financieel"]})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		hr, err := st.CreateRequest(ctx, anna, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "HR-vraag", AreaID: f.areas["hr"]})
		if err != nil {
			t.Fatal(err)
		}
		// The third is withdrawn: it can no longer be assigned.
		if _, err := st.Transition(ctx, anna, ids[2], 0, beheer.Transition{To: beheer.PhaseWithdrawn}); err != nil {
			t.Fatal(err)
		}
		withdrawn := rpRequest(t, st, ids[2])

		fleur := wpLogin(t, f, functional)
		r := wpWant(t, fleur.post("/queue/assign", url.Values{"assignee": {itoa(f.ids[technical])},
			"id": {itoa(ids[0]), itoa(ids[1]), itoa(ids[2])}, "query": {"area=financieel"}}), http.StatusOK)
		wpContains(t, r, rpNL("queue.assigned", "count", 2), rpNL("queue.assign_failed_h"),
			withdrawn.Number+": "+rpNL("request.not_open"), `role="alert"`)
		for i, want := range []int64{f.ids[technical], f.ids[technical], 0} {
			if got := rpRequest(t, st, ids[i]).AssigneeID; got != want {
				t.Errorf("request %d assigned to %d, want %d", i, got, want)
			}
		}
		audit, err := st.Audit(ctx, store.System, ids[0])
		if err != nil || !strings.Contains(fmt.Sprint(audit), "assignee") {
			t.Fatalf("assignment not audited: %+v %v", audit, err)
		}

		// A functional admin of Financieel cannot assign HR work, and the
		// answer does not name a request they may not see.
		fin := wpLogin(t, f, functionalFin)
		r = wpWant(t, fin.post("/queue/assign", url.Values{"assignee": {itoa(f.ids[functionalFin])},
			"id": {itoa(hr.ID)}}), http.StatusOK)
		wpContains(t, r, rpNL("queue.assigned", "count", 0), "#"+itoa(hr.ID))
		wpLacks(t, r, hr.Number, "HR-vraag")
		if rpRequest(t, st, hr.ID).AssigneeID != 0 {
			t.Fatal("HR request assigned by a Financieel admin")
		}

		// Nothing selected, or nobody chosen, says so; the ticks are kept.
		r = wpWant(t, fleur.post("/queue/assign", url.Values{"assignee": {itoa(f.ids[technical])}}), http.StatusUnprocessableEntity)
		wpContains(t, r, rpNL("queue.assign_none"))
		r = wpWant(t, fleur.post("/queue/assign", url.Values{"assignee": {""}, "id": {itoa(hr.ID)}}), http.StatusUnprocessableEntity)
		wpContains(t, r, rpNL("queue.assign_choose_first"), `id="sel-`+itoa(hr.ID)+`" checked`)

		// Someone who cannot manage requests changes nothing.
		r = wpLogin(t, f, management).post("/queue/assign", url.Values{"assignee": {itoa(f.ids[technical])}, "id": {itoa(hr.ID)}})
		if r.status == http.StatusOK && !strings.Contains(r.raw, rpNL("queue.assigned", "count", 0)) {
			t.Fatalf("management assigned: %s", r.raw)
		}
		if rpRequest(t, st, hr.ID).AssigneeID != 0 {
			t.Fatal("management assigned a request")
		}
	})
}

func TestPeoplePage(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		fleur := wpLogin(t, f, functional)

		t.Run("only user managers see it", func(t *testing.T) {
			for _, who := range []string{requester, keyUserHR, functionalFin, technical, management} {
				for _, path := range []string{"/people", "/people/new", "/people/" + itoa(f.ids[requester])} {
					if r := wpLogin(t, f, who).get(path); r.status != http.StatusForbidden {
						t.Errorf("%s %s: %d", who, path, r.status)
					}
				}
			}
			r := wpWant(t, fleur.get("/people"), http.StatusOK)
			wpContains(t, r, "Persoon key_user_hr", rpNL("role.key_user")+" · HR", rpNL("people.active"), `href="/people/new"`)
			wpWant(t, fleur.get("/people/999999"), http.StatusNotFound)
		})

		t.Run("search narrows the list", func(t *testing.T) {
			r := wpWant(t, fleur.get("/people?q=KEY_USER"), http.StatusOK)
			wpContains(t, r, "Persoon key_user_hr", "Persoon key_user_fin")
			wpLacks(t, r, "Persoon requester")
			r = wpWant(t, fleur.get("/people?role=technical_admin"), http.StatusOK)
			wpContains(t, r, "Persoon technical")
			wpLacks(t, r, ">Persoon functional</a>")
		})

		t.Run("the person page shows the roles as a grid", func(t *testing.T) {
			r := wpWant(t, fleur.get("/people/"+itoa(f.ids[keyUserHR])), http.StatusOK)
			wpContains(t, r, `value="key_user:`+itoa(f.areas["hr"])+`" id="role-key_user-`+itoa(f.areas["hr"])+`" checked`,
				`action="/people/`+itoa(f.ids[keyUserHR])+`/roles"`, `action="/people/`+itoa(f.ids[keyUserHR])+`/deactivate"`,
				rpNL("people.grid_label", "role", rpText("role.technical_admin"), "area", "Financieel"))
			wpLacks(t, r, `value="management:`)
			// One's own page offers no switch-off.
			r = wpWant(t, fleur.get("/people/"+itoa(f.ids[functional])), http.StatusOK)
			wpLacks(t, r, `/deactivate"`)
		})

		t.Run("adding a person with roles", func(t *testing.T) {
			form := url.Values{"name": {"Nina Hendriks"}, "email": {"geen-adres"}, "lang": {"en"},
				"role": {"key_user:" + itoa(f.areas["hr"]), "technical_admin"}}
			r := wpWant(t, fleur.post("/people", form), http.StatusUnprocessableEntity)
			if wpField(r, "p-email") == "" {
				t.Fatalf("no e-mail error:\n%s", r.raw)
			}
			wpContains(t, r, `value="Nina Hendriks"`, `value="geen-adres"`, `<option value="en" selected>`)
			wpContains(t, r, `value="key_user:`+itoa(f.areas["hr"])+`" id="role-key_user-`+itoa(f.areas["hr"])+`" checked`,
				`value="technical_admin" id="role-technical_admin" checked`)
			wpLacks(t, r, `value="functional_admin" id="role-functional_admin" checked`)
			form.Set("email", "nina@voorbeeld.nl")
			r = wpWant(t, fleur.post("/people", form), http.StatusSeeOther)
			if loc := r.header.Get("Location"); loc != "/people?ok=added" {
				t.Fatalf("redirect %q", loc)
			}
			u, _, err := st.UserByEmail(ctx, "nina@voorbeeld.nl")
			if err != nil || u.Name != "Nina Hendriks" || u.Lang != "en" || len(u.Roles) != 2 {
				t.Fatalf("stored %+v %v", u, err)
			}
			wpContains(t, wpWant(t, fleur.get("/people?ok=added"), http.StatusOK), rpNL("people.ok_added"), "Nina Hendriks")

			// Roles per area: key user of Financieel instead, functional admin of HR.
			r = wpWant(t, fleur.post("/people/"+itoa(u.ID)+"/roles", url.Values{"role": {
				"key_user:" + itoa(f.areas["financieel"]), "functional_admin:" + itoa(f.areas["hr"])}}), http.StatusSeeOther)
			u, _, _ = st.UserByEmail(ctx, "nina@voorbeeld.nl")
			got := map[string]bool{}
			for _, a := range u.Roles {
				got[fmt.Sprintf("%s:%d", a.Role, a.AreaID)] = true
			}
			if len(got) != 2 || !got["key_user:"+itoa(f.areas["financieel"])] || !got["functional_admin:"+itoa(f.areas["hr"])] {
				t.Fatalf("roles %v", got)
			}
		})

		t.Run("switching an account off ends its sessions at once", func(t *testing.T) {
			bram := wpLogin(t, f, otherUser)
			wpWant(t, bram.get("/"), http.StatusOK)
			wpWant(t, fleur.post("/people/"+itoa(f.ids[otherUser])+"/deactivate", url.Values{}), http.StatusSeeOther)
			r := bram.get("/")
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
				t.Fatalf("deactivated person: %d %q", r.status, r.header.Get("Location"))
			}
			wpContains(t, wpWant(t, fleur.get("/people"), http.StatusOK), rpNL("people.inactive"))
			wpWant(t, fleur.post("/people/"+itoa(f.ids[otherUser])+"/activate", url.Values{}), http.StatusSeeOther)
			u, err := st.User(ctx, f.ids[otherUser])
			if err != nil || !u.Active {
				t.Fatalf("not active again: %+v %v", u, err)
			}
		})

		t.Run("nobody switches themselves off or drops their own admin role", func(t *testing.T) {
			r := wpWant(t, fleur.post("/people/"+itoa(f.ids[functional])+"/deactivate", url.Values{}), http.StatusConflict)
			wpContains(t, r, rpNL("people.not_yourself"), `class="flash error" role="alert"`, rpNL("people.list"))
			r = wpWant(t, fleur.post("/people/"+itoa(f.ids[functional])+"/roles", url.Values{"role": {"key_user"}}), http.StatusConflict)
			// The person page comes back with the boxes as ticked.
			wpContains(t, r, rpNL("people.keep_own_admin"), `value="key_user" id="role-key_user" checked`)
			wpLacks(t, r, `value="functional_admin" id="role-functional_admin" checked`)
			u, err := st.User(ctx, f.ids[functional])
			if err != nil || !u.Active || len(u.Roles) != 1 || u.Roles[0].Role != beheer.RoleFunctionalAdmin {
				t.Fatalf("changed: %+v %v", u, err)
			}
			// The page offers no button to do it.
			wpLacks(t, wpWant(t, fleur.get("/people"), http.StatusOK), `action="/people/`+itoa(f.ids[functional])+`/deactivate"`)
		})

		t.Run("a key user cannot change people", func(t *testing.T) {
			kees := wpLogin(t, f, keyUserHR)
			wpWant(t, kees.post("/people", url.Values{"name": {"X"}, "email": {"x@voorbeeld.nl"}}), http.StatusForbidden)
			wpWant(t, kees.post("/people/"+itoa(f.ids[requester])+"/deactivate", url.Values{}), http.StatusForbidden)
			wpWant(t, kees.post("/people/"+itoa(f.ids[requester])+"/roles", url.Values{"role": {"functional_admin"}}), http.StatusForbidden)
			u, _ := st.User(ctx, f.ids[requester])
			if !u.Active || len(u.Roles) != 0 {
				t.Fatalf("changed by a key user: %+v", u)
			}
		})
	})
}

func TestNewRequestFileLimits(t *testing.T) {
	storetest.Engines(t, storetest.Options{MaxAttachmentSize: 1024}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		anna := wpLogin(t, f, requester)
		form := url.Values{"type": {"question"}, "title": {"Te grote bijlage"}}
		// One file over the limit: named in the message, the form kept.
		r := wpWant(t, anna.postFiles("/requests/new", form, wpFile{"groot.txt", bytes.Repeat([]byte("a"), 2048)}),
			http.StatusUnprocessableEntity)
		if msg := wpField(r, "files"); !strings.HasPrefix(msg, "groot.txt: ") {
			t.Fatalf("files error %q", msg)
		}
		wpContains(t, r, `value="Te grote bijlage"`)
		// A plain form post beyond every limit cannot be read, not even its
		// CSRF token: the answer says the body was too large, not that the
		// form expired.
		r = wpWant(t, anna.postFiles("/requests/new", form, wpFile{"enorm.txt", bytes.Repeat([]byte("a"), 2<<20)}),
			http.StatusRequestEntityTooLarge)
		wpContains(t, r, template.HTMLEscapeString(rpText("error.too_large", "max", beheer.FormatBytes(4*1024+1<<20))))
		// With the token in the header, as htmx sends it, the form says why.
		anna.csrfHeader = true
		r = wpWant(t, anna.postFiles("/requests/new", form, wpFile{"enorm.txt", bytes.Repeat([]byte("a"), 2<<20)}),
			http.StatusRequestEntityTooLarge)
		if got, want := wpField(r, "files"), rpText("new.files_too_large", "max", beheer.FormatBytes(1024)); got != want {
			t.Fatalf("files error %q, want %q", got, want)
		}
		if n := len(wpAll(t, st)); n != 0 {
			t.Fatalf("%d requests saved", n)
		}
	})
}
