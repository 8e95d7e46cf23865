package server

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// queueView is the work queue: filters, counts per phase, one page of
// requests, saved views, and who work can be assigned to.
type queueView struct {
	F         queueFilter
	Counts    []phaseCount
	Items     []*beheer.Request
	Next      string // URL of the next page, or ""
	Views     []beheer.SavedView
	Areas     []beheer.Area
	Assignees []beheer.User
	CanAssign bool
	Query     string         // the current filter as a URL query, for saving and exporting
	Assigned  string         // result of a bulk assignment
	Failed    []string       // requests a bulk assignment could not change, with why
	AssignBad bool           // the bulk assignment changed nothing or not everything
	Selected  map[int64]bool // rows still ticked after a refused bulk assignment
	Sorts     []string
	Sort      string // the order shown, also when the URL names none
	Period    string // the filed or closed months a dashboard number asked for, in words
	NoPeriod  string // the same filter without them
	// AnswerFields are the forms' fields the queue filters on by answer.
	AnswerFields []choiceView
	CountsURL    string // where the tiles' counts under every filter come from, when the page's own do not know them
	Search       searchNote
}

// searchNote is what a list says about the search it ran: that no words
// were left to search for, or that words were left out.
type searchNote struct {
	Empty, Cut bool
	Max        int // the words a search looks for at most
}

// searchNoteFor is the note for a search of text; none when text is
// blank.
func searchNoteFor(text string) searchNote {
	if strings.TrimSpace(text) == "" {
		return searchNote{}
	}
	q := beheer.ParseSearch(text)
	return searchNote{Empty: q.Empty(), Cut: q.Cut, Max: beheer.MaxSearchWords}
}

// queuePeriodText says in words which months the list is limited to.
func queuePeriodText(p *page, f store.Filter) string {
	months := func(x store.Period) string {
		from, last := x.From, x.To.AddDate(0, -1, 0)
		if from.Equal(last) {
			return p.monthLabel(from, from.Location())
		}
		return p.T("queue.months", "from", p.monthLabel(from, from.Location()), "to", p.monthLabel(last, last.Location()))
	}
	var parts []string
	if !f.Filed.IsZero() {
		parts = append(parts, p.T("queue.filed_in", "months", months(f.Filed)))
	}
	if !f.Closed.IsZero() {
		parts = append(parts, p.T("queue.closed_in", "months", months(f.Closed)))
	}
	return strings.Join(parts, " · ")
}

// queueRow is one request as the queue's table shows it, its words already
// in the person's language.
type queueRow struct {
	ID                                    int64
	Number, Title                         string
	Type, Phase, Status, Priority         string // the names shown
	PhaseCode, PriorityCode               string // for the badges' classes
	AreaName, AssigneeName, RequesterName string
	UpdatedISO, UpdatedShort              string
	SelectLabel                           string
	Selected                              bool
	Due                                   DueBadge
}

// RowsFor prepares the table's rows for the page's person.
func (v *queueView) RowsFor(p *page) []queueRow {
	rows := make([]queueRow, len(v.Items))
	for i, r := range v.Items {
		rows[i] = queueRow{ID: r.ID, Number: r.Number, Title: r.Title,
			Type: p.Name(r.Type), Phase: p.Name(r.Phase), Status: p.Name(r.Status), Priority: p.Name(r.Priority),
			PhaseCode: string(r.Phase), PriorityCode: string(r.Priority),
			AreaName: r.AreaName, AssigneeName: r.AssigneeName, RequesterName: r.RequesterName,
			UpdatedISO: p.ISO(r.UpdatedAt), UpdatedShort: p.ShortDate(r.UpdatedAt), Selected: v.Selected[r.ID],
			Due: p.DueBadge(r)}
		if v.CanAssign {
			rows[i].SelectLabel = p.T("queue.select_one", "number", r.Number)
		}
	}
	return rows
}

