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

// kbPeople is a small organisation for the knowledge-base tests.
type kbPeople struct {
	hr, fin              int64
	user, hrKey, finKey  *beheer.Actor
	admin, tech, manager *beheer.Actor
}

func kbOrg(t *testing.T, st *store.Store) kbPeople {
	t.Helper()
	ctx := context.Background()
	var p kbPeople
	for code, id := range map[string]*int64{"hr": &p.hr, "financieel": &p.fin} {
		a, err := st.CreateArea(ctx, store.System, beheer.Area{Code: code, Name: code})
		if err != nil {
			t.Fatal(err)
		}
		*id = a.ID
	}
	person := func(email string, roles ...beheer.Assignment) *beheer.Actor {
		u, err := st.CreateUser(ctx, store.System, beheer.NewUser{Email: email, Name: email, Roles: roles}, "")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	p.user = person("anna@voorbeeld.nl")
	p.hrKey = person("hanna@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: p.hr})
	p.finKey = person("frank@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleKeyUser, AreaID: p.fin})
	p.admin = person("fleur@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleFunctionalAdmin})
	p.tech = person("tom@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleTechnicalAdmin})
	p.manager = person("mila@voorbeeld.nl", beheer.Assignment{Role: beheer.RoleManagement})
	return p
}

func newsTitles(t *testing.T, st *store.Store, a *beheer.Actor) []string {
	t.Helper()
	page, err := st.Publications(context.Background(), a, store.PublicationFilter{Kind: beheer.PublicationNews, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range page.Items {
		out = append(out, n.Title)
	}
	slices.Sort(out)
	return out
}

func TestNewsAudience(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		now := time.Now()
		for _, in := range []beheer.PublicationInput{
			{Title: "Iedereen", Body: "Voor iedereen."},
			{Title: "HR", AreaID: p.hr},
			{Title: "Sleutelgebruikers", AudienceRole: beheer.RoleKeyUser},
			{Title: "Sleutelgebruikers HR", AudienceRole: beheer.RoleKeyUser, AreaID: p.hr},
			{Title: "Technisch", AudienceRole: beheer.RoleTechnicalAdmin},
			{Title: "Concept", PublishAt: now.Add(24 * time.Hour)},
			{Title: "Verlopen", PublishAt: now.Add(-48 * time.Hour), ExpireAt: now.Add(-24 * time.Hour)},
		} {
			in.Kind = beheer.PublicationNews
			if _, err := st.CreatePublication(ctx, p.admin, in); err != nil {
				t.Fatalf("%s: %v", in.Title, err)
			}
		}
		for _, c := range []struct {
			name string
			who  *beheer.Actor
			want []string
		}{
			{"a user without roles", p.user, []string{"Iedereen"}},
			{"an HR key user", p.hrKey, []string{"HR", "Iedereen", "Sleutelgebruikers", "Sleutelgebruikers HR"}},
			{"a Financieel key user", p.finKey, []string{"Iedereen", "Sleutelgebruikers"}},
			{"a technical admin for every area", p.tech, []string{"HR", "Iedereen", "Technisch"}},
			{"management", p.manager, []string{"HR", "Iedereen"}},
		} {
			if got := newsTitles(t, st, c.who); !slices.Equal(got, c.want) {
				t.Errorf("%s sees %v, want %v", c.name, got, c.want)
			}
		}
		// The writer's full list has drafts and expired items; readers can't open them.
		all, err := st.Publications(ctx, p.admin, store.PublicationFilter{Kind: beheer.PublicationNews, All: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Items) != 7 {
			t.Errorf("writer's list has %d items, want 7", len(all.Items))
		}
		readerAll, err := st.Publications(ctx, p.user, store.PublicationFilter{Kind: beheer.PublicationNews, All: true})
		if err != nil || len(readerAll.Items) != 1 {
			t.Errorf("a reader asking for all gets %d items (%v), want 1", len(readerAll.Items), err)
		}
		for _, n := range all.Items {
			_, err := st.Publication(ctx, p.user, beheer.PublicationNews, n.ID)
			if visible := err == nil; visible != (n.Title == "Iedereen") {
				t.Errorf("user opening %q: err %v", n.Title, err)
			}
		}
	})
}

func TestNewsRules(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		now := time.Now()
		_, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Fout", PublishAt: now, ExpireAt: now.Add(-time.Hour)})
		if be, ok := err.(*beheer.Error); !ok || len(be.Fields) != 1 || be.Fields[0].Field != "expire_at" ||
			be.Fields[0].Key != "news.field.expire_before_publish" {
			t.Fatalf("expiry before publish: %v", err)
		}
		if _, err := st.CreatePublication(ctx, p.hrKey, beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Niet van mij"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a key user writes news: %v", err)
		}
		all, _ := st.Publications(ctx, p.admin, store.PublicationFilter{Kind: beheer.PublicationNews, All: true})
		if len(all.Items) != 0 {
			t.Fatalf("refused writes saved %d items", len(all.Items))
		}
		n, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Nieuwe versie AFAS", Body: "Tekst"})
		if err != nil {
			t.Fatal(err)
		}
		bad := beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Gewijzigd", PublishAt: n.PublishAt, ExpireAt: n.PublishAt}
		if _, err := st.UpdatePublication(ctx, p.admin, n.ID, n.Version, bad); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("update with expiry = publish: %v", err)
		}
		up, err := st.UpdatePublication(ctx, p.admin, n.ID, n.Version, beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Gewijzigd"})
		if err != nil || up.Version != 2 || up.Title != "Gewijzigd" || !up.PublishAt.Equal(n.PublishAt) {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := st.UpdatePublication(ctx, p.admin, n.ID, n.Version, beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Oud"}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Errorf("stale update: %v", err)
		}
	})
}

func TestArticleSearchDutch(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		mk := func(title, body string, status beheer.PublicationStatus, tags ...string) *beheer.Publication {
			a, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: title, Body: body, Status: status, Tags: tags})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		search := func(a *beheer.Actor, q string, drafts bool) []*beheer.Publication {
			page, err := st.Publications(ctx, a, store.PublicationFilter{Kind: beheer.PublicationArticle, Query: q, Limit: 10, All: drafts})
			if err != nil {
				t.Fatal(err)
			}
			return page.Items
		}
		decl := mk("Declaratie indienen", "Zo dient u een declaratie in via InSite.", beheer.PublicationPublished, "onkosten")
		mk("Verlof aanvragen", "Vraag verlof aan in de app.", beheer.PublicationPublished)
		draft := mk("Declaraties goedkeuren", "Voor leidinggevenden.", beheer.PublicationDraft)
		found := search(p.user, "declaraties", false)
		if len(found) != 1 || found[0].ID != decl.ID {
			t.Fatalf("a user searching \"declaraties\" finds %v, want only %q", titles(found), decl.Title)
		}
		found = search(p.admin, "declaraties", true)
		if len(found) != 2 {
			t.Errorf("a writer asking for drafts finds %v", titles(found))
		}
		found = search(p.user, "onkosten", false)
		if len(found) != 1 || found[0].ID != decl.ID {
			t.Errorf("searching a tag finds %v", titles(found))
		}
		sug, err := st.SuggestPublications(ctx, p.user, beheer.PublicationArticle, "Hoe kan ik mijn declaraties indienen?", 5)
		if err != nil || len(sug) != 1 || sug[0].ID != decl.ID {
			t.Errorf("suggestions %v, %v", titles(sug), err)
		}
		if _, err := st.Publication(ctx, p.user, beheer.PublicationArticle, draft.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("a user opens a draft: %v", err)
		}
		if _, err := st.RatePublication(ctx, p.user, beheer.PublicationArticle, draft.ID, true); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("a user rates a draft: %v", err)
		}
	})
}

