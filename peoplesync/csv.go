// Package peoplesync keeps Beheer's people in step with the organisation's
// HR administration: from AFAS Profit on a schedule or on demand, or from a
// CSV file for organisations without AFAS. It does not care where a list
// came from; store.SyncPeople applies it in one transaction.
package peoplesync

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"beheer"
)

// MaxCSV bounds a CSV file: some 100,000 people.
const MaxCSV = 20 << 20

// columns are the header names a CSV file may use, Dutch first, matched
// case-insensitively; each maps to a field of beheer.Employee.
var columns = map[string]string{
	"medewerkernummer": "employee_number", "medewerker": "employee_number", "personeelsnummer": "employee_number",
	"nummer": "employee_number", "employee_number": "employee_number", "employee number": "employee_number",
	"naam": "name", "volledige naam": "name", "name": "name",
	"e-mail": "email", "email": "email", "e-mailadres": "email", "emailadres": "email", "mail": "email",
	"afdeling": "department", "organisatorische eenheid": "department", "department": "department",
	"manager": "manager", "leidinggevende": "manager",
}

// ParseCSV reads a list of employees: a header row naming the columns
// (medewerkernummer;naam;e-mail;afdeling;manager — naam and e-mail are
// required, the manager is their employee number), then one row per person.
// Semicolons or commas separate the fields (whichever the header uses), the
// text is UTF-8 with or without a byte-order mark. Every problem is named
// by line and column in one *beheer.Error; with any problem no list is
// returned, so bad input changes nothing.
func ParseCSV(r io.Reader) ([]beheer.Employee, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCSV+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxCSV {
		return nil, beheer.Errorf(beheer.CodeTooLarge, "error.too_large", "max", beheer.FormatBytes(MaxCSV))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var v beheer.Validation
	if !utf8.Valid(data) {
		v.Add(fmt.Sprintf("line %d", badLine(data)), "people_import.not_utf8")
		return nil, v.Err()
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, beheer.Errorf(beheer.CodeInvalid, "people_import.empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols, err := headerColumns(header)
	if err != nil {
		return nil, err
	}
	var out []beheer.Employee
	firstNumber, firstEmail := map[string]int{}, map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			v.Add(fmt.Sprintf("line %d", line), "people_import.columns", "want", len(header), "got", len(rec))
			continue
		}
		e := beheer.Employee{Line: line}
		targets := map[string]*string{"employee_number": &e.Number, "name": &e.Name, "email": &e.Email,
			"department": &e.Department, "manager": &e.Manager}
		for i, field := range cols {
			*targets[field] = rec[i]
		}
		if err := e.Validate(); err != nil {
			for _, f := range err.(*beheer.Error).Fields {
				v.Add(fmt.Sprintf("line %d: %s", line, header[indexOf(cols, f.Field)]), f.Key, f.Args...)
			}
			continue
		}
		if first, dup := firstNumber[e.Number]; dup && e.Number != "" {
			v.Add(fmt.Sprintf("line %d: %s", line, header[indexOf(cols, "employee_number")]), "people_import.duplicate", "line", first)
			continue
		}
		if first, dup := firstEmail[e.Email]; dup {
			v.Add(fmt.Sprintf("line %d: %s", line, header[indexOf(cols, "email")]), "people_import.duplicate", "line", first)
			continue
		}
		if e.Number != "" {
			firstNumber[e.Number] = line
		}
		firstEmail[e.Email] = line
		out = append(out, e)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, beheer.Errorf(beheer.CodeInvalid, "people_import.empty")
	}
	return out, nil
}

// separator is ';' when the header line has more semicolons than commas
// (the Dutch spreadsheet default), else ','.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

// headerColumns maps each header cell to an employee field; an unknown or
// repeated column, or a missing name or e-mail column, is refused.
func headerColumns(header []string) ([]string, error) {
	var v beheer.Validation
	cols := make([]string, len(header))
	have := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		field, ok := columns[strings.ToLower(h)]
		switch {
		case !ok:
			v.Add("line 1: "+h, "people_import.unknown_column", "columns", "medewerkernummer, naam, e-mail, afdeling, manager")
		case have[field]:
			v.Add("line 1: "+h, "people_import.repeated_column")
		}
		cols[i], have[field] = field, true
	}
	for _, need := range []struct{ field, name string }{{"name", "naam"}, {"email", "e-mail"}} {
		if !have[need.field] {
			v.Add("line 1", "people_import.missing_column", "column", need.name)
		}
	}
	return cols, v.Err()
}

func indexOf(cols []string, field string) int {
	for i, c := range cols {
		if c == field {
			return i
		}
	}
	return 0
}

// csvError names the line of a quoting error.
func csvError(err error) error {
	var pe *csv.ParseError
	v := beheer.Validation{}
	if errors.As(err, &pe) {
		v.Add(fmt.Sprintf("line %d", pe.StartLine), "people_import.bad_quotes")
		return v.Err()
	}
	return err
}

// badLine is the line of the first byte that is not UTF-8.
func badLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