// RowsHTML writes the table's rows. They are the page's hottest loop:
// through html/template each of a row's twenty values costs a reflective
// call to its escaper, together 40% of the page's time. Here every value is
// escaped as html/template escapes it in that place (a number in a URL
// needs none); TestQueueRowsHTML holds the output to the template it
// replaces, hostile values included.
func (v *queueView) RowsHTML(p *page) template.HTML {
	var b strings.Builder
	b.Grow(len(v.Items) * 1100)
	nobody, unknown := htmlEscape(p.T("queue.nobody")), htmlEscape(p.T("request.area_unknown"))
	// Every cell names its column, for the phone, where a row is a card.
	label := map[string]string{}
	for _, k := range []string{"request.title", "queue.type", "request.phase", "request.status",
		"queue.priority", "request.area", "queue.assignee", "queue.requester", "request.updated", "due.column"} {
		label[k] = "\n        <td data-label=\"" + htmlEscape(p.T(k)) + "\""
	}
	// What a phone leaves out of a row's card: the type, area, requester
	// and last change are a tap away.
	for _, k := range []string{"queue.type", "request.area", "queue.requester"} {
		label[k] += " class=\"opt\""
	}
	td := func(col, s string) {
		b.WriteString(label[col] + ">")
		b.WriteString(htmlEscape(s))
		b.WriteString("</td>")
	}
	orMuted := func(col, s, muted string) {
		if s == "" {
			b.WriteString(label[col] + "><span class=\"muted\">" + muted + "</span></td>")
			return
		}
		td(col, s)
	}
	for _, r := range v.RowsFor(p) {
		id := strconv.FormatInt(r.ID, 10)
		b.WriteString("\n      <tr>")
		if v.CanAssign {
			b.WriteString("\n        <td><input type=\"checkbox\" name=\"id\" value=\"" + id + "\" form=\"bulk\" id=\"sel-" + id + "\"")
			if r.Selected {
				b.WriteString(" checked")
			}
			b.WriteString(" aria-label=\"" + htmlEscape(r.SelectLabel) + "\"></td>")
		}
		b.WriteString("\n        <td class=\"nowrap\"><a href=\"/requests/" + id + "\">" + htmlEscape(r.Number) + "</a></td>")
		b.WriteString(label["request.title"] + " class=\"q-title\">" + htmlEscape(r.Title) + "</td>")
		td("queue.type", r.Type)
		b.WriteString(label["request.phase"] + "><span class=\"badge phase-" + htmlEscape(r.PhaseCode) + "\">" + htmlEscape(r.Phase) + "</span></td>")
		td("request.status", r.Status)
		b.WriteString(label["queue.priority"] + "><span class=\"badge prio-" + htmlEscape(r.PriorityCode) + "\">" + htmlEscape(r.Priority) + "</span></td>")
		orMuted("request.area", r.AreaName, unknown)
		orMuted("queue.assignee", r.AssigneeName, nobody)
		td("queue.requester", r.RequesterName)
		b.WriteString(label["request.updated"] + " class=\"nowrap opt\"><time datetime=\"" + htmlEscape(r.UpdatedISO) + "\">" +
			htmlEscape(r.UpdatedShort) + "</time></td>")
		if r.Due.Label == "" {
			b.WriteString(label["due.column"] + "><span class=\"muted\">—</span></td>")
		} else {
			b.WriteString(label["due.column"] + "><span class=\"badge " + htmlEscape(r.Due.Class) + "\" title=\"" +
				htmlEscape(r.Due.Title) + "\">" + htmlEscape(r.Due.Label) + "</span></td>")
		}
		b.WriteString("\n      </tr>")
	}
	return template.HTML(b.String())
}

// htmlEscape escapes text for an element's content or a quoted attribute
// exactly as html/template does.
var htmlEscape = strings.NewReplacer(
	"\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;",
).Replace

// option is one choice of a filter's select, named in the person's language.
type option struct {
	Value, Label string
	Selected     bool
}

