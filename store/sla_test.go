package store_test

import (
	"context"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

var ams = func() *time.Location { l, _ := time.LoadLocation("Europe/Amsterdam"); return l }()

// clock is a settable store clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func (c *clock) set(y int, m time.Month, d, h, min int) {
	c.t = time.Date(y, m, d, h, min, 0, 0, ams)
}

// slaOrg creates two areas and the people the service-level tests need.
type slaPeople struct {
	hr, fin                                      beheer.Area
	requester, admin, keyHR, keyFin, boss, plain *beheer.User
}

func slaOrg(t *testing.T, st *store.Store) slaPeople {
	t.Helper()
	ctx := context.Background()
	var p slaPeople
	for _, a := range []*beheer.Area{&p.hr, &p.fin} {
		code := map[*beheer.Area]string{&p.hr: "hr", &p.fin: "financieel"}[a]
		created, err := st.CreateArea(ctx, store.System, beheer.Area{Code: code, Name: code})
		if err != nil {
			t.Fatal(err)
		}
		*a = *created
	}
	mk := func(email string, roles ...beheer.Assignment) *beheer.User {
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: email, Roles: roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	p.requester = mk("anna@voorbeeld.nl")
	p.admin = mk("fleur@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleFunctionalAdmin})
	p.keyHR = mk("henk@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: p.hr.ID})
	p.keyFin = mk("fatima@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: p.fin.ID})
	p.boss = mk("dirk@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleManagement})
	p.plain = mk("piet@voorbeeld.nl")
	return p
}

// must returns v, and panics (failing the test) on an error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSLAWaitingOnRequester: an urgent request that waits three days on
// its requester does not breach; lowering the target recomputes it; the
// sweep warns once; parking stops the clock and ends by itself.
func TestSLAWaitingOnRequester(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c.set(2026, 3, 2, 8, 0) // Monday
		p := slaOrg(t, st)
		c.set(2026, 3, 2, 9, 0)
		r := must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Salarisstrook leeg", AreaID: p.hr.ID}))
		c.set(2026, 3, 2, 9, 30)
		urgent := beheer.PriorityUrgent
		must(st.UpdateRequest(ctx, p.admin.Actor(), r.ID, 0, beheer.Patch{Priority: &urgent}))
		must(st.Transition(ctx, p.admin.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
		c.set(2026, 3, 2, 10, 0)
		waiting := beheer.StatusAwaitingRequester
		must(st.UpdateRequest(ctx, p.admin.Actor(), r.ID, 0, beheer.Patch{Status: &waiting}))
		c.set(2026, 3, 5, 10, 0) // Thursday: the requester answers
		must(st.AddComment(ctx, p.requester.Actor(), r.ID, beheer.NewComment{Body: "Het gaat om maart."}))
		c.set(2026, 3, 5, 12, 0)

		_, s, err := st.RequestSLA(ctx, p.requester.Actor(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Resolution.Elapsed != 3*time.Hour || s.Resolution.Breached() || s.Resolution.Target != 8*time.Hour {
			t.Fatalf("resolution %+v: want 3h of 8h used", s.Resolution)
		}
		if !s.Response.Done || s.Response.Elapsed != 30*time.Minute {
			t.Fatalf("response %+v: want met after 30 minutes", s.Response)
		}
		if res := must(st.SLASweep(ctx)); res.Warnings != 0 || res.Breaches != 0 {
			t.Fatalf("sweep before the warning: %+v", res)
		}

		// A stricter target holds at once for the open request.
		targets := beheer.DefaultSLATargets()
		targets[0].ResolutionMinutes = 200
		if err := st.SetSLATargets(ctx, p.keyHR.Actor(), targets); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("key user changed targets: %v", err)
		}
		if err := st.SetSLATargets(ctx, p.admin.Actor(), targets[1:]); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("targets without urgent: %v", err)
		}
		noErr(t, st.SetSLATargets(ctx, p.admin.Actor(), targets))
		_, s, _ = st.RequestSLA(ctx, p.admin.Actor(), r.ID)
		if !s.Resolution.Warning() || s.Resolution.Left() != 20*time.Minute {
			t.Fatalf("after the change: %+v, want 20 minutes left and a warning", s.Resolution)
		}
		for i, want := range []int{1, 0} {
			if res := must(st.SLASweep(ctx)); res.Warnings != want {
				t.Fatalf("sweep %d: %+v, want %d warnings", i, res, want)
			}
		}

		// Parking stops the clock until the moment, then it runs again.
		if err := st.Park(ctx, p.requester.Actor(), r.ID, time.Date(2026, 3, 6, 12, 0, 0, 0, ams)); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("requester parked: %v", err)
		}
		if err := st.Park(ctx, p.admin.Actor(), r.ID, c.t.Add(-time.Hour)); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Fatalf("parked in the past: %v", err)
		}
		noErr(t, st.Park(ctx, p.admin.Actor(), r.ID, time.Date(2026, 3, 6, 12, 0, 0, 0, ams)))
		c.set(2026, 3, 6, 11, 0)
		_, s, _ = st.RequestSLA(ctx, p.admin.Actor(), r.ID)
		if !s.Paused || s.ParkedUntil.IsZero() || s.Resolution.Elapsed != 3*time.Hour {
			t.Fatalf("parked: %+v", s)
		}
		if res := must(st.SLASweep(ctx)); res.Unparked != 0 {
			t.Fatalf("unparked too early: %+v", res)
		}
		c.set(2026, 3, 6, 14, 0)
		_, s, _ = st.RequestSLA(ctx, p.admin.Actor(), r.ID)
		if s.Paused || s.Resolution.Elapsed != 5*time.Hour || !s.Resolution.Breached() {
			t.Fatalf("after parking: %+v", s)
		}
		for i, want := range []int{1, 0} {
			if res := must(st.SLASweep(ctx)); res.Unparked != want || (i == 0 && res.Breaches != 1) {
				t.Fatalf("sweep %d after parking: %+v", i, res)
			}
		}
		audit := must(st.Audit(ctx, p.admin.Actor(), r.ID))
		counts := map[string]int{}
		for _, e := range audit {
			counts[e.Action]++
		}
		if counts["sla.warning"] != 1 || counts["sla.breached"] != 1 || counts["request.parked"] != 1 || counts["request.unparked"] != 1 {
			t.Fatalf("audit actions %v", counts)
		}
	})
}

// TestReportFigures checks the report against values computed by hand on a
// fixed data set, for management and for a key user of one area.
func TestReportFigures(t *testing.T) {
	c := &clock{}
	storetest.Engines(t, storetest.Options{Now: c.now}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c.set(2026, 1, 2, 8, 0)
		p := slaOrg(t, st)
		admin := p.admin.Actor()
		file := func(typ beheer.Type, area int64, title string) *beheer.Request {
			return must(st.CreateRequest(ctx, p.requester.Actor(), beheer.NewRequest{Type: typ, Title: title, AreaID: area}))
		}
		move := func(r *beheer.Request, to beheer.Phase) {
			t.Helper()
			must(st.Transition(ctx, admin, r.ID, 0, beheer.Transition{To: to}))
		}
		// A: a question of HR, all the way through.
		c.set(2026, 1, 5, 9, 0)
		a := file(beheer.TypeQuestion, p.hr.ID, "Verlof")
		c.set(2026, 1, 6, 9, 0)
		move(a, beheer.PhaseInvestigation)
		c.set(2026, 1, 8, 9, 0)
		move(a, beheer.PhaseExecution)
		c.set(2026, 1, 9, 9, 0)
		move(a, beheer.PhaseOptimisation)
		c.set(2026, 1, 12, 9, 0)
		must(st.Evaluate(ctx, p.requester.Actor(), a.ID, beheer.Evaluation{Rating: 4, Note: "Prima"}))
		c.set(2026, 2, 2, 9, 0)
		move(a, beheer.PhaseClosed)
		// B: an incident of HR, escalated to Support for two days.
		c.set(2026, 1, 20, 9, 0)
		b := file(beheer.TypeIncident, p.hr.ID, "Fout in salarisstrook")
		c.set(2026, 1, 20, 13, 0)
		move(b, beheer.PhaseInvestigation)
		c.set(2026, 1, 21, 9, 0)
		e := must(st.Escalate(ctx, admin, b.ID, beheer.NewEscalation{Channel: beheer.ChannelSupport, Reference: "T-1"}))
		c.set(2026, 1, 23, 9, 0)
		must(st.CloseEscalation(ctx, admin, e.ID, "Opgelost"))
		// C: a change of Financieel, approved after a day.
		c.set(2026, 2, 10, 9, 0)
		cr := file(beheer.TypeChange, p.fin.ID, "Nieuwe kostenplaats")
		c.set(2026, 2, 11, 9, 0)
		move(cr, beheer.PhaseInvestigation)
		c.set(2026, 2, 11, 10, 0)
		decision := beheer.StatusAwaitingDecision
		must(st.UpdateRequest(ctx, admin, cr.ID, 0, beheer.Patch{Status: &decision}))
		c.set(2026, 2, 12, 10, 0)
		must(st.Decide(ctx, p.keyFin.Actor(), cr.ID, beheer.DecisionApproved, "Akkoord"))
		// D: no area yet.
		c.set(2026, 3, 3, 9, 0)
		file(beheer.TypeQuestion, 0, "Waar vind ik mijn loonstrook")
		c.set(2026, 3, 10, 9, 0)
		must(st.SLASweep(ctx))

		period := beheer.ReportFilter{From: time.Date(2026, 1, 15, 0, 0, 0, 0, ams), To: time.Date(2026, 3, 1, 0, 0, 0, 0, ams)}
		rep := must(st.Report(ctx, p.boss.Actor(), period))
		if got := rep.Throughput; len(got) != 3 || got[0].Filed != 2 || got[0].Closed != 0 || got[1].Filed != 1 ||
			got[1].Closed != 1 || got[2].Filed != 1 || got[2].Closed != 0 {
			t.Errorf("throughput %+v", got)
		}
		if !rep.From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, ams)) || !rep.To.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, ams)) {
			t.Errorf("period %v – %v", rep.From, rep.To)
		}
		open := map[string]int{}
		for _, o := range rep.Open {
			open[string(o.Phase)+"/"+o.Area] += o.Count
		}
		if len(open) != 3 || open["intake/"] != 1 || open["investigation/hr"] != 1 || open["investigation/financieel"] != 1 {
			t.Errorf("open %v", open)
		}
		spread := func(sp []beheer.Spread, g string) beheer.Spread {
			for _, s := range sp {
				if s.Group == g {
					return s
				}
			}
			return beheer.Spread{}
		}
		for g, want := range map[string]beheer.Spread{
			"intake": {Count: 3, Median: 24, P90: 24}, "investigation": {Count: 1, Median: 48, P90: 48},
			"execution": {Count: 1, Median: 24, P90: 24}, "optimisation": {Count: 1, Median: 576, P90: 576},
			"total": {Count: 1, Median: 672, P90: 672},
		} {
			got := spread(rep.LeadTimes, g)
			if got.Count != want.Count || got.Median != want.Median || got.P90 != want.P90 {
				t.Errorf("lead time %s: %+v, want %+v", g, got, want)
			}
		}
		for _, ch := range rep.Channels {
			want := beheer.ChannelStats{Channel: ch.Channel}
			if ch.Channel == beheer.ChannelSupport {
				want = beheer.ChannelStats{Channel: ch.Channel, Opened: 1, Closed: 1, Median: 48, P90: 48}
			}
			if ch != want {
				t.Errorf("escalations %+v, want %+v", ch, want)
			}
		}
		if d := rep.Decisions; d.Approved != 1 || d.Rejected != 0 || d.Median != 24 {
			t.Errorf("decisions %+v", d)
		}
		if r := rep.Ratings; r.Count != 1 || r.Counts[3] != 1 || r.Average != 4 {
			t.Errorf("ratings %+v", r)
		}
		for _, s := range rep.SLA {
			want := beheer.SLAPerf{Priority: s.Priority}
			if s.Priority == beheer.PriorityNormal {
				want = beheer.SLAPerf{Priority: s.Priority, Ended: 1, ResponseMet: 1, ResolutionMet: 1}
			}
			if s != want {
				t.Errorf("service level %+v, want %+v", s, want)
			}
		}
		ages := map[string]int{}
		for _, a := range rep.Aging {
			ages[a.Bucket] = a.Count
		}
		if ages["lt7d"] != 0 || ages["7to14d"] != 1 || ages["14to30d"] != 1 || ages["30to90d"] != 1 || ages["gt90d"] != 0 {
			t.Errorf("aging %v", ages)
		}
		load := map[int64]int{}
		for _, l := range rep.Load {
			load[l.AssigneeID] = l.Count
		}
		if len(load) != 2 || load[p.admin.ID] != 2 || load[0] != 1 {
			t.Errorf("load %v", load)
		}

		// Filtered by type: incidents only.
		inc := period
		inc.Types = []beheer.Type{beheer.TypeIncident}
		rep = must(st.Report(ctx, p.boss.Actor(), inc))
		if got := rep.Throughput; got[0].Filed != 1 || got[1].Filed != 0 || got[1].Closed != 0 {
			t.Errorf("incidents' throughput %+v", got)
		}
		if sp := spread(rep.LeadTimes, "intake"); sp.Count != 1 || sp.Median != 4 {
			t.Errorf("incidents' intake %+v", sp)
		}

		// The key user of HR sees HR's figures only.
		rep = must(st.Report(ctx, p.keyHR.Actor(), period))
		if got := rep.Throughput; got[0].Filed != 2 || got[1].Filed != 0 || got[1].Closed != 1 || got[2].Filed != 0 {
			t.Errorf("HR throughput %+v", got)
		}
		if sp := spread(rep.LeadTimes, "intake"); sp.Count != 2 || sp.Median != 4 || sp.P90 != 24 {
			t.Errorf("HR intake %+v", sp)
		}
		if len(rep.Open) != 1 || rep.Open[0].Area != "hr" || rep.Decisions.Approved != 0 {
			t.Errorf("HR open %+v decisions %+v", rep.Open, rep.Decisions)
		}
		fin := period
		fin.AreaIDs = []int64{p.fin.ID}
		if _, err := st.Report(ctx, p.keyHR.Actor(), fin); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("key user of HR read Financieel: %v", err)
		}
		if _, err := st.Report(ctx, p.plain.Actor(), period); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("plain user read the report: %v", err)
		}
		bad := period
		bad.To = time.Date(2020, 1, 1, 0, 0, 0, 0, ams)
		if _, err := st.Report(ctx, p.boss.Actor(), bad); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("period backwards: %v", err)
		}
	})
}