func titles(list []*beheer.Publication) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Title)
	}
	return out
}

func TestArticleRevisionsAndFeedback(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		a, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: "Wachtwoord", Body: "Eerste versie"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := st.UpdatePublication(ctx, p.admin, a.ID, a.Version, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: "Wachtwoord wijzigen",
			Body: "Tweede versie", Status: beheer.PublicationPublished})
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 2 || b.PublishAt.IsZero() {
			t.Errorf("after edit: version %d, published %v", b.Version, b.PublishAt)
		}
		if _, err := st.UpdatePublication(ctx, p.admin, a.ID, a.Version, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: "Oud"}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Errorf("stale edit: %v", err)
		}
		revs, err := st.PublicationRevisions(ctx, p.admin, beheer.PublicationArticle, a.ID)
		if err != nil || len(revs) != 2 || revs[0].Body != "Tweede versie" || revs[1].Body != "Eerste versie" {
			t.Fatalf("revisions %+v %v", revs, err)
		}
		if _, err := st.PublicationRevisions(ctx, p.user, beheer.PublicationArticle, a.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a user reads revisions: %v", err)
		}
		for _, vote := range []bool{true, false, false} {
			if _, err := st.RatePublication(ctx, p.user, beheer.PublicationArticle, a.ID, vote); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.RatePublication(ctx, p.hrKey, beheer.PublicationArticle, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.Helpful != 1 || got.NotHelpful != 1 || got.MyVote != 1 {
			t.Errorf("after votes: helpful %d, not %d, mine %d", got.Helpful, got.NotHelpful, got.MyVote)
		}
	})
}
