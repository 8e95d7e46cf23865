package store_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"beheer"
	"beheer/store"
	"beheer/store/storetest"
)

// dutchRequests are the requests the Dutch search test files: neighbours
// that must stay apart beside the words that must come together.
var dutchRequests = []struct{ title, description string }{
	{"Declaratie wordt niet goedgekeurd", ""},
	{"Verlofsaldo klopt niet", ""},
	{"Verlofaanvraag blijft hangen", ""},
	{"Loonstrook niet zichtbaar", ""},
	{"Kan niet inloggen in InSite", "Sinds vanochtend krijg ik een foutmelding."},
	{"Reiskostenvergoeding ontbreekt", ""},
	{"Salarissen te laat overgemaakt", ""},
	{"Inloopspreekuur op dinsdag verplaatsen", ""},
	{"Loopbaangesprek plannen", ""},
	{"Verloop van mijn contract", ""},
	{"Doorgeven via de app", "Mijn ziekmelding staat er nog niet in."},
	{"Arbeidsovereenkomst ondertekenen", ""},
	{"Rechten voor de salarismodule", "Graag autorisatie voor Jan."},
	{"Werving en selectie", "Vacature publiceren op de website."},
	{"Controle van de uren", ""},
	{"Jaaropgave 2025 ontbreekt", ""},
	{"Personeelsdossier inzien", ""},
	{"Wachtwoord vergeten", ""},
	{"Saldo van de kas klopt niet", ""},
	{"Uren corrigeren na de vakantie", ""},
	{"Mijn declaraties zijn nog niet betaald", ""},
}

