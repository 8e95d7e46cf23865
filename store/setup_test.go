package store_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// wantFields fails unless err is a *beheer.Error of code with exactly the
// fields named (in any order), each with a message key.
func wantFields(t *testing.T, err error, code beheer.Code, fields ...string) *beheer.Error {
	t.Helper()
	var be *beheer.Error
	if !errors.As(err, &be) || be.Code != code {
		t.Fatalf("got %v, want %s on %v", err, code, fields)
	}
	var got []string
	for _, f := range be.Fields {
		if f.Key == "" {
			t.Fatalf("field %s without a message", f.Field)
		}
		got = append(got, f.Field)
	}
	slices.Sort(got)
	slices.Sort(fields)
	if !slices.Equal(slices.Compact(got), fields) {
		t.Fatalf("fields %v, want %v (%v)", got, fields, err)
	}
	return be
}

// TestAreasKept creates, renames, orders and archives areas as an
// organisation keeps them: duplicate names refused beside the field, a
// stale edit refused, and archiving an area with open requests asking
// where they go, then moving them with their processes and an audit row
// each. Archived areas take no new requests; old ones still show them.
func TestAreasKept(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		a := admin.Actor()

		// Duplicate names, ignoring case, and codes: nothing written.
		_, err := st.CreateArea(ctx, a, beheer.Area{Name: "hr"})
		be := wantFields(t, err, beheer.CodeInvalid, "code", "name")
		if be.Fields[0].Key == "" {
			t.Fatal("no message")
		}
		sal := must(st.CreateArea(ctx, a, beheer.Area{Name: "Salaris & Loon"}))
		if sal.Code != "salaris-loon" || sal.Position != 1 {
			t.Fatalf("new area %+v", sal)
		}
		if _, err := st.CreateArea(ctx, requester.Actor(), beheer.Area{Name: "Inkoop"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a requester created an area: %v", err)
		}
		if areas := must(st.Areas(ctx)); len(areas) != 2 {
			t.Fatalf("areas after refusals: %+v", areas)
		}

		// Rename: seen at once; a stale version and a taken name refused.
		renamed := must(st.UpdateArea(ctx, a, sal.ID, sal.Version, beheer.AreaInput{Code: "salaris", Name: "Salaris", Description: "Loon"}))
		if got := must(st.AreaByCode(ctx, "salaris")); got.Name != "Salaris" || got.Version != renamed.Version {
			t.Fatalf("after rename %+v", got)
		}
		if _, err := st.AreaByCode(ctx, "salaris-loon"); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Fatalf("old code still found: %v", err)
		}
		_, err = st.UpdateArea(ctx, a, sal.ID, sal.Version, beheer.AreaInput{Code: "salaris", Name: "Salarissen"})
		if beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Fatalf("stale rename: %v", err)
		}
		wantFields(t, errOf(st.UpdateArea(ctx, a, sal.ID, 0, beheer.AreaInput{Code: "salaris", Name: "HR"})), beheer.CodeInvalid, "name")

		// Order.
		if err := st.ReorderAreas(ctx, a, []int64{sal.ID, hr.ID}); err != nil {
			t.Fatal(err)
		}
		if areas := must(st.Areas(ctx)); areas[0].ID != sal.ID {
			t.Fatalf("order %+v", areas)
		}
		if err := st.ReorderAreas(ctx, a, []int64{sal.ID}); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("incomplete order: %v", err)
		}

		// Archive HR with an open request in its process Verlof: asks
		// where they go; then moves them to Salaris, whose Verlof takes
		// the process.
		verlof := must(st.CreateProcess(ctx, a, beheer.Process{AreaID: hr.ID, Name: "Verlof"}))
		salVerlof := must(st.CreateProcess(ctx, a, beheer.Process{AreaID: sal.ID, Name: "Verlof"}))
		open := must(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verlofsaldo",
			ProcessID: verlof.ID}))
		if open.AreaID != hr.ID || open.AreaName != "HR" {
			t.Fatalf("filed %+v", open)
		}
		_, err = st.ArchiveArea(ctx, a, hr.ID, 0, beheer.ArchiveArea{})
		be = wantFields(t, err, beheer.CodeConflict, "move_to")
		if be.Key != "area.archive_has_open" {
			t.Fatalf("archive refusal %+v", be)
		}
		if got := must(st.Area(ctx, hr.ID)); got.Archived() {
			t.Fatal("refused archive archived the area")
		}
		wantFields(t, errOf(st.ArchiveArea(ctx, a, hr.ID, 0, beheer.ArchiveArea{MoveTo: hr.ID})), beheer.CodeInvalid, "move_to")
		if n := must(st.ArchiveArea(ctx, a, hr.ID, 0, beheer.ArchiveArea{MoveTo: sal.ID})); n != 1 {
			t.Fatalf("moved %d", n)
		}
		moved, _ := must2(st.Request(ctx, admin.Actor(), open.ID))
		if moved.AreaID != sal.ID || moved.ProcessID != salVerlof.ID {
			t.Fatalf("moved request %+v", moved)
		}
		trail := must(st.Audit(ctx, admin.Actor(), open.ID))
		if last := trail[len(trail)-1]; last.Field != "area" || last.Before != "hr" || last.After != "salaris" {
			t.Fatalf("audit %+v", last)
		}

		// No new requests in the archived area or its process.
		_, err = st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "x", AreaID: hr.ID})
		wantFields(t, err, beheer.CodeInvalid, "area")
		_, err = st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "x", ProcessID: verlof.ID})
		wantFields(t, err, beheer.CodeInvalid, "area")
		if got := must(st.AreaByCode(ctx, "hr")); !got.Archived() {
			t.Fatal("archived area not marked")
		}
		if err := st.RestoreArea(ctx, a, hr.ID); err != nil {
			t.Fatal(err)
		}
		must(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "x", AreaID: hr.ID}))
	})
}

