package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/i18n"
	"beheer/server"
	"beheer/store"
	"beheer/store/storetest"
)

// planYear is a year whose days lie in the future for a while, so the
// template's dates are valid whatever today is.
var planYear = time.Now().Year() + 1

func py(rest string) string { return fmt.Sprintf("/api/v1/plans/%d%s", planYear, rest) }

func TestPlanAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.want(f.call(keyUserHR, "POST", "/api/v1/plans", map[string]any{"year": planYear}), http.StatusForbidden)
		created := f.want(f.call(functional, "POST", "/api/v1/plans", map[string]any{"year": planYear}), http.StatusCreated)
		if acts, _ := created.body["activities"].([]any); len(acts) != len(beheer.PlanTemplate) {
			t.Fatalf("a new year from the template has %d activities: %s", len(acts), created.raw)
		}
		f.want(f.call(functional, "POST", "/api/v1/plans", map[string]any{"year": planYear}), http.StatusConflict)

		t.Run("bad input is refused with a clear message and nothing changes", func(t *testing.T) {
			res := f.want(f.call(management, "POST", py("/objectives"), map[string]any{"title": "Minder handwerk"}), http.StatusUnprocessableEntity)
			if fe := res.fieldErrors(); len(fe) != 1 || fe[0] != "target" || !strings.Contains(res.raw, "meetbaar") {
				t.Errorf("objective without target: %s", res.raw)
			}
			res = f.want(f.call(functional, "POST", py("/activities"), map[string]any{"title": "Te vroeg",
				"starts_on": fmt.Sprintf("%d-12-31", planYear-1)}), http.StatusUnprocessableEntity)
			if fe := res.fieldErrors(); len(fe) != 1 || fe[0] != "starts_on" || !strings.Contains(res.raw, "buiten") {
				t.Errorf("activity outside the year: %s", res.raw)
			}
			res = f.want(f.call(functional, "POST", "/api/v1/releases", map[string]any{"name": "Profit 7",
				"acceptance_on": fmt.Sprintf("%d-05-20", planYear), "production_on": fmt.Sprintf("%d-05-10", planYear),
				"notes_url": "javascript:alert(1)"}), http.StatusUnprocessableEntity)
			if fe := res.fieldErrors(); len(fe) != 2 || !strings.Contains(res.raw, "acceptatie") {
				t.Errorf("release with dates out of order: %s", res.raw)
			}
			plan := f.want(f.call(requester, "GET", py(""), nil), http.StatusOK)
			objs, _ := plan.body["objectives"].([]any)
			acts, _ := plan.body["activities"].([]any)
			if len(objs) != 0 || len(acts) != len(beheer.PlanTemplate) {
				t.Errorf("the plan changed: %d objectives, %d activities", len(objs), len(acts))
			}
			if list := f.want(f.call(functional, "GET", "/api/v1/releases", nil), http.StatusOK); len(list.items()) != 0 {
				t.Errorf("a release was saved: %s", list.raw)
			}
		})

		t.Run("progress changes when a linked request closes", func(t *testing.T) {
			o := f.want(f.call(management, "POST", py("/objectives"), map[string]any{"title": "Declaraties digitaal",
				"target": "90% via InSite", "owner_id": f.ids[functional]}), http.StatusCreated)
			oid := itoa(o.num("id"))
			id := f.file("question", "Hoe dien ik een declaratie in?", "hr")
			number := f.want(f.call(requester, "GET", path(id, ""), nil), http.StatusOK).str("number")
			f.want(f.call(keyUserHR, "POST", py("/objectives/"+oid+"/requests"), map[string]any{"request": number}), http.StatusForbidden)
			linked := f.want(f.call(functional, "POST", py("/objectives/"+oid+"/requests"), map[string]any{"request": number}), http.StatusOK)
			if p := linked.body["progress"].(map[string]any); p["requests_open"] != 1.0 || p["requests_done"] != 0.0 || p["percent"] != 0.0 {
				t.Fatalf("progress after linking: %v", p)
			}
			for _, to := range []string{"investigation", "execution", "optimisation", "closed"} {
				f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": to}), http.StatusOK)
			}
			plan := f.want(f.call(management, "GET", py(""), nil), http.StatusOK)
			obj := plan.body["objectives"].([]any)[0].(map[string]any)
			if p := obj["progress"].(map[string]any); p["requests_open"] != 0.0 || p["requests_done"] != 1.0 || p["percent"] != 100.0 {
				t.Fatalf("progress after closing: %v", p)
			}
			reqs := f.want(f.call(functional, "GET", py("/objectives/"+oid+"/requests"), nil), http.StatusOK)
			if len(reqs.items()) != 1 {
				t.Errorf("linked requests: %s", reqs.raw)
			}
			f.want(f.call(functional, "GET", fmt.Sprintf("/api/v1/plans/%d/objectives/%s/requests", planYear+1, oid), nil), http.StatusNotFound)
		})

		t.Run("management approves", func(t *testing.T) {
			f.want(f.call(functional, "POST", py("/approval"), nil), http.StatusForbidden)
			if f.want(f.call(management, "POST", py("/approval"), nil), http.StatusOK).str("status") != "approved" {
				t.Error("not approved")
			}
			f.want(f.call(management, "POST", py("/approval"), nil), http.StatusConflict)
		})

		t.Run("a checklist item signed off twice is refused", func(t *testing.T) {
			f.want(f.call(functional, "POST", "/api/v1/releases/checklist-template", map[string]any{"kind": "functional",
				"title": "Verlof aanvragen in InSite"}), http.StatusCreated)
			rel := f.want(f.call(functional, "POST", "/api/v1/releases", map[string]any{"name": "Profit 7",
				"notes_url": "https://help.afas.nl/release"}), http.StatusCreated)
			rid := itoa(rel.num("id"))
			checks := rel.body["checks"].([]any)
			cid := itoa(int64(checks[0].(map[string]any)["id"].(float64)))
			f.want(f.call(functional, "POST", "/api/v1/releases/"+rid+"/checks/"+cid+"/result", map[string]any{"result": "passed"}), http.StatusOK)
			res := f.want(f.call(functional, "POST", "/api/v1/releases/"+rid+"/checks/"+cid+"/result",
				map[string]any{"result": "failed", "note": "Toch niet"}), http.StatusConflict)
			if !strings.Contains(res.raw, "al afgetekend") {
				t.Errorf("message: %s", res.raw)
			}
			got := f.want(f.call(technical, "GET", "/api/v1/releases/"+rid, nil), http.StatusOK)
			if c := got.body["checks"].([]any)[0].(map[string]any); c["result"] != "passed" || c["note"] != "" {
				t.Errorf("the second result changed the item: %v", c)
			}
			f.want(f.call(technical, "POST", "/api/v1/releases/"+rid+"/signoffs", map[string]any{"kind": "functional"}), http.StatusForbidden)
			f.want(f.call(functional, "POST", "/api/v1/releases/"+rid+"/signoffs", map[string]any{"kind": "functional"}), http.StatusOK)
			f.want(f.call(functional, "POST", "/api/v1/releases/"+rid+"/signoffs", map[string]any{"kind": "functional"}), http.StatusConflict)
			finding := f.want(f.call(functional, "POST", "/api/v1/releases/"+rid+"/findings", map[string]any{"title": "Scherm blijft hangen",
				"area": "hr", "check_id": checks[0].(map[string]any)["id"]}), http.StatusCreated)
			if finding.str("type") != "incident" {
				t.Errorf("finding: %s", finding.raw)
			}
			f.want(f.call(requester, "GET", "/api/v1/releases/"+rid, nil), http.StatusForbidden)

			// At the end a news item: after both sign-offs, written from the
			// release page, and recorded as its announcement.
			news := map[string]any{"title": "Profit 7 staat in productie", "body": "Vanaf maandag."}
			f.want(f.call(functional, "POST", "/api/v1/releases/"+rid+"/news", news), http.StatusConflict)
			admin := planLogin(f, functional)
			if page := admin.get("/releases/" + rid); strings.Contains(page.raw, `id="release-news-form"`) {
				t.Error("the news form shows before the technical sign-off")
			}
			f.want(f.call(technical, "POST", "/api/v1/releases/"+rid+"/signoffs", map[string]any{"kind": "technical"}), http.StatusOK)
			admin.page(admin.get("/releases/"+rid), http.StatusOK, `id="release-news-form"`, "Profit 7 staat in productie", "https://help.afas.nl/release")
			admin.page(admin.post("/releases/"+rid+"/news", url.Values{"title": {""}, "body": {"Tekst blijft staan"}}), http.StatusUnprocessableEntity,
				`id="release-news-title-error"`, "Tekst blijft staan")
			res = admin.post("/releases/"+rid+"/news", url.Values{"title": {"Profit 7 staat in productie"}, "body": {"Vanaf maandag."}})
			where := res.header.Get("Location")
			if res.status != http.StatusSeeOther || !strings.HasPrefix(where, "/news/") {
				t.Fatalf("news from the release: %d %q %.500s", res.status, where, res.raw)
			}
			if got := f.want(f.call(functional, "GET", "/api/v1/releases/"+rid, nil), http.StatusOK); got.str("announcement_url") != where {
				t.Errorf("announcement %q, want %q", got.str("announcement_url"), where)
			}
			planLogin(f, requester).page(planLogin(f, requester).get(where), http.StatusOK, "Profit 7 staat in productie")
		})

		t.Run("profile", func(t *testing.T) {
			f.want(f.call(keyUserHR, "POST", "/api/v1/profile/contacts", map[string]any{"channel": "support", "name": "X"}), http.StatusForbidden)
			f.want(f.call(functional, "POST", "/api/v1/profile/contacts", map[string]any{"channel": "support", "name": "Fleur de Vries",
				"organisation": "Eigen organisatie", "may_submit_support_incidents": true}), http.StatusCreated)
			prof := f.want(f.call(requester, "GET", "/api/v1/profile", nil), http.StatusOK)
			if !strings.Contains(prof.raw, "Fleur de Vries") || !strings.Contains(prof.raw, "Persoon "+keyUserHR) {
				t.Errorf("profile: %.500s", prof.raw)
			}
		})
	})
}

