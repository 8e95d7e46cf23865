package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// opNames are the operations in the order they run; the mix, the headline
// number, runs last.
var opNames = []string{"create", "read", "list", "search", "comment", "transition", "queue_html", "answer_html", "report", "mix"}

// mixWeights is the realistic mix, mostly reads, in percent.
var mixWeights = []struct {
	op     string
	weight int
}{{"read", 60}, {"list", 15}, {"search", 10}, {"queue_html", 8}, {"comment", 5}, {"create", 2}}

// searchWords are common Dutch words from the demo's requests.
var searchWords = []string{"declaratie", "verlof", "loonstrook", "factuur", "connector", "autorisatie", "werving",
	"rooster", "budget", "inlog"}

// defaultAreas are the demo's areas, used when the server lists none.
var defaultAreas = []string{"hr", "salaris", "financieel", "crm", "sitebeheer", "autorisaties", "integraties"}

// requestTypes are the types created requests get, in turn.
var requestTypes = []string{"question", "wish", "incident", "change"}

// sortedKinds orders kinds of request as the operations run.
func sortedKinds(kinds []string) []string {
	out := slices.Clone(kinds)
	slices.SortFunc(out, func(a, b string) int { return slices.Index(opNames, a) - slices.Index(opNames, b) })
	return out
}

// pool is a set of request ids the workers share.
type pool struct {
	mu  sync.Mutex
	ids []int64
}

func (p *pool) add(ids ...int64) {
	p.mu.Lock()
	p.ids = append(p.ids, ids...)
	p.mu.Unlock()
}

// pick returns a random id and leaves it in the pool.
func (p *pool) pick(rnd *rand.Rand) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) == 0 {
		return 0, false
	}
	return p.ids[rnd.IntN(len(p.ids))], true
}

// take removes and returns an id, so no two workers get the same one.
func (p *pool) take() (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) == 0 {
		return 0, false
	}
	id := p.ids[len(p.ids)-1]
	p.ids = p.ids[:len(p.ids)-1]
	return id, true
}

func (p *pool) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ids)
}

// target is the Beheer server under load with what the operations need:
// tokens, the portal session and pools of request ids.
type target struct {
	base      string
	client    *http.Client
	token     string // the functional admin: reads, lists, moves
	requester string // the person who creates and comments
	session   string // Cookie header for the portal, "" without login
	areas     []string
	answers   map[string]map[string]any // per request type with a form: answers it accepts
	filter    answerFilter              // the answer the queue is filtered on (answer_html)
	vary      map[string][]string       // per request type: the choices of filter.field its form offers
	read      pool                      // requests that exist, to read
	comment   pool                      // requests the requester may comment on
	fresh     pool                      // requests created in this run, still in intake, to move
	// unavailable says why an operation cannot run against this server.
	unavailable map[string]string
	// preCreated counts moves that had to create their request first.
	preCreated atomic.Int64
}

// step returns the operation called name.
func (t *target) step(name string) step {
	switch name {
	case "create":
		return t.create
	case "read":
		return t.readOne
	case "list":
		return t.list
	case "search":
		return t.search
	case "comment":
		return t.addComment
	case "transition":
		return t.transition
	case "queue_html":
		return t.queueHTML
	case "answer_html":
		return t.answerQueue
	case "report":
		return t.report
	case "mix":
		return t.mix
	}
	panic("unknown operation " + name)
}

// ready says why the operation cannot run now, or "" when it can.
func (t *target) ready(name string) string {
	if why := t.unavailable[name]; why != "" {
		return why
	}
	switch {
	case name == "read" && t.read.len() == 0:
		return "no request visible to --token"
	case name == "comment" && t.comment.len() == 0:
		return "no request the requester may comment on"
	}
	return ""
}

func (t *target) create(ctx context.Context, w *worker) (string, time.Duration, error) {
	id, d, err := t.createRequest(ctx, w)
	if err == nil {
		t.fresh.add(id)
		if t.comment.len() < 1000 {
			t.comment.add(id)
		}
	}
	return "create", d, err
}

