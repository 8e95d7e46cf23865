package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"beheer/store"
	"beheer/store/storetest"
)

// subject is a request prepared for one row of the authorisation table.
type subject struct {
	id         int64
	title      string
	task       int64
	escalation int64
	attachment int64
}

// setups prepare a fresh request in a given state, as the requester files it.
var setups = map[string]func(f *fixture) subject{
	"intake": func(f *fixture) subject { return f.subject("question", false) },
	"investigation": func(f *fixture) subject {
		s := f.subject("question", true)
		return s
	},
	"decision": func(f *fixture) subject {
		s := f.subject("change", true)
		f.want(f.call(functional, "PATCH", path(s.id, ""), map[string]any{"status": "awaiting_decision"}, "If-Match", "*"), http.StatusOK)
		return s
	},
	"optimisation": func(f *fixture) subject {
		s := f.subject("question", true)
		for _, to := range []string{"execution", "optimisation"} {
			f.want(f.call(functional, "POST", path(s.id, "/transitions"), map[string]any{"to": to}), http.StatusOK)
		}
		return s
	},
	"task": func(f *fixture) subject {
		s := f.subject("question", true)
		s.task = f.want(f.call(functional, "POST", path(s.id, "/tasks"), map[string]any{"title": "Connector controleren"}), http.StatusCreated).num("id")
		return s
	},
	"escalation": func(f *fixture) subject {
		s := f.subject("question", true)
		s.escalation = f.want(f.call(functional, "POST", path(s.id, "/escalations"), map[string]any{
			"channel": "consultancy", "reference": "C-1"}), http.StatusCreated).num("id")
		return s
	},
	"attachment": func(f *fixture) subject {
		s := f.subject("question", true)
		s.attachment = f.upload(requester, s.id, "notitie.txt", "Geheime salarisgegevens van "+s.title).num("id")
		return s
	},
}

var subjectSeq int

// subject files a request in HR with a unique title, optionally moved on to
// Onderzoek by the functional admin.
func (f *fixture) subject(typ string, investigate bool) subject {
	subjectSeq++
	title := fmt.Sprintf("Vertrouwelijke aanvraag %d over salarisstrook", subjectSeq)
	s := subject{id: f.file(typ, title, "hr"), title: title}
	if investigate {
		f.want(f.call(functional, "POST", path(s.id, "/transitions"), map[string]any{"to": "investigation"}), http.StatusOK)
	}
	return s
}

// upload posts a file as multipart form data.
func (f *fixture) upload(who string, id int64, name, content string) response {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+path(id, "/attachments"), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	return f.do(req)
}

// action is one API call of the table, made against a prepared subject.
type action struct {
	name  string
	setup string
	call  func(f *fixture, who string, s subject) response
	// want lists the expected status per person in cast order:
	// requester, other_user, key_user_hr, key_user_fin, functional,
	// functional_fin, technical, management.
	want string
	// listed is true when success means the title is in a list answer
	// rather than the status code alone.
	listed bool
}

func get(p string) func(f *fixture, who string, s subject) response {
	return func(f *fixture, who string, s subject) response { return f.call(who, "GET", path(s.id, p), nil) }
}

func post(p string, body map[string]any) func(f *fixture, who string, s subject) response {
	return func(f *fixture, who string, s subject) response { return f.call(who, "POST", path(s.id, p), body) }
}

