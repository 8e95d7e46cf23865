package server

import (
	"net/http"

	"beheer"
)

// The dashboard's figures of the seed's cycle: the availability record
// (outages per month and how long) and the hours per month, area and
// channel. They export with the other figures (CSV per figure, XLSX all).

// cycleFigures adds the availability record and the hours to the
// dashboard, for the dashboard's period (and areas, for the hours).
func (s *Server) cycleFigures(r *http.Request, p *page, rep *beheer.Report, v *dashboardView) error {
	months, err := s.store.Availability(r.Context(), p.Actor, rep.From, rep.To)
	if err != nil {
		return err
	}
	v.Figures = append(v.Figures, availabilityFigure(p, s, months))
	rows, err := s.store.TimeReport(r.Context(), p.Actor, s.timeFilter(rep.From, rep.To, rep.AreaIDs))
	if err != nil {
		return err
	}
	v.Figures = append(v.Figures, hoursFigure(p, s, rows))
	return nil
}

// hoursValue is a duration in hours for a cell: shown as "h:mm", exported
// as hours with one decimal.
func hoursValue(minutes int) cell {
	return cell{Text: beheer.FormatMinutes(minutes), Value: roundTo(float64(minutes)/60, 1), Num: true}
}

func availabilityFigure(p *page, s *Server, months []beheer.MonthAvailability) figure {
	f := figure{Wide: true, ID: "availability", Title: p.T("cycle.report.availability"), Intro: p.T("cycle.report.availability_intro"),
		Header: []string{p.T("cycle.report.month"), p.T("cycle.report.outages"), p.T("cycle.report.duration"), p.T("cycle.report.longest")}}
	total, minutes := 0, 0
	for _, m := range months {
		f.Rows = append(f.Rows, []cell{textCell(p.monthLabel(m.Month, s.zone)), intCell(p, m.Outages, ""),
			hoursValue(int(m.Duration.Minutes())), hoursValue(int(m.Longest.Minutes()))})
		total += m.Outages
		minutes += int(m.Duration.Minutes())
	}
	f.Note = p.T("cycle.report.availability_total", "count", total, "duration", beheer.FormatMinutes(minutes))
	return f
}

func hoursFigure(p *page, s *Server, rows []beheer.TimeReportRow) figure {
	f := figure{Wide: true, ID: "hours", Title: p.T("cycle.report.hours"), Intro: p.T("cycle.report.hours_intro"),
		Header: []string{p.T("cycle.report.month"), p.T("report.col.area"), p.T("cycle.report.channel"), p.T("cycle.time.hours"),
			p.T("cycle.report.entries")}}
	for _, row := range rows {
		area := row.AreaName
		if area == "" {
			area = p.T("request.area_unknown")
		}
		channel := p.T("cycle.time.own")
		if row.Channel != "" {
			channel = p.Name(row.Channel)
		}
		f.Rows = append(f.Rows, []cell{textCell(p.monthLabel(row.Month, s.zone)), textCell(area), textCell(channel),
			hoursValue(row.Minutes), intCell(p, row.Entries, "")})
	}
	if len(rows) == 0 {
		f.Note = p.T("cycle.report.hours_none")
	}
	return f
}
