package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// loadFormFields is the form of ten fields --form gives each request type
// that creates use and that has no form of its own yet: one field of every
// kind a request can answer without an upload, as a functional admin would
// ask for an authorisation or a change.
const loadFormFields = `[
 {"name": "omgeving", "kind": "choice", "label": {"nl": "Omgeving", "en": "Environment"}, "required": true,
  "choices": [{"value": "productie", "label": {"nl": "Productie", "en": "Production"}},
   {"value": "acceptatie", "label": {"nl": "Acceptatie", "en": "Acceptance"}},
   {"value": "test", "label": {"nl": "Test", "en": "Test"}}]},
 {"name": "onderdelen", "kind": "multi_choice", "label": {"nl": "Onderdelen", "en": "Parts"},
  "choices": [{"value": "hrm", "label": {"nl": "HRM", "en": "HRM"}}, {"value": "payroll", "label": {"nl": "Payroll", "en": "Payroll"}},
   {"value": "financieel", "label": {"nl": "Financieel", "en": "Finance"}}]},
 {"name": "voor_wie", "kind": "person", "label": {"nl": "Voor wie", "en": "For whom"}},
 {"name": "gebied", "kind": "place", "label": {"nl": "Gebied", "en": "Area"}},
 {"name": "vanaf", "kind": "date", "label": {"nl": "Vanaf", "en": "From"}},
 {"name": "aantal", "kind": "number", "label": {"nl": "Aantal medewerkers", "en": "Number of employees"}, "min": 1, "max": 500},
 {"name": "spoed", "kind": "yes_no", "label": {"nl": "Spoed", "en": "Urgent"}},
 {"name": "kostenplaats", "kind": "text", "label": {"nl": "Kostenplaats", "en": "Cost centre"}},
 {"name": "rol", "kind": "text", "label": {"nl": "Rol of autorisatiegroep", "en": "Role or authorisation group"}},
 {"name": "toelichting", "kind": "long_text", "label": {"nl": "Toelichting", "en": "Explanation"}}
]`

// formView is what the load reads of a form over the API.
type formView struct {
	Type       string `json:"type"`
	ProcessID  int64  `json:"process_id"`
	ArchivedAt string `json:"archived_at"`
	Fields     []struct {
		Name     string   `json:"name"`
		Kind     string   `json:"kind"`
		Required bool     `json:"required"`
		Default  string   `json:"default"`
		Min      *float64 `json:"min"`
		ShowIf   any      `json:"show_if"`
		Choices  []struct {
			Value string `json:"value"`
		} `json:"choices"`
	} `json:"fields"`
}

// fetchForms lists the forms that apply to a whole request type (not to a
// process, not archived); none from a server without forms (an older build,
// measured against this one).
func (t *target) fetchForms(ctx context.Context, w *worker) ([]formView, error) {
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: t.base + "/api/v1/forms", label: "GET /api/v1/forms",
		token: t.token, want: http.StatusOK})
	if a.status == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out struct {
		Items []formView `json:"items"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return nil, fmt.Errorf("GET /api/v1/forms: %w", err)
	}
	var forms []formView
	for _, f := range out.Items {
		if f.ProcessID == 0 && f.ArchivedAt == "" {
			forms = append(forms, f)
		}
	}
	return forms, nil
}

// ensureForms saves the load form for every request type creates use that
// has none, so every created request is filed through a form of ten
// fields (--form).
func (t *target) ensureForms(ctx context.Context, w *worker) error {
	forms, err := t.fetchForms(ctx, w)
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, f := range forms {
		has[f.Type] = true
	}
	for _, typ := range requestTypes {
		if has[typ] {
			continue
		}
		body := `{"type": "` + typ + `", "name": {"nl": "Belastingtest", "en": "Load test"}, "fields": ` + loadFormFields + `}`
		if _, err := w.do(ctx, t.client, call{method: http.MethodPost, url: t.base + "/api/v1/forms", label: "POST /api/v1/forms",
			token: t.token, body: []byte(body), want: http.StatusCreated}); err != nil {
			return err
		}
	}
	return nil
}

// answerFilter is the queue filter the answer operation uses: the first
// choice field of the forms, and its values.
type answerFilter struct {
	field  string
	values []string
}

// answerQueue shows the functional admin's queue filtered on one answer
// (answer.<field>=<value>), by turns newest first and by last update: the
// first walks the answer's key in the full-text index, the second checks
// each request's answer.
func (t *target) answerQueue(ctx context.Context, w *worker) (string, time.Duration, error) {
	f := t.filter
	u := t.base + "/queue?answer." + url.QueryEscape(f.field) + "=" + url.QueryEscape(f.values[w.rnd.IntN(len(f.values))])
	if w.rnd.IntN(2) == 0 {
		u += "&sort=updated"
	}
	a, err := w.do(ctx, t.client, call{method: http.MethodGet, url: u, label: "GET /queue?answer", cookie: t.session,
		want: http.StatusOK})
	return "answer_html", a.d, err
}