// errOf returns only the error of a call.
func errOf[T any](_ T, err error) error { return err }

// TestProcessesKept: processes with unique names per area, an owner who
// has an active account, moved to another area with all their requests,
// archived so that no new request names them.
func TestProcessesKept(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		a := admin.Actor()
		fin := must(st.CreateArea(ctx, a, beheer.Area{Name: "Financieel"}))
		decl := must(st.CreateProcess(ctx, a, beheer.Process{AreaID: hr.ID, Name: "Declaraties", OwnerID: requester.ID}))
		if decl.OwnerName != "Anna" {
			t.Fatalf("owner %+v", decl)
		}
		wantFields(t, errOf(st.CreateProcess(ctx, a, beheer.Process{AreaID: hr.ID, Name: "declaraties"})), beheer.CodeInvalid, "name")
		wantFields(t, errOf(st.CreateProcess(ctx, a, beheer.Process{AreaID: hr.ID, Name: "Verzuim", OwnerID: 9999})), beheer.CodeInvalid, "owner_id")
		if err := st.SetActive(ctx, a, requester.ID, false); err != nil {
			t.Fatal(err)
		}
		wantFields(t, errOf(st.UpdateProcess(ctx, a, decl.ID, 0, beheer.ProcessInput{AreaID: hr.ID, Name: "Declaraties",
			OwnerID: requester.ID})), beheer.CodeInvalid, "owner_id")
		if err := st.SetActive(ctx, a, requester.ID, true); err != nil {
			t.Fatal(err)
		}
		if ps := must(st.Processes(ctx)); len(ps) != 1 {
			t.Fatalf("processes after refusals %+v", ps)
		}

		// Move Declaraties to Financieel with its requests.
		r := must(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Declaratie", ProcessID: decl.ID}))
		movedP := must(st.UpdateProcess(ctx, a, decl.ID, decl.Version, beheer.ProcessInput{AreaID: fin.ID, Name: "Declaraties",
			Description: "Onkosten", OwnerID: admin.ID}))
		if movedP.AreaID != fin.ID || movedP.OwnerID != admin.ID || movedP.OwnerName != "Fleur" {
			t.Fatalf("moved process %+v", movedP)
		}
		got, _ := must2(st.Request(ctx, a, r.ID))
		if got.AreaID != fin.ID || got.AreaCode != "financieel" {
			t.Fatalf("request after the move %+v", got)
		}
		if _, err := st.UpdateProcess(ctx, a, decl.ID, decl.Version, beheer.ProcessInput{AreaID: fin.ID, Name: "X"}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Fatalf("stale process edit: %v", err)
		}
		// Filed with the old area and the moved process: refused, the
		// process belongs elsewhere now.
		wantFields(t, errOf(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "x",
			AreaID: hr.ID, ProcessID: decl.ID})), beheer.CodeInvalid, "process")

		// Archived: no new requests, the old one still shows it.
		if err := st.SetProcessArchived(ctx, a, decl.ID, true); err != nil {
			t.Fatal(err)
		}
		wantFields(t, errOf(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "x",
			ProcessID: decl.ID})), beheer.CodeInvalid, "process")
		if got, _ := must2(st.Request(ctx, a, r.ID)); got.ProcessID != decl.ID {
			t.Fatalf("old request lost its process: %+v", got)
		}
		if p := must(st.Process(ctx, decl.ID)); !p.Archived() {
			t.Fatal("process not archived")
		}
	})
}

