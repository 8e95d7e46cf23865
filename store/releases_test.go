package store_test

import (
	"context"
	"fmt"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

func TestReleases(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		if _, err := st.AddCheckTemplate(ctx, p.admin, beheer.CheckFunctional, "Declaratie indienen in InSite"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddCheckTemplate(ctx, p.admin, beheer.CheckTechnical, "SSO-login via de identity provider"); err != nil {
			t.Fatal(err)
		}

		t.Run("dates out of order and a bad link are refused, nothing saved", func(t *testing.T) {
			_, err := st.CreateRelease(ctx, p.admin, beheer.ReleaseInput{Name: "Profit 7", AcceptanceOn: day(2026, 5, 20),
				ProductionOn: day(2026, 5, 10), NotesURL: "javascript:alert(1)"}, true)
			if !hasField(err, "production_on") || !hasField(err, "notes_url") {
				t.Fatalf("got %v", err)
			}
			page, _ := st.Releases(ctx, p.admin, 0, "")
			if len(page.Items) != 0 {
				t.Fatalf("releases after refusal: %d", len(page.Items))
			}
		})

		rel, err := st.CreateRelease(ctx, p.admin, beheer.ReleaseInput{Name: "Profit 7", VersionLabel: "7.0",
			AcceptanceOn: day(2026, 5, 4), ProductionOn: day(2026, 5, 18), NotesURL: "https://help.afas.nl/releasenotes"}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(rel.Checks) != 2 {
			t.Fatalf("checks from template: %d", len(rel.Checks))
		}
		fn, tech := rel.ChecksOf(beheer.CheckFunctional)[0], rel.ChecksOf(beheer.CheckTechnical)[0]

		t.Run("each side records its own items, once", func(t *testing.T) {
			if _, err := st.RecordCheck(ctx, p.admin, tech.ID, beheer.CheckPassed, "", nil); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a functional admin records a technical item: %v", err)
			}
			if _, err := st.RecordCheck(ctx, p.tech, tech.ID, beheer.CheckBlocked, "Accept-omgeving nog niet bereikbaar", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SignOffRelease(ctx, p.tech, rel.ID, beheer.CheckTechnical, ""); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("sign-off with a blocked item: %v", err)
			}
			if _, err := st.RecordCheck(ctx, p.tech, tech.ID, beheer.CheckPassed, "", &beheer.ResultFile{Name: "log.txt", Data: []byte("ok\n")}); err != nil {
				t.Fatal(err)
			}
			c, err := st.RecordCheck(ctx, p.admin, fn.ID, beheer.CheckPassed, "Werkt", nil)
			if err != nil || c.Result != beheer.CheckPassed || c.CheckedBy != p.admin.UserID {
				t.Fatalf("record: %+v %v", c, err)
			}
			_, err = st.RecordCheck(ctx, p.admin, fn.ID, beheer.CheckFailed, "Toch niet", nil)
			if beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("an item signed off twice: %v", err)
			}
			r, _ := st.Release(ctx, p.manager, rel.ID)
			if got := r.ChecksOf(beheer.CheckFunctional)[0]; got.Result != beheer.CheckPassed || got.Note != "Werkt" {
				t.Errorf("the second recording changed the item: %+v", got)
			}
			name, _, data, err := st.ReleaseCheckFile(ctx, p.manager, tech.ID)
			if err != nil || name != "log.txt" || string(data) != "ok\n" {
				t.Errorf("file %q %q %v", name, data, err)
			}
		})

		t.Run("findings become requests and sign-off happens once per side", func(t *testing.T) {
			r, err := st.AddFinding(ctx, p.admin, rel.ID, fn.ID, beheer.NewRequest{Title: "Declaratie blijft hangen", AreaID: p.hr})
			if err != nil || r.Type != beheer.TypeIncident {
				t.Fatalf("finding: %+v %v", r, err)
			}
			if _, err := st.SignOffRelease(ctx, p.tech, rel.ID, beheer.CheckFunctional, ""); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a technical admin signs the functional side: %v", err)
			}
			news := beheer.PublicationInput{Title: "Profit 7 staat in productie", Body: "Vanaf maandag werken we met Profit 7."}
			if _, err := st.AnnounceReleaseNews(ctx, p.admin, rel.ID, news); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("news before the sign-off: %v", err)
			}
			if _, err := st.SignOffRelease(ctx, p.admin, rel.ID, beheer.CheckFunctional, "Akkoord"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.AnnounceReleaseNews(ctx, p.admin, rel.ID, news); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("news with one side signed: %v", err)
			}
			if _, err := st.SignOffRelease(ctx, p.admin, rel.ID, beheer.CheckFunctional, "Nog eens"); beheer.ErrorCode(err) != beheer.CodeConflict {
				t.Fatalf("signing twice: %v", err)
			}
			got, err := st.SignOffRelease(ctx, p.tech, rel.ID, beheer.CheckTechnical, "")
			if err != nil || len(got.SignOffs) != 2 || len(got.Findings) != 1 {
				t.Fatalf("release %+v %v", got, err)
			}
			// At the end a news item, which becomes the announcement; a bad
			// one changes nothing.
			if _, err := st.AnnounceReleaseNews(ctx, p.admin, rel.ID, beheer.PublicationInput{Title: " "}); !hasField(err, "title") {
				t.Fatalf("news without a title: %v", err)
			}
			if _, err := st.AnnounceReleaseNews(ctx, p.user, rel.ID, news); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Fatalf("a user writes the release's news: %v", err)
			}
			if r, _ := st.Release(ctx, p.admin, rel.ID); !r.AnnouncedAt.IsZero() {
				t.Fatal("a refused news item announced the release")
			}
			newsID, err := st.AnnounceReleaseNews(ctx, p.admin, rel.ID, news)
			if err != nil {
				t.Fatal(err)
			}
			item, err := st.Publication(ctx, p.user, beheer.PublicationNews, newsID)
			if err != nil || item.Title != news.Title {
				t.Fatalf("the release's news item: %+v %v", item, err)
			}
			if r, _ := st.Release(ctx, p.admin, rel.ID); r.AnnouncementURL != fmt.Sprintf("/news/%d", newsID) || r.AnnouncedAt.IsZero() {
				t.Fatalf("announcement %q", r.AnnouncementURL)
			}
			if _, err := st.AnnounceRelease(ctx, p.admin, rel.ID, "ftp://x"); !hasField(err, "announcement_url") {
				t.Fatalf("bad announcement link: %v", err)
			}
			got, err = st.AnnounceRelease(ctx, p.admin, rel.ID, "/news/12")
			if err != nil || got.AnnouncedAt.IsZero() {
				t.Fatalf("announce: %v", err)
			}
			if _, err := st.Release(ctx, p.user, rel.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
				t.Errorf("a user reads a release: %v", err)
			}
		})
	})
}

