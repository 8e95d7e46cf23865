package server

import (
	"bufio"
	"encoding/csv"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"beheer"
	"beheer/i18n"
	"beheer/store"
)

// tableWriter writes one table of an export: a header, then rows of int,
// float64, string, multiline or time.Time values (a zero time is an empty
// cell). A string is written on one line (beheer.OneLine): a title stored
// with a line break never splits a row.
type tableWriter interface {
	Header(cols []string) error
	Row(values []any) error
}

// multiline is an export cell that keeps its line breaks: a text written
// over several lines, such as a description.
type multiline string

// day is an export cell that holds a date without a time, such as a date
// a form asked for: dd-mm-yyyy in CSV, a date cell in Excel.
type day time.Time

// csvTable writes CSV as spreadsheet programs in the person's language read
// it: Dutch with semicolons and decimal commas, English with commas and
// points, both UTF-8 with a byte-order mark.
type csvTable struct {
	w    *csv.Writer
	lang i18n.Lang
	zone *time.Location
}

func newCSVTable(w io.Writer, lang i18n.Lang, zone *time.Location) (*csvTable, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	c := csv.NewWriter(w)
	if lang == i18n.NL {
		c.Comma = ';'
	}
	return &csvTable{w: c, lang: lang, zone: zone}, nil
}

func (c *csvTable) Header(cols []string) error { return c.w.Write(cols) }

func (c *csvTable) Row(values []any) error {
	rec := make([]string, len(values))
	for i, v := range values {
		switch x := v.(type) {
		case int:
			rec[i] = strconv.Itoa(x)
		case int64:
			rec[i] = strconv.FormatInt(x, 10)
		case float64:
			rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
			if c.lang == i18n.NL {
				rec[i] = strings.Replace(rec[i], ".", ",", 1)
			}
		case time.Time:
			if !x.IsZero() {
				rec[i] = x.In(c.zone).Format("2006-01-02 15:04")
			}
		case string:
			rec[i] = csvSafe(beheer.OneLine(x))
		case multiline:
			rec[i] = csvSafe(string(x))
		case day:
			rec[i] = time.Time(x).Format("02-01-2006")
		}
	}
	return c.w.Write(rec)
}

// csvSafe keeps a spreadsheet from reading user text as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// xlsxTable writes one worksheet through excelize's stream writer, which
// keeps rows on disk rather than in memory.
type xlsxTable struct {
	sw        *excelize.StreamWriter
	row       int
	dateStyle int
	dayStyle  int
	headStyle int
	zone      *time.Location
}

func newXLSXTable(f *excelize.File, sheet string, widths []float64, zone *time.Location) (*xlsxTable, error) {
	if _, err := f.NewSheet(sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	format, dayFormat := "dd-mm-yyyy hh:mm", "dd-mm-yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return nil, err
	}
	dayOnly, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dayFormat})
	if err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	return &xlsxTable{sw: sw, dateStyle: date, dayStyle: dayOnly, headStyle: head, zone: zone}, nil
}

func (x *xlsxTable) Header(cols []string) error {
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = excelize.Cell{StyleID: x.headStyle, Value: c}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return x.next(row)
}

func (x *xlsxTable) Row(values []any) error {
	row := make([]any, len(values))
	for i, v := range values {
		switch t := v.(type) {
		case time.Time:
			if !t.IsZero() {
				row[i] = excelize.Cell{StyleID: x.dateStyle, Value: t.In(x.zone)}
			}
		case string:
			if t != "" {
				row[i] = beheer.OneLine(t)
			}
		case multiline:
			if t != "" {
				row[i] = string(t)
			}
		case day:
			row[i] = excelize.Cell{StyleID: x.dayStyle, Value: time.Time(t)}
		default:
			row[i] = v
		}
	}
	return x.next(row)
}

func (x *xlsxTable) next(row []any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, row)
}

func (x *xlsxTable) Flush() error { return x.sw.Flush() }

// exportName is a file name with today's date.
func (s *Server) exportName(p *page, key, ext string) string {
	return p.T(key) + "-" + s.now().In(s.zone).Format("2006-01-02") + "." + ext
}

func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// requestColumns are the export's columns: header key and the value.
func (p *page) requestExportHeader() []string {
	keys := []string{"number", "title", "type", "phase", "status", "priority", "area", "assignee", "requester",
		"created", "updated", "closed", "rating"}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p.T("report.col." + k)
	}
	return out
}

var requestExportWidths = []float64{11, 48, 20, 14, 26, 11, 18, 22, 22, 17, 17, 17, 10}

func (p *page) requestExportRow(r *beheer.Request) []any {
	var rating any = ""
	if r.Rating > 0 {
		rating = r.Rating
	}
	area := r.AreaName
	if area == "" {
		area = p.T("request.area_unknown")
	}
	return []any{r.Number, r.Title, p.Name(r.Type), p.Name(r.Phase), p.Name(r.Status), p.Name(r.Priority), area,
		r.AssigneeName, r.RequesterName, r.CreatedAt, r.UpdatedAt, r.ClosedAt, rating}
}