// TestAreaChangesSeenElsewhere: a rename and an archive made through one
// store are seen at once by that store, and by a second store (another
// server process) on the same PostgreSQL database as soon as the change's
// notification arrives — never the old name once it has. A request that
// the second store files meanwhile is checked against the archive anyway.
func TestAreaChangesSeenElsewhere(t *testing.T) {
	storetest.EnginesWithDB(t, storetest.Options{}, func(t *testing.T, one *store.Store, db *sql.DB, dsn string) {
		ctx := context.Background()
		other := storetest.Open(t, dsn, storetest.Options{})
		hr, requester, admin := org(t, one)
		pg := one.Engine() == store.Postgres
		if pg && !waitFor(other.ListeningForTokenChanges) {
			t.Fatal("other store not listening")
		}
		if got := must(other.AreaByCode(ctx, "hr")); got.Name != "HR" { // cached now
			t.Fatalf("other: %+v", got)
		}
		must(one.UpdateArea(ctx, admin.Actor(), hr.ID, 0, beheer.AreaInput{Code: "hr", Name: "Personeelszaken"}))
		if got := must(one.AreaByCode(ctx, "hr")); got.Name != "Personeelszaken" {
			t.Fatalf("this store after its own rename: %+v", got)
		}
		seen := func(what string, ok func(beheer.Area) bool) {
			t.Helper()
			deadline := time.Now().Add(5 * time.Second)
			for {
				a, err := other.AreaByCode(ctx, "hr")
				if err == nil && ok(*a) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s not seen by the other store: %+v %v", what, a, err)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		if !pg {
			// SQLite: one server per file; the other store re-reads what
			// it cannot find, and its creates check in the transaction.
			_, err := one.ArchiveArea(ctx, admin.Actor(), hr.ID, 0, beheer.ArchiveArea{})
			if err != nil {
				t.Fatal(err)
			}
			wantFields(t, errOf(other.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion,
				Title: "x", AreaID: hr.ID})), beheer.CodeInvalid, "area")
			return
		}
		seen("rename", func(a beheer.Area) bool { return a.Name == "Personeelszaken" })
		// A change made in the database console is heard too.
		if _, err := db.ExecContext(ctx, `UPDATE areas SET name = 'P&O' WHERE id = $1`, hr.ID); err != nil {
			t.Fatal(err)
		}
		seen("console rename", func(a beheer.Area) bool { return a.Name == "P&O" })
		if _, err := one.ArchiveArea(ctx, admin.Actor(), hr.ID, 0, beheer.ArchiveArea{}); err != nil {
			t.Fatal(err)
		}
		wantFields(t, errOf(other.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion,
			Title: "x", AreaID: hr.ID})), beheer.CodeInvalid, "area")
		seen("archive", func(a beheer.Area) bool { return a.Archived() })
	})
}

