package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// oldDates are the moments the old rows carry, in Unix milliseconds.
type oldDates struct{ start, later, ends int64 }

// oldKnowledge is what the test writes into the schema from before
// publications: news items and articles in tables of their own, numbered
// apart (news 1, 2, 5 and articles 1, 2, 7), with links, revisions and
// votes.
func oldKnowledge(d oldDates, p kbPeople, requestID int64) []struct {
	sql  string
	args []any
} {
	admin, user, hrKey := p.admin.UserID, p.user.UserID, p.hrKey.UserID
	return []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO news_items (id, title, body, audience_role, audience_area, publish_at, expire_at, author_id, created_at, updated_at, version)
			VALUES (1, 'Onderhoud zaterdag', 'AFAS is zaterdag niet bereikbaar.', NULL, NULL, $1, NULL, $2, $1, $1, 1),
			(2, 'Nieuwe verlofregeling', 'Voor sleutelgebruikers van HR.', 'key_user', $3, $1, $4, $2, $1, $5, 3),
			(5, 'Verlopen bericht', '', NULL, NULL, $1, $5, $2, $1, $1, 1)`, []any{d.start, admin, p.hr, d.ends, d.later}},
		{`INSERT INTO articles (id, title, body, area_id, tags, status, version, author_id, created_at, updated_at, published_at)
			VALUES (1, 'Declaratie indienen', 'Zo dient u een declaratie in.', $3, 'onkosten declaraties', 'published', 1, $2, $1, $1, $1),
			(2, 'Concept verlof', 'Nog niet af.', NULL, '', 'draft', 1, $2, $1, $1, NULL),
			(7, 'Wachtwoord wijzigen', 'Tweede versie', NULL, '', 'published', 2, $2, $1, $4, $4)`, []any{d.start, admin, p.hr, d.later}},
		{`INSERT INTO article_revisions (article_id, version, title, body, status, editor_id, at)
			VALUES (1, 1, 'Declaratie indienen', 'Zo dient u een declaratie in.', 'published', $2, $1),
			(2, 1, 'Concept verlof', 'Nog niet af.', 'draft', $2, $1),
			(7, 1, 'Wachtwoord', 'Eerste versie', 'draft', $2, $1),
			(7, 2, 'Wachtwoord wijzigen', 'Tweede versie', 'published', $2, $3)`, []any{d.start, admin, d.later}},
		{`INSERT INTO article_feedback (article_id, user_id, helpful, at) VALUES (1, $1, TRUE, $3), (1, $2, FALSE, $3), (7, $1, TRUE, $3)`,
			[]any{user, hrKey, d.later}},
		{`INSERT INTO article_links (article_id, request_id, created_by, created_at) VALUES (1, $1, $2, $3)`, []any{requestID, admin, d.later}},
		{`INSERT INTO news_links (news_id, request_id, created_by, created_at) VALUES (2, $1, $2, $3)`, []any{requestID, admin, d.later}},
	}
}

// TestPublicationsMigration fills the old news and article tables, migrates
// them into publications and reads everything back by the ids the old URLs
// carry, on both engines; new publications continue each kind's numbering.
func TestPublicationsMigration(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn, driver, p := oldSchema(t, engine, 70)
			req := &beheer.Request{ID: oldRequests(t, driver, dsn, p.user.UserID, p.hr, "Declaratie kwijt")[0]}
			start := time.Now().Add(-72 * time.Hour).Truncate(time.Millisecond)
			later, ends := start.Add(24*time.Hour), time.Now().Add(24*time.Hour).Truncate(time.Millisecond)
			fillOld(t, driver, dsn, oldDates{start.UnixMilli(), later.UnixMilli(), ends.UnixMilli()}, p, req.ID)

			st := storetest.Open(t, dsn, storetest.Options{})
			checkMigratedNews(t, st, p, start, ends)
			checkMigratedArticles(t, st, p, start, later)
			k, err := st.KnowledgeForRequest(ctx, p.admin, req.ID)
			if err != nil || len(k.Articles) != 1 || k.Articles[0].ID != 1 || len(k.News) != 1 || k.News[0].ID != 2 {
				t.Errorf("knowledge of the request: %+v %v", k, err)
			}
			linked, err := st.PublicationLinkedRequests(ctx, p.admin, beheer.PublicationNews, 2)
			if err != nil || len(linked) != 1 || linked[0].ID != req.ID {
				t.Errorf("requests linked to news 2: %v %v", linked, err)
			}
			checkNumbering(t, st, p)
		})
	}
}

// oldSchema makes a database of engine whose schema stops before the
// migration numbered version, with the people of kbOrg written with SQL
// (today's store writes columns an old schema does not have yet), for a
// test to fill as the code of that time did and then open as it is now.
func oldSchema(t *testing.T, engine string, version int) (dsn, driver string, p kbPeople) {
	t.Helper()
	dsn, driver = emptyDatabase(t, engine)
	old, err := store.OpenBefore(context.Background(), dsn, version)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	return dsn, driver, oldPeople(t, driver, dsn)
}

// emptyDatabase is a new, empty database of engine ("sqlite" or
// "postgres") and the database/sql driver that opens it.
func emptyDatabase(t *testing.T, engine string) (dsn, driver string) {
	t.Helper()
	if engine == "postgres" {
		return storetest.PostgresURL(t), "pgx"
	}
	return filepath.Join(t.TempDir(), "beheer.db"), "sqlite"
}

// oldPeople writes kbOrg's areas and people into an old schema with SQL.
func oldPeople(t *testing.T, driver, dsn string) kbPeople {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) int64 {
		var id int64
		if err := db.QueryRow(q+` RETURNING id`, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	var p kbPeople
	p.hr = exec(`INSERT INTO areas (code, name) VALUES ('hr', 'hr')`)
	p.fin = exec(`INSERT INTO areas (code, name) VALUES ('financieel', 'financieel')`)
	person := func(email string, role beheer.Role, area int64) *beheer.Actor {
		id := exec(`INSERT INTO users (email, name, created_at, updated_at) VALUES ($1, $1, 1, 1)`, email)
		a := &beheer.Actor{UserID: id, Name: email, Email: email}
		if role != "" {
			if _, err := db.Exec(`INSERT INTO user_roles (user_id, role, area_id) VALUES ($1, $2, $3)`, id, role, area); err != nil {
				t.Fatal(err)
			}
			a.Roles = []beheer.Assignment{{Role: role, AreaID: area}}
		}
		return a
	}
	p.user = person("anna@voorbeeld.nl", "", 0)
	p.hrKey = person("hanna@voorbeeld.nl", beheer.RoleKeyUser, p.hr)
	p.finKey = person("frank@voorbeeld.nl", beheer.RoleKeyUser, p.fin)
	p.admin = person("fleur@voorbeeld.nl", beheer.RoleFunctionalAdmin, 0)
	p.tech = person("tom@voorbeeld.nl", beheer.RoleTechnicalAdmin, 0)
	p.manager = person("mila@voorbeeld.nl", beheer.RoleManagement, 0)
	return p
}

// oldRequests files requests with these titles into a schema from before
// the search terms (migration 0200), as the code of that time did, and
// returns their ids.
func oldRequests(t *testing.T, driver, dsn string, requester, area int64, titles ...string) []int64 {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []int64
	for i, title := range titles {
		var id int64
		if err := db.QueryRow(`INSERT INTO requests (number, year, seq, type, title, description, area_id, priority, priority_rank,
			requester_id, phase, status, created_at, updated_at) VALUES ($1, 2026, $2, 'question', $3, '', $4, 'normal', 2, $5,
			'intake', 'awaiting_triage', $6, $6) RETURNING id`, fmt.Sprintf("2026-%04d", 9000+i), 9000+i, title, area, requester,
			time.Now().UnixMilli()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func fillOld(t *testing.T, driver, dsn string, d oldDates, p kbPeople, requestID int64) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range oldKnowledge(d, p, requestID) {
		if _, err := db.Exec(stmt.sql, stmt.args...); err != nil {
			t.Fatalf("%s: %v", stmt.sql, err)
		}
	}
}

func checkMigratedNews(t *testing.T, st *store.Store, p kbPeople, start, ends time.Time) {
	t.Helper()
	ctx := context.Background()
	n, err := st.Publication(ctx, p.hrKey, beheer.PublicationNews, 2)
	if err != nil || n.Title != "Nieuwe verlofregeling" || n.AudienceRole != beheer.RoleKeyUser || n.AreaID != p.hr ||
		n.AreaCode != "hr" || !n.PublishAt.Equal(start) || !n.ExpireAt.Equal(ends) || n.Version != 3 || n.AuthorID != p.admin.UserID {
		t.Errorf("news 2 for an HR key user: %+v %v", n, err)
	}
	if _, err := st.Publication(ctx, p.user, beheer.PublicationNews, 2); beheer.ErrorCode(err) != beheer.CodeNotFound {
		t.Errorf("a user opens news for HR key users: %v", err)
	}
	if got := newsTitles(t, st, p.user); !slices.Equal(got, []string{"Onderhoud zaterdag"}) {
		t.Errorf("a user's news: %v", got)
	}
	all, err := st.Publications(ctx, p.admin, store.PublicationFilter{Kind: beheer.PublicationNews, All: true})
	if err != nil || len(all.Items) != 3 {
		t.Fatalf("the writer's news: %v %v", all, err)
	}
	if s := all.Items[0]; s.ID != 5 || s.State(time.Now()) != "expired" {
		t.Errorf("news 5, first of three published at once: %+v", s)
	}
}

func checkMigratedArticles(t *testing.T, st *store.Store, p kbPeople, start, later time.Time) {
	t.Helper()
	ctx := context.Background()
	a, err := st.Publication(ctx, p.user, beheer.PublicationArticle, 1)
	if err != nil || a.Title != "Declaratie indienen" || a.AreaCode != "hr" || !slices.Equal(a.Tags, []string{"onkosten", "declaraties"}) ||
		!a.PublishAt.Equal(start) || a.Helpful != 1 || a.NotHelpful != 1 || a.MyVote != 1 {
		t.Errorf("article 1: %+v %v", a, err)
	}
	if _, err := st.Publication(ctx, p.user, beheer.PublicationArticle, 2); beheer.ErrorCode(err) != beheer.CodeNotFound {
		t.Errorf("a user opens the draft: %v", err)
	}
	if d, err := st.Publication(ctx, p.admin, beheer.PublicationArticle, 2); err != nil || d.Status != beheer.PublicationDraft || !d.PublishAt.IsZero() {
		t.Errorf("the draft for a writer: %+v %v", d, err)
	}
	revs, err := st.PublicationRevisions(ctx, p.admin, beheer.PublicationArticle, 7)
	if err != nil || len(revs) != 2 || revs[0].Body != "Tweede versie" || revs[1].Title != "Wachtwoord" || !revs[0].At.Equal(later) {
		t.Errorf("revisions of article 7: %+v %v", revs, err)
	}
	found, err := st.Publications(ctx, p.user, store.PublicationFilter{Kind: beheer.PublicationArticle, Query: "declaraties"})
	if err != nil || len(found.Items) != 1 || found.Items[0].ID != 1 {
		t.Errorf("searching the migrated articles: %v %v", found, err)
	}
}

// checkNumbering: each kind goes on from its own highest number, and
// search follows a change to a migrated article.
func checkNumbering(t *testing.T, st *store.Store, p kbPeople) {
	t.Helper()
	ctx := context.Background()
	n, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationNews, Title: "Nieuw"})
	if err != nil || n.ID != 6 {
		t.Errorf("the next news item: %+v %v", n, err)
	}
	a, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: "Nieuw"})
	if err != nil || a.ID != 8 {
		t.Errorf("the next article: %+v %v", a, err)
	}
	up, err := st.UpdatePublication(ctx, p.admin, 7, 2, beheer.PublicationInput{Kind: beheer.PublicationArticle,
		Title: "Wachtwoord wijzigen", Body: "Via het zelfbedieningsportaal.", Status: beheer.PublicationPublished})
	if err != nil || up.Version != 3 {
		t.Fatalf("editing article 7: %+v %v", up, err)
	}
	found, err := st.Publications(ctx, p.user, store.PublicationFilter{Kind: beheer.PublicationArticle, Query: "zelfbedieningsportaal"})
	if err != nil || len(found.Items) != 1 || found.Items[0].ID != 7 {
		t.Errorf("searching the edited article: %v %v", found, err)
	}
}