// icalEvent is one VEVENT's properties, by name (parameters dropped).
type icalEvent map[string]string

// parseICal checks an iCalendar document the strict way a calendar program
// reads it (RFC 5545): CRLF line ends, lines of at most 75 octets folded
// with a leading space, BEGIN/END properly nested, and UID, DTSTAMP and
// DTSTART in every event. It returns the events.
func parseICal(t *testing.T, doc string) []icalEvent {
	t.Helper()
	if !strings.HasSuffix(doc, "\r\n") || strings.Contains(strings.ReplaceAll(doc, "\r\n", ""), "\n") {
		t.Fatal("lines do not all end in CRLF")
	}
	var lines []string
	for _, raw := range strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n") {
		if len(raw) > 75 {
			t.Errorf("line of %d octets: %q", len(raw), raw)
		}
		if strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\t") {
			if len(lines) == 0 {
				t.Fatal("continuation without a line")
			}
			lines[len(lines)-1] += raw[1:]
			continue
		}
		lines = append(lines, raw)
	}
	var stack []string
	var events []icalEvent
	var cur icalEvent
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("no colon in %q", l)
		}
		name, _, _ = strings.Cut(name, ";")
		switch name {
		case "BEGIN":
			stack = append(stack, value)
			if value == "VEVENT" {
				cur = icalEvent{}
			}
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				t.Fatalf("END:%s does not close %v", value, stack)
			}
			stack = stack[:len(stack)-1]
			if value == "VEVENT" {
				for _, req := range []string{"UID", "DTSTAMP", "DTSTART"} {
					if cur[req] == "" {
						t.Errorf("event without %s: %v", req, cur)
					}
				}
				events = append(events, cur)
				cur = nil
			}
		default:
			if cur != nil {
				cur[name] = value
			}
		}
	}
	if len(stack) != 0 || len(lines) == 0 || lines[0] != "BEGIN:VCALENDAR" {
		t.Fatalf("unbalanced calendar: %v", stack)
	}
	return events
}

