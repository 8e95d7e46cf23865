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
	items, err := st.NewsFor(context.Background(), a, 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range items {
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
		for _, in := range []store.NewsInput{
			{Title: "Iedereen", Body: "Voor iedereen."},
			{Title: "HR", AudienceAreaID: p.hr},
			{Title: "Sleutelgebruikers", AudienceRole: beheer.RoleKeyUser},
			{Title: "Sleutelgebruikers HR", AudienceRole: beheer.RoleKeyUser, AudienceAreaID: p.hr},
			{Title: "Technisch", AudienceRole: beheer.RoleTechnicalAdmin},
			{Title: "Concept", PublishAt: now.Add(24 * time.Hour)},
			{Title: "Verlopen", PublishAt: now.Add(-48 * time.Hour), ExpireAt: now.Add(-24 * time.Hour)},
		} {
			if _, err := st.CreateNews(ctx, p.admin, in); err != nil {
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
		all, err := st.News(ctx, p.admin, store.NewsFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Items) != 7 {
			t.Errorf("writer's list has %d items, want 7", len(all.Items))
		}
		readerAll, err := st.News(ctx, p.user, store.NewsFilter{All: true})
		if err != nil || len(readerAll.Items) != 1 {
			t.Errorf("a reader asking for all gets %d items (%v), want 1", len(readerAll.Items), err)
		}
		for _, n := range all.Items {
			_, err := st.NewsItemByID(ctx, p.user, n.ID)
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
		_, err := st.CreateNews(ctx, p.admin, store.NewsInput{Title: "Fout", PublishAt: now, ExpireAt: now.Add(-time.Hour)})
		if be, ok := err.(*beheer.Error); !ok || len(be.Fields) != 1 || be.Fields[0].Field != "expire_at" ||
			be.Fields[0].Key != "news.field.expire_before_publish" {
			t.Fatalf("expiry before publish: %v", err)
		}
		if _, err := st.CreateNews(ctx, p.hrKey, store.NewsInput{Title: "Niet van mij"}); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a key user writes news: %v", err)
		}
		all, _ := st.News(ctx, p.admin, store.NewsFilter{All: true})
		if len(all.Items) != 0 {
			t.Fatalf("refused writes saved %d items", len(all.Items))
		}
		n, err := st.CreateNews(ctx, p.admin, store.NewsInput{Title: "Nieuwe versie AFAS", Body: "Tekst"})
		if err != nil {
			t.Fatal(err)
		}
		bad := store.NewsInput{Title: "Gewijzigd", PublishAt: n.PublishAt, ExpireAt: n.PublishAt}
		if _, err := st.UpdateNews(ctx, p.admin, n.ID, n.Version, bad); beheer.ErrorCode(err) != beheer.CodeInvalid {
			t.Errorf("update with expiry = publish: %v", err)
		}
		up, err := st.UpdateNews(ctx, p.admin, n.ID, n.Version, store.NewsInput{Title: "Gewijzigd"})
		if err != nil || up.Version != 2 || up.Title != "Gewijzigd" || !up.PublishAt.Equal(n.PublishAt) {
			t.Fatalf("update: %+v %v", up, err)
		}
		if _, err := st.UpdateNews(ctx, p.admin, n.ID, n.Version, store.NewsInput{Title: "Oud"}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Errorf("stale update: %v", err)
		}
	})
}

func TestArticleSearchDutch(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		mk := func(title, body string, status store.ArticleStatus, tags ...string) *store.Article {
			a, err := st.CreateArticle(ctx, p.admin, store.ArticleInput{Title: title, Body: body, Status: status, Tags: tags})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		decl := mk("Declaratie indienen", "Zo dient u een declaratie in via InSite.", store.ArticlePublished, "onkosten")
		mk("Verlof aanvragen", "Vraag verlof aan in de app.", store.ArticlePublished)
		draft := mk("Declaraties goedkeuren", "Voor leidinggevenden.", store.ArticleDraft)
		found, err := st.SearchArticles(ctx, p.user, "declaraties", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 1 || found[0].ID != decl.ID {
			t.Fatalf("a user searching \"declaraties\" finds %v, want only %q", titles(found), decl.Title)
		}
		found, _ = st.SearchArticles(ctx, p.admin, "declaraties", 10, true)
		if len(found) != 2 {
			t.Errorf("a writer asking for drafts finds %v", titles(found))
		}
		found, _ = st.SearchArticles(ctx, p.user, "onkosten", 10)
		if len(found) != 1 || found[0].ID != decl.ID {
			t.Errorf("searching a tag finds %v", titles(found))
		}
		sug, err := st.SuggestArticles(ctx, p.user, "Hoe kan ik mijn declaraties indienen?", 5)
		if err != nil || len(sug) != 1 || sug[0].ID != decl.ID {
			t.Errorf("suggestions %v, %v", titles(sug), err)
		}
		if _, err := st.ArticleByID(ctx, p.user, draft.ID); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("a user opens a draft: %v", err)
		}
		if _, err := st.RateArticle(ctx, p.user, draft.ID, true); beheer.ErrorCode(err) != beheer.CodeNotFound {
			t.Errorf("a user rates a draft: %v", err)
		}
	})
}

func titles(list []*store.Article) []string {
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
		a, err := st.CreateArticle(ctx, p.admin, store.ArticleInput{Title: "Wachtwoord", Body: "Eerste versie"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := st.UpdateArticle(ctx, p.admin, a.ID, a.Version, store.ArticleInput{Title: "Wachtwoord wijzigen",
			Body: "Tweede versie", Status: store.ArticlePublished})
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 2 || b.PublishedAt.IsZero() {
			t.Errorf("after edit: version %d, published %v", b.Version, b.PublishedAt)
		}
		if _, err := st.UpdateArticle(ctx, p.admin, a.ID, a.Version, store.ArticleInput{Title: "Oud"}); beheer.ErrorCode(err) != beheer.CodePreconditionFailed {
			t.Errorf("stale edit: %v", err)
		}
		revs, err := st.ArticleRevisions(ctx, p.admin, a.ID)
		if err != nil || len(revs) != 2 || revs[0].Body != "Tweede versie" || revs[1].Body != "Eerste versie" {
			t.Fatalf("revisions %+v %v", revs, err)
		}
		if _, err := st.ArticleRevisions(ctx, p.user, a.ID); beheer.ErrorCode(err) != beheer.CodeForbidden {
			t.Errorf("a user reads revisions: %v", err)
		}
		for _, vote := range []bool{true, false, false} {
			if _, err := st.RateArticle(ctx, p.user, a.ID, vote); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.RateArticle(ctx, p.hrKey, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.Helpful != 1 || got.NotHelpful != 1 || got.MyVote != 1 {
			t.Errorf("after votes: helpful %d, not %d, mine %d", got.Helpful, got.NotHelpful, got.MyVote)
		}
	})
}