var actions = []action{
	{name: "read", setup: "investigation", call: get(""), want: "200 404 200 404 200 404 200 200"},
	{name: "comments", setup: "investigation", call: get("/comments"), want: "200 404 200 404 200 404 200 200"},
	{name: "audit", setup: "investigation", call: get("/audit"), want: "200 404 200 404 200 404 200 200"},
	{name: "attachments", setup: "investigation", call: get("/attachments"), want: "200 404 200 404 200 404 200 200"},
	{name: "escalations", setup: "investigation", call: get("/escalations"), want: "200 404 200 404 200 404 200 200"},
	{name: "tasks", setup: "investigation", call: get("/tasks"), want: "200 404 200 404 200 404 200 200"},
	{name: "decision", setup: "investigation", call: get("/decision"), want: "404 404 404 404 404 404 404 404"},
	{name: "list", setup: "investigation", listed: true, want: "200 404 200 404 200 404 200 200",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "GET", "/api/v1/requests?q="+strings.ReplaceAll(s.title, " ", "+"), nil)
		}},
	{name: "download", setup: "attachment", want: "200 404 200 404 200 404 200 200",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "GET", "/api/v1/attachments/"+strconv.FormatInt(s.attachment, 10), nil)
		}},
	{name: "edit title in intake", setup: "intake", want: "200 404 403 404 200 404 403 403",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "PATCH", path(s.id, ""), map[string]any{"title": "Nieuwe titel"}, "If-Match", "*")
		}},
	{name: "edit title in investigation", setup: "investigation", want: "403 404 403 404 200 404 403 403",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "PATCH", path(s.id, ""), map[string]any{"title": "Nieuwe titel"}, "If-Match", "*")
		}},
	{name: "assign", setup: "intake", want: "403 404 403 404 200 404 403 403",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "PATCH", path(s.id, ""), map[string]any{"assignee": f.ids[functional]}, "If-Match", "*")
		}},
	{name: "triage", setup: "intake", call: post("/transitions", map[string]any{"to": "investigation"}),
		want: "403 404 403 404 200 404 403 403"},
	{name: "execute", setup: "investigation", call: post("/transitions", map[string]any{"to": "execution"}),
		want: "403 404 403 404 200 404 403 403"},
	{name: "withdraw", setup: "investigation", call: post("/transitions", map[string]any{"to": "withdrawn"}),
		want: "200 404 403 404 403 404 403 403"},
	{name: "reject", setup: "investigation", call: post("/transitions", map[string]any{"to": "rejected", "note": "Valt buiten beheer."}),
		want: "403 404 403 404 200 404 403 403"},
	{name: "decide", setup: "decision", call: post("/decision", map[string]any{"outcome": "approved", "motivation": "Akkoord"}),
		want: "403 404 201 404 403 404 403 403"},
	{name: "comment", setup: "investigation", call: post("/comments", map[string]any{"body": "Een vraag"}),
		want: "201 404 201 404 201 404 201 403"},
	{name: "ask the requester", setup: "investigation", call: post("/questions", map[string]any{"body": "Om wie gaat het?"}),
		want: "403 404 403 404 201 404 403 403"},
	{name: "internal note", setup: "investigation", call: post("/comments", map[string]any{"body": "Intern", "internal": true}),
		want: "403 404 201 404 201 404 201 403"},
	{name: "attach", setup: "investigation", want: "201 404 201 404 201 404 201 403",
		call: func(f *fixture, who string, s subject) response {
			return f.upload(who, s.id, "scherm.txt", "foutmelding")
		}},
	{name: "escalate consultancy", setup: "investigation", call: post("/escalations", map[string]any{"channel": "consultancy"}),
		want: "403 404 403 404 201 404 403 403"},
	{name: "escalate system integrator", setup: "investigation", call: post("/escalations", map[string]any{"channel": "system_integrator"}),
		want: "403 404 403 404 201 404 201 403"},
	{name: "close escalation", setup: "escalation", want: "403 404 403 404 200 404 403 403",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "POST", "/api/v1/escalations/"+strconv.FormatInt(s.escalation, 10)+"/close", map[string]any{"outcome": "Opgelost"})
		}},
	{name: "create task", setup: "investigation", call: post("/tasks", map[string]any{"title": "Connector aanpassen"}),
		want: "403 404 403 404 201 404 403 403"},
	{name: "complete task", setup: "task", want: "403 404 403 404 403 404 200 403",
		call: func(f *fixture, who string, s subject) response {
			return f.call(who, "POST", "/api/v1/tasks/"+strconv.FormatInt(s.task, 10)+"/complete", map[string]any{"outcome": "Gedaan"})
		}},
	{name: "evaluate", setup: "optimisation", call: post("/evaluation", map[string]any{"rating": 4}),
		want: "200 404 403 404 403 404 403 403"},
	{name: "users", setup: "intake", want: "403 403 403 403 200 403 403 403",
		call: func(f *fixture, who string, s subject) response { return f.call(who, "GET", "/api/v1/users", nil) }},
	{name: "add user", setup: "intake", want: "403 403 403 403 201 403 403 403",
		call: func(f *fixture, who string, s subject) response {
			subjectSeq++
			return f.call(who, "POST", "/api/v1/users", map[string]any{"email": fmt.Sprintf("nieuw%d@voorbeeld.nl", subjectSeq),
				"name": "Nieuwe collega", "roles": []map[string]string{{"role": "functional_admin"}}})
		}},
	{name: "add area", setup: "intake", want: "403 403 403 403 201 403 403 403",
		call: func(f *fixture, who string, s subject) response {
			subjectSeq++
			return f.call(who, "POST", "/api/v1/areas", map[string]any{"code": fmt.Sprintf("a%d", subjectSeq), "name": "Nieuw"})
		}},
}

// TestAuthorisation performs every API action as every role and as a
// different requester, and checks allowed or denied — and that a denied
// answer never contains the request's title.
func TestAuthorisation(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		cases := 0
		for _, a := range actions {
			want := strings.Fields(a.want)
			if len(want) != len(cast) {
				t.Fatalf("%s: %d expectations for %d people", a.name, len(want), len(cast))
			}
			for i, c := range cast {
				t.Run(a.name+"/"+c.name, func(t *testing.T) {
					f.t = t
					s := setups[a.setup](f)
					got := a.call(f, c.name, s)
					status := strconv.Itoa(got.status)
					if a.listed {
						status = "404"
						if got.status == http.StatusOK && strings.Contains(got.raw, s.title) {
							status = "200"
						}
					}
					if status != want[i] {
						t.Errorf("status %s, want %s; body %s", status, want[i], got.raw)
					}
					if got.status >= 400 && strings.Contains(got.raw, s.title) {
						t.Errorf("denied answer leaks the title: %s", got.raw)
					}
				})
				cases++
			}
		}
		t.Logf("authorisation table: %d actions × %d people = %d cases", len(actions), len(cast), cases)
	})
}
