package server

import (
	"html/template"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"beheer"
	"beheer/i18n"
	"beheer/store/storetest"
)

// queueRowsTemplate is the queue table's rows as html/template would write
// them: the reference for RowsHTML's escaping and markup.
const queueRowsTemplate = `{{$v := .V}}{{$p := .P}}{{range $v.RowsFor .P}}
      <tr>{{if $v.CanAssign}}
        <td><input type="checkbox" name="id" value="{{.ID}}" form="bulk" id="sel-{{.ID}}"{{if .Selected}} checked{{end}} aria-label="{{.SelectLabel}}"></td>{{end}}
        <td class="nowrap"><a href="/requests/{{.ID}}">{{.Number}}</a></td>
        <td data-label="{{$p.T "request.title"}}" class="q-title">{{.Title}}</td>
        <td data-label="{{$p.T "queue.type"}}" class="opt">{{.Type}}</td>
        <td data-label="{{$p.T "request.phase"}}"><span class="badge phase-{{.PhaseCode}}">{{.Phase}}</span></td>
        <td data-label="{{$p.T "request.status"}}">{{.Status}}</td>
        <td data-label="{{$p.T "queue.priority"}}"><span class="badge prio-{{.PriorityCode}}">{{.Priority}}</span></td>
        <td data-label="{{$p.T "request.area"}}" class="opt">{{if .AreaName}}{{.AreaName}}{{else}}<span class="muted">{{$.P.T "request.area_unknown"}}</span>{{end}}</td>
        <td data-label="{{$p.T "queue.assignee"}}">{{if .AssigneeName}}{{.AssigneeName}}{{else}}<span class="muted">{{$.P.T "queue.nobody"}}</span>{{end}}</td>
        <td data-label="{{$p.T "queue.requester"}}" class="opt">{{.RequesterName}}</td>
        <td data-label="{{$p.T "request.updated"}}" class="nowrap opt"><time datetime="{{.UpdatedISO}}">{{.UpdatedShort}}</time></td>
        <td data-label="{{$p.T "due.column"}}">{{if .Due.Label}}<span class="badge {{.Due.Class}}" title="{{.Due.Title}}">{{.Due.Label}}</span>{{else}}<span class="muted">—</span>{{end}}</td>
      </tr>{{end}}`

// TestQueueRowsHTML holds the queue's hand-written rows to what
// html/template makes of the same rows, with values that need escaping in
// every cell: a difference is markup drift or an escaping hole.
func TestQueueRowsHTML(t *testing.T) {
	s := New(storetest.SQLite(t, storetest.Options{}), i18n.MustLoad(), nil, Config{})
	ref := template.Must(template.New("rows").Parse(queueRowsTemplate))
	hostile := `<script>alert("x")</script> & 'o' + "q" ` + "\x00 \xff é"
	at := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	items := []*beheer.Request{
		{ID: 1, Number: "2026-000001", Title: "Salarisstrook ontbreekt", Type: beheer.TypeIncident, Phase: beheer.PhaseIntake,
			Status: beheer.StatusAwaitingTriage, Priority: beheer.PriorityHigh, AreaName: "HR", AssigneeName: "Jan de Vries",
			RequesterName: "Kees Smits", UpdatedAt: at, Due: beheer.Due{Rank: at.Add(-2 * time.Hour).UnixMilli()}},
		{ID: 22, Number: hostile, Title: hostile, Type: beheer.Type(hostile), Phase: beheer.Phase(hostile),
			Status: beheer.Status(hostile), Priority: beheer.Priority(hostile), AreaName: hostile, AssigneeName: hostile,
			RequesterName: hostile, UpdatedAt: at.Add(-time.Hour), Due: beheer.Due{Rank: beheer.DuePausedBase + 60_000}},
		{ID: 333, Number: "2026-000333", Title: "Zonder gebied", Type: beheer.TypeChange, Phase: beheer.PhaseExecution,
			Status: beheer.StatusAwaitingAssignee, Priority: beheer.PriorityLow, RequesterName: "A+B"},
	}
	for _, lang := range []i18n.Lang{i18n.NL, i18n.EN} {
		for _, canAssign := range []bool{false, true} {
			p := s.newPage(httptest.NewRequest("GET", "/queue", nil), nil)
			p.Lang = lang
			v := &queueView{Items: items, CanAssign: canAssign, Selected: map[int64]bool{22: true}}
			var want strings.Builder
			if err := ref.Execute(&want, struct {
				V *queueView
				P *page
			}{v, p}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), string(v.RowsHTML(p))); diff != "" {
				t.Errorf("%s, can assign %v: rows differ from html/template's (-template +RowsHTML):\n%s", lang, canAssign, diff)
			}
		}
	}
}

// queueOptionsTemplate is a filter's options as html/template would write
// them: the reference for OptionsHTML and AnswerFieldsHTML.
const queueOptionsTemplate = `{{$v := .V}}{{if .Answer}}{{range $v.AnswerFields}}<option value="{{.Value}}"{{if eq .Value $v.F.AnswerField}} selected{{end}}>{{.Label}} ({{.Group}})</option>{{end}}` +
	`{{else}}{{range $v.Options .P .Filter}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}{{end}}`

// TestQueueOptionsHTML holds every filter's hand-written options to what
// html/template makes of them, with names that need escaping and a current
// choice in each list.
func TestQueueOptionsHTML(t *testing.T) {
	s := New(storetest.SQLite(t, storetest.Options{}), i18n.MustLoad(), nil, Config{})
	ref := template.Must(template.New("options").Parse(queueOptionsTemplate))
	hostile := `<script>alert("x")</script> & 'o' + "q" ` + "\x00 \xff é"
	v := &queueView{
		F: queueFilter{Phase: string(beheer.PhaseInvestigation), Status: "a,b", Area: hostile, Type: string(beheer.TypeChange),
			Priority: string(beheer.PriorityHigh), Assignee: "7", Due: string(beheer.DueFilters[0]), AnswerField: hostile},
		Sort:         "updated",
		Sorts:        []string{"newest", "updated"},
		Areas:        []beheer.Area{{Code: "hr", Name: "HR"}, {Code: hostile, Name: hostile}},
		Assignees:    []beheer.User{{ID: 7, Name: hostile}, {ID: 8, Name: "Jan de Vries"}},
		AnswerFields: []choiceView{{Value: "omgeving", Label: "Omgeving", Group: "Autorisatie"}, {Value: hostile, Label: hostile, Group: hostile}},
	}
	for _, lang := range []i18n.Lang{i18n.NL, i18n.EN} {
		p := s.newPage(httptest.NewRequest("GET", "/queue", nil), nil)
		p.Lang = lang
		for _, filter := range []string{"phase", "status", "area", "type", "priority", "assignee", "assign", "due", "sort", "answer"} {
			var want strings.Builder
			if err := ref.Execute(&want, struct {
				V      *queueView
				P      *page
				Filter string
				Answer bool
			}{v, p, filter, filter == "answer"}); err != nil {
				t.Fatal(err)
			}
			got := v.OptionsHTML(p, filter)
			if filter == "answer" {
				got = v.AnswerFieldsHTML()
			}
			if want.Len() == 0 || !strings.Contains(want.String(), " selected") && filter != "assign" {
				t.Errorf("%s, %s: the reference names no option chosen: %q", lang, filter, want.String())
			}
			if diff := cmp.Diff(want.String(), string(got)); diff != "" {
				t.Errorf("%s, %s: options differ from html/template's (-template +OptionsHTML):\n%s", lang, filter, diff)
			}
		}
	}
}
