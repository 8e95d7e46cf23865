package server_test

import (
	"bytes"
	"context"
	"html/template"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beheer"
	"beheer/i18n"
	"beheer/store"
	"beheer/store/storetest"
)

// rpBrowser is a portal session for the request page.
type rpBrowser struct{ *portalBrowser }

func rpLogin(f *fixture, who string) *rpBrowser { return &rpBrowser{portalLogin(f, who)} }

// attach uploads a file through the page's attachment form.
func (b *rpBrowser) attach(id int64, name string, data []byte) response {
	b.f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.f.srv.URL+rpPath(id, "/attachments"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.send(req)
}

func rpPath(id int64, rest string) string { return "/requests/" + itoa(id) + rest }

func rpWant(t *testing.T, r response, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.status, status, r.raw)
	}
	return r
}

// rpRequest reads a request from the store as the system.
func rpRequest(t *testing.T, st *store.Store, id int64) *beheer.Request {
	t.Helper()
	r, _, err := st.Request(context.Background(), store.System, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rpNL is a message of the Dutch catalogue, HTML-escaped as the page shows it.
func rpNL(key string, args ...any) string {
	return template.HTMLEscapeString(i18n.MustLoad().T(i18n.NL, key, args...))
}

func TestRequestPage(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		t.Run("requester sees the request but never an internal note", func(t *testing.T) {
			id := f.file("question", "Declaratie blijft hangen", "hr")
			f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{
				"body": "Geheime afweging over de leverancier", "internal": true}), http.StatusCreated)
			f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{
				"body": "Wij kijken ernaar, dank voor uw melding."}), http.StatusCreated)

			page := rpWant(t, rpLogin(f, requester).get(rpPath(id, "")), http.StatusOK).raw
			for _, want := range []string{"Declaratie blijft hangen", "Wij kijken ernaar", `aria-current="step"`} {
				if !strings.Contains(page, want) {
					t.Errorf("requester page lacks %q", want)
				}
			}
			for _, leak := range []string{"Geheime afweging", `class="badge internal"`, "tl-comment internal", `name="internal"`} {
				if strings.Contains(page, leak) {
					t.Errorf("requester page shows %q", leak)
				}
			}
			admin := rpWant(t, rpLogin(f, functional).get(rpPath(id, "")), http.StatusOK).raw
			for _, want := range []string{"Geheime afweging", `class="badge internal"`, `name="internal"`} {
				if !strings.Contains(admin, want) {
					t.Errorf("functional admin page lacks %q", want)
				}
			}
		})

		t.Run("another user gets not found for the page and the file", func(t *testing.T) {
			id := f.file("question", "Loonstrook onjuist", "hr")
			att := rpWant(t, rpLogin(f, requester).attach(id, "notitie.txt", []byte("regel 1\nregel 2\n")), http.StatusSeeOther)
			if loc := att.header.Get("Location"); loc != rpPath(id, "?ok=attached#form-attach") {
				t.Fatalf("Location %q", loc)
			}
			files, err := st.Attachments(context.Background(), store.System, id)
			if err != nil || len(files) != 1 {
				t.Fatalf("attachments %v %v", files, err)
			}
			other := rpLogin(f, otherUser)
			page := rpWant(t, other.get(rpPath(id, "")), http.StatusNotFound)
			missing := rpWant(t, other.get(rpPath(999999, "")), http.StatusNotFound)
			if strings.Contains(page.raw, "Loonstrook") || !strings.Contains(page.raw, rpNL("error.not_found")) ||
				page.raw != missing.raw {
				t.Errorf("not found page differs from a missing request's:\n%s", page.raw)
			}
			number := rpRequest(t, st, id).Number
			rpWant(t, rpLogin(f, requester).get("/requests/"+number), http.StatusOK)
			rpWant(t, other.get("/requests/"+number), http.StatusNotFound)
			rpWant(t, other.get("/attachments/"+itoa(files[0].ID)), http.StatusNotFound)
			rpWant(t, other.get("/attachments/999999"), http.StatusNotFound)
		})

		t.Run("download is an attachment that is never sniffed", func(t *testing.T) {
			id := f.file("question", "Exportbestand", "hr")
			b := rpLogin(f, requester)
			rpWant(t, b.attach(id, "export.csv", []byte("naam;bedrag\nJan;12\n")), http.StatusSeeOther)
			files, _ := st.Attachments(context.Background(), store.System, id)
			page := rpWant(t, b.get(rpPath(id, "")), http.StatusOK).raw
			link := `href="/attachments/` + itoa(files[0].ID) + `"`
			if !strings.Contains(page, link) {
				t.Fatalf("page lacks %s", link)
			}
			got := rpWant(t, b.get("/attachments/"+itoa(files[0].ID)), http.StatusOK)
			if cd := got.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "export.csv") {
				t.Errorf("Content-Disposition %q", cd)
			}
			if got.header.Get("X-Content-Type-Options") != "nosniff" || got.raw != "naam;bedrag\nJan;12\n" {
				t.Errorf("headers %v body %q", got.header, got.raw)
			}
		})

		t.Run("triage form only for the functional admin", func(t *testing.T) {
			id := f.file("question", "Nieuwe kostenplaats", "financieel")
			admin := rpWant(t, rpLogin(f, functional).get(rpPath(id, "")), http.StatusOK).raw
			for _, want := range []string{`action="/requests/` + itoa(id) + `/edit"`, `id="edit-assignee"`, `id="edit-area"`,
				`name="version" value="1"`, `id="move-to-investigation"`} {
				if !strings.Contains(admin, want) {
					t.Errorf("functional admin page lacks %s", want)
				}
			}
			own := rpWant(t, rpLogin(f, requester).get(rpPath(id, "")), http.StatusOK).raw
			for _, absent := range []string{`id="edit-assignee"`, `id="edit-type"`, `id="move-to-investigation"`, "/escalations"} {
				if strings.Contains(own, absent) {
					t.Errorf("requester page shows %s", absent)
				}
			}
			if !strings.Contains(own, `id="edit-title"`) || !strings.Contains(own, `id="form-withdraw"`) {
				t.Errorf("requester in Aanvraag should edit title and withdraw")
			}
			mgmt := rpWant(t, rpLogin(f, management).get(rpPath(id, "")), http.StatusOK).raw
			if strings.Contains(mgmt, `<form method="post" action="/requests/`) {
				t.Errorf("management sees an action form")
			}
		})

		t.Run("stale edit answers 409, keeps the values and saves nothing", func(t *testing.T) {
			id := f.file("question", "Oude titel", "hr")
			b := rpLogin(f, functional)
			rpWant(t, b.get(rpPath(id, "")), http.StatusOK)
			// Someone else changes the request after the page was loaded.
			f.want(f.call(functional, "PATCH", path(id, ""), map[string]any{"priority": "urgent"}, "If-Match", `"v1"`), http.StatusOK)

			got := rpWant(t, b.post(rpPath(id, "/edit"), url.Values{"version": {"1"}, "title": {"Mijn nieuwe titel"},
				"description": {"Nieuwe omschrijving"}, "type": {"question"}, "area": {itoa(f.areas["hr"])},
				"priority": {"low"}, "assignee": {"0"}}), http.StatusConflict)
			for _, want := range []string{rpNL("error.precondition_failed"), `value="Mijn nieuwe titel"`, rpNL("req.edit.now_saved"),
				`name="version" value="2"`, `<details id="form-edit" open>`, rpNL("req.edit.differs")} {
				if !strings.Contains(got.raw, want) {
					t.Errorf("conflict page lacks %q", want)
				}
			}
			r := rpRequest(t, st, id)
			if r.Title != "Oude titel" || r.Priority != beheer.PriorityUrgent || r.Version != 2 {
				t.Errorf("request changed: %+v", r)
			}
			// Saving again, now based on the current version, works.
			rpWant(t, b.post(rpPath(id, "/edit"), url.Values{"version": {"2"}, "title": {"Mijn nieuwe titel"}}), http.StatusSeeOther)
			if r := rpRequest(t, st, id); r.Title != "Mijn nieuwe titel" || r.Priority != beheer.PriorityUrgent {
				t.Errorf("after save: %+v", r)
			}
		})

		t.Run("a post without csrf is refused and changes nothing", func(t *testing.T) {
			id := f.file("question", "Zonder token", "hr")
			b := rpLogin(f, functional)
			rpWant(t, b.postRaw(rpPath(id, "/edit"), url.Values{"version": {"1"}, "title": {"Gekaapt"}}), http.StatusForbidden)
			rpWant(t, b.postRaw(rpPath(id, "/comments"), url.Values{"body": {"Gekaapt"}, "csrf": {"onjuist"}}), http.StatusForbidden)
			if r := rpRequest(t, st, id); r.Title != "Zonder token" || r.Version != 1 {
				t.Errorf("request changed: %+v", r)
			}
			if cs, _ := st.Comments(context.Background(), store.System, id); len(cs) != 0 {
				t.Errorf("comments %v", cs)
			}
		})

		t.Run("escalating a question to Support names the right channel", func(t *testing.T) {
			id := f.file("question", "Hoe stel ik een workflow in?", "hr")
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
			b := rpLogin(f, functional)
			page := rpWant(t, b.get(rpPath(id, "")), http.StatusOK).raw
			if !strings.Contains(page, rpNL("req.escalate.rule_support")) {
				t.Errorf("escalation form does not explain the Support rule")
			}
			got := rpWant(t, b.post(rpPath(id, "/escalations"), url.Values{"channel": {"support"}, "reference": {"SUP-1"}}),
				http.StatusUnprocessableEntity)
			want := rpNL("escalation.support_incidents_only", "channel", "Service management")
			if !strings.Contains(got.raw, `id="escalate-channel-error">`+want) || !strings.Contains(got.raw, `value="SUP-1"`) {
				t.Errorf("no field error naming Service management:\n%s", got.raw)
			}
			if escs, _ := st.Escalations(context.Background(), store.System, id); len(escs) != 0 {
				t.Errorf("escalated anyway: %v", escs)
			}
			rpWant(t, b.post(rpPath(id, "/escalations"), url.Values{"channel": {"service_management"}, "reference": {"SM-7"}}),
				http.StatusSeeOther)
			if r := rpRequest(t, st, id); r.Status != beheer.StatusAwaitingChannel {
				t.Errorf("status %s", r.Status)
			}
		})

		t.Run("hostile description renders without script", func(t *testing.T) {
			created := f.want(f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question",
				"title": `<b>Titel</b>`, "description": "Hallo <script>alert(1)</script> en <img src=x onerror=alert(1)> [x](javascript:alert(1))"}),
				http.StatusCreated)
			id := created.num("id")
			for _, who := range []string{requester, functional} {
				page := rpWant(t, rpLogin(f, who).get(rpPath(id, "")), http.StatusOK).raw
				if strings.Contains(page, "<script>alert") || regexp.MustCompile(`<[a-zA-Z][^>]*\sonerror\s*=`).MatchString(page) ||
					strings.Contains(page, "<b>Titel</b>") || strings.Contains(page, `href="javascript:`) {
					t.Errorf("%s page renders hostile markup", who)
				}
			}
		})

		t.Run("success messages come from a fixed list", func(t *testing.T) {
			id := f.file("question", "Melding", "hr")
			b := rpLogin(f, requester)
			if page := b.get(rpPath(id, "?ok=commented")).raw; !strings.Contains(page, rpNL("req.ok.commented")) {
				t.Errorf("no success message")
			}
			if page := b.get(rpPath(id, "?ok=%3Cb%3Ehacked")).raw; strings.Contains(page, "hacked") {
				t.Errorf("arbitrary text echoed")
			}
		})
	})
}