// TestFirstStart: on an empty database a first-start link sets up the
// organisation and its first functional admin once; the same link a second
// time, an expired link, and a new link or `beheer setup` once the
// organisation exists are all refused, and a refused form writes nothing.
func TestFirstStart(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	storetest.Engines(t, storetest.Options{Now: clock}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		if open := must(st.SetupOpen(ctx)); !open {
			t.Fatal("empty database not open for setup")
		}
		expired, _, err := st.CreateSetupLink(ctx)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(beheer.SetupLinkLifetime)
		if err := st.CheckSetupLink(ctx, expired); beheer.ErrorCode(err) != beheer.CodeConflict || err.(*beheer.Error).Key != "setup.link_expired" {
			t.Fatalf("expired link: %v", err)
		}
		token, expires, err := st.CreateSetupLink(ctx)
		if err != nil || !expires.Equal(now.Add(beheer.SetupLinkLifetime)) {
			t.Fatalf("link %v %v", expires, err)
		}
		if err := st.CheckSetupLink(ctx, "bedacht"); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Fatalf("unknown link: %v", err)
		}
		org := beheer.OrganisationInput{Name: "Zorggroep De Linde", Lang: "nl", Zone: "Europe/Amsterdam"}
		admin := beheer.FirstAdmin{Name: "Fleur Visser", Email: "fleur@delinde.nl"}

		// A bad form: every message at once, nothing written, link unspent.
		_, err = st.SetUp(ctx, token, beheer.OrganisationInput{Zone: "Mars/Olympus", Logo: &beheer.Upload{Name: "logo.svg",
			Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}},
			beheer.FirstAdmin{Email: "geen-adres"}, "hash")
		wantFields(t, err, beheer.CodeInvalid, "admin_email", "admin_name", "logo", "org_name", "time_zone")
		if o := must(st.Organisation(ctx)); o != nil {
			t.Fatalf("refused setup wrote %+v", o)
		}

		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
		org.Logo = &beheer.Upload{Name: "linde.png", Data: png}
		u, err := st.SetUp(ctx, token, org, admin, "hash")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(u.Roles, []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}) {
			t.Fatalf("first admin %+v", u)
		}
		o := must(st.Organisation(ctx))
		if o == nil || o.Name != "Zorggroep De Linde" || !o.HasLogo || o.Zone != "Europe/Amsterdam" {
			t.Fatalf("organisation %+v", o)
		}
		if data, typ, err := st.OrganisationLogo(ctx); err != nil || typ != "image/png" || len(data) != len(png) {
			t.Fatalf("logo %d %s %v", len(data), typ, err)
		}
		// Spent: the same link again says so; nothing else opens.
		if err := st.CheckSetupLink(ctx, token); beheer.ErrorCode(err) != beheer.CodeConflict || err.(*beheer.Error).Key != "setup.link_used" {
			t.Fatalf("second use: %v", err)
		}
		if _, err := st.SetUp(ctx, token, org, beheer.FirstAdmin{Name: "X", Email: "x@delinde.nl"}, "hash"); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("second setup through the link: %v", err)
		}
		if _, _, err := st.CreateSetupLink(ctx); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("new link once set up: %v", err)
		}
		if _, err := st.SetUp(ctx, "", org, beheer.FirstAdmin{Name: "X", Email: "x@delinde.nl"}, "hash"); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("command-line setup once set up: %v", err)
		}
		if users := must(st.Users(ctx, store.System)); len(users) != 1 {
			t.Fatalf("people %d", len(users))
		}

		// The checklist is on, with nothing done but the first admin.
		state := must(st.SetupChecklist(ctx, false, false))
		if !state.Show || beheer.SetupFinished(state.Steps) {
			t.Fatalf("checklist %+v", state)
		}
		for _, item := range beheer.SetupItems {
			if err := st.MarkSetupItem(ctx, u.Actor(), item, true); err != nil {
				t.Fatal(err)
			}
		}
		if state := must(st.SetupChecklist(ctx, false, false)); state.Show {
			t.Fatalf("checklist shown with everything not applicable: %+v", state)
		}
	})
}