// OptionsHTML writes the options of one of the queue's filters. Like the
// rows, they are a hot loop of the page (some eighty options, three
// reflective calls and two escapers each through html/template);
// TestQueueOptionsHTML holds the output to the template it replaces.
func (v *queueView) OptionsHTML(p *page, filter string) template.HTML {
	var b strings.Builder
	for _, o := range v.Options(p, filter) {
		writeOption(&b, o.Value, o.Label, o.Selected)
	}
	return template.HTML(b.String())
}

// AnswerFieldsHTML writes the options of the answer filter's field: the
// forms' fields, each with the form it belongs to.
func (v *queueView) AnswerFieldsHTML() template.HTML {
	var b strings.Builder
	for _, c := range v.AnswerFields {
		writeOption(&b, c.Value, c.Label+" ("+c.Group+")", c.Value == v.F.AnswerField)
	}
	return template.HTML(b.String())
}

// writeOption writes one option of a select.
func writeOption(b *strings.Builder, value, label string, selected bool) {
	b.WriteString(`<option value="` + htmlEscape(value) + `"`)
	if selected {
		b.WriteString(" selected")
	}
	b.WriteString(">" + htmlEscape(label) + "</option>")
}

// Options lists the choices of one of the queue's filters, the current one
// selected.
func (v *queueView) Options(p *page, filter string) []option {
	var out []option
	add := func(value, label, current string) {
		out = append(out, option{value, label, value == current})
	}
	switch filter {
	case "phase":
		for _, x := range beheer.Phases {
			add(string(x), p.Name(x), v.F.Phase)
		}
	case "status":
		if strings.Contains(v.F.Status, ",") { // several, from a home page's link
			var names []string
			for _, x := range strings.Split(v.F.Status, ",") {
				names = append(names, p.Name(beheer.Status(x)))
			}
			add(v.F.Status, strings.Join(names, ", "), v.F.Status)
		}
		for _, x := range beheer.Statuses {
			add(string(x), p.Name(x), v.F.Status)
		}
	case "type":
		for _, x := range beheer.Types {
			add(string(x), p.Name(x), v.F.Type)
		}
	case "priority":
		for _, x := range beheer.Priorities {
			add(string(x), p.Name(x), v.F.Priority)
		}
	case "area":
		for _, a := range v.Areas {
			add(a.Code, a.Name, v.F.Area)
		}
	case "assignee", "assign": // the filter, or the bulk assignment: nobody chosen yet
		current := v.F.Assignee
		if filter == "assign" {
			current = ""
		}
		for _, u := range v.Assignees {
			add(strconv.FormatInt(u.ID, 10), u.Name, current)
		}
	case "sort":
		for _, x := range v.Sorts {
			add(x, p.T("queue.sort_"+x), v.Sort)
		}
	case "due":
		for _, x := range beheer.DueFilters {
			add(string(x), p.T("due.filter_"+string(x)), v.F.Due)
		}
	}
	return out
}

// queueFilter is the queue's filter as the form shows it.
type queueFilter struct {
	Phase, Status, Area, Type, Priority, Assignee, Q, Sort, Due string
	Filed, Closed                                               string // months, from a dashboard's number
	AnswerField, AnswerValue                                    string // answer.<field>=<value>
}

type phaseCount struct {
	Phase  beheer.Phase
	Count  int
	Capped bool // the count stopped at its cap: "99+"
	URL    string
}

// queueFilterFrom reads the filter from the URL; the API's parser checks it.
func queueFilterFrom(q url.Values) queueFilter {
	f := queueFilter{Phase: q.Get("phase"), Status: q.Get("status"), Area: q.Get("area"), Type: q.Get("type"),
		Priority: q.Get("priority"), Assignee: q.Get("assignee"), Q: q.Get("q"), Sort: q.Get("sort"),
		Due: q.Get("due"), Filed: q.Get("filed"), Closed: q.Get("closed"), AnswerField: q.Get("answer_field"), AnswerValue: q.Get("answer_value")}
	if f.AnswerField == "" {
		for _, a := range answerFilters(q) {
			f.AnswerField, f.AnswerValue = a.Field, a.Value
		}
	}
	return f
}