func TestRequestPageActions(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()

		t.Run("comments and internal notes", func(t *testing.T) {
			id := f.file("question", "Reacties", "hr")
			own := rpLogin(f, requester)
			rpWant(t, own.post(rpPath(id, "/comments"), url.Values{"body": {"Nog een aanvulling"}}), http.StatusSeeOther)
			refused := rpWant(t, own.post(rpPath(id, "/comments"), url.Values{"body": {"Stiekem intern"}, "internal": {"1"}}),
				http.StatusForbidden)
			if !strings.Contains(refused.raw, rpNL("comment.internal_forbidden")) || !strings.Contains(refused.raw, "Stiekem intern") {
				t.Errorf("refusal lacks message or entered text")
			}
			rpWant(t, rpLogin(f, functional).post(rpPath(id, "/comments"), url.Values{"body": {"Interne afweging"}, "internal": {"1"}}),
				http.StatusSeeOther)
			cs, _ := st.Comments(ctx, store.System, id)
			if len(cs) != 2 || cs[0].Internal || !cs[1].Internal {
				t.Errorf("comments %+v", cs)
			}
			empty := rpWant(t, own.post(rpPath(id, "/comments"), url.Values{"body": {"  "}}), http.StatusUnprocessableEntity)
			if !strings.Contains(empty.raw, `id="comment-body-error"`) || !strings.Contains(empty.raw, `aria-invalid="true"`) {
				t.Errorf("no field error for an empty comment")
			}
		})

		t.Run("triage, move, and the timeline tells it", func(t *testing.T) {
			id := f.file("question", "Triage", "")
			b := rpLogin(f, functional)
			page := b.get(rpPath(id, "")).raw
			if !strings.Contains(page, rpNL("transition.needs_area")) || !strings.Contains(page, `id="move-to-investigation" name="to" value="investigation" disabled`) {
				t.Errorf("move without area is not shown as blocked with the reason")
			}
			rpWant(t, b.post(rpPath(id, "/edit"), url.Values{"version": {"1"}, "type": {"question"}, "area": {itoa(f.areas["hr"])},
				"priority": {"high"}, "assignee": {itoa(f.ids[technical])}, "title": {"Triage"}, "description": {"Omschrijving van Triage"}}),
				http.StatusSeeOther)
			r := rpRequest(t, st, id)
			if r.AreaID != f.areas["hr"] || r.Priority != beheer.PriorityHigh || r.AssigneeID != f.ids[technical] {
				t.Fatalf("triage not saved: %+v", r)
			}
			audit, _ := st.Audit(ctx, store.System, id)
			if len(audit) != 4 { // created, area, priority, assignee: an unchanged description is no change
				t.Errorf("audit %+v", audit)
			}
			rpWant(t, b.post(rpPath(id, "/transition"), url.Values{"version": {itoa(r.Version)}, "to": {"investigation"}, "form": {"move"}}),
				http.StatusSeeOther)
			page = b.get(rpPath(id, "")).raw
			for _, want := range []string{
				rpNL("req.tl.moved", "actor", "Persoon functional", "from", "Aanvraag", "to", "Onderzoek"),
				rpNL("req.tl.assigned", "actor", "Persoon functional", "name", "Persoon technical"),
				rpNL("req.tl.priority", "actor", "Persoon functional", "before", "Normaal", "after", "Hoog"),
				`<li class="current" aria-current="step"><span class="step-label">Onderzoek</span></li>`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			// The requester sees the same story, without the admin list of names.
			if own := rpLogin(f, requester).get(rpPath(id, "")).raw; !strings.Contains(own, rpNL("req.tl.moved", "actor", "Persoon functional", "from", "Aanvraag", "to", "Onderzoek")) {
				t.Errorf("requester timeline lacks the move")
			}
			stale := rpWant(t, b.post(rpPath(id, "/transition"), url.Values{"version": {"1"}, "to": {"execution"}, "form": {"move"}}), http.StatusConflict)
			if !strings.Contains(stale.raw, rpNL("error.precondition_failed")) {
				t.Errorf("stale move without message")
			}
		})

		t.Run("ask the requester, the requester answers", func(t *testing.T) {
			id := f.file("question", "Vraag terug", "hr")
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
			r := rpRequest(t, st, id)
			rpWant(t, rpLogin(f, functional).post(rpPath(id, "/ask"), url.Values{"version": {itoa(r.Version)}, "body": {"Om welke medewerker gaat het?"}}),
				http.StatusSeeOther)
			if r := rpRequest(t, st, id); r.Status != beheer.StatusAwaitingRequester {
				t.Fatalf("status %s", r.Status)
			}
			own := rpLogin(f, requester)
			if page := own.get(rpPath(id, "")).raw; !strings.Contains(page, "Om welke medewerker gaat het?") {
				t.Errorf("requester does not see the question")
			}
			rpWant(t, own.post(rpPath(id, "/comments"), url.Values{"body": {"Om Jan Jansen."}}), http.StatusSeeOther)
			if r := rpRequest(t, st, id); r.Status != beheer.StatusAwaitingAssignee {
				t.Errorf("status after the answer %s", r.Status)
			}
		})

		t.Run("change request: decision by the key user", func(t *testing.T) {
			id := f.file("change", "Extra akkoord bij verlof", "hr")
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
			f.want(f.call(functional, "POST", path(id, "/comments"), map[string]any{"body": "Bevinding: kan met een extra workflowstap.", "internal": true}), http.StatusCreated)
			admin := rpLogin(f, functional)
			page := admin.get(rpPath(id, "")).raw
			if !strings.Contains(page, rpNL("transition.needs_decision")) || !strings.Contains(page, `id="form-to-decision"`) {
				t.Errorf("admin page lacks the decision hint or the to-decision form")
			}
			r := rpRequest(t, st, id)
			rpWant(t, admin.post(rpPath(id, "/to-decision"), url.Values{"version": {itoa(r.Version)}}), http.StatusSeeOther)
			if fin := rpLogin(f, keyUserFin).get(rpPath(id, "")); fin.status != http.StatusNotFound {
				t.Errorf("key user of another area: %d", fin.status)
			}
			key := rpLogin(f, keyUserHR)
			page = key.get(rpPath(id, "")).raw
			if !strings.Contains(page, `<details id="form-decide" open>`) || !strings.Contains(page, "Bevinding: kan met een extra workflowstap.") {
				t.Errorf("key user lacks the open decision form with the investigation")
			}
			missing := rpWant(t, key.post(rpPath(id, "/decision"), url.Values{"outcome": {"approved"}}), http.StatusUnprocessableEntity)
			if !strings.Contains(missing.raw, `id="decide-motivation-error"`) {
				t.Errorf("no error for the missing motivation")
			}
			rpWant(t, key.post(rpPath(id, "/decision"), url.Values{"outcome": {"approved"}, "motivation": {"Past bij het verlofbeleid."}}),
				http.StatusSeeOther)
			if d, _ := st.Decision(ctx, store.System, id); d == nil || d.Outcome != beheer.DecisionApproved {
				t.Fatalf("decision %+v", d)
			}
			if page := rpLogin(f, requester).get(rpPath(id, "")).raw; !strings.Contains(page, "Past bij het verlofbeleid.") ||
				strings.Contains(page, "Bevinding") {
				t.Errorf("requester sees the decision but not the internal finding")
			}
		})

		t.Run("technical task and evaluation", func(t *testing.T) {
			id := f.file("wish", "Koppeling met het rooster", "hr")
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
			admin := rpLogin(f, functional)
			rpWant(t, admin.post(rpPath(id, "/tasks"), url.Values{"title": {"Connector controleren"},
				"description": {"Wachtwoord van de connector verlopen?"}, "assignee": {itoa(f.ids[technical])}}), http.StatusSeeOther)
			tasks, _ := st.Tasks(ctx, store.System, id)
			if len(tasks) != 1 {
				t.Fatalf("tasks %v", tasks)
			}
			if page := rpLogin(f, requester).get(rpPath(id, "")).raw; strings.Contains(page, "Wachtwoord van de connector") {
				t.Errorf("requester sees the task's work notes")
			}
			tech := rpLogin(f, technical)
			form := "/tasks/" + itoa(tasks[0].ID) + "/complete"
			if page := tech.get(rpPath(id, "")).raw; !strings.Contains(page, rpPath(id, form)) ||
				!strings.Contains(page, `<details id="form-task-`+itoa(tasks[0].ID)+`" open>`) {
				t.Errorf("technical admin lacks the complete form")
			}
			rpWant(t, tech.post(rpPath(id, form), url.Values{"outcome": {"Wachtwoord vernieuwd."}}), http.StatusSeeOther)
			other := f.file("question", "Andere", "hr")
			rpWant(t, tech.post(rpPath(other, form), url.Values{"outcome": {"x"}}), http.StatusNotFound)

			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "execution"}), http.StatusOK)
			page := admin.get(rpPath(id, "")).raw
			if !strings.Contains(page, `value="optimisation" required checked`) || !strings.Contains(page, rpNL("req.move.back", "phase", "Onderzoek")) ||
				strings.Contains(page, `value="investigation" required checked`) {
				t.Errorf("in Uitvoering the forward move should be the default and the way back marked")
			}
			f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": "optimisation"}), http.StatusOK)
			own := rpLogin(f, requester)
			page = own.get(rpPath(id, "")).raw
			if !strings.Contains(page, `<details id="form-evaluate" open>`) || !strings.Contains(page, `<legend>`+rpNL("req.evaluate.rating")+`</legend>`) {
				t.Errorf("requester lacks the open evaluation form")
			}
			rpWant(t, own.post(rpPath(id, "/evaluation"), url.Values{"rating": {"4"}, "note": {"Werkt goed."}}), http.StatusSeeOther)
			if r := rpRequest(t, st, id); r.Rating != 4 || r.Evaluation != "Werkt goed." {
				t.Errorf("evaluation %+v", r)
			}
		})

		t.Run("withdraw and reopen", func(t *testing.T) {
			id := f.file("question", "Intrekken", "hr")
			own := rpLogin(f, requester)
			rpWant(t, own.post(rpPath(id, "/transition"), url.Values{"version": {"1"}, "to": {"withdrawn"}, "form": {"withdraw"}}),
				http.StatusSeeOther)
			r := rpRequest(t, st, id)
			if r.Phase != beheer.PhaseWithdrawn {
				t.Fatalf("phase %s", r.Phase)
			}
			page := own.get(rpPath(id, "?ok=withdrawn")).raw
			if !strings.Contains(page, rpNL("req.ok.withdrawn")) || !strings.Contains(page, `aria-current="step"><span class="step-label">Ingetrokken</span>`) {
				t.Errorf("withdrawn page lacks message or stepper end")
			}
			if strings.Contains(page, `id="form-attach"`) || strings.Contains(page, `id="form-reopen"`) {
				t.Errorf("a withdrawn request accepts files or offers reopening")
			}

			done := f.file("question", "Heropenen", "hr")
			for _, to := range []string{"investigation", "execution", "optimisation", "closed"} {
				f.want(f.call(functional, "POST", path(done, "/transitions"), map[string]any{"to": to}), http.StatusOK)
			}
			page = own.get(rpPath(done, "")).raw
			if !strings.Contains(page, `id="form-reopen"`) || strings.Contains(page, `id="form-withdraw"`) {
				t.Errorf("closed request: reopen form missing or withdraw offered")
			}
			r = rpRequest(t, st, done)
			rpWant(t, own.post(rpPath(done, "/transition"), url.Values{"version": {itoa(r.Version)}, "to": {"investigation"},
				"form": {"reopen"}, "note": {"Het werkt toch niet."}}), http.StatusSeeOther)
			if r := rpRequest(t, st, done); r.Phase != beheer.PhaseInvestigation {
				t.Errorf("phase after reopen %s", r.Phase)
			}
		})
	})
}
