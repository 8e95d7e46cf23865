package server

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"beheer"
	"beheer/i18n"
)

// cell is one table cell of a figure: the text shown, an optional link to
// the requests behind it, and the raw value for exports (int, float64,
// string or time.Time).
type cell struct {
	Text  string
	Link  string
	Value any
	Num   bool // right-aligned number
}

// figure is one block of the dashboard: a chart, and the same numbers as a
// table (the chart's text alternative, and where the links are).
type figure struct {
	Wide   bool // spans the whole width
	Side   bool // wide, with the table beside the chart
	ID     string
	Title  string
	Intro  string
	Chart  template.HTML
	Header []string
	Rows   [][]cell
	Note   string
}

// dashboardView is the dashboard page.
type dashboardView struct {
	From, To   string // YYYY-MM
	Area       string
	Type       string
	Areas      []beheer.Area
	Scoped     bool // the person sees only their own areas
	Period     string
	ComputedAt string // when the figures were computed (they are reused for a minute)
	Figures    []figure
	Queue      []figure // the queue's health
	AtRisk     []*beheer.Request
	SLA        map[int64]SLABadge
	Query      string // the filter as a URL query, for exports
	Overdue    cell
	PeriodErr  string
	// This year's plan: its objectives with their progress, or no plan yet.
	PlanYear   int
	HasPlan    bool
	Objectives []*beheer.Objective
}

// hoursText shows a duration in hours, or in days from two days on.
func (p *page) hoursText(h float64) string {
	if h >= 48 {
		return p.T("dash.days", "n", i18n.FormatNumber(p.Lang, h/24, 1))
	}
	return p.T("dash.hours", "n", i18n.FormatNumber(p.Lang, h, 1))
}

