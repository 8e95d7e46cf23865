package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestFilterPeriods: a list limited to the months requests were filed or
// closed in, as the dashboard's numbers link to it.
func TestFilterPeriods(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	var now time.Time
	clock := func() time.Time { return now }
	storetest.Engines(t, storetest.Options{Now: clock}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now = time.Date(2026, 1, 1, 0, 30, 0, 0, ams) // January in Amsterdam, still December in UTC
		area, requester, admin := org(t, st)
		file := func(title string) *beheer.Request {
			r, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: title, AreaID: area.ID})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		january := file("Januari")
		now = time.Date(2026, 2, 10, 9, 0, 0, 0, ams)
		february := file("Februari")
		for _, to := range []beheer.Phase{beheer.PhaseInvestigation, beheer.PhaseExecution, beheer.PhaseOptimisation, beheer.PhaseClosed} {
			r, _, err := st.Request(ctx, admin.Actor(), january.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Transition(ctx, admin.Actor(), january.ID, r.Version, beheer.Transition{To: to}); err != nil {
				t.Fatal(err)
			}
		}
		now = time.Date(2026, 3, 2, 9, 0, 0, 0, ams)
		march := file("Maart")

		month := func(y int, m time.Month, n int) store.Period {
			from := time.Date(y, m, 1, 0, 0, 0, 0, ams)
			return store.Period{From: from, To: from.AddDate(0, n, 0)}
		}
		titles := func(f store.Filter) []string {
			t.Helper()
			page, err := st.Requests(ctx, admin.Actor(), f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range page.Items {
				out = append(out, r.Title)
			}
			return out
		}
		for _, tt := range []struct {
			name string
			f    store.Filter
			want []string
		}{
			{"filed in January (Amsterdam time)", store.Filter{Filed: month(2026, time.January, 1)}, []string{january.Title}},
			{"filed in February and March", store.Filter{Filed: month(2026, time.February, 2), Sort: "oldest"}, []string{february.Title, march.Title}},
			{"closed in February", store.Filter{Closed: month(2026, time.February, 1)}, []string{january.Title}},
			{"closed in January", store.Filter{Closed: month(2026, time.January, 1)}, nil},
			{"filed in March, open", store.Filter{Filed: month(2026, time.March, 1), OpenOnly: true}, []string{march.Title}},
			{"filed in the quarter, searched", store.Filter{Filed: month(2026, time.January, 3), Query: "februari"}, []string{february.Title}},
		} {
			if got := titles(tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
		bad := store.Filter{Filed: store.Period{From: now, To: now}}
		if _, err := st.Requests(ctx, admin.Actor(), bad); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("an empty period: %v", err)
		}
	})
}
