package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// TestTaskVisibilityPlanPostgres: a page for someone who sees an area plus
// the requests they hold a task on must look for that task request by
// request. PostgreSQL otherwise reads all of the person's tasks into a hash
// before the first row — for a technical admin holding 116,000 tasks every
// page took 45-130 ms instead of under a millisecond.
func TestTaskVisibilityPlanPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresURL(t)
	st := storetest.Open(t, dsn, storetest.Options{})
	area, requester, _ := org(t, st)
	other, err := st.CreateArea(ctx, store.System, beheer.Area{Code: "salaris", Name: "Salaris"})
	if err != nil {
		t.Fatal(err)
	}
	tech, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "bram@voorbeeld.nl", Name: "Bram",
		Roles: []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin, AreaID: other.ID}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	loadRequests(t, st, 20000, func(i int, at time.Time) *store.BulkRequest {
		b := &store.BulkRequest{Request: beheer.Request{Type: beheer.TypeTechnical, Title: "Koppeling", AreaID: area.ID,
			Priority: beheer.PriorityNormal, RequesterID: requester.ID, Phase: beheer.PhaseInvestigation,
			Status: beheer.StatusAwaitingTechnical, Version: 1, CreatedAt: at, UpdatedAt: at}}
		if i%2 == 0 {
			b.Tasks = []beheer.Task{{Title: "Controleer de koppeling", AssigneeID: tech.ID, Status: beheer.TaskOpen,
				CreatedBy: requester.ID, CreatedAt: at}}
		}
		return b
	})

	q, args, err := st.ListSQL(tech.Actor(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "EXPLAIN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if p := strings.Join(plan, "\n"); strings.Contains(p, "hashed SubPlan") {
		t.Errorf("the page reads all of the person's tasks first:\n%s", p)
	}
}

// TestPhasePagePlanPostgres: the queue of one phase, newest first, must be
// read from the phase's own index. Requests are filed in Aanvraag and move
// on later, so the newest requests are the ones that have not: with
// PostgreSQL's default cost of a random page read (4, for spinning disks)
// the planner walked all requests newest first instead, expecting the
// phase's requests spread evenly among them, and at 1,000,000 requests read
// 283,000 new ones before it found a page of Onderzoek — 0.1 to 0.9 s for
// a page, seconds under load. The store plans for a disk that reads any
// page about as fast as the next (plannerSettings).
func TestPhasePagePlanPostgres(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.PostgresURL(t), storetest.Options{})
	area, requester, admin := org(t, st)
	loadRequests(t, st, 20000, func(i int, at time.Time) *store.BulkRequest {
		r := beheer.Request{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: area.ID, Priority: beheer.PriorityNormal,
			RequesterID: requester.ID, Phase: beheer.PhaseIntake, Status: beheer.StatusAwaitingTriage, Version: 1,
			CreatedAt: at, UpdatedAt: at}
		if i <= 2000 { // the oldest moved on to Onderzoek
			r.Phase, r.Status = beheer.PhaseInvestigation, beheer.StatusAwaitingAssignee
		}
		return &store.BulkRequest{Request: r}
	})
	q, args, err := st.ListSQL(admin.Actor(), store.Filter{Phases: []beheer.Phase{beheer.PhaseInvestigation}})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := st.Explain(ctx, q, args...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "requests_phase on requests") {
		t.Errorf("the page of one phase is not read from the phase's index:\n%s", plan)
	}
}

// loadRequests bulk-loads n requests a minute apart up to now, each as mk
// makes it from its number (1…n) and time.
func loadRequests(t *testing.T, st *store.Store, n int, mk func(i int, at time.Time) *store.BulkRequest) {
	t.Helper()
	start := time.Now().Add(-time.Duration(n) * time.Minute)
	i := 0
	if _, err := st.BulkLoad(context.Background(), func() (*store.BulkRequest, bool) {
		if i == n {
			return nil, false
		}
		i++
		return mk(i, start.Add(time.Duration(i)*time.Minute)), true
	}, nil); err != nil {
		t.Fatal(err)
	}
}
