package server_test

import (
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"beheer/store"
	"beheer/store/storetest"
)

// TestDashboardNumbersLinkToLists: the throughput and lead-time numbers
// link to the list of requests behind them, filed or closed in a month.
func TestDashboardNumbersLinkToLists(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		boss, admin := planLogin(f, management), planLogin(f, functional)
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		month := time.Now().In(ams).Format("2006-01")

		open := f.file("question", "Nog open declaratie", "hr")
		done := f.file("question", "Afgeronde declaratie", "hr")
		for _, to := range []string{"investigation", "execution", "optimisation", "closed"} {
			f.want(f.call(functional, "POST", path(done, "/transitions"), map[string]any{"to": to}), 200)
		}
		_ = open

		dash := html.UnescapeString(boss.page(boss.get("/dashboard"), http.StatusOK).raw)
		for _, link := range []string{`/queue?filed=` + month + `"`, `/queue?closed=` + month + `"`} {
			if !strings.Contains(dash, link) {
				t.Errorf("the dashboard does not link %s", link)
			}
		}

		list := admin.page(admin.get("/queue?filed="+month), http.StatusOK, "Nog open declaratie", "Afgeronde declaratie", "Ingediend in ")
		if !strings.Contains(list.raw, `name="filed" value="`+month+`"`) {
			t.Error("the filter form drops the month")
		}
		closed := admin.page(admin.get("/queue?closed="+month), http.StatusOK, "Afgeronde declaratie", "Afgerond in ", "alle maanden tonen")
		if strings.Contains(closed.raw, "Nog open declaratie") {
			t.Error("an open request is listed as closed in the month")
		}
		if csv := admin.get("/queue/export.csv?closed=" + month); !strings.Contains(csv.raw, "Afgeronde declaratie") || strings.Contains(csv.raw, "Nog open declaratie") {
			t.Errorf("the export of the closed list: %.1000s", csv.raw)
		}
		if long := admin.get("/queue?filed=2001-01..2001-03"); strings.Contains(long.raw, "declaratie") || !strings.Contains(long.raw, "jan 2001 t/m mrt 2001") {
			t.Errorf("another period: %.2000s", long.raw)
		}

		bad := admin.page(admin.get("/queue?filed=maart"), http.StatusOK, "Geef een maand als 2026-03")
		if strings.Contains(bad.raw, `name="filed"`) {
			t.Error("the queue keeps a bad month in its filter")
		}
		if got := f.want(f.call(functional, "GET", "/api/v1/requests?filed=maart", nil), http.StatusUnprocessableEntity).fieldErrors(); !slices.Equal(got, []string{"filed"}) {
			t.Errorf("a bad month names %v", got)
		}
		if items := f.want(f.call(functional, "GET", "/api/v1/requests?closed="+month+".."+month, nil), http.StatusOK).items(); len(items) != 1 {
			t.Errorf("closed this month through the API: %d requests", len(items))
		}
	})
}