// walkRequests calls fn for every page of requests of the queue's filter,
// along the keyset cursor, never holding more than one page.
func (s *Server) walkRequests(r *http.Request, p *page, fn func([]*beheer.Request) error) error {
	q := r.URL.Query()
	q.Del("cursor")
	q.Del("limit")
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	f, err := s.listFilter(r2, p.Actor)
	if err != nil {
		return err
	}
	if q.Get("phase") == "" && q.Get("status") == "" && f.Filed.IsZero() && f.Closed.IsZero() {
		f.OpenOnly = true // as the queue page lists them
	}
	f.Limit = store.MaxLimit
	for {
		page, err := s.store.Requests(r.Context(), p.Actor, f)
		if err != nil {
			return err
		}
		if err := fn(page.Items); err != nil {
			return err
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

// checkExport answers the filter's errors before anything is written.
func (s *Server) checkExport(r *http.Request, p *page) error {
	if !p.Actor.CanAnywhere(beheer.PermRequestRead) {
		return beheer.ErrForbidden("")
	}
	_, err := s.listFilter(r, p.Actor)
	return err
}

func (s *Server) queueExportCSV(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.queueExport(w, r, p, s.downloadCSV)
}

func (s *Server) queueExportXLSX(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.queueExport(w, r, p, func(w http.ResponseWriter, p *page, fileKey string, header []string, rows func(add func([]any) error) error) error {
		widths := append(slices.Clone(requestExportWidths), slices.Repeat([]float64{answerWidth}, len(header)-len(requestExportWidths))...)
		return s.downloadXLSX(w, p, fileKey, p.T("report.sheet.requests"), widths, header, rows)
	})
}

// downloadCSV streams one table as a CSV download named after fileKey:
// the header, then every row rows adds, flushed every 500 rows with more
// time to write. Once the first byte is out an error can only be logged.
func (s *Server) downloadCSV(w http.ResponseWriter, p *page, fileKey string, header []string, rows func(add func([]any) error) error) error {
	extendDeadline(w)
	attachment(w, "text/csv; charset=utf-8", s.exportName(p, fileKey, "csv"))
	bw := bufio.NewWriterSize(w, 32<<10)
	t, err := newCSVTable(bw, p.Lang, s.zone)
	if err != nil {
		return nil
	}
	if err := t.Header(header); err != nil {
		return nil
	}
	n := 0
	err = rows(func(values []any) error {
		if err := t.Row(values); err != nil {
			return err
		}
		if n++; n%500 == 0 {
			t.w.Flush()
			extendDeadline(w)
		}
		return t.w.Error()
	})
	t.w.Flush()
	bw.Flush()
	if err != nil {
		s.log.Error("export csv", "file", fileKey, "err", err)
	}
	return nil
}

// downloadXLSX builds one worksheet and sends it as an Excel download
// named after fileKey; an error before the download starts is the
// handler's.
func (s *Server) downloadXLSX(w http.ResponseWriter, p *page, fileKey, sheet string, widths []float64, header []string,
	rows func(add func([]any) error) error) error {
	extendDeadline(w)
	f := excelize.NewFile()
	defer f.Close()
	t, err := newXLSXTable(f, sheet, widths, s.zone)
	if err != nil {
		return err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	if err := t.Header(header); err != nil {
		return err
	}
	if err := rows(t.Row); err != nil {
		return err
	}
	if err := t.Flush(); err != nil {
		return err
	}
	attachment(w, xlsxType, s.exportName(p, fileKey, "xlsx"))
	if err := f.Write(w); err != nil {
		s.log.Error("export xlsx", "file", fileKey, "err", err)
	}
	return nil
}

// extendDeadline gives a long export more time to write.
func extendDeadline(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
}

// figureValues are a figure's rows as raw values.
func figureValues(f figure) [][]any {
	out := make([][]any, len(f.Rows))
	for i, row := range f.Rows {
		out[i] = make([]any, len(row))
		for j, c := range row {
			out[i][j] = c.Value
		}
	}
	return out
}

func (s *Server) dashboardExportCSV(w http.ResponseWriter, r *http.Request, p *page) error {
	v, _, err := s.dashboard(r, p)
	if err != nil {
		return err
	}
	fig, ok := figureByID(v, r.URL.Query().Get("figure"))
	if !ok {
		return beheer.ErrNotFound()
	}
	attachment(w, "text/csv; charset=utf-8", s.exportName(p, "report.file.report", "csv"))
	t, err := newCSVTable(w, p.Lang, s.zone)
	if err != nil {
		return nil
	}
	t.Header(fig.Header)
	for _, row := range figureValues(fig) {
		t.Row(row)
	}
	t.w.Flush()
	return nil
}

func (s *Server) dashboardExportXLSX(w http.ResponseWriter, r *http.Request, p *page) error {
	v, _, err := s.dashboard(r, p)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	used := map[string]bool{}
	for _, fig := range append(append([]figure{}, v.Figures...), v.Queue...) {
		name := sheetName(fig.Title, used)
		widths := make([]float64, len(fig.Header))
		for i := range widths {
			widths[i] = 18
		}
		widths[0] = 26
		t, err := newXLSXTable(f, name, widths, s.zone)
		if err != nil {
			return err
		}
		if err := t.Header(fig.Header); err != nil {
			return err
		}
		for _, row := range figureValues(fig) {
			if err := t.Row(row); err != nil {
				return err
			}
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	attachment(w, xlsxType, s.exportName(p, "report.file.report", "xlsx"))
	if err := f.Write(w); err != nil {
		s.log.Error("export xlsx", "err", err)
	}
	return nil
}

// sheetName makes a valid, unique worksheet name (at most 31 characters,
// none of : \ / ? * [ ]).
func sheetName(title string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, title)
	if r := []rune(name); len(r) > 28 {
		name = string(r[:28])
	}
	base := name
	for i := 2; used[name]; i++ {
		name = base + " " + strconv.Itoa(i)
	}
	used[name] = true
	return name
}
