package notify

import (
	"context"
	htmltemplate "html/template"
	"net/url"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode/utf8"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// The monthly report: on the first working day of a month the directie
// gets the figures of the month before, beside those of the month before
// that, for the organisation and per area. The figures are the
// dashboard's, computed with each director's own report scope.

var (
	htmlMonthly = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/monthly.html", "templates/frame.html"))
	textMonthly = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/monthly.txt"))
)

// MonthlyReport queues the monthly report once it is due (see
// beheer.MonthlyReportDue): from the opening of the month's first working
// day in the organisation's business-hours calendar. The figures are
// computed first, outside any transaction; the store then queues the
// e-mails under the lock of its cursor, so a second call that month, from
// this process or another, queues nothing. It returns how many e-mails
// were queued.
func (w *Workers) MonthlyReport(ctx context.Context, now time.Time) (int, error) {
	settings, err := w.st.SLACalendarSettings(ctx)
	if err != nil {
		return 0, err
	}
	cal, err := settings.Calendar()
	if err != nil {
		return 0, err
	}
	last, err := w.st.MonthlyReportSent(ctx)
	if err != nil {
		return 0, err
	}
	month, due := beheer.MonthlyReportDue(cal, now, last)
	if !due {
		return 0, nil
	}
	people, err := w.st.MonthlyRecipients(ctx)
	if err != nil {
		return 0, err
	}
	areas, err := w.st.Areas(ctx)
	if err != nil {
		return 0, err
	}
	mails := map[int64]*store.OutMail{}
	for _, p := range people {
		rep, err := w.monthlyFigures(ctx, p.Actor, month, areas)
		if err != nil {
			return 0, err
		}
		if mails[p.ID], err = w.render.Monthly(&p.Person, rep); err != nil {
			return 0, err
		}
	}
	return w.st.QueueMonthlyReports(ctx, beheer.MonthKey(month, cal.Zone), mails)
}

// monthlyFigures gathers the report of month and the month before as the
// actor may read them: in total and per area of their scope, leaving out
// the areas where nothing happened.
func (w *Workers) monthlyFigures(ctx context.Context, a *beheer.Actor, month time.Time, areas []beheer.Area) (*beheer.MonthlyReport, error) {
	both := func(areaIDs []int64) (cur, prev *beheer.Report, err error) {
		if cur, err = w.st.Report(ctx, a, beheer.ReportFilter{From: month, To: month, AreaIDs: areaIDs}); err != nil {
			return nil, nil, err
		}
		before := month.AddDate(0, -1, 0)
		prev, err = w.st.Report(ctx, a, beheer.ReportFilter{From: before, To: before, AreaIDs: areaIDs})
		return cur, prev, err
	}
	cur, prev, err := both(nil)
	if err != nil {
		return nil, err
	}
	out := &beheer.MonthlyReport{Month: beheer.MonthFiguresOf(cur), Previous: beheer.MonthFiguresOf(prev), OverdueNow: cur.Overdue}
	for _, o := range cur.Open {
		out.OpenNow += o.Count
	}
	all, own := a.Scope(beheer.PermReportRead)
	for _, area := range areas {
		if !all && !slices.Contains(own, area.ID) {
			continue
		}
		cur, prev, err := both([]int64{area.ID})
		if err != nil {
			return nil, err
		}
		af := beheer.AreaFigures{Area: area, Month: beheer.MonthFiguresOf(cur), Previous: beheer.MonthFiguresOf(prev)}
		if !af.Quiet() {
			out.Areas = append(out.Areas, af)
		}
	}
	return out, nil
}

// monthlyData is what the monthly report's templates get.
type monthlyData struct {
	Lang, Heading, Greeting, Intro, Now string
	Columns                             [3]string // the figure, this month, the month before
	Rows                                []figureRow
	Table                               string // Rows as aligned plain text
	AreasTitle, AreasIntro              string
	AreaColumns                         []string
	Areas                               []areaRow
	AreaTable                           string // Areas as aligned plain text
	Note, Button, Link                  string
	Why, Settings, SetURL               string
}

// figureRow is one figure: its name and its value in both months.
type figureRow struct{ Name, Month, Previous string }

// areaRow is one area: its name and per column this month's value and the
// month before's.
type areaRow struct {
	Name  string
	Cells []figureRow
}

// Monthly renders the monthly report for p.
func (r *Renderer) Monthly(p *store.Person, m *beheer.MonthlyReport) (*store.OutMail, error) {
	l := lang(p.Lang)
	c := r.Catalog
	month, previous := i18n.FormatMonth(l, m.Month.Month, r.Zone), i18n.FormatMonth(l, m.Previous.Month, r.Zone)
	d := monthlyData{
		Lang:     string(l),
		Heading:  c.T(l, "monthly.heading", "month", month),
		Greeting: c.T(l, "mail.greeting", "name", p.Name),
		Intro:    c.T(l, "monthly.intro", "month", month, "previous", previous),
		Now:      c.T(l, "monthly.now", "open", i18n.FormatInt(l, int64(m.OpenNow)), "overdue", i18n.FormatInt(l, int64(m.OverdueNow))),
		Columns:  [3]string{c.T(l, "monthly.figure"), month, previous},
		Note:     c.T(l, "monthly.note"),
		Button:   c.T(l, "monthly.open_dashboard"),
		Link: r.BaseURL + "/dashboard?" + url.Values{"from": {m.Previous.Month.In(r.Zone).Format("2006-01")},
			"to": {m.Month.Month.In(r.Zone).Format("2006-01")}}.Encode(),
		Why:      c.T(l, "monthly.why"),
		Settings: c.T(l, "mail.settings"),
		SetURL:   r.BaseURL + "/settings/notifications",
	}
	f := figureFormat{r: r, l: l}
	for _, k := range monthlyFigureKeys {
		d.Rows = append(d.Rows, figureRow{c.T(l, "monthly."+k), f.value(k, m.Month), f.value(k, m.Previous)})
	}
	table := [][]string{d.Columns[:]}
	for _, fr := range d.Rows {
		table = append(table, []string{fr.Name, fr.Month, fr.Previous})
	}
	d.Table = columns(table)
	if len(m.Areas) > 0 {
		d.AreasTitle = c.T(l, "monthly.areas")
		d.AreasIntro = c.T(l, "monthly.areas_intro", "previous", previous)
		d.AreaColumns = []string{c.T(l, "monthly.area")}
		for _, k := range monthlyAreaKeys {
			d.AreaColumns = append(d.AreaColumns, c.T(l, "monthly.col."+k))
		}
		table := [][]string{d.AreaColumns}
		for _, a := range m.Areas {
			name := beheer.OneLine(a.Area.Name)
			row, line := areaRow{Name: name}, []string{name}
			for _, k := range monthlyAreaKeys {
				cell := figureRow{Month: f.value(k, a.Month), Previous: f.value(k, a.Previous)}
				row.Cells = append(row.Cells, cell)
				line = append(line, cell.Month+" ("+cell.Previous+")")
			}
			d.Areas = append(d.Areas, row)
			table = append(table, line)
		}
		d.AreaTable = columns(table)
	}
	return r.build(p, c.T(l, "monthly.subject", "month", month), htmlMonthly, textMonthly, d)
}

// monthlyFigureKeys are the figures of the report, in the order shown.
var monthlyFigureKeys = []string{"filed", "closed", "open_at_end", "late", "resolution_met", "response_met", "lead_time", "rating", "ratings"}

// monthlyAreaKeys are the figures per area.
var monthlyAreaKeys = []string{"filed", "closed", "open_at_end", "resolution_met"}

// figureFormat writes figures in a person's language.
type figureFormat struct {
	r *Renderer
	l i18n.Lang
}

func (f figureFormat) value(key string, m beheer.MonthFigures) string {
	c := f.r.Catalog
	n := func(v int) string { return i18n.FormatInt(f.l, int64(v)) }
	pct := func(part, of int) string {
		p, ok := beheer.Percentage(part, of)
		if !ok {
			return "–"
		}
		return i18n.FormatNumber(f.l, p, 0) + "%"
	}
	switch key {
	case "filed":
		return n(m.Filed)
	case "closed":
		return n(m.Closed)
	case "open_at_end":
		return n(m.OpenAtEnd)
	case "late":
		return c.T(f.l, "monthly.late_value", "late", n(m.Late), "ended", n(m.Ended))
	case "resolution_met":
		return pct(m.ResolutionMet, m.Ended)
	case "response_met":
		return pct(m.ResponseMet, m.Ended)
	case "lead_time":
		if m.LeadTimes == 0 {
			return "–"
		}
		if m.LeadMedian >= 48 {
			return c.T(f.l, "dash.days", "n", i18n.FormatNumber(f.l, m.LeadMedian/24, 1))
		}
		return c.T(f.l, "dash.hours", "n", i18n.FormatNumber(f.l, m.LeadMedian, 1))
	case "rating":
		if m.Ratings == 0 {
			return "–"
		}
		return i18n.FormatNumber(f.l, m.Rating, 1)
	case "ratings":
		return n(m.Ratings)
	}
	return ""
}

// columns lays a table out as plain text: the first column left-aligned,
// the others right-aligned, three spaces apart.
func columns(rows [][]string) string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i == 0 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString("   " + pad + cell)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