// TestCommandLineSetUp: without a link, SetUp works on an empty database
// and only there.
func TestCommandLineSetUp(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		in := beheer.OrganisationInput{Name: "Gemeente Voorbeeld", Lang: "en"}
		bea, err := st.SetUp(ctx, "", in, beheer.FirstAdmin{Name: "Bea", Email: "bea@voorbeeld.nl"}, "")
		if err != nil {
			t.Fatal(err)
		}
		// New people speak the organisation's language unless told.
		if u := must(st.CreateUser(ctx, bea.Actor(), beheer.NewUser{Name: "Ann", Email: "ann@voorbeeld.nl"}, "")); u.Lang != "en" || bea.Lang != "en" {
			t.Fatalf("languages %q %q", u.Lang, bea.Lang)
		}
		if open := must(st.SetupOpen(ctx)); open {
			t.Fatal("still open")
		}
		if _, err := st.SetUp(ctx, "", in, beheer.FirstAdmin{Name: "Bea", Email: "bea@voorbeeld.nl"}, ""); beheer.ErrorCode(err) != beheer.CodeConflict {
			t.Fatalf("twice: %v", err)
		}
	})
}

// TestSupportSubmitters: once someone is named who may submit incidents to
// Support (a contact linked to their account), an escalation to Support by
// anyone else is refused with that reason; the named person escalates.
// Linking a contact to an account that does not exist is refused.
func TestSupportSubmitters(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		other := must(st.CreateUser(ctx, store.System, beheer.NewUser{Email: "bram@voorbeeld.nl", Name: "Bram",
			Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin}}}, ""))
		incident := func() *beheer.Request {
			r := must(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeIncident, Title: "Fout", AreaID: hr.ID}))
			return must(st.Transition(ctx, admin.Actor(), r.ID, 0, beheer.Transition{To: beheer.PhaseInvestigation}))
		}
		// Nobody named yet: the rule is not set up.
		must(st.Escalate(ctx, other.Actor(), incident().ID, beheer.NewEscalation{Channel: beheer.ChannelSupport}))

		wantFields(t, errOf(st.AddContact(ctx, admin.Actor(), beheer.ContactInput{Channel: beheer.ChannelSupport, UserID: 9999,
			MaySubmitSupportIncidents: true})), beheer.CodeInvalid, "user_id")
		c := must(st.AddContact(ctx, admin.Actor(), beheer.ContactInput{Channel: beheer.ChannelSupport, UserID: admin.ID,
			MaySubmitSupportIncidents: true}))
		if c.Name != "Fleur" || c.Email != "fleur@voorbeeld.nl" || c.UserID != admin.ID {
			t.Fatalf("linked contact %+v", c)
		}
		r := incident()
		_, err := st.Escalate(ctx, other.Actor(), r.ID, beheer.NewEscalation{Channel: beheer.ChannelSupport})
		be := wantFields(t, err, beheer.CodeForbidden, "channel")
		if be.Key != "escalation.support_not_submitter" {
			t.Fatalf("refusal %+v", be)
		}
		if got, _ := must2(st.Request(ctx, admin.Actor(), r.ID)); got.Status == beheer.StatusAwaitingChannel {
			t.Fatal("refused escalation changed the request")
		}
		must(st.Escalate(ctx, other.Actor(), r.ID, beheer.NewEscalation{Channel: beheer.ChannelConsultancy}))
		must(st.Escalate(ctx, admin.Actor(), incident().ID, beheer.NewEscalation{Channel: beheer.ChannelSupport}))
	})
}