// createRequest files a request as the requester, in an area, so a
// functional admin may move it on.
func (t *target) createRequest(ctx context.Context, w *worker) (int64, time.Duration, error) {
	word := searchWords[w.rnd.IntN(len(searchWords))]
	typ := requestTypes[w.rnd.IntN(len(requestTypes))]
	answers := t.answers[typ]
	if choices := t.vary[typ]; len(choices) > 0 { // spread over the choices, as people answer
		answers = maps.Clone(answers)
		answers[t.filter.field] = choices[w.rnd.IntN(len(choices))]
	}
	in := map[string]any{
		"type":  typ,
		"title": "Vraag over " + word + " (belastingtest)",
		"description": "Bij het verwerken van de " + word + " gaat iets mis. Het scherm blijft hangen en na " +
			"een paar minuten verschijnt een foutmelding. Kunnen jullie kijken wat hier aan de hand is? " +
			"Dit verzoek is gemaakt door beheer-load.",
		"area": t.areas[w.rnd.IntN(len(t.areas))],
	}
	if len(answers) > 0 { // a server without forms knows no answers
		in["answers"] = answers
	}
	body, _ := json.Marshal(in)
	a, err := w.do(ctx, t.client, call{method: http.MethodPost, url: t.base + "/api/v1/requests",
		label: "POST /api/v1/requests", token: t.requester, body: body, want: http.StatusCreated})
	if err != nil {
		return 0, a.d, err
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(a.body, &out) != nil || out.ID == 0 {
		return 0, a.d, errors.New("POST /api/v1/requests: answer without an id")
	}
	return out.ID, a.d, nil
}

func (t *target) readOne(ctx context.Context, w *worker) (string, time.Duration, error) {
	id, _ := t.read.pick(w.rnd)
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/requests/" + itoa(id),
		label: "GET /api/v1/requests/{id}", token: t.token, want: http.StatusOK})
	return "read", a.d, err
}

func (t *target) list(ctx context.Context, w *worker) (string, time.Duration, error) {
	area := t.areas[w.rnd.IntN(len(t.areas))]
	a, err := w.do(ctx, t.client, call{method: http.MethodGet,
		url:   t.base + "/api/v1/requests?phase=investigation&area=" + url.QueryEscape(area) + "&sort=updated&limit=25",
		label: "GET /api/v1/requests?phase&area&sort", token: t.token, want: http.StatusOK})
	return "list", a.d, err
}

func (t *target) search(ctx context.Context, w *worker) (string, time.Duration, error) {
	word := searchWords[w.rnd.IntN(len(searchWords))]
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/requests?q=" + word + "&limit=25",
		label: "GET /api/v1/requests?q", token: t.token, want: http.StatusOK})
	return "search", a.d, err
}

func (t *target) addComment(ctx context.Context, w *worker) (string, time.Duration, error) {
	id, _ := t.comment.pick(w.rnd)
	body := []byte(`{"body":"Nog een aanvulling: het probleem doet zich ook voor op andere werkplekken. (beheer-load)"}`)
	a, err := w.do(ctx, t.client, call{method: http.MethodPost, url: t.base + "/api/v1/requests/" + itoa(id) + "/comments",
		label: "POST /api/v1/requests/{id}/comments", token: t.requester, body: body, want: http.StatusCreated})
	return "comment", a.d, err
}

// transition moves a request created in this run from intake to
// investigation as the functional admin. When none is left it creates one
// first, outside the measured time. A 409 for a request that is no longer in
// intake (someone else moved it) is an expected conflict; any other 409 is
// an error.
func (t *target) transition(ctx context.Context, w *worker) (string, time.Duration, error) {
	id, ok := t.fresh.take()
	if !ok {
		var err error
		if id, _, err = t.createRequest(ctx, w); err != nil {
			return "transition", 0, fmt.Errorf("creating a request to move: %w", err)
		}
		t.preCreated.Add(1)
	}
	a, err := w.do(ctx, t.client, call{method: http.MethodPost, url: t.base + "/api/v1/requests/" + itoa(id) + "/transitions",
		label: "POST /api/v1/requests/{id}/transitions", token: t.token, body: []byte(`{"to":"investigation"}`),
		want: http.StatusOK})
	if a.status == http.StatusConflict {
		if phase := t.phase(ctx, w, id); phase != "" && phase != "intake" {
			err = &conflict{fmt.Sprintf("request already in %s", phase)}
		}
	}
	return "transition", a.d, err
}