func TestPlanFeed(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		srv := server.New(st, i18n.MustLoad(), slog.New(slog.NewTextHandler(io.Discard, nil)), server.Config{})
		feedSrv := httptest.NewServer(srv)
		t.Cleanup(feedSrv.Close)
		get := func(path string) (int, string, string) {
			res, err := http.Get(feedSrv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, res.Header.Get("Content-Type"), string(b)
		}

		f.want(f.call(functional, "POST", "/api/v1/plans", map[string]any{"year": planYear}), http.StatusCreated)
		f.want(f.call(functional, "POST", py("/activities"), map[string]any{"title": "Workshop; declaraties, nieuw",
			"kind": "training", "starts_on": fmt.Sprintf("%d-04-01", planYear),
			"description": strings.Repeat("Een lange omschrijving met één accent. ", 6)}), http.StatusCreated)
		f.want(f.call(management, "POST", py("/feed"), nil), http.StatusForbidden)
		feed := f.want(f.call(functional, "POST", py("/feed"), nil), http.StatusCreated)
		u, err := url.Parse(feed.str("url"))
		if err != nil || u.Query().Get("token") != feed.str("token") {
			t.Fatalf("feed url %q", feed.str("url"))
		}

		status, ctype, body := get(u.RequestURI())
		if status != http.StatusOK || !strings.HasPrefix(ctype, "text/calendar") {
			t.Fatalf("feed: %d %s %.300s", status, ctype, body)
		}
		events := parseICal(t, body)
		if len(events) != len(beheer.PlanTemplate)+1 {
			t.Fatalf("%d events, want %d", len(events), len(beheer.PlanTemplate)+1)
		}
		var workshop, consultancy icalEvent
		for _, e := range events {
			switch {
			case e["SUMMARY"] == `Workshop\; declaraties\, nieuw`:
				workshop = e
			case strings.HasPrefix(e["SUMMARY"], "Consultancydag"):
				consultancy = e
			}
		}
		if workshop == nil || workshop["DTSTART"] != fmt.Sprintf("%d0401", planYear) || workshop["RRULE"] != "" {
			t.Errorf("the one-off activity: %v", workshop)
		}
		if consultancy == nil || !strings.HasPrefix(consultancy["RRULE"], "FREQ=MONTHLY;BYDAY=2TU;UNTIL=") {
			t.Errorf("the monthly consultancy day: %v", consultancy)
		}

		t.Run("a revoked token stops working", func(t *testing.T) {
			if s, _, _ := get(fmt.Sprintf("/plan/%d/feed.ics?token=wrong", planYear)); s != http.StatusNotFound {
				t.Errorf("a wrong token: %d", s)
			}
			f.want(f.call(functional, "DELETE", py("/feed"), nil), http.StatusNoContent)
			if s, _, _ := get(u.RequestURI()); s != http.StatusNotFound {
				t.Errorf("a revoked token: %d", s)
			}
			plan := f.want(f.call(requester, "GET", py(""), nil), http.StatusOK)
			if plan.body["plan"].(map[string]any)["feed_active"] != false {
				t.Error("the plan still shows an active feed")
			}
		})
	})
}