// TestChannelsAndTypes: channel details and request types are kept with
// their rules: a bad portal address refused beside the field, a stale
// edit refused; a switched-off type refused for new requests, the
// question type never switched off; every change audited.
func TestChannelsAndTypes(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		a := admin.Actor()
		wantFields(t, errOf(st.SetChannel(ctx, a, 0, beheer.ChannelDetails{Channel: beheer.ChannelSupport, PortalURL: "javascript:alert(1)",
			Email: "x"})), beheer.CodeInvalid, "email", "portal_url")
		d := must(st.SetChannel(ctx, a, 0, beheer.ChannelDetails{Channel: beheer.ChannelSupport, Vendor: "AFAS Software",
			PortalURL: "https://klant.afas.nl", Phone: "088 - 1234 567"}))
		if _, err := st.SetChannel(ctx, a, d.Version+5, beheer.ChannelDetails{Channel: beheer.ChannelSupport}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Fatalf("stale channel edit: %v", err)
		}
		if _, err := st.SetChannel(ctx, requester.Actor(), 0, beheer.ChannelDetails{Channel: beheer.ChannelSupport}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("requester kept a channel: %v", err)
		}
		chs := must(st.Channels(ctx))
		if len(chs) != 4 || chs[3].Vendor != "AFAS Software" || chs[0].Filled() {
			t.Fatalf("channels %+v", chs)
		}

		ts := beheer.DefaultTypeSettings()
		ts[0].Enabled = false
		wantFields(t, st.SetTypeSettings(ctx, a, ts), beheer.CodeInvalid, "question.enabled")
		ts = beheer.DefaultTypeSettings()
		ts[1].Enabled, ts[1].Label = false, beheer.Texts{NL: "Idee", EN: "Idea"}
		if err := st.SetTypeSettings(ctx, a, ts); err != nil {
			t.Fatal(err)
		}
		wantFields(t, errOf(st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeWish, Title: "x", AreaID: hr.ID})),
			beheer.CodeInvalid, "type")
		if got := must(st.TypeSettings(ctx)); got[1].Enabled || got[1].Label.NL != "Idee" {
			t.Fatalf("types %+v", got)
		}
		ls := must(st.PriorityLabels(ctx))
		ls[3].Label = beheer.Texts{NL: "Spoed", EN: "Rush"}
		if err := st.SetPriorityLabels(ctx, a, ls); err != nil {
			t.Fatal(err)
		}
		if got := must(st.PriorityLabels(ctx)); got[3].Label.NL != "Spoed" {
			t.Fatalf("priorities %+v", got)
		}
	})
}

// TestKeyUsersOfArea: key users are chosen per area through the roles:
// the scoped key_user role given and taken, audited as a change of roles.
func TestKeyUsersOfArea(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hr, requester, admin := org(t, st)
		if err := st.SetKeyUsers(ctx, admin.Actor(), hr.ID, []int64{requester.ID}); err != nil {
			t.Fatal(err)
		}
		u := must(st.User(ctx, requester.ID))
		if !slices.Contains(u.Roles, beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: hr.ID}) {
			t.Fatalf("roles %+v", u.Roles)
		}
		wantFields(t, st.SetKeyUsers(ctx, admin.Actor(), hr.ID, []int64{requester.ID, 9999}), beheer.CodeInvalid, "key_users")
		if err := st.SetKeyUsers(ctx, admin.Actor(), hr.ID, nil); err != nil {
			t.Fatal(err)
		}
		if u := must(st.User(ctx, requester.ID)); len(u.Roles) != 0 {
			t.Fatalf("roles after removal %+v", u.Roles)
		}
		if err := st.SetKeyUsers(ctx, requester.Actor(), hr.ID, nil); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("requester set key users: %v", err)
		}
	})
}