// TestDutchSearch is the list of what a Dutch search must find and must
// not, over requests (both ways the engines read a search: newest first
// and in another order), articles and the suggestions of the new-request
// form, on both engines.
func TestDutchSearch(t *testing.T) {
	requests := []struct {
		query         string
		finds, misses []string
	}{
		{"declareren", []string{"Declaratie wordt niet goedgekeurd", "Mijn declaraties zijn nog niet betaald"}, nil},
		{"declaraties", []string{"Declaratie wordt niet goedgekeurd"}, nil},
		{"goedkeuren", []string{"Declaratie wordt niet goedgekeurd"}, nil},
		{"saldo", []string{"Verlofsaldo klopt niet", "Saldo van de kas klopt niet"}, []string{"Salarissen te laat overgemaakt"}},
		{"verlof", []string{"Verlofsaldo klopt niet", "Verlofaanvraag blijft hangen"}, []string{"Verloop van mijn contract"}},
		{"verlofaanvragen", []string{"Verlofaanvraag blijft hangen"}, []string{"Verlofsaldo klopt niet"}},
		{"aanvraag", []string{"Verlofaanvraag blijft hangen"}, nil},
		{"loonstroken", []string{"Loonstrook niet zichtbaar"}, nil},
		{"loon", []string{"Loonstrook niet zichtbaar"}, []string{"Loopbaangesprek plannen"}},
		{"inloggen", []string{"Kan niet inloggen in InSite"}, []string{"Inloopspreekuur op dinsdag verplaatsen"}},
		{"insite foutmelding", []string{"Kan niet inloggen in InSite"}, nil},
		{"vergoeding", []string{"Reiskostenvergoeding ontbreekt"}, nil},
		{"reiskosten", []string{"Reiskostenvergoeding ontbreekt"}, nil},
		{"salaris", []string{"Salarissen te laat overgemaakt", "Rechten voor de salarismodule"}, []string{"Verlofsaldo klopt niet"}},
		{"ziekmelden", []string{"Doorgeven via de app"}, nil},
		{"overeenkomst", []string{"Arbeidsovereenkomst ondertekenen"}, nil},
		{"autoriseren", []string{"Rechten voor de salarismodule"}, nil},
		{"selecteren", []string{"Werving en selectie"}, nil},
		{"dossier", []string{"Personeelsdossier inzien"}, nil},
		{"2025", []string{"Jaaropgave 2025 ontbreekt"}, nil},
		{"correctie", []string{"Uren corrigeren na de vakantie"}, nil},
		{"betalen", []string{"Mijn declaraties zijn nog niet betaald"}, nil},
		{"wachtwoorden", []string{"Wachtwoord vergeten"}, nil},
		{"loon strook", []string{"Loonstrook niet zichtbaar"}, nil},
		{"verlofsaldo", []string{"Verlofsaldo klopt niet"}, []string{"Saldo van de kas klopt niet"}},
		{"rol", nil, []string{"Controle van de uren"}},
		{"declaratie reiskosten", nil, []string{"Declaratie wordt niet goedgekeurd", "Reiskostenvergoeding ontbreekt"}},
	}
	articles := []struct {
		query, finds, misses string
	}{
		{"declareren", "Declaratie indienen", "Verlofaanvraag indienen"},
		{"verlof aanvragen", "Verlofaanvraag indienen", "Declaratie indienen"},
		{"loonstroken", "Loonstrook downloaden", "Loopbaan bespreken"},
		{"wachtwoorden", "Wachtwoord wijzigen", ""},
		{"onkosten", "Declaratie indienen", ""},
		{"saldo", "Verlofaanvraag indienen", "Loonstrook downloaden"},
	}
	suggestions := []struct {
		title, finds, misses string
	}{
		{"Hoe kan ik mijn declaraties indienen?", "Declaratie indienen", "Wachtwoord wijzigen"},
		{"Vraag over mijn verlof", "Verlofaanvraag indienen", "Declaratie indienen"},
		{"Loonstroken van vorig jaar", "Loonstrook downloaden", "Loopbaan bespreken"},
	}
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		for _, r := range dutchRequests {
			if _, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeQuestion, Title: r.title, Description: r.description}); err != nil {
				t.Fatal(err)
			}
		}
		for _, a := range []struct{ title, body, tags string }{
			{"Declaratie indienen", "Zo dient u een declaratie in via InSite.", "onkosten"},
			{"Verlofaanvraag indienen", "Bekijk eerst uw verlofsaldo.", ""},
			{"Loonstrook downloaden", "Uw loonstroken staan in InSite.", ""},
			{"Wachtwoord wijzigen", "Via het zelfbedieningsportaal.", ""},
			{"Loopbaan bespreken", "Het jaarlijkse gesprek.", ""},
		} {
			if _, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationArticle, Title: a.title,
				Body: a.body, Tags: strings.Fields(a.tags), Status: beheer.PublicationPublished}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range requests {
			for _, sort := range []string{"newest", "updated"} {
				page, err := st.Requests(ctx, p.admin, store.Filter{Query: tt.query, Sort: sort, Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				checkHits(t, "requests/"+sort, tt.query, requestTitles(page.Items), tt.finds, tt.misses)
			}
		}
		for _, tt := range articles {
			page, err := st.Publications(ctx, p.user, store.PublicationFilter{Kind: beheer.PublicationArticle, Query: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			checkHits(t, "articles", tt.query, titles(page.Items), nonEmpty(tt.finds), nonEmpty(tt.misses))
		}
		for _, tt := range suggestions {
			found, err := st.SuggestPublications(ctx, p.user, beheer.PublicationArticle, tt.title, 5)
			if err != nil {
				t.Fatal(err)
			}
			checkHits(t, "article suggestions", tt.title, titles(found), nonEmpty(tt.finds), nonEmpty(tt.misses))
			// "Bestaat uw vraag al?": open requests like the title typed.
			page, err := st.Requests(ctx, p.user, store.Filter{Query: tt.title, OpenOnly: true, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			if tt.title == "Hoe kan ik mijn declaraties indienen?" && len(page.Items) != 0 {
				t.Errorf("request suggestions for %q: %v, want none (no request holds every word)", tt.title, requestTitles(page.Items))
			}
		}
		page, err := st.Requests(ctx, p.user, store.Filter{Query: "Mijn verlofaanvraag blijft hangen", OpenOnly: true, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		checkHits(t, "request suggestions", "Mijn verlofaanvraag blijft hangen", requestTitles(page.Items),
			[]string{"Verlofaanvraag blijft hangen"}, []string{"Verlofsaldo klopt niet"})
	})
}

// TestSearchBadInput: a search of only stop words or symbols finds
// nothing — it does not list everything — and a search of 2,000
// characters searches on its first words; neither is an error.
func TestSearchBadInput(t *testing.T) {
	storetest.Engines(t, storetest.Options{}, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := kbOrg(t, st)
		for _, title := range []string{"Declaratie wordt niet goedgekeurd", "De app"} {
			if _, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeQuestion, Title: title}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.CreatePublication(ctx, p.admin, beheer.PublicationInput{Kind: beheer.PublicationArticle,
			Title: "Declaratie wordt niet goedgekeurd", Body: "Wat u dan doet.", Status: beheer.PublicationPublished}); err != nil {
			t.Fatal(err)
		}
		long := "declaratie " + strings.Repeat("wordt niet goedgekeurd ", 90) // over 2,000 characters
		for _, tt := range []struct {
			query string
			want  int
		}{{"de het een", 0}, {"!!! ??? ***", 0}, {`"*" OR ()`, 0}, {long, 1}} {
			for _, sort := range []string{"newest", "priority"} {
				page, err := st.Requests(ctx, p.admin, store.Filter{Query: tt.query, Sort: sort})
				if err != nil || len(page.Items) != tt.want {
					t.Errorf("requests, %s, %.30q: %d (%v), want %d", sort, tt.query, len(page.Items), err, tt.want)
				}
			}
			page, err := st.Publications(ctx, p.user, store.PublicationFilter{Kind: beheer.PublicationArticle, Query: tt.query})
			if err != nil || len(page.Items) != tt.want {
				t.Errorf("articles, %.30q: %d (%v), want %d", tt.query, len(page.Items), err, tt.want)
			}
			if found, err := st.SuggestPublications(ctx, p.user, beheer.PublicationArticle, tt.query, 5); err != nil || len(found) != tt.want {
				t.Errorf("suggestions, %.30q: %d (%v), want %d", tt.query, len(found), err, tt.want)
			}
		}
	})
}

// TestSearchMigration: requests and articles written before the search
// terms existed are found after the store opens on the new schema, on both
// engines, and what is written afterwards too.
func TestSearchMigration(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn, driver, p := oldSchema(t, engine, 200)
			oldRequests(t, driver, dsn, p.user.UserID, p.hr, "Verlofsaldo klopt niet", "Loonstrook niet zichtbaar", "Declaratie kwijt")
			oldArticle(t, driver, dsn, p.admin.UserID, "Declaratie indienen", "Zo dient u een declaratie in.")

			st := storetest.Open(t, dsn, storetest.Options{})
			for query, want := range map[string]string{"saldo": "Verlofsaldo klopt niet", "loonstroken": "Loonstrook niet zichtbaar",
				"declareren": "Declaratie kwijt"} {
				page, err := st.Requests(ctx, p.admin, store.Filter{Query: query})
				if err != nil || !slices.Equal(requestTitles(page.Items), []string{want}) {
					t.Errorf("%q after the migration: %v (%v), want %q", query, requestTitles(page.Items), err, want)
				}
			}
			found, err := st.Publications(ctx, p.user, store.PublicationFilter{Kind: beheer.PublicationArticle, Query: "declareren"})
			if err != nil || len(found.Items) != 1 {
				t.Errorf("the article after the migration: %v (%v)", found, err)
			}
			r, err := st.CreateRequest(ctx, p.user, beheer.NewRequest{Type: beheer.TypeQuestion, Title: "Verlofaanvraag blijft hangen"})
			if err != nil {
				t.Fatal(err)
			}
			title := "Reiskostenvergoeding ontbreekt"
			if _, err := st.UpdateRequest(ctx, p.admin, r.ID, r.Version, beheer.Patch{Title: &title}); err != nil {
				t.Fatal(err)
			}
			for query, want := range map[string]int{"vergoeding": 1, "aanvraag": 0} {
				page, err := st.Requests(ctx, p.admin, store.Filter{Query: query})
				if err != nil || len(page.Items) != want {
					t.Errorf("%q after an edit: %v (%v), want %d", query, requestTitles(page.Items), err, want)
				}
			}
			checkSearchIndex(t, driver, dsn)
		})
	}
}

// oldArticle writes a published article into a schema from before the
// search terms.
func oldArticle(t *testing.T, driver, dsn string, author int64, title, body string) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO publications (kind, id, title, body, status, author_id, publish_at, created_at, updated_at)
		VALUES ('article', 1, $1, $2, 'published', $3, 1, 1, 1)`, title, body, author); err != nil {
		t.Fatal(err)
	}
}

// checkSearchIndex: nothing is left to fill in, and on SQLite the
// full-text index matches the requests' terms.
func checkSearchIndex(t *testing.T, driver, dsn string) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left int
	if err := db.QueryRow(`SELECT COUNT(*) FROM search_reindex`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d tables left to fill in (%v)", left, err)
	}
	if driver == "sqlite" {
		if _, err := db.Exec(`INSERT INTO requests_fts (requests_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("full-text index: %v", err)
		}
	}
}

// checkHits: every title of finds is among got and none of misses.
func checkHits(t *testing.T, what, query string, got, finds, misses []string) {
	t.Helper()
	for _, f := range finds {
		if !slices.Contains(got, f) {
			t.Errorf("%s, %q: %v lacks %q", what, query, got, f)
		}
	}
	for _, m := range misses {
		if slices.Contains(got, m) {
			t.Errorf("%s, %q: %v holds %q", what, query, got, m)
		}
	}
}

func requestTitles(list []*beheer.Request) []string {
	var out []string
	for _, r := range list {
		out = append(out, r.Title)
	}
	return out
}

// nonEmpty is s as a list, empty when s is.
func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
