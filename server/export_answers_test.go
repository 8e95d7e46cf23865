package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestQueueExportAnswers: the queue's CSV and Excel exports carry, after
// the fixed columns, one column per form field among the exported
// requests' form versions, each answer as the request page shows it. A
// request filed before its form changed keeps its version's fields; a
// field of the same name in two forms shares a column; a person exports
// only the answers of the requests they may read.
func TestQueueExportAnswers(t *testing.T) {
	var reads atomic.Int64
	onTx := func(write bool, _ time.Duration) {
		if !write {
			reads.Add(1)
		}
	}
	storetest.Engines(t, storetest.Options{OnTx: onTx}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		anna, err := st.User(ctx, f.ids[requester])
		if err != nil {
			t.Fatal(err)
		}
		admin, err := st.User(ctx, f.ids[functional])
		if err != nil {
			t.Fatal(err)
		}
		file := func(n beheer.NewRequest) *beheer.Request {
			t.Helper()
			r, err := st.CreateRequest(ctx, anna.Actor(), n)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		// A request without a form: its export has only the fixed columns.
		// With forms, a page of requests reads its answers in one more read
		// (below); without, not even that.
		file(beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag zonder formulier", AreaID: f.areas["hr"]})
		plain := slaLogin(f, functional)
		exportReads := func(query string) int64 {
			plain.get("/queue/export.csv?" + query) // what is kept for a while (the organisation) is read
			before := reads.Load()
			res, _ := plain.get("/queue/export.csv?" + query)
			if res.status != http.StatusOK {
				t.Fatalf("export %s: %d", query, res.status)
			}
			return reads.Load() - before
		}
		plainReads := exportReads("area=hr")
		res, _ := plain.get("/queue/export.csv")
		if rows := readCSV(t, res, ';'); len(rows) != 2 || len(rows[0]) != 13 {
			t.Fatalf("export without forms: %q", rows)
		}

		label := func(nl, en string) beheer.Texts { return beheer.Texts{NL: nl, EN: en} }
		access := beheer.Form{Type: beheer.TypeAccess, Name: label("Autorisatie", "Authorisation"), Fields: []beheer.FormField{
			{Name: "voor_wie", Kind: beheer.FieldPerson, Label: label("Voor wie", "For whom"), Required: true},
			{Name: "omgeving", Kind: beheer.FieldChoice, Label: label("Omgeving", "Environment"),
				Choices: []beheer.Choice{{Value: "productie", Label: label("Productie", "Production")}, {Value: "test", Label: label("Test", "")}}},
			{Name: "groepen", Kind: beheer.FieldMulti, Label: label("Autorisatiegroepen", "Groups"),
				Choices: []beheer.Choice{{Value: "hrm", Label: label("HR-adviseur", "HR adviser")}, {Value: "salaris", Label: label("Salaris", "Payroll")}}},
			{Name: "vanaf", Kind: beheer.FieldDate, Label: label("Vanaf", "From")},
			{Name: "uren", Kind: beheer.FieldNumber, Label: label("Uren per week", "Hours a week")},
			{Name: "spoed", Kind: beheer.FieldYesNo, Label: label("Spoed", "Urgent")},
			{Name: "plek", Kind: beheer.FieldPlace, Label: label("Gebied", "Area")},
			{Name: "formulier", Kind: beheer.FieldAttachment, Label: label("Formulier", "")},
		}}
		v1, err := st.SaveForm(ctx, store.System, access, 0)
		if err != nil {
			t.Fatal(err)
		}
		old := file(beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten oud", AreaID: f.areas["hr"],
			Attachments: []beheer.Upload{{Name: "aanvraag.pdf", Data: []byte("%PDF-1.4\n")}},
			Answers: map[string][]string{"voor_wie": {itoa(admin.ID)}, "omgeving": {"productie"}, "groepen": {"hrm", "salaris"},
				"vanaf": {"2026-03-01"}, "uren": {"7,5"}, "spoed": {"ja"}, "plek": {itoa(f.areas["hr"])},
				"formulier": {"aanvraag.pdf"}}})
		// The form changes: hours go, a cost centre comes first.
		changed := *v1
		changed.Fields = append([]beheer.FormField{{Name: "kostenplaats", Kind: beheer.FieldText, Label: label("Kostenplaats", "Cost centre")}},
			slices.DeleteFunc(slices.Clone(v1.Fields), func(fd beheer.FormField) bool { return fd.Name == "uren" || fd.Name == "formulier" })...)
		if _, err := st.SaveForm(ctx, store.System, changed, v1.Version); err != nil {
			t.Fatal(err)
		}
		newer := file(beheer.NewRequest{Type: beheer.TypeAccess, Title: "Rechten nieuw", AreaID: f.areas["hr"],
			Answers: map[string][]string{"kostenplaats": {"=KP 4100"}, "voor_wie": {itoa(anna.ID)}, "omgeving": {"test"},
				"spoed": {"nee"}}})
		// A second form in another area shares the field omgeving.
		incident := beheer.Form{Type: beheer.TypeIncident, Name: label("Storing", ""), Fields: []beheer.FormField{
			{Name: "omgeving", Kind: beheer.FieldChoice, Label: label("Welke omgeving", ""),
				Choices: []beheer.Choice{{Value: "acceptatie", Label: label("Acceptatie", "")}}},
			{Name: "foutcode", Kind: beheer.FieldText, Label: label("Foutcode", "Error code")},
		}}
		if _, err := st.SaveForm(ctx, store.System, incident, 0); err != nil {
			t.Fatal(err)
		}
		storing := file(beheer.NewRequest{Type: beheer.TypeIncident, Title: "Storing financieel", AreaID: f.areas["financieel"],
			Answers: map[string][]string{"omgeving": {"acceptatie"}, "foutcode": {"E-1234"}}})

		// With forms, a page of requests reads its answers once.
		if n := exportReads("area=hr"); n != plainReads+1 {
			t.Errorf("an export with answers read %d times, want %d", n, plainReads+1)
		}

		// The functional admin's CSV, oldest first: the access form's
		// columns (newest version's order, then the field it dropped), then
		// the incident form's own.
		res, _ = plain.get("/queue/export.csv?sort=oldest")
		rows := readCSV(t, res, ';')
		wantHeader := []string{"Welke omgeving", "Foutcode", "Kostenplaats", "Voor wie", "Autorisatiegroepen", "Vanaf", "Spoed",
			"Gebied", "Uren per week", "Formulier"}
		if len(rows) != 5 || !slices.Equal(rows[0][13:], wantHeader) {
			t.Fatalf("header %q (%d rows)", rows[0], len(rows))
		}
		byTitle := map[string][]string{}
		for _, row := range rows[1:] {
			byTitle[row[1]] = row[13:]
		}
		wantCells := map[string][]string{
			"Vraag zonder formulier": {"", "", "", "", "", "", "", "", "", ""},
			old.Title:                {"Productie", "", "", admin.Name, "HR-adviseur; Salaris", "01-03-2026", "Ja", "HR", "7,5", "aanvraag.pdf"},
			newer.Title:              {"Test", "", "'=KP 4100", anna.Name, "", "", "Nee", "", "", ""},
			storing.Title:            {"Acceptatie", "E-1234", "", "", "", "", "", "", "", ""},
		}
		for title, want := range wantCells {
			if !slices.Equal(byTitle[title], want) {
				t.Errorf("CSV %s: %q, want %q", title, byTitle[title], want)
			}
		}

		// English: the English labels, where a form has them.
		if err := st.SetLang(ctx, admin.ID, "en"); err != nil {
			t.Fatal(err)
		}
		res, _ = plain.get("/queue/export.csv?sort=oldest")
		rows = readCSV(t, res, ',')
		if got := rows[0][13:]; !slices.Equal(got, []string{"Welke omgeving", "Error code", "Cost centre", "For whom", "Groups",
			"From", "Urgent", "Area", "Hours a week", "Formulier"}) {
			t.Errorf("English header %q", got)
		}
		for _, row := range rows[1:] {
			if row[1] == old.Title && (row[13] != "Production" || row[17] != "HR adviser; Payroll" || row[19] != "Yes" || row[21] != "7.5") {
				t.Errorf("English row %q", row)
			}
		}
		if err := st.SetLang(ctx, admin.ID, "nl"); err != nil {
			t.Fatal(err)
		}

		// Excel: a number is a number, a date a date.
		res, data := plain.get("/queue/export.xlsx?sort=oldest")
		if res.status != http.StatusOK {
			t.Fatalf("xlsx %d", res.status)
		}
		book, sheet, xrows := readXLSX(t, data)
		if len(xrows) != 5 || !slices.Equal(xrows[0][13:], wantHeader) {
			t.Fatalf("xlsx header %q", xrows[0])
		}
		line := slices.IndexFunc(xrows, func(row []string) bool { return row[1] == old.Title }) + 1
		cellAt := func(col int) string {
			name, _ := excelize.CoordinatesToCellName(col, line)
			return name
		}
		if shown, _ := book.GetCellValue(sheet, cellAt(14+5)); shown != "01-03-2026" {
			t.Errorf("date shown as %q", shown)
		}
		if raw, _ := book.GetCellValue(sheet, cellAt(14+5), excelize.Options{RawCellValue: true}); raw != "46082" {
			t.Errorf("date stored as %q, want the serial 46082", raw)
		}
		if typ, _ := book.GetCellType(sheet, cellAt(14+8)); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("number cell of type %v", typ)
		}
		if raw, _ := book.GetCellValue(sheet, cellAt(14+8), excelize.Options{RawCellValue: true}); raw != "7.5" {
			t.Errorf("number stored as %q", raw)
		}
		if got, _ := book.GetCellValue(sheet, cellAt(14+4)); got != "HR-adviseur; Salaris" {
			t.Errorf("multiple choice %q", got)
		}

		// The key user of Financieel reads only the incident: its columns,
		// and nothing of the access requests' answers.
		res, _ = slaLogin(f, keyUserFin).get("/queue/export.csv")
		rows = readCSV(t, res, ';')
		if len(rows) != 2 || !slices.Equal(rows[0][13:], []string{"Welke omgeving", "Foutcode"}) ||
			!slices.Equal(rows[1][13:], []string{"Acceptatie", "E-1234"}) {
			t.Fatalf("key user's export %q", rows)
		}
		for _, leak := range []string{admin.Name, "Productie", "KP 4100", "aanvraag.pdf", "Kostenplaats"} {
			if strings.Contains(res.raw, leak) {
				t.Errorf("key user's export shows %q", leak)
			}
		}
	})
}

// readXLSX opens an Excel download: the book, its first sheet and that
// sheet's rows.
func readXLSX(t *testing.T, data []byte) (*excelize.File, string, [][]string) {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sheet := book.GetSheetList()[0]
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return book, sheet, rows
}

// readCSV reads an export back as a spreadsheet would: every row as wide
// as the header.
func readCSV(t *testing.T, res response, comma rune) [][]string {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("csv %d: %.500s", res.status, res.raw)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.raw, "\ufeff")))
	r.Comma = comma
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, res.raw)
	}
	return rows
}
