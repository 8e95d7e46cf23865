package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"beheer"
	"beheer/demo"
	"beheer/internal/pgtest"
	"beheer/store"
	"beheer/store/storetest"
)

// benchRequests is the size of the data set the store benchmarks run on:
// large enough that a missing index or an OFFSET scan shows in the numbers.
const benchRequests = 50_000

// The benchmark data sets are generated once per test binary, the SQLite
// one into a directory and the PostgreSQL one into a scratch cluster of its
// own, which TestMain removes (closeBench).
var (
	benchDir       string
	benchPGCluster *pgtest.Cluster
	benchSQLite    benchSet
	benchPG        benchSet
)

// benchSet is one engine's data set with its functional admin and a
// requester.
type benchSet struct {
	once        sync.Once
	st          *store.Store
	admin, user *beheer.Actor
	err         error
}

// get loads the set with open the first time and returns it.
func (s *benchSet) get(b *testing.B, open func(ctx context.Context) (*store.Store, error)) (*store.Store, *beheer.Actor, *beheer.Actor) {
	b.Helper()
	s.once.Do(func() {
		ctx := context.Background()
		if s.st, s.err = open(ctx); s.err == nil {
			s.admin, s.user, s.err = loadBench(ctx, s.st)
		}
	})
	if s.err != nil {
		b.Fatal(s.err)
	}
	return s.st, s.admin, s.user
}

// benchStore returns a SQLite store holding the demo organisation and
// benchRequests generated requests, with its functional admin and a requester.
func benchStore(b *testing.B) (*store.Store, *beheer.Actor, *beheer.Actor) {
	return benchSQLite.get(b, func(ctx context.Context) (*store.Store, error) {
		var err error
		if benchDir, err = os.MkdirTemp("", "beheer-bench-"); err != nil {
			return nil, err
		}
		return store.Open(ctx, filepath.Join(benchDir, "beheer.db"), store.Options{})
	})
}

// benchPostgres is benchStore on PostgreSQL.
func benchPostgres(b *testing.B) (*store.Store, *beheer.Actor, *beheer.Actor) {
	return benchPG.get(b, func(ctx context.Context) (*store.Store, error) {
		var err error
		if benchPGCluster, err = pgtest.Start(ctx); err != nil {
			return nil, err
		}
		dsn, err := benchPGCluster.NewDatabase(ctx)
		if err != nil {
			return nil, err
		}
		return store.Open(ctx, dsn, store.Options{})
	})
}

// loadBench fills st with the benchmark data set and returns its
// functional admin and a requester.
func loadBench(ctx context.Context, st *store.Store) (admin, user *beheer.Actor, err error) {
	logins, err := demo.Load(ctx, st, demo.Options{Requests: benchRequests, Seed: 11})
	if err != nil {
		return nil, nil, err
	}
	// Every open request's deadline, as the running portal keeps it.
	if _, err := st.SLASweep(ctx); err != nil {
		return nil, nil, err
	}
	for _, l := range logins {
		u, _, err := st.UserByEmail(ctx, l.Email)
		if err != nil {
			return nil, nil, err
		}
		switch l.Role {
		case "Functioneel beheerder":
			admin = u.Actor()
		case "Gebruiker":
			user = u.Actor()
		}
	}
	return admin, user, nil
}

