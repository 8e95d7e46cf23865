package server_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"beheer/store"
	"beheer/store/storetest"
)

// legacyTitle is a title as it could be stored before titles were refused
// with a line break: every kind of break in it.
const legacyTitle = "Declaratie\r\nreiskosten\nmaart\u2028april\u2029mei"

// oneLineTitle is legacyTitle as every output shows it.
const oneLineTitle = "Declaratie reiskosten maart april mei"

// TestLegacyTitleOnOneLine: a title with line breaks stored before they
// were refused (put there by SQL) reaches the queue's CSV as one row and
// its Excel download as one cell on one line; a token name with a line
// break in the organisation's audit log does the same in its downloads.
// A new title with a line break is refused beside its field.
func TestLegacyTitleOnOneLine(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, st *store.Store, db *sql.DB, _ string) {
		f := newFixture(t, st)
		id := f.file("question", "Declaratie reiskosten", "hr")
		st.WaitTokenUses() // the token's last use is written after the answer
		if _, err := db.Exec(`UPDATE requests SET title = $1 WHERE id = $2`, legacyTitle, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE audit SET after_value = $1 WHERE action = 'token.created'`, "1 koppeling\r\nAFAS"); err != nil {
			t.Fatal(err)
		}
		admin := slaLogin(f, functional)

		res, _ := admin.get("/queue/export.csv")
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.raw, "\ufeff")))
		r.Comma = ';' // Dutch
		records, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(res.raw), "\n"); len(lines) != 2 || len(records) != 2 || records[1][1] != oneLineTitle {
			t.Fatalf("csv %d lines, records %q", len(lines), records)
		}

		_, data := admin.get("/queue/export.xlsx")
		if got := firstCell(t, data, "B2"); got != oneLineTitle {
			t.Fatalf("the Excel cell holds %q", got)
		}

		res, _ = admin.get("/audit/export.csv?kind=tokens")
		if !strings.Contains(res.raw, "1 koppeling AFAS") || strings.Contains(res.raw, "koppeling\r") {
			t.Fatalf("the audit csv: %q", res.raw)
		}
		_, data = admin.get("/audit/export.xlsx?kind=tokens")
		if got := firstCell(t, data, "G2"); got != "1 koppeling AFAS" {
			t.Fatalf("the audit's Excel cell holds %q", got)
		}

		// New titles are refused with a line break, beside the field.
		bad := f.call(requester, "POST", "/api/v1/requests", map[string]any{"type": "question", "title": "Twee\nregels"})
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.raw, "één regel") || !strings.Contains(bad.raw, `"title"`) {
			t.Fatalf("a title with a line break: %d %s", bad.status, bad.raw)
		}
	})
}

// firstCell is a cell of an Excel download's first sheet.
func firstCell(t *testing.T, data []byte, cell string) string {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	v, err := book.GetCellValue(book.GetSheetList()[0], cell)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
