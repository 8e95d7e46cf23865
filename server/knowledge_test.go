package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"beheer/store"
	"beheer/store/storetest"
)

// kbBrowser is a portal session for the knowledge base and news pages.
type kbBrowser struct{ *portalBrowser }

func kbLogin(f *fixture, who string) *kbBrowser { return &kbBrowser{portalLogin(f, who)} }

// page fails the test unless the answer has the status and every text.
func (b *kbBrowser) page(r response, status int, texts ...string) response {
	b.f.t.Helper()
	if r.status != status {
		b.f.t.Fatalf("status %d, want %d; body %.2000s", r.status, status, r.raw)
	}
	for _, s := range texts {
		if !strings.Contains(r.raw, s) {
			b.f.t.Errorf("page lacks %q; body %.3000s", s, r.raw)
		}
	}
	if m := untranslated.FindString(r.raw); m != "" {
		b.f.t.Errorf("page shows the untranslated key %q", m)
	}
	return r
}

// untranslated finds a catalogue key of this area shown as text.
var untranslated = regexp.MustCompile(`>[^<]*\b(news|kb)\.[a-z_]+\.?[a-z_]*[^<]*<`)

func amsterdam(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var idInLocation = regexp.MustCompile(`/(\d+)`)

func locationID(t *testing.T, r response) string {
	t.Helper()
	m := idInLocation.FindStringSubmatch(r.header.Get("Location"))
	if m == nil {
		t.Fatalf("no id in Location %q", r.header.Get("Location"))
	}
	return m[1]
}

func TestKnowledgeAPI(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)

		t.Run("a search in Dutch finds the plural", func(t *testing.T) {
			f.want(f.call(functional, "POST", "/api/v1/articles", map[string]any{"title": "Declaratie indienen",
				"body": "Zo dient u een declaratie in.", "area": "hr", "tags": []string{"onkosten"}, "status": "published"}), http.StatusCreated)
			res := f.want(f.call(requester, "GET", "/api/v1/articles?q=declaraties", nil), http.StatusOK)
			if items := res.items(); len(items) != 1 || items[0]["title"] != "Declaratie indienen" {
				t.Errorf("search found %v", res.raw)
			}
		})

		t.Run("a draft shown to users is refused", func(t *testing.T) {
			draft := f.want(f.call(functional, "POST", "/api/v1/articles", map[string]any{"title": "Concept over declaraties",
				"body": "Nog niet af."}), http.StatusCreated)
			if draft.str("status") != "draft" {
				t.Fatalf("status %q, want draft", draft.str("status"))
			}
			id := itoa(draft.num("id"))
			f.want(f.call(requester, "GET", "/api/v1/articles/"+id, nil), http.StatusNotFound)
			f.want(f.call(requester, "POST", "/api/v1/articles/"+id+"/feedback", map[string]any{"helpful": true}), http.StatusNotFound)
			list := f.want(f.call(requester, "GET", "/api/v1/articles?q=declaraties&drafts=true", nil), http.StatusOK)
			if len(list.items()) != 1 {
				t.Errorf("a user asking for drafts gets %s", list.raw)
			}
			f.want(f.call(requester, "POST", "/api/v1/articles", map[string]any{"title": "Van mij"}), http.StatusForbidden)
			f.want(f.call(keyUserHR, "PUT", "/api/v1/articles/"+id, map[string]any{"title": "Van mij"}, "If-Match", `"v1"`), http.StatusForbidden)
		})

		t.Run("revisions are kept and a stale edit is refused", func(t *testing.T) {
			a := f.want(f.call(functional, "POST", "/api/v1/articles", map[string]any{"title": "Wachtwoord", "body": "v1"}), http.StatusCreated)
			id := itoa(a.num("id"))
			f.want(f.call(functional, "PUT", "/api/v1/articles/"+id, map[string]any{"title": "Wachtwoord", "body": "v2"}), http.StatusPreconditionRequired)
			b := f.want(f.call(functional, "PUT", "/api/v1/articles/"+id, map[string]any{"title": "Wachtwoord wijzigen", "body": "v2",
				"status": "published"}, "If-Match", a.header.Get("ETag")), http.StatusOK)
			if b.num("version") != 2 || b.header.Get("ETag") != `"v2"` {
				t.Errorf("after the edit: %s, ETag %s", b.raw, b.header.Get("ETag"))
			}
			stale := f.want(f.call(functionalFin, "PUT", "/api/v1/articles/"+id, map[string]any{"title": "Oud", "body": "x"},
				"If-Match", a.header.Get("ETag")), http.StatusPreconditionFailed)
			if !strings.Contains(stale.str("detail"), "intussen gewijzigd") {
				t.Errorf("stale message %q", stale.str("detail"))
			}
			revs := f.want(f.call(functional, "GET", "/api/v1/articles/"+id+"/revisions", nil), http.StatusOK).items()
			if len(revs) != 2 || revs[0]["body"] != "v2" || revs[1]["body"] != "v1" {
				t.Errorf("revisions %v", revs)
			}
			f.want(f.call(requester, "GET", "/api/v1/articles/"+id+"/revisions", nil), http.StatusForbidden)
		})

		t.Run("feedback is one vote per person", func(t *testing.T) {
			a := f.want(f.call(functional, "POST", "/api/v1/articles", map[string]any{"title": "Verlof", "body": "Zo.",
				"status": "published"}), http.StatusCreated)
			id := itoa(a.num("id"))
			f.want(f.call(requester, "POST", "/api/v1/articles/"+id+"/feedback", map[string]any{"helpful": true}), http.StatusOK)
			last := f.want(f.call(requester, "POST", "/api/v1/articles/"+id+"/feedback", map[string]any{"helpful": false}), http.StatusOK)
			if last.num("helpful") != 0 || last.num("not_helpful") != 1 || last.body["my_vote"] != false {
				t.Errorf("after changing the vote: %s", last.raw)
			}
			other := f.want(f.call(otherUser, "POST", "/api/v1/articles/"+id+"/feedback", map[string]any{"helpful": true}), http.StatusOK)
			if other.num("helpful") != 1 || other.num("not_helpful") != 1 {
				t.Errorf("after a second person: %s", other.raw)
			}
			f.want(f.call(requester, "POST", "/api/v1/articles/"+id+"/feedback", map[string]any{}), http.StatusUnprocessableEntity)
		})

		t.Run("expiry before publish is refused and nothing changes", func(t *testing.T) {
			res := f.want(f.call(functional, "POST", "/api/v1/news", map[string]any{"title": "Update",
				"publish_at": "2026-06-01T09:00:00+02:00", "expire_at": "2026-05-01T09:00:00+02:00"}, "Accept-Language", "nl"),
				http.StatusUnprocessableEntity)
			if fe := res.fieldErrors(); len(fe) != 1 || fe[0] != "expire_at" || !strings.Contains(res.raw, "na de publicatiedatum") {
				t.Errorf("answer %s", res.raw)
			}
			if all := f.want(f.call(functional, "GET", "/api/v1/news?all=true", nil), http.StatusOK).items(); len(all) != 0 {
				t.Errorf("refused news saved: %v", all)
			}
		})

		t.Run("audience rules", func(t *testing.T) {
			hr := f.want(f.call(functional, "POST", "/api/v1/news", map[string]any{"title": "Nieuwe verlofregeling",
				"audience_area": "hr"}), http.StatusCreated)
			f.want(f.call(functional, "POST", "/api/v1/news", map[string]any{"title": "Onderhoud koppelingen",
				"audience_role": "technical_admin"}), http.StatusCreated)
			f.want(f.call(functional, "POST", "/api/v1/news", map[string]any{"title": "Release 2026.2",
				"expire_at": time.Now().Add(time.Hour).Format(time.RFC3339)}), http.StatusCreated)
			see := func(who string) []string {
				var out []string
				for _, it := range f.want(f.call(who, "GET", "/api/v1/news", nil), http.StatusOK).items() {
					out = append(out, it["title"].(string))
				}
				return out
			}
			for who, want := range map[string]string{
				requester:  "Release 2026.2",
				keyUserFin: "Release 2026.2",
				keyUserHR:  "Nieuwe verlofregeling,Release 2026.2",
				technical:  "Onderhoud koppelingen,Nieuwe verlofregeling,Release 2026.2",
			} {
				got := see(who)
				slices.Sort(got)
				w := strings.Split(want, ",")
				slices.Sort(w)
				if strings.Join(got, ",") != strings.Join(w, ",") {
					t.Errorf("%s sees %v, want %v", who, got, w)
				}
			}
			f.want(f.call(requester, "GET", "/api/v1/news/"+itoa(hr.num("id")), nil), http.StatusNotFound)
			f.want(f.call(keyUserHR, "GET", "/api/v1/news/"+itoa(hr.num("id")), nil), http.StatusOK)
			f.want(f.call(requester, "POST", "/api/v1/news", map[string]any{"title": "Van mij"}), http.StatusForbidden)
			f.want(f.call(functional, "PUT", "/api/v1/news/"+itoa(hr.num("id")), map[string]any{"title": "x"},
				"If-Match", `"v9"`), http.StatusPreconditionFailed)
		})

		t.Run("an article from a request is linked to it", func(t *testing.T) {
			rid := f.file("question", "Hoe vraag ik bijzonder verlof aan?", "hr")
			f.want(f.call(functional, "POST", path(rid, "/comments"), map[string]any{"body": "Via InSite > Verlof > Bijzonder verlof."}), http.StatusCreated)
			f.want(f.call(functional, "POST", path(rid, "/comments"), map[string]any{"body": "Interne notitie", "internal": true}), http.StatusCreated)
			f.want(f.call(requester, "POST", path(rid, "/article"), nil), http.StatusForbidden)
			a := f.want(f.call(functional, "POST", path(rid, "/article"), nil), http.StatusCreated)
			if a.str("title") != "Hoe vraag ik bijzonder verlof aan?" || a.str("body") != "Via InSite > Verlof > Bijzonder verlof." ||
				a.str("status") != "draft" || a.str("area") != "hr" {
				t.Errorf("article from request: %s", a.raw)
			}
			k := f.want(f.call(functional, "GET", path(rid, "/knowledge"), nil), http.StatusOK)
			if arts, _ := k.body["articles"].([]any); len(arts) != 1 {
				t.Errorf("knowledge of the request: %s", k.raw)
			}
			// The requester does not see the draft until it is published.
			k = f.want(f.call(requester, "GET", path(rid, "/knowledge"), nil), http.StatusOK)
			if arts, _ := k.body["articles"].([]any); len(arts) != 0 {
				t.Errorf("the requester sees a draft: %s", k.raw)
			}
			audit := f.want(f.call(functional, "GET", path(rid, "/audit"), nil), http.StatusOK)
			if !strings.Contains(audit.raw, "article.linked") {
				t.Errorf("no audit row on the request: %s", audit.raw)
			}
			f.want(f.call(otherUser, "GET", path(rid, "/knowledge"), nil), http.StatusNotFound)
		})

		t.Run("news links to requests", func(t *testing.T) {
			rid := f.file("change", "Nieuw declaratieproces", "financieel")
			n := f.want(f.call(functional, "POST", "/api/v1/news", map[string]any{"title": "Declaraties vanaf juni anders"}), http.StatusCreated)
			f.want(f.call(functional, "POST", "/api/v1/news/"+itoa(n.num("id"))+"/links", map[string]any{"request": rid}), http.StatusNoContent)
			f.want(f.call(functional, "POST", "/api/v1/news/"+itoa(n.num("id"))+"/links", map[string]any{"request": 999999}), http.StatusUnprocessableEntity)
			k := f.want(f.call(requester, "GET", path(rid, "/knowledge"), nil), http.StatusOK)
			if news, _ := k.body["news"].([]any); len(news) != 1 {
				t.Errorf("news of the request: %s", k.raw)
			}
		})
	})
}