// phase looks up a request's phase, "" when that fails.
func (t *target) phase(ctx context.Context, w *worker, id int64) string {
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/requests/" + itoa(id),
		label: "GET /api/v1/requests/{id}", token: t.token, want: http.StatusOK})
	var out struct {
		Phase string `json:"phase"`
	}
	if err != nil || json.Unmarshal(a.body, &out) != nil {
		return ""
	}
	return out.Phase
}

func (t *target) queueHTML(ctx context.Context, w *worker) (string, time.Duration, error) {
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/queue?phase=investigation",
		label: "GET /queue?phase", cookie: t.session, want: http.StatusOK})
	return "queue_html", a.d, err
}

func (t *target) report(ctx context.Context, w *worker) (string, time.Duration, error) {
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/reports/dashboard",
		label: "GET /api/v1/reports/dashboard", token: t.token, want: http.StatusOK})
	return "report", a.d, err
}

// mix draws an operation by mixWeights; the HTML queue page falls back to
// the list when the portal is unavailable.
func (t *target) mix(ctx context.Context, w *worker) (string, time.Duration, error) {
	n := w.rnd.IntN(100)
	op := mixWeights[len(mixWeights)-1].op
	for _, m := range mixWeights {
		if n < m.weight {
			op = m.op
			break
		}
		n -= m.weight
	}
	if t.ready(op) != "" {
		op = "list"
	}
	return t.step(op)(ctx, w)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// prepare checks the tokens, logs in to the portal when asked, fetches the
// pools of request ids and finds out which operations this server has.
func prepare(ctx context.Context, cfg *config, client *http.Client) (*target, error) {
	t := &target{base: strings.TrimSuffix(cfg.url, "/"), client: client, token: cfg.token,
		requester: cfg.requesterToken, unavailable: map[string]string{}}
	if t.requester == "" {
		t.requester = t.token
	}
	w := newWorker(0, 0)
	me, err := t.checkToken(ctx, w, t.token, "--token")
	if err != nil {
		return nil, err
	}
	if t.requester != t.token {
		if me, err = t.checkToken(ctx, w, t.requester, "--requester-token"); err != nil {
			return nil, err
		}
	}
	var area string // the first area's id, for a place answer
	t.areas, area = t.fetchAreas(ctx, w)
	if cfg.form {
		if err := t.ensureForms(ctx, w); err != nil {
			return nil, fmt.Errorf("--form: %w", err)
		}
	}
	forms, err := t.fetchForms(ctx, w)
	if err != nil {
		return nil, err
	}
	t.answers = t.fetchAnswers(forms, me, area)
	ids, err := t.fetchIDs(ctx, w, t.token, "", 5)
	if err != nil {
		return nil, err
	}
	t.read.add(ids...)
	filter := "" // a functional admin may comment on whatever they see
	if t.requester != t.token {
		filter = "&requester=me"
	}
	if ids, err = t.fetchIDs(ctx, w, t.requester, filter, 3); err != nil {
		return nil, err
	}
	t.comment.add(ids...)
	if t.filter.field == "" {
		t.unavailable["answer_html"] = "no form with a choice field to filter on (--form saves one)"
	}
	if cfg.email == "" {
		t.unavailable["queue_html"] = "needs --email and --password (portal login)"
		t.unavailable["answer_html"] = t.unavailable["queue_html"]
	} else if t.session, err = login(ctx, client, t.base, cfg.email, cfg.password); err != nil {
		return nil, err
	} else {
		t.probe(ctx, w, "queue_html", call{method: http.MethodGet, url: t.base + "/queue?phase=investigation", cookie: t.session})
	}
	if slices.Contains(cfg.ops, "report") { // at 1,000,000 requests the dashboard takes seconds to compute
		t.probe(ctx, w, "report", call{method: http.MethodGet, url: t.base + "/api/v1/reports/dashboard", token: t.token})
	}
	return t, nil
}

// checkToken checks that token signs in and returns whose it is.
func (t *target) checkToken(ctx context.Context, w *worker, token, flag string) (int64, error) {
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/me", label: flag + " check", token: token,
		want: http.StatusOK})
	var me struct {
		ID int64 `json:"id"`
	}
	if err == nil {
		err = json.Unmarshal(a.body, &me)
	}
	return me.ID, err
}

