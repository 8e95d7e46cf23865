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

// actions lists the actions of a page of the log, newest first.
func actions(p *beheer.OrgAuditPage) []string {
	var out []string
	for _, e := range p.Items {
		out = append(out, e.Action)
	}
	return out
}

// TestOrgAuditWritten: every change to the organisation writes a row of
// the organisation's audit log — people, roles, areas, processes, the
// rule and account settings per field, service levels, channel contacts,
// tokens made and revoked, and webhooks — and requests do not.
func TestOrgAuditWritten(t *testing.T) {
	storetest.Engines(t, storetest.Options{Secrets: secretBox(t, testKey)}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		area, requester, admin := org(t, st)
		a := admin.Actor()
		steps := []struct {
			want string
			do   func() error
		}{
			{"process.created", func() error {
				_, err := st.CreateProcess(ctx, a, beheer.Process{AreaID: area.ID, Name: "Verlof"})
				return err
			}},
			{"user.roles", func() error {
				return st.SetRoles(ctx, a, requester.ID, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: area.ID}})
			}},
			{"settings.policy", func() error {
				p := beheer.DefaultPolicy()
				p.ReopenWindow = 3 * 24 * time.Hour
				return st.SetPolicy(ctx, a, p)
			}},
			{"sla.targets", func() error {
				targets, err := st.SLATargets(ctx)
				if err != nil {
					return err
				}
				targets[0].ResponseMinutes += 30
				return st.SetSLATargets(ctx, a, targets)
			}},
			{"settings.connection", func() error {
				return st.SetConnections(ctx, a, beheer.ConnMail, "", store.ConnChange{beheer.ConnSMTPTLS: "tls"})
			}},
			{"token.created", func() error { _, err := st.CreateToken(ctx, requester.ID, "koppeling"); return err }},
			{"token.revoked", func() error {
				toks, err := st.Tokens(ctx, a, requester.ID)
				if err != nil {
					return err
				}
				return st.RevokeToken(ctx, a, toks[0].ID)
			}},
			{"settings.accounts", func() error {
				p, err := st.Policy(ctx)
				if err != nil {
					return err
				}
				p.AccountSettings.TokenDefaultDays = 30
				return st.SetAccountSettings(ctx, a, p.AccountSettings)
			}},
			{"webhook.created", func() error {
				_, err := st.CreateWebhook(ctx, a, beheer.NewWebhook{URL: "https://zaak.voorbeeld.nl/in", Events: []string{"request.filed"}})
				return err
			}},
			{"webhook.disabled", func() error {
				hooks, _ := st.Webhooks(ctx, a)
				return st.SetWebhookActive(ctx, a, hooks[0].ID, false)
			}},
			{"webhook.deleted", func() error {
				hooks, _ := st.Webhooks(ctx, a)
				return st.DeleteWebhook(ctx, a, hooks[0].ID)
			}},
			{"profile.contact_added", func() error {
				_, err := st.AddContact(ctx, a, beheer.ContactInput{Channel: beheer.ChannelSupport, Name: "Jan Leverancier",
					Email: "jan@leverancier.nl"})
				return err
			}},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.want, err)
			}
			page, err := st.OrgAudit(ctx, a, beheer.OrgAuditFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got := actions(page); len(got) != 1 || got[0] != s.want {
				t.Errorf("after %s the newest row is %v", s.want, got)
			}
		}
		if _, err := st.CreateRequest(ctx, requester.Actor(), beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Vraag", AreaID: area.ID}); err != nil {
			t.Fatal(err)
		}
		page, _ := st.OrgAudit(ctx, a, beheer.OrgAuditFilter{Limit: 1})
		if actions(page)[0] != "profile.contact_added" {
			t.Errorf("a request wrote to the organisation's log: %v", actions(page))
		}
		// The rule settings: one row per field that changed, old → new.
		set, _ := st.OrgAudit(ctx, a, beheer.OrgAuditFilter{Kind: beheer.AuditSettings, Text: "reopen"})
		if len(set.Items) != 1 || set.Items[0].Before != "14" || set.Items[0].After != "3" {
			t.Errorf("the reopen window's row: %+v", set.Items)
		}
	})
}