func TestProfileDocx(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.want(f.call(functional, "POST", "/api/v1/profile/contacts", map[string]any{"channel": "consultancy",
			"name": "Karin & Co <consultant>", "organisation": "AFAS"}), http.StatusCreated)
		b := planLogin(f, requester)
		res := b.get("/profile/beheerorganisatie.docx")
		if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx: %d %s", res.status, res.header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(res.raw)), int64(len(res.raw)))
		if err != nil {
			t.Fatalf("the document is no zip package: %v", err)
		}
		parts := map[string]string{}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			parts[zf.Name] = string(data)
		}
		for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
			if parts[name] == "" {
				t.Fatalf("part %s is missing", name)
			}
			if err := xml.Unmarshal([]byte(parts[name]), new(struct{})); err != nil {
				t.Errorf("%s is not well-formed XML: %v", name, err)
			}
		}
		// Read the paragraphs' text the way a word processor does.
		var doc struct {
			Paras []struct {
				Style struct {
					Val string `xml:"val,attr"`
				} `xml:"pPr>pStyle"`
				Texts []string `xml:"r>t"`
			} `xml:"body>p"`
			Tables []struct {
				Rows []struct {
					Cells []struct {
						Texts []string `xml:"p>r>t"`
					} `xml:"tc"`
				} `xml:"tr"`
			} `xml:"body>tbl"`
		}
		if err := xml.Unmarshal([]byte(parts["word/document.xml"]), &doc); err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		headings := 0
		for _, p := range doc.Paras {
			if strings.HasPrefix(p.Style.Val, "Heading") {
				headings++
			}
			text.WriteString(strings.Join(p.Texts, "") + "\n")
		}
		for _, tb := range doc.Tables {
			for _, r := range tb.Rows {
				for _, c := range r.Cells {
					text.WriteString(strings.Join(c.Texts, "") + "\t")
				}
				text.WriteString("\n")
			}
		}
		all := text.String()
		for _, who := range []string{keyUserHR, keyUserFin, functional, functionalFin, technical, management} {
			if !strings.Contains(all, "Persoon "+who) {
				t.Errorf("the document does not name %s", who)
			}
		}
		for _, want := range []string{"Directie", "Functioneel beheerder", "Karin & Co <consultant>", "Support ondersteunt niet"} {
			if !strings.Contains(all, want) {
				t.Errorf("the document lacks %q", want)
			}
		}
		if headings < 8 {
			t.Errorf("only %d headings", headings)
		}
	})
}