func TestProfileContacts(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		in := beheer.ContactInput{Channel: beheer.ChannelSupport, Name: "Fleur", Organisation: "Eigen organisatie",
			Email: "Fleur@Voorbeeld.nl", Phone: "+31 (0)20 123 4567", MaySubmitSupportIncidents: true}
		if _, err := st.AddContact(ctx, p.hrKey, in); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Fatalf("a key user adds a contact: %v", err)
		}
		c, err := st.AddContact(ctx, p.admin, in)
		if err != nil || c.Email != "fleur@voorbeeld.nl" || !c.MaySubmitSupportIncidents {
			t.Fatalf("contact %+v %v", c, err)
		}
		bad := in
		bad.Channel, bad.Email, bad.Phone = "helpdesk", "geen-adres", "bel mij"
		if _, err := st.AddContact(ctx, p.admin, bad); !hasField(err, "channel") || !hasField(err, "email") || !hasField(err, "phone") {
			t.Fatalf("bad contact: %v", err)
		}
		prof, err := st.Profile(ctx, p.user)
		if err != nil {
			t.Fatal(err)
		}
		if len(prof.ContactsOf(beheer.ChannelSupport)) != 1 || len(prof.HoldersOf(beheer.RoleKeyUser)) != 2 || prof.Users != 6 {
			t.Errorf("profile %+v", prof)
		}
		if err := st.DeleteContact(ctx, p.admin, c.ID); err != nil {
			t.Fatal(err)
		}
	})
}