// TestOrgAuditFilters: kind, person, period, text and the cursor narrow
// the log, and only functional admins of every area and management read
// it.
func TestOrgAuditFilters(t *testing.T) {
	var now time.Time
	clock := func() time.Time { return now }
	storetest.Engines(t, storetest.Options{Now: clock}, func(t *testing.T, st *store.Store) {
		now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		ctx := context.Background()
		area, requester, admin := org(t, st)
		a := admin.Actor()
		boss, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "dirk@voorbeeld.nl", Name: "Dirk",
			Roles: []beheer.Assignment{{Role: beheer.RoleManagement}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		areaAdmin, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: "sanne@voorbeeld.nl", Name: "Sanne",
			Roles: []beheer.Assignment{{Role: beheer.RoleFunctionalAdmin, AreaID: area.ID}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour) // 3 March
		if err := st.SetRoles(ctx, a, requester.ID, []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: area.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateProcess(ctx, a, beheer.Process{AreaID: area.ID, Name: "Éénmalige declaraties_100%"}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour) // 4 March
		if err := st.SetActive(ctx, a, requester.ID, false); err != nil {
			t.Fatal(err)
		}

		for _, who := range []*beheer.User{requester, areaAdmin} {
			if _, err := st.OrgAudit(ctx, who.Actor(), beheer.OrgAuditFilter{}); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("%s read the organisation's log: %v", who.Name, err)
			}
		}
		if _, err := st.OrgAudit(ctx, boss.Actor(), beheer.OrgAuditFilter{}); err != nil {
			t.Errorf("management cannot read the log: %v", err)
		}
		day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
		for _, tc := range []struct {
			name string
			f    beheer.OrgAuditFilter
			want []string
		}{
			{"areas", beheer.OrgAuditFilter{Kind: beheer.AuditAreas}, []string{"process.created", "area.created"}},
			{"about Anna", beheer.OrgAuditFilter{PersonID: requester.ID}, []string{"user.active", "user.roles"}},
			{"by Fleur", beheer.OrgAuditFilter{PersonID: admin.ID, Kind: beheer.AuditAreas}, []string{"process.created"}},
			{"3 March", beheer.OrgAuditFilter{From: day(3), To: day(4)}, []string{"process.created", "user.roles"}},
			{"text, wildcard taken literally", beheer.OrgAuditFilter{Text: "_100%"}, []string{"process.created"}},
			{"text, any case", beheer.OrgAuditFilter{Text: "DECLARATIES"}, []string{"process.created"}},
			{"text, capitals of any alphabet", beheer.OrgAuditFilter{Text: "ééNMALIGE"}, []string{"process.created"}},
			{"other", beheer.OrgAuditFilter{Kind: beheer.AuditOther}, nil},
		} {
			page, err := st.OrgAudit(ctx, a, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := actions(page); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		about, _ := st.OrgAudit(ctx, a, beheer.OrgAuditFilter{PersonID: requester.ID})
		if e := about.Items[0]; e.SubjectName != "Anna" || e.ActorName != "Fleur" || e.Kind != beheer.AuditPeople {
			t.Errorf("the newest row about Anna: %+v", e)
		}

		// Pages of two follow one another without gaps or repeats.
		var all []int64
		f := beheer.OrgAuditFilter{Limit: 2}
		for range 20 {
			page, err := st.OrgAudit(ctx, a, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Items {
				all = append(all, e.ID)
			}
			if page.NextBefore == 0 {
				break
			}
			f.Before = page.NextBefore
		}
		whole, _ := st.OrgAudit(ctx, a, beheer.OrgAuditFilter{Limit: beheer.MaxAuditLimit})
		if len(all) != len(whole.Items) || len(all) < 6 || !slices.IsSortedFunc(all, func(x, y int64) int { return int(y - x) }) {
			t.Errorf("paged %v, whole log has %d rows", all, len(whole.Items))
		}
		if _, err := st.OrgAudit(ctx, a, beheer.OrgAuditFilter{Kind: "iets"}); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("an unknown kind: %v", err)
		}
	})
}