func TestKnowledgePortal(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, user := kbLogin(f, functional), kbLogin(f, requester)

		// An admin writes an article and a news item through the forms.
		res := admin.post("/kb/new", url.Values{"title": {"Declaratie indienen"}, "body": {"## Stappen\n\nGa naar InSite."},
			"area": {"hr"}, "tags": {"Onkosten, declaraties"}, "status": {"published"}})
		admin.page(res, http.StatusSeeOther)
		articleID := locationID(t, res)
		draft := admin.post("/kb/new", url.Values{"title": {"Concept verlof"}, "body": {"Nog niet af"}, "status": {"draft"}})
		admin.page(draft, http.StatusSeeOther)
		draftID := locationID(t, draft)
		res = admin.post("/news/new", url.Values{"title": {"AFAS-update dit weekend"}, "body": {"Zaterdag is AFAS niet bereikbaar."},
			"publish_at": {time.Now().Add(-time.Hour).In(amsterdam(t)).Format("2006-01-02T15:04")}})
		admin.page(res, http.StatusSeeOther)
		newsID := locationID(t, res)

		t.Run("pages render for a user", func(t *testing.T) {
			user.page(user.get("/kb"), http.StatusOK, "Kennisbank", "Declaratie indienen")
			user.page(user.get("/kb?q=declaraties"), http.StatusOK, "Declaratie indienen")
			user.page(user.get("/kb/"+articleID), http.StatusOK, "Stappen", "Heeft deze instructie u geholpen?", "#onkosten")
			user.page(user.get("/news"), http.StatusOK, "AFAS-update dit weekend")
			user.page(user.get("/news/"+newsID), http.StatusOK, "Zaterdag is AFAS niet bereikbaar.")
			if r := user.get("/kb"); strings.Contains(r.raw, "Concept verlof") || strings.Contains(r.raw, "/kb/new") {
				t.Error("a user sees a draft or the write button")
			}
			user.page(user.get("/kb/"+draftID), http.StatusNotFound)
			user.page(user.get("/kb/new"), http.StatusForbidden)
			user.page(user.get("/news/new"), http.StatusForbidden)
			user.page(user.post("/kb/new", url.Values{"title": {"Van mij"}}), http.StatusForbidden)
		})

		t.Run("pages render for an admin", func(t *testing.T) {
			admin.page(admin.get("/kb?drafts=1"), http.StatusOK, "Concept verlof", "Nieuwe instructie")
			admin.page(admin.get("/kb/"+draftID), http.StatusOK, "Concept", "Versies")
			admin.page(admin.get("/kb/"+articleID+"/edit"), http.StatusOK, `name="version" value="1"`, "onkosten, declaraties")
			admin.page(admin.get("/kb/new"), http.StatusOK, "Nieuwe instructie")
			admin.page(admin.get("/news"), http.StatusOK, "Zichtbaar", "Nieuw bericht")
			admin.page(admin.get("/news/new"), http.StatusOK, "Publiceren vanaf")
			admin.page(admin.get("/news/"+newsID+"/edit"), http.StatusOK, "AFAS-update dit weekend")
			admin.page(admin.get("/news/"+newsID), http.StatusOK, "Gekoppelde aanvragen")
		})

		t.Run("expiry before publish comes back with the message and nothing saved", func(t *testing.T) {
			res := admin.post("/news/new", url.Values{"title": {"Verkeerd"}, "publish_at": {"2026-06-01T09:00"},
				"expire_at": {"2026-05-01T09:00"}})
			admin.page(res, http.StatusUnprocessableEntity, "De einddatum moet na de publicatiedatum liggen.",
				`value="Verkeerd"`, `aria-invalid="true"`)
			if strings.Contains(admin.get("/news").raw, "Verkeerd") {
				t.Error("the refused item was saved")
			}
		})

		t.Run("a stale edit is refused and keeps the text", func(t *testing.T) {
			ok := admin.post("/kb/"+articleID+"/edit", url.Values{"version": {"1"}, "title": {"Declaratie indienen"},
				"body": {"Tweede versie"}, "status": {"published"}})
			admin.page(ok, http.StatusSeeOther)
			stale := admin.post("/kb/"+articleID+"/edit", url.Values{"version": {"1"}, "title": {"Declaratie indienen"},
				"body": {"Mijn tekst"}, "status": {"published"}})
			admin.page(stale, http.StatusConflict, "intussen gewijzigd", "Mijn tekst", `name="version" value="2"`)
			admin.page(admin.get("/kb/"+articleID+"?version=1"), http.StatusOK, "U bekijkt versie 1", "Ga naar InSite.")
		})

		t.Run("feedback and suggestions", func(t *testing.T) {
			user.page(user.post("/kb/"+articleID+"/feedback", url.Values{"helpful": {"yes"}}), http.StatusSeeOther)
			user.page(user.get("/kb/"+articleID), http.StatusOK, "fijn dat deze instructie u heeft geholpen", `aria-pressed="true"`)
			req, _ := http.NewRequest("POST", f.srv.URL+"/kb/"+articleID+"/feedback", strings.NewReader("helpful=no"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("X-CSRF-Token", user.csrf)
			r := user.page(user.send(req), http.StatusOK, `id="feedback"`, "Dien een aanvraag in")
			if strings.Contains(r.raw, "<html") {
				t.Error("htmx feedback answered a whole page")
			}
			sug := user.page(user.get("/kb/suggest?title=Hoe+dien+ik+declaraties+in"), http.StatusOK, "Declaratie indienen")
			if strings.Contains(sug.raw, "<html") {
				t.Error("suggestions answered a whole page")
			}
			if r := user.get("/kb/suggest?title=verlof"); strings.Contains(r.raw, "Concept verlof") {
				t.Error("a draft is suggested")
			}
			part := user.page(user.get("/kb?q=declaraties", "HX-Request", "true", "HX-Target", "kb-results"), http.StatusOK, "Declaratie indienen")
			if strings.Contains(part.raw, "<html") {
				t.Error("live search answered a whole page")
			}
		})

		t.Run("an article from a request", func(t *testing.T) {
			rid := f.file("question", "Waar vind ik mijn loonstrook?", "hr")
			user.page(user.post("/requests/"+itoa(rid)+"/article", url.Values{}), http.StatusForbidden)
			res := admin.post("/requests/"+itoa(rid)+"/article", url.Values{})
			admin.page(res, http.StatusSeeOther)
			if loc := res.header.Get("Location"); !strings.HasSuffix(loc, "/edit?ok=from_request") {
				t.Fatalf("Location %q", loc)
			}
			id := locationID(t, res)
			admin.page(admin.get("/kb/"+id+"/edit?ok=from_request"), http.StatusOK, "Waar vind ik mijn loonstrook?", "Er is een concept gemaakt")
			admin.page(admin.get("/kb/"+id), http.StatusOK, "Waar vind ik mijn loonstrook?")
			number := f.want(f.call(requester, "GET", path(rid, ""), nil), http.StatusOK).str("number")
			admin.page(admin.post("/news/"+newsID+"/links", url.Values{"request": {number}}), http.StatusSeeOther)
			admin.page(admin.get("/news/"+newsID), http.StatusOK, number)
			admin.page(admin.post("/news/"+newsID+"/links", url.Values{"request": {"2020-999"}}), http.StatusUnprocessableEntity, "link-error")
		})
	})
}