func (p *page) monthLabel(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	return p.T("dash.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}

func intCell(p *page, n int, link string) cell {
	return cell{Text: p.Int(n), Link: link, Value: n, Num: true}
}

func textCell(s string) cell { return cell{Text: s, Value: s} }

func hoursCell(p *page, h float64, count int) cell {
	if count == 0 {
		return cell{Text: "–", Value: "", Num: true}
	}
	return cell{Text: p.hoursText(h), Value: roundTo(h, 1), Num: true}
}

func pctCell(p *page, n, of int) cell {
	f, ok := beheer.Percentage(n, of)
	if !ok {
		return cell{Text: "–", Value: "", Num: true}
	}
	return cell{Text: i18n.FormatNumber(p.Lang, f, 0) + "%", Value: roundTo(f, 1), Num: true}
}

func roundTo(f float64, d int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', d, 64), 64)
	return v
}

// queueLink is the work queue filtered as given, plus the dashboard's type
// filter.
func queueLink(typ string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if typ != "" {
		q.Set("type", typ)
	}
	return "/queue?" + q.Encode()
}

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, p *page) error {
	v, _, err := s.dashboard(r, p)
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("dash.title"), v
	status := http.StatusOK
	if v.PeriodErr != "" {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, status, "dashboard", "", p)
	return nil
}

// dashboard builds the figures for the person; a bad filter falls back to
// the default period with the message shown.
func (s *Server) dashboard(r *http.Request, p *page) (*dashboardView, *beheer.Report, error) {
	q := r.URL.Query()
	v := &dashboardView{From: q.Get("from"), To: q.Get("to"), Area: q.Get("area"), Type: q.Get("type")}
	f, err := s.reportFilter(r, q)
	if err != nil {
		if !p.formErrors(err) {
			return nil, nil, err
		}
		v.PeriodErr = p.Flash
		v.From, v.To, v.Area, v.Type = "", "", "", ""
		f, _ = s.reportFilter(r, url.Values{})
	}
	rep, err := s.store.Report(r.Context(), p.Actor, f)
	if err != nil {
		if !p.formErrors(err) {
			return nil, nil, err
		}
		v.PeriodErr = p.Flash
		v.From, v.To = "", ""
		f.From, f.To = time.Time{}, time.Time{}
		f2, _ := s.reportFilter(r, url.Values{})
		f.From, f.To = f2.From, f2.To
		if rep, err = s.store.Report(r.Context(), p.Actor, f); err != nil {
			return nil, nil, err
		}
	}
	if v.From == "" {
		v.From = rep.From.In(s.zone).Format("2006-01")
	}
	if v.To == "" {
		v.To = rep.To.In(s.zone).AddDate(0, 0, -1).Format("2006-01")
	}
	all, own := p.Actor.Scope(beheer.PermReportRead)
	areas, err := s.store.Areas(r.Context())
	if err != nil {
		return nil, nil, err
	}
	for _, a := range areas {
		if all || slices.Contains(own, a.ID) {
			v.Areas = append(v.Areas, a)
		}
	}
	v.Scoped = !all
	v.Period = p.T("dash.period", "from", p.monthLabel(rep.From, s.zone), "to", p.monthLabel(rep.To.AddDate(0, 0, -1), s.zone))
	v.ComputedAt = p.T("dash.computed_at", "time", rep.ComputedAt.In(s.zone).Format("15:04"))
	query := url.Values{}
	for k, val := range map[string]string{"from": v.From, "to": v.To, "area": v.Area, "type": v.Type} {
		if val != "" {
			query.Set(k, val)
		}
	}
	v.Query = query.Encode()
	v.Figures, v.Queue = s.figures(p, rep, areas, v)
	v.Overdue = intCell(p, rep.Overdue, "")
	reqs, states, err := s.store.AtRisk(r.Context(), p.Actor, f, 15)
	if err != nil {
		return nil, nil, err
	}
	v.AtRisk = reqs
	if err := s.dashboardObjectives(r, p, v); err != nil {
		return nil, nil, err
	}
	v.SLA = map[int64]SLABadge{}
	for _, req := range reqs {
		v.SLA[req.ID] = p.slaBadge(req, states[req.ID])
	}
	return v, rep, nil
}

var openPhases = []beheer.Phase{beheer.PhaseIntake, beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation}

// figures turns the report into the dashboard's blocks: the management
// figures, then the queue's health.
func (s *Server) figures(p *page, rep *beheer.Report, areas []beheer.Area, v *dashboardView) (main, queue []figure) {
	typ := v.Type
	areaCode := func(id int64) string {
		for _, a := range areas {
			if a.ID == id {
				return a.Code
			}
		}
		return ""
	}
	areaName := func(id int64) string {
		for _, a := range areas {
			if a.ID == id {
				return a.Name
			}
		}
		return p.T("request.area_unknown")
	}
	number := func(f float64) string { return i18n.FormatNumber(p.Lang, f, 0) }
	hoursFmt := func(f float64) string { return p.hoursText(f) }

	// Open work per phase and area.
	open := figure{Wide: true, ID: "open", Title: p.T("dash.open.title"), Intro: p.T("dash.open.intro")}
	open.Header = []string{p.T("report.col.area")}
	for _, ph := range openPhases {
		open.Header = append(open.Header, p.Name(ph))
	}
	open.Header = append(open.Header, p.T("dash.total"))
	var areaIDs []int64
	for _, o := range rep.Open {
		if !slices.Contains(areaIDs, o.AreaID) {
			areaIDs = append(areaIDs, o.AreaID)
		}
	}
	phaseTotals := make([]float64, len(openPhases))
	for _, id := range areaIDs {
		code := areaCode(id)
		row := []cell{textCell(areaName(id))}
		total := 0
		for i, ph := range openPhases {
			n := 0
			for _, o := range rep.Open {
				if o.AreaID == id && o.Phase == ph {
					n += o.Count
				}
			}
			total += n
			phaseTotals[i] += float64(n)
			link := ""
			if code != "" {
				link = queueLink(typ, "phase", string(ph), "area", code)
			}
			row = append(row, intCell(p, n, link))
		}
		link := ""
		if code != "" {
			link = queueLink(typ, "area", code)
		}
		open.Rows = append(open.Rows, append(row, intCell(p, total, link)))
	}
	totalRow := []cell{textCell(p.T("dash.total"))}
	sum := 0
	for i, ph := range openPhases {
		totalRow = append(totalRow, intCell(p, int(phaseTotals[i]), queueLink(typ, "phase", string(ph), "area", v.Area)))
		sum += int(phaseTotals[i])
	}
	open.Rows = append(open.Rows, append(totalRow, intCell(p, sum, queueLink(typ, "area", v.Area))))
	var phaseLabels []string
	for _, ph := range openPhases {
		phaseLabels = append(phaseLabels, p.Name(ph))
	}
	open.Chart = chart{ID: "ch-open", Title: open.Title, Desc: p.T("dash.open.desc", "count", sum),
		Labels: phaseLabels, Values: [][]float64{phaseTotals}, Format: number}.Bars()
	main = append(main, open)

	// Throughput per month.
	tp := figure{Wide: true, Side: true, ID: "throughput", Title: p.T("dash.throughput.title"), Intro: p.T("dash.throughput.intro"),
		Header: []string{p.T("report.col.month"), p.T("dash.filed"), p.T("dash.closed")}}
	var months, years []string
	filed, closed := make([]float64, len(rep.Throughput)), make([]float64, len(rep.Throughput))
	tf, tc := 0, 0
	for i, m := range rep.Throughput {
		label := p.monthLabel(m.Month, s.zone)
		local := m.Month.In(s.zone)
		months = append(months, p.T("dash.month."+strconv.Itoa(int(local.Month()))))
		year := ""
		if i == 0 || local.Month() == time.January {
			year = strconv.Itoa(local.Year())
		}
		years = append(years, year)
		filed[i], closed[i] = float64(m.Filed), float64(m.Closed)
		tf += m.Filed
		tc += m.Closed
		month := local.Format("2006-01")
		tp.Rows = append(tp.Rows, []cell{{Text: label, Value: m.Month},
			intCell(p, m.Filed, queueLink(typ, "filed", month, "area", v.Area)),
			intCell(p, m.Closed, queueLink(typ, "closed", month, "area", v.Area))})
	}
	period := v.From + ".." + v.To
	tp.Rows = append(tp.Rows, []cell{textCell(p.T("dash.total")), intCell(p, tf, queueLink(typ, "filed", period, "area", v.Area)),
		intCell(p, tc, queueLink(typ, "closed", period, "area", v.Area))})
	tp.Chart = chart{ID: "ch-throughput", Title: tp.Title, Desc: p.T("dash.throughput.desc", "filed", tf, "closed", tc, "period", v.Period),
		Series: []string{p.T("dash.filed"), p.T("dash.closed")}, Labels: months, SubLabels: years, Values: [][]float64{filed, closed}, Format: number}.Columns()
	main = append(main, tp)

	// Lead time per phase.
	lt := figure{ID: "leadtime", Title: p.T("dash.lead.title"), Intro: p.T("dash.lead.intro"),
		Header: []string{p.T("report.col.phase"), p.T("report.col.count"), p.T("report.col.median"), p.T("report.col.p90")}}
	var ltLabels []string
	var medians []float64
	for _, sp := range rep.LeadTimes {
		label := p.T("dash.lead.total")
		link := queueLink(typ, "closed", v.From+".."+v.To, "area", v.Area)
		if sp.Group != "total" {
			label = p.Name(beheer.Phase(sp.Group))
			link = queueLink(typ, "phase", sp.Group, "area", v.Area)
		}
		ltLabels = append(ltLabels, label)
		medians = append(medians, sp.Median)
		lt.Rows = append(lt.Rows, []cell{{Text: label, Value: label, Link: link}, intCell(p, sp.Count, ""),
			hoursCell(p, sp.Median, sp.Count), hoursCell(p, sp.P90, sp.Count)})
	}
	lt.Chart = chart{ID: "ch-lead", Title: lt.Title, Desc: p.T("dash.lead.desc"), Labels: ltLabels,
		Values: [][]float64{medians}, Format: hoursFmt}.Bars()
	main = append(main, lt)

	// Service levels.
	sl := figure{ID: "sla", Title: p.T("dash.sla.title"), Intro: p.T("dash.sla.intro"),
		Header: []string{p.T("report.col.priority"), p.T("dash.sla.ended"), p.T("dash.sla.response_met"), p.T("dash.sla.resolution_met")}}
	var slLabels []string
	var slPct []float64
	for _, x := range rep.SLA {
		slLabels = append(slLabels, p.Name(x.Priority))
		pct, _ := beheer.Percentage(x.ResolutionMet, x.Ended)
		slPct = append(slPct, pct)
		sl.Rows = append(sl.Rows, []cell{{Text: p.Name(x.Priority), Value: p.Name(x.Priority), Link: queueLink(typ, "priority", string(x.Priority), "area", v.Area)},
			intCell(p, x.Ended, ""), pctCell(p, x.ResponseMet, x.Ended), pctCell(p, x.ResolutionMet, x.Ended)})
	}
	sl.Chart = chart{ID: "ch-sla", Title: sl.Title, Desc: p.T("dash.sla.desc"), Labels: slLabels, Values: [][]float64{slPct},
		Format: func(f float64) string { return number(f) + "%" }}.Bars()
	sl.Note = p.T("dash.sla.overdue", "count", rep.Overdue)
	main = append(main, sl)

	// Escalations per channel.
	es := figure{ID: "escalations", Title: p.T("dash.esc.title"), Intro: p.T("dash.esc.intro"),
		Header: []string{p.T("report.col.channel"), p.T("dash.esc.opened"), p.T("dash.esc.open"), p.T("dash.esc.closed"),
			p.T("report.col.median"), p.T("report.col.p90")}}
	var esLabels []string
	var esOpened []float64
	for _, c := range rep.Channels {
		esLabels = append(esLabels, p.Name(c.Channel))
		esOpened = append(esOpened, float64(c.Opened))
		es.Rows = append(es.Rows, []cell{textCell(p.Name(c.Channel)), intCell(p, c.Opened, ""),
			intCell(p, c.Open, ""), intCell(p, c.Closed, ""), hoursCell(p, c.Median, c.Closed), hoursCell(p, c.P90, c.Closed)})
	}
	es.Chart = chart{ID: "ch-esc", Title: es.Title, Desc: p.T("dash.esc.desc"), Labels: esLabels, Values: [][]float64{esOpened}, Format: number}.Bars()
	main = append(main, es)

	// Decisions.
	d := rep.Decisions
	de := figure{ID: "decisions", Title: p.T("dash.dec.title"), Intro: p.T("dash.dec.intro"),
		Header: []string{p.T("dash.dec.approved"), p.T("dash.dec.rejected"), p.T("report.col.median"), p.T("report.col.p90")}}
	de.Rows = [][]cell{{intCell(p, d.Approved, ""), intCell(p, d.Rejected, ""),
		hoursCell(p, d.Median, d.Approved+d.Rejected), hoursCell(p, d.P90, d.Approved+d.Rejected)}}
	de.Chart = chart{ID: "ch-dec", Title: de.Title, Desc: p.T("dash.dec.desc", "approved", d.Approved, "rejected", d.Rejected),
		Labels: []string{p.T("dash.dec.approved"), p.T("dash.dec.rejected")},
		Values: [][]float64{{float64(d.Approved), float64(d.Rejected)}}, Format: number}.Bars()
	main = append(main, de)

	// Ratings.
	ra := figure{ID: "ratings", Title: p.T("dash.rating.title"), Intro: p.T("dash.rating.intro"),
		Header: []string{p.T("report.col.rating"), p.T("report.col.count")}}
	var raLabels []string
	var raCounts []float64
	for i, n := range rep.Ratings.Counts {
		label := p.T("dash.rating.stars", "n", i+1)
		raLabels = append(raLabels, label)
		raCounts = append(raCounts, float64(n))
		ra.Rows = append(ra.Rows, []cell{{Text: label, Value: i + 1}, intCell(p, n, "")})
	}
	if rep.Ratings.Count > 0 {
		ra.Note = p.T("dash.rating.average", "avg", i18n.FormatNumber(p.Lang, rep.Ratings.Average, 1), "count", rep.Ratings.Count)
	} else {
		ra.Note = p.T("dash.rating.none")
	}
	ra.Chart = chart{ID: "ch-rating", Title: ra.Title, Desc: ra.Note, Labels: raLabels, Values: [][]float64{raCounts}, Format: number}.Bars()
	main = append(main, ra)

	// The queue's health: aging and load.
	ag := figure{ID: "aging", Title: p.T("dash.aging.title"), Intro: p.T("dash.aging.intro"),
		Header: []string{p.T("report.col.age"), p.T("report.col.count")}}
	var agLabels []string
	var agCounts []float64
	for _, a := range rep.Aging {
		label := p.T("dash.aging." + a.Bucket)
		agLabels = append(agLabels, label)
		agCounts = append(agCounts, float64(a.Count))
		ag.Rows = append(ag.Rows, []cell{textCell(label), intCell(p, a.Count, "")})
	}
	ag.Chart = chart{ID: "ch-aging", Title: ag.Title, Desc: p.T("dash.aging.desc"), Labels: agLabels, Values: [][]float64{agCounts}, Format: number}.Bars()
	ag.Note = p.T("dash.aging.note")
	queue = append(queue, ag)

	lo := figure{ID: "load", Title: p.T("dash.load.title"), Intro: p.T("dash.load.intro"),
		Header: []string{p.T("report.col.assignee"), p.T("report.col.open")}}
	var loLabels []string
	var loCounts []float64
	for _, l := range rep.Load {
		name, who := l.Name, strconv.FormatInt(l.AssigneeID, 10)
		if l.AssigneeID == 0 {
			name, who = p.T("queue.nobody"), "none"
		}
		loLabels = append(loLabels, name)
		loCounts = append(loCounts, float64(l.Count))
		lo.Rows = append(lo.Rows, []cell{textCell(name), intCell(p, l.Count, queueLink(typ, "assignee", who, "area", v.Area))})
	}
	lo.Chart = chart{ID: "ch-load", Title: lo.Title, Desc: p.T("dash.load.desc"), Labels: loLabels, Values: [][]float64{loCounts}, Format: number}.Bars()
	queue = append(queue, lo)
	return main, queue
}

// figureByID finds a figure for an export.
func figureByID(v *dashboardView, id string) (figure, bool) {
	for _, f := range append(append([]figure{}, v.Figures...), v.Queue...) {
		if f.ID == id {
			return f, true
		}
	}
	return figure{}, false
}

// dashboardObjectives adds this year's objectives from the annual plan,
// with the progress their linked work shows.
func (s *Server) dashboardObjectives(r *http.Request, p *page, v *dashboardView) error {
	v.PlanYear = s.now().In(s.zone).Year()
	plan, err := s.store.Plan(r.Context(), p.Actor, v.PlanYear)
	var be *beheer.Error
	if errors.As(err, &be) && be.Code == beheer.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	v.HasPlan, v.Objectives = true, plan.Objectives
	return nil
}