// values is the filter as a URL query without empty fields.
func (f queueFilter) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"phase": f.Phase, "status": f.Status, "area": f.Area, "type": f.Type,
		"priority": f.Priority, "assignee": f.Assignee, "q": f.Q, "sort": f.Sort, "due": f.Due, "filed": f.Filed, "closed": f.Closed} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if f.AnswerField != "" && f.AnswerValue != "" {
		v.Set("answer."+f.AnswerField, f.AnswerValue)
	}
	return v
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request, p *page) error {
	if !p.Actor.CanAnywhere(beheer.PermRequestRead) {
		return beheer.ErrForbidden("")
	}
	v, err := s.queueView(r, p)
	if err != nil {
		return err
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("assigned")); err == nil && n > 0 {
		v.Assigned = p.T("queue.assigned", "count", n)
	}
	p.Title, p.Data = p.T("queue.title"), v
	block := ""
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "queue-results" {
		block = "queue-results"
	}
	if block != "" { // the tiles above the swapped results follow the new filter
		v.CountsURL = "/queue/counts?" + v.Query
	}
	s.render(w, http.StatusOK, "workqueue", block, p)
	return nil
}

func (s *Server) queueView(r *http.Request, p *page) (*queueView, error) {
	v := &queueView{F: queueFilterFrom(r.URL.Query()), Sorts: []string{"newest", "oldest", "updated", "priority", "due"}}
	v.Sort = v.F.Sort
	if v.Sort == "" {
		v.Sort = "newest" // the store's order when none is asked for
	}
	f, err := s.listFilter(r, p.Actor)
	if err != nil {
		if p.formErrors(err) {
			f, _ = s.listFilter(&http.Request{URL: &url.URL{}}, p.Actor)
			// A bad month from a hand-edited link is said, not kept.
			if p.Errors["filed"] != "" {
				v.F.Filed = ""
			}
			if p.Errors["closed"] != "" {
				v.F.Closed = ""
			}
		} else {
			return nil, err
		}
	}
	if v.F.Phase == "" && v.F.Status == "" && f.Filed.IsZero() && f.Closed.IsZero() {
		f.OpenOnly = true
	}
	v.Period = queuePeriodText(p, f)
	v.Search = searchNoteFor(f.Query)
	page, err := s.store.Requests(r.Context(), p.Actor, f)
	if err != nil {
		return nil, err
	}
	v.Items = page.Items
	if v.Period != "" {
		plain := v.F
		plain.Filed, plain.Closed = "", ""
		v.NoPeriod = "/queue?" + plain.values().Encode()
	}
	query := v.F.values()
	v.Query = query.Encode()
	if page.NextCursor != "" {
		next := v.F.values()
		next.Set("cursor", page.NextCursor)
		v.Next = "/queue?" + next.Encode()
	}
	if v.Counts, err = s.phaseCounts(r, p, f, v.F); err != nil {
		return nil, err
	}
	if v.F.filtered() && len(p.Errors) == 0 {
		v.CountsURL = "/queue/counts?" + v.Query
	}
	if v.Views, err = s.store.SavedViews(r.Context(), p.Actor); err != nil {
		return nil, err
	}
	if v.Areas, err = s.store.Areas(r.Context()); err != nil {
		return nil, err
	}
	if v.AnswerFields, err = s.answerFields(r, p); err != nil {
		return nil, err
	}
	v.CanAssign = p.Actor.CanAnywhere(beheer.PermRequestManage)
	if v.CanAssign {
		if v.Assignees, err = s.store.Assignees(r.Context(), p.Actor); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// phaseCounts counts the open requests per phase, each tile a link to the
// queue's filter in that phase. The page itself counts only what the few
// seconds' cache of OpenCounts knows (the area); with other filters it
// says so and asks for filtered counts afterwards (queueCounts), so the
// page never waits for a count.
func (s *Server) phaseCounts(r *http.Request, p *page, f store.Filter, qf queueFilter) ([]phaseCount, error) {
	counts, err := s.store.OpenCounts(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	var out []phaseCount
	for _, ph := range beheer.Phases[:4] {
		c := phaseCount{Phase: ph}
		for _, n := range counts {
			if n.Phase == ph && (len(f.AreaIDs) == 0 || slices.Contains(f.AreaIDs, n.AreaID)) {
				c.Count += n.Count
			}
		}
		out = append(out, c.linked(qf))
	}
	return out, nil
}

// linked gives a tile the queue's filter in its phase.
func (c phaseCount) linked(qf queueFilter) phaseCount {
	tile := qf
	tile.Phase = string(c.Phase)
	c.URL = "/queue?" + tile.values().Encode()
	return c
}

// filtered reports whether the queue's filter narrows more than the cached
// counts know: anything but the phase, the area and the order.
func (f queueFilter) filtered() bool {
	f.Phase, f.Area, f.Sort = "", "", ""
	return f != (queueFilter{})
}

// queueCounts answers the phase tiles under every active filter, one count
// per phase that stops at "99+": the queue page asks for it after it is
// shown, so a slow count never holds the page up.
func (s *Server) queueCounts(w http.ResponseWriter, r *http.Request, p *page) error {
	qf := queueFilterFrom(r.URL.Query())
	f, err := s.listFilter(r, p.Actor)
	if err != nil {
		return err
	}
	f.Cursor = ""
	v := &queueView{F: qf}
	if !qf.filtered() { // the cache knows these
		if v.Counts, err = s.phaseCounts(r, p, f, qf); err != nil {
			return err
		}
		p.Data = v
		s.render(w, http.StatusOK, "workqueue", "queue-counts", p)
		return nil
	}
	for _, ph := range beheer.Phases[:4] {
		g := f
		g.Phases, g.OpenOnly = []beheer.Phase{ph}, false
		n, err := s.store.CountRequests(r.Context(), p.Actor, g)
		if err != nil {
			return err
		}
		c := phaseCount{Phase: ph, Count: n, Capped: n >= store.MaxWorklistCount}
		v.Counts = append(v.Counts, c.linked(qf))
	}
	p.Data = v
	s.render(w, http.StatusOK, "workqueue", "queue-counts", p)
	return nil
}

// queueAssign assigns the chosen requests to one person. Each request is
// checked by the store as a single assignment would be; the answer says
// which succeeded and which did not, and why.
func (s *Server) queueAssign(w http.ResponseWriter, r *http.Request, p *page) error {
	q, _ := url.ParseQuery(r.PostFormValue("query"))
	back := "/queue?" + queueFilterFrom(q).values().Encode()
	ids := r.PostForm["id"]
	raw := r.PostFormValue("assignee")
	assignee, err := strconv.ParseInt(raw, 10, 64)
	if raw != "" && (err != nil || assignee < 0) {
		return beheer.Errorf(codeBadRequest, "error.bad_request")
	}
	status, msg := http.StatusUnprocessableEntity, p.T("queue.assign_none")
	var failed []string
	if raw == "" {
		msg = p.T("queue.assign_choose_first")
	} else if len(ids) > 0 {
		var ok int
		ok, failed = s.assignEach(r, p, ids, assignee)
		status, msg = http.StatusOK, p.T("queue.assigned", "count", ok)
		if len(failed) == 0 { // all done: back to the queue as it was, with the count
			to := queueFilterFrom(q).values()
			to.Set("assigned", strconv.Itoa(ok))
			redirect(w, r, "/queue?"+to.Encode())
			return nil
		}
	}
	v, err := s.queueViewFor(r, p, back)
	if err != nil {
		return err
	}
	v.Assigned, v.Failed, v.AssignBad = msg, failed, status != http.StatusOK || len(failed) > 0
	if status != http.StatusOK {
		v.Selected = map[int64]bool{}
		for _, raw := range ids {
			if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
				v.Selected[id] = true
			}
		}
	}
	p.Title, p.Data = p.T("queue.title"), v
	s.render(w, status, "workqueue", "", p)
	return nil
}

// assignEach assigns the requests one by one, each checked by the store as
// a single assignment is (no version check: the store audits each change).
// It returns how many succeeded and, per failure, the number and why.
func (s *Server) assignEach(r *http.Request, p *page, ids []string, assignee int64) (int, []string) {
	var ok int
	var failed []string
	for _, raw := range ids {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			failed = append(failed, raw+": "+p.T("error.bad_request"))
			continue
		}
		if _, err := s.store.UpdateRequest(r.Context(), p.Actor, id, 0, beheer.Patch{AssigneeID: &assignee}); err != nil {
			label := "#" + raw
			if req, _, e := s.store.Request(r.Context(), p.Actor, id); e == nil {
				label = req.Number
			}
			failed = append(failed, p.T("queue.failed_one", "number", label, "reason", s.message(p, err)))
			continue
		}
		ok++
	}
	return ok, failed
}

// queueViewFor builds the queue for a URL other than the current one.
func (s *Server) queueViewFor(r *http.Request, p *page, target string) (*queueView, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	r2.URL = u
	return s.queueView(r2, p)
}

// message is the user's text for an error.
func (s *Server) message(p *page, err error) string {
	be := s.asError(p.Request, err)
	if be.Key != "" && be.Key != "error."+string(be.Code) {
		return p.T(be.Key, be.Args...)
	}
	if len(be.Fields) > 0 {
		return p.T(be.Fields[0].Key, be.Fields[0].Args...)
	}
	return p.T("error." + string(be.Code))
}

// saveView names the current filter. Only the filter's own parameters are
// kept, so a view never carries a page cursor or anything else.
func (s *Server) saveView(w http.ResponseWriter, r *http.Request, p *page) error {
	q, _ := url.ParseQuery(r.PostFormValue("query"))
	query := queueFilterFrom(q).values().Encode()
	if err := s.store.SaveView(r.Context(), p.Actor, r.PostFormValue("name"), query); err != nil {
		if beheer.ErrorCode(err) != beheer.CodeInvalid {
			return err
		}
		v, verr := s.queueViewFor(r, p, "/queue?"+query)
		if verr != nil {
			return verr
		}
		p.formErrors(err)
		p.Title, p.Data = p.T("queue.title"), v
		s.render(w, http.StatusUnprocessableEntity, "workqueue", "", p)
		return nil
	}
	redirect(w, r, "/queue?"+query)
	return nil
}

func (s *Server) deleteView(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteView(r.Context(), p.Actor, id); err != nil {
		return err
	}
	redirect(w, r, "/queue")
	return nil
}

// ViewURL is the queue's URL for a saved view's query, re-encoded so only
// filter parameters come back and the link is a plain same-site path.
func (v *queueView) ViewURL(query string) string {
	q, _ := url.ParseQuery(query)
	return "/queue?" + queueFilterFrom(q).values().Encode()
}

// ExportURL is the address of the filtered view's export as kind ("csv" or
// "xlsx").
func (v *queueView) ExportURL(kind string) string {
	if v.Query == "" {
		return "/queue/export." + kind
	}
	return "/queue/export." + kind + "?" + v.Query
}

// ActiveFilters counts the filters that narrow the list (not its order),
// for the folded filter panel on a phone.
func (v *queueView) ActiveFilters() int {
	n := 0
	for _, val := range []string{v.F.Phase, v.F.Status, v.F.Area, v.F.Type, v.F.Priority, v.F.Assignee, v.F.Q, v.F.Due, v.F.Filed, v.F.Closed} {
		if val != "" {
			n++
		}
	}
	return n
}
