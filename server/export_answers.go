package server

import (
	"bufio"
	"encoding/gob"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"beheer"
	"beheer/store"
)

// The queue's export with the requests' answers: after the fixed columns,
// one column per form field among the exported requests' form versions
// (beheer.AnswerColumns), each answer as the request page shows it. Which
// columns there are is known only once every request is read, so the rows
// wait in a temporary file (never the whole export in memory) and are
// written after the header. Each page of requests costs at most one read
// for its answers, and none when no request on it was filed with a form.

// answerWidth is an answer column's width in the Excel export.
const answerWidth = 24

// queueExport writes the queue's filtered requests as one table through
// download (downloadCSV, or downloadXLSX with the widths).
func (s *Server) queueExport(w http.ResponseWriter, r *http.Request, p *page,
	download func(w http.ResponseWriter, p *page, fileKey string, header []string, rows func(add func([]any) error) error) error) error {
	if err := s.checkExport(r, p); err != nil {
		return err
	}
	x, err := newAnswerExport(p)
	if err != nil {
		return err
	}
	defer x.close()
	extendDeadline(w)
	if err := s.walkRequests(r, p, func(reqs []*beheer.Request) error {
		extendDeadline(w)
		return x.addPage(r, s.store, reqs)
	}); err != nil {
		return err
	}
	columns := beheer.AnswerColumns(x.versions)
	header := p.requestExportHeader()
	for _, fd := range columns {
		header = append(header, textIn(fd.Label, string(p.Lang)))
	}
	return download(w, p, "report.file.requests", header, func(add func([]any) error) error {
		return x.replay(columns, add)
	})
}

// answerExport gathers an export's rows with their answers.
type answerExport struct {
	p        *page
	spool    *rowSpool
	versions []beheer.Form // every form version among the rows, once
}

func newAnswerExport(p *page) (*answerExport, error) {
	sp, err := newRowSpool()
	if err != nil {
		return nil, err
	}
	return &answerExport{p: p, spool: sp}, nil
}

func (x *answerExport) close() { x.spool.close() }

// addPage keeps one page of requests, each with its answers by field name.
func (x *answerExport) addPage(r *http.Request, st *store.Store, reqs []*beheer.Request) error {
	list, err := st.ListAnswers(r.Context(), reqs)
	if err != nil {
		return err
	}
	for _, v := range list.Versions {
		if !containsVersion(x.versions, v.VersionID) {
			x.versions = append(x.versions, v)
		}
	}
	w := answerWords(x.p, list.Names, func(d time.Time) string { return d.Format("02-01-2006") })
	for _, req := range reqs {
		row := spooledRow{Cells: spoolCells(x.p.requestExportRow(req))}
		if v := list.Version(req.FormVersionID); v != nil {
			for _, a := range list.ByRequest[req.ID] {
				if fd := v.Field(a.Field); fd != nil {
					row.Answers = append(row.Answers, spooledAnswer{Field: a.Field, Cell: spoolCell(answerCell(fd, a, w))})
				}
			}
		}
		if err := x.spool.add(row); err != nil {
			return err
		}
	}
	return nil
}

func containsVersion(versions []beheer.Form, id int64) bool {
	for _, v := range versions {
		if v.VersionID == id {
			return true
		}
	}
	return false
}

// replay adds the kept rows, each answer in its field's column.
func (x *answerExport) replay(columns []beheer.FormField, add func([]any) error) error {
	at := make(map[string]int, len(columns))
	for i, fd := range columns {
		at[fd.Name] = i
	}
	return x.spool.each(func(row spooledRow) error {
		values := make([]any, len(row.Cells), len(row.Cells)+len(columns))
		for i, c := range row.Cells {
			values[i] = c.value()
		}
		base := len(values)
		for range columns {
			values = append(values, "")
		}
		for _, a := range row.Answers {
			if i, ok := at[a.Field]; ok {
				values[base+i] = a.Cell.value()
			}
		}
		return add(values)
	})
}

// answerCell is one answer as an export cell: a number as a number, a
// date as a date, a long text with its line breaks, anything else as the
// request page shows it, several values joined with "; ".
func answerCell(fd *beheer.FormField, a beheer.Answer, w beheer.AnswerWords) any {
	switch fd.Kind {
	case beheer.FieldNumber:
		if a.Number != nil {
			return *a.Number
		}
	case beheer.FieldDate:
		if len(a.Values) == 1 {
			if d, ok := beheer.ParseDay(a.Values[0]); ok {
				return day(d)
			}
		}
	case beheer.FieldLongText:
		return multiline(strings.Join(a.Values, "\n"))
	}
	return strings.Join(beheer.ShowAnswer(fd, a, w), "; ")
}

// rowSpool keeps an export's rows in a temporary file, written once and
// read back once, removed when closed.
type rowSpool struct {
	f   *os.File
	buf *bufio.Writer
	enc *gob.Encoder
}

// spooledRow is one kept row: the fixed columns' cells, then the answers
// by field name.
type spooledRow struct {
	Cells   []spooled
	Answers []spooledAnswer
}

type spooledAnswer struct {
	Field string
	Cell  spooled
}

// spooled is one export value as the spool keeps it: the kinds tableWriter
// takes.
type spooled struct {
	Kind cellKind
	S    string
	N    float64
	T    time.Time
}

type cellKind uint8

const (
	cellEmpty cellKind = iota
	cellString
	cellMultiline
	cellInt
	cellFloat
	cellTime
	cellDay
)

func spoolCell(v any) spooled {
	switch x := v.(type) {
	case string:
		return spooled{Kind: cellString, S: x}
	case multiline:
		return spooled{Kind: cellMultiline, S: string(x)}
	case int:
		return spooled{Kind: cellInt, N: float64(x)}
	case int64:
		return spooled{Kind: cellInt, N: float64(x)}
	case float64:
		return spooled{Kind: cellFloat, N: x}
	case time.Time:
		return spooled{Kind: cellTime, T: x}
	case day:
		return spooled{Kind: cellDay, T: time.Time(x)}
	}
	return spooled{}
}

func spoolCells(values []any) []spooled {
	out := make([]spooled, len(values))
	for i, v := range values {
		out[i] = spoolCell(v)
	}
	return out
}

// value is the cell as tableWriter takes it.
func (c spooled) value() any {
	switch c.Kind {
	case cellString:
		return c.S
	case cellMultiline:
		return multiline(c.S)
	case cellInt:
		return int(c.N)
	case cellFloat:
		return c.N
	case cellTime:
		return c.T
	case cellDay:
		return day(c.T)
	}
	return ""
}

func newRowSpool() (*rowSpool, error) {
	f, err := os.CreateTemp("", "beheer-export-*")
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 64<<10)
	return &rowSpool{f: f, buf: buf, enc: gob.NewEncoder(buf)}, nil
}

func (sp *rowSpool) add(row spooledRow) error { return sp.enc.Encode(row) }

// each reads the kept rows back in the order they were added.
func (sp *rowSpool) each(fn func(spooledRow) error) error {
	if err := sp.buf.Flush(); err != nil {
		return err
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(sp.f, 64<<10))
	for {
		var row spooledRow
		if err := dec.Decode(&row); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

func (sp *rowSpool) close() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}