// planBrowser is a portal session for the plan, release and profile pages.
type planBrowser struct{ *portalBrowser }

func planLogin(f *fixture, who string) *planBrowser { return &planBrowser{portalLogin(f, who)} }

// page fails unless the answer has the status, every text, and no
// untranslated key of this area.
func (b *planBrowser) page(r response, status int, texts ...string) response {
	b.f.t.Helper()
	if r.status != status {
		b.f.t.Fatalf("status %d, want %d; body %.3000s", r.status, status, r.raw)
	}
	for _, s := range texts {
		if !strings.Contains(r.raw, s) {
			b.f.t.Errorf("page lacks %q", s)
		}
	}
	for _, prefix := range []string{">plan.", ">release.", ">profile.", "[plan.", "[release.", "[profile."} {
		if i := strings.Index(r.raw, prefix); i >= 0 {
			b.f.t.Errorf("page shows an untranslated key near %q", r.raw[i:min(len(r.raw), i+60)])
		}
	}
	return r
}

func TestPlanPortal(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, boss, key, user := planLogin(f, functional), planLogin(f, management), planLogin(f, keyUserHR), planLogin(f, requester)
		y := fmt.Sprint(planYear)

		user.page(user.get("/plan"), http.StatusOK, "Jaarplanner beheer", "Er is nog geen jaarplanner")
		if strings.Contains(user.get("/plan").raw, `id="plan-new-form"`) {
			t.Error("a user is offered the new-year form")
		}
		res := admin.post("/plan", url.Values{"year": {y}, "template": {"1"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/plan/"+y {
			t.Fatalf("create: %d %s", res.status, res.header.Get("Location"))
		}
		admin.page(admin.post("/plan", url.Values{"year": {y}}), http.StatusConflict, "Er is al een jaarplanner")

		page := user.page(user.get("/plan/"+y), http.StatusOK, "Jaarplanner "+y, "Consultancydag AFAS", `id="months"`, "Concept")
		for _, form := range []string{`id="objective-form"`, `id="activity-form"`, `id="input-form"`, `id="approve-form"`} {
			if strings.Contains(page.raw, form) {
				t.Errorf("a user sees %s", form)
			}
		}
		user.page(user.get("/plan/"+y+"?view=list"), http.StatusOK, `id="plan-list"`, "Elke maand op de tweede dinsdag")

		// An objective without a target comes back with the message beside the field.
		res = boss.page(boss.post("/plan/"+y+"/objectives", url.Values{"title": {"Minder handwerk"}}), http.StatusUnprocessableEntity,
			`id="objective-target-error"`, "Maak de doelstelling meetbaar", `value="Minder handwerk"`)
		res = boss.post("/plan/"+y+"/objectives", url.Values{"title": {"Minder handwerk"}, "target": {"50% minder handmatige boekingen"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("objective: %d %.500s", res.status, res.raw)
		}
		// An activity outside the year.
		admin.page(admin.post("/plan/"+y+"/activities", url.Values{"title": {"Te laat"}, "starts_on": {fmt.Sprintf("%d-01-05", planYear+1)}}),
			http.StatusUnprocessableEntity, `id="activity-starts-error"`, "buiten "+y)
		if res := admin.post("/plan/"+y+"/activities", url.Values{"title": {"Workshop"}, "kind": {"training"}, "starts_on": {y + "-04-01"}}); res.status != http.StatusSeeOther {
			t.Fatalf("activity: %d %.800s", res.status, res.raw)
		}
		key.page(key.post("/plan/"+y+"/inputs", url.Values{"title": {"Verlof via app"}, "area": {"hr"}, "priority": {"high"}}), http.StatusSeeOther)
		page = admin.page(admin.get("/plan/"+y), http.StatusOK, "Minder handwerk", "Verlof via app", "Aanvraag van maken", `id="objective-1"`)

		boss.page(boss.post("/plan/"+y+"/approve", url.Values{}), http.StatusSeeOther)
		boss.page(boss.get("/plan/"+y+"?done=approved"), http.StatusOK, "Goedgekeurd door de directie", "De jaarplanner is goedgekeurd.")

		// Linking a request to the objective, by its number.
		id := f.file("question", "Boekingen automatiseren", "financieel")
		number := f.want(f.call(requester, "GET", path(id, ""), nil), http.StatusOK).str("number")
		admin.page(admin.post("/plan/"+y+"/objectives/1/requests", url.Values{"request": {"2099-9999"}}), http.StatusUnprocessableEntity,
			`id="link-request-error"`)
		admin.page(admin.post("/plan/"+y+"/objectives/1/requests", url.Values{"request": {number}}), http.StatusSeeOther)
		admin.page(admin.get("/plan/"+y+"/objectives/1"), http.StatusOK, number, "0 van 1 afgerond", `id="progress-1"`)

		// The feed link is shown once.
		feed := admin.page(admin.post("/plan/"+y+"/feed", url.Values{}), http.StatusOK, `id="feed-url"`, "/feed.ics?token=")
		if !strings.Contains(feed.raw, "/plan/"+y+"/feed.ics") {
			t.Error("no feed address")
		}
		admin.page(admin.get("/plan/"+y), http.StatusOK, "Er is een link actief")

		// A consultancy day's page shows its agenda to functional admins.
		plan := f.want(f.call(functional, "GET", py(""), nil), http.StatusOK)
		var dayID int64
		for _, a := range plan.body["activities"].([]any) {
			if m := a.(map[string]any); m["kind"] == "consultancy_day" {
				dayID = int64(m["id"].(float64))
			}
		}
		admin.page(admin.get(fmt.Sprintf("/plan/%s/activities/%d", y, dayID)), http.StatusOK, `id="agenda"`, "Agenda consultancydag")
		if strings.Contains(user.get(fmt.Sprintf("/plan/%s/activities/%d", y, dayID)).raw, `id="agenda"`) {
			t.Error("a user sees the agenda")
		}

		// Releases and the profile render for their readers.
		admin.page(admin.get("/releases"), http.StatusOK, "Releases en acceptatietests", `id="release-form"`)
		admin.page(admin.post("/releases", url.Values{"name": {"Profit 7"}, "acceptance_on": {y + "-05-20"}, "production_on": {y + "-05-10"}}),
			http.StatusUnprocessableEntity, `id="release-production-error"`, "vóór de datum op acceptatie")
		res = admin.post("/releases", url.Values{"name": {"Profit 7"}, "acceptance_on": {y + "-05-04"}, "production_on": {y + "-05-18"}, "template": {"1"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("release: %d %.800s", res.status, res.raw)
		}
		admin.page(admin.get(res.header.Get("Location")), http.StatusOK, "Profit 7", "Functionele test", "Technische test", "Aftekenen")
		user.page(user.get("/releases"), http.StatusForbidden)
		user.page(user.get("/profile"), http.StatusOK, "Beheerorganisatie", "Persoon "+keyUserHR, "Support ondersteunt niet")
		admin.page(admin.post("/profile/contacts", url.Values{"channel": {"support"}, "name": {"Fleur"}, "email": {"geen"}}),
			http.StatusUnprocessableEntity, `id="contact-email-error"`)
		admin.page(admin.post("/profile/contacts", url.Values{"channel": {"support"}, "name": {"Fleur"}, "may_submit": {"1"}}), http.StatusSeeOther)
		user.page(user.get("/profile/print"), http.StatusOK, "<!doctype html>", "Fleur", "Persoon "+management)
	})
}

// TestDashboardObjectives: management's dashboard shows this year's
// objectives with the progress of their linked work, and says so when
// there is no plan or no objective yet.
func TestDashboardObjectives(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		boss := planLogin(f, management)
		year := time.Now().Year()
		y := fmt.Sprint(year)
		boss.page(boss.get("/dashboard"), http.StatusOK, "Er is nog geen jaarplanner voor "+y, `href="/plan"`)

		f.want(f.call(functional, "POST", "/api/v1/plans", map[string]any{"year": year}), http.StatusCreated)
		boss.page(boss.get("/dashboard"), http.StatusOK, "De jaarplanner "+y+" bevat nog geen doelstellingen", `href="/plan/`+y+`"`)

		o := f.want(f.call(management, "POST", "/api/v1/plans/"+y+"/objectives", map[string]any{"title": "Declaraties digitaal",
			"target": "90% via InSite", "owner_id": f.ids[functional]}), http.StatusCreated)
		oid := itoa(o.num("id"))
		for _, title := range []string{"Declaratie via InSite", "Declaratie-app"} {
			id := f.file("question", title, "hr")
			number := f.want(f.call(requester, "GET", path(id, ""), nil), http.StatusOK).str("number")
			f.want(f.call(functional, "POST", "/api/v1/plans/"+y+"/objectives/"+oid+"/requests", map[string]any{"request": number}), http.StatusOK)
			if title == "Declaratie-app" {
				continue
			}
			for _, to := range []string{"investigation", "execution", "optimisation", "closed"} {
				f.want(f.call(functional, "POST", path(id, "/transitions"), map[string]any{"to": to}), http.StatusOK)
			}
		}
		boss.page(boss.get("/dashboard"), http.StatusOK, `href="/plan/`+y+`/objectives/`+oid+`"`, "Declaraties digitaal",
			"1 van 2 afgerond", `id="progress-`+oid+`"`)
	})
}