// fetchAreas lists the area codes, falling back to the demo's, and the
// first area's id ("" when the server lists none).
func (t *target) fetchAreas(ctx context.Context, w *worker) ([]string, string) {
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/areas", label: "GET /api/v1/areas",
		token: t.token, want: http.StatusOK})
	var out struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	if err != nil || json.Unmarshal(a.body, &out) != nil || len(out.Items) == 0 {
		return defaultAreas, ""
	}
	var codes []string
	for _, it := range out.Items {
		codes = append(codes, it.Code)
	}
	return codes, itoa(out.Items[0].ID)
}

// fetchAnswers makes up the answers each request type's form accepts: a
// value for every field shown from the start that needs no upload (the
// first choice, a date, the minimum, "no", a text, the requester, the first
// area); fields with a default keep it. A type without a form gets none.
// It also picks the answer filter (answerQueue) from the first choice field.
func (t *target) fetchAnswers(forms []formView, me int64, area string) map[string]map[string]any {
	answers := map[string]map[string]any{}
	t.vary = map[string][]string{}
	for _, f := range forms {
		m := map[string]any{}
		for _, fd := range f.Fields {
			if fd.Default != "" || fd.ShowIf != nil {
				continue
			}
			switch fd.Kind {
			case "choice", "multi_choice":
				if len(fd.Choices) > 0 {
					m[fd.Name] = fd.Choices[0].Value
				}
				if fd.Kind == "choice" && t.filter.field == "" && len(fd.Choices) > 0 {
					t.filter.field = fd.Name
					for _, c := range fd.Choices {
						t.filter.values = append(t.filter.values, c.Value)
					}
				}
				if fd.Kind == "choice" && fd.Name == t.filter.field {
					for _, c := range fd.Choices {
						t.vary[f.Type] = append(t.vary[f.Type], c.Value)
					}
				}
			case "date":
				m[fd.Name] = "2026-03-01"
			case "number":
				m[fd.Name] = cmp.Or(fd.Min, new(float64))
			case "yes_no":
				m[fd.Name] = false
			case "text", "long_text":
				m[fd.Name] = "Belastingtest"
			case "person":
				if me != 0 {
					m[fd.Name] = itoa(me)
				}
			case "place":
				if area != "" {
					m[fd.Name] = area
				}
			}
		}
		answers[f.Type] = m
	}
	return answers
}

// fetchIDs pages through the request list with the given token and filter.
func (t *target) fetchIDs(ctx context.Context, w *worker, token, filter string, pages int) ([]int64, error) {
	var ids []int64
	cursor := ""
	for range pages {
		u := t.base + "/api/v1/requests?limit=100" + filter
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: u, label: "GET /api/v1/requests (preparation)",
			token: token, want: http.StatusOK})
		if err != nil {
			return nil, err
		}
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Next *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(a.body, &page); err != nil {
			return nil, fmt.Errorf("GET /api/v1/requests: %w", err)
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.Next == nil {
			break
		}
		cursor = *page.Next
	}
	return ids, nil
}

// probe marks an operation unavailable when its route answers 404 or 405:
// not built (yet) on this server.
func (t *target) probe(ctx context.Context, w *worker, op string, c call) {
	c.label = op
	a, _ := w.do(ctx, t.client, c)
	if a.status == http.StatusNotFound || a.status == http.StatusMethodNotAllowed {
		t.unavailable[op] = fmt.Sprintf("%s answers %d", strings.TrimPrefix(c.url, t.base), a.status)
	}
}

// csrfField finds the login form's CSRF field.
var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login signs in to the portal as a browser would — the login page sets the
// pre-login CSRF cookie, the form repeats it — and returns the session as a
// Cookie header.
func login(ctx context.Context, client *http.Client, base, email, password string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: client.Transport, Jar: jar, Timeout: client.Timeout, CheckRedirect: client.CheckRedirect}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("login page: %w", unwrapURL(err))
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("login page: %d without a CSRF field", resp.StatusCode)
	}
	form := url.Values{"email": {email}, "password": {password}, "csrf": {string(m[1])}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err = c.Do(req); err != nil {
		return "", fmt.Errorf("login: %w", unwrapURL(err))
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "beheer_session") && resp.StatusCode == http.StatusSeeOther {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("login as %s refused: %d %s", email, resp.StatusCode, http.StatusText(resp.StatusCode))
}