// closeBench removes the benchmark data set; TestMain calls it.
func closeBench() {
	for _, set := range []*benchSet{&benchSQLite, &benchPG} {
		if set.st != nil {
			set.st.Close()
		}
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	if benchPGCluster != nil {
		benchPGCluster.Stop()
	}
}

// BenchmarkCreateRequest files requests one after another: the durable
// commit per request is the floor here.
func BenchmarkCreateRequest(b *testing.B) {
	st, _, user := benchStore(b)
	benchCreate(b, st, user)
}

// BenchmarkCreateRequestPostgres is BenchmarkCreateRequest on PostgreSQL.
func BenchmarkCreateRequestPostgres(b *testing.B) {
	st, _, user := benchPostgres(b)
	benchCreate(b, st, user)
}

// benchCreate files requests as user one after another.
func benchCreate(b *testing.B, st *store.Store, user *beheer.Actor) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.CreateRequest(ctx, user, beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: "Declaratie reiskosten wordt niet uitbetaald", Description: "Sinds de laatste release staat mijn declaratie op *ingediend*."}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateRequestInProcess files requests in an area and one of its
// processes, as people do once the organisation is set up: the area and
// process checks are on this path.
func BenchmarkCreateRequestInProcess(b *testing.B) {
	st, _, user := benchStore(b)
	ctx := context.Background()
	processes, err := st.Processes(ctx)
	if err != nil || len(processes) == 0 {
		b.Fatal("no processes", err)
	}
	p := processes[0]
	for b.Loop() {
		if _, err := st.CreateRequest(ctx, user, beheer.NewRequest{Type: beheer.TypeQuestion, AreaID: p.AreaID, ProcessID: p.ID,
			Title: "Declaratie reiskosten wordt niet uitbetaald"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateRequestParallel files requests from many goroutines, as the
// load tool's sixteen clients do.
func BenchmarkCreateRequestParallel(b *testing.B) {
	st, _, user := benchStore(b)
	ctx := context.Background()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.CreateRequest(ctx, user, beheer.NewRequest{Type: beheer.TypeQuestion,
				Title: "Loonstrook niet zichtbaar in InSite"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRead loads one request as the functional admin.
func BenchmarkRead(b *testing.B) {
	st, admin, _ := benchStore(b)
	ctx := context.Background()
	var i int64
	for b.Loop() {
		i++
		if _, _, err := st.Request(ctx, admin, 1+i%benchRequests); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueue lists the first page of the functional admin's queue with
// a filter and each sort.
func BenchmarkQueue(b *testing.B) {
	st, admin, _ := benchStore(b)
	ctx := context.Background()
	filters := map[string]store.Filter{
		"default":      {OpenOnly: true},
		"phase+sort":   {Phases: []beheer.Phase{beheer.PhaseInvestigation}, Sort: "updated"},
		"priority":     {OpenOnly: true, Sort: "priority"},
		"area+type":    {AreaIDs: []int64{1}, Types: []beheer.Type{beheer.TypeIncident}, Sort: "updated"},
		"next page":    {OpenOnly: true, Sort: "updated"},
		"my requests":  {RequesterID: -2},
		"new employee": {RequesterID: -3},
		"text+filter":  {Query: "declaratie", OpenOnly: true},
		"number match": {Query: "2026-0042"},
		"time left":    {OpenOnly: true, Sort: "due"},
		"late":         {Due: beheer.DueLate, Sort: "due"},
		"at risk":      {Due: beheer.DueAtRisk, Sort: "due"},
		"phase by due": {Phases: []beheer.Phase{beheer.PhaseInvestigation}, Sort: "due"},
	}
	for name, f := range filters {
		b.Run(name, func(b *testing.B) {
			actor := admin
			switch f.RequesterID {
			case -2: // everything a requester may see, who filed many
				f.RequesterID, actor = 0, benchSQLite.user
			case -3: // everything someone may see who filed nothing yet
				f.RequesterID, actor = 0, benchNewcomer(b, st)
			}
			if name == "next page" {
				first, err := st.Requests(ctx, actor, f)
				if err != nil {
					b.Fatal(err)
				}
				f.Cursor = first.NextCursor
			}
			for b.Loop() {
				if _, err := st.Requests(ctx, actor, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchNewcomer is a person without roles or requests in the benchmark
// data set.
func benchNewcomer(b *testing.B, st *store.Store) *beheer.Actor {
	ctx := context.Background()
	const email = "nieuw@voorbeeld.nl"
	u, _, err := st.UserByEmail(ctx, email)
	if err != nil {
		if u, err = st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: "Nieuwe Collega"}, ""); err != nil {
			b.Fatal(err)
		}
	}
	return u.Actor()
}

// BenchmarkSearch runs full-text searches of one and two words.
func BenchmarkSearch(b *testing.B) {
	st, admin, _ := benchStore(b)
	benchSearch(b, st, admin)
}

// BenchmarkSearchPostgres is BenchmarkSearch on PostgreSQL.
func BenchmarkSearchPostgres(b *testing.B) {
	st, admin, _ := benchPostgres(b)
	benchSearch(b, st, admin)
}

// benchSearch runs the searches as admin, newest first (on SQLite a walk of
// the index): common words, and words SQLite looks for by a shorter prefix
// (saldo, inloggen), which it then checks in the requests' terms.
func benchSearch(b *testing.B, st *store.Store, admin *beheer.Actor) {
	ctx := context.Background()
	for _, q := range []string{"declaratie", "salaris loonstrook", "autorisatie InSite", "saldo", "inloggen"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := st.Requests(ctx, admin, store.Filter{Query: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchQuery builds the engines' full-text queries from what a
// person typed.
func BenchmarkSearchQuery(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			for b.Loop() {
				store.SearchQuery(e, `salaris "loonstrook maart" declaratie* -test AFAS InSite`)
			}
		})
	}
}

// BenchmarkAddComment adds public comments to requests in turn.
func BenchmarkAddComment(b *testing.B) {
	st, admin, _ := benchStore(b)
	ctx := context.Background()
	var i atomic.Int64
	for b.Loop() {
		id := 1 + i.Add(1)%benchRequests
		if _, err := st.AddComment(ctx, admin, id, beheer.NewComment{Body: "Ik heb het nagevraagd bij de salarisadministratie."}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNotifyBatch gathers the facts of one batch of 100 events — the
// requester's comments on requests across the demo's areas, each request
// with two followers — as the notification worker does, on both engines.
func BenchmarkNotifyBatch(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			var st *store.Store
			if engine == "sqlite" {
				st = storetest.SQLite(b, storetest.Options{})
			} else {
				st = storetest.Postgres(b, storetest.Options{})
			}
			logins, err := demo.Load(ctx, st, demo.Options{Requests: 200, Seed: 5})
			if err != nil {
				b.Fatal(err)
			}
			var user *beheer.Actor
			for _, l := range logins {
				if l.Role == "Gebruiker" {
					u, _, err := st.UserByEmail(ctx, l.Email)
					if err != nil {
						b.Fatal(err)
					}
					user = u.Actor()
				}
			}
			areas, err := st.Areas(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var ids []int64
			for i := range 20 {
				r, err := st.CreateRequest(ctx, user, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag",
					AreaID: areas[i%len(areas)].ID})
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, r.ID)
			}
			// Each request has two followers, whom the worker reads as well.
			people, err := st.Users(ctx, store.System)
			if err != nil {
				b.Fatal(err)
			}
			var colleagues []int64
			for _, u := range people {
				if len(u.Roles) == 0 && u.ID != user.UserID {
					colleagues = append(colleagues, u.ID)
				}
			}
			for i, id := range ids {
				for _, c := range []int64{colleagues[i%len(colleagues)], colleagues[(i+1)%len(colleagues)]} {
					if err := st.Follow(ctx, user, id, c); err != nil {
						b.Fatal(err)
					}
				}
			}
			none := func(store.EventFacts) ([]store.Delivery, error) { return nil, nil }
			for {
				n, err := st.ProcessNotifications(ctx, 1000, nil, none)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			b.ResetTimer() // the demo and the first events are set-up, not the batch
			for range b.N {
				b.StopTimer()
				for i := range 100 {
					if _, err := st.AddComment(ctx, user, ids[i%len(ids)], beheer.NewComment{Body: "Nog een vraag."}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if n, err := st.ProcessNotifications(ctx, 100, nil, none); err != nil || n != 100 {
					b.Fatalf("%d events, %v", n, err)
				}
			}
		})
	}
}

// BenchmarkTransition moves requests between Onderzoek and Uitvoering and
// back as the functional admin, a pair at a time: the phase change's hot
// path (load, facts, policy, rules, write, status log, audit, event).
// "to optimisation" moves change requests from Uitvoering to
// Optimalisatie, the move the Accept test guards.
func BenchmarkTransition(b *testing.B) {
	st, admin, user := benchStore(b)
	ctx := context.Background()
	areas, err := st.Areas(ctx)
	if err != nil || len(areas) == 0 {
		b.Fatal(err)
	}
	file := func(typ beheer.Type, to ...beheer.Phase) int64 {
		r, err := st.CreateRequest(ctx, user, beheer.NewRequest{Type: typ, Title: "Verlofsaldo klopt niet na de update", AreaID: areas[0].ID})
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range to {
			if _, err := st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: p}); err != nil {
				b.Fatal(err)
			}
		}
		return r.ID
	}
	b.Run("investigation and back", func(b *testing.B) {
		ids := make([]int64, 64)
		for i := range ids {
			ids[i] = file(beheer.TypeQuestion, beheer.PhaseInvestigation)
		}
		at := make([]beheer.Phase, len(ids))
		var i int
		for b.Loop() {
			k := i % len(ids)
			i++
			to := beheer.PhaseExecution
			if at[k] == beheer.PhaseExecution {
				to = beheer.PhaseInvestigation
			}
			if _, err := st.Transition(ctx, admin, ids[k], 0, beheer.Transition{To: to}); err != nil {
				b.Fatal(err)
			}
			at[k] = to
		}
	})
	b.Run("to optimisation", func(b *testing.B) {
		ids := make([]int64, 0, b.N)
		for range b.N {
			ids = append(ids, benchChangeInExecution(b, st, admin, file))
		}
		b.ResetTimer()
		for _, id := range ids {
			if _, err := st.Transition(ctx, admin, id, 0, beheer.Transition{To: beheer.PhaseOptimisation}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchChangeInExecution files a change request, has the key user of its
// area approve it, moves it to Uitvoering and records its passed test on
// AFAS Accept.
func benchChangeInExecution(b *testing.B, st *store.Store, admin *beheer.Actor, file func(beheer.Type, ...beheer.Phase) int64) int64 {
	ctx := context.Background()
	id := file(beheer.TypeChange, beheer.PhaseInvestigation)
	r, _, err := st.Request(ctx, admin, id)
	if err != nil {
		b.Fatal(err)
	}
	users, err := st.Users(ctx, store.System)
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range users {
		if u.Actor().Can(beheer.PermRequestDecide, r.AreaID) {
			if _, err := st.Decide(ctx, u.Actor(), id, beheer.DecisionApproved, "Akkoord"); err != nil {
				b.Fatal(err)
			}
			break
		}
	}
	if _, err := st.Transition(ctx, admin, id, 0, beheer.Transition{To: beheer.PhaseExecution}); err != nil {
		b.Fatal(err)
	}
	if _, err := st.RecordChangeTest(ctx, admin, id, beheer.ChangeTestInput{TestedOn: st.Today(), Result: beheer.ChangeTestPassed}); err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkCreateRequestWithForm files authorisation requests through a
// form of ten fields (the ready-made one plus three), against
// BenchmarkCreateRequest without a form: the answers' check and their one
// insert are all a form adds.
func BenchmarkCreateRequestWithForm(b *testing.B) {
	st, admin, user := benchStore(b)
	benchCreateWithForm(b, st, admin, user)
}

// BenchmarkCreateRequestWithFormPostgres is BenchmarkCreateRequestWithForm
// on PostgreSQL, against BenchmarkCreateRequestPostgres.
func BenchmarkCreateRequestWithFormPostgres(b *testing.B) {
	st, admin, user := benchPostgres(b)
	benchCreateWithForm(b, st, admin, user)
}

// benchCreateWithForm files wishes through a ten-field form as user.
func benchCreateWithForm(b *testing.B, st *store.Store, admin, user *beheer.Actor) {
	n := tenFieldWish(b, st, admin, user)
	for b.Loop() {
		if _, err := st.CreateRequest(context.Background(), user, n); err != nil {
			b.Fatal(err)
		}
	}
}

// createWithForm files one wish through a ten-field form as user.
func createWithForm(b *testing.B, st *store.Store, admin, user *beheer.Actor) int64 {
	r, err := st.CreateRequest(context.Background(), user, tenFieldWish(b, st, admin, user))
	if err != nil {
		b.Fatal(err)
	}
	return r.ID
}

// tenFieldWish is a wish answering every field of a ten-field form (the
// ready-made authorisation form plus three), which admin makes when the
// wish has no form yet.
func tenFieldWish(b *testing.B, st *store.Store, admin, user *beheer.Actor) beheer.NewRequest {
	ctx := context.Background()
	f, err := st.FormFor(ctx, beheer.TypeWish, 0)
	if err != nil {
		b.Fatal(err)
	}
	if f == nil {
		tpl := beheer.FormTemplates()[0].Form
		tpl.Type = beheer.TypeWish
		tpl.Fields = append(tpl.Fields,
			beheer.FormField{Name: "kostenplaats", Kind: beheer.FieldText, Label: beheer.Texts{NL: "Kostenplaats"}},
			beheer.FormField{Name: "uren", Kind: beheer.FieldNumber, Label: beheer.Texts{NL: "Uren"}},
			beheer.FormField{Name: "spoed", Kind: beheer.FieldYesNo, Label: beheer.Texts{NL: "Spoed"}})
		if _, err := st.SaveForm(ctx, admin, tpl, 0); err != nil {
			b.Fatal(err)
		}
	}
	who := strconv.FormatInt(user.UserID, 10)
	return beheer.NewRequest{Type: beheer.TypeWish, Title: "Rechten HR-adviseur", Answers: map[string][]string{
		"voor_wie": {who}, "autorisatiegroep": {"hr_adviseur"}, "omgeving": {"productie"}, "vanaf": {"2026-03-01"},
		"tijdelijk": {"true"}, "tot_en_met": {"2026-06-30"}, "toelichting": {"Vervanging"}, "kostenplaats": {"4100"},
		"uren": {"8"}, "spoed": {"nee"}}}
}

// BenchmarkQueueAnswer lists the first page of the queue filtered on one
// answer (answer.omgeving=productie), newest first and by last update.
func BenchmarkQueueAnswer(b *testing.B) {
	st, admin, _ := benchStore(b)
	ctx := context.Background()
	for _, sort := range []string{"newest", "updated"} {
		b.Run(sort, func(b *testing.B) {
			for b.Loop() {
				if _, err := st.Requests(ctx, admin, store.Filter{Sort: sort,
					Answers: []store.AnswerFilter{{Field: "omgeving", Value: "productie"}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadAnswered reads requests filed through a ten-field form with
// their answers (the API's read), against the same reads without them.
func BenchmarkReadAnswered(b *testing.B) {
	st, admin, user := benchStore(b)
	ctx := context.Background()
	var ids []int64
	for range 50 {
		ids = append(ids, createWithForm(b, st, admin, user))
	}
	b.Run("request", func(b *testing.B) {
		var i int
		for b.Loop() {
			i++
			if _, _, err := st.Request(ctx, admin, ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("answered", func(b *testing.B) {
		var i int
		for b.Loop() {
			i++
			if _, _, a, err := st.RequestAnswered(ctx, admin, ids[i%len(ids)]); err != nil || len(a.Answers) != 10 {
				b.Fatal(err, len(a.Answers))
			}
		}
	})
}
